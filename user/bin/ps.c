/*
 * ps [-ap]: one line per LWP, from sysctl kern.lwp, by process and LWP
 * id.  Kernel threads belong to process 0; -p shows only user
 * processes.
 *
 *	  PID  PPID  LID STAT      CPU PRI WCHAN    AFFINITY NAME
 *	    1     0    1 SLEEP       0  43 wait     -        init
 *	    7     1    2 SUSPENDED   1  43 -        0,1      lwpdemo/worker
 *
 * A process with more than PS_MAXLWPS LWPs shows its first PS_MAXLWPS
 * (the lowest ids) and then one line for the rest, which -a shows too:
 *
 *	    9     1   33 SLEEP       0  43 parked   -        lwpscale
 *	    9     1    - ... and 9969 more LWPs of process 9 (ps -a: all)
 *
 * CPU is where the LWP runs or last ran; AFFINITY the CPUs it may run
 * on ("-": any); NAME the process's command, and /the LWP's name if it
 * has one (_lwp_setname).  The fetching and the format are libc's
 * (kinfo.h), which libatf-c uses too, to show a hung test's LWPs.
 */
#include <kinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PS_MAXLWPS	32	/* LWPs shown per process without -a */

static void
usage(void)
{
	fprintf(stderr, "usage: ps [-ap]\n");
	exit(1);
}

int
main(int argc, char **argv)
{
	struct kinfo_lwp *kl;
	char line[128];
	size_t i, j, n, shown;
	int all = 0, onlyuser = 0;

	for (int a = 1; a < argc; a++) {
		if (argv[a][0] != '-' || argv[a][1] == '\0')
			usage();
		for (const char *o = argv[a] + 1; *o != '\0'; o++)
			if (*o == 'a')
				all = 1;
			else if (*o == 'p')
				onlyuser = 1;
			else
				usage();
	}
	if ((kl = kinfo_getlwps(&n)) == NULL) {
		perror("ps: sysctl kern.lwp");
		return 1;
	}
	kinfo_lwp_sort(kl, n);
	printf("%s\n", kinfo_lwp_line(line, sizeof(line), NULL));
	for (i = 0; i < n; i = j) {
		/* kl[i .. j): one process's LWPs. */
		for (j = i; j < n && kl[j].l_pid == kl[i].l_pid; j++)
			continue;
		if (onlyuser && kl[i].l_pid == 0)
			continue;
		shown = all || j - i <= PS_MAXLWPS ? j - i : PS_MAXLWPS;
		for (size_t k = i; k < i + shown; k++)
			printf("%s\n", kinfo_lwp_line(line, sizeof(line),
			    &kl[k]));
		if (shown < j - i)
			printf("%5d %5d %4s ... and %zu more LWPs of process "
			    "%d (ps -a: all)\n", kl[i].l_pid, kl[i].l_ppid,
			    "-", j - i - shown, kl[i].l_pid);
	}
	free(kl);
	return 0;
}

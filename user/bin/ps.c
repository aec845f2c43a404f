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
 *	    9     1    - ... and 9969 more LWPs of process 9
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
	if (kinfo_print_lwps("", onlyuser, all ? 0 : PS_MAXLWPS) == -1) {
		perror("ps: sysctl kern.lwp");
		return 1;
	}
	return 0;
}

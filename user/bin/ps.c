/*
 * ps [-p]: one line per LWP, from sysctl kern.lwp.  Kernel threads
 * belong to process 0; -p shows only user processes.
 *
 *	  PID  PPID  LID STAT   CPU PRI WCHAN    NAME
 *	    1     0    1 SLEEP    0  43 wait     init
 */
#include <sys/sysctl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* l_stat, NetBSD's values (sys/lwp.h). */
static const char *const statname[] = {
	"?", "IDL", "RUN", "SLEEP", "STOP", "ZOMB", "?", "ONPROC", "SUSP",
};

/* The kernel's fixed-size strings need not end in a NUL: copy one
 * into dst (n + 1 bytes) and end it. */
static char *
field(char *dst, const char *src, size_t n)
{
	memcpy(dst, src, n);
	dst[n] = '\0';
	return dst;
}

/*
 * Every LWP's kinfo_lwp, malloc'd; *np says how many.  Asks for the
 * size, then for the data: LWPs come and go in between, so leave room,
 * and start over if even that was short.  NULL (and errno) on failure.
 */
static struct kinfo_lwp *
fetch(size_t *np)
{
	int mib[2] = { CTL_KERN, KERN_LWP };
	struct kinfo_lwp *kl;
	size_t len;
	int try, error;

	for (try = 0; try < 5; try++) {
		if (sysctl(mib, 2, NULL, &len, NULL, 0) == -1)
			return NULL;
		len += 8 * sizeof(*kl);
		if ((kl = malloc(len)) == NULL)
			return NULL;
		if (sysctl(mib, 2, kl, &len, NULL, 0) == 0) {
			*np = len / sizeof(*kl);
			return kl;
		}
		error = errno;
		free(kl);
		if ((errno = error) != ENOMEM)
			return NULL;
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	char wmesg[KI_WMESGLEN + 1], name[KI_MAXCOMLEN + 1];
	struct kinfo_lwp *kl, *l;
	size_t i, n;
	int onlyuser = 0;

	if (argc == 2 && strcmp(argv[1], "-p") == 0)
		onlyuser = 1;
	else if (argc != 1) {
		fprintf(stderr, "usage: ps [-p]\n");
		return 1;
	}
	if ((kl = fetch(&n)) == NULL) {
		perror("ps: sysctl kern.lwp");
		return 1;
	}

	printf("%5s %5s %4s %-6s %3s %3s %-8s %s\n", "PID", "PPID", "LID",
	    "STAT", "CPU", "PRI", "WCHAN", "NAME");
	for (i = 0; i < n; i++) {
		l = &kl[i];
		if (onlyuser && l->l_pid <= 0)
			continue;
		field(wmesg, l->l_wmesg, KI_WMESGLEN);
		/* A kernel thread has an LWP name; a process its command. */
		if (l->l_name[0] != '\0')
			field(name, l->l_name, KI_LNAMELEN);
		else
			field(name, l->p_comm, KI_MAXCOMLEN);
		printf("%5d %5d %4d %-6s %3d %3d %-8s %s\n", l->l_pid,
		    l->l_ppid, l->l_lid,
		    l->l_stat >= 0 && l->l_stat < 9 ? statname[l->l_stat] : "?",
		    l->l_cpuid, l->l_priority,
		    wmesg[0] != '\0' ? wmesg : "-", name);
	}
	free(kl);
	return 0;
}

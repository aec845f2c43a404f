/*
 * ps [-p]: one line per LWP, from sysctl kern.lwp.  Kernel threads
 * belong to process 0; -p shows only user processes.
 *
 *	  PID  PPID  LID STAT      CPU PRI WCHAN    AFFINITY NAME
 *	    1     0    1 SLEEP       0  43 wait     -        init
 *	    7     1    2 SUSPENDED   1  43 -        0,1      lwpdemo/worker
 *
 * CPU is where the LWP runs or last ran; AFFINITY the CPUs it may run
 * on ("-": any); NAME the process's command, and /the LWP's name if it
 * has one (_lwp_setname).
 */
#include <sys/sysctl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* l_stat, NetBSD's values (sys/lwp.h). */
static const char *const statname[] = {
	"?", "IDL", "RUN", "SLEEP", "STOP", "ZOMB", "?", "ONPROC",
	"SUSPENDED",
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

/* The CPUs in an affinity mask as "0,2,3" ("-" for none: any CPU),
 * cut to fit. */
static const char *
cpulist(char *buf, size_t size, uint64_t mask)
{
	size_t len = 0;

	if (mask == 0)
		return "-";
	buf[0] = '\0';
	for (int i = 0; i < 64 && len + 4 < size; i++)
		if (mask & (1ULL << i))
			len += snprintf(buf + len, size - len, "%s%d",
			    len > 0 ? "," : "", i);
	return buf;
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
	char wmesg[KI_WMESGLEN + 1], comm[KI_MAXCOMLEN + 1];
	char lname[KI_LNAMELEN + 1], name[KI_MAXCOMLEN + KI_LNAMELEN + 2];
	char aff[16];
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

	printf("%5s %5s %4s %-9s %3s %3s %-8s %-8s %s\n", "PID", "PPID", "LID",
	    "STAT", "CPU", "PRI", "WCHAN", "AFFINITY", "NAME");
	for (i = 0; i < n; i++) {
		l = &kl[i];
		if (onlyuser && l->l_pid <= 0)
			continue;
		field(wmesg, l->l_wmesg, KI_WMESGLEN);
		field(comm, l->p_comm, KI_MAXCOMLEN);
		field(lname, l->l_name, KI_LNAMELEN);
		/* A kernel thread has an LWP name; a process its command,
		 * and its LWPs may have names too. */
		if (l->l_pid == 0)
			snprintf(name, sizeof(name), "%s", lname);
		else if (lname[0] != '\0')
			snprintf(name, sizeof(name), "%s/%s", comm, lname);
		else
			snprintf(name, sizeof(name), "%s", comm);
		printf("%5d %5d %4d %-9s %3d %3d %-8s %-8s %s\n", l->l_pid,
		    l->l_ppid, l->l_lid,
		    l->l_stat >= 0 && l->l_stat < 9 ? statname[l->l_stat] : "?",
		    l->l_cpuid, l->l_priority,
		    wmesg[0] != '\0' ? wmesg : "-", cpulist(aff, sizeof(aff),
		    l->l_affinity), name);
	}
	free(kl);
	return 0;
}

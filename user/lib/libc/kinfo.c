/*
 * kinfo.c: the LWP table, fetched and formatted (see kinfo.h).
 */
#include <errno.h>
#include <kinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* l_stat, NetBSD's values (sys/lwp.h). */
static const char *const statname[] = {
	"?", "IDL", "RUN", "SLEEP", "STOP", "ZOMB", "?", "ONPROC",
	"SUSPENDED",
};

/*
 * Asks for the size, then for the data: LWPs come and go in between,
 * so leave room, and start over if even that was short.
 */
static struct kinfo_lwp *
getlwps(const int *mib, u_int namelen, size_t *np)
{
	struct kinfo_lwp *kl;
	size_t len;
	int try, error;

	for (try = 0; try < 5; try++) {
		if (sysctl(mib, namelen, NULL, &len, NULL, 0) == -1)
			return NULL;
		len += 8 * sizeof(*kl);
		if ((kl = malloc(len)) == NULL)
			return NULL;
		if (sysctl(mib, namelen, kl, &len, NULL, 0) == 0) {
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

struct kinfo_lwp *
kinfo_getlwps(size_t *np)
{
	int mib[2] = { CTL_KERN, KERN_LWP };

	return getlwps(mib, 2, np);
}

struct kinfo_lwp *
kinfo_getproclwps(pid_t pid, size_t *np)
{
	int mib[3] = { CTL_KERN, KERN_LWP, pid };

	return getlwps(mib, 3, np);
}

static int
bypidlid(const void *a, const void *b)
{
	const struct kinfo_lwp *x = a, *y = b;

	if (x->l_pid != y->l_pid)
		return x->l_pid < y->l_pid ? -1 : 1;
	return x->l_lid < y->l_lid ? -1 : x->l_lid > y->l_lid;
}

static int
bypidlid_p(const void *a, const void *b)
{
	return bypidlid(*(const struct kinfo_lwp *const *)a,
	    *(const struct kinfo_lwp *const *)b);
}

/*
 * Sorts pointers, then moves each entry once: qsort would swap the
 * entries themselves (hundreds of bytes each) at every step, which
 * with 10 000 LWPs made the sort cost 20 times the sysctl.  Without
 * memory for that, the plain qsort.
 */
void
kinfo_lwp_sort(struct kinfo_lwp *kl, size_t n)
{
	const struct kinfo_lwp **p = malloc(n * sizeof(*p));
	struct kinfo_lwp *sorted = malloc(n * sizeof(*sorted));

	if (p == NULL || sorted == NULL) {
		free(p);
		free(sorted);
		qsort(kl, n, sizeof(*kl), bypidlid);
		return;
	}
	for (size_t i = 0; i < n; i++)
		p[i] = &kl[i];
	qsort(p, n, sizeof(*p), bypidlid_p);
	for (size_t i = 0; i < n; i++)
		sorted[i] = *p[i];
	memcpy(kl, sorted, n * sizeof(*kl));
	free(p);
	free(sorted);
}

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
cpulist(char *buf, size_t size, const uint32_t *words)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < KI_AFFINITY_WORDS * 32 && len + 4 < size; i++)
		if (words[i / 32] >> (i % 32) & 1)
			len += snprintf(buf + len, size - len, "%s%d",
			    len > 0 ? "," : "", i);
	return len > 0 ? buf : "-";
}

/*
 * NAME: a kernel thread's LWP name; a process's command, and /the
 * LWP's name if it has one (_lwp_setname).  CPU is where the LWP runs
 * or last ran; AFFINITY the CPUs it may run on ("-": any).
 */
char *
kinfo_lwp_line(char *buf, size_t size, const struct kinfo_lwp *l)
{
	char wmesg[KI_WMESGLEN + 1], comm[KI_MAXCOMLEN + 1];
	char lname[KI_LNAMELEN + 1], name[KI_MAXCOMLEN + KI_LNAMELEN + 2];
	char aff[16];

	if (l == NULL) {
		snprintf(buf, size, "%5s %5s %4s %-9s %3s %3s %-8s %-8s %s",
		    "PID", "PPID", "LID", "STAT", "CPU", "PRI", "WCHAN",
		    "AFFINITY", "NAME");
		return buf;
	}
	field(wmesg, l->l_wmesg, KI_WMESGLEN);
	field(comm, l->p_comm, KI_MAXCOMLEN);
	field(lname, l->l_name, KI_LNAMELEN);
	if (l->l_pid == 0)
		snprintf(name, sizeof(name), "%s", lname);
	else if (lname[0] != '\0')
		snprintf(name, sizeof(name), "%s/%s", comm, lname);
	else
		snprintf(name, sizeof(name), "%s", comm);
	snprintf(buf, size, "%5d %5d %4d %-9s %3d %3d %-8s %-8s %s",
	    l->l_pid, l->l_ppid, l->l_lid,
	    l->l_stat >= 0 && l->l_stat < 9 ? statname[l->l_stat] : "?",
	    l->l_cpuid, l->l_priority, wmesg[0] != '\0' ? wmesg : "-",
	    cpulist(aff, sizeof(aff), l->l_affinity), name);
	return buf;
}

int
kinfo_print_lwps(const char *prefix, int useronly, size_t maxper)
{
	struct kinfo_lwp *kl;
	char line[128];
	size_t i, j, n, shown;

	if ((kl = kinfo_getlwps(&n)) == NULL)
		return -1;
	kinfo_lwp_sort(kl, n);
	printf("%s%s\n", prefix, kinfo_lwp_line(line, sizeof(line), NULL));
	for (i = 0; i < n; i = j) {
		/* kl[i .. j): one process's LWPs. */
		for (j = i; j < n && kl[j].l_pid == kl[i].l_pid; j++)
			continue;
		if (useronly && kl[i].l_pid == 0)
			continue;
		shown = maxper == 0 || j - i <= maxper ? j - i : maxper;
		for (size_t k = i; k < i + shown; k++)
			printf("%s%s\n", prefix, kinfo_lwp_line(line,
			    sizeof(line), &kl[k]));
		if (shown < j - i)
			printf("%s%5d %5d %4s ... and %zu more LWPs of process "
			    "%d\n", prefix, kl[i].l_pid, kl[i].l_ppid, "-",
			    j - i - shown, kl[i].l_pid);
	}
	free(kl);
	return 0;
}

/*
 * lockstat CMD [ARG...]: run CMD, then print the lock statistics of the
 * kernel mutexes used meanwhile, most contended first (NetBSD's
 * lockstat(8), much reduced: per lock class, no callers).  Reads sysctl
 * kern.lockstat (sys/sysctl.h, kernel/subr_lockstat.c) before and
 * after, and prints the difference; the longest holds are reset before
 * CMD starts, and the kernel counts acquisitions and holds while it
 * runs (writing 1, then 2: counting costs every lock, so it is off
 * unless asked for).  CMD is a path (execv, as trace(1)).  Exit status: CMD's
 * (128+N if signal N killed it); 1 if lockstat itself failed.
 * docs/man/lockstat.1.
 */
#include <sys/sysctl.h>
#include <sys/wait.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* kern.lockstat now, into a malloc'ed array; NULL on failure. */
static struct lockstat_rec *
ls_read(size_t *np)
{
	struct lockstat_rec *rec = NULL;
	size_t len = 0;

	for (;;) {
		if (sysctlbyname("kern.lockstat", NULL, &len, NULL, 0) == -1)
			return NULL;
		len += 16 * sizeof(*rec);	/* classes new meanwhile */
		free(rec);
		if ((rec = malloc(len)) == NULL)
			return NULL;
		if (sysctlbyname("kern.lockstat", rec, &len, NULL, 0) == 0)
			break;
		if (errno != ENOMEM) {
			free(rec);
			return NULL;
		}
	}
	*np = len / sizeof(*rec);
	return rec;
}

static int
ls_cmp(const void *a, const void *b)
{
	const struct lockstat_rec *x = a, *y = b;

	if (x->ls_ncont != y->ls_ncont)
		return x->ls_ncont > y->ls_ncont ? -1 : 1;
	if (x->ls_spin + x->ls_sleep != y->ls_spin + y->ls_sleep)
		return x->ls_spin + x->ls_sleep > y->ls_spin + y->ls_sleep ?
		    -1 : 1;
	if (x->ls_nacq != y->ls_nacq)
		return x->ls_nacq > y->ls_nacq ? -1 : 1;
	return strcmp(x->ls_name, y->ls_name);
}

static const char *
ls_type(uint32_t flags)
{
	switch (flags & (LS_SPIN | LS_ADAPTIVE)) {
	case LS_SPIN:
		return "spin";
	case LS_ADAPTIVE:
		return "adapt";
	default:
		return "both";
	}
}

int
main(int argc, char **argv)
{
	struct lockstat_rec *before, *after;
	struct timespec t0, t1;
	size_t nb, na, n = 0;
	long long ms;
	int st, zero = 0, on = 1, off = 2;
	pid_t pid;

	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: lockstat CMD [ARG...]\n");
		return 2;
	}
	if (sysctlbyname("kern.lockstat", NULL, NULL, &zero,
	    sizeof(zero)) == -1 || sysctlbyname("kern.lockstat", NULL, NULL,
	    &on, sizeof(on)) == -1 || (before = ls_read(&nb)) == NULL) {
		perror("lockstat: sysctl kern.lockstat");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) == -1) {
		perror("lockstat: fork");
		return 1;
	}
	if (pid == 0) {
		execv(argv[1], argv + 1);
		fprintf(stderr, "lockstat: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR) {
			perror("lockstat: waitpid");
			return 1;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if ((after = ls_read(&na)) == NULL || sysctlbyname("kern.lockstat",
	    NULL, NULL, &off, sizeof(off)) == -1) {
		perror("lockstat: sysctl kern.lockstat");
		return 1;
	}
	/* The difference, in place; classes are never removed, and keep
	 * their place (the kernel's table only grows). */
	for (size_t i = 0; i < na; i++) {
		struct lockstat_rec r = after[i];

		for (size_t j = 0; j < nb; j++)
			if (strcmp(before[j].ls_name, r.ls_name) == 0) {
				r.ls_nacq -= before[j].ls_nacq;
				r.ls_ncont -= before[j].ls_ncont;
				r.ls_spin -= before[j].ls_spin;
				r.ls_sleep -= before[j].ls_sleep;
				break;
			}
		if (r.ls_nacq != 0 || r.ls_ncont != 0)
			after[n++] = r;
	}
	qsort(after, n, sizeof(*after), ls_cmp);
	ms = (t1.tv_sec - t0.tv_sec) * 1000LL +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000;
	printf("Elapsed time: %lld.%02lld seconds.\n\n", ms / 1000,
	    ms % 1000 / 10);
	printf("-- Kernel mutexes, by contended acquisitions (times in "
	    "cycles)\n\n");
	printf("%10s %8s %12s %12s %12s %-5s %s\n", "Acquire", "Contend",
	    "Spin", "Sleep", "MaxHold", "Type", "Lock");
	printf("---------- -------- ------------ ------------ ------------ "
	    "----- ------------------------\n");
	for (size_t i = 0; i < n; i++)
		printf("%10llu %8llu %12llu %12llu %12llu %-5s %s\n",
		    (unsigned long long)after[i].ls_nacq,
		    (unsigned long long)after[i].ls_ncont,
		    (unsigned long long)after[i].ls_spin,
		    (unsigned long long)after[i].ls_sleep,
		    (unsigned long long)after[i].ls_maxhold,
		    ls_type(after[i].ls_flags), after[i].ls_name);
	free(before);
	free(after);
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

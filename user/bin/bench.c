/*
 * bench: what a null system call (getpid) and a whole process
 * (fork + _exit + wait) cost, in TSC cycles.
 *
 *	bench: getpid 612 cycles (min 590, 7 runs of 100000)
 *	bench: fork+exit+wait 1843210 cycles (min 1602448, 200 runs)
 *
 * The first number is the median: the fairest single figure when a
 * run can be hit by an interrupt or a context switch.
 */
#include <sys/wait.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define NCALLS	100000
#define NRUNS	7
#define NFORKS	200

/* lfence: the counter is read after the code before it has finished. */
static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	__asm volatile("lfence; rdtsc" : "=a" (lo), "=d" (hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

static int
cmp64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort the samples; print the median and the minimum. */
static void
report(const char *what, uint64_t *v, int n, const char *runs)
{
	qsort(v, n, sizeof(*v), cmp64);
	printf("bench: %s %llu cycles (min %llu, %s)\n", what,
	    (unsigned long long)v[n / 2], (unsigned long long)v[0], runs);
}

int
main(void)
{
	static uint64_t forks[NFORKS];
	uint64_t runs[NRUNS], t;
	pid_t pid;
	int i, j, st;

	for (i = 0; i < NRUNS; i++) {
		t = rdtsc();
		for (j = 0; j < NCALLS; j++)
			(void)getpid();
		runs[i] = (rdtsc() - t) / NCALLS;
	}
	report("getpid", runs, NRUNS, "7 runs of 100000");

	fflush(stdout);		/* not to be copied into each child */
	for (i = 0; i < NFORKS; i++) {
		t = rdtsc();
		if ((pid = fork()) == 0)
			_exit(0);
		if (pid == -1 || waitpid(pid, &st, 0) != pid) {
			perror("bench: fork/wait");
			return 1;
		}
		forks[i] = rdtsc() - t;
	}
	report("fork+exit+wait", forks, NFORKS, "200 runs");
	return 0;
}

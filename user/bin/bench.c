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

#include "h_user.h"		/* h_tsc, h_sort_u64 */

#define NCALLS	100000
#define NRUNS	7
#define NFORKS	200

/* Sort the samples; print the median and the minimum. */
static void
report(const char *what, uint64_t *v, int n, const char *runs)
{
	h_sort_u64(v, n);
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
		t = h_tsc();
		for (j = 0; j < NCALLS; j++)
			(void)getpid();
		runs[i] = (h_tsc() - t) / NCALLS;
	}
	report("getpid", runs, NRUNS, "7 runs of 100000");

	fflush(stdout);		/* not to be copied into each child */
	for (i = 0; i < NFORKS; i++) {
		t = h_tsc();
		if ((pid = fork()) == 0)
			_exit(0);
		if (pid == -1 || waitpid(pid, &st, 0) != pid) {
			perror("bench: fork/wait");
			return 1;
		}
		forks[i] = h_tsc() - t;
	}
	report("fork+exit+wait", forks, NFORKS, "200 runs");
	return 0;
}

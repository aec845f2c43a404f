/*
 * spin [SECONDS]: burn CPU in user mode for SECONDS (default 1), making
 * a system call only every million loop rounds, to read the clock.  For
 * watching a CPU-bound process: in ps (`spin 10 &`, then `ps`), being
 * preempted, or where an NMI (QEMU's monitor command `nmi`) finds it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int
main(int argc, char **argv)
{
	struct timespec start, now;
	volatile unsigned long rounds = 0;
	long secs = 1;
	char *end;

	if (argc > 2 || (argc == 2 && ((secs = strtol(argv[1], &end, 10)) < 0 ||
	    *end != '\0' || end == argv[1]))) {
		fprintf(stderr, "usage: spin [SECONDS]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	printf("spin: spinning in user mode for %ld s\n", secs);
	fflush(stdout);
	do {
		for (int i = 0; i < 1000000; i++)
			rounds++;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while ((now.tv_sec - start.tv_sec) * 1000000000L +
	    (now.tv_nsec - start.tv_nsec) < secs * 1000000000L);
	printf("spin: done, %lu rounds\n", rounds);
	return 0;
}

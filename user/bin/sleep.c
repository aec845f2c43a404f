/*
 * sleep SECONDS: sleep that long.  SECONDS may have a fraction: 0.25.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int
main(int argc, char **argv)
{
	struct timespec ts;
	long scale = 100000000;		/* of the first decimal, in ns */
	char *end;

	if (argc != 2 || !isdigit((unsigned char)argv[1][0]))
		goto usage;
	ts.tv_sec = strtol(argv[1], &end, 10);
	ts.tv_nsec = 0;
	if (*end == '.') {
		for (end++; isdigit((unsigned char)*end); end++, scale /= 10)
			ts.tv_nsec += (*end - '0') * scale;
	}
	if (*end != '\0')
		goto usage;
	if (nanosleep(&ts, NULL) == -1) {
		perror("sleep");
		return 1;
	}
	return 0;
usage:
	fprintf(stderr, "usage: sleep SECONDS\n");
	return 1;
}

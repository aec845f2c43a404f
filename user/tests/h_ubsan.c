/*
 * h_ubsan: planted undefined behaviour in a user program, for the UBSan
 * build (make SANITIZE=undefined; only that build has this program).
 * `h_ubsan CHECK` does one undefined thing; libc's runtime must report
 * it (ubsan: CHECK: ..., at user/tests/h_ubsan.c:LINE:COLUMN) and abort
 * the program (SIGABRT).  tools/scenarios runs it (ubsan-user-*).
 */
#include <stdio.h>
#include <string.h>

static volatile int int_max = 0x7fffffff, one = 1, forty = 40;

int
main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	static int words[2];
	volatile int r = 0;

	if (strcmp(what, "signed-integer-overflow") == 0)
		r = int_max + one;
	else if (strcmp(what, "shift-exponent") == 0)
		r = one << forty;
	else if (strcmp(what, "alignment") == 0)
		r = *(int *volatile)((char *)words + one);
	else {
		fprintf(stderr, "usage: h_ubsan signed-integer-overflow|"
		    "shift-exponent|alignment\n");
		return 2;
	}
	printf("h_ubsan: %s went unreported (%d)\n", what, r);
	return 1;
}

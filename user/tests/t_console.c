/*
 * t_console: reading the console.  Needs someone (tools/test) to type
 * a line and then ^D, so the runner leaves it out: run it by name.
 */
#define UTEST_PROG "t_console"
#include "utest.h"

int
main(void)
{
	char line[256], name[300];
	size_t n;

	printf("t_console: type a line\n");
	if (fgets(line, sizeof(line), stdin) == NULL) {
		utest_fail("read a line", "got end of file");
	} else {
		n = strlen(line);
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		snprintf(name, sizeof(name), "read \"%s\"", line);
		utest_ok(name);
	}

	/* ^D at the start of a line: read returns 0, fgets NULL. */
	if (fgets(line, sizeof(line), stdin) == NULL)
		utest_ok("end of file after ^D");
	else
		utest_fail("end of file after ^D", "read \"%s\"", line);
	return utest_done();
}

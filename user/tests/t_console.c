/*
 * t_console: reading the console.  Needs someone at the keyboard, so
 * the runner leaves it out: run it by name.  tools/test (scenario
 * utest-console) types "typed", a backspace, "d line", Enter, then ^D:
 * the line discipline must hand over "typed line" (the backspace
 * erased the second 'd'), then end of file.
 */
#include <stdio.h>
#include <string.h>

#include <atf-c.h>

ATF_TC(read_line);
ATF_TC_HEAD(read_line, tc)
{
	atf_tc_set_md_var(tc, "descr", "a typed line, with a character "
	    "erased, arrives edited");
}
ATF_TC_BODY(read_line, tc)
{
	char line[256];
	size_t n;

	printf("t_console: type a line\n");
	fflush(stdout);
	ATF_REQUIRE_MSG(fgets(line, sizeof(line), stdin) != NULL,
	    "read a line: got end of file");
	n = strlen(line);
	if (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	printf("t_console: read \"%s\"\n", line);
	ATF_CHECK_STREQ(line, "typed line");
}

/* ^D at the start of a line: read returns 0, fgets NULL. */
ATF_TC(eof_after_ctrl_d);
ATF_TC_HEAD(eof_after_ctrl_d, tc)
{
	atf_tc_set_md_var(tc, "descr", "^D at the start of a line is end "
	    "of file");
}
ATF_TC_BODY(eof_after_ctrl_d, tc)
{
	char line[256];

	ATF_CHECK_MSG(fgets(line, sizeof(line), stdin) == NULL,
	    "end of file after ^D: read \"%s\"", line);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, read_line);
	ATF_TP_ADD_TC(tp, eof_after_ctrl_d);
	return atf_no_error();
}

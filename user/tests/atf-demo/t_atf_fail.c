/*
 * t_atf_fail: an ATF test program that fails on purpose, to show that
 * libatf-c catches and reports failures.  Not in /tests (the test run
 * must stay green): tools/test runs it with
 *
 *	tools/run-user user/tests/atf-demo/t_atf_fail.c
 *
 * and checks its lines: five cases fail, each in its own way, while
 * `passes' (which runs after them all) passes, and the exit status is 5:
 *
 *	not ok - t_atf_fail: require_fails: errno != EINVAL (t_atf_fail.c:NN)
 *	not ok - t_atf_fail: check_continues: 2 checks failed; the first: ...
 *	not ok - t_atf_fail: segfault: killed by signal 11 (SIGSEGV)
 *	...
 *	ok - t_atf_fail: passes
 *	t_atf_fail: 1 passed, 5 failed, 0 skipped
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include <atf-c.h>

/* The message must name the expressions as written, not expanded. */
ATF_TC_WITHOUT_HEAD(require_fails);
ATF_TC_BODY(require_fails, tc)
{
	errno = 0;
	ATF_REQUIRE_EQ(errno, EINVAL);
	printf("not reached: ATF_REQUIRE_EQ returned\n");
}

/* A failed CHECK lets the case go on (to fail at its end). */
ATF_TC_WITHOUT_HEAD(check_continues);
ATF_TC_BODY(check_continues, tc)
{
	int x = 1;

	ATF_CHECK(x == 2);
	printf("check_continues: still running\n");
	ATF_CHECK_STREQ("abc", "abd");
}

/* A crash fails this case, not the program. */
static volatile int *volatile nowhere;

ATF_TC_WITHOUT_HEAD(segfault);
ATF_TC_BODY(segfault, tc)
{
	*nowhere = 1;
}

ATF_TC_WITHOUT_HEAD(errno_wrong);
ATF_TC_BODY(errno_wrong, tc)
{
	ATF_REQUIRE_ERRNO(ENOENT, close(-1) == -1);
}

/* An expected failure that does not happen is a failure. */
ATF_TC_WITHOUT_HEAD(unexpected_pass);
ATF_TC_BODY(unexpected_pass, tc)
{
	atf_tc_expect_fail("this should fail, but does not");
	ATF_CHECK(true);
}

ATF_TC_WITHOUT_HEAD(passes);
ATF_TC_BODY(passes, tc)
{
	ATF_REQUIRE_EQ(1 + 1, 2);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, require_fails);
	ATF_TP_ADD_TC(tp, check_continues);
	ATF_TP_ADD_TC(tp, segfault);
	ATF_TP_ADD_TC(tp, errno_wrong);
	ATF_TP_ADD_TC(tp, unexpected_pass);
	ATF_TP_ADD_TC(tp, passes);
	return atf_no_error();
}

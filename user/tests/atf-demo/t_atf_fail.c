/*
 * t_atf_fail: an ATF test program that fails on purpose, to show that
 * libatf-c catches and reports failures.  Not in /tests (the test run
 * must stay green): tools/test runs it with
 *
 *	tools/run-user user/tests/atf-demo/t_atf_fail.c
 *
 * and checks its lines: eight cases fail, each in its own way, one
 * skips, while `hang_cleaned_up', `scaled_limit' and `passes' (which
 * run after them) pass, and the exit status is 8:
 *
 *	not ok - t_atf_fail: require_fails: errno != EINVAL (t_atf_fail.c:NN)
 *	not ok - t_atf_fail: check_continues: 2 checks failed; the first: ...
 *	not ok - t_atf_fail: segfault: killed by signal 11 (SIGSEGV)
 *	...
 *	# t_atf_fail: hang: timed out after 2 s; its LWPs (...), then killed:
 *	#   PID  PPID  LID STAT      CPU PRI WCHAN    AFFINITY NAME
 *	#    NN    NN    1 SLEEP       0   0 wait     -        t_atf_fail
 *	#    NN    NN    1 RUN ...
 *	not ok - t_atf_fail: hang: timed out after 2 s
 *	...
 *	skipped - t_atf_fail: skip: skipping on purpose (7)
 *	not ok - t_atf_fail: slow_for_its_limit: timed out after 1 s
 *	ok - t_atf_fail: slow_for_its_limit     (ATF_TIMEOUT_SCALE=5)
 *	ok - t_atf_fail: scaled_limit
 *	ok - t_atf_fail: passes
 *	t_atf_fail: 3 passed, 8 failed, 1 skipped
 */
#include <sys/wait.h>
#include <errno.h>
#include <kinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/*
 * A hang: the case waits for a child that spins for ever.  After its
 * 2 s the library shows both (the case asleep in wait, the child
 * running), kills both, and goes on with the next case.
 */
ATF_TC(hang);
ATF_TC_HEAD(hang, tc)
{
	atf_tc_set_md_var(tc, "timeout", "2");
}
ATF_TC_BODY(hang, tc)
{
	pid_t pid = fork();

	if (pid == 0)
		for (;;)
			continue;
	waitpid(pid, NULL, 0);
	printf("not reached: the spinning child ended\n");
}

/* Nothing of `hang' is left: no t_atf_fail process (other than this
 * one and its parent) that init inherited and that still lives. */
ATF_TC_WITHOUT_HEAD(hang_cleaned_up);
ATF_TC_BODY(hang_cleaned_up, tc)
{
	struct kinfo_lwp *kl;
	size_t i, n, left = 0;

	ATF_REQUIRE((kl = kinfo_getlwps(&n)) != NULL);
	for (i = 0; i < n; i++)
		if (strncmp(kl[i].p_comm, "t_atf_fail", KI_MAXCOMLEN) == 0 &&
		    kl[i].l_pid != getpid() && kl[i].l_pid != getppid() &&
		    kl[i].l_ppid == 1 && kl[i].l_stat != 5 /* LSZOMB */)
			left++;
	free(kl);
	ATF_CHECK_EQ_MSG(left, 0, "%zu LWPs of the hung case live on", left);
}

/* A time limit that is not a number is refused, saying so. */
ATF_TC(bad_timeout);
ATF_TC_HEAD(bad_timeout, tc)
{
	atf_tc_set_md_var(tc, "timeout", "soon");
}
ATF_TC_BODY(bad_timeout, tc)
{
}

/* A skip is reported as such: neither a pass nor a failure. */
ATF_TC_WITHOUT_HEAD(skip);
ATF_TC_BODY(skip, tc)
{
	atf_tc_skip("skipping on purpose (%d)", 7);
	atf_tc_fail("atf_tc_skip returned");
}

/* A case that needs 2 s under a 1 s limit times out... */
ATF_TC(slow_for_its_limit);
ATF_TC_HEAD(slow_for_its_limit, tc)
{
	atf_tc_set_md_var(tc, "timeout", "1");
}
ATF_TC_BODY(slow_for_its_limit, tc)
{
	sleep(2);
}

/* ...and passes when ATF_TIMEOUT_SCALE=5 stretches the limit to 5 s: a
 * copy of this program runs it so, and must exit 0 (its own lines,
 * "ok - t_atf_fail: slow_for_its_limit", show up in the output). */
ATF_TC_WITHOUT_HEAD(scaled_limit);
ATF_TC_BODY(scaled_limit, tc)
{
	char *av[] = { "t_atf_fail", "slow_for_its_limit", NULL };
	char *env[] = { "ATF_TIMEOUT_SCALE=5", NULL };
	pid_t pid;
	int st;

	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		execve("/bin/t_atf_fail", av, env);
		_exit(127);
	}
	ATF_REQUIRE_EQ(waitpid(pid, &st, 0), pid);
	ATF_REQUIRE(WIFEXITED(st));
	ATF_REQUIRE_EQ(WEXITSTATUS(st), 0);
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
	ATF_TP_ADD_TC(tp, hang);
	ATF_TP_ADD_TC(tp, hang_cleaned_up);
	ATF_TP_ADD_TC(tp, bad_timeout);
	ATF_TP_ADD_TC(tp, skip);
	ATF_TP_ADD_TC(tp, slow_for_its_limit);
	ATF_TP_ADD_TC(tp, scaled_limit);
	ATF_TP_ADD_TC(tp, passes);
	return atf_no_error();
}

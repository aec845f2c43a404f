/*
 * t_atf: the ATF test library (user/lib/libatf-c), tested ATF-style.
 * Every case here must pass: each macro family when it holds,
 * expected failures, exits and signals, cleanups, metadata, one child
 * per case.  That failures, skips and hangs are reported is
 * user/tests/atf-demo's job (a program that fails on purpose, run by
 * tools/test, not installed): a skip here would be counted as one.
 *
 * user/user.mk compiles this file -std=c11 -pedantic, so it also shows
 * that the macros are plain C11 where they are used.
 */
#include <sys/mman.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>
#include <kinfo.h>

static int calls;

static const char *
counted(const char *s)
{
	calls++;
	return s;
}

ATF_TC(require);
ATF_TC_HEAD(require, tc)
{
	atf_tc_set_md_var(tc, "descr", "ATF_REQUIRE* pass when they hold");
}
ATF_TC_BODY(require, tc)
{
	char buf[8] = "abc";
	int i = 0;

	ATF_REQUIRE(1 + 1 == 2);
	ATF_REQUIRE_MSG(buf[0] == 'a', "buf[0] is %c", buf[0]);
	ATF_REQUIRE_MSG(true, "a message without arguments");
	ATF_REQUIRE_EQ(strlen(buf), 3);
	ATF_REQUIRE_EQ_MSG(i++, 0, "i was %d", i);
	ATF_REQUIRE_EQ(i, 1);		/* i++ ran once */
	ATF_REQUIRE_STREQ(counted(buf), "abc");
	ATF_REQUIRE_EQ(calls, 1);	/* and so did counted() */
	ATF_REQUIRE_STREQ_MSG(buf, "abc", "buf is %s", buf);
	ATF_REQUIRE_ERRNO(EBADF, close(-1) == -1);
	ATF_REQUIRE_ERRNO(ENOENT, open("/etc/no_such_file", O_RDONLY) == -1);
}

ATF_TC(check);
ATF_TC_HEAD(check, tc)
{
	atf_tc_set_md_var(tc, "descr", "ATF_CHECK* pass when they hold");
}
ATF_TC_BODY(check, tc)
{
	int i = 0;

	ATF_CHECK(i == 0);
	ATF_CHECK_MSG(i == 0, "i is %d", i);
	ATF_CHECK_EQ(i++, 0);
	ATF_CHECK_EQ_MSG(i, 1, "i++ ran %d times", i);
	ATF_CHECK_STREQ(counted("x"), "x");
	ATF_CHECK_EQ(calls, 1);
	ATF_CHECK_STREQ_MSG("x", "x", "no arguments");
	ATF_CHECK_ERRNO(EBADF, close(99) == -1);
}

/* Metadata: set by the head, seen by the body (its child inherits it). */
ATF_TC(md_vars);
ATF_TC_HEAD(md_vars, tc)
{
	atf_tc_set_md_var(tc, "descr", "metadata the head set");
	atf_tc_set_md_var(tc, "X-answer", "%d", 41);
	atf_tc_set_md_var(tc, "X-answer", "%d", 42);	/* replaces it */
	atf_tc_set_md_var(tc, "timeout", "10");
}
ATF_TC_BODY(md_vars, tc)
{
	ATF_REQUIRE(atf_tc_has_md_var(tc, "X-answer"));
	ATF_REQUIRE_STREQ(atf_tc_get_md_var(tc, "X-answer"), "42");
	ATF_REQUIRE_STREQ(atf_tc_get_md_var(tc, "timeout"), "10");
	ATF_REQUIRE_STREQ(atf_tc_get_md_var(tc, "ident"), "md_vars");
	ATF_REQUIRE_STREQ(atf_tc_get_ident(tc), "md_vars");
	ATF_REQUIRE(!atf_tc_has_md_var(tc, "X-unset"));
	ATF_REQUIRE(atf_tc_get_md_var(tc, "X-unset") == NULL);
	ATF_REQUIRE(!atf_tc_has_config_var(tc, "srcdir"));
	ATF_REQUIRE_STREQ(atf_tc_get_config_var_wd(tc, "srcdir", "."), ".");
}

ATF_TC_WITHOUT_HEAD(without_head);
ATF_TC_BODY(without_head, tc)
{
	ATF_REQUIRE(!atf_tc_has_md_var(tc, "descr"));
}

/* Each case runs in a child: what one changes, the next never sees. */
static int scribble;

ATF_TC_WITHOUT_HEAD(own_process_1);
ATF_TC_BODY(own_process_1, tc)
{
	ATF_REQUIRE_EQ(scribble, 0);
	scribble = 1;
}

ATF_TC_WITHOUT_HEAD(own_process_2);
ATF_TC_BODY(own_process_2, tc)
{
	ATF_REQUIRE_EQ(scribble, 0);
	ATF_REQUIRE(getpid() != getppid());
}

/*
 * The watchdog (the time limit's process, a sibling of the case's) is
 * there before the case starts, never appearing beside it: tests that
 * count the system's LWPs or memory before and after (t_lwp_wait's
 * detached_zombies_freed) saw it come late under load.  Forked first,
 * it has the smaller pid (30 000 pids: no wrap within one program).
 */
ATF_TC_WITHOUT_HEAD(watchdog_before_case);
ATF_TC_BODY(watchdog_before_case, tc)
{
	struct kinfo_lwp *kl;
	size_t n, i;
	int older = 0, younger = 0;

	ATF_REQUIRE((kl = kinfo_getlwps(&n)) != NULL);
	for (i = 0; i < n; i++) {
		if (kl[i].l_ppid != getppid() || kl[i].l_pid == getpid())
			continue;
		if (kl[i].l_pid < getpid())
			older++;
		else
			younger++;
	}
	free(kl);
	ATF_REQUIRE_EQ_MSG(younger, 0, "a sibling forked after the case "
	    "started (the watchdog, late)");
	ATF_REQUIRE_EQ_MSG(older, 1, "%d older siblings: the watchdog "
	    "should be the one", older);
}

ATF_TC_WITHOUT_HEAD(pass_early);
ATF_TC_BODY(pass_early, tc)
{
	atf_tc_pass();
	atf_tc_fail("atf_tc_pass returned");
}

/* Expected failures: each passes as "expected failure". */
ATF_TC_WITHOUT_HEAD(expect_fail_require);
ATF_TC_BODY(expect_fail_require, tc)
{
	atf_tc_expect_fail("a failing ATF_REQUIRE_EQ");
	ATF_REQUIRE_EQ(1 + 1, 3);
	atf_tc_fail("ATF_REQUIRE_EQ returned");
}

ATF_TC_WITHOUT_HEAD(expect_fail_check);
ATF_TC_BODY(expect_fail_check, tc)
{
	atf_tc_expect_fail("failing checks");
	ATF_CHECK_STREQ("a", "b");
	atf_tc_fail_nonfatal("a nonfatal failure");
	atf_tc_expect_pass();		/* met: at least one failure */
	ATF_CHECK(true);
}

ATF_TC_WITHOUT_HEAD(expect_fail_fail);
ATF_TC_BODY(expect_fail_fail, tc)
{
	atf_tc_expect_fail("atf_tc_fail");
	atf_tc_fail("failing on purpose");
}

/*
 * Deaths, when expected, pass too.  (The write to 0 goes through a
 * pointer the compiler cannot see is NULL, or it might emit a trap
 * instruction instead: SIGILL.)
 */
static volatile int *volatile nowhere;

/* The write itself, which SANITIZE=undefined's null check must let
 * happen (not inlined: gcc would check it in its caller): the fault is
 * what this case is about. */
static void __attribute__((__noinline__, __no_sanitize__("null")))
write_nowhere(void)
{
	*nowhere = 1;
}

ATF_TC_WITHOUT_HEAD(expect_signal);
ATF_TC_BODY(expect_signal, tc)
{
	atf_tc_expect_signal(SIGSEGV, "a write to address 0");
	write_nowhere();
}

ATF_TC_WITHOUT_HEAD(expect_exit);
ATF_TC_BODY(expect_exit, tc)
{
	atf_tc_expect_exit(3, "exit(3)");
	exit(3);
}

ATF_TC_WITHOUT_HEAD(expect_death);
ATF_TC_BODY(expect_death, tc)
{
	atf_tc_expect_death("_exit(9)");
	_exit(9);
}

/*
 * A cleanup runs after its body, in a child of its own.  They and the
 * case after them share a page the head maps (the head runs in the
 * parent, before any fork): 1 when the body ran, 2 when the cleanup
 * ran after it.
 */
static volatile int *stage;

ATF_TC_WITH_CLEANUP(cleanup);
ATF_TC_HEAD(cleanup, tc)
{
	atf_tc_set_md_var(tc, "descr", "the cleanup runs after the body");
	stage = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANON, -1, 0);
	if (stage == MAP_FAILED)
		stage = NULL;
}
ATF_TC_BODY(cleanup, tc)
{
	ATF_REQUIRE(stage != NULL);
	*stage = 1;
}
ATF_TC_CLEANUP(cleanup, tc)
{
	if (stage != NULL && *stage == 1 &&
	    strcmp(atf_tc_get_ident(tc), "cleanup") == 0)
		*stage = 2;
}

ATF_TC_WITHOUT_HEAD(cleanup_ran);
ATF_TC_BODY(cleanup_ran, tc)
{
	ATF_REQUIRE(stage != NULL);
	ATF_REQUIRE_EQ_MSG(*stage, 2, "the cleanup %s",
	    *stage == 1 ? "did not run" : "ran before the body");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, require);
	ATF_TP_ADD_TC(tp, check);
	ATF_TP_ADD_TC(tp, md_vars);
	ATF_TP_ADD_TC(tp, without_head);
	ATF_TP_ADD_TC(tp, own_process_1);
	ATF_TP_ADD_TC(tp, own_process_2);
	ATF_TP_ADD_TC(tp, watchdog_before_case);
	ATF_TP_ADD_TC(tp, pass_early);
	ATF_TP_ADD_TC(tp, expect_fail_require);
	ATF_TP_ADD_TC(tp, expect_fail_check);
	ATF_TP_ADD_TC(tp, expect_fail_fail);
	ATF_TP_ADD_TC(tp, expect_signal);
	ATF_TP_ADD_TC(tp, expect_exit);
	ATF_TP_ADD_TC(tp, expect_death);
	ATF_TP_ADD_TC(tp, cleanup);
	ATF_TP_ADD_TC(tp, cleanup_ran);
	return atf_no_error();
}

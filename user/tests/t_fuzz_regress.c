/*
 * t_fuzz_regress: one case for each kernel bug the system-call fuzzer
 * (/bin/fuzz, user/bin/fuzz.c) found, each written to fail (or take the
 * kernel down) without its fix.  The commit that fixed the bug says
 * which run of the fuzzer found it.
 */
#include <kinfo.h>
#include <stdlib.h>

#include "h_lwp.h"

/*
 * struct lwps the kernel has allocated (kern.memstat) but does not list
 * (kern.lwp lists every LWP, zombies too, until it is freed): leaked
 * ones.  Not affected by processes that come and go meanwhile (ATF's
 * watchdog), as long as two reads in a row agree.
 */
static long
unlisted_lwps(void)
{
	long prev = -1, n;

	for (int i = 0; i < 100; i++) {
		struct kinfo_lwp *kl;
		size_t nl;

		REQUIRE_LIBC(kl = kinfo_getlwps(&nl), NULL);
		n = (long)h_memstat().km_lwps - (long)nl;
		free(kl);
		if (n == prev)
			return n;
		prev = n;
	}
	atf_tc_fail("the LWP counts never settled");
}

/*
 * A detached LWP that only exits: every LWP running it pushes the same
 * return address at the same place, so they can all share one stack.
 */
static char churn_stack[H_STACKSIZE] __attribute__((aligned(16)));

static void
churn(void *arg)
{
	for (;;)
		_lwp_exit();
}

/*
 * The process exits while detached LWPs are exiting on other CPUs.
 * exit_lwps (exit1) waited only until every other LWP was counted in
 * p_nzlwps, which lwp_exit does first, before it may drop p_lock (to
 * free the previous detached zombie, to drain references) and long
 * before the LWP is LSZOMB: exit_lwps then freed an LWP still in
 * lwp_exit ("l->l_stat == LSZOMB" failed in lwp_free, or worse).
 */
static void
exit_amid_exits(void)
{
	ucontext_t uc;
	lwpid_t lid;

	_lwp_makecontext(&uc, churn, NULL, NULL, churn_stack,
	    sizeof(churn_stack));
	for (int i = 0; i < 24; i++)
		if (_lwp_create(&uc, LWP_DETACHED, &lid) != 0)
			_exit(2);
	_exit(0);
}

ATF_TC(exit_while_detached_lwps_exit);
ATF_TC_HEAD(exit_while_detached_lwps_exit, tc)
{
	atf_tc_set_md_var(tc, "descr", "exit() of a process whose detached "
	    "LWPs are exiting at the same moment frees each LWP once, and "
	    "only after it is a zombie");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(exit_while_detached_lwps_exit, tc)
{
	long before, after;
	int st;

	before = unlisted_lwps();
	for (int round = 0; round < 300; round++) {
		st = h_in_child(exit_amid_exits);
		ATF_REQUIRE_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		    "round %d: wait status %#x", round, st);
	}
	after = unlisted_lwps();
	ATF_REQUIRE_EQ_MSG(after, before, "struct lwps allocated but on no "
	    "list: %ld before, %ld after", before, after);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, exit_while_detached_lwps_exit);
	return atf_no_error();
}

/*
 * t_lwp_suspend: _lwp_suspend(2), _lwp_continue(2) and _lwp_wakeup(2).
 * Suspension is asked for with LW_WSUSPEND and happens at the kernel
 * boundary (lwp_userret); _lwp_suspend returns only once the target
 * is SUSPENDED.  An interruptible sleep (park, _lwp_wait) is cut short
 * for it; an uninterruptible one (nanosleep) ends first.
 */
#include <sys/wait.h>

#include "h_lwp.h"

static volatile int counter, stop;

static void
spinner(void *arg)
{
	while (!stop)
		counter++;
	_lwp_exit();
}

/* Is counter frozen over ~30 ms?  (A suspended LWP never moves it, so
 * this cannot fail falsely; it can only miss a short run.) */
static bool
frozen(void)
{
	int c = counter;

	usleep(30000);
	return counter == c;
}

/* Does counter move (its LWP runs)?  Waits for it, not for a fixed
 * time: on a busy machine (a soak) 30 ms may pass without its turn.
 * 10 s is a backstop, not a bound. */
static bool
runs(void)
{
	int c = counter;

	for (int i = 0; i < 1000; i++) {
		if (counter != c)
			return true;
		usleep(10000);
	}
	return false;
}

ATF_TC(suspend_continue_running);
ATF_TC_HEAD(suspend_continue_running, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_suspend of a running LWP "
	    "returns with it SUSPENDED and not running; _lwp_continue runs "
	    "it again; both are idempotent");
}
ATF_TC_BODY(suspend_continue_running, tc)
{
	lwpid_t lid;

	stop = 0;
	lid = h_lwp_start(0, spinner, NULL, 0);
	ATF_REQUIRE(runs());
	RL(_lwp_suspend(lid));
	ATF_REQUIRE_EQ(h_lwp_stat(lid), LSSUSPENDED);
	ATF_REQUIRE(frozen());
	RL(_lwp_suspend(lid));			/* again: no change */
	ATF_REQUIRE_EQ(h_lwp_stat(lid), LSSUSPENDED);
	RL(_lwp_continue(lid));
	ATF_REQUIRE(runs());
	RL(_lwp_continue(lid));			/* not suspended: 0 */
	stop = 1;
	RL(_lwp_wait(lid, NULL));
}

ATF_TC(suspend_errors);
ATF_TC_HEAD(suspend_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "no such LWP: ESRCH for both calls; "
	    "suspending oneself as the only running LWP: EDEADLK");
}
ATF_TC_BODY(suspend_errors, tc)
{
	lwpid_t lid;

	ATF_REQUIRE_ERRNO(ESRCH, _lwp_suspend(999) == -1);
	ATF_REQUIRE_ERRNO(ESRCH, _lwp_continue(999) == -1);
	ATF_REQUIRE_ERRNO(EDEADLK, _lwp_suspend(_lwp_self()) == -1);
	/* A suspended LWP does not run: still the only running one. */
	lid = h_lwp_start(0, spinner, NULL, LWP_SUSPENDED);
	ATF_REQUIRE_ERRNO(EDEADLK, _lwp_suspend(_lwp_self()) == -1);
	stop = 1;
	RL(_lwp_continue(lid));
	RL(_lwp_wait(lid, NULL));
}

static volatile int self_ret = -2, self_err;

static void
suspend_self(void *arg)
{
	self_ret = _lwp_suspend(_lwp_self());
	self_err = errno;
	_lwp_exit();
}

ATF_TC(suspend_self);
ATF_TC_HEAD(suspend_self, tc)
{
	atf_tc_set_md_var(tc, "descr", "an LWP may suspend itself while "
	    "another runs; its _lwp_suspend returns 0 once continued");
}
ATF_TC_BODY(suspend_self, tc)
{
	lwpid_t lid;

	lid = h_lwp_start(0, suspend_self, NULL, 0);
	ATF_REQUIRE(h_lwp_wait_stat(lid, LSSUSPENDED));
	ATF_REQUIRE_EQ(self_ret, -2);
	RL(_lwp_continue(lid));
	RL(_lwp_wait(lid, NULL));
	ATF_REQUIRE_EQ_MSG(self_ret, 0, "errno %d", self_err);
}

static volatile int park_ret = -2, park_err, parks;

static void
parker(void *arg)
{
	park_ret = _lwp_park(CLOCK_MONOTONIC, 0, NULL, 0, NULL, NULL);
	park_err = errno;
	parks++;
	_lwp_exit();
}

ATF_TC(suspend_parked);
ATF_TC_HEAD(suspend_parked, tc)
{
	atf_tc_set_md_var(tc, "descr", "a parked LWP (an interruptible "
	    "sleep) is suspended at once; continued, its park returns "
	    "EINTR, the spurious wakeup park(2) allows");
}
ATF_TC_BODY(suspend_parked, tc)
{
	lwpid_t lid;

	lid = h_lwp_start(0, parker, NULL, 0);
	ATF_REQUIRE(h_lwp_wait_stat(lid, LSSLEEP));
	RL(_lwp_suspend(lid));
	ATF_REQUIRE_EQ(h_lwp_stat(lid), LSSUSPENDED);
	ATF_REQUIRE_EQ(parks, 0);
	RL(_lwp_continue(lid));
	RL(_lwp_wait(lid, NULL));
	ATF_REQUIRE_EQ(park_ret, -1);
	ATF_REQUIRE_EQ(park_err, EINTR);
}

static volatile int napped;

static void
napper(void *arg)
{
	struct timespec ts = { 0, 200 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	napped = 1;
	while (!stop)
		counter++;
	_lwp_exit();
}

ATF_TC(suspend_in_nanosleep);
ATF_TC_HEAD(suspend_in_nanosleep, tc)
{
	atf_tc_set_md_var(tc, "descr", "an LWP in nanosleep is suspended "
	    "in the middle of it, before it returns to user code, and "
	    "sleeps on for the time left when continued");
}
ATF_TC_BODY(suspend_in_nanosleep, tc)
{
	lwpid_t lid;

	stop = 0;
	lid = h_lwp_start(0, napper, NULL, 0);
	ATF_REQUIRE(h_lwp_wait_stat(lid, LSSLEEP));
	RL(_lwp_suspend(lid));
	ATF_REQUIRE_EQ(h_lwp_stat(lid), LSSUSPENDED);
	ATF_REQUIRE_EQ(napped, 0);		/* stopped before user code */
	RL(_lwp_continue(lid));
	ATF_REQUIRE(h_until(&napped, 1));
	stop = 1;
	RL(_lwp_wait(lid, NULL));
}

static volatile int waiter_ret = -2, waiter_err;
static volatile lwpid_t waiter_for;

static void
waiter(void *arg)
{
	waiter_ret = _lwp_wait(waiter_for, NULL);
	waiter_err = errno;
	_lwp_exit();
}

ATF_TC(suspend_waiter_restarts);
ATF_TC_HEAD(suspend_waiter_restarts, tc)
{
	atf_tc_set_md_var(tc, "descr", "an LWP suspended inside _lwp_wait "
	    "(cut short with ERESTART) goes back to waiting when continued, "
	    "unaware: its _lwp_wait still collects its target");
}
ATF_TC_BODY(suspend_waiter_restarts, tc)
{
	lwpid_t target, w;

	target = h_lwp_start(0, parker, NULL, 0);
	waiter_for = target;
	w = h_lwp_start(1, waiter, NULL, 0);
	ATF_REQUIRE(h_lwp_wait_stat(w, LSSLEEP));
	RL(_lwp_suspend(w));
	ATF_REQUIRE_EQ(h_lwp_stat(w), LSSUSPENDED);
	RL(_lwp_continue(w));
	ATF_REQUIRE(h_lwp_wait_stat(w, LSSLEEP));
	RL(_lwp_unpark(target, NULL));
	RL(_lwp_wait(w, NULL));
	ATF_REQUIRE_EQ_MSG(waiter_ret, 0, "errno %d", waiter_err);
}

ATF_TC(wakeup_contract);
ATF_TC_HEAD(wakeup_contract, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_wakeup: ESRCH for no LWP, "
	    "ENODEV for one not asleep, EBUSY for an uninterruptible "
	    "sleep (a lock), and an interruptible sleep returns EINTR");
}
ATF_TC_BODY(wakeup_contract, tc)
{
	lwpid_t lid;

	ATF_REQUIRE_ERRNO(ESRCH, _lwp_wakeup(777) == -1);

	stop = 0;
	lid = h_lwp_start(0, spinner, NULL, 0);
	ATF_REQUIRE(runs());
	ATF_REQUIRE_ERRNO(ENODEV, _lwp_wakeup(lid) == -1);
	stop = 1;
	RL(_lwp_wait(lid, NULL));

	/* Waiting for the console's read lock: uninterruptible. */
	{
		static volatile int err1 = -1, err2 = -1;
		lwpid_t holder, waiter;

		holder = h_lwp_start(1, h_console_reader, (void *)&err1, 0);
		ATF_REQUIRE(h_lwp_wait_wmesg(holder, "ttyin"));
		waiter = h_lwp_start(2, h_console_reader, (void *)&err2, 0);
		ATF_REQUIRE(h_lwp_wait_wmesg(waiter, "tstile"));
		ATF_REQUIRE_ERRNO(EBUSY, _lwp_wakeup(waiter) == -1);
		RL(_lwp_wakeup(holder));
		RL(_lwp_wait(holder, NULL));
		RL(_lwp_wait(waiter, NULL));
		ATF_REQUIRE_EQ(err1, EINTR);
		ATF_REQUIRE_EQ(err2, EINTR);	/* (the wakeup was kept) */
	}

	park_ret = -2;
	lid = h_lwp_start(0, parker, NULL, 0);
	ATF_REQUIRE(h_lwp_wait_stat(lid, LSSLEEP));
	RL(_lwp_wakeup(lid));
	RL(_lwp_wait(lid, NULL));
	ATF_REQUIRE_EQ(park_ret, -1);
	ATF_REQUIRE_EQ(park_err, EINTR);
}

ATF_TC(exit_takes_suspended);
ATF_TC_HEAD(exit_takes_suspended, tc)
{
	atf_tc_set_md_var(tc, "descr", "ps shows SUSPENDED LWPs; process "
	    "exit takes suspended LWPs too (exit status kept)");
}
ATF_TC_BODY(exit_takes_suspended, tc)
{
	pid_t pid;
	int status;

	RL(pid = fork());
	if (pid == 0) {
		lwpid_t a, b;

		stop = 0;
		a = h_lwp_start(0, spinner, NULL, 0);
		b = h_lwp_start(1, spinner, NULL, LWP_SUSPENDED);
		if (_lwp_suspend(a) != 0 || h_lwp_stat(a) != LSSUSPENDED ||
		    h_lwp_stat(b) != LSSUSPENDED)
			_exit(1);
		exit(5);
	}
	RL(waitpid(pid, &status, 0));
	ATF_REQUIRE(WIFEXITED(status));
	ATF_REQUIRE_EQ(WEXITSTATUS(status), 5);
}

ATF_TC(suspended_lwp_migrates);
ATF_TC_HEAD(suspended_lwp_migrates, tc)
{
	atf_tc_set_md_var(tc, "descr", "lwp_migrate's LSSUSPENDED case: "
	    "an affinity change moves a suspended LWP to an allowed CPU at "
	    "once (its l_cpu), and it runs there when continued");
}
ATF_TC_BODY(suspended_lwp_migrates, tc)
{
	struct kinfo_lwp k;
	lwpid_t lid;
	int ncpu, target;

	if ((ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN)) < 2)
		atf_tc_skip("needs two CPUs");
	stop = 0;
	lid = h_lwp_start(0, spinner, NULL, LWP_SUSPENDED);
	ATF_REQUIRE(h_lwp_info(lid, &k));
	target = (k.l_cpuid + 1) % ncpu;
	RL(h_pin_lwp(lid, target));
	ATF_REQUIRE(h_lwp_info(lid, &k));
	ATF_REQUIRE_EQ(k.l_stat, LSSUSPENDED);
	ATF_REQUIRE_EQ(k.l_cpuid, target);
	ATF_REQUIRE_EQ(h_lwp_affinity_cpu(&k), target);
	RL(_lwp_continue(lid));
	ATF_REQUIRE(runs());
	ATF_REQUIRE(h_lwp_info(lid, &k));
	ATF_REQUIRE_EQ(k.l_cpuid, target);
	stop = 1;
	RL(_lwp_wait(lid, NULL));
}

/*
 * A suspension called off before it happened: A asks for B's
 * suspension and waits; C continues B before B reaches the kernel
 * boundary where it would have suspended.  A must return (0), not
 * wait for a suspension that will never come.  All three share CPU 0,
 * C queued ahead of B, so C runs first while A waits.
 */
static volatile lwpid_t cont_target;

static void
continuer(void *arg)
{
	(void)_lwp_continue(cont_target);
	/* Not _lwp_exit yet: an exit wakes every p_lwpcv waiter, A too. */
	while (!stop)
		usleep(1000);
	_lwp_exit();
}

ATF_TC(continue_before_suspension_wakes_suspender);
ATF_TC_HEAD(continue_before_suspension_wakes_suspender, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_continue of an LWP whose "
	    "suspension is asked for but not taken yet wakes the LWP "
	    "waiting in _lwp_suspend");
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(continue_before_suspension_wakes_suspender, tc)
{
	lwpid_t b, c;

	RL(h_pin_lwp(_lwp_self(), 0));		/* (they inherit it) */
	stop = 0;
	cont_target = 0;
	c = h_lwp_start(1, continuer, NULL, 0);
	b = h_lwp_start(0, spinner, NULL, 0);
	cont_target = b;
	RL(_lwp_suspend(b));			/* (hung here) */
	stop = 1;
	RL(_lwp_continue(b));			/* if it did suspend */
	RL(_lwp_wait(b, NULL));
	RL(_lwp_wait(c, NULL));
	RL(h_pin_lwp(_lwp_self(), -1));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, suspend_continue_running);
	ATF_TP_ADD_TC(tp, suspend_errors);
	ATF_TP_ADD_TC(tp, suspend_self);
	ATF_TP_ADD_TC(tp, suspend_parked);
	ATF_TP_ADD_TC(tp, suspend_in_nanosleep);
	ATF_TP_ADD_TC(tp, suspend_waiter_restarts);
	ATF_TP_ADD_TC(tp, wakeup_contract);
	ATF_TP_ADD_TC(tp, exit_takes_suspended);
	ATF_TP_ADD_TC(tp, suspended_lwp_migrates);
	ATF_TP_ADD_TC(tp, continue_before_suspension_wakes_suspender);
	return atf_no_error();
}

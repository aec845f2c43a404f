/*
 * t_sleep: sleeps as user space sees them (sleepq_block in
 * kern_sleepq.c; lab sleepq).  An interruptible sleep ends early for a
 * signal (EINTR; with SA_RESTART the system call starts again) and for
 * _lwp_wakeup (EINTR), and does not start at all when one of them is
 * already pending -- posted while the LWP was on its way to sleep, when
 * it was not asleep yet, so nobody woke it: the sleep itself must look.  Each case waits for the state it needs (an
 * LWP asleep, as kern.lwp shows it, like ps), never for a length of
 * time; a sleep that never ends is caught by the case's time limit.
 */
#include <sys/wait.h>
#include <signal.h>

#include "h_lwp.h"

static volatile int hits;

static void
count(int sig)
{
	hits++;
}

static void
catch(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count;
	sa.sa_flags = flags;
	RL(sigaction(sig, &sa, NULL));
}

/* One LWP's nanosleep or _lwp_wait, and how it ended. */
struct sleeper {
	volatile int	go;		/* (spinning until set) */
	volatile int	started;
	volatile int	done;
	volatile int	rv;
	volatile int	err;
	volatile lwpid_t wait_for;	/* _lwp_wait's target */
};

static void
nap_main(void *arg)
{
	struct sleeper *s = arg;
	struct timespec ts = { 60, 0 };

	__atomic_store_n(&s->started, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&s->go, __ATOMIC_ACQUIRE))
		continue;
	s->rv = nanosleep(&ts, NULL);
	s->err = errno;
	__atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
}

static void
wait_main(void *arg)
{
	struct sleeper *s = arg;

	s->rv = _lwp_wait(s->wait_for, NULL);
	s->err = errno;
	__atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
}

static volatile int parker_stop;

static void
parker_main(void *arg)
{
	while (!parker_stop)
		_lwp_park(CLOCK_MONOTONIC, 0, NULL, 0, NULL, NULL);
}

ATF_TC(pending_signal_no_sleep);
ATF_TC_HEAD(pending_signal_no_sleep, tc)
{
	atf_tc_set_md_var(tc, "descr", "a signal already pending (posted "
	    "while blocked) when sigsuspend lets it in: the interruptible "
	    "sleep does not start, EINTR at once after the handler ran");
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(pending_signal_no_sleep, tc)
{
	sigset_t block, empty;

	hits = 0;
	catch(SIGUSR1, 0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	RL(sigprocmask(SIG_BLOCK, &block, NULL));
	RL(raise(SIGUSR1));
	ATF_REQUIRE_EQ(hits, 0);
	sigemptyset(&empty);
	ATF_REQUIRE_ERRNO(EINTR, sigsuspend(&empty) == -1);
	ATF_REQUIRE_EQ(hits, 1);
}

ATF_TC(wakeup_pending_no_sleep);
ATF_TC_HEAD(wakeup_pending_no_sleep, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_wakeup of an LWP that is not "
	    "asleep yet (ENODEV) cancels its next interruptible sleep: its "
	    "nanosleep(60 s) returns EINTR at once");
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(wakeup_pending_no_sleep, tc)
{
	struct sleeper s = { 0 };
	lwpid_t lid;

	lid = h_lwp_start(0, nap_main, &s, 0);
	ATF_REQUIRE(h_until(&s.started, 1));
	ATF_REQUIRE_ERRNO(ENODEV, _lwp_wakeup(lid) == -1);
	__atomic_store_n(&s.go, 1, __ATOMIC_RELEASE);
	RL(_lwp_wait(lid, NULL));
	ATF_REQUIRE_EQ(s.done, 1);
	ATF_REQUIRE_EQ_MSG(s.rv, -1, "nanosleep returned %d", s.rv);
	ATF_REQUIRE_EQ(s.err, EINTR);
}

ATF_TC(signal_interrupts_sleep);
ATF_TC_HEAD(signal_interrupts_sleep, tc)
{
	atf_tc_set_md_var(tc, "descr", "a signal for an LWP asleep in "
	    "nanosleep(60 s): the handler runs and nanosleep returns "
	    "EINTR; _lwp_wakeup of the next such sleep: EINTR too");
	atf_tc_set_md_var(tc, "timeout", "30");
}
ATF_TC_BODY(signal_interrupts_sleep, tc)
{
	struct sleeper s = { .go = 1 };
	lwpid_t lid;

	hits = 0;
	catch(SIGUSR1, SA_RESTART);	/* nanosleep is never restarted */
	lid = h_lwp_start(0, nap_main, &s, 0);
	ATF_REQUIRE(h_lwp_wait_wmesg(lid, "nanoslp"));
	RL(_lwp_kill(lid, SIGUSR1));
	RL(_lwp_wait(lid, NULL));
	ATF_REQUIRE_EQ(hits, 1);
	ATF_REQUIRE_EQ_MSG(s.rv, -1, "nanosleep returned %d", s.rv);
	ATF_REQUIRE_EQ(s.err, EINTR);

	memset(&s, 0, sizeof(s));
	s.go = 1;
	lid = h_lwp_start(0, nap_main, &s, 0);
	ATF_REQUIRE(h_lwp_wait_wmesg(lid, "nanoslp"));
	RL(_lwp_wakeup(lid));
	RL(_lwp_wait(lid, NULL));
	ATF_REQUIRE_EQ_MSG(s.rv, -1, "nanosleep returned %d", s.rv);
	ATF_REQUIRE_EQ(s.err, EINTR);
}

/* _lwp_wait for a parked LWP, interrupted by a signal caught with
 * `flags'; returns what the waiter's _lwp_wait did. */
static void
interrupted_wait(int flags, struct sleeper *w)
{
	lwpid_t p, lw;

	parker_stop = 0;
	hits = 0;
	catch(SIGUSR1, flags);
	memset(w, 0, sizeof(*w));
	p = h_lwp_start(0, parker_main, NULL, 0);
	w->wait_for = p;
	lw = h_lwp_start(1, wait_main, w, 0);
	ATF_REQUIRE(h_lwp_wait_wmesg(lw, "lwpwait"));
	RL(_lwp_kill(lw, SIGUSR1));
	ATF_REQUIRE(h_until(&hits, 1));
	if (flags & SA_RESTART)
		/* Waiting again, unaware, before its target goes. */
		ATF_REQUIRE(h_lwp_wait_wmesg(lw, "lwpwait"));
	else
		ATF_REQUIRE(h_until(&w->done, 1));
	parker_stop = 1;
	RL(_lwp_unpark(p, NULL));
	RL(_lwp_wait(lw, NULL));
	if (!(flags & SA_RESTART))
		RL(_lwp_wait(p, NULL));
}

ATF_TC(sa_restart_restarts_sleep);
ATF_TC_HEAD(sa_restart_restarts_sleep, tc)
{
	atf_tc_set_md_var(tc, "descr", "a signal for an LWP asleep in "
	    "_lwp_wait: with SA_RESTART the handler runs and the call "
	    "sleeps again (ERESTART) until its target exits; without, the "
	    "call fails with EINTR");
	atf_tc_set_md_var(tc, "timeout", "40");
}
ATF_TC_BODY(sa_restart_restarts_sleep, tc)
{
	struct sleeper w;

	interrupted_wait(SA_RESTART, &w);
	ATF_REQUIRE_EQ(w.done, 1);
	ATF_REQUIRE_EQ_MSG(w.rv, 0, "_lwp_wait: %d, errno %d", w.rv, w.err);
	interrupted_wait(0, &w);
	ATF_REQUIRE_EQ_MSG(w.rv, -1, "_lwp_wait: %d", w.rv);
	ATF_REQUIRE_EQ(w.err, EINTR);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, pending_signal_no_sleep);
	ATF_TP_ADD_TC(tp, wakeup_pending_no_sleep);
	ATF_TP_ADD_TC(tp, signal_interrupts_sleep);
	ATF_TP_ADD_TC(tp, sa_restart_restarts_sleep);
	return atf_no_error();
}

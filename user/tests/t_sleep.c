/*
 * t_sleep: sleeps as user space sees them (sleepq_block in
 * kern_sleepq.c; lab sleepq).  An interruptible sleep ends early for a
 * signal (EINTR; with SA_RESTART the system call starts again) and for
 * _lwp_wakeup (EINTR) and for a suspension (ERESTART: it starts again
 * once continued), and does not start at all when one of them is
 * already pending -- posted while the LWP was on its way to sleep, when
 * it was not asleep yet, so nobody woke it: the sleep itself must look;
 * a timed sleep of a stopped process still times out, and the process
 * runs on when continued.  Each case waits for the state it needs (an
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

/*
 * One LWP's sleep, and how it ended.  (No _lwp_wait or _lwp_park here:
 * those are other labs' code, and lab sleepq must not need them.  An
 * LWP says it is done, and stays a zombie until the case's process
 * exits; each gets a stack slot of its own.)
 */
struct sleeper {
	volatile int	go;		/* (spinning until set) */
	volatile int	started;
	volatile int	done;
	volatile int	rv;
	volatile int	err;
	volatile pid_t	wait_for;	/* waitpid's child */
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
waitpid_main(void *arg)
{
	struct sleeper *s = arg;
	int st;

	s->rv = waitpid(s->wait_for, &st, 0);
	s->err = errno;
	__atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
}

/* A child that waits to be killed. */
static pid_t
victim(void)
{
	pid_t pid;

	RL(pid = fork());
	if (pid == 0)
		for (;;)
			h_sleep_ms(100000);
	return pid;
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
	h_catch(SIGUSR1, count, 0);
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
	    "asleep (ENODEV: ourselves, running) cancels its next "
	    "interruptible sleep: nanosleep(60 s) returns EINTR at once");
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(wakeup_pending_no_sleep, tc)
{
	struct timespec ts = { 60, 0 };

	ATF_REQUIRE_ERRNO(ENODEV, _lwp_wakeup(_lwp_self()) == -1);
	ATF_REQUIRE_ERRNO(EINTR, nanosleep(&ts, NULL) == -1);
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
	static struct sleeper s1 = { .go = 1 }, s2 = { .go = 1 };
	lwpid_t lid;

	hits = 0;
	h_catch(SIGUSR1, count, SA_RESTART);	/* nanosleep never restarts */
	lid = h_lwp_start(0, nap_main, &s1, 0);
	ATF_REQUIRE(h_lwp_wait_wmesg(lid, "nanoslp"));
	RL(_lwp_kill(lid, SIGUSR1));
	ATF_REQUIRE(h_until(&s1.done, 1));
	ATF_REQUIRE_EQ(hits, 1);
	ATF_REQUIRE_EQ_MSG(s1.rv, -1, "nanosleep returned %d", s1.rv);
	ATF_REQUIRE_EQ(s1.err, EINTR);

	lid = h_lwp_start(1, nap_main, &s2, 0);
	ATF_REQUIRE(h_lwp_wait_wmesg(lid, "nanoslp"));
	RL(_lwp_wakeup(lid));
	ATF_REQUIRE(h_until(&s2.done, 1));
	ATF_REQUIRE_EQ_MSG(s2.rv, -1, "nanosleep returned %d", s2.rv);
	ATF_REQUIRE_EQ(s2.err, EINTR);
}

/* An LWP of ours in waitpid for a child that waits to be killed,
 * interrupted by `how' (0: SIGUSR1 caught with `flags'; 1: _lwp_suspend
 * then _lwp_continue); then the child is killed.  What its waitpid did
 * is in *w, and whether it slept again after the interruption is the
 * return value (the call restarted). */
static bool
interrupted_waitpid(int slot, int how, int flags, struct sleeper *w)
{
	bool again = false;
	lwpid_t lw;
	int st;

	hits = 0;
	h_catch(SIGUSR1, count, flags);
	memset(w, 0, sizeof(*w));
	w->wait_for = victim();
	lw = h_lwp_start(slot, waitpid_main, w, 0);
	ATF_REQUIRE(h_lwp_wait_wmesg(lw, "wait"));
	if (how == 0) {
		RL(_lwp_kill(lw, SIGUSR1));
		ATF_REQUIRE(h_until(&hits, 1));
	} else {
		RL(_lwp_suspend(lw));	/* returns once it is suspended */
		ATF_REQUIRE_EQ(h_lwp_stat(lw), LSSUSPENDED);
		RL(_lwp_continue(lw));
	}
	/* Restarted: asleep in waitpid again, unaware; else it is done. */
	for (int i = 0; i < 2000 && !again && !w->done; i++) {
		struct kinfo_lwp k;

		again = h_lwp_info(lw, &k) && k.l_stat == LSSLEEP &&
		    strcmp(k.l_wmesg, "wait") == 0;
		if (!again)
			usleep(5000);
	}
	RL(kill(w->wait_for, SIGKILL));
	ATF_REQUIRE(h_until(&w->done, 1));
	if (w->rv != w->wait_for)
		RL(waitpid(w->wait_for, &st, 0));
	return again;
}

ATF_TC(sa_restart_restarts_sleep);
ATF_TC_HEAD(sa_restart_restarts_sleep, tc)
{
	atf_tc_set_md_var(tc, "descr", "a signal for an LWP asleep in "
	    "waitpid: with SA_RESTART the handler runs and the call sleeps "
	    "again (ERESTART) until its child goes; without, the call "
	    "fails with EINTR");
	atf_tc_set_md_var(tc, "timeout", "40");
}
ATF_TC_BODY(sa_restart_restarts_sleep, tc)
{
	static struct sleeper w1, w2;

	ATF_REQUIRE(interrupted_waitpid(0, 0, SA_RESTART, &w1));
	ATF_REQUIRE_EQ_MSG(w1.rv, w1.wait_for, "waitpid: %d, errno %d",
	    w1.rv, w1.err);
	(void)interrupted_waitpid(1, 0, 0, &w2);
	ATF_REQUIRE_EQ_MSG(w2.rv, -1, "waitpid: %d", w2.rv);
	ATF_REQUIRE_EQ(w2.err, EINTR);
}

ATF_TC(suspend_restarts_sleep);
ATF_TC_HEAD(suspend_restarts_sleep, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_suspend of an LWP asleep in "
	    "waitpid cuts its sleep short (ERESTART): it suspends, and once "
	    "continued its waitpid sleeps again, unaware, and collects its "
	    "child");
	atf_tc_set_md_var(tc, "timeout", "40");
}
ATF_TC_BODY(suspend_restarts_sleep, tc)
{
	static struct sleeper w;

	ATF_REQUIRE(interrupted_waitpid(0, 1, 0, &w));
	ATF_REQUIRE_EQ_MSG(w.rv, w.wait_for, "waitpid: %d, errno %d", w.rv,
	    w.err);
}

/* LWP lid of process pid, as kern.lwp shows it. */
static bool
child_lwp(pid_t pid, lwpid_t lid, struct kinfo_lwp *out)
{
	static struct kinfo_lwp kl[600];
	int mib[2] = { CTL_KERN, KERN_LWP };
	size_t len = sizeof(kl);

	RL(sysctl(mib, 2, kl, &len, NULL, 0));
	for (size_t i = 0; i < len / sizeof(kl[0]); i++)
		if (kl[i].l_pid == pid && kl[i].l_lid == lid) {
			*out = kl[i];
			return true;
		}
	return false;
}

static volatile long nap_ms;
static volatile int nap_rv = -2;

static void
timed_nap(void *arg)
{
	struct timespec ts = { nap_ms / 1000, (nap_ms % 1000) * 1000000 };

	nap_rv = nanosleep(&ts, NULL);
}

/*
 * A child whose second LWP sleeps `ms' milliseconds and whose first
 * then stops the process (SIGSTOP to itself: so the sleeper is stopped
 * where it sleeps, on its sleep queue, as proc_stop leaves the LWPs it
 * does not wake).  False if the sleep was over before the stop (too
 * short for this machine now).  Else it stays stopped until the
 * sleeper's time is up, then is continued; *off says whether the
 * timeout took the sleeper off its sleep queue meanwhile.
 */
static bool
stop_through_timeout(long ms, bool *off)
{
	struct kinfo_lwp k;
	lwpid_t lid = 0;
	pid_t pid;
	int st;

	*off = false;
	nap_ms = ms;
	RL(pid = fork());
	if (pid == 0) {
		lid = h_lwp_start(0, timed_nap, NULL, 0);
		if (!h_lwp_wait_wmesg(lid, "nanoslp"))
			_exit(2);
		_lwp_kill(_lwp_self(), SIGSTOP);
		while (nap_rv == -2)
			sched_yield();
		_exit(nap_rv == 0 ? 0 : 1);
	}
	RL(waitpid(pid, &st, WUNTRACED));
	ATF_REQUIRE_MSG(WIFSTOPPED(st), "status %#x", st);
	lid = 2;			/* the child's second LWP */
	ATF_REQUIRE(child_lwp(pid, lid, &k));
	if (k.l_stat != LSSTOP || k.l_wchan == 0) {
		RL(kill(pid, SIGKILL));	/* it slept out before the stop */
		RL(waitpid(pid, &st, 0));
		return false;
	}
	/* Its time runs out while it is stopped: it stays stopped, but
	 * leaves its sleep queue (kern.lwp: no wait channel any more). */
	for (int i = 0; i < 4000 && !*off; i++) {
		ATF_REQUIRE(child_lwp(pid, lid, &k));
		ATF_REQUIRE_EQ(k.l_stat, LSSTOP);
		*off = k.l_wchan == 0;
		if (!*off)
			usleep(5000);
	}
	if (!*off)
		RL(kill(pid, SIGKILL));
	RL(kill(pid, SIGCONT));
	RL(waitpid(pid, &st, 0));
	if (*off)
		ATF_REQUIRE_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		    "status %#x", st);
	return true;
}

ATF_TC(timeout_while_stopped);
ATF_TC_HEAD(timeout_while_stopped, tc)
{
	atf_tc_set_md_var(tc, "descr", "a process stopped in a timed sleep "
	    "whose time runs out while it is stopped: the timeout takes it "
	    "off its sleep queue (it stays stopped), and once continued it "
	    "returns from its sleep");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(timeout_while_stopped, tc)
{
	bool off = false;
	long ms;

	/* Long enough that the stop comes first (longer if it did not). */
	for (ms = 300; ms <= 8000; ms *= 2)
		if (stop_through_timeout(ms, &off))
			break;
	ATF_REQUIRE_MSG(ms <= 8000, "never stopped it in its sleep");
	ATF_REQUIRE_MSG(off, "its timeout left it on its sleep queue: "
	    "continued, it would sleep for ever");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, pending_signal_no_sleep);
	ATF_TP_ADD_TC(tp, wakeup_pending_no_sleep);
	ATF_TP_ADD_TC(tp, signal_interrupts_sleep);
	ATF_TP_ADD_TC(tp, sa_restart_restarts_sleep);
	ATF_TP_ADD_TC(tp, suspend_restarts_sleep);
	ATF_TP_ADD_TC(tp, timeout_while_stopped);
	return atf_no_error();
}

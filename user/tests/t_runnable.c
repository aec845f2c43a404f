/*
 * t_runnable: LWPs made runnable again from every state that needs it
 * (setrunnable in kern_synch.c; lab lend), as user space sees them:
 * suspended (_lwp_suspend/_lwp_continue) while running or asleep, and
 * stopped (SIGSTOP/SIGCONT) while running, asleep or suspended -- and
 * SIGKILL of a process whose LWPs are all stopped or suspended.  Each
 * case waits for the states it needs (kern.lwp, what ps shows), not for
 * a length of time.  No _lwp_wait or _lwp_park: those are other labs'
 * code, and lab lend must not need them (an LWP says it is done, and
 * stays a zombie until its process exits).
 */
#include <sys/wait.h>
#include <signal.h>

#include "h_lwp.h"

static volatile int counter, stop, done;

static void
spinner(void *arg)
{
	while (!stop)
		counter++;
	done = 1;
}

/* Sleep 20 ms at a time, counting the naps, until told to stop. */
static volatile int naps;

static void
napper(void *arg)
{
	struct timespec ts = { 0, 20000000 };

	while (!stop) {
		nanosleep(&ts, NULL);
		naps++;
	}
	done = 1;
}


/* Does *p change within about 10 s? */
static bool
moves(volatile int *p)
{
	int v = *p;

	for (int i = 0; i < 2000; i++) {
		if (*p != v)
			return true;
		usleep(5000);
	}
	return false;
}

/* Is *p frozen over ~30 ms? (A suspended or stopped LWP never runs:
 * if it moved, it ran.) */
static bool
frozen(volatile int *p)
{
	int v = *p;

	usleep(30000);
	return *p == v;
}

/* Three rounds: suspend LWP lid (asleep first, if wmesg), check it is
 * SUSPENDED and *progress frozen; continue it, check *progress moves;
 * then stop it. */
static void
suspend_rounds(lwpid_t lid, volatile int *progress, const char *wmesg)
{
	ATF_REQUIRE(moves(progress));
	for (int round = 0; round < 3; round++) {
		if (wmesg != NULL)
			ATF_REQUIRE(h_lwp_wait_wmesg(lid, wmesg));
		RL(_lwp_suspend(lid));	/* returns once it is suspended */
		ATF_REQUIRE_EQ(h_lwp_stat(lid), LSSUSPENDED);
		ATF_REQUIRE(frozen(progress));
		RL(_lwp_continue(lid));
		ATF_REQUIRE(moves(progress));
	}
	stop = 1;
	ATF_REQUIRE(h_until(&done, 1));
}

ATF_TC(suspend_continue_running);
ATF_TC_HEAD(suspend_continue_running, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_suspend of a running LWP: "
	    "SUSPENDED, not running; _lwp_continue makes it runnable again "
	    "and it runs");
	atf_tc_set_md_var(tc, "timeout", "30");
}
ATF_TC_BODY(suspend_continue_running, tc)
{
	stop = done = counter = 0;
	suspend_rounds(h_lwp_start(0, spinner, NULL, 0), &counter, NULL);
}

ATF_TC(suspend_continue_sleeper);
ATF_TC_HEAD(suspend_continue_sleeper, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_suspend of an LWP in its "
	    "sleeps (nanosleep): it suspends in the middle of one; "
	    "_lwp_continue makes it runnable, and it sleeps on and naps "
	    "again");
	atf_tc_set_md_var(tc, "timeout", "30");
}
ATF_TC_BODY(suspend_continue_sleeper, tc)
{
	stop = done = naps = 0;
	suspend_rounds(h_lwp_start(0, napper, NULL, 0), &naps, "nanoslp");
}

/* The states of pid's LWPs (kern.lwp): how many in each. */
static void
states(pid_t pid, int count[9])
{
	static struct kinfo_lwp kl[600];
	int mib[2] = { CTL_KERN, KERN_LWP };
	size_t len = sizeof(kl);

	memset(count, 0, 9 * sizeof(int));
	RL(sysctl(mib, 2, kl, &len, NULL, 0));
	for (size_t i = 0; i < len / sizeof(kl[0]); i++)
		if (kl[i].l_pid == pid && kl[i].l_stat >= 0 &&
		    kl[i].l_stat < 9)
			count[kl[i].l_stat]++;
}

/* Wait (about 10 s at most) until pid has `n' LWPs in state `stat'. */
static bool
wait_states(pid_t pid, int stat, int n)
{
	int count[9];

	for (int i = 0; i < 2000; i++) {
		states(pid, count);
		if (count[stat] == n)
			return true;
		usleep(5000);
	}
	return false;
}

/* A child with four LWPs: one spins, one sleeps long, one is suspended
 * from birth; its first LWP sleeps long too. */
static pid_t
busy_child(void)
{
	pid_t pid;

	RL(pid = fork());
	if (pid != 0)
		return pid;
	stop = 0;
	h_lwp_start(0, spinner, NULL, 0);
	h_lwp_start(1, h_lwp_sleep_forever, NULL, 0);
	h_lwp_start(2, spinner, NULL, LWP_SUSPENDED);
	h_lwp_sleep_forever(NULL);
	return -1;
}

ATF_TC(stop_continue_every_lwp);
ATF_TC_HEAD(stop_continue_every_lwp, tc)
{
	atf_tc_set_md_var(tc, "descr", "SIGSTOP stops every LWP of a "
	    "process but the suspended one; SIGCONT makes the stopped ones "
	    "runnable again (sleepers back asleep), the suspended one stays "
	    "suspended; twice");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(stop_continue_every_lwp, tc)
{
	int st, count[9];
	pid_t pid;

	pid = busy_child();
	ATF_REQUIRE(wait_states(pid, LSSUSPENDED, 1));
	ATF_REQUIRE(wait_states(pid, LSSLEEP, 2));	/* the long ones */
	for (int round = 0; round < 2; round++) {
		RL(kill(pid, SIGSTOP));
		RL(waitpid(pid, &st, WUNTRACED));
		ATF_REQUIRE_MSG(WIFSTOPPED(st), "status %#x", st);
		states(pid, count);
		ATF_REQUIRE_EQ(count[LSSTOP], 3);
		ATF_REQUIRE_EQ(count[LSSUSPENDED], 1);
		RL(kill(pid, SIGCONT));
		RL(waitpid(pid, &st, WCONTINUED));
		ATF_REQUIRE_MSG(WIFCONTINUED(st), "status %#x", st);
		ATF_REQUIRE(wait_states(pid, LSSTOP, 0));
		ATF_REQUIRE(wait_states(pid, LSSLEEP, 2));
		states(pid, count);
		ATF_REQUIRE_EQ(count[LSSUSPENDED], 1);
	}
	RL(kill(pid, SIGKILL));
	RL(waitpid(pid, &st, 0));
	ATF_REQUIRE_MSG(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	    "status %#x", st);
}

ATF_TC(kill_stopped_and_suspended);
ATF_TC_HEAD(kill_stopped_and_suspended, tc)
{
	atf_tc_set_md_var(tc, "descr", "SIGKILL of a stopped process whose "
	    "LWPs are all stopped or suspended: each is made runnable to "
	    "exit, and the process is gone");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(kill_stopped_and_suspended, tc)
{
	pid_t pid;
	int st;

	pid = busy_child();
	ATF_REQUIRE(wait_states(pid, LSSUSPENDED, 1));
	ATF_REQUIRE(wait_states(pid, LSSLEEP, 2));
	RL(kill(pid, SIGSTOP));
	RL(waitpid(pid, &st, WUNTRACED));
	ATF_REQUIRE_MSG(WIFSTOPPED(st), "status %#x", st);
	RL(kill(pid, SIGKILL));
	RL(waitpid(pid, &st, 0));
	ATF_REQUIRE_MSG(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	    "status %#x", st);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, suspend_continue_running);
	ATF_TP_ADD_TC(tp, suspend_continue_sleeper);
	ATF_TP_ADD_TC(tp, stop_continue_every_lwp);
	ATF_TP_ADD_TC(tp, kill_stopped_and_suspended);
	return atf_no_error();
}

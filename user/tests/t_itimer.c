/*
 * t_itimer: the real-time interval timer (kernel/kern_itimer.c):
 * setitimer/getitimer with ITIMER_REAL, and libc's alarm and pause.
 *
 * Covered: a one-shot timer sends SIGALRM (si_code SI_TIMER) once, not
 * before its time, and is disarmed after; getitimer shows the time
 * left and the period; a periodic timer keeps firing until disarmed;
 * setitimer and alarm give back the previous setting; pause returns
 * EINTR after a handler; EINVAL for other timers and bad times, EFAULT
 * for bad pointers; a child of fork has no timer; processes that exit
 * with a fast timer armed leave nothing behind (the kernel's itimer
 * thread and callouts).  Times in checks are lower bounds only; the
 * ATF timeout is the backstop when a signal never comes.
 */
#include <sys/time.h>
#include <signal.h>
#include <string.h>

#include "h_macros.h"

static volatile sig_atomic_t nalrm, lastcode;

static void
on_alrm(int sig, siginfo_t *si, void *ctx)
{
	nalrm++;
	lastcode = si->si_code;
}

/* Catch SIGALRM (counted in nalrm), and block it: wait_alrm takes it. */
static void
catch_alrm(void)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_alrm;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	RL(sigaction(SIGALRM, &sa, NULL));
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	RL(sigprocmask(SIG_BLOCK, &set, NULL));
	nalrm = 0;
}

/* Sleep until the handler has run n times in all. */
static void
wait_alrm(int n)
{
	sigset_t none;

	sigemptyset(&none);
	while (nalrm < n)
		ATF_REQUIRE_ERRNO(EINTR, sigsuspend(&none) == -1);
}

static struct itimerval
itv_ms(long value_ms, long interval_ms)
{
	struct itimerval it;

	it.it_value.tv_sec = value_ms / 1000;
	it.it_value.tv_usec = value_ms % 1000 * 1000;
	it.it_interval.tv_sec = interval_ms / 1000;
	it.it_interval.tv_usec = interval_ms % 1000 * 1000;
	return it;
}

static long
tv_ms(const struct timeval *tv)
{
	return tv->tv_sec * 1000 + tv->tv_usec / 1000;
}

ATF_TC(oneshot);
ATF_TC_HEAD(oneshot, tc)
{
	atf_tc_set_md_var(tc, "descr", "a one-shot ITIMER_REAL: SIGALRM "
	    "with SI_TIMER once, not before its time; getitimer before "
	    "(time left) and after (disarmed)");
	atf_tc_set_md_var(tc, "timeout", "30");
}
ATF_TC_BODY(oneshot, tc)
{
	struct itimerval it = itv_ms(200, 0), got;
	sigset_t pend;
	long t0, t1;

	catch_alrm();
	t0 = h_msec();
	RL(setitimer(ITIMER_REAL, &it, NULL));
	RL(getitimer(ITIMER_REAL, &got));
	ATF_CHECK_MSG(timerisset(&got.it_value) &&
	    tv_ms(&got.it_value) <= 200, "time left %ld ms",
	    tv_ms(&got.it_value));
	ATF_CHECK(!timerisset(&got.it_interval));
	wait_alrm(1);
	t1 = h_msec();
	ATF_CHECK_MSG(t1 - t0 >= 200, "SIGALRM after %ld ms of 200", t1 - t0);
	ATF_CHECK_EQ(lastcode, SI_TIMER);
	RL(getitimer(ITIMER_REAL, &got));
	ATF_CHECK(!timerisset(&got.it_value) && !timerisset(&got.it_interval));
	h_sleep_ms(100);		/* (a second one would be pending) */
	RL(sigpending(&pend));
	ATF_CHECK_MSG(!sigismember(&pend, SIGALRM), "a second SIGALRM");
	ATF_CHECK_EQ(nalrm, 1);
}

ATF_TC(periodic);
ATF_TC_HEAD(periodic, tc)
{
	atf_tc_set_md_var(tc, "descr", "a periodic ITIMER_REAL fires again "
	    "and again until disarmed; getitimer shows the period");
	atf_tc_set_md_var(tc, "timeout", "30");
}
ATF_TC_BODY(periodic, tc)
{
	struct itimerval it = itv_ms(20, 30), off = itv_ms(0, 0), got;

	catch_alrm();
	RL(setitimer(ITIMER_REAL, &it, NULL));
	RL(getitimer(ITIMER_REAL, &got));
	ATF_CHECK_EQ(tv_ms(&got.it_interval), 30);
	wait_alrm(5);
	RL(setitimer(ITIMER_REAL, &off, &got));
	ATF_CHECK_EQ(tv_ms(&got.it_interval), 30);
	ATF_CHECK(timerisset(&got.it_value));
	RL(getitimer(ITIMER_REAL, &got));
	ATF_CHECK(!timerisset(&got.it_value) && !timerisset(&got.it_interval));
}

ATF_TC(old_value);
ATF_TC_HEAD(old_value, tc)
{
	atf_tc_set_md_var(tc, "descr", "setitimer's oitv and alarm's result "
	    "are the previous setting; a NULL itv just reads it");
}
ATF_TC_BODY(old_value, tc)
{
	struct itimerval ten = itv_ms(10000, 0), twenty = itv_ms(20000, 500);
	struct itimerval old;

	RL(setitimer(ITIMER_REAL, &ten, NULL));
	RL(setitimer(ITIMER_REAL, &twenty, &old));
	ATF_CHECK_MSG(tv_ms(&old.it_value) > 0 &&
	    tv_ms(&old.it_value) <= 10000, "%ld ms", tv_ms(&old.it_value));
	ATF_CHECK(!timerisset(&old.it_interval));
	/* The 20 s timer replaced the 10 s one: its interval says so (its
	 * value alone would not, on a host that stalls us for seconds). */
	RL(setitimer(ITIMER_REAL, NULL, &old));
	ATF_CHECK_EQ(tv_ms(&old.it_interval), 500);
	ATF_CHECK(tv_ms(&old.it_value) > 0 && tv_ms(&old.it_value) <= 20000);

	/* alarm rounds what is left up to whole seconds: never 0 while a
	 * timer runs, never more than was set (no bound on how long the
	 * calls took: guest time runs on while the host stalls us). */
	RL(setitimer(ITIMER_REAL, &twenty, NULL));
	ATF_CHECK_MSG(alarm(5) - 1u < 20, "alarm: 1 to 20 s were left");
	ATF_CHECK_MSG(alarm(0) - 1u < 5, "alarm: 1 to 5 s were left");
	ATF_CHECK_EQ(alarm(0), 0);
	RL(getitimer(ITIMER_REAL, &old));
	ATF_CHECK(!timerisset(&old.it_value));
}

ATF_TC(errors);
ATF_TC_HEAD(errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "EINVAL for timers other than "
	    "ITIMER_REAL and for bad times; EFAULT for bad pointers; the "
	    "timer unchanged after an error");
}
ATF_TC_BODY(errors, tc)
{
	struct itimerval it = itv_ms(100, 0), got;

	CHECK_ERR(setitimer(ITIMER_VIRTUAL, &it, NULL), EINVAL, "VIRTUAL");
	CHECK_ERR(setitimer(ITIMER_PROF, &it, NULL), EINVAL, "PROF");
	CHECK_ERR(getitimer(99, &got), EINVAL, "getitimer(99)");
	it.it_value.tv_usec = 1000000;
	CHECK_ERR(setitimer(ITIMER_REAL, &it, NULL), EINVAL, "usec 10^6");
	it = itv_ms(100, 0);
	it.it_interval.tv_sec = -1;
	CHECK_ERR(setitimer(ITIMER_REAL, &it, NULL), EINVAL, "negative");
	CHECK_ERR(setitimer(ITIMER_REAL, (void *)16, NULL), EFAULT, "itv");
	CHECK_ERR(getitimer(ITIMER_REAL, (void *)16), EFAULT, "getitimer");
	RL(getitimer(ITIMER_REAL, &got));
	ATF_CHECK(!timerisset(&got.it_value));
}

static int
child_timer(void)
{
	struct itimerval got;

	if (getitimer(ITIMER_REAL, &got) == -1)
		return 2;
	return timerisset(&got.it_value) || timerisset(&got.it_interval);
}

static int
child_exit_armed(void)
{
	struct itimerval it = itv_ms(1, 1);

	signal(SIGALRM, SIG_IGN);
	if (setitimer(ITIMER_REAL, &it, NULL) == -1)
		return 2;
	usleep(3000);			/* (a few SIGALRMs, ignored) */
	return 0;
}

ATF_TC(fork_exit);
ATF_TC_HEAD(fork_exit, tc)
{
	atf_tc_set_md_var(tc, "descr", "a child of fork has no timer; "
	    "processes exiting with a 1 ms periodic timer armed leave "
	    "nothing behind");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(fork_exit, tc)
{
	struct itimerval it = itv_ms(10000, 0), off = itv_ms(0, 0);

	RL(setitimer(ITIMER_REAL, &it, NULL));
	CHECK_EXIT(h_child(child_timer), 0, "the child's timer is clear");
	RL(setitimer(ITIMER_REAL, &off, NULL));
	for (int i = 0; i < 30; i++)
		CHECK_EXIT(h_child(child_exit_armed), 0, "exit, timer armed");
}

ATF_TC(pause_alarm);
ATF_TC_HEAD(pause_alarm, tc)
{
	atf_tc_set_md_var(tc, "descr", "pause() returns -1/EINTR once the "
	    "SIGALRM of alarm(1) has been handled");
	atf_tc_set_md_var(tc, "timeout", "30");
}
ATF_TC_BODY(pause_alarm, tc)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_alrm;
	sa.sa_flags = SA_SIGINFO;
	RL(sigaction(SIGALRM, &sa, NULL));
	nalrm = 0;
	ATF_CHECK_EQ(alarm(1), 0);
	ATF_CHECK_ERRNO(EINTR, pause() == -1);
	ATF_CHECK_EQ(nalrm, 1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, oneshot);
	ATF_TP_ADD_TC(tp, periodic);
	ATF_TP_ADD_TC(tp, old_value);
	ATF_TP_ADD_TC(tp, errors);
	ATF_TP_ADD_TC(tp, fork_exit);
	ATF_TP_ADD_TC(tp, pause_alarm);
	return atf_no_error();
}

/*
 * t_pthread_sig: signals and threads: pthread_kill runs the handler in
 * the thread it names; pthread_sigmask is each thread's own mask, and a
 * signal for the process goes to a thread that does not block it.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

static volatile pthread_t taker;
static volatile int hits, stop;

static void
handler(int sig)
{
	taker = pthread_self();
	hits++;
}

static void *
waiter(void *arg)
{
	sigset_t *mask = arg;

	if (mask != NULL)
		pthread_sigmask(SIG_BLOCK, mask, NULL);
	while (!stop)
		usleep(1000);
	return NULL;
}

static void
catch(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	ATF_REQUIRE(sigaction(sig, &sa, NULL) == 0);
}

static void
wait_hits(int n)
{
	for (int i = 0; i < 5000 && hits < n; i++)
		usleep(1000);
	ATF_REQUIRE_EQ(hits, n);
}

ATF_TC(pthread_kill_targets_thread);
ATF_TC_HEAD(pthread_kill_targets_thread, tc)
{
	atf_tc_set_md_var(tc, "descr", "pthread_kill runs the handler in "
	    "the thread named; EINVAL for a bad signal; signal 0 checks");
}
ATF_TC_BODY(pthread_kill_targets_thread, tc)
{
	pthread_t t;

	catch(SIGUSR1);
	stop = 0;
	hits = 0;
	ATF_REQUIRE(pthread_create(&t, NULL, waiter, NULL) == 0);
	ATF_REQUIRE_EQ(pthread_kill(t, SIGUSR1), 0);
	wait_hits(1);
	ATF_REQUIRE(pthread_equal(taker, t));
	ATF_REQUIRE_EQ(pthread_kill(t, 0), 0);
	ATF_REQUIRE_EQ(pthread_kill(t, NSIG), EINVAL);
	ATF_REQUIRE_EQ(pthread_kill(pthread_self(), SIGUSR1), 0);
	ATF_REQUIRE_EQ(hits, 2);		/* on the way out of the call */
	ATF_REQUIRE(pthread_equal(taker, pthread_self()));
	stop = 1;
	ATF_REQUIRE(pthread_join(t, NULL) == 0);
}

ATF_TC(pthread_sigmask_per_thread);
ATF_TC_HEAD(pthread_sigmask_per_thread, tc)
{
	atf_tc_set_md_var(tc, "descr", "each thread has its own mask: with "
	    "the main thread and one other blocking SIGUSR2, a signal for "
	    "the process is taken by the third thread, which does not");
}
ATF_TC_BODY(pthread_sigmask_per_thread, tc)
{
	static sigset_t block;
	sigset_t cur;
	pthread_t blocked, open;

	catch(SIGUSR2);
	stop = 0;
	hits = 0;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	ATF_REQUIRE_EQ(pthread_sigmask(SIG_BLOCK, &block, NULL), 0);
	ATF_REQUIRE_EQ(pthread_sigmask(SIG_BLOCK, NULL, &cur), 0);
	ATF_REQUIRE_EQ(sigismember(&cur, SIGUSR2), 1);
	ATF_REQUIRE_EQ(pthread_sigmask(99, &block, NULL), EINVAL);
	/* (The new threads start with our mask: unblock it in one.) */
	ATF_REQUIRE(pthread_create(&blocked, NULL, waiter, &block) == 0);
	ATF_REQUIRE_EQ(pthread_sigmask(SIG_UNBLOCK, &block, NULL), 0);
	ATF_REQUIRE(pthread_create(&open, NULL, waiter, NULL) == 0);
	ATF_REQUIRE_EQ(pthread_sigmask(SIG_BLOCK, &block, NULL), 0);
	usleep(20000);
	ATF_REQUIRE(kill(getpid(), SIGUSR2) == 0);
	wait_hits(1);
	ATF_REQUIRE(pthread_equal(taker, open));
	stop = 1;
	ATF_REQUIRE(pthread_join(blocked, NULL) == 0);
	ATF_REQUIRE(pthread_join(open, NULL) == 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, pthread_kill_targets_thread);
	ATF_TP_ADD_TC(tp, pthread_sigmask_per_thread);
	return atf_no_error();
}

/*
 * t_pthread_cancelpt: libc's blocking calls as cancellation points
 * (user/lib/libc/cancel.c; pthread_cancel's _lwp_wakeup in
 * user/lib/libpthread/pthread.c).  t_pthread_cancel has the rest of
 * cancellation (testcancel, condvars, unnamed semaphores, state,
 * cleanup handlers, once).
 *
 * Covered: a thread asleep in each of nanosleep, sleep, usleep, pause,
 * sigsuspend, select, read (the console), waitpid, sem_wait and
 * sem_timedwait on a named semaphore (asleep in the kernel), and
 * pthread_join, is woken by pthread_cancel and exits through its
 * cleanup handler with PTHREAD_CANCELED, the call never returning
 * (pthread_join's target stays joinable); a cancel pending before
 * nanosleep, read, write or pause acts before the call blocks (no
 * wakeup is sent to a thread with cancellation disabled, so only the
 * look before the call can catch it); calls that are not cancellation
 * points (getpid, clock_gettime, sigprocmask, mutexes, sem_post,
 * sem_trywait, printf) do not act on a pending cancel; a thread with
 * cancellation disabled is not woken by a cancel: its named sem_wait
 * goes on and succeeds.
 */
#include <sys/select.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <semaphore.h>
#include <signal.h>

#include "h_pthread.h"

static volatile lwpid_t blocker_lid;
static volatile int cleaned, returned, step;
static sem_t *named;
static pthread_t join_target;
static pid_t child;

static void
cleanup_ran(void *arg)
{
	cleaned = 1;
}

/* The blocking calls, each for far longer than any test runs. */
static void
do_nanosleep(void)
{
	struct timespec ts = { 100000, 0 };

	(void)nanosleep(&ts, NULL);
}

static void do_sleep(void) { (void)sleep(100000); }
static void do_usleep(void) { (void)usleep(4000000000U); }
static void do_pause(void) { (void)pause(); }

static void
do_sigsuspend(void)
{
	sigset_t none;

	sigemptyset(&none);
	(void)sigsuspend(&none);
}

static void
do_select(void)
{
	struct timeval tv = { 100000, 0 };

	(void)select(0, NULL, NULL, NULL, &tv);
}

static void
do_read(void)
{
	char c;

	(void)read(STDIN_FILENO, &c, 1);	/* nobody types */
}

static void
do_write(void)
{
	(void)write(STDOUT_FILENO, "", 0);
}

static void do_waitpid(void) { (void)waitpid(child, NULL, 0); }
static void do_sem_wait(void) { (void)sem_wait(named); }

static void
do_sem_timedwait(void)
{
	struct timespec ts = h_deadline(CLOCK_REALTIME, 100000000);

	(void)sem_timedwait(named, &ts);
}

static void do_join(void) { (void)pthread_join(join_target, NULL); }

struct point {
	const char	*name;
	void		(*call)(void);
	const char	*wmesg;		/* where it sleeps in the kernel */
};

static const struct point points[] = {
	{ "nanosleep",		do_nanosleep,		"nanoslp" },
	{ "sleep",		do_sleep,		"nanoslp" },
	{ "usleep",		do_usleep,		"nanoslp" },
	{ "pause",		do_pause,		"pause" },
	{ "sigsuspend",		do_sigsuspend,		"pause" },
	{ "select",		do_select,		"nanoslp" },
	{ "read",		do_read,		"ttyin" },
	{ "waitpid",		do_waitpid,		"wait" },
	{ "sem_wait",		do_sem_wait,		"ksem" },
	{ "sem_timedwait",	do_sem_timedwait,	"ksem" },
	{ "pthread_join",	do_join,		"lwpwait" },
};

static void *
blocker(void *arg)
{
	const struct point *pt = arg;

	pthread_cleanup_push(cleanup_ran, NULL);
	blocker_lid = _lwp_self();
	pt->call();
	returned = 1;
	pthread_cleanup_pop(0);
	return NULL;
}

/* A thread that waits until told to go (the pthread_join target). */
static void *
sleeper(void *arg)
{
	while (!__atomic_load_n(&step, __ATOMIC_ACQUIRE))
		h_sleep_ms(5);
	return (void *)7;
}

/* Run pt in a thread, wait until it sleeps in the kernel, cancel it:
 * it must leave through its cleanup handler, never returning. */
static void
cancel_blocked(const struct point *pt)
{
	pthread_t t;
	void *v;

	blocker_lid = 0;
	cleaned = returned = 0;
	t = h_thread(blocker, (void *)(uintptr_t)pt);
	while (blocker_lid == 0)
		sched_yield();
	ATF_REQUIRE_MSG(h_lwp_wait_wmesg(blocker_lid, pt->wmesg),
	    "%s: the thread never slept on \"%s\"", pt->name, pt->wmesg);
	RZ(pthread_cancel(t));
	v = h_join(t);
	ATF_CHECK_MSG(v == PTHREAD_CANCELED && cleaned && !returned,
	    "%s: value %p (PTHREAD_CANCELED is %p), cleanup handler %s, "
	    "the call %s", pt->name, v, PTHREAD_CANCELED,
	    cleaned ? "ran" : "did not run",
	    returned ? "returned" : "did not return");
}

ATF_TC(blocked_calls_are_cancelled);
ATF_TC_HEAD(blocked_calls_are_cancelled, tc)
{
	atf_tc_set_md_var(tc, "descr", "a thread asleep in nanosleep, sleep, "
	    "usleep, pause, sigsuspend, select, read, waitpid, sem_wait, "
	    "sem_timedwait or pthread_join is woken by pthread_cancel and "
	    "exits through its cleanup handler");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(blocked_calls_are_cancelled, tc)
{
	void *v;
	int st;

	named = h_sem_open_unlinked("/t_cpt", 0);
	RL(child = fork());
	if (child == 0) {
		for (;;)
			pause();
	}
	join_target = h_thread(sleeper, NULL);
	for (size_t i = 0; i < __arraycount(points); i++)
		cancel_blocked(&points[i]);
	/* The cancelled join left its target joinable. */
	__atomic_store_n(&step, 1, __ATOMIC_RELEASE);
	RZ(pthread_join(join_target, &v));
	ATF_CHECK_EQ(v, (void *)7);
	RL(kill(child, SIGKILL));
	RL(waitpid(child, &st, 0));
	RL(sem_close(named));
}

static volatile int disabled;

/* Cancellation disabled until main has cancelled us, then enabled: the
 * cancel is pending, and no wakeup was sent. */
static void *
pending_blocker(void *arg)
{
	const struct point *pt = arg;

	RZ(pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL));
	__atomic_store_n(&disabled, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&step, __ATOMIC_ACQUIRE))
		sched_yield();
	RZ(pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL));
	pthread_cleanup_push(cleanup_ran, NULL);
	pt->call();
	returned = 1;
	pthread_cleanup_pop(0);
	return NULL;
}

ATF_TC(pending_cancel_acts_before_blocking);
ATF_TC_HEAD(pending_cancel_acts_before_blocking, tc)
{
	atf_tc_set_md_var(tc, "descr", "a cancel pending when nanosleep, "
	    "read, write or pause is called ends the thread before the call "
	    "(the cancel came while cancellation was disabled, so nothing "
	    "woke the thread: only the look before the call can catch it)");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(pending_cancel_acts_before_blocking, tc)
{
	static const struct point calls[] = {
		{ "nanosleep", do_nanosleep, NULL },
		{ "read", do_read, NULL },
		{ "write", do_write, NULL },
		{ "pause", do_pause, NULL },
	};
	pthread_t t;
	void *v;

	for (size_t i = 0; i < __arraycount(calls); i++) {
		disabled = step = cleaned = returned = 0;
		t = h_thread(pending_blocker, (void *)(uintptr_t)&calls[i]);
		while (!__atomic_load_n(&disabled, __ATOMIC_ACQUIRE))
			sched_yield();
		RZ(pthread_cancel(t));
		__atomic_store_n(&step, 1, __ATOMIC_RELEASE);
		v = h_join(t);
		ATF_CHECK_MSG(v == PTHREAD_CANCELED && cleaned && !returned,
		    "%s: value %p, cleanup handler %s, the call %s",
		    calls[i].name, v, cleaned ? "ran" : "did not run",
		    returned ? "returned" : "did not return");
	}
}

static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;

static void *
not_points(void *arg)
{
	struct timespec ts;
	sigset_t set;
	sem_t s;
	int v;

	pthread_cleanup_push(cleanup_ran, NULL);
	RZ(pthread_cancel(pthread_self()));
	(void)getpid();
	RL(clock_gettime(CLOCK_MONOTONIC, &ts));
	RL(sigprocmask(SIG_BLOCK, NULL, &set));
	RZ(pthread_mutex_lock(&mtx));
	RZ(pthread_mutex_unlock(&mtx));
	RL(sem_init(&s, 0, 0));
	RL(sem_post(&s));
	RL(sem_trywait(&s));
	RL(sem_post(named));
	RL(sem_trywait(named));
	RL(sem_getvalue(named, &v));
	RL(sem_destroy(&s));
	printf("# not a cancellation point: printf\n");
	fflush(stdout);
	returned = 1;		/* got here: none of those acted */
	pthread_testcancel();
	returned = 2;
	pthread_cleanup_pop(0);
	return NULL;
}

ATF_TC(other_calls_do_not_cancel);
ATF_TC_HEAD(other_calls_do_not_cancel, tc)
{
	atf_tc_set_md_var(tc, "descr", "with a cancel pending, getpid, "
	    "clock_gettime, sigprocmask, mutexes, sem_post, sem_trywait, "
	    "sem_getvalue and printf go on; pthread_testcancel then acts");
}
ATF_TC_BODY(other_calls_do_not_cancel, tc)
{
	void *v;

	named = h_sem_open_unlinked("/t_cpt2", 0);
	cleaned = returned = 0;
	v = h_join(h_thread(not_points, NULL));
	ATF_REQUIRE_EQ_MSG(returned, 1, "the thread %s",
	    returned == 0 ? "was cancelled before pthread_testcancel" :
	    "was not cancelled by pthread_testcancel");
	ATF_REQUIRE(v == PTHREAD_CANCELED && cleaned);
	RL(sem_close(named));
}

static volatile int wait_rv = 99;

static void *
disabled_waiter(void *arg)
{
	RZ(pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL));
	blocker_lid = _lwp_self();
	wait_rv = sem_wait(named) == 0 ? 0 : errno;
	RZ(pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL));
	returned = 1;
	pthread_testcancel();
	returned = 2;
	return NULL;
}

ATF_TC(disabled_thread_is_not_woken);
ATF_TC_HEAD(disabled_thread_is_not_woken, tc)
{
	atf_tc_set_md_var(tc, "descr", "a cancel to a thread asleep in "
	    "sem_wait with cancellation disabled does not wake it: the wait "
	    "goes on and succeeds at the post; the cancel acts once enabled");
}
ATF_TC_BODY(disabled_thread_is_not_woken, tc)
{
	pthread_t t;
	void *v;

	named = h_sem_open_unlinked("/t_cpt3", 0);
	blocker_lid = 0;
	t = h_thread(disabled_waiter, NULL);
	while (blocker_lid == 0)
		sched_yield();
	ATF_REQUIRE(h_lwp_wait_wmesg(blocker_lid, "ksem"));
	RZ(pthread_cancel(t));
	/* Still asleep there (a wakeup would have made it return EINTR
	 * and never sleep again). */
	ATF_REQUIRE(h_lwp_wait_wmesg(blocker_lid, "ksem"));
	ATF_REQUIRE_EQ(wait_rv, 99);
	RL(sem_post(named));
	v = h_join(t);
	ATF_REQUIRE_EQ_MSG(wait_rv, 0, "sem_wait: %s", strerror(wait_rv));
	ATF_REQUIRE_EQ(returned, 1);
	ATF_REQUIRE(v == PTHREAD_CANCELED);
	RL(sem_close(named));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, blocked_calls_are_cancelled);
	ATF_TP_ADD_TC(tp, pending_cancel_acts_before_blocking);
	ATF_TP_ADD_TC(tp, other_calls_do_not_cancel);
	ATF_TP_ADD_TC(tp, disabled_thread_is_not_woken);
	return atf_no_error();
}

/*
 * t_pthread_cancel: deferred cancellation and cleanup handlers
 * (user/lib/libpthread/pthread.c, pthread_cond.c, sem.c).
 *
 * Covered: pthread_testcancel acts on a pending cancel, the thread's
 * value is PTHREAD_CANCELED and its cleanup handlers ran, last pushed
 * first; a thread asleep in pthread_cond_wait is woken by the cancel,
 * leaves the condvar's queue (pthread_cond_destroy succeeds) and its
 * handler finds the mutex held; a cancel pending on entry to
 * pthread_cond_wait acts at once; a thread asleep in sem_wait leaves
 * without taking a unit; PTHREAD_CANCEL_DISABLE holds a cancel until
 * enabled again; cancelling oneself; pthread_cleanup_pop(1) runs the
 * handler, pthread_exit runs those left; a cancelled pthread_once
 * routine leaves the once not done (the next caller runs it); ESRCH,
 * EINVAL, ENOTSUP (asynchronous cancellation).
 */
#include <semaphore.h>

#include "h_pthread.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static volatile int order[4], norder, go, held_in_cleanup;
static volatile lwpid_t waiter_lid;

static void
note(void *arg)
{
	order[norder++] = (int)(intptr_t)arg;
}

static void
unlock_m(void *arg)
{
	held_in_cleanup = pthread_mutex_trylock(&m) == EBUSY;
	RZ(pthread_mutex_unlock(&m));
}

/* Wait until LWP lid sleeps in _lwp_park. */
static void
wait_parked(volatile lwpid_t *lid)
{
	for (int i = 0; *lid == 0 || !h_lwp_sleeps(*lid, "parked"); i++) {
		ATF_REQUIRE_MSG(i < 2000, "the thread never parks");
		h_sleep_ms(5);
	}
}

static void *
spin_testcancel(void *arg)
{
	pthread_cleanup_push(note, (void *)1);
	pthread_cleanup_push(note, (void *)2);
	for (;;)
		pthread_testcancel();
	pthread_cleanup_pop(0);
	pthread_cleanup_pop(0);
	return NULL;
}

ATF_TC(testcancel);
ATF_TC_HEAD(testcancel, tc)
{
	atf_tc_set_md_var(tc, "descr", "pthread_testcancel acts on a cancel: "
	    "PTHREAD_CANCELED, handlers last pushed first");
}
ATF_TC_BODY(testcancel, tc)
{
	pthread_t t = h_thread(spin_testcancel, NULL);

	norder = 0;
	RZ(pthread_cancel(t));
	ATF_REQUIRE(h_join(t) == PTHREAD_CANCELED);
	ATF_REQUIRE_EQ(norder, 2);
	ATF_CHECK(order[0] == 2 && order[1] == 1);
	ATF_CHECK_EQ(pthread_cancel(t), ESRCH);	/* joined: gone */
}

static void *
cond_waiter(void *arg)
{
	RZ(pthread_mutex_lock(&m));
	pthread_cleanup_push(unlock_m, NULL);
	waiter_lid = _lwp_self();
	while (!go)
		RZ(pthread_cond_wait(&cv, &m));
	pthread_cleanup_pop(1);
	return NULL;
}

ATF_TC(cond_wait);
ATF_TC_HEAD(cond_wait, tc)
{
	atf_tc_set_md_var(tc, "descr", "a thread asleep in pthread_cond_wait "
	    "is cancelled: off the queue (destroy succeeds), the mutex held "
	    "in its handler; a cancel pending on entry acts at once");
}
ATF_TC_BODY(cond_wait, tc)
{
	pthread_t t;

	go = 0;
	waiter_lid = 0;
	held_in_cleanup = 0;
	t = h_thread(cond_waiter, NULL);
	wait_parked(&waiter_lid);
	RZ(pthread_cancel(t));
	ATF_REQUIRE(h_join(t) == PTHREAD_CANCELED);
	ATF_CHECK(held_in_cleanup);
	RZ(pthread_cond_destroy(&cv));
	RZ(pthread_mutex_trylock(&m));
	RZ(pthread_mutex_unlock(&m));
	RZ(pthread_cond_init(&cv, NULL));

	/* Pending before the wait: the thread holds the mutex we hold
	 * off until the cancel is in. */
	held_in_cleanup = 0;
	RZ(pthread_mutex_lock(&m));
	t = h_thread(cond_waiter, NULL);
	RZ(pthread_cancel(t));
	RZ(pthread_mutex_unlock(&m));
	ATF_REQUIRE(h_join(t) == PTHREAD_CANCELED);
	ATF_CHECK(held_in_cleanup);
	RZ(pthread_cond_destroy(&cv));
	RZ(pthread_cond_init(&cv, NULL));
}

static sem_t sem;

static void *
sem_waiter(void *arg)
{
	waiter_lid = _lwp_self();
	RL(sem_wait(&sem));
	return arg;
}

ATF_TC(sem_wait);
ATF_TC_HEAD(sem_wait, tc)
{
	atf_tc_set_md_var(tc, "descr", "a thread asleep in sem_wait is "
	    "cancelled without taking a unit");
}
ATF_TC_BODY(sem_wait, tc)
{
	pthread_t t;

	RL(sem_init(&sem, 0, 0));
	waiter_lid = 0;
	t = h_thread(sem_waiter, NULL);
	wait_parked(&waiter_lid);
	RZ(pthread_cancel(t));
	ATF_REQUIRE(h_join(t) == PTHREAD_CANCELED);
	RL(sem_post(&sem));
	RL(sem_trywait(&sem));
	RL(sem_destroy(&sem));
}

static void *
disabled(void *arg)
{
	int old;

	RZ(pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old));
	ATF_CHECK_EQ(old, PTHREAD_CANCEL_ENABLE);
	while (!go)
		sched_yield();
	pthread_testcancel();		/* held: disabled */
	go = 2;
	RZ(pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old));
	ATF_CHECK_EQ(old, PTHREAD_CANCEL_DISABLE);
	pthread_testcancel();
	return NULL;
}

static void *
cancel_self(void *arg)
{
	RZ(pthread_cancel(pthread_self()));
	go = 3;
	pthread_testcancel();
	return NULL;
}

ATF_TC(state);
ATF_TC_HEAD(state, tc)
{
	atf_tc_set_md_var(tc, "descr", "PTHREAD_CANCEL_DISABLE holds a "
	    "cancel until enabled; a thread may cancel itself; EINVAL and "
	    "ENOTSUP (asynchronous)");
}
ATF_TC_BODY(state, tc)
{
	pthread_t t;
	int old;

	go = 0;
	t = h_thread(disabled, NULL);
	RZ(pthread_cancel(t));
	go = 1;
	ATF_REQUIRE(h_join(t) == PTHREAD_CANCELED);
	ATF_CHECK_EQ(go, 2);
	ATF_REQUIRE(h_join(h_thread(cancel_self, NULL)) == PTHREAD_CANCELED);
	ATF_CHECK_EQ(go, 3);

	ATF_CHECK_EQ(pthread_setcancelstate(99, &old), EINVAL);
	ATF_CHECK_EQ(pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, &old),
	    ENOTSUP);
	RZ(pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, &old));
	ATF_CHECK_EQ(old, PTHREAD_CANCEL_DEFERRED);
}

static void *
pops(void *arg)
{
	pthread_cleanup_push(note, (void *)1);
	pthread_cleanup_push(note, (void *)2);
	pthread_cleanup_push(note, (void *)3);
	pthread_cleanup_pop(1);		/* runs 3 */
	pthread_exit(arg);		/* runs 2 then 1 */
	pthread_cleanup_pop(0);
	pthread_cleanup_pop(0);
	return NULL;
}

ATF_TC(cleanup);
ATF_TC_HEAD(cleanup, tc)
{
	atf_tc_set_md_var(tc, "descr", "pthread_cleanup_pop(1) runs the "
	    "handler; pthread_exit runs the ones left, last first");
}
ATF_TC_BODY(cleanup, tc)
{
	norder = 0;
	ATF_REQUIRE(h_join(h_thread(pops, (void *)&norder)) == &norder);
	ATF_REQUIRE_EQ(norder, 3);
	ATF_CHECK(order[0] == 3 && order[1] == 2 && order[2] == 1);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static volatile int once_runs;

static void
once_cancelled(void)
{
	once_runs++;
	pthread_testcancel();
}

static void
once_plain(void)
{
	once_runs++;
}

static void *
do_once(void *arg)
{
	while (!go)
		sched_yield();
	RZ(pthread_once(&once, once_cancelled));
	return NULL;
}

ATF_TC(once);
ATF_TC_HEAD(once, tc)
{
	atf_tc_set_md_var(tc, "descr", "a pthread_once routine cancelled "
	    "half-way: the once is not done and not locked, the next caller "
	    "runs its routine");
}
ATF_TC_BODY(once, tc)
{
	pthread_t t;

	go = 0;
	once_runs = 0;
	t = h_thread(do_once, NULL);
	RZ(pthread_cancel(t));
	go = 1;
	ATF_REQUIRE(h_join(t) == PTHREAD_CANCELED);
	ATF_CHECK_EQ(once_runs, 1);
	RZ(pthread_once(&once, once_plain));
	ATF_CHECK_EQ(once_runs, 2);
	RZ(pthread_once(&once, once_plain));
	ATF_CHECK_EQ(once_runs, 2);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, testcancel);
	ATF_TP_ADD_TC(tp, cond_wait);
	ATF_TP_ADD_TC(tp, sem_wait);
	ATF_TP_ADD_TC(tp, state);
	ATF_TP_ADD_TC(tp, cleanup);
	ATF_TP_ADD_TC(tp, once);
	return atf_no_error();
}

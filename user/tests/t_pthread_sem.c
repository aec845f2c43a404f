/*
 * t_pthread_sem: POSIX semaphores (<semaphore.h>, user/lib/libpthread).
 *
 * Covered: a count shared by producers and consumers on every CPU (each
 * unit taken once); post/wait ping-pong between two threads, on one
 * CPU and two; trywait EAGAIN; getvalue; timedwait ETIMEDOUT (not
 * early; a deadline long past) and 0 when a post comes first; EINVAL
 * (value too big, bad tv_nsec, destroyed, sem_close of an unnamed one),
 * ENOSYS for a process-shared one, EOVERFLOW, EBUSY destroying one with
 * a waiter.  Named semaphores (sem_open): t_sem_named.
 */
#include <fcntl.h>
#include <semaphore.h>

#include "h_pthread.h"

#define NUNITS	3000

static sem_t sem, sem2;
static volatile int taken;

static void *
sem_producer(void *arg)
{
	h_wait_go();
	for (int i = 0; i < NUNITS; i++) {
		RL(sem_post(&sem));
		if (i % 32 == 0)
			sched_yield();
	}
	return NULL;
}

static void *
sem_consumer(void *arg)
{
	h_wait_go();
	for (int i = 0; i < NUNITS; i++) {
		if (i % 2)
			RL(sem_wait(&sem));
		else
			while (sem_trywait(&sem) == -1) {
				ATF_REQUIRE_EQ(errno, EAGAIN);
				RL(sem_wait(&sem));
				break;
			}
		__atomic_add_fetch(&taken, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

ATF_TC(sem_counting);
ATF_TC_HEAD(sem_counting, tc)
{
	atf_tc_set_md_var(tc, "descr", "a producer and a consumer per CPU "
	    "post and wait %d units each: every unit taken once, the count "
	    "back to 0", NUNITS);
}
ATF_TC_BODY(sem_counting, tc)
{
	int ncpu = h_ncpus(), n = ncpu < 2 ? 2 : ncpu, v;
	pthread_t p[64], c[64];

	RL(sem_init(&sem, 0, 0));
	for (int i = 0; i < n; i++) {
		c[i] = h_thread(sem_consumer, NULL);
		p[i] = h_thread(sem_producer, NULL);
		h_pin(c[i], i % ncpu);
		h_pin(p[i], (i + 1) % ncpu);
	}
	h_go();
	for (int i = 0; i < n; i++) {
		h_join(p[i]);
		h_join(c[i]);
	}
	ATF_REQUIRE_EQ(taken, n * NUNITS);
	RL(sem_getvalue(&sem, &v));
	ATF_REQUIRE_EQ(v, 0);
	ATF_REQUIRE_ERRNO(EAGAIN, sem_trywait(&sem) == -1);
	RL(sem_destroy(&sem));
}

static void *
pong(void *arg)
{
	for (int i = 0; i < 2000; i++) {
		RL(sem_wait(&sem));
		RL(sem_post(&sem2));
	}
	return NULL;
}

ATF_TC(sem_pingpong);
ATF_TC_HEAD(sem_pingpong, tc)
{
	atf_tc_set_md_var(tc, "descr", "two threads alternate through two "
	    "semaphores 2000 times, on one CPU and on two");
}
ATF_TC_BODY(sem_pingpong, tc)
{
	pthread_t t;

	RL(sem_init(&sem, 0, 0));
	RL(sem_init(&sem2, 0, 0));
	for (int cross = 0; cross < 2; cross++) {
		if (cross && h_ncpus() < 2)
			break;
		h_pin(pthread_self(), 0);
		t = h_thread(pong, NULL);
		h_pin(t, cross);
		for (int i = 0; i < 2000; i++) {
			RL(sem_post(&sem));
			RL(sem_wait(&sem2));
		}
		h_join(t);
	}
	RL(sem_destroy(&sem));
	RL(sem_destroy(&sem2));
}

static volatile lwpid_t waiter_lid;

static void *
sem_timed_waiter(void *arg)
{
	struct timespec dl = h_deadline(CLOCK_REALTIME, 20000);

	__atomic_store_n(&waiter_lid, _lwp_self(), __ATOMIC_RELEASE);
	return (void *)(intptr_t)(sem_timedwait(&sem, &dl) == 0 ? 0 : errno);
}

ATF_TC(sem_timedwait);
ATF_TC_HEAD(sem_timedwait, tc)
{
	atf_tc_set_md_var(tc, "descr", "sem_timedwait: ETIMEDOUT at or after "
	    "the deadline (also one long past), at once if a unit is there, "
	    "0 when a post comes before a 20 s deadline; EINVAL for a bad "
	    "tv_nsec when it would wait; destroy EBUSY with a waiter");
}
ATF_TC_BODY(sem_timedwait, tc)
{
	struct timespec dl, past = { 0, 1 };
	int64_t end;
	pthread_t t;

	RL(sem_init(&sem, 0, 0));
	dl = h_deadline(CLOCK_REALTIME, 50);
	ATF_REQUIRE_ERRNO(ETIMEDOUT, sem_timedwait(&sem, &dl) == -1);
	end = h_now_ns(CLOCK_REALTIME);
	ATF_REQUIRE(end >= dl.tv_sec * NS_PER_SEC + dl.tv_nsec);
	ATF_REQUIRE_ERRNO(ETIMEDOUT, sem_timedwait(&sem, &past) == -1);
	dl.tv_nsec = 1000000000;
	ATF_REQUIRE_ERRNO(EINVAL, sem_timedwait(&sem, &dl) == -1);
	RL(sem_post(&sem));
	RL(sem_timedwait(&sem, &dl));		/* no wait: not checked */
	RL(sem_post(&sem));
	RL(sem_timedwait(&sem, &past));

	waiter_lid = 0;
	t = h_thread(sem_timed_waiter, NULL);
	for (int i = 0; waiter_lid == 0 || !h_lwp_sleeps(waiter_lid,
	    "parked"); i++) {
		ATF_REQUIRE_MSG(i < 1000, "the waiter never waits");
		h_sleep_ms(5);
	}
	ATF_REQUIRE_ERRNO(EBUSY, sem_destroy(&sem) == -1);
	RL(sem_post(&sem));
	ATF_REQUIRE_EQ((intptr_t)h_join(t), 0);
	RL(sem_destroy(&sem));
}

ATF_TC(sem_errors);
ATF_TC_HEAD(sem_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "sem_init: EINVAL above SEM_VALUE_MAX, "
	    "ENOSYS shared; sem_post EOVERFLOW at SEM_VALUE_MAX; getvalue; "
	    "EINVAL once destroyed; named semaphores: ENOSYS");
}
ATF_TC_BODY(sem_errors, tc)
{
	int v;

	ATF_REQUIRE_ERRNO(EINVAL, sem_init(&sem, 0, SEM_VALUE_MAX + 1U) == -1);
	ATF_REQUIRE_ERRNO(ENOSYS, sem_init(&sem, 1, 0) == -1);
	RL(sem_init(&sem, 0, SEM_VALUE_MAX));
	ATF_REQUIRE_ERRNO(EOVERFLOW, sem_post(&sem) == -1);
	RL(sem_wait(&sem));
	RL(sem_getvalue(&sem, &v));
	ATF_REQUIRE_EQ(v, (int)SEM_VALUE_MAX - 1);
	RL(sem_destroy(&sem));
	RL(sem_init(&sem, 0, 2));
	RL(sem_trywait(&sem));
	RL(sem_trywait(&sem));
	ATF_REQUIRE_ERRNO(EAGAIN, sem_trywait(&sem) == -1);
	RL(sem_destroy(&sem));
	ATF_REQUIRE_ERRNO(EINVAL, sem_post(&sem) == -1);
	ATF_REQUIRE_ERRNO(EINVAL, sem_wait(&sem) == -1);
	/* Named ones: t_sem_named. */
	RL(sem_init(&sem, 0, 0));
	ATF_REQUIRE_ERRNO(EINVAL, sem_close(&sem) == -1);
	RL(sem_destroy(&sem));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, sem_counting);
	ATF_TP_ADD_TC(tp, sem_pingpong);
	ATF_TP_ADD_TC(tp, sem_timedwait);
	ATF_TP_ADD_TC(tp, sem_errors);
	return atf_no_error();
}

/*
 * t_pthread_cond: condition variables and barriers (user/lib/libpthread).
 *
 * Covered:
 *   - producer/consumer: producers and consumers on every CPU pass
 *     numbered items through a small bounded buffer guarded by a mutex
 *     and two condvars; every item arrives exactly once;
 *   - signal wakes one waiter, broadcast all of them;
 *   - timedwait: ETIMEDOUT, never before the deadline, with the mutex
 *     held again, on CLOCK_REALTIME (the default) and CLOCK_MONOTONIC
 *     (condattr_setclock); a deadline already past; a signal before the
 *     deadline ends the wait with 0; EINVAL for a bad tv_nsec;
 *   - a recursive mutex is released whole by the wait and its count
 *     restored after;
 *   - EPERM waiting without the mutex; destroy EBUSY with a waiter;
 *     EINVAL for a bad clock;
 *   - barriers: threads on every CPU cross one many times, no one early,
 *     exactly one PTHREAD_BARRIER_SERIAL_THREAD per round; EINVAL for a
 *     count of 0; destroy EBUSY while a thread waits.
 */
#include "h_pthread.h"

/* ---- producer/consumer ---------------------------------------------------------- */

#define QSIZE		8
#define NITEMS		2000		/* per producer */

static pthread_mutex_t qm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t notfull = PTHREAD_COND_INITIALIZER;
static pthread_cond_t notempty = PTHREAD_COND_INITIALIZER;
static int queue[QSIZE], qhead, qlen;
static unsigned char *seen;
static int nproducers;

static void *
producer(void *arg)
{
	int base = (int)(intptr_t)arg * NITEMS;

	h_wait_go();
	for (int i = 0; i < NITEMS; i++) {
		RZ(pthread_mutex_lock(&qm));
		while (qlen == QSIZE)
			RZ(pthread_cond_wait(&notfull, &qm));
		queue[(qhead + qlen++) % QSIZE] = base + i;
		RZ(pthread_cond_signal(&notempty));
		RZ(pthread_mutex_unlock(&qm));
	}
	return NULL;
}

/* Takes items until it gets -1; returns how many it took. */
static void *
consumer(void *arg)
{
	intptr_t n = 0;
	int item;

	for (;;) {
		RZ(pthread_mutex_lock(&qm));
		while (qlen == 0)
			RZ(pthread_cond_wait(&notempty, &qm));
		item = queue[qhead];
		qhead = (qhead + 1) % QSIZE;
		qlen--;
		RZ(pthread_cond_signal(&notfull));
		RZ(pthread_mutex_unlock(&qm));
		if (item == -1)
			return (void *)n;
		ATF_REQUIRE(item >= 0 && item < nproducers * NITEMS);
		ATF_REQUIRE_MSG(seen[item]++ == 0, "item %d twice", item);
		n++;
	}
}

static void
put(int item)
{
	RZ(pthread_mutex_lock(&qm));
	while (qlen == QSIZE)
		RZ(pthread_cond_wait(&notfull, &qm));
	queue[(qhead + qlen++) % QSIZE] = item;
	RZ(pthread_cond_signal(&notempty));
	RZ(pthread_mutex_unlock(&qm));
}

ATF_TC(producer_consumer);
ATF_TC_HEAD(producer_consumer, tc)
{
	atf_tc_set_md_var(tc, "descr", "producers and consumers on every CPU "
	    "pass %d items each through an %d-slot buffer (a mutex, two "
	    "condvars): each arrives once", NITEMS, QSIZE);
}
ATF_TC_BODY(producer_consumer, tc)
{
	int ncpu = h_ncpus(), nc = ncpu < 2 ? 2 : ncpu;
	pthread_t p[64], c[64];
	intptr_t total = 0;

	nproducers = nc;
	ATF_REQUIRE((seen = calloc(nc * NITEMS, 1)) != NULL);
	for (int i = 0; i < nc; i++) {
		p[i] = h_thread(producer, (void *)(intptr_t)i);
		c[i] = h_thread(consumer, NULL);
		h_pin(p[i], i % ncpu);
		h_pin(c[i], (i + 1) % ncpu);
	}
	h_go();
	for (int i = 0; i < nc; i++)
		h_join(p[i]);
	for (int i = 0; i < nc; i++)
		put(-1);
	for (int i = 0; i < nc; i++)
		total += (intptr_t)h_join(c[i]);
	ATF_REQUIRE_EQ(total, nc * NITEMS);
	for (int i = 0; i < nc * NITEMS; i++)
		ATF_REQUIRE_MSG(seen[i] == 1, "item %d: %d", i, seen[i]);
	free(seen);
}

/* ---- signal and broadcast ------------------------------------------------------------ */

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int tokens, waiting, woken;

/* Wait for a token (or a broadcast's "everybody": tokens < 0). */
static void *
token_waiter(void *arg)
{
	RZ(pthread_mutex_lock(&m));
	waiting++;
	while (tokens == 0)
		RZ(pthread_cond_wait(&c, &m));
	if (tokens > 0)
		tokens--;
	waiting--;
	woken++;
	RZ(pthread_mutex_unlock(&m));
	return NULL;
}

static int
locked_read(int *p)
{
	int v;

	RZ(pthread_mutex_lock(&m));
	v = *p;
	RZ(pthread_mutex_unlock(&m));
	return v;
}

/* Wait until `n` threads wait (are in cond_wait, or about to be). */
static void
until_waiting(int n)
{
	for (int i = 0; locked_read(&waiting) != n; i++) {
		ATF_REQUIRE_MSG(i < 2000, "%d waiting, not %d",
		    locked_read(&waiting), n);
		h_sleep_ms(5);
	}
}

ATF_TC(signal_broadcast);
ATF_TC_HEAD(signal_broadcast, tc)
{
	atf_tc_set_md_var(tc, "descr", "with 4 waiters, a signal wakes one "
	    "(the others keep waiting), a broadcast the rest");
}
ATF_TC_BODY(signal_broadcast, tc)
{
	pthread_t t[4];

	for (int i = 0; i < 4; i++)
		t[i] = h_thread(token_waiter, NULL);
	until_waiting(4);
	RZ(pthread_mutex_lock(&m));
	tokens = 1;
	RZ(pthread_cond_signal(&c));
	RZ(pthread_mutex_unlock(&m));
	until_waiting(3);
	h_sleep_ms(50);
	ATF_REQUIRE_EQ(locked_read(&woken), 1);
	ATF_REQUIRE_EQ(locked_read(&waiting), 3);
	ATF_REQUIRE_EQ(pthread_cond_destroy(&c), EBUSY);

	RZ(pthread_mutex_lock(&m));
	tokens = -1;
	RZ(pthread_cond_broadcast(&c));
	RZ(pthread_mutex_unlock(&m));
	for (int i = 0; i < 4; i++)
		h_join(t[i]);
	ATF_REQUIRE_EQ(woken, 4);
	RZ(pthread_cond_destroy(&c));
	ATF_REQUIRE_EQ(pthread_cond_signal(&c), EINVAL);
}

/* ---- timed waits ------------------------------------------------------------------------ */

static void *
trylock_m(void *arg)
{
	int error = pthread_mutex_trylock(&m);

	if (error == 0)
		RZ(pthread_mutex_unlock(&m));
	return (void *)(intptr_t)error;
}

/* A timedwait of `ms` on clock `clock` (< 0: a deadline long past)
 * times out, not early. */
static void
times_out(pthread_cond_t *cv, clockid_t clock, int64_t ms)
{
	struct timespec dl = ms < 0 ? (struct timespec){ 0, 1 } :
	    h_deadline(clock, ms);
	int64_t end;

	RZ(pthread_mutex_lock(&m));
	ATF_REQUIRE_EQ(pthread_cond_timedwait(cv, &m, &dl), ETIMEDOUT);
	end = h_now_ns(clock);
	ATF_REQUIRE_MSG(end >= dl.tv_sec * NS_PER_SEC + dl.tv_nsec,
	    "early by %lld ns", (long long)(dl.tv_sec * NS_PER_SEC +
	    dl.tv_nsec - end));
	/* And the mutex is ours again. */
	ATF_REQUIRE_EQ((intptr_t)h_join(h_thread(trylock_m, NULL)), EBUSY);
	RZ(pthread_mutex_unlock(&m));
}

ATF_TC(timedwait_timeout);
ATF_TC_HEAD(timedwait_timeout, tc)
{
	atf_tc_set_md_var(tc, "descr", "pthread_cond_timedwait returns "
	    "ETIMEDOUT at or after the deadline, holding the mutex: "
	    "CLOCK_REALTIME, CLOCK_MONOTONIC, a deadline in the past; "
	    "EINVAL for a bad tv_nsec or clock");
}
ATF_TC_BODY(timedwait_timeout, tc)
{
	pthread_condattr_t ca;
	pthread_cond_t mc;
	struct timespec ts;
	clockid_t clk;

	times_out(&c, CLOCK_REALTIME, 50);
	times_out(&c, CLOCK_REALTIME, 0);
	times_out(&c, CLOCK_REALTIME, -1);

	RZ(pthread_condattr_init(&ca));
	RZ(pthread_condattr_getclock(&ca, &clk));
	ATF_REQUIRE_EQ(clk, CLOCK_REALTIME);
	ATF_REQUIRE_EQ(pthread_condattr_setclock(&ca, 42), EINVAL);
	RZ(pthread_condattr_setclock(&ca, CLOCK_MONOTONIC));
	RZ(pthread_condattr_getclock(&ca, &clk));
	ATF_REQUIRE_EQ(clk, CLOCK_MONOTONIC);
	RZ(pthread_cond_init(&mc, &ca));
	RZ(pthread_condattr_destroy(&ca));
	times_out(&mc, CLOCK_MONOTONIC, 30);

	RZ(pthread_mutex_lock(&m));
	ts = h_deadline(CLOCK_REALTIME, 10);
	ts.tv_nsec = 1000000000;
	ATF_REQUIRE_EQ(pthread_cond_timedwait(&c, &m, &ts), EINVAL);
	ts.tv_nsec = -1;
	ATF_REQUIRE_EQ(pthread_cond_timedwait(&c, &m, &ts), EINVAL);
	RZ(pthread_mutex_unlock(&m));
	RZ(pthread_cond_destroy(&mc));
}

static volatile int sig_waiter_in;

static void *
timed_token_waiter(void *arg)
{
	struct timespec dl = h_deadline(CLOCK_REALTIME, 20000);
	int error = 0;

	RZ(pthread_mutex_lock(&m));
	__atomic_store_n(&sig_waiter_in, 1, __ATOMIC_RELEASE);
	while (tokens == 0 && error == 0)
		error = pthread_cond_timedwait(&c, &m, &dl);
	if (error == 0)
		tokens--;
	RZ(pthread_mutex_unlock(&m));
	return (void *)(intptr_t)error;
}

ATF_TC(timedwait_signalled);
ATF_TC_HEAD(timedwait_signalled, tc)
{
	atf_tc_set_md_var(tc, "descr", "a signal well before a 20 s deadline "
	    "ends pthread_cond_timedwait with 0 (long before the deadline)");
}
ATF_TC_BODY(timedwait_signalled, tc)
{
	int64_t t0 = h_now_ns(CLOCK_MONOTONIC);
	pthread_t t;

	tokens = 0;
	sig_waiter_in = 0;
	t = h_thread(timed_token_waiter, NULL);
	ATF_REQUIRE(h_until(&sig_waiter_in, 1));
	h_sleep_ms(30);
	RZ(pthread_mutex_lock(&m));
	tokens = 1;
	RZ(pthread_cond_signal(&c));
	RZ(pthread_mutex_unlock(&m));
	ATF_REQUIRE_EQ((intptr_t)h_join(t), 0);
	ATF_REQUIRE(h_now_ns(CLOCK_MONOTONIC) - t0 < 15 * NS_PER_SEC);
	ATF_REQUIRE_EQ(tokens, 0);
}

/* ---- the mutex ----------------------------------------------------------------------- */

static pthread_mutex_t rm;

static void *
signal_after_lock(void *arg)
{
	/* Gets the mutex only if the waiter released it whole. */
	RZ(pthread_mutex_lock(&rm));
	tokens = 1;
	RZ(pthread_cond_signal(&c));
	RZ(pthread_mutex_unlock(&rm));
	return NULL;
}

ATF_TC(wait_mutex);
ATF_TC_HEAD(wait_mutex, tc)
{
	atf_tc_set_md_var(tc, "descr", "waiting releases a recursive mutex "
	    "whole (locked twice) and gives the count back; EPERM waiting "
	    "on a mutex one does not hold");
}
ATF_TC_BODY(wait_mutex, tc)
{
	pthread_mutexattr_t a;
	pthread_t t;

	RZ(pthread_mutexattr_init(&a));
	RZ(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE));
	RZ(pthread_mutex_init(&rm, &a));
	ATF_REQUIRE_EQ(pthread_cond_wait(&c, &rm), EPERM);
	RZ(pthread_mutex_lock(&rm));
	RZ(pthread_mutex_lock(&rm));
	tokens = 0;
	t = h_thread(signal_after_lock, NULL);
	while (tokens == 0)
		RZ(pthread_cond_wait(&c, &rm));
	h_join(t);
	RZ(pthread_mutex_unlock(&rm));
	RZ(pthread_mutex_unlock(&rm));
	ATF_REQUIRE_EQ(pthread_mutex_unlock(&rm), EPERM);
	RZ(pthread_mutex_destroy(&rm));
}

/* ---- barriers ------------------------------------------------------------------------ */

#define NROUNDS	200

static pthread_barrier_t bar;
static volatile int arrived[NROUNDS], serial[NROUNDS];
static int nbar;

static void *
bar_body(void *arg)
{
	int r, late = 0;

	h_wait_go();
	for (r = 0; r < NROUNDS; r++) {
		__atomic_add_fetch(&arrived[r], 1, __ATOMIC_ACQ_REL);
		switch (pthread_barrier_wait(&bar)) {
		case PTHREAD_BARRIER_SERIAL_THREAD:
			__atomic_add_fetch(&serial[r], 1, __ATOMIC_ACQ_REL);
			break;
		case 0:
			break;
		default:
			return (void *)-1;
		}
		/* Nobody gets past before all arrived. */
		if (__atomic_load_n(&arrived[r], __ATOMIC_ACQUIRE) != nbar)
			late++;
	}
	return (void *)(intptr_t)late;
}

ATF_TC(barrier);
ATF_TC_HEAD(barrier, tc)
{
	atf_tc_set_md_var(tc, "descr", "threads on every CPU cross a barrier "
	    "%d times: nobody passes before everyone arrived, one "
	    "PTHREAD_BARRIER_SERIAL_THREAD per round", NROUNDS);
}
ATF_TC_BODY(barrier, tc)
{
	int ncpu = h_ncpus();
	pthread_barrierattr_t ba;
	pthread_t t[65];

	nbar = ncpu + 1;
	RZ(pthread_barrierattr_init(&ba));
	ATF_REQUIRE_EQ(pthread_barrier_init(&bar, &ba, 0), EINVAL);
	RZ(pthread_barrier_init(&bar, &ba, nbar));
	RZ(pthread_barrierattr_destroy(&ba));
	for (int i = 0; i < nbar; i++) {
		t[i] = h_thread(bar_body, NULL);
		h_pin(t[i], i % ncpu);
	}
	h_go();
	for (int i = 0; i < nbar; i++)
		ATF_REQUIRE_EQ((intptr_t)h_join(t[i]), 0);
	for (int r = 0; r < NROUNDS; r++) {
		ATF_REQUIRE_EQ(arrived[r], nbar);
		ATF_REQUIRE_EQ_MSG(serial[r], 1, "round %d: %d serial", r,
		    serial[r]);
	}
	RZ(pthread_barrier_destroy(&bar));
}

static volatile lwpid_t one_lid;

static void *
bar_one(void *arg)
{
	__atomic_store_n(&one_lid, _lwp_self(), __ATOMIC_RELEASE);
	return (void *)(intptr_t)pthread_barrier_wait(&bar);
}

ATF_TC(barrier_busy);
ATF_TC_HEAD(barrier_busy, tc)
{
	atf_tc_set_md_var(tc, "descr", "destroying a barrier a thread waits "
	    "on is EBUSY; a count of 1 never waits");
}
ATF_TC_BODY(barrier_busy, tc)
{
	pthread_t t;

	RZ(pthread_barrier_init(&bar, NULL, 2));
	t = h_thread(bar_one, NULL);
	for (int i = 0; one_lid == 0 || !h_lwp_sleeps(one_lid, "parked");
	    i++) {
		ATF_REQUIRE_MSG(i < 1000, "the thread never waits");
		h_sleep_ms(5);
	}
	ATF_REQUIRE_EQ(pthread_barrier_destroy(&bar), EBUSY);
	ATF_REQUIRE_EQ(pthread_barrier_wait(&bar) +
	    (intptr_t)h_join(t), PTHREAD_BARRIER_SERIAL_THREAD);
	RZ(pthread_barrier_destroy(&bar));
	RZ(pthread_barrier_init(&bar, NULL, 1));
	ATF_REQUIRE_EQ(pthread_barrier_wait(&bar),
	    PTHREAD_BARRIER_SERIAL_THREAD);
	RZ(pthread_barrier_destroy(&bar));
	ATF_REQUIRE_EQ(pthread_barrier_wait(&bar), EINVAL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, producer_consumer);
	ATF_TP_ADD_TC(tp, signal_broadcast);
	ATF_TP_ADD_TC(tp, timedwait_timeout);
	ATF_TP_ADD_TC(tp, timedwait_signalled);
	ATF_TP_ADD_TC(tp, wait_mutex);
	ATF_TP_ADD_TC(tp, barrier);
	ATF_TP_ADD_TC(tp, barrier_busy);
	return atf_no_error();
}

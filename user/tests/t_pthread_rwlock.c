/*
 * t_pthread_rwlock: read/write locks (user/lib/libpthread).
 *
 * Covered: readers share (several inside at once), writers exclude
 * everybody (threads on every CPU mixing reads and writes check who is
 * inside); a waiting writer holds back new readers (tryrdlock EBUSY)
 * and gets the lock when the readers leave; EDEADLK for a writer
 * relocking; EPERM unlocking an unlocked lock or another's write lock;
 * trywrlock/tryrdlock EBUSY; destroy EBUSY; timedrdlock/timedwrlock:
 * ETIMEDOUT past the deadline when the lock stays busy (and the lock
 * is left usable, readers no longer held back by the writer that gave
 * up), 0 when it is handed over in time or free (even with a deadline
 * already past), EINVAL for a bad time, EDEADLK relocking.
 */
#include "h_pthread.h"

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static volatile int readers, writers, maxreaders, go;
static long shared_val;

struct rwstat {
	int	iters;
	int	bad;
};

static void *
rw_body(void *arg)
{
	struct rwstat *st = arg;
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	int r, m;

	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		sched_yield();
	for (int i = 0; i < st->iters; i++) {
		seed = seed * 1103515245 + 12345;
		if ((seed >> 16) % 4 == 0) {
			RZ(pthread_rwlock_wrlock(&rw));
			if (__atomic_add_fetch(&writers, 1, __ATOMIC_ACQ_REL) != 1 ||
			    __atomic_load_n(&readers, __ATOMIC_ACQUIRE) != 0)
				st->bad++;
			shared_val++;
			if (i % 64 == 0)
				sched_yield();
			__atomic_sub_fetch(&writers, 1, __ATOMIC_ACQ_REL);
		} else {
			RZ(pthread_rwlock_rdlock(&rw));
			r = __atomic_add_fetch(&readers, 1, __ATOMIC_ACQ_REL);
			while (r > (m = maxreaders) &&
			    !__atomic_compare_exchange_n(&maxreaders, &m, r,
			    false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
				continue;
			if (__atomic_load_n(&writers, __ATOMIC_ACQUIRE) != 0)
				st->bad++;
			if (i % 16 == 0)
				sched_yield();	/* let others in */
			__atomic_sub_fetch(&readers, 1, __ATOMIC_ACQ_REL);
		}
		RZ(pthread_rwlock_unlock(&rw));
	}
	return NULL;
}

ATF_TC(rwlock_exclusion);
ATF_TC_HEAD(rwlock_exclusion, tc)
{
	atf_tc_set_md_var(tc, "descr", "two threads per CPU take a rwlock, "
	    "a quarter of the time to write: a writer is always alone, "
	    "readers share (several were inside at once)");
}
ATF_TC_BODY(rwlock_exclusion, tc)
{
	int ncpu = h_ncpus(), n = 2 * ncpu, nw;
	struct rwstat st[128];
	pthread_t t[128];

	for (int i = 0; i < n; i++) {
		st[i] = (struct rwstat){ 2000, 0 };
		t[i] = h_thread(rw_body, &st[i]);
		h_pin(t[i], i % ncpu);
	}
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < n; i++) {
		h_join(t[i]);
		ATF_CHECK_EQ_MSG(st[i].bad, 0, "thread %d saw %d overlaps", i,
		    st[i].bad);
	}
	/* The writes: recount them the way rw_body chose. */
	nw = 0;
	for (int i = 0; i < n; i++) {
		unsigned int seed = (unsigned int)(uintptr_t)&st[i];

		for (int k = 0; k < 2000; k++) {
			seed = seed * 1103515245 + 12345;
			nw += (seed >> 16) % 4 == 0;
		}
	}
	ATF_REQUIRE_EQ(shared_val, nw);
	ATF_REQUIRE_MSG(maxreaders >= 2, "readers never shared the lock");
	RZ(pthread_rwlock_destroy(&rw));
}

static volatile int wr_state;

static void *
writer(void *arg)
{
	__atomic_store_n(&wr_state, 1, __ATOMIC_RELEASE);
	RZ(pthread_rwlock_wrlock(&rw));
	__atomic_store_n(&wr_state, 2, __ATOMIC_RELEASE);
	RZ(pthread_rwlock_unlock(&rw));
	return NULL;
}

static void *
try_read(void *arg)
{
	int error = pthread_rwlock_tryrdlock(&rw);

	if (error == 0)
		RZ(pthread_rwlock_unlock(&rw));
	return (void *)(intptr_t)error;
}

static void *
try_write(void *arg)
{
	int error = pthread_rwlock_trywrlock(&rw);

	if (error == 0)
		RZ(pthread_rwlock_unlock(&rw));
	return (void *)(intptr_t)error;
}

static void *
unlock_rw(void *arg)
{
	return (void *)(intptr_t)pthread_rwlock_unlock(&rw);
}

ATF_TC(rwlock_writer_waits);
ATF_TC_HEAD(rwlock_writer_waits, tc)
{
	atf_tc_set_md_var(tc, "descr", "a writer waits for the reader; "
	    "while it waits, new readers are refused (writers first); it "
	    "gets the lock when the reader leaves; trywrlock EBUSY");
}
ATF_TC_BODY(rwlock_writer_waits, tc)
{
	pthread_t w;

	RZ(pthread_rwlock_rdlock(&rw));
	ATF_REQUIRE_EQ((intptr_t)h_join(h_thread(try_read, NULL)), 0);
	ATF_REQUIRE_EQ((intptr_t)h_join(h_thread(try_write, NULL)), EBUSY);
	wr_state = 0;
	w = h_thread(writer, NULL);
	ATF_REQUIRE(h_until(&wr_state, 1));
	for (int i = 0; (intptr_t)h_join(h_thread(try_read, NULL)) != EBUSY;
	    i++) {
		ATF_REQUIRE_MSG(i < 1000, "readers never held back");
		h_sleep_ms(5);
	}
	h_sleep_ms(20);
	ATF_REQUIRE_EQ(wr_state, 1);
	ATF_REQUIRE_EQ(pthread_rwlock_destroy(&rw), EBUSY);
	RZ(pthread_rwlock_unlock(&rw));
	h_join(w);
	ATF_REQUIRE_EQ(wr_state, 2);
	RZ(pthread_rwlock_destroy(&rw));
}

ATF_TC(rwlock_errors);
ATF_TC_HEAD(rwlock_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "rwlocks: EDEADLK relocking (for "
	    "writing or reading) a lock we write; EPERM unlocking it free "
	    "or from another thread; tryrdlock EBUSY; EINVAL destroyed");
}
ATF_TC_BODY(rwlock_errors, tc)
{
	pthread_rwlockattr_t a;

	RZ(pthread_rwlockattr_init(&a));
	RZ(pthread_rwlock_init(&rw, &a));
	RZ(pthread_rwlockattr_destroy(&a));
	ATF_REQUIRE_EQ(pthread_rwlock_unlock(&rw), EPERM);
	RZ(pthread_rwlock_wrlock(&rw));
	ATF_REQUIRE_EQ(pthread_rwlock_wrlock(&rw), EDEADLK);
	ATF_REQUIRE_EQ(pthread_rwlock_rdlock(&rw), EDEADLK);
	ATF_REQUIRE_EQ((intptr_t)h_join(h_thread(try_read, NULL)), EBUSY);
	ATF_REQUIRE_EQ((intptr_t)h_join(h_thread(try_write, NULL)), EBUSY);
	ATF_REQUIRE_EQ((intptr_t)h_join(h_thread(unlock_rw, NULL)), EPERM);
	RZ(pthread_rwlock_unlock(&rw));
	ATF_REQUIRE_EQ(pthread_rwlock_unlock(&rw), EPERM);
	RZ(pthread_rwlock_tryrdlock(&rw));
	RZ(pthread_rwlock_tryrdlock(&rw));
	RZ(pthread_rwlock_unlock(&rw));
	RZ(pthread_rwlock_unlock(&rw));
	RZ(pthread_rwlock_trywrlock(&rw));
	RZ(pthread_rwlock_unlock(&rw));
	RZ(pthread_rwlock_destroy(&rw));
	ATF_REQUIRE_EQ(pthread_rwlock_rdlock(&rw), EINVAL);
}

static struct timespec timed_deadline;

static void *
timed_write(void *arg)
{
	return (void *)(intptr_t)pthread_rwlock_timedwrlock(&rw,
	    &timed_deadline);
}

static void *
timed_read(void *arg)
{
	return (void *)(intptr_t)pthread_rwlock_timedrdlock(&rw,
	    &timed_deadline);
}

ATF_TC(rwlock_timed);
ATF_TC_HEAD(rwlock_timed, tc)
{
	atf_tc_set_md_var(tc, "descr", "timedwrlock/timedrdlock: ETIMEDOUT "
	    "on a lock that stays busy, the lock usable after; 0 when free "
	    "or handed over in time; EINVAL for a bad time; EDEADLK");
}
ATF_TC_BODY(rwlock_timed, tc)
{
	struct timespec bad = { 0, 1000000000 };
	pthread_t t;

	RZ(pthread_rwlock_init(&rw, NULL));
	/* Free: taken at once, whatever the deadline. */
	timed_deadline = (struct timespec){ 0, 0 };
	RZ(pthread_rwlock_timedwrlock(&rw, &timed_deadline));
	ATF_REQUIRE_EQ(pthread_rwlock_timedwrlock(&rw, &timed_deadline),
	    EDEADLK);
	RZ(pthread_rwlock_unlock(&rw));
	RZ(pthread_rwlock_timedrdlock(&rw, &timed_deadline));

	/* Read-locked: a timed writer gives up; then readers get in
	 * again (its WRITE_WANTED is gone) and so do writers. */
	ATF_REQUIRE_EQ(pthread_rwlock_timedwrlock(&rw, &bad), EINVAL);
	timed_deadline = h_deadline(CLOCK_REALTIME, 50);
	ATF_REQUIRE_EQ((intptr_t)h_join(h_thread(timed_write, NULL)),
	    ETIMEDOUT);
	ATF_REQUIRE_EQ((intptr_t)h_join(h_thread(try_read, NULL)), 0);
	RZ(pthread_rwlock_unlock(&rw));
	ATF_REQUIRE_EQ((intptr_t)h_join(h_thread(try_write, NULL)), 0);

	/* Write-locked: a timed reader gives up. */
	RZ(pthread_rwlock_wrlock(&rw));
	ATF_REQUIRE_EQ(pthread_rwlock_timedrdlock(&rw, &timed_deadline),
	    EDEADLK);
	timed_deadline = h_deadline(CLOCK_REALTIME, 50);
	ATF_REQUIRE_EQ((intptr_t)h_join(h_thread(timed_read, NULL)),
	    ETIMEDOUT);
	/* Handed over well before the deadline (60 s: a backstop). */
	timed_deadline = h_deadline(CLOCK_REALTIME, 60000);
	t = h_thread(timed_read, NULL);
	h_sleep_ms(20);
	RZ(pthread_rwlock_unlock(&rw));
	ATF_REQUIRE_EQ((intptr_t)h_join(t), 0);
	RZ(pthread_rwlock_unlock(&rw));	/* the reader's lock, ours now */
	RZ(pthread_rwlock_destroy(&rw));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, rwlock_exclusion);
	ATF_TP_ADD_TC(tp, rwlock_writer_waits);
	ATF_TP_ADD_TC(tp, rwlock_errors);
	ATF_TP_ADD_TC(tp, rwlock_timed);
	return atf_no_error();
}

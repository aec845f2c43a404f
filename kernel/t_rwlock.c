/*
 * t_rwlock.c: ktests for reader/writer locks.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/kthread.h>
#include <sys/ktest.h>
#include <sys/lwp.h>
#include <sys/param.h>
#include <sys/rwlock.h>
#include <sys/sleepq.h>
#include <sys/time.h>

static krwlock_t t_rw;
static volatile int t_rw_readers, t_rw_writers, t_rw_maxreaders;
static volatile int t_rw_errors, t_rw_stop;

static void
t_rw_reader(void *arg)
{
	while (!t_rw_stop) {
		rw_enter(&t_rw, RW_READER);
		int r = __atomic_add_fetch(&t_rw_readers, 1, __ATOMIC_SEQ_CST);
		if (t_rw_writers != 0)
			t_rw_errors++;
		if (r > t_rw_maxreaders)
			t_rw_maxreaders = r;
		kpause("t_rwr", false, 1, NULL);	/* hold it a tick */
		__atomic_sub_fetch(&t_rw_readers, 1, __ATOMIC_SEQ_CST);
		rw_exit(&t_rw);
	}
}

static volatile uint64_t t_rw_worst_wait;
static volatile int t_rw_writes;

static void
t_rw_writer(void *arg)
{
	while (!t_rw_stop) {
		uint64_t t0 = nsuptime();

		rw_enter(&t_rw, RW_WRITER);
		uint64_t waited = nsuptime() - t0;
		if (waited > t_rw_worst_wait)
			t_rw_worst_wait = waited;
		if (__atomic_add_fetch(&t_rw_writers, 1, __ATOMIC_SEQ_CST) != 1 ||
		    t_rw_readers != 0)
			t_rw_errors++;
		KASSERT(rw_write_held(&t_rw));
		delay(500);
		__atomic_sub_fetch(&t_rw_writers, 1, __ATOMIC_SEQ_CST);
		t_rw_writes++;
		rw_exit(&t_rw);
		kpause("t_rww", false, 3, NULL);
	}
}

/*
 * Readers (two per CPU, each holding the lock for a tick at a time, so
 * there is always one in) and two writers, until the writers have
 * written T_RW_WRITES times: many readers are in at once; a writer is
 * always alone; and writers get in despite the stream of readers.  A
 * starved writer never would: the limit (20 s) is a backstop that makes
 * that a failure instead of a hang, not a measure of speed (a loaded
 * host can hold a virtual CPU back for a good part of a second).
 */
#define T_RW_WRITES	20

KTEST(rwlock_readers_share_writers_exclusive_not_starved)
{
	static lwp_t *l[2 * MAXCPUS + 2];
	u_int n = 2 * ncpu + 2;
	uint64_t end;

	rw_init(&t_rw, "t_rw");
	t_rw_readers = t_rw_writers = t_rw_maxreaders = 0;
	t_rw_errors = t_rw_stop = t_rw_writes = 0;
	t_rw_worst_wait = 0;
	for (u_int i = 0; i < n; i++)
		KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN,
		    cpu_lookup(i % ncpu), i < 2 ? t_rw_writer : t_rw_reader,
		    NULL, &l[i], "t_rw%u", i), 0);
	for (end = nsuptime() + 20000000000UL;
	    t_rw_writes < T_RW_WRITES && nsuptime() < end; )
		kpause("t_rw", false, 1, NULL);
	t_rw_stop = 1;
	for (u_int i = 0; i < n; i++)
		KT_EQ(kthread_join(l[i]), 0);
	printf("ktest: rwlock: up to %d readers at once, %d writes, longest "
	    "writer wait %lu ms\n", t_rw_maxreaders, t_rw_writes,
	    t_rw_worst_wait / 1000000);
	KT_EQ(t_rw_errors, 0);
	KT_ASSERT(t_rw_maxreaders > 1);
	KT_ASSERT(t_rw_writes >= T_RW_WRITES);	/* not starved */
	KT_EQ(t_rw.rw_owner, 0);
	rw_destroy(&t_rw);
}

/* try/upgrade/downgrade on an uncontended lock. */
KTEST(rwlock_try_upgrade_downgrade)
{
	krwlock_t rw;

	rw_init(&rw, "t_rw_local");
	KT_EQ(rw_tryenter(&rw, RW_READER), 1);
	KT_ASSERT(rw_read_held(&rw) && !rw_write_held(&rw));
	KT_EQ(rw_tryenter(&rw, RW_WRITER), 0);	/* a reader is in */
	KT_EQ(rw_tryenter(&rw, RW_READER), 1);	/* two readers */
	KT_EQ(rw_tryupgrade(&rw), 0);		/* not the only one */
	rw_exit(&rw);
	KT_EQ(rw_tryupgrade(&rw), 1);		/* now it is */
	KT_ASSERT(rw_write_held(&rw) && rw_lock_held(&rw));
	KT_EQ(rw_tryenter(&rw, RW_READER), 0);
	rw_downgrade(&rw);
	KT_ASSERT(rw_read_held(&rw) && !rw_write_held(&rw));
	rw_exit(&rw);
	KT_EQ(rw.rw_owner, 0);
	rw_enter(&rw, RW_WRITER);
	rw_exit(&rw);
	rw_destroy(&rw);
}

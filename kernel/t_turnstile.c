/*
 * t_turnstile.c: turnstiles and priority inheritance, one contract at
 * a time (kern_turnstile.c, mutex_vector_exit in kern_mutex.c; lab pi).
 *
 * Every test asserts states, never durations: this thread holds a lock,
 * makes others block on it, waits (sleeping a tick at a time, within a
 * generous bound of its own ticks) until each is asleep on the lock and
 * off its CPU -- by then its loan is made -- and then looks at the
 * turnstile, the owners' inherited priorities, and what each LWP takes
 * with it when it leaves.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/kthread.h>
#include <sys/ktest.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/rwlock.h>
#include <sys/sleepq.h>
#include <sys/turnstile.h>

#define T_TICKS		500	/* the bound on a wait, in our ticks */
#define T_NW		6	/* waiters at once */

/* Is l asleep on lock obj, and off its CPU (its loan made)? */
static bool
t_blocked_on(lwp_t *l, wchan_t obj)
{
	bool b;

	lwp_lock(l);
	b = l->l_stat == LSSLEEP && l->l_wchan == obj &&
	    !(l->l_pflag & LP_RUNNING);
	lwp_unlock(l);
	return b;
}

/* Wait until the n LWPs in ls block on obj (false: not within the
 * bound, e.g. they never block on it at all). */
static bool
t_wait_blocked(lwp_t **ls, int n, wchan_t obj)
{
	for (int t = 0; t < T_TICKS; t++) {
		int k = 0;

		while (k < n && t_blocked_on(ls[k], obj))
			k++;
		if (k == n)
			return true;
		(void)kpause("t_tswait", false, 1, NULL);
	}
	return false;
}

static pri_t
t_myinherited(void)
{
	pri_t p;

	lwp_lock(curlwp);
	p = curlwp->l_inheritedprio;
	lwp_unlock(curlwp);
	return p;
}

/* A waiter: notes its own turnstile, takes and releases the lock, notes
 * the turnstile it leaves with and what it still inherits. */
struct t_waiter {
	kmutex_t	*w_m;
	turnstile_t	*w_own, *w_after;
	bool		w_clean;	/* w_after, when it left */
	pri_t		w_inh_after;
};

static bool t_ts_clean(const turnstile_t *);

static void
t_waiter(void *arg)
{
	struct t_waiter *w = arg;

	w->w_own = curlwp->l_ts;
	mutex_enter(w->w_m);
	mutex_exit(w->w_m);
	w->w_after = curlwp->l_ts;
	w->w_clean = t_ts_clean(w->w_after);	/* (freed at our exit) */
	lwp_lock(curlwp);
	w->w_inh_after = curlwp->l_inheritedprio;
	lwp_unlock(curlwp);
}

static int
t_spawn(struct t_waiter *w, kmutex_t *m, pri_t pri, lwp_t **lp)
{
	memset(w, 0, sizeof(*w));
	w->w_m = m;
	return kthread_create(pri, KTHREAD_MUSTJOIN, NULL, t_waiter, w, lp,
	    "t_tsw");
}

/* ---- turnstile_block / turnstile_wakeup: who has which turnstile ------- */

/* A turnstile that nobody blocks on: not active, no spares, no loan. */
static bool
t_ts_clean(const turnstile_t *ts)
{
	return ts != NULL && ts->ts_obj == NULL && ts->ts_free == NULL &&
	    ts->ts_waiters[0] == 0 && ts->ts_waiters[1] == 0 &&
	    ts->ts_inheritor == NULL &&
	    TAILQ_EMPTY(&ts->ts_sleepq[0]) && TAILQ_EMPTY(&ts->ts_sleepq[1]);
}

/* Is ts one of the w[].w_own? */
static bool
t_owned_by_one(struct t_waiter *w, int n, const turnstile_t *ts)
{
	for (int i = 0; i < n; i++)
		if (w[i].w_own == ts)
			return true;
	return false;
}

/*
 * Waiters block on a mutex this thread holds: the first one's turnstile
 * becomes the mutex's (active, on its chain), the others' hang on its
 * ts_free, each waiter's l_ts is the active one, and all are counted.
 * After the release, each leaves with a clean turnstile of its own,
 * none shared, and together exactly the turnstiles they came with: none
 * lost, none made up.  Three rounds (the turnstiles are reused).
 */
KTEST(turnstile_waiters_lend_their_turnstiles)
{
	static kmutex_t m;
	struct t_waiter w[T_NW];
	lwp_t *l[T_NW];

	for (int round = 0; round < 3; round++) {
		bool blocked, active = false, shared = false, clean = true;
		bool all = true, distinct = true, gone;
		int nfree = 0;
		turnstile_t *ts;

		mutex_init(&m, MUTEX_DEFAULT, IPL_NONE, "t_tsm");
		mutex_enter(&m);
		for (int i = 0; i < T_NW; i++)	/* below us: no loans */
			KT_EQ(t_spawn(&w[i], &m, PRI_KTHREAD - 1 - i, &l[i]), 0);
		blocked = t_wait_blocked(l, T_NW, &m);
		if (blocked) {
			ts = turnstile_lookup(&m);
			active = ts != NULL && ts->ts_obj == &m &&
			    ts->ts_waiters[TS_WRITER_Q] == T_NW &&
			    ts->ts_waiters[TS_READER_Q] == 0 &&
			    t_owned_by_one(w, T_NW, ts);
			shared = active;
			for (int i = 0; active && i < T_NW; i++)
				if (l[i]->l_ts != ts)
					shared = false;
			for (turnstile_t *f = ts != NULL ? ts->ts_free : NULL;
			    f != NULL && nfree <= T_NW; f = f->ts_free) {
				nfree++;
				if (!t_owned_by_one(w, T_NW, f) || f == ts)
					all = false;
			}
			turnstile_exit(&m);
		}
		mutex_exit(&m);
		for (int i = 0; i < T_NW; i++)
			KT_EQ(kthread_join(l[i]), 0);
		for (int i = 0; i < T_NW; i++) {
			clean &= w[i].w_clean;
			all &= t_owned_by_one(w, T_NW, w[i].w_after);
			for (int j = 0; j < i; j++)
				distinct &= w[i].w_after != w[j].w_after;
		}
		gone = turnstile_lookup(&m) == NULL;
		turnstile_exit(&m);
		mutex_destroy(&m);
		KT_ASSERT(blocked);
		KT_ASSERT(active);	/* one of theirs, counted, on the chain */
		KT_ASSERT(shared);	/* every waiter's l_ts is the active one */
		KT_EQ(nfree, T_NW - 1);	/* the others' are the spares */
		KT_ASSERT(all);		/* ... all of them theirs */
		KT_ASSERT(distinct);	/* each leaves with its own */
		KT_ASSERT(clean);
		KT_ASSERT(gone);	/* the mutex has no active turnstile */
	}
}

/* ---- turnstile_lendpri ------------------------------------------------ */

/*
 * A waiter of lower priority than the owner lends nothing; a higher one
 * lends its priority (the owner's l_inheritedprio); a lower loan never
 * lowers what was lent; a higher one raises it.  All of it is given
 * back at the release.
 */
KTEST(turnstile_lendpri_raises_owner)
{
	static kmutex_t m;
	struct t_waiter w[4];
	lwp_t *l[4];
	static const pri_t pri[4] = { PRI_KTHREAD - 6, PRI_KTHREAD + 20,
	    PRI_KTHREAD + 10, PRI_KTHREAD + 24 };
	static const pri_t want[4] = { -1, PRI_KTHREAD + 20, PRI_KTHREAD + 20,
	    PRI_KTHREAD + 24 };
	pri_t got[4] = { -2, -2, -2, -2 }, after;
	int n = 0;

	mutex_init(&m, MUTEX_DEFAULT, IPL_NONE, "t_tslend");
	mutex_enter(&m);
	KT_EQ(curlwp->l_priority, PRI_KTHREAD);
	for (; n < 4; n++) {
		if (t_spawn(&w[n], &m, pri[n], &l[n]) != 0)
			break;
		if (!t_wait_blocked(&l[n], 1, &m)) {
			n++;
			break;
		}
		got[n] = t_myinherited();
	}
	mutex_exit(&m);
	after = t_myinherited();
	for (int i = 0; i < n; i++)
		KT_EQ(kthread_join(l[i]), 0);
	mutex_destroy(&m);
	for (int i = 0; i < 4; i++)
		KT_EQ(got[i], want[i]);
	KT_EQ(after, -1);
	KT_ASSERT(SLIST_EMPTY(&curlwp->l_pi_lenders));
}

/* ---- turnstile_unlendpri ---------------------------------------------- */

/*
 * Holding two mutexes, each with a waiter lending its priority: the
 * release of one gives back exactly that loan (what the other lends
 * stays), the release of the other gives back the rest.  In both
 * orders.
 */
KTEST(turnstile_unlendpri_gives_back_exactly)
{
	static kmutex_t m1, m2;
	struct t_waiter w[2];
	lwp_t *l[2];
	pri_t both[2] = { -2, -2 }, one[2] = { -2, -2 }, none[2] = { -2, -2 };
	bool blocked[2] = { false, false }, empty[2] = { false, false };

	mutex_init(&m1, MUTEX_DEFAULT, IPL_NONE, "t_tsun1");
	mutex_init(&m2, MUTEX_DEFAULT, IPL_NONE, "t_tsun2");
	for (int order = 0; order < 2; order++) {
		mutex_enter(&m1);
		mutex_enter(&m2);
		KT_EQ(t_spawn(&w[0], &m1, PRI_KTHREAD + 24, &l[0]), 0);
		KT_EQ(t_spawn(&w[1], &m2, PRI_KTHREAD + 14, &l[1]), 0);
		blocked[order] = t_wait_blocked(&l[0], 1, &m1) &&
		    t_wait_blocked(&l[1], 1, &m2);
		both[order] = t_myinherited();
		mutex_exit(order == 0 ? &m1 : &m2);
		one[order] = t_myinherited();
		mutex_exit(order == 0 ? &m2 : &m1);
		none[order] = t_myinherited();
		empty[order] = SLIST_EMPTY(&curlwp->l_pi_lenders);
		KT_EQ(kthread_join(l[0]), 0);
		KT_EQ(kthread_join(l[1]), 0);
	}
	mutex_destroy(&m1);
	mutex_destroy(&m2);
	for (int order = 0; order < 2; order++) {
		KT_ASSERT(blocked[order]);
		KT_EQ(both[order], PRI_KTHREAD + 24);
		/* m1's (the higher) given back: m2's remains; or m2's
		 * given back: m1's still the higher. */
		KT_EQ(one[order], order == 0 ? PRI_KTHREAD + 14 :
		    PRI_KTHREAD + 24);
		KT_EQ(none[order], -1);
		KT_ASSERT(empty[order]);
	}
}

/* ---- the chain ------------------------------------------------------------ */

static kmutex_t t_ch1, t_ch2;
static volatile pri_t t_ch_mid_after;

/* Mid: holds ch2, then waits for ch1 (ours), then lets go of both. */
static void
t_ch_mid(void *arg)
{
	mutex_enter(&t_ch2);
	mutex_enter(&t_ch1);
	mutex_exit(&t_ch1);
	mutex_exit(&t_ch2);
	lwp_lock(curlwp);
	t_ch_mid_after = curlwp->l_inheritedprio;
	lwp_unlock(curlwp);
}

/*
 * High waits for ch2, held by Mid, which waits for ch1, held by us:
 * High's priority travels the chain to us, through Mid; each release
 * gives back what came through that lock.
 */
KTEST(turnstile_lendpri_walks_the_chain)
{
	struct t_waiter w;
	lwp_t *mid, *high;
	bool midblocked, highblocked = false;
	pri_t us1 = -2, us2 = -2, mid2 = -2, us3;

	mutex_init(&t_ch1, MUTEX_DEFAULT, IPL_NONE, "t_ch1");
	mutex_init(&t_ch2, MUTEX_DEFAULT, IPL_NONE, "t_ch2");
	t_ch_mid_after = -2;
	mutex_enter(&t_ch1);
	KT_EQ(kthread_create(PRI_KTHREAD + 4, KTHREAD_MUSTJOIN, NULL,
	    t_ch_mid, NULL, &mid, "t_chmid"), 0);
	midblocked = t_wait_blocked(&mid, 1, &t_ch1);	/* holding ch2 */
	us1 = t_myinherited();
	KT_EQ(t_spawn(&w, &t_ch2, PRI_KTHREAD + 20, &high), 0);
	if (midblocked) {
		highblocked = t_wait_blocked(&high, 1, &t_ch2);
		us2 = t_myinherited();
		lwp_lock(mid);
		mid2 = mid->l_inheritedprio;
		lwp_unlock(mid);
	}
	mutex_exit(&t_ch1);
	us3 = t_myinherited();
	KT_EQ(kthread_join(high), 0);
	KT_EQ(kthread_join(mid), 0);
	mutex_destroy(&t_ch1);
	mutex_destroy(&t_ch2);
	KT_ASSERT(midblocked && highblocked);
	KT_EQ(us1, PRI_KTHREAD + 4);		/* Mid's, to us */
	KT_EQ(mid2, PRI_KTHREAD + 20);		/* High's, to Mid */
	KT_EQ(us2, PRI_KTHREAD + 20);		/* ... and on to us */
	KT_EQ(us3, -1);
	KT_EQ(t_ch_mid_after, -1);		/* Mid gave it back too */
	KT_EQ(w.w_inh_after, -1);
}

/* ---- turnstile_wakeup with a count: an rwlock ----------------------------- */

static krwlock_t t_rwh;
static volatile int t_rwh_in, t_rwh_go, t_rwh_readers;

static void
t_rwh_writer(void *arg)
{
	rw_enter(&t_rwh, RW_WRITER);
	__atomic_store_n(&t_rwh_in, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&t_rwh_go, __ATOMIC_ACQUIRE))
		(void)kpause("t_rwhw", false, 1, NULL);
	rw_exit(&t_rwh);
}

static void
t_rwh_reader(void *arg)
{
	rw_enter(&t_rwh, RW_READER);
	__atomic_add_fetch(&t_rwh_readers, 1, __ATOMIC_RELAXED);
	rw_exit(&t_rwh);
}

/*
 * Write-holding an rwlock that a writer and two readers wait for, the
 * release hands it to the writer alone (turnstile_wakeup of one LWP of
 * the writer queue): the readers stay asleep on it until the writer
 * lets go, and then all of them get in.
 */
KTEST(turnstile_wakeup_hands_rwlock_to_one_writer)
{
	lwp_t *l[3];
	bool blocked, writer_in = false, readers_wait = false;
	int t;

	rw_init(&t_rwh, "t_rwh");
	t_rwh_in = t_rwh_go = t_rwh_readers = 0;
	rw_enter(&t_rwh, RW_WRITER);
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL, t_rwh_writer,
	    NULL, &l[0], "t_rwhw"), 0);
	blocked = t_wait_blocked(&l[0], 1, &t_rwh);
	for (int i = 1; i < 3; i++)
		KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL,
		    t_rwh_reader, NULL, &l[i], "t_rwhr%d", i), 0);
	blocked = blocked && t_wait_blocked(&l[1], 2, &t_rwh);
	rw_exit(&t_rwh);
	if (blocked) {
		for (t = 0; t < T_TICKS && !t_rwh_in; t++)
			(void)kpause("t_rwh", false, 1, NULL);
		writer_in = t_rwh_in;
		readers_wait = t_blocked_on(l[1], &t_rwh) &&
		    t_blocked_on(l[2], &t_rwh) && t_rwh_readers == 0;
	}
	__atomic_store_n(&t_rwh_go, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 3; i++)
		KT_EQ(kthread_join(l[i]), 0);
	KT_ASSERT(blocked);
	KT_ASSERT(writer_in);
	KT_ASSERT(readers_wait);
	KT_EQ(t_rwh_readers, 2);
	KT_EQ(t_rwh.rw_owner, 0);
	rw_destroy(&t_rwh);
}

/*
 * t_sleepq.c: ktests for sleep queues (kern_sleepq.c; lab sleepq),
 * condition variables and callouts.
 *
 * The sleep queue's own contract comes first, as early ktests
 * (KTEST_EARLY): they run on the boot CPU right after lwpinit(), before
 * anything is scheduled and with interrupts off, so that they judge
 * the sleep queues even when they are too broken for the kernel to boot
 * (xc_init's threads are the first to sleep).  Made-up LWPs go to sleep
 * on a made-up sleep queue (t_sq, locked by t_sq_lock) the way curlwp
 * does, up to the point where sleepq_block would switch away; since
 * sleepq_enter and sleepq_enqueue work on curlwp, each made-up LWP *is*
 * curlwp for that moment (ci_curlwp): safe here and only here, with one
 * CPU, interrupts off and nothing else running, and lwp0 is curlwp
 * again before anything else happens.  They belong to a made-up CPU
 * (t_sq_ci, which never runs) and are bound to it, so a woken one lands
 * on t_sq_ci's run queue, where nobody else looks.
 *
 * Then sleepq_block with real threads (timeouts, wakeups before them,
 * many timed sleeps on every CPU), condition variables and callouts.
 * Interruptible sleeps need user LWPs: user/tests/t_sleep.c.
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/condvar.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/kthread.h>
#include <sys/ktest.h>
#include <sys/lock.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/sched.h>
#include <sys/sleepq.h>
#include <sys/syncobj.h>
#include <sys/time.h>
#include <sys/callout.h>
#include <sys/errno.h>
#include <sys/proc.h>
#include <sys/xcall.h>

#include "t_fake.h"

/* ---- early tests: the sleep queue's contract ---------------------------- */

#define T_SQ_N	8

static struct cpu_info t_sq_ci;		/* the sleepers' CPU: never runs */
static lwp_t t_sq_l[T_SQ_N] __aligned(LWP_ALIGN);
static sleepq_t t_sq;			/* a made-up sleep queue ... */
static kmutex_t t_sq_lock;		/* ... and its lock */
static int t_chan_a, t_chan_b;		/* two wait channels on it */

/* Plain FIFO and LIFO kinds of sleep (sleep_syncobj is sorted). */
static syncobj_t t_fifo_syncobj = {
	.sobj_flag = SOBJ_SLEEPQ_FIFO,
	.sobj_unsleep = sleepq_unsleep,
	.sobj_changepri = sleepq_changepri,
	.sobj_lendpri = sleepq_lendpri,
	.sobj_owner = syncobj_noowner,
};
static syncobj_t t_lifo_syncobj = {
	.sobj_flag = SOBJ_SLEEPQ_LIFO,
	.sobj_unsleep = sleepq_unsleep,
	.sobj_changepri = sleepq_changepri,
	.sobj_lendpri = sleepq_lendpri,
	.sobj_owner = syncobj_noowner,
};

/* A fresh made-up CPU, empty sleep queue and made-up LWPs. */
static void
t_sq_init(void)
{
	t_fake_cpu(&t_sq_ci, MAXCPUS - 3);
	TAILQ_INIT(&t_sq);
	mutex_init(&t_sq_lock, MUTEX_SPIN, IPL_SCHED, "t_sq");
	mutex_setorder(&t_sq_lock, LOCKORDER_SLEEPTAB);
	memset(t_sq_l, 0, sizeof(t_sq_l));
}

/* Made-up LWP i, running (LSONPROC) on t_sq_ci and bound to it. */
static lwp_t *
t_sq_lwp(int i, pri_t pri)
{
	lwp_t *l = t_fake_lwp(&t_sq_l[i], 3000 + i, LSONPROC, &t_sq_ci,
	    t_sq_ci.ci_schedstate.spc_lwplock, pri, "t_sq");

	l->l_pflag = LP_BOUND;
	return l;
}

/*
 * l goes to sleep on t_sq for wchan, as curlwp would (sleepq_enter,
 * sleepq_enqueue), up to where sleepq_block would switch away; then it
 * has "switched away": asleep, covered by t_sq_lock, which is let go.
 */
static void
t_sq_sleep(lwp_t *l, wchan_t wchan, syncobj_t *sobj)
{
	struct cpu_info *ci = curcpu();

	ci->ci_curlwp = l;
	sleepq_enter(&t_sq, l, &t_sq_lock);
	sleepq_enqueue(&t_sq, wchan, "t_sq", sobj);
	ci->ci_curlwp = &lwp0;
	if (mutex_owned(&t_sq_lock))
		mutex_spin_exit(&t_sq_lock);
}

/* Undo: lwp0 is curlwp, and none of the test's locks is held. */
static void
t_sq_done(void)
{
	struct schedstate_percpu *spc = &t_sq_ci.ci_schedstate;

	curcpu()->ci_curlwp = &lwp0;
	if (mutex_owned(&t_sq_lock))
		mutex_spin_exit(&t_sq_lock);
	if (mutex_owned(spc->spc_mutex))
		mutex_spin_exit(spc->spc_mutex);
	if (mutex_owned(spc->spc_lwplock))
		mutex_spin_exit(spc->spc_lwplock);
}

/* Is l on t_sq_ci's run queue? */
static bool
t_sq_queued(const lwp_t *l)
{
	return t_fake_queued(&t_sq_ci.ci_schedstate, l);
}

/* Is l on t_sq? */
static bool
t_sq_on(const lwp_t *l)
{
	const lwp_t *x;

	TAILQ_FOREACH(x, &t_sq, l_sleepchain)
		if (x == l)
			return true;
	return false;
}

/* Woken by the sleep queue: off it, LSRUN on its CPU's run queue and
 * covered by that run queue's lock, with no trace of the sleep. */
static bool
t_sq_woken(const lwp_t *l)
{
	return l->l_stat == LSRUN && t_sq_queued(l) &&
	    l->l_mutex == l->l_cpu->ci_schedstate.spc_mutex &&
	    l->l_wchan == NULL && l->l_sleepq == NULL &&
	    l->l_syncobj == &sched_syncobj && !t_sq_on(l);
}

/* Still asleep on t_sq for wchan, covered by its lock. */
static bool
t_sq_asleep(const lwp_t *l, wchan_t wchan)
{
	return l->l_stat == LSSLEEP && l->l_wchan == wchan &&
	    l->l_sleepq == &t_sq && l->l_mutex == &t_sq_lock && t_sq_on(l);
}

/*
 * Is t_sq exactly want[0..n-1], in that order?  If not, say what it
 * is, by LWP id (t_sq_l[i] is 3000 + i).
 */
static bool
t_sq_is(struct ktest_ctx *kt, int line, lwp_t *const *want, int n)
{
	char got[128], exp[128];
	size_t gl = 0, el = 0;
	const lwp_t *x;
	bool same = true;
	int i = 0;

	got[0] = exp[0] = '\0';
	TAILQ_FOREACH(x, &t_sq, l_sleepchain) {
		if (i >= n || x != want[i])
			same = false;
		if (gl < sizeof(got) - 8)
			gl += snprintf(got + gl, sizeof(got) - gl, " %d",
			    x->l_lid);
		if (++i > T_SQ_N)
			break;			/* a loop: it is broken */
	}
	if (same && i == n)
		return true;
	for (i = 0; i < n; i++)
		if (el < sizeof(exp) - 8)
			el += snprintf(exp + el, sizeof(exp) - el, " %d",
			    want[i]->l_lid);
	ktest_fail(kt, __FILE__, line, "sleep queue holds (by lid)%s; it "
	    "should hold%s", gl ? got : " nothing", exp);
	return false;
}
#define T_SQ_IS(...) do {						\
	lwp_t *const _want[] = { __VA_ARGS__ };				\
	if (!t_sq_is(kt, __LINE__, _want, __arraycount(_want))) {	\
		t_sq_done();						\
		return;							\
	}								\
} while (0)

/*
 * sleepq_enter locks curlwp, then the queue's lock, and lends the
 * queue's lock to curlwp: it returns holding only that lock, which
 * covers curlwp.  sleepq_enqueue then makes it LSSLEEP on the queue for
 * the wait channel, with its wmesg and syncobj, still holding the lock.
 */
KTEST_EARLY(sleepq_enter_lends_the_queue_lock)
{
	struct cpu_info *ci = curcpu();
	struct schedstate_percpu *spc = &t_sq_ci.ci_schedstate;
	int count0 = ci->ci_mtx_count;
	bool lent, held, lwplock_free, one, still_held;
	lwp_t *l;

	t_sq_init();
	l = t_sq_lwp(0, 50);
	ci->ci_curlwp = l;
	sleepq_enter(&t_sq, l, &t_sq_lock);
	lent = l->l_mutex == &t_sq_lock;
	held = mutex_owned(&t_sq_lock);
	lwplock_free = spc->spc_lwplock->mtx_lock == 0;
	one = ci->ci_mtx_count == count0 + 1;
	sleepq_enqueue(&t_sq, &t_chan_a, "t_sq", &sleep_syncobj);
	ci->ci_curlwp = &lwp0;
	still_held = mutex_owned(&t_sq_lock);
	t_sq_done();

	KT_ASSERT(lent);		/* l_mutex is the queue's lock ... */
	KT_ASSERT(held);		/* ... held ... */
	KT_ASSERT(lwplock_free);	/* ... and l's old lock let go */
	KT_ASSERT(one);
	KT_EQ(l->l_stat, LSSLEEP);
	KT_ASSERT(l->l_wchan == &t_chan_a);
	KT_STREQ(l->l_wmesg, "t_sq");
	KT_ASSERT(l->l_syncobj == &sleep_syncobj);
	KT_ASSERT(l->l_sleepq == &t_sq);
	KT_ASSERT(still_held);
	T_SQ_IS(l);
	KT_EQ(ci->ci_mtx_count, count0);
}

/*
 * Where sleepq_enqueue puts a sleeper: by effective priority, highest
 * first and FIFO among equals, for a sorted syncobj (a lent priority
 * counts: lwp_eprio); at the tail for a FIFO one; at the head for a
 * LIFO one.
 */
KTEST_EARLY(sleepq_enqueue_sorted_fifo_lifo)
{
	static const pri_t pri[] = { 50, 60, 50, 40, 60, 30 };
	lwp_t *l[T_SQ_N];

	t_sq_init();
	for (int i = 0; i < 6; i++)
		l[i] = t_sq_lwp(i, pri[i]);
	l[5]->l_inheritedprio = 70;		/* lent: sorts as 70 */
	for (int i = 0; i < 6; i++)
		t_sq_sleep(l[i], &t_chan_a, &sleep_syncobj);
	t_sq_done();
	T_SQ_IS(l[5], l[1], l[4], l[0], l[2], l[3]);

	t_sq_init();
	for (int i = 0; i < 4; i++)
		t_sq_sleep(l[i] = t_sq_lwp(i, 10 * i), &t_chan_a,
		    &t_fifo_syncobj);
	t_sq_done();
	T_SQ_IS(l[0], l[1], l[2], l[3]);

	t_sq_init();
	for (int i = 0; i < 4; i++)
		t_sq_sleep(l[i] = t_sq_lwp(i, 40 - 10 * i), &t_chan_a,
		    &t_lifo_syncobj);
	t_sq_done();
	T_SQ_IS(l[3], l[2], l[1], l[0]);
}

/*
 * sleepq_wake(sq, wchan, n, mp) wakes the first n sleepers of wchan in
 * queue order and no other (two wait channels share a queue, as they
 * share a sleeptab bucket), and releases mp.  A woken LWP is off the
 * queue, LSRUN on its CPU's run queue, covered by that CPU's spc_mutex
 * (setrunnable1), with l_wchan, l_sleepq cleared and sched_syncobj.
 */
KTEST_EARLY(sleepq_wake_only_its_wchan)
{
	struct cpu_info *ci = curcpu();
	int count0 = ci->ci_mtx_count;
	lwp_t *a1, *b1, *a2, *b2, *a3;
	bool freed;

	t_sq_init();
	a1 = t_sq_lwp(0, 50);
	b1 = t_sq_lwp(1, 50);
	a2 = t_sq_lwp(2, 50);
	b2 = t_sq_lwp(3, 50);
	a3 = t_sq_lwp(4, 50);
	t_sq_sleep(a1, &t_chan_a, &sleep_syncobj);
	t_sq_sleep(b1, &t_chan_b, &sleep_syncobj);
	t_sq_sleep(a2, &t_chan_a, &sleep_syncobj);
	t_sq_sleep(b2, &t_chan_b, &sleep_syncobj);
	t_sq_sleep(a3, &t_chan_a, &sleep_syncobj);

	mutex_spin_enter(&t_sq_lock);
	sleepq_wake(&t_sq, &t_chan_a, 2, &t_sq_lock);
	freed = t_sq_lock.mtx_lock == 0;
	t_sq_done();
	KT_ASSERT(freed);			/* sleepq_wake let mp go */
	KT_EQ(ci->ci_mtx_count, count0);
	KT_ASSERT(t_sq_woken(a1));
	KT_ASSERT(t_sq_woken(a2));
	KT_ASSERT(t_sq_asleep(b1, &t_chan_b));	/* another wchan */
	KT_ASSERT(t_sq_asleep(b2, &t_chan_b));
	KT_ASSERT(t_sq_asleep(a3, &t_chan_a));	/* n was 2 */
	KT_EQ(t_sq_ci.ci_schedstate.spc_count, 2);
	T_SQ_IS(b1, b2, a3);

	mutex_spin_enter(&t_sq_lock);
	sleepq_wake(&t_sq, &t_chan_a, ~0u, &t_sq_lock);	/* all of a */
	t_sq_done();
	KT_ASSERT(t_sq_woken(a3));
	KT_ASSERT(t_sq_asleep(b1, &t_chan_b));
	T_SQ_IS(b1, b2);

	mutex_spin_enter(&t_sq_lock);
	sleepq_wake(&t_sq, &t_chan_b, 1, &t_sq_lock);
	t_sq_done();
	KT_ASSERT(t_sq_woken(b1));
	T_SQ_IS(b2);

	mutex_spin_enter(&t_sq_lock);
	sleepq_wake(&t_sq, &t_chan_a, ~0u, &t_sq_lock);	/* none left */
	freed = t_sq_lock.mtx_lock == 0;
	t_sq_done();
	KT_ASSERT(freed);
	KT_ASSERT(t_sq_asleep(b2, &t_chan_b));
	KT_EQ(t_sq_ci.ci_schedstate.spc_count, 4);
	KT_EQ(ci->ci_mtx_count, count0);
}

/*
 * sleepq_remove(sq, l), the queue's lock held (and kept): l off the
 * queue, no longer interruptible (LW_SINTR cleared), and then
 *   - asleep and switched away: LSRUN on its CPU's run queue, under
 *     that CPU's spc_mutex (setrunnable1);
 *   - asleep but still on its CPU (LP_RUNNING: it has not switched away
 *     yet): LSONPROC, covered by its CPU's spc_lwplock, on no queue;
 *   - stopped while asleep (LSSTOP): stays stopped, covered by its
 *     CPU's spc_lwplock (the state table: LSSTOP off a sleep queue).
 */
KTEST_EARLY(sleepq_remove_makes_runnable)
{
	struct cpu_info *ci = curcpu();
	struct schedstate_percpu *spc = &t_sq_ci.ci_schedstate;
	int count0 = ci->ci_mtx_count;
	lwp_t *l, *r, *s;
	bool held;

	t_sq_init();
	l = t_sq_lwp(0, 50);
	r = t_sq_lwp(1, 50);
	s = t_sq_lwp(2, 50);
	t_sq_sleep(l, &t_chan_a, &sleep_syncobj);
	t_sq_sleep(r, &t_chan_a, &sleep_syncobj);
	t_sq_sleep(s, &t_chan_a, &sleep_syncobj);
	l->l_flag |= LW_SINTR;			/* (as sleepq_block sets it) */
	r->l_flag |= LW_SINTR;
	r->l_pflag |= LP_RUNNING;		/* not switched away yet */
	s->l_stat = LSSTOP;			/* stopped in its sleep */

	mutex_spin_enter(&t_sq_lock);
	sleepq_remove(&t_sq, l);
	sleepq_remove(&t_sq, r);
	sleepq_remove(&t_sq, s);
	held = mutex_owned(&t_sq_lock);
	t_sq_done();
	KT_ASSERT(held);			/* the caller's, kept */
	KT_EQ(ci->ci_mtx_count, count0);
	T_SQ_IS();

	KT_ASSERT(t_sq_woken(l));
	KT_ASSERT(!(l->l_flag & LW_SINTR));

	KT_EQ(r->l_stat, LSONPROC);
	KT_ASSERT(r->l_mutex == spc->spc_lwplock);
	KT_ASSERT(!t_sq_queued(r));
	KT_ASSERT(r->l_wchan == NULL && r->l_sleepq == NULL);
	KT_ASSERT(!(r->l_flag & LW_SINTR));

	KT_EQ(s->l_stat, LSSTOP);
	KT_ASSERT(s->l_mutex == spc->spc_lwplock);
	KT_ASSERT(!t_sq_queued(s));
	KT_ASSERT(s->l_wchan == NULL && s->l_sleepq == NULL);
	KT_EQ(spc->spc_count, 1);
}

/*
 * sleepq_timeout(l), the timed-sleep callout's handler: l still asleep
 * is woken with LW_STIMO set (so sleepq_block returns EWOULDBLOCK), and
 * its lock released; an l woken already is left alone, LW_STIMO clear.
 * A sleeper stopped in its sleep is taken off its queue, LW_STIMO set,
 * and stays stopped (it runs on when continued: the time is up).
 */
KTEST_EARLY(sleepq_timeout_sets_stimo)
{
	struct cpu_info *ci = curcpu();
	struct schedstate_percpu *spc = &t_sq_ci.ci_schedstate;
	int count0 = ci->ci_mtx_count;
	lwp_t *l, *s;
	bool nothing_held, again_held;

	t_sq_init();
	l = t_sq_lwp(0, 50);
	s = t_sq_lwp(1, 50);
	t_sq_sleep(l, &t_chan_a, &sleep_syncobj);
	t_sq_sleep(s, &t_chan_a, &sleep_syncobj);
	s->l_stat = LSSTOP;

	sleepq_timeout(l);
	nothing_held = ci->ci_mtx_count == count0 && t_sq_lock.mtx_lock == 0;
	t_sq_done();
	KT_ASSERT(nothing_held);
	KT_ASSERT(l->l_flag & LW_STIMO);
	KT_ASSERT(t_sq_woken(l));

	l->l_flag &= ~LW_STIMO;			/* late: woken already */
	sleepq_timeout(l);
	again_held = ci->ci_mtx_count != count0 ||
	    spc->spc_mutex->mtx_lock != 0;
	t_sq_done();
	KT_ASSERT(!again_held);
	KT_ASSERT(!(l->l_flag & LW_STIMO));
	KT_ASSERT(t_sq_woken(l));

	sleepq_timeout(s);
	nothing_held = ci->ci_mtx_count == count0 && t_sq_lock.mtx_lock == 0;
	t_sq_done();
	KT_ASSERT(nothing_held);
	KT_ASSERT(s->l_flag & LW_STIMO);
	KT_EQ(s->l_stat, LSSTOP);
	KT_ASSERT(s->l_wchan == NULL && !t_sq_on(s));
	KT_ASSERT(s->l_mutex == spc->spc_lwplock);
	T_SQ_IS();
}

/* What the made-up syncobj's unsleep saw. */
static int t_uns_calls;
static bool t_uns_unlock;

static void
t_uns_record(lwp_t *l, bool unlock)
{
	t_uns_calls++;
	t_uns_unlock = unlock;
	sleepq_unsleep(l, unlock);
}

static syncobj_t t_rec_syncobj = {
	.sobj_flag = SOBJ_SLEEPQ_SORTED,
	.sobj_unsleep = t_uns_record,
	.sobj_changepri = sleepq_changepri,
	.sobj_lendpri = sleepq_lendpri,
	.sobj_owner = syncobj_noowner,
};

/*
 * lwp_unsleep(l, unlock) hands l to its syncobj's sobj_unsleep;
 * sleepq_unsleep (the sleep queues' one) wakes l (sleepq_remove) and
 * releases the queue's lock if asked to, else keeps it.
 */
KTEST_EARLY(sleepq_unsleep_and_lwp_unsleep)
{
	struct cpu_info *ci = curcpu();
	int count0 = ci->ci_mtx_count;
	lwp_t *k, *u, *r;
	bool kept, freed;

	t_sq_init();
	k = t_sq_lwp(0, 50);
	u = t_sq_lwp(1, 50);
	r = t_sq_lwp(2, 50);
	t_sq_sleep(k, &t_chan_a, &cv_syncobj);
	t_sq_sleep(u, &t_chan_a, &sleep_syncobj);
	t_sq_sleep(r, &t_chan_b, &t_rec_syncobj);

	mutex_spin_enter(&t_sq_lock);
	lwp_unsleep(k, false);
	kept = mutex_owned(&t_sq_lock);
	lwp_unsleep(u, true);
	freed = t_sq_lock.mtx_lock == 0;
	t_sq_done();
	KT_ASSERT(kept);
	KT_ASSERT(freed);
	KT_EQ(ci->ci_mtx_count, count0);
	KT_ASSERT(t_sq_woken(k));
	KT_ASSERT(t_sq_woken(u));

	t_uns_calls = 0;
	mutex_spin_enter(&t_sq_lock);
	lwp_unsleep(r, true);
	t_sq_done();
	KT_EQ(t_uns_calls, 1);			/* through its syncobj */
	KT_ASSERT(t_uns_unlock);
	KT_ASSERT(t_sq_woken(r));
	T_SQ_IS();
}

/*
 * sleepq_changepri (a new l_priority) and sleepq_lendpri (a new
 * l_inheritedprio) move a sleeper of a sorted queue to where its new
 * effective priority belongs, after those of equal priority already
 * there (as if it had just come); a FIFO queue's order does not change.
 */
KTEST_EARLY(sleepq_changepri_resorts)
{
	lwp_t *a, *b, *c, *d, *x, *y, *z;

	t_sq_init();
	a = t_sq_lwp(0, 50);
	b = t_sq_lwp(1, 40);
	c = t_sq_lwp(2, 30);
	d = t_sq_lwp(3, 40);
	t_sq_sleep(a, &t_chan_a, &sleep_syncobj);
	t_sq_sleep(b, &t_chan_a, &sleep_syncobj);
	t_sq_sleep(c, &t_chan_a, &sleep_syncobj);
	t_sq_sleep(d, &t_chan_a, &sleep_syncobj);
	T_SQ_IS(a, b, d, c);

	mutex_spin_enter(&t_sq_lock);
	sleepq_changepri(c, 60);
	t_sq_done();
	KT_EQ(c->l_priority, 60);
	T_SQ_IS(c, a, b, d);

	mutex_spin_enter(&t_sq_lock);
	sleepq_changepri(a, 40);		/* behind the other 40s */
	t_sq_done();
	T_SQ_IS(c, b, d, a);

	mutex_spin_enter(&t_sq_lock);
	sleepq_lendpri(d, 70);
	t_sq_done();
	KT_EQ(d->l_inheritedprio, 70);
	KT_EQ(d->l_priority, 40);
	T_SQ_IS(d, c, b, a);

	mutex_spin_enter(&t_sq_lock);
	sleepq_lendpri(d, -1);			/* given back */
	t_sq_done();
	T_SQ_IS(c, b, a, d);
	KT_ASSERT(t_sq_asleep(d, &t_chan_a));

	t_sq_init();
	x = t_sq_lwp(0, 50);
	y = t_sq_lwp(1, 50);
	z = t_sq_lwp(2, 50);
	t_sq_sleep(x, &t_chan_a, &t_fifo_syncobj);
	t_sq_sleep(y, &t_chan_a, &t_fifo_syncobj);
	t_sq_sleep(z, &t_chan_a, &t_fifo_syncobj);
	mutex_spin_enter(&t_sq_lock);
	sleepq_changepri(z, 100);
	sleepq_lendpri(y, 90);
	t_sq_done();
	KT_EQ(z->l_priority, 100);
	KT_EQ(y->l_inheritedprio, 90);
	T_SQ_IS(x, y, z);
}

#define RING	8
#define ITEMS	3000

static kmutex_t t_pc_lock = MUTEX_INITIALIZER("t_pc", IPL_VM);
static kcondvar_t t_notempty, t_notfull;
static int t_ring[RING];
static u_int t_head, t_tail;
static volatile uint32_t t_got[ITEMS];
static volatile int t_producers_left;

static void
t_producer(void *arg)
{
	int base = (int)(uintptr_t)arg;

	for (int i = base; i < ITEMS; i += 2) {
		mutex_enter(&t_pc_lock);
		while (t_head - t_tail == RING)
			cv_wait(&t_notfull, &t_pc_lock);
		t_ring[t_head++ % RING] = i;
		cv_signal(&t_notempty);
		mutex_exit(&t_pc_lock);
	}
	mutex_enter(&t_pc_lock);
	t_producers_left--;
	cv_broadcast(&t_notempty);
	mutex_exit(&t_pc_lock);
}

static void
t_consumer(void *arg)
{
	for (;;) {
		int item;

		mutex_enter(&t_pc_lock);
		while (t_head == t_tail && t_producers_left > 0)
			cv_wait(&t_notempty, &t_pc_lock);
		if (t_head == t_tail) {
			mutex_exit(&t_pc_lock);
			return;
		}
		item = t_ring[t_tail++ % RING];
		cv_signal(&t_notfull);
		mutex_exit(&t_pc_lock);
		__atomic_add_fetch(&t_got[item], 1, __ATOMIC_RELAXED);
	}
}

/*
 * Producer/consumer through a condvar-protected ring: two producers
 * and two consumers on different CPUs; every item arrives exactly once
 * and nobody sleeps for ever.
 */
KTEST(cv_producer_consumer_exactly_once)
{
	lwp_t *l[4];

	cv_init(&t_notempty, "notempty");
	cv_init(&t_notfull, "notfull");
	t_head = t_tail = 0;
	t_producers_left = 2;
	memset((void *)t_got, 0, sizeof(t_got));
	for (int i = 0; i < 4; i++)
		KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN,
		    cpu_lookup(i % ncpu), i < 2 ? t_producer : t_consumer,
		    (void *)(uintptr_t)(i % 2), &l[i], "t_pc%d", i), 0);
	for (int i = 0; i < 4; i++)
		KT_EQ(kthread_join(l[i]), 0);
	for (int i = 0; i < ITEMS; i++)
		KT_EQ(t_got[i], 1);
	KT_ASSERT(!cv_has_waiters(&t_notempty));
	cv_destroy(&t_notempty);
	cv_destroy(&t_notfull);
}

static kmutex_t t_pp_lock = MUTEX_INITIALIZER("t_pp", IPL_VM);
static kcondvar_t t_pp_cv;
static volatile int t_pp_turn;
static volatile int t_pp_stop;
static volatile uint64_t t_pp_rounds;

/* Two threads take turns: each waits for its turn and hands it over. */
static void
t_pingpong(void *arg)
{
	int me = (int)(uintptr_t)arg;

	mutex_enter(&t_pp_lock);
	while (!t_pp_stop) {
		while (t_pp_turn != me && !t_pp_stop)
			cv_wait(&t_pp_cv, &t_pp_lock);
		t_pp_turn = !me;
		t_pp_rounds++;
		cv_broadcast(&t_pp_cv);
	}
	mutex_exit(&t_pp_lock);
}

/*
 * Lost-wakeup hunt: sleep/wakeup ping-pong between two threads that are
 * moved to random CPUs while they play, 100 times; after each move the
 * ball must go on (a few more rounds), and a lost wakeup stops it for
 * good.  Progress, not speed: each wait ends as soon as the rounds
 * come, and its limit (10 s of a ball that does not move at all) is only
 * a backstop that turns a lost wakeup into a failure instead of a hang.
 */
#define T_PP_MOVES	100

static bool
t_pp_moves_on(uint64_t from, uint64_t rounds)
{
	uint64_t end = nsuptime() + 10000000000UL;

	while (t_pp_rounds < from + rounds)
		if (nsuptime() > end)
			return false;
		else
			yield();
	return true;
}

KTEST(cv_pingpong_no_lost_wakeup)
{
	lwp_t *a, *b;
	u_int seed = 99, i;
	bool moving = true;

	cv_init(&t_pp_cv, "pingpong");
	t_pp_turn = 0;
	t_pp_stop = 0;
	t_pp_rounds = 0;
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL, t_pingpong,
	    (void *)0, &a, "t_ping"), 0);
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL, t_pingpong,
	    (void *)1, &b, "t_pong"), 0);
	for (i = 0; i < T_PP_MOVES && moving; i++) {
		uint64_t from = t_pp_rounds;

		seed = seed * 1103515245 + 12345;
		lwp_lock(a);
		lwp_migrate(a, cpu_lookup((seed >> 16) % ncpu));
		lwp_lock(b);
		lwp_migrate(b, cpu_lookup((seed >> 20) % ncpu));
		moving = t_pp_moves_on(from, 3);
	}
	mutex_enter(&t_pp_lock);
	t_pp_stop = 1;
	cv_broadcast(&t_pp_cv);
	mutex_exit(&t_pp_lock);
	KT_EQ(kthread_join(a), 0);
	KT_EQ(kthread_join(b), 0);
	printf("ktest: ping-pong: %lu rounds, %u moves\n", t_pp_rounds, i);
	if (!moving)
		ktest_fail(kt, __FILE__, __LINE__, "the ball stopped after move "
		    "%u (%lu rounds): a lost wakeup", i, t_pp_rounds);
}

/* ---- sleepq_block with real threads ------------------------------------ */

/* Nothing of a timed sleep is left once it is over: its callout is not
 * pending, LW_STIMO is clear, and l is off every queue. */
static bool
t_sleep_over(lwp_t *l)
{
	return !callout_pending(&l->l_timeout_ch) &&
	    !(l->l_flag & LW_STIMO) && l->l_wchan == NULL &&
	    l->l_sleepq == NULL && l->l_stat == LSONPROC;
}

static kmutex_t t_sb_lock = MUTEX_INITIALIZER("t_sb", IPL_VM);
static kcondvar_t t_sb_cv;

/*
 * A timed sleep that nothing ends returns EWOULDBLOCK once its time is
 * up -- not before timo - 1 ticks of uptime (the first may come at
 * once; callouts keep to the uptime clock: kern_timeout.c) -- and
 * leaves nothing behind (t_sleep_over).  Through kpause (a sleep queue
 * of its own) and cv_timedwait (its interlock held again on return).
 */
KTEST(sleepq_block_times_out)
{
	lwp_t *l = curlwp;
	uint64_t ns0, tick = 1000000000 / hz;
	int error;

	KT_ASSERT(l == &lwp0 && curcpu() == cpu_lookup(0));
	for (int timo = 1; timo <= 7; timo += 3) {
		ns0 = nsuptime();
		error = kpause("t_sb", false, timo, NULL);
		KT_EQ(error, EWOULDBLOCK);
		KT_ASSERT(nsuptime() - ns0 >= (uint64_t)(timo - 1) * tick);
		KT_ASSERT(t_sleep_over(l));
	}
	cv_init(&t_sb_cv, "t_sb");
	mutex_enter(&t_sb_lock);
	error = cv_timedwait(&t_sb_cv, &t_sb_lock, 2);
	KT_ASSERT(mutex_owned(&t_sb_lock));
	mutex_exit(&t_sb_lock);
	KT_EQ(error, EWOULDBLOCK);
	KT_ASSERT(t_sleep_over(l));
	cv_destroy(&t_sb_cv);
}

static volatile int t_sb_want, t_sb_stop;

/* Wake the test's sleeper whenever it asks (t_sb_want, under t_sb_lock:
 * once we see it there, the sleeper is on the queue). */
static void
t_sb_waker(void *arg)
{
	while (!t_sb_stop) {
		mutex_enter(&t_sb_lock);
		if (t_sb_want) {
			t_sb_want = 0;
			cv_signal(&t_sb_cv);
		}
		mutex_exit(&t_sb_lock);
		kpause("t_sbw", false, 1, NULL);
	}
}

/* One timed sleep on t_sb_cv (10 s if `woken`, and then the waker ends
 * it; else `timo` ticks with nobody waking it). */
static int
t_sb_sleep(bool woken, int timo)
{
	int error;

	mutex_enter(&t_sb_lock);
	t_sb_want = woken;
	error = cv_timedwait(&t_sb_cv, &t_sb_lock, woken ? 1000 : timo);
	t_sb_want = 0;
	mutex_exit(&t_sb_lock);
	return error;
}

/*
 * A timed sleep woken before its time returns 0, and its timeout is
 * gone at once (not pending: it must not fire later, into another
 * sleep); after one that timed out (EWOULDBLOCK), the next woken one
 * still returns 0 (LW_STIMO was cleared).  The waker runs on another
 * CPU if there is one.
 */
KTEST(sleepq_block_woken_before_timeout)
{
	lwp_t *l = curlwp, *w;
	int e1, e2, e3, e4;
	bool over1, over2, over3, over4;

	cv_init(&t_sb_cv, "t_sb");
	t_sb_want = t_sb_stop = 0;
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, ncpu > 1 ?
	    cpu_lookup(ncpu - 1) : NULL, t_sb_waker, NULL, &w, "t_sbw"), 0);
	e1 = t_sb_sleep(true, 0);
	over1 = t_sleep_over(l);
	e2 = t_sb_sleep(false, 2);
	over2 = t_sleep_over(l);
	e3 = t_sb_sleep(true, 0);
	over3 = t_sleep_over(l);
	e4 = t_sb_sleep(true, 0);
	over4 = t_sleep_over(l);
	t_sb_stop = 1;
	KT_EQ(kthread_join(w), 0);
	cv_destroy(&t_sb_cv);
	KT_EQ(e1, 0);
	KT_ASSERT(over1);	/* the timeout stopped, STIMO clear */
	KT_EQ(e2, EWOULDBLOCK);
	KT_ASSERT(over2);
	KT_EQ(e3, 0);		/* not a stale EWOULDBLOCK */
	KT_ASSERT(over3);
	KT_EQ(e4, 0);
	KT_ASSERT(over4);
}

#define T_TS_ROUNDS	60
static kmutex_t t_ts_lock = MUTEX_INITIALIZER("t_ts", IPL_VM);
static kcondvar_t t_ts_cv;
static volatile u_int t_ts_rounds, t_ts_bad, t_ts_badwhy;

/*
 * Short timed sleeps, timeouts racing wakeups: sleep 1-2 ticks alone
 * (EWOULDBLOCK), wait 1-3 ticks on the shared condvar (woken by
 * another's broadcast, or timed out), or broadcast; after each, nothing
 * of the sleep may be left.
 */
static void
t_ts_sleeper(void *arg)
{
	u_int me = (u_int)(uintptr_t)arg;
	lwp_t *l = curlwp;
	int error;

	for (u_int r = 0; r < T_TS_ROUNDS; r++) {
		switch ((r + me) % 3) {
		case 0:
			error = kpause("t_ts", false, 1 + (r + me) % 2, NULL);
			if (error != EWOULDBLOCK) {
				t_ts_badwhy = 1;
				t_ts_bad++;
			}
			break;
		case 1:
			mutex_enter(&t_ts_lock);
			error = cv_timedwait(&t_ts_cv, &t_ts_lock, 1 + r % 3);
			mutex_exit(&t_ts_lock);
			if (error != 0 && error != EWOULDBLOCK) {
				t_ts_badwhy = 2;
				t_ts_bad++;
			}
			break;
		default:
			mutex_enter(&t_ts_lock);
			cv_broadcast(&t_ts_cv);
			mutex_exit(&t_ts_lock);
			kpause("t_ts", false, 1, NULL);
			break;
		}
		if (!t_sleep_over(l)) {
			t_ts_badwhy = 3;
			t_ts_bad++;
		}
		__atomic_add_fetch(&t_ts_rounds, 1, __ATOMIC_RELAXED);
	}
}

/*
 * Many short timed sleeps and wakeups on every CPU at once: every
 * sleeper gets through all its rounds (a lost wakeup or a deadlock
 * between a sleep queue's lock and a callout wheel's would hang it:
 * the watchdog says so), with the right errors, leaving nothing behind.
 */
KTEST(sleepq_timed_sleeps_on_every_cpu)
{
	u_int n = 2 * ncpu;
	static lwp_t *t[2 * MAXCPUS];

	cv_init(&t_ts_cv, "t_ts");
	t_ts_rounds = t_ts_bad = t_ts_badwhy = 0;
	for (u_int i = 0; i < n; i++)
		KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN,
		    cpu_lookup(i % ncpu), t_ts_sleeper, (void *)(uintptr_t)i,
		    &t[i], "t_ts%u", i), 0);
	for (u_int i = 0; i < n; i++)
		KT_EQ(kthread_join(t[i]), 0);
	cv_destroy(&t_ts_cv);
	KT_EQ(t_ts_rounds, n * T_TS_ROUNDS);
	KT_EQ(t_ts_badwhy, 0);		/* 1: kpause, 2: cv, 3: left over */
	KT_EQ(t_ts_bad, 0);
}

/* ---- callouts and timed sleeps ------------------------------------------- */

static volatile int t_co_fired;
static volatile uint64_t t_co_ns;		/* nsuptime() when it fired */

static void
t_co_handler(void *arg)
{
	t_co_fired++;
	t_co_ns = nsuptime();
}

/* A callout fires once, never early (5 ticks from inside a tick: more
 * than 4 ticks of uptime later); one stopped before its time never
 * fires; pending/expired say so. */
KTEST(callout_fires_once_and_stop_prevents)
{
	callout_t c;
	uint64_t t0, ns0, tick = 1000000000 / hz;

	callout_init(&c, 0);
	callout_setfunc(&c, t_co_handler, NULL);
	t_co_fired = 0;
	t0 = hardclock_ticks;
	ns0 = nsuptime();
	callout_schedule(&c, 5);
	KT_ASSERT(callout_pending(&c));
	while (t_co_fired == 0 && hardclock_ticks < t0 + 100)
		yield();
	KT_EQ(t_co_fired, 1);
	KT_ASSERT(!callout_pending(&c) && callout_expired(&c));
	KT_ASSERT(t_co_ns - ns0 > 4 * tick);
	delay(100000);				/* 10 more ticks */
	KT_EQ(t_co_fired, 1);			/* once */

	callout_schedule(&c, 5);
	KT_ASSERT(!callout_stop(&c));		/* had not fired */
	delay(100000);
	KT_EQ(t_co_fired, 1);			/* and never will */
	KT_ASSERT(!callout_pending(&c) && !callout_active(&c));
	callout_halt(&c, NULL);
	callout_destroy(&c);
}

/*
 * The wheel keeps up with the uptime clock when timer interrupts come
 * late (callout_hardclock): this CPU's interrupts stay off for 10 ticks
 * (a host that did not run it, in effect: the timer's interrupts meet in
 * one), with a callout due in 5; the first clock interrupt after must
 * run it.  Counting interrupts, it would need 5 more.
 */
KTEST(callout_catches_up_after_late_ticks)
{
	struct cpu_info *ci;
	callout_t c;
	uint64_t ticks0;
	int s;

	callout_init(&c, 0);		/* (on this CPU's wheel) */
	callout_setfunc(&c, t_co_handler, NULL);
	t_co_fired = 0;
	s = splhigh();
	ci = curcpu();
	callout_schedule(&c, 5);
	delay(10 * 1000000 / hz);
	ticks0 = ci->ci_ticks;
	splx(s);
	while (ci->ci_ticks == ticks0)
		SPINLOCK_BACKOFF_HOOK;
	KT_EQ(t_co_fired, 1);
	callout_halt(&c, NULL);
	callout_destroy(&c);
}

static volatile int t_co_running;
static lwp_t *volatile t_co_halter;

/*
 * The handler runs until the LWP halting it sleeps (in callout_halt's
 * wait): so it is surely running when callout_halt is called, however
 * late a loaded host runs either CPU.  (If callout_halt returned
 * without waiting, its caller would not sleep: the handler gives up
 * after 5 s, long after the test has failed.)
 */
static void
t_co_slow(void *arg)
{
	uint64_t end = nsuptime() + 5000000000UL;

	t_co_running = 1;
	while (t_co_halter->l_stat != LSSLEEP && nsuptime() < end)
		continue;
	delay(1000);				/* it sleeps: 1 ms more */
	t_co_running = 0;
}

/* Cross-call body: initialise a callout on the CPU it runs on (a
 * callout lives on the wheel of the CPU that initialised it). */
static void
t_co_init_here(void *c, void *unused)
{
	callout_init(c, 0);
}

/*
 * callout_halt never returns while the handler runs: the callout lives
 * on another CPU's wheel, and we halt it while its handler runs (until
 * we sleep).  A callout that never fires hangs here, and the ktest
 * watchdog says so.  And it sleeps without cc_lock held: cc_lock comes
 * after the sleep queues' locks (LOCKDEBUG panics "lock order reversal
 * ... while holding a callout lock" otherwise: cv_wait with cc_lock as
 * the interlock was an ABBA deadlock with sleepq_block's
 * callout_schedule, on a wait channel in the same bucket as cc_cv).
 */
KTEST(callout_halt_waits_for_handler)
{
	static callout_t c;

	if (ncpu < 2)
		KT_SKIP("needs 2 CPUs");
	t_co_running = 0;
	t_co_halter = curlwp;
	xc_wait(xc_unicast(XC_HIGHPRI, t_co_init_here, &c, NULL,
	    cpu_lookup(ncpu - 1)));
	callout_setfunc(&c, t_co_slow, NULL);
	callout_schedule(&c, 1);
	while (!t_co_running)
		continue;
	callout_halt(&c, NULL);
	KT_EQ(t_co_running, 0);			/* it finished first */
	callout_destroy(&c);
}

static kmutex_t t_tw_lock = MUTEX_INITIALIZER("t_tw", IPL_VM);
static kcondvar_t t_tw_cv;

/*
 * cv_timedwait with nobody signalling: EWOULDBLOCK, and not before its
 * time (more than 9 of its 10 ticks of uptime: it starts inside a
 * tick); kpause sleeps its ticks too.  The uptime is the clock: a
 * loaded host delivers fewer timer interrupts than hz (QEMU merges the
 * ones a virtual CPU was not run for), and the callout wheels keep to
 * the uptime regardless (kern_timeout.c; callout_catches_up_after_late_
 * ticks).  How late it may be is the host's business, not asserted.
 */
KTEST(cv_timedwait_and_kpause_timing)
{
	uint64_t t0, ticks, ns, tick = 1000000000 / hz;
	int error;

	KT_ASSERT(curlwp == &lwp0 && curcpu() == cpu_lookup(0));
	cv_init(&t_tw_cv, "t_tw");
	for (int i = 0; i < 5; i++) {
		mutex_enter(&t_tw_lock);
		t0 = hardclock_ticks;
		ns = nsuptime();
		error = cv_timedwait(&t_tw_cv, &t_tw_lock, 10);
		ticks = hardclock_ticks - t0;
		ns = nsuptime() - ns;
		mutex_exit(&t_tw_lock);
		KT_EQ(error, EWOULDBLOCK);
		if (i == 0)
			printf("ktest: cv_timedwait(10 ticks) took %lu clock "
			    "interrupts, %lu ms\n", ticks, ns / 1000000);
		KT_ASSERT(ns > 9 * tick);
	}
	ns = nsuptime();
	KT_EQ(kpause("t_kpause", false, 5, NULL), EWOULDBLOCK);
	KT_ASSERT(nsuptime() - ns > 4 * tick);
	cv_destroy(&t_tw_cv);
}

static void
t_tw_signaller(void *arg)
{
	delay(20000);
	mutex_enter(&t_tw_lock);
	cv_signal(&t_tw_cv);
	mutex_exit(&t_tw_lock);
}

KTEST(cv_timedwait_signalled_early)
{
	lwp_t *l;
	uint64_t t0;
	int error;

	cv_init(&t_tw_cv, "t_tw2");
	mutex_enter(&t_tw_lock);
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL,
	    t_tw_signaller, NULL, &l, "t_twsig"), 0);
	t0 = nsuptime();
	error = cv_timedwait(&t_tw_cv, &t_tw_lock, 100);	/* 1 s */
	mutex_exit(&t_tw_lock);
	KT_EQ(error, 0);
	KT_ASSERT(nsuptime() - t0 < 500000000UL);
	KT_EQ(kthread_join(l), 0);
	cv_destroy(&t_tw_cv);
}

/* Going to sleep holding a spin mutex (other than the interlock) would
 * leave interrupts off with the lock held: LOCKDEBUG panics. */
KTEST_MANUAL(selftest_sleep_holding_spin_mutex,
    "^panic: sleepq_block: lwp0 sleeps on t_bad holding 1 spin mutexes")
{
	static kmutex_t held = MUTEX_INITIALIZER("t_held", IPL_VM);

	cv_init(&t_tw_cv, "t_bad");
	mutex_spin_enter(&held);
	mutex_enter(&t_tw_lock);
	(void)cv_timedwait(&t_tw_cv, &t_tw_lock, 1);
}

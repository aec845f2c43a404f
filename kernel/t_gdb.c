/*
 * t_gdb.c: gdb_scene, a state known in advance for the gdb commands of
 * tools/gdb/kernel.py to be checked against.  tools/gdb-test boots
 * `ktest=gdb_scene` under gdb, stops in gdb_scene_ready() and compares
 * what each command prints with what this test built; students can
 * stop there too (docs/hacking.md, "Debugging with gdb").
 *
 * When gdb_scene_ready() is called, this test's thread (the ktest
 * thread, PRI_KTHREAD) is running, and, each bound to its CPU (so the
 * picture is the same at every run):
 *
 *   gdb_sleeper   asleep on the condvar gdb_scene_cv (wmesg "gdbcv")
 *                 with a timeout far away: a sleep-queue bucket holds
 *                 it, and its callout (sleepq_timeout) is pending;
 *   gdb_scene_mtx an adaptive mutex this thread holds; gdb_blocker,
 *                 at PRI_KTHREAD + 20, is blocked on it (turnstile) and
 *                 lends this thread its priority;
 *   gdb_scene_rw  an rwlock this thread holds as a reader; gdb_writer,
 *                 at PRI_KTHREAD + 10, waits to write (readers are not
 *                 lent a priority);
 *   gdb_queued1   bound to this CPU at PRI_KTHREAD - 10 and - 20,
 *   gdb_queued2   runnable, waiting on its run queue behind us;
 *   gdb_scene_spin a spin mutex this thread holds (only across the
 *                 call itself).
 *
 * Each of these is asserted before the call, so a failing gdb check
 * means the command is wrong, not the scene.  Manual: it only waits
 * for a debugger; a boot without one checks that it builds the scene
 * and takes it down again (scenario gdb-scene).
 */
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/kthread.h>
#include <sys/ktest.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/rwlock.h>
#include <sys/sched.h>
#include <sys/sleepq.h>

#define GDB_TICKS	500	/* the bound on a wait, in our ticks */

static kmutex_t gdb_scene_mtx;		/* held by the test, blocked on */
static kmutex_t gdb_scene_cvlock;	/* gdb_scene_cv's interlock */
static kcondvar_t gdb_scene_cv;	/* gdb_sleeper sleeps on it */
static krwlock_t gdb_scene_rw;		/* read-held by the test */
static kmutex_t gdb_scene_spin;		/* held across gdb_scene_ready */
static volatile bool gdb_scene_done;	/* (gdb_scene_cvlock) */

/* The place to stop: `break gdb_scene_ready`.  The scene is built. */
static void __noinline __used
gdb_scene_ready(void)
{
	__insn_barrier();
}

static void
gdb_sleeper(void *arg __unused)
{
	mutex_enter(&gdb_scene_cvlock);
	while (!gdb_scene_done)
		(void)cv_timedwait(&gdb_scene_cv, &gdb_scene_cvlock, 1000000);
	mutex_exit(&gdb_scene_cvlock);
}

static void
gdb_blocker(void *arg __unused)
{
	mutex_enter(&gdb_scene_mtx);
	mutex_exit(&gdb_scene_mtx);
}

static void
gdb_writer(void *arg __unused)
{
	rw_enter(&gdb_scene_rw, RW_WRITER);
	rw_exit(&gdb_scene_rw);
}

static void
gdb_nothing(void *arg __unused)
{
}

/* Is l asleep on wchan w, and off its CPU? */
static bool
gdb_asleep_on(lwp_t *l, const volatile void *w)
{
	bool b;

	lwp_lock(l);
	b = l->l_stat == LSSLEEP && l->l_wchan == w &&
	    !(l->l_pflag & LP_RUNNING);
	lwp_unlock(l);
	return b;
}

static bool
gdb_wait_asleep(lwp_t *l, const volatile void *w)
{
	for (int t = 0; t < GDB_TICKS; t++) {
		if (gdb_asleep_on(l, w))
			return true;
		(void)kpause("gdbwait", false, 1, NULL);
	}
	return false;
}

KTEST_MANUAL(gdb_scene, "^gdb_scene: ready: ",
    "^ktest: gdb_scene: ok")
{
	lwp_t *sleeper, *blocker, *writer, *q1, *q2;
	bool slept, blocked, wblocked;
	pri_t inherited;
	int st1, st2;

	mutex_init(&gdb_scene_mtx, MUTEX_DEFAULT, IPL_NONE, "gdb_scene_mtx");
	mutex_init(&gdb_scene_cvlock, MUTEX_DEFAULT, IPL_NONE,
	    "gdb_scene_cvlock");
	cv_init(&gdb_scene_cv, "gdbcv");
	rw_init(&gdb_scene_rw, "gdb_scene_rw");
	mutex_init(&gdb_scene_spin, MUTEX_SPIN, IPL_VM, "gdb_scene_spin");
	gdb_scene_done = false;

	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, curcpu(), gdb_sleeper,
	    NULL, &sleeper, "gdb_sleeper"), 0);
	slept = gdb_wait_asleep(sleeper, &gdb_scene_cv);
	mutex_enter(&gdb_scene_mtx);
	KT_EQ(kthread_create(PRI_KTHREAD + 20, KTHREAD_MUSTJOIN, curcpu(),
	    gdb_blocker, NULL, &blocker, "gdb_blocker"), 0);
	blocked = gdb_wait_asleep(blocker, &gdb_scene_mtx);
	rw_enter(&gdb_scene_rw, RW_READER);
	KT_EQ(kthread_create(PRI_KTHREAD + 10, KTHREAD_MUSTJOIN, curcpu(),
	    gdb_writer, NULL, &writer, "gdb_writer"), 0);
	wblocked = gdb_wait_asleep(writer, &gdb_scene_rw);
	/* From here on we do not sleep: what we bind to our CPU below
	 * our priority stays queued. */
	KT_EQ(kthread_create(PRI_KTHREAD - 10, KTHREAD_MUSTJOIN, curcpu(),
	    gdb_nothing, NULL, &q1, "gdb_queued1"), 0);
	KT_EQ(kthread_create(PRI_KTHREAD - 20, KTHREAD_MUSTJOIN, curcpu(),
	    gdb_nothing, NULL, &q2, "gdb_queued2"), 0);
	lwp_lock(curlwp);
	inherited = curlwp->l_inheritedprio;
	lwp_unlock(curlwp);
	lwp_lock(q1);
	st1 = q1->l_stat;
	lwp_unlock(q1);
	lwp_lock(q2);
	st2 = q2->l_stat;
	lwp_unlock(q2);

	if (slept && blocked && wblocked && inherited == PRI_KTHREAD + 20 &&
	    st1 == LSRUN && st2 == LSRUN) {
		printf("gdb_scene: ready: test %d.%d on cpu%u, sleeper %d, "
		    "blocker %d, writer %d, queued %d %d\n",
		    curlwp->l_proc->p_pid, curlwp->l_lid, cpu_index(curcpu()),
		    sleeper->l_lid, blocker->l_lid, writer->l_lid, q1->l_lid,
		    q2->l_lid);
		mutex_spin_enter(&gdb_scene_spin);
		gdb_scene_ready();
		mutex_spin_exit(&gdb_scene_spin);
	}

	rw_exit(&gdb_scene_rw);
	mutex_exit(&gdb_scene_mtx);
	mutex_enter(&gdb_scene_cvlock);
	gdb_scene_done = true;
	cv_broadcast(&gdb_scene_cv);
	mutex_exit(&gdb_scene_cvlock);
	KT_EQ(kthread_join(q2), 0);
	KT_EQ(kthread_join(q1), 0);
	KT_EQ(kthread_join(writer), 0);
	KT_EQ(kthread_join(blocker), 0);
	KT_EQ(kthread_join(sleeper), 0);
	mutex_destroy(&gdb_scene_spin);
	rw_destroy(&gdb_scene_rw);
	cv_destroy(&gdb_scene_cv);
	mutex_destroy(&gdb_scene_cvlock);
	mutex_destroy(&gdb_scene_mtx);
	KT_ASSERT(slept);
	KT_ASSERT(blocked);
	KT_ASSERT(wblocked);
	KT_EQ(inherited, PRI_KTHREAD + 20);
	KT_EQ(st1, LSRUN);
	KT_EQ(st2, LSRUN);
}

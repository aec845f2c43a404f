/*
 * kern_migrate.c: which CPU an LWP runs on, and moving it there.
 *
 * Placement (the heuristics, tunable below; docs/sched.md):
 *   sched_takecpu(l)  where a new or woken LWP should run:
 *     1. a bound LWP stays;
 *     2. its last CPU, if allowed and either idle, or the LWP is still
 *        cache-hot there and that CPU is not busier than others;
 *     3. else an idle allowed CPU;
 *     4. else the allowed CPU with the least max(running, queued)
 *        priority, ties to the shorter queue.
 *
 * Stealing and balancing:
 *   sched_idle()  an idle CPU finishes a pending migration, then steals
 *     one migratable, not cache-hot LWP from the busiest CPU
 *     (sched_catchlwp), the one the periodic balancer last picked.
 *   sched_balance()  every sched_balance_ticks, CPU 0 updates each
 *     CPU's moving average of queue length and picks the busiest.
 *
 * Migration on request: lwp_migrate() moves an LWP to a given CPU,
 * right away if it is not running or queued, else through
 * l_target_cpu, which its old CPU's idle LWP acts on (an LWP that is
 * running or on a run queue belongs to that CPU's locks until then);
 * lwp_setaffinity() restricts where an LWP may run and moves it if its
 * CPU is no longer allowed.
 *
 * The scheduler moves LWPs itself (sched_takecpu, sched_catchlwp,
 * sched_idle_migrate); everyone else uses lwp_migrate().  An LWP never
 * changes its own l_cpu.  Every move respects affinity
 * (sched_migratable): an LWP is placed, stolen or moved only to a CPU
 * its l_affinity allows.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/kcpuset.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/time.h>

u_int	sched_cacheht_ticks = 1;	/* ~10 ms */
u_int	sched_balance_ticks = 30;	/* 300 ms */
u_int	sched_min_catch = 1;

static struct cpu_info * volatile worker_ci;	/* a: busiest CPU */

/* ---- choosing a CPU --------------------------------------------------- */

/* May l run on ci? */
bool
sched_migratable(const struct lwp *l, const struct cpu_info *ci)
{
	if (!(ci->ci_flags & CPUF_RUNNING))
		return false;
	if ((l->l_flag & LW_AFFINITY) && l->l_affinity != NULL)
		return kcpuset_isset(l->l_affinity, cpu_index(ci));
	return true;
}

/* Did l run so recently (l_rticks: when it was last picked to run)
 * that its cache lines are still warm on l_cpu?  A new LWP counts as
 * hot (it has no history). */
bool
lwp_cache_hot(const struct lwp *l)
{
	if (l->l_stat == LSIDL)
		return true;
	return hardclock_ticks - l->l_rticks <= sched_cacheht_ticks;
}

/* max(running, queued) priority: how contended a CPU is. */
static pri_t
cpu_load(const struct cpu_info *ci)
{
	const struct schedstate_percpu *spc = &ci->ci_schedstate;
	pri_t q = spc->spc_count != 0 ? spc->spc_maxpriority : PRI_NONE;

	return MAX(spc->spc_curpriority, q);
}

static bool
cpu_idle_p(const struct cpu_info *ci)
{
	const struct schedstate_percpu *spc = &ci->ci_schedstate;

	return spc->spc_curpriority == PRI_IDLE && spc->spc_count == 0;
}

/*
 * Where should l run?  l is locked.  The numbers read from other CPUs
 * are unlocked hints: the answer only has to be good, not exact.
 */
struct cpu_info *
sched_takecpu(struct lwp *l)
{
	struct cpu_info *ci = l->l_cpu, *best = NULL, *tci;
	CPU_INFO_ITERATOR cii;
	pri_t eprio = lwp_eprio(l), bestload = PRI_COUNT;

	KASSERT(lwp_locked(l, NULL));
	if (l->l_pflag & LP_BOUND)
		return ci;
	/* Sticky: the last CPU, if idle, or warm and not busier. */
	if (sched_migratable(l, ci) && (cpu_idle_p(ci) ||
	    (lwp_cache_hot(l) && eprio > cpu_load(ci))))
		return ci;
	/* An idle CPU, else the least loaded; ties: shorter queue. */
	CPU_INFO_FOREACH(cii, tci) {
		pri_t load;

		if (!sched_migratable(l, tci))
			continue;
		if (cpu_idle_p(tci))
			return tci;
		load = cpu_load(tci);
		if (best == NULL || load < bestload || (load == bestload &&
		    tci->ci_schedstate.spc_count <
		    best->ci_schedstate.spc_count)) {
			best = tci;
			bestload = load;
		}
	}
	/* Nowhere allowed is running (affinity to offline CPUs): stay. */
	return best != NULL ? best : ci;
}

/* ---- idle CPUs: migration and stealing ---------------------------------- */

/*
 * Steal one LWP from ci's queue for this CPU.  Both spc_mutexes held on
 * entry; on return ci's is released, ours still held.  Takes the first
 * migratable LWP of ci's top queue that is allowed here and not
 * cache-hot there.
 */
static struct lwp *
sched_catchlwp(struct cpu_info *ci)
{
	struct cpu_info *curci = curcpu();
	struct schedstate_percpu *spc = &ci->ci_schedstate;
	struct schedstate_percpu *curspc = &curci->ci_schedstate;
	struct lwp *l;

	KASSERT(mutex_owned(spc->spc_mutex));
	KASSERT(mutex_owned(curspc->spc_mutex));
	if (spc->spc_mcount < sched_min_catch) {
		spc_unlock(ci);
		return NULL;
	}
	TAILQ_FOREACH(l, &spc->spc_queue[spc->spc_maxpriority], l_runq) {
		KASSERT(l->l_stat == LSRUN && l->l_cpu == ci);
		if ((l->l_pflag & LP_BOUND) || lwp_cache_hot(l) ||
		    !sched_migratable(l, curci) || l == spc->spc_migrating)
			continue;
		sched_dequeue(l);
		l->l_cpu = curci;
		lwp_unlock_to(l, curspc->spc_mutex);	/* releases ci's */
		sched_enqueue(l, false);
		return l;
	}
	spc_unlock(ci);
	return NULL;
}

/*
 * Move spc_migrating to its l_target_cpu.  Our spc_mutex held; the
 * target's is taken in address order (drop ours first if needed, then
 * check nothing changed).
 */
static void
sched_idle_migrate(void)
{
	struct cpu_info *ci = curcpu(), *tci;
	struct schedstate_percpu *spc = &ci->ci_schedstate, *tspc;
	struct lwp *l = spc->spc_migrating;

	KASSERT(mutex_owned(spc->spc_mutex));
	tci = l->l_target_cpu;
	/* (lwp_setaffinity calls off a move to a CPU it forbids.) */
	KASSERT(tci == NULL || sched_migratable(l, tci));
	if (tci == NULL || tci == ci) {
		l->l_target_cpu = NULL;
		spc->spc_migrating = NULL;
		return;
	}
	tspc = &tci->ci_schedstate;
	if (ci < tci)
		spc_lock(tci);
	else if (!mutex_tryenter(tspc->spc_mutex)) {
		spc_unlock(ci);
		spc_dlock(ci, tci);
		if (spc->spc_migrating != l || l->l_target_cpu != tci) {
			spc_unlock(tci);	/* it changed: next time */
			return;
		}
	}
	sched_dequeue(l);			/* clears spc_migrating */
	l->l_cpu = tci;
	l->l_target_cpu = NULL;
	lwp_setlock(l, tspc->spc_mutex);
	sched_enqueue(l, false);
	spc_unlock(tci);
}

/* The idle LWP's housekeeping, at IPL_NONE. */
void
sched_idle(void)
{
	struct cpu_info *ci = curcpu(), *tci;
	struct schedstate_percpu *spc = &ci->ci_schedstate;

	if (spc->spc_migrating != NULL) {
		spc_lock(ci);
		if (spc->spc_migrating != NULL)
			sched_idle_migrate();
		spc_unlock(ci);
	}
	if (spc->spc_count != 0 || ncpu == 1)
		return;
	/* Steal from the balancer's busiest CPU, else the longest queue. */
	tci = worker_ci;
	if (tci == NULL || tci == ci ||
	    tci->ci_schedstate.spc_mcount < sched_min_catch) {
		CPU_INFO_ITERATOR cii;
		struct cpu_info *c;
		u_int most = 0;

		tci = NULL;
		CPU_INFO_FOREACH(cii, c)
			if (c != ci && c->ci_schedstate.spc_mcount > most) {
				most = c->ci_schedstate.spc_mcount;
				tci = c;
			}
		if (tci == NULL || most < sched_min_catch)
			return;
	}
	spc_dlock(ci, tci);
	(void)sched_catchlwp(tci);
	spc_unlock(ci);
}

/*
 * Periodic balancer (hardclock on CPU 0, every sched_balance_ticks):
 * a moving average of each CPU's migratable queue length (x256), and
 * the busiest CPU for idle CPUs to steal from.  Lock-free hints.
 */
void
sched_balance(void)
{
	struct cpu_info *ci, *busiest = NULL;
	CPU_INFO_ITERATOR cii;
	u_int most = 0;

	CPU_INFO_FOREACH(cii, ci) {
		struct schedstate_percpu *spc = &ci->ci_schedstate;
		u_int avg = (spc->spc_avgcount + 256 * spc->spc_mcount) / 2;

		spc->spc_avgcount = avg;
		if (avg > most) {
			most = avg;
			busiest = ci;
		}
	}
	worker_ci = busiest;
}


/* ---- migration ----------------------------------------------------------- */

/*
 * Move l to CPU tci.  l locked; unlocks it.  What happens depends on the
 * state (an LWP still on its CPU counts as LSONPROC):
 *
 *   LSRUN      l_target_cpu = tci: done when its old CPU would next run
 *              it (sched_nextlwp sets spc_migrating, the idle LWP
 *              moves it)
 *   LSONPROC   the same, and its CPU is told to reschedule now
 *   LSIDL      l_cpu = tci, lock lent to tci's spc_mutex
 *   LSSLEEP    l_cpu = tci; it wakes up there
 *   LSSTOP, LSSUSPENDED  l_cpu = tci, and if not on a sleep queue,
 *              lock lent to tci's spc_lwplock
 */
void
lwp_migrate(lwp_t *l, struct cpu_info *tci)
{
	struct schedstate_percpu *tspc;
	int lstat = l->l_stat;

	KASSERT(lwp_locked(l, NULL));
	KASSERT(tci != NULL);
	KASSERTMSG(!(l->l_flag & LW_AFFINITY) ||
	    kcpuset_isset(l->l_affinity, cpu_index(tci)),
	    "lwp_migrate: cpu%u is not in %s's affinity set", cpu_index(tci),
	    l->l_name != NULL ? l->l_name : "(unnamed)");
	if (l->l_pflag & LP_RUNNING)
		lstat = LSONPROC;
	/* A migration already pending: just change where to. */
	if (l->l_target_cpu != NULL) {
		l->l_target_cpu = tci;
		lwp_unlock(l);
		return;
	}
	if (l->l_cpu == tci) {
		lwp_unlock(l);
		return;
	}
	tspc = &tci->ci_schedstate;
	switch (lstat) {
	case LSRUN:
		l->l_target_cpu = tci;
		break;
	case LSIDL:
		l->l_cpu = tci;
		lwp_unlock_to(l, tspc->spc_mutex);
		return;
	case LSSLEEP:
		l->l_cpu = tci;
		break;
	case LSSTOP:
	case LSSUSPENDED:
		l->l_cpu = tci;
		if (l->l_wchan == NULL) {
			lwp_unlock_to(l, tspc->spc_lwplock);
			return;
		}
		break;
	case LSONPROC:
		l->l_target_cpu = tci;
		spc_lock(l->l_cpu);
		cpu_need_resched(l->l_cpu, RESCHED_KPREEMPT);
		spc_unlock(l->l_cpu);
		break;
	}
	lwp_unlock(l);
}

/*
 * Set l's CPU affinity to kcp (NULL: run anywhere), taking a reference
 * on kcp.  If l's CPU is no longer allowed, move it to an allowed one.
 * l locked; unlocks it.
 */
void
lwp_setaffinity(lwp_t *l, kcpuset_t *kcp)
{
	kcpuset_t *old = l->l_affinity;
	struct cpu_info *ci, *tci = NULL;
	CPU_INFO_ITERATOR cii;

	KASSERT(lwp_locked(l, NULL));
	if (kcp != NULL) {
		kcpuset_use(kcp);
		l->l_affinity = kcp;
		l->l_flag |= LW_AFFINITY;
		/* A move already on its way to a CPU now forbidden is off
		 * (the idle LWP finds no target and leaves l where it is). */
		if (l->l_target_cpu != NULL &&
		    !kcpuset_isset(kcp, cpu_index(l->l_target_cpu)))
			l->l_target_cpu = NULL;
		if (!kcpuset_isset(kcp, cpu_index(l->l_cpu)))
			CPU_INFO_FOREACH(cii, ci)
				if (kcpuset_isset(kcp, cii)) {
					tci = ci;
					break;
				}
	} else {
		l->l_affinity = NULL;
		l->l_flag &= ~LW_AFFINITY;
	}
	if (tci != NULL)
		lwp_migrate(l, tci);		/* unlocks */
	else
		lwp_unlock(l);
	if (old != NULL)
		kcpuset_unuse(old);
}

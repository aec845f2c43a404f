/*
 * kern_migrate.c: which CPU an LWP runs on, and moving it there.
 *
 * Placement (the heuristics, tunable below; docs/sched.md):
 *   sched_takecpu(l)  where a new or woken LWP should run:
 *     1. a bound LWP stays;
 *     2. its last CPU, if allowed and either idle, or the LWP is still
 *        cache-hot there and its effective priority is above that CPU's
 *        load (it would run there at once);
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
 * changes its own l_cpu.  Affinity: sched_takecpu and sched_catchlwp
 * choose only CPUs sched_migratable allows (sched_takecpu keeps a bound
 * LWP where it is, and an LWP none of whose allowed CPUs runs); callers
 * of lwp_migrate choose an allowed CPU, which it asserts; lwp_setaffinity
 * calls off a pending move to a CPU it now forbids, and
 * sched_idle_migrate asserts its target is allowed.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/kcpuset.h>
#include <sys/lab.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/time.h>

u_int	sched_cacheht_ticks = 1;	/* ~10 ms */
u_int	sched_balance_ticks = 30;	/* 300 ms */
u_int	sched_min_catch = 1;

/* The busiest CPU, as the balancer last saw it (sched_balance writes it,
 * idle CPUs read it as a hint); NULL until the balancer has run. */
struct cpu_info * volatile worker_ci;

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

/* max(running, queued) priority: how contended a CPU is (a hint: read
 * without ci's lock). */
pri_t
cpu_load(const struct cpu_info *ci)
{
	const struct schedstate_percpu *spc = &ci->ci_schedstate;
	pri_t q = spc->spc_count != 0 ? spc->spc_maxpriority : PRI_NONE;

	return MAX(spc->spc_curpriority, q);
}

/* Nothing runs on ci but its idle LWP, and nothing is queued (a hint). */
bool
cpu_idle_p(const struct cpu_info *ci)
{
	const struct schedstate_percpu *spc = &ci->ci_schedstate;

	return spc->spc_curpriority == PRI_IDLE && spc->spc_count == 0;
}

/*
 * Where should l run (a new LWP, or one being woken up)?  l is locked,
 * and stays locked; nothing is changed, the caller moves l there.
 * In this order, returning the first that applies:
 *   1. l is bound (LP_BOUND): its own CPU, l_cpu;
 *   2. l_cpu, if l may run there (sched_migratable) and either that CPU
 *      is idle (cpu_idle_p), or l is cache-hot there (lwp_cache_hot)
 *      and l's effective priority (lwp_eprio) is above that CPU's load
 *      (cpu_load): it would run at once, with its cache lines warm;
 *   3. the first idle CPU l may run on, in CPU_INFO_FOREACH order;
 *   4. the CPU l may run on with the lowest cpu_load; among equal
 *      loads the one with fewer LWPs queued (spc_count), and among
 *      those the first in CPU_INFO_FOREACH order;
 *   5. l_cpu, if l may run nowhere (its affinity names no running CPU).
 * Never a CPU that l's affinity forbids, unless by rule 1 or 5.  The
 * numbers read from other CPUs are unlocked hints: the answer only has
 * to be good, not exact.
 * (The stub returns l_cpu: every LWP stays where it was.)
 */
struct cpu_info *
sched_takecpu(struct lwp *l)
{
#if !LAB_STUB(migrate)
	struct cpu_info *ci = l->l_cpu, *best = NULL, *tci;
	CPU_INFO_ITERATOR cii;
	pri_t eprio = lwp_eprio(l), bestload = PRI_COUNT;

	KASSERT(lwp_locked(l, NULL));
	if (l->l_pflag & LP_BOUND)
		return ci;
	/* Sticky: the last CPU, if idle, or warm and we would run now. */
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
#else
	return l->l_cpu;
#endif /* LAB migrate */
}

/* ---- idle CPUs: migration and stealing ---------------------------------- */

/*
 * Steal one LWP from ci's run queue for this CPU (ci is another CPU).
 * Both CPUs' spc_mutexes are held on entry; on return ci's is released
 * and ours is still held.  If ci has fewer than sched_min_catch
 * migratable LWPs queued (spc_mcount), take nothing.  Else take the
 * first LWP, in queue order, of ci's highest-priority queue that
 *   - is not bound (LP_BOUND),
 *   - is not cache-hot there (lwp_cache_hot),
 *   - may run here (sched_migratable: its affinity allows this CPU),
 *   - and is not the one ci's idle LWP is about to move (spc_migrating),
 * and move it onto our run queue (one with a move pending but not yet
 * under way, l_target_cpu set, may be taken: the move goes on from
 * here, or comes to nothing if its target is this CPU): off ci's queue (sched_dequeue), l_cpu
 * set to this CPU, its lock lent to our spc_mutex (the lock that covers
 * an LSRUN LWP is its CPU's spc_mutex), onto our queue (sched_enqueue).
 * Returns the LWP taken, or NULL.
 * (The stub takes nothing: it releases ci's lock and returns NULL.)
 */
struct lwp *
sched_catchlwp(struct cpu_info *ci)
{
#if !LAB_STUB(migrate)
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
#else
	spc_unlock(ci);
	return NULL;
#endif /* LAB migrate */
}

/*
 * This CPU's idle LWP finishes a migration lwp_migrate asked for: move
 * l = spc_migrating (LSRUN on our run queue, marked by sched_nextlwp or
 * mi_switch because l_target_cpu is set) to l_target_cpu's run queue.
 * Our spc_mutex is held on entry and on return.
 *   - l_target_cpu NULL (the move was called off) or this CPU: clear
 *     l_target_cpu and spc_migrating, and leave l queued here;
 *   - else take the target's spc_mutex too, in address order: two
 *     spc_mutexes are always taken lower address first (spc_dlock), so
 *     if the target's is lower, we may only try it (mutex_tryenter); if
 *     that fails, drop ours, take both with spc_dlock, and if meanwhile
 *     spc_migrating or l_target_cpu changed, do nothing this time;
 *   - then: off our queue (sched_dequeue, which clears spc_migrating),
 *     l_cpu = target, l_target_cpu = NULL, l's lock set to the target's
 *     spc_mutex (lwp_setlock: we hold both), onto the target's queue
 *     (sched_enqueue), and release the target's lock.
 * The target is always one l's affinity allows (lwp_setaffinity calls
 * off a move to a CPU it forbids).
 * (The stub calls every move off: l stays, and runs, where it is.)
 */
void
sched_idle_migrate(void)
{
#if !LAB_STUB(migrate)
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
#else
	struct schedstate_percpu *spc = &curcpu()->ci_schedstate;

	spc->spc_migrating->l_target_cpu = NULL;	/* called off */
	spc->spc_migrating = NULL;
#endif /* LAB migrate */
}

/*
 * The idle LWP's housekeeping (idle_loop), at IPL_NONE, no lock held:
 *   1. if an LWP waits here to be migrated (spc_migrating), move it:
 *      sched_idle_migrate with our spc_mutex held (re-check under it);
 *   2. then, if our run queue is empty and there is another CPU, steal:
 *      from worker_ci (the balancer's busiest CPU) if it is another CPU
 *      with at least sched_min_catch migratable LWPs queued, else from
 *      the other CPU with the most (spc_mcount), if it has at least
 *      sched_min_catch; lock both run queues (spc_dlock) and call
 *      sched_catchlwp; release ours.
 * Reading other CPUs' counts to choose is an unlocked hint.
 * (The stub does nothing: no migration is finished, nothing stolen.)
 */
void
sched_idle(void)
{
#if !LAB_STUB(migrate)
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
#endif /* LAB migrate */
}

/*
 * Periodic balancer (hardclock on CPU 0, every sched_balance_ticks):
 * for each CPU, in CPU_INFO_FOREACH order, a moving average of its
 * migratable queue length in 1/256ths,
 *	spc_avgcount = (spc_avgcount + 256 * spc_mcount) / 2,
 * and worker_ci = the CPU with the largest new average (the first of
 * equals; NULL if every average is 0), for idle CPUs to steal from.
 * No lock: these are hints.
 * (The stub does nothing: averages stay 0 and worker_ci NULL.)
 */
void
sched_balance(void)
{
#if !LAB_STUB(migrate)
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
#endif /* LAB migrate */
}


/* ---- migration ----------------------------------------------------------- */

/*
 * Move l to CPU tci, which l's affinity must allow.  l locked on entry;
 * unlocked on return.  If a move is already pending (l_target_cpu set),
 * only its target changes, to tci (tci == l_cpu: the move comes to
 * nothing there).  Else nothing to do if tci is l_cpu, and otherwise it
 * depends on the state (an LWP still on its CPU, LP_RUNNING,
 * counts as LSONPROC whatever its l_stat says):
 *
 *   LSRUN      l_target_cpu = tci, nothing else: l belongs to its CPU's
 *              run queue and lock until that CPU would next run it
 *              (sched_nextlwp sets spc_migrating, the idle LWP moves it:
 *              sched_idle_migrate)
 *   LSONPROC   the same, and l's CPU is told to reschedule now
 *              (cpu_need_resched, RESCHED_KPREEMPT, under its spc_mutex);
 *              l_cpu must not change while l runs there
 *   LSIDL      l_cpu = tci, lock lent to tci's spc_mutex
 *   LSSLEEP    l_cpu = tci, lock unchanged (the sleep queue's); it wakes
 *              up there
 *   LSSTOP, LSSUSPENDED  l_cpu = tci; if not on a sleep queue (l_wchan
 *              NULL) the lock is lent to tci's spc_lwplock, else it is
 *              unchanged
 * (The stub moves nothing: it unlocks l and returns.)
 */
void
lwp_migrate(lwp_t *l, struct cpu_info *tci)
{
#if !LAB_STUB(migrate)
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
#else
	lwp_unlock(l);
#endif /* LAB migrate */
}

/*
 * Set l's CPU affinity to kcp (NULL: run anywhere).  l locked on entry;
 * unlocked on return.
 *   - kcp != NULL: take a reference on kcp (kcpuset_use), l_affinity =
 *     kcp, LW_AFFINITY set; a move already on its way to a CPU kcp
 *     forbids (l_target_cpu) is called off (l_target_cpu = NULL); if
 *     l_cpu is not in kcp, move l (lwp_migrate) to the first CPU, in
 *     CPU_INFO_FOREACH order, that kcp allows;
 *   - kcp == NULL: l_affinity = NULL, LW_AFFINITY clear;
 *   - either way, drop the reference on the old l_affinity, if any
 *     (kcpuset_unuse), after unlocking l.
 * (The stub records nothing and moves nothing: it unlocks l.)
 */
void
lwp_setaffinity(lwp_t *l, kcpuset_t *kcp)
{
#if !LAB_STUB(migrate)
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
#else
	lwp_unlock(l);
#endif /* LAB migrate */
}

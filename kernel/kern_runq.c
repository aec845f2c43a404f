/*
 * kern_runq.c: per-CPU run queues and the choice of CPU.
 *
 * Run queue (one per CPU, in ci_schedstate, all under spc_mutex):
 *
 *   spc_bitmap  8 words x 32 bits: bit (0x80000000 >> (p & 31)) of word
 *               p >> 5 is set while queue p is non-empty
 *   spc_queue   PRI_COUNT FIFO lists; an LWP queues at lwp_eprio(l)
 *   spc_maxpriority  the highest non-empty queue (found from the bitmap)
 *   spc_count / spc_mcount  LWPs queued / ... not bound to this CPU
 *
 * sched_enqueue/sched_dequeue/sched_nextlwp are O(1): enqueue appends
 * and sets a bit; dequeue unlinks and clears the bit if the list
 * emptied, then rescans at most 8 words for the new maximum.
 *
 * CPU choice (the heuristics, tunable below; docs/sched.md):
 *   sched_takecpu(l)  where a new or woken LWP should run:
 *     1. a bound LWP stays;
 *     2. its last CPU, if allowed and either idle, or the LWP is still
 *        cache-hot there and that CPU is not busier than others;
 *     3. else an idle allowed CPU;
 *     4. else the allowed CPU with the least max(running, queued) priority,
 *        ties to the shorter queue.
 *   sched_idle()  an idle CPU finishes a pending migration, then steals
 *     one migratable, not cache-hot LWP from the busiest CPU
 *     (sched_catchlwp), the one the periodic balancer last picked.
 *   sched_balance()  every sched_balance_ticks, CPU 0 updates each CPU's
 *     moving average of queue length and picks the busiest.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/kcpuset.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/time.h>

u_int	sched_rrticks = 10;		/* 100 ms at hz=100 */
u_int	sched_cacheht_ticks = 1;	/* ~10 ms */
u_int	sched_balance_ticks = 30;	/* 300 ms */
u_int	sched_min_catch = 1;

static struct cpu_info * volatile worker_ci;	/* a: busiest CPU */

/* ---- the run-queue structure ------------------------------------- */

void
runq_init(struct schedstate_percpu *spc)
{
	for (int i = 0; i < PRI_COUNT; i++)
		TAILQ_INIT(&spc->spc_queue[i]);
	memset(spc->spc_bitmap, 0, sizeof(spc->spc_bitmap));
	spc->spc_count = spc->spc_mcount = 0;
	spc->spc_maxpriority = 0;
}

static inline uint32_t
runq_bit(pri_t p)
{
	return 0x80000000u >> (p & 31);
}

/* Put l on queue `pri`: at the tail, or the head if `head`. */
void
runq_insert(struct schedstate_percpu *spc, struct lwp *l, pri_t pri,
    bool head)
{
	KASSERT(pri >= 0 && pri < PRI_COUNT);
	if (TAILQ_EMPTY(&spc->spc_queue[pri]))
		spc->spc_bitmap[pri >> 5] |= runq_bit(pri);
	if (head)
		TAILQ_INSERT_HEAD(&spc->spc_queue[pri], l, l_runq);
	else
		TAILQ_INSERT_TAIL(&spc->spc_queue[pri], l, l_runq);
	spc->spc_count++;
	if (pri > spc->spc_maxpriority || spc->spc_count == 1)
		spc->spc_maxpriority = pri;
}

/* Take l off queue `pri`, and find the new highest priority. */
void
runq_remove(struct schedstate_percpu *spc, struct lwp *l, pri_t pri)
{
	KASSERT(spc->spc_count > 0);
	TAILQ_REMOVE(&spc->spc_queue[pri], l, l_runq);
	spc->spc_count--;
	if (!TAILQ_EMPTY(&spc->spc_queue[pri]))
		return;
	spc->spc_bitmap[pri >> 5] &= ~runq_bit(pri);
	if (pri != spc->spc_maxpriority)
		return;
	/* The top queue emptied: scan down for the next non-empty one. */
	for (int i = pri >> 5; i >= 0; i--) {
		uint32_t w = spc->spc_bitmap[i];

		if (w != 0) {
			spc->spc_maxpriority = (i << 5) + 31 -
			    __builtin_ctz(w);
			return;
		}
	}
	spc->spc_maxpriority = 0;
}

struct lwp *
runq_first(const struct schedstate_percpu *spc)
{
	if (spc->spc_count == 0)
		return NULL;
	return TAILQ_FIRST(&spc->spc_queue[spc->spc_maxpriority]);
}

pri_t
runq_maxpri(const struct schedstate_percpu *spc)
{
	return spc->spc_count == 0 ? PRI_NONE : spc->spc_maxpriority;
}

/* ---- locking helpers ------------------------------------------------ */

void
spc_lock(struct cpu_info *ci)
{
	mutex_spin_enter(ci->ci_schedstate.spc_mutex);
}

void
spc_unlock(struct cpu_info *ci)
{
	mutex_spin_exit(ci->ci_schedstate.spc_mutex);
}

/* Lock two CPUs' run queues, lower address first (no deadlock). */
void
spc_dlock(struct cpu_info *a, struct cpu_info *b)
{
	KASSERT(a != b);
	if (a < b) {
		spc_lock(a);
		spc_lock(b);
	} else {
		spc_lock(b);
		spc_lock(a);
	}
}

void
sched_cpuattach(struct cpu_info *ci)
{
	struct schedstate_percpu *spc = &ci->ci_schedstate;

	mutex_init(&spc->spc_mutex_store, MUTEX_SPIN, IPL_SCHED);
	mutex_setorder(&spc->spc_mutex_store, LOCKORDER_SPC_MUTEX, "spc_mutex");
	mutex_init(&spc->spc_lwplock_store, MUTEX_SPIN, IPL_SCHED);
	mutex_setorder(&spc->spc_lwplock_store, LOCKORDER_SPC_LWPLOCK,
	    "spc_lwplock");
	spc->spc_mutex = &spc->spc_mutex_store;
	spc->spc_lwplock = &spc->spc_lwplock_store;
	runq_init(spc);
	spc->spc_curpriority = PRI_IDLE;
}

/* ---- enqueue, dequeue, pick ----------------------------------------- */

/*
 * Put l (LSRUN, locked by its CPU's spc_mutex) on that CPU's queue.
 * `swtch`: the caller is mi_switch, which will pick the next LWP
 * itself; otherwise, if l outranks what runs there, ask that CPU to
 * reschedule.
 */
void
sched_enqueue(struct lwp *l, bool swtch)
{
	struct cpu_info *ci = l->l_cpu;
	struct schedstate_percpu *spc = &ci->ci_schedstate;
	pri_t eprio = lwp_eprio(l);

	KASSERT(lwp_locked(l, spc->spc_mutex));
	KASSERT(l->l_stat == LSRUN);
	runq_insert(spc, l, eprio, false);
	if (!(l->l_pflag & LP_BOUND))
		spc->spc_mcount++;
	if (!swtch && eprio > spc->spc_curpriority)
		sched_resched_cpu(ci, eprio);
}

void
sched_dequeue(struct lwp *l)
{
	struct schedstate_percpu *spc = &l->l_cpu->ci_schedstate;

	KASSERT(lwp_locked(l, spc->spc_mutex));
	KASSERT(l->l_stat == LSRUN);
	if (spc->spc_migrating == l)
		spc->spc_migrating = NULL;
	runq_remove(spc, l, lwp_eprio(l));
	if (!(l->l_pflag & LP_BOUND)) {
		KASSERT(spc->spc_mcount > 0);
		spc->spc_mcount--;
	}
}

/*
 * The LWP this CPU should run next (still queued), or NULL for the idle
 * LWP: nothing queued, or an LWP waits here to be migrated (the idle
 * LWP does that; an LWP with l_target_cpu at the head of the queue is
 * marked for it here).  spc_mutex held.
 */
struct lwp *
sched_nextlwp(void)
{
	struct schedstate_percpu *spc = &curcpu()->ci_schedstate;
	struct lwp *l;

	KASSERT(mutex_owned(spc->spc_mutex));
	if (spc->spc_migrating != NULL)
		return NULL;
	l = runq_first(spc);
	/* It is to move (lwp_migrate of an LSRUN LWP): let the idle LWP
	 * move it now rather than run it here first. */
	if (l != NULL && l->l_target_cpu != NULL && !(l->l_pflag & LP_BOUND)) {
		spc->spc_migrating = l;
		return NULL;
	}
	return l;
}

/* Is anything queued here?  A lock-free hint. */
bool
sched_curcpu_runnable_p(void)
{
	return curcpu()->ci_schedstate.spc_count != 0;
}

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

/*
 * Every clock tick, on every CPU (interrupts off): charge the running
 * LWP's time slice; when it is used up and something else of at least
 * its priority waits, ask for a switch (round robin within a priority).
 */
void
sched_tick(struct cpu_info *ci)
{
	struct schedstate_percpu *spc = &ci->ci_schedstate;
	struct lwp *l = ci->ci_curlwp;

	if (l == NULL || (l->l_flag & LW_IDLE))
		return;
	if (--spc->spc_ticks > 0)
		return;
	spc->spc_flags |= SPCF_SHOULDYIELD;
	spc->spc_ticks = sched_rrticks;
	if (spc->spc_count != 0 && spc->spc_maxpriority >= lwp_eprio(l))
		cpu_need_resched(ci, RESCHED_KPREEMPT);
}

/*
 * kern_runq.c: per-CPU run queues and time slices.
 *
 * Run queue (one per CPU, in ci_schedstate, all under spc_mutex):
 *
 *   spc_bitmap  PRI_COUNT / 32 = 7 words of 32 bits: bit
 *               (0x80000000 >> (p & 31)) of word p >> 5 is set while
 *               queue p is non-empty
 *   spc_queue   PRI_COUNT FIFO lists; an LWP queues at lwp_eprio(l)
 *   spc_maxpriority  the highest non-empty queue (found from the bitmap)
 *   spc_count / spc_mcount  LWPs queued / ... not bound to this CPU
 *
 * sched_enqueue/sched_dequeue/sched_nextlwp are O(1): enqueue appends
 * and sets a bit; dequeue unlinks and clears the bit if the list
 * emptied, then rescans at most 7 words for the new maximum.
 *
 * Time slices: sched_tick, on every clock tick, counts down the
 * running LWP's slice (spc_ticks, sched_rrticks long) and asks for a
 * switch when it is used up and something of at least its priority
 * waits: round robin among equals.
 *
 * Which CPU an LWP goes to, and how LWPs move between CPUs, is
 * kern_migrate.c's business.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/lab.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/time.h>
#include <sys/trace.h>

u_int	sched_rrticks = 10;		/* 100 ms at hz=100 */

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

#if !LAB_STUB(runq)
static inline uint32_t
runq_bit(pri_t p)
{
	return 0x80000000u >> (p & 31);
}
#endif /* LAB runq */

/*
 * Put l on queue `pri`: at the tail, or at the head if `head`.  After
 * it: queue pri's bit is set in spc_bitmap, spc_count counts l, and
 * spc_maxpriority is the highest non-empty queue.  O(1).  spc_mutex
 * held (the caller's).
 */
void
runq_insert(struct schedstate_percpu *spc, struct lwp *l, pri_t pri,
    bool head)
{
#if !LAB_STUB(runq)
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
#else
	LAB_TODO(runq, "runq_insert");
#endif /* LAB runq */
}

/*
 * Take l off queue `pri` (where runq_insert put it).  After it: queue
 * pri's bit is clear if the queue emptied, spc_count no longer counts
 * l, and spc_maxpriority is again the highest non-empty queue (when
 * any is non-empty) -- found from the bitmap, at most 7 word tests, not
 * by walking 224 queues.  spc_mutex held.
 */
void
runq_remove(struct schedstate_percpu *spc, struct lwp *l, pri_t pri)
{
#if !LAB_STUB(runq)
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
#else
	LAB_TODO(runq, "runq_remove");
#endif /* LAB runq */
}

/* The LWP at the head of the highest non-empty queue, or NULL if the
 * run queue is empty.  spc_mutex held (or a hint). */
struct lwp *
runq_first(const struct schedstate_percpu *spc)
{
#if !LAB_STUB(runq)
	if (spc->spc_count == 0)
		return NULL;
	return TAILQ_FIRST(&spc->spc_queue[spc->spc_maxpriority]);
#else
	LAB_TODO(runq, "runq_first");
#endif /* LAB runq */
}

/* The highest priority queued, or PRI_NONE if nothing is. */
pri_t
runq_maxpri(const struct schedstate_percpu *spc)
{
#if !LAB_STUB(runq)
	return spc->spc_count == 0 ? PRI_NONE : spc->spc_maxpriority;
#else
	LAB_TODO(runq, "runq_maxpri");
#endif /* LAB runq */
}

/* ---- locking helpers ------------------------------------------------ */

/*
 * Lock ci's run queue.  Two run-queue locks are taken lower address
 * first (spc_dlock), or a CPU waiting for ours while we wait for its
 * would deadlock: LOCKDEBUG checks it, whatever the timing.
 */
void
spc_lock(struct cpu_info *ci)
{
	struct cpu_info *self = curcpu(), *c;
	CPU_INFO_ITERATOR cii;

	if (LOCKDEBUG && LKORDER_HELD(self, LOCKORDER_SPC_MUTEX) != 0)
		CPU_INFO_FOREACH(cii, c)
			if (c > ci &&
			    c->ci_schedstate.spc_mutex->mtx_owner == self)
				panic("spc_lock: cpu%u takes cpu%u's run-queue "
				    "lock while holding cpu%u's: two run-queue "
				    "locks go lower address first (spc_dlock)",
				    cpu_index(self), cpu_index(ci),
				    cpu_index(c));
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

	mutex_init(&spc->spc_mutex_store, MUTEX_SPIN, IPL_SCHED, "spc_mutex");
	mutex_setorder(&spc->spc_mutex_store, LOCKORDER_SPC_MUTEX);
	mutex_init(&spc->spc_lwplock_store, MUTEX_SPIN, IPL_SCHED,
	    "spc_lwplock");
	mutex_setorder(&spc->spc_lwplock_store, LOCKORDER_SPC_LWPLOCK);
	spc->spc_mutex = &spc->spc_mutex_store;
	spc->spc_lwplock = &spc->spc_lwplock_store;
	runq_init(spc);
	spc->spc_curpriority = PRI_IDLE;
}

/* ---- enqueue, dequeue, pick ----------------------------------------- */

/*
 * Put l (LSRUN, locked by its CPU's spc_mutex) on that CPU's run queue,
 * at the tail of the queue of its effective priority (lwp_eprio: a
 * priority lent through a turnstile counts).  spc_count counts it, and
 * spc_mcount too unless it is bound (LP_BOUND: it may not migrate).
 * `swtch`: the caller is mi_switch, which picks the next LWP itself;
 * otherwise, if l outranks what runs on that CPU (spc_curpriority),
 * ask the CPU to reschedule (sched_resched_cpu).
 */
void
sched_enqueue(struct lwp *l, bool swtch)
{
#if !LAB_STUB(runq)
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
#else
	LAB_TODO(runq, "sched_enqueue");
#endif /* LAB runq */
	TRACE_RUNQ(TR_ENQUEUE, l);
}

/*
 * Take l (LSRUN, locked by its CPU's spc_mutex) off that CPU's run
 * queue: the undoing of sched_enqueue, counts included.  If l is the
 * LWP the CPU's idle loop was to migrate (spc_migrating), it is not
 * any more.
 */
void
sched_dequeue(struct lwp *l)
{
#if !LAB_STUB(runq)
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
#else
	LAB_TODO(runq, "sched_dequeue");
#endif /* LAB runq */
	TRACE_RUNQ(TR_DEQUEUE, l);
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

/*
 * Every clock tick, on every CPU, with interrupts off (the clock
 * interrupt; no lock: spc_ticks and spc_flags are this CPU's own):
 * charge the running LWP's time slice.  When sched_rrticks ticks of it
 * are used up, mark the CPU SPCF_SHOULDYIELD, start a new slice, and if
 * an LWP of at least the running one's effective priority waits on
 * this CPU's queue, ask for a switch (cpu_need_resched, RESCHED_
 * KPREEMPT): round robin among equals.  The idle LWP (LW_IDLE in its
 * l_flag) is never charged.
 */
void
sched_tick(struct cpu_info *ci)
{
#if !LAB_STUB(runq)
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
#else
	LAB_TODO(runq, "sched_tick");
#endif /* LAB runq */
}

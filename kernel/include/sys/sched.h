/*
 * sys/sched.h: the scheduler's per-CPU state (struct schedstate_percpu,
 * in every CPU's cpu_data as ci_schedstate) and its interface.
 *
 * Each CPU has one run queue: PRI_COUNT FIFO lists, one per priority,
 * and a bitmap saying which lists are non-empty, so finding the highest
 * runnable priority costs a few word tests (kern_runq.c).
 *
 * Lock legend.  The same block stands in sys/lwp.h, sys/proc.h,
 * sys/sched.h, sys/cpu_data.h and machine/cpu.h (tools/lint checks
 * that it does, and that every field there is marked with these
 * letters):
 *
 *   l   the LWP's current lock, *l_mutex (lwp_lock; kern_lwplock.c)
 *   m   spc_mutex: of l_cpu for an LWP's fields, of the CPU itself for
 *       its run queue's (struct schedstate_percpu)
 *   p   p_lock of the process
 *   P   proc_lock
 *   a   atomic operations; may be read without a lock, as a hint
 *   s   only the CPU itself, with interrupts off where its own interrupt
 *       handlers touch the field too
 *   !   only the LWP itself (or someone who knows it is not running)
 *   (   constant once set up
 *   A lock named in full (alllwp_lock, lp_lock, ...) is that lock.
 *   "m, read as a hint": written under the lock, read without it where
 *   an out-of-date value only makes a heuristic less good.
 *
 * Lock order: spc_lwplock -> sleeptab st_mutex -> turnstile tc_mutex ->
 * spc_mutex; two spc_mutexes in address order (spc_dlock).
 */
#ifndef _SYS_SCHED_H_
#define _SYS_SCHED_H_

#include <sys/types.h>
#include <sys/param.h>
#include <sys/mutex.h>
#include <sys/queue.h>

struct lwp;
struct cpu_info;

struct schedstate_percpu {
	kmutex_t	*spc_mutex;	/* (: run queue lock */
	kmutex_t	*spc_lwplock;	/* (: lock of LSONPROC/LSZOMB LWPs */
	struct lwp	*spc_migrating;	/* m: LWP to push to l_target_cpu */
	u_int		spc_flags;	/* s: SPCF_* */
	int		spc_ticks;	/* s: ticks left in the time slice */
	volatile pri_t	spc_curpriority; /* m, read as a hint: priority of
					 * what runs here (mi_switch,
					 * sched_setpri) */
	volatile pri_t	spc_maxpriority; /* m, read as a hint: highest
					 * queued priority */
	volatile u_int	spc_count;	/* m, read as a hint: LWPs queued */
	volatile u_int	spc_mcount;	/* m, read as a hint: ... of them
					 * migratable */
	volatile u_int	spc_avgcount;	/* a: balancer's moving average */
	uint32_t	spc_bitmap[PRI_COUNT / 32]; /* m: non-empty queues */
	TAILQ_HEAD(, lwp) spc_queue[PRI_COUNT];	/* m: one FIFO a priority */
	kmutex_t	spc_mutex_store;	/* (: what spc_mutex points at */
	kmutex_t	spc_lwplock_store; /* (: ... and spc_lwplock */
};

/* spc_flags */
#define SPCF_SEENRR		0x0001	/* a full time slice went by */
#define SPCF_SHOULDYIELD	0x0002	/* the slice is used up */
#define SPCF_IDLE		0x0020	/* the idle LWP runs */
#define SPCF_SWITCHCLEAR	(SPCF_SEENRR | SPCF_SHOULDYIELD)

/* cpu_need_resched() flags (NetBSD's values) */
#define RESCHED_REMOTE		0x01	/* the CPU is not this one */
#define RESCHED_IDLE		0x02	/* the CPU is idle */
#define RESCHED_UPREEMPT	0x04	/* preempt at return to user */
#define RESCHED_KPREEMPT	0x08	/* preempt in the kernel */

/* Tunables (sched_rrticks in kern_runq.c, the others in kern_migrate.c;
 * docs/sched.md explains them). */
extern u_int	sched_rrticks;		/* time slice, in ticks */
extern u_int	sched_cacheht_ticks;	/* cache-hot for this long */
extern u_int	sched_balance_ticks;	/* balancer period */
extern u_int	sched_min_catch;	/* steal only from queues this long */

/* kern_runq.c */
void	sched_cpuattach(struct cpu_info *);
void	sched_enqueue(struct lwp *, bool);
void	sched_dequeue(struct lwp *);
struct lwp *sched_nextlwp(void);
bool	sched_curcpu_runnable_p(void);
void	sched_tick(struct cpu_info *);
void	spc_lock(struct cpu_info *);
void	spc_unlock(struct cpu_info *);
void	spc_dlock(struct cpu_info *, struct cpu_info *);

/* kern_migrate.c: placement, stealing, balancing (lwp_migrate and
 * lwp_setaffinity are in sys/lwp.h). */
extern struct cpu_info * volatile worker_ci;	/* a: the busiest CPU */
struct cpu_info *sched_takecpu(struct lwp *);
bool	sched_migratable(const struct lwp *, const struct cpu_info *);
bool	lwp_cache_hot(const struct lwp *);
pri_t	cpu_load(const struct cpu_info *);
bool	cpu_idle_p(const struct cpu_info *);
struct lwp *sched_catchlwp(struct cpu_info *);
void	sched_idle_migrate(void);
void	sched_idle(void);
void	sched_balance(void);

/* The run-queue structure alone, for unit tests (kern_runq.c). */
void	runq_init(struct schedstate_percpu *);
void	runq_insert(struct schedstate_percpu *, struct lwp *, pri_t, bool);
void	runq_remove(struct schedstate_percpu *, struct lwp *, pri_t);
struct lwp *runq_first(const struct schedstate_percpu *);
pri_t	runq_maxpri(const struct schedstate_percpu *);

/* kern_synch.c */
void	mi_switch(struct lwp *);
void	setrunnable(struct lwp *);
void	setrunnable1(struct lwp *);
void	preempt(void);
void	yield(void);
void	lwp_exit_switchaway(struct lwp *) __dead;
void	sched_resched_cpu(struct cpu_info *, pri_t);

/* kern_idle.c */
void	idle_loop(void *) __dead;
void	create_idle_lwp(struct cpu_info *);

#endif /* !_SYS_SCHED_H_ */

/*
 * sys/sched.h: the scheduler's per-CPU state (struct schedstate_percpu,
 * in every cpu_info as ci_schedstate) and its interface.
 *
 * Each CPU has one run queue: PRI_COUNT FIFO lists, one per priority,
 * and a bitmap saying which lists are non-empty, so finding the highest
 * runnable priority costs a few word tests (kern_runq.c).
 *
 * Lock legend:
 *   m   spc_mutex: the run queue, and every LSRUN/LSIDL LWP on it
 *   s   only this CPU, at IPL_SCHED (interrupts off)
 *   a   atomic; read without locks as a hint
 *   (   constant
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
	volatile pri_t	spc_curpriority; /* s: priority of what runs here */
	volatile pri_t	spc_maxpriority; /* m: highest queued priority */
	volatile u_int	spc_count;	/* m: LWPs queued */
	volatile u_int	spc_mcount;	/* m: ... of them migratable */
	volatile u_int	spc_avgcount;	/* a: balancer's moving average */
	uint32_t	spc_bitmap[PRI_COUNT / 32]; /* m: non-empty queues */
	TAILQ_HEAD(, lwp) spc_queue[PRI_COUNT];	/* m: one FIFO a priority */
	kmutex_t	spc_mutex_store;
	kmutex_t	spc_lwplock_store;
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

/* Tunables (kern_runq.c; docs/sched.md explains them). */
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
struct cpu_info *sched_takecpu(struct lwp *);
bool	sched_migratable(const struct lwp *, const struct cpu_info *);
bool	lwp_cache_hot(const struct lwp *);
void	sched_idle(void);
void	sched_tick(struct cpu_info *);
void	sched_balance(void);
void	spc_lock(struct cpu_info *);
void	spc_unlock(struct cpu_info *);
void	spc_dlock(struct cpu_info *, struct cpu_info *);

/* The run-queue structure alone, for unit tests (kern_runq.c). */
void	runq_init(struct schedstate_percpu *);
void	runq_insert(struct schedstate_percpu *, struct lwp *, pri_t, bool);
void	runq_remove(struct schedstate_percpu *, struct lwp *, pri_t);
struct lwp *runq_first(const struct schedstate_percpu *);
pri_t	runq_maxpri(const struct schedstate_percpu *);

/* kern_synch.c */
void	mi_switch(struct lwp *);
void	setrunnable(struct lwp *);
void	preempt(void);
void	yield(void);
void	lwp_exit_switchaway(struct lwp *) __dead;
void	sched_resched_cpu(struct cpu_info *, pri_t);

/* kern_idle.c */
void	idle_loop(void *) __dead;
void	create_idle_lwp(struct cpu_info *);

#endif /* !_SYS_SCHED_H_ */

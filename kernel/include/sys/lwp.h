/*
 * sys/lwp.h: light-weight processes (LWPs), the kernel's threads.
 *
 * Every thread of execution is an LWP in a process; kernel threads are
 * LWPs of proc0.  kern_lwp.c's header comment describes the states,
 * kern_lwplock.c's which lock covers an LWP in each state; the marks
 * below say which lock covers each field.
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
 */
#ifndef _SYS_LWP_H_
#define _SYS_LWP_H_

/* What user space sees too (ps, tests, <lwp.h>): the states and the
 * creation flags. */
/* l_stat: the seven states (NetBSD's values). */
#define LSIDL		1	/* being created, or parked kernel thread */
#define LSRUN		2	/* on a run queue */
#define LSSLEEP		3	/* on a sleep queue */
#define LSSTOP		4	/* stopped (job control, debugger) */
#define LSZOMB		5	/* dead, not yet collected */
#define LSONPROC	7	/* running on a CPU */
#define LSSUSPENDED	8	/* suspended by _lwp_suspend() */

/* lwp_create() and _lwp_create(2) flags (Solaris's values, as NetBSD) */
#define LWP_DETACHED	0x00000040	/* nobody will _lwp_wait for it */
#define LWP_SUSPENDED	0x00000080	/* start in LSSUSPENDED */

#ifdef _KERNEL

#include <sys/types.h>
#include <sys/param.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/callout.h>
#include <sys/signalvar.h>
#include <machine/proc.h>

#define LWP_MAXLKHELD	8	/* LOCKDEBUG: sleepable locks tracked */

struct cpu_info;
struct proc;
struct kcpuset;
struct syncobj;
struct sleepq;
struct turnstile;
struct lwpctl;
struct kcov_desc;
struct __ucontext;
struct pool_stats;

typedef struct lwp {
	/* Scheduling state. */
	TAILQ_ENTRY(lwp) l_runq;	/* m: run-queue link */
	struct cpu_info * volatile l_cpu; /* l: the CPU it runs, is queued
					 * or last ran on */
	kmutex_t * volatile l_mutex;	/* l: the lock covering this LWP */
	struct cpu_info *l_target_cpu;	/* l: pending migration target */
	int		l_stat;		/* l: LS* state */
	int		l_flag;		/* l: LW_* flags */
	int		l_pflag;	/* !: LP_* flags; but LP_RUNNING is
					 * set and cleared, atomically, on
					 * the CPU it runs on, by mi_switch
					 * and mi_switch_finish (and
					 * mi_cpu_hatch for an idle LWP) */
	int		l_prflag;	/* p: LPR_* flags */
	pri_t		l_priority;	/* l: scheduling priority */
	pri_t		l_inheritedprio; /* l: lent through a turnstile; -1 */
	struct kcpuset	*l_affinity;	/* l: allowed CPUs (LW_AFFINITY) */
	volatile const void *l_wchan;	/* l: what it sleeps on */
	const char	*l_wmesg;	/* l: why it sleeps */
	struct syncobj	*l_syncobj;	/* l: the kind of sleep */
	struct sleepq	*l_sleepq;	/* l: the queue it sleeps on */
	TAILQ_ENTRY(lwp) l_sleepchain;	/* l: link on l_sleepq */
	callout_t	l_timeout_ch;	/* !: wakes a timed sleep */
	struct turnstile *l_ts;		/* l: our turnstile (lent when we
					 * block on a lock) */
	SLIST_HEAD(, turnstile) l_pi_lenders; /* l: turnstiles lending us
					 * priority (we own their locks) */
	uint64_t	l_rticks;	/* l: tick it was last picked to run */
	int		l_nopreempt;	/* !: kpreempt_disable() depth */
	volatile int	l_dopreempt;	/* a: preemption wanted when enabled */

	/* Accounting. */
	uint64_t	l_rtime;	/* l: run time, ns */
	uint64_t	l_stime;	/* l, except that mi_switch sets it
					 * for the LWP it starts before it
					 * sets LP_RUNNING: start of the
					 * current run, ns */
	uint64_t	l_ncsw;		/* l: context switches */
	uint64_t	l_nivcsw;	/* l: ... of them involuntary */

	/* Identity and membership. */
	lwpid_t		l_lid;		/* (: LWP id, unique in the process */
	struct proc	*l_proc;	/* (: the process */
	LIST_ENTRY(lwp)	l_sibling;	/* p: entry in p_lwps */
	LIST_ENTRY(lwp)	l_lidchain;	/* p: entry in its p_lidhash chain */
	LIST_ENTRY(lwp)	l_list;		/* alllwp_lock: entry in alllwp */
	u_int		l_refcnt;	/* p: references (lwp_addref) */
	char		*l_name;	/* l: MAXCOMLEN bytes, or NULL (the
					 * pointer is set once; _lwp_setname
					 * rewrites the bytes, locked) */
	void		(*l_func)(void *); /* (: kernel thread body */
	void		*l_arg;		/* (: its argument */
	void		*l_private;	/* !: TLS pointer (_lwp_setprivate) */
	struct __ucontext *l_ctxlink;	/* !: uc_link of the last setcontext */
	sigset_t	l_sigmask;	/* p: signals blocked */
	sigset_t	l_sigoldmask;	/* p: the mask sigsuspend replaced */
	bool		l_sigrestore;	/* p: restore it after delivery */
	sigpend_t	l_sigpend;	/* p: pending for this LWP only */
	lwpid_t		l_waiter;	/* p: first LWP waiting for us */
	lwpid_t		l_waitingfor;	/* p: the LWP we wait for (0: any) */
	struct lwpctl	*l_lwpctl;	/* !, and p to change: our lwpctl
					 * block (kernel address, written by
					 * lwp_ctl_switch), or NULL */
	u_int		l_lcslot;	/* !, and p to change: its slot
					 * (kern_lwpctl.c) */
	struct kcov_desc *l_kcov;	/* !: the kcov descriptor enabled on
					 * it (KCOV kernels: subr_kcov.c), or
					 * NULL */

	/* LOCKDEBUG: sleepable locks held (subr_lockdebug.c). */
	int		l_nlkheld;	/* ! */
	struct {
		const void	*lh_lock;
		int		lh_class;
	} l_lkheld[LWP_MAXLKHELD];	/* ! */

	vaddr_t		l_kstack;	/* (: kernel stack base (KSTACK_SIZE
					 * bytes, kstack_alloc); 0 for lwp0,
					 * which runs on the boot stack */
	struct mdlwp	l_md;		/* !: machine-dependent part */
} lwp_t;

/* l_flag (l) */
#define LW_IDLE		0x00000001	/* a CPU's idle LWP */
#define LW_STIMO	0x00000040	/* the sleep timed out */
#define LW_SINTR	0x00000080	/* interruptible sleep */
#define LW_SYSTEM	0x00000200	/* kernel thread */
#define LW_WSUSPEND	0x00020000	/* suspend before return to user */
#define LW_WEXIT	0x00100000	/* exit before return to user */
#define LW_AFFINITY	0x00200000	/* l_affinity is set */
#define LW_PENDSIG	0x01000000	/* signal pending */
#define LW_CANCELLED	0x02000000	/* next interruptible sleep: EINTR */
#define LW_UNPARKED	0x10000000	/* unpark pending: next park returns */
/* Work for lwp_userret() before the LWP may return to user mode. */
#define LW_USERRET	(LW_WEXIT | LW_PENDSIG | LW_WSUSPEND)

/* l_pflag (!) */
#define LP_MPSAFE	0x00000020	/* (every LWP: there is no big lock) */
#define LP_MUSTJOIN	0x00000100	/* kthread_join() will reap it */
#define LP_PREEMPTING	0x00020000	/* mi_switch is involuntary */
#define LP_JITTER	0x00040000	/* in a preemption jitter= made */
#define LP_RUNNING	0x20000000	/* on a CPU: its state is tied there */
#define LP_BOUND	0x80000000	/* never migrate */

/* l_prflag (p) */
#define LPR_DETACHED	0x00800000	/* nobody will wait for it */
#define LPR_EXITING	0x40000000	/* in lwp_exit: counted in p_nzlwps,
					 * not yet LSZOMB (lwpkern's) */

extern lwp_t	lwp0;			/* the boot thread, in proc0 */
/* LWP addresses are 64-byte aligned: lock words (rwlocks, mutexes) keep
 * flags in the low bits of an owner pointer. */
#define LWP_ALIGN	64
extern kmutex_t	alllwp_lock;		/* covers alllwp */
extern LIST_HEAD(lwplist, lwp) alllwp;	/* every LWP, zombies too, until
					 * lwp_free */

/* kern_lwp.c */
void	lwpinit(void);
size_t	lwp_nallocated(void);
void	lwp_cache_stats(struct pool_stats *);
bool	lwp_memory_p(const lwp_t *);
int	lwp_create(lwp_t *, struct proc *, int, void (*)(void *), void *,
	    lwp_t **);
void	lwp_start(lwp_t *, int);
void	lwp_destroy(lwp_t *);
void	lwp_userret(lwp_t *);
void	lwp_addref(lwp_t *);
void	lwp_delref(lwp_t *);
void	lwp_delref2(lwp_t *);
void	lwp_drainrefs(lwp_t *);
void	lwp_setname(lwp_t *, const char *);
pri_t	lwp_eprio(const lwp_t *);
lwp_t	*proc_find_lwp(struct proc *, lwpid_t);
u_int	lwp_lidhash_want(const struct proc *);
void	lwp_lidhash_resize(struct proc *, u_int);
size_t	lwp_lidhash_kmem(const struct proc *);
lwp_t	*lwp_find(struct proc *, lwpid_t);
lwp_t	*lwp_find2(pid_t, lwpid_t);
void	lwp_check_counters(struct proc *);
int	lwp_suspend(lwp_t *, lwp_t *);
void	lwp_continue(lwp_t *);
void	lwp_need_userret(lwp_t *);
void	lwp_suspend_point(lwp_t *);

/* kern_lwpctl.c */
int	lwp_ctl_alloc(lwp_t *, vaddr_t *);
void	lwp_ctl_free(lwp_t *);
void	lwp_ctl_switch(lwp_t *, lwp_t *);
void	lwp_ctl_exit(struct proc *);

/* kern_lwpexit.c */
void	lwp_exit(lwp_t *) __dead;
void	lwp_free(lwp_t *);
void	lwp_reap_detached(struct proc *);
int	lwp_wait1(lwp_t *, lwpid_t, lwpid_t *);

/* kern_migrate.c */
void	lwp_migrate(lwp_t *, struct cpu_info *);
void	lwp_setaffinity(lwp_t *, struct kcpuset *);

/* kern_synch.c */
void	lwp_startup(lwp_t *, lwp_t *);

/* db_lwp.c: the LWP table for hang reports (no locks taken). */
void	db_show_all_lwps(void);

/*
 * LWPs per process: _lwp_create fails with EAGAIN once a process has
 * maxlwp of them (zombies included; kernel threads are not counted).
 * The boot option maxlwp= and sysctl kern.maxlwp set it, from 1 to
 * MAXLWP_MAX; MAXLWP_DEFAULT otherwise.  What really bounds the count
 * is memory: each LWP holds a kernel stack (KSTACK_SIZE, 16 KiB, plus
 * an unmapped guard page of address space), its struct lwp (about 3
 * KiB) and turnstile, and, if it asks, an lwpctl slot (8 bytes); past
 * LWP_RESERVE free pages, lwp_create answers ENOMEM (kern_lwp.c), and
 * so does kstack_alloc when its MAXLWP_MAX * 2 slots are all taken
 * (vm_kstack.c).  The lwpctl area is sized for MAXLWP_MAX
 * (kern_lwpctl.c).
 */
#define MAXLWP_DEFAULT	16384
#define MAXLWP_MAX	65536
extern int	maxlwp;			/* a: kern.maxlwp */
int	lwp_set_maxlwp(int);

/*
 * Lock lending (kern_lwplock.c).  An LWP's scheduling state is covered by
 * whatever lock l_mutex points at; the pointer moves with the state.
 */
void	lwp_lock(lwp_t *);
void	lwp_unlock(lwp_t *);
bool	lwp_trylock(lwp_t *);
bool	lwp_locked(const lwp_t *, const kmutex_t *);
kmutex_t *lwp_setlock(lwp_t *, kmutex_t *);
void	lwp_unlock_to(lwp_t *, kmutex_t *);
void	lwp_check_lock(const lwp_t *);

/* Preemption control (kern_synch.c). */
void	kpreempt_disable(void);
void	kpreempt_enable(void);
bool	kpreempt_disabled(void);
bool	kpreempt_wanted(struct cpu_info *, const lwp_t *, int);
int	curcpu_spin_state(int *);

#endif /* _KERNEL */
#endif /* !_SYS_LWP_H_ */

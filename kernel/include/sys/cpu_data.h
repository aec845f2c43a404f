/*
 * sys/cpu_data.h: the machine-independent per-CPU state (NetBSD's
 * struct cpu_data), embedded in every struct cpu_info as ci_data.
 *
 * What the scheduler, the locks and the counters keep per CPU is the
 * same on every machine, so it lives here; the arch's struct cpu_info
 * (machine/cpu.h) holds the rest (its own registers, tables and ids)
 * and this structure.  Code reaches the fields by their old names,
 * ci->ci_schedstate, ci->ci_mtx_count, ..., through the macros at the
 * end, as NetBSD's does.  (In gdb, which does not know the macros:
 * p ci->ci_data.cpu_schedstate.)
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
#ifndef _SYS_CPU_DATA_H_
#define _SYS_CPU_DATA_H_

#include <sys/types.h>
#include <sys/mutex.h>		/* LOCKORDER_N */
#include <sys/sched.h>		/* struct schedstate_percpu */

struct lwp;

struct cpu_data {
	struct schedstate_percpu cpu_schedstate; /* marked in sys/sched.h */
	struct lwp	*cpu_idlelwp;	/* (: this CPU's idle LWP */
	u_int		cpu_index;	/* (: 0..ncpu-1 */
	volatile int	cpu_want_resched; /* a: RESCHED_* flags pending
					 * (cpu_need_resched) */
	int		cpu_mtx_count;	/* s: spin mutexes held, >= 0 */
	int		cpu_mtx_oldspl;	/* s: IPL before the first of them */
	uint64_t	cpu_lkorder;	/* s: LOCKDEBUG: locks held, by class
					 * (sys/mutex.h: LKORDER_HELD) */
	struct kmutex * volatile cpu_spinning; /* s, read by others as a
					 * hint: the spin mutex this CPU
					 * waits for, or NULL (for tests:
					 * sys/mutex.h) */

	/* Counters, written by this CPU, read by anyone. */
	volatile uint64_t cpu_nintr;	/* s: device and timer interrupts */
	volatile uint64_t cpu_nipi;	/* s: IPIs received */
	volatile uint64_t cpu_nswtch;	/* s: context switches */
	volatile uint64_t cpu_ticks;	/* s: hardclock() calls here */
};

/*
 * The fields by their cpu_info names, as NetBSD's sys/cpu_data.h does
 * for its own (#define ci_schedstate ci_data.cpu_schedstate).  NetBSD
 * keeps ci_want_resched, ci_mtx_count and ci_mtx_oldspl in each port's
 * cpu_info; here they are MI, because what they mean is (spin mutexes,
 * kern_mutex.c; RESCHED_* requests, sys/sched.h).  The arch only sets
 * ci_want_resched (cpu_need_resched) and asks about it (cpu_idle).
 */
#define ci_schedstate		ci_data.cpu_schedstate
#define ci_idlelwp		ci_data.cpu_idlelwp
#define ci_index		ci_data.cpu_index
#define ci_want_resched		ci_data.cpu_want_resched
#define ci_mtx_count		ci_data.cpu_mtx_count
#define ci_mtx_oldspl		ci_data.cpu_mtx_oldspl
#define ci_lkorder		ci_data.cpu_lkorder
#define ci_spinning		ci_data.cpu_spinning
#define ci_nintr		ci_data.cpu_nintr
#define ci_nipi			ci_data.cpu_nipi
#define ci_nswtch		ci_data.cpu_nswtch
#define ci_ticks		ci_data.cpu_ticks

#endif /* !_SYS_CPU_DATA_H_ */

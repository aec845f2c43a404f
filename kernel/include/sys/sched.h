/*
 * sys/sched.h: per-CPU scheduler state (struct schedstate_percpu, in
 * every cpu_info as ci_schedstate).
 *
 * The scheduler issue fills this in (run queues, counts, time slices).
 * What exists now are the two locks every LWP state maps to:
 *   spc_mutex    covers this CPU's run queue: LWPs in LSRUN (and LSIDL)
 *                here have l_mutex == spc_mutex;
 *   spc_lwplock  covers LWPs in LSONPROC/LSZOMB on this CPU.
 * Both are spin mutexes at IPL_SCHED.  Lock order: spc_lwplock before
 * spc_mutex (docs/sched.md will draw the whole order).
 */
#ifndef _SYS_SCHED_H_
#define _SYS_SCHED_H_

#include <sys/mutex.h>

struct schedstate_percpu {
	kmutex_t	*spc_mutex;	/* (c) -> spc_mutex_store */
	kmutex_t	*spc_lwplock;	/* (c) -> spc_lwplock_store */
	kmutex_t	spc_mutex_store;
	kmutex_t	spc_lwplock_store;
};

/* cpu_need_resched() flags (NetBSD's values) */
#define RESCHED_REMOTE		0x01	/* the CPU is not this one */
#define RESCHED_IDLE		0x02	/* the CPU is idle */
#define RESCHED_UPREEMPT	0x04	/* preempt at return to user */
#define RESCHED_KPREEMPT	0x08	/* preempt in the kernel */

#endif /* !_SYS_SCHED_H_ */

/*
 * sys/kthread.h: kernel threads (NetBSD's kthread(9)).
 *
 *	lwp_t *l;
 *	error = kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL,
 *	    worker, arg, &l, "worker%d", i);
 *	...
 *	kthread_join(l);	// after worker() called kthread_exit(0)
 *
 * pri: PRI_NONE for the default (PRI_KTHREAD); ci: a CPU to bind the
 * thread to for its whole life, or NULL to let the scheduler place it.
 * A thread whose function returns exits as if it had called
 * kthread_exit(0).
 */
#ifndef _SYS_KTHREAD_H_
#define _SYS_KTHREAD_H_

#include <sys/types.h>
#include <sys/lwp.h>

#define KTHREAD_IDLE		0x01	/* do not start it: lwp_start() */
#define KTHREAD_MPSAFE		0x02	/* (every thread is) */
#define KTHREAD_MUSTJOIN	0x20	/* kthread_join() will reap it */

int	kthread_create(pri_t, int, struct cpu_info *, void (*)(void *),
	    void *, lwp_t **, const char *, ...) __printflike(7, 8);
void	kthread_exit(int) __dead;
int	kthread_join(lwp_t *);

#endif /* !_SYS_KTHREAD_H_ */

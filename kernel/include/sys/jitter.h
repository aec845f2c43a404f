/*
 * sys/jitter.h: reproducible schedule perturbation, the kernel option
 * jitter=SEED (kern_jitter.c; docs/labs/README.md).
 *
 * With a seed, the kernel changes its own schedule at points where races
 * hide, the same way every time for the same seed (under QEMU's -icount,
 * where guest time is a function of instructions, exactly the same):
 *
 *   JITTER_LOCK      a lock was released: maybe preempt the releaser
 *   JITTER_SLEEPQ    an LWP is on a sleep queue and about to block,
 *                    holding the queue's lock: maybe spin a while (a
 *                    longer window for a racing waker on another CPU)
 *   JITTER_WAKEUP    LWPs were woken: maybe preempt the waker
 *   JITTER_USERRET   on the way back to user mode: maybe preempt
 * and the clock interrupt's interval varies from 50% to 150% of 1/hz.
 *
 * A preemption happens only where the kernel could preempt anyway
 * (kpreempt_wanted's rules: IPL_NONE, preemption enabled, not the idle
 * LWP).  The seed is printed at boot and in every panic; at power-off,
 * `jitter: seed S, N preemptions injected`.
 */
#ifndef _SYS_JITTER_H_
#define _SYS_JITTER_H_

#include <sys/types.h>

#define JITTER_LOCK	0
#define JITTER_SLEEPQ	1
#define JITTER_WAKEUP	2
#define JITTER_USERRET	3

extern bool	jitter_on;		/* (: set once, at boot */

void	jitter_init(void);
void	jitter_point1(int);
void	jitter_clock(void);
void	jitter_report(void);

/* Cheap when off: one load and a predicted branch. */
#define JITTER_POINT(where) do {					\
	if (__predict_false(jitter_on))					\
		jitter_point1(where);					\
} while (0)

#endif /* !_SYS_JITTER_H_ */

/*
 * sys/param.h: sizes and small arithmetic helpers.
 */
#ifndef _SYS_PARAM_H_
#define _SYS_PARAM_H_

#include <sys/types.h>
#include <machine/param.h>	/* PAGE_SIZE, PAGE_SHIFT, KERNBASE */

#define MAXCOMLEN	16	/* LWP and process name length, as NetBSD */

/*
 * Scheduling priorities: NetBSD's bands, a higher number runs first.
 * What this kernel assigns: every user LWP runs at PRI_USER (execve sets
 * it, a new LWP inherits its creator's, nothing changes it: there is no
 * time-sharing decay); a kernel thread at PRI_KTHREAD unless
 * kthread_create is given another priority; an idle LWP at PRI_IDLE.  A
 * turnstile may lend an owner a waiter's higher priority
 * (l_inheritedprio).  The bands marked "NetBSD" are kept for their
 * numbers but nothing here assigns them: there is no wake-up boost (an
 * LWP woken from a sleep in the kernel keeps its own priority), no
 * real-time scheduling class and no soft interrupt.
 *
 *   PRI_KERNEL_RT  192..223  NetBSD: real-time kernel threads, softints
 *   PRI_USER_RT    128..191  NetBSD: real-time user LWPs
 *   PRI_KTHREAD     96..127  kernel threads
 *   PRI_KERNEL      64..95   NetBSD: LWPs that slept in the kernel, on
 *                            wake-up
 *   PRI_USER         0..63   user LWPs (all at PRI_USER, 0)
 *   PRI_IDLE        -1       the idle LWP: below everything
 */
#define PRI_COUNT	224
#define PRI_USER	0
#define PRI_KERNEL	64
#define PRI_KTHREAD	96
#define PRI_USER_RT	128
#define PRI_KERNEL_RT	192
#define MAXPRI		(PRI_COUNT - 1)
#define PRI_NONE	(-1)
#define PRI_IDLE	(-1)

#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#define howmany(x, y)	(((x) + ((y) - 1)) / (y))
#define roundup(x, y)	((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y)	(((x) / (y)) * (y))
#define roundup2(x, m)	(((x) + ((m) - 1)) & ~((__typeof__(x))(m) - 1))
#define rounddown2(x, m) ((x) & ~((__typeof__(x))(m) - 1))
#define powerof2(x)	((((x) - 1) & (x)) == 0)

#define trunc_page(x)	rounddown2((x), (__typeof__(x))PAGE_SIZE)
#define round_page(x)	roundup2((x), (__typeof__(x))PAGE_SIZE)
#define atop(x)		((x) >> PAGE_SHIFT)	/* address to page number */
#define ptoa(x)		((x) << PAGE_SHIFT)	/* page number to address */

#endif /* !_SYS_PARAM_H_ */

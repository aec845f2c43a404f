/*
 * machine/lock.h: what this machine does in a spin-wait loop (NetBSD's
 * name).  Interface header: machine-independent code includes
 * <sys/lock.h>.
 */
#ifndef _MACHINE_LOCK_H_
#define _MACHINE_LOCK_H_

#include <machine/cpufunc.h>

/*
 * One step of a busy-wait: `pause` tells the CPU that this is a spin
 * loop (leaving it then costs no memory-order mis-speculation, and a
 * hyperthread sibling gets the core meanwhile).  x86_pause is also a
 * compiler barrier, so the loop re-reads what it waits for.
 */
#define SPINLOCK_BACKOFF_HOOK	x86_pause()

#endif /* !_MACHINE_LOCK_H_ */

/*
 * sys/lock.h: busy-waiting (NetBSD's names).
 *
 *   SPINLOCK_BACKOFF_HOOK   one step of a loop that waits for another
 *                           CPU (a spin mutex, a flag, a cross-call):
 *                           the machine's hint that this is a spin loop
 *                           (machine/lock.h), and a compiler barrier, so
 *                           each turn re-reads what it waits for.
 *
 * Every spin-wait loop in kernel/ goes through it: the machine's
 * instruction for it stays in the arch.  (NetBSD's SPINLOCK_BACKOFF(),
 * an exponential backoff built on the hook, is not used here.)
 */
#ifndef _SYS_LOCK_H_
#define _SYS_LOCK_H_

#include <sys/cdefs.h>
#include <machine/lock.h>

#ifndef SPINLOCK_BACKOFF_HOOK
#define SPINLOCK_BACKOFF_HOOK	__insn_barrier()
#endif

#endif /* !_SYS_LOCK_H_ */

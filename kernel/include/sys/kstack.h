/*
 * sys/kstack.h: kernel stacks with guard pages (vm_kstack.c).
 *
 * kstack_alloc() returns the lowest address of a KSTACK_SIZE stack; the
 * page below it is a guard that is never mapped, so running off the
 * bottom of the stack faults at once (and the fault handler can say so:
 * kstack_is_guard()).  The stack's top is base + KSTACK_SIZE.
 * kstack_free() keeps a few freed stacks mapped for the next
 * kstack_alloc(); kstack_drain() really frees those.
 */
#ifndef _SYS_KSTACK_H_
#define _SYS_KSTACK_H_

#include <sys/types.h>

vaddr_t	kstack_alloc(void);		/* 0 when out of memory */
void	kstack_free(vaddr_t);
void	kstack_drain(void);
bool	kstack_is_guard(vaddr_t);
size_t	kstack_count(void);

#endif /* !_SYS_KSTACK_H_ */

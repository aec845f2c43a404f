/*
 * sys/xcall.h: cross-calls, running a function on other CPUs
 * (NetBSD's xcall(9)).
 *
 *	uint64_t where = xc_broadcast(XC_HIGHPRI, func, arg1, arg2);
 *	xc_wait(where);		// func(arg1, arg2) has run on every CPU
 *
 * xc_broadcast() runs func on every running CPU, this one included;
 * xc_unicast() on one.  Both return a ticket for xc_wait(), which
 * returns once that call (and every earlier one) has finished
 * everywhere: a barrier (every CPU has passed a point where it held
 * none of the caller's old state), which pmap shoot-downs rely on.
 *
 * XC_HIGHPRI calls run in the cross-call IPI handler, with interrupts
 * disabled: func must be short and must not sleep, take sleeping locks,
 * or make cross-calls.  Low-priority calls (flags 0) run in each target
 * CPU's `xcall/N` kernel thread at IPL_NONE, where func may sleep.
 *
 * Callers must be at IPL_NONE (interrupts enabled): while waiting for a
 * busy cross-call slot, or for others to finish, a CPU has to keep
 * answering the cross-calls sent to it.
 */
#ifndef _SYS_XCALL_H_
#define _SYS_XCALL_H_

#include <sys/types.h>

struct cpu_info;
typedef void (*xcfunc_t)(void *, void *);

#define XC_HIGHPRI	0x01

uint64_t xc_broadcast(u_int, xcfunc_t, void *, void *);
uint64_t xc_unicast(u_int, xcfunc_t, void *, void *, struct cpu_info *);
void	xc_wait(uint64_t);
void	xc_ipi_handler(void);
void	xc_init(void);

#endif /* !_SYS_XCALL_H_ */

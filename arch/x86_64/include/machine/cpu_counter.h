/*
 * machine/cpu_counter.h: the cycle counter (the TSC).  Interface header,
 * reached through <sys/cpu_counter.h>.
 */
#ifndef _MACHINE_CPU_COUNTER_H_
#define _MACHINE_CPU_COUNTER_H_

#include <sys/types.h>
#include <machine/cpufunc.h>

extern uint64_t x86_tsc_freq;	/* (c) Hz, from clock.c calibration */

static inline uint64_t
cpu_counter(void)
{
	return rdtsc();
}

static inline uint64_t
cpu_frequency(void)
{
	return x86_tsc_freq;
}

#endif /* !_MACHINE_CPU_COUNTER_H_ */

/*
 * sys/cpu_counter.h: cpu_counter() reads a per-CPU cycle counter that
 * ticks at cpu_frequency() Hz, the same on every CPU (the TSC on x86).
 */
#ifndef _SYS_CPU_COUNTER_H_
#define _SYS_CPU_COUNTER_H_

#include <machine/cpu_counter.h>

#endif /* !_SYS_CPU_COUNTER_H_ */

/*
 * sys/cpu_counter.h: cpu_counter() reads a per-CPU cycle counter that
 * ticks at cpu_frequency() Hz, the same on every CPU (which counter is
 * the machine's: machine/cpu_counter.h).
 */
#ifndef _SYS_CPU_COUNTER_H_
#define _SYS_CPU_COUNTER_H_

#include <machine/cpu_counter.h>

#endif /* !_SYS_CPU_COUNTER_H_ */

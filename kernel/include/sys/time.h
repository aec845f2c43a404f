/*
 * sys/time.h: kernel time.
 *
 *   hz                 clock interrupts per second on each CPU (HZ, 100)
 *   hardclock_ticks    clock ticks since boot (counted by CPU 0)
 *   nanouptime(ts)     time since boot, precise: reads the cycle counter
 *   getnanouptime(ts)  time since boot as of the last tick: cheap, coarse
 *   delay(us)          busy-wait at least `us` microseconds
 *
 * Uptime is monotonic on each CPU and across CPUs (the counter runs in
 * step on every CPU: machine/cpu_counter.h says how, and QEMU keeps its
 * CPUs' counters in step).
 */
#ifndef _SYS_TIME_H_
#define _SYS_TIME_H_

#include <sys/types.h>

#ifndef HZ
#define HZ	100
#endif

struct timespec {
	time_t	tv_sec;
	long	tv_nsec;
};

struct timeval {
	time_t		tv_sec;
	suseconds_t	tv_usec;
};

/* clock_gettime(2) clocks, NetBSD's numbers. */
#define CLOCK_REALTIME	0	/* seconds since the boot, here: no RTC yet */
#define CLOCK_MONOTONIC	3

/* Timer flags (_lwp_park, clock_nanosleep): the time is relative to
 * now, or an absolute time on the clock. */
#define TIMER_RELTIME	0x0
#define TIMER_ABSTIME	0x1

#ifdef _KERNEL
struct cpu_info;

extern int hz;
extern volatile uint64_t hardclock_ticks;

void	clock_init(void);
void	hardclock(void);
uint64_t nsuptime(void);
void	nanouptime(struct timespec *);
void	getnanouptime(struct timespec *);
void	delay(unsigned int);

#endif /* _KERNEL */

#endif /* !_SYS_TIME_H_ */

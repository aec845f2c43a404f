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
 *
 * Shared with user space, NetBSD's layout: struct timespec, timeval,
 * itimerval, the timespec and timeval arithmetic macros (timespecadd,
 * timespecsub, timespeccmp, timerclear, timeradd, TIMEVAL_TO_TIMESPEC,
 * ...), and in user space (as NetBSD's does) <time.h>, <sys/select.h>
 * and the declarations of gettimeofday, getitimer and setitimer.
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

struct timezone {
	int	tz_minuteswest;		/* of Greenwich */
	int	tz_dsttime;		/* type of DST correction */
};

/* Interval timers (setitimer/getitimer): ITIMER_REAL only, here. */
#define ITIMER_REAL		0	/* real time; SIGALRM */
#define ITIMER_VIRTUAL		1	/* (not implemented: EINVAL) */
#define ITIMER_PROF		2	/* (not implemented: EINVAL) */
#define ITIMER_MONOTONIC	3	/* (not implemented: EINVAL) */

struct itimerval {
	struct timeval	it_interval;	/* period; zero: fire once */
	struct timeval	it_value;	/* time left; zero: disarmed */
};

/* Operations on timevals (NetBSD's macros). */
#define timerclear(tvp)		(tvp)->tv_sec = (tvp)->tv_usec = 0L
#define timerisset(tvp)		((tvp)->tv_sec || (tvp)->tv_usec)
#define timercmp(tvp, uvp, cmp)						\
	(((tvp)->tv_sec == (uvp)->tv_sec) ?				\
	    ((tvp)->tv_usec cmp (uvp)->tv_usec) :			\
	    ((tvp)->tv_sec cmp (uvp)->tv_sec))
#define timeradd(tvp, uvp, vvp)						\
	do {								\
		(vvp)->tv_sec = (tvp)->tv_sec + (uvp)->tv_sec;		\
		(vvp)->tv_usec = (tvp)->tv_usec + (uvp)->tv_usec;	\
		if ((vvp)->tv_usec >= 1000000) {			\
			(vvp)->tv_sec++;				\
			(vvp)->tv_usec -= 1000000;			\
		}							\
	} while (/* CONSTCOND */ 0)
#define timersub(tvp, uvp, vvp)						\
	do {								\
		(vvp)->tv_sec = (tvp)->tv_sec - (uvp)->tv_sec;		\
		(vvp)->tv_usec = (tvp)->tv_usec - (uvp)->tv_usec;	\
		if ((vvp)->tv_usec < 0) {				\
			(vvp)->tv_sec--;				\
			(vvp)->tv_usec += 1000000;			\
		}							\
	} while (/* CONSTCOND */ 0)

/* Operations on timespecs. */
#define timespecclear(tsp)	(tsp)->tv_sec = (time_t)((tsp)->tv_nsec = 0L)
#define timespecisset(tsp)	((tsp)->tv_sec || (tsp)->tv_nsec)
#define timespeccmp(tsp, usp, cmp)					\
	(((tsp)->tv_sec == (usp)->tv_sec) ?				\
	    ((tsp)->tv_nsec cmp (usp)->tv_nsec) :			\
	    ((tsp)->tv_sec cmp (usp)->tv_sec))
#define timespecadd(tsp, usp, vsp)					\
	do {								\
		(vsp)->tv_sec = (tsp)->tv_sec + (usp)->tv_sec;		\
		(vsp)->tv_nsec = (tsp)->tv_nsec + (usp)->tv_nsec;	\
		if ((vsp)->tv_nsec >= 1000000000L) {			\
			(vsp)->tv_sec++;				\
			(vsp)->tv_nsec -= 1000000000L;			\
		}							\
	} while (/* CONSTCOND */ 0)
#define timespecsub(tsp, usp, vsp)					\
	do {								\
		(vsp)->tv_sec = (tsp)->tv_sec - (usp)->tv_sec;		\
		(vsp)->tv_nsec = (tsp)->tv_nsec - (usp)->tv_nsec;	\
		if ((vsp)->tv_nsec < 0) {				\
			(vsp)->tv_sec--;				\
			(vsp)->tv_nsec += 1000000000L;			\
		}							\
	} while (/* CONSTCOND */ 0)

#define TIMEVAL_TO_TIMESPEC(tv, ts)					\
	do {								\
		(ts)->tv_sec = (tv)->tv_sec;				\
		(ts)->tv_nsec = (tv)->tv_usec * 1000;			\
	} while (/* CONSTCOND */ 0)
#define TIMESPEC_TO_TIMEVAL(tv, ts)					\
	do {								\
		(tv)->tv_sec = (ts)->tv_sec;				\
		(tv)->tv_usec = (suseconds_t)((ts)->tv_nsec / 1000);\
	} while (/* CONSTCOND */ 0)

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

#else /* !_KERNEL */
/* User space: libc. */
#include <sys/select.h>
#include <time.h>

int	gettimeofday(struct timeval *__restrict, void *__restrict);
int	getitimer(int, struct itimerval *);
int	setitimer(int, const struct itimerval *__restrict,
	    struct itimerval *__restrict);
#endif /* _KERNEL */

#endif /* !_SYS_TIME_H_ */

/*
 * time.h: clocks and sleeping.  struct timespec and the CLOCK_* ids
 * are in sys/time.h.  There is no RTC yet: CLOCK_REALTIME, and so
 * time(), count from boot.
 */
#ifndef _TIME_H_
#define _TIME_H_

#include <sys/types.h>
#include <sys/time.h>

int	clock_gettime(clockid_t, struct timespec *);
int	nanosleep(const struct timespec *, struct timespec *);
time_t	time(time_t *);

#endif /* !_TIME_H_ */

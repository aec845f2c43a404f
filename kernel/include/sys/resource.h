/*
 * sys/resource.h: getrusage(2), NetBSD's layout (shared with user
 * space).  lwpkern fills ru_utime (time on a CPU, user and kernel
 * together: there is no split yet), ru_nvcsw and ru_nivcsw.
 */
#ifndef _SYS_RESOURCE_H_
#define _SYS_RESOURCE_H_

#include <sys/time.h>

#define RUSAGE_SELF	0
#define RUSAGE_CHILDREN	(-1)

struct rusage {
	struct timeval	ru_utime;	/* user time used */
	struct timeval	ru_stime;	/* system time used */
	long		ru_maxrss;
	long		ru_ixrss;
	long		ru_idrss;
	long		ru_isrss;
	long		ru_minflt;	/* page faults served without I/O */
	long		ru_majflt;
	long		ru_nswap;
	long		ru_inblock;
	long		ru_oublock;
	long		ru_msgsnd;
	long		ru_msgrcv;
	long		ru_nsignals;
	long		ru_nvcsw;	/* voluntary context switches */
	long		ru_nivcsw;	/* involuntary ones */
};

#ifndef _KERNEL
/* User space: libc. */
int	getrusage(int, struct rusage *);
#endif /* !_KERNEL */

#endif /* !_SYS_RESOURCE_H_ */

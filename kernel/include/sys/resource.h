/*
 * sys/resource.h: getrusage(2) and getrlimit/setrlimit(2), NetBSD's
 * layout and numbers (shared with user space).  lwpkern fills ru_utime
 * (time on a CPU, user and kernel together: there is no split yet),
 * ru_nvcsw and ru_nivcsw.  Of the limits, RLIMIT_NOFILE is enforced
 * (at most NFILE); RLIMIT_STACK and RLIMIT_NTHR report the fixed stack
 * region and LWP limit; the others are kept and reported, not enforced
 * (docs/man/getrlimit.2).
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

/* Resource limits (NetBSD's numbers). */
#define RLIMIT_CPU	0		/* cpu time in seconds */
#define RLIMIT_FSIZE	1		/* file size */
#define RLIMIT_DATA	2		/* data segment size */
#define RLIMIT_STACK	3		/* stack size */
#define RLIMIT_CORE	4		/* core file size */
#define RLIMIT_RSS	5		/* resident set size */
#define RLIMIT_MEMLOCK	6		/* locked-in-memory address space */
#define RLIMIT_NPROC	7		/* number of processes */
#define RLIMIT_NOFILE	8		/* number of open files */
#define RLIMIT_SBSIZE	9		/* socket buffer size */
#define RLIMIT_AS	10		/* virtual address space */
#define RLIMIT_VMEM	RLIMIT_AS
#define RLIMIT_NTHR	11		/* number of LWPs */
#define RLIM_NLIMITS	12

typedef uint64_t	rlim_t;

#define RLIM_INFINITY	(~((rlim_t)1 << 63))	/* no limit */
#define RLIM_SAVED_MAX	RLIM_INFINITY
#define RLIM_SAVED_CUR	RLIM_INFINITY

struct rlimit {
	rlim_t	rlim_cur;		/* current (soft) limit */
	rlim_t	rlim_max;		/* maximum value for rlim_cur */
};

#ifdef _KERNEL
struct proc;
void	rlim_init(struct proc *);
void	rlim_fork(struct proc *, const struct proc *);
#else
/* User space: libc. */
int	getrusage(int, struct rusage *);
int	getrlimit(int, struct rlimit *);
int	setrlimit(int, const struct rlimit *);
#endif /* _KERNEL */

#endif /* !_SYS_RESOURCE_H_ */

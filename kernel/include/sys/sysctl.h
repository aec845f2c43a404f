/*
 * sys/sysctl.h: the part of NetBSD's sysctl(3) tree lwpkern answers
 * (read-only but kern.trace), shared with user space.
 *
 *   { CTL_KERN, KERN_OSTYPE }     string "lwpkern"
 *   { CTL_KERN, KERN_OSRELEASE }  string
 *   { CTL_KERN, KERN_LWP }        struct kinfo_lwp[], every LWP (a subset
 *                                 of NetBSD's fields, same names)
 *   { CTL_KERN, KERN_LWP, pid }   the same for one process (0: kernel
 *                                 threads; -1: every LWP)
 *   { CTL_KERN, KERN_MAXLWP }     int, the most LWPs a process may
 *                                 have; may be set (lwpkern's own)
 *   { CTL_KERN, KERN_MEMSTAT }    struct kinfo_mem: kernel memory in use
 *                                 (lwpkern's own: leak tests compare it)
 *   { CTL_KERN, KERN_TRACE }      string, the event-trace classes on
 *                                 ("sched,lock", "off"); writable: a
 *                                 new string switches classes
 *                                 (lwpkern's own; sys/trace.h)
 *   { CTL_KERN, KERN_LOCKSTAT }   struct lockstat_rec[], one per kernel
 *                                 mutex name in use (lwpkern's own;
 *                                 subr_lockstat.c, lockstat(1));
 *                                 writing an int 0 resets every
 *                                 ls_maxhold
 *   { CTL_KERN, KERN_HANGREPORT } int, the hang detector's reports so
 *                                 far; writing an int 1 prints one now,
 *                                 with the LWP table and every CPU's
 *                                 backtrace (lwpkern's own; for test
 *                                 harnesses that find something stuck)
 *   { CTL_HW, HW_NCPU }           int, CPUs running
 *
 * As in NetBSD, oldp == NULL asks for the size needed (*oldlenp);
 * a buffer too small gets what fits and ENOMEM.  libc's sysctlbyname
 * knows these by their names ("kern.ostype", "hw.ncpu", ...; any
 * other is ENOENT).
 */
#ifndef _SYS_SYSCTL_H_
#define _SYS_SYSCTL_H_

#include <sys/types.h>

#define CTL_MAXNAME	12

#define CTL_KERN	1
#define CTL_HW		6

#define KERN_OSTYPE	1
#define KERN_OSRELEASE	2
#define KERN_LWP	64
#define KERN_MEMSTAT	1000		/* lwpkern's own */
#define KERN_MAXLWP	1001		/* lwpkern's number (NetBSD's is
					 * given out at boot) */
#define KERN_TRACE	1002		/* lwpkern's own */
#define KERN_LOCKSTAT	1003		/* lwpkern's own */
#define KERN_HANGREPORT	1004		/* lwpkern's own */

#define HW_NCPU		3

#define KI_WMESGLEN	8
#define KI_LNAMELEN	20
#define KI_MAXCOMLEN	24
#define KI_AFFINITY_WORDS 8		/* 256 CPUs, the kernel's MAXCPUS */

struct kinfo_lwp {
	int32_t		l_pid;		/* the process */
	int32_t		l_ppid;		/* its parent (lwpkern) */
	int32_t		l_lid;
	int32_t		l_stat;		/* 1 IDL 2 RUN 3 SLEEP 4 STOP 5 ZOMB
					 * 7 ONPROC 8 SUSPENDED (sys/lwp.h) */
	int32_t		l_cpuid;	/* CPU index it runs or ran on */
	uint32_t	l_affinity[KI_AFFINITY_WORDS]; /* CPUs it may run
					 * on, as a cpuset_t: CPU i is bit
					 * i % 32 of word i / 32; none: any
					 * (lwpkern) */
	int32_t		l_priority;
	uint64_t	l_flag;
	uint64_t	l_wchan;	/* what it sleeps on, or 0 */
	uint64_t	l_rtime_usec;	/* CPU time */
	uint64_t	l_ncsw;		/* context switches */
	char		l_wmesg[KI_WMESGLEN];	/* why it sleeps */
	char		l_name[KI_LNAMELEN];	/* LWP name, or "" */
	char		p_comm[KI_MAXCOMLEN];	/* process name (lwpkern) */
};

struct kinfo_mem {
	uint64_t	km_kmem_inuse;	/* kmem_alloc bytes handed out */
	uint64_t	km_kmem_nalloc;	/* kmem_alloc calls so far */
	uint64_t	km_kmem_nfree;	/* kmem_free calls so far */
	uint64_t	km_lwps;	/* struct lwp allocated (with zombies) */
	uint64_t	km_pages_free;	/* physical pages free */
	uint64_t	km_pages_total;
};

/*
 * Lock statistics of one lock class: the kernel mutexes of one name
 * (as LOCKDEBUG groups them), in cycles of the CPUs' counter
 * (cpu_counter()).  ls_nacq and ls_maxhold are counted
 * only by a LOCKDEBUG kernel (0 otherwise); the rest on the contended
 * path, always.
 */
#define LS_NAMELEN	32
#define LS_SPIN		0x1		/* ls_flags: spin mutexes have it */
#define LS_ADAPTIVE	0x2		/* adaptive mutexes have it */

struct lockstat_rec {
	char		ls_name[LS_NAMELEN];	/* the lock name */
	uint32_t	ls_flags;	/* LS_SPIN, LS_ADAPTIVE */
	uint32_t	ls_pad;
	uint64_t	ls_nacq;	/* acquisitions (LOCKDEBUG) */
	uint64_t	ls_ncont;	/* of them, contended: had to wait */
	uint64_t	ls_spin;	/* cycles spent spinning for it */
	uint64_t	ls_sleep;	/* cycles blocked on its turnstile */
	uint64_t	ls_maxhold;	/* longest hold, cycles (LOCKDEBUG) */
};

#ifndef _KERNEL
/* User space: libc. */
int	sysctl(const int *, u_int, void *, size_t *, const void *, size_t);
int	__sysctl(const int *, u_int, void *, size_t *, const void *, size_t);
int	sysctlbyname(const char *, void *, size_t *, const void *, size_t);
#endif /* !_KERNEL */

#endif /* !_SYS_SYSCTL_H_ */

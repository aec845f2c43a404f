/*
 * sys/unistd.h: constants shared by the kernel and <unistd.h>.
 */
#ifndef _SYS_UNISTD_H_
#define _SYS_UNISTD_H_

#define STDIN_FILENO	0
#define STDOUT_FILENO	1
#define STDERR_FILENO	2

/* lseek(2) */
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

/* sysconf(3) names (NetBSD's values) */
#define _SC_CLK_TCK		3	/* clock ticks per second */
#define _SC_OPEN_MAX		5	/* descriptors: RLIMIT_NOFILE */
#define _SC_THREADS		41	/* POSIX threads: 200112 */
#define _SC_SEMAPHORES		42	/* semaphores: 200112 */
#define _SC_PAGESIZE		28
#define _SC_PAGE_SIZE		_SC_PAGESIZE
#define _SC_NPROCESSORS_CONF	1001	/* CPUs the system has */
#define _SC_NPROCESSORS_ONLN	1002	/* ... that are running */

#endif /* !_SYS_UNISTD_H_ */

/*
 * sys/types.h: the kernel's basic types.
 *
 * The kernel is freestanding: it uses only the compiler's own headers
 * (stdint, stddef, stdbool, stdarg) and defines the rest here.
 * Machine-dependent widths (paddr_t, vaddr_t, register_t) come from
 * <machine/types.h>, one of the arch layer's interface headers.
 */
#ifndef _SYS_TYPES_H_
#define _SYS_TYPES_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/cdefs.h>
#include <machine/types.h>

typedef unsigned char	u_char;
typedef unsigned short	u_short;
typedef unsigned int	u_int;
typedef unsigned long	u_long;

typedef long		ssize_t;
typedef int64_t		off_t;
typedef int32_t		pid_t;
typedef int32_t		lwpid_t;
typedef uint32_t	uid_t;
typedef uint32_t	gid_t;
typedef int64_t		time_t;
typedef int		pri_t;
typedef int		clockid_t;
typedef uint64_t	dev_t;
typedef uint32_t	mode_t;
typedef uint64_t	ino_t;
typedef uint32_t	nlink_t;
typedef int64_t		blkcnt_t;
typedef int32_t		blksize_t;
typedef int32_t		suseconds_t;
typedef uint64_t	useconds_t;
typedef struct _cpuset	cpuset_t;	/* a set of CPUs (sched.h; opaque) */
typedef unsigned long	cpuid_t;	/* a CPU's index */
typedef char		*caddr_t;	/* a byte address (old BSD name) */

#endif /* !_SYS_TYPES_H_ */

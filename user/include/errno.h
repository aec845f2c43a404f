/*
 * errno.h: the error numbers (sys/errno.h, NetBSD's values) and errno.
 *
 * errno is per thread, as in NetBSD: a macro for (*__errno()), the
 * calling thread's errno slot.  Only libc sets it from the kernel, in
 * __cerror (libc/cerror.S), where every system-call stub lands on
 * failure; the kernel itself knows nothing of errno.
 *
 * The ABI between libc and a thread library (libpthread):
 *   - while __libc_threaded is 0 (no thread library in use), __errno()
 *     returns &errno, one int for the whole process, as before (the
 *     symbol is still there, for gdb: `print errno`);
 *   - a thread library that sets __libc_threaded to 1 promises that
 *     every LWP of the process has a thread block at its TLS base (%fs,
 *     _lwp_setprivate) whose first word points to the block itself and
 *     whose int at byte offset 8 is that thread's errno; __errno()
 *     then returns %fs:0 + 8.
 * So LWPs made with plain _lwp_create (TLS base 0) must not touch errno
 * once libpthread is in use (NetBSD does not support mixing them
 * either).  libpthread copies errno into the first thread's slot when
 * it starts.
 */
#ifndef _ERRNO_H_
#define _ERRNO_H_

#include <sys/errno.h>

int	*__errno(void);
#define errno	(*__errno())

extern int __libc_threaded;	/* (see above: libpthread sets it) */

#endif /* !_ERRNO_H_ */

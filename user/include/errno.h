/*
 * errno.h: the error numbers (sys/errno.h, NetBSD's values) and errno.
 *
 * errno is a plain global while processes have one thread.  It is set
 * in one place only, __cerror (libc/cerror.S), where every system-call
 * stub lands on failure; when LWPs share a process it becomes per-LWP
 * behind this same name.
 */
#ifndef _ERRNO_H_
#define _ERRNO_H_

#include <sys/errno.h>

extern int errno;

#endif /* !_ERRNO_H_ */

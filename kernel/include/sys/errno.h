/*
 * sys/errno.h: error numbers (NetBSD's values, which user space will
 * see from the system calls).
 */
#ifndef _SYS_ERRNO_H_
#define _SYS_ERRNO_H_

#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EINTR		4
#define EIO		5
#define E2BIG		7
#define EBADF		9
#define ECHILD		10
#define EDEADLK		11
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define EINVAL		22
#define ENOSPC		28
#define ERANGE		34
#define EAGAIN		35
#define EWOULDBLOCK	EAGAIN
#define ENAMETOOLONG	63
#define ENOSYS		78
#define ETIMEDOUT	60
#define ERESTART	(-3)	/* kernel-internal: restart the system call */

#endif /* !_SYS_ERRNO_H_ */

/*
 * sys/errno.h: error numbers, NetBSD's values (shared with user space:
 * libc's <errno.h> includes this file).
 */
#ifndef _SYS_ERRNO_H_
#define _SYS_ERRNO_H_

#define EPERM		1	/* operation not permitted */
#define ENOENT		2	/* no such file or directory */
#define ESRCH		3	/* no such process */
#define EINTR		4	/* interrupted system call */
#define EIO		5	/* input/output error */
#define ENXIO		6	/* device not configured */
#define E2BIG		7	/* argument list too long */
#define ENOEXEC		8	/* exec format error */
#define EBADF		9	/* bad file descriptor */
#define ECHILD		10	/* no child processes */
#define EDEADLK		11	/* resource deadlock avoided */
#define ENOMEM		12	/* cannot allocate memory */
#define EACCES		13	/* permission denied */
#define EFAULT		14	/* bad address */
#define EBUSY		16	/* device busy */
#define EEXIST		17	/* file exists */
#define ENODEV		19	/* operation not supported by device */
#define ENOTDIR		20	/* not a directory */
#define EISDIR		21	/* is a directory */
#define EINVAL		22	/* invalid argument */
#define ENFILE		23	/* too many open files in system */
#define EMFILE		24	/* too many open files */
#define ENOTTY		25	/* inappropriate ioctl for device */
#define EFBIG		27	/* file too large */
#define ENOSPC		28	/* no space left on device */
#define ESPIPE		29	/* illegal seek */
#define EROFS		30	/* read-only file system */
#define EPIPE		32	/* broken pipe */
#define EDOM		33	/* numerical argument out of domain */
#define ERANGE		34	/* result too large */
#define EAGAIN		35	/* resource temporarily unavailable */
#define EWOULDBLOCK	EAGAIN
#define EALREADY	37	/* operation already in progress */
#define ENOBUFS		55	/* no buffer space available */
#define ETIMEDOUT	60	/* operation timed out */
#define ENAMETOOLONG	63	/* file name too long */
#define ENOSYS		78	/* function not implemented */
#define EOVERFLOW	84	/* value too large to be stored */
#define ENOTSUP		86	/* not supported */
#define ECANCELED	87	/* operation canceled */
#define ELAST		96

#ifdef _KERNEL
#define ERESTART	(-3)	/* restart the system call */
#define EJUSTRETURN	(-2)	/* don't touch the user's registers */
#endif

#endif /* !_SYS_ERRNO_H_ */

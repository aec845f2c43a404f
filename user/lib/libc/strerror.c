/*
 * strerror.c: messages for the error numbers in sys/errno.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const msgs[] = {
	[0] = "Undefined error: 0",
	[EPERM] = "Operation not permitted",
	[ENOENT] = "No such file or directory",
	[ESRCH] = "No such process",
	[EINTR] = "Interrupted system call",
	[EIO] = "Input/output error",
	[ENXIO] = "Device not configured",
	[E2BIG] = "Argument list too long",
	[ENOEXEC] = "Exec format error",
	[EBADF] = "Bad file descriptor",
	[ECHILD] = "No child processes",
	[EDEADLK] = "Resource deadlock avoided",
	[ENOMEM] = "Cannot allocate memory",
	[EACCES] = "Permission denied",
	[EFAULT] = "Bad address",
	[EBUSY] = "Device busy",
	[EEXIST] = "File exists",
	[ENODEV] = "Operation not supported by device",
	[ENOTDIR] = "Not a directory",
	[EISDIR] = "Is a directory",
	[EINVAL] = "Invalid argument",
	[ENFILE] = "Too many open files in system",
	[EMFILE] = "Too many open files",
	[ENOTTY] = "Inappropriate ioctl for device",
	[EFBIG] = "File too large",
	[ENOSPC] = "No space left on device",
	[ESPIPE] = "Illegal seek",
	[EROFS] = "Read-only file system",
	[EPIPE] = "Broken pipe",
	[EDOM] = "Numerical argument out of domain",
	[ERANGE] = "Result too large",
	[EAGAIN] = "Resource temporarily unavailable",
	[EALREADY] = "Operation already in progress",
	[ENOBUFS] = "No buffer space available",
	[ETIMEDOUT] = "Operation timed out",
	[ENAMETOOLONG] = "File name too long",
	[ENOSYS] = "Function not implemented",
	[EOVERFLOW] = "Value too large to be stored in data type",
	[ENOTSUP] = "Not supported",
	[ECANCELED] = "Operation canceled",
};

char *
strerror(int e)
{
	static char unknown[32];

	if (e >= 0 && e < (int)(sizeof(msgs) / sizeof(msgs[0])) &&
	    msgs[e] != NULL)
		return (char *)msgs[e];
	snprintf(unknown, sizeof(unknown), "Unknown error: %d", e);
	return unknown;
}

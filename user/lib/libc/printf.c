/*
 * printf.c: the printf family.  kvprintf (kernel/lib/subr_prf.c) does
 * all the formatting, as it does for the kernel; snprintf and
 * vsnprintf come from that file too (they touch no shared state).
 * vfprintf holds the stream's lock for the whole call.
 */
#include <stdint.h>
#include <stdio.h>
#include <lib/libkern.h>

#include "local.h"

/* The body of each "..." form: gather the arguments, call its v-form. */
#define VA_CALL(last, call) do {					\
	va_list ap;							\
	int n;								\
									\
	va_start(ap, last);						\
	n = call;							\
	va_end(ap);							\
	return n;							\
} while (0)

static void
putbyte(int c, void *arg)
{
	char ch = (char)c;

	(void)__sputs(arg, &ch, 1);
}

int
vfprintf(FILE *fp, const char *fmt, va_list ap)
{
	int olderr, n;

	__libc_lock(&fp->lock);
	olderr = fp->error;
	fp->error = 0;
	n = kvprintf(fmt, putbyte, fp, ap);
	if (__sdone(fp) == EOF || fp->error)
		n = -1;
	else
		fp->error = olderr;
	__libc_unlock(&fp->lock);
	return n;
}

int
fprintf(FILE *fp, const char *fmt, ...)
{
	VA_CALL(fmt, vfprintf(fp, fmt, ap));
}

int
vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int
printf(const char *fmt, ...)
{
	VA_CALL(fmt, vfprintf(stdout, fmt, ap));
}

/* Straight to a descriptor, through a buffer on the stack. */
int
vdprintf(int fd, const char *fmt, va_list ap)
{
	char buf[256];
	FILE f = { .fd = fd, .mode = _IOFBF, .buf = buf, .size = sizeof(buf) };
	int n;

	n = vfprintf(&f, fmt, ap);	/* (f is ours alone: no contention) */
	if (__sflush(&f) == EOF || n < 0)
		return -1;
	return n;
}

int
dprintf(int fd, const char *fmt, ...)
{
	VA_CALL(fmt, vdprintf(fd, fmt, ap));
}

/* No size given: the caller promises the buffer is large enough. */
int
vsprintf(char *buf, const char *fmt, va_list ap)
{
	return vsnprintf(buf, SIZE_MAX, fmt, ap);
}

int
sprintf(char *buf, const char *fmt, ...)
{
	VA_CALL(fmt, vsprintf(buf, fmt, ap));
}

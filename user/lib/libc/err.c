/*
 * err.c: err(3) and warn(3) (<err.h>), and getprogname/setprogname
 * (<stdlib.h>).  Messages go to stderr (unbuffered) after stdout is
 * flushed, so they come out in the order the program printed them.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char		**__libc_argv;		/* crt0.S: argv */
static const char *progname;		/* setprogname's, else NULL */

const char *
getprogname(void)
{
	const char *p;

	if (progname == NULL) {
		if (__libc_argv == NULL || __libc_argv[0] == NULL)
			return "";
		p = strrchr(__libc_argv[0], '/');
		progname = p != NULL ? p + 1 : __libc_argv[0];
	}
	return progname;
}

void
setprogname(const char *name)
{
	const char *p = strrchr(name, '/');

	progname = p != NULL ? p + 1 : name;
}

/* "prog: fmt...: strerror(code)\n"; code < 0: no error part. */
static void
vwarnc_or_x(int code, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", getprogname());
	if (fmt != NULL) {
		vfprintf(stderr, fmt, ap);
		if (code >= 0)
			fputs(": ", stderr);
	}
	if (code >= 0)
		fputs(strerror(code), stderr);
	fputc('\n', stderr);
}

void
vwarnc(int code, const char *fmt, va_list ap)
{
	vwarnc_or_x(code, fmt, ap);
}

void
vwarn(const char *fmt, va_list ap)
{
	vwarnc_or_x(errno, fmt, ap);
}

void
vwarnx(const char *fmt, va_list ap)
{
	vwarnc_or_x(-1, fmt, ap);
}

void
warnc(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnc(code, fmt, ap);
	va_end(ap);
}

void
warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void
warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
}

void
verrc(int eval, int code, const char *fmt, va_list ap)
{
	vwarnc(code, fmt, ap);
	exit(eval);
}

void
verr(int eval, const char *fmt, va_list ap)
{
	vwarn(fmt, ap);
	exit(eval);
}

void
verrx(int eval, const char *fmt, va_list ap)
{
	vwarnx(fmt, ap);
	exit(eval);
}

void
errc(int eval, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verrc(eval, code, fmt, ap);
}

void
err(int eval, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(eval, fmt, ap);
}

void
errx(int eval, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verrx(eval, fmt, ap);
}

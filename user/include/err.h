/*
 * err.h: BSD's formatted error messages (err(3)), as NetBSD's:
 *
 *   warn(fmt, ...)        "prog: message: strerror(errno)" on stderr
 *   warnx(fmt, ...)       "prog: message"
 *   err(eval, fmt, ...)   warn, then exit(eval)
 *   errx(eval, fmt, ...)  warnx, then exit(eval)
 *   verr, verrx, vwarn, vwarnx, errc, warnc   the va_list and
 *                         explicit-error-number forms
 *
 * prog is getprogname() (<stdlib.h>).  A NULL fmt prints no message
 * (err and warn still print the error).
 */
#ifndef _ERR_H_
#define _ERR_H_

#include <stdarg.h>
#include <sys/cdefs.h>

__dead void	err(int, const char *, ...) __printflike(2, 3);
__dead void	verr(int, const char *, va_list) __printflike(2, 0);
__dead void	errx(int, const char *, ...) __printflike(2, 3);
__dead void	verrx(int, const char *, va_list) __printflike(2, 0);
__dead void	errc(int, int, const char *, ...) __printflike(3, 4);
__dead void	verrc(int, int, const char *, va_list) __printflike(3, 0);
void	warn(const char *, ...) __printflike(1, 2);
void	vwarn(const char *, va_list) __printflike(1, 0);
void	warnx(const char *, ...) __printflike(1, 2);
void	vwarnx(const char *, va_list) __printflike(1, 0);
void	warnc(int, const char *, ...) __printflike(2, 3);
void	vwarnc(int, const char *, va_list) __printflike(2, 0);

#endif /* !_ERR_H_ */

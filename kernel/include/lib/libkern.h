/*
 * lib/libkern.h: the library code in kernel/lib/, which both the kernel
 * and user space's libc compile (NetBSD keeps such code in
 * common/lib/libc).  These files include only this header: no kernel
 * state, no locks, nothing machine-dependent.
 */
#ifndef _LIB_LIBKERN_H_
#define _LIB_LIBKERN_H_

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* lib/subr_prf.c: formatting, no side effects (host-tested in
 * lib/ht_subr_prf.c against the C library). */
int	kvprintf(const char *, void (*)(int, void *), void *, va_list);
int	snprintf(char *, size_t, const char *, ...)
	    __attribute__((__format__(__printf__, 3, 4)));
int	vsnprintf(char *, size_t, const char *, va_list);

/* lib/string.c */
void	*memcpy(void *, const void *, size_t);
void	*memmove(void *, const void *, size_t);
void	*memset(void *, int, size_t);
int	memcmp(const void *, const void *, size_t);
size_t	strlen(const char *);
size_t	strnlen(const char *, size_t);
int	strcmp(const char *, const char *);
int	strncmp(const char *, const char *, size_t);
size_t	strlcpy(char *, const char *, size_t);
char	*strchr(const char *, int);
unsigned long strtoul(const char *, char **, int);

/* lib/ubsan.c (make SANITIZE=undefined only): the sanitizer's handlers
 * format a report and give it to ubsan_die(), which each side defines:
 * the kernel panics with it, libc writes it to stderr and aborts. */
void	ubsan_die(const char *) __attribute__((__noreturn__));

#endif /* !_LIB_LIBKERN_H_ */

/*
 * assert.h: assert(e) prints
 *	assertion "e" failed: file F, line L, function f
 * on stderr and abort()s; with NDEBUG defined it does nothing.  No
 * include guard: C lets a file include this again after changing NDEBUG.
 */
#include <sys/cdefs.h>

#undef assert
#ifdef NDEBUG
#define assert(e)	((void)0)
#else
#define assert(e)	((e) ? (void)0 : __assert(__FILE__, __LINE__, __func__, #e))
#endif

#ifndef _ASSERT_H_
#define _ASSERT_H_

#define static_assert	_Static_assert

__dead void	__assert(const char *, int, const char *, const char *);

#endif /* !_ASSERT_H_ */

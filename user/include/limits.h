/*
 * limits.h: sizes of the integer types (LP64, two's complement) and a
 * few system limits.  Our own rather than the compiler's, which would
 * #include_next a C library's.
 */
#ifndef _LIMITS_H_
#define _LIMITS_H_

#define CHAR_BIT	8
#define MB_LEN_MAX	1

#define SCHAR_MIN	(-0x7f - 1)
#define SCHAR_MAX	0x7f
#define UCHAR_MAX	0xff
#ifdef __CHAR_UNSIGNED__
#define CHAR_MIN	0
#define CHAR_MAX	UCHAR_MAX
#else
#define CHAR_MIN	SCHAR_MIN
#define CHAR_MAX	SCHAR_MAX
#endif

#define SHRT_MIN	(-0x7fff - 1)
#define SHRT_MAX	0x7fff
#define USHRT_MAX	0xffff

#define INT_MIN		(-0x7fffffff - 1)
#define INT_MAX		0x7fffffff
#define UINT_MAX	0xffffffffU

#define LONG_MIN	(-0x7fffffffffffffffL - 1)
#define LONG_MAX	0x7fffffffffffffffL
#define ULONG_MAX	0xffffffffffffffffUL

#define LLONG_MIN	(-0x7fffffffffffffffLL - 1)
#define LLONG_MAX	0x7fffffffffffffffLL
#define ULLONG_MAX	0xffffffffffffffffULL

#define SSIZE_MAX	LONG_MAX

#define PATH_MAX	1024	/* bytes in a path, with its NUL */
#define NAME_MAX	511	/* bytes in a file name (MAXNAMLEN) */

#endif /* !_LIMITS_H_ */

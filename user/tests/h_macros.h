/*
 * h_macros.h: the helper macros NetBSD's own tests use on top of ATF
 * (NetBSD keeps theirs in tests/h_macros.h), so that their test cases
 * read the same here:
 *
 *	RL(x)	x is a libc call that returns -1 on failure: require it
 *		did not fail, saying which call and strerror(errno)
 *	RZ(x)	x returns 0 or an error number (pthread style): require 0
 *	REQUIRE_LIBC(x, v)	require x != v, reporting errno
 */
#ifndef _H_MACROS_H_
#define _H_MACROS_H_

#include <atf-c.h>
#include <errno.h>
#include <string.h>

#define REQUIRE_LIBC(x, v)						\
	ATF_REQUIRE_MSG((x) != (v), "%s: %s", #x, strerror(errno))
#define CHECK_LIBC(x, v)						\
	ATF_CHECK_MSG((x) != (v), "%s: %s", #x, strerror(errno))
#define RL(x)	REQUIRE_LIBC(x, -1)
#define RZ(x)								\
do {									\
	int RZ_rv = (x);						\
	ATF_REQUIRE_MSG(RZ_rv == 0, "%s: %s", #x, strerror(RZ_rv));	\
} while (0)

#endif /* !_H_MACROS_H_ */

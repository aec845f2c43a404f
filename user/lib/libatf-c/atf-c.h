/*
 * atf-c.h: ATF, NetBSD's Automated Testing Framework, as its C test
 * programs use it (tests/lib/libc/...): a small version for lwpkern,
 * so that such programs build here unchanged.  libatf-c.a
 * (user/lib/libatf-c/atf-c.c) has the rest.
 *
 * A test program defines its test cases and lists them; it has no
 * main(), the library does:
 *
 *	ATF_TC(add);
 *	ATF_TC_HEAD(add, tc)
 *	{
 *		atf_tc_set_md_var(tc, "descr", "1 + 1 is 2");
 *	}
 *	ATF_TC_BODY(add, tc)
 *	{
 *		ATF_REQUIRE_EQ(1 + 1, 2);
 *	}
 *
 *	ATF_TP_ADD_TCS(tp)
 *	{
 *		ATF_TP_ADD_TC(tp, add);
 *		return atf_no_error();
 *	}
 *
 * Each case's head runs when ATF_TP_ADD_TC adds the case, to set its
 * metadata ("descr", "timeout", ...); the body then runs in a child
 * process of its own, and the cleanup (ATF_TC_WITH_CLEANUP) after it in
 * another.  A case that runs longer than its "timeout" (seconds;
 * default 60, 0 for none) is killed, after its LWPs are shown.
 * Running, the program prints one line per case, which tools/test
 * counts (`ok` passed, `not ok` failed, `skipped` neither), then a
 * summary:
 *
 *	ok - t_foo: add
 *	ok - t_foo: bug # expected failure: PR 42: 1 != 2 (t_foo.c:30)
 *	skipped - t_foo: later: not written yet
 *	not ok - t_foo: sub: 1 - 1 != 0 (t_foo.c:41)
 *	not ok - t_foo: crash: killed by signal 11 (SIGSEGV)
 *	# t_foo: hang: timed out after 60 s; its LWPs (...), then killed:
 *	#   PID  PPID  LID STAT      CPU PRI WCHAN    AFFINITY NAME
 *	#    12    11    1 SLEEP       0   0 wait     -        t_foo
 *	not ok - t_foo: hang: timed out after 60 s
 *	t_foo: 2 passed, 3 failed, 1 skipped
 *
 * Lines starting with '#' are comments: a failed check (of the CHECK
 * kind, which lets the case go on), a hung case's LWPs.  The program
 * exits with the number of cases that failed (at most 255).  With
 * arguments it runs just the cases they name; with -l it lists them.
 *
 * REQUIRE macros end the case at the first failure; CHECK macros note
 * the failure and carry on (the case fails when it ends).  The _MSG
 * ones add a printf-style message.  As in ATF, _EQ compares with ==
 * (numbers and pointers; _STREQ for strings), and _ERRNO(e, expr) wants
 * expr true and errno == e after it.  Every macro here is plain C11:
 * a message without arguments is fine.
 */
#ifndef _ATF_C_H_
#define _ATF_C_H_

#include <sys/cdefs.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Errors: a test program only ever says atf_no_error(). */
typedef struct atf_error *atf_error_t;
atf_error_t	atf_no_error(void);
bool		atf_is_error(const atf_error_t);

typedef struct atf_tp atf_tp_t;		/* the program: its list of cases */
typedef struct atf_tc atf_tc_t;		/* a test case */

/* A case: the ATF_TC macros fill in the first four fields. */
struct atf_tc {
	const char	*atf_ident;		/* its name */
	void		(*atf_head)(atf_tc_t *);
	void		(*atf_body)(const atf_tc_t *);
	void		(*atf_cleanup)(const atf_tc_t *);
	struct atf_tc	*atf_next;		/* the library's: the list, */
	struct atf_md_var *atf_vars;		/* the metadata */
};

#define ATF_TC_NAME(tc)		(atfu_##tc##_tc)
#define ATF_TC_HEAD_NAME(tc)	(atfu_##tc##_head)
#define ATF_TC_BODY_NAME(tc)	(atfu_##tc##_body)
#define ATF_TC_CLEANUP_NAME(tc)	(atfu_##tc##_cleanup)

#define ATF_TC_WITHOUT_HEAD(tc)						\
	static void atfu_##tc##_body(const atf_tc_t *);			\
	static atf_tc_t atfu_##tc##_tc = {				\
		.atf_ident = #tc, .atf_body = atfu_##tc##_body		\
	}
#define ATF_TC(tc)							\
	static void atfu_##tc##_head(atf_tc_t *);			\
	static void atfu_##tc##_body(const atf_tc_t *);			\
	static atf_tc_t atfu_##tc##_tc = {				\
		.atf_ident = #tc, .atf_head = atfu_##tc##_head,		\
		.atf_body = atfu_##tc##_body				\
	}
#define ATF_TC_WITH_CLEANUP(tc)						\
	static void atfu_##tc##_head(atf_tc_t *);			\
	static void atfu_##tc##_body(const atf_tc_t *);			\
	static void atfu_##tc##_cleanup(const atf_tc_t *);		\
	static atf_tc_t atfu_##tc##_tc = {				\
		.atf_ident = #tc, .atf_head = atfu_##tc##_head,		\
		.atf_body = atfu_##tc##_body,				\
		.atf_cleanup = atfu_##tc##_cleanup			\
	}
#define ATF_TC_HEAD(tc, tcptr)						\
	static void atfu_##tc##_head(atf_tc_t *tcptr __unused)
#define ATF_TC_BODY(tc, tcptr)						\
	static void atfu_##tc##_body(const atf_tc_t *tcptr __unused)
#define ATF_TC_CLEANUP(tc, tcptr)					\
	static void atfu_##tc##_cleanup(const atf_tc_t *tcptr __unused)

/* The program's list of cases, which the library's main() calls. */
atf_error_t	atfu_tp_add_tcs(atf_tp_t *);
atf_error_t	atf_tp_add_tc(atf_tp_t *, atf_tc_t *);
#define ATF_TP_ADD_TCS(tps)						\
	atf_error_t atfu_tp_add_tcs(atf_tp_t *tps)
#define ATF_TP_ADD_TC(tp, tc)						\
	do {								\
		atf_error_t atfu_err = atf_tp_add_tc((tp), &atfu_##tc##_tc); \
									\
		if (atf_is_error(atfu_err))				\
			return atfu_err;				\
	} while (0)

/*
 * lwpkern's own: a program that execs itself as a helper (to see what
 * execve hands over, say) says what it does then.  main() calls it
 * first; if it returns a status (>= 0) the program exits with that,
 * else (-1) it runs its cases:
 *
 *	ATF_TP_HELPER(argc, argv)
 *	{
 *		if (argc >= 2 && strcmp(argv[1], "-child") == 0)
 *			return child_checks(argc, argv);
 *		return -1;
 *	}
 */
int		atfu_tp_helper(int, char **);

/*
 * lwpkern's own: a wait(2) status in words, as the library reports a
 * case that died ("killed by signal 11 (SIGSEGV)"); the string lives
 * until the next call.
 */
const char	*atf_utils_wstatus(int);
#define ATF_TP_HELPER(argc, argv)					\
	int atfu_tp_helper(int argc, char **argv)

/*
 * Metadata, set by heads: printf-style values, kept as strings.  Only
 * the library reads them ("ident" is the case's name, "timeout" its
 * time limit in seconds).  No configuration variables (atf-run's -v):
 * has_config_var is always false.
 */
atf_error_t	atf_tc_set_md_var(atf_tc_t *, const char *, const char *, ...)
		    __printflike(3, 4);
const char	*atf_tc_get_md_var(const atf_tc_t *, const char *);
bool		atf_tc_has_md_var(const atf_tc_t *, const char *);
const char	*atf_tc_get_ident(const atf_tc_t *);
bool		atf_tc_has_config_var(const atf_tc_t *, const char *);
const char	*atf_tc_get_config_var_wd(const atf_tc_t *, const char *,
		    const char *);

/*
 * In a body: end the case (fail, skip, pass), fail it but carry on
 * (fail_nonfatal), or say what to expect from here on.  expect_fail:
 * failures are the expected outcome, and the case passes ("expected
 * failure") if at least one happens.  expect_exit/expect_signal: the
 * case must exit with that code/die of that signal (-1: any);
 * expect_death: either.  expect_pass: back to normal.
 */
__dead void	atf_tc_fail(const char *, ...) __printflike(1, 2);
void		atf_tc_fail_nonfatal(const char *, ...) __printflike(1, 2);
__dead void	atf_tc_skip(const char *, ...) __printflike(1, 2);
__dead void	atf_tc_pass(void);
void		atf_tc_expect_pass(void);
void		atf_tc_expect_fail(const char *, ...) __printflike(1, 2);
void		atf_tc_expect_exit(const int, const char *, ...)
		    __printflike(2, 3);
void		atf_tc_expect_signal(const int, const char *, ...)
		    __printflike(2, 3);
void		atf_tc_expect_death(const char *, ...) __printflike(1, 2);

/*
 * What the macros call.  The atfi_ ones take `what' (the failed
 * condition, printed as is) and a message to add after it, so that a
 * _MSG macro needs no GNU ##__VA_ARGS__; a macro without a message
 * passes "%s", "" (an empty format string would draw a warning).
 */
__dead void	atf_tc_fail_requirement(const char *, const size_t,
		    const char *, ...) __printflike(3, 4);
void		atf_tc_fail_check(const char *, const size_t, const char *, ...)
		    __printflike(3, 4);
void		atf_tc_require_errno(const char *, const size_t, const int,
		    const char *, const bool);
void		atf_tc_check_errno(const char *, const size_t, const int,
		    const char *, const bool);
__dead void	atfi_require(const char *, size_t, const char *,
		    const char *, ...) __printflike(4, 5);
void		atfi_check(const char *, size_t, const char *, const char *,
		    ...) __printflike(4, 5);
void		atfi_streq(bool, const char *, size_t, const char *,
		    const char *, const char *, const char *, const char *, ...)
		    __printflike(8, 9);

/*
 * The macros stringify their arguments themselves (#x), before any
 * expansion: ATF_REQUIRE_EQ(errno, EINVAL) says "errno != EINVAL".
 */
#define ATFI_IF(fn, cond, what, ...)					\
	do {								\
		if (!(cond))						\
			fn(__FILE__, __LINE__, what, __VA_ARGS__);	\
	} while (0)

#define ATF_REQUIRE(x)							\
	ATFI_IF(atfi_require, x, #x " not met", "%s", "")
#define ATF_REQUIRE_MSG(x, ...)	ATFI_IF(atfi_require, x, "", __VA_ARGS__)
#define ATF_REQUIRE_EQ(x, y)						\
	ATFI_IF(atfi_require, (x) == (y), #x " != " #y, "%s", "")
#define ATF_REQUIRE_EQ_MSG(x, y, ...)					\
	ATFI_IF(atfi_require, (x) == (y), #x " != " #y, __VA_ARGS__)
#define ATF_REQUIRE_STREQ(x, y)						\
	atfi_streq(true, __FILE__, __LINE__, #x, #y, (x), (y), "%s", "")
#define ATF_REQUIRE_STREQ_MSG(x, y, ...)				\
	atfi_streq(true, __FILE__, __LINE__, #x, #y, (x), (y), __VA_ARGS__)
#define ATF_REQUIRE_ERRNO(e, x)						\
	atf_tc_require_errno(__FILE__, __LINE__, (e), #x, (x))

#define ATF_CHECK(x)							\
	ATFI_IF(atfi_check, x, #x " not met", "%s", "")
#define ATF_CHECK_MSG(x, ...)	ATFI_IF(atfi_check, x, "", __VA_ARGS__)
#define ATF_CHECK_EQ(x, y)						\
	ATFI_IF(atfi_check, (x) == (y), #x " != " #y, "%s", "")
#define ATF_CHECK_EQ_MSG(x, y, ...)					\
	ATFI_IF(atfi_check, (x) == (y), #x " != " #y, __VA_ARGS__)
#define ATF_CHECK_STREQ(x, y)						\
	atfi_streq(false, __FILE__, __LINE__, #x, #y, (x), (y), "%s", "")
#define ATF_CHECK_STREQ_MSG(x, y, ...)					\
	atfi_streq(false, __FILE__, __LINE__, #x, #y, (x), (y), __VA_ARGS__)
#define ATF_CHECK_ERRNO(e, x)						\
	atf_tc_check_errno(__FILE__, __LINE__, (e), #x, (x))

#endif /* !_ATF_C_H_ */

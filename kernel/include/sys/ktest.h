/*
 * sys/ktest.h: in-kernel tests.
 *
 *	KTEST(vm_page_alloc_free)
 *	{
 *		paddr_t pa = vm_page_alloc(1, 0);
 *		KT_ASSERT(pa != VM_PAGE_NONE);
 *		KT_EQ(pa % PAGE_SIZE, 0);
 *		vm_page_free(pa, 1);
 *	}
 *
 * KTEST(name) defines a test and registers it in the `ktests` linker
 * section; the kernel option ktest=PATTERN[,PATTERN...] runs the tests
 * whose names match (`all`, an exact name, or a prefix ending in `*`),
 * prints a line per test and `ktest: N passed, N failed, N skipped`,
 * and powers off with a pass/fail status.  A failed KT_ assertion ends
 * its test.  A test that leaves kmem allocations behind fails too (leak
 * check).  ktest=list lists the tests and runs none.
 *
 * KT_SKIP("needs 2 CPUs") ends a test that this configuration cannot
 * run: it is reported and counted as skipped, never as passed.  Skip
 * only for what the machine lacks (CPUs, an interrupt controller),
 * never to hide a failure.
 *
 * KTEST_MANUAL(name) tests run only when named exactly: they exist to
 * fail or panic on purpose, so tools/test can check the failure paths.
 * What such a test must print is written beside it, one extended
 * regular expression (grep -E) per line the console output must have:
 *
 *	KTEST_MANUAL(selftest_panic,
 *	    "^panic: selftest: deliberate panic \\(x=42\\)",
 *	    "in ktest_fn_selftest_panic\\+0x")
 *	{
 *		...
 *
 * tools/test reads these lines from this source (tools/scenarios says
 * which scenario checks which test's lines: @selftest_panic), so write
 * each as one string literal, escapes \\ and \" only.  The kernel keeps
 * them too (kt_expect), for ktest=list.
 *
 * KTEST_BENCH(name) is a benchmark: manual, it prints figures, and is
 * reported as "done" and counted apart, never as a passed test (its KT_
 * assertions still fail it if something breaks).
 *
 * KTEST_EARLY(name) is an early test: main() runs the selected ones on
 * the boot CPU right after lwpinit(), before any other thread exists,
 * with interrupts off (no clock, no watchdog, no sleeping), and the
 * rest after boot; the summary line counts both.  They test code the
 * boot path needs (the labs' run queue, lock lending and sleep queues)
 * on made-up CPUs and LWPs, so that they report even when that code is
 * too broken for the kernel to boot further (docs/labs/README.md).
 *
 * A test that panics is named after the panic, `ktest: NAME: FAIL: it
 * panicked (above)`, so a reader (and the lab grader) knows which.
 */
#ifndef _SYS_KTEST_H_
#define _SYS_KTEST_H_

#include <sys/systm.h>

struct ktest_ctx {
	const char	*kt_name;
	bool		kt_failed;
	bool		kt_skipped;
	char		kt_skipwhy[96];		/* KT_SKIP's reason */
	ssize_t		kt_kmem_kept;		/* kmem the test leaves in use
						 * on purpose, which the leak
						 * check then expects exactly
						 * (a table that keeps its
						 * size); 0 for most */
};

struct ktest {
	const char	*kt_name;
	void		(*kt_func)(struct ktest_ctx *);
	int		kt_flags;
	int		kt_nexpect;		/* lines in kt_expect */
	const char *const *kt_expect;		/* KTEST_MANUAL's output */
};
#define KTEST_F_MANUAL	0x1		/* runs only when named */
#define KTEST_F_BENCH	0x2		/* a benchmark (and manual) */
#define KTEST_F_EARLY	0x4		/* runs before the scheduler does */

/*
 * ktest_expect_NAME holds a NULL first (so that a test without lines
 * still makes a valid array) and then the expected lines.
 */
#define KTEST_DEFINE(name, flags, ...)					\
	static void ktest_fn_##name(struct ktest_ctx *);		\
	static const char *const ktest_expect_##name[] =		\
	    { NULL, ##__VA_ARGS__ };					\
	static const struct ktest ktest_##name __section("ktests")	\
	    __used __aligned(8) = { #name, ktest_fn_##name, flags,	\
	    __arraycount(ktest_expect_##name) - 1,			\
	    ktest_expect_##name + 1 };					\
	static void ktest_fn_##name(struct ktest_ctx *kt __unused)

#define KTEST(name)		KTEST_DEFINE(name, 0)
#define KTEST_MANUAL(name, ...)						\
	KTEST_DEFINE(name, KTEST_F_MANUAL, ##__VA_ARGS__)
#define KTEST_BENCH(name)						\
	KTEST_DEFINE(name, KTEST_F_MANUAL | KTEST_F_BENCH)
#define KTEST_EARLY(name)	KTEST_DEFINE(name, KTEST_F_EARLY)

void	ktest_fail(struct ktest_ctx *, const char *, int, const char *, ...)
	    __printflike(4, 5);
void	ktest_skip(struct ktest_ctx *, const char *, ...) __printflike(2, 3);
int	ktest_run(const char *patterns);
void	ktest_run_early(const char *patterns);	/* from main() */
void	ktest_panic_note(void);		/* from panic() */
void	ktest_watchdog(void);		/* from hardclock() */

#define KT_ASSERT(e) do {						\
	if (!(e)) {							\
		ktest_fail(kt, __FILE__, __LINE__, "%s", #e);		\
		return;							\
	}								\
} while (0)

#define KT_EQ(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a != _b) {							\
		ktest_fail(kt, __FILE__, __LINE__,			\
		    "%s == %s: %lld != %lld (%#llx != %#llx)",		\
		    #a, #b, _a, _b, _a, _b);				\
		return;							\
	}								\
} while (0)

#define KT_STREQ(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	if (_a == NULL || _b == NULL || strcmp(_a, _b) != 0) {		\
		ktest_fail(kt, __FILE__, __LINE__,			\
		    "%s == %s: \"%s\" != \"%s\"", #a, #b, _a, _b);	\
		return;							\
	}								\
} while (0)

/* End the test as skipped: printf-style reason, e.g. "needs 2 CPUs". */
#define KT_SKIP(...) do {						\
	ktest_skip(kt, __VA_ARGS__);					\
	return;								\
} while (0)

/*
 * Rounds for each of n contenders on one lock: `total` shared out, at
 * least `least` and at most `most` each.  Work done under one lock is
 * serial, so a fixed count each makes a test grow as n times the host
 * time each virtual CPU gets, 1/n of it with many more virtual CPUs than
 * host cores (SMP=64 on 2): quadratic.  A shared total keeps it flat,
 * and the count checked stays exact.
 */
static inline u_int
ktest_rounds(u_int total, u_int n, u_int least, u_int most)
{
	u_int r = total / (n != 0 ? n : 1);

	return r < least ? least : r > most ? most : r;
}

#endif /* !_SYS_KTEST_H_ */

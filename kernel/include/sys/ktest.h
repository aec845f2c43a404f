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
 * prints a line per test and `ktest: N passed, N failed`, and powers
 * off with a pass/fail status.  A failed KT_ assertion ends its test.
 * A test that leaves kmem allocations behind fails too (leak check).
 *
 * KTEST_MANUAL(name) tests run only when named exactly: they exist to
 * fail or panic on purpose, so tools/test can check the failure paths.
 */
#ifndef _SYS_KTEST_H_
#define _SYS_KTEST_H_

#include <sys/systm.h>

struct ktest_ctx {
	const char	*kt_name;
	bool		kt_failed;
};

struct ktest {
	const char	*kt_name;
	void		(*kt_func)(struct ktest_ctx *);
	int		kt_flags;
};
#define KTEST_F_MANUAL	0x1

#define KTEST_DEFINE(name, flags)					\
	static void ktest_fn_##name(struct ktest_ctx *);		\
	static const struct ktest ktest_##name __section("ktests")	\
	    __used __aligned(8) = { #name, ktest_fn_##name, flags };	\
	static void ktest_fn_##name(struct ktest_ctx *kt __unused)

#define KTEST(name)		KTEST_DEFINE(name, 0)
#define KTEST_MANUAL(name)	KTEST_DEFINE(name, KTEST_F_MANUAL)

void	ktest_fail(struct ktest_ctx *, const char *, int, const char *, ...)
	    __printflike(4, 5);
int	ktest_run(const char *patterns);
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

#endif /* !_SYS_KTEST_H_ */

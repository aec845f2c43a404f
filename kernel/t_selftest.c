/*
 * t_selftest.c: tests that fail or crash on purpose (KTEST_MANUAL: they
 * run only when named, e.g. ktest=selftest_panic).  tools/test boots
 * each and checks the kernel reports it the way it should: a failed
 * test fails the run, a panic prints a symbolized backtrace and exits
 * QEMU with a failure status, faults are named, nothing hangs.
 */
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/ktest.h>

KTEST_MANUAL(selftest_fail)
{
	KT_EQ(1 + 1, 3);
}

/* Two named frames, so the backtrace has something to show. */
static void __noinline
selftest_panic_leaf(int x)
{
	panic("selftest: deliberate panic (x=%d)", x);
}

static void __noinline
selftest_panic_middle(int x)
{
	selftest_panic_leaf(x + 1);
	__insn_barrier();
}

KTEST_MANUAL(selftest_panic)
{
	selftest_panic_middle(41);
}

KTEST_MANUAL(selftest_kassert)
{
	volatile int x = 1;

	KASSERT(x == 2);
	(void)x;			/* used even when KASSERT is off */
}

KTEST_MANUAL(selftest_null_deref)
{
	volatile int *p = NULL;

	(void)*p;
}

/* Writing to kernel text: text is mapped read-only, and the arch makes
 * the kernel honour that too (arch/x86_64/identcpu.c). */
KTEST_MANUAL(selftest_write_text)
{
	volatile unsigned char *text = (unsigned char *)(uintptr_t)panic;

	*text = 0xcc;
}

/* Executing data: data is mapped no-execute. */
KTEST_MANUAL(selftest_exec_data)
{
	static unsigned char ret[16] = { 0xc3 };	/* ret */
	void (*f)(void) = (void (*)(void))(uintptr_t)ret;

	f();
}

static int __noinline
selftest_recurse(volatile int n)
{
	volatile char buf[256];

	buf[0] = n;
	if (n < (1 << 30))	/* far deeper than any kernel stack */
		return selftest_recurse(n + 1) + buf[0];
	return 0;
}

/* Overflow the boot stack into its guard page: the page fault cannot be
 * delivered on the broken stack, so the CPU raises a double fault, which
 * the arch takes on a stack of its own (arch/x86_64/gdt.c). */
KTEST_MANUAL(selftest_stack_overflow)
{
	selftest_recurse(0);
}

KTEST_MANUAL(selftest_double_free)
{
	void *p = kmem_alloc(100, KM_SLEEP);

	kmem_free(p, 100);
	kmem_free(p, 100);
}

/* A fault inside a frameless leaf function (memset): the backtrace must
 * still name memset's caller. */
static void __noinline
selftest_leaf_caller(void *p)
{
	memset(p, 0, 64);
	__insn_barrier();
}

KTEST_MANUAL(selftest_leaf_fault)
{
	selftest_leaf_caller((void *)0x1000);
}

/* Writing to a kmem object after freeing it (its first word, where the
 * allocator keeps its free-list link). */
KTEST_MANUAL(selftest_write_after_free)
{
	uint64_t *p = kmem_alloc(64, KM_SLEEP);

	kmem_free(p, 64);
	p[0] = 0x1234;			/* the bug */
	p = kmem_alloc(64, KM_SLEEP);	/* must panic, not follow the link */
	kmem_free(p, 64);
}

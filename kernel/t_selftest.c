/*
 * t_selftest.c: tests that fail or crash on purpose (KTEST_MANUAL: they
 * run only when named, e.g. ktest=selftest_panic).  tools/test boots
 * each (tools/scenarios) and checks the kernel reports it the way it
 * should: a failed test fails the run, a panic prints a symbolized
 * backtrace and exits QEMU with a failure status, faults are named,
 * nothing hangs.  The lines each must print are written beside it, in
 * its KTEST_MANUAL (sys/ktest.h).
 */
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/ktest.h>

KTEST_MANUAL(selftest_fail,
    "FAIL at kernel/t_selftest.c:[0-9]+: 1 \\+ 1 == 3: 2 != 3",
    "^ktest: 0 passed, 1 failed, 0 skipped$")
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

KTEST_MANUAL(selftest_panic,
    "^panic: selftest: deliberate panic \\(x=42\\)",
    "#0 .* in vpanic_frame\\+0x",
    "in selftest_panic_leaf[.a-z0-9]*\\+0x",
    "in selftest_panic_middle[.a-z0-9]*\\+0x",
    "in ktest_fn_selftest_panic\\+0x",
    "in ktest_run\\+0x",
    "in main\\+0x",
    "^panic: stopping the machine")
{
	selftest_panic_middle(41);
}

KTEST_MANUAL(selftest_kassert,
    "^panic: kernel diagnostic assertion \"x == 2\" failed: "
    "kernel/t_selftest.c:[0-9]+ in ktest_fn_selftest_kassert",
    "in kassert_fail\\+0x")
{
	volatile int x = 1;

	KASSERT(x == 2);
	(void)x;			/* used even when KASSERT is off */
}

KTEST_MANUAL(selftest_null_deref,
    "^trap: page fault \\(#PF\\) in kernel mode at 0xffffffff8[0-9a-f]+ "
    "<ktest_fn_selftest_null_deref\\+0x?[0-9a-f]*>",
    "^trap: read from 0, an unmapped page",
    "NULL pointer dereference",
    "^panic: fatal page fault",
    "#0 .* in ktest_fn_selftest_null_deref\\+",
    "#1 .* in ktest_(one|run)\\+0x")
{
	volatile int *p = NULL;

	(void)*p;
}

/* Writing to kernel text: text is mapped read-only, and the arch makes
 * the kernel honour that too (arch/x86_64/identcpu.c). */
KTEST_MANUAL(selftest_write_text,
    "^trap: write to 0xffffffff8[0-9a-f]+, a page that forbids it")
{
	volatile unsigned char *text = (unsigned char *)(uintptr_t)panic;

	*text = 0xcc;
}

/* Executing data: data is mapped no-execute. */
KTEST_MANUAL(selftest_exec_data,
    "^trap: instruction fetch from 0xffffffff8[0-9a-f]+, a page that forbids "
    "it")
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
KTEST_MANUAL(selftest_stack_overflow,
    "^trap: double fault \\(#DF\\) in kernel mode at .*<selftest_recurse",
    "^trap: kernel stack overflow: ran into the guard page below the boot "
    "stack",
    "^panic: fatal double fault")
{
	selftest_recurse(0);
}

KTEST_MANUAL(selftest_double_free,
    "^panic: pool_cache_put\\(kmem-128\\): 0x[0-9a-f]+ is already free "
    "\\(double free\\)",
    "in kmem_free\\+0x")
{
	void *p = kmem_alloc(100, KM_SLEEP);

	kmem_free(p, 100);
	kmem_free(p, 100);
}

/* A write to a freed object past its link (DIAGNOSTIC: freed objects
 * are poisoned, and the poison is compared when the object is handed
 * out again): the next allocation of its size, which gets the same
 * object back, panics naming the first word written.  Near the
 * object's end, so the whole of it is compared. */
KTEST_MANUAL(selftest_write_after_free_poison,
    "^panic: pool_cache_get\\(kmem-2048\\): free object 0x[0-9a-f]+ was "
    "written to after it was freed \\(first bad word at offset 2032: "
    "0x5e1f7e57\\)",
    "in kmem_alloc\\+0x")
{
	uint64_t *p = kmem_alloc(2000, KM_SLEEP);

	kmem_free(p, 2000);
	p[2032 / 8] = 0x5e1f7e57;
	(void)kmem_alloc(2000, KM_SLEEP);
}

/* A fault inside a frameless leaf function (memset): the backtrace must
 * still name memset's caller. */
static void __noinline
selftest_leaf_caller(void *p)
{
	memset(p, 0, 64);
	__insn_barrier();
}

KTEST_MANUAL(selftest_leaf_fault,
    "#0 .* in memset\\+0x",
    "#1 .* in selftest_leaf_caller[.a-z0-9]*\\+0x",
    "#2 .* in ktest_fn_selftest_leaf_fault\\+0x")
{
	selftest_leaf_caller((void *)0x1000);
}

/* Writing to a kmem object after freeing it (its first word, where the
 * allocator keeps its free-list link). */
KTEST_MANUAL(selftest_write_after_free,
    "^panic: pool_cache_get\\(kmem-64\\): free object 0x[0-9a-f]+ was written "
    "to after it was freed",
    "in ktest_fn_selftest_write_after_free\\+0x")
{
	uint64_t *p = kmem_alloc(64, KM_SLEEP);

	kmem_free(p, 64);
	p[0] = 0x1234;			/* the bug */
	p = kmem_alloc(64, KM_SLEEP);	/* must panic, not follow the link */
	kmem_free(p, 64);
}

/* The harness's own leak check (subr_ktest.c): a test that leaves kmem
 * in use it did not declare (kt_kmem_kept) fails, saying how much. */
KTEST_MANUAL(selftest_ktest_leak,
    "^ktest: selftest_ktest_leak: FAIL at kernel/subr_ktest\\.c:[0-9]+: "
    "leaked 100 bytes of kmem \\(0 kept on purpose\\)$")
{
	(void)kmem_alloc(100, KM_SLEEP);
}

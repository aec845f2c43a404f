/*
 * t_kasan.c: planted memory bugs, one kind per test, each of which the
 * KASAN build (make SANITIZE=kernel-address; only that build has this
 * file) must report and panic on: the access (kind, read or write, size,
 * address, the function), what is there (the heap object with its size,
 * pool, allocation and free backtraces; the stack frame and its
 * variables; the global), then the panic's backtrace.  KTEST_MANUAL:
 * tools/scenarios boots each (kasan-*) and checks its lines.  Indices
 * come through volatile variables, so the compiler cannot see the
 * access is out of bounds (and warn, or drop it).
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/intr.h>
#include <sys/kmem.h>
#include <sys/ktest.h>
#include <sys/pmap.h>
#include <sys/pool.h>
#include <sys/vm_page.h>

static volatile size_t kasan_index;

static void __noinline
kasan_poke(volatile char *p, size_t i)
{
	kasan_index = i;
	p[kasan_index] = 1;
}

KTEST_MANUAL(selftest_kasan_kmem_overflow,
    "^kasan: heap-buffer-overflow: write of size 1 at 0xffff8[0-9a-f]+ by "
    "kasan_poke\\+0x",
    "^kasan: 0 bytes past the end of a 100-byte object at 0xffff8[0-9a-f]+ "
    "\\(kmem-128\\)$",
    "^kasan: allocated by:$",
    "#0 .* in kmem_alloc\\+0x",
    "#1 .* in ktest_fn_selftest_kasan_kmem_overflow\\+0x",
    "^panic: kasan: heap-buffer-overflow: write of size 1 at ",
    "in kasan_poke\\+0x")
{
	char *p = kmem_alloc(100, KM_SLEEP);

	kasan_poke(p, 100);
	kmem_free(p, 100);
}

KTEST_MANUAL(selftest_kasan_kmem_large_overflow,
    "^kasan: heap-buffer-overflow: write of size 1 at 0xffff8[0-9a-f]+ by "
    "kasan_poke\\+0x",
    "^kasan: 0 bytes past the end of a 5000-byte object at "
    "0xffff8[0-9a-f]+000 \\(kmem\\)$",
    "#0 .* in kmem_alloc\\+0x",
    "#1 .* in ktest_fn_selftest_kasan_kmem_large_overflow\\+0x")
{
	char *p = kmem_alloc(5000, KM_SLEEP);

	kasan_poke(p, 5000);
	kmem_free(p, 5000);
}

KTEST_MANUAL(selftest_kasan_pool_overflow,
    "^kasan: heap-buffer-overflow: write of size 1 at 0xffff8[0-9a-f]+ by "
    "kasan_poke\\+0x",
    "^kasan: 8 bytes past the end of a 48-byte object at 0xffff8[0-9a-f]+ "
    "\\(t_kasan\\)$",
    "#0 .* in ktest_fn_selftest_kasan_pool_overflow\\+0x",
    "^panic: kasan: heap-buffer-overflow")
{
	static pool_cache_t pc;
	char *p;

	if (pc == NULL)
		pc = pool_cache_init(40, 16, 0, 0, "t_kasan", NULL, IPL_VM,
		    NULL, NULL, NULL);
	p = pool_cache_get(pc, PR_WAITOK);
	kasan_poke(p, 56);
	pool_cache_put(pc, p);
}

/* Not inlined: the free site is a function of its own. */
static void __noinline
kasan_free_it(void *p, size_t size)
{
	kmem_free(p, size);
}

KTEST_MANUAL(selftest_kasan_use_after_free,
    "^kasan: use-after-free: read of size 8 at 0xffff8[0-9a-f]+ by "
    "ktest_fn_selftest_kasan_use_after_free\\+0x",
    "^kasan: 8 bytes into a 64-byte object at 0xffff8[0-9a-f]+ "
    "\\(kmem-64\\), freed$",
    "^kasan: allocated by:$",
    "#1 .* in ktest_fn_selftest_kasan_use_after_free\\+0x",
    "^kasan: freed by:$",
    "#0 .* in kmem_free\\+0x",
    "#1 .* in kasan_free_it[.a-z0-9]*\\+0x",
    "#2 .* in ktest_fn_selftest_kasan_use_after_free\\+0x",
    "^panic: kasan: use-after-free: read of size 8 at ")
{
	uint64_t *volatile p = kmem_alloc(64, KM_SLEEP);

	p[1] = 42;
	kasan_free_it(p, 64);
	printf("kasan: after free: %lu\n", p[1]);
}

KTEST_MANUAL(selftest_kasan_double_free,
    "^kasan: double-free: 0xffff8[0-9a-f]+ \\(kmem, size 32\\) freed by "
    "kmem_free\\+0x",
    "^kasan: 0 bytes into a 32-byte object at 0xffff8[0-9a-f]+ "
    "\\(kmem-32\\), freed$",
    "^kasan: freed by:$",
    "#1 .* in ktest_fn_selftest_kasan_double_free\\+0x",
    "^panic: kasan: double-free of 0xffff8[0-9a-f]+ \\(kmem\\)")
{
	void *p = kmem_alloc(32, KM_SLEEP);

	kmem_free(p, 32);
	kmem_free(p, 32);
}

KTEST_MANUAL(selftest_kasan_stack_overflow,
    "^kasan: stack-buffer-overflow: write of size 1 at 0xffffff[0-9a-f]+ by "
    "kasan_poke\\+0x",
    "^kasan: [0-9]+ bytes into the frame of "
    "ktest_fn_selftest_kasan_stack_overflow\\+0, whose variables are .* "
    "buf",
    "^panic: kasan: stack-buffer-overflow: write of size 1 at ",
    "in ktest_fn_selftest_kasan_stack_overflow\\+0x")
{
	char buf[24];

	kasan_poke(buf, 0);
	kasan_poke(buf, 24);
}

static char kasan_global[13];

KTEST_MANUAL(selftest_kasan_global_overflow,
    "^kasan: global-buffer-overflow: write of size 1 at 0xffffffff8[0-9a-f]+ "
    "by kasan_poke\\+0x",
    "^kasan: 0 bytes past the end of global 'kasan_global' \\(13 bytes\\), "
    "defined at kernel/t_kasan.c:[0-9]+$",
    "^panic: kasan: global-buffer-overflow: write of size 1 at ")
{
	kasan_poke(kasan_global, 12);
	kasan_poke(kasan_global, 13);
}

KTEST_MANUAL(selftest_kasan_free_page,
    "^kasan: use of a free page: read of size 8 at 0xffff8[0-9a-f]+ by "
    "ktest_fn_selftest_kasan_free_page\\+0x",
    "^panic: kasan: use of a free page: read of size 8 at ")
{
	paddr_t pa = vm_page_alloc(1, VM_PAGE_ZERO);
	uint64_t *volatile p;

	KT_ASSERT(pa != VM_PAGE_NONE);
	p = pmap_direct_va(pa);
	vm_page_free(pa, 1);
	printf("kasan: a free page holds %lu\n", p[3]);
}

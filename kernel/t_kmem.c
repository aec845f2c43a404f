/*
 * t_kmem.c: ktests for kmem_alloc/kmem_free and pool caches.
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/intr.h>
#include <sys/kmem.h>
#include <sys/ktest.h>
#include <sys/pool.h>
#include <sys/vm_page.h>

/* Every size from 1 to 3 pages: aligned, writable, not overlapping. */
KTEST(kmem_sizes)
{
	static const size_t sizes[] = { 1, 7, 8, 15, 16, 17, 31, 33, 64, 100,
	    128, 255, 256, 500, 512, 1000, 1024, 2000, 2048, 2049, 4096,
	    5000, 3 * 4096 };
	void *p[__arraycount(sizes)];
	struct kmem_stats before, during, after;

	kmem_stats(&before);
	for (size_t i = 0; i < __arraycount(sizes); i++) {
		p[i] = kmem_alloc(sizes[i], KM_SLEEP);
		KT_ASSERT(p[i] != NULL);
		KT_EQ((uintptr_t)p[i] % MIN(16, sizes[i] >= 16 ? 16 : 8), 0);
		memset(p[i], (int)i + 1, sizes[i]);
	}
	kmem_stats(&during);
	size_t total = 0;
	for (size_t i = 0; i < __arraycount(sizes); i++)
		total += sizes[i];
	KT_EQ(during.ks_inuse - before.ks_inuse, total);
	/* Nothing overwrote anything else. */
	for (size_t i = 0; i < __arraycount(sizes); i++)
		for (size_t j = 0; j < sizes[i]; j++)
			KT_EQ(((unsigned char *)p[i])[j], i + 1);
	for (size_t i = 0; i < __arraycount(sizes); i++)
		kmem_free(p[i], sizes[i]);
	kmem_stats(&after);
	KT_EQ(after.ks_inuse, before.ks_inuse);
	KT_EQ(after.ks_large_pages, before.ks_large_pages);
}

KTEST(kmem_zalloc_zeroes)
{
	for (size_t size = 8; size <= 8192; size *= 2) {
		unsigned char *p = kmem_alloc(size, KM_SLEEP);
		KT_ASSERT(p != NULL);
		memset(p, 0xa5, size);
		kmem_free(p, size);
		p = kmem_zalloc(size, KM_SLEEP);
		KT_ASSERT(p != NULL);
		for (size_t i = 0; i < size; i++)
			KT_EQ(p[i], 0);
		kmem_free(p, size);
	}
}

/* Many small objects: all distinct, and reused after free. */
KTEST(kmem_many)
{
	enum { N = 2000 };
	void **v = kmem_alloc(N * sizeof(void *), KM_SLEEP);

	KT_ASSERT(v != NULL);
	for (int i = 0; i < N; i++) {
		v[i] = kmem_alloc(48, KM_SLEEP);
		KT_ASSERT(v[i] != NULL);
		*(int *)v[i] = i;
	}
	for (int i = 0; i < N; i++)
		KT_EQ(*(int *)v[i], i);
	for (int i = 0; i < N; i++)
		kmem_free(v[i], 48);
	kmem_free(v, N * sizeof(void *));
}

KTEST(kmem_strdup)
{
	char *s = kmem_strdup("lwp0", KM_SLEEP);

	KT_STREQ(s, "lwp0");
	kmem_free(s, strlen(s) + 1);
}

struct t_obj {
	int	magic;
	char	pad[100];
};
static int t_nctor, t_ndtor;

static int
t_ctor(void *arg, void *obj, int flags)
{
	KASSERT(arg == &t_nctor);
	((struct t_obj *)obj)->magic = 0x1234;
	t_nctor++;
	return 0;
}

static void
t_dtor(void *arg, void *obj)
{
	KASSERT(((struct t_obj *)obj)->magic == 0x1234);
	t_ndtor++;
}

/* pool_cache: constructor/destructor calls, statistics, PR_ZERO. */
KTEST(pool_cache_ctor_dtor_stats)
{
	static pool_cache_t pc;
	struct pool_stats st;
	struct t_obj *o[20];

	if (pc == NULL)
		pc = pool_cache_init(sizeof(struct t_obj), 0, 0, 0, "t_obj",
		    NULL, IPL_VM, t_ctor, t_dtor, &t_nctor);
	t_nctor = t_ndtor = 0;
	for (int i = 0; i < 20; i++) {
		o[i] = pool_cache_get(pc, PR_WAITOK);
		KT_ASSERT(o[i] != NULL);
		KT_EQ(o[i]->magic, 0x1234);
		KT_EQ((uintptr_t)o[i] % 16, 0);
	}
	pool_cache_stats(pc, &st);
	KT_EQ(st.ps_nout, 20);
	KT_EQ(st.ps_size, 112);
	KT_EQ(t_nctor, 20);
	for (int i = 0; i < 20; i++)
		pool_cache_put(pc, o[i]);
	KT_EQ(t_ndtor, 20);
	pool_cache_stats(pc, &st);
	KT_EQ(st.ps_nout, 0);
	KT_ASSERT(st.ps_npages >= 1);
}

KTEST(pool_cache_zero_and_reuse)
{
	static pool_cache_t pc;
	uint64_t *a, *b;

	if (pc == NULL)
		pc = pool_cache_init(64, 64, 0, 0, "t_zero", NULL, IPL_VM,
		    NULL, NULL, NULL);
	a = pool_cache_get(pc, PR_NOWAIT | PR_ZERO);
	KT_ASSERT(a != NULL);
	KT_EQ((uintptr_t)a % 64, 0);
	for (int i = 0; i < 8; i++)
		KT_EQ(a[i], 0);
	a[3] = 42;
	pool_cache_put(pc, a);
	b = pool_cache_get(pc, PR_NOWAIT);
#ifdef KASAN
	KT_ASSERT(b != a);	/* the quarantine holds a back (sys/kasan.h) */
#else
	KT_ASSERT(b == a);	/* LIFO: the same object */
#endif
	pool_cache_put(pc, b);
}

/* Sizes that cannot be satisfied give NULL, not a panic. */
KTEST(kmem_huge_fails_cleanly)
{
	struct kmem_stats before, after;

	kmem_stats(&before);
	KT_ASSERT(kmem_alloc(SIZE_MAX, KM_NOSLEEP) == NULL);
	KT_ASSERT(kmem_alloc(SIZE_MAX - 100, KM_SLEEP) == NULL);
	KT_ASSERT(kmem_alloc((size_t)1 << 46, KM_NOSLEEP) == NULL);
	kmem_stats(&after);
	KT_EQ(after.ks_nfail, before.ks_nfail + 3);
	KT_EQ(after.ks_inuse, before.ks_inuse);
}

static int t_nfailctor, t_nfaildtor;

static int
t_failing_ctor(void *arg, void *obj, int flags)
{
	t_nfailctor++;
	return 1;			/* ENOMEM, say */
}

static void
t_counting_dtor(void *arg, void *obj)
{
	t_nfaildtor++;
}

/* A constructor that fails: get returns NULL, the destructor is not run
 * on the never-constructed object, and nothing stays handed out. */
KTEST(pool_cache_ctor_fails)
{
	static pool_cache_t pc;
	struct pool_stats st;

	if (pc == NULL)
		pc = pool_cache_init(48, 0, 0, 0, "t_failctor", NULL, IPL_VM,
		    t_failing_ctor, t_counting_dtor, NULL);
	t_nfailctor = t_nfaildtor = 0;
	KT_ASSERT(pool_cache_get(pc, PR_WAITOK) == NULL);
	KT_ASSERT(pool_cache_get(pc, PR_WAITOK) == NULL);
	KT_EQ(t_nfailctor, 2);
	KT_EQ(t_nfaildtor, 0);
	pool_cache_stats(pc, &st);
	KT_EQ(st.ps_nout, 0);
}

/*
 * 16-byte objects whose second word holds the poison pattern free
 * without a false "double free".  (Only word 1 == word 0 XOR the link
 * check constant would look free: a one-in-2^64 pattern.)
 */
KTEST(kmem_small_no_false_double_free)
{
	uint64_t *p = kmem_alloc(16, KM_SLEEP);

	KT_ASSERT(p != NULL);
	p[0] = 0;
	p[1] = 0xdeadbeefdeadbeefUL;
	kmem_free(p, 16);
	p = kmem_alloc(16, KM_SLEEP);
	KT_ASSERT(p != NULL);
	p[0] = 0xdeadbeefdeadbeefUL;
	p[1] = 0xdeadbeefdeadbeefUL;
	kmem_free(p, 16);
}

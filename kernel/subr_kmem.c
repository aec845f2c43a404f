/*
 * subr_kmem.c: kmem_alloc() and kmem_free() (see sys/kmem.h).
 *
 * Requests up to KMEM_MAXSIZE bytes are rounded up to a power of two
 * and served by that size's pool cache; larger ones take whole pages
 * straight from vm_page, reached through the direct map.  kmem_free()
 * finds the same place from the size, which is why it must be told it.
 *
 * Under KASAN (sys/kasan.h) the bytes of a pool object past the size
 * asked for are a redzone, a large allocation has a header page before
 * it and a redzone after it (freed at once: its pages are poisoned as
 * free ones, no quarantine), and kmem_free checks the size it is given.
 *
 * Locking: the pools and vm_page lock themselves; kmem_lock covers
 * kmem_st.
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/intr.h>
#include <sys/kasan.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/pmap.h>
#include <sys/pool.h>
#include <sys/vm_page.h>

#define KMEM_MINSHIFT	4		/* 16 bytes */
#define KMEM_MAXSHIFT	11		/* 2048 bytes */
#define KMEM_MAXSIZE	(1 << KMEM_MAXSHIFT)
#define KMEM_NCLASSES	(KMEM_MAXSHIFT - KMEM_MINSHIFT + 1)

static pool_cache_t kmem_cache[KMEM_NCLASSES];	/* (c) after kmem_init */
static kmutex_t kmem_lock = MUTEX_INITIALIZER("kmem", IPL_VM);
static struct kmem_stats kmem_st;		/* (kmem_lock) */

void
kmem_init(void)
{
	static const char *const names[KMEM_NCLASSES] = {
		"kmem-16", "kmem-32", "kmem-64", "kmem-128", "kmem-256",
		"kmem-512", "kmem-1024", "kmem-2048",
	};

	for (int i = 0; i < KMEM_NCLASSES; i++)
		kmem_cache[i] = pool_cache_init(1 << (i + KMEM_MINSHIFT),
		    MIN(16, 1 << (i + KMEM_MINSHIFT)), 0, 0, names[i], NULL,
		    IPL_VM, NULL, NULL, NULL);
}

/* The pool class for a small size: 1..16 -> 0, 17..32 -> 1, ... */
static int
kmem_class(size_t size)
{
	int c = 0;

	while ((1UL << (c + KMEM_MINSHIFT)) < size)
		c++;
	return c;
}

static void
kmem_account(ssize_t bytes, size_t pages, bool ok)
{
	mutex_spin_enter(&kmem_lock);
	if (!ok)
		kmem_st.ks_nfail++;
	else if (bytes > 0) {
		kmem_st.ks_nalloc++;
		kmem_st.ks_inuse += bytes;
		kmem_st.ks_large_pages += pages;
	} else {
		kmem_st.ks_nfree++;
		kmem_st.ks_inuse += bytes;
		kmem_st.ks_large_pages -= pages;
	}
	mutex_spin_exit(&kmem_lock);
}

void *
kmem_alloc(size_t size, int flags)
{
	void *p;

	KASSERTMSG(size > 0, "kmem_alloc: zero size");
	KASSERT(flags == KM_SLEEP || flags == KM_NOSLEEP);
	if (size <= KMEM_MAXSIZE) {
		p = pool_cache_get(kmem_cache[kmem_class(size)], PR_NOWAIT);
#ifdef KASAN
		if (p != NULL)
			kasan_heap_resize(p, size);
#endif
		kmem_account(size, 0, p != NULL);
	} else if (size > SIZE_MAX - PAGE_SIZE) {
		kmem_account(0, 0, false);	/* absurd: cannot round up */
		p = NULL;
	} else {
		size_t npages = atop(round_page(size));
#ifdef KASAN
		paddr_t pa = vm_page_alloc(npages + 1, 0);

		p = pa == VM_PAGE_NONE ? NULL : pmap_direct_va(pa);
		if (p != NULL) {
			kasan_mark(p, 0, PAGE_SIZE, KASAN_HEAP_HDR);
			p = kasan_heap_alloc((char *)p + PAGE_SIZE -
			    KASAN_HEADER_SIZE, size, KASAN_HEADER_SIZE +
			    ptoa(npages), "kmem", 0);
		}
#else
		paddr_t pa = vm_page_alloc(npages, 0);

		p = pa == VM_PAGE_NONE ? NULL : pmap_direct_va(pa);
#endif
		kmem_account(size, npages, p != NULL);
	}
	return p;
}

void *
kmem_zalloc(size_t size, int flags)
{
	void *p = kmem_alloc(size, flags);

	if (p != NULL)
		memset(p, 0, size);
	return p;
}

void
kmem_free(void *p, size_t size)
{
	KASSERTMSG(p != NULL && size > 0, "kmem_free(%p, %zu)", p, size);
	if (size <= KMEM_MAXSIZE) {
#ifdef KASAN
		kasan_heap_check(p, size, "kmem");
#endif
		pool_cache_put(kmem_cache[kmem_class(size)], p);
		kmem_account(-(ssize_t)size, 0, true);
	} else {
		size_t npages = atop(round_page(size));

		KASSERTMSG(pmap_is_direct(p) && ((vaddr_t)p & PAGE_MASK) == 0,
		    "kmem_free: %p did not come from kmem_alloc(%zu)", p, size);
#ifdef KASAN
		(void)kasan_heap_free(p, size, "kmem", 0);
		vm_page_free(pmap_direct_pa(p) - PAGE_SIZE, npages + 1);
#else
		vm_page_free(pmap_direct_pa(p), npages);
#endif
		kmem_account(-(ssize_t)size, npages, true);
	}
}

char *
kmem_strdup(const char *s, int flags)
{
	size_t n = strlen(s) + 1;
	char *p = kmem_alloc(n, flags);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

void
kmem_stats(struct kmem_stats *st)
{
	mutex_spin_enter(&kmem_lock);
	*st = kmem_st;
	mutex_spin_exit(&kmem_lock);
}

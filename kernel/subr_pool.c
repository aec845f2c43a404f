/*
 * subr_pool.c: pool caches (see sys/pool.h for the interface).
 *
 * Each pool keeps a free list of raw (unconstructed) objects, linked
 * through their first word (struct pool_free).  When the list is empty
 * the pool takes a slab of pages from vm_page and carves it into
 * objects.  No page ever goes back to vm_page: pool memory is
 * type-stable, which readers of freed LWPs rely on (sys/pool.h).
 *
 * Under KASAN (sys/kasan.h) each object sits in a chunk of its slab
 * between a header (who allocated and freed it) and a redzone, and a
 * freed object waits in its pool's quarantine (the KASAN_QUARANTINE
 * latest) before it goes back on the free list.  This file is compiled
 * without KASAN's checks: it works in the chunks' poisoned parts.
 *
 * Locking: pc_lock (a spin mutex at the pool's IPL) covers the free
 * list, the quarantine and the counters; constructors and destructors
 * run without it.
 * pool_list_lock covers pool_list.
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/intr.h>
#include <sys/kasan.h>
#include <sys/mutex.h>
#include <sys/pmap.h>
#include <sys/pool.h>
#include <sys/vm_page.h>

#define POOL_POISON	0xdeadbeefdeadbeefUL
#define POOL_LINKCHECK	0x5a17c0ffee0ddba1UL

/*
 * A page of poison, which freed objects are filled from and compared
 * with (DIAGNOSTIC): memcpy and memcmp, which the arch may do a word an
 * instruction (arch/x86_64/string.S), where a loop here took three to
 * five: poisoning and checking had cost a third of a default kernel's
 * _lwp_create+exit+wait (docs/lwp.md, figures).  (Not in a KASAN
 * kernel: pool_poison_intact.)
 */
#ifndef KASAN
static const uint64_t pool_poison_page[PAGE_SIZE / 8] = {
	[0 ... PAGE_SIZE / 8 - 1] = POOL_POISON
};
#endif

/*
 * A free object: the free-list link, a check word (the link XOR a
 * constant, so a stray write to either word is noticed before the link
 * is followed), and under DIAGNOSTIC poison in the rest.
 */
struct pool_free {
	struct pool_free *pf_next;
	uint64_t	pf_check;
};

struct pool_cache {
	kmutex_t	pc_lock;
	struct pool_free *pc_free;	/* (pc_lock) raw objects */
	struct pool_stats pc_st;	/* (pc_lock) */
	size_t		pc_slabpages;	/* (c) pages per slab */
#ifdef KASAN
	size_t		pc_chunk;	/* (c) a slab's bytes per object */
	size_t		pc_objoff;	/* (c) the object's place in a chunk */
	struct kasan_header *pc_qhead;	/* (pc_lock) quarantine, oldest */
	struct kasan_header *pc_qtail;	/* (pc_lock) ... newest */
	int		pc_qlen;	/* (pc_lock) */
#endif
	int		(*pc_ctor)(void *, void *, int);	/* (c) */
	void		(*pc_dtor)(void *, void *);		/* (c) */
	void		*pc_arg;	/* (c) */
	struct pool_cache *pc_next;	/* (pool_list_lock) */
};

/* A slab's bytes per object: the object, and under KASAN its header and
 * redzone. */
#ifdef KASAN
#define POOL_CHUNK(pc)	((pc)->pc_chunk)
#else
#define POOL_CHUNK(pc)	((pc)->pc_st.ps_size)
#endif

static kmutex_t pool_list_lock = MUTEX_INITIALIZER("pool_list", IPL_VM);
static struct pool_cache *pool_list;	/* (pool_list_lock) */

/* The pool caches' own descriptors come from this static array. */
#define POOL_MAX	64
static struct pool_cache pool_store[POOL_MAX];

static void pool_release(pool_cache_t, void *);

pool_cache_t
pool_cache_init(size_t size, u_int align, u_int align_offset, int flags,
    const char *wchan, struct pool_allocator *palloc, int ipl,
    int (*ctor)(void *, void *, int), void (*dtor)(void *, void *),
    void *arg)
{
	struct pool_cache *pc = NULL;

	KASSERTMSG(palloc == NULL && align_offset == 0 && flags == 0,
	    "pool_cache_init: custom allocators, offsets and flags are "
	    "not supported");
	if (align == 0)
		align = 16;
	KASSERT(powerof2(align) && align <= PAGE_SIZE);
	size = roundup2(MAX(size, sizeof(struct pool_free)), (size_t)align);

	mutex_spin_enter(&pool_list_lock);
	for (int i = 0; i < POOL_MAX; i++)
		if (pool_store[i].pc_st.ps_name == NULL) {
			pc = &pool_store[i];
			pc->pc_st.ps_name = wchan;
			break;
		}
	if (pc == NULL)
		panic("pool_cache_init(%s): more than %d pools", wchan,
		    POOL_MAX);
	mutex_init(&pc->pc_lock, MUTEX_SPIN, ipl == IPL_NONE ? IPL_VM : ipl,
	    wchan);
	pc->pc_free = NULL;
	pc->pc_st = (struct pool_stats){ .ps_name = wchan, .ps_size = size };
#ifdef KASAN
	/* A header before the object, a redzone after it. */
	pc->pc_objoff = roundup2(KASAN_HEADER_SIZE, (size_t)align);
	pc->pc_chunk = roundup2(pc->pc_objoff + size + KASAN_REDZONE_MIN,
	    (size_t)align);
	pc->pc_qhead = pc->pc_qtail = NULL;
	pc->pc_qlen = 0;
#endif
	/* At least 8 objects per slab, so big objects waste little. */
	pc->pc_slabpages = howmany(POOL_CHUNK(pc) * 8, PAGE_SIZE);
	if (POOL_CHUNK(pc) <= PAGE_SIZE / 8)
		pc->pc_slabpages = 1;
	pc->pc_ctor = ctor;
	pc->pc_dtor = dtor;
	pc->pc_arg = arg;
	pc->pc_next = pool_list;
	pool_list = pc;
	mutex_spin_exit(&pool_list_lock);
	return pc;
}

void
pool_cache_destroy(pool_cache_t pc)
{
	struct pool_cache **pp;

	KASSERTMSG(pc->pc_st.ps_nout == 0,
	    "pool_cache_destroy(%s): %zu objects still out",
	    pc->pc_st.ps_name, pc->pc_st.ps_nout);
	mutex_spin_enter(&pool_list_lock);
	for (pp = &pool_list; *pp != pc; pp = &(*pp)->pc_next)
		KASSERT(*pp != NULL);
	*pp = pc->pc_next;
	/*
	 * The slabs are not tracked individually, so they cannot be given
	 * back; destroying a pool leaks its pages (pools live for ever in
	 * practice, and lwp_cache must: sys/pool.h).  Keep the descriptor
	 * slot taken for the same reason.
	 */
	mutex_spin_exit(&pool_list_lock);
}

/* Put a raw object on the free list.  pc_lock held. */
static void
pool_push(pool_cache_t pc, struct pool_free *pf)
{
	KASSERT(mutex_owned(&pc->pc_lock));
	pf->pf_next = pc->pc_free;
	pf->pf_check = (uint64_t)pf->pf_next ^ POOL_LINKCHECK;
	pc->pc_free = pf;
}

/*
 * Is [p, p + n) all poison?  And fill it with poison.  n is at most a
 * page, and a multiple of 8.  memcmp and memcpy with the poison page,
 * but in a KASAN kernel plain loops: its memcmp and memcpy check every
 * access, and a free object is marked free; this file is built
 * unchecked (the Makefile's SAN_PLAIN).
 */
static bool
pool_poison_intact(const char *p, size_t n)
{
#ifdef KASAN
	for (size_t i = 0; i < n / 8; i++)
		if (((const uint64_t *)p)[i] != POOL_POISON)
			return false;
	return true;
#else
	return memcmp(p, pool_poison_page, n) == 0;
#endif
}

static void
pool_poison_fill(char *p, size_t n)
{
#ifdef KASAN
	for (size_t i = 0; i < n / 8; i++)
		((uint64_t *)p)[i] = POOL_POISON;
#else
	memcpy(p, pool_poison_page, n);
#endif
}

/* Does this object look free (intact link check, and poison)? */
static bool
pool_looks_free(pool_cache_t pc, const struct pool_free *pf)
{
	const char *p = (const char *)pf;
	size_t n;

	if (pf->pf_check != ((uint64_t)pf->pf_next ^ POOL_LINKCHECK))
		return false;
	if (DIAGNOSTIC)
		for (size_t off = sizeof(*pf); off < POOL_CHUNK(pc); off += n) {
			n = MIN(POOL_CHUNK(pc) - off, PAGE_SIZE);
			if (!pool_poison_intact(p + off, n))
				return false;
		}
	return true;
}

/* A free object was modified: say where and what, then panic. */
static void __dead
pool_report_scribble(pool_cache_t pc, const struct pool_free *pf)
{
	const uint64_t *w = (const uint64_t *)pf;
	size_t i = 0;

	if (pf->pf_check == ((uint64_t)pf->pf_next ^ POOL_LINKCHECK))
		for (i = 2; i < POOL_CHUNK(pc) / 8; i++)
			if (w[i] != POOL_POISON)
				break;
	panic("pool_cache_get(%s): free object %p was written to after it "
	    "was freed (first bad word at offset %zu: %#lx)",
	    pc->pc_st.ps_name, pf, i * 8, w[i]);
}

/* Fill a free object with poison, all but its link (struct pool_free). */
static void
pool_poison(pool_cache_t pc, void *obj)
{
	char *p = obj;
	size_t n;

	for (size_t off = sizeof(struct pool_free); off < POOL_CHUNK(pc);
	    off += n) {
		n = MIN(POOL_CHUNK(pc) - off, PAGE_SIZE);
		pool_poison_fill(p + off, n);
	}
}

/* Carve a new slab into objects.  Called and returns with pc_lock held. */
static bool
pool_grow(pool_cache_t pc)
{
	size_t size = POOL_CHUNK(pc), n;
	paddr_t pa;
	char *slab;

	KASSERT(mutex_owned(&pc->pc_lock));
	mutex_spin_exit(&pc->pc_lock);
	pa = vm_page_alloc(pc->pc_slabpages, 0);
	mutex_spin_enter(&pc->pc_lock);
	if (pa == VM_PAGE_NONE)
		return false;
	slab = pmap_direct_va(pa);
	kasan_mark(slab, 0, ptoa(pc->pc_slabpages), KASAN_POOL_FREE);
	n = ptoa(pc->pc_slabpages) / size;
	for (size_t i = n; i-- > 0; ) {
		struct pool_free *pf = (void *)(slab + i * size);

		if (DIAGNOSTIC)
			pool_poison(pc, pf);
		pool_push(pc, pf);
	}
	pc->pc_st.ps_npages += pc->pc_slabpages;
	return true;
}

void *
pool_cache_get(pool_cache_t pc, int flags)
{
	struct pool_free *pf;
	void *obj;

	mutex_spin_enter(&pc->pc_lock);
	while ((pf = pc->pc_free) == NULL) {
		if (!pool_grow(pc)) {
			pc->pc_st.ps_nfail++;
			mutex_spin_exit(&pc->pc_lock);
			return NULL;
		}
	}
	/* Check before following the link: it may have been scribbled on. */
	if (!pool_looks_free(pc, pf))
		pool_report_scribble(pc, pf);
	pc->pc_free = pf->pf_next;
	pf->pf_check = 0;		/* no longer looks free */
	pc->pc_st.ps_nget++;
	pc->pc_st.ps_nout++;
	mutex_spin_exit(&pc->pc_lock);

	obj = pf;
#ifdef KASAN
	obj = kasan_heap_alloc((char *)pf + pc->pc_objoff - KASAN_HEADER_SIZE,
	    pc->pc_st.ps_size, pc->pc_chunk - pc->pc_objoff + KASAN_HEADER_SIZE,
	    pc->pc_st.ps_name, 1);
#endif
	if (flags & PR_ZERO)
		memset(obj, 0, pc->pc_st.ps_size);
	if (pc->pc_ctor != NULL && pc->pc_ctor(pc->pc_arg, obj, flags) != 0) {
#ifdef KASAN
		(void)kasan_heap_free(obj, 0, pc->pc_st.ps_name, 1);
#endif
		pool_release(pc, obj);	/* never constructed: no dtor */
		return NULL;
	}
	return obj;
}

#ifdef KASAN
/*
 * KASAN: a freed object (kasan_heap_free has poisoned it) joins the
 * quarantine; the oldest one leaves it when it is full, and its chunk
 * is what goes back on the free list (NULL: nothing yet).  pc_lock held.
 */
static void *
pool_quarantine(pool_cache_t pc, void *obj)
{
	struct kasan_header *kh = (struct kasan_header *)obj - 1;
	char *chunk;

	kh->kh_next = NULL;
	if (pc->pc_qtail != NULL)
		pc->pc_qtail->kh_next = kh;
	else
		pc->pc_qhead = kh;
	pc->pc_qtail = kh;
	if (++pc->pc_qlen <= KASAN_QUARANTINE)
		return NULL;
	kh = pc->pc_qhead;
	if ((pc->pc_qhead = kh->kh_next) == NULL)
		pc->pc_qtail = NULL;
	pc->pc_qlen--;
	chunk = (char *)(kh + 1) - pc->pc_objoff;
	kasan_mark(chunk, 0, pc->pc_chunk, KASAN_POOL_FREE);
	if (DIAGNOSTIC)
		pool_poison(pc, chunk);
	return chunk;
}
#endif

/* Return a raw (destructed or never constructed) object. */
static void
pool_release(pool_cache_t pc, void *obj)
{
#ifndef KASAN
	if (DIAGNOSTIC)
		pool_poison(pc, obj);
#endif
	mutex_spin_enter(&pc->pc_lock);
	KASSERT(pc->pc_st.ps_nout > 0);
#ifdef KASAN
	obj = pool_quarantine(pc, obj);
	if (obj != NULL)
#endif
	pool_push(pc, obj);
	pc->pc_st.ps_nput++;
	pc->pc_st.ps_nout--;
	mutex_spin_exit(&pc->pc_lock);
}

void
pool_cache_put(pool_cache_t pc, void *obj)
{
	KASSERT(obj != NULL);
#ifndef KASAN
	if (pool_looks_free(pc, obj))
		panic("pool_cache_put(%s): %p is already free (double free)",
		    pc->pc_st.ps_name, obj);
#endif
	if (pc->pc_dtor != NULL)
		pc->pc_dtor(pc->pc_arg, obj);
#ifdef KASAN
	/* A double or invalid free is reported here. */
	(void)kasan_heap_free(obj, 0, pc->pc_st.ps_name, 1);
#endif
	pool_release(pc, obj);
}

void
pool_cache_stats(pool_cache_t pc, struct pool_stats *st)
{
	mutex_spin_enter(&pc->pc_lock);
	*st = pc->pc_st;
	mutex_spin_exit(&pc->pc_lock);
}

void
pool_cache_print_all(void)
{
	struct pool_stats st;

	printf("%-16s %6s %10s %10s %8s %6s\n", "pool", "size", "gets",
	    "puts", "out", "pages");
	mutex_spin_enter(&pool_list_lock);
	for (pool_cache_t pc = pool_list; pc != NULL; pc = pc->pc_next) {
		pool_cache_stats(pc, &st);
		printf("%-16s %6zu %10lu %10lu %8zu %6zu\n", st.ps_name,
		    st.ps_size, st.ps_nget, st.ps_nput, st.ps_nout,
		    st.ps_npages);
	}
	mutex_spin_exit(&pool_list_lock);
}

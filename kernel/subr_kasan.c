/*
 * subr_kasan.c: the kernel address sanitizer's runtime (sys/kasan.h;
 * make SANITIZE=kernel-address; docs/sanitizers.md).
 *
 * gcc and clang (-fsanitize=kernel-address, outline checks) call
 * __asan_{load,store}{1,2,4,8,16,N}_noabort(addr[, size]) before each
 * access; this file checks the shadow and reports a bad access.  Checks
 * pass until kasan_init() has built the shadow (before that, only the
 * compiler's own stack-redzone stores touch the shadow: locore mapped an
 * early one, kasan_machdep.c), and user addresses are not checked (the
 * kernel reaches them only through copyin/copyout, in assembly).
 *
 * A report is fatal: it prints what was accessed and what is there (the
 * heap object with its allocation and free backtraces, the stack frame
 * with its variables, or the global), then panics, whose backtrace shows
 * the access.
 *
 * Compiled without the checks (the Makefile's SAN_PLAIN): it reads and
 * writes the shadow, which has no shadow of its own.
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/kasan.h>
#include <sys/ksyms.h>
#include <sys/pmap.h>
#include <sys/vm_page.h>
#include <machine/vmparam.h>

#define KASAN_GRANULE		8
#define KASAN_SHADOW(a)		((int8_t *)KASAN_SHADOW_ADDR(a))
#define KASAN_MAGIC_LIVE	0x6b617361	/* "kasa" */
#define KASAN_MAGIC_FREED	0x66726565	/* "free" */
#define KASAN_STACK_MAGIC	0x41b58ab3	/* the compilers' frame mark */
#define KASAN_KERNEL_MIN	PMAP_DIRECT_BASE	/* checked from here up */
#define KASAN_SCAN_MAX		(4UL << 20)	/* how far a report looks for
						 * the object's start */

CTASSERT(sizeof(struct kasan_header) <= KASAN_HEADER_SIZE);
CTASSERT(KASAN_HEADER_SIZE % 32 == 0);

static bool	kasan_shadow_ready;	/* (c) kasan_mark works */
static bool	kasan_on;		/* checks on (off again once reporting) */

/* ---- the shadow ---------------------------------------------------------- */

/*
 * [p, p + size) accessible, then [p + size, p + redz) poisoned with
 * code (NetBSD's kasan_mark).  p is granule-aligned; a size that is not
 * leaves a partial granule (its shadow byte: how many bytes are good).
 */
void
kasan_mark(const void *p, size_t size, size_t redz, uint8_t code)
{
	vaddr_t a = (vaddr_t)p, end = a + size, rend = a + redz;
	int8_t *s;

	if (!kasan_shadow_ready)
		return;
	KASSERTMSG(a % KASAN_GRANULE == 0 && size <= redz,
	    "kasan_mark(%p, %zu, %zu)", p, size, redz);
	for (s = KASAN_SHADOW(a); a + KASAN_GRANULE <= end; a += KASAN_GRANULE)
		*s++ = 0;
	if (a < end) {
		*s++ = (int8_t)(end - a);
		a += KASAN_GRANULE;
	}
	for (; a < rend; a += KASAN_GRANULE)
		*s++ = (int8_t)code;
}

void
kasan_shadow_map(vaddr_t va, size_t len)
{
	kasan_md_shadow_map((vaddr_t)KASAN_SHADOW(va),
	    (vaddr_t)KASAN_SHADOW(va + len + KASAN_GRANULE - 1) + 1);
}

void
kasan_pages_alloc(paddr_t pa, size_t npages)
{
	kasan_mark(pmap_direct_va(pa), ptoa(npages), ptoa(npages), 0);
}

void
kasan_pages_free(paddr_t pa, size_t npages)
{
	kasan_mark(pmap_direct_va(pa), 0, ptoa(npages), KASAN_PAGE_FREE);
}

void
kasan_kstack_alloc(vaddr_t base)
{
	kasan_mark((void *)base, KSTACK_SIZE, KSTACK_SIZE, 0);
}

void
kasan_kstack_free(vaddr_t base)
{
	kasan_mark((void *)base, 0, KSTACK_SIZE, KASAN_KSTACK_FREE);
}

/* ---- globals --------------------------------------------------------------- */

/* What the compilers describe each global with. */
struct kasan_global_loc {
	const char	*file;
	int		line;
	int		column;
};
struct kasan_global {
	vaddr_t		beg;
	size_t		size;
	size_t		size_with_redzone;
	const char	*name;
	const char	*module;
	unsigned long	has_dynamic_init;
	struct kasan_global_loc *loc;
	unsigned long	odr_indicator;
};

#define KASAN_GLOBAL_SETS	256
static struct {
	struct kasan_global *g;
	size_t		n;
} kasan_globals[KASAN_GLOBAL_SETS];	/* (c) after kasan_init */
static int kasan_nglobals;

void	__asan_register_globals(struct kasan_global *, size_t);
void	__asan_unregister_globals(struct kasan_global *, size_t);

/* A constructor per compiled file calls this with its globals. */
void
__asan_register_globals(struct kasan_global *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kasan_mark((void *)g[i].beg, g[i].size, g[i].size_with_redzone,
		    KASAN_GLOBAL_RZ);
	if (kasan_nglobals < KASAN_GLOBAL_SETS) {
		kasan_globals[kasan_nglobals].g = g;
		kasan_globals[kasan_nglobals++].n = n;
	}
}

void
__asan_unregister_globals(struct kasan_global *g, size_t n)
{
}

/* ---- start-up ---------------------------------------------------------- */

extern void (*__init_array_start[])(void), (*__init_array_end[])(void);

/* Poison a run of free pages (vm_page_foreach_free's callback). */
static void
kasan_poison_free_run(paddr_t pa, size_t npages)
{
	kasan_pages_free(pa, npages);
}

/*
 * After pmap_bootstrap: the shadow of the kernel image, of physical
 * memory in the direct map and of the kernel VA in use (kasan_md_init),
 * free pages poisoned, the globals' redzones (the constructors the
 * compiler emits call __asan_register_globals), and the checks on.
 */
void
kasan_init(void)
{
	kasan_md_init();
	kasan_shadow_ready = true;
	vm_page_foreach_free(kasan_poison_free_run);
	for (void (**f)(void) = __init_array_start; f < __init_array_end; f++)
		(*f)();
	kasan_on = true;
}

/* ---- heap objects (pool_cache, kmem) ------------------------------------ */

static void kasan_report_free(const char *, const void *, size_t,
    const char *, vaddr_t) __dead;

/*
 * An object of `size` bytes in a chunk of `chunk` bytes: a header first
 * (KASAN_HEADER_SIZE), the object, a redzone to the end.  Records who
 * allocates (skipping `skip` frames of the allocator) and returns the
 * object.
 */
void *
kasan_heap_alloc(void *chunkp, size_t size, size_t chunk, const char *what,
    int skip)
{
	struct kasan_header *kh = chunkp;
	char *obj = (char *)chunkp + KASAN_HEADER_SIZE;

	kasan_mark(kh, 0, KASAN_HEADER_SIZE, KASAN_HEAP_HDR);
	kasan_mark(obj, size, chunk - KASAN_HEADER_SIZE, KASAN_HEAP_RZ);
	kh = (struct kasan_header *)obj - 1;
	*kh = (struct kasan_header){ .kh_magic = KASAN_MAGIC_LIVE,
	    .kh_size = (uint32_t)size, .kh_what = what };
	kasan_md_trace(kh->kh_alloc, KASAN_TRACE, skip + 1);
	return obj;
}

/* kmem: the caller asked for less than the pool object's size. */
void
kasan_heap_resize(void *obj, size_t size)
{
	struct kasan_header *kh = (struct kasan_header *)obj - 1;

	kasan_mark(obj, size, roundup2(kh->kh_size, KASAN_GRANULE),
	    KASAN_HEAP_RZ);
	kh->kh_size = (uint32_t)size;
}


/*
 * Is obj a live heap object (of `size` bytes, unless size is 0)?  A
 * report if not: a double free, or an invalid one.
 */
void
kasan_heap_check(void *obj, size_t size, const char *what)
{
	struct kasan_header *kh = (struct kasan_header *)obj - 1;
	vaddr_t pc = (vaddr_t)__builtin_return_address(0);

	if ((vaddr_t)obj % KASAN_GRANULE != 0 ||
	    *KASAN_SHADOW(kh) != (int8_t)KASAN_HEAP_HDR)
		kasan_report_free("invalid-free", obj, size, what, pc);
	if (kh->kh_magic == KASAN_MAGIC_FREED ||
	    *KASAN_SHADOW(obj) == (int8_t)KASAN_HEAP_FREED)
		kasan_report_free("double-free", obj, size, what, pc);
	if (kh->kh_magic != KASAN_MAGIC_LIVE || (size != 0 &&
	    size != kh->kh_size))
		kasan_report_free("invalid-free", obj, size, what, pc);
}

/*
 * Free an object (checked as above): record who frees it (skipping
 * `skip` frames of the allocator) and poison it.  Returns its header;
 * the caller's quarantine holds the object.
 */
struct kasan_header *
kasan_heap_free(void *obj, size_t size, const char *what, int skip)
{
	struct kasan_header *kh = (struct kasan_header *)obj - 1;

	kasan_heap_check(obj, size, what);
	kh->kh_magic = KASAN_MAGIC_FREED;
	kasan_md_trace(kh->kh_free, KASAN_TRACE, skip + 1);
	kasan_mark(obj, 0, roundup2(kh->kh_size, KASAN_GRANULE),
	    KASAN_HEAP_FREED);
	return kh;
}

/* ---- reports --------------------------------------------------------------- */

static const char *
kasan_code_name(int8_t code)
{
	switch ((uint8_t)code) {
	case KASAN_PAGE_FREE:	return "use of a free page";
	case KASAN_KSTACK_FREE:	return "use of a freed kernel stack";
	case KASAN_HEAP_FREED:	return "use-after-free";
	case KASAN_POOL_FREE:	return "use of free pool memory";
	case KASAN_HEAP_RZ:
	case KASAN_HEAP_HDR:	return "heap-buffer-overflow";
	case KASAN_GLOBAL_RZ:	return "global-buffer-overflow";
	case KASAN_STACK_SCOPE:	return "stack-use-after-scope";
	case KASAN_STACK_LEFT:
	case KASAN_STACK_MID:
	case KASAN_STACK_RIGHT:	return "stack-buffer-overflow";
	case KASAN_ALLOCA_LEFT:
	case KASAN_ALLOCA_RIGHT: return "dynamic-stack-buffer-overflow";
	default:		return "wild access";
	}
}

static void
kasan_print_trace(const char *what, const vaddr_t *pcs)
{
	char name[64];

	printf("kasan: %s:\n", what);
	for (int i = 0; i < KASAN_TRACE && pcs[i] != 0; i++) {
		ksyms_format(pcs[i] - 1, name, sizeof(name));
		printf("  #%-2d %#018lx in %s\n", i, pcs[i], name);
	}
}

/* The first bad byte of [a, a + size), or 0 if all are good. */
static vaddr_t
kasan_first_bad(vaddr_t a, size_t size)
{
	for (vaddr_t p = a; p < a + size; p++) {
		int8_t s = *KASAN_SHADOW(p);

		if (s != 0 && (s < 0 || (int8_t)(p % KASAN_GRANULE) >= s))
			return p;
	}
	return 0;
}

/* Can the report read p's shadow byte?  (A scan may walk off the end
 * of the shadow that is mapped.) */
static bool
kasan_shadow_readable(vaddr_t p)
{
	return pmap_extract(trunc_page((vaddr_t)KASAN_SHADOW(p)), NULL);
}

/* The shadow byte at p, or KASAN_PAGE_FREE where there is no shadow. */
static int8_t
kasan_shadow_byte(vaddr_t p)
{
	vaddr_t s = (vaddr_t)KASAN_SHADOW(p);

	if ((s % PAGE_SIZE == 0 || s % PAGE_SIZE == PAGE_SIZE - 1) &&
	    !kasan_shadow_readable(p))
		return (int8_t)KASAN_PAGE_FREE;
	return *(int8_t *)s;
}

/*
 * The heap object an address is in or near, from the shadow: a header's
 * run of KASAN_HEAP_HDR granules ends where its object starts.  Left of
 * a header (or in it) looks right; anywhere else looks left.
 */
static struct kasan_header *
kasan_find_object(vaddr_t a)
{
	vaddr_t p = rounddown2(a, KASAN_GRANULE), lim;
	struct kasan_header *kh;

	if (kasan_shadow_byte(p) == (int8_t)KASAN_HEAP_HDR) {
		while (kasan_shadow_byte(p) == (int8_t)KASAN_HEAP_HDR)
			p += KASAN_GRANULE;
	} else {
		lim = p > KASAN_SCAN_MAX ? p - KASAN_SCAN_MAX : 0;
		while (p > lim && kasan_shadow_byte(p) != (int8_t)KASAN_HEAP_HDR) {
			int8_t s = kasan_shadow_byte(p);

			if (s < 0 && s != (int8_t)KASAN_HEAP_RZ &&
			    s != (int8_t)KASAN_HEAP_FREED)
				return NULL;	/* not in a heap object */
			p -= KASAN_GRANULE;
		}
		if (p == lim)
			return NULL;
		p += KASAN_GRANULE;
	}
	kh = (struct kasan_header *)p - 1;
	return kh->kh_magic == KASAN_MAGIC_LIVE ||
	    kh->kh_magic == KASAN_MAGIC_FREED ? kh : NULL;
}

static void
kasan_describe_heap(vaddr_t a)
{
	struct kasan_header *kh = kasan_find_object(a);
	vaddr_t obj;

	if (kh == NULL)
		return;
	obj = (vaddr_t)(kh + 1);
	if (a < obj)
		printf("kasan: %lu bytes before", obj - a);
	else if (a < obj + kh->kh_size)
		printf("kasan: %lu bytes into", a - obj);
	else
		printf("kasan: %lu bytes past the end of", a - obj - kh->kh_size);
	printf(" a %u-byte object at %#lx (%s)%s\n", kh->kh_size, obj,
	    kh->kh_what, kh->kh_magic == KASAN_MAGIC_FREED ? ", freed" : "");
	kasan_print_trace("allocated by", kh->kh_alloc);
	if (kh->kh_magic == KASAN_MAGIC_FREED)
		kasan_print_trace("freed by", kh->kh_free);
}

/*
 * A stack frame the compiler laid out: its left redzone starts with a
 * magic word, the frame's description ("N OFFSET SIZE NAMELEN NAME[:LINE]
 * ..." for its N variables) and the function's address.
 */
static void
kasan_describe_stack(vaddr_t a)
{
	vaddr_t p = rounddown2(a, KASAN_GRANULE), lim = p - KSTACK_SIZE;
	const vaddr_t *frame;
	char name[64];

	while (p > lim && kasan_shadow_byte(p) != (int8_t)KASAN_STACK_LEFT)
		p -= KASAN_GRANULE;
	while (p > lim && kasan_shadow_byte(p - KASAN_GRANULE) ==
	    (int8_t)KASAN_STACK_LEFT)
		p -= KASAN_GRANULE;
	frame = (const vaddr_t *)p;
	if (p <= lim || frame[0] != KASAN_STACK_MAGIC)
		return;
	ksyms_format(frame[2], name, sizeof(name));
	printf("kasan: %lu bytes into the frame of %s, whose variables are "
	    "(offset size length name): %s\n", a - p, name,
	    (const char *)frame[1]);
}

static void
kasan_describe_global(vaddr_t a)
{
	for (int i = 0; i < kasan_nglobals; i++)
		for (size_t j = 0; j < kasan_globals[i].n; j++) {
			const struct kasan_global *g = &kasan_globals[i].g[j];

			if (a < g->beg || a >= g->beg + g->size_with_redzone)
				continue;
			printf("kasan: %lu bytes past the end of global '%s' "
			    "(%zu bytes)", a - g->beg - g->size, g->name,
			    g->size);
			if (g->loc != NULL)
				printf(", defined at %s:%d", g->loc->file,
				    g->loc->line);
			printf("\n");
			return;
		}
}

static void __dead
kasan_report(vaddr_t addr, size_t size, bool write, vaddr_t pc)
{
	vaddr_t bad = kasan_first_bad(addr, size);
	int8_t code;
	const char *kind;
	char where[64];

	kasan_on = false;		/* no checks in the report itself */
	if (bad == 0)
		bad = addr;
	code = *KASAN_SHADOW(bad);
	/* A partial granule: the bytes past its good ones belong to
	 * whatever comes next (a heap, stack or global redzone). */
	if (code > 0)
		code = *KASAN_SHADOW(bad + KASAN_GRANULE);
	kind = kasan_code_name(code);
	ksyms_format(pc - 1, where, sizeof(where));
	printf("kasan: %s: %s of size %zu at %#lx by %s (first bad byte "
	    "%#lx, shadow %02x)\n", kind, write ? "write" : "read", size,
	    addr, where, bad, (uint8_t)*KASAN_SHADOW(bad));
	switch ((uint8_t)code) {
	case KASAN_HEAP_RZ:
	case KASAN_HEAP_HDR:
	case KASAN_HEAP_FREED:
		kasan_describe_heap(bad);
		break;
	case KASAN_STACK_LEFT:
	case KASAN_STACK_MID:
	case KASAN_STACK_RIGHT:
	case KASAN_STACK_SCOPE:
		kasan_describe_stack(bad);
		break;
	case KASAN_GLOBAL_RZ:
		kasan_describe_global(bad);
		break;
	}
	panic("kasan: %s: %s of size %zu at %#lx", kind,
	    write ? "write" : "read", size, addr);
}

static void __dead
kasan_report_free(const char *kind, const void *obj, size_t size,
    const char *what, vaddr_t pc)
{
	char where[64];

	kasan_on = false;
	ksyms_format(pc - 1, where, sizeof(where));
	printf("kasan: %s: %p (%s, size %zu) freed by %s\n", kind, obj, what,
	    size, where);
	kasan_describe_heap((vaddr_t)obj);
	panic("kasan: %s of %p (%s)", kind, obj, what);
}

/* ---- the checks ---------------------------------------------------------- */

static inline bool
kasan_byte_ok(vaddr_t a)
{
	int8_t s = *KASAN_SHADOW(a);

	return s == 0 || (s > 0 && (int8_t)(a % KASAN_GRANULE) < s);
}

static inline void
kasan_check(vaddr_t a, size_t size, bool write, vaddr_t pc)
{
	if (__predict_false(!kasan_on) || a < KASAN_KERNEL_MIN || size == 0)
		return;
	if (size <= KASAN_GRANULE) {
		/* Both ends: a short access spans at most two granules, and
		 * a partial granule is followed by a redzone. */
		if (__predict_true(kasan_byte_ok(a) &&
		    kasan_byte_ok(a + size - 1)))
			return;
	} else if (kasan_first_bad(a, size) == 0)
		return;
	kasan_report(a, size, write, pc);
}

#define KASAN_CHECKS(n)							\
	void __asan_load##n##_noabort(vaddr_t);				\
	void __asan_store##n##_noabort(vaddr_t);			\
	void __asan_load##n(vaddr_t);					\
	void __asan_store##n(vaddr_t);					\
	void __asan_report_load##n##_noabort(vaddr_t);			\
	void __asan_report_store##n##_noabort(vaddr_t);			\
	void __asan_load##n##_noabort(vaddr_t a)			\
	{ kasan_check(a, n, false, (vaddr_t)__builtin_return_address(0)); } \
	void __asan_store##n##_noabort(vaddr_t a)			\
	{ kasan_check(a, n, true, (vaddr_t)__builtin_return_address(0)); } \
	void __asan_load##n(vaddr_t a)					\
	{ kasan_check(a, n, false, (vaddr_t)__builtin_return_address(0)); } \
	void __asan_store##n(vaddr_t a)					\
	{ kasan_check(a, n, true, (vaddr_t)__builtin_return_address(0)); } \
	void __asan_report_load##n##_noabort(vaddr_t a)			\
	{ kasan_report(a, n, false, (vaddr_t)__builtin_return_address(0)); } \
	void __asan_report_store##n##_noabort(vaddr_t a)		\
	{ kasan_report(a, n, true, (vaddr_t)__builtin_return_address(0)); }

KASAN_CHECKS(1)
KASAN_CHECKS(2)
KASAN_CHECKS(4)
KASAN_CHECKS(8)
KASAN_CHECKS(16)

/* Accesses of a size known only at run time. */
#define KASAN_CHECK_N(name, fn, write)					\
	void name(vaddr_t, size_t);					\
	void name(vaddr_t a, size_t n)					\
	{ fn(a, n, write, (vaddr_t)__builtin_return_address(0)); }

KASAN_CHECK_N(__asan_loadN_noabort, kasan_check, false)
KASAN_CHECK_N(__asan_storeN_noabort, kasan_check, true)
KASAN_CHECK_N(__asan_loadN, kasan_check, false)
KASAN_CHECK_N(__asan_storeN, kasan_check, true)
KASAN_CHECK_N(__asan_report_load_n_noabort, kasan_report, false)
KASAN_CHECK_N(__asan_report_store_n_noabort, kasan_report, true)

/* clang turns struct copies and the like into these. */
void	*__asan_memcpy(void *, const void *, size_t);
void	*__asan_memmove(void *, const void *, size_t);
void	*__asan_memset(void *, int, size_t);

void *
__asan_memcpy(void *d, const void *s, size_t n)
{
	kasan_check((vaddr_t)s, n, false, (vaddr_t)__builtin_return_address(0));
	kasan_check((vaddr_t)d, n, true, (vaddr_t)__builtin_return_address(0));
	return memcpy(d, s, n);
}

void *
__asan_memmove(void *d, const void *s, size_t n)
{
	kasan_check((vaddr_t)s, n, false, (vaddr_t)__builtin_return_address(0));
	kasan_check((vaddr_t)d, n, true, (vaddr_t)__builtin_return_address(0));
	return memmove(d, s, n);
}

void *
__asan_memset(void *d, int c, size_t n)
{
	kasan_check((vaddr_t)d, n, true, (vaddr_t)__builtin_return_address(0));
	return memset(d, c, n);
}

/* ---- stack instrumentation ------------------------------------------------ */

void	__asan_handle_no_return(void);
void	__asan_alloca_poison(vaddr_t, size_t);
void	__asan_allocas_unpoison(vaddr_t, vaddr_t);
void	__asan_poison_stack_memory(vaddr_t, size_t);
void	__asan_unpoison_stack_memory(vaddr_t, size_t);

/*
 * Before a call that does not return.  Frames it abandons keep their
 * redzones in the shadow; kernel stacks are marked accessible again
 * when they are next allocated (kasan_kstack_alloc), which is all the
 * kernel needs (it has no longjmp).
 */
void
__asan_handle_no_return(void)
{
}

/* A variable-length array or alloca(): redzones either side of it. */
void
__asan_alloca_poison(vaddr_t a, size_t size)
{
	vaddr_t left = a - 32, end = roundup2(a + size, 32);

	kasan_mark((void *)left, 0, 32, KASAN_ALLOCA_LEFT);
	kasan_mark((void *)a, size, end - a, KASAN_ALLOCA_RIGHT);
	kasan_mark((void *)end, 0, 32, KASAN_ALLOCA_RIGHT);
}

void
__asan_allocas_unpoison(vaddr_t top, vaddr_t bottom)
{
	if (top < bottom)
		kasan_mark((void *)top, bottom - top, bottom - top, 0);
}

void
__asan_poison_stack_memory(vaddr_t a, size_t size)
{
	kasan_mark((void *)a, 0, roundup2(size, KASAN_GRANULE),
	    KASAN_STACK_SCOPE);
}

void
__asan_unpoison_stack_memory(vaddr_t a, size_t size)
{
	kasan_mark((void *)a, size, roundup2(size, KASAN_GRANULE), 0);
}

/* clang's stack instrumentation sets runs of shadow bytes with these. */
#define KASAN_SET_SHADOW(v)						\
	void __asan_set_shadow_##v(vaddr_t, size_t);			\
	void __asan_set_shadow_##v(vaddr_t s, size_t n)			\
	{								\
		for (size_t i = 0; i < n; i++)				\
			((volatile uint8_t *)s)[i] = 0x##v;		\
	}
KASAN_SET_SHADOW(00)
KASAN_SET_SHADOW(f1)
KASAN_SET_SHADOW(f2)
KASAN_SET_SHADOW(f3)
KASAN_SET_SHADOW(f5)
KASAN_SET_SHADOW(f8)

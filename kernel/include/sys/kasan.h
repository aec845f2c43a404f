/*
 * sys/kasan.h: the kernel address sanitizer (make SANITIZE=kernel-address;
 * docs/sanitizers.md has the design and the shadow's place in memory).
 *
 * Every byte of kernel memory has a state in the shadow, one shadow byte
 * per 8-byte granule at KASAN_SHADOW(addr) = (addr >> 3) + offset: 0 all
 * 8 bytes accessible, 1..7 only the first N, negative none, the value
 * saying why (the KASAN_* codes below, and the compilers' stack and
 * global codes).  The compiler checks each load and store against it
 * (__asan_loadN/__asan_storeN, kernel/subr_kasan.c) and lays out stack
 * frames and globals with poisoned redzones; the allocators say what is
 * allocated:
 *
 *   vm_page     free pages poisoned (KASAN_PAGE_FREE), from kasan_init
 *   pool_cache  objects between a header (KASAN_HEAP_HDR: who allocated
 *               and who freed it) and a redzone (KASAN_HEAP_RZ); memory
 *               never handed out is KASAN_POOL_FREE; a freed object
 *               waits in its pool's quarantine (KASAN_HEAP_FREED) before
 *               it can be reused, so a use after free is caught
 *   kmem        the same (small sizes are pool objects, the tail past
 *               the size asked for is redzone), large ones a header page
 *               and a redzone after the object
 *   kstacks     accessible while an LWP has them, KASAN_KSTACK_FREE not
 *
 * A bad access panics with a report: the access (address, size, read or
 * write, where), what is there, the object's allocation and free
 * backtraces.  Without KASAN the hooks are empty macros.
 */
#ifndef _SYS_KASAN_H_
#define _SYS_KASAN_H_

#include <sys/types.h>

/* Shadow codes (negative as int8_t; NetBSD's and the compilers' values). */
#define KASAN_PAGE_FREE		0xFF	/* a free page (vm_page) */
#define KASAN_KSTACK_FREE	0xFE	/* a kernel stack nobody has */
#define KASAN_HEAP_FREED	0xFD	/* a freed heap object (quarantine) */
#define KASAN_POOL_FREE		0xFC	/* pool memory not handed out */
#define KASAN_HEAP_RZ		0xFB	/* after a heap object */
#define KASAN_HEAP_HDR		0xFA	/* before one: its header */
#define KASAN_GLOBAL_RZ		0xF9	/* after a global */
#define KASAN_STACK_SCOPE	0xF8	/* a local out of its scope */
#define KASAN_STACK_LEFT	0xF1	/* stack frame redzones */
#define KASAN_STACK_MID		0xF2
#define KASAN_STACK_RIGHT	0xF3
#define KASAN_ALLOCA_LEFT	0xCA
#define KASAN_ALLOCA_RIGHT	0xCB

#define KASAN_TRACE		4	/* frames kept per allocation, free */

/*
 * The header before each heap object: its size, owner and backtraces.
 * KASAN_HEADER_SIZE is what a pool puts before each object (a multiple
 * of any alignment up to 32).
 */
struct kasan_header {
	uint32_t	kh_magic;	/* KASAN_MAGIC_LIVE or _FREED */
	uint32_t	kh_size;	/* bytes the caller asked for */
	const char	*kh_what;	/* the pool's name */
	struct kasan_header *kh_next;	/* its pool's quarantine */
	void		*kh_unused;
	vaddr_t		kh_alloc[KASAN_TRACE];	/* who allocated it */
	vaddr_t		kh_free[KASAN_TRACE];	/* ... and freed it */
};
#define KASAN_HEADER_SIZE	96
#define KASAN_REDZONE_MIN	16	/* at least this much after an object */
#define KASAN_QUARANTINE	16	/* freed objects a pool holds back */

#ifdef KASAN
/* The shadow byte of an address (KASAN_SHADOW_OFFSET: the Makefile's). */
#define KASAN_SHADOW_ADDR(a)	((((vaddr_t)(a)) >> 3) + KASAN_SHADOW_OFFSET)

void	kasan_init(void);
void	kasan_mark(const void *, size_t, size_t, uint8_t);
void	kasan_shadow_map(vaddr_t, size_t);
void	kasan_pages_alloc(paddr_t, size_t);
void	kasan_pages_free(paddr_t, size_t);
void	kasan_kstack_alloc(vaddr_t);
void	kasan_kstack_free(vaddr_t);
void	*kasan_heap_alloc(void *, size_t, size_t, const char *, int);
void	kasan_heap_resize(void *, size_t);
void	kasan_heap_check(void *, size_t, const char *);
struct kasan_header *kasan_heap_free(void *, size_t, const char *, int);

/* MD (arch/x86_64/kasan_machdep.c). */
void	kasan_md_init(void);
void	kasan_md_shadow_map(vaddr_t, vaddr_t);
void	kasan_md_early_init(void);
int	kasan_md_trace(vaddr_t *, int, int);
#else
#define kasan_mark(p, size, redz, code)	((void)0)
#define kasan_pages_alloc(pa, n)	((void)0)
#define kasan_pages_free(pa, n)		((void)0)
#define kasan_kstack_alloc(base)	((void)0)
#define kasan_kstack_free(base)		((void)0)
#define kasan_shadow_map(va, len)	((void)0)
#endif

#endif /* !_SYS_KASAN_H_ */

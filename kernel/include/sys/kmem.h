/*
 * sys/kmem.h: general kernel memory allocation (NetBSD's kmem(9)).
 *
 * kmem_alloc(size, flags) returns at least `size` bytes, aligned to the
 * smaller of 16 and the size's power of two; kmem_free(p, size) must be
 * given the same size.  Small sizes come from power-of-two pool caches
 * (kmem-16 .. kmem-2048); larger ones are whole pages.
 *
 * KM_NOSLEEP may return NULL.  KM_SLEEP should wait for memory to be
 * freed; nothing frees memory under pressure yet (no pagedaemon), so it
 * too returns NULL when memory is exhausted (callers check).
 */
#ifndef _SYS_KMEM_H_
#define _SYS_KMEM_H_

#include <sys/types.h>

#define KM_SLEEP	0x01
#define KM_NOSLEEP	0x02

struct kmem_stats {
	size_t		ks_inuse;	/* bytes handed out, as requested */
	uint64_t	ks_nalloc;
	uint64_t	ks_nfree;
	uint64_t	ks_nfail;
	size_t		ks_large_pages;	/* pages held by large allocations */
};

void	kmem_init(void);
void	*kmem_alloc(size_t, int);
void	*kmem_zalloc(size_t, int);
void	kmem_free(void *, size_t);
char	*kmem_strdup(const char *, int);
void	kmem_stats(struct kmem_stats *);

#endif /* !_SYS_KMEM_H_ */

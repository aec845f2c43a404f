/*
 * sys/pool.h: object caches (NetBSD's pool_cache(9) interface).
 *
 * A pool cache hands out fixed-size objects carved from whole pages.
 * Objects returned by pool_cache_get() have been through the
 * constructor; pool_cache_put() runs the destructor.  (NetBSD keeps put
 * objects constructed to save the constructor's work; this kernel runs
 * the pair each time, which is simpler and gives callers the same
 * guarantee: a got object is in its constructed state.)
 *
 * Pages, once taken, stay with the pool: ps_npages only grows, even
 * across pool_cache_destroy.  So pool memory is type-stable: an address
 * that once held one of a pool's objects holds one of its objects, in
 * use or free, for ever, and reading it after the object was freed
 * reads that (or the free-object poison below), never anything else.
 * The adaptive mutex's spin relies on this for LWPs (lwp_cache,
 * kern_lwp.c; kern_mutex.c), so a pool that gives pages back must leave
 * lwp_cache out, or first wait for every such reader (NetBSD's
 * PR_PSERIALIZE pools do the latter).  Leak checks compare objects
 * outstanding (ps_nout), not pages.
 *
 * A free object holds its free-list link and a check word derived from
 * it, so get notices a write to a freed object's first words before it
 * follows the link, and put notices an object that is already free
 * (double free); under DIAGNOSTIC the rest of a free object is poisoned
 * and checked too.  Either way the kernel panics naming the pool.
 */
#ifndef _SYS_POOL_H_
#define _SYS_POOL_H_

#include <sys/types.h>

typedef struct pool_cache *pool_cache_t;
struct pool_allocator;

/* pool_cache_get() flags (NetBSD's) */
#define PR_WAITOK	0x01	/* may sleep (once sleeping exists) */
#define PR_NOWAIT	0x02	/* never sleeps; may return NULL */
#define PR_ZERO		0x100	/* zero the object */

struct pool_stats {
	const char	*ps_name;
	size_t		ps_size;	/* object size, after alignment */
	uint64_t	ps_nget;	/* successful gets */
	uint64_t	ps_nput;
	uint64_t	ps_nfail;	/* gets that found no memory */
	size_t		ps_nout;	/* objects handed out now */
	size_t		ps_npages;	/* pages owned */
};

pool_cache_t pool_cache_init(size_t size, u_int align, u_int align_offset,
	    int flags, const char *wchan, struct pool_allocator *palloc,
	    int ipl, int (*ctor)(void *, void *, int),
	    void (*dtor)(void *, void *), void *arg);
void	pool_cache_destroy(pool_cache_t);
void	*pool_cache_get(pool_cache_t, int);
void	pool_cache_put(pool_cache_t, void *);
void	pool_cache_stats(pool_cache_t, struct pool_stats *);
void	pool_cache_print_all(void);

#endif /* !_SYS_POOL_H_ */

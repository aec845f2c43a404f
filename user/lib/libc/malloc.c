/*
 * malloc.c: a boundary-tag allocator on sbrk.
 *
 * The heap is a run of blocks, each with a 16-byte header: its size
 * (header included, a multiple of 16, so payloads are 16-aligned) with
 * bit 0 saying "in use", and the size of the block before it.  The
 * latter lets free() find its left neighbour; a block that starts a
 * region has 0 there.  A region ends with a "fence": a header of size
 * 0 marked in use, so nothing merges past it.
 *
 * free() merges a block with free neighbours, so two free blocks are
 * never adjacent and freed memory serves requests of any size: many
 * malloc/free cycles do not make the heap grow.  Free blocks hang on
 * bins by size (bin i: sizes 2^(i+5) up to 2^(i+6) - 1; the links live
 * in the payload); malloc takes the first fit from the smallest bin
 * that can have one and splits off what it does not need.
 *
 * The heap grows by at least GROWMIN at a time.  When the new memory
 * follows the old region (nobody else moved the break), the old fence
 * becomes the new block's header and the regions join.  Memory is
 * never handed back to the kernel.
 *
 * Thread-safe: one lock (libc's, lock.c) around each call; the static
 * functions below expect it held.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "local.h"

struct block {
	size_t		prevsize;	/* size of the block before; 0: none */
	size_t		head;		/* size | INUSE */
	struct block	*next;		/* bin list: only while free */
	struct block	*prev;
};

#define HDR		(2 * sizeof(size_t))
#define INUSE		((size_t)1)
#define MINBLOCK	sizeof(struct block)
#define GROWMIN		((size_t)64 << 10)
#define NBINS		48
#define MAXREQ		(SIZE_MAX / 4)	/* larger requests fail */

#define SIZE(b)		((b)->head & ~INUSE)
#define NEXT(b)		((struct block *)((char *)(b) + SIZE(b)))
#define PAYLOAD(b)	((void *)((char *)(b) + HDR))
#define BLOCK(p)	((struct block *)((char *)(p) - HDR))

static struct __libc_lock lock = __LIBC_LOCK_INITIALIZER;
static struct block	*bins[NBINS];
static char		*heap_end;	/* just past the last region's fence */

static int
binof(size_t size)
{
	int i = 63 - __builtin_clzl(size) - 5;

	return i < NBINS ? i : NBINS - 1;
}

static void
bin_insert(struct block *b)
{
	struct block **head = &bins[binof(SIZE(b))];

	b->prev = NULL;
	b->next = *head;
	if (*head != NULL)
		(*head)->prev = b;
	*head = b;
}

static void
bin_remove(struct block *b)
{
	if (b->prev != NULL)
		b->prev->next = b->next;
	else
		bins[binof(SIZE(b))] = b->next;
	if (b->next != NULL)
		b->next->prev = b->prev;
}

/* A pointer free/realloc cannot have handed out: stop here. */
static __dead void
botch(const char *what)
{
	static const char msg[] = ": pointer not from malloc, or freed twice\n";

	(void)__sys_write(STDERR_FILENO, what, strlen(what));
	(void)__sys_write(STDERR_FILENO, msg, sizeof(msg) - 1);
	abort();
}

/* Header size of a request of n bytes (n <= MAXREQ). */
static size_t
blocksize(size_t n)
{
	size_t size = (n + HDR + 15) & ~(size_t)15;

	return size < MINBLOCK ? MINBLOCK : size;
}

/* Set b's size, keeping its INUSE bit, and tell the block after. */
static void
setsize(struct block *b, size_t size)
{
	b->head = size | (b->head & INUSE);
	NEXT(b)->prevsize = size;
}

static void
free_locked(void *p)
{
	struct block *b, *n, *prev;
	size_t size;

	b = BLOCK(p);
	if ((b->head & INUSE) == 0 || SIZE(b) < MINBLOCK)
		botch("free");
	b->head &= ~INUSE;
	size = SIZE(b);
	n = NEXT(b);
	if ((n->head & INUSE) == 0) {		/* merge with the right */
		bin_remove(n);
		size += SIZE(n);
	}
	if (b->prevsize != 0) {			/* and with the left */
		prev = (struct block *)((char *)b - b->prevsize);
		if ((prev->head & INUSE) == 0) {
			bin_remove(prev);
			size += SIZE(prev);
			b = prev;
		}
	}
	setsize(b, size);
	bin_insert(b);
}

void
free(void *p)
{
	if (p == NULL)
		return;
	__libc_lock(&lock);
	free_locked(p);
	__libc_unlock(&lock);
}

/* Give the tail of in-use block b beyond `size` back as a free block. */
static void
trim(struct block *b, size_t size)
{
	size_t rest = SIZE(b) - size;
	struct block *r;

	if (rest < MINBLOCK)
		return;
	setsize(b, size);
	r = NEXT(b);
	r->head = INUSE;
	setsize(r, rest);
	free_locked(PAYLOAD(r));
}

/* Get at least `size` more bytes of heap from the kernel, as free. */
static int
grow(size_t size)
{
	char *brk0 = sbrk(0), *p;
	size_t pad;
	struct block *b, *fence;

	if (brk0 == (char *)-1)
		return -1;
	if (size < GROWMIN)
		size = GROWMIN;
	if (brk0 == heap_end) {
		/* Contiguous: the old fence becomes the new block. */
		if ((p = sbrk(size)) == (char *)-1)
			return -1;
		b = (struct block *)(p - HDR);
	} else {
		/* A new region, 16-aligned, with a fence at its end. */
		pad = -(uintptr_t)brk0 & 15;
		if ((p = sbrk(pad + size + HDR)) == (char *)-1)
			return -1;
		b = (struct block *)(p + pad);
		b->prevsize = 0;
	}
	b->head = size | INUSE;
	fence = NEXT(b);
	fence->head = INUSE;		/* size 0: the end */
	fence->prevsize = size;
	heap_end = (char *)fence + HDR;
	free_locked(PAYLOAD(b));
	return 0;
}

/* The first free block of at least `size` bytes, off its bin. */
static struct block *
find(size_t size)
{
	struct block *b;

	for (int i = binof(size); i < NBINS; i++)
		for (b = bins[i]; b != NULL; b = b->next)
			if (SIZE(b) >= size) {
				bin_remove(b);
				return b;
			}
	return NULL;
}

static void *
malloc_locked(size_t n)
{
	struct block *b;
	size_t size;

	if (n > MAXREQ) {
		errno = ENOMEM;
		return NULL;
	}
	size = blocksize(n);
	if ((b = find(size)) == NULL) {
		if (grow(size) == -1)
			return NULL;		/* errno: ENOMEM from sbrk */
		b = find(size);
	}
	b->head |= INUSE;
	trim(b, size);
	return PAYLOAD(b);
}

void *
malloc(size_t n)
{
	void *p;

	__libc_lock(&lock);
	p = malloc_locked(n);
	__libc_unlock(&lock);
	return p;
}

void *
calloc(size_t n, size_t m)
{
	void *p;

	if (m != 0 && n > MAXREQ / m) {
		errno = ENOMEM;
		return NULL;
	}
	if ((p = malloc(n * m)) != NULL)
		memset(p, 0, n * m);
	return p;
}

/* In place when it shrinks or the next block is free; else move. */
static void *
realloc_locked(void *p, size_t n)
{
	struct block *b, *next;
	size_t size;
	void *q;

	b = BLOCK(p);
	if ((b->head & INUSE) == 0 || SIZE(b) < MINBLOCK)
		botch("realloc");
	if (n > MAXREQ) {
		errno = ENOMEM;
		return NULL;
	}
	size = blocksize(n);
	next = NEXT(b);
	if (SIZE(b) < size && (next->head & INUSE) == 0 &&
	    SIZE(b) + SIZE(next) >= size) {
		bin_remove(next);
		setsize(b, SIZE(b) + SIZE(next));
	}
	if (SIZE(b) >= size) {
		trim(b, size);
		return p;
	}
	if ((q = malloc_locked(n)) == NULL)
		return NULL;
	memcpy(q, p, SIZE(b) - HDR);
	free_locked(p);
	return q;
}

void *
realloc(void *p, size_t n)
{
	void *q;

	if (p == NULL)
		return malloc(n);
	__libc_lock(&lock);
	q = realloc_locked(p, n);
	__libc_unlock(&lock);
	return q;
}

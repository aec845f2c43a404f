/*
 * sys/bitmap.h: arrays of bits in 64-bit words (bit i is word i/64,
 * bit i%64).  A set bit means "in use".  Pure functions, no locking:
 * the caller's lock covers the bitmap.  Host-tested in ht_bitmap.c.
 */
#ifndef _SYS_BITMAP_H_
#define _SYS_BITMAP_H_

#include <sys/types.h>

#define BITMAP_WORDS(nbits)	(((nbits) + 63) / 64)
#define BITMAP_NONE		((size_t)-1)

static inline bool
bitmap_test(const uint64_t *bm, size_t i)
{
	return (bm[i / 64] >> (i % 64)) & 1;
}

void	bitmap_set_range(uint64_t *, size_t start, size_t n);
void	bitmap_clear_range(uint64_t *, size_t start, size_t n);
bool	bitmap_range_is_set(const uint64_t *, size_t start, size_t n);
bool	bitmap_range_is_clear(const uint64_t *, size_t start, size_t n);
size_t	bitmap_find_clear_run(const uint64_t *, size_t nbits, size_t hint,
	    size_t runlen);

#endif /* !_SYS_BITMAP_H_ */

/*
 * subr_bitmap.c: bit arrays (see sys/bitmap.h), used by the physical
 * page allocator and the kernel-stack slot allocator.
 *
 * Ranges are handled a word at a time where they cover whole words, so
 * a scan over mostly-full memory costs one compare per 64 pages.
 */
#include <sys/systm.h>
#include <sys/bitmap.h>

/* Mask of bits [lo, hi) within one word, 0 <= lo < hi <= 64. */
static inline uint64_t
word_mask(size_t lo, size_t hi)
{
	uint64_t m = hi == 64 ? ~0UL : (1UL << hi) - 1;

	return m & ~((1UL << lo) - 1);
}

/* Apply `set` (true: set, false: clear) to bits [start, start+n). */
static void
bitmap_apply(uint64_t *bm, size_t start, size_t n, bool set)
{
	size_t end = start + n;

	while (start < end) {
		size_t w = start / 64, lo = start % 64;
		size_t hi = (end - w * 64) < 64 ? end - w * 64 : 64;
		uint64_t m = word_mask(lo, hi);

		if (set)
			bm[w] |= m;
		else
			bm[w] &= ~m;
		start = w * 64 + hi;
	}
}

void
bitmap_set_range(uint64_t *bm, size_t start, size_t n)
{
	bitmap_apply(bm, start, n, true);
}

void
bitmap_clear_range(uint64_t *bm, size_t start, size_t n)
{
	bitmap_apply(bm, start, n, false);
}

/* Are all bits [start, start+n) equal to `set`? */
static bool
bitmap_range_is(const uint64_t *bm, size_t start, size_t n, bool set)
{
	size_t end = start + n;

	while (start < end) {
		size_t w = start / 64, lo = start % 64;
		size_t hi = (end - w * 64) < 64 ? end - w * 64 : 64;
		uint64_t m = word_mask(lo, hi);

		if ((bm[w] & m) != (set ? m : 0))
			return false;
		start = w * 64 + hi;
	}
	return true;
}

bool
bitmap_range_is_set(const uint64_t *bm, size_t start, size_t n)
{
	return bitmap_range_is(bm, start, n, true);
}

bool
bitmap_range_is_clear(const uint64_t *bm, size_t start, size_t n)
{
	return bitmap_range_is(bm, start, n, false);
}

/*
 * First run of `runlen` clear bits at or after `hint`, wrapping around
 * to 0 once; BITMAP_NONE if there is none.  First fit from a rotating
 * hint keeps repeated small allocations O(1) on average.
 */
size_t
bitmap_find_clear_run(const uint64_t *bm, size_t nbits, size_t hint,
    size_t runlen)
{
	size_t i, run, runstart;
	int pass;

	if (runlen == 0 || runlen > nbits)
		return BITMAP_NONE;
	if (hint >= nbits)
		hint = 0;
	for (pass = 0; pass < 2; pass++) {
		size_t lim = pass == 0 ? nbits : hint + runlen - 1;

		if (lim > nbits)
			lim = nbits;
		i = pass == 0 ? hint : 0;
		run = 0;
		runstart = i;
		while (i < lim) {
			/* Skip a full word at once. */
			if (i % 64 == 0 && run == 0 && bm[i / 64] == ~0UL) {
				i += 64;
				runstart = i;
				continue;
			}
			if (bitmap_test(bm, i)) {
				run = 0;
				runstart = i + 1;
			} else if (++run == runlen)
				return runstart;
			i++;
		}
	}
	return BITMAP_NONE;
}

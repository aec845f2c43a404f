/*
 * ht_subr_bitmap.c: host unit test for subr_bitmap.c.
 *
 * Random ranges are set and cleared in the kernel's bitmap and in a
 * byte-per-bit model; after every step the two must agree, and
 * bitmap_find_clear_run() must return exactly the first fit the model
 * finds (from the hint, wrapping once).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE ((size_t)-1)
void	kern_bitmap_set_range(uint64_t *, size_t, size_t);
void	kern_bitmap_clear_range(uint64_t *, size_t, size_t);
bool	kern_bitmap_range_is_set(const uint64_t *, size_t, size_t);
bool	kern_bitmap_range_is_clear(const uint64_t *, size_t, size_t);
size_t	kern_bitmap_find_clear_run(const uint64_t *, size_t, size_t, size_t);

#define NBITS 1000
static uint64_t bm[(NBITS + 63) / 64];
static unsigned char model[NBITS];
/*
 * Each distinct `what` is one test: it passes if every check made under
 * that name held.
 */
static struct { const char *what; bool failed; } tests[32];
static int ntests, nreports;

static void
check(bool ok, const char *what, int step)
{
	int i;

	for (i = 0; i < ntests && strcmp(tests[i].what, what) != 0; i++)
		continue;
	if (i == ntests)
		tests[ntests++].what = what;
	if (!ok) {
		tests[i].failed = true;
		if (nreports++ < 10)
			printf("FAIL step %d: %s\n", step, what);
	}
}

static size_t
model_find(size_t hint, size_t len)
{
	if (len == 0 || len > NBITS)
		return NONE;
	if (hint >= NBITS)
		hint = 0;
	for (size_t i = hint; i + len <= NBITS; i++) {
		size_t j = 0;
		while (j < len && !model[i + j])
			j++;
		if (j == len)
			return i;
	}
	for (size_t i = 0; i + len <= NBITS && i < hint; i++) {
		size_t j = 0;
		while (j < len && !model[i + j])
			j++;
		if (j == len)
			return i;
	}
	return NONE;
}

int
main(void)
{
	srand(12345);
	for (int step = 0; step < 20000; step++) {
		size_t start = rand() % NBITS;
		size_t n = rand() % (step % 7 == 0 ? 200 : 20);
		if (start + n > NBITS)
			n = NBITS - start;
		bool set = rand() % 2;

		if (set)
			kern_bitmap_set_range(bm, start, n);
		else
			kern_bitmap_clear_range(bm, start, n);
		memset(model + start, set, n);

		/* Whole-state agreement every so often (it is slow). */
		if (step % 100 == 0) {
			bool same = true;
			for (size_t i = 0; i < NBITS; i++)
				if (((bm[i / 64] >> (i % 64)) & 1) != model[i])
					same = false;
			check(same, "bitmap differs from model", step);
		}
		size_t qs = rand() % NBITS, qn = rand() % 70;
		if (qs + qn > NBITS)
			qn = NBITS - qs;
		bool mset = true, mclear = true;
		for (size_t i = qs; i < qs + qn; i++)
			mset &= model[i] == 1, mclear &= model[i] == 0;
		check(kern_bitmap_range_is_set(bm, qs, qn) == mset,
		    "range_is_set", step);
		check(kern_bitmap_range_is_clear(bm, qs, qn) == mclear,
		    "range_is_clear", step);

		size_t hint = rand() % (NBITS + 10), len = 1 + rand() % 90;
		check(kern_bitmap_find_clear_run(bm, NBITS, hint, len) ==
		    model_find(hint, len), "find_clear_run", step);
	}
	/* Edge cases. */
	memset(bm, 0xff, sizeof(bm));
	check(kern_bitmap_find_clear_run(bm, NBITS, 0, 1) == NONE, "full", -1);
	kern_bitmap_clear_range(bm, NBITS - 1, 1);
	check(kern_bitmap_find_clear_run(bm, NBITS, 500, 1) == NBITS - 1,
	    "last bit", -1);
	check(kern_bitmap_find_clear_run(bm, NBITS, 0, 0) == NONE, "len 0", -1);
	check(kern_bitmap_find_clear_run(bm, NBITS, 0, NBITS + 1) == NONE,
	    "len > nbits", -1);
	memset(bm, 0, sizeof(bm));
	check(kern_bitmap_find_clear_run(bm, NBITS, 990, 20) == 0,
	    "wraps to 0 when the tail is too short", -1);

	int npass = 0, nfail = 0;
	for (int i = 0; i < ntests; i++) {
		printf("%s %s\n", tests[i].failed ? "FAIL" : "ok  ",
		    tests[i].what);
		tests[i].failed ? nfail++ : npass++;
	}
	printf("ht_subr_bitmap: %d passed, %d failed\n", npass, nfail);
	return nfail != 0;
}

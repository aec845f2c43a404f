/*
 * stdlib.c: the environment, qsort, the small arithmetic helpers, and
 * the pseudo-random numbers of random(3)/rand(3).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char	**environ;		/* set by crt0 */

char *
getenv(const char *name)
{
	size_t len = strlen(name);

	if (environ == NULL)
		return NULL;
	for (char **e = environ; *e != NULL; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

/*
 * random(3): a pseudo-random sequence in [0, 2^31 - 1], the same for
 * the same seed (srandom; 1 if never seeded), as the C library's
 * must be.  Not NetBSD's additive generator but xorshift64*: small,
 * and good enough for tests' garbage.  Not for secrets; one sequence
 * per process, not locked (threads calling it at once may get the
 * same number).
 */
static uint64_t random_state = 0x9e3779b97f4a7c15ULL;

void
srandom(unsigned int seed)
{
	random_state = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)seed << 1 | 1);
}

long
random(void)
{
	uint64_t x = random_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	random_state = x;
	return (long)((x * 0x2545f4914f6cdd1dULL) >> 33);
}

int
rand(void)
{
	return (int)random();
}

void
srand(unsigned int seed)
{
	srandom(seed);
}

int
abs(int i)
{
	return i < 0 ? -i : i;
}

long
labs(long i)
{
	return i < 0 ? -i : i;
}

static void
swap(char *a, char *b, size_t size)
{
	char t;

	while (size-- > 0) {
		t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

typedef int cmpfn(const void *, const void *);

/* Move a[root] down until it is no smaller than its children. */
static void
sift(char *a, size_t root, size_t n, size_t size, cmpfn *cmp)
{
	size_t child;

	for (; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n &&
		    cmp(a + child * size, a + (child + 1) * size) < 0)
			child++;
		if (cmp(a + root * size, a + child * size) >= 0)
			return;
		swap(a + root * size, a + child * size, size);
	}
}

/*
 * Heapsort: O(n log n) in every case, no recursion, no extra memory.
 * Not stable (C does not ask qsort to be).
 */
void
qsort(void *base, size_t n, size_t size, cmpfn *cmp)
{
	char *a = base;
	size_t i;

	for (i = n / 2; i > 0; i--)		/* make a max-heap */
		sift(a, i - 1, n, size, cmp);
	for (i = n; i > 1; i--) {		/* largest to the end */
		swap(a, a + (i - 1) * size, size);
		sift(a, 0, i - 1, size, cmp);
	}
}

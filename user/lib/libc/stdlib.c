/*
 * stdlib.c: the environment, qsort and the small arithmetic helpers.
 */
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

/*
 * lib/string.c: the C string and memory routines.
 *
 * Shared code: the kernel and user space's libc both compile this file
 * (user/user.mk builds it into libc.a, with its strtoul renamed out of
 * libc's way), so it includes only <lib/libkern.h> and is plain C, the
 * same on every machine.  A machine that wants faster versions gives
 * them their own files under arch/, and the Makefile then defines
 * __HAVE_MD_MEMCPY for the kernel, which takes memcpy, memset and
 * memcmp from the arch's string.S instead of from here (but a KASAN kernel keeps
 * these, whose every word access it checks).
 *
 * Plain loops: the compiler is told (-ffreestanding) not to assume a
 * libc, so it calls these for struct copies and large initialisers.
 * Clarity over speed, but memcpy and memset move a word at a time once
 * the addresses allow it, as they copy and clear whole pages.
 */
#include <lib/libkern.h>

/* A machine word that may alias anything: the bytes moved can belong
 * to objects of any type. */
typedef unsigned long __attribute__((__may_alias__)) word_t;
#define WSIZE		sizeof(word_t)
#define WMASK		(WSIZE - 1)

#ifndef __HAVE_MD_MEMCPY
void *
memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((uintptr_t)d ^ (uintptr_t)s) & WMASK) == 0) {
		/* Aligned alike: bytes up to a word boundary, then words. */
		for (; n > 0 && ((uintptr_t)d & WMASK) != 0; n--)
			*d++ = *s++;
		for (; n >= WSIZE; n -= WSIZE, d += WSIZE, s += WSIZE)
			*(word_t *)d = *(const word_t *)s;
	}
	for (; n > 0; n--)
		*d++ = *s++;
	return dst;
}
#endif /* !__HAVE_MD_MEMCPY */

void *
memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	while (n-- > 0)			/* overlapping, copy backwards */
		d[n] = s[n];
	return dst;
}

#ifndef __HAVE_MD_MEMCPY	/* (memset comes with it) */
void *
memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	word_t w = (unsigned char)c * (~(word_t)0 / 0xff); /* c, each byte */

	for (; n > 0 && ((uintptr_t)d & WMASK) != 0; n--)
		*d++ = (unsigned char)c;
	for (; n >= WSIZE; n -= WSIZE, d += WSIZE)
		*(word_t *)d = w;
	for (; n > 0; n--)
		*d++ = (unsigned char)c;
	return dst;
}
#endif /* !__HAVE_MD_MEMCPY */

#ifndef __HAVE_MD_MEMCPY	/* (and memcmp) */
int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n > 0; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}
#endif /* !__HAVE_MD_MEMCPY */

size_t
strlen(const char *s)
{
	const char *p = s;

	while (*p != '\0')
		p++;
	return p - s;
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

int
strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (*a == '\0')
			break;
	}
	return 0;
}

/* Copy with truncation; always NUL-terminates when size > 0. */
size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

/* Digits in `base` (0: 0x-prefixed hex, 0-prefixed octal, else decimal). */
unsigned long
strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;
	int d;

	while (*s == ' ')
		s++;
	if (base == 0) {
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
			base = 16, s += 2;
		else if (s[0] == '0')
			base = 8;
		else
			base = 10;
	} else if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (;; s++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'z')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'Z')
			d = *s - 'A' + 10;
		else
			break;
		if (d >= base)
			break;
		v = v * base + d;
	}
	if (end != NULL)
		*end = (char *)s;
	return v;
}

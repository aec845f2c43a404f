/*
 * str.c: the string functions the kernel does without (the others are
 * kernel/lib/string.c's, compiled into libc too).
 */
#include <stdlib.h>
#include <string.h>

void *
memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

char *
strcpy(char *dst, const char *src)
{
	return memcpy(dst, src, strlen(src) + 1);
}

/* C's strncpy: pads with NULs, and does not terminate a long src. */
char *
strncpy(char *dst, const char *src, size_t n)
{
	size_t len = strnlen(src, n);

	memcpy(dst, src, len);
	memset(dst + len, '\0', n - len);
	return dst;
}

char *
strcat(char *dst, const char *src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

/* Append with truncation; returns the length it tried to make. */
size_t
strlcat(char *dst, const char *src, size_t size)
{
	size_t dlen = strnlen(dst, size);

	if (dlen == size)		/* dst not terminated within size */
		return size + strlen(src);
	return dlen + strlcpy(dst + dlen, src, size - dlen);
}

char *
strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return (char *)last;
	}
}

char *
strstr(const char *s, const char *find)
{
	size_t n = strlen(find);

	for (; *s != '\0' || n == 0; s++)
		if (strncmp(s, find, n) == 0)
			return (char *)s;
	return NULL;
}

/* Length of the prefix of s made of bytes in (or not in) set. */
static size_t
span(const char *s, const char *set, int in)
{
	size_t n = 0;

	while (s[n] != '\0' && (strchr(set, s[n]) != NULL) == in)
		n++;
	return n;
}

size_t
strspn(const char *s, const char *set)
{
	return span(s, set, 1);
}

size_t
strcspn(const char *s, const char *set)
{
	return span(s, set, 0);
}

/* The token up to the next delimiter, which is overwritten with NUL. */
char *
strsep(char **sp, const char *delim)
{
	char *tok = *sp, *end;

	if (tok == NULL)
		return NULL;
	end = tok + strcspn(tok, delim);
	if (*end != '\0') {
		*end = '\0';
		*sp = end + 1;
	} else
		*sp = NULL;
	return tok;
}

char *
strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

/*
 * strtol.c: string to integer, as C says: leading white space, an
 * optional sign, a 0x/0 prefix for base 16/8 (or chosen by it when
 * base is 0); on overflow the limit of the type and ERANGE; *end
 * after the last digit used, or at the start when there was none.
 *
 * All of them parse with convert(), which gives the magnitude as an
 * unsigned long long (unsigned long is as wide).  The kernel's strtoul
 * (kernel/lib/string.c) has none of the sign, overflow and white-space
 * rules, so libc renames it away (user/user.mk) and has its own.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>

static int
digit(int c)
{
	if (isdigit(c))
		return c - '0';
	if (isalpha(c))
		return tolower(c) - 'a' + 10;
	return INT_MAX;
}

static unsigned long long
convert(const char *s, char **end, int base, bool *neg, bool *over)
{
	const char *p = s;
	unsigned long long v = 0;
	int d;
	bool any = false;

	*neg = *over = false;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '-' || *p == '+')
		*neg = (*p++ == '-');
	if ((base == 0 || base == 16) && p[0] == '0' &&
	    (p[1] == 'x' || p[1] == 'X') && digit((unsigned char)p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0)
		base = (p[0] == '0') ? 8 : 10;
	if (base < 2 || base > 36) {
		errno = EINVAL;
		p = s;
	} else
		for (; (d = digit((unsigned char)*p)) < base; p++, any = true) {
			if (v > (ULLONG_MAX - d) / base)
				*over = true;
			v = v * base + d;
		}
	if (end != NULL)
		*end = (char *)(any ? p : s);
	if (*over)
		errno = ERANGE;
	return v;
}

unsigned long long
strtoull(const char *s, char **end, int base)
{
	bool neg, over;
	unsigned long long v = convert(s, end, base, &neg, &over);

	if (over)
		return ULLONG_MAX;
	return neg ? -v : v;
}

unsigned long
strtoul(const char *s, char **end, int base)
{
	return strtoull(s, end, base);
}

long long
strtoll(const char *s, char **end, int base)
{
	bool neg, over;
	unsigned long long v = convert(s, end, base, &neg, &over);

	if (!over && v <= (neg ? -(unsigned long long)LLONG_MIN : LLONG_MAX))
		return neg ? (long long)-v : (long long)v;
	errno = ERANGE;
	return neg ? LLONG_MIN : LLONG_MAX;
}

long
strtol(const char *s, char **end, int base)
{
	_Static_assert(LONG_MAX == LLONG_MAX, "long is long long");
	return strtoll(s, end, base);
}

int
atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long
atol(const char *s)
{
	return strtol(s, NULL, 10);
}

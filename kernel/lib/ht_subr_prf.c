/*
 * ht_subr_prf.c: host unit test for the kernel's formatter (subr_prf.c).
 *
 * The kernel's snprintf (renamed kern_snprintf for the host build) must
 * print exactly what the C library's does for every format the kernel
 * supports; each case is checked for the text and the returned length,
 * including truncation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int kern_snprintf(char *, size_t, const char *, ...);

static int npass, nfail;

#define CHECK(fmt, ...) do {						\
	char want[256], got[256];					\
	int wn = snprintf(want, sizeof(want), fmt, __VA_ARGS__);	\
	int gn = kern_snprintf(got, sizeof(got), fmt, __VA_ARGS__);	\
	char wt[8], gt[8];						\
	int wtn = snprintf(wt, sizeof(wt), fmt, __VA_ARGS__);		\
	int gtn = kern_snprintf(gt, sizeof(gt), fmt, __VA_ARGS__);	\
	if (wn != gn || strcmp(want, got) != 0 || wtn != gtn ||		\
	    strcmp(wt, gt) != 0) {					\
		printf("FAIL line %d: format \"%s\": libc \"%s\" (%d), "\
		    "kernel \"%s\" (%d); truncated \"%s\" vs \"%s\"\n",	\
		    __LINE__, fmt, want, wn, got, gn, wt, gt);		\
		nfail++;						\
	} else								\
		npass++;						\
} while (0)

int
main(void)
{
	/* integers */
	CHECK("%d", 0);
	CHECK("%d", -1);
	CHECK("%d|%i", 2147483647, -2147483647 - 1);
	CHECK("%u", 4294967295u);
	CHECK("%ld", -9223372036854775807L - 1);
	CHECK("%lu", 18446744073709551615UL);
	CHECK("%lld|%llu", -5LL, 5ULL);
	CHECK("%zu|%zd", (size_t)12345, (ssize_t)-3);
	CHECK("%jd|%td", (intmax_t)-7, (ptrdiff_t)9);
	CHECK("%hd|%hu|%hhd|%hhu", (short)-2, (unsigned short)65535,
	    (signed char)-3, (unsigned char)255);
	CHECK("%hd", 70000);
	CHECK("%x|%X|%o", 0xdeadbeef, 0xdeadbeef, 0755);
	CHECK("%lx|%#lx|%#X", 0xffffffff80000000UL, 0x1234UL, 0xabc);
	CHECK("%#x|%#o|%#o", 0, 0, 8);
	/* width, precision, flags */
	CHECK("[%5d][%-5d][%05d]", 42, 42, 42);
	CHECK("[%+d][% d][%+d][% d]", 5, 5, -5, -5);
	CHECK("[%.3d][%8.3d][%-8.3d]", 7, 7, 7);
	CHECK("[%.0d][%.0x][%5.0d]", 0, 0, 0);
	CHECK("[%#8x][%#-8x][%#08x]", 0x1f, 0x1f, 0x1f);
	CHECK("[%016lx][%-16lx]", 0x1234UL, 0x1234UL);
	CHECK("[%*d][%-*d][%.*d]", 6, 1, 6, 1, 4, 1);
	CHECK("[%*d]", -6, 1);
	CHECK("[%+05d][% 05d]", 12, 12);
	/* strings and characters */
	CHECK("%s", "hello");
	CHECK("[%10s][%-10s][%.2s][%8.3s]", "abc", "abc", "abc", "abcdef");
	CHECK("[%c][%3c][%-3c]", 'x', 'y', 'z');
	CHECK("%s and %s", "", "x");
	CHECK("100%% %d%%", 50);
	/* pointers (glibc prints NULL as "(nil)"; the kernel as 0x0) */
	CHECK("%p", (void *)0x1000);
	CHECK("[%20p][%-20p]", (void *)0xffffffff80201000UL,
	    (void *)0xffffffff80201000UL);
	/* long output, truncated by the small buffer */
	CHECK("%s|%d|%s", "a long string that is truncated", 123456, "end");

	/* What the libc comparison cannot cover. */
	char buf[16];
	int n = kern_snprintf(buf, sizeof(buf), "%p", (void *)0);
	if (n == 3 && strcmp(buf, "0x0") == 0)
		npass++;
	else {
		printf("FAIL: %%p of NULL gave \"%s\"\n", buf);
		nfail++;
	}
	n = kern_snprintf(NULL, 0, "%d", 12345);	/* size 0: just count */
	if (n == 5)
		npass++;
	else {
		printf("FAIL: snprintf(NULL, 0) returned %d\n", n);
		nfail++;
	}

	printf("ht_subr_prf: %d passed, %d failed\n", npass, nfail);
	return nfail != 0;
}

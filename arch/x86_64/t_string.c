/*
 * t_string.c: ktests for the kernel's memcpy, memset and memcmp: the
 * arch's string.S (a quadword an instruction) or, in a KASAN kernel,
 * kernel/lib/string.c's C.  Each is checked against a byte-at-a-time
 * reference, at every length 0..40 and every start offset 0..7 of both
 * sides, so that the quadword part, the byte tail and their seam are
 * all exercised, and nothing outside [dst, dst + n) is touched.
 */
#include <sys/systm.h>
#include <sys/ktest.h>

#define T_STR_LEN	40
#define T_STR_BUF	(T_STR_LEN + 32)

static unsigned char t_src[T_STR_BUF], t_dst[T_STR_BUF], t_ref[T_STR_BUF];

static void
t_str_fill(unsigned char *b, unsigned seed)
{
	for (int i = 0; i < T_STR_BUF; i++)
		b[i] = (unsigned char)(seed + i * 37);
}

static int
t_str_sign(int v)
{
	return (v > 0) - (v < 0);
}

KTEST(string_memcpy_every_length_and_offset)
{
	for (int so = 0; so < 8; so++)
		for (int d = 0; d < 8; d++)
			for (int n = 0; n <= T_STR_LEN; n++) {
				t_str_fill(t_src, 1);
				t_str_fill(t_dst, 99);
				memcpy(t_ref, t_dst, T_STR_BUF);
				for (int i = 0; i < n; i++)
					t_ref[d + i] = t_src[so + i];
				KT_ASSERT(memcpy(t_dst + d, t_src + so, n) ==
				    t_dst + d);
				for (int i = 0; i < T_STR_BUF; i++)
					KT_EQ(t_dst[i], t_ref[i]);
			}
}

KTEST(string_memset_every_length_and_offset)
{
	for (int d = 0; d < 8; d++)
		for (int n = 0; n <= T_STR_LEN; n++) {
			t_str_fill(t_dst, 5);
			for (int i = 0; i < T_STR_BUF; i++)
				t_ref[i] = t_dst[i];
			for (int i = 0; i < n; i++)
				t_ref[d + i] = 0xa7;
			/* (Only the low byte of c counts.) */
			KT_ASSERT(memset(t_dst + d, 0x3a7, n) == t_dst + d);
			for (int i = 0; i < T_STR_BUF; i++)
				KT_EQ(t_dst[i], t_ref[i]);
		}
}

/* memcmp: 0 when equal; otherwise the sign of the first differing
 * byte's difference, as unsigned chars (0x80 is above 0x01), whether
 * that byte is in a quadword or in the tail; bytes past n never count. */
KTEST(string_memcmp_every_length_offset_and_byte)
{
	for (int so = 0; so < 8; so++)
		for (int d = 0; d < 8; d++)
			for (int n = 0; n <= T_STR_LEN; n++) {
				t_str_fill(t_src, 3);
				memcpy(t_dst + d, t_src + so, n);
				t_dst[d + n] = t_src[so + n] + 1;
				KT_EQ(memcmp(t_dst + d, t_src + so, n), 0);
				for (int k = 0; k < n; k++) {
					t_dst[d + k] = 0x80;
					t_src[so + k] = 0x01;
					KT_EQ(t_str_sign(memcmp(t_dst + d,
					    t_src + so, n)), 1);
					KT_EQ(t_str_sign(memcmp(t_src + so,
					    t_dst + d, n)), -1);
					/* A later difference does not count. */
					if (k + 1 < n)
						t_dst[d + n - 1] ^= 0xff;
					KT_EQ(t_str_sign(memcmp(t_dst + d,
					    t_src + so, n)), 1);
					memcpy(t_dst + d, t_src + so, n);
				}
			}
}

/*
 * lib/subr_prf.c: printf-style formatting (the kernel's and libc's).
 *
 * Shared code: the kernel and user space's libc both compile this file
 * (user/user.mk builds it into libc.a, where printf and friends are
 * built on kvprintf), so it includes only <lib/libkern.h> and is plain
 * C, the same on every machine.
 *
 * kvprintf() is the one formatter: it turns a format and its arguments
 * into characters and hands each to an output function.  printf() (the
 * console, kern_cons.c) and snprintf() (a buffer, below) are thin
 * wrappers.  This file has no state and takes no locks, so it is safe
 * from any context, including panic, and the host unit test lib/ht_subr_prf.c
 * compares it against the C library's printf.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%, flags "-0+ #", a width
 * and precision (digits or *), and the length modifiers hh h l ll z j t.
 */
#include <lib/libkern.h>

struct spec {
	bool	left;		/* '-' */
	bool	zero;		/* '0' */
	bool	plus;		/* '+' */
	bool	space;		/* ' ' */
	bool	alt;		/* '#' */
	int	width;
	int	prec;		/* -1: none */
};

struct out {
	void	(*put)(int, void *);
	void	*arg;
	int	n;
};

static void
emit(struct out *o, int c)
{
	o->put(c, o->arg);
	o->n++;
}

static void
pad(struct out *o, int c, int n)
{
	while (n-- > 0)
		emit(o, c);
}

static void
fmt_string(struct out *o, const struct spec *sp, const char *s)
{
	int len;

	if (s == NULL)
		s = "(null)";
	len = 0;
	while (s[len] != '\0' && (sp->prec < 0 || len < sp->prec))
		len++;
	if (!sp->left)
		pad(o, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		emit(o, s[i]);
	if (sp->left)
		pad(o, ' ', sp->width - len);
}

/*
 * One integer: `v` is the magnitude, `neg` its sign.  Layout is
 * [spaces][sign/prefix][zeros][digits][spaces], as C99 7.19.6.1 says.
 */
static void
fmt_number(struct out *o, const struct spec *sp, uint64_t v, bool neg,
    int base, bool upper, bool is_signed, bool is_ptr)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	const char *prefix = "";
	bool iszero = (v == 0);
	int nd = 0, nzero, plen, total;

	while (v != 0) {
		buf[nd++] = digits[v % base];
		v /= base;
	}
	/* Precision 0 with value 0 prints no digits (except "%#o"). */
	if (nd == 0 && sp->prec != 0)
		buf[nd++] = '0';

	if (is_signed) {
		if (neg)
			prefix = "-";
		else if (sp->plus)
			prefix = "+";
		else if (sp->space)
			prefix = " ";
	} else if (base == 16 && (is_ptr || (sp->alt && !iszero)))
		prefix = upper ? "0X" : "0x";
	else if (sp->alt && base == 8 && (nd == 0 || buf[nd - 1] != '0'))
		buf[nd++] = '0';
	plen = strlen(prefix);

	nzero = sp->prec > nd ? sp->prec - nd : 0;
	total = plen + nzero + nd;
	if (sp->zero && !sp->left && sp->prec < 0 && sp->width > total) {
		nzero += sp->width - total;
		total = sp->width;
	}
	if (!sp->left)
		pad(o, ' ', sp->width - total);
	while (*prefix != '\0')
		emit(o, *prefix++);
	pad(o, '0', nzero);
	while (nd > 0)
		emit(o, buf[--nd]);
	if (sp->left)
		pad(o, ' ', sp->width - total);
}

int
kvprintf(const char *fmt, void (*put)(int, void *), void *arg, va_list ap)
{
	struct out o = { put, arg, 0 };
	struct spec sp;
	int lmod;			/* 'H' hh, 'h', 'l', 'L' ll/j/z/t, 0 */
	va_list va;

	va_copy(va, ap);
	for (; *fmt != '\0'; fmt++) {
		if (*fmt != '%') {
			emit(&o, *fmt);
			continue;
		}
		sp = (struct spec){ .prec = -1 };
		for (;;) {
			switch (*++fmt) {
			case '-': sp.left = true; continue;
			case '0': sp.zero = true; continue;
			case '+': sp.plus = true; continue;
			case ' ': sp.space = true; continue;
			case '#': sp.alt = true; continue;
			}
			break;
		}
		if (*fmt == '*') {
			sp.width = va_arg(va, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			fmt++;
		} else
			while (*fmt >= '0' && *fmt <= '9')
				sp.width = sp.width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			sp.prec = 0;
			if (*++fmt == '*') {
				sp.prec = va_arg(va, int);
				if (sp.prec < 0)
					sp.prec = -1;
				fmt++;
			} else
				while (*fmt >= '0' && *fmt <= '9')
					sp.prec = sp.prec * 10 + (*fmt++ - '0');
		}
		lmod = 0;
		switch (*fmt) {
		case 'h':
			lmod = 'h';
			if (*++fmt == 'h')
				lmod = 'H', fmt++;
			break;
		case 'l':
			lmod = 'l';
			if (*++fmt == 'l')
				lmod = 'L', fmt++;
			break;
		case 'j': case 'z': case 't':
			lmod = 'L';
			fmt++;
			break;
		}

		int64_t sv;
		uint64_t uv;
		switch (*fmt) {
		case 'd':
		case 'i':
			if (lmod == 'L' || lmod == 'l')
				sv = va_arg(va, long);
			else
				sv = va_arg(va, int);
			if (lmod == 'h')
				sv = (short)sv;
			else if (lmod == 'H')
				sv = (signed char)sv;
			uv = sv < 0 ? -(uint64_t)sv : (uint64_t)sv;
			fmt_number(&o, &sp, uv, sv < 0, 10, false, true, false);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			if (lmod == 'L' || lmod == 'l')
				uv = va_arg(va, unsigned long);
			else
				uv = va_arg(va, unsigned int);
			if (lmod == 'h')
				uv = (unsigned short)uv;
			else if (lmod == 'H')
				uv = (unsigned char)uv;
			fmt_number(&o, &sp, uv, false,
			    *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16,
			    *fmt == 'X', false, false);
			break;
		case 'p':
			uv = (uintptr_t)va_arg(va, void *);
			fmt_number(&o, &sp, uv, false, 16, false, false, true);
			break;
		case 'c':
			sp.prec = -1;
			{
				char s[2] = { (char)va_arg(va, int), '\0' };
				if (s[0] == '\0') {	/* "%c" of NUL prints one */
					pad(&o, ' ', sp.left ? 0 : sp.width - 1);
					emit(&o, '\0');
					pad(&o, ' ', sp.left ? sp.width - 1 : 0);
				} else
					fmt_string(&o, &sp, s);
			}
			break;
		case 's':
			fmt_string(&o, &sp, va_arg(va, const char *));
			break;
		case '%':
			emit(&o, '%');
			break;
		case '\0':		/* lone '%' at the end */
			fmt--;
			break;
		default:		/* unknown: print it as written */
			emit(&o, '%');
			emit(&o, *fmt);
			break;
		}
	}
	va_end(va);
	return o.n;
}

struct sbuf {
	char	*buf;
	size_t	size;
	size_t	len;
};

static void
sbuf_put(int c, void *arg)
{
	struct sbuf *sb = arg;

	if (sb->len + 1 < sb->size)
		sb->buf[sb->len] = c;
	sb->len++;
}

/* As C99: returns the length the full output would have had. */
int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sbuf sb = { buf, size, 0 };
	int n;

	n = kvprintf(fmt, sbuf_put, &sb, ap);
	if (size > 0)
		buf[sb.len < size ? sb.len : size - 1] = '\0';
	return n;
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

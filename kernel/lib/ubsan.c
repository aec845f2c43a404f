/*
 * lib/ubsan.c: the undefined-behaviour sanitizer's runtime
 * (make SANITIZE=undefined; docs/sanitizers.md).
 *
 * -fsanitize=undefined makes gcc and clang check each operation whose
 * result C leaves undefined and call __ubsan_handle_CHECK(data, values)
 * when one goes wrong: `data` describes the place (file, line, column)
 * and the types, the values are the operands.  Every handler here
 * writes one line,
 *
 *	ubsan: signed-integer-overflow: 2147483647 + 1 cannot be
 *	represented in type 'int', at kernel/t_selftest.c:170:11
 *
 * (the check, as -fsanitize= names it, what happened with the values,
 * and where) and gives it to ubsan_die(), which does not return: the
 * kernel panics (its message is this line, then the registers and a
 * symbolized backtrace), libc writes it to stderr and abort()s.  Every
 * report is fatal, so a test run that finished had none.
 *
 * Shared code, like the rest of kernel/lib: the kernel and libc build
 * it (only in that build), it includes only <lib/libkern.h>, and it is
 * compiled without -fsanitize (a check in here would call itself).
 * The handlers are those gcc 12 and clang 14 emit for C: each also
 * comes as __ubsan_handle_CHECK_abort, which -fno-sanitize-recover
 * calls.  The structures are the compilers' (compiler-rt's
 * ubsan_handlers.h): they must match to the byte.
 */
#include <lib/libkern.h>

struct ubsan_loc {
	const char	*file;
	uint32_t	line;
	uint32_t	column;
};

/* A type: kind 0 integer (info: bit 0 signed, info >> 1 = log2 of the
 * width), 1 floating point (info: the width), 0xffff unknown. */
struct ubsan_type {
	uint16_t	kind;
	uint16_t	info;
	char		name[];	/* quoted: 'int' */
};
#define UBSAN_INT	0
#define UBSAN_FLOAT	1

struct ubsan_overflow {			/* +, -, *, negation, / and % */
	struct ubsan_loc loc;
	const struct ubsan_type *type;
};

struct ubsan_shift {
	struct ubsan_loc loc;
	const struct ubsan_type *lhs, *rhs;
};

struct ubsan_bounds {
	struct ubsan_loc loc;
	const struct ubsan_type *array, *index;
};

struct ubsan_mismatch {			/* null, alignment, object-size */
	struct ubsan_loc loc;
	const struct ubsan_type *type;
	unsigned char	log_align;
	unsigned char	kind;
};

struct ubsan_mismatch_v0 {		/* the same, from older compilers */
	struct ubsan_loc loc;
	const struct ubsan_type *type;
	unsigned long	align;
	unsigned char	kind;
};

struct ubsan_typed {		/* vla-bound, bool/enum, function */
	struct ubsan_loc loc;
	const struct ubsan_type *type;
};

struct ubsan_where {		/* unreachable, return, pointer-overflow */
	struct ubsan_loc loc;
};

struct ubsan_nonnull_arg {
	struct ubsan_loc loc;
	struct ubsan_loc attr;
	int		index;
};

struct ubsan_nonnull_return {
	struct ubsan_loc attr;
};

struct ubsan_builtin {
	struct ubsan_loc loc;
	unsigned char	kind;		/* 0: ctz of 0, 1: clz of 0 */
};

struct ubsan_float_cast {
	struct ubsan_loc loc;
	const struct ubsan_type *from, *to;
};

struct ubsan_align_assume {
	struct ubsan_loc loc;
	struct ubsan_loc assume;
	const struct ubsan_type *type;
};

struct ubsan_conversion {
	struct ubsan_loc loc;
	const struct ubsan_type *from, *to;
	unsigned char	kind;
};

/* An operand: the value itself if it fits in a pointer, else its address. */
typedef uintptr_t ubsan_value;

/* The report being built (one at a time: each report ends everything). */
static char ubsan_buf[320];
static size_t ubsan_len;

static void
ubsan_add(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(ubsan_buf + ubsan_len, sizeof(ubsan_buf) - ubsan_len,
	    fmt, ap);
	va_end(ap);
	if (n > 0)
		ubsan_len = ubsan_len + (size_t)n < sizeof(ubsan_buf) ?
		    ubsan_len + (size_t)n : sizeof(ubsan_buf) - 1;
}

/* Start a report: "ubsan: CHECK: " */
static void
ubsan_begin(const char *check)
{
	ubsan_len = 0;
	ubsan_add("ubsan: %s: ", check);
}

/* Finish it with the place, and stop. */
static void __attribute__((__noreturn__))
ubsan_end(const struct ubsan_loc *loc)
{
	if (loc != NULL && loc->file != NULL)
		ubsan_add(", at %s:%u:%u", loc->file, (unsigned)loc->line,
		    (unsigned)loc->column);
	else
		ubsan_add(", at an unknown place");
	ubsan_die(ubsan_buf);
}

static unsigned
ubsan_width(const struct ubsan_type *t)
{
	return t->kind == UBSAN_INT ? 1u << (t->info >> 1) : t->info;
}

static bool
ubsan_signed(const struct ubsan_type *t)
{
	return t->kind == UBSAN_INT && (t->info & 1);
}

/* Append a value of type t. */
static void
ubsan_add_value(const struct ubsan_type *t, ubsan_value v)
{
	unsigned w = ubsan_width(t);

	if (t->kind == UBSAN_INT && w <= 64) {
		/* Narrow values come in the low bits, sign-extend them. */
		if (ubsan_signed(t)) {
			int64_t s = (int64_t)((uint64_t)v << (64 - w)) >>
			    (64 - w);

			ubsan_add("%lld", (long long)s);
		} else
			ubsan_add("%llu", (unsigned long long)(w == 64 ? v :
			    v & ((1ULL << w) - 1)));
	} else if (t->kind == UBSAN_INT && w == 128) {
		const uint64_t *p = (const uint64_t *)v;	/* little-endian */

		ubsan_add("0x%016llx%016llx (128-bit)",
		    (unsigned long long)p[1], (unsigned long long)p[0]);
	} else if (t->kind == UBSAN_FLOAT) {
		/* No floating point here (the kernel has none): the bits. */
		uint64_t bits = w <= 64 ? (uint64_t)v : *(const uint64_t *)v;

		ubsan_add("<%u-bit float, bits %#llx>", w,
		    (unsigned long long)bits);
	} else
		ubsan_add("<value %#lx>", (unsigned long)v);
}

/* Is v negative, taken as type t? */
static bool
ubsan_negative(const struct ubsan_type *t, ubsan_value v)
{
	unsigned w = ubsan_width(t);

	if (!ubsan_signed(t))
		return false;
	if (w == 128)
		return (int64_t)((const uint64_t *)v)[1] < 0;
	return w <= 64 && ((uint64_t)v >> (w - 1)) & 1;
}

/* The value as an unsigned number (128-bit: its low half). */
static uint64_t
ubsan_uvalue(const struct ubsan_type *t, ubsan_value v)
{
	return ubsan_width(t) > 64 ? *(const uint64_t *)v : (uint64_t)v;
}

/*
 * Each handler comes twice: __ubsan_handle_NAME, which the checks call
 * by default (recoverable), and __ubsan_handle_NAME_abort, which
 * -fno-sanitize-recover calls.  Both stop here.
 */
#define UBSAN_HANDLER(name, params, args)				\
	void __ubsan_handle_##name params __attribute__((__noreturn__)); \
	void __ubsan_handle_##name##_abort params			\
	    __attribute__((__noreturn__));				\
	void __ubsan_handle_##name##_abort params			\
	{								\
		__ubsan_handle_##name args;				\
	}								\
	void __ubsan_handle_##name params

static void __attribute__((__noreturn__))
ubsan_arith(const struct ubsan_overflow *d, ubsan_value a, ubsan_value b,
    const char *op)
{
	ubsan_begin(ubsan_signed(d->type) ? "signed-integer-overflow" :
	    "unsigned-integer-overflow");
	ubsan_add_value(d->type, a);
	ubsan_add(" %s ", op);
	ubsan_add_value(d->type, b);
	ubsan_add(" cannot be represented in type %s", d->type->name);
	ubsan_end(&d->loc);
}

UBSAN_HANDLER(add_overflow, (struct ubsan_overflow *d, ubsan_value a,
    ubsan_value b), (d, a, b))
{
	ubsan_arith(d, a, b, "+");
}

UBSAN_HANDLER(sub_overflow, (struct ubsan_overflow *d, ubsan_value a,
    ubsan_value b), (d, a, b))
{
	ubsan_arith(d, a, b, "-");
}

UBSAN_HANDLER(mul_overflow, (struct ubsan_overflow *d, ubsan_value a,
    ubsan_value b), (d, a, b))
{
	ubsan_arith(d, a, b, "*");
}

UBSAN_HANDLER(negate_overflow, (struct ubsan_overflow *d, ubsan_value a),
    (d, a))
{
	ubsan_begin(ubsan_signed(d->type) ? "signed-integer-overflow" :
	    "unsigned-integer-overflow");
	ubsan_add("negation of ");
	ubsan_add_value(d->type, a);
	ubsan_add(" cannot be represented in type %s", d->type->name);
	ubsan_end(&d->loc);
}

UBSAN_HANDLER(divrem_overflow, (struct ubsan_overflow *d, ubsan_value a,
    ubsan_value b), (d, a, b))
{
	if (d->type->kind == UBSAN_INT && ubsan_uvalue(d->type, b) == 0 &&
	    ubsan_width(d->type) <= 64) {
		ubsan_begin("integer-divide-by-zero");
		ubsan_add("division of ");
		ubsan_add_value(d->type, a);
		ubsan_add(" by zero");
	} else if (d->type->kind == UBSAN_FLOAT) {
		ubsan_begin("float-divide-by-zero");
		ubsan_add("division by zero in type %s", d->type->name);
	} else {
		ubsan_begin("signed-integer-overflow");
		ubsan_add("division of ");
		ubsan_add_value(d->type, a);
		ubsan_add(" by ");
		ubsan_add_value(d->type, b);
		ubsan_add(" cannot be represented in type %s",
		    d->type->name);
	}
	ubsan_end(&d->loc);
}

UBSAN_HANDLER(shift_out_of_bounds, (struct ubsan_shift *d, ubsan_value a,
    ubsan_value b), (d, a, b))
{
	if (ubsan_negative(d->rhs, b) ||
	    ubsan_uvalue(d->rhs, b) >= ubsan_width(d->lhs)) {
		ubsan_begin("shift-exponent");
		ubsan_add("shift exponent ");
		ubsan_add_value(d->rhs, b);
		ubsan_add(ubsan_negative(d->rhs, b) ? " is negative" :
		    " is too large for %u-bit type %s",
		    ubsan_width(d->lhs), d->lhs->name);
	} else {
		ubsan_begin("shift-base");
		if (ubsan_negative(d->lhs, a)) {
			ubsan_add("left shift of negative value ");
			ubsan_add_value(d->lhs, a);
		} else {
			ubsan_add("left shift of ");
			ubsan_add_value(d->lhs, a);
			ubsan_add(" by ");
			ubsan_add_value(d->rhs, b);
			ubsan_add(" places cannot be represented in type "
			    "%s", d->lhs->name);
		}
	}
	ubsan_end(&d->loc);
}

UBSAN_HANDLER(out_of_bounds, (struct ubsan_bounds *d, ubsan_value i),
    (d, i))
{
	ubsan_begin("bounds");
	ubsan_add("index ");
	ubsan_add_value(d->index, i);
	ubsan_add(" is out of range for type %s", d->array->name);
	ubsan_end(&d->loc);
}

/* What was being done to the pointer (the compilers' TypeCheckKind). */
static const char *const ubsan_access[] = {
	"load of", "store to", "reference binding to", "member access within",
	"member call on", "constructor call on", "downcast of", "downcast of",
	"upcast of", "cast to virtual base of", "_Nonnull binding to",
	"dynamic operation on",
};

static void __attribute__((__noreturn__))
ubsan_mismatch(const struct ubsan_loc *loc, const struct ubsan_type *type,
    unsigned long align, unsigned char kind, ubsan_value p)
{
	const char *what = kind < sizeof(ubsan_access) / sizeof(ubsan_access[0])
	    ? ubsan_access[kind] : "access to";

	if (p == 0) {
		ubsan_begin("null");
		ubsan_add("%s null pointer of type %s", what, type->name);
	} else if (align != 0 && (p & (align - 1)) != 0) {
		ubsan_begin("alignment");
		ubsan_add("%s misaligned address %#lx for type %s, which "
		    "requires %lu-byte alignment", what, (unsigned long)p,
		    type->name, align);
	} else {
		ubsan_begin("object-size");
		ubsan_add("%s address %#lx with insufficient space for an "
		    "object of type %s", what, (unsigned long)p, type->name);
	}
	ubsan_end(loc);
}

UBSAN_HANDLER(type_mismatch_v1, (struct ubsan_mismatch *d, ubsan_value p),
    (d, p))
{
	ubsan_mismatch(&d->loc, d->type, 1UL << d->log_align, d->kind, p);
}

UBSAN_HANDLER(type_mismatch, (struct ubsan_mismatch_v0 *d, ubsan_value p),
    (d, p))
{
	ubsan_mismatch(&d->loc, d->type, d->align, d->kind, p);
}

UBSAN_HANDLER(vla_bound_not_positive, (struct ubsan_typed *d,
    ubsan_value v), (d, v))
{
	ubsan_begin("vla-bound");
	ubsan_add("variable length array bound evaluates to non-positive "
	    "value ");
	ubsan_add_value(d->type, v);
	ubsan_end(&d->loc);
}

UBSAN_HANDLER(load_invalid_value, (struct ubsan_typed *d, ubsan_value v),
    (d, v))
{
	bool isbool = strcmp(d->type->name, "'_Bool'") == 0 ||
	    strcmp(d->type->name, "'bool'") == 0;

	ubsan_begin(isbool ? "bool" : "enum");
	ubsan_add("load of value ");
	ubsan_add_value(d->type, v);
	ubsan_add(", which is not a valid value for type %s",
	    d->type->name);
	ubsan_end(&d->loc);
}

UBSAN_HANDLER(nonnull_arg, (struct ubsan_nonnull_arg *d), (d))
{
	ubsan_begin("nonnull-attribute");
	ubsan_add("null pointer passed as argument %d, which is declared "
	    "never to be null", d->index);
	if (d->attr.file != NULL)
		ubsan_add(" (at %s:%u)", d->attr.file, (unsigned)d->attr.line);
	ubsan_end(&d->loc);
}

UBSAN_HANDLER(nullability_arg, (struct ubsan_nonnull_arg *d), (d))
{
	ubsan_begin("nullability-arg");
	ubsan_add("null pointer passed as argument %d, which is declared "
	    "_Nonnull", d->index);
	ubsan_end(&d->loc);
}

UBSAN_HANDLER(nonnull_return_v1, (struct ubsan_nonnull_return *d,
    struct ubsan_loc *loc), (d, loc))
{
	ubsan_begin("returns-nonnull-attribute");
	ubsan_add("null pointer returned from a function declared never "
	    "to return null");
	if (d->attr.file != NULL)
		ubsan_add(" (at %s:%u)", d->attr.file, (unsigned)d->attr.line);
	ubsan_end(loc);
}

UBSAN_HANDLER(nullability_return_v1, (struct ubsan_nonnull_return *d,
    struct ubsan_loc *loc), (d, loc))
{
	ubsan_begin("nullability-return");
	ubsan_add("null pointer returned from a function declared _Nonnull");
	ubsan_end(loc);
}

UBSAN_HANDLER(builtin_unreachable, (struct ubsan_where *d), (d))
{
	ubsan_begin("unreachable");
	ubsan_add("execution reached an unreachable program point");
	ubsan_end(&d->loc);
}

UBSAN_HANDLER(missing_return, (struct ubsan_where *d), (d))
{
	ubsan_begin("return");
	ubsan_add("execution reached the end of a value-returning function "
	    "without returning a value");
	ubsan_end(&d->loc);
}

UBSAN_HANDLER(pointer_overflow, (struct ubsan_where *d, ubsan_value base,
    ubsan_value result), (d, base, result))
{
	ubsan_begin("pointer-overflow");
	if (base == 0 && result == 0)
		ubsan_add("applying zero offset to null pointer");
	else if (base == 0)
		ubsan_add("applying non-zero offset %#lx to null pointer",
		    (unsigned long)result);
	else if (result == 0)
		ubsan_add("applying non-zero offset to non-null pointer %#lx "
		    "produced null pointer", (unsigned long)base);
	else
		ubsan_add("pointer arithmetic on %#lx overflowed to %#lx",
		    (unsigned long)base, (unsigned long)result);
	ubsan_end(&d->loc);
}

UBSAN_HANDLER(invalid_builtin, (struct ubsan_builtin *d), (d))
{
	ubsan_begin("builtin");
	ubsan_add("passing zero to %s, which is not a valid argument",
	    d->kind == 0 ? "ctz()" : "clz()");
	ubsan_end(&d->loc);
}

UBSAN_HANDLER(float_cast_overflow, (struct ubsan_float_cast *d,
    ubsan_value v), (d, v))
{
	ubsan_begin("float-cast-overflow");
	ubsan_add_value(d->from, v);
	ubsan_add(" is outside the range of representable values of type "
	    "%s", d->to->name);
	ubsan_end(&d->loc);
}

UBSAN_HANDLER(alignment_assumption, (struct ubsan_align_assume *d,
    ubsan_value p, ubsan_value align, ubsan_value offset), (d, p, align,
    offset))
{
	ubsan_begin("alignment");
	ubsan_add("assumption of %lu-byte alignment", (unsigned long)align);
	if (offset != 0)
		ubsan_add(" (with offset of %lu bytes)", (unsigned long)offset);
	ubsan_add(" for pointer of type %s failed: address %#lx",
	    d->type->name, (unsigned long)p);
	ubsan_end(&d->loc);
}

UBSAN_HANDLER(implicit_conversion, (struct ubsan_conversion *d,
    ubsan_value from, ubsan_value to), (d, from, to))
{
	ubsan_begin("implicit-conversion");
	ubsan_add("implicit conversion from type %s of value ",
	    d->from->name);
	ubsan_add_value(d->from, from);
	ubsan_add(" to type %s changed the value to ", d->to->name);
	ubsan_add_value(d->to, to);
	ubsan_end(&d->loc);
}

UBSAN_HANDLER(function_type_mismatch, (struct ubsan_typed *d,
    ubsan_value fn), (d, fn))
{
	ubsan_begin("function");
	ubsan_add("call to function %#lx through pointer to incorrect "
	    "function type %s", (unsigned long)fn, d->type->name);
	ubsan_end(&d->loc);
}

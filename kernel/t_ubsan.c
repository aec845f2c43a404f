/*
 * t_ubsan.c: planted undefined behaviour, one kind per test, each of
 * which the UBSan build (make SANITIZE=undefined; only that build has
 * this file) must turn into a panic that names the check, the values
 * and this file's line, with a backtrace through the test.  KTEST_MANUAL:
 * tools/scenarios boots each (ubsan-*) and checks its lines.  The
 * operands come through volatile variables, so the compiler cannot see
 * the result is undefined at compile time (and warn, or fold it away).
 */
#include <sys/systm.h>
#include <sys/ktest.h>

static volatile int ubsan_int_max = 0x7fffffff;
static volatile int ubsan_one = 1, ubsan_zero = 0, ubsan_forty = 40;
static volatile int ubsan_four = 4;

KTEST_MANUAL(selftest_ubsan_signed_overflow,
    "^panic: ubsan: signed-integer-overflow: 2147483647 \\+ 1 cannot be "
    "represented in type 'int', at kernel/t_ubsan.c:[0-9]+:[0-9]+$",
    "in ktest_fn_selftest_ubsan_signed_overflow[.a-z0-9]*\\+0x")
{
	volatile int r = ubsan_int_max + ubsan_one;

	(void)r;
}

KTEST_MANUAL(selftest_ubsan_shift,
    "^panic: ubsan: shift-exponent: shift exponent 40 is too large for "
    "32-bit type 'int', at kernel/t_ubsan.c:[0-9]+:[0-9]+$",
    "in ktest_fn_selftest_ubsan_shift[.a-z0-9]*\\+0x")
{
	volatile int r = ubsan_one << ubsan_forty;

	(void)r;
}

KTEST_MANUAL(selftest_ubsan_divide_by_zero,
    "^panic: ubsan: integer-divide-by-zero: division of 1 by zero, at "
    "kernel/t_ubsan.c:[0-9]+:[0-9]+$",
    "in ktest_fn_selftest_ubsan_divide_by_zero[.a-z0-9]*\\+0x")
{
	volatile int r = ubsan_one / ubsan_zero;

	(void)r;
}

KTEST_MANUAL(selftest_ubsan_misaligned,
    "^panic: ubsan: alignment: load of misaligned address 0x[0-9a-f]*[13579bdf] "
    "for type 'int', which requires 4-byte alignment, at "
    "kernel/t_ubsan.c:[0-9]+:[0-9]+$",
    "in ktest_fn_selftest_ubsan_misaligned[.a-z0-9]*\\+0x")
{
	static int words[2];
	int *volatile p = (int *)((char *)words + ubsan_one);
	volatile int r = *p;

	(void)r;
}

KTEST_MANUAL(selftest_ubsan_null,
    "^panic: ubsan: null: load of null pointer of type 'int', at "
    "kernel/t_ubsan.c:[0-9]+:[0-9]+$",
    "in ktest_fn_selftest_ubsan_null[.a-z0-9]*\\+0x")
{
	int *volatile p = NULL;
	volatile int r = *p;

	(void)r;
}

KTEST_MANUAL(selftest_ubsan_bounds,
    "^panic: ubsan: bounds: index 4 is out of range for type 'int \\[4\\]', "
    "at kernel/t_ubsan.c:[0-9]+:[0-9]+$",
    "in ktest_fn_selftest_ubsan_bounds[.a-z0-9]*\\+0x")
{
	int a[4] = { 1, 2, 3, 4 };
	volatile int r = a[ubsan_four];

	(void)r;
}

KTEST_MANUAL(selftest_ubsan_bool,
    "^panic: ubsan: bool: load of value 2, which is not a valid value for "
    "type '_Bool', at kernel/t_ubsan.c:[0-9]+:[0-9]+$",
    "in ktest_fn_selftest_ubsan_bool[.a-z0-9]*\\+0x")
{
	unsigned char byte = (unsigned char)(ubsan_one + 1);
	bool b;

	memcpy(&b, &byte, 1);
	if (*(volatile bool *)&b)
		printf("ubsan: a bool of 2 was loaded unchecked\n");
}

/* Not inlined, so the check stays in a function of its own name. */
static int __noinline
ubsan_unreachable(int x)
{
	if (x == 1)
		__builtin_unreachable();
	return x;
}

KTEST_MANUAL(selftest_ubsan_unreachable,
    "^panic: ubsan: unreachable: execution reached an unreachable program "
    "point, at kernel/t_ubsan.c:[0-9]+:[0-9]+$",
    "in ubsan_unreachable[.a-z0-9]*\\+0x",
    "in ktest_fn_selftest_ubsan_unreachable[.a-z0-9]*\\+0x")
{
	volatile int r = ubsan_unreachable(ubsan_one);

	(void)r;
}

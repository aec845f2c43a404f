/*
 * t_mmap: the user address space.  Anonymous mappings (private, shared
 * across fork, fixed), munmap, mprotect and W^X, the break, malloc, the
 * stack, and the faults that kill a process: each of those is provoked
 * in a child, and the parent checks how the child died.
 */
#include <sys/mman.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "h_macros.h"

#define PGSZ		4096UL
#define USER_TOP	0x00007f8000000000UL	/* VM_MAXUSER_ADDRESS */
#define MB		(1UL << 20)

/*
 * Loads and stores through inline assembly: the compiler cannot see
 * that the address is NULL or unmapped, so it can neither drop the
 * access nor replace it with a trap of its own making.
 */
static inline long
peek(const void *p)
{
	long v;

	__asm volatile("movq (%1), %0" : "=r" (v) : "r" (p) : "memory");
	return v;
}

static inline void
poke(void *p, long v)
{
	__asm volatile("movq %1, (%0)" : : "r" (p), "r" (v) : "memory");
}

static char *
map(size_t len, int prot, int flags)
{
	return mmap(NULL, len, prot, flags | MAP_ANON, -1, 0);
}

#define RW	(PROT_READ | PROT_WRITE)

/* The page (or pages) the child functions below work on. */
static char *volatile victim;

static int child_peek(void)	{ (void)peek(victim); return 0; }
static int child_poke(void)	{ poke(victim, 1); return 0; }
static int child_peek2(void)	{ (void)peek(victim + PGSZ); return 0; }

/* Private anonymous memory: zero-filled, keeps what is written. */
ATF_TC(anon);
ATF_TC_HEAD(anon, tc)
{
	atf_tc_set_md_var(tc, "descr", "private anonymous memory: aligned, "
	    "zero-filled, kept");
}
ATF_TC_BODY(anon, tc)
{
	size_t i, len = 16 * PGSZ, nbad = 0;
	char *p = map(len, RW, MAP_PRIVATE);

	ATF_REQUIRE_MSG(p != MAP_FAILED, "mmap anonymous private: mmap: %s",
	    strerror(errno));
	ATF_CHECK_MSG(((uintptr_t)p & (PGSZ - 1)) == 0 &&
	    (uintptr_t)p >= PGSZ && (uintptr_t)p + len <= USER_TOP,
	    "mmap gives a page-aligned user address: got %p", p);
	for (i = 0; i < len; i++)
		nbad += p[i] != 0;
	ATF_CHECK_MSG(nbad == 0,
	    "anonymous memory is zero-filled: %zu bytes not zero", nbad);
	for (i = 0; i < len; i++)
		p[i] = (char)(i * 7);
	for (i = 0, nbad = 0; i < len; i++)
		nbad += p[i] != (char)(i * 7);
	ATF_CHECK_MSG(nbad == 0,
	    "anonymous memory keeps what is written: %zu bytes wrong", nbad);
	ATF_CHECK_MSG(munmap(p, len) == 0, "munmap: %s", strerror(errno));
}

/* A large mapping costs nothing until touched (demand-zero). */
ATF_TC(large);
ATF_TC_HEAD(large, tc)
{
	atf_tc_set_md_var(tc, "descr", "a 1 GiB mapping costs nothing until "
	    "touched");
}
ATF_TC_BODY(large, tc)
{
	size_t len = 1UL << 30, off, nbad = 0;
	char *p = map(len, RW, MAP_PRIVATE);

	ATF_REQUIRE_MSG(p != MAP_FAILED, "mmap 1 GiB (demand-zero): mmap: %s",
	    strerror(errno));
	for (off = 0; off < len; off += 16 * MB) {
		nbad += p[off] != 0;
		p[off] = 1;
	}
	ATF_CHECK_MSG(nbad == 0 && munmap(p, len) == 0,
	    "touch 64 pages of a 1 GiB mapping: %zu pages not zero, %s",
	    nbad, strerror(errno));
}

/* A MAP_SHARED mapping is the same memory in parent and child, even
 * for a page first touched by the child after the fork. */
static int
child_shared(void)
{
	if (victim[100] != 'P')
		return 1;
	victim[0] = 'C';
	victim[PGSZ] = 'D';
	return 0;
}

ATF_TC(shared);
ATF_TC_HEAD(shared, tc)
{
	atf_tc_set_md_var(tc, "descr", "MAP_SHARED is the same memory in "
	    "parent and child");
}
ATF_TC_BODY(shared, tc)
{
	int st;

	victim = map(2 * PGSZ, RW, MAP_SHARED);
	ATF_REQUIRE_MSG(victim != MAP_FAILED, "mmap MAP_SHARED: mmap: %s",
	    strerror(errno));
	victim[100] = 'P';
	st = h_child(child_shared);
	CHECK_EXIT(st, 0, "MAP_SHARED: the child sees the parent's data");
	ATF_CHECK_MSG(victim[0] == 'C' && victim[PGSZ] == 'D',
	    "MAP_SHARED: the parent sees the child's writes: got %#x and %#x",
	    victim[0], victim[PGSZ]);
	munmap(victim, 2 * PGSZ);
}

/* MAP_PRIVATE memory, and ordinary data, bss and stack, are copied
 * at fork: what the child writes stays in the child. */
static int gdata = 1;
static int gbss;
static volatile int *stackvar;

static int
child_private(void)
{
	if (victim[0] != 'P' || gdata != 1 || *stackvar != 1)
		return 1;
	victim[0] = 'C';
	victim[16 * PGSZ] = 'C';
	gdata = gbss = *stackvar = 2;
	return victim[0] == 'C' && gdata == 2 && gbss == 2 ? 0 : 2;
}

ATF_TC(private);
ATF_TC_HEAD(private, tc)
{
	atf_tc_set_md_var(tc, "descr", "MAP_PRIVATE, data, bss and stack are "
	    "copied at fork");
}
ATF_TC_BODY(private, tc)
{
	volatile int local = 1;
	int st;

	victim = map(32 * PGSZ, RW, MAP_PRIVATE);
	ATF_REQUIRE_MSG(victim != MAP_FAILED, "mmap MAP_PRIVATE: mmap: %s",
	    strerror(errno));
	victim[0] = 'P';
	stackvar = &local;
	st = h_child(child_private);
	CHECK_EXIT(st, 0, "fork: the child sees a copy of the parent's memory");
	ATF_CHECK_MSG(victim[0] == 'P' && victim[16 * PGSZ] == 0,
	    "MAP_PRIVATE: the child's writes stay in the child: parent sees "
	    "%#x and %#x", victim[0], victim[16 * PGSZ]);
	ATF_CHECK_MSG(gdata == 1 && gbss == 0 && local == 1,
	    "data, bss and stack: the child's writes stay in the child: data "
	    "%d bss %d stack %d", gdata, gbss, local);
	victim[0] = 'Q';		/* the parent's side of copy-on-write */
	ATF_CHECK_MSG(victim[0] == 'Q',
	    "MAP_PRIVATE: the parent writes after fork: got %#x", victim[0]);
	munmap(victim, 32 * PGSZ);
}

ATF_TC(munmap);
ATF_TC_HEAD(munmap, tc)
{
	atf_tc_set_md_var(tc, "descr", "munmap takes just its pages; reading "
	    "them faults");
}
ATF_TC_BODY(munmap, tc)
{
	int st;

	victim = map(3 * PGSZ, RW, MAP_PRIVATE);
	ATF_REQUIRE_MSG(victim != MAP_FAILED, "mmap: %s", strerror(errno));
	memset(victim, 'x', 3 * PGSZ);
	ATF_CHECK_MSG(munmap(victim + PGSZ, PGSZ) == 0,
	    "munmap a page in the middle: munmap: %s", strerror(errno));
	ATF_CHECK_MSG(victim[0] == 'x' && victim[2 * PGSZ] == 'x',
	    "munmap leaves the pages around it: got %#x and %#x",
	    victim[0], victim[2 * PGSZ]);
	st = h_child(child_peek2);
	CHECK_SIG(st, SIGSEGV, "read an unmapped page: SIGSEGV");
	munmap(victim, 3 * PGSZ);
	st = h_child(child_peek);
	CHECK_SIG(st, SIGSEGV, "read after munmap: SIGSEGV");
}

/*
 * mprotect: PROT_READ stops writes, PROT_NONE stops reads, and the
 * data survive both; asking for write and execute together is refused.
 */
ATF_TC(mprotect);
ATF_TC_HEAD(mprotect, tc)
{
	atf_tc_set_md_var(tc, "descr", "mprotect: read-only, none, back, and "
	    "W^X");
}
ATF_TC_BODY(mprotect, tc)
{
	int st;

	victim = map(PGSZ, RW, MAP_PRIVATE);
	ATF_REQUIRE_MSG(victim != MAP_FAILED, "mmap: %s", strerror(errno));
	victim[0] = 42;
	ATF_CHECK_MSG(mprotect(victim, PGSZ, PROT_READ) == 0,
	    "mprotect PROT_READ: mprotect: %s", strerror(errno));
	ATF_CHECK_MSG(victim[0] == 42, "a PROT_READ page still reads: got %d",
	    victim[0]);
	st = h_child(child_poke);
	CHECK_SIG(st, SIGSEGV, "write to a PROT_READ page: SIGSEGV");

	ATF_CHECK_MSG(mprotect(victim, PGSZ, PROT_NONE) == 0,
	    "mprotect PROT_NONE: mprotect: %s", strerror(errno));
	st = h_child(child_peek);
	CHECK_SIG(st, SIGSEGV, "read a PROT_NONE page: SIGSEGV");

	ATF_CHECK_MSG(mprotect(victim, PGSZ, RW) == 0 && victim[0] == 42,
	    "mprotect back to read/write keeps the data: %s, got %d",
	    strerror(errno), victim[0]);
	victim[1] = 43;

	CHECK_ERR(mprotect(victim, PGSZ, PROT_WRITE | PROT_EXEC), EACCES,
	    "mprotect PROT_WRITE|PROT_EXEC: EACCES (W^X)");
	CHECK_ERR(mprotect(victim, PGSZ, PROT_READ | PROT_WRITE | PROT_EXEC),
	    EACCES, "mprotect PROT_READ|PROT_WRITE|PROT_EXEC: EACCES (W^X)");
	CHECK_ERR(mmap(NULL, PGSZ, PROT_WRITE | PROT_EXEC,
	    MAP_ANON | MAP_PRIVATE, -1, 0), EACCES,
	    "mmap PROT_WRITE|PROT_EXEC: EACCES (W^X)");
	ATF_CHECK_MSG(victim[1] == 43,
	    "a refused mprotect changes nothing: got %d", victim[1]);
	munmap(victim, PGSZ);
}

/*
 * Code in data: "mov $42, %eax; ret".  Run from a writable page it
 * must fault (no-execute); once the page is made PROT_READ|PROT_EXEC
 * it runs.
 */
static const unsigned char code42[] = { 0xb8, 0x2a, 0, 0, 0, 0xc3 };

static int
child_call(void)
{
	int (*fn)(void) = (int (*)(void))(uintptr_t)victim;

	return fn() == 42 ? 0 : 1;
}

static int
child_call_stack(void)
{
	unsigned char buf[16];

	memcpy(buf, code42, sizeof(code42));
	victim = (char *)buf;
	return child_call();
}

ATF_TC(exec_prot);
ATF_TC_HEAD(exec_prot, tc)
{
	atf_tc_set_md_var(tc, "descr", "code runs only from a PROT_EXEC page");
}
ATF_TC_BODY(exec_prot, tc)
{
	int st;

	victim = map(PGSZ, RW, MAP_PRIVATE);
	ATF_REQUIRE_MSG(victim != MAP_FAILED, "mmap: %s", strerror(errno));
	memcpy(victim, code42, sizeof(code42));
	st = h_child(child_call);
	CHECK_SIG(st, SIGSEGV, "execute a read/write page: SIGSEGV");
	st = h_child(child_call_stack);
	CHECK_SIG(st, SIGSEGV, "execute on the stack: SIGSEGV");
	ATF_CHECK_MSG(mprotect(victim, PGSZ, PROT_READ | PROT_EXEC) == 0,
	    "mprotect PROT_READ|PROT_EXEC: mprotect: %s",
	    strerror(errno));
	st = h_child(child_call);
	CHECK_EXIT(st, 0, "code on a PROT_EXEC page runs");
	munmap(victim, PGSZ);
}

ATF_TC(einval);
ATF_TC_HEAD(einval, tc)
{
	atf_tc_set_md_var(tc, "descr", "mmap, munmap, mprotect refuse bad "
	    "arguments");
}
ATF_TC_BODY(einval, tc)
{
	char *p = map(PGSZ, RW, MAP_PRIVATE);
	void *r;

	ATF_REQUIRE_MSG(p != MAP_FAILED, "mmap: %s", strerror(errno));
	CHECK_ERR(mmap(NULL, 0, RW, MAP_ANON | MAP_PRIVATE, -1, 0), EINVAL,
	    "mmap of length 0: EINVAL");
	CHECK_ERR(mmap(NULL, PGSZ, RW, MAP_PRIVATE, -1, 0), EINVAL,
	    "mmap without MAP_ANON: EINVAL");
	CHECK_ERR(mmap(NULL, PGSZ, RW, MAP_ANON, -1, 0), EINVAL,
	    "mmap neither MAP_SHARED nor MAP_PRIVATE: EINVAL");
	CHECK_ERR(mmap(NULL, PGSZ, RW, MAP_ANON | MAP_SHARED | MAP_PRIVATE,
	    -1, 0), EINVAL, "mmap MAP_SHARED|MAP_PRIVATE: EINVAL");
	CHECK_ERR(mmap(p + 1, PGSZ, RW, MAP_ANON | MAP_PRIVATE | MAP_FIXED,
	    -1, 0), EINVAL, "mmap MAP_FIXED at an unaligned address: EINVAL");
	CHECK_ERR(munmap(p + 1, PGSZ), EINVAL, "munmap unaligned: EINVAL");
	CHECK_ERR(mprotect(p + 1, PGSZ, PROT_READ), EINVAL,
	    "mprotect unaligned: EINVAL");
	CHECK_ERR(mmap(NULL, 1UL << 47, RW, MAP_ANON | MAP_PRIVATE, -1, 0),
	    ENOMEM, "mmap larger than the address space: ENOMEM");

	/* Outside user space MAP_FIXED cannot be honoured; either error
	 * says so. */
	errno = 0;
	r = mmap((void *)0xffffffff80000000UL, PGSZ, RW,
	    MAP_ANON | MAP_PRIVATE | MAP_FIXED, -1, 0);
	ATF_CHECK_MSG(r == MAP_FAILED && (errno == EINVAL || errno == ENOMEM),
	    "mmap MAP_FIXED at a kernel address: EINVAL or ENOMEM: got %p (%s)",
	    r, strerror(errno));
	errno = 0;
	r = mmap(NULL, PGSZ, RW, MAP_ANON | MAP_PRIVATE | MAP_FIXED, -1, 0);
	ATF_CHECK_MSG(r == MAP_FAILED && (errno == EINVAL || errno == ENOMEM),
	    "mmap MAP_FIXED at page 0: EINVAL or ENOMEM: got %p (%s)", r,
	    strerror(errno));
	if (r != MAP_FAILED)
		munmap(r, PGSZ);	/* or NULL would not fault */
	munmap(p, PGSZ);
}

/* MAP_FIXED maps exactly where asked, replacing what was there. */
ATF_TC(fixed);
ATF_TC_HEAD(fixed, tc)
{
	atf_tc_set_md_var(tc, "descr", "MAP_FIXED maps exactly where asked");
}
ATF_TC_BODY(fixed, tc)
{
	char *p = map(4 * PGSZ, RW, MAP_PRIVATE), *q;

	ATF_REQUIRE_MSG(p != MAP_FAILED, "mmap: %s", strerror(errno));
	memset(p, 'x', 4 * PGSZ);
	q = mmap(p + PGSZ, PGSZ, RW, MAP_ANON | MAP_PRIVATE | MAP_FIXED,
	    -1, 0);
	ATF_REQUIRE_MSG(q == p + PGSZ,
	    "MAP_FIXED maps at the address given: asked for %p, got %p (%s)",
	    p + PGSZ, q, strerror(errno));
	ATF_CHECK_MSG(q[0] == 0 && p[0] == 'x' && p[2 * PGSZ] == 'x',
	    "MAP_FIXED replaces just its own pages: got %#x, around it %#x "
	    "and %#x", q[0], p[0], p[2 * PGSZ]);
	munmap(p, 4 * PGSZ);

	q = mmap(p + 2 * PGSZ, PGSZ, RW, MAP_ANON | MAP_PRIVATE | MAP_FIXED,
	    -1, 0);
	ATF_CHECK_MSG(q == p + 2 * PGSZ && q[0] == 0 && (q[1] = 1) == 1,
	    "MAP_FIXED into a hole: asked for %p, got %p (%s)",
	    p + 2 * PGSZ, q, strerror(errno));
	munmap(p, 4 * PGSZ);
}

/* The break: sbrk grows it, the memory is usable, and it shrinks.
 * Every call comes before the CHECKs, whose printing might itself
 * allocate. */
ATF_TC(sbrk);
ATF_TC_HEAD(sbrk, tc)
{
	atf_tc_set_md_var(tc, "descr", "sbrk grows and shrinks the break, up "
	    "to its limit");
}
ATF_TC_BODY(sbrk, tc)
{
	char *old, *p, *grown, *shrunk, *back, *big;
	size_t i, nbad = 0;
	int err;

	old = sbrk(0);
	p = sbrk(MB);
	grown = sbrk(0);
	if (p != (void *)-1) {
		memset(p, 0x5a, MB);
		for (i = 0; i < MB; i++)
			nbad += p[i] != 0x5a;
	}
	shrunk = sbrk(-(intptr_t)MB);
	back = sbrk(0);
	errno = 0;
	big = sbrk(2L << 30);
	err = errno;

	ATF_CHECK_MSG(p == old && grown == old + MB,
	    "sbrk(1 MiB) grows the break: break %p, sbrk gave %p, then break "
	    "%p", old, p, grown);
	ATF_CHECK_MSG(p != (void *)-1 && nbad == 0,
	    "the new break memory is usable: %zu bytes wrong", nbad);
	ATF_CHECK_MSG(shrunk == old + MB && back == old,
	    "sbrk(-1 MiB) shrinks it: sbrk gave %p, break %p, expected %p",
	    shrunk, back, old);
	ATF_CHECK_MSG(big == (void *)-1 && err == ENOMEM,
	    "sbrk past the 1 GiB limit: ENOMEM: got %p (%s)", big,
	    strerror(err));
}

/*
 * malloc/free/realloc with a fixed pseudo-random sequence: 64 slots,
 * each allocation filled with its own tag byte and checked before it
 * is freed or grown.
 */
#define NSLOT	64

static unsigned int rnd_state = 12345;

static unsigned int
rnd(void)
{
	rnd_state = rnd_state * 1103515245 + 12345;
	return rnd_state >> 16;
}

static size_t
unfilled(const char *p, size_t n, char tag)
{
	size_t i, bad = 0;

	for (i = 0; i < n; i++)
		bad += p[i] != tag;
	return bad;
}

ATF_TC(malloc);
ATF_TC_HEAD(malloc, tc)
{
	atf_tc_set_md_var(tc, "descr", "malloc, realloc, free and calloc");
}
ATF_TC_BODY(malloc, tc)
{
	static char *slot[NSLOT];
	static size_t size[NSLOT];
	static char tag[NSLOT];
	size_t n, nbad = 0, nfail = 0;
	char *p;
	int i, k;

	for (i = 0; i < 3000; i++) {
		k = rnd() % NSLOT;
		if (slot[k] != NULL && rnd() % 4 != 0) {
			nbad += unfilled(slot[k], size[k], tag[k]);
			free(slot[k]);
			slot[k] = NULL;
		} else if (slot[k] != NULL) {
			/* Grow it: the old contents must come along. */
			n = size[k] * 2 + 1;
			if ((p = realloc(slot[k], n)) == NULL) {
				nfail++;
				continue;
			}
			nbad += unfilled(p, size[k], tag[k]);
			memset(p, tag[k], n);
			slot[k] = p;
			size[k] = n;
		} else {
			/* Mostly small; one in eight up to 64 KiB. */
			n = rnd() % 8 == 0 ? rnd() % 65536 : rnd() % 256;
			n++;
			if ((slot[k] = malloc(n)) == NULL) {
				nfail++;
				continue;
			}
			tag[k] = (char)i;
			memset(slot[k], tag[k], n);
			size[k] = n;
		}
	}
	for (k = 0; k < NSLOT; k++) {
		if (slot[k] != NULL) {
			nbad += unfilled(slot[k], size[k], tag[k]);
			free(slot[k]);
			slot[k] = NULL;
		}
	}
	ATF_CHECK_MSG(nbad == 0 && nfail == 0,
	    "malloc/realloc/free: 3000 operations: %zu bytes overwritten, %zu "
	    "allocations failed", nbad, nfail);

	p = calloc(1000, 16);
	ATF_CHECK_MSG(p != NULL && unfilled(p, 16000, 0) == 0,
	    "calloc gives zeroed memory: %s", p == NULL ? "NULL" :
	    "not zero");
	free(p);
}

/*
 * The stack.  recurse(n) goes n frames deep, each with a 1 KiB array
 * it writes, and returns a sum the caller can check.  The empty asm
 * takes the array's address, so the compiler must really make it 1 KiB
 * (clang would otherwise keep just the two bytes used).
 */
static __attribute__((noinline)) long
recurse(int depth)
{
	volatile char frame[1024];

	__asm volatile("" : : "r" (frame) : "memory");
	frame[0] = (char)depth;
	frame[sizeof(frame) - 1] = (char)depth;
	if (depth == 0)
		return 0;
	return recurse(depth - 1) + frame[0] + frame[sizeof(frame) - 1];
}

static long
recurse_sum(int depth)
{
	long sum = 0;
	int d;

	for (d = 1; d <= depth; d++)
		sum += 2 * (long)(char)d;
	return sum;
}

static int
child_deep(void)
{
	/* About 6 MiB: within the 8 MiB stack. */
	return recurse(6000) == recurse_sum(6000) ? 0 : 1;
}

static int
child_true(void)
{
	return 0;
}

/*
 * The faults that kill: child_fault() does fault number `fault`, and
 * should not live to return.  The divides are in assembly so that the
 * compiler cannot fold them.
 */
static const struct fault {
	int		sig;
	const char	*name;
} faults[] = {
	{ SIGSEGV, "endless recursion hits the guard page: SIGSEGV" },
	{ SIGSEGV, "read through NULL: SIGSEGV" },
	{ SIGSEGV, "write through NULL: SIGSEGV" },
	{ SIGSEGV, "write to the program's text: SIGSEGV" },
	{ SIGSEGV, "write to read-only data: SIGSEGV" },
	{ SIGSEGV, "read a kernel address: SIGSEGV" },
	{ SIGSEGV, "read a non-canonical address: SIGSEGV" },
	{ SIGILL, "ud2: SIGILL" },
	{ SIGFPE, "divide by zero: SIGFPE" },
	{ SIGFPE, "INT_MIN / -1: SIGFPE" },
};
static int fault;

static int
child_fault(void)
{
	switch (fault) {
	case 0:		/* 64 MiB deep: through the guard page */
		(void)recurse(1 << 22);	/* past 8 MiB even with small frames */
		break;
	case 1:
		(void)peek(NULL);
		break;
	case 2:
		poke(NULL, 1);
		break;
	case 3:
		poke((void *)(uintptr_t)recurse, 0);
		break;
	case 4:
		poke((void *)code42, 0);
		break;
	case 5:
		(void)peek((void *)0xffffffff80000000UL);
		break;
	case 6:
		(void)peek((void *)0x0000800000000000UL);
		break;
	case 7:
		__asm volatile("ud2");
		break;
	case 8:
		__asm volatile("movl $1, %%eax; xorl %%edx, %%edx;"
		    " xorl %%ecx, %%ecx; divl %%ecx" : : : "eax", "ecx", "edx");
		break;
	case 9:
		__asm volatile("movl $0x80000000, %%eax; cltd; movl $-1, %%ecx;"
		    " idivl %%ecx" : : : "eax", "ecx", "edx");
		break;
	}
	return 0;
}

ATF_TC(faults);
ATF_TC_HEAD(faults, tc)
{
	atf_tc_set_md_var(tc, "descr", "the stack grows to 6 MiB; faults kill "
	    "with the right signal");
}
ATF_TC_BODY(faults, tc)
{
	size_t i;

	CHECK_EXIT(h_child(child_deep), 0,
	    "recursion 6 MiB deep on the stack");
	for (i = 0; i < __arraycount(faults); i++) {
		fault = i;
		CHECK_SIG(h_child(child_fault), faults[i].sig,
		    faults[i].name);
	}
}

/* Last: the program can still fork and wait after all that. */
ATF_TC_WITHOUT_HEAD(still_alive);
ATF_TC_BODY(still_alive, tc)
{
	CHECK_EXIT(h_child(child_true), 0,
	    "still alive: fork and wait after all that");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, anon);
	ATF_TP_ADD_TC(tp, large);
	ATF_TP_ADD_TC(tp, shared);
	ATF_TP_ADD_TC(tp, private);
	ATF_TP_ADD_TC(tp, munmap);
	ATF_TP_ADD_TC(tp, mprotect);
	ATF_TP_ADD_TC(tp, exec_prot);
	ATF_TP_ADD_TC(tp, einval);
	ATF_TP_ADD_TC(tp, fixed);
	ATF_TP_ADD_TC(tp, sbrk);
	ATF_TP_ADD_TC(tp, malloc);
	ATF_TP_ADD_TC(tp, faults);
	ATF_TP_ADD_TC(tp, still_alive);
	return atf_no_error();
}

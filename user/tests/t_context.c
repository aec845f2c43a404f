/*
 * t_context: makecontext and swapcontext (libc, user/lib/libc/
 * makecontext.c) on top of getcontext/setcontext.
 *
 * Covered: arguments reach the function in registers and on the stack
 * (6, 7 and 8 of them: both parities of stack arguments), with the
 * stack 16-byte aligned as after a call; when the function returns,
 * uc_link is resumed (a chain of them); a NULL uc_link ends the LWP,
 * and so a single-threaded process with status 0; swapcontext ping-pong
 * between two contexts many times, each resuming where it left off,
 * its locals intact; swapcontext returns 0 when resumed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <ucontext.h>

#include "h_macros.h"

#define STACKSZ	(64 * 1024)

static ucontext_t uc_main, uc_fn, uc_a, uc_b;
static volatile long got[8];
static volatile int nargs_seen, aligned, ran;

/* Was our frame 16-byte aligned (as the ABI promises after a call)? */
static int __attribute__((__noinline__))
frame_aligned(void)
{
	long double x __attribute__((__aligned__(16))) = 0;
	volatile long double *p = &x;

	return ((uintptr_t)p & 15) == 0;
}

static void
take6(long a, long b, long c, long d, long e, long f)
{
	got[0] = a; got[1] = b; got[2] = c; got[3] = d; got[4] = e; got[5] = f;
	nargs_seen = 6;
	aligned = frame_aligned();
}

static void
take7(long a, long b, long c, long d, long e, long f, long g)
{
	take6(a, b, c, d, e, f);
	got[6] = g;
	nargs_seen = 7;
	aligned = frame_aligned();
}

static void
take8(long a, long b, long c, long d, long e, long f, long g, long h)
{
	take7(a, b, c, d, e, f, g);
	got[7] = h;
	nargs_seen = 8;
	aligned = frame_aligned();
}

static void *
new_stack(ucontext_t *uc, ucontext_t *link)
{
	void *stack = malloc(STACKSZ);

	ATF_REQUIRE(stack != NULL);
	RL(getcontext(uc));
	uc->uc_stack.ss_sp = stack;
	uc->uc_stack.ss_size = STACKSZ;
	uc->uc_link = link;
	return stack;
}

/* Run a context made for n arguments, come back through uc_link. */
static void
run_with(int n)
{
	volatile int back = 0;
	void *stack;

	stack = new_stack(&uc_fn, &uc_main);
	if (n == 6)
		makecontext(&uc_fn, (void (*)())take6, 6, 10L, 11L, 12L, 13L,
		    14L, 15L);
	else if (n == 7)
		makecontext(&uc_fn, (void (*)())take7, 7, 10L, 11L, 12L, 13L,
		    14L, 15L, 16L);
	else
		makecontext(&uc_fn, (void (*)())take8, 8, 10L, 11L, 12L, 13L,
		    14L, 15L, 16L, 17L);
	nargs_seen = 0;
	aligned = 0;
	RL(getcontext(&uc_main));
	if (!back) {
		back = 1;
		RL(setcontext(&uc_fn));
		atf_tc_fail("setcontext returned");
	}
	ATF_CHECK_EQ_MSG(nargs_seen, n, "with %d arguments", n);
	for (int i = 0; i < n; i++)
		ATF_CHECK_EQ_MSG(got[i], 10 + i, "argument %d of %d", i, n);
	ATF_CHECK_MSG(aligned, "the stack was not 16-byte aligned (%d "
	    "arguments)", n);
	free(stack);
}

ATF_TC(arguments);
ATF_TC_HEAD(arguments, tc)
{
	atf_tc_set_md_var(tc, "descr", "makecontext passes 6, 7 or 8 "
	    "arguments (registers, then the stack), the stack aligned as "
	    "after a call; returning resumes uc_link");
}
ATF_TC_BODY(arguments, tc)
{
	run_with(6);
	run_with(7);
	run_with(8);
}

#define DEPTH	4
static ucontext_t chain[DEPTH];
static volatile int order[DEPTH], norder;

static void
link_fn(int i)
{
	order[norder++] = i;
}

ATF_TC(link_chain);
ATF_TC_HEAD(link_chain, tc)
{
	atf_tc_set_md_var(tc, "descr", "each context's function, returning, "
	    "resumes its uc_link: a chain runs to its end");
}
ATF_TC_BODY(link_chain, tc)
{
	volatile int back = 0;
	void *stacks[DEPTH];

	for (int i = 0; i < DEPTH; i++) {
		stacks[i] = new_stack(&chain[i], i > 0 ? &chain[i - 1] :
		    &uc_main);
		makecontext(&chain[i], (void (*)())link_fn, 1, i);
	}
	norder = 0;
	RL(getcontext(&uc_main));
	if (!back) {
		back = 1;
		RL(setcontext(&chain[DEPTH - 1]));
	}
	ATF_REQUIRE_EQ(norder, DEPTH);
	for (int i = 0; i < DEPTH; i++)
		ATF_CHECK_EQ(order[i], DEPTH - 1 - i);
	for (int i = 0; i < DEPTH; i++)
		free(stacks[i]);
}

static void
last_fn(void)
{
	ran = 1;
}

static int
child_null_link(void)
{
	(void)new_stack(&uc_fn, NULL);
	makecontext(&uc_fn, last_fn, 0);
	setcontext(&uc_fn);
	return 3;			/* not reached */
}

ATF_TC(null_link);
ATF_TC_HEAD(null_link, tc)
{
	atf_tc_set_md_var(tc, "descr", "a function whose context has no "
	    "uc_link ends the LWP when it returns: the (single-LWP) process "
	    "exits with status 0");
}
ATF_TC_BODY(null_link, tc)
{
	CHECK_EXIT(h_child(child_null_link), 0, "returned with uc_link NULL");
}

#define ROUNDS	1000
static volatile int pings, pongs;

static void
ponger(void)
{
	for (;;) {
		pongs++;
		RL(swapcontext(&uc_b, &uc_a));
	}
}

ATF_TC(ping_pong);
ATF_TC_HEAD(ping_pong, tc)
{
	atf_tc_set_md_var(tc, "descr", "swapcontext between two contexts "
	    "1000 times: each resumes where it was, locals intact, and "
	    "swapcontext returns 0 when resumed");
}
ATF_TC_BODY(ping_pong, tc)
{
	long local = 0x5eed;
	void *stack;

	stack = new_stack(&uc_b, NULL);
	makecontext(&uc_b, ponger, 0);
	for (int i = 0; i < ROUNDS; i++) {
		pings++;
		ATF_REQUIRE_EQ(swapcontext(&uc_a, &uc_b), 0);
		ATF_REQUIRE_EQ(pongs, i + 1);
	}
	ATF_CHECK_EQ(pings, ROUNDS);
	ATF_CHECK_EQ(local, 0x5eed);
	free(stack);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, arguments);
	ATF_TP_ADD_TC(tp, link_chain);
	ATF_TP_ADD_TC(tp, null_link);
	ATF_TP_ADD_TC(tp, ping_pong);
	return atf_no_error();
}

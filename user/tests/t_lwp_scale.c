/*
 * t_lwp_scale: LWPs at scale (docs/lwp.md, "How many LWPs").
 *
 *   - 10 000 LWPs alive at once in one process (each parked on a stack
 *     of its own), all in kern.lwp, unparked (_lwp_unpark_all) and
 *     collected by name (_lwp_wait): the kernel's memory comes back
 *     (kern.memstat: struct lwps and kmem exactly, pages but what the
 *     kernel's pools keep);
 *   - a process that exits with 10 000 LWPs alive takes them all;
 *   - creating LWPs until memory runs short ends in ENOMEM, cleanly:
 *     no panic, and everything comes back once the process is gone.
 *
 * 10 000 LWPs need about 200 MiB of kernel memory (a 16 KiB kernel
 * stack each, their struct lwp, turnstiles and page tables), so this
 * program needs MEM=512M: /tests/run leaves it out of its default list,
 * and the scenario utest-lwp-scale (tools/scenarios) runs it at 512M.
 * With less memory its cases are skipped, saying so.
 */
#include <sys/mman.h>
#include <sys/wait.h>
#include <kinfo.h>
#include <stdint.h>

#include "h_lwp.h"

#define NLWPS		10000
#define STACK		2048		/* each LWP's: it only parks */
#define MIB		(1024 * 1024)
#define NEED_MIB	400		/* memory these cases need */

static char *stacks;			/* NLWPS * STACK, mmap'd */
static lwpid_t lids[NLWPS];
static volatile int ready, go;

/* Skip unless the machine has NEED_MIB (MEM=512M). */
static void
need_memory(void)
{
	struct kinfo_mem km = h_memstat();
	uint64_t mib = km.km_pages_total * 4096 / MIB;

	if (mib < NEED_MIB)
		atf_tc_skip("needs MEM=512M (%d MiB of memory; this machine "
		    "has %llu)", NEED_MIB, (unsigned long long)mib);
}

/* The stacks, every page touched now, so that faulting them in later
 * does not count as the kernel's memory. */
static void
make_stacks(void)
{
	stacks = mmap(NULL, (size_t)NLWPS * STACK, PROT_READ | PROT_WRITE,
	    MAP_ANON | MAP_PRIVATE, -1, 0);
	ATF_REQUIRE_MSG(stacks != MAP_FAILED, "mmap of %d stacks: %s",
	    NLWPS, strerror(errno));
	memset(stacks, 0, (size_t)NLWPS * STACK);
}

/* Every struct lwp made since `before` has been freed by `after`; if
 * not, the LWPs there are now, to say whose is left. */
static void
check_lwps_back(const struct kinfo_mem *before, const struct kinfo_mem *after)
{
	struct kinfo_lwp *kl;
	char line[128];
	size_t n;

	ATF_CHECK_EQ_MSG(after->km_lwps, before->km_lwps,
	    "struct lwp: %llu before, %llu after",
	    (unsigned long long)before->km_lwps,
	    (unsigned long long)after->km_lwps);
	if (after->km_lwps == before->km_lwps ||
	    (kl = kinfo_getlwps(&n)) == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		printf("# %s\n", kinfo_lwp_line(line, sizeof(line), &kl[i]));
	free(kl);
}

static void
nothing(void *arg)
{
}

/* Say we are here, then park until go. */
static void
parker(void *arg)
{
	__atomic_fetch_add(&ready, 1, __ATOMIC_ACQ_REL);
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		_lwp_park(CLOCK_MONOTONIC, 0, NULL, 0, NULL, NULL);
}

/*
 * Make n parked LWPs (lids[]); -1 and errno if a create failed (*made
 * says how many were made).  Waits until every one has run.
 */
static int
make_parkers(int n, int *made)
{
	ucontext_t uc;

	ready = go = 0;
	for (*made = 0; *made < n; (*made)++) {
		_lwp_makecontext(&uc, parker, NULL, NULL,
		    stacks + (size_t)*made * STACK, STACK);
		if (_lwp_create(&uc, 0, &lids[*made]) == -1)
			return -1;
	}
	while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) < n)
		sched_yield();
	return 0;
}

/* Unpark the first n, 1024 a call, and collect each by name. */
static void
release_parkers(int n)
{
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < n; i += 1024)
		RL(_lwp_unpark_all(lids + i, n - i < 1024 ? n - i : 1024,
		    NULL));
	for (int i = 0; i < n; i++)
		ATF_REQUIRE_MSG(_lwp_wait(lids[i], NULL) == 0, "_lwp_wait of "
		    "LWP %d (%d of %d): %s", lids[i], i + 1, n,
		    strerror(errno));
}

ATF_TC(ten_thousand_live_lwps);
ATF_TC_HEAD(ten_thousand_live_lwps, tc)
{
	atf_tc_set_md_var(tc, "descr", "10 000 LWPs alive at once in one "
	    "process, each parked; kern.lwp shows them all; unparked and "
	    "collected by name, they give back the kernel's memory "
	    "(kern.memstat)");
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(ten_thousand_live_lwps, tc)
{
	struct kinfo_mem before, after;
	struct kinfo_lwp *kl;
	size_t n, ours = 0;
	int made;

	need_memory();
	make_stacks();
	/* Warm the kernel's caches up, and our own pages. */
	ATF_REQUIRE_MSG(make_parkers(64, &made) == 0, "%d made: %s", made,
	    strerror(errno));
	release_parkers(64);
	(void)h_lwp_count();
	before = h_memstat();

	ATF_REQUIRE_MSG(make_parkers(NLWPS, &made) == 0, "_lwp_create "
	    "failed after %d LWPs: %s", made, strerror(errno));
	ATF_CHECK_EQ_MSG(h_lwp_count(), NLWPS + 1, "kern.lwp.%d: %d LWPs",
	    (int)getpid(), h_lwp_count());
	ATF_REQUIRE((kl = kinfo_getlwps(&n)) != NULL);
	for (size_t i = 0; i < n; i++)
		ours += kl[i].l_pid == getpid();
	free(kl);
	ATF_CHECK_EQ_MSG(ours, (size_t)NLWPS + 1, "kern.lwp (every "
	    "process): %zu of our LWPs in %zu", ours, n);
	after = h_memstat();
	ATF_CHECK_MSG(after.km_lwps >= before.km_lwps + NLWPS, "%llu struct "
	    "lwp more", (unsigned long long)(after.km_lwps - before.km_lwps));

	release_parkers(NLWPS);
	after = h_memstat();
	ATF_CHECK_EQ(h_lwp_count(), 1);
	check_lwps_back(&before, &after);
	ATF_CHECK_EQ_MSG(after.km_kmem_inuse, before.km_kmem_inuse,
	    "kmem in use: %llu before, %llu after (the lid hash not shrunk "
	    "back?)", (unsigned long long)before.km_kmem_inuse,
	    (unsigned long long)after.km_kmem_inuse);
	/* The kernel stacks (4 pages each) must be back; the pools keep
	 * the pages of the struct lwps and turnstiles, and page tables
	 * stay: less than a page an LWP. */
	ATF_CHECK_MSG(after.km_pages_free + NLWPS >= before.km_pages_free,
	    "free pages: %llu before, %llu after",
	    (unsigned long long)before.km_pages_free,
	    (unsigned long long)after.km_pages_free);
	RL(munmap(stacks, (size_t)NLWPS * STACK));
}

/* The child of exit_takes_ten_thousand: 10 000 parked LWPs, then
 * exit(7) with them all alive (exit 1 if they could not be made). */
static void
exit_child(void)
{
	int made;

	if (make_parkers(NLWPS, &made) != 0)
		_exit(1);
	exit(7);
}

ATF_TC(exit_takes_ten_thousand);
ATF_TC_HEAD(exit_takes_ten_thousand, tc)
{
	atf_tc_set_md_var(tc, "descr", "a process that exits with 10 000 "
	    "LWPs alive (parked) takes them all with it, and its parent "
	    "gets its status; the kernel's struct lwps all come back");
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(exit_takes_ten_thousand, tc)
{
	struct kinfo_mem before, after;
	int st;

	need_memory();
	make_stacks();
	before = h_memstat();
	st = h_in_child(exit_child);
	CHECK_EXIT(st, 7, "the exit with 10 000 LWPs (exit 1: they could "
	    "not be made)");
	after = h_memstat();
	check_lwps_back(&before, &after);
	RL(munmap(stacks, (size_t)NLWPS * STACK));
}

/*
 * The child of out_of_memory_enomem, with kern.maxlwp at its ceiling:
 * suspended LWPs (they never run: one stack does for all) until
 * _lwp_create fails.  Exits 0 if that was ENOMEM after at least NLWPS;
 * 1: another error; 2: fewer than NLWPS; 3: it never failed.  Its exit
 * takes them all.
 */
static void
oom_child(void)
{
	static char stack[STACK] __attribute__((aligned(16)));
	ucontext_t uc;
	lwpid_t lid;
	int n;

	_lwp_makecontext(&uc, parker, NULL, NULL, stack, sizeof(stack));
	for (n = 0; n < 65536; n++)
		if (_lwp_create(&uc, LWP_SUSPENDED, &lid) == -1)
			break;
	printf("# t_lwp_scale: out of memory after %d LWPs: %s\n", n,
	    n < 65536 ? strerror(errno) : "(never)");
	fflush(stdout);
	if (n == 65536)
		_exit(3);
	if (errno != ENOMEM)
		_exit(1);
	_exit(n >= NLWPS ? 0 : 2);
}

ATF_TC(out_of_memory_enomem);
ATF_TC_HEAD(out_of_memory_enomem, tc)
{
	atf_tc_set_md_var(tc, "descr", "with kern.maxlwp at its ceiling "
	    "(65536), creating LWPs until memory is short ends in ENOMEM "
	    "after more than 10 000, and the kernel lives on: its struct "
	    "lwps all come back with the process");
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(out_of_memory_enomem, tc)
{
	struct kinfo_mem before, after;
	int st;

	need_memory();
	before = h_memstat();
	st = h_in_child_maxlwp(65536, oom_child);
	CHECK_EXIT(st, 0, "ENOMEM after 10 000 LWPs or more (exit 1: "
	    "another error; 2: fewer; 3: no failure at all)");
	after = h_memstat();
	check_lwps_back(&before, &after);
	/* And LWPs can be made again. */
	ATF_REQUIRE_EQ(h_lwp_count(), 1);
	RL(_lwp_wait(h_lwp_start(0, nothing, NULL, 0), NULL));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, ten_thousand_live_lwps);
	ATF_TP_ADD_TC(tp, exit_takes_ten_thousand);
	ATF_TP_ADD_TC(tp, out_of_memory_enomem);
	return atf_no_error();
}

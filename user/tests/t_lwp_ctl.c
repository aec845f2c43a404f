/*
 * t_lwp_ctl: _lwp_ctl(2), the LWP control block (sys/lwpctl.h) the
 * kernel keeps up to date in memory it shares with the process
 * (kernel/kern_lwpctl.c, mi_switch).
 *
 * Covered:
 *   - NetBSD's lwpctl_counter: lc_pctr changes across a 10 ms sleep;
 *     and it goes up once per switch in (a park that sleeps);
 *   - ENODEV for an unknown feature bit; EFAULT for a bad address;
 *   - one block per LWP: a second call (whatever the features) gives
 *     the same address, a created LWP gets a slot of its own;
 *   - lc_curcpu: the CPU the LWP runs on (kern.lwp's l_cpuid), for
 *     itself and for another LWP; LWPCTL_CPU_NONE while it does not
 *     run (runnable or asleep); it follows affinity to every CPU;
 *     LWPCTL_CPU_EXITED once the LWP has exited;
 *   - slots: an exited LWP's slot goes back (320 LWPs in turn get one
 *     from 256), never a live LWP's, not the one just freed (rotor);
 *   - fork: the child does not inherit the mapping (touching it
 *     faults, system calls given it say EFAULT) and can _lwp_ctl anew.
 */
#include <sys/lwpctl.h>
#include <sys/signal.h>
#include <sys/wait.h>
#include <stdint.h>

#include "h_lwp.h"

#define FEATURES	(LWPCTL_FEATURE_CURCPU | LWPCTL_FEATURE_PCTR)

/* Pin ourselves (the whole process) to CPU k; k < 0: anywhere. */
static void
pin_to(int k)
{
	cpuset_t *cs = h_cpuset_of(k);

	RL(sched_setaffinity_np(0, cpuset_size(cs), cs));
	cpuset_destroy(cs);
}

/*
 * Read lc and LWP lid's kern.lwp entry with no switch of the LWP in
 * between (lc_pctr and lc_curcpu the same before and after): *curcpu
 * and *kl then describe the same moment.  False if that never happened
 * in 200 tries.
 */
static bool
stable_view(lwpid_t lid, lwpctl_t *lc, int *curcpu, struct kinfo_lwp *kl)
{
	int c1, c2, p1, p2;

	for (int i = 0; i < 200; i++) {
		p1 = lc->lc_pctr;
		c1 = lc->lc_curcpu;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		ATF_REQUIRE(h_lwp_info(lid, kl));
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		c2 = lc->lc_curcpu;
		p2 = lc->lc_pctr;
		if (p1 == p2 && c1 == c2) {
			*curcpu = c1;
			return true;
		}
	}
	return false;
}

ATF_TC(lwpctl_counter);
ATF_TC_HEAD(lwpctl_counter, tc)
{
	atf_tc_set_md_var(tc, "descr", "NetBSD's lwpctl_counter: lc_pctr "
	    "is not the same after a 10 ms nanosleep (the LWP was switched "
	    "out and in)");
}
ATF_TC_BODY(lwpctl_counter, tc)
{
	struct timespec ts = { 0, 10000000 };
	lwpctl_t *lc;
	int ctr1, ctr2;

	RL(_lwp_ctl(LWPCTL_FEATURE_PCTR, &lc));
	ctr1 = lc->lc_pctr;
	RL(nanosleep(&ts, NULL));
	ctr2 = lc->lc_pctr;
	ATF_REQUIRE_MSG(ctr1 != ctr2, "counters match (%d)", ctr1);
}

/* Park `rounds' times (up to 10 s each), counting 0 returns. */
struct parker {
	lwpctl_t	*volatile lc;
	volatile int	rounds;
	volatile int	parking;	/* the park it is at (from 1) */
	volatile int	woken;
};

static void
parker(void *arg)
{
	struct parker *pk = arg;
	struct timespec ts;
	lwpctl_t *lc;

	if (_lwp_ctl(FEATURES, &lc) != 0)
		return;
	pk->lc = lc;
	for (int i = 0; i < pk->rounds; i++) {
		ts.tv_sec = 10;
		ts.tv_nsec = 0;
		__atomic_store_n(&pk->parking, i + 1, __ATOMIC_RELEASE);
		if (_lwp_park(CLOCK_MONOTONIC, 0, &ts, 0, NULL, NULL) == 0)
			pk->woken++;
	}
}

ATF_TC(lwpctl_pctr_counts_switches_in);
ATF_TC_HEAD(lwpctl_pctr_counts_switches_in, tc)
{
	atf_tc_set_md_var(tc, "descr", "lc_pctr goes up by at least one "
	    "each time the LWP is switched in: 10 parks that sleep, 10 "
	    "more; while it is parked, its lc_curcpu is LWPCTL_CPU_NONE");
}
ATF_TC_BODY(lwpctl_pctr_counts_switches_in, tc)
{
	struct parker pk = { NULL, 10, 0, 0 };
	int before = 0, i;
	lwpid_t lid;

	lid = h_lwp_start(0, parker, &pk, 0);
	for (i = 0; i < pk.rounds; i++) {
		/* Unpark it only once it sleeps in park i + 1. */
		ATF_REQUIRE_MSG(h_until(&pk.parking, i + 1),
		    "round %d: it never parked", i);
		ATF_REQUIRE_MSG(h_lwp_wait_stat(lid, LSSLEEP),
		    "round %d: it never slept", i);
		ATF_REQUIRE(pk.lc != NULL);
		if (i == 0)
			before = pk.lc->lc_pctr;
		ATF_REQUIRE_EQ_MSG(pk.lc->lc_curcpu, LWPCTL_CPU_NONE,
		    "round %d: parked, lc_curcpu %d", i, pk.lc->lc_curcpu);
		RL(_lwp_unpark(lid, NULL));
	}
	RL(_lwp_wait(lid, NULL));
	ATF_REQUIRE_EQ(pk.woken, pk.rounds);
	/* (Its block is free now, but nobody allocated another.) */
	ATF_CHECK_MSG(pk.lc->lc_pctr - before >= pk.rounds,
	    "lc_pctr went from %d to %d over %d switches in", before,
	    pk.lc->lc_pctr, pk.rounds);
}

ATF_TC(lwpctl_unknown_feature_enodev);
ATF_TC_HEAD(lwpctl_unknown_feature_enodev, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_ctl with a feature bit other "
	    "than CURCPU and PCTR: ENODEV, and the address is not written");
}
ATF_TC_BODY(lwpctl_unknown_feature_enodev, tc)
{
	static const int bad[] = { 0x4, 0x8, 0x100, 0x40000000,
	    (int)0x80000000, FEATURES | 0x4, -1 };
	lwpctl_t *lc;

	for (size_t i = 0; i < __arraycount(bad); i++) {
		lc = (lwpctl_t *)&lc;
		ATF_CHECK_ERRNO(ENODEV, _lwp_ctl(bad[i], &lc) == -1);
		ATF_CHECK_MSG(lc == (lwpctl_t *)&lc,
		    "features %#x: the address was written", bad[i]);
	}
}

ATF_TC(lwpctl_bad_address_efault);
ATF_TC_HEAD(lwpctl_bad_address_efault, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_ctl with an address pointer "
	    "outside the program's memory: EFAULT; a later call with a good "
	    "pointer works");
}
ATF_TC_BODY(lwpctl_bad_address_efault, tc)
{
	lwpctl_t *lc;

	ATF_CHECK_ERRNO(EFAULT, _lwp_ctl(FEATURES, (lwpctl_t **)8) == -1);
	ATF_CHECK_ERRNO(EFAULT,
	    _lwp_ctl(FEATURES, (lwpctl_t **)0xffff800000001000UL) == -1);
	ATF_CHECK_ERRNO(EFAULT,
	    _lwp_ctl(FEATURES, (lwpctl_t **)0x0000800000000000UL) == -1);
	RL(_lwp_ctl(FEATURES, &lc));
	ATF_CHECK(lc->lc_curcpu >= 0 && lc->lc_curcpu < h_ncpus());
}

ATF_TC(lwpctl_same_address_twice);
ATF_TC_HEAD(lwpctl_same_address_twice, tc)
{
	atf_tc_set_md_var(tc, "descr", "A second _lwp_ctl (whatever the "
	    "features asked) returns the same address");
}
ATF_TC_BODY(lwpctl_same_address_twice, tc)
{
	lwpctl_t *lc1, *lc2, *lc3, *lc4;

	RL(_lwp_ctl(FEATURES, &lc1));
	ATF_REQUIRE(lc1 != NULL);
	RL(_lwp_ctl(FEATURES, &lc2));
	RL(_lwp_ctl(LWPCTL_FEATURE_CURCPU, &lc3));
	RL(_lwp_ctl(0, &lc4));
	ATF_CHECK_EQ(lc1, lc2);
	ATF_CHECK_EQ(lc1, lc3);
	ATF_CHECK_EQ(lc1, lc4);
	ATF_CHECK_EQ((uintptr_t)lc1 % sizeof(int), 0);
}

ATF_TC(lwpctl_curcpu_is_kern_lwp_cpuid);
ATF_TC_HEAD(lwpctl_curcpu_is_kern_lwp_cpuid, tc)
{
	atf_tc_set_md_var(tc, "descr", "lc_curcpu is the CPU the LWP runs "
	    "on: for ourselves the l_cpuid kern.lwp shows, a valid CPU "
	    "index");
}
ATF_TC_BODY(lwpctl_curcpu_is_kern_lwp_cpuid, tc)
{
	struct kinfo_lwp kl;
	lwpctl_t *lc;
	int cpu, i;

	RL(_lwp_ctl(FEATURES, &lc));
	for (i = 0; i < 20; i++) {
		ATF_REQUIRE_MSG(stable_view(_lwp_self(), lc, &cpu, &kl),
		    "always switched during sysctl");
		ATF_REQUIRE_EQ(kl.l_stat, LSONPROC);
		ATF_REQUIRE_EQ_MSG(cpu, kl.l_cpuid, "lc_curcpu %d, l_cpuid %d",
		    cpu, kl.l_cpuid);
		ATF_REQUIRE_MSG(cpu >= 0 && cpu < h_ncpus(), "lc_curcpu %d", cpu);
		sched_yield();
	}
}

/* Get a block, publish it, spin until told to stop. */
struct spinner {
	lwpctl_t	*volatile lc;
	lwpctl_t	*volatile lc2;	/* a second call's answer */
	volatile int	stop;
};

static void
spinner(void *arg)
{
	struct spinner *sp = arg;
	lwpctl_t *lc, *lc2;

	if (_lwp_ctl(FEATURES, &lc) != 0 || _lwp_ctl(FEATURES, &lc2) != 0)
		return;
	sp->lc2 = lc2;
	__atomic_store_n(&sp->lc, lc, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&sp->stop, __ATOMIC_ACQUIRE))
		continue;
}

static lwpctl_t *
wait_lc(lwpctl_t *volatile *p)
{
	for (int i = 0; i < 5000 && *p == NULL; i++)
		usleep(1000);
	ATF_REQUIRE_MSG(*p != NULL, "the LWP never got its block");
	return *p;
}

ATF_TC(lwpctl_curcpu_of_another_lwp);
ATF_TC_HEAD(lwpctl_curcpu_of_another_lwp, tc)
{
	atf_tc_set_md_var(tc, "descr", "Another LWP's block, read from "
	    "here: lc_curcpu is its l_cpuid while it runs (ONPROC), "
	    "LWPCTL_CPU_NONE while it waits for a CPU (RUN)");
}
ATF_TC_BODY(lwpctl_curcpu_of_another_lwp, tc)
{
	struct spinner sp = { NULL, NULL, 0 };
	struct kinfo_lwp kl;
	int cpu, i, onproc = 0, run = 0;
	lwpctl_t *lc;
	lwpid_t lid;

	lid = h_lwp_start(0, spinner, &sp, 0);
	lc = wait_lc(&sp.lc);
	for (i = 0; i < 50; i++) {
		ATF_REQUIRE_MSG(stable_view(lid, lc, &cpu, &kl),
		    "always switched during sysctl");
		if (kl.l_stat == LSONPROC) {
			ATF_CHECK_EQ_MSG(cpu, kl.l_cpuid, "ONPROC: lc_curcpu "
			    "%d, l_cpuid %d", cpu, kl.l_cpuid);
			onproc++;
		} else {
			ATF_CHECK_EQ_MSG(kl.l_stat, LSRUN, "l_stat %d",
			    kl.l_stat);
			ATF_CHECK_EQ_MSG(cpu, LWPCTL_CPU_NONE, "RUN: lc_curcpu "
			    "%d", cpu);
			run++;
		}
		if (i % 2)
			sched_yield();
	}
	/* With one CPU, it never runs while we look. */
	if (h_ncpus() == 1)
		ATF_CHECK_EQ(onproc, 0);
	__atomic_store_n(&sp.stop, 1, __ATOMIC_RELEASE);
	RL(_lwp_wait(lid, NULL));
}

ATF_TC(lwpctl_curcpu_follows_affinity);
ATF_TC_HEAD(lwpctl_curcpu_follows_affinity, tc)
{
	atf_tc_set_md_var(tc, "descr", "Pinned to CPU k with "
	    "sched_setaffinity_np, the LWP runs on k from its next yield "
	    "on: lc_curcpu == k, for every CPU k");
}
ATF_TC_BODY(lwpctl_curcpu_follows_affinity, tc)
{
	struct kinfo_lwp kl;
	long ncpu = h_ncpus();
	lwpctl_t *lc;
	int k, i, cpu;

	if (ncpu == 1)
		atf_tc_skip("one CPU");
	RL(_lwp_ctl(FEATURES, &lc));
	/* Every CPU, up, then down. */
	for (int n = 0; n < 2 * ncpu; n++) {
		k = n < ncpu ? n : 2 * ncpu - 1 - n;
		pin_to(k);
		sched_yield();
		for (i = 0; i < 100000; i++)
			if ((cpu = lc->lc_curcpu) != k)
				break;
		ATF_REQUIRE_EQ_MSG(cpu, k, "pinned to CPU %d, lc_curcpu %d "
		    "(read %d)", k, cpu, i);
		ATF_REQUIRE(stable_view(_lwp_self(), lc, &cpu, &kl));
		ATF_REQUIRE_EQ_MSG(kl.l_cpuid, k, "l_cpuid %d", kl.l_cpuid);
	}
	pin_to(-1);
}

ATF_TC(lwpctl_created_lwp_own_slot);
ATF_TC_HEAD(lwpctl_created_lwp_own_slot, tc)
{
	atf_tc_set_md_var(tc, "descr", "A created LWP's _lwp_ctl gives a "
	    "slot of its own in the same area, distinct from ours and "
	    "stable across calls");
}
ATF_TC_BODY(lwpctl_created_lwp_own_slot, tc)
{
	struct spinner sp[3];
	lwpctl_t *mine, *lc[3];
	lwpid_t lid[3];
	int i, j;

	RL(_lwp_ctl(FEATURES, &mine));
	for (i = 0; i < 3; i++) {
		memset(&sp[i], 0, sizeof(sp[i]));
		lid[i] = h_lwp_start(i, spinner, &sp[i], 0);
	}
	for (i = 0; i < 3; i++) {
		lc[i] = wait_lc(&sp[i].lc);
		ATF_CHECK_EQ(lc[i], sp[i].lc2);
		ATF_CHECK(lc[i] != mine);
		ATF_CHECK_EQ(((uintptr_t)lc[i] - (uintptr_t)mine) %
		    sizeof(lwpctl_t), 0);
		for (j = 0; j < i; j++)
			ATF_CHECK(lc[i] != lc[j]);
	}
	/* Ours is untouched by theirs: still where we run. */
	ATF_CHECK(mine->lc_curcpu >= 0 && mine->lc_curcpu < h_ncpus());
	for (i = 0; i < 3; i++)
		__atomic_store_n(&sp[i].stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 3; i++)
		RL(_lwp_wait(lid[i], NULL));
}

/* Get a block, publish it, exit. */
static void
get_and_exit(void *arg)
{
	lwpctl_t *volatile *p = arg, *lc;

	if (_lwp_ctl(FEATURES, &lc) == 0)
		__atomic_store_n(p, lc, __ATOMIC_RELEASE);
}

ATF_TC(lwpctl_exited_reads_exited);
ATF_TC_HEAD(lwpctl_exited_reads_exited, tc)
{
	atf_tc_set_md_var(tc, "descr", "Once an LWP has exited (a zombie, "
	    "then collected) its block reads LWPCTL_CPU_EXITED");
}
ATF_TC_BODY(lwpctl_exited_reads_exited, tc)
{
	lwpctl_t *volatile lc = NULL, *mine;
	lwpid_t lid;

	RL(_lwp_ctl(FEATURES, &mine));
	lid = h_lwp_start(0, get_and_exit, (void *)&lc, 0);
	ATF_REQUIRE(h_lwp_wait_stat(lid, LSZOMB));
	ATF_REQUIRE(lc != NULL);
	ATF_CHECK_EQ_MSG(lc->lc_curcpu, LWPCTL_CPU_EXITED, "zombie: "
	    "lc_curcpu %d", lc->lc_curcpu);
	RL(_lwp_wait(lid, NULL));
	/* No other LWP has asked for a block since. */
	ATF_CHECK_EQ_MSG(lc->lc_curcpu, LWPCTL_CPU_EXITED, "collected: "
	    "lc_curcpu %d", lc->lc_curcpu);
	ATF_CHECK(mine->lc_curcpu >= 0);
}

/* Get a block, publish its address in *arg, exit. */
struct slotrec {
	lwpctl_t	*volatile lc;
	volatile int	error;
};

static void
get_slot(void *arg)
{
	struct slotrec *sr = arg;
	lwpctl_t *lc;

	if (_lwp_ctl(FEATURES, &lc) != 0)
		sr->error = errno ? errno : -1;
	else
		sr->lc = lc;
}

#define NSLOTROUNDS	320	/* more than the area's 256 slots */

ATF_TC(lwpctl_slots_reused_only_after_free);
ATF_TC_HEAD(lwpctl_slots_reused_only_after_free, tc)
{
	atf_tc_set_md_var(tc, "descr", "320 LWPs, one after the other, each "
	    "get a block and exit: each gets one (an exited LWP's slot goes "
	    "back to the bitmap: there are only 256), never the block of "
	    "an LWP that still lives (ours), and not the one just freed "
	    "(the rotor moves on); slots do come round again");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(lwpctl_slots_reused_only_after_free, tc)
{
	static struct slotrec sr;
	lwpctl_t *mine, *prev = NULL, *first = NULL;
	bool again = false;
	lwpid_t lid;

	RL(_lwp_ctl(FEATURES, &mine));
	for (int i = 0; i < NSLOTROUNDS; i++) {
		memset((void *)&sr, 0, sizeof(sr));
		lid = h_lwp_start(0, get_slot, (void *)&sr, 0);
		RL(_lwp_wait(lid, NULL));
		ATF_REQUIRE_MSG(sr.lc != NULL, "LWP %d of %d: _lwp_ctl failed, "
		    "error %d (freed slots not given back?)", i + 1,
		    NSLOTROUNDS, sr.error);
		ATF_REQUIRE_MSG(sr.lc != mine, "LWP %d got our block", i + 1);
		ATF_REQUIRE_EQ_MSG(((uintptr_t)sr.lc - (uintptr_t)mine) %
		    sizeof(lwpctl_t), 0, "LWP %d: block %p, ours %p", i + 1,
		    (void *)sr.lc, (void *)mine);
		ATF_REQUIRE_MSG(sr.lc != prev, "LWP %d got the block the LWP "
		    "before it had just freed (%p): no rotor", i + 1,
		    (void *)prev);
		ATF_REQUIRE_EQ_MSG(sr.lc->lc_curcpu, LWPCTL_CPU_EXITED,
		    "LWP %d exited: its block says %d", i + 1,
		    sr.lc->lc_curcpu);
		if (first == NULL)
			first = sr.lc;
		else if (sr.lc == first)
			again = true;
		prev = sr.lc;
	}
	ATF_CHECK_MSG(again, "%d LWPs and the first slot never came round "
	    "again", NSLOTROUNDS);
	/* Ours is still ours, and says where we run. */
	ATF_CHECK(mine->lc_curcpu >= 0 && mine->lc_curcpu < h_ncpus());
}

/*
 * fork: the child's view of the parent's block.  Exit codes: 0 all
 * well, else which check failed.
 */
static int
fork_child(lwpctl_t *lc)
{
	lwpctl_t *lc2;
	pid_t pid;
	int st;

	/* System calls given the old address: EFAULT, in and out. */
	if (clock_gettime(CLOCK_MONOTONIC, (struct timespec *)lc) != -1 ||
	    errno != EFAULT)
		return 1;
	if (_lwp_setname(0, (const char *)lc) != -1 || errno != EFAULT)
		return 2;
	/* Touching it: SIGSEGV (in a grandchild). */
	if ((pid = fork()) == -1)
		return 3;
	if (pid == 0) {
		(void)*(volatile int *)&lc->lc_curcpu;
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid)
		return 4;
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGSEGV)
		return 5;
	/* A block of our own. */
	if (_lwp_ctl(FEATURES, &lc2) != 0)
		return 6;
	if (lc2->lc_curcpu < 0 ||
	    lc2->lc_curcpu >= sysconf(_SC_NPROCESSORS_ONLN))
		return 7;
	return 0;
}

ATF_TC(lwpctl_fork_child_not_inherited);
ATF_TC_HEAD(lwpctl_fork_child_not_inherited, tc)
{
	atf_tc_set_md_var(tc, "descr", "fork does not copy the lwpctl area: "
	    "in the child the parent's block address is unmapped (reads "
	    "fault with SIGSEGV, system calls say EFAULT), and the child's "
	    "own _lwp_ctl works");
}
ATF_TC_BODY(lwpctl_fork_child_not_inherited, tc)
{
	static const char *const why[] = {
		"", "clock_gettime into it did not say EFAULT",
		"_lwp_setname from it did not say EFAULT", "fork failed",
		"waitpid failed", "reading it did not die of SIGSEGV",
		"_lwp_ctl failed", "its own block has a bad lc_curcpu",
	};
	lwpctl_t *lc;
	pid_t pid;
	int st;

	RL(_lwp_ctl(FEATURES, &lc));
	RL(pid = fork());
	if (pid == 0)
		_exit(fork_child(lc));
	RL(waitpid(pid, &st, 0));
	ATF_REQUIRE_MSG(WIFEXITED(st), "the child died, status %#x", st);
	ATF_REQUIRE_MSG(WEXITSTATUS(st) == 0, "in the child: %s",
	    WEXITSTATUS(st) < (int)__arraycount(why) ?
	    why[WEXITSTATUS(st)] : "?");
	/* Ours still works. */
	ATF_CHECK(lc->lc_curcpu >= 0 && lc->lc_curcpu < h_ncpus());
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, lwpctl_counter);
	ATF_TP_ADD_TC(tp, lwpctl_pctr_counts_switches_in);
	ATF_TP_ADD_TC(tp, lwpctl_unknown_feature_enodev);
	ATF_TP_ADD_TC(tp, lwpctl_bad_address_efault);
	ATF_TP_ADD_TC(tp, lwpctl_same_address_twice);
	ATF_TP_ADD_TC(tp, lwpctl_curcpu_is_kern_lwp_cpuid);
	ATF_TP_ADD_TC(tp, lwpctl_curcpu_of_another_lwp);
	ATF_TP_ADD_TC(tp, lwpctl_curcpu_follows_affinity);
	ATF_TP_ADD_TC(tp, lwpctl_created_lwp_own_slot);
	ATF_TP_ADD_TC(tp, lwpctl_exited_reads_exited);
	ATF_TP_ADD_TC(tp, lwpctl_slots_reused_only_after_free);
	ATF_TP_ADD_TC(tp, lwpctl_fork_child_not_inherited);
	return atf_no_error();
}

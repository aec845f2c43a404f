/*
 * t_fuzz_regress: one case for each kernel bug the system-call fuzzer
 * (/bin/fuzz, user/bin/fuzz.c) found, each written to fail (or take the
 * kernel down) without its fix.  The commit that fixed the bug says
 * which run of the fuzzer found it.
 */
#include <sys/mman.h>
#include <sys/param.h>
#include <kinfo.h>
#include <stdio.h>
#include <stdlib.h>

#include "h_lwp.h"

/*
 * struct lwps the kernel has allocated (kern.memstat) but does not list
 * (kern.lwp lists every LWP, zombies too, until it is freed): leaked
 * ones.  Not affected by processes that come and go meanwhile (ATF's
 * watchdog), as long as two reads in a row agree.
 */
static long
unlisted_lwps(void)
{
	long prev = -1, n;

	for (int i = 0; i < 100; i++) {
		struct kinfo_lwp *kl;
		size_t nl;

		REQUIRE_LIBC(kl = kinfo_getlwps(&nl), NULL);
		n = (long)h_memstat().km_lwps - (long)nl;
		free(kl);
		if (n == prev)
			return n;
		prev = n;
	}
	atf_tc_fail("the LWP counts never settled");
}

/*
 * A detached LWP that only exits: every LWP running it pushes the same
 * return address at the same place, so they can all share one stack.
 */
static char churn_stack[H_STACKSIZE] __attribute__((aligned(16)));

static void
churn(void *arg)
{
	for (;;)
		_lwp_exit();
}

/*
 * The process exits while detached LWPs are exiting on other CPUs.
 * exit_lwps (exit1) waited only until every other LWP was counted in
 * p_nzlwps, which lwp_exit does first, before it may drop p_lock (to
 * free the previous detached zombie, to drain references) and long
 * before the LWP is LSZOMB: exit_lwps then freed an LWP still in
 * lwp_exit ("l->l_stat == LSZOMB" failed in lwp_free, or worse).
 */
static void
exit_amid_exits(void)
{
	ucontext_t uc;
	lwpid_t lid;

	_lwp_makecontext(&uc, churn, NULL, NULL, churn_stack,
	    sizeof(churn_stack));
	for (int i = 0; i < 24; i++)
		if (_lwp_create(&uc, LWP_DETACHED, &lid) != 0)
			_exit(2);
	_exit(0);
}

ATF_TC(exit_while_detached_lwps_exit);
ATF_TC_HEAD(exit_while_detached_lwps_exit, tc)
{
	atf_tc_set_md_var(tc, "descr", "exit() of a process whose detached "
	    "LWPs are exiting at the same moment frees each LWP once, and "
	    "only after it is a zombie");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(exit_while_detached_lwps_exit, tc)
{
	long before, after;
	int st;

	before = unlisted_lwps();
	for (int round = 0; round < 300; round++) {
		st = h_in_child(exit_amid_exits);
		ATF_REQUIRE_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		    "round %d: wait status %#x", round, st);
	}
	after = unlisted_lwps();
	ATF_REQUIRE_EQ_MSG(after, before, "struct lwps allocated but on no "
	    "list: %ld before, %ld after", before, after);
}

/*
 * Copy faults that move CPUs.  A copyout into a page nobody touched yet
 * faults, and trap() resolves it (trap_uaccess -> vm_fault) with
 * interrupts on: the LWP may be preempted there (its time slice is up)
 * and stolen by an idle CPU, or sleep and wake up elsewhere.  trap()
 * then put the IPL back through the cpu_info it had read before -- the
 * old CPU's, clobbering its ci_ilevel under whatever that CPU ran by
 * then (the fuzzer: "ci->ci_ilevel >= IPL_SCHED" failed in
 * cpu_switchto; here: mutex_spin_exit finds the IPL below the mutex's).
 *
 * Copiers copy out (clock_gettime) into fresh pages, time slice after
 * time slice beside a busy LWP pinned to CPU 0 that holds spin mutexes
 * most of the time (sysctl kern.lwp: alllwp_lock over the whole walk);
 * the idle CPUs steal them when they are preempted; every 100 ms the
 * main LWP puts them back on CPU 0 (pins, then unpins them).
 * Without the fix this panics in about half the plain runs (3 of 6, at
 * 2 and 4 CPUs), and in every run under jitter= (11 of 11, seeds 1-8
 * at 4 CPUs and 1-3 at 2, within 2-6 s: a preemption at a lock release
 * inside vm_fault moves the copier), which is how make test runs it too
 * (utest-jitter-smp2-s3).
 */
#define CF_COPIERS	4

static volatile int cf_stop;
static char cf_stacks[CF_COPIERS + 1][H_STACKSIZE]
    __attribute__((aligned(16)));
static volatile unsigned cf_faults;

static void
cf_copier(void *arg)
{
	struct timespec *ts;
	char *p;

	while (!cf_stop) {
		p = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE,
		    MAP_ANON | MAP_PRIVATE, -1, 0);
		if (p == MAP_FAILED)
			continue;
		for (int i = 0; i < 64; i++) {
			ts = (struct timespec *)(p + i * 4096);
			(void)clock_gettime(CLOCK_MONOTONIC, ts);
		}
		(void)munmap(p, 64 * 4096);
		__atomic_add_fetch(&cf_faults, 64, __ATOMIC_RELAXED);
	}
	_lwp_exit();
}

static void
cf_locker(void *arg)
{
	static struct kinfo_lwp kl[64];
	int mib[2] = { CTL_KERN, KERN_LWP };
	size_t len;

	while (!cf_stop) {
		len = sizeof(kl);
		(void)sysctl(mib, 2, kl, &len, NULL, 0);
	}
	_lwp_exit();
}

ATF_TC(copy_fault_moves_cpu);
ATF_TC_HEAD(copy_fault_moves_cpu, tc)
{
	atf_tc_set_md_var(tc, "descr", "a copyout that faults, is preempted "
	    "in vm_fault and goes on on another CPU leaves the first CPU's "
	    "IPL alone");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(copy_fault_moves_cpu, tc)
{
	lwpid_t lids[CF_COPIERS + 1];
	long t0;

	if (h_ncpus() < 2)
		atf_tc_skip("needs 2 CPUs");
	for (int i = 0; i <= CF_COPIERS; i++) {
		ucontext_t uc;

		_lwp_makecontext(&uc, i < CF_COPIERS ? cf_copier : cf_locker,
		    NULL, NULL, cf_stacks[i], sizeof(cf_stacks[i]));
		RL(_lwp_create(&uc, LWP_SUSPENDED, &lids[i]));
		RL(h_pin_lwp(lids[i], 0));
		RL(_lwp_continue(lids[i]));
	}
	/* 10 s of guest time: how long to try, not a limit on anything. */
	for (t0 = h_msec(); h_msec() - t0 < 10000; h_sleep_ms(100))
		for (int i = 0; i < CF_COPIERS; i++) {
			RL(h_pin_lwp(lids[i], 0));
			RL(h_pin_lwp(lids[i], -1));
		}
	cf_stop = 1;
	for (int i = 0; i <= CF_COPIERS; i++)
		RL(_lwp_wait(lids[i], NULL));
	printf("copy_fault_moves_cpu: %u copy faults\n", cf_faults);
}

/*
 * A huge mapping with almost nothing in it.  Anonymous memory is
 * demand-zero, so mapping 64 TiB costs nothing; but fork copied a
 * region by looking up every 4 KiB page of it (2^34 lookups, for
 * hours, holding vm_lock: unkillable, with every other LWP of the
 * process spinning for the lock), and munmap, mprotect and exit
 * stepped through it 2 MiB at a time (2^25 steps, munmap and mprotect
 * with the pmap's spin mutex held).  Each of these must cost what is
 * resident, not the size.  The time limit is the failure: without
 * the fix the first fork does not end.
 */
#define HUGE_LEN	(64UL << 40)

ATF_TC(huge_sparse_mapping);
ATF_TC_HEAD(huge_sparse_mapping, tc)
{
	atf_tc_set_md_var(tc, "descr", "fork, mprotect, munmap and exit of "
	    "a 64 TiB mapping with two pages touched take as long as the "
	    "pages, not the size");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(huge_sparse_mapping, tc)
{
	char *p;
	pid_t pid;
	int st;

	p = mmap(NULL, HUGE_LEN, PROT_READ | PROT_WRITE, MAP_ANON |
	    MAP_PRIVATE, -1, 0);
	ATF_REQUIRE_MSG(p != MAP_FAILED, "mmap 64 TiB: %s", strerror(errno));
	p[0] = 1;
	p[HUGE_LEN - 1] = 2;
	RL(pid = fork());
	if (pid == 0)
		_exit(p[0] == 1 && p[HUGE_LEN - 1] == 2 ? 0 : 1);
	RL(waitpid(pid, &st, 0));
	ATF_REQUIRE_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "the child saw other data: wait status %#x", st);
	/* The same again, the child exiting with the mapping (exit). */
	RL(pid = fork());
	if (pid == 0)
		_exit(0);
	RL(waitpid(pid, &st, 0));
	RL(mprotect(p, HUGE_LEN, PROT_READ));
	ATF_REQUIRE_EQ(p[HUGE_LEN - 1], 2);
	RL(munmap(p, HUGE_LEN));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, exit_while_detached_lwps_exit);
	ATF_TP_ADD_TC(tp, copy_fault_moves_cpu);
	ATF_TP_ADD_TC(tp, huge_sparse_mapping);
	return atf_no_error();
}

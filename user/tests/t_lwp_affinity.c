/*
 * t_lwp_affinity: CPU affinity -- sched_setaffinity_np(3),
 * sched_getaffinity_np(3) and the system calls under them,
 * _sched_setaffinity(2)/_sched_getaffinity(2) (kernel/sys_sched.c) --
 * with libc's cpuset_*(3) and sysconf(3)'s CPU counts.
 *
 * Covered:
 *   - set/get round trips (every CPU alone, two CPUs; by pid 0, our
 *     pid, our lid; short and long sizes);
 *   - EINVAL for a size of 0 or over 1024 bytes; ESRCH for no such
 *     process or LWP; EFAULT;
 *   - an empty set (or one naming only CPUs that do not exist) clears
 *     the affinity: get says empty, kern.lwp l_affinity empty;
 *   - by pid, every LWP of the process moves to the set's CPU; new
 *     LWPs and forked children inherit it; _sched_setaffinity(0, lid)
 *     changes that LWP only;
 *   - another process's affinity, set and got by its pid;
 *   - cpuset_* (zero, set, clr, isset, size; out of range: -1 EINVAL);
 *   - sysconf(_SC_NPROCESSORS_ONLN) == sysconf(_SC_NPROCESSORS_CONF)
 *     == hw.ncpu.
 */
#include <sys/mman.h>
#include <sys/wait.h>
#include <stdint.h>

#include "h_lwp.h"

#define MAXCPU		256	/* the kernel's (and cpuset_t's) */
#define CPUSET_MAXSIZE	1024	/* bytes the calls take at most */
#define NO_SUCH_PID	99999
#define NO_SUCH_LID	9999

/* The set's CPUs 0..63 as bits (CPU i: bit i); these tests run on at
 * most 64 CPUs, and a set naming a CPU beyond 63 fails the test. */
static uint64_t
bits_of(const cpuset_t *cs)
{
	uint64_t b = 0;

	for (int i = 0; i < MAXCPU; i++)
		if (cpuset_isset(i, cs) == 1) {
			ATF_REQUIRE_MSG(i < 64, "CPU %d in the set", i);
			b |= (uint64_t)1 << i;
		}
	return b;
}

/* Our process's (lid 0: our own LWP's) affinity, as bits. */
static uint64_t
get_bits(pid_t pid, lwpid_t lid)
{
	cpuset_t *cs = h_cpuset_of(-1);
	uint64_t b;

	RL(_sched_getaffinity(pid, lid, cpuset_size(cs), cs));
	b = bits_of(cs);
	cpuset_destroy(cs);
	return b;
}

/* Set pid's (lid 0: every LWP's) affinity to CPU k alone (k < 0: none). */
static void
set_cpu(pid_t pid, lwpid_t lid, int k)
{
	cpuset_t *cs = h_cpuset_of(k);

	RL(_sched_setaffinity(pid, lid, cpuset_size(cs), cs));
	cpuset_destroy(cs);
}

static struct kinfo_lwp
info(lwpid_t lid)
{
	struct kinfo_lwp kl;

	ATF_REQUIRE_MSG(h_lwp_info(lid, &kl), "LWP %d not in kern.lwp",
	    (int)lid);
	return kl;
}

/* LWP lid's affinity in kern.lwp: its one CPU (h_lwp_affinity_cpu). */
static int
aff(lwpid_t lid)
{
	struct kinfo_lwp kl = info(lid);

	return h_lwp_affinity_cpu(&kl);
}

ATF_TC(affinity_set_get_roundtrip);
ATF_TC_HEAD(affinity_set_get_roundtrip, tc)
{
	atf_tc_set_md_var(tc, "descr", "sched_getaffinity_np returns the set "
	    "sched_setaffinity_np gave, for each CPU alone and for two; the "
	    "same by pid 0, getpid() and our lid");
}
ATF_TC_BODY(affinity_set_get_roundtrip, tc)
{
	long ncpu = h_ncpus();
	cpuset_t *cs, *got;
	uint64_t want;

	ATF_REQUIRE((got = cpuset_create()) != NULL);
	for (int k = 0; k < ncpu; k++) {
		cs = h_cpuset_of(k);
		RL(sched_setaffinity_np(0, cpuset_size(cs), cs));
		cpuset_zero(got);
		RL(sched_getaffinity_np(0, cpuset_size(got), got));
		ATF_CHECK_EQ_MSG(bits_of(got), (uint64_t)1 << k,
		    "set CPU %d, got %#llx", k,
		    (unsigned long long)bits_of(got));
		ATF_CHECK_EQ(get_bits(getpid(), 0), (uint64_t)1 << k);
		ATF_CHECK_EQ(get_bits(0, _lwp_self()), (uint64_t)1 << k);
		ATF_CHECK_EQ(get_bits(getpid(), _lwp_self()),
		    (uint64_t)1 << k);
		cpuset_destroy(cs);
	}
	if (ncpu >= 2) {
		want = 1 | (uint64_t)1 << (ncpu - 1);
		cs = h_cpuset_of(0);
		RL(cpuset_set(ncpu - 1, cs));
		RL(sched_setaffinity_np(getpid(), cpuset_size(cs), cs));
		ATF_CHECK_EQ(get_bits(0, 0), want);
		cpuset_destroy(cs);
	}
	cpuset_destroy(got);
}

ATF_TC(affinity_sizes);
ATF_TC_HEAD(affinity_sizes, tc)
{
	atf_tc_set_md_var(tc, "descr", "Sizes from 1 byte to 1024 work (the "
	    "kernel reads what it has CPUs for and writes zeros beyond); 0 "
	    "or over 1024: EINVAL, for set and get");
}
ATF_TC_BODY(affinity_sizes, tc)
{
	static uint8_t big[CPUSET_MAXSIZE + 8];
	uint32_t word;
	size_t i;

	/* One byte: CPU 0. */
	big[0] = 1;
	RL(_sched_setaffinity(0, 0, 1, (cpuset_t *)big));
	ATF_CHECK_EQ(get_bits(0, 0), 1);
	/* One word. */
	word = 0;
	RL(_sched_getaffinity(0, 0, sizeof(word), (cpuset_t *)&word));
	ATF_CHECK_EQ(word, 1);
	/* 1024 bytes: all copied out, zeros past CPU 0. */
	memset(big, 0xa5, sizeof(big));
	RL(_sched_getaffinity(0, 0, CPUSET_MAXSIZE, (cpuset_t *)big));
	ATF_CHECK_EQ(big[0], 1);
	for (i = 1; i < CPUSET_MAXSIZE; i++)
		if (big[i] != 0)
			break;
	ATF_CHECK_EQ_MSG(i, CPUSET_MAXSIZE, "byte %zu is %#x", i, big[i]);
	ATF_CHECK_EQ_MSG(big[CPUSET_MAXSIZE], 0xa5, "wrote past the size");
	RL(_sched_setaffinity(0, 0, CPUSET_MAXSIZE, (cpuset_t *)big));
	ATF_CHECK_EQ(get_bits(0, 0), 1);

	ATF_CHECK_ERRNO(EINVAL, _sched_setaffinity(0, 0, 0,
	    (cpuset_t *)big) == -1);
	ATF_CHECK_ERRNO(EINVAL, _sched_getaffinity(0, 0, 0,
	    (cpuset_t *)big) == -1);
	ATF_CHECK_ERRNO(EINVAL, sched_setaffinity_np(0, 0,
	    (cpuset_t *)big) == -1);
	ATF_CHECK_ERRNO(EINVAL, sched_getaffinity_np(0, 0,
	    (cpuset_t *)big) == -1);
	ATF_CHECK_ERRNO(EINVAL, _sched_setaffinity(0, 0, CPUSET_MAXSIZE + 1,
	    (cpuset_t *)big) == -1);
	ATF_CHECK_ERRNO(EINVAL, _sched_getaffinity(0, 0, CPUSET_MAXSIZE + 1,
	    (cpuset_t *)big) == -1);
	ATF_CHECK_ERRNO(EINVAL, _sched_setaffinity(0, 0, SIZE_MAX,
	    (cpuset_t *)big) == -1);
	ATF_CHECK_ERRNO(EINVAL, _sched_getaffinity(0, 0, SIZE_MAX,
	    (cpuset_t *)big) == -1);
	/* None of those changed anything. */
	ATF_CHECK_EQ(get_bits(0, 0), 1);
}

ATF_TC(affinity_no_such_pid_or_lid_esrch);
ATF_TC_HEAD(affinity_no_such_pid_or_lid_esrch, tc)
{
	atf_tc_set_md_var(tc, "descr", "A pid no process has (also one that "
	    "exited and was waited for), or a lid our process has no LWP "
	    "with: ESRCH, for set and get");
}
ATF_TC_BODY(affinity_no_such_pid_or_lid_esrch, tc)
{
	cpuset_t *cs = h_cpuset_of(0);
	size_t sz = cpuset_size(cs);
	pid_t pid;
	int st;

	ATF_CHECK_ERRNO(ESRCH, sched_setaffinity_np(NO_SUCH_PID, sz, cs) == -1);
	ATF_CHECK_ERRNO(ESRCH, sched_getaffinity_np(NO_SUCH_PID, sz, cs) == -1);
	ATF_CHECK_ERRNO(ESRCH, sched_setaffinity_np(-7, sz, cs) == -1);
	ATF_CHECK_ERRNO(ESRCH, sched_getaffinity_np(-7, sz, cs) == -1);

	RL(pid = fork());
	if (pid == 0)
		_exit(0);
	RL(waitpid(pid, &st, 0));
	ATF_CHECK_ERRNO(ESRCH, sched_setaffinity_np(pid, sz, cs) == -1);
	ATF_CHECK_ERRNO(ESRCH, sched_getaffinity_np(pid, sz, cs) == -1);

	ATF_CHECK_ERRNO(ESRCH,
	    _sched_setaffinity(0, NO_SUCH_LID, sz, cs) == -1);
	ATF_CHECK_ERRNO(ESRCH,
	    _sched_getaffinity(0, NO_SUCH_LID, sz, cs) == -1);
	ATF_CHECK_ERRNO(ESRCH,
	    _sched_setaffinity(getpid(), NO_SUCH_LID, sz, cs) == -1);
	/* The set with the bad lid changed nothing. */
	ATF_CHECK_EQ(get_bits(0, 0), 0);
	cpuset_destroy(cs);
}

ATF_TC(affinity_bad_pointer_efault);
ATF_TC_HEAD(affinity_bad_pointer_efault, tc)
{
	atf_tc_set_md_var(tc, "descr", "A cpuset pointer outside the "
	    "program's memory: EFAULT, for set and get");
}
ATF_TC_BODY(affinity_bad_pointer_efault, tc)
{
	static cpuset_t *const bad[] = { (cpuset_t *)8,
	    (cpuset_t *)0xffff800000001000UL,
	    (cpuset_t *)0x0000800000000000UL };

	for (size_t i = 0; i < __arraycount(bad); i++) {
		ATF_CHECK_ERRNO(EFAULT, sched_setaffinity_np(0, 8,
		    bad[i]) == -1);
		ATF_CHECK_ERRNO(EFAULT, sched_getaffinity_np(0, 8,
		    bad[i]) == -1);
	}
	ATF_CHECK_EQ(get_bits(0, 0), 0);
}

ATF_TC(affinity_empty_set_clears);
ATF_TC_HEAD(affinity_empty_set_clears, tc)
{
	atf_tc_set_md_var(tc, "descr", "An empty set, or one naming only "
	    "CPUs that do not exist, clears the affinity: get returns an "
	    "empty set, kern.lwp's l_affinity is empty");
}
ATF_TC_BODY(affinity_empty_set_clears, tc)
{
	long ncpu = h_ncpus(), k = ncpu - 1;
	cpuset_t *cs;

	ATF_CHECK_EQ(aff(_lwp_self()), -1);	/* at first */
	set_cpu(0, 0, k);
	ATF_CHECK_EQ(aff(_lwp_self()), k);
	set_cpu(0, 0, -1);
	ATF_CHECK_EQ(get_bits(0, 0), 0);
	ATF_CHECK_EQ(aff(_lwp_self()), -1);

	if (ncpu < MAXCPU) {
		set_cpu(0, 0, k);
		cs = h_cpuset_of(MAXCPU - 1);
		RL(sched_setaffinity_np(0, cpuset_size(cs), cs));
		ATF_CHECK_EQ(get_bits(0, 0), 0);
		ATF_CHECK_EQ(aff(_lwp_self()), -1);
		cpuset_destroy(cs);
	}
}

/* Yield until told to stop. */
static volatile int stop;

static void
yielder(void *arg)
{
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE))
		sched_yield();
}

/* Wait (5 s at most) until every LWP in lids runs or ran on CPU k. */
static bool
all_on(const lwpid_t *lids, int n, int k)
{
	struct timespec t0, t;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		for (i = 0; i < n; i++)
			if (info(lids[i]).l_cpuid != k)
				break;
		if (i == n)
			return true;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 5)
			return false;
		sched_yield();
	}
}

ATF_TC(affinity_pid_moves_every_lwp);
ATF_TC_HEAD(affinity_pid_moves_every_lwp, tc)
{
	atf_tc_set_md_var(tc, "descr", "Setting a process's affinity (by "
	    "pid) gives it to every LWP: kern.lwp shows each with that "
	    "l_affinity, and on that CPU once they have yielded; an LWP "
	    "created afterwards inherits it");
}
ATF_TC_BODY(affinity_pid_moves_every_lwp, tc)
{
	long ncpu = h_ncpus();
	lwpid_t lids[5];
	int i, k;

	if (ncpu == 1)
		atf_tc_skip("one CPU");
	lids[0] = _lwp_self();
	for (i = 1; i < 4; i++)
		lids[i] = h_lwp_start(i, yielder, NULL, 0);
	/* The last CPU, then the first. */
	for (int n = 0; n < 2; n++) {
		k = n == 0 ? ncpu - 1 : 0;
		set_cpu(getpid(), 0, k);
		for (i = 0; i < 4; i++)
			ATF_CHECK_EQ_MSG(aff(lids[i]), k, "LWP %d",
			    (int)lids[i]);
		ATF_CHECK_MSG(all_on(lids, 4, k), "not all LWPs on CPU %d",
		    k);
	}
	/* A new LWP: the same affinity, its creator's. */
	lids[4] = h_lwp_start(4, yielder, NULL, 0);
	ATF_CHECK_EQ(aff(lids[4]), 0);
	ATF_CHECK_EQ(get_bits(0, lids[4]), 1);
	ATF_CHECK(all_on(lids, 5, 0));
	stop = 1;
	for (i = 1; i < 5; i++)
		RL(_lwp_wait(lids[i], NULL));
}

ATF_TC(affinity_lid_only_that_lwp);
ATF_TC_HEAD(affinity_lid_only_that_lwp, tc)
{
	atf_tc_set_md_var(tc, "descr", "_sched_setaffinity(0, lid, ...) "
	    "gives the set to that LWP only: it moves there, the others "
	    "keep none; _sched_getaffinity by lid tells them apart");
}
ATF_TC_BODY(affinity_lid_only_that_lwp, tc)
{
	long ncpu = h_ncpus();
	int k = ncpu - 1;
	lwpid_t lid[2];

	lid[0] = h_lwp_start(0, yielder, NULL, 0);
	lid[1] = h_lwp_start(1, yielder, NULL, 0);
	set_cpu(0, lid[0], k);
	ATF_CHECK_EQ(aff(lid[0]), k);
	ATF_CHECK_EQ(aff(lid[1]), -1);
	ATF_CHECK_EQ(aff(_lwp_self()), -1);
	ATF_CHECK_EQ(get_bits(0, lid[0]), (uint64_t)1 << k);
	ATF_CHECK_EQ(get_bits(0, lid[1]), 0);
	ATF_CHECK_EQ(get_bits(0, 0), 0);	/* lid 0: ourselves */
	ATF_CHECK(all_on(&lid[0], 1, k));
	/* Back to none, by lid too. */
	set_cpu(0, lid[0], -1);
	ATF_CHECK_EQ(aff(lid[0]), -1);
	stop = 1;
	RL(_lwp_wait(lid[0], NULL));
	RL(_lwp_wait(lid[1], NULL));
}

ATF_TC(affinity_other_process_by_pid);
ATF_TC_HEAD(affinity_other_process_by_pid, tc)
{
	atf_tc_set_md_var(tc, "descr", "A forked child inherits our "
	    "affinity; we set and get its affinity by its pid, and it sees "
	    "the change");
}
ATF_TC_BODY(affinity_other_process_by_pid, tc)
{
	volatile int *page;
	long ncpu = h_ncpus();
	int k = ncpu - 1, st;
	pid_t pid;

	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANON,
	    -1, 0);
	ATF_REQUIRE(page != MAP_FAILED);
	set_cpu(0, 0, 0);
	RL(pid = fork());
	if (pid == 0) {
		/* page[0]: what we inherited; then wait for page[1]. */
		page[0] = (int)get_bits(0, 0);
		while (!__atomic_load_n(&page[1], __ATOMIC_ACQUIRE))
			sched_yield();
		page[2] = (int)get_bits(0, 0);
		_exit(0);
	}
	ATF_REQUIRE(h_until(&page[0], 1));
	ATF_CHECK_EQ(get_bits(pid, 0), 1);
	set_cpu(pid, 0, k);
	ATF_CHECK_EQ(get_bits(pid, 0), (uint64_t)1 << k);
	ATF_CHECK_EQ(get_bits(0, 0), 1);		/* ours unchanged */
	__atomic_store_n(&page[1], 1, __ATOMIC_RELEASE);
	RL(waitpid(pid, &st, 0));
	ATF_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ATF_CHECK_EQ_MSG(page[2], 1 << k, "the child saw %#x", page[2]);
}

ATF_TC(cpuset_functions);
ATF_TC_HEAD(cpuset_functions, tc)
{
	atf_tc_set_md_var(tc, "descr", "cpuset_create/zero/set/clr/isset/"
	    "size: a new set is empty; set and clr change one CPU; isset "
	    "says 1 or 0, and -1 (EINVAL) out of range, as set and clr do");
}
ATF_TC_BODY(cpuset_functions, tc)
{
	cpuset_t *cs;
	int i;

	ATF_REQUIRE((cs = cpuset_create()) != NULL);
	ATF_CHECK(cpuset_size(cs) >= MAXCPU / 8);
	for (i = 0; i < MAXCPU; i++)
		ATF_CHECK_EQ_MSG(cpuset_isset(i, cs), 0, "CPU %d", i);
	RL(cpuset_set(0, cs));
	RL(cpuset_set(5, cs));
	RL(cpuset_set(31, cs));
	RL(cpuset_set(32, cs));
	RL(cpuset_set(63, cs));
	RL(cpuset_set(5, cs));			/* again: no change */
	ATF_CHECK_EQ(bits_of(cs), 1ULL | 1ULL << 5 | 1ULL << 31 |
	    1ULL << 32 | 1ULL << 63);
	RL(cpuset_clr(5, cs));
	RL(cpuset_clr(6, cs));			/* not set: no change */
	ATF_CHECK_EQ(cpuset_isset(5, cs), 0);
	ATF_CHECK_EQ(cpuset_isset(32, cs), 1);
	ATF_CHECK_EQ(bits_of(cs), 1ULL | 1ULL << 31 | 1ULL << 32 |
	    1ULL << 63);
	/* The last CPU a set holds, and those beside it. */
	RL(cpuset_set(MAXCPU - 1, cs));
	ATF_CHECK_EQ(cpuset_isset(MAXCPU - 1, cs), 1);
	ATF_CHECK_EQ(cpuset_isset(MAXCPU - 2, cs), 0);
	ATF_CHECK_EQ(cpuset_isset(64, cs), 0);
	RL(cpuset_clr(MAXCPU - 1, cs));
	ATF_CHECK_EQ(cpuset_isset(MAXCPU - 1, cs), 0);

	ATF_CHECK_ERRNO(EINVAL, cpuset_isset(MAXCPU, cs) == -1);
	ATF_CHECK_ERRNO(EINVAL, cpuset_isset(1000, cs) == -1);
	ATF_CHECK_ERRNO(EINVAL, cpuset_isset((cpuid_t)-1, cs) == -1);
	ATF_CHECK_ERRNO(EINVAL, cpuset_set(MAXCPU, cs) == -1);
	ATF_CHECK_ERRNO(EINVAL, cpuset_clr(MAXCPU, cs) == -1);

	cpuset_zero(cs);
	ATF_CHECK_EQ(bits_of(cs), 0);
	cpuset_destroy(cs);
}

ATF_TC(sysconf_ncpu_is_hw_ncpu);
ATF_TC_HEAD(sysconf_ncpu_is_hw_ncpu, tc)
{
	atf_tc_set_md_var(tc, "descr", "sysconf(_SC_NPROCESSORS_ONLN) == "
	    "sysconf(_SC_NPROCESSORS_CONF) == sysctl hw.ncpu, at least 1; "
	    "each of those CPUs takes an affinity, the next does not exist");
}
ATF_TC_BODY(sysconf_ncpu_is_hw_ncpu, tc)
{
	int mib[2] = { CTL_HW, HW_NCPU }, n;
	size_t len = sizeof(n);
	long onln, conf;

	RL(onln = sysconf(_SC_NPROCESSORS_ONLN));
	RL(conf = sysconf(_SC_NPROCESSORS_CONF));
	RL(sysctl(mib, 2, &n, &len, NULL, 0));
	ATF_CHECK_EQ(len, sizeof(n));
	ATF_CHECK(n >= 1);
	ATF_CHECK_EQ(onln, n);
	ATF_CHECK_EQ(conf, n);
	/* CPU n - 1 exists: it sticks; CPU n does not: the set is empty. */
	set_cpu(0, 0, n - 1);
	ATF_CHECK_EQ(get_bits(0, 0), (uint64_t)1 << (n - 1));
	if (n < MAXCPU) {
		set_cpu(0, 0, n);
		ATF_CHECK_EQ(get_bits(0, 0), 0);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, affinity_set_get_roundtrip);
	ATF_TP_ADD_TC(tp, affinity_sizes);
	ATF_TP_ADD_TC(tp, affinity_no_such_pid_or_lid_esrch);
	ATF_TP_ADD_TC(tp, affinity_bad_pointer_efault);
	ATF_TP_ADD_TC(tp, affinity_empty_set_clears);
	ATF_TP_ADD_TC(tp, affinity_pid_moves_every_lwp);
	ATF_TP_ADD_TC(tp, affinity_lid_only_that_lwp);
	ATF_TP_ADD_TC(tp, affinity_other_process_by_pid);
	ATF_TP_ADD_TC(tp, cpuset_functions);
	ATF_TP_ADD_TC(tp, sysconf_ncpu_is_hw_ncpu);
	return atf_no_error();
}

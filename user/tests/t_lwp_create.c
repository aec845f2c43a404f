/*
 * t_lwp_create: _lwp_create(2) and _lwp_exit(2): NetBSD's own cases
 * (tests/lib/libc/sys/t_lwp_create.c, restated), every errno path, the
 * creation flags, _lwp_makecontext's amd64 ABI, what the last
 * _lwp_exit and a process-wide exit/exec/fault do to the other LWPs,
 * and create/exit loops that must leave the kernel's memory as it was.
 */
#include <sys/mman.h>
#include <sys/wait.h>
#include <machine/psl.h>
#include <machine/segments.h>
#include <machine/vmparam.h>
#include <signal.h>
#include <stdint.h>
#include <ucontext.h>

#include "h_lwp.h"

static volatile lwpid_t the_lwp;
static volatile int hits;

static void
record_self(void *arg)
{
	the_lwp = _lwp_self();
	_lwp_exit();
}

ATF_TC(lwp_create_works);
ATF_TC_HEAD(lwp_create_works, tc)
{
	atf_tc_set_md_var(tc, "descr", "an LWP made with _lwp_makecontext "
	    "runs, knows its own lid, and is collected by _lwp_wait "
	    "(NetBSD's lwp_create_works)");
}
ATF_TC_BODY(lwp_create_works, tc)
{
	ucontext_t uc;
	lwpid_t lid;

	_lwp_makecontext(&uc, record_self, NULL, NULL, h_stacks[0],
	    H_STACKSIZE);
	RL(_lwp_create(&uc, 0, &lid));
	RL(_lwp_wait(lid, NULL));
	ATF_REQUIRE_EQ(lid, the_lwp);
	ATF_REQUIRE(lid != _lwp_self());
}

/* NetBSD's invalid-context cases: getcontext, _UC_CPU only, one
 * change, EINVAL. */
static void
bad_context(void (*change)(ucontext_t *))
{
	ucontext_t uc;
	lwpid_t lid = 0;

	RL(getcontext(&uc));
	uc.uc_flags = _UC_CPU;
	change(&uc);
	ATF_REQUIRE_ERRNO(EINVAL, _lwp_create(&uc, 0, &lid) == -1);
	ATF_REQUIRE_EQ(h_lwp_count(), 1);	/* nothing was made */
}

static void no_uc_cpu(ucontext_t *uc) { uc->uc_flags &= ~_UC_CPU; }
static void mbz_rflags(ucontext_t *uc)
{ uc->uc_mcontext.__gregs[_REG_RFLAGS] |= PSL_MBZ; }
static void iopl_rflags(ucontext_t *uc)
{ uc->uc_mcontext.__gregs[_REG_RFLAGS] |= PSL_IOPL; }
static void pc_too_high(ucontext_t *uc)
{ uc->uc_mcontext.__gregs[_REG_RIP] = VM_MAXUSER_ADDRESS; }
static void pc_kernel(ucontext_t *uc)
{ uc->uc_mcontext.__gregs[_REG_RIP] = 0xffffffff80100000UL; }
static void kernel_cs(ucontext_t *uc)
{ uc->uc_mcontext.__gregs[_REG_CS] = GSEL(GUCODE_SEL, 0); }
static void bad_ds(ucontext_t *uc)
{ uc->uc_mcontext.__gregs[_REG_DS] = 0x8; }
static void bad_tls(ucontext_t *uc)
{
	uc->uc_flags |= _UC_TLSBASE;
	uc->uc_mcontext._mc_tlsbase = 0x8000000000000000UL;
}

ATF_TC(lwp_create_generic_fail_no_uc_cpu);
ATF_TC_HEAD(lwp_create_generic_fail_no_uc_cpu, tc)
{
	atf_tc_set_md_var(tc, "descr", "a context without _UC_CPU: EINVAL");
}
ATF_TC_BODY(lwp_create_generic_fail_no_uc_cpu, tc)
{
	bad_context(no_uc_cpu);
}

ATF_TC(lwp_create_amd64_fail_untouchable_rflags);
ATF_TC_HEAD(lwp_create_amd64_fail_untouchable_rflags, tc)
{
	atf_tc_set_md_var(tc, "descr", "RFLAGS with must-be-zero or IOPL "
	    "bits set: EINVAL");
}
ATF_TC_BODY(lwp_create_amd64_fail_untouchable_rflags, tc)
{
	bad_context(mbz_rflags);
	bad_context(iopl_rflags);
}

ATF_TC(lwp_create_amd64_fail_pc_too_high);
ATF_TC_HEAD(lwp_create_amd64_fail_pc_too_high, tc)
{
	atf_tc_set_md_var(tc, "descr", "RIP at VM_MAXUSER_ADDRESS or in "
	    "the kernel: EINVAL");
}
ATF_TC_BODY(lwp_create_amd64_fail_pc_too_high, tc)
{
	bad_context(pc_too_high);
	bad_context(pc_kernel);
}

ATF_TC(lwp_create_amd64_fail_selectors);
ATF_TC_HEAD(lwp_create_amd64_fail_selectors, tc)
{
	atf_tc_set_md_var(tc, "descr", "a kernel code selector, a bad data "
	    "selector, a TLS base outside user space: EINVAL");
}
ATF_TC_BODY(lwp_create_amd64_fail_selectors, tc)
{
	bad_context(kernel_cs);
	bad_context(bad_ds);
	bad_context(bad_tls);
}

ATF_TC(lwp_create_efault);
ATF_TC_HEAD(lwp_create_efault, tc)
{
	atf_tc_set_md_var(tc, "descr", "a bad context or lid pointer: "
	    "EFAULT, and no LWP is made");
}
ATF_TC_BODY(lwp_create_efault, tc)
{
	ucontext_t uc;
	lwpid_t lid;

	_lwp_makecontext(&uc, record_self, NULL, NULL, h_stacks[0],
	    H_STACKSIZE);
	ATF_REQUIRE_ERRNO(EFAULT, _lwp_create(NULL, 0, &lid) == -1);
	ATF_REQUIRE_ERRNO(EFAULT,
	    _lwp_create((ucontext_t *)0xffffffff80000000UL, 0, &lid) == -1);
	ATF_REQUIRE_ERRNO(EFAULT, _lwp_create(&uc, 0, NULL) == -1);
	ATF_REQUIRE_ERRNO(EFAULT,
	    _lwp_create(&uc, 0, (lwpid_t *)VM_MAXUSER_ADDRESS - 0) == -1);
	ATF_REQUIRE_EQ(h_lwp_count(), 1);
}

static void
park_forever(void *arg)
{
	for (;;)
		_lwp_park(CLOCK_MONOTONIC, 0, NULL, 0, NULL, NULL);
}

ATF_TC(lwp_create_eagain);
ATF_TC_HEAD(lwp_create_eagain, tc)
{
	atf_tc_set_md_var(tc, "descr", "a process has at most "
	    "MAXLWP_PER_PROC (256) LWPs; the next _lwp_create: EAGAIN");
}
ATF_TC_BODY(lwp_create_eagain, tc)
{
	static lwpid_t lids[300];
	ucontext_t uc;
	int n;

	/* Suspended: they never run, so one stack does for all. */
	_lwp_makecontext(&uc, park_forever, NULL, NULL, h_stacks[0],
	    H_STACKSIZE);
	for (n = 0; n < 300; n++)
		if (_lwp_create(&uc, LWP_SUSPENDED, &lids[n]) == -1)
			break;
	ATF_REQUIRE_EQ_MSG(errno, EAGAIN, "stopped at %d: %s", n,
	    strerror(errno));
	ATF_REQUIRE_EQ(n, 255);			/* + ourselves = 256 */
	ATF_REQUIRE_EQ(h_lwp_count(), 256);
	/* (The process's exit takes them all.) */
}

ATF_TC(lwp_create_detached);
ATF_TC_HEAD(lwp_create_detached, tc)
{
	atf_tc_set_md_var(tc, "descr", "LWP_DETACHED: the LWP runs, cannot "
	    "be waited for (EINVAL while it lives) and is freed without "
	    "_lwp_wait");
}
ATF_TC_BODY(lwp_create_detached, tc)
{
	lwpid_t lid;

	lid = h_lwp_start(0, park_forever, NULL, LWP_DETACHED);
	ATF_REQUIRE(h_lwp_wait_stat(lid, LSSLEEP));
	ATF_REQUIRE_ERRNO(EINVAL, _lwp_wait(lid, NULL) == -1);
	ATF_REQUIRE_ERRNO(ESRCH, _lwp_wait(0, NULL) == -1);
	ATF_REQUIRE_ERRNO(EINVAL, _lwp_detach(lid) == -1);

	lid = h_lwp_start(1, record_self, NULL, LWP_DETACHED);
	ATF_REQUIRE(h_lwp_wait_exited(lid));
	ATF_REQUIRE_EQ(the_lwp, lid);
	/* The wait frees the detached zombie first, then finds nothing. */
	ATF_REQUIRE_ERRNO(ESRCH, _lwp_wait(lid, NULL) == -1);
	ATF_REQUIRE_EQ(h_lwp_stat(lid), 0);
}

static void
count_and_exit(void *arg)
{
	__atomic_fetch_add(&hits, (int)(intptr_t)arg, __ATOMIC_SEQ_CST);
	_lwp_exit();
}

ATF_TC(lwp_create_suspended);
ATF_TC_HEAD(lwp_create_suspended, tc)
{
	atf_tc_set_md_var(tc, "descr", "LWP_SUSPENDED: the LWP is "
	    "SUSPENDED and does not run until _lwp_continue");
}
ATF_TC_BODY(lwp_create_suspended, tc)
{
	lwpid_t lid;

	hits = 0;
	lid = h_lwp_start(0, count_and_exit, (void *)1, LWP_SUSPENDED);
	ATF_REQUIRE_EQ(h_lwp_stat(lid), LSSUSPENDED);
	usleep(30000);
	ATF_REQUIRE_EQ(hits, 0);
	RL(_lwp_continue(lid));
	RL(_lwp_wait(lid, NULL));
	ATF_REQUIRE_EQ(hits, 1);
}

/* What an LWP finds on entry: its argument, TLS pointer, and a stack
 * aligned as after a call (16n + 8). */
static volatile uintptr_t seen_sp, seen_arg, seen_private;

static void __attribute__((noinline))
abi_probe(void *arg)
{
	seen_arg = (uintptr_t)arg;
	seen_private = (uintptr_t)_lwp_getprivate();
	seen_sp = (uintptr_t)__builtin_frame_address(0);
	/* returns: into _lwp_exit */
}

ATF_TC(lwp_makecontext_abi);
ATF_TC_HEAD(lwp_makecontext_abi, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_makecontext: RDI = arg, the "
	    "TLS base = private, a 16-byte aligned stack, and returning "
	    "from the function ends the LWP (it returns into _lwp_exit)");
}
ATF_TC_BODY(lwp_makecontext_abi, tc)
{
	static char tls[64];
	ucontext_t uc;
	lwpid_t lid;

	_lwp_makecontext(&uc, abi_probe, (void *)0x1234, tls,
	    h_stacks[0] + 3, H_STACKSIZE - 3);	/* a misaligned top */
	ATF_REQUIRE(uc.uc_flags & _UC_TLSBASE);
	ATF_REQUIRE_EQ((uc.uc_mcontext.__gregs[_REG_RSP] + 8) % 16, 0);
	RL(_lwp_create(&uc, 0, &lid));
	RL(_lwp_wait(lid, NULL));
	ATF_REQUIRE_EQ(seen_arg, 0x1234);
	ATF_REQUIRE_EQ(seen_private, (uintptr_t)tls);
	/* The frame pointer is the pushed %rbp: 16-byte aligned. */
	ATF_REQUIRE_EQ(seen_sp % 16, 0);
	ATF_REQUIRE((char *)seen_sp > h_stacks[0] &&
	    (char *)seen_sp < h_stacks[0] + H_STACKSIZE);
}


static void
main_exits_first_child(void)
{
	/* Whichever of the two exits second is the last. */
	h_lwp_start(0, count_and_exit, (void *)0, 0);
	_lwp_exit();
}

static void
spin(void *arg)
{
	for (;;)
		hits++;
}

ATF_TC(lwp_exit_last_ends_process);
ATF_TC_HEAD(lwp_exit_last_ends_process, tc)
{
	atf_tc_set_md_var(tc, "descr", "the last LWP's _lwp_exit ends the "
	    "process with status 0, whichever LWP that is");
}
ATF_TC_BODY(lwp_exit_last_ends_process, tc)
{
	int status;

	status = h_in_child(main_exits_first_child);
	ATF_REQUIRE(WIFEXITED(status));
	ATF_REQUIRE_EQ(WEXITSTATUS(status), 0);
}

static void
exit_with_others_child(void)
{
	h_lwp_start(0, spin, NULL, 0);		/* running */
	h_lwp_start(1, park_forever, NULL, 0);	/* asleep, interruptibly */
	h_lwp_start(2, park_forever, NULL, LWP_SUSPENDED);
	h_lwp_start(3, park_forever, NULL, LWP_DETACHED);
	usleep(20000);
	exit(7);
}

/* A write to 0 (that SANITIZE=undefined's null check lets happen). */
static void __attribute__((__no_sanitize__("null")))
fault_child(void *arg)
{
	*(volatile int *)0 = 1;
}

static void
fault_with_others_child(void)
{
	h_lwp_start(0, spin, NULL, 0);
	h_lwp_start(1, park_forever, NULL, 0);
	usleep(20000);
	h_lwp_start(2, fault_child, NULL, 0);
	for (;;)
		_lwp_park(CLOCK_MONOTONIC, 0, NULL, 0, NULL, NULL);
}

static void
exec_from_lwp(void *arg)
{
	char *argv[] = { "true", NULL }, *envp[] = { NULL };

	execve("/bin/true", argv, envp);
	_exit(98);
}

static void
exec_with_others_child(void)
{
	h_lwp_start(0, spin, NULL, 0);
	h_lwp_start(1, park_forever, NULL, LWP_SUSPENDED);
	usleep(20000);
	h_lwp_start(2, exec_from_lwp, NULL, 0);
	for (;;)
		_lwp_park(CLOCK_MONOTONIC, 0, NULL, 0, NULL, NULL);
}

ATF_TC(process_exit_takes_every_lwp);
ATF_TC_HEAD(process_exit_takes_every_lwp, tc)
{
	atf_tc_set_md_var(tc, "descr", "exit(), a fault in any LWP and "
	    "execve() from any LWP end every other LWP -- running, "
	    "parked, suspended or detached (exit1, exit_lwps)");
}
ATF_TC_BODY(process_exit_takes_every_lwp, tc)
{
	int status;

	status = h_in_child(exit_with_others_child);
	ATF_REQUIRE(WIFEXITED(status));
	ATF_REQUIRE_EQ(WEXITSTATUS(status), 7);

	status = h_in_child(fault_with_others_child);
	ATF_REQUIRE(WIFSIGNALED(status));
	ATF_REQUIRE_EQ(WTERMSIG(status), SIGSEGV);

	status = h_in_child(exec_with_others_child);
	ATF_REQUIRE_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "status %#x", status);
}

/* Create, run, exit, collect: `rounds` times, `batch` at once. */
static void
churn(int rounds, int batch, unsigned long flags)
{
	lwpid_t lids[H_NSTACKS];

	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < batch; i++)
			lids[i] = h_lwp_start(i, count_and_exit, (void *)1,
			    flags);
		if (flags & LWP_DETACHED) {
			for (int i = 0; i < batch; i++)
				ATF_REQUIRE(h_lwp_wait_exited(lids[i]));
		} else
			for (int i = 0; i < batch; i++)
				RL(_lwp_wait(lids[i], NULL));
	}
}

ATF_TC(lwp_create_stress_no_leak);
ATF_TC_HEAD(lwp_create_stress_no_leak, tc)
{
	atf_tc_set_md_var(tc, "descr", "hundreds of LWPs created, run and "
	    "collected (waited for, or detached) leave the kernel's "
	    "allocations (kern.memstat) as they were");
}
ATF_TC_BODY(lwp_create_stress_no_leak, tc)
{
	struct kinfo_mem before, after;

	/* Warm up: the kernel's caches, and our own pages (the stacks,
	 * h_lwp.h's buffers) that would otherwise be faulted in below. */
	churn(2, 8, 0);
	churn(2, 8, LWP_DETACHED);
	ATF_REQUIRE_ERRNO(ESRCH, _lwp_wait(0, NULL) == -1);
	(void)h_lwp_count();
	before = h_memstat();
	hits = 0;
	churn(40, 8, 0);		/* 320 waited for */
	churn(20, 8, LWP_DETACHED);	/* 160 detached */
	ATF_REQUIRE_EQ(hits, 480);
	/* The last detached zombie waits for this to free it. */
	ATF_REQUIRE_ERRNO(ESRCH, _lwp_wait(0, NULL) == -1);
	after = h_memstat();
	ATF_REQUIRE_EQ(h_lwp_count(), 1);
	ATF_REQUIRE_EQ_MSG(after.km_lwps, before.km_lwps,
	    "struct lwp: %llu before, %llu after",
	    (unsigned long long)before.km_lwps,
	    (unsigned long long)after.km_lwps);
	ATF_REQUIRE_EQ_MSG(after.km_kmem_inuse, before.km_kmem_inuse,
	    "kmem in use: %llu before, %llu after",
	    (unsigned long long)before.km_kmem_inuse,
	    (unsigned long long)after.km_kmem_inuse);
	/* Pages: a leak per LWP would be hundreds; a page-table page or a
	 * pool page the kernel keeps for later is not one. */
	ATF_REQUIRE_MSG(after.km_pages_free + 4 >= before.km_pages_free,
	    "free pages: %llu before, %llu after",
	    (unsigned long long)before.km_pages_free,
	    (unsigned long long)after.km_pages_free);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, lwp_create_works);
	ATF_TP_ADD_TC(tp, lwp_create_generic_fail_no_uc_cpu);
	ATF_TP_ADD_TC(tp, lwp_create_amd64_fail_untouchable_rflags);
	ATF_TP_ADD_TC(tp, lwp_create_amd64_fail_pc_too_high);
	ATF_TP_ADD_TC(tp, lwp_create_amd64_fail_selectors);
	ATF_TP_ADD_TC(tp, lwp_create_efault);
	ATF_TP_ADD_TC(tp, lwp_create_eagain);
	ATF_TP_ADD_TC(tp, lwp_create_detached);
	ATF_TP_ADD_TC(tp, lwp_create_suspended);
	ATF_TP_ADD_TC(tp, lwp_makecontext_abi);
	ATF_TP_ADD_TC(tp, lwp_exit_last_ends_process);
	ATF_TP_ADD_TC(tp, process_exit_takes_every_lwp);
	ATF_TP_ADD_TC(tp, lwp_create_stress_no_leak);
	return atf_no_error();
}

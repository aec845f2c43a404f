/*
 * t_sig: signals (kern_sig.c, docs/signals.md): handlers and what they
 * are told (siginfo), masks and pending sets, the frame's return with
 * every register intact (FPU too), SA_RESTART against EINTR, default
 * actions, faults caught with the right si_addr, sigsuspend, signals
 * for one LWP and for the process (given to an LWP that does not
 * block them), and what exec does to dispositions.  Stopping and
 * killing whole multi-LWP processes are in t_sig_stop.
 */
#include <sys/mman.h>
#include <sys/wait.h>
#include <signal.h>
#include <stdint.h>
#include <ucontext.h>

#include "h_lwp.h"

static volatile int hits, lastsig, lastcode, lastpid;
static volatile lwpid_t lastlid;
static volatile void *lastaddr;

/* (hits last: another LWP waiting for it then sees the rest.) */
static void
count(int sig)
{
	lastsig = sig;
	lastlid = _lwp_self();
	hits++;
}

static void
info(int sig, siginfo_t *si, void *ctx)
{
	lastsig = si->si_signo;
	lastcode = si->si_code;
	lastpid = si->si_pid;
	lastlid = _lwp_self();
	hits++;
}

static void
catch_info(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = flags | SA_SIGINFO;
	RL(sigaction(sig, &sa, NULL));
}


ATF_TC(handler_runs_before_kill_returns);
ATF_TC_HEAD(handler_runs_before_kill_returns, tc)
{
	atf_tc_set_md_var(tc, "descr", "a signal sent to oneself is taken "
	    "on the way out of kill(2): the handler has run when it returns; "
	    "raise(3) the same; SA_SIGINFO says who sent it (SI_USER with "
	    "our pid, SI_LWP for raise)");
}
ATF_TC_BODY(handler_runs_before_kill_returns, tc)
{
	hits = 0;
	h_catch(SIGUSR1, count, 0);
	RL(kill(getpid(), SIGUSR1));
	ATF_REQUIRE_EQ(hits, 1);
	ATF_REQUIRE_EQ(lastsig, SIGUSR1);
	RL(raise(SIGUSR1));
	ATF_REQUIRE_EQ(hits, 2);

	catch_info(SIGUSR2, info, 0);
	RL(kill(getpid(), SIGUSR2));
	ATF_REQUIRE_EQ(lastsig, SIGUSR2);
	ATF_REQUIRE_EQ(lastcode, SI_USER);
	ATF_REQUIRE_EQ(lastpid, getpid());
	RL(raise(SIGUSR2));
	ATF_REQUIRE_EQ(lastcode, SI_LWP);
}

ATF_TC(sigaction_contract);
ATF_TC_HEAD(sigaction_contract, tc)
{
	atf_tc_set_md_var(tc, "descr", "sigaction: the old action comes "
	    "back; EINVAL for signal 0, NSIG, or catching or ignoring "
	    "SIGKILL or SIGSTOP; kill: EINVAL for a bad signal, ESRCH for "
	    "no such process, signal 0 only checks");
}
ATF_TC_BODY(sigaction_contract, tc)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sa.sa_flags = SA_RESTART;
	RL(sigaction(SIGUSR1, &sa, NULL));
	RL(sigaction(SIGUSR1, NULL, &old));
	ATF_REQUIRE(old.sa_handler == count);
	ATF_REQUIRE(old.sa_flags == SA_RESTART);
	ATF_REQUIRE(sigismember(&old.sa_mask, SIGUSR2) == 1);

	ATF_REQUIRE_ERRNO(EINVAL, sigaction(0, &sa, NULL) == -1);
	ATF_REQUIRE_ERRNO(EINVAL, sigaction(NSIG, &sa, NULL) == -1);
	ATF_REQUIRE_ERRNO(EINVAL, sigaction(SIGKILL, &sa, NULL) == -1);
	sa.sa_handler = SIG_IGN;
	ATF_REQUIRE_ERRNO(EINVAL, sigaction(SIGSTOP, &sa, NULL) == -1);
	ATF_REQUIRE(signal(SIGKILL, SIG_IGN) == SIG_ERR);

	ATF_REQUIRE_ERRNO(EINVAL, kill(getpid(), -1) == -1);
	ATF_REQUIRE_ERRNO(EINVAL, kill(getpid(), NSIG) == -1);
	ATF_REQUIRE_ERRNO(ESRCH, kill(29999, SIGUSR1) == -1);
	RL(kill(getpid(), 0));
	ATF_REQUIRE_ERRNO(ESRCH, _lwp_kill(777, SIGUSR1) == -1);
	ATF_REQUIRE_ERRNO(EINVAL, _lwp_kill(_lwp_self(), NSIG) == -1);
	RL(_lwp_kill(_lwp_self(), 0));
}

static volatile int blocked_in_handler;

static void
check_mask(int sig)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	blocked_in_handler = sigismember(&cur, sig) * 2 +
	    sigismember(&cur, SIGUSR2);
	hits++;
}

ATF_TC(mask_and_pending);
ATF_TC_HEAD(mask_and_pending, tc)
{
	atf_tc_set_md_var(tc, "descr", "a blocked signal stays pending "
	    "(sigpending) until unblocked, then runs at once; SIGKILL and "
	    "SIGSTOP cannot be blocked; inside a handler its own signal and "
	    "sa_mask are blocked, and the old mask is back after it");
}
ATF_TC_BODY(mask_and_pending, tc)
{
	struct sigaction sa;
	sigset_t set, old, pend;

	hits = 0;
	h_catch(SIGUSR1, count, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGKILL);
	sigaddset(&set, SIGSTOP);
	RL(sigprocmask(SIG_BLOCK, &set, &old));
	RL(sigprocmask(SIG_BLOCK, NULL, &set));
	ATF_REQUIRE_EQ(sigismember(&set, SIGUSR1), 1);
	ATF_REQUIRE_EQ(sigismember(&set, SIGKILL), 0);
	ATF_REQUIRE_EQ(sigismember(&set, SIGSTOP), 0);
	RL(raise(SIGUSR1));
	RL(kill(getpid(), SIGUSR1));
	ATF_REQUIRE_EQ(hits, 0);
	RL(sigpending(&pend));
	ATF_REQUIRE_EQ(sigismember(&pend, SIGUSR1), 1);
	RL(sigprocmask(SIG_SETMASK, &old, NULL));
	/* Pending for the LWP and for the process: both run. */
	ATF_REQUIRE_EQ(hits, 2);
	RL(sigpending(&pend));
	ATF_REQUIRE_EQ(sigismember(&pend, SIGUSR1), 0);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = check_mask;
	sigaddset(&sa.sa_mask, SIGUSR2);
	RL(sigaction(SIGUSR1, &sa, NULL));
	RL(raise(SIGUSR1));
	ATF_REQUIRE_EQ(blocked_in_handler, 3);
	RL(sigprocmask(SIG_BLOCK, NULL, &set));
	ATF_REQUIRE_EQ(sigismember(&set, SIGUSR1), 0);
	ATF_REQUIRE_EQ(sigismember(&set, SIGUSR2), 0);

	sa.sa_flags = SA_NODEFER | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	RL(sigaction(SIGUSR1, &sa, NULL));
	RL(raise(SIGUSR1));
	ATF_REQUIRE_EQ(blocked_in_handler, 0);	/* SA_NODEFER */
	RL(sigaction(SIGUSR1, NULL, &sa));
	ATF_REQUIRE(sa.sa_handler == SIG_DFL);	/* SA_RESETHAND */
}

/* The interrupted code keeps values in %r12 and %xmm7 while it spins;
 * the handler scribbles over both.  Resumed, they must be intact. */
static volatile int regs_flag;

static void
scribble(int sig)
{
	__asm volatile("movq $0, %%r12; pxor %%xmm7, %%xmm7" ::: "r12",
	    "xmm7");
	regs_flag = 1;
}

static void
send_later(void)
{
	usleep(30000);
	kill(getppid(), SIGUSR1);
	_exit(0);
}

ATF_TC(frame_returns_registers_intact);
ATF_TC_HEAD(frame_returns_registers_intact, tc)
{
	atf_tc_set_md_var(tc, "descr", "a handler that runs in the middle of "
	    "a loop (an asynchronous signal) returns to it with every "
	    "register as it was, general and SSE (the frame's ucontext, "
	    "setcontext)");
}
ATF_TC_BODY(frame_returns_registers_intact, tc)
{
	uint64_t gpr, xmm, pattern = 0x1234567890abcdefULL;
	pid_t pid;
	int st;

	regs_flag = 0;
	h_catch(SIGUSR1, scribble, 0);
	RL(pid = fork());
	if (pid == 0)
		send_later();
	__asm volatile(
	    "movq %2, %%r12\n\t"
	    "movq %2, %%xmm7\n\t"
	    "1: pause\n\t"
	    "cmpl $0, %3\n\t"
	    "je 1b\n\t"
	    "movq %%r12, %0\n\t"
	    "movq %%xmm7, %1\n\t"
	    : "=&r" (gpr), "=&r" (xmm)
	    : "r" (pattern), "m" (regs_flag)
	    : "r12", "xmm7", "memory");
	RL(waitpid(pid, &st, 0));
	ATF_REQUIRE_EQ(gpr, pattern);
	ATF_REQUIRE_EQ(xmm, pattern);
}

static void
child_exits_after(void)
{
	usleep(200000);
	_exit(3);
}

static void
restart_or_eintr(int flags, int *rv, int *err)
{
	pid_t slow, sender;
	int st;

	h_catch(SIGUSR1, count, flags);
	RL(slow = fork());
	if (slow == 0)
		child_exits_after();
	RL(sender = fork());
	if (sender == 0)
		send_later();
	*rv = waitpid(slow, &st, 0);
	*err = errno;
	while (wait(&st) > 0 || errno == EINTR)
		continue;
	*rv = *rv == slow ? 1 : *rv;
}

ATF_TC(sa_restart_vs_eintr);
ATF_TC_HEAD(sa_restart_vs_eintr, tc)
{
	atf_tc_set_md_var(tc, "descr", "a signal caught while waitpid "
	    "sleeps: with SA_RESTART the call carries on and collects its "
	    "child; without, it fails with EINTR");
}
ATF_TC_BODY(sa_restart_vs_eintr, tc)
{
	int rv, err;

	hits = 0;
	restart_or_eintr(SA_RESTART, &rv, &err);
	ATF_REQUIRE_EQ(hits, 1);
	ATF_REQUIRE_EQ_MSG(rv, 1, "waitpid: %d, errno %d", rv, err);
	restart_or_eintr(0, &rv, &err);
	ATF_REQUIRE_EQ(hits, 2);
	ATF_REQUIRE_EQ(rv, -1);
	ATF_REQUIRE_EQ(err, EINTR);
}

ATF_TC(nanosleep_eintr_time_left);
ATF_TC_HEAD(nanosleep_eintr_time_left, tc)
{
	atf_tc_set_md_var(tc, "descr", "a caught signal cuts nanosleep "
	    "short with EINTR (even with SA_RESTART) and rmtp gets the "
	    "time left");
}
ATF_TC_BODY(nanosleep_eintr_time_left, tc)
{
	struct timespec ts = { 3, 0 }, rem = { -1, -1 };
	pid_t pid;
	int st;

	h_catch(SIGUSR1, count, SA_RESTART);
	RL(pid = fork());
	if (pid == 0)
		send_later();
	ATF_REQUIRE_ERRNO(EINTR, nanosleep(&ts, &rem) == -1);
	ATF_REQUIRE_MSG(rem.tv_sec >= 1 && rem.tv_sec < 3 &&
	    rem.tv_nsec >= 0 && rem.tv_nsec < 1000000000,
	    "time left %lld.%09ld", (long long)rem.tv_sec, rem.tv_nsec);
	RL(waitpid(pid, &st, 0));
}

static volatile void *fault_page;

static void
fault_handler(int sig, siginfo_t *si, void *ctx)
{
	lastsig = sig;
	lastcode = si->si_code;
	lastaddr = si->si_addr;
	mprotect((void *)fault_page, 4096, PROT_READ | PROT_WRITE);
}

ATF_TC(caught_sigsegv_si_addr);
ATF_TC_HEAD(caught_sigsegv_si_addr, tc)
{
	atf_tc_set_md_var(tc, "descr", "a write to a read-only page is a "
	    "SIGSEGV the program may catch: si_addr is the address written, "
	    "si_code SEGV_ACCERR; the handler makes the page writable and "
	    "the write, done again, succeeds");
}
ATF_TC_BODY(caught_sigsegv_si_addr, tc)
{
	volatile char *p;

	catch_info(SIGSEGV, fault_handler, 0);
	p = mmap(NULL, 4096, PROT_READ, MAP_ANON | MAP_PRIVATE, -1, 0);
	ATF_REQUIRE(p != MAP_FAILED);
	fault_page = p;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	p[123] = 42;
	ATF_REQUIRE_EQ(lastsig, SIGSEGV);
	ATF_REQUIRE_EQ(lastcode, SEGV_ACCERR);
	ATF_REQUIRE_EQ(lastaddr, p + 123);
	ATF_REQUIRE_EQ(p[123], 42);
}

static void
default_term(void)
{
	kill(getpid(), SIGTERM);
	_exit(1);
}

static void
default_ignored(void)
{
	kill(getpid(), SIGCHLD);	/* ignored by default */
	kill(getpid(), SIGCONT);	/* continues nothing: ignored */
	signal(SIGUSR1, SIG_IGN);
	kill(getpid(), SIGUSR1);
	_exit(4);
}

static void
do_abort(void)
{
	abort();
}

static volatile uintptr_t bad_address = 8;

static void
caught_then_blocked_fault(void)
{
	sigset_t set;

	/* A fault the program blocks cannot be delivered: it ends it. */
	signal(SIGSEGV, count);
	sigemptyset(&set);
	sigaddset(&set, SIGSEGV);
	sigprocmask(SIG_BLOCK, &set, NULL);
	*(volatile int *)bad_address = 1;
}

ATF_TC(default_actions);
ATF_TC_HEAD(default_actions, tc)
{
	atf_tc_set_md_var(tc, "descr", "defaults: SIGTERM terminates (wait "
	    "status says so), SIGCHLD and SIGCONT are ignored, SIG_IGN "
	    "ignores; abort() ends with SIGABRT; a blocked fault kills");
}
ATF_TC_BODY(default_actions, tc)
{
	int st;

	st = h_in_child(default_term);
	ATF_REQUIRE(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	st = h_in_child(default_ignored);
	ATF_REQUIRE(WIFEXITED(st) && WEXITSTATUS(st) == 4);
	st = h_in_child(do_abort);
	ATF_REQUIRE(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	st = h_in_child(caught_then_blocked_fault);
	ATF_REQUIRE(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
}

ATF_TC(sigsuspend_waits_and_restores);
ATF_TC_HEAD(sigsuspend_waits_and_restores, tc)
{
	atf_tc_set_md_var(tc, "descr", "sigsuspend with a mask that lets a "
	    "blocked signal in returns EINTR after its handler ran, and the "
	    "old mask (signal blocked) is back");
}
ATF_TC_BODY(sigsuspend_waits_and_restores, tc)
{
	sigset_t block, empty, cur;
	pid_t pid;
	int st;

	hits = 0;
	h_catch(SIGUSR1, count, 0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	RL(sigprocmask(SIG_BLOCK, &block, NULL));
	RL(pid = fork());
	if (pid == 0)
		send_later();
	sigemptyset(&empty);
	ATF_REQUIRE_ERRNO(EINTR, sigsuspend(&empty) == -1);
	ATF_REQUIRE_EQ(hits, 1);
	RL(sigprocmask(SIG_BLOCK, NULL, &cur));
	ATF_REQUIRE_EQ(sigismember(&cur, SIGUSR1), 1);
	RL(waitpid(pid, &st, 0));
}

static volatile int lwp_go;

static void
lwp_waits(void *arg)
{
	while (!lwp_go)
		_lwp_park(CLOCK_MONOTONIC, 0, NULL, 0, NULL, NULL);
}

ATF_TC(signals_choose_their_lwp);
ATF_TC_HEAD(signals_choose_their_lwp, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_kill runs the handler in that "
	    "LWP (interrupting its park); a signal for the process goes to "
	    "an LWP that does not block it");
}
ATF_TC_BODY(signals_choose_their_lwp, tc)
{
	sigset_t block;
	lwpid_t lid;

	h_catch(SIGUSR1, count, 0);
	lwp_go = 0;
	lid = h_lwp_start(0, lwp_waits, NULL, 0);
	ATF_REQUIRE(h_lwp_wait_wmesg(lid, "parked"));
	hits = 0;
	RL(_lwp_kill(lid, SIGUSR1));
	ATF_REQUIRE(h_until(&hits, 1));
	ATF_REQUIRE_EQ(lastlid, lid);

	/* We block it; the other LWP does not: it takes it. */
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	RL(sigprocmask(SIG_BLOCK, &block, NULL));
	ATF_REQUIRE(h_lwp_wait_wmesg(lid, "parked"));
	RL(kill(getpid(), SIGUSR1));
	ATF_REQUIRE(h_until(&hits, 2));
	ATF_REQUIRE_EQ(lastlid, lid);
	RL(sigprocmask(SIG_UNBLOCK, &block, NULL));
	ATF_REQUIRE_EQ(hits, 2);

	/* Parked again first: else it may see lwp_go and be gone (ESRCH)
	 * before the unpark. */
	ATF_REQUIRE(h_lwp_wait_wmesg(lid, "parked"));
	lwp_go = 1;
	RL(_lwp_unpark(lid, NULL));
	RL(_lwp_wait(lid, NULL));
}

/* NetBSD's timeleft__lwp_park, restated: a park with a relative
 * timeout cut short by a signal returns EINTR and writes back the time
 * left. */
static volatile int park_rv, park_err;
static struct timespec park_ts;

static void
park_five(void *arg)
{
	park_ts.tv_sec = 5;
	park_ts.tv_nsec = 0;
	park_rv = _lwp_park(CLOCK_MONOTONIC, 0, &park_ts, 0, &park_ts, NULL);
	park_err = errno;
}

ATF_TC(timeleft__lwp_park);
ATF_TC_HEAD(timeleft__lwp_park, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_park with a relative 5 s "
	    "timeout, interrupted by a signal after about 0.1 s: EINTR, "
	    "and the timespec holds less than 5 s (NetBSD's "
	    "timeleft__lwp_park)");
}
ATF_TC_BODY(timeleft__lwp_park, tc)
{
	lwpid_t lid;

	h_catch(SIGINT, count, 0);
	lid = h_lwp_start(0, park_five, NULL, 0);
	ATF_REQUIRE(h_lwp_wait_wmesg(lid, "parked"));
	usleep(100000);
	RL(_lwp_kill(lid, SIGINT));
	RL(_lwp_wait(lid, NULL));
	ATF_REQUIRE_EQ(park_rv, -1);
	ATF_REQUIRE_EQ(park_err, EINTR);
	ATF_REQUIRE_MSG(park_ts.tv_sec < 5 && park_ts.tv_sec >= 0,
	    "time left %lld.%09ld", (long long)park_ts.tv_sec,
	    park_ts.tv_nsec);
}

static void
exec_sleep(void (*h)(int))
{
	char *argv[] = { "sleep", "1", NULL }, *envp[] = { NULL };

	signal(SIGTERM, h);
	execve("/bin/sleep", argv, envp);
	_exit(98);
}

ATF_TC(exec_resets_caught_keeps_ignored);
ATF_TC_HEAD(exec_resets_caught_keeps_ignored, tc)
{
	atf_tc_set_md_var(tc, "descr", "after execve a caught signal has "
	    "its default action again (the handler is gone with the old "
	    "program), and an ignored one stays ignored");
}
ATF_TC_BODY(exec_resets_caught_keeps_ignored, tc)
{
	pid_t pid;
	int st;

	RL(pid = fork());
	if (pid == 0)
		exec_sleep(count);
	usleep(200000);
	RL(kill(pid, SIGTERM));
	RL(waitpid(pid, &st, 0));
	ATF_REQUIRE_MSG(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM,
	    "status %#x", st);

	RL(pid = fork());
	if (pid == 0)
		exec_sleep(SIG_IGN);
	usleep(200000);
	RL(kill(pid, SIGTERM));
	RL(waitpid(pid, &st, 0));
	ATF_REQUIRE_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "status %#x", st);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, handler_runs_before_kill_returns);
	ATF_TP_ADD_TC(tp, sigaction_contract);
	ATF_TP_ADD_TC(tp, mask_and_pending);
	ATF_TP_ADD_TC(tp, frame_returns_registers_intact);
	ATF_TP_ADD_TC(tp, sa_restart_vs_eintr);
	ATF_TP_ADD_TC(tp, nanosleep_eintr_time_left);
	ATF_TP_ADD_TC(tp, caught_sigsegv_si_addr);
	ATF_TP_ADD_TC(tp, default_actions);
	ATF_TP_ADD_TC(tp, sigsuspend_waits_and_restores);
	ATF_TP_ADD_TC(tp, signals_choose_their_lwp);
	ATF_TP_ADD_TC(tp, timeleft__lwp_park);
	ATF_TP_ADD_TC(tp, exec_resets_caught_keeps_ignored);
	return atf_no_error();
}

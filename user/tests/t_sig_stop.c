/*
 * t_sig_stop: stopping, continuing and killing whole processes with
 * many LWPs (kern_sig.c: proc_stop, lwp_unstop, proc_unstop; exit1):
 * every LWP stops (LSSTOP, as ps shows it) and the parent sees it
 * through wait4 WUNTRACED and SIGCHLD; SIGCONT runs them all again
 * (WCONTINUED); SIGKILL ends a process whatever its LWPs are doing --
 * running, sleeping, parked, suspended or stopped -- and leaves no
 * kernel memory behind.
 */
#include <sys/wait.h>
#include <signal.h>

#include "h_lwp.h"

/* The child's LWPs: one spins, one parks, one sleeps in nanosleep,
 * one is suspended.  The parent watches their states through kern.lwp
 * (ps's view). */
static volatile int spins;

static void
spinner(void *arg)
{
	for (;;)
		spins++;
}

static void
parker(void *arg)
{
	for (;;)
		_lwp_park(CLOCK_MONOTONIC, 0, NULL, 0, NULL, NULL);
}

/* A child with those four LWPs (and its main LWP, parked too). */
static pid_t
busy_child(void)
{
	pid_t pid;

	RL(pid = fork());
	if (pid != 0)
		return pid;
	h_lwp_start(0, spinner, NULL, 0);
	h_lwp_start(1, parker, NULL, 0);
	h_lwp_start(2, h_lwp_sleep_forever, NULL, 0);
	h_lwp_start(3, parker, NULL, LWP_SUSPENDED);
	for (;;)
		_lwp_park(CLOCK_MONOTONIC, 0, NULL, 0, NULL, NULL);
}

/* How many of pid's LWPs are in state `stat' (kern.lwp). */
static int
count_in(pid_t pid, int stat, int *total)
{
	static struct kinfo_lwp kl[600];
	int mib[2] = { CTL_KERN, KERN_LWP }, n = 0;
	size_t len = sizeof(kl);

	*total = 0;
	RL(sysctl(mib, 2, kl, &len, NULL, 0));
	for (size_t i = 0; i < len / sizeof(kl[0]); i++)
		if (kl[i].l_pid == pid) {
			(*total)++;
			n += kl[i].l_stat == stat;
		}
	return n;
}

/* Wait (up to ~5 s) until pid has `want' LWPs in state `stat'. */
static bool
wait_count(pid_t pid, int stat, int want)
{
	int total;

	for (int i = 0; i < 500; i++) {
		if (count_in(pid, stat, &total) == want)
			return true;
		usleep(10000);
	}
	return false;
}

static volatile int chld_hits, chld_code, chld_pid;

static void
on_chld(int sig, siginfo_t *si, void *ctx)
{
	chld_hits++;
	chld_code = si->si_code;
	chld_pid = si->si_pid;
}

ATF_TC(stop_and_continue_every_lwp);
ATF_TC_HEAD(stop_and_continue_every_lwp, tc)
{
	atf_tc_set_md_var(tc, "descr", "SIGSTOP stops every LWP of a "
	    "process (running, parked, sleeping; the suspended one stays "
	    "suspended), ps shows STOP, the parent sees it with WUNTRACED "
	    "and a SIGCHLD (CLD_STOPPED); SIGCONT runs them again "
	    "(WCONTINUED, CLD_CONTINUED); SIGKILL then reaps it");
}
ATF_TC_BODY(stop_and_continue_every_lwp, tc)
{
	struct sigaction sa;
	pid_t pid;
	int st, total;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	RL(sigaction(SIGCHLD, &sa, NULL));

	pid = busy_child();
	ATF_REQUIRE(wait_count(pid, LSSUSPENDED, 1));
	ATF_REQUIRE(wait_count(pid, LSSLEEP, 3));	/* park x2, sleep */

	RL(kill(pid, SIGSTOP));
	RL(waitpid(pid, &st, WUNTRACED));
	ATF_REQUIRE_MSG(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP,
	    "status %#x", st);
	ATF_REQUIRE_EQ(count_in(pid, LSSTOP, &total), 4);
	ATF_REQUIRE_EQ(total, 5);
	ATF_REQUIRE_EQ(count_in(pid, LSSUSPENDED, &total), 1);
	ATF_REQUIRE(h_until(&chld_hits, 1));
	ATF_REQUIRE_EQ(chld_code, CLD_STOPPED);
	ATF_REQUIRE_EQ(chld_pid, pid);
	/* Reported once. */
	ATF_REQUIRE_EQ(waitpid(pid, &st, WUNTRACED | WNOHANG), 0);

	RL(kill(pid, SIGCONT));
	RL(waitpid(pid, &st, WCONTINUED));
	ATF_REQUIRE_MSG(WIFCONTINUED(st), "status %#x", st);
	ATF_REQUIRE(wait_count(pid, LSSTOP, 0));
	ATF_REQUIRE(wait_count(pid, LSSLEEP, 3));	/* back asleep */
	ATF_REQUIRE(h_until(&chld_hits, 2));
	ATF_REQUIRE_EQ(chld_code, CLD_CONTINUED);

	RL(kill(pid, SIGKILL));
	RL(waitpid(pid, &st, 0));
	ATF_REQUIRE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

ATF_TC(sigkill_reaps_everything);
ATF_TC_HEAD(sigkill_reaps_everything, tc)
{
	atf_tc_set_md_var(tc, "descr", "SIGKILL ends a process whose LWPs "
	    "run, sleep, park, are suspended -- or are all stopped -- and "
	    "the kernel's memory is back where it was");
}
ATF_TC_BODY(sigkill_reaps_everything, tc)
{
	struct kinfo_mem before, after;
	pid_t pid;
	int st;

	/* Warm up: the kernel's caches (stacks, pools) settle. */
	pid = busy_child();
	ATF_REQUIRE(wait_count(pid, LSSUSPENDED, 1));
	RL(kill(pid, SIGKILL));
	RL(waitpid(pid, &st, 0));

	before = h_memstat();
	pid = busy_child();
	ATF_REQUIRE(wait_count(pid, LSSUSPENDED, 1));
	RL(kill(pid, SIGKILL));
	RL(waitpid(pid, &st, 0));
	ATF_REQUIRE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);

	pid = busy_child();
	ATF_REQUIRE(wait_count(pid, LSSUSPENDED, 1));
	RL(kill(pid, SIGSTOP));
	RL(waitpid(pid, &st, WUNTRACED));
	ATF_REQUIRE(WIFSTOPPED(st));
	RL(kill(pid, SIGKILL));
	RL(waitpid(pid, &st, 0));
	ATF_REQUIRE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);

	after = h_memstat();
	ATF_REQUIRE_EQ_MSG(after.km_lwps, before.km_lwps,
	    "struct lwp: %llu before, %llu after",
	    (unsigned long long)before.km_lwps,
	    (unsigned long long)after.km_lwps);
	ATF_REQUIRE_EQ_MSG(after.km_kmem_inuse, before.km_kmem_inuse,
	    "kmem: %llu before, %llu after",
	    (unsigned long long)before.km_kmem_inuse,
	    (unsigned long long)after.km_kmem_inuse);
}

static void
stop_self(void)
{
	raise(SIGTSTP);		/* default: stop */
	_exit(6);		/* once continued */
}

ATF_TC(stop_self_then_continue);
ATF_TC_HEAD(stop_self_then_continue, tc)
{
	atf_tc_set_md_var(tc, "descr", "a process that raises SIGTSTP stops "
	    "there (WSTOPSIG SIGTSTP) and carries on from there when "
	    "continued; a stopped process's pending signals wait for "
	    "SIGCONT");
}
ATF_TC_BODY(stop_self_then_continue, tc)
{
	pid_t pid;
	int st;

	RL(pid = fork());
	if (pid == 0)
		stop_self();
	RL(waitpid(pid, &st, WUNTRACED));
	ATF_REQUIRE_MSG(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP,
	    "status %#x", st);
	RL(kill(pid, SIGCONT));
	RL(waitpid(pid, &st, 0));
	ATF_REQUIRE_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 6,
	    "status %#x", st);

	RL(pid = fork());
	if (pid == 0)
		stop_self();
	RL(waitpid(pid, &st, WUNTRACED));
	RL(kill(pid, SIGTERM));		/* waits: the process is stopped */
	usleep(50000);
	ATF_REQUIRE_EQ(waitpid(pid, &st, WNOHANG), 0);
	RL(kill(pid, SIGCONT));		/* ... and now it takes it */
	RL(waitpid(pid, &st, 0));
	ATF_REQUIRE_MSG(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM,
	    "status %#x", st);
}

/* The state of process pid's LWP 1: LS*, or 0 if it is gone. */
static int
proc_lwp1_stat(pid_t pid)
{
	struct kinfo_lwp *kl;
	size_t n;
	int stat = 0;

	ATF_REQUIRE((kl = kinfo_getlwps(&n)) != NULL);
	for (size_t i = 0; i < n; i++)
		if (kl[i].l_pid == pid && kl[i].l_lid == 1)
			stat = kl[i].l_stat;
	free(kl);
	return stat;
}

#define KWS_ROUNDS	300

ATF_TC(kill_while_stopping);
ATF_TC_HEAD(kill_while_stopping, tc)
{
	atf_tc_set_md_var(tc, "descr", "SIGSTOP then SIGKILL at once, %d "
	    "times, to a child asleep in nanosleep on another CPU: it dies "
	    "every time; it never stops after kill() has returned (the "
	    "stop it was taking when SIGKILL came is void)", KWS_ROUNDS);
}
ATF_TC_BODY(kill_while_stopping, tc)
{
	pid_t pid, w;
	int st, stat;

	if (h_ncpus() > 1)
		RL(h_pin_lwp(_lwp_self(), 0));
	for (int r = 0; r < KWS_ROUNDS; r++) {
		RL(pid = fork());
		if (pid == 0) {
			struct timespec ts = { 100, 0 };

			if (h_ncpus() > 1)
				(void)h_pin_lwp(_lwp_self(), 1);
			nanosleep(&ts, NULL);
			_exit(3);
		}
		if (r % 3 == 1)
			usleep(1000);		/* asleep by now, mostly */
		else if (r % 3 == 2)
			sched_yield();
		RL(kill(pid, SIGSTOP));
		RL(kill(pid, SIGKILL));
		/* Gone soon, and never stopped meanwhile. */
		while ((w = waitpid(pid, &st, WNOHANG)) == 0) {
			stat = proc_lwp1_stat(pid);
			ATF_REQUIRE_MSG(stat != LSSTOP, "round %d: the child "
			    "stopped after SIGKILL was posted: it would stay "
			    "stopped for ever", r);
			sched_yield();
		}
		RL(w);
		ATF_REQUIRE_MSG(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
		    "round %d: status %#x", r, st);
	}
}

/*
 * A process stopping (one LWP took SIGSTOP: SSTOP, PS_STOPPING) while
 * another LWP exits the process (_exit, already in the kernel): the
 * stop is void, and the process dies.  exit1 left PS_STOPPING set, and
 * every LWP that then came to issignal() "joined the stop" for ever
 * (p_stat was no longer SSTOP), never seeing LW_WEXIT: the exit waited
 * for them, SIGKILL could not help.  A child per round: LWP 2 spins
 * until told, then _exit(0)s; LWP 1 tells it and SIGSTOPs the process.
 * The parent continues any stop and waits; the child must end.  With
 * the bug this waited for ever (the case's time limit; the hang
 * detector's exit check reported it).
 */
#define EDS_ROUNDS	200

static volatile int eds_go;

static void
eds_exiter(void *arg)
{
	while (!eds_go)
		;
	_exit(0);
}

ATF_TC(exit_during_stop_dies);
ATF_TC_HEAD(exit_during_stop_dies, tc)
{
	atf_tc_set_md_var(tc, "descr", "an LWP's _exit while another LWP "
	    "stops the process: the process ends, every round (the stop in "
	    "progress is void)");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(exit_during_stop_dies, tc)
{
	pid_t pid;
	int st;

	for (int r = 0; r < EDS_ROUNDS; r++) {
		RL(pid = fork());
		if (pid == 0) {
			eds_go = 0;
			(void)h_lwp_start(0, eds_exiter, NULL, 0);
			eds_go = 1;
			(void)kill(getpid(), SIGSTOP);
			_exit(0);
		}
		for (;;) {
			RL(waitpid(pid, &st, WUNTRACED));
			if (!WIFSTOPPED(st))
				break;
			RL(kill(pid, SIGCONT));
		}
		ATF_REQUIRE_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		    "round %d: status %#x", r, st);
	}
}

/*
 * A process stopping (one LWP took SIGSTOP) while another LWP is in
 * execve: exec waits in exit_lwps for the stopped LWP, which it wakes
 * with LW_WEXIT -- and which, back in issignal(), joined the stop
 * again: exec waited for ever, the stop never completed (exec's LWP
 * never stopped), and a SIGKILL then continued the stopped LWP, which
 * took it and lost it to exec (exit1 found the process claimed) -- the
 * process lived on in its new program.  Now an LWP told to exit takes
 * no signal and joins no stop (issignal1), so exec finishes, its LWP
 * stops in the new program, and SIGKILL ends it.  A child per round:
 * LWP 2 SIGSTOPs the process as the main LWP calls execve(/bin/sleep
 * 0); the parent kills a stopped child.  With the bug the parent's
 * waitpid waited for ever (the case's time limit).  A round where the
 * stop comes too late (LWP 2 already gone) just ends in exit 0; some
 * rounds must stop, or the case tested nothing: it goes on until 10
 * have, at most 1000 rounds (2 to 14 of 100 stop at SMP=2 and 4,
 * fewer on a loaded host).
 */
#define EXS_STOPS	10	/* rounds that stopped, wanted */
#define EXS_ROUNDS	1000	/* at most */

static volatile int exs_go;

static void
exs_stopper(void *arg)
{
	while (!exs_go)
		;
	(void)kill(getpid(), SIGSTOP);
	for (;;)
		;
}

ATF_TC(stop_during_exec_then_kill);
ATF_TC_HEAD(stop_during_exec_then_kill, tc)
{
	atf_tc_set_md_var(tc, "descr", "SIGSTOP from one LWP while another "
	    "is in execve: exec completes, the process stops in its new "
	    "program, and SIGKILL ends it (it neither hangs nor survives)");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(stop_during_exec_then_kill, tc)
{
	char *argv[] = { "sleep", "0", NULL }, *envp[] = { NULL };
	int st, stopped = 0;
	pid_t pid;

	/* (On one CPU the stopper runs only once execve is over.) */
	if (h_ncpus() < 2)
		atf_tc_skip("needs 2 CPUs");
	int r;

	for (r = 0; r < EXS_ROUNDS && stopped < EXS_STOPS; r++) {
		RL(pid = fork());
		if (pid == 0) {
			exs_go = 0;
			(void)h_lwp_start(0, exs_stopper, NULL, 0);
			exs_go = 1;
			execve("/bin/sleep", argv, envp);
			_exit(98);
		}
		RL(waitpid(pid, &st, WUNTRACED));
		if (WIFSTOPPED(st)) {
			stopped++;
			RL(kill(pid, SIGKILL));
			RL(waitpid(pid, &st, 0));
			ATF_REQUIRE_MSG(WIFSIGNALED(st) &&
			    WTERMSIG(st) == SIGKILL, "round %d: stopped, "
			    "then SIGKILL: status %#x", r, st);
		} else
			ATF_REQUIRE_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			    "round %d: status %#x", r, st);
	}
	printf("%d of %d rounds stopped during or after exec\n", stopped, r);
	ATF_REQUIRE_MSG(stopped > 0, "no round stopped: the case tested "
	    "nothing");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, stop_and_continue_every_lwp);
	ATF_TP_ADD_TC(tp, sigkill_reaps_everything);
	ATF_TP_ADD_TC(tp, stop_self_then_continue);
	ATF_TP_ADD_TC(tp, kill_while_stopping);
	ATF_TP_ADD_TC(tp, exit_during_stop_dies);
	ATF_TP_ADD_TC(tp, stop_during_exec_then_kill);
	return atf_no_error();
}

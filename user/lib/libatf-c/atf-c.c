/*
 * atf-c.c: libatf-c, the ATF test library (see atf-c.h): main(), which
 * runs a program's test cases, and what the ATF_* macros call.
 *
 * How a case runs.  main() forks a child for the body, so that a crash
 * fails that case and not the whole program, and waits for it.  The
 * child says how the case went through `res', a page of shared
 * anonymous memory mapped before the first fork (MAP_SHARED memory
 * stays shared across fork; there are no pipes to use instead): the
 * result (pass, fail, skip, expected failure), with the reason as
 * text, written as the child's last act before exit(0).  A child that
 * died before that (a fault: WIFSIGNALED), or exited on its own, left
 * no result, and its wait status says what happened.  A cleanup runs
 * after the body, in a second child, the same way; it fails the case if
 * it fails.
 *
 * The expectation (atf_tc_expect_*) lives in `res' as well: when the
 * child dies, the parent must know whether that was what it expected.
 *
 * Heads run in the parent, when ATF_TP_ADD_TC adds the case (as in
 * real ATF), so that the children inherit the metadata they set.
 *
 * The time limit.  Beside each body (and cleanup) the parent forks a
 * watchdog, a process that sleeps for the case's "timeout" seconds
 * (default 60; 0: none) and is killed as soon as the case ends.  It is
 * forked before the case, so that the case never sees a process appear
 * beside it (tests that count the system's LWPs or memory before and
 * after would see the watchdog's, under load, when it came late).  If it
 * wakes first, the case hangs: it notes that in `res', prints the LWPs
 * of the case's process and of the processes it started (state, wait
 * channel: kinfo.h, what ps shows), and kills them all.  The parent,
 * waiting for the case, then reports "timed out after N s" and goes on
 * with the next case.  (A watchdog, not polling: the parent sleeps in
 * waitpid, and a case that ends is seen at once.)
 */
#include <sys/mman.h>
#include <sys/wait.h>
#include <errno.h>
#include <kinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atf-c.h"
#include "atf-c/config.h"

#define TIMEOUT_DEFAULT	60		/* seconds, when a head sets none */
#define LSZOMB		5		/* kinfo_lwp l_stat: a zombie */

static const char *progname = "atf";

struct atf_tp {
	atf_tc_t	*first, **last;		/* the cases, in order */
};

struct atf_md_var {
	struct atf_md_var *next;
	char		*name, *value;
};

/* What a child says (res->what) and expects (res->expect). */
enum { R_NONE, R_PASS, R_FAIL, R_SKIP, R_XFAIL };
enum { E_PASS, E_FAIL, E_EXIT, E_SIGNAL, E_DEATH, E_TIMEOUT };

static struct result {
	int	what;			/* R_*: R_NONE until the child ends */
	int	expect;			/* E_* */
	int	expect_code;		/* exit code or signal; -1: any */
	char	expect_why[256];	/* expect_*'s reason */
	char	why[1024];		/* R_FAIL's, R_SKIP's, R_XFAIL's */
	int	over;			/* O_*: who saw the end first */
	pid_t	case_pid;		/* the case's child, for the watchdog */
} *res;

/* res->over: the parent saw the case end in time, or the watchdog
 * timed it out.  Whoever moves it from O_RUNNING decides. */
enum { O_RUNNING, O_ENDED, O_TIMED_OUT };

static bool
claim_end(int how)
{
	int running = O_RUNNING;

	return __atomic_compare_exchange_n(&res->over, &running, how, false,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* The child's own: the case it runs, its failed checks. */
static const atf_tc_t *cur;
static int nfail;			/* failed checks */
static int nxfail, nxfail0;		/* expected to; nxfail at expect_fail */
static char failwhy[512];		/* the first failed check */
static char xfailwhy[sizeof(failwhy)];	/* the first expected one */

static int npass, nfailed, nskip;	/* the parent's count of cases */

/* ---- output ----------------------------------------------------------- */

/*
 * Print one line (the newline is added) with a single write(2), so
 * that it reaches the console whole even if a child prints too, and
 * nothing waits in a stdio buffer for fork() to copy.
 */
static void __printflike(1, 2)
out(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	fflush(stdout);			/* anything printf'd comes first */
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;	/* cut: keep room for the newline */
	buf[n++] = '\n';
	(void)write(STDOUT_FILENO, buf, n);
}

/* An errno value's name ("EINVAL"); the string lives until the next
 * call for one without a name. */
static const char *
errname(int e)
{
	static const char *const names[] = {
		[EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH",
		[EINTR] = "EINTR", [EIO] = "EIO", [E2BIG] = "E2BIG",
		[ENOEXEC] = "ENOEXEC", [EBADF] = "EBADF",
		[ECHILD] = "ECHILD", [EDEADLK] = "EDEADLK",
		[ENOMEM] = "ENOMEM", [EACCES] = "EACCES",
		[EFAULT] = "EFAULT", [EBUSY] = "EBUSY", [EEXIST] = "EEXIST",
		[ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR",
		[EINVAL] = "EINVAL", [EMFILE] = "EMFILE",
		[ENOTTY] = "ENOTTY", [ESPIPE] = "ESPIPE", [EROFS] = "EROFS",
		[ERANGE] = "ERANGE", [EAGAIN] = "EAGAIN",
		[ETIMEDOUT] = "ETIMEDOUT", [ENAMETOOLONG] = "ENAMETOOLONG",
		[ENOSYS] = "ENOSYS", [ENODEV] = "ENODEV",
		[ENOBUFS] = "ENOBUFS", [ENOTSUP] = "ENOTSUP",
	};
	static char other[16];

	if (e == 0)
		return "no error";
	if (e > 0 && e < (int)(sizeof(names) / sizeof(names[0])) &&
	    names[e] != NULL)
		return names[e];
	snprintf(other, sizeof(other), "errno %d", e);
	return other;
}

static const char *
signame(int sig)
{
	switch (sig) {
	case SIGILL:	return "SIGILL";
	case SIGTRAP:	return "SIGTRAP";
	case SIGABRT:	return "SIGABRT";
	case SIGFPE:	return "SIGFPE";
	case SIGKILL:	return "SIGKILL";
	case SIGBUS:	return "SIGBUS";
	case SIGSEGV:	return "SIGSEGV";
	case SIGSYS:	return "SIGSYS";
	default:	return "?";
	}
}

const char *
atf_utils_wstatus(int st)
{
	static char buf[64];

	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exited with status %d",
		    WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed by signal %d (%s)",
		    WTERMSIG(st), signame(WTERMSIG(st)));
	else
		snprintf(buf, sizeof(buf), "status %#x", st);
	return buf;
}

atf_error_t
atf_no_error(void)
{
	return NULL;
}

bool
atf_is_error(const atf_error_t err)
{
	return err != NULL;
}

static __dead void
oom(void)
{
	fprintf(stderr, "%s: out of memory\n", progname);
	exit(255);
}

/* ---- metadata -------------------------------------------------------- */

static struct atf_md_var *
md_find(const atf_tc_t *tc, const char *name)
{
	struct atf_md_var *v;

	for (v = tc->atf_vars; v != NULL; v = v->next)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

atf_error_t
atf_tc_set_md_var(atf_tc_t *tc, const char *name, const char *fmt, ...)
{
	struct atf_md_var *v, **vp;
	va_list ap, ap2;
	char *value;
	int n;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0 || (value = malloc(n + 1)) == NULL)
		oom();
	vsnprintf(value, n + 1, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	if ((v = md_find(tc, name)) != NULL) {
		free(v->value);
		v->value = value;
		return atf_no_error();
	}
	if ((v = malloc(sizeof(*v))) == NULL ||
	    (v->name = strdup(name)) == NULL)
		oom();
	v->value = value;
	v->next = NULL;
	for (vp = &tc->atf_vars; *vp != NULL; vp = &(*vp)->next)
		continue;
	*vp = v;			/* at the end: -l lists them in order */
	return atf_no_error();
}

const char *
atf_tc_get_md_var(const atf_tc_t *tc, const char *name)
{
	struct atf_md_var *v;

	if (strcmp(name, "ident") == 0)
		return tc->atf_ident;
	return (v = md_find(tc, name)) != NULL ? v->value : NULL;
}

bool
atf_tc_has_md_var(const atf_tc_t *tc, const char *name)
{
	return atf_tc_get_md_var(tc, name) != NULL;
}

const char *
atf_tc_get_ident(const atf_tc_t *tc)
{
	return tc->atf_ident;
}

bool
atf_tc_has_config_var(const atf_tc_t *tc, const char *name)
{
	return false;
}

const char *
atf_tc_get_config_var_wd(const atf_tc_t *tc, const char *name,
    const char *dflt)
{
	return dflt;
}

bool
atf_tc_get_config_var_as_bool_wd(const atf_tc_t *tc, const char *name,
    const bool dflt)
{
	return dflt;
}

long
atf_tc_get_config_var_as_long_wd(const atf_tc_t *tc, const char *name,
    const long dflt)
{
	return dflt;
}

/*
 * <atf-c/config.h>: ATF's configuration as atf-run would give it on
 * NetBSD/amd64 (atf_arch is `uname -p`, atf_machine `uname -m`).  An
 * unknown name is a mistake in the program: it says so and exits 255,
 * as ATF (which asserts) would stop.
 */
static const struct {
	const char *name, *value;
} atf_config[] = {
	{ "atf_arch", "x86_64" },
	{ "atf_machine", "amd64" },
	{ "atf_shell", "/bin/sh" },
};

const char *
atf_config_get(const char *name)
{
	size_t i;

	for (i = 0; i < __arraycount(atf_config); i++)
		if (strcmp(atf_config[i].name, name) == 0)
			return atf_config[i].value;
	fprintf(stderr, "%s: atf_config_get: no configuration variable "
	    "'%s'\n", progname, name);
	exit(255);
}

bool
atf_config_get_bool(const char *name)
{
	const char *v = atf_config_get(name);

	return strcmp(v, "true") == 0 || strcmp(v, "yes") == 0;
}

/* ATF_TP_ADD_TC: run the head, append the case. */
atf_error_t
atf_tp_add_tc(atf_tp_t *tp, atf_tc_t *tc)
{
	atf_tc_t *t;

	for (t = tp->first; t != NULL; t = t->atf_next) {
		if (strcmp(t->atf_ident, tc->atf_ident) == 0) {
			fprintf(stderr, "%s: test case %s added twice\n",
			    progname, tc->atf_ident);
			exit(255);
		}
	}
	if (tc->atf_head != NULL)
		tc->atf_head(tc);
	tc->atf_next = NULL;
	*tp->last = tc;
	tp->last = &tc->atf_next;
	return atf_no_error();
}

/* ---- in the child: results ------------------------------------------- */

/* Results are for bodies and cleanups, not for heads. */
static void
in_case(void)
{
	if (cur == NULL) {
		fprintf(stderr, "%s: a result outside a test case's body\n",
		    progname);
		exit(255);
	}
}

/* The child's last act: its result, for the parent, and exit. */
static __dead __printflike(2, 3) void
child_done(int what, const char *fmt, ...)
{
	va_list ap;

	in_case();
	va_start(ap, fmt);
	vsnprintf(res->why, sizeof(res->why), fmt, ap);
	va_end(ap);
	res->what = what;
	exit(0);			/* flushes stdio */
}

/* An expectation must have been met before the next one, or the end. */
static void
validate_expect(void)
{
	in_case();
	switch (res->expect) {
	case E_FAIL:
		if (nxfail == nxfail0)
			child_done(R_FAIL, "Test case was expecting a failure "
			    "but none were raised");
		break;
	case E_EXIT:
		child_done(R_FAIL, "Test case was expected to exit cleanly "
		    "but it continued execution");
	case E_SIGNAL:
		child_done(R_FAIL, "Test case was expected to receive a "
		    "termination signal but it continued execution");
	case E_DEATH:
		child_done(R_FAIL, "Test case was expected to terminate "
		    "abruptly but it continued execution");
	case E_TIMEOUT:
		child_done(R_FAIL, "Test case was expected to hang but it "
		    "continued execution");
	default:			/* E_PASS: nothing to meet */
		break;
	}
}

/* The end of a body or cleanup, or atf_tc_pass. */
static __dead void
child_end(void)
{
	validate_expect();
	if (nfail == 1)
		child_done(R_FAIL, "%s", failwhy);
	if (nfail > 1)
		child_done(R_FAIL, "%d checks failed; the first: %s", nfail,
		    failwhy);
	if (nxfail > 0)
		child_done(R_XFAIL, "expected failure: %s", xfailwhy);
	child_done(R_PASS, "%s", "");
}

/*
 * A failure: `what' failed, the formatted message says more, at file
 * and line (file NULL: nowhere).  Fatal ones end the case.  Failures
 * are what expect_fail asks for: those are noted apart.
 */
static void __printflike(5, 0)
vfail(bool fatal, const char *file, size_t line, const char *what,
    const char *fmt, va_list ap)
{
	char why[sizeof(failwhy)], msg[sizeof(why)];
	const char *base;
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = snprintf(why, sizeof(why), "%s%s%s", what,
	    *what != '\0' && *msg != '\0' ? ": " : "", msg);
	if (file != NULL && n < sizeof(why)) {
		base = strrchr(file, '/') != NULL ? strrchr(file, '/') + 1 :
		    file;
		snprintf(why + n, sizeof(why) - n, " (%s:%zu)", base, line);
	}
	in_case();
	if (!fatal)		/* the case's line names the first one */
		out("# %s: %s: check failed%s: %s", progname,
		    cur->atf_ident, res->expect == E_FAIL ? " (expected)" : "",
		    why);
	if (res->expect == E_FAIL) {
		if (fatal)
			child_done(R_XFAIL, "expected failure: %s: %s",
			    res->expect_why, why);
		if (nxfail++ == 0)
			snprintf(xfailwhy, sizeof(xfailwhy), "%s: %s",
			    res->expect_why, why);
		return;
	}
	/* (Expecting an exit or a signal, ATF allows no failure at all.) */
	if (fatal || res->expect != E_PASS)
		child_done(R_FAIL, "%s", why);
	if (nfail++ == 0)
		strlcpy(failwhy, why, sizeof(failwhy));
}

static void __printflike(5, 6)
fail(bool fatal, const char *file, size_t line, const char *what,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(fatal, file, line, what, fmt, ap);
	va_end(ap);
}

void
atf_tc_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(true, NULL, 0, "", fmt, ap);
	va_end(ap);
	exit(255);			/* not reached */
}

void
atf_tc_fail_nonfatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(false, NULL, 0, "", fmt, ap);
	va_end(ap);
}

void
atf_tc_fail_requirement(const char *file, const size_t line,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(true, file, line, "", fmt, ap);
	va_end(ap);
	exit(255);			/* not reached */
}

void
atf_tc_fail_check(const char *file, const size_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(false, file, line, "", fmt, ap);
	va_end(ap);
}

void
atfi_require(const char *file, size_t line, const char *what,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(true, file, line, what, fmt, ap);
	va_end(ap);
	exit(255);			/* not reached */
}

void
atfi_check(const char *file, size_t line, const char *what,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(false, file, line, what, fmt, ap);
	va_end(ap);
}

/* _STREQ: x and y are the strings, xs and ys their expressions. */
void
atfi_streq(bool fatal, const char *file, size_t line, const char *xs,
    const char *ys, const char *x, const char *y, const char *fmt, ...)
{
	char what[sizeof(failwhy)];
	va_list ap;

	if (strcmp(x, y) == 0)
		return;
	snprintf(what, sizeof(what), "%s != %s (%s != %s)", xs, ys, x, y);
	va_start(ap, fmt);
	vfail(fatal, file, line, what, fmt, ap);
	va_end(ap);
}

/* _ERRNO: the expression must be true, and errno as it left it e. */
static void
errno_check(bool fatal, const char *file, size_t line, int e, int want,
    const char *expr, bool ok)
{
	char w[24];

	if (!ok)
		fail(fatal, file, line, "", "Expected true value in %s", expr);
	else if (e != want) {
		strlcpy(w, errname(want), sizeof(w));  /* a static */
		fail(fatal, file, line, "", "Expected errno %d (%s), got %d "
		    "(%s), in %s", want, w, e, errname(e), expr);
	}
}

void
atf_tc_require_errno(const char *file, const size_t line, const int want,
    const char *expr, const bool ok)
{
	errno_check(true, file, line, errno, want, expr, ok);
}

void
atf_tc_check_errno(const char *file, const size_t line, const int want,
    const char *expr, const bool ok)
{
	errno_check(false, file, line, errno, want, expr, ok);
}

void
atf_tc_skip(const char *fmt, ...)
{
	char why[sizeof(res->why)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	in_case();
	if (res->expect != E_PASS)
		child_done(R_FAIL, "Can only skip a test case when running "
		    "in expect pass mode");
	child_done(R_SKIP, "%s", why);
}

/* As if the body returned here: failed checks still count (in ATF
 * they would not). */
void
atf_tc_pass(void)
{
	child_end();
}

static void __printflike(3, 0)
expect(int e, int code, const char *fmt, va_list ap)
{
	validate_expect();
	res->expect = e;
	res->expect_code = code;
	vsnprintf(res->expect_why, sizeof(res->expect_why), fmt, ap);
	nxfail0 = nxfail;
}

void
atf_tc_expect_pass(void)
{
	validate_expect();
	res->expect = E_PASS;
}

void
atf_tc_expect_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	expect(E_FAIL, -1, fmt, ap);
	va_end(ap);
}

void
atf_tc_expect_exit(const int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	expect(E_EXIT, code, fmt, ap);
	va_end(ap);
}

void
atf_tc_expect_signal(const int sig, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	expect(E_SIGNAL, sig, fmt, ap);
	va_end(ap);
}

void
atf_tc_expect_death(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	expect(E_DEATH, -1, fmt, ap);
	va_end(ap);
}

void
atf_tc_expect_timeout(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	expect(E_TIMEOUT, -1, fmt, ap);
	va_end(ap);
}

/* ---- in the parent: running the cases ----------------------------------- */

/*
 * The case's time limit in seconds (0: none), from its "timeout"
 * metadata; -1 if that is not a number of seconds.  Multiplied by
 * $ATF_TIMEOUT_SCALE (a whole number, default 1): the soak runs the
 * tests beside CPU-bound workloads, where a case bound to a busy CPU
 * gets a time slice in several, and a limit is a backstop against a
 * hang, not a measure of speed (the kernel's hang detector reports a
 * CPU that stops switching).
 */
static long
case_timeout(const atf_tc_t *tc)
{
	const char *v = atf_tc_get_md_var(tc, "timeout");
	const char *scale = getenv("ATF_TIMEOUT_SCALE");
	char *end;
	long secs, k = 1;

	if (scale != NULL && (k = strtol(scale, &end, 10)) < 1)
		k = 1;
	if (v == NULL)
		return TIMEOUT_DEFAULT * k;
	errno = 0;
	secs = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || secs < 0)
		return -1;
	return secs * k;
}

/*
 * Does root (a process), or one it started, have pid?  Following the
 * parents in kl[n], as many steps as there are LWPs at most (a loop
 * would be the kernel's bug, not a reason to hang here).
 */
static bool
in_tree(const struct kinfo_lwp *kl, size_t n, pid_t root, pid_t pid)
{
	size_t steps, i;

	for (steps = 0; steps <= n && pid > 1; steps++) {
		if (pid == root)
			return true;
		for (i = 0; i < n && kl[i].l_pid != pid; i++)
			continue;
		if (i == n)
			return false;
		pid = kl[i].l_ppid;
	}
	return false;
}

/*
 * The watchdog's work when the case at pid outlives its time: say so,
 * show its LWPs and its descendants' (while they are as the hang left
 * them), then stop them all, so that none forks or is orphaned to init
 * unseen, and kill them.
 */
#define HANG_MAXLWPS	32

static void
time_out(pid_t pid, const atf_tc_t *tc, long secs)
{
	pid_t stopped[64];
	struct kinfo_lwp *kl;
	size_t n, i, j, nstopped = 0, more = 1;
	char line[128];

	out("# %s: %s: timed out after %ld s; its LWPs (and those of the "
	    "processes it started), then killed:", progname, tc->atf_ident,
	    secs);
	if ((kl = kinfo_getlwps(&n)) == NULL)
		out("# (no LWP table: sysctl kern.lwp: %s)", strerror(errno));
	else {
		/* By process and lid, at most HANG_MAXLWPS of each (as ps
		 * shows them: a process may have thousands). */
		kinfo_lwp_sort(kl, n);
		out("# %s", kinfo_lwp_line(line, sizeof(line), NULL));
		for (i = 0; i < n; i = j) {
			for (j = i; j < n && kl[j].l_pid == kl[i].l_pid; j++)
				if (j - i < HANG_MAXLWPS &&
				    in_tree(kl, n, pid, kl[j].l_pid))
					out("# %s", kinfo_lwp_line(line,
					    sizeof(line), &kl[j]));
			if (j - i > HANG_MAXLWPS &&
			    in_tree(kl, n, pid, kl[i].l_pid))
				out("# ... and %zu more LWPs of process %d",
				    j - i - HANG_MAXLWPS, kl[i].l_pid);
		}
		free(kl);
	}
	kill(pid, SIGSTOP);
	stopped[nstopped++] = pid;
	while (more > 0 && (kl = kinfo_getlwps(&n)) != NULL) {
		for (i = 0, more = 0; i < n; i++) {
			for (j = 0; j < nstopped; j++)
				if (stopped[j] == kl[i].l_pid)
					break;
			if (j == nstopped && nstopped < 64 &&
			    in_tree(kl, n, pid, kl[i].l_pid)) {
				kill(kl[i].l_pid, SIGSTOP);
				stopped[nstopped++] = kl[i].l_pid;
				more++;
			}
		}
		free(kl);
	}
	for (j = 0; j < nstopped; j++)
		kill(stopped[j], SIGKILL);

	/* Until they are gone (zombies at most), so that the next case
	 * never shares the machine with this one's remains. */
	for (int try = 0; try < 500; try++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		if ((kl = kinfo_getlwps(&n)) == NULL)
			return;
		for (i = 0, more = 0; i < n; i++)
			for (j = 0; j < nstopped; j++)
				if (stopped[j] == kl[i].l_pid &&
				    kl[i].l_stat != LSZOMB)
					more++;
		free(kl);
		if (more == 0)
			return;
		nanosleep(&ts, NULL);
	}
	out("# %s: %s: %zu LWPs still there 5 s after SIGKILL", progname,
	    tc->atf_ident, more);
}

/*
 * The watchdog of the case about to start (see the top of this file),
 * which finds the case's pid in res->case_pid when it wakes: its pid,
 * or -1 if it could not start (the case then runs without a limit).
 */
static pid_t
watchdog(const atf_tc_t *tc, long secs)
{
	struct timespec ts = { secs, 0 };
	pid_t wd, pid;

	fflush(NULL);
	if ((wd = fork()) != 0)
		return wd;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
	pid = __atomic_load_n(&res->case_pid, __ATOMIC_ACQUIRE);
	if (pid > 0 && claim_end(O_TIMED_OUT))
		time_out(pid, tc, secs);
	_exit(0);
}

/* The watchdog goes (the case ended in time, or never started). */
static void
watchdog_end(pid_t wd)
{
	if (claim_end(O_ENDED))
		kill(wd, SIGKILL);
	while (waitpid(wd, NULL, 0) == -1 && errno == EINTR)
		continue;
}

/*
 * Run fn (tc's body or cleanup) in a child and say how it went: R_*,
 * and why in why[len].
 */
static int
run_child(const atf_tc_t *tc, void (*fn)(const atf_tc_t *), char *why,
    size_t len)
{
	long secs = case_timeout(tc);
	int st, code;
	pid_t pid, wd = -1, w;

	if (secs < 0) {
		snprintf(why, len, "its \"timeout\" metadata (\"%s\") is not "
		    "a number of seconds", atf_tc_get_md_var(tc, "timeout"));
		return R_FAIL;
	}
	memset(res, 0, sizeof(*res));
	fflush(NULL);			/* or the children would print it again */
	if (secs > 0)
		wd = watchdog(tc, secs);	/* first: see the top of the file */
	pid = fork();
	if (pid == 0) {
		cur = tc;
		fn(tc);
		child_end();
	}
	if (pid == -1) {
		if (wd > 0)
			watchdog_end(wd);
		snprintf(why, len, "fork: %s", strerror(errno));
		return R_FAIL;
	}
	__atomic_store_n(&res->case_pid, pid, __ATOMIC_RELEASE);
	while ((w = waitpid(pid, &st, 0)) == -1 && errno == EINTR)
		continue;
	/* Done in time: the watchdog goes.  Timed out: it is killing the
	 * rest of the case; let it finish (watchdog_end waits for it). */
	if (wd > 0)
		watchdog_end(wd);
	if (w != pid) {
		snprintf(why, len, "wait: %s", strerror(errno));
		return R_FAIL;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && res->what != R_NONE) {
		strlcpy(why, res->why, len);	/* it ended as it should */
		return res->what;
	}
	if (res->over == O_TIMED_OUT) {
		if (res->expect == E_TIMEOUT) {
			snprintf(why, len, "expected timeout: %s",
			    res->expect_why);
			return R_XFAIL;
		}
		snprintf(why, len, "timed out after %ld s", secs);
		return R_FAIL;
	}

	/* It died, or exited on its own: expected? */
	code = res->expect_code;
	if (res->expect == E_DEATH ||
	    (res->expect == E_SIGNAL && WIFSIGNALED(st) &&
	    (code == -1 || code == WTERMSIG(st))) ||
	    (res->expect == E_EXIT && WIFEXITED(st) &&
	    (code == -1 || code == WEXITSTATUS(st)))) {
		snprintf(why, len, "expected %s: %s",
		    res->expect == E_DEATH ? "death" :
		    res->expect == E_SIGNAL ? "signal" : "exit",
		    res->expect_why);
		return R_XFAIL;
	}
	snprintf(why, len, "%s%s", atf_utils_wstatus(st),
	    WIFEXITED(st) ? " before the case ended" : "");
	return R_FAIL;
}

static void
run_case(const atf_tc_t *tc)
{
	char why[sizeof(res->why)], cwhy[sizeof(res->why)];
	int r;

	if (atf_tc_has_md_var(tc, "require.user")) {
		/* NetBSD's tests ask for root (or not) to test permissions:
		 * there are no users here (docs/userland.md: out of scope). */
		nskip++;
		out("skipped - %s: %s: require.user %s: users and permissions "
		    "are out of scope (docs/userland.md)", progname,
		    tc->atf_ident, atf_tc_get_md_var(tc, "require.user"));
		return;
	}
	r = run_child(tc, tc->atf_body, why, sizeof(why));
	if (tc->atf_cleanup != NULL &&
	    run_child(tc, tc->atf_cleanup, cwhy, sizeof(cwhy)) == R_FAIL &&
	    r != R_FAIL) {
		r = R_FAIL;
		snprintf(why, sizeof(why), "cleanup: %s", cwhy);
	}
	switch (r) {
	case R_PASS:
		npass++;
		out("ok - %s: %s", progname, tc->atf_ident);
		break;
	case R_XFAIL:
		npass++;
		out("ok - %s: %s # %s", progname, tc->atf_ident, why);
		break;
	case R_SKIP:
		nskip++;
		out("skipped - %s: %s: %s", progname, tc->atf_ident, why);
		break;
	default:
		nfailed++;
		out("not ok - %s: %s: %s", progname, tc->atf_ident, why);
		break;
	}
}

/* -l: the cases and their metadata, as atf(7) lists them. */
static void
list(const atf_tp_t *tp)
{
	const struct atf_md_var *v;
	const atf_tc_t *tc;

	for (tc = tp->first; tc != NULL; tc = tc->atf_next) {
		printf("%sident: %s\n", tc == tp->first ? "" : "\n",
		    tc->atf_ident);
		for (v = tc->atf_vars; v != NULL; v = v->next)
			printf("%s: %s\n", v->name, v->value);
	}
}

/* ATF_TP_HELPER's default: no helper, run the cases. */
__attribute__((weak)) int
atfu_tp_helper(int argc, char **argv)
{
	return -1;
}

/*
 * The program: every case, in the order ATF_TP_ADD_TCS adds them, or
 * those its arguments name.  Exit status: how many failed.
 */
int
main(int argc, char **argv)
{
	atf_tp_t tp = { NULL, &tp.first };
	atf_tc_t *tc;
	int i;

	if ((i = atfu_tp_helper(argc, argv)) >= 0)
		return i;
	/* A copy: a case may scribble on the top of its stack, where the
	 * kernel put argv's strings (t_efault does). */
	if (argc > 0 && argv[0] != NULL) {
		static char name[64];

		strlcpy(name, strrchr(argv[0], '/') != NULL ?
		    strrchr(argv[0], '/') + 1 : argv[0], sizeof(name));
		progname = name;
	}
	if (atf_is_error(atfu_tp_add_tcs(&tp))) {
		fprintf(stderr, "%s: ATF_TP_ADD_TCS failed\n", progname);
		return 255;
	}
	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		list(&tp);
		return 0;
	}
	res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANON, -1, 0);
	if (res == MAP_FAILED) {
		fprintf(stderr, "%s: mmap: %s\n", progname, strerror(errno));
		return 255;
	}
	for (tc = tp.first; argc <= 1 && tc != NULL; tc = tc->atf_next)
		run_case(tc);
	for (i = 1; i < argc; i++) {
		for (tc = tp.first; tc != NULL; tc = tc->atf_next)
			if (strcmp(tc->atf_ident, argv[i]) == 0)
				break;
		if (tc != NULL)
			run_case(tc);
		else {
			nfailed++;
			out("not ok - %s: %s: no such test case",
			    progname, argv[i]);
		}
	}
	out("%s: %d passed, %d failed, %d skipped", progname, npass,
	    nfailed, nskip);
	return nfailed > 255 ? 255 : nfailed;
}

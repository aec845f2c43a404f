/*
 * t_fork: processes.  fork, exit statuses, wait and waitpid (blocking
 * and WNOHANG), ECHILD, zombies, orphans going to init, and the argv
 * and envp execve hands over.
 *
 * The program is its own helper: run with argv[1] "-tree", "-args" or
 * "-many" (by the cases below, through execve) it does that one job
 * and reports through its exit status (ATF_TP_HELPER).
 */
#include <sys/mman.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "h_macros.h"

#define SELF	"/tests/t_fork"

/*
 * One node of a process tree, in a process of its own.  A leaf (depth
 * 0) exits with TREE_OK.  A node at depth d starts two children, each
 * a fresh exec of this program at depth d - 1, and exits with
 * TREE_OK + d if both exited with TREE_OK + d - 1.  A failure comes up
 * the tree as TREE_BAD + the depth that saw it (TREE_BAD + 50: an
 * execve failed), so the root's status says what went wrong where.
 */
#define TREE_OK		10
#define TREE_BAD	100

static int
tree_node(int depth)
{
	char arg[16];
	char *av[] = { "t_fork", "-tree", arg, NULL };
	pid_t kid[2];
	int i, st, ret = TREE_OK + depth;

	if (depth == 0)
		return TREE_OK;
	snprintf(arg, sizeof(arg), "%d", depth - 1);
	for (i = 0; i < 2; i++) {
		kid[i] = fork();
		if (kid[i] == 0) {
			execve(SELF, av, environ);
			_exit(TREE_BAD + 50);
		}
	}
	for (i = 0; i < 2; i++) {
		if (kid[i] == -1 || waitpid(kid[i], &st, 0) != kid[i] ||
		    !WIFEXITED(st))
			ret = TREE_BAD + depth;
		else if (WEXITSTATUS(st) != TREE_OK + depth - 1 &&
		    ret < TREE_BAD)
			ret = WEXITSTATUS(st) >= TREE_BAD ? WEXITSTATUS(st) :
			    TREE_BAD + depth;
	}
	return ret;
}

/* Helper: started by exec_args with exactly this argv and envp. */
static int
helper_args(int argc, char **argv)
{
	const char *foo = getenv("FOO");

	if (argc != 5)
		return 1;
	if (strcmp(argv[0], "t_fork") != 0 ||
	    strcmp(argv[2], "two words") != 0 || strcmp(argv[3], "") != 0 ||
	    strcmp(argv[4], "last") != 0 || argv[5] != NULL)
		return 2;
	if (environ[0] == NULL || strcmp(environ[0], "FOO=bar") != 0 ||
	    environ[1] == NULL || strcmp(environ[1], "EMPTY=") != 0 ||
	    environ[2] != NULL)
		return 3;
	if (foo == NULL || strcmp(foo, "bar") != 0)
		return 4;
	return 0;
}

/* Argument i of the big argv: 38 characters that say which it is. */
#define NMANY	100
static void
many_arg(char *buf, int i)
{
	snprintf(buf, 40, "%03d-abcdefghijklmnopqrstuvwxyz-0123456", i);
}

/* Helper: argv[2..] are many_arg(0..NMANY-1). */
static int
helper_many(int argc, char **argv)
{
	char want[40];
	int i;

	if (argc != NMANY + 2)
		return 1;
	for (i = 0; i < NMANY; i++) {
		many_arg(want, i);
		if (strcmp(argv[i + 2], want) != 0)
			return 2;
	}
	return 0;
}

/* With no children at all (a case runs in a process of its own), every
 * kind of wait says ECHILD. */
ATF_TC(echild);
ATF_TC_HEAD(echild, tc)
{
	atf_tc_set_md_var(tc, "descr", "wait and waitpid with no children: "
	    "ECHILD");
}
ATF_TC_BODY(echild, tc)
{
	int st;

	CHECK_ERR(wait(&st), ECHILD, "wait with no children: ECHILD");
	CHECK_ERR(waitpid(-1, &st, WNOHANG), ECHILD,
	    "waitpid WNOHANG with no children: ECHILD");
	CHECK_ERR(waitpid(1, &st, 0), ECHILD,
	    "waitpid of a process that is not a child: ECHILD");
}

static pid_t parent_pid;

static int
child_check_ppid(void)
{
	return getppid() == parent_pid ? 0 : 1;
}

static int
child_exit_pid(void)
{
	return getpid() & 0xff;
}

ATF_TC(ids);
ATF_TC_HEAD(ids, tc)
{
	atf_tc_set_md_var(tc, "descr", "getpid, getppid, and the pid fork "
	    "returns");
}
ATF_TC_BODY(ids, tc)
{
	pid_t me = getpid(), pid;
	int st;

	ATF_CHECK_MSG(me > 1 && getpid() == me,
	    "getpid is stable and not init's: getpid() gave %d then %d", me,
	    getpid());
	ATF_CHECK_MSG(getppid() >= 1 && getppid() != me,
	    "getppid is another process: getppid() = %d, getpid() = %d",
	    getppid(), me);

	parent_pid = me;
	st = h_child(child_check_ppid);
	CHECK_EXIT(st, 0, "the child's getppid is the parent's getpid");

	/* The child exits with the low byte of its pid: fork returned the
	 * same pid to the parent. */
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(child_exit_pid());
	st = -1;
	if (pid > 0 && waitpid(pid, &st, 0) != pid)
		st = -1;
	ATF_CHECK_MSG(pid > 0 && pid != me && st != -1 && WIFEXITED(st) &&
	    WEXITSTATUS(st) == (pid & 0xff),
	    "fork returns the child's pid: fork gave %d, child %s", pid,
	    atf_utils_wstatus(st));
}

/* Every exit status 0..255 arrives intact. */
ATF_TC(exit_statuses);
ATF_TC_HEAD(exit_statuses, tc)
{
	atf_tc_set_md_var(tc, "descr", "every exit status 0..255 arrives "
	    "intact");
}
ATF_TC_BODY(exit_statuses, tc)
{
	int i, st = 0, bad = -1;
	pid_t pid;

	for (i = 0; i <= 255 && bad < 0; i++) {
		pid = fork();
		if (pid == 0)
			_exit(i);
		if (pid == -1 || waitpid(pid, &st, 0) != pid)
			st = -1;
		if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != i)
			bad = i;
	}
	ATF_CHECK_MSG(bad < 0, "exit statuses 0..255: _exit(%d): child %s", bad,
	    atf_utils_wstatus(st));
}

ATF_TC(wnohang);
ATF_TC_HEAD(wnohang, tc)
{
	atf_tc_set_md_var(tc, "descr", "waitpid WNOHANG before and after the "
	    "child exits");
}
ATF_TC_BODY(wnohang, tc)
{
	pid_t pid, r;
	long deadline;
	int st = 0;

	pid = fork();
	if (pid == 0) {
		h_sleep_ms(200);
		_exit(7);
	}
	ATF_REQUIRE_MSG(pid > 0, "fork for WNOHANG: fork: %s",
	    strerror(errno));
	r = waitpid(pid, &st, WNOHANG);
	ATF_CHECK_MSG(r == 0,
	    "waitpid WNOHANG while the child runs: expected 0, got %d (%s)", r,
	    strerror(errno));

	/* Poll until it is gone, for 5 seconds at most. */
	deadline = h_msec() + 5000;
	while ((r = waitpid(pid, &st, WNOHANG)) == 0 &&
	    h_msec() < deadline)
		h_sleep_ms(10);
	ATF_CHECK_MSG(r == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7,
	    "waitpid WNOHANG once the child exited: expected pid %d exited "
	    "with 7, got %d (%s), %s", pid, r, strerror(errno),
	    atf_utils_wstatus(st));
}

/* waitpid(pid) waits for that child even when another finishes first. */
ATF_TC(waitpid_specific);
ATF_TC_HEAD(waitpid_specific, tc)
{
	atf_tc_set_md_var(tc, "descr", "waitpid waits for the child it names");
}
ATF_TC_BODY(waitpid_specific, tc)
{
	pid_t slow, fast, r;
	int st = -1;

	slow = fork();
	if (slow == 0) {
		h_sleep_ms(100);
		_exit(1);
	}
	fast = fork();
	if (fast == 0)
		_exit(2);
	ATF_REQUIRE_MSG(slow > 0 && fast > 0, "fork two children: fork: %s",
	    strerror(errno));
	r = waitpid(slow, &st, 0);
	ATF_CHECK_MSG(r == slow && WIFEXITED(st) && WEXITSTATUS(st) == 1,
	    "waitpid picks the child it names: expected pid %d exited with 1, "
	    "got %d, %s", slow, r, atf_utils_wstatus(st));
	r = waitpid(fast, &st, 0);
	ATF_CHECK_MSG(r == fast && WIFEXITED(st) && WEXITSTATUS(st) == 2,
	    "waitpid of a child that exited earlier: expected pid %d exited "
	    "with 2, got %d, %s", fast, r, atf_utils_wstatus(st));
}

/* A child that exits stays a zombie, status kept, until it is reaped. */
ATF_TC(zombie);
ATF_TC_HEAD(zombie, tc)
{
	atf_tc_set_md_var(tc, "descr", "a zombie keeps its status until "
	    "reaped");
}
ATF_TC_BODY(zombie, tc)
{
	pid_t pid, r;
	int st = -1;

	pid = fork();
	if (pid == 0)
		_exit(3);
	h_sleep_ms(100);		/* it is surely a zombie now */
	r = waitpid(pid, &st, 0);
	ATF_CHECK_MSG(pid > 0 && r == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 3,
	    "a zombie keeps its status until reaped: expected pid %d exited "
	    "with 3, got %d, %s", pid, r, atf_utils_wstatus(st));
}

/*
 * An orphan is re-parented to init.  We start a middle process, which
 * starts the grandchild and exits; the grandchild watches getppid()
 * turn from the middle process into 1 and writes what it saw into a
 * MAP_SHARED page, the only way back to us (its status goes to init).
 */
struct orphan {
	volatile pid_t	before;		/* getppid() at first */
	volatile pid_t	after;		/* getppid() once it changed */
	volatile int	done;
};

ATF_TC(orphan);
ATF_TC_HEAD(orphan, tc)
{
	atf_tc_set_md_var(tc, "descr", "an orphan's parent becomes init");
}
ATF_TC_BODY(orphan, tc)
{
	struct orphan *o;
	pid_t mid;
	int i, st = -1;

	o = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_ANON | MAP_SHARED,
	    -1, 0);
	ATF_REQUIRE_MSG(o != MAP_FAILED,
	    "orphan: MAP_SHARED page for the report: mmap: %s",
	    strerror(errno));
	fflush(stdout);
	mid = fork();
	if (mid == 0) {
		if (fork() == 0) {
			o->before = getppid();
			for (i = 0; i < 300 && getppid() != 1; i++)
				h_sleep_ms(10);
			o->after = getppid();
			o->done = 1;
			_exit(0);
		}
		/* Exit once the grandchild has seen us as its parent. */
		for (i = 0; i < 300 && o->before == 0; i++)
			h_sleep_ms(10);
		_exit(0);
	}
	if (mid > 0 && waitpid(mid, &st, 0) != mid)
		st = -1;
	for (i = 0; i < 400 && !o->done; i++)
		h_sleep_ms(10);
	ATF_CHECK_MSG(mid > 0 && o->done && o->before == mid && o->after == 1,
	    "an orphan's getppid becomes 1: middle process %d (%s), "
	    "grandchild's parent before %d, after %d%s", mid,
	    atf_utils_wstatus(st), o->before, o->after,
	    o->done ? "" : ", grandchild never reported");
	munmap(o, 4096);
}

/* A fork/exec/wait tree of depth 3: 15 processes. */
ATF_TC(tree);
ATF_TC_HEAD(tree, tc)
{
	atf_tc_set_md_var(tc, "descr", "a fork/exec/wait tree of depth 3: 15 "
	    "processes");
}
ATF_TC_BODY(tree, tc)
{
	pid_t pid;
	int st = -1;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(tree_node(3));
	if (pid > 0 && waitpid(pid, &st, 0) != pid)
		st = -1;
	CHECK_EXIT(st, TREE_OK + 3, "fork/exec/wait tree of depth 3");
}

/* Many children alive at once, reaped by wait() in whatever order. */
#define NKIDS	16
ATF_TC(concurrent);
ATF_TC_HEAD(concurrent, tc)
{
	atf_tc_set_md_var(tc, "descr", "16 children at once, reaped by wait");
}
ATF_TC_BODY(concurrent, tc)
{
	pid_t kid[NKIDS], r;
	int i, j, st, nok = 0;

	fflush(stdout);
	for (i = 0; i < NKIDS; i++) {
		kid[i] = fork();
		if (kid[i] == 0) {
			h_sleep_ms((i % 4) * 10);
			_exit(i);
		}
	}
	for (i = 0; i < NKIDS; i++) {
		if ((r = wait(&st)) == -1)
			break;
		for (j = 0; j < NKIDS; j++) {
			if (kid[j] == r) {
				if (WIFEXITED(st) && WEXITSTATUS(st) == j)
					nok++;
				kid[j] = 0;	/* seen: no second time */
			}
		}
	}
	ATF_CHECK_MSG(nok == NKIDS,
	    "16 children at once, each reaped once: %d of %d reaped with the "
	    "right status", nok, NKIDS);
}

/* Many fork + exit + wait cycles (the kernel checks its own leaks). */
ATF_TC(cycles);
ATF_TC_HEAD(cycles, tc)
{
	atf_tc_set_md_var(tc, "descr", "many fork+exit+wait and "
	    "fork+exec+wait cycles");
}
ATF_TC_BODY(cycles, tc)
{
	char *av[] = { "true", NULL };
	pid_t pid;
	int i, st = 0, bad = -1;

	for (i = 0; i < 200 && bad < 0; i++) {
		pid = fork();
		if (pid == 0)
			_exit(i & 0xff);
		if (pid == -1 || waitpid(pid, &st, 0) != pid ||
		    !WIFEXITED(st) || WEXITSTATUS(st) != (i & 0xff))
			bad = i;
	}
	ATF_CHECK_MSG(bad < 0, "200 fork+exit+wait cycles: cycle %d: %s", bad,
	    atf_utils_wstatus(st));

	fflush(stdout);
	for (i = 0, bad = -1; i < 30 && bad < 0; i++) {
		pid = fork();
		if (pid == 0) {
			execve("/bin/true", av, environ);
			_exit(127);
		}
		if (pid == -1 || waitpid(pid, &st, 0) != pid ||
		    !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad = i;
	}
	ATF_CHECK_MSG(bad < 0,
	    "30 fork+exec+wait cycles of /bin/true: cycle %d: %s", bad,
	    atf_utils_wstatus(st));
}

/* Run SELF with argv av and envp ev in a child; its wait status. */
static int
exec_self(char **av, char **ev)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execve(SELF, av, ev);
		_exit(127);
	}
	if (pid == -1 || waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

ATF_TC(exec_args);
ATF_TC_HEAD(exec_args, tc)
{
	atf_tc_set_md_var(tc, "descr", "execve hands over argv and envp, big "
	    "and empty");
}
ATF_TC_BODY(exec_args, tc)
{
	char *av[] = { "t_fork", "-args", "two words", "", "last", NULL };
	char *ev[] = { "FOO=bar", "EMPTY=", NULL };
	static char many[NMANY][40];
	char *mav[NMANY + 3];
	char *noenv[] = { NULL };
	int i;

	/* Helper status 1: argc, 2: argv, 3: environ, 4: getenv. */
	CHECK_EXIT(exec_self(av, ev), 0, "execve passes argv and envp");

	mav[0] = "t_fork";
	mav[1] = "-many";
	for (i = 0; i < NMANY; i++) {
		many_arg(many[i], i);
		mav[i + 2] = many[i];
	}
	mav[NMANY + 2] = NULL;
	CHECK_EXIT(exec_self(mav, noenv), 0,
	    "execve passes 100 arguments (4 KiB) and an empty envp");
}

/* Run by the cases above, through execve. */
ATF_TP_HELPER(argc, argv)
{
	if (argc >= 3 && strcmp(argv[1], "-tree") == 0)
		return tree_node(atoi(argv[2]));
	if (argc >= 2 && strcmp(argv[1], "-args") == 0)
		return helper_args(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "-many") == 0)
		return helper_many(argc, argv);
	return -1;
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, echild);
	ATF_TP_ADD_TC(tp, ids);
	ATF_TP_ADD_TC(tp, exit_statuses);
	ATF_TP_ADD_TC(tp, wnohang);
	ATF_TP_ADD_TC(tp, waitpid_specific);
	ATF_TP_ADD_TC(tp, zombie);
	ATF_TP_ADD_TC(tp, orphan);
	ATF_TP_ADD_TC(tp, tree);
	ATF_TP_ADD_TC(tp, concurrent);
	ATF_TP_ADD_TC(tp, cycles);
	ATF_TP_ADD_TC(tp, exec_args);
	return atf_no_error();
}

/*
 * t_exec: execve's checks and its one success.  Every file in
 * /tests/elf (corrupted copies of /bin/true made by mkbadelf.sh, which
 * says what each breaks) must be refused with ENOEXEC, leaving the
 * caller's process as it was; directories give EACCES, missing files
 * ENOENT; and a good exec replaces the whole image.
 *
 * Run with argv[1] "-child", the program is the new image of that last
 * case and checks what it was given (ATF_TP_HELPER).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "h_macros.h"

#define SELF	"/tests/t_exec"
#define ELFDIR	"/tests/elf"

/* What mkbadelf.sh makes: all must be there. */
static const char *const elf_expected[] = {
	"badmagic", "badclass", "badmachine", "badtype", "truncated",
	"trunc_seg", "phoff_out", "kernelseg", "straddle", "overlap", "wx",
	"filesz_gt_memsz", "entry_out", "empty", "notelf",
};

/* The parent changes these before exec; the new image must start
 * from the program file's values again. */
static int gdata = 7;
static int gbss;
static char canary[] = "this process is still itself";

/* The new image: exit 42 if it got what good_exec passed.  Else:
 * 1 argc, 2 argv, 3 environ, 4 data or bss not fresh. */
static int
helper_child(int argc, char **argv)
{
	if (argc != 3)
		return 1;
	if (strcmp(argv[0], "t_exec") != 0 || strcmp(argv[2], "a b") != 0)
		return 2;
	if (environ[0] == NULL || strcmp(environ[0], "T_EXEC=yes") != 0 ||
	    environ[1] != NULL)
		return 3;
	if (gdata != 7 || gbss != 0)
		return 4;
	return 42;
}

/*
 * execve(path) in a child.  Returns its wait status: exited with
 * 100 + errno if execve failed, otherwise whatever the program did.
 */
static int
exec_in_child(const char *path, char **av, char **ev)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execve(path, av, ev);
		_exit(100 + errno);
	}
	if (pid == -1 || waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

/*
 * execve(path) must fail with want (an errno).  First in a child: if
 * the kernel ran the file after all, only the child is lost.  Then, if
 * it failed there as it should, in this very process, which must go on
 * as before.
 */
static void
check_exec_fails(const char *path, int want)
{
	char *av[] = { "bad", NULL }, *ev[] = { NULL };
	char cname[PATH_MAX + 32];
	int st, r, e;

	snprintf(cname, sizeof(cname), "execve %s: %s", path,
	    strerror(want));
	st = exec_in_child(path, av, ev);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) < 100) {
		atf_tc_fail_nonfatal("%s: in a child, the program ran: %s",
		    cname, st == -1 ? "fork or wait failed" :
		    atf_utils_wstatus(st));
		return;
	}
	if (WEXITSTATUS(st) != 100 + want) {
		atf_tc_fail_nonfatal("%s: in a child: %s", cname,
		    strerror(WEXITSTATUS(st) - 100));
		return;
	}
	errno = 0;
	r = execve(path, av, ev);
	e = errno;
	ATF_CHECK_MSG(r == -1 && e == want &&
	    strcmp(canary, "this process is still itself") == 0,
	    "%s: in this process: returned %d (%s)", cname, r, strerror(e));
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Each file in /tests/elf, in name order, must give ENOEXEC. */
static void
bad_elves(void)
{
	char *names[64], path[PATH_MAX], cname[64];
	struct dirent *de;
	size_t n = 0, i, j;
	DIR *d;

	ATF_REQUIRE_MSG((d = opendir(ELFDIR)) != NULL, "opendir " ELFDIR ": %s",
	    strerror(errno));
	while ((de = readdir(d)) != NULL && n < __arraycount(names)) {
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmpstr);

	for (i = 0; i < __arraycount(elf_expected); i++) {
		for (j = 0; j < n; j++)
			if (strcmp(names[j], elf_expected[i]) == 0)
				break;
		snprintf(cname, sizeof(cname), "%s/%s exists", ELFDIR,
		    elf_expected[i]);
		ATF_CHECK_MSG(j < n, "%s: not in the directory", cname);
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", ELFDIR, names[i]);
		check_exec_fails(path, ENOEXEC);
		free(names[i]);
	}
}

static int
child_true(void)
{
	return 0;
}

/* After execs that failed in this very process: it still works. */
static void
still_alive(void)
{
	CHECK_EXIT(h_child(child_true), 0,
	    "still alive after the failed execs: fork and wait work");
}

ATF_TC(bad_elves);
ATF_TC_HEAD(bad_elves, tc)
{
	atf_tc_set_md_var(tc, "descr", "every broken ELF file in " ELFDIR
	    " is there and is refused with ENOEXEC");
}
ATF_TC_BODY(bad_elves, tc)
{
	bad_elves();
	still_alive();
}

ATF_TC(directories);
ATF_TC_HEAD(directories, tc)
{
	atf_tc_set_md_var(tc, "descr", "directories are refused with EACCES");
}
ATF_TC_BODY(directories, tc)
{
	check_exec_fails("/tests", EACCES);
	check_exec_fails("/", EACCES);
	still_alive();
}

ATF_TC(missing);
ATF_TC_HEAD(missing, tc)
{
	atf_tc_set_md_var(tc, "descr", "missing files are refused with "
	    "ENOENT");
}
ATF_TC_BODY(missing, tc)
{
	check_exec_fails("/tests/no_such_program", ENOENT);
	check_exec_fails("/no/such/dir/prog", ENOENT);
	still_alive();
}

/* A good exec: the new image gets our argv and envp, and fresh data. */
ATF_TC(good_exec);
ATF_TC_HEAD(good_exec, tc)
{
	atf_tc_set_md_var(tc, "descr", "exec replaces the whole image");
}
ATF_TC_BODY(good_exec, tc)
{
	char *av[] = { "t_exec", "-child", "a b", NULL };
	char *ev[] = { "T_EXEC=yes", NULL };
	char *tav[] = { "true", NULL }, *fav[] = { "false", NULL };

	gdata = 99;
	gbss = 5;
	CHECK_EXIT(exec_in_child(SELF, av, ev), 42,
	    "exec replaces the image; argv and envp arrive");
	CHECK_EXIT(exec_in_child("/bin/true", tav, ev), 0,
	    "exec /bin/true: exit status 0");
	CHECK_EXIT(exec_in_child("/bin/false", fav, ev), 1,
	    "exec /bin/false: exit status 1");
}

/* Run by good_exec as the new image. */
ATF_TP_HELPER(argc, argv)
{
	if (argc >= 2 && strcmp(argv[1], "-child") == 0)
		return helper_child(argc, argv);
	return -1;
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, bad_elves);
	ATF_TP_ADD_TC(tp, directories);
	ATF_TP_ADD_TC(tp, missing);
	ATF_TP_ADD_TC(tp, good_exec);
	return atf_no_error();
}

/*
 * run: the test runner.  `run=/tests/run` on the kernel command line
 * has init start it; it runs every test program in /tests (t_*, but not
 * t_console, which needs someone at the keyboard) in name order, or
 * just the ones named on its command line, one at a time.
 *
 * Each program prints its own ok/not ok lines.  The runner adds one
 * line per program, so that one that crashes or fails without saying
 * so still counts:
 *
 *	ok - run: t_fork
 *	not ok - run: t_mmap: killed by signal 11 (SIGSEGV)
 *	utest: 5 programs, 1 failed
 *
 * and exits with the number of programs that failed (at most 255).
 */
#define UTEST_PROG "run"
#include "utest.h"
#include <sys/stat.h>
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>

#define TESTDIR	"/tests"

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The test programs in TESTDIR, sorted; *np says how many. */
static char **
list_tests(size_t *np)
{
	char **names = NULL, **more, path[PATH_MAX];
	struct dirent *de;
	struct stat sb;
	size_t n = 0;
	DIR *d;

	if ((d = opendir(TESTDIR)) == NULL) {
		fprintf(stderr, "run: %s: %s\n", TESTDIR, strerror(errno));
		exit(1);
	}
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "t_", 2) != 0 ||
		    strcmp(de->d_name, "t_console") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", TESTDIR, de->d_name);
		if (stat(path, &sb) == -1 || !S_ISREG(sb.st_mode))
			continue;
		if ((more = realloc(names, (n + 1) * sizeof(*names))) == NULL ||
		    (more[n] = strdup(de->d_name)) == NULL) {
			fprintf(stderr, "run: out of memory\n");
			exit(1);
		}
		names = more;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmpstr);
	*np = n;
	return names;
}

/* Run one program (a name in TESTDIR, or a path) to its end. */
static void
run_one(const char *prog)
{
	char path[PATH_MAX];
	char *av[2];
	const char *name;
	pid_t pid;
	int st;

	name = strrchr(prog, '/') != NULL ? strrchr(prog, '/') + 1 : prog;
	if (strchr(prog, '/') != NULL)
		strlcpy(path, prog, sizeof(path));
	else
		snprintf(path, sizeof(path), "%s/%s", TESTDIR, prog);
	av[0] = (char *)name;
	av[1] = NULL;

	utest_printf("# run: %s", path);
	pid = fork();
	if (pid == 0) {
		execve(path, av, environ);
		fprintf(stderr, "run: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	if (pid == -1 || waitpid(pid, &st, 0) != pid) {
		utest_fail(name, "fork or wait: %s", strerror(errno));
		return;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		utest_ok(name);
	else
		utest_fail(name, "%s", utest_status(st));
}

int
main(int argc, char **argv)
{
	char **names;
	size_t i, n;

	if (argc > 1) {
		for (i = 1; i < (size_t)argc; i++)
			run_one(argv[i]);
	} else {
		names = list_tests(&n);
		for (i = 0; i < n; i++)
			run_one(names[i]);
	}
	utest_printf("utest: %d programs, %d failed", utest_npass + utest_nfail,
	    utest_nfail);
	return utest_nfail > 255 ? 255 : utest_nfail;
}

/*
 * run: the test runner.  `run=/tests/run` on the kernel command line
 * has init start it; it runs every test program in /tests (t_*, but not
 * those in by_name_only[]) in name order, or just the ones named on its
 * command line, one at a time.
 *
 * Each program (an ATF test program: libatf-c) prints its own lines, one
 * per case: ok, not ok, or skipped.  The runner adds one line per
 * program, so that one that crashes or fails without saying so still
 * counts:
 *
 *	ok - run: t_fork
 *	not ok - run: t_mmap: killed by signal 11
 *	utest: 5 programs, 1 failed
 *
 * Each program's time (the clock's: CLOCK_MONOTONIC) follows it as a
 * comment, and the five slowest come before the last line, so that a
 * slow suite says where its time goes:
 *
 *	# run: t_fork: 412 ms
 *	# run: slowest (ms): t_lwp_park 5803, t_pthread 2210, ...
 *
 * `run shard=I/N` runs the I-th of every N programs in name order (I
 * from 1): N boots at once run the whole suite, each 1/N of it (make
 * check does, two: the suite spends half its time asleep in its tests'
 * waits, which the other boot fills).
 *
 * It exits with the number of programs that failed (at most 255).
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TESTDIR	"/tests"

static int npass, nfail;

/* Run only when named: t_console needs someone at the keyboard,
 * t_lwp_scale MEM=512M (scenarios utest-console, utest-lwp-scale). */
static const char *const by_name_only[] = { "t_console", "t_lwp_scale" };

static int
named_only(const char *name)
{
	for (size_t i = 0; i < sizeof(by_name_only) / sizeof(by_name_only[0]);
	    i++)
		if (strcmp(name, by_name_only[i]) == 0)
			return 1;
	return 0;
}

/* The slowest programs so far, slowest first. */
#define NSLOW	5
static struct slow {
	char	name[64];
	long	ms;
} slow[NSLOW];

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
note_time(const char *name, long ms)
{
	int i, j;

	for (i = 0; i < NSLOW && slow[i].name[0] != '\0' && slow[i].ms >= ms;
	    i++)
		continue;
	if (i == NSLOW)
		return;
	for (j = NSLOW - 1; j > i; j--)
		slow[j] = slow[j - 1];
	strlcpy(slow[i].name, name, sizeof(slow[i].name));
	slow[i].ms = ms;
}

/*
 * One line (the newline is added) in a single write(2): whole on the
 * console even when a test program writes too, and nothing left in a
 * stdio buffer for fork() to copy.
 */
static void __printflike(1, 2)
line(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	(void)write(STDOUT_FILENO, buf, n);
}

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
		    named_only(de->d_name))
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
	long t0;
	int st;

	name = strrchr(prog, '/') != NULL ? strrchr(prog, '/') + 1 : prog;
	if (strchr(prog, '/') != NULL)
		strlcpy(path, prog, sizeof(path));
	else
		snprintf(path, sizeof(path), "%s/%s", TESTDIR, prog);
	av[0] = (char *)name;
	av[1] = NULL;

	line("# run: %s", path);
	t0 = now_ms();
	pid = fork();
	if (pid == 0) {
		execve(path, av, environ);
		fprintf(stderr, "run: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	if (pid == -1 || waitpid(pid, &st, 0) != pid) {
		nfail++;
		line("not ok - run: %s: fork or wait: %s", name,
		    strerror(errno));
	} else if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		npass++;
		line("ok - run: %s", name);
	} else {
		nfail++;
		if (WIFEXITED(st))
			line("not ok - run: %s: exited with status %d", name,
			    WEXITSTATUS(st));
		else if (WIFSIGNALED(st))
			line("not ok - run: %s: killed by signal %d", name,
			    WTERMSIG(st));
		else
			line("not ok - run: %s: status %#x", name, st);
	}
	line("# run: %s: %ld ms", name, now_ms() - t0);
	note_time(name, now_ms() - t0);
}

int
main(int argc, char **argv)
{
	char **names;
	size_t i, n;

	unsigned long shard = 1, nshards = 1;
	char *end;

	for (i = 1; i < (size_t)argc; i++)
		if (strncmp(argv[i], "shard=", 6) == 0 && argc != 2) {
			fprintf(stderr, "run: %s: shard= takes no program "
			    "names\n", argv[i]);
			return 255;
		}
	if (argc == 2 && strncmp(argv[1], "shard=", 6) == 0) {
		errno = 0;
		shard = strtoul(argv[1] + 6, &end, 10);
		if (*end == '/')
			nshards = strtoul(end + 1, &end, 10);
		if (*end != '\0' || errno != 0 || shard < 1 ||
		    shard > nshards) {
			fprintf(stderr, "run: %s: want shard=I/N, 1 <= I <= "
			    "N\n", argv[1]);
			return 255;
		}
		argc = 1;
	}
	if (argc > 1) {
		for (i = 1; i < (size_t)argc; i++)
			run_one(argv[i]);
	} else {
		names = list_tests(&n);
		/* (n - i > nshards: no wrap for an N near ULONG_MAX) */
		for (i = shard - 1; i < n; i += nshards) {
			run_one(names[i]);
			if (n - i <= nshards)
				break;
		}
	}
	if (slow[0].name[0] != '\0') {
		char buf[400];
		size_t len;

		len = strlcpy(buf, "# run: slowest (ms):", sizeof(buf));
		for (i = 0; i < NSLOW && slow[i].name[0] != '\0' &&
		    len < sizeof(buf); i++)
			len += snprintf(buf + len, sizeof(buf) - len, "%s %s %ld",
			    i == 0 ? "" : ",", slow[i].name, slow[i].ms);
		line("%s", buf);
	}
	line("utest: %d programs, %d failed", npass + nfail, nfail);
	return nfail > 255 ? 255 : nfail;
}

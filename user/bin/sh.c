/*
 * sh: a small shell.  It reads a line, splits it into words, and runs
 * the program the first word names, waiting for it unless the line
 * ends with '&':
 *
 *	$ ls -l /bin
 *	$ t_fork &
 *	[7]
 *	$ wait
 *	[7] done, status 0
 *
 * Words are separated by blanks; '...' and "..." keep blanks inside a
 * word (no escapes, no variables).  A name without '/' is looked for
 * in /bin, /sbin and /tests.  Builtins: exit [N], wait.  There is no
 * current directory, so no cd.
 *
 * `sh -c LINE` runs the one line and exits with its status.
 */
#include <sys/wait.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXARGS	32
#define LINEMAX	1024

static int status;	/* of the last command: what `exit` returns */

/*
 * Split line into words, copied into buf (as long as line), and point
 * av[] at them.  Returns the number of words, or -1 after a message
 * for a syntax error.  *bg says whether the line ended with '&'.
 */
static int
parse(const char *line, char *buf, char **av, bool *bg)
{
	const char *in = line;
	char *out = buf, q;
	int ac = 0;

	*bg = false;
	for (;;) {
		while (isspace((unsigned char)*in))
			in++;
		if (*in == '\0')
			break;
		if (*bg) {
			fprintf(stderr, "sh: '&' must end the line\n");
			return -1;
		}
		if (*in == '&') {
			*bg = true;
			in++;
			continue;
		}
		if (ac == MAXARGS) {
			fprintf(stderr, "sh: too many words\n");
			return -1;
		}
		av[ac++] = out;
		while (*in != '\0' && !isspace((unsigned char)*in) &&
		    *in != '&') {
			if (*in != '\'' && *in != '"') {
				*out++ = *in++;
				continue;
			}
			/* A quoted part: up to the same quote. */
			q = *in++;
			while (*in != '\0' && *in != q)
				*out++ = *in++;
			if (*in++ != q) {
				fprintf(stderr, "sh: missing %c\n", q);
				return -1;
			}
		}
		*out++ = '\0';
	}
	av[ac] = NULL;
	return ac;
}

/* The status `exit` would give for wait status st. */
static int
exitcode(int st)
{
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

/*
 * Collect background jobs that have finished, or (wait) all of them.
 * Foreground commands are waited for by pid, and orphans go to init,
 * so any child found here is a background job.
 */
static void
reap(bool wait)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, wait ? 0 : WNOHANG)) > 0) {
		if (WIFSIGNALED(st))
			printf("[%d] killed by signal %d\n", pid,
			    WTERMSIG(st));
		else
			printf("[%d] done, status %d\n", pid,
			    WEXITSTATUS(st));
	}
}

static void
run(char **av, bool bg)
{
	pid_t pid;
	int st;

	fflush(stdout);		/* or the child would print it again */
	if ((pid = fork()) == -1) {
		fprintf(stderr, "sh: fork: %s\n", strerror(errno));
		status = 2;
		return;
	}
	if (pid == 0) {
		execvp(av[0], av);	/* searches $PATH: /bin:/sbin:/tests */
		if (errno == ENOENT) {
			fprintf(stderr, "sh: %s: not found\n", av[0]);
			_exit(127);
		}
		fprintf(stderr, "sh: %s: %s\n", av[0], strerror(errno));
		_exit(126);
	}
	if (bg) {
		printf("[%d]\n", pid);
		status = 0;
		return;
	}
	if (waitpid(pid, &st, 0) == -1) {
		fprintf(stderr, "sh: wait: %s\n", strerror(errno));
		status = 2;
		return;
	}
	if (WIFSIGNALED(st))
		fprintf(stderr, "sh: %s: killed by signal %d\n", av[0],
		    WTERMSIG(st));
	status = exitcode(st);
}

/* Run one line: a builtin, or a program. */
static void
runline(const char *line)
{
	char buf[LINEMAX], *av[MAXARGS + 1];
	bool bg;

	if (strlen(line) >= sizeof(buf)) {
		fprintf(stderr, "sh: line too long\n");
		status = 2;
		return;
	}
	switch (parse(line, buf, av, &bg)) {
	case -1:
		status = 2;
		return;
	case 0:
		return;
	}
	if (strcmp(av[0], "exit") == 0)
		exit(av[1] != NULL ? atoi(av[1]) : status);
	if (strcmp(av[0], "wait") == 0) {
		reap(true);
		return;
	}
	run(av, bg);
}

/* Greet an interactive user with /etc/motd, if there is one. */
static void
motd(void)
{
	char buf[512];
	ssize_t n;
	int fd;

	if ((fd = open("/etc/motd", O_RDONLY)) == -1)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		(void)write(STDOUT_FILENO, buf, n);
	close(fd);
}

int
main(int argc, char **argv)
{
	char line[LINEMAX];

	if (argc >= 3 && strcmp(argv[1], "-c") == 0) {
		runline(argv[2]);
		return status;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: sh [-c LINE]\n");
		return 2;
	}
	motd();
	for (;;) {
		reap(false);
		printf("$ ");
		fflush(stdout);
		if (fgets(line, sizeof(line), stdin) == NULL)
			break;		/* ^D */
		runline(line);
	}
	printf("\n");
	return status;
}

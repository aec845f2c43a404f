/*
 * sh: a small shell with job control.  It reads a line, splits it into
 * words, and runs the program the first word names, waiting for it
 * unless the line ends with '&':
 *
 *	$ ls -l /bin
 *	$ t_fork &
 *	[1] 7
 *	$ sleep 100
 *	^Z
 *	[2] Stopped  sleep 100
 *	$ jobs
 *	[1] Running  t_fork
 *	[2] Stopped  sleep 100
 *	$ bg %2          (or fg %2, or kill %2, or ^C a foreground job)
 *
 * Each command runs in a process group of its own (setpgid), and the
 * one in the foreground owns the terminal (tcsetpgrp): ^C sends it
 * SIGINT, ^Z SIGTSTP, ^\ SIGQUIT, and the shell, which ignores those,
 * gets the terminal back when it stops or ends (waitpid WUNTRACED).
 *
 * Words are separated by blanks; '...' and "..." keep blanks inside a
 * word (no escapes, no variables).  A name without '/' is looked for
 * in /bin, /sbin and /tests.  Builtins: exit [N], wait, jobs, fg [%N],
 * bg [%N], kill [-SIG] PID|%N.  There is no current directory, so no
 * cd.
 *
 * `sh -c LINE` runs the one line and exits with its status.
 */
#include <sys/wait.h>
#include <ctype.h>
#include <signal.h>
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

#define MAXJOBS	16

static int status;	/* of the last command: what `exit` returns */
static bool interactive; /* job control: the terminal is ours to give */

/* A job: a command running in the background, or stopped. */
static struct job {
	pid_t	pid;		/* and process group; 0: a free slot */
	bool	stopped;
	char	cmd[64];
} jobs[MAXJOBS + 1];		/* jobs[1 .. MAXJOBS]: %N */

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

static struct job *
job_find(pid_t pid)
{
	for (int i = 1; i <= MAXJOBS; i++)
		if (jobs[i].pid == pid)
			return &jobs[i];
	return NULL;
}

/* Record a background or stopped job; its number (0: table full). */
static int
job_add(pid_t pid, char **av, bool stopped)
{
	struct job *j = job_find(pid);
	size_t len = 0;

	if (j == NULL && (j = job_find(0)) == NULL)
		return 0;
	j->pid = pid;
	j->stopped = stopped;
	j->cmd[0] = '\0';
	for (int i = 0; av != NULL && av[i] != NULL; i++)
		len += snprintf(j->cmd + len, len < sizeof(j->cmd) ?
		    sizeof(j->cmd) - len : 0, "%s%s", i > 0 ? " " : "", av[i]);
	return (int)(j - jobs);
}

/* Say what happened to job j (wait status st); forget it if it ended. */
static void
job_report(struct job *j, int st)
{
	int n = (int)(j - jobs);

	if (WIFSTOPPED(st)) {
		j->stopped = true;
		printf("[%d] Stopped  %s\n", n, j->cmd);
		return;
	}
	if (WIFCONTINUED(st)) {
		j->stopped = false;
		return;
	}
	if (WIFSIGNALED(st))
		printf("[%d] %s  %s\n", n, strsignal(WTERMSIG(st)), j->cmd);
	else
		printf("[%d] Done (%d)  %s\n", n, WEXITSTATUS(st), j->cmd);
	j->pid = 0;
}

/*
 * Collect background jobs that have finished or stopped, or (wait)
 * wait for all of them to finish.  Foreground commands are waited for
 * by pid, and orphans go to init, so any child found here is a job.
 */
static void
reap(bool wait)
{
	struct job *j;
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, wait ? 0 : WNOHANG | WUNTRACED |
	    WCONTINUED)) > 0 || (pid == -1 && errno == EINTR))
		if (pid > 0 && (j = job_find(pid)) != NULL)
			job_report(j, st);
}

/* Give the terminal to process group pgid (job control only). */
static void
give_tty(pid_t pgid)
{
	if (interactive)
		(void)tcsetpgrp(STDIN_FILENO, pgid);
}

/*
 * Wait for the foreground job pid: it ends, or stops (^Z), which makes
 * it a job.  The terminal comes back to the shell either way.
 */
static void
wait_fg(pid_t pid, char **av)
{
	int st, n;

	give_tty(pid);
	while (waitpid(pid, &st, WUNTRACED) == -1) {
		if (errno == EINTR)
			continue;
		fprintf(stderr, "sh: wait: %s\n", strerror(errno));
		status = 2;
		give_tty(getpgrp());
		return;
	}
	give_tty(getpgrp());
	if (WIFSTOPPED(st)) {
		n = job_add(pid, av, true);
		if (n > 0)
			printf("\n[%d] Stopped  %s\n", n, jobs[n].cmd);
		status = 128 + WSTOPSIG(st);
		return;
	}
	if (job_find(pid) != NULL)
		job_find(pid)->pid = 0;
	if (WIFSIGNALED(st) && WTERMSIG(st) != SIGINT)
		fprintf(stderr, "sh: %s: %s\n", av != NULL ? av[0] :
		    "job", strsignal(WTERMSIG(st)));
	status = exitcode(st);
}

static void
run(char **av, bool bg)
{
	pid_t pid;
	int n;

	fflush(stdout);		/* or the child would print it again */
	if ((pid = fork()) == -1) {
		fprintf(stderr, "sh: fork: %s\n", strerror(errno));
		status = 2;
		return;
	}
	if (pid == 0) {
		/* A group of its own (the parent does it too: whoever is
		 * first), the terminal if in the foreground, and the
		 * signals the shell ignores back to their defaults. */
		setpgid(0, 0);
		if (!bg)
			give_tty(getpid());
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGTSTP, SIG_DFL);
		signal(SIGTTOU, SIG_DFL);
		execvp(av[0], av);	/* searches $PATH: /bin:/sbin:/tests */
		if (errno == ENOENT) {
			fprintf(stderr, "sh: %s: not found\n", av[0]);
			_exit(127);
		}
		fprintf(stderr, "sh: %s: %s\n", av[0], strerror(errno));
		_exit(126);
	}
	setpgid(pid, pid);
	if (bg) {
		n = job_add(pid, av, false);
		printf("[%d] %d\n", n, pid);
		status = 0;
		return;
	}
	wait_fg(pid, av);
}

/* The job %N names (or the latest, for no argument); NULL with a
 * message if there is none. */
static struct job *
job_arg(const char *arg)
{
	int n = 0;

	if (arg == NULL) {
		for (int i = MAXJOBS; i >= 1 && n == 0; i--)
			if (jobs[i].pid != 0)
				n = i;
	} else if (arg[0] == '%')
		n = atoi(arg + 1);
	if (n < 1 || n > MAXJOBS || jobs[n].pid == 0) {
		fprintf(stderr, "sh: no such job\n");
		status = 1;
		return NULL;
	}
	return &jobs[n];
}

/* kill [-SIG] PID|%N ... */
static void
do_kill(char **av)
{
	int sig = SIGTERM, i = 1;
	pid_t pid;

	if (av[1] != NULL && av[1][0] == '-') {
		sig = atoi(av[1] + 1);
		i = 2;
	}
	status = 0;
	for (; av[i] != NULL; i++) {
		if (av[i][0] == '%') {
			struct job *j = job_arg(av[i]);

			if (j == NULL)
				continue;
			pid = -j->pid;		/* the whole group */
			if (sig != SIGKILL && sig != SIGCONT)
				(void)kill(pid, SIGCONT);
		} else
			pid = atoi(av[i]);
		if (kill(pid, sig) == -1) {
			fprintf(stderr, "sh: kill %s: %s\n", av[i],
			    strerror(errno));
			status = 1;
		}
	}
}

/* The builtins; false if av[0] is none of them. */
static bool
builtin(char **av)
{
	struct job *j;

	if (strcmp(av[0], "exit") == 0)
		exit(av[1] != NULL ? atoi(av[1]) : status);
	if (strcmp(av[0], "wait") == 0) {
		reap(true);
		for (int i = 1; i <= MAXJOBS; i++)
			jobs[i].pid = 0;
	} else if (strcmp(av[0], "jobs") == 0) {
		reap(false);
		for (int i = 1; i <= MAXJOBS; i++)
			if (jobs[i].pid != 0)
				printf("[%d] %s  %s\n", i, jobs[i].stopped ?
				    "Stopped" : "Running", jobs[i].cmd);
	} else if (strcmp(av[0], "fg") == 0) {
		if ((j = job_arg(av[1])) == NULL)
			return true;
		printf("%s\n", j->cmd);
		j->stopped = false;
		give_tty(j->pid);
		(void)kill(-j->pid, SIGCONT);
		wait_fg(j->pid, NULL);
	} else if (strcmp(av[0], "bg") == 0) {
		if ((j = job_arg(av[1])) == NULL)
			return true;
		j->stopped = false;
		printf("[%d] %s &\n", (int)(j - jobs), j->cmd);
		(void)kill(-j->pid, SIGCONT);
	} else if (strcmp(av[0], "kill") == 0)
		do_kill(av);
	else
		return false;
	return true;
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
	if (!builtin(av))
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
	/* Job control: the shell leads its own process group, owns the
	 * terminal, and ignores what the terminal sends its jobs. */
	interactive = true;
	setpgid(0, 0);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	give_tty(getpgrp());
	motd();
	for (;;) {
		reap(false);
		printf("$ ");
		fflush(stdout);
		if (fgets(line, sizeof(line), stdin) == NULL) {
			if (ferror(stdin) && errno == EINTR) {
				clearerr(stdin);	/* (a signal) */
				continue;
			}
			break;		/* ^D */
		}
		runline(line);
	}
	printf("\n");
	return status;
}

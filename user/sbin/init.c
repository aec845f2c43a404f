/*
 * init: process 1, the first program the kernel runs.
 *
 * It runs one program and powers the machine off when that is done,
 * handing the program's exit status to whoever started the machine
 * (tools/test reads it).  The program is
 *
 *	RUN=PROG,ARG1,ARG2	from the kernel command line run=...: the
 *				words are split on ','
 *	/bin/sh			otherwise
 *
 * A PROG without '/' is looked for in /bin, /sbin and /tests.  Orphans
 * become init's children, so init reaps whatever exits while it waits.
 */
#include <sys/reboot.h>
#include <sys/wait.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXARGS	32

/* Power off with status st (0..255); if that fails, stay and reap. */
static __dead void
powerdown(int st)
{
	fflush(stdout);
	reboot(RB_POWERDOWN | RB_STATUS(st), NULL);
	fprintf(stderr, "init: reboot: %s\n", strerror(errno));
	for (;;)
		if (wait(NULL) == -1)
			sleep(1);
}

int
main(void)
{
	char *av[MAXARGS + 1], *run, *words;
	int ac = 0, st, code;
	pid_t pid, r;

	run = getenv("RUN");
	if (run != NULL && *run != '\0' && (words = strdup(run)) != NULL) {
		while (words != NULL && ac < MAXARGS)
			av[ac++] = strsep(&words, ",");
	} else
		av[ac++] = "sh";
	av[ac] = NULL;

	pid = fork();
	if (pid == 0) {
		execvp(av[0], av);	/* searches $PATH: /bin:/sbin:/tests */
		fprintf(stderr, "init: %s: %s\n", av[0], strerror(errno));
		_exit(127);
	}
	if (pid == -1) {
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
		powerdown(127);
	}

	/* Wait for it, reaping any orphan that exits meanwhile. */
	while ((r = wait(&st)) != pid) {
		if (r == -1) {
			fprintf(stderr, "init: wait: %s\n", strerror(errno));
			powerdown(127);
		}
	}
	if (WIFSIGNALED(st)) {
		printf("init: %s killed by signal %d\n", av[0], WTERMSIG(st));
		code = 128 + WTERMSIG(st);
	} else {
		code = WEXITSTATUS(st);
		printf("init: %s exited with status %d\n", av[0], code);
	}
	powerdown(code);
}

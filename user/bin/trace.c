/*
 * trace [CLASSES [CMD ARG...]]: the kernel's event trace (sysctl
 * kern.trace; docs/trace.md).
 *
 *	trace                     print the classes on ("off": none)
 *	trace sched+lock          switch those on, every other off
 *	trace all /bin/parkpong   all on, run parkpong, all off again;
 *	                          exits with parkpong's status
 *
 *	trace sched+syscall ls    the scheduler and every system call
 *	                          while ls runs
 *
 * Classes: sched, runq, sleep, lock, park, lwp, intr, syscall, all
 * (every one but syscall, which is named to be had: all+syscall), off;
 * several are joined with ',' or '+' (in run=..., where ',' separates
 * arguments, use '+').  What is recorded goes out at power-off on the trace port
 * (make trace), and a panic prints the last of it.
 */
#include <sys/sysctl.h>
#include <sys/wait.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int
trace_set(const char *classes)
{
	int mib[2] = { CTL_KERN, KERN_TRACE };

	if (sysctl(mib, 2, NULL, NULL, classes, strlen(classes)) == -1) {
		fprintf(stderr, "trace: %s: %s\n", classes, strerror(errno));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	int mib[2] = { CTL_KERN, KERN_TRACE }, st;
	char buf[64];
	size_t len = sizeof(buf);
	pid_t pid;

	if (argc == 1) {
		if (sysctl(mib, 2, buf, &len, NULL, 0) == -1) {
			perror("trace: sysctl kern.trace");
			return 1;
		}
		printf("%s\n", buf);
		return 0;
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "usage: trace [CLASSES [CMD ARG...]]\n");
		return 2;
	}
	if (trace_set(argv[1]) == -1)
		return 1;
	if (argc == 2)
		return 0;
	if ((pid = fork()) == -1) {
		perror("trace: fork");
		return 1;
	}
	if (pid == 0) {
		execv(argv[2], argv + 2);
		fprintf(stderr, "trace: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR) {
			perror("trace: waitpid");
			return 1;
		}
	(void)trace_set("off");
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

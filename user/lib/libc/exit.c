/*
 * exit.c: ending a process.
 */
#include <assert.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void
exit(int status)
{
	(void)fflush(NULL);
	_exit(status);
}

void
_Exit(int status)
{
	_exit(status);
}

/*
 * abort(3): SIGABRT, unblocked; if a handler catches it and returns,
 * SIGABRT again with the default action, which ends the process.
 * stdio is not flushed: its state may be what went wrong.
 */
void
abort(void)
{
	struct sigaction sa;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGABRT);
	(void)sigprocmask(SIG_UNBLOCK, &set, NULL);
	(void)raise(SIGABRT);
	/* Caught, and the handler returned: the default action then. */
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	(void)sigaction(SIGABRT, &sa, NULL);
	(void)raise(SIGABRT);
	_exit(128 + SIGABRT);		/* not reached */
}

void
__assert(const char *file, int line, const char *func, const char *expr)
{
	fprintf(stderr, "assertion \"%s\" failed: file %s, line %d, "
	    "function %s\n", expr, file, line, func);
	abort();
}

#ifdef UBSAN
#include <string.h>

#include "local.h"

void	ubsan_die(const char *) __dead;

/*
 * lib/ubsan.c's report (make SANITIZE=undefined): write it (straight to
 * the descriptor: stdio is instrumented code too) and abort.
 */
void
ubsan_die(const char *report)
{
	(void)__sys_write(STDERR_FILENO, report, strlen(report));
	(void)__sys_write(STDERR_FILENO, "\n", 1);
	abort();
}
#endif

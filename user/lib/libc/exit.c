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
 * There are no signals to raise yet: say so on stderr and exit with
 * the status a shell shows for death by SIGABRT (128 + 6).  stdio is
 * not flushed: its state may be what went wrong.
 */
void
abort(void)
{
	static const char msg[] = "abort\n";

	(void)write(STDERR_FILENO, msg, sizeof(msg) - 1);
	_exit(128 + SIGABRT);
}

void
__assert(const char *file, int line, const char *func, const char *expr)
{
	fprintf(stderr, "assertion \"%s\" failed: file %s, line %d, "
	    "function %s\n", expr, file, line, func);
	abort();
}

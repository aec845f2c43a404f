/*
 * sig.c: signals in libc: sigaction (with libc's trampoline), signal,
 * raise, the signal-set operations, strsignal; and the terminal's
 * foreground process group (job control).
 */
#include <sys/ioctl.h>
#include <errno.h>
#include <lwp.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

void	__sigtramp_siginfo_2(void);

int
sigaction(int sig, const struct sigaction *nsa, struct sigaction *osa)
{
	return __sigaction_sigtramp(sig, nsa, osa,
	    (const void *)__sigtramp_siginfo_2, 2);
}

/* BSD semantics: the handler stays, and system calls restart. */
sig_t
signal(int sig, sig_t handler)
{
	struct sigaction sa, osa;

	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(sig, &sa, &osa) == -1)
		return SIG_ERR;
	return osa.sa_handler;
}

/* To the calling LWP (SI_LWP), as NetBSD's raise. */
int
raise(int sig)
{
	return _lwp_kill(_lwp_self(), sig);
}

int
sigemptyset(sigset_t *s)
{
	__sigemptyset(s);
	return 0;
}

int
sigfillset(sigset_t *s)
{
	s->__bits[0] = s->__bits[1] = s->__bits[2] = s->__bits[3] =
	    0xffffffffU;
	return 0;
}

static int
sigvalid(int sig)
{
	if (sig <= 0 || sig >= NSIG) {
		errno = EINVAL;
		return 0;
	}
	return 1;
}

int
sigaddset(sigset_t *s, int sig)
{
	if (!sigvalid(sig))
		return -1;
	__sigaddset(s, sig);
	return 0;
}

int
sigdelset(sigset_t *s, int sig)
{
	if (!sigvalid(sig))
		return -1;
	__sigdelset(s, sig);
	return 0;
}

int
sigismember(const sigset_t *s, int sig)
{
	if (!sigvalid(sig))
		return -1;
	return __sigismember(s, sig);
}

const char *
strsignal(int sig)
{
	static const char *const names[NSIG] = {
		[SIGHUP] = "Hangup", [SIGINT] = "Interrupt",
		[SIGQUIT] = "Quit", [SIGILL] = "Illegal instruction",
		[SIGTRAP] = "Trace/BPT trap", [SIGABRT] = "Abort trap",
		[SIGEMT] = "EMT trap", [SIGFPE] = "Floating point exception",
		[SIGKILL] = "Killed", [SIGBUS] = "Bus error",
		[SIGSEGV] = "Segmentation fault", [SIGSYS] = "Bad system call",
		[SIGPIPE] = "Broken pipe", [SIGALRM] = "Alarm clock",
		[SIGTERM] = "Terminated", [SIGURG] = "Urgent I/O condition",
		[SIGSTOP] = "Suspended (signal)", [SIGTSTP] = "Suspended",
		[SIGCONT] = "Continued", [SIGCHLD] = "Child exited",
		[SIGTTIN] = "Stopped (tty input)",
		[SIGTTOU] = "Stopped (tty output)", [SIGIO] = "I/O possible",
		[SIGXCPU] = "Cputime limit exceeded",
		[SIGXFSZ] = "Filesize limit exceeded",
		[SIGVTALRM] = "Virtual timer expired",
		[SIGPROF] = "Profiling timer expired",
		[SIGWINCH] = "Window size changes",
		[SIGINFO] = "Information request",
		[SIGUSR1] = "User defined signal 1",
		[SIGUSR2] = "User defined signal 2", [SIGPWR] = "Power fail/restart",
	};
	static char buf[32];

	if (sig > 0 && sig < NSIG && names[sig] != NULL)
		return names[sig];
	snprintf(buf, sizeof(buf), "Signal %d", sig);
	return buf;
}

pid_t
tcgetpgrp(int fd)
{
	int pgid;

	if (ioctl(fd, TIOCGPGRP, &pgid) == -1)
		return -1;
	return pgid;
}

int
tcsetpgrp(int fd, pid_t pgid)
{
	int p = pgid;

	return ioctl(fd, TIOCSPGRP, &p);
}

/*
 * signal.h: signals (sys/signal.h has the numbers and structures):
 * sending them, catching them, blocking them.  docs/signals.md tells
 * the story; docs/man/ has the system calls.
 */
#ifndef _SIGNAL_H_
#define _SIGNAL_H_

#include <sys/signal.h>

typedef int	sig_atomic_t;
typedef void	(*sig_t)(int);

int	kill(pid_t, int);
int	raise(int);
int	sigaction(int, const struct sigaction *, struct sigaction *);
sig_t	signal(int, sig_t);
int	sigprocmask(int, const sigset_t *, sigset_t *);
int	sigpending(sigset_t *);
int	sigsuspend(const sigset_t *);
int	sigemptyset(sigset_t *);
int	sigfillset(sigset_t *);
int	sigaddset(sigset_t *, int);
int	sigdelset(sigset_t *, int);
int	sigismember(const sigset_t *, int);
const char *strsignal(int);

/* The system call under sigaction(): the handler returns through
 * `tramp' (libc's __sigtramp_siginfo_2), NetBSD's interface. */
int	__sigaction_sigtramp(int, const struct sigaction *, struct sigaction *,
	    const void *, int);

#endif /* !_SIGNAL_H_ */

/*
 * sys/signal.h: signal numbers, NetBSD's (shared with user space).
 * Signals themselves (delivery, handlers, masks) come with issue 8;
 * until then the kernel uses these numbers only to say why it killed a
 * process (a fault: wait4() reports WTERMSIG == SIGSEGV, ...).
 */
#ifndef _SYS_SIGNAL_H_
#define _SYS_SIGNAL_H_

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4	/* illegal instruction */
#define SIGTRAP		5
#define SIGABRT		6	/* abort() */
#define SIGFPE		8	/* arithmetic fault */
#define SIGKILL		9
#define SIGBUS		10	/* bus error (e.g. alignment check) */
#define SIGSEGV		11	/* segmentation fault */
#define SIGSYS		12	/* bad system call */
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTOP		17
#define SIGTSTP		18
#define SIGCONT		19
#define SIGCHLD		20
#define NSIG		64

#endif /* !_SYS_SIGNAL_H_ */

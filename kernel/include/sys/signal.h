/*
 * sys/signal.h: signals as NetBSD numbers and describes them (shared
 * with user space): the numbers, sigaction, siginfo_t, the mask
 * operations.  The kernel's own side is sys/signalvar.h.
 */
#ifndef _SYS_SIGNAL_H_
#define _SYS_SIGNAL_H_

#include <sys/types.h>
#include <sys/sigtypes.h>

#define SIGHUP		1	/* hangup */
#define SIGINT		2	/* interrupt (^C) */
#define SIGQUIT		3	/* quit */
#define SIGILL		4	/* illegal instruction */
#define SIGTRAP		5	/* trace trap */
#define SIGABRT		6	/* abort() */
#define SIGEMT		7	/* emulator trap */
#define SIGFPE		8	/* arithmetic fault */
#define SIGKILL		9	/* kill: cannot be caught or blocked */
#define SIGBUS		10	/* bus error (e.g. alignment check) */
#define SIGSEGV		11	/* segmentation fault */
#define SIGSYS		12	/* bad system call */
#define SIGPIPE		13	/* write on a pipe nobody reads */
#define SIGALRM		14	/* alarm clock */
#define SIGTERM		15	/* terminate */
#define SIGURG		16	/* urgent data */
#define SIGSTOP		17	/* stop: cannot be caught or blocked */
#define SIGTSTP		18	/* stop from the terminal (^Z) */
#define SIGCONT		19	/* continue a stopped process */
#define SIGCHLD		20	/* a child stopped or exited */
#define SIGTTIN		21	/* background read from the terminal */
#define SIGTTOU		22	/* background write to the terminal */
#define SIGIO		23	/* input/output possible */
#define SIGXCPU		24	/* CPU time limit */
#define SIGXFSZ		25	/* file size limit */
#define SIGVTALRM	26	/* virtual time alarm */
#define SIGPROF		27	/* profiling time alarm */
#define SIGWINCH	28	/* window size changed */
#define SIGINFO		29	/* information request (^T) */
#define SIGUSR1		30	/* user defined */
#define SIGUSR2		31	/* user defined */
#define SIGPWR		32	/* power failure */
#define NSIG		64	/* signals are 1 .. NSIG - 1 */

#define SIG_DFL		((void (*)(int))0)	/* the default action */
#define SIG_IGN		((void (*)(int))1)	/* ignore it */
#define SIG_ERR		((void (*)(int))-1)	/* signal()'s failure */

/* sigprocmask(2) */
#define SIG_BLOCK	1
#define SIG_UNBLOCK	2
#define SIG_SETMASK	3

/* Mask operations (signal n is bit (n - 1) % 32 of word (n - 1) / 32). */
#define __sigmask(n)		(1U << (((unsigned int)(n) - 1) & 31))
#define __sigword(n)		(((unsigned int)(n) - 1) >> 5)
#define __sigaddset(s, n)	((s)->__bits[__sigword(n)] |= __sigmask(n))
#define __sigdelset(s, n)	((s)->__bits[__sigword(n)] &= ~__sigmask(n))
#define __sigismember(s, n)	(((s)->__bits[__sigword(n)] & __sigmask(n)) != 0)
#define __sigemptyset(s)	((s)->__bits[0] = (s)->__bits[1] = \
				 (s)->__bits[2] = (s)->__bits[3] = 0)

typedef union sigval {
	int		sival_int;
	void		*sival_ptr;
} sigval_t;

/* What a handler with SA_SIGINFO learns (NetBSD's layout, 128 bytes). */
struct _ksiginfo {
	int	_signo;
	int	_code;
	int	_errno;
	int	_pad;			/* (LP64 alignment) */
	union {
		struct {		/* kill, _lwp_kill, raise */
			pid_t	_pid;
			uid_t	_uid;
			sigval_t _value;
		} _rt;
		struct {		/* SIGCHLD */
			pid_t	_pid;
			uid_t	_uid;
			int	_status;
		} _child;
		struct {		/* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
			void	*_addr;
			int	_trap;
		} _fault;
	} _reason;
};

typedef union siginfo {
	char		si_pad[128];
	struct _ksiginfo _info;
} siginfo_t;

#define si_signo	_info._signo
#define si_code		_info._code
#define si_errno	_info._errno
#define si_value	_info._reason._rt._value
#define si_pid		_info._reason._rt._pid
#define si_uid		_info._reason._rt._uid
#define si_status	_info._reason._child._status
#define si_addr		_info._reason._fault._addr
#define si_trap		_info._reason._fault._trap

/* si_code */
#define SI_USER		0	/* kill(2), raise(3) */
#define SI_QUEUE	(-1)
#define SI_TIMER	(-2)
#define SI_MESGQ	(-3)
#define SI_ASYNCIO	(-4)
#define SI_LWP		(-5)	/* _lwp_kill(2), pthread_kill(3) */
#define SI_NOINFO	32767	/* no more to say */
#define ILL_ILLOPC	1	/* illegal opcode */
#define FPE_INTDIV	1	/* integer divide by zero */
#define FPE_FLTINV	7	/* invalid floating-point operation */
#define SEGV_MAPERR	1	/* address not mapped */
#define SEGV_ACCERR	2	/* not allowed there */
#define BUS_ADRALN	1	/* misaligned */
#define TRAP_BRKPT	1	/* breakpoint */
#define TRAP_TRACE	2	/* single step */
#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
#define CLD_TRAPPED	4
#define CLD_STOPPED	5
#define CLD_CONTINUED	6

struct sigaction {
	union {
		void	(*_sa_handler)(int);
		void	(*_sa_sigaction)(int, siginfo_t *, void *);
	} _sa_u;
	sigset_t	sa_mask;	/* also blocked while it runs */
	int		sa_flags;	/* SA_* */
};
#define sa_handler	_sa_u._sa_handler
#define sa_sigaction	_sa_u._sa_sigaction

#define SA_ONSTACK	0x0001	/* (no signal stacks here: ignored) */
#define SA_RESTART	0x0002	/* restart interrupted system calls */
#define SA_RESETHAND	0x0004	/* back to SIG_DFL once delivered */
#define SA_NOCLDSTOP	0x0008	/* no SIGCHLD for stopped children */
#define SA_NODEFER	0x0010	/* don't block the signal in its handler */
#define SA_NOCLDWAIT	0x0020	/* (not implemented: ignored) */
#define SA_SIGINFO	0x0040	/* handler(sig, siginfo_t *, ucontext_t *) */

#define SS_ONSTACK	0x0001
#define SS_DISABLE	0x0004

#endif /* !_SYS_SIGNAL_H_ */

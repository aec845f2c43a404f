/*
 * sys/signalvar.h: the kernel's side of signals (kern_sig.c).
 *
 * Pending signals live in two places, as in NetBSD: the process's
 * p_sigpend (kill(2): any LWP that does not block the signal may take
 * it) and each LWP's l_sigpend (_lwp_kill(2), faults: that LWP only).
 * Each pending set keeps, per signal, the siginfo to deliver with it;
 * standard signals do not queue, so one per signal is enough.
 *
 * Locking: everything here is covered by p_lock; LW_PENDSIG in l_flag
 * (the LWP's lock) tells lwp_userret() to look.
 */
#ifndef _SYS_SIGNALVAR_H_
#define _SYS_SIGNALVAR_H_

#include <sys/signal.h>

struct lwp;
struct proc;

typedef struct ksiginfo {
	int		ksi_signo;
	int		ksi_code;	/* si_code: SI_USER, SEGV_MAPERR, ... */
	int		ksi_trap;	/* the trap number, for faults */
	int		ksi_status;	/* SIGCHLD: the child's status */
	pid_t		ksi_pid;	/* sender (SI_USER, SI_LWP), child */
	lwpid_t		ksi_lid;	/* _lwp_kill: the target LWP */
	void		*ksi_addr;	/* faults: the address */
} ksiginfo_t;

typedef struct sigpend {
	sigset_t	sp_set;		/* which are pending */
	ksiginfo_t	sp_info[NSIG];	/* and what to say about each */
} sigpend_t;

struct sigacts {
	struct sigaction sa_act[NSIG];	/* what each signal does */
	const void	*sa_tramp[NSIG];	/* handlers return through it */
};

/* sigprop[]: what a signal does by default, and what it is. */
#define SA_KILL		0x0001	/* terminates the process */
#define SA_CORE		0x0002	/* ... and would dump core (not here) */
#define SA_STOP		0x0004	/* stops the process */
#define SA_TTYSTOP	0x0008	/* ... from the terminal */
#define SA_IGNORE	0x0010	/* is ignored */
#define SA_CONT		0x0020	/* continues a stopped process */
#define SA_CANTMASK	0x0040	/* cannot be blocked or caught */

extern const int sigprop[NSIG];

#define SIGACTION(p, sig)	((p)->p_sigacts.sa_act[(sig)])

void	sigacts_fork(struct proc *, const struct proc *);
void	sigacts_exec(struct proc *);
int	sigaction1(struct lwp *, int, const struct sigaction *,
	    struct sigaction *, const void *, int);
void	kpsignal(struct proc *, ksiginfo_t *);
void	kpsignal2(struct proc *, ksiginfo_t *);
void	sigrepost(struct proc *);
int	kpgsignal(pid_t, ksiginfo_t *, struct proc *);
int	sigispending(struct lwp *);
int	issignal(struct lwp *);
int	sigstop_point(struct lwp *);
bool	sig_resumable(struct lwp *);
void	postsig(int);
void	sigexit(struct lwp *, int) __dead;
void	sigsetmask(struct lwp *, const sigset_t *);
void	proc_unstop(struct proc *);
void	proc_stop(struct proc *, int);
void	proc_stop_done(struct proc *);
void	lwp_stop_self(struct lwp *);
void	sigchld_exit(struct proc *);
void	lwp_unstop(struct lwp *);
/* The machine-dependent part (arch/x86_64/sig_machdep.c): a handler's
 * frame on the user stack. */
void	sendsig(const ksiginfo_t *, const sigset_t *);

#endif /* !_SYS_SIGNALVAR_H_ */

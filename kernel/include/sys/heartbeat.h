/*
 * sys/heartbeat.h: the hang detector (kern_heartbeat.c), after NetBSD's
 * heartbeat(9).  From every clock interrupt it checks that each CPU
 * makes progress, and when one does not for hang_secs= seconds of guest
 * time (a CPU with work queued that does not switch, a CPU whose clock
 * stopped; with hang_idle=1 also everything asleep with nothing to wake
 * it), prints "hang: ..." lines, the LWP table and every CPU's
 * backtrace, and carries on.
 */
#ifndef _SYS_HEARTBEAT_H_
#define _SYS_HEARTBEAT_H_

#include <sys/types.h>
#include <sys/param.h>		/* MAXCOMLEN */

extern volatile u_int hb_nreports;	/* a: reports so far (for tests) */

/* The exit check's record of one exiting process (CPU 0's; tests). */
struct proc;
struct proclist;
#define HB_NEXITS	4		/* processes followed at once */
struct hb_exit {
	const struct proc *he_p;	/* NULL: a free slot */
	pid_t		he_pid;
	u_int		he_nlwps, he_nzlwps;	/* as last seen */
	uint64_t	he_since;	/* nsuptime() when they last moved */
	bool		he_reported;
	bool		he_seen;	/* in this pass */
	char		he_comm[MAXCOMLEN + 1];	/* its p_comm, copied */
};
const struct hb_exit *hb_exit_stalled(const struct proclist *,
	    struct hb_exit *, u_int, uint64_t, uint64_t);

void	heartbeat_init(void);		/* from main() */
void	heartbeat(void);		/* from hardclock() */
void	heartbeat_report(void);		/* at power-off, in a panic */
bool	heartbeat_report_now(pid_t, const char *); /* kern.hangreport */

#endif /* !_SYS_HEARTBEAT_H_ */

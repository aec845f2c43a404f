/*
 * t_fake.h: made-up CPUs and LWPs for the early tests of the labs
 * (t_runq.c, t_lwplock.c, t_sleepq.c, t_migrate.c).  A made-up CPU has its own run
 * queue and locks (sched_cpuattach) and never runs, so nobody else
 * looks at it and it gets no IPIs; a made-up LWP never runs either:
 * only the data structures and the decisions are tested.
 */
#ifndef _T_FAKE_H_
#define _T_FAKE_H_

#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/syncobj.h>

/* A fresh made-up CPU with an empty run queue, idle (PRI_IDLE); `index`
 * is for messages only. */
static inline void
t_fake_cpu(struct cpu_info *ci, u_int index)
{
	memset(ci, 0, sizeof(*ci));
	ci->ci_self = ci;
	ci->ci_index = index;
	sched_cpuattach(ci);
}

/* A fresh made-up LWP of proc0: state `stat` on ci, covered by m, at
 * priority pri, nothing lent, not asleep (sched_syncobj). */
static inline lwp_t *
t_fake_lwp(lwp_t *l, lwpid_t lid, int stat, struct cpu_info *ci,
    kmutex_t *m, pri_t pri, char *name)
{
	memset(l, 0, sizeof(*l));
	l->l_lid = lid;
	l->l_proc = &proc0;
	l->l_stat = stat;
	l->l_cpu = ci;
	l->l_mutex = m;
	l->l_priority = pri;
	l->l_inheritedprio = -1;
	l->l_syncobj = &sched_syncobj;
	l->l_name = name;
	return l;
}

/* Is l on spc's run queue, at any priority? */
static inline bool
t_fake_queued(const struct schedstate_percpu *spc, const lwp_t *l)
{
	const lwp_t *x;

	for (int p = 0; p < PRI_COUNT; p++)
		TAILQ_FOREACH(x, &spc->spc_queue[p], l_runq)
			if (x == l)
				return true;
	return false;
}

#endif /* !_T_FAKE_H_ */

/*
 * kern_idle.c: each CPU's idle LWP, which runs when nothing else can.
 *
 * It is never on a run queue: mi_switch picks it (ci_idlelwp) when the
 * queue is empty.  Its loop: finish pending migrations and steal work
 * (sched_idle), then halt until an interrupt if there is still nothing
 * to do, and switch as soon as something is runnable.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/sched.h>

void
idle_loop(void *arg)
{
	struct cpu_info *ci = curcpu();
	lwp_t *l = curlwp;

	KASSERT(l->l_flag & LW_IDLE);
	KASSERT(ci->ci_idlelwp == l);
	spl0();
	for (;;) {
		KASSERT(l == curlwp && ci == curcpu());
		KASSERT(ci->ci_mtx_count == 0);
		sched_idle();
		if (!sched_curcpu_runnable_p() && ci->ci_want_resched == 0) {
			cpu_idle();
			if (!sched_curcpu_runnable_p() &&
			    ci->ci_want_resched == 0)
				continue;
		}
		lwp_lock(l);
		mi_switch(l);
	}
}

/* Make ci's idle LWP (bound to ci, never runnable by the queues). */
void
create_idle_lwp(struct cpu_info *ci)
{
	lwp_t *l;
	int error;

	error = kthread_create(PRI_IDLE, KTHREAD_IDLE | KTHREAD_MPSAFE, ci,
	    idle_loop, NULL, &l, "idle/%u", cpu_index(ci));
	if (error != 0)
		panic("create_idle_lwp: error %d", error);
	/* LSIDL under ci's spc_lwplock, the lock it runs under. */
	lwp_lock(l);
	l->l_flag |= LW_IDLE;
	l->l_priority = PRI_IDLE;	/* (PRI_NONE asked for the default) */
	lwp_unlock_to(l, ci->ci_schedstate.spc_lwplock);
	ci->ci_idlelwp = l;
}

/*
 * kern_resource.c: getrusage().  The kernel keeps run time and context
 * switch counts per LWP (kern_synch.c); a process's are the sum over
 * its LWPs, living and dead; its children's are summed by wait4.
 */
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/resource.h>
#include <sys/syscallargs.h>
#include <sys/time.h>
#include <sys/vmspace.h>

int
sys_getrusage(lwp_t *l, const struct sys_getrusage_args *uap,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	uint64_t rtime, nvcsw, nivcsw, now;
	struct rusage ru;
	lwp_t *l2;

	switch (SCARG(uap, who)) {
	case RUSAGE_SELF:
		mutex_enter(p->p_lock);
		rtime = p->p_rtime;
		nvcsw = p->p_nvcsw;
		nivcsw = p->p_nivcsw;
		now = nsuptime();
		LIST_FOREACH(l2, &p->p_lwps, l_sibling) {
			lwp_lock(l2);
			rtime += l2->l_rtime;
			/* The current run (mi_switch sets l_stime before
			 * LP_RUNNING). */
			if (__atomic_load_n(&l2->l_pflag, __ATOMIC_ACQUIRE) &
			    LP_RUNNING)
				rtime += now - l2->l_stime;
			nvcsw += l2->l_ncsw - l2->l_nivcsw;
			nivcsw += l2->l_nivcsw;
			lwp_unlock(l2);
		}
		mutex_exit(p->p_lock);
		proc_rusage(&ru, rtime, nvcsw, nivcsw);
		ru.ru_minflt = p->p_vmspace->vm_nfaults;
		break;
	case RUSAGE_CHILDREN:
		mutex_enter(&proc_lock);
		proc_rusage(&ru, p->p_crtime, p->p_cnvcsw, p->p_cnivcsw);
		mutex_exit(&proc_lock);
		break;
	default:
		return EINVAL;
	}
	return copyout(&ru, SCARG(uap, rusage), sizeof(ru));
}

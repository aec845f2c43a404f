/*
 * kern_resource.c: getrusage() and the resource limits.  The kernel
 * keeps run time and context switch counts per LWP (kern_synch.c); a
 * process's are the sum over its LWPs, living and dead; its children's
 * are summed by wait4.
 *
 * Limits (p_rlimit, under p_lock) are NetBSD's: each process has a
 * current and a maximum value of each, inherited across fork and exec.
 * There are no users, so any process may raise its maxima; a limit the
 * kernel cannot exceed is cut down to what it can do (RLIMIT_NOFILE to
 * NFILE, RLIMIT_STACK to the stack region, RLIMIT_NTHR to
 * MAXLWP_PER_PROC).  fd_alloc enforces RLIMIT_NOFILE; the others are
 * kept and reported only.
 */
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/resource.h>
#include <sys/syscallargs.h>
#include <sys/time.h>
#include <sys/vmspace.h>
#include <machine/vmparam.h>

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

/* What the kernel can do at most, per limit (RLIM_INFINITY: no bound). */
static rlim_t
rlim_ceiling(int which)
{
	switch (which) {
	case RLIMIT_NOFILE:
		return NFILE;
	case RLIMIT_STACK:
		return MAXSSIZ;
	case RLIMIT_NTHR:
		return __atomic_load_n(&maxlwp, __ATOMIC_RELAXED);
	case RLIMIT_NPROC:
		return PID_MAX;
	default:
		return RLIM_INFINITY;
	}
}

/* A new process's limits (proc_alloc; fork copies its parent's over
 * them): as high as the kernel goes, but no core dumps (there are none
 * anyway). */
void
rlim_init(struct proc *p)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		p->p_rlimit[i].rlim_cur = p->p_rlimit[i].rlim_max =
		    rlim_ceiling(i);
	p->p_rlimit[RLIMIT_CORE].rlim_cur = 0;
}

/* fork: the child has the parent's limits (p1's p_lock held). */
void
rlim_fork(struct proc *p2, const struct proc *p1)
{
	KASSERT(mutex_owned(p1->p_lock));
	memcpy(p2->p_rlimit, p1->p_rlimit, sizeof(p2->p_rlimit));
}

int
sys_getrlimit(lwp_t *l, const struct sys_getrlimit_args *uap,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	int which = SCARG(uap, which);
	struct rlimit rl;

	if (which < 0 || which >= RLIM_NLIMITS)
		return EINVAL;
	mutex_enter(p->p_lock);
	rl = p->p_rlimit[which];
	mutex_exit(p->p_lock);
	return copyout(&rl, SCARG(uap, rlp), sizeof(rl));
}

/*
 * setrlimit(which, rlp): EINVAL for an unknown limit or a current
 * value above the maximum; values above what the kernel can do are cut
 * down to it (NetBSD does so for RLIMIT_NOFILE and RLIMIT_STACK).
 */
int
sys_setrlimit(lwp_t *l, const struct sys_setrlimit_args *uap,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	int which = SCARG(uap, which), error;
	struct rlimit rl;
	rlim_t ceiling;

	if (which < 0 || which >= RLIM_NLIMITS)
		return EINVAL;
	if ((error = copyin(SCARG(uap, rlp), &rl, sizeof(rl))) != 0)
		return error;
	if (rl.rlim_cur > rl.rlim_max)
		return EINVAL;
	ceiling = rlim_ceiling(which);
	rl.rlim_max = MIN(rl.rlim_max, ceiling);
	rl.rlim_cur = MIN(rl.rlim_cur, ceiling);
	mutex_enter(p->p_lock);
	p->p_rlimit[which] = rl;
	mutex_exit(p->p_lock);
	return 0;
}

/*
 * kern_fork.c: fork().
 *
 * As in NetBSD, fork duplicates the process but only the calling LWP:
 * the child has one LWP, which returns from fork() with 0.  The
 * address space is copied at once (vmspace_fork: no copy-on-write, so
 * fork costs time proportional to the memory the parent has touched);
 * MAP_SHARED memory stays shared; open files are shared (one file
 * object, offset included, two references).
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/syscallargs.h>
#include <sys/vmspace.h>

/* The child's LWP starts here, then goes to user mode (lwp_trampoline)
 * with a copy of the parent's registers. */
static void
child_return(void *arg)
{
	cpu_child_return(curlwp);
}

/* Create a child of l1's process; *pidp = its pid.  0, EAGAIN or ENOMEM. */
int
fork1(lwp_t *l1, pid_t *pidp)
{
	struct proc *p1 = l1->l_proc, *p2;
	lwp_t *l2;
	int error;

	KASSERT(l1 == curlwp && !(p1->p_flag & PK_SYSTEM));
	if ((p2 = proc_alloc()) == NULL)
		return EAGAIN;
	memcpy(p2->p_comm, p1->p_comm, sizeof(p2->p_comm));
	mutex_enter(p1->p_lock);
	sigacts_fork(p2, p1);
	rlim_fork(p2, p1);
	mutex_exit(p1->p_lock);
	if ((p2->p_vmspace = vmspace_fork(p1->p_vmspace)) == NULL) {
		proc_free(p2);
		return ENOMEM;
	}
	if ((error = lwp_create(l1, p2, 0, child_return, NULL, &l2)) != 0) {
		vmspace_free(p2->p_vmspace);
		p2->p_vmspace = NULL;
		proc_free(p2);
		return error;
	}
	l2->l_private = l1->l_private;
	fd_share(p1, p2);

	mutex_enter(&proc_lock);
	p2->p_pptr = p1;
	p2->p_pgid = p1->p_pgid;
	LIST_INSERT_HEAD(&p1->p_children, p2, p_sibling);
	p2->p_stat = SACTIVE;
	mutex_exit(&proc_lock);

	*pidp = p2->p_pid;
	mutex_enter(p2->p_lock);
	lwp_start(l2, 0);
	mutex_exit(p2->p_lock);
	return 0;
}

int
sys_fork(lwp_t *l, const void *uap, register_t *retval)
{
	pid_t pid;
	int error;

	if ((error = fork1(l, &pid)) != 0)
		return error;
	*retval = pid;
	return 0;
}

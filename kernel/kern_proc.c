/*
 * kern_proc.c: processes.  For now, proc0: the kernel's own process,
 * which owns lwp0 and every kernel thread.
 */
#include <sys/systm.h>
#include <sys/intr.h>
#include <sys/proc.h>

struct proc proc0 = {
	.p_pid = 0,
	.p_flag = PK_SYSTEM,
	.p_comm = "system",
	.p_lwps = LIST_HEAD_INITIALIZER(proc0.p_lwps),
};

/*
 * p_lock is a spin mutex at IPL_VM for now: proc0's is taken during
 * early boot at raised IPL, where an adaptive mutex may not be.  NetBSD
 * makes it MUTEX_DEFAULT; that change waits for user processes.
 * p_lwpcv is broadcast whenever an LWP exits or drops a reference.
 */
void
procinit(void)
{
	mutex_init(&proc0.p_lock_store, MUTEX_SPIN, IPL_VM);
	proc0.p_lock_store.mtx_name = "p_lock";
	proc0.p_lock = &proc0.p_lock_store;
	cv_init(&proc0.p_lwpcv, "lwpwait");
}

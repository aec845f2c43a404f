/*
 * sys_sched.c: CPU affinity system calls, NetBSD's _sched_setaffinity
 * and _sched_getaffinity, which libc's sched_setaffinity_np(3) and
 * sched_getaffinity_np(3) call with lid 0 (every LWP of the process).
 *
 * A cpuset_t travels as `size` bytes of 32-bit words, CPU i being bit
 * i % 32 of word i / 32 (libc's cpuset_*(3) build it).  The kernel's
 * kcpuset_t holds MAXCPUS (256) bits; CPUs beyond those that exist are
 * ignored, as NetBSD ignores CPUs that are not there:
 *
 *   - a set with no existing CPU clears the affinity (run anywhere);
 *   - otherwise each LWP gets the set (one shared, referenced
 *     kcpuset), and one running on a CPU outside it is moved into it
 *     (lwp_setaffinity -> lwp_migrate).
 *
 * Errors: EINVAL for a size of 0 or over CPUSET_MAXSIZE bytes; ESRCH
 * for no such process or LWP (zombies do not count); EFAULT.  NetBSD
 * also says EPERM for an unprivileged caller or a system process;
 * there are no privileges here and pid 0 means the caller, so the only
 * EPERM left is NetBSD's "every CPU in the set is offline", which
 * cannot happen (CPUs do not go offline).
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/kcpuset.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/syscallargs.h>

#define CPUSET_MAXSIZE	1024		/* bytes: room for 8192 CPUs */

int
sys__sched_setaffinity(lwp_t *l, const struct sys__sched_setaffinity_args *uap,
    register_t *retval)
{
	size_t size = SCARG(uap, size);
	uint32_t words[MAXCPUS / 32] = { 0 };
	kcpuset_t *kcp = NULL;
	struct cpu_info *ci;
	CPU_INFO_ITERATOR cii;
	struct proc *p;
	lwpid_t lid = SCARG(uap, lid);
	lwp_t *t;
	int error;

	if (size == 0 || size > CPUSET_MAXSIZE)
		return EINVAL;
	if ((error = copyin(SCARG(uap, cpuset), words,
	    MIN(size, sizeof(words)))) != 0)
		return error;
	kcpuset_create(&kcp, true);
	CPU_INFO_FOREACH(cii, ci) {
		u_int i = cpu_index(ci);	/* < MAXCPUS */

		if (words[i / 32] & (1u << (i % 32)))
			kcpuset_set(kcp, i);
	}
	if (kcpuset_iszero(kcp)) {
		kcpuset_unuse(kcp);		/* empty: clear affinity */
		kcp = NULL;
	}

	/* lid 0: every LWP of the process (lwp_find2 returns one of them,
	 * with p_lock held). */
	if ((t = lwp_find2(SCARG(uap, pid), lid)) == NULL) {
		error = ESRCH;
		goto out;
	}
	p = t->l_proc;
	if (lid != 0) {
		lwp_lock(t);
		lwp_setaffinity(t, kcp);	/* unlocks */
	} else
		/* Every LWP but zombies, as NetBSD: one still being created
		 * (LSIDL: _lwp_create copied its creator's set and let go of
		 * p_lock) must not start with the old set after this call
		 * returned. */
		LIST_FOREACH(t, &p->p_lwps, l_sibling) {
			if (t->l_stat == LSZOMB)
				continue;
			lwp_lock(t);
			lwp_setaffinity(t, kcp);	/* unlocks */
		}
	mutex_exit(p->p_lock);
out:
	if (kcp != NULL)
		kcpuset_unuse(kcp);		/* the LWPs hold theirs */
	return error;
}

int
sys__sched_getaffinity(lwp_t *l, const struct sys__sched_getaffinity_args *uap,
    register_t *retval)
{
	static const uint32_t zeroes[16];
	size_t size = SCARG(uap, size), off, len;
	char *uset = (char *)SCARG(uap, cpuset);
	uint32_t words[MAXCPUS / 32] = { 0 };
	struct proc *p;
	lwpid_t lid = SCARG(uap, lid);
	lwp_t *t;
	int error;

	if (size == 0 || size > CPUSET_MAXSIZE)
		return EINVAL;
	/* lid 0: the caller, or another process's newest LWP (NetBSD's
	 * lwp_find2). */
	if ((t = lwp_find2(SCARG(uap, pid), lid)) == NULL)
		return ESRCH;
	p = t->l_proc;
	lwp_lock(t);
	if (t->l_affinity != NULL)
		kcpuset_export_u32(t->l_affinity, words, sizeof(words));
	lwp_unlock(t);
	mutex_exit(p->p_lock);
	/* Our MAXCPUS bits, then zeroes for the rest of the caller's set. */
	error = copyout(words, uset, MIN(size, sizeof(words)));
	for (off = sizeof(words); error == 0 && off < size; off += len) {
		len = MIN(size - off, sizeof(zeroes));
		error = copyout(zeroes, uset + off, len);
	}
	return error;
}

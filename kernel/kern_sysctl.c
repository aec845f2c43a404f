/*
 * kern_sysctl.c: the part of NetBSD's sysctl tree that sys/sysctl.h
 * lists (read-only but kern.trace, kern_trace.c), for ps, uname-like
 * tools and tests.
 *
 * KERN_LWP fills one struct kinfo_lwp per LWP (kernel threads as pid
 * 0) into a kernel buffer, each LWP read under its own lock, and copies
 * it out at the end: the copy can fault, so it cannot happen while
 * locks are held.  The answer is a snapshot: LWPs may come and go
 * while it is taken.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/kcpuset.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sysctl.h>
#include <sys/syscallargs.h>
#include <sys/trace.h>
#include <sys/vm_page.h>

#define KINFO_MAXLWP	512		/* at most this many in one answer */

static void
fill_kinfo_lwp(lwp_t *l, struct kinfo_lwp *k)
{
	struct proc *p = l->l_proc;

	memset(k, 0, sizeof(*k));
	k->l_pid = p->p_pid;
	k->l_ppid = p->p_pptr != NULL ? p->p_pptr->p_pid : 0;
	k->l_lid = l->l_lid;
	strlcpy(k->p_comm, p->p_comm, sizeof(k->p_comm));
	lwp_lock(l);
	if (l->l_name != NULL)		/* (_lwp_setname: under the lock) */
		strlcpy(k->l_name, l->l_name, sizeof(k->l_name));
	k->l_stat = l->l_stat;
	k->l_cpuid = l->l_cpu != NULL ? (int)cpu_index(l->l_cpu) : -1;
	k->l_affinity = l->l_affinity != NULL ? l->l_affinity->kc_bits : 0;
	k->l_priority = lwp_eprio(l);
	k->l_flag = l->l_flag;
	k->l_wchan = (uint64_t)l->l_wchan;
	if (l->l_wchan != NULL && l->l_wmesg != NULL)
		strlcpy(k->l_wmesg, l->l_wmesg, sizeof(k->l_wmesg));
	k->l_rtime_usec = l->l_rtime / 1000;
	k->l_ncsw = l->l_ncsw;
	lwp_unlock(l);
}

static void
sysctl_memstat(struct kinfo_mem *km)
{
	struct kmem_stats ks;
	struct vm_page_stats vs;

	kmem_stats(&ks);
	vm_page_stats(&vs);
	memset(km, 0, sizeof(*km));
	km->km_kmem_inuse = ks.ks_inuse;
	km->km_kmem_nalloc = ks.ks_nalloc;
	km->km_kmem_nfree = ks.ks_nfree;
	km->km_lwps = lwp_nallocated();
	km->km_pages_free = vs.vps_free;
	km->km_pages_total = vs.vps_total;
}

/* Every LWP, into buf (room for max); returns how many there are. */
static size_t
sysctl_lwps(struct kinfo_lwp *buf, size_t max)
{
	size_t n = 0;
	lwp_t *l;

	/* proc_lock keeps processes (and p_pptr) still; alllwp_lock the
	 * LWP list (zombies too, until freed). */
	mutex_enter(&proc_lock);
	mutex_spin_enter(&alllwp_lock);
	LIST_FOREACH(l, &alllwp, l_list) {
		if (n < max)
			fill_kinfo_lwp(l, &buf[n]);
		n++;
	}
	mutex_spin_exit(&alllwp_lock);
	mutex_exit(&proc_lock);
	return n;
}

/* Copy out an answer of `len` bytes the NetBSD way. */
static int
sysctl_copyout(const void *data, size_t len, void *oldp, size_t *oldlenp)
{
	size_t room;
	int error;

	if (oldlenp == NULL)
		return EINVAL;
	if (oldp == NULL)
		return copyout(&len, oldlenp, sizeof(len));
	if ((error = copyin(oldlenp, &room, sizeof(room))) != 0)
		return error;
	if ((error = copyout(data, oldp, MIN(room, len))) != 0)
		return error;
	if ((error = copyout(&len, oldlenp, sizeof(len))) != 0)
		return error;
	return room < len ? ENOMEM : 0;
}

/* kern.trace: the classes on, as a string; a new string sets them. */
static int
sysctl_trace(void *oldp, size_t *oldlenp, const void *newp, size_t newlen)
{
	char buf[64];
	int error;

	trace_getclasses(buf, sizeof(buf));
	if (oldlenp != NULL && (error = sysctl_copyout(buf, strlen(buf) + 1,
	    oldp, oldlenp)) != 0)
		return error;
	if (newp == NULL)
		return 0;
	if (newlen == 0 || newlen >= sizeof(buf))
		return EINVAL;
	if ((error = copyin(newp, buf, newlen)) != 0)
		return error;
	buf[newlen] = '\0';
	return trace_setclasses(buf, false);
}

int
sys___sysctl(lwp_t *l, const struct sys___sysctl_args *uap,
    register_t *retval)
{
	int name[CTL_MAXNAME], ncpu_running;
	u_int namelen = SCARG(uap, namelen);
	struct kinfo_lwp *kl;
	struct kinfo_mem km;
	size_t n;
	int error;

	if (namelen < 2 || namelen > CTL_MAXNAME)
		return EINVAL;
	if ((error = copyin(SCARG(uap, name), name,
	    namelen * sizeof(int))) != 0)
		return error;
	if (namelen != 2)
		return ENOENT;
	if (name[0] == CTL_KERN && name[1] == KERN_TRACE)
		return sysctl_trace(SCARG(uap, oldv), SCARG(uap, oldlenp),
		    SCARG(uap, newv), SCARG(uap, newlen));
	if (SCARG(uap, newv) != NULL || SCARG(uap, newlen) != 0)
		return EPERM;		/* everything else is read-only */
	switch (name[0] * 1000 + name[1]) {
	case CTL_KERN * 1000 + KERN_OSTYPE:
		return sysctl_copyout("lwpkern", 8, SCARG(uap, oldv),
		    SCARG(uap, oldlenp));
	case CTL_KERN * 1000 + KERN_OSRELEASE:
		return sysctl_copyout("0.6", 4, SCARG(uap, oldv),
		    SCARG(uap, oldlenp));
	case CTL_HW * 1000 + HW_NCPU:
		ncpu_running = ncpu;
		return sysctl_copyout(&ncpu_running, sizeof(int),
		    SCARG(uap, oldv), SCARG(uap, oldlenp));
	case CTL_KERN * 1000 + KERN_MEMSTAT:
		sysctl_memstat(&km);
		return sysctl_copyout(&km, sizeof(km), SCARG(uap, oldv),
		    SCARG(uap, oldlenp));
	case CTL_KERN * 1000 + KERN_LWP:
		kl = kmem_alloc(KINFO_MAXLWP * sizeof(*kl), KM_SLEEP);
		if (kl == NULL)
			return ENOMEM;
		n = MIN(sysctl_lwps(kl, KINFO_MAXLWP), KINFO_MAXLWP);
		error = sysctl_copyout(kl, n * sizeof(*kl), SCARG(uap, oldv),
		    SCARG(uap, oldlenp));
		kmem_free(kl, KINFO_MAXLWP * sizeof(*kl));
		return error;
	default:
		return ENOENT;
	}
}

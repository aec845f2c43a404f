/*
 * kern_sysctl.c: the part of NetBSD's sysctl tree that sys/sysctl.h
 * lists, for ps, uname-like tools and tests.  Read-only but for
 * kern.maxlwp, kern.trace (kern_trace.c) and kern.lockstat (its
 * longest holds may be reset, its counting turned on and off;
 * subr_lockstat.c).
 *
 * KERN_LWP fills one struct kinfo_lwp per LWP (kernel threads as pid
 * 0), process by process: proc_lock keeps the processes, each one's
 * p_lock its LWPs (zombies too, until lwp_free), and each LWP is read
 * under its own lock.  There is no fixed limit on how many: the answer
 * goes into a kernel buffer of single pages (KL_PER_PAGE entries each,
 * so that 10 000 LWPs need 313 pages, none of them contiguous), sized
 * by a count taken first, and is copied out at the end: the copy can
 * fault, so it cannot happen while locks are held.  The answer is a
 * snapshot: LWPs may come and go while it is taken (those made after
 * the count may be missing).
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/kcpuset.h>
#include <sys/kmem.h>
#include <sys/lockstat.h>
#include <sys/heartbeat.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sysctl.h>
#include <sys/syscallargs.h>
#include <sys/trace.h>
#include <sys/vm_page.h>

#define KL_PER_PAGE	(PAGE_SIZE / sizeof(struct kinfo_lwp))
CTASSERT(MAXCPUS <= KI_AFFINITY_WORDS * 32);
#define KL_SLACK	16	/* room for LWPs made after the count */

/* A snapshot of LWPs, in pages. */
struct klbuf {
	struct kinfo_lwp **kb_page;	/* kb_npages pages of KL_PER_PAGE */
	size_t		kb_npages;
	size_t		kb_n;		/* entries filled */
};

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
	if (l->l_affinity != NULL)
		kcpuset_export_u32(l->l_affinity, k->l_affinity,
		    sizeof(k->l_affinity));
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

/* Make room for n entries; ENOMEM (and nothing to free) if memory is
 * short. */
static int
klbuf_alloc(struct klbuf *kb, size_t n)
{
	size_t np = MAX(howmany(n, KL_PER_PAGE), 1);

	kb->kb_n = 0;
	kb->kb_npages = 0;
	if ((kb->kb_page = kmem_alloc(np * sizeof(*kb->kb_page),
	    KM_SLEEP)) == NULL)
		return ENOMEM;
	for (; kb->kb_npages < np; kb->kb_npages++)
		if ((kb->kb_page[kb->kb_npages] = kmem_alloc(PAGE_SIZE,
		    KM_SLEEP)) == NULL) {
			np = kb->kb_npages;
			while (kb->kb_npages > 0)
				kmem_free(kb->kb_page[--kb->kb_npages],
				    PAGE_SIZE);
			kmem_free(kb->kb_page, np * sizeof(*kb->kb_page));
			return ENOMEM;
		}
	return 0;
}

static void
klbuf_free(struct klbuf *kb)
{
	for (size_t i = 0; i < kb->kb_npages; i++)
		kmem_free(kb->kb_page[i], PAGE_SIZE);
	kmem_free(kb->kb_page, MAX(kb->kb_npages, 1) * sizeof(*kb->kb_page));
}

/* The next free entry, or NULL if the buffer is full. */
static struct kinfo_lwp *
klbuf_next(struct klbuf *kb)
{
	if (kb->kb_n == kb->kb_npages * KL_PER_PAGE)
		return NULL;
	kb->kb_n++;
	return &kb->kb_page[(kb->kb_n - 1) / KL_PER_PAGE]
	    [(kb->kb_n - 1) % KL_PER_PAGE];
}

/*
 * The LWPs of process `pid` (-1: of every process; 0: the kernel
 * threads) into kb (kb NULL: only count them).  Returns how many there
 * are, or -1 if there is no such process.
 */
static ssize_t
sysctl_lwps(struct klbuf *kb, pid_t pid)
{
	struct kinfo_lwp *k;
	struct proc *p;
	ssize_t n = -1;
	lwp_t *l;

	mutex_enter(&proc_lock);
	LIST_FOREACH(p, &allproc, p_list) {
		if (pid != -1 && p->p_pid != pid)
			continue;
		n = MAX(n, 0);
		mutex_enter(p->p_lock);
		if (kb == NULL)
			n += p->p_nlwps;
		else
			LIST_FOREACH(l, &p->p_lwps, l_sibling) {
				if ((k = klbuf_next(kb)) == NULL)
					break;
				fill_kinfo_lwp(l, k);
				n++;
			}
		mutex_exit(p->p_lock);
	}
	mutex_exit(&proc_lock);
	return n;
}

/*
 * Copy out an answer of `len` bytes the NetBSD way, from pieces of
 * `piecelen` bytes each (a plain buffer is one piece).
 */
static int
sysctl_copyout_pieces(void *const *piece, size_t piecelen, size_t len,
    void *oldp, size_t *oldlenp)
{
	size_t room, done, chunk;
	int error;

	if (oldlenp == NULL)
		return EINVAL;
	if (oldp == NULL)
		return copyout(&len, oldlenp, sizeof(len));
	if ((error = copyin(oldlenp, &room, sizeof(room))) != 0)
		return error;
	for (done = 0; done < MIN(room, len); done += chunk) {
		chunk = MIN(MIN(room, len) - done,
		    piecelen - done % piecelen);
		if ((error = copyout((char *)piece[done / piecelen] +
		    done % piecelen, (char *)oldp + done, chunk)) != 0)
			return error;
	}
	if ((error = copyout(&len, oldlenp, sizeof(len))) != 0)
		return error;
	return room < len ? ENOMEM : 0;
}

static int
sysctl_copyout(const void *data, size_t len, void *oldp, size_t *oldlenp)
{
	return sysctl_copyout_pieces((void *const *)&data, MAX(len, 1), len,
	    oldp, oldlenp);
}

/*
 * kern.lwp (every LWP) and kern.lwp.PID (the LWPs of process PID; 0:
 * kernel threads; -1: every LWP, as NetBSD's).  ESRCH if there is no
 * such process.
 */
static int
sysctl_kern_lwp(pid_t pid, void *oldp, size_t *oldlenp)
{
	struct klbuf kb;
	ssize_t n;
	int error;

	if ((n = sysctl_lwps(NULL, pid)) < 0)
		return ESRCH;
	/* The size alone: what there is now, and a little more for those
	 * that come before the caller asks again. */
	if (oldp == NULL)
		return sysctl_copyout(NULL, (n + KL_SLACK / 2) *
		    sizeof(struct kinfo_lwp), NULL, oldlenp);
	if ((error = klbuf_alloc(&kb, n + KL_SLACK)) != 0)
		return error;
	if (sysctl_lwps(&kb, pid) < 0)
		error = ESRCH;
	else
		error = sysctl_copyout_pieces((void *const *)kb.kb_page,
		    KL_PER_PAGE * sizeof(struct kinfo_lwp),
		    kb.kb_n * sizeof(struct kinfo_lwp), oldp, oldlenp);
	klbuf_free(&kb);
	return error;
}

/* kern.maxlwp: an int, which may be set (1 to MAXLWP_MAX: EINVAL
 * otherwise, and for a new value that is not an int). */
static int
sysctl_kern_maxlwp(void *oldp, size_t *oldlenp, const void *newp,
    size_t newlen)
{
	int old = __atomic_load_n(&maxlwp, __ATOMIC_RELAXED), new, error;

	if (newp != NULL && newlen != sizeof(int))
		return EINVAL;
	if (newp != NULL && (error = copyin(newp, &new, sizeof(new))) != 0)
		return error;
	if ((error = sysctl_copyout(&old, sizeof(old), oldp, oldlenp)) != 0)
		return error;
	return newp != NULL ? lwp_set_maxlwp(new) : 0;
}

/* kern.hangreport: the hang detector's reports so far; writing an int 1
 * has it print one at CPU 0's next tick (the LWP table, every CPU's
 * backtrace), naming the caller.  EINVAL for another value, EBUSY if
 * one asked for is still waiting. */
static int
sysctl_hangreport(lwp_t *l, void *oldp, size_t *oldlenp, const void *newp,
    size_t newlen)
{
	int old = (int)__atomic_load_n(&hb_nreports, __ATOMIC_RELAXED), new;
	int error;

	if (newp != NULL && newlen != sizeof(int))
		return EINVAL;
	if (newp != NULL && (error = copyin(newp, &new, sizeof(new))) != 0)
		return error;
	if (newp != NULL && new != 1)
		return EINVAL;
	if ((error = sysctl_copyout(&old, sizeof(old), oldp, oldlenp)) != 0)
		return error;
	if (newp != NULL && !heartbeat_report_now(l->l_proc->p_pid,
	    l->l_proc->p_comm))
		return EBUSY;		/* one is waiting to be printed */
	return 0;
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

/* kern.lockstat: struct lockstat_rec[].  Writing an int: 0 resets the
 * longest holds, 1 starts counting acquisitions and holds (LOCKDEBUG;
 * nested: each 1 wants its own 2), 2 stops (lockstat(1) writes 1 and 2
 * round its command); anything else is EINVAL.  A write acts after
 * the read, so one call can read what was counted and stop. */
static int
sysctl_lockstat(void *oldp, size_t *oldlenp, const void *newp,
    size_t newlen)
{
	struct lockstat_rec *rec = NULL;
	size_t n, max = 0;
	int error = 0, v = 0;

	if (newp != NULL && newlen != sizeof(int))
		return EINVAL;
	if (newp != NULL && ((error = copyin(newp, &v, sizeof(v))) != 0 ||
	    v < 0 || v > 2))
		return error != 0 ? error : EINVAL;
	if (oldlenp != NULL) {
		n = lockstat_snapshot(NULL, 0);
		if (oldp != NULL) {
			max = n + 8;	/* room for classes new meanwhile */
			rec = kmem_alloc(max * sizeof(*rec), KM_SLEEP);
			if (rec == NULL)
				return ENOMEM;
			n = MIN(lockstat_snapshot(rec, max), max);
		}
		error = sysctl_copyout(rec, n * sizeof(*rec), oldp, oldlenp);
		if (rec != NULL)
			kmem_free(rec, max * sizeof(*rec));
	}
	if (error != 0 || newp == NULL)
		return error;
	if (v == 0)
		lockstat_reset_maxhold();
	return v == 0 ? 0 : lockstat_count(v == 1);
}

int
sys___sysctl(lwp_t *l, const struct sys___sysctl_args *uap,
    register_t *retval)
{
	int name[CTL_MAXNAME], ncpu_running;
	u_int namelen = SCARG(uap, namelen);
	struct kinfo_mem km;
	int error;

	if (namelen < 2 || namelen > CTL_MAXNAME)
		return EINVAL;
	if ((error = copyin(SCARG(uap, name), name,
	    namelen * sizeof(int))) != 0)
		return error;
	/* Only kern.maxlwp, kern.trace, kern.lockstat and kern.hangreport
	 * may be set. */
	if ((SCARG(uap, newv) != NULL || SCARG(uap, newlen) != 0) &&
	    (namelen != 2 || name[0] != CTL_KERN ||
	    (name[1] != KERN_MAXLWP && name[1] != KERN_TRACE &&
	    name[1] != KERN_LOCKSTAT && name[1] != KERN_HANGREPORT)))
		return EPERM;
	if (namelen == 3 && name[0] == CTL_KERN && name[1] == KERN_LWP)
		return sysctl_kern_lwp(name[2], SCARG(uap, oldv),
		    SCARG(uap, oldlenp));
	if (namelen != 2)
		return ENOENT;
	if (name[0] == CTL_KERN && name[1] == KERN_TRACE)
		return sysctl_trace(SCARG(uap, oldv), SCARG(uap, oldlenp),
		    SCARG(uap, newv), SCARG(uap, newlen));
	if (name[0] == CTL_KERN && name[1] == KERN_LOCKSTAT)
		return sysctl_lockstat(SCARG(uap, oldv), SCARG(uap, oldlenp),
		    SCARG(uap, newv), SCARG(uap, newlen));
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
		return sysctl_kern_lwp(-1, SCARG(uap, oldv),
		    SCARG(uap, oldlenp));
	case CTL_KERN * 1000 + KERN_MAXLWP:
		return sysctl_kern_maxlwp(SCARG(uap, oldv),
		    SCARG(uap, oldlenp), SCARG(uap, newv), SCARG(uap, newlen));
	case CTL_KERN * 1000 + KERN_HANGREPORT:
		return sysctl_hangreport(l, SCARG(uap, oldv),
		    SCARG(uap, oldlenp), SCARG(uap, newv), SCARG(uap, newlen));
	default:
		return ENOENT;
	}
}

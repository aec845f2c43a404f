/*
 * kern_lwpfind.c: finding, suspending and continuing LWPs -- the lid
 * hash (lwp_lidhash_want/resize, proc_find_lwp), the lookup API
 * (lwp_find, lwp_find2) and _lwp_suspend/_lwp_continue's work
 * (lwp_suspend, lwp_continue): sys_lwp.c's helpers, split from
 * kern_lwp.c so that each file reads top to bottom.  Locking: the lid
 * hash and p_lwps are p_lock's; see each function.
 */
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/sleepq.h>
#include <sys/syncobj.h>
#include <sys/trace.h>

/*
 * The lid hash: each process keeps its LWPs (every one on p_lwps, in
 * any state) on chains by lid & p_lidhashmask, so that finding one by
 * lid costs the same with 10 000 LWPs as with 2.  A table is a power
 * of 2 of buckets, at least LIDHASH_MIN (kept inside the proc,
 * p_lidhash0); its natural size for n LWPs is the least such that is
 * at least n.  Up to LIDHASH_EXACT LWPs the table is always its natural
 * size, so that it depends on the count alone, not on the history (the
 * kernel threads of proc0 leave it as it was after a ktest that made
 * hundreds of them; the resizes this costs at 8, 16 and 32 walk at
 * most 64 LWPs).  Beyond, it goes to its natural size only when there
 * are more than 2 LWPs a bucket or fewer than 1 in 8: rehashing walks
 * p_lwps, O(n), but only after the count has changed by a multiple of
 * n since the last one, so it is O(1) amortized per create and free.
 * If memory for a bigger table is short, the old one stays: chains get
 * longer, lookups stay right.
 *
 * Why a hash: lids here are per process and handed out in sequence
 * (p_nlwpid, wrapping at INT_MAX), so they are sparse over a 31-bit
 * range once a process has made and collected many LWPs.  NetBSD 2020
 * kept a radix tree (p_lwptree), which for sparse keys needs several
 * levels and a node allocation per insert; later NetBSD takes lids
 * from the global pid table and finds LWPs there.  The chains are
 * intrusive (l_lidchain), so an insert allocates nothing.  Consecutive
 * lids fall in different buckets, and LWPs alive at the same time
 * mostly have near lids, so chains stay short; a program can make its
 * own chains long (keeping alive only lids a table size apart), which
 * slows only itself: a chain holds one process's LWPs.
 */

#define LIDHASH_EXACT	64

/* The bucket count p wants now, or 0 if its table is fine.  p_lock
 * held. */
u_int
lwp_lidhash_want(const struct proc *p)
{
	u_int n = (u_int)p->p_nlwps, nb = p->p_lidhashmask + 1, want;

	KASSERT(mutex_owned(p->p_lock));
	for (want = LIDHASH_MIN; want < n; want *= 2)
		continue;
	if (want == nb ||
	    (n > LIDHASH_EXACT && n <= 2 * nb && n >= nb / 8))
		return 0;
	return want;
}

/*
 * Rehash p's LWPs into `nb` buckets (lwp_lidhash_want's answer, taken
 * under p_lock just before).  If the count has moved meanwhile and p
 * wants another size now, it tries again with that one (it must not
 * just give up: the create or free that moved the count may have seen
 * nothing to do, and then the table would stay the wrong size, even a
 * kmem table for a process whose LWPs are all gone).  Takes p_lock;
 * allocates and frees outside it.  Called by lwp_create and lwp_free
 * with nothing held.
 */
void
lwp_lidhash_resize(struct proc *p, u_int nb)
{
	struct lidhead *new, *old;
	u_int oldnb, want;
	lwp_t *l;

	for (;;) {
		new = nb == LIDHASH_MIN ? p->p_lidhash0 :
		    kmem_alloc(nb * sizeof(*new), KM_SLEEP);
		if (new == NULL)
			return;			/* keep the old one */
		mutex_enter(p->p_lock);
		if ((want = lwp_lidhash_want(p)) == nb)
			break;
		mutex_exit(p->p_lock);
		if (new != p->p_lidhash0)
			kmem_free(new, nb * sizeof(*new));
		if (want == 0)
			return;			/* fine as it is now */
		nb = want;
	}
	old = p->p_lidhash;
	oldnb = p->p_lidhashmask + 1;
	for (u_int i = 0; i < nb; i++)
		LIST_INIT(&new[i]);
	LIST_FOREACH(l, &p->p_lwps, l_sibling)
		LIST_INSERT_HEAD(&new[l->l_lid & (nb - 1)], l, l_lidchain);
	p->p_lidhash = new;
	p->p_lidhashmask = nb - 1;
	mutex_exit(p->p_lock);
	if (old != p->p_lidhash0)
		kmem_free(old, oldnb * sizeof(*old));
}

/* The kmem p's lid hash holds: 0 while it is p_lidhash0, the table
 * inside the proc.  (The ktest harness expects proc0's to change: beyond
 * LIDHASH_EXACT LWPs a table keeps a size it grew to.)  p_lock held. */
size_t
lwp_lidhash_kmem(const struct proc *p)
{
	KASSERT(mutex_owned(p->p_lock));
	return p->p_lidhash == p->p_lidhash0 ? 0 :
	    (p->p_lidhashmask + 1) * sizeof(*p->p_lidhash);
}

/*
 * Looking LWPs up by id.  Three layers, as NetBSD 2020 has them:
 *
 *   proc_find_lwp(p, lid)  any LWP of p with that id, in any state,
 *                          from the lid hash (the reference's era
 *                          scanned p_lwps in each caller); p_lock held
 *   lwp_find(p, lid)       the same, but only a live one: an LWP being
 *                          created (LSIDL) or dead (LSZOMB) is not found,
 *                          which is why the _lwp_* calls answer ESRCH
 *                          for them; p_lock held, and the result stays
 *                          valid while it is
 *   lwp_find2(pid, lid)    across processes, for system calls that name
 *                          a process: returns with that process's p_lock
 *                          held
 */
lwp_t *
proc_find_lwp(struct proc *p, lwpid_t lid)
{
	lwp_t *l;

	KASSERT(mutex_owned(p->p_lock));
	LIST_FOREACH(l, &p->p_lidhash[lid & p->p_lidhashmask], l_lidchain)
		if (l->l_lid == lid)
			return l;
	return NULL;
}

lwp_t *
lwp_find(struct proc *p, lwpid_t lid)
{
	lwp_t *l = proc_find_lwp(p, lid);

	if (l != NULL && (l->l_stat == LSIDL || l->l_stat == LSZOMB))
		return NULL;
	return l;
}

/*
 * The live LWP `lid` of process `pid`, returned with that process's
 * p_lock held; NULL, and nothing held, if there is none.  As NetBSD's:
 * pid 0 is the caller's process, and lid 0 any LWP of it -- the caller
 * if it is in that process, else the first live one on p_lwps (the
 * newest).  Only live user processes are searched (SACTIVE, not
 * PK_SYSTEM).  proc_lock is taken to find the process, and dropped
 * once its p_lock keeps the LWP from going away.
 */
lwp_t *
lwp_find2(pid_t pid, lwpid_t lid)
{
	lwp_t *l = NULL;
	struct proc *p;

	if (pid == 0) {
		p = curlwp->l_proc;
		mutex_enter(p->p_lock);
	} else {
		mutex_enter(&proc_lock);
		p = proc_find(pid);
		if (p == NULL || p->p_stat != SACTIVE ||
		    (p->p_flag & PK_SYSTEM)) {
			mutex_exit(&proc_lock);
			return NULL;
		}
		mutex_enter(p->p_lock);
		mutex_exit(&proc_lock);
	}
	if (lid != 0)
		l = lwp_find(p, lid);
	else if (curlwp->l_proc == p)
		l = curlwp;
	else
		LIST_FOREACH(l, &p->p_lwps, l_sibling)
			if (l->l_stat != LSIDL && l->l_stat != LSZOMB)
				break;
	if (l == NULL)
		mutex_exit(p->p_lock);
	return l;
}

/*
 * Ask t to suspend itself (LW_WSUSPEND, acted on in lwp_userret at its
 * next return to user mode).  curl is the asker.  p_lock held, t
 * locked; unlocks t.  Returns 0, EDEADLK if curl itself is on its way
 * out (it could never be continued to finish its own job), or EINTR
 * for an LWP being created or already dead (what Solaris does, says
 * the reference).  The caller waits for LSSUSPENDED if it wants to.
 */
int
lwp_suspend(lwp_t *curl, lwp_t *t)
{
	KASSERT(mutex_owned(t->l_proc->p_lock));
	KASSERT(lwp_locked(t, NULL));
	KASSERT(curl != t || curl->l_stat == LSONPROC);

	if (curl->l_flag & LW_WEXIT) {
		lwp_unlock(t);
		return EDEADLK;
	}
	switch (t->l_stat) {
	case LSRUN:
	case LSONPROC:
		t->l_flag |= LW_WSUSPEND;
		lwp_need_userret(t);
		lwp_unlock(t);
		return 0;
	case LSSLEEP:
		/* An interruptible sleep is cut short (its system call is
		 * restarted after the suspension); any other sleep ends on
		 * its own and then meets LW_WSUSPEND on the way out. */
		t->l_flag |= LW_WSUSPEND;
		if (t->l_flag & LW_SINTR)
			setrunnable(t);		/* unlocks */
		else
			lwp_unlock(t);
		return 0;
	case LSSTOP:
		t->l_flag |= LW_WSUSPEND;
		setrunnable(t);
		return 0;
	case LSSUSPENDED:
		lwp_unlock(t);
		return 0;
	default:			/* LSIDL, LSZOMB */
		lwp_unlock(t);
		return EINTR;
	}
}

/*
 * Undo lwp_suspend: clear LW_WSUSPEND, and if l already is LSSUSPENDED
 * make it runnable.  A suspension asked for but not taken yet is called
 * off, and whoever waits for it in _lwp_suspend is woken to see that
 * (NetBSD's lwp_continue does not, and its waiter sleeps on until some
 * other p_lwpcv broadcast).  p_lock held, l locked; unlocks l.
 */
void
lwp_continue(lwp_t *l)
{
	bool asked = (l->l_flag & LW_WSUSPEND) != 0;

	KASSERT(mutex_owned(l->l_proc->p_lock));
	KASSERT(lwp_locked(l, NULL));
	l->l_flag &= ~LW_WSUSPEND;
	if (l->l_stat != LSSUSPENDED) {
		lwp_unlock(l);
		if (asked)
			cv_broadcast(&l->l_proc->p_lwpcv);
		return;
	}
	setrunnable(l);			/* unlocks */
}

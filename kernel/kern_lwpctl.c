/*
 * kern_lwpctl.c: LWP control blocks (sys/lwpctl.h, _lwp_ctl(2)).
 *
 * Each LWP that asks gets a `struct lwpctl` slot in memory the kernel
 * shares with its process: mi_switch() writes lc_curcpu and lc_pctr
 * there (lwp_ctl_switch) through the kernel's direct map on every
 * switch, and the program reads them with plain loads.
 *
 * The area: on a process's first _lwp_ctl(), one read/write shared
 * region big enough for MAXLWP_PER_PROC slots is mapped at a free
 * address (vm_map_kshared: not inherited by fork; exec and exit tear it
 * down with lwp_ctl_exit).  The kernel keeps its own reference to the
 * region's pages, so a program that unmaps it only hurts itself.
 *
 * Slots come from one bitmap for the whole area (a set bit = free),
 * searched word by word from a rotor that then moves to the word after
 * the one allocated from, so that a freed slot is not handed out again
 * at once (lwpkern's choice).  NetBSD's lwp_ctl_alloc also searches
 * from a rotor, but keeps a bitmap and a rotor per page, and its rotor
 * stays on the word it last allocated from (and lwp_ctl_free moves it
 * to a freed slot's word when the rotor's own word is full): there the
 * rotor only saves scanning full words, and a freed slot is soon
 * reused.  Locking: lp_lock (adaptive) covers the bitmap and the rotor;
 * an LWP's l_lwpctl is set and cleared under p_lock.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/kmem.h>
#include <sys/lab.h>
#include <sys/lwp.h>
#include <sys/lwpctl.h>
#include <sys/mutex.h>
#include <sys/pmap.h>
#include <sys/proc.h>
#include <sys/vm_page.h>
#include <sys/vmspace.h>

#define LWPCTL_AREA_SIZE	round_page(MAXLWP_PER_PROC * sizeof(lwpctl_t))
#define LWPCTL_PER_PAGE		(PAGE_SIZE / sizeof(lwpctl_t))
#define LWPCTL_NWORDS		(MAXLWP_PER_PROC / 32)

struct lcproc {
	kmutex_t	lp_lock;	/* covers the fields below */
	struct vm_amap	*lp_amap;	/* (: the area's pages (our ref) */
	vaddr_t		lp_uva;		/* (: where the program sees it */
	u_int		lp_rotor;	/* word to search first */
	uint32_t	lp_free[LWPCTL_NWORDS]; /* set bit: free slot */
};

/* The per-process area, created on first use.  NULL if out of memory.
 * (__unused: lab park's stub of lwp_ctl_alloc does not call it.) */
static __unused struct lcproc *
lwp_ctl_area(struct proc *p)
{
	struct lcproc *lp, *new;
	struct vm_amap *am;
	vaddr_t uva;

	mutex_enter(p->p_lock);
	lp = p->p_lwpctl;
	mutex_exit(p->p_lock);
	if (lp != NULL)
		return lp;

	if ((new = kmem_zalloc(sizeof(*new), KM_SLEEP)) == NULL)
		return NULL;
	if (vm_map_kshared(p->p_vmspace, LWPCTL_AREA_SIZE, &uva, &am) != 0) {
		kmem_free(new, sizeof(*new));
		return NULL;
	}
	mutex_init(&new->lp_lock, MUTEX_DEFAULT, IPL_NONE, "lp_lock");
	new->lp_amap = am;
	new->lp_uva = uva;
	memset(new->lp_free, 0xff, sizeof(new->lp_free));

	/* Two LWPs may race to create it: the loser undoes its own. */
	mutex_enter(p->p_lock);
	if ((lp = p->p_lwpctl) == NULL)
		lp = p->p_lwpctl = new;
	mutex_exit(p->p_lock);
	if (lp != new) {
		mutex_enter(&p->p_vmspace->vm_lock);
		vm_map_remove(p->p_vmspace, uva, uva + LWPCTL_AREA_SIZE);
		mutex_exit(&p->p_vmspace->vm_lock);
		vm_amap_release(am);
		mutex_destroy(&new->lp_lock);
		kmem_free(new, sizeof(*new));
	}
	return lp;
}

/*
 * Give l (curlwp) an lwpctl slot, or find the one it has; *uaddr gets
 * its user address (lp_uva + slot * sizeof(lwpctl_t)).  The area comes
 * from lwp_ctl_area (given).  A slot is a clear bit of lp_free (set:
 * free), searched word by word from lp_rotor, and the rotor then moves
 * to the word after the one used, so that a slot just freed is not
 * handed out again at once (a program may still read an exited LWP's
 * block: it should say LWPCTL_CPU_EXITED for a while, not another
 * LWP's CPU).  lp_lock covers lp_free and lp_rotor; l_lwpctl (the
 * block, through the kernel's direct map: pmap_direct_va of the
 * area's page, vm_amap_page) and l_lcslot are set under p_lock.
 * lc_pctr starts at 0 and lc_curcpu is set at once (the CPU we run
 * on: no switch may come between reading and writing it), so the
 * block is right before the next switch.  Contract: 0; ENOMEM if
 * memory or slots ran out (never with fewer than MAXLWP_PER_PROC LWPs
 * holding slots).  (The stub returns ENOMEM.)
 */
int
lwp_ctl_alloc(lwp_t *l, vaddr_t *uaddr)
{
#if !LAB_STUB(park)
	struct proc *p = l->l_proc;
	struct lcproc *lp;
	u_int w, slot;
	paddr_t pa;
	lwpctl_t *lc;

	KASSERT(l == curlwp);
	if ((lp = lwp_ctl_area(p)) == NULL)
		return ENOMEM;
	if (l->l_lwpctl != NULL) {
		*uaddr = lp->lp_uva + l->l_lcslot * sizeof(lwpctl_t);
		return 0;
	}

	mutex_enter(&lp->lp_lock);
	for (w = 0; w < LWPCTL_NWORDS; w++)
		if (lp->lp_free[(lp->lp_rotor + w) % LWPCTL_NWORDS] != 0)
			break;
	if (w == LWPCTL_NWORDS) {
		mutex_exit(&lp->lp_lock);
		return ENOMEM;
	}
	w = (lp->lp_rotor + w) % LWPCTL_NWORDS;
	slot = w * 32 + __builtin_ctz(lp->lp_free[w]);
	lp->lp_free[w] &= ~(1u << (slot % 32));
	lp->lp_rotor = (w + 1) % LWPCTL_NWORDS;
	mutex_exit(&lp->lp_lock);

	if ((pa = vm_amap_page(lp->lp_amap, slot / LWPCTL_PER_PAGE)) ==
	    VM_PAGE_NONE) {
		mutex_enter(&lp->lp_lock);
		lp->lp_free[w] |= 1u << (slot % 32);
		mutex_exit(&lp->lp_lock);
		return ENOMEM;
	}
	lc = (lwpctl_t *)pmap_direct_va(pa) + slot % LWPCTL_PER_PAGE;
	lc->lc_pctr = 0;
	mutex_enter(p->p_lock);
	l->l_lwpctl = lc;
	l->l_lcslot = slot;
	mutex_exit(p->p_lock);
	/* From here on mi_switch keeps it up to date; until our next
	 * switch, this is right (no switch between reading and writing). */
	kpreempt_disable();
	lc->lc_curcpu = cpu_index(curcpu());
	kpreempt_enable();
	*uaddr = lp->lp_uva + slot * sizeof(lwpctl_t);
	return 0;
#else
	return ENOMEM;
#endif /* LAB park */
}

/*
 * l is done with its slot (lwp_exit, which has already set its
 * lc_curcpu to LWPCTL_CPU_EXITED): l_lwpctl becomes NULL and the slot
 * goes back to the bitmap, free for a later lwp_ctl_alloc.  p_lock
 * held (l_lwpctl changes under it); takes lp_lock.
 */
void
lwp_ctl_free(lwp_t *l)
{
#if !LAB_STUB(park)
	struct lcproc *lp = l->l_proc->p_lwpctl;
	u_int slot = l->l_lcslot;

	KASSERT(mutex_owned(l->l_proc->p_lock));
	KASSERT(l->l_lwpctl != NULL && lp != NULL);
	l->l_lwpctl = NULL;
	mutex_enter(&lp->lp_lock);
	KASSERT(!(lp->lp_free[slot / 32] & (1u << (slot % 32))));
	lp->lp_free[slot / 32] |= 1u << (slot % 32);
	mutex_exit(&lp->lp_lock);
#else
	LAB_TODO(park, "lwp_ctl_free");
#endif /* LAB park */
}

/*
 * mi_switch's update: prev (curlwp) leaves this CPU for next (already
 * LSONPROC here).  If prev has a block, its lc_curcpu becomes
 * LWPCTL_CPU_NONE (LWPCTL_CPU_EXITED if it is a zombie); if next has
 * one, its lc_curcpu becomes this CPU's index and its lc_pctr goes up
 * by one (one more switch in).  Called at IPL_SCHED holding one spin
 * lock, on the way to cpu_switchto: plain stores only, no lock, no
 * sleep.  prev == next never comes here (mi_switch returns early).
 * (The stub writes nothing: blocks keep what lwp_ctl_alloc wrote.)
 */
void
lwp_ctl_switch(lwp_t *prev, lwp_t *next)
{
#if !LAB_STUB(park)
	if (prev->l_lwpctl != NULL)
		prev->l_lwpctl->lc_curcpu = prev->l_stat == LSZOMB ?
		    LWPCTL_CPU_EXITED : LWPCTL_CPU_NONE;
	if (next->l_lwpctl != NULL) {
		next->l_lwpctl->lc_curcpu = cpu_index(curcpu());
		next->l_lwpctl->lc_pctr++;
	}
#endif /* LAB park */
}

/*
 * The process loses its address space (exec, exit): drop the area.
 * The caller is its only LWP, so no other l_lwpctl points into it.
 * (The region itself goes with the address space.)
 */
void
lwp_ctl_exit(struct proc *p)
{
	lwp_t *l = curlwp;
	struct lcproc *lp;

	KASSERT(l->l_proc == p && p->p_nlwps == 1);
	mutex_enter(p->p_lock);
	lp = p->p_lwpctl;
	p->p_lwpctl = NULL;
	l->l_lwpctl = NULL;
	mutex_exit(p->p_lock);
	if (lp == NULL)
		return;
	vm_amap_release(lp->lp_amap);
	mutex_destroy(&lp->lp_lock);
	kmem_free(lp, sizeof(*lp));
}

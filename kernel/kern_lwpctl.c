/*
 * kern_lwpctl.c: LWP control blocks (sys/lwpctl.h, _lwp_ctl(2)).
 *
 * Each LWP that asks gets a `struct lwpctl` slot in memory the kernel
 * shares with its process: mi_switch() writes lc_curcpu and lc_pctr
 * there (lwp_ctl_switch) through the kernel's direct map on every
 * switch, and the program reads them with plain loads.
 *
 * The area: on a process's first _lwp_ctl(), one read/write shared
 * region big enough for MAXLWP_MAX slots (512 KiB of address space)
 * is mapped at a free address (vm_map_kshared: not inherited by fork;
 * exec and exit tear it down with lwp_ctl_exit).  Its pages are only
 * allocated once a slot in them is handed out (vm_amap_page), so a
 * program with a few threads uses one page.  The kernel keeps its own
 * reference to the region's pages, so a program that unmaps it only
 * hurts itself.
 *
 * Slots are handed out a page at a time, as NetBSD does: each page of
 * the area in use has a struct lcpage with a bitmap of its
 * LWPCTL_PER_PAGE slots (a set bit = free), a count of free slots and
 * a rotor.  lwp_ctl_alloc takes the first page with a free slot, and
 * a page more (lwp_ctl_newpage) only when every page in use is full;
 * in the page it searches word by word from the rotor, which then
 * moves to the word after the one allocated from, so that a freed slot
 * is not handed out again at once (lwpkern's choice: NetBSD's rotor
 * stays on the word it last allocated from, and lwp_ctl_free moves it
 * to a freed slot's word when the rotor's own word is full: there the
 * rotor only saves scanning full words, and a freed slot is soon
 * reused).  The cost of an allocation is a look at each page in use
 * (at most LWPCTL_NPAGES, 128; 20 with 10 000 LWPs holding slots) and
 * at most LWPCTL_PAGE_WORDS words of one.
 *
 * Locking: lp_lock (adaptive) covers lp_npages, lp_pages and the
 * pages' bitmaps, counts and rotors; an LWP's l_lwpctl is set and
 * cleared under p_lock.
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

#define LWPCTL_PER_PAGE		(PAGE_SIZE / sizeof(lwpctl_t))	/* 512 */
#define LWPCTL_PAGE_WORDS	(LWPCTL_PER_PAGE / 32)		/* 16 */
#define LWPCTL_NPAGES		howmany(MAXLWP_MAX, LWPCTL_PER_PAGE)
#define LWPCTL_AREA_SIZE	(LWPCTL_NPAGES * PAGE_SIZE)

/* One page of slots in use. */
struct lcpage {
	uint32_t	lcp_free[LWPCTL_PAGE_WORDS]; /* lp_lock: set bit: free */
	u_int		lcp_nfree;	/* lp_lock: free slots */
	u_int		lcp_rotor;	/* lp_lock: word to search first */
};

struct lcproc {
	kmutex_t	lp_lock;	/* covers the fields below */
	struct vm_amap	*lp_amap;	/* (: the area's pages (our ref) */
	vaddr_t		lp_uva;		/* (: where the program sees it */
	u_int		lp_npages;	/* lp_lock: pages in use */
	struct lcpage	*lp_pages[LWPCTL_NPAGES]; /* lp_lock: [0, lp_npages):
					 * page i holds slots i * 512 on */
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
 * One more page of slots for lp: page lp_npages, every slot free, its
 * rotor on word 0.  lp_lock held.  0, or ENOMEM if memory is short or
 * the area has no page left.  (__unused: lab park's stub of
 * lwp_ctl_alloc does not call it.)
 */
static __unused int
lwp_ctl_newpage(struct lcproc *lp)
{
	struct lcpage *lcp;

	KASSERT(mutex_owned(&lp->lp_lock));
	if (lp->lp_npages == LWPCTL_NPAGES ||
	    (lcp = kmem_alloc(sizeof(*lcp), KM_SLEEP)) == NULL)
		return ENOMEM;
	memset(lcp->lcp_free, 0xff, sizeof(lcp->lcp_free));
	lcp->lcp_nfree = LWPCTL_PER_PAGE;
	lcp->lcp_rotor = 0;
	lp->lp_pages[lp->lp_npages++] = lcp;
	return 0;
}

/*
 * Give l (curlwp) an lwpctl slot, or find the one it has; *uaddr gets
 * its user address (lp_uva + slot * sizeof(lwpctl_t)).  The area comes
 * from lwp_ctl_area (given).  The slot comes from the first page in use
 * (lp_pages[0 .. lp_npages)) with a free one (lcp_nfree > 0); if every
 * page is full, from a new page (lwp_ctl_newpage, given).  In the page,
 * a slot is a clear bit of lcp_free (set: free), searched word by word
 * from lcp_rotor, and the rotor then moves to the word after the one
 * used, so that a slot just freed is not handed out again at once (a
 * program may still read an exited LWP's block: it should say
 * LWPCTL_CPU_EXITED for a while, not another LWP's CPU).  Slot number:
 * page * LWPCTL_PER_PAGE + word * 32 + bit.  lp_lock covers the pages
 * and their bitmaps, counts and rotors; l_lwpctl (the block, through
 * the kernel's direct map: pmap_direct_va of the area's page,
 * vm_amap_page) and l_lcslot are set under p_lock.  lc_pctr starts at
 * 0 and lc_curcpu is set at once (the CPU we run on: no switch may
 * come between reading and writing it), so the block is right before
 * the next switch.  Contract: 0; ENOMEM if memory or slots ran out
 * (never with fewer than MAXLWP_MAX LWPs holding slots).  (The stub
 * returns ENOMEM.)
 */
int
lwp_ctl_alloc(lwp_t *l, vaddr_t *uaddr)
{
#if !LAB_STUB(park)
	struct proc *p = l->l_proc;
	struct lcproc *lp;
	struct lcpage *lcp;
	u_int pg, w, slot;
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
	for (pg = 0; pg < lp->lp_npages; pg++)
		if (lp->lp_pages[pg]->lcp_nfree != 0)
			break;
	if (pg == lp->lp_npages && lwp_ctl_newpage(lp) != 0) {
		mutex_exit(&lp->lp_lock);
		return ENOMEM;
	}
	lcp = lp->lp_pages[pg];
	for (w = 0; w < LWPCTL_PAGE_WORDS; w++)
		if (lcp->lcp_free[(lcp->lcp_rotor + w) % LWPCTL_PAGE_WORDS] != 0)
			break;
	KASSERT(w < LWPCTL_PAGE_WORDS);
	w = (lcp->lcp_rotor + w) % LWPCTL_PAGE_WORDS;
	slot = w * 32 + __builtin_ctz(lcp->lcp_free[w]);
	lcp->lcp_free[w] &= ~(1u << (slot % 32));
	lcp->lcp_nfree--;
	lcp->lcp_rotor = (w + 1) % LWPCTL_PAGE_WORDS;
	slot += pg * LWPCTL_PER_PAGE;
	mutex_exit(&lp->lp_lock);

	if ((pa = vm_amap_page(lp->lp_amap, pg)) == VM_PAGE_NONE) {
		mutex_enter(&lp->lp_lock);
		lcp->lcp_free[w] |= 1u << (slot % 32);
		lcp->lcp_nfree++;
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
 * l (curlwp, in lwp_exit) is done with its slot: l_lwpctl becomes NULL,
 * then the block's lc_curcpu becomes LWPCTL_CPU_EXITED, in that order:
 * l may still be preempted here (p_lock does not stop that), and a
 * switch while l_lwpctl is set would overwrite LWPCTL_CPU_EXITED with
 * LWPCTL_CPU_NONE and then a CPU index (lwp_ctl_switch), for ever.
 * Then the slot goes back to its page's bitmap (and count), free for a
 * later lwp_ctl_alloc.  p_lock held (l_lwpctl changes under it); takes
 * lp_lock.
 */
void
lwp_ctl_free(lwp_t *l)
{
#if !LAB_STUB(park)
	struct lcproc *lp = l->l_proc->p_lwpctl;
	u_int slot = l->l_lcslot % LWPCTL_PER_PAGE;
	struct lcpage *lcp;

	lwpctl_t *lc = l->l_lwpctl;

	KASSERT(mutex_owned(l->l_proc->p_lock));
	KASSERT(l == curlwp && lc != NULL && lp != NULL);
	l->l_lwpctl = NULL;
	__insn_barrier();	/* a switch from here on leaves lc alone */
	lc->lc_curcpu = LWPCTL_CPU_EXITED;
	mutex_enter(&lp->lp_lock);
	lcp = lp->lp_pages[l->l_lcslot / LWPCTL_PER_PAGE];
	KASSERT(!(lcp->lcp_free[slot / 32] & (1u << (slot % 32))));
	lcp->lcp_free[slot / 32] |= 1u << (slot % 32);
	lcp->lcp_nfree++;
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
	for (u_int i = 0; i < lp->lp_npages; i++)
		kmem_free(lp->lp_pages[i], sizeof(*lp->lp_pages[i]));
	mutex_destroy(&lp->lp_lock);
	kmem_free(lp, sizeof(*lp));
}

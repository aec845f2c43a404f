/*
 * subr_kcpuset.c: CPU sets (see sys/kcpuset.h).
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/kcpuset.h>
#include <sys/kmem.h>

/* A new set with one reference: empty if `zero`, else every CPU. */
void
kcpuset_create(kcpuset_t **kcp, bool zero)
{
	kcpuset_t *kc = kmem_alloc(sizeof(*kc), KM_SLEEP);

	KASSERTMSG(kc != NULL, "kcpuset_create: out of memory");
	kc->kc_bits = zero ? 0 : ~0UL;
	kc->kc_refcnt = 1;
	*kcp = kc;
}

void
kcpuset_destroy(kcpuset_t *kc)
{
	KASSERT(kc->kc_refcnt == 1);
	kmem_free(kc, sizeof(*kc));
}

void
kcpuset_use(kcpuset_t *kc)
{
	__atomic_add_fetch(&kc->kc_refcnt, 1, __ATOMIC_RELAXED);
}

/* Drop a reference; the last one frees the set. */
void
kcpuset_unuse(kcpuset_t *kc)
{
	KASSERT(kc->kc_refcnt > 0);
	if (__atomic_sub_fetch(&kc->kc_refcnt, 1, __ATOMIC_ACQ_REL) == 0)
		kmem_free(kc, sizeof(*kc));
}

void
kcpuset_set(kcpuset_t *kc, u_int i)
{
	KASSERT(i < MAXCPUS);
	kc->kc_bits |= 1UL << i;
}

void
kcpuset_clear(kcpuset_t *kc, u_int i)
{
	KASSERT(i < MAXCPUS);
	kc->kc_bits &= ~(1UL << i);
}

bool
kcpuset_isset(const kcpuset_t *kc, u_int i)
{
	return i < MAXCPUS && (kc->kc_bits >> i) & 1;
}

bool
kcpuset_iszero(const kcpuset_t *kc)
{
	return kc->kc_bits == 0;
}

u_int
kcpuset_countset(const kcpuset_t *kc)
{
	uint64_t b = kc->kc_bits;
	u_int n = 0;

	for (; b != 0; b &= b - 1)	/* clear the lowest set bit */
		n++;
	return n;
}

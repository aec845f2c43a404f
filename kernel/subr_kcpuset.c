/*
 * subr_kcpuset.c: CPU sets (see sys/kcpuset.h).
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/kcpuset.h>
#include <sys/kmem.h>

#define KC_WORD(i)	((i) / 64)
#define KC_BIT(i)	(1UL << ((i) % 64))

/* A new set with one reference: empty if `zero`, else every CPU. */
void
kcpuset_create(kcpuset_t **kcp, bool zero)
{
	kcpuset_t *kc = kmem_alloc(sizeof(*kc), KM_SLEEP);

	KASSERTMSG(kc != NULL, "kcpuset_create: out of memory");
	memset(kc->kc_bits, zero ? 0 : 0xff, sizeof(kc->kc_bits));
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

/* Empty an embedded set (one never shared: its count is not used). */
void
kcpuset_zero(kcpuset_t *kc)
{
	memset(kc->kc_bits, 0, sizeof(kc->kc_bits));
}

void
kcpuset_set(kcpuset_t *kc, u_int i)
{
	KASSERT(i < MAXCPUS);
	kc->kc_bits[KC_WORD(i)] |= KC_BIT(i);
}

void
kcpuset_clear(kcpuset_t *kc, u_int i)
{
	KASSERT(i < MAXCPUS);
	kc->kc_bits[KC_WORD(i)] &= ~KC_BIT(i);
}

/* The same, for a set others read and change meanwhile (sequentially
 * consistent, as pmap_activate needs: see pmap_user_shootdown). */
void
kcpuset_atomic_set(kcpuset_t *kc, u_int i)
{
	KASSERT(i < MAXCPUS);
	__atomic_or_fetch(&kc->kc_bits[KC_WORD(i)], KC_BIT(i),
	    __ATOMIC_SEQ_CST);
}

void
kcpuset_atomic_clear(kcpuset_t *kc, u_int i)
{
	KASSERT(i < MAXCPUS);
	__atomic_and_fetch(&kc->kc_bits[KC_WORD(i)], ~KC_BIT(i),
	    __ATOMIC_SEQ_CST);
}

bool
kcpuset_isset(const kcpuset_t *kc, u_int i)
{
	return i < MAXCPUS &&
	    (__atomic_load_n(&kc->kc_bits[KC_WORD(i)], __ATOMIC_SEQ_CST) &
	    KC_BIT(i)) != 0;
}

/* Whether a CPU other than i is in the set. */
bool
kcpuset_isotherset(const kcpuset_t *kc, u_int i)
{
	for (u_int w = 0; w < KCPUSET_NWORDS; w++) {
		uint64_t b = __atomic_load_n(&kc->kc_bits[w],
		    __ATOMIC_SEQ_CST);

		if (w == KC_WORD(i))
			b &= ~KC_BIT(i);
		if (b != 0)
			return true;
	}
	return false;
}

bool
kcpuset_iszero(const kcpuset_t *kc)
{
	for (u_int w = 0; w < KCPUSET_NWORDS; w++)
		if (kc->kc_bits[w] != 0)
			return false;
	return true;
}

u_int
kcpuset_countset(const kcpuset_t *kc)
{
	u_int n = 0;

	for (u_int w = 0; w < KCPUSET_NWORDS; w++)
		for (uint64_t b = kc->kc_bits[w]; b != 0; b &= b - 1)
			n++;		/* (cleared the lowest set bit) */
	return n;
}

/*
 * The set as `len` bytes of 32-bit words, CPU i being bit i % 32 of
 * word i / 32: the layout of libc's cpuset_t and of kinfo_lwp's
 * l_affinity.  Words past MAXCPUS are zeroes; len is a multiple of 4.
 */
void
kcpuset_export_u32(const kcpuset_t *kc, uint32_t *words, size_t len)
{
	KASSERT(len % sizeof(uint32_t) == 0);
	for (size_t w = 0; w < len / sizeof(uint32_t); w++)
		words[w] = w / 2 < KCPUSET_NWORDS ?
		    (uint32_t)(kc->kc_bits[w / 2] >> (w % 2 * 32)) : 0;
}

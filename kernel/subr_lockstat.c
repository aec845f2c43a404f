/*
 * subr_lockstat.c: lock statistics, NetBSD lockstat(8)-like: for each
 * class of kernel mutexes (the mutexes of one name, as LOCKDEBUG's
 * lock classes in subr_lockdebug.c; unnamed ones are one class,
 * "unnamed"), how often they were taken, how often a taker had to
 * wait, the cycles it spun and slept on the turnstile, and the longest
 * hold.  Read with sysctl kern.lockstat (sys/sysctl.h) and lockstat(1)
 * (user/bin/lockstat.c, docs/man/lockstat.1).
 *
 * Cost: nothing on the uncontended path of a kernel built without
 * LOCKDEBUG (then acquisitions and hold times are not counted, only
 * contention: lockstat_contended, from the slow paths).  With LOCKDEBUG
 * acquisitions and hold times are counted while someone asks for them
 * (lockstat_counting > 0: lockstat(1) for its command, through
 * kern.lockstat; boot option lockstat=1 for the whole boot): then each
 * acquisition is one atomic add, each release a counter read and a
 * compare.  Otherwise the uncontended paths only test lockstat_counting
 * (and stamp mtx_t0, which the spin-out detector's "starved" needs):
 * counting always cost a third of a default kernel's sched_yield.
 *
 * Each mutex remembers its class in mtx_lsclass (looked up the first
 * time it is counted).  The class table is lock-free, so that spin
 * mutexes of any IPL, lockdebug_lock included, can be counted: a
 * slot's name, once set by compare-and-swap, never changes, and every
 * lookup of a name scans the slots in order, so a name gets one slot
 * however many CPUs look it up at once.  The counters are atomic adds
 * (relaxed: statistics, not synchronisation); a snapshot reads each
 * counter once, not all of them at one instant.  A full table (LS_MAX
 * names) leaves further names uncounted.
 */
#include <sys/systm.h>
#include <sys/bootopt.h>
#include <sys/cpu_counter.h>
#include <sys/errno.h>
#include <sys/lockstat.h>
#include <sys/mutex.h>
#include <sys/sysctl.h>

#define LS_MAX		254		/* mtx_lsclass 255: table full */
#define LS_NONE		255

struct lockstat_class {
	const char	*lc_name;	/* (a) set once, by CAS */
	uint32_t	lc_flags;	/* (a) LS_SPIN, LS_ADAPTIVE */
	uint64_t	lc_nacq;	/* (a) the rest: struct lockstat_rec */
	uint64_t	lc_ncont;	/* (a) */
	uint64_t	lc_spin;	/* (a) */
	uint64_t	lc_sleep;	/* (a) */
	uint64_t	lc_maxhold;	/* (a) */
};

static struct lockstat_class lockstat_tab[LS_MAX];
volatile u_int lockstat_counting;

BOOTOPT("lockstat", "LOCKDEBUG: 1 counts mutex acquisitions and holds "
    "from boot (default: only while lockstat(1) runs)");

void
lockstat_init(void)
{
	const char *v = bootopt_get("lockstat");

	if (v != NULL && strcmp(v, "1") == 0)
		(void)lockstat_count(true);
}

/* Count acquisitions and holds (LOCKDEBUG): one more user if `on`, one
 * fewer if not; EINVAL for an "off" nobody asked for. */
int
lockstat_count(bool on)
{
	u_int n = __atomic_load_n(&lockstat_counting, __ATOMIC_RELAXED);

	do {
		if (!on && n == 0)
			return EINVAL;
	} while (!__atomic_compare_exchange_n(&lockstat_counting, &n,
	    on ? n + 1 : n - 1, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return 0;
}

/* The slot of name, taken if it has none; LS_NONE if the table is full. */
static u_int __noinline
lockstat_lookup(const char *name)
{
	const char *cur;

	for (u_int i = 0; i < LS_MAX; i++) {
		cur = __atomic_load_n(&lockstat_tab[i].lc_name,
		    __ATOMIC_ACQUIRE);
		if (cur == NULL) {
			if (__atomic_compare_exchange_n(
			    &lockstat_tab[i].lc_name, &cur, name, false,
			    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
				return i;
			/* Someone took it first: cur is its name. */
		}
		if (cur == name || strcmp(cur, name) == 0)
			return i;
	}
	return LS_NONE;
}

static struct lockstat_class *
lockstat_class(kmutex_t *mtx)
{
	u_int c = mtx->mtx_lsclass;

	if (__predict_false(c == 0)) {
		c = lockstat_lookup(mtx->mtx_name != NULL ? mtx->mtx_name :
		    "unnamed");
		if (c != LS_NONE) {
			__atomic_or_fetch(&lockstat_tab[c].lc_flags,
			    mtx->mtx_adaptive ? LS_ADAPTIVE : LS_SPIN,
			    __ATOMIC_RELAXED);
			c++;
		}
		mtx->mtx_lsclass = c;	/* (a racing store writes the same) */
	}
	return c == LS_NONE ? NULL : &lockstat_tab[c - 1];
}

/* LOCKDEBUG, counting: mtx was just taken by the caller (any way:
 * tryenter too), and stamped (mtx_t0). */
void
lockstat_acquired(kmutex_t *mtx)
{
	struct lockstat_class *lc = lockstat_class(mtx);

	if (lc != NULL)
		__atomic_add_fetch(&lc->lc_nacq, 1, __ATOMIC_RELAXED);
}

/* LOCKDEBUG, counting: the caller, which holds mtx, is about to release
 * it.  (A hold that began before counting did still counts: mtx_t0 is
 * stamped always.) */
void
lockstat_released(kmutex_t *mtx)
{
	struct lockstat_class *lc = lockstat_class(mtx);
	uint64_t held = cpu_counter() - mtx->mtx_t0, max;

	if (lc == NULL || mtx->mtx_t0 == 0)
		return;
	max = __atomic_load_n(&lc->lc_maxhold, __ATOMIC_RELAXED);
	while (held > max && !__atomic_compare_exchange_n(&lc->lc_maxhold,
	    &max, held, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		continue;
}

/* The caller waited for mtx (and now holds it): `spin` cycles spinning,
 * `sleep` cycles blocked on its turnstile. */
void
lockstat_contended(kmutex_t *mtx, uint64_t spin, uint64_t sleep)
{
	struct lockstat_class *lc = lockstat_class(mtx);

	if (lc == NULL)
		return;
	__atomic_add_fetch(&lc->lc_ncont, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&lc->lc_spin, spin, __ATOMIC_RELAXED);
	__atomic_add_fetch(&lc->lc_sleep, sleep, __ATOMIC_RELAXED);
}

/* Copy up to max classes into rec; returns how many there are. */
size_t
lockstat_snapshot(struct lockstat_rec *rec, size_t max)
{
	struct lockstat_class *lc;
	const char *name;
	size_t n = 0;

	for (u_int i = 0; i < LS_MAX; i++, n++) {
		lc = &lockstat_tab[i];
		name = __atomic_load_n(&lc->lc_name, __ATOMIC_ACQUIRE);
		if (name == NULL)
			break;
		if (n >= max || rec == NULL)
			continue;
		memset(&rec[n], 0, sizeof(rec[n]));
		strlcpy(rec[n].ls_name, name, sizeof(rec[n].ls_name));
		rec[n].ls_flags = __atomic_load_n(&lc->lc_flags,
		    __ATOMIC_RELAXED);
		rec[n].ls_nacq = __atomic_load_n(&lc->lc_nacq,
		    __ATOMIC_RELAXED);
		rec[n].ls_ncont = __atomic_load_n(&lc->lc_ncont,
		    __ATOMIC_RELAXED);
		rec[n].ls_spin = __atomic_load_n(&lc->lc_spin,
		    __ATOMIC_RELAXED);
		rec[n].ls_sleep = __atomic_load_n(&lc->lc_sleep,
		    __ATOMIC_RELAXED);
		rec[n].ls_maxhold = __atomic_load_n(&lc->lc_maxhold,
		    __ATOMIC_RELAXED);
	}
	return n;
}

/* Start the longest holds afresh (lockstat(1), before its command). */
void
lockstat_reset_maxhold(void)
{
	for (u_int i = 0; i < LS_MAX; i++)
		__atomic_store_n(&lockstat_tab[i].lc_maxhold, 0,
		    __ATOMIC_RELAXED);
}

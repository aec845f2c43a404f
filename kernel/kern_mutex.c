/*
 * kern_mutex.c: kernel mutexes.
 *
 * At this stage only spin mutexes exist (see sys/mutex.h for their
 * rules).  Invariants:
 *   - a CPU never takes a spin mutex it already holds (LOCKDEBUG:
 *     "locking against myself" panic);
 *   - only the holder releases it (LOCKDEBUG: panic naming the holder);
 *   - ci_mtx_count is the number of spin mutexes this CPU holds, and
 *     the IPL stays at or above every held mutex's mtx_ipl;
 *   - nobody spins for ever (LOCKDEBUG: after lockdebug_spinout_ms the
 *     waiter panics naming the lock and its holder; the panic stops the
 *     holder too, which prints its own backtrace);
 *   - locks with a LOCKORDER_ class are taken in class order: a CPU
 *     holding a class-n lock takes no lock of a lower class (LOCKDEBUG
 *     panics "lock order reversal" before it can deadlock).  Each CPU
 *     counts the classed locks it holds in ci_lkorder[].
 */
#include <sys/systm.h>
#include <sys/bootopt.h>
#include <sys/cpu.h>
#include <sys/cpu_counter.h>
#include <sys/intr.h>
#include <sys/mutex.h>

BOOTOPT("spinout_ms", "LOCKDEBUG: panic after spinning this long on a "
    "spin mutex (default 2000)");

u_int	lockdebug_spinout_ms = 2000;		/* (c) after lockdebug_init */
static uint64_t lockdebug_spinout_cycles;	/* (c) 0: not yet known */

/* Called once the cycle counter is calibrated and options are parsed. */
void
lockdebug_init(void)
{
	const char *v = bootopt_get("spinout_ms");

	if (v != NULL && *v != '\0')
		lockdebug_spinout_ms = strtoul(v, NULL, 10);
	lockdebug_spinout_cycles = cpu_frequency() / 1000 *
	    lockdebug_spinout_ms;
}

void
mutex_init(kmutex_t *mtx, kmutex_type_t type, int ipl)
{
	KASSERTMSG(type == MUTEX_SPIN || ipl != IPL_NONE,
	    "mutex_init: adaptive mutexes need turnstiles (not yet built)");
	mtx->mtx_lock = 0;
	mtx->mtx_ipl = ipl == IPL_NONE ? IPL_VM : ipl;
	mtx->mtx_order = LOCKORDER_NONE;
	mtx->mtx_owner = NULL;
	mtx->mtx_name = NULL;
}

void
mutex_destroy(kmutex_t *mtx)
{
	KASSERTMSG(mtx->mtx_lock == 0, "mutex_destroy: %p is held", mtx);
}

static inline bool
mutex_spin_try(kmutex_t *mtx)
{
	return __atomic_exchange_n(&mtx->mtx_lock, 1, __ATOMIC_ACQUIRE) == 0;
}

/* Raise the IPL and remember the old one if this is the first mutex. */
static inline struct cpu_info *
mutex_spin_raise(kmutex_t *mtx)
{
	int s = splraise(mtx->mtx_ipl);
	struct cpu_info *ci = curcpu();

	if (ci->ci_mtx_count++ == 0)
		ci->ci_mtx_oldspl = s;
	return ci;
}

static inline void
mutex_spin_restore(struct cpu_info *ci)
{
	int s = ci->ci_mtx_oldspl;

	KASSERT(ci->ci_mtx_count > 0);
	if (--ci->ci_mtx_count == 0)
		splx(s);
}

static const char *
mutex_name(const kmutex_t *mtx)
{
	return mtx->mtx_name != NULL ? mtx->mtx_name : "unnamed";
}

/* Give a mutex a lock-order class (and a name for messages). */
void
mutex_setorder(kmutex_t *mtx, int order, const char *name)
{
	KASSERT(order >= 0 && order < LOCKORDER_N);
	mtx->mtx_order = order;
	mtx->mtx_name = name;
}

static const char *const lockorder_names[LOCKORDER_N] = {
	"none", "spc_lwplock", "sleeptab", "turnstile", "spc_mutex",
};

/* About to wait for mtx: is that in order with what this CPU holds? */
static void __noinline
lockdebug_order_check(struct cpu_info *ci, const kmutex_t *mtx)
{
	for (int c = mtx->mtx_order + 1; c < LOCKORDER_N; c++)
		if (ci->ci_lkorder[c] != 0)
			panic("lock order reversal: cpu%u takes %p (%s, class "
			    "%s) while holding a %s lock; the order is "
			    "spc_lwplock -> sleeptab -> turnstile -> spc_mutex",
			    cpu_index(ci), mtx, mutex_name(mtx),
			    lockorder_names[mtx->mtx_order],
			    lockorder_names[c]);
}

static void __noinline
mutex_spinout(kmutex_t *mtx, struct cpu_info *ci)
{
	struct cpu_info *owner = mtx->mtx_owner;

	panic("spin mutex %p (%s) spun out: cpu%u waited %u ms; it is held "
	    "by cpu%d, whose backtrace follows", mtx, mutex_name(mtx),
	    cpu_index(ci), lockdebug_spinout_ms,
	    owner != NULL ? (int)cpu_index(owner) : -1);
}

/* The contended case: spin reading, not writing, to keep the cache line
 * shared, and (LOCKDEBUG) give up loudly after the spin-out limit. */
static void __noinline
mutex_spin_wait(kmutex_t *mtx, struct cpu_info *ci)
{
	uint64_t start = cpu_counter(), limit = lockdebug_spinout_cycles;
	u_int n = 0;

	do {
		while (mtx->mtx_lock != 0) {
			__asm volatile("pause");
			if (LOCKDEBUG && limit != 0 && (++n & 1023) == 0 &&
			    cpu_counter() - start > limit)
				mutex_spinout(mtx, ci);
		}
	} while (!mutex_spin_try(mtx));
}

void
mutex_spin_enter(kmutex_t *mtx)
{
	struct cpu_info *ci = mutex_spin_raise(mtx);

	if (LOCKDEBUG && mtx->mtx_owner == ci)
		panic("mutex_spin_enter: locking against myself: %p (%s)",
		    mtx, mutex_name(mtx));
	if (LOCKDEBUG && mtx->mtx_order != LOCKORDER_NONE)
		lockdebug_order_check(ci, mtx);
	if (!mutex_spin_try(mtx))
		mutex_spin_wait(mtx, ci);
	mtx->mtx_owner = ci;
	ci->ci_lkorder[mtx->mtx_order]++;
}

void
mutex_spin_exit(kmutex_t *mtx)
{
	struct cpu_info *ci = curcpu();

	if (LOCKDEBUG && mtx->mtx_owner != ci)
		panic("mutex_spin_exit: %p (%s) released by cpu%u but held by "
		    "%s%d", mtx, mutex_name(mtx), cpu_index(ci),
		    mtx->mtx_owner != NULL ? "cpu" : "nobody: ",
		    mtx->mtx_owner != NULL ? (int)cpu_index(mtx->mtx_owner) :
		    -1);
	KASSERT(ci->ci_lkorder[mtx->mtx_order] > 0);
	ci->ci_lkorder[mtx->mtx_order]--;
	mtx->mtx_owner = NULL;
	__atomic_store_n(&mtx->mtx_lock, 0, __ATOMIC_RELEASE);
	mutex_spin_restore(ci);
}

int
mutex_tryenter(kmutex_t *mtx)
{
	struct cpu_info *ci = mutex_spin_raise(mtx);

	/* A try cannot deadlock: no order check, but count it. */
	if (mtx->mtx_owner != ci && mutex_spin_try(mtx)) {
		mtx->mtx_owner = ci;
		ci->ci_lkorder[mtx->mtx_order]++;
		return 1;
	}
	mutex_spin_restore(ci);
	return 0;
}

void
mutex_enter(kmutex_t *mtx)
{
	mutex_spin_enter(mtx);
}

void
mutex_exit(kmutex_t *mtx)
{
	mutex_spin_exit(mtx);
}

bool
mutex_owned(const kmutex_t *mtx)
{
	return mtx->mtx_lock != 0 && mtx->mtx_owner == curcpu();
}

/*
 * kern_mutex.c: kernel mutexes.
 *
 * At this stage only spin mutexes exist (see sys/mutex.h for their
 * rules).  Invariants, checked with KASSERT:
 *   - a CPU never takes a spin mutex it already holds;
 *   - only the holder releases it;
 *   - ci_mtx_count is the number of spin mutexes this CPU holds, and
 *     the IPL stays at or above every held mutex's mtx_ipl.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/mutex.h>

void
mutex_init(kmutex_t *mtx, kmutex_type_t type, int ipl)
{
	KASSERTMSG(type == MUTEX_SPIN || ipl != IPL_NONE,
	    "mutex_init: adaptive mutexes need turnstiles (not yet built)");
	mtx->mtx_lock = 0;
	mtx->mtx_ipl = ipl == IPL_NONE ? IPL_VM : ipl;
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

void
mutex_spin_enter(kmutex_t *mtx)
{
	struct cpu_info *ci = mutex_spin_raise(mtx);

	KASSERTMSG(mtx->mtx_owner != ci,
	    "mutex_spin_enter: locking against myself (%p)", mtx);
	while (!mutex_spin_try(mtx)) {
		/* Spin reading, not writing, to keep the line shared. */
		while (mtx->mtx_lock != 0)
			__asm volatile("pause");
	}
	mtx->mtx_owner = ci;
}

void
mutex_spin_exit(kmutex_t *mtx)
{
	struct cpu_info *ci = curcpu();

	KASSERTMSG(mtx->mtx_owner == ci,
	    "mutex_spin_exit: %p not held by this CPU", mtx);
	mtx->mtx_owner = NULL;
	__atomic_store_n(&mtx->mtx_lock, 0, __ATOMIC_RELEASE);
	mutex_spin_restore(ci);
}

int
mutex_tryenter(kmutex_t *mtx)
{
	struct cpu_info *ci = mutex_spin_raise(mtx);

	if (mtx->mtx_owner != ci && mutex_spin_try(mtx)) {
		mtx->mtx_owner = ci;
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

/*
 * kern_mutex.c: kernel mutexes, spin and adaptive (see sys/mutex.h for
 * the rules of both kinds).
 *
 * Spin mutexes: mutex_spin_enter/exit, and mutex_enter/exit of a
 * MUTEX_SPIN or IPL-raising mutex.  Adaptive mutexes: a compare-and-swap
 * of the owner word, spinning while the owner runs, else blocking on a
 * turnstile (mutex_adaptive_vector_enter, mutex_exit).  Invariants:
 *   - a CPU never takes a spin mutex it already holds (LOCKDEBUG:
 *     "locking against myself" panic);
 *   - only the holder releases it (LOCKDEBUG: panic naming the holder);
 *   - ci_mtx_count is the number of spin mutexes this CPU holds, and
 *     the IPL stays at or above every held mutex's mtx_ipl;
 *   - nobody spins for ever on a lock that one CPU keeps (LOCKDEBUG:
 *     after lockdebug_spinout_ms the waiter panics naming the lock and
 *     its holder; the panic stops the holder too, which prints its own
 *     backtrace).  A waiter starved while the lock changes hands is
 *     reported and waits on (mutex_starved);
 *   - locks with a LOCKORDER_ class are taken in class order: a CPU
 *     holding a class-n lock takes no lock of a lower class (LOCKDEBUG
 *     panics "lock order reversal" before it can deadlock).  Each CPU
 *     counts (LOCKDEBUG) the locks it holds in ci_lkorder, a field a class
 *     (sys/mutex.h: LKORDER_HELD), so the check is a shift and a test;
 *   - an adaptive mutex's waiter may read its owner LWP after that LWP
 *     was freed, which is safe because LWP memory is type-stable (the
 *     rule, and what checks it: mutex_owner_spinnable).
 * Lock statistics (subr_lockstat.c): the contended paths count the
 * wait (lockstat_contended); under LOCKDEBUG every acquisition is
 * stamped (mtx_t0), and while lockstat counts, every acquisition and
 * release is counted too (mutex_acquired, mutex_releasing).
 */
#include <sys/systm.h>
#include <sys/bootopt.h>
#include <sys/cpu.h>
#include <sys/cpu_counter.h>
#include <sys/intr.h>
#include <sys/jitter.h>
#include <sys/lab.h>
#include <sys/lock.h>
#include <sys/lockdebug.h>
#include <sys/lockstat.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/sleepq.h>
#include <sys/turnstile.h>
#include <sys/trace.h>

BOOTOPT("spinout_ms", "LOCKDEBUG: panic after spinning this long on a "
    "spin mutex (default 2000)");

u_int	lockdebug_spinout_ms = 2000;		/* (c) after lockdebug_init */
uint64_t lockdebug_spinout_cycles;		/* (c) 0: not yet known */
uint64_t spinout_stall_cycles;			/* (c) SPINOUT_STALL_MS */
uint64_t spinout_look_cycles;			/* (c) SPINOUT_LOOK_MS */
volatile uint64_t spinout_nunrun;		/* (a) */

/* Called once the cycle counter is calibrated and options are parsed. */
void
lockdebug_init(void)
{
	const char *v = bootopt_get("spinout_ms");

	if (v != NULL && *v != '\0')
		lockdebug_spinout_ms = strtoul(v, NULL, 10);
	lockdebug_spinout_cycles = cpu_frequency() / 1000 *
	    lockdebug_spinout_ms;
	spinout_stall_cycles = cpu_frequency() / 1000 * SPINOUT_STALL_MS;
	spinout_look_cycles = cpu_frequency() / 1000 * SPINOUT_LOOK_MS;
}

/* A wait begins (sys/mutex.h: the spin-out clock). */
void
spinout_start(struct spinout *so)
{
	so->so_last = cpu_counter();
	so->so_waited = so->so_answered = so->so_stalled = 0;
	so->so_unrun = 0;
}

/* A look, every so many spins: count the waiting since the last one,
 * stalls apart.  True when the other CPU is due a look (spinout_ping):
 * SPINOUT_LOOK_MS after its last answer, or past the limit.  Never,
 * while the limit is 0 (not yet calibrated, or a test turned it off). */
bool
spinout_tick(struct spinout *so)
{
	uint64_t now = cpu_counter(), gap = now - so->so_last;

	so->so_last = now;
	if (lockdebug_spinout_cycles == 0)
		return false;
	if (gap > spinout_stall_cycles) {
		so->so_stalled += gap - spinout_stall_cycles;
		gap = spinout_stall_cycles;
	}
	so->so_waited += gap;
	return so->so_waited - so->so_answered >= spinout_look_cycles ||
	    so->so_waited > lockdebug_spinout_cycles;
}

/*
 * Is ci, the CPU this wait waits for, being run?  Ping it (sys/mutex.h).
 * No answer: the waiting since its last answer does not count (so_unrun
 * and spinout_nunrun count these); false.  True if it answers, or is
 * unknown (NULL: a lock between holders) or this CPU.
 */
bool
spinout_ping(struct spinout *so, struct cpu_info *ci)
{
	if (ci == NULL || ci == curcpu() || cpu_ping(ci, SPINOUT_PING_MS))
		return true;
	so->so_waited = so->so_answered;
	so->so_last = cpu_counter();
	so->so_unrun++;
	__atomic_add_fetch(&spinout_nunrun, 1, __ATOMIC_RELAXED);
	return false;
}

/* Every CPU this wait waits for answered its ping: the waiting so far
 * counts.  Is it past the spin-out limit (spin out now)? */
bool
spinout_expired(struct spinout *so)
{
	so->so_answered = so->so_waited;
	return so->so_waited > lockdebug_spinout_cycles;
}

volatile uint64_t mutex_nspin, mutex_nblock;	/* (a) */
void (*volatile mutex_spin_hook)(kmutex_t *);	/* tests only (mutex.h) */

/*
 * MUTEX_DEFAULT at IPL_NONE: adaptive; otherwise a spin mutex.  `name'
 * is for messages, and LOCKDEBUG's lock classes (subr_lockdebug.c).
 */
void
mutex_init(kmutex_t *mtx, kmutex_type_t type, int ipl, const char *name)
{
	memset(mtx, 0, sizeof(*mtx));
	mtx->mtx_name = name;
	mtx->mtx_adaptive = type != MUTEX_SPIN && ipl == IPL_NONE;
	mtx->mtx_ipl = ipl == IPL_NONE ? IPL_VM : ipl;
	mtx->mtx_order = LOCKORDER_NONE;
}

void
mutex_destroy(kmutex_t *mtx)
{
	KASSERTMSG(mtx->mtx_lock == 0 && mtx->mtx_aowner == 0,
	    "mutex_destroy: %p is held", mtx);
}

/* Adaptive: swing the owner word from `old` to `new` (one CAS). */
static inline bool
mutex_acquire(kmutex_t *mtx, uintptr_t old, uintptr_t new)
{
	return __atomic_compare_exchange_n(&mtx->mtx_aowner, &old, new, false,
	    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
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

/* Give a mutex a lock-order class (checked by LOCKDEBUG). */
void
mutex_setorder(kmutex_t *mtx, int order)
{
	KASSERT(order >= 0 && order < LOCKORDER_N);
	mtx->mtx_order = order;
}

static const char *const lockorder_names[LOCKORDER_N] = {
	"none", "spc_lwplock", "sleeptab", "turnstile", "spc_mutex",
	"callout",
};

/* About to wait for mtx: is that in order with what this CPU holds?
 * (The test inline; the panic, which names the class, apart.) */
static void __noinline __dead
lockdebug_order_panic(struct cpu_info *ci, const kmutex_t *mtx)
{
	int c = LOCKORDER_N - 1;

	while (c > mtx->mtx_order + 1 && LKORDER_HELD(ci, c) == 0)
		c--;
	panic("lock order reversal: cpu%u takes %p (%s, class %s) while "
	    "holding a %s lock; the order is spc_lwplock -> sleeptab -> "
	    "turnstile -> spc_mutex -> callout", cpu_index(ci), mtx,
	    mutex_name(mtx), lockorder_names[mtx->mtx_order],
	    lockorder_names[c]);
}

static inline void
lockdebug_order_check(struct cpu_info *ci, const kmutex_t *mtx)
{
	if (__predict_false((ci->ci_lkorder >>
	    LKORDER_SHIFT(mtx->mtx_order + 1)) != 0))
		lockdebug_order_panic(ci, mtx);
}

/* LOCKDEBUG: mtx was just taken.  Stamp the acquisition (mtx_t0: hold
 * times, and "starved" in a spin-out), and count it while lockstat
 * counts (subr_lockstat.c). */
static inline void
mutex_acquired(kmutex_t *mtx)
{
	if (!LOCKDEBUG)
		return;
	mtx->mtx_t0 = cpu_counter();
	if (__predict_false(lockstat_counting != 0))
		lockstat_acquired(mtx);
}

/* LOCKDEBUG: mtx, held, is about to be released. */
static inline void
mutex_releasing(kmutex_t *mtx)
{
	if (LOCKDEBUG && __predict_false(lockstat_counting != 0))
		lockstat_released(mtx);
}

/*
 * A spin-out: the lock was held by one CPU all the time this CPU waited
 * (its acquisition stamp, mtx_t0, did not change): a holder that does
 * not let go, whose backtrace, printed next, says where.  Say how long
 * this CPU waited (and, apart, how long it was not run).
 */
static void __noinline
mutex_spinout(kmutex_t *mtx, struct cpu_info *ci, const struct spinout *so)
{
	struct cpu_info *owner = mtx->mtx_owner;
	char stalled[160] = "", holder[64];
	int len = 0;

	if (so->so_stalled >= spinout_stall_cycles)
		len = snprintf(stalled, sizeof(stalled), " (and was not run "
		    "for %llu ms more)", (unsigned long long)(so->so_stalled /
		    (spinout_stall_cycles / SPINOUT_STALL_MS)));
	if (so->so_unrun != 0)
		snprintf(stalled + len, sizeof(stalled) - len, " (not "
		    "counting %u spans when the holder's CPU was not run)",
		    so->so_unrun);
	if (owner != NULL)
		snprintf(holder, sizeof(holder), "it is held by cpu%u, whose "
		    "backtrace follows", cpu_index(owner));
	else
		snprintf(holder, sizeof(holder), "it is free now");
	panic("spin mutex %p (%s) spun out: cpu%u waited %u ms%s; %s",
	    mtx, mutex_name(mtx), cpu_index(ci), lockdebug_spinout_ms,
	    stalled, holder);
}

volatile uint64_t mutex_nstarved;		/* (a) */
static volatile uint64_t mutex_starved_said;	/* (a) cpu_counter() */

/*
 * The spin-out limit passed, but the lock changed hands meanwhile (a new
 * stamp, mtx_t0): this CPU is starved, not deadlocked.  A test-and-set
 * lock gives no turns, and with many more virtual CPUs than host cores
 * (SMP=64 on 2) the CPU that sees it free is seldom the one that waited
 * longest.  Count it, say so (at most once a spin-out period,
 * machine-wide; never from inside printf, nor from a wait inside
 * another, `outer`: printf's own wait for the console lock, starved too
 * at SMP=255, nested four deep), and let the caller wait on,
 * on a new clock: the system as a whole makes progress.  A starvation
 * that never ends is the hang detector's to report.
 */
static void __noinline
mutex_starved(kmutex_t *mtx, struct cpu_info *ci, kmutex_t *outer)
{
	uint64_t now = cpu_counter(), said = mutex_starved_said;
	uint64_t n = __atomic_add_fetch(&mutex_nstarved, 1, __ATOMIC_RELAXED);

	if (now - said < lockdebug_spinout_cycles || outer != NULL ||
	    cons_owned() ||
	    !__atomic_compare_exchange_n(&mutex_starved_said, &said, now,
	    false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return;
	printf("spin mutex %p (%s): cpu%u starved for %u ms: it changed "
	    "hands meanwhile (%llu starved waits so far); waiting on\n", mtx,
	    mutex_name(mtx), cpu_index(ci), lockdebug_spinout_ms,
	    (unsigned long long)n);
}

/* The contended case: spin reading, not writing, to keep the cache line
 * shared, and (LOCKDEBUG) when the spin-out clock runs out, give up
 * loudly if one CPU held the lock all along, or say this CPU is starved
 * and wait on if it changed hands; count the wait (lockstat).
 * ci_spinning and mutex_spin_hook are for tests (sys/mutex.h). */
static void __noinline
mutex_spin_wait(kmutex_t *mtx, struct cpu_info *ci)
{
	uint64_t start = cpu_counter(), t0 = mtx->mtx_t0;
	kmutex_t *outer = ci->ci_spinning;	/* (an interrupted wait) */
	struct spinout so;
	u_int n = 0;

	spinout_start(&so);
	ci->ci_spinning = mtx;
	do {
		while (mtx->mtx_lock != 0) {
			if (__predict_false(mutex_spin_hook != NULL))
				(*mutex_spin_hook)(mtx);
			SPINLOCK_BACKOFF_HOOK;
			if (LOCKDEBUG && (++n & 1023) == 0 &&
			    spinout_tick(&so) &&
			    spinout_ping(&so, mtx->mtx_owner) &&
			    spinout_expired(&so)) {
				if (mtx->mtx_t0 == t0)
					mutex_spinout(mtx, ci, &so);
				mutex_starved(mtx, ci, outer);
				t0 = mtx->mtx_t0;
				spinout_start(&so);
			}
		}
	} while (!mutex_spin_try(mtx));
	ci->ci_spinning = outer;
	lockstat_contended(mtx, cpu_counter() - start, 0);
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
	if (!mutex_spin_try(mtx)) {
		uint64_t t0 = TRACE_LOCKWAIT(mtx, true);

		mutex_spin_wait(mtx, ci);
		TRACE_LOCKDONE(mtx, true, t0);
	}
	mtx->mtx_owner = ci;
	if (LOCKDEBUG)
		ci->ci_lkorder += LKORDER_ONE(mtx->mtx_order);
	mutex_acquired(mtx);
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
	KASSERT(!LOCKDEBUG || LKORDER_HELD(ci, mtx->mtx_order) > 0);
	/* The IPL cannot have dropped below the mutex's while it was
	 * held: whatever lowered it did so to the wrong CPU, or too soon. */
	KASSERTMSG(ci->ci_ilevel >= mtx->mtx_ipl, "mutex_spin_exit: %p (%s) "
	    "held at IPL %d, below its own %d", mtx, mutex_name(mtx),
	    ci->ci_ilevel, mtx->mtx_ipl);
	mutex_releasing(mtx);
	if (LOCKDEBUG)
		ci->ci_lkorder -= LKORDER_ONE(mtx->mtx_order);
	mtx->mtx_owner = NULL;
	__atomic_store_n(&mtx->mtx_lock, 0, __ATOMIC_RELEASE);
	mutex_spin_restore(ci);
	JITTER_POINT(JITTER_LOCK);
}

int
mutex_tryenter(kmutex_t *mtx)
{
	struct cpu_info *ci;

	if (mtx->mtx_adaptive) { /* a try cannot deadlock: no order check */
		if (!mutex_acquire(mtx, 0, (uintptr_t)curlwp))
			return 0;
		mutex_acquired(mtx);
		return 1;
	}
	ci = mutex_spin_raise(mtx);
	if (__predict_false(mutex_spin_hook != NULL))
		(*mutex_spin_hook)(mtx);

	/* A try cannot deadlock: no order check, but count it. */
	if (mtx->mtx_owner != ci && mutex_spin_try(mtx)) {
		mtx->mtx_owner = ci;
		if (LOCKDEBUG)
			ci->ci_lkorder += LKORDER_ONE(mtx->mtx_order);
		mutex_acquired(mtx);
		return 1;
	}
	mutex_spin_restore(ci);
	return 0;
}

/* ---- adaptive mutexes ----------------------------------------------- */

lwp_t *
mutex_owner(const kmutex_t *mtx)
{
	return (lwp_t *)(mtx->mtx_aowner & ~MUTEX_WAITERS);
}

/* sobj_owner of mutex_syncobj: who holds the mutex at wchan. */
static lwp_t *
mutex_sobj_owner(wchan_t wchan)
{
	return mutex_owner((const kmutex_t *)wchan);
}

syncobj_t mutex_syncobj = {
	.sobj_flag = SOBJ_SLEEPQ_SORTED,
	.sobj_unsleep = turnstile_unsleep,
	.sobj_changepri = sleepq_changepri,
	.sobj_lendpri = sleepq_lendpri,
	.sobj_owner = mutex_sobj_owner,
};

/*
 * Is the mutex still held by `o`, running on another CPU?  Nothing we
 * hold keeps the owner alive: it may have released the mutex, exited
 * and been freed (lwp_free) since we read the owner word.  Reading it
 * is safe by a rule of this kernel, not by a barrier:
 *   - LWP memory is type-stable: lwp_cache never gives its pages back
 *     to the page allocator (no pool does: sys/pool.h), and lwp0 is
 *     static; so this still reads an lwp_t, free (poisoned under
 *     DIAGNOSTIC) or reused, never anything else (DIAGNOSTIC checks
 *     that in the caller: lwp_memory_p);
 *   - what it reads is only a hint: l_cpu is compared, never followed,
 *     and a stale answer costs a spin that ends when the owner word
 *     changes, which it has if the owner was freed (an LWP never exits
 *     owning a mutex: LOCKDEBUG checks in lwp_exit).
 * KASAN would report the read of a freed LWP: it is this rule, not a
 * bug (__nokasan).  NetBSD 2020's mutex_oncpu follows l_cpu (ci_curlwp
 * == l) and its pools can give pages back, so it spins with preemption
 * disabled and lwp_dtor waits for every CPU (a cross-call) before an
 * LWP's memory goes; NetBSD 10 creates lwp_cache with PR_PSERIALIZE
 * instead.  Should lwp_cache ever give pages back here, it needs that
 * barrier too.
 */
static bool __nokasan
mutex_owner_spinnable(kmutex_t *mtx, uintptr_t o, lwp_t *owner)
{
	return mtx->mtx_aowner == o && (owner->l_pflag & LP_RUNNING) &&
	    owner->l_cpu != curcpu();
}

/*
 * The contended case: spin while the owner runs on another CPU (it will
 * let go soon), else block on the mutex's turnstile.  Setting
 * MUTEX_WAITERS under the turnstile chain lock, and re-checking the
 * owner there, is what makes the owner's exit find us.  lockstat counts
 * the wait: the time in turnstile_block as sleep, the rest as spin.
 */
static void __noinline
mutex_adaptive_vector_enter(kmutex_t *mtx)
{
	lwp_t *l = curlwp, *owner;
	uint64_t start = cpu_counter(), slept = 0, b0;
	uintptr_t o;
	turnstile_t *ts;

	for (;;) {
		o = mtx->mtx_aowner;
		if (o == 0) {
			if (mutex_acquire(mtx, 0, (uintptr_t)l)) {
				lockstat_contended(mtx, cpu_counter() - start -
				    slept, slept);
				return;
			}
			continue;
		}
		owner = (lwp_t *)(o & ~MUTEX_WAITERS);
		if (LOCKDEBUG && owner == l)
			panic("mutex_enter: locking against myself: %p (%s)",
			    mtx, mutex_name(mtx));
		/* (It may be gone already: mutex_owner_spinnable.) */
		KASSERTMSG(lwp_memory_p(owner), "mutex_enter: %p (%s) is "
		    "owned by %p, which is not LWP memory any more", mtx,
		    mutex_name(mtx), owner);
		if (mutex_owner_spinnable(mtx, o, owner)) {
			__atomic_add_fetch(&mutex_nspin, 1, __ATOMIC_RELAXED);
			while (mutex_owner_spinnable(mtx, o, owner))
				SPINLOCK_BACKOFF_HOOK;
			continue;
		}
		/* Block: our lock first, then the chain (the lock order). */
		lwp_lock(l);
		ts = turnstile_lookup(mtx);
		o = mtx->mtx_aowner;
		if (o == 0 || (!(o & MUTEX_WAITERS) &&
		    !mutex_acquire(mtx, o, o | MUTEX_WAITERS))) {
			turnstile_exit(mtx);	/* it changed: try again */
			lwp_unlock(l);
			continue;
		}
		__atomic_add_fetch(&mutex_nblock, 1, __ATOMIC_RELAXED);
		b0 = cpu_counter();
		turnstile_block(ts, TS_WRITER_Q, mtx, &mutex_syncobj);
		slept += cpu_counter() - b0;
	}
}

void
mutex_enter(kmutex_t *mtx)
{
	lwp_t *l = curlwp;
	int ipl __diagused;

	if (!mtx->mtx_adaptive) {
		mutex_spin_enter(mtx);
		return;
	}
	KASSERTMSG(curcpu_spin_state(&ipl) == 0 && ipl == IPL_NONE,
	    "mutex_enter: adaptive mutex %s taken at IPL %d / holding a spin "
	    "mutex", mtx->mtx_name, ipl);
	if (LOCKDEBUG)
		lockdebug_acquire(mtx, mtx->mtx_name,
		    (vaddr_t)__builtin_return_address(0));
	if (__predict_false(!mutex_acquire(mtx, 0, (uintptr_t)l))) {
		uint64_t t0 = TRACE_LOCKWAIT(mtx, false);

		mutex_adaptive_vector_enter(mtx);
		TRACE_LOCKDONE(mtx, false, t0);
	}
	mutex_acquired(mtx);
}

/*
 * Release adaptive mutex mtx, which curlwp owns and others wait for
 * (MUTEX_WAITERS is set: mutex_exit's plain release failed).  Under
 * mtx's chain lock (turnstile_lookup), with curlwp's own LWP lock held
 * (turnstile_wakeup gives back the priority lent to us, and needs it):
 * clear the owner word (mtx_aowner = 0, a release store), then wake
 * every waiter of the writer queue (turnstile_wakeup, which releases
 * the chain lock), or, if there is no active turnstile after all,
 * just release the chain lock (turnstile_exit); then drop curlwp's
 * lock if we took it.  curlwp may already be locked on entry: cv_wait
 * releases its interlock with curlwp already on the sleep queue, locked
 * by the queue's lock (sleeptab -> turnstile is the lock order); lock
 * it then not again (lwp_locked tells), nor release it.
 * (The stub clears the owner word and wakes nobody: right only while
 * nobody sleeps on a turnstile, as with the turnstile_block stub.)
 */
static void __noinline
mutex_vector_exit(kmutex_t *mtx)
{
#if !LAB_STUB(pi)
	lwp_t *l = curlwp;
	turnstile_t *ts;
	bool locked;

	locked = lwp_locked(l, NULL);
	if (!locked)
		lwp_lock(l);
	ts = turnstile_lookup(mtx);
	__atomic_store_n(&mtx->mtx_aowner, 0, __ATOMIC_RELEASE);
	if (ts == NULL)
		turnstile_exit(mtx);
	else
		turnstile_wakeup(ts, TS_WRITER_Q, -1, NULL);
	if (!locked)
		lwp_unlock(l);
#else
	__atomic_store_n(&mtx->mtx_aowner, 0, __ATOMIC_RELEASE);
#endif /* LAB pi */
}

void
mutex_exit(kmutex_t *mtx)
{
	lwp_t *l = curlwp;

	if (!mtx->mtx_adaptive) {
		mutex_spin_exit(mtx);
		return;
	}
	if (LOCKDEBUG && mutex_owner(mtx) != l) {
		lwp_t *owner = mutex_owner(mtx);

		panic("mutex_exit: %p (%s) released by LWP %d (%s) but owned "
		    "by %s%d (%s)", mtx, mutex_name(mtx), l->l_lid,
		    l->l_name != NULL ? l->l_name : "-",
		    owner != NULL ? "LWP " : "nobody: ",
		    owner != NULL ? owner->l_lid : -1,
		    owner != NULL && owner->l_name != NULL ? owner->l_name :
		    "-");
	}
	if (LOCKDEBUG)
		lockdebug_release(mtx);
	mutex_releasing(mtx);
	if (mutex_acquire(mtx, (uintptr_t)l, 0)) {
		JITTER_POINT(JITTER_LOCK);
		return;				/* nobody waits */
	}
	mutex_vector_exit(mtx);
	JITTER_POINT(JITTER_LOCK);
}

bool
mutex_owned(const kmutex_t *mtx)
{
	if (mtx->mtx_adaptive)
		return curlwp != NULL && mutex_owner(mtx) == curlwp;
	return mtx->mtx_lock != 0 && mtx->mtx_owner == curcpu();
}

/*
 * sys/mutex.h: kernel mutexes (NetBSD's mutex(9) interface).
 *
 * Spin mutexes (MUTEX_SPIN, or MUTEX_DEFAULT with an IPL above
 * IPL_NONE) raise the CPU's IPL to the mutex's level and busy-wait.
 * While a CPU holds any spin mutex, ci_mtx_count > 0 and the IPL that
 * was in force before the first one is saved in ci_mtx_oldspl; releasing
 * the last one restores it.  Spin mutexes must be released in the
 * opposite order to how they were taken only where IPLs differ; the IPL
 * comes back when the count reaches zero.
 *
 * Adaptive mutexes (MUTEX_DEFAULT at IPL_NONE) are for thread context:
 * taking one is one compare-and-swap when it is free; when it is held,
 * the caller spins while the owner is running on another CPU (it will
 * be done soon) and otherwise blocks on a turnstile, lending the owner
 * its priority (kern_turnstile.c).  They must not be taken while
 * holding a spin mutex or from an interrupt.
 */
#ifndef _SYS_MUTEX_H_
#define _SYS_MUTEX_H_

#include <sys/types.h>

struct cpu_info;

typedef enum { MUTEX_DEFAULT, MUTEX_SPIN, MUTEX_NODEBUG } kmutex_type_t;

typedef struct kmutex {
	volatile uint32_t	mtx_lock;	/* spin: 1 while held */
	uint8_t			mtx_ipl;	/* spin: IPL while held */
	uint8_t			mtx_order;	/* LOCKORDER_* class, or 0 */
	uint8_t			mtx_adaptive;	/* adaptive, not spin */
	uint8_t			mtx_lsclass;	/* lockstat class + 1, or 0:
						 * not looked up yet
						 * (subr_lockstat.c) */
	volatile uintptr_t	mtx_aowner;	/* adaptive: owner LWP, plus
						 * MUTEX_WAITERS */
	struct cpu_info * volatile mtx_owner;	/* spin: holding CPU */
	const char		*mtx_name;	/* for diagnostics */
	uint64_t		mtx_t0;		/* LOCKDEBUG: cpu_counter()
						 * when taken (lockstat's
						 * hold time), holder's */
} kmutex_t;

#define MUTEX_INITIALIZER(name, ipl) \
	{ .mtx_lock = 0, .mtx_ipl = (ipl), .mtx_owner = NULL, .mtx_name = (name) }

/*
 * Lock-order classes (LOCKDEBUG checks them): a CPU holding a lock of
 * one class may take locks of the same or a higher class, never a lower
 * one.  The scheduler's order, from kern_lwplock.c, and the callout
 * wheels' cc_lock last (sleepq_block arms a callout holding its sleep
 * queue's lock, so nothing of the scheduler's may be taken under it):
 *	spc_lwplock -> sleeptab st_mutex -> turnstile tc_mutex -> spc_mutex
 *	    -> cc_lock
 * Locks with class 0 are not checked.
 */
#define LOCKORDER_NONE		0
#define LOCKORDER_SPC_LWPLOCK	1
#define LOCKORDER_SLEEPTAB	2
#define LOCKORDER_TURNSTILE	3
#define LOCKORDER_SPC_MUTEX	4
#define LOCKORDER_CALLOUT	5
#define LOCKORDER_N		6
/* A CPU's count of classed locks held (ci_lkorder), one LKORDER_BITS
 * field per class in one word, so the order check is a shift and a
 * test: "holds a lock of a class above c" is ci_lkorder >>
 * LKORDER_SHIFT(c + 1) != 0. */
#define LKORDER_BITS		10
#define LKORDER_SHIFT(c)	((c) * LKORDER_BITS)
#define LKORDER_ONE(c)		(1ULL << LKORDER_SHIFT(c))
#define LKORDER_HELD(ci, c)	\
	(((ci)->ci_lkorder >> LKORDER_SHIFT(c)) & (LKORDER_ONE(1) - 1))

void	mutex_setorder(kmutex_t *, int);

#define MUTEX_WAITERS	0x1UL		/* mtx_aowner: someone is blocked */

/*
 * For tests that need a spin mutex to change hands at a chosen moment
 * (t_lwplock.c): ci_spinning names the spin mutex a CPU waits for in
 * mutex_spin_enter (NULL when it waits for none), so that a test on
 * another CPU can act while it waits; and mutex_spin_hook, if set, is
 * called with the mutex on each turn of that wait and each time a CPU
 * is about to try one (mutex_tryenter), so that an early test (one CPU,
 * nothing else running) can play another CPU that holds the lock and
 * lets it go.  Only the contended path and mutex_tryenter look at them.
 */
extern void (*volatile mutex_spin_hook)(struct kmutex *);

/* How often the adaptive slow paths ran (for tests and benchmarks), and
 * how many spin waits were starved (LOCKDEBUG: kern_mutex.c). */
extern volatile uint64_t mutex_nspin, mutex_nblock, mutex_nstarved;
struct lwp *mutex_owner(const kmutex_t *);

/*
 * LOCKDEBUG (on by default; `make LOCKDEBUG=0` for measurements): lock
 * misuse panics, and spinning longer than lockdebug_spinout_ms (kernel
 * option spinout_ms=) panics naming the lock and its holder (and, in
 * subr_xcall.c, a cross-call and the CPUs that did not answer it).
 */
#ifndef LOCKDEBUG
#define LOCKDEBUG 1
#endif
extern u_int lockdebug_spinout_ms;
extern uint64_t lockdebug_spinout_cycles;	/* the same in cpu_counter() */
void	lockdebug_init(void);

/*
 * The spin-out clock (LOCKDEBUG): how long a CPU has waited, counting
 * only the time it ran.  A waiter looks at cpu_counter() every so many
 * spins (spinout_tick); a gap between two looks longer than
 * SPINOUT_STALL_MS cannot be spinning (a look is microseconds apart):
 * the host did not run this virtual CPU, or an NMI held it, so the gap
 * counts as SPINOUT_STALL_MS and is added up apart (so_stalled) for the
 * panic to report.  A hang still spins out after lockdebug_spinout_ms of
 * waiting; a host that stops the whole machine for seconds (seen on a
 * loaded 2-core host: every CPU's clock interrupts 2 s apart) does not
 * make one.
 *
 * The other side: the CPU we wait for (the spin mutex's holder, a CPU
 * yet to run a cross-call) may be the one the host does not run (seen:
 * one virtual CPU left 3 s unrun while the others ran).  So only the
 * time that CPU was seen running counts too, judged by its progress
 * rather than by one look at the end: every SPINOUT_LOOK_MS of waiting
 * (and when the limit is passed) the waiter pings it with an NMI
 * (cpu_ping), which a CPU that runs answers at once, interrupts off or
 * not.  No answer within SPINOUT_PING_MS: it was not run, and the
 * waiting since its last answer counts for nothing (spinout_ping; the
 * panic, if one comes, says how often).  The waiter spins out only
 * when it has waited past the limit and the other CPU answered at
 * every look in between (spinout_expired).  A hang stays a hang: a CPU
 * that spins with interrupts off still answers NMIs.  (Left unpanicked:
 * a CPU stuck inside an NMI handler; the hang detector reports it.)
 * Before, one ping at the end of the wait was the test, and a CPU that
 * the host ran again just then passed for one that had run all along:
 * two false spin-outs in the fuzzer on an overloaded host.
 * A CPU-local structure: no lock.
 */
#define SPINOUT_STALL_MS	50
#define SPINOUT_LOOK_MS		200
#define SPINOUT_PING_MS		100
extern uint64_t spinout_stall_cycles;		/* the same in cpu_counter() */
extern uint64_t spinout_look_cycles;		/* the same in cpu_counter() */
extern volatile uint64_t spinout_nunrun;	/* (a) periods not counted so */
struct spinout {
	uint64_t	so_last;	/* cpu_counter() at the last look */
	uint64_t	so_waited;	/* waiting counted, in cycles */
	uint64_t	so_answered;	/* so_waited at the other's last answer */
	uint64_t	so_stalled;	/* gaps not counted, in cycles */
	u_int		so_unrun;	/* pings the other CPU did not answer */
};
void	spinout_start(struct spinout *);
bool	spinout_tick(struct spinout *);
bool	spinout_ping(struct spinout *, struct cpu_info *);
bool	spinout_expired(struct spinout *);

/* (lwpkern's mutex_init and rw_init take the lock's name, which NetBSD's
 * do not: LOCKDEBUG here groups locks into classes by name.) */
void	mutex_init(kmutex_t *, kmutex_type_t, int, const char *);
void	mutex_destroy(kmutex_t *);
void	mutex_enter(kmutex_t *);
void	mutex_exit(kmutex_t *);
int	mutex_tryenter(kmutex_t *);
void	mutex_spin_enter(kmutex_t *);
void	mutex_spin_exit(kmutex_t *);
bool	mutex_owned(const kmutex_t *);

#endif /* !_SYS_MUTEX_H_ */

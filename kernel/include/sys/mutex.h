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
 * Adaptive (sleeping) mutexes arrive with turnstiles (kern_turnstile.c);
 * until then mutex_init() refuses MUTEX_DEFAULT at IPL_NONE.
 */
#ifndef _SYS_MUTEX_H_
#define _SYS_MUTEX_H_

#include <sys/types.h>

struct cpu_info;

typedef enum { MUTEX_DEFAULT, MUTEX_SPIN, MUTEX_NODEBUG } kmutex_type_t;

typedef struct kmutex {
	volatile uint32_t	mtx_lock;	/* 1 while held */
	uint8_t			mtx_ipl;	/* IPL while held */
	uint8_t			mtx_order;	/* LOCKORDER_* class, or 0 */
	struct cpu_info * volatile mtx_owner;	/* holder, for mutex_owned() */
	const char		*mtx_name;	/* for diagnostics */
} kmutex_t;

#define MUTEX_INITIALIZER(name, ipl) \
	{ .mtx_lock = 0, .mtx_ipl = (ipl), .mtx_owner = NULL, .mtx_name = (name) }

/*
 * Lock-order classes (LOCKDEBUG checks them): a CPU holding a lock of
 * one class may take locks of the same or a higher class, never a lower
 * one.  The scheduler's order, from kern_lwp.c:
 *	spc_lwplock -> sleeptab st_mutex -> turnstile tc_mutex -> spc_mutex
 * Locks with class 0 are not checked.
 */
#define LOCKORDER_NONE		0
#define LOCKORDER_SPC_LWPLOCK	1
#define LOCKORDER_SLEEPTAB	2
#define LOCKORDER_TURNSTILE	3
#define LOCKORDER_SPC_MUTEX	4
#define LOCKORDER_N		5

void	mutex_setorder(kmutex_t *, int, const char *);

/*
 * LOCKDEBUG (on by default; `make LOCKDEBUG=0` for measurements): lock
 * misuse panics, and spinning longer than lockdebug_spinout_ms (kernel
 * option spinout_ms=) panics naming the lock and its holder.
 */
#ifndef LOCKDEBUG
#define LOCKDEBUG 1
#endif
extern u_int lockdebug_spinout_ms;
void	lockdebug_init(void);

void	mutex_init(kmutex_t *, kmutex_type_t, int);
void	mutex_destroy(kmutex_t *);
void	mutex_enter(kmutex_t *);
void	mutex_exit(kmutex_t *);
int	mutex_tryenter(kmutex_t *);
void	mutex_spin_enter(kmutex_t *);
void	mutex_spin_exit(kmutex_t *);
bool	mutex_owned(const kmutex_t *);

#endif /* !_SYS_MUTEX_H_ */

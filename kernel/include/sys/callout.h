/*
 * sys/callout.h: callouts, functions run at a later clock tick
 * (NetBSD's callout(9)).
 *
 *	callout_init(&c, 0);
 *	callout_setfunc(&c, func, arg);
 *	callout_schedule(&c, hz / 10);	// func(arg) in ~100 ms
 *	...
 *	callout_halt(&c, NULL);		// stopped, and not running anywhere
 *	callout_destroy(&c);
 *
 * Each CPU has a wheel of callouts, driven by its hardclock(); a
 * callout lives on the wheel of the CPU that last scheduled it.  The
 * handler runs on that CPU from the clock interrupt (interrupts off):
 * it must not sleep.  (NetBSD runs them in a soft interrupt; this
 * kernel has none yet.)
 *
 * MP rules: callout_stop() only unschedules; the handler may be running
 * on another CPU at that moment.  callout_halt() also waits for a
 * running handler to finish, so afterwards the callout's memory may be
 * freed; it may sleep, so it needs a thread, not an interrupt.
 */
#ifndef _SYS_CALLOUT_H_
#define _SYS_CALLOUT_H_

#include <sys/types.h>
#include <sys/queue.h>

struct callout_cpu;
struct kmutex;

typedef struct callout {
	TAILQ_ENTRY(callout) c_link;	/* (cc_lock) on a wheel slot */
	void		(*c_func)(void *);	/* (cc_lock) */
	void		*c_arg;		/* (cc_lock) */
	uint64_t	c_time;		/* (cc_lock) tick it is due */
	struct callout_cpu * volatile c_cpu;	/* (cc_lock) whose wheel */
	volatile u_int	c_flags;	/* (cc_lock) CALLOUT_* */
	u_int		c_magic;	/* CALLOUT_MAGIC while initialised */
} callout_t;

#define CALLOUT_PENDING		0x01	/* on a wheel, not yet due */
#define CALLOUT_FIRED		0x02	/* its handler has been called */
#define CALLOUT_INVOKING	0x04	/* its handler is running now */
#define CALLOUT_MPSAFE		0x08	/* (every callout is) */
#define CALLOUT_MAGIC		0x11deeba1

void	callout_startup(void);
void	callout_init(callout_t *, u_int);
void	callout_destroy(callout_t *);
void	callout_setfunc(callout_t *, void (*)(void *), void *);
void	callout_schedule(callout_t *, int);
void	callout_reset(callout_t *, int, void (*)(void *), void *);
bool	callout_stop(callout_t *);
bool	callout_halt(callout_t *, struct kmutex *);
bool	callout_pending(callout_t *);
bool	callout_active(callout_t *);
bool	callout_expired(callout_t *);
bool	callout_invoking(callout_t *);
int64_t	callout_due_in(const callout_t *);	/* a hint, lock-free */
void	callout_hardclock(void);

#endif /* !_SYS_CALLOUT_H_ */

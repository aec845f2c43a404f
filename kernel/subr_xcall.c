/*
 * subr_xcall.c: cross-calls (see sys/xcall.h for the interface).
 *
 * One cross-call is in flight at a time.  Its descriptor `xc` is owned
 * by whoever set xc_busy from 0 to 1 (the sender); the CPUs it targets
 * run it from their IPI handler and count xc_pending down; the last one
 * publishes the ticket in xc_donep and frees the slot.
 *
 *   sender                          each target CPU (IPI handler)
 *   ──────                          ─────────────────────────────
 *   wait for xc_busy 0 -> 1         func(arg1, arg2)
 *   fill xc, xc_pending = n         if --xc_pending == 0:
 *   ticket = ++xc_headp                 xc_donep = ticket
 *   send IPIs (run here if target)      xc_busy = 0
 *   return ticket
 *   xc_wait(t): spin until xc_donep >= t
 *
 * Senders spin with interrupts enabled, so two CPUs sending at once
 * cannot deadlock: the loser keeps answering the winner's IPI.  Each CPU
 * has the ticket of the last call sent to it (xc_want) and of the last
 * one it ran (xc_ran): an IPI runs a call only if the first is newer,
 * so a late or duplicate IPI is harmless, and a stuck call can name the
 * CPUs it waits for.
 *
 * Nobody waits for ever (LOCKDEBUG): a high-priority call runs from an
 * IPI, so a target that has not run it after lockdebug_spinout_ms has had
 * interrupts disabled all that time; the waiter panics naming that CPU,
 * and the panic's NMI then shows where it is stuck.  Low-priority calls
 * run in threads that may sleep, so they have no limit.
 *
 * Low-priority calls (flags without XC_HIGHPRI) take the same slot but
 * run in each target CPU's `xcall/N` kernel thread instead of the IPI
 * handler, so they may sleep: the sender wakes those threads through
 * their condition variables.  Until xc_init() has made the threads
 * (early boot), they run the high-priority way.
 *
 * Locking: xc_busy (atomic) owns xc_func, xc_arg1/2, xc_flags,
 * xc_headp; xc_pending, xc_donep, xc_want[] and xc_ran[] are atomic;
 * each CPU's xc_lock covers its xc_work flag.
 */
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/cpu.h>
#include <sys/cpu_counter.h>
#include <sys/intr.h>
#include <sys/ksyms.h>
#include <sys/kthread.h>
#include <sys/lock.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/xcall.h>

/* Per-CPU low-priority state. */
static struct xc_thread {
	kmutex_t	xc_lock;
	kcondvar_t	xc_cv;
	bool		xc_work;	/* (xc_lock) a call waits for us */
} xc_threads[MAXCPUS];
static bool xc_threads_ready;		/* (c) after xc_init */

static volatile uint32_t xc_busy;
static xcfunc_t	xc_func;
static void	*xc_arg1, *xc_arg2;
static u_int	xc_flags;		/* XC_HIGHPRI: runs in the IPI */
static volatile u_int xc_pending;
static volatile uint64_t xc_headp;	/* ticket of the latest call */
static volatile uint64_t xc_donep;	/* every call up to this one done */
static volatile uint64_t xc_want[MAXCPUS]; /* last ticket sent to each CPU */
static volatile uint64_t xc_ran[MAXCPUS]; /* last ticket each CPU ran */

/* Run the current call here and count it done. */
static void
xc_run(void)
{
	uint64_t ticket = xc_headp;

	(*xc_func)(xc_arg1, xc_arg2);
	__atomic_store_n(&xc_ran[cpu_index(curcpu())], ticket,
	    __ATOMIC_RELEASE);
	if (__atomic_sub_fetch(&xc_pending, 1, __ATOMIC_ACQ_REL) == 0) {
		__atomic_store_n(&xc_donep, ticket, __ATOMIC_RELEASE);
		__atomic_store_n(&xc_busy, 0, __ATOMIC_RELEASE);
	}
}

/* A high-priority call went unanswered: say who did not run it. */
static void __noinline
xc_spinout(const char *waiter, uint64_t ticket)
{
	char fn[64], late[6 * 32] = "";	/* the first 30 or so late CPUs */
	size_t len = 0;

	ksyms_format((vaddr_t)xc_func, fn, sizeof(fn));
	for (u_int i = 0; i < ncpu; i++)
		if (xc_want[i] == ticket && xc_ran[i] < ticket &&
		    len < sizeof(late))
			len += snprintf(late + len, sizeof(late) - len,
			    " cpu%u", i);
	panic("%s: cross-call %llu (%s) not run after %u ms by%s "
	    "(interrupts disabled there?)", waiter,
	    (unsigned long long)ticket, fn, lockdebug_spinout_ms,
	    late[0] != '\0' ? late : " (none now: run meanwhile, or "
	    "never counted done)");
}

/*
 * One step of a wait for a cross-call slot or ticket (LOCKDEBUG): if the
 * same high-priority call has been in flight for longer than the
 * spin-out limit, on the spin-out clock (sys/mutex.h: time this CPU was
 * not run does not count, nor does time a CPU that has not run it was
 * not run: xc_wait_on), panic.  `w` starts zeroed; look every 1024
 * steps.
 */
struct xc_watch {
	uint64_t	xw_ticket;	/* the call in flight when last seen */
	struct spinout	xw_so;		/* since then */
	u_int		xw_n;
	bool		xw_allran;	/* restarted once: none was late */
};

/*
 * A look at the CPUs call `ticket` waits for (the spin-out clock's, every
 * SPINOUT_LOOK_MS): should the wait go on?  Yes if one of them is not
 * being run (sys/mutex.h: the waiting since the last look does not
 * count then), or the wait, counted so, is within the limit.  Past it,
 * yes once more if no CPU is late any more: the call was run everywhere
 * as we looked, and its last CPU is about to count it done -- but only
 * once a call: if it is still not counted done a whole spin-out later,
 * xc_pending is wrong.  So a late CPU that the host leaves unrun for
 * seconds (seen twice, on a 2-core host running 12 busy virtual CPUs:
 * the fuzzer's munmap waited for CPUs that answered one ping at the
 * end, having been unrun most of the time before) does not spin out; a
 * CPU that runs with interrupts off for the whole limit does.
 */
static bool
xc_wait_on(struct xc_watch *w, uint64_t ticket)
{
	bool late = false;

	for (u_int i = 0; i < ncpu; i++)
		if (xc_want[i] == ticket && xc_ran[i] < ticket) {
			late = true;
			if (!spinout_ping(&w->xw_so, cpu_lookup(i)))
				return true;
		}
	if (!spinout_expired(&w->xw_so))
		return true;
	if (late || w->xw_allran)
		return false;
	w->xw_allran = true;
	spinout_start(&w->xw_so);
	return true;
}

static void
xc_watch(struct xc_watch *w, const char *waiter)
{
	uint64_t head;
	bool highpri;

	if (!LOCKDEBUG || lockdebug_spinout_cycles == 0 ||
	    (++w->xw_n & 1023) != 0)
		return;
	head = __atomic_load_n(&xc_headp, __ATOMIC_ACQUIRE);
	highpri = (__atomic_load_n(&xc_flags, __ATOMIC_RELAXED) &
	    XC_HIGHPRI) != 0;
	if (head != w->xw_ticket || !highpri ||
	    __atomic_load_n(&xc_donep, __ATOMIC_ACQUIRE) >= head ||
	    __atomic_load_n(&xc_headp, __ATOMIC_ACQUIRE) != head) {
		w->xw_ticket = head;	/* another call, or none: restart */
		w->xw_allran = false;
		spinout_start(&w->xw_so);
	} else if (spinout_tick(&w->xw_so) && !xc_wait_on(w, head))
		xc_spinout(waiter, head);
}

static uint64_t
xc_send(u_int flags, xcfunc_t func, void *arg1, void *arg2,
    struct cpu_info *target)
{
	struct cpu_info *self, *ci;
	CPU_INFO_ITERATOR cii;
	struct xc_watch w = { 0 };
	uint64_t ticket;
	int s, ipl __diagused;

	KASSERTMSG((curcpu_spin_state(&ipl), ipl == IPL_NONE),
	    "cross-call at IPL %d: this CPU could not answer others' calls",
	    ipl);
	while (__atomic_exchange_n(&xc_busy, 1, __ATOMIC_ACQUIRE) != 0) {
		SPINLOCK_BACKOFF_HOOK;	/* interrupts on: answer IPIs */
		xc_watch(&w, "xc_send");
	}

	/* Stay on this CPU while it sends and runs its share. */
	s = splhigh();
	self = curcpu();
	xc_func = func;
	xc_arg1 = arg1;
	xc_arg2 = arg2;
	if (!xc_threads_ready)
		flags |= XC_HIGHPRI;	/* early boot: no threads yet */
	__atomic_store_n(&xc_flags, flags, __ATOMIC_RELAXED);
	__atomic_store_n(&xc_pending, target != NULL ? 1 : ncpu,
	    __ATOMIC_RELAXED);
	ticket = __atomic_add_fetch(&xc_headp, 1, __ATOMIC_RELEASE);
	CPU_INFO_FOREACH(cii, ci)
		if (target == NULL || ci == target)
			__atomic_store_n(&xc_want[cii], ticket,
			    __ATOMIC_RELEASE);
	if (!(flags & XC_HIGHPRI)) {
		splx(s);
		CPU_INFO_FOREACH(cii, ci) {
			struct xc_thread *xt = &xc_threads[cii];

			if (target != NULL && ci != target)
				continue;
			mutex_enter(&xt->xc_lock);
			xt->xc_work = true;
			cv_signal(&xt->xc_cv);
			mutex_exit(&xt->xc_lock);
		}
		return ticket;
	}
	CPU_INFO_FOREACH(cii, ci)
		if ((target == NULL || ci == target) && ci != self)
			cpu_send_ipi(ci, IPI_XCALL);
	if (target == NULL || target == self)
		xc_run();
	splx(s);
	return ticket;
}

uint64_t
xc_broadcast(u_int flags, xcfunc_t func, void *arg1, void *arg2)
{
	return xc_send(flags, func, arg1, arg2, NULL);
}

uint64_t
xc_unicast(u_int flags, xcfunc_t func, void *arg1, void *arg2,
    struct cpu_info *ci)
{
	KASSERT(ci != NULL);
	return xc_send(flags, func, arg1, arg2, ci);
}

/* Wait until call `where` (and all before it) has run everywhere. */
void
xc_wait(uint64_t where)
{
	struct xc_watch w = { 0 };
	int ipl __diagused;

	KASSERT((curcpu_spin_state(&ipl), ipl == IPL_NONE));
	while (__atomic_load_n(&xc_donep, __ATOMIC_ACQUIRE) < where) {
		SPINLOCK_BACKOFF_HOOK;
		xc_watch(&w, "xc_wait");
	}
}

/* The IPI_XCALL handler (interrupts disabled). */
void
xc_ipi_handler(void)
{
	u_int i = cpu_index(curcpu());

	if (__atomic_load_n(&xc_want[i], __ATOMIC_ACQUIRE) <= xc_ran[i])
		return;			/* stale or duplicate IPI */
	xc_run();
}

/* A CPU's low-priority cross-call thread: wait for work, run it. */
static void
xc_thread(void *arg)
{
	struct xc_thread *xt = arg;

	for (;;) {
		mutex_enter(&xt->xc_lock);
		while (!xt->xc_work)
			cv_wait(&xt->xc_cv, &xt->xc_lock);
		xt->xc_work = false;
		mutex_exit(&xt->xc_lock);
		xc_run();
	}
}

/* Start each CPU's xcall thread (once every CPU runs). */
void
xc_init(void)
{
	struct cpu_info *ci;
	CPU_INFO_ITERATOR cii;

	CPU_INFO_FOREACH(cii, ci) {
		struct xc_thread *xt = &xc_threads[cii];

		mutex_init(&xt->xc_lock, MUTEX_SPIN, IPL_VM, "xc_lock");
		cv_init(&xt->xc_cv, "xcall");
		if (kthread_create(PRI_KTHREAD, 0, ci, xc_thread, xt,
		    NULL, "xcall/%u", cii) != 0)
			panic("xc_init: no memory for the xcall threads");
	}
	xc_threads_ready = true;
}

/*
 * sys/trace.h: the kernel's event trace (kern_trace.c; docs/trace.md).
 *
 * Each CPU has a ring of fixed-size records (struct trace_rec), written
 * only by code running on that CPU, without locks: a writer claims a
 * slot with one atomic increment of the ring's head and fills it in.
 * Classes of events are chosen by the boot option trace=CLASS,... and
 * at run time by sysctl kern.trace (the program /bin/trace):
 *
 *   sched  context switches, wakeups, migrations (and their reasons)
 *   runq   run-queue enqueue and dequeue
 *   sleep  sleep-queue enqueue (wchan, wmesg, bucket) and removal
 *   lock   mutex contention (wait begin/end), turnstile block/wake,
 *          priority lending
 *   park   _lwp_park and _lwp_unpark
 *   lwp    LWP create and exit, process names (exec); sched records
 *          these too, to name its LWPs
 *   intr   interrupts, entry and exit (clock, device, IPIs), from the
 *          arch's interrupt code; IPIs sent (cpu_send_ipi)
 *   syscall  system-call entry (number, first arguments) and exit
 *          (return value or errno), from the MI dispatcher sy_invoke
 *          (sys/syscallvar.h)
 *   all    every class but syscall, which is asked for by name (its
 *          records would push the others out of the rings); off (or
 *          0): none
 *
 * The hooks are one line each, at NetBSD's names for the places
 * (mi_switch, setrunnable1, sched_enqueue, sleepq_enqueue, ...):
 *
 *	TRACE_SWITCH(l, newl);
 *
 * Off (the default), a hook is a test of trace_mask in memory and a
 * branch not taken.  Hooks pass what is live there anyway (the LWP, not
 * fields of it the trace function can read), so that the compiler
 * keeps no more registers for them.  Built with TRACE=0 (make TRACE=0), the hooks
 * compile to nothing.  On panic, trace_flight_print() prints each CPU's
 * last events (the flight recorder).  At power-off (reboot(2)) the rings
 * go out, raw, on the machine's auxiliary port (cpu_trace_port_write),
 * when there is one; tools/trace/ turns them into pictures.
 *
 * Record layout: the converter (tools/trace/lwptrace.py) reads exactly
 * this, little-endian, TRACE_RECSIZE bytes a record.
 */
#ifndef _SYS_TRACE_H_
#define _SYS_TRACE_H_

#include <sys/types.h>

/* Classes (trace_mask bits). */
#define TRC_SCHED	0x01
#define TRC_RUNQ	0x02
#define TRC_SLEEP	0x04
#define TRC_LOCK	0x08
#define TRC_PARK	0x10
#define TRC_LWP		0x20
#define TRC_INTR	0x40
#define TRC_SYSCALL	0x80
#define TRC_ALL		0x7f	/* "all": every class but TRC_SYSCALL */

/* Record types (tr_type); the converter knows the same numbers. */
#define TR_SWITCH	1	/* lwp=prev v0=next a=prev state b=why
				 * c=prev prio | next prio << 16 */
#define TR_WAKEUP	2	/* lwp=woken v0=waker a=target cpu
				 * b=its old cpu c=prio */
#define TR_ENQUEUE	3	/* lwp a=cpu of the queue c=prio */
#define TR_DEQUEUE	4	/* lwp a=cpu of the queue c=prio */
#define TR_MIGRATE	5	/* lwp a=from b=to c=reason (TRM_*) */
#define TR_SLEEP	6	/* lwp v0=wchan v1=wmesg (string)
				 * v2=sleep queue c=prio */
#define TR_UNSLEEP	7	/* lwp v0=wchan v1=wmesg v2=waker */
#define TR_TSBLOCK	8	/* lwp v0=lock v1=owner c=prio
				 * b: owner's prio before lending */
#define TR_TSWAKE	9	/* lwp (woken) v0=lock v2=waker */
#define TR_LENDPRI	10	/* lwp c=lent priority (-1: taken back)
				 * b: its own priority */
#define TR_LOCKWAIT	11	/* lwp v0=lock v1=name (string) a=spin */
#define TR_LOCKDONE	12	/* lwp v0=lock v1=name a=spin
				 * v2=cycles waited */
#define TR_PARK		13	/* lwp */
#define TR_UNPARK	14	/* lwp=unparker v0=target */
#define TR_CREATE	15	/* lwp=new v0=creator */
#define TR_EXIT		16	/* lwp */
#define TR_COMM		17	/* lwp=pid<<32|lid (lid 0: the process)
				 * v1,v2: the name, 16 bytes */
#define TR_STR		18	/* v0=address v1,v2: the string there */
#define TR_HEADER	19	/* dump: a=version b=ncpu v0=TSC Hz
				 * v1=magic v2=records per ring */
#define TR_RING		20	/* dump: a=cpu v0=records written
				 * v1=records that follow */
#define TR_END		21	/* dump: the last record */
#define TR_INTR		22	/* a=kind (TRI_*) c=vector */
#define TR_INTREND	23	/* a=kind c=vector */
#define TR_SYS_ENTER	24	/* lwp c=number b=its arguments (0: no such
				 * call) v0,v1,v2=the first three */
#define TR_SYS_EXIT	25	/* lwp c=number v0=return value
				 * v1=error (0, an errno, ERESTART or
				 * EJUSTRETURN) */
#define TR_IPISEND	26	/* lwp (sender) a=kind (TRI_IPI + IPI_*)
				 * b=target cpu c=vector */
#define TR_NTYPES	27

/* TR_INTR's kinds. */
#define TRI_CLOCK	1	/* the clock interrupt (hardclock) */
#define TRI_DEVICE	2	/* a device's */
#define TRI_IPI		3	/* an IPI: TRI_IPI + IPI_RESCHED, ... */

/* TR_SWITCH's why. */
#define TRW_PREEMPT	1	/* involuntary (LP_PREEMPTING) */
#define TRW_YIELD	2	/* still runnable, gave the CPU up */
#define TRW_SLEEP	3
#define TRW_EXIT	4
#define TRW_STOP	5	/* stopped or suspended */
#define TRW_IDLE	6	/* the idle LWP found work */

/* TR_MIGRATE's reason. */
#define TRM_TAKECPU	1	/* a wakeup chose another CPU */
#define TRM_STEAL	2	/* an idle CPU took it (sched_catchlwp) */
#define TRM_BALANCE	3	/* ... from the balancer's busiest CPU */
#define TRM_AFFINITY	4	/* lwp_migrate (affinity, or asked) */

#define TRACE_MAGIC	0x4543415254504c57ULL	/* "WLPTRACE" */
#define TRACE_VERSION	1
#define TRACE_IDLE_PID	0xffffffffu	/* an idle LWP: lid = its CPU */

struct trace_rec {
	uint64_t	tr_tsc;		/* cpu_counter() */
	uint8_t		tr_type;	/* TR_* */
	uint8_t		tr_cpu;		/* where it was written */
	uint8_t		tr_a, tr_b;
	int32_t		tr_c;
	uint64_t	tr_lwp;		/* pid << 32 | lid (trace_id) */
	uint64_t	tr_v[3];
};
#define TRACE_RECSIZE	48

#ifdef _KERNEL
struct lwp;
struct cpu_info;
struct proc;
struct kmutex;

#ifndef TRACE
#define TRACE		1
#endif

extern u_int trace_mask;		/* a: TRC_* classes on (read
					 * plainly: a hint, and one test) */

void	trace_init(void);
int	trace_setclasses(const char *spec, bool boot);
size_t	trace_getclasses(char *buf, size_t len);
void	trace_flight_print(void);
void	trace_dump(void);
size_t	trace_read(u_int, struct trace_rec *, size_t, uint64_t *);

void	trace_switch(struct lwp *, struct lwp *);
void	trace_wakeup(struct lwp *, struct cpu_info *);
void	trace_runq(int, struct lwp *);
void	trace_sleep(struct lwp *, const void *);
void	trace_unsleep(struct lwp *);
void	trace_lendpri(struct lwp *, int);
uint64_t trace_lockwait(const struct kmutex *, bool);
void	trace_lockdone(const struct kmutex *, bool, uint64_t);
void	trace_park(void);
void	trace_unpark(struct lwp *);
void	trace_create(struct lwp *, struct lwp *);
void	trace_exit(struct lwp *);
void	trace_comm(struct proc *);
void	trace_intr(int, int, int);
void	trace_ipisend(struct cpu_info *, int, int);
void	trace_sys_enter(struct lwp *, u_long, const register_t *);
void	trace_sys_exit(struct lwp *, u_long, register_t, int);

#if TRACE
#define TRACE_ON(cls)		__predict_false(trace_mask & (cls))
#define TRACE_HOOK(cls, call)	do {				\
	if (TRACE_ON(cls))					\
		call;						\
} while (0)
#else
/* (Still compiled, as dead code: the hooks keep their types checked and
 * what they name used.) */
#define TRACE_ON(cls)		0
#define TRACE_HOOK(cls, call)	do {				\
	if (0)							\
		call;						\
} while (0)
#endif

/* The hooks, by where they stand. */
#define TRACE_SWITCH(l, newl)	TRACE_HOOK(TRC_SCHED, trace_switch(l, newl))
#define TRACE_WAKEUP(l, ci)	TRACE_HOOK(TRC_SCHED, trace_wakeup(l, ci))
#define TRACE_RUNQ(op, l)	\
	TRACE_HOOK(TRC_RUNQ | TRC_SCHED, trace_runq(op, l))
#define TRACE_SLEEP(l, sq)	\
	TRACE_HOOK(TRC_SLEEP | TRC_LOCK, trace_sleep(l, sq))
#define TRACE_UNSLEEP(l)	\
	TRACE_HOOK(TRC_SLEEP | TRC_LOCK, trace_unsleep(l))
#define TRACE_LENDPRI(l, pri)	TRACE_HOOK(TRC_LOCK, trace_lendpri(l, pri))
#define TRACE_LOCKWAIT(mtx, spin)	\
	(TRACE_ON(TRC_LOCK) ? trace_lockwait(mtx, spin) : 0)
#define TRACE_LOCKDONE(mtx, spin, t0)	do {			\
	if (TRACE && (t0) != 0)					\
		trace_lockdone(mtx, spin, t0);			\
} while (0)
#define TRACE_PARK()		TRACE_HOOK(TRC_PARK, trace_park())
#define TRACE_UNPARK(t)		TRACE_HOOK(TRC_PARK, trace_unpark(t))
/* (Also with sched: they name the LWPs its records show.) */
#define TRACE_CREATE(l, l2)	\
	TRACE_HOOK(TRC_LWP | TRC_SCHED, trace_create(l, l2))
#define TRACE_EXIT(l)		TRACE_HOOK(TRC_LWP | TRC_SCHED, trace_exit(l))
#define TRACE_COMM(p)		TRACE_HOOK(TRC_LWP | TRC_SCHED, trace_comm(p))
/* (Interrupts: the arch's interrupt code calls trace_intr itself, on a
 * path of its own chosen by TRACE_ON(TRC_INTR).  System calls: the MI
 * dispatcher sy_invoke takes its slow path, which calls trace_sys_enter
 * and trace_sys_exit, while the class is on: sys/syscallvar.h.) */

/* The auxiliary port the rings go out on at power-off (the arch's:
 * a second serial port on a PC): false if the machine has none. */
bool	cpu_trace_port_write(const void *buf, size_t len);
#endif /* _KERNEL */

#endif /* !_SYS_TRACE_H_ */

/*
 * sys/trace_ring.h: the event trace's per-CPU rings, as kern_trace.c
 * (which writes them) and kern_tracedump.c (the flight recorder and the
 * dump at power-off, which read them) share them.  Kernel-internal: the
 * hooks' interface is sys/trace.h.  tools/gdb/kernel.py's trace-dump
 * reads the same layout.
 */
#ifndef _SYS_TRACE_RING_H_
#define _SYS_TRACE_RING_H_

#include <sys/param.h>
#include <sys/cpu.h>		/* MAXCPUS */
#include <sys/trace.h>

#define TRACE_NREC	16384		/* records per CPU, a power of 2 */
#define TRACE_FLIGHT	20		/* events per CPU the flight
					 * recorder prints */

struct lwp;

struct trace_ring {
	volatile uint64_t tr_head;	/* a: records ever claimed */
	const struct lwp *tc_lastdeq;	/* s: the last LWP this CPU took
					 * off a run queue */
	int		tc_lastdeqcpu;	/* s: and whose queue */
	struct trace_rec tr_recs[TRACE_NREC];
};

extern struct trace_ring *trace_rings[MAXCPUS];	/* (set once, then ( */

/* The records of r to read, at most max of the newest: the index of the
 * first; *headp gets the head (one past the last). */
uint64_t trace_window(const struct trace_ring *, uint64_t, uint64_t *);

/* Fill record tr with a name / with l's process's name (kern_trace.c). */
void	trace_name(struct trace_rec *, const char *);
void	trace_comm_lwp(struct trace_rec *, const struct lwp *);

#endif /* !_SYS_TRACE_RING_H_ */

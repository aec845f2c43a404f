/*
 * kern_tracedump.c: reading the event trace's rings (kern_trace.c
 * writes them): the flight recorder, each CPU's last events printed in
 * a panic, and the dump of every ring on the second serial port at
 * power-off, which tools/trace/lwptrace.py converts (docs/trace.md).
 * Split from kern_trace.c so that each file reads top to bottom.
 */
#include <sys/systm.h>
#include <sys/bootopt.h>
#include <sys/cpu.h>
#include <sys/cpu_counter.h>
#include <sys/errno.h>
#include <sys/param.h>
#include <sys/pmap.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/syncobj.h>
#include <sys/syscallvar.h>
#include <sys/trace.h>
#include <sys/trace_ring.h>
#include <sys/vm_page.h>


/* ---- the flight recorder -------------------------------------------------- */

static const char *const trace_names[TR_NTYPES] = {
	[TR_SWITCH] = "switch", [TR_WAKEUP] = "wakeup",
	[TR_ENQUEUE] = "enqueue", [TR_DEQUEUE] = "dequeue",
	[TR_MIGRATE] = "migrate", [TR_SLEEP] = "sleep",
	[TR_UNSLEEP] = "unsleep", [TR_TSBLOCK] = "ts-block",
	[TR_TSWAKE] = "ts-wake", [TR_LENDPRI] = "lendpri",
	[TR_LOCKWAIT] = "lock-wait", [TR_LOCKDONE] = "lock-got",
	[TR_PARK] = "park", [TR_UNPARK] = "unpark", [TR_CREATE] = "create",
	[TR_EXIT] = "exit", [TR_COMM] = "comm", [TR_INTR] = "intr",
	[TR_INTREND] = "intr-end", [TR_SYS_ENTER] = "sys-enter",
	[TR_SYS_EXIT] = "sys-exit", [TR_IPISEND] = "ipi-send",
};
static const char *const trace_intr_kinds[] = {
	"", "clock", "device", "resched-ipi", "xcall-ipi",
};
static const char *const trace_why[] = {
	"", "preempt", "yield", "sleep", "exit", "stop", "idle",
};
static const char *const trace_mig[] = {
	"", "takecpu", "steal", "balance", "affinity",
};

/* An LWP id as "pid.lid", or "idle/N". */
static char *
trace_fmtid(char *buf, size_t len, uint64_t id)
{
	if ((id >> 32) == TRACE_IDLE_PID)
		snprintf(buf, len, "idle/%u", (u_int)id);
	else
		snprintf(buf, len, "%u.%u", (u_int)(id >> 32), (u_int)id);
	return buf;
}

/* System call `code`'s name. */
static const char *
trace_sysname(int32_t code)
{
	if (code < 0 || code >= SYS_MAXSYSCALL || sysent[code].sy_name == NULL)
		return "?";
	return sysent[code].sy_name;
}

/* A string a record points at, if it is in the kernel image. */
static const char *
trace_str(uint64_t p)
{
	extern char kernel_text[], kernel_end[];	/* boot/kernel.ld */

	if (p == 0)
		return "-";
	if (p < (uintptr_t)kernel_text || p >= (uintptr_t)kernel_end)
		return "?";
	return (const char *)(uintptr_t)p;
}

static void
trace_print_rec(const struct trace_rec *tr, uint64_t now, uint64_t hz)
{
	char a[24], b[24];
	uint64_t ago = now - tr->tr_tsc;
	int i;
	const char *name = tr->tr_type < TR_NTYPES &&
	    trace_names[tr->tr_type] != NULL ? trace_names[tr->tr_type] : "?";

	/* microseconds before `now` (cycles if the rate is unknown) */
	if (hz != 0)
		ago = ago * 1000000 / hz;
	printf("  cpu%u %9llu%s %-9s %-8s", tr->tr_cpu,
	    (unsigned long long)ago, hz != 0 ? "us" : "cy", name,
	    trace_fmtid(a, sizeof(a), tr->tr_lwp));
	switch (tr->tr_type) {
	case TR_SWITCH:
		printf(" %s -> %s", tr->tr_b < __arraycount(trace_why) ?
		    trace_why[tr->tr_b] : "?",
		    trace_fmtid(b, sizeof(b), tr->tr_v[0]));
		break;
	case TR_WAKEUP:
		printf(" by %s, to cpu%u", trace_fmtid(b, sizeof(b),
		    tr->tr_v[0]), tr->tr_a);
		break;
	case TR_ENQUEUE:
	case TR_DEQUEUE:
		printf(" cpu%u pri %d", tr->tr_a, tr->tr_c);
		break;
	case TR_MIGRATE:
		printf(" cpu%u -> cpu%u (%s)", tr->tr_a, tr->tr_b,
		    (u_int)tr->tr_c < __arraycount(trace_mig) ?
		    trace_mig[tr->tr_c] : "?");
		break;
	case TR_SLEEP:
	case TR_UNSLEEP:
		printf(" %s %#llx", trace_str(tr->tr_v[1]),
		    (unsigned long long)tr->tr_v[0]);
		break;
	case TR_TSBLOCK:
		printf(" on %#llx owner %s pri %d", (unsigned long long)
		    tr->tr_v[0], trace_fmtid(b, sizeof(b), tr->tr_v[1]),
		    tr->tr_c);
		break;
	case TR_LENDPRI:
		printf(" lent %d", tr->tr_c);
		break;
	case TR_LOCKWAIT:
	case TR_LOCKDONE:
		printf(" %s %s", tr->tr_a ? "spin" : "adaptive",
		    trace_str(tr->tr_v[1]));
		break;
	case TR_UNPARK:
		printf(" %s", trace_fmtid(b, sizeof(b), tr->tr_v[0]));
		break;
	case TR_INTR:
	case TR_INTREND:
		printf(" %s vec %d", tr->tr_a < __arraycount(trace_intr_kinds) ?
		    trace_intr_kinds[tr->tr_a] : "?", tr->tr_c);
		break;
	case TR_IPISEND:
		printf(" %s to cpu%u", tr->tr_a < __arraycount(trace_intr_kinds) ?
		    trace_intr_kinds[tr->tr_a] : "?", tr->tr_b);
		break;
	case TR_SYS_ENTER:	/* the arguments it takes, of those kept */
		printf(" %d %s(", tr->tr_c, trace_sysname(tr->tr_c));
		for (i = 0; i < MIN(tr->tr_b, 3); i++)
			printf("%s%#llx", i == 0 ? "" : ", ",
			    (unsigned long long)tr->tr_v[i]);
		printf("%s)", tr->tr_b > 3 ? ", ..." : "");
		break;
	case TR_SYS_EXIT:
		if (tr->tr_v[1] == 0)
			printf(" %d %s = %lld", tr->tr_c, trace_sysname(tr->tr_c),
			    (long long)tr->tr_v[0]);
		else
			printf(" %d %s error %lld", tr->tr_c,
			    trace_sysname(tr->tr_c), (long long)tr->tr_v[1]);
		break;
	}
	printf("\n");
}

/*
 * panic(), after the backtraces: each CPU's last TRACE_FLIGHT events,
 * oldest first.  The other CPUs are stopped.
 */
void
trace_flight_print(void)
{
	uint64_t now = 0, hz = cpu_frequency(), head, i;
	u_int c;
	char buf[64];

	/* Times are counted back from the last event of all. */
	for (c = 0; c < MAXCPUS; c++)
		if (trace_rings[c] != NULL && (head = trace_rings[c]->tr_head))
			now = MAX(now, trace_rings[c]->tr_recs[(head - 1) &
			    (TRACE_NREC - 1)].tr_tsc);
	trace_getclasses(buf, sizeof(buf));
	printf("flight recorder: each CPU's last events, oldest first, time "
	    "before the last one (trace classes: %s)\n", buf);
	for (c = 0; c < MAXCPUS; c++) {
		struct trace_ring *r = trace_rings[c];

		if (r == NULL)
			continue;
		i = trace_window(r, TRACE_FLIGHT, &head);
		printf(" cpu%u: %llu events, the last %llu:\n", c,
		    (unsigned long long)head, (unsigned long long)(head - i));
		for (; i < head; i++)
			trace_print_rec(&r->tr_recs[i & (TRACE_NREC - 1)],
			    now, hz);
	}
	if (trace_rings[0] == NULL)
		printf(" (nothing recorded: boot with trace=all, or run "
		    "/bin/trace, to record)\n");
}

/* ---- the dump at power-off ------------------------------------------------ */

static void
trace_put(const struct trace_rec *tr)
{
	(void)cpu_trace_port_write(tr, sizeof(*tr));
}

/* The string at p, once, as TR_STR records (seen: what went out). */
static void
trace_put_str(uint64_t p, uint64_t *seen, u_int *nseen, u_int max)
{
	struct trace_rec tr;
	const char *s = trace_str(p);
	u_int i;

	if (p == 0 || s[0] == '?')
		return;
	for (i = 0; i < *nseen; i++)
		if (seen[i] == p)
			return;
	if (*nseen < max)
		seen[(*nseen)++] = p;
	memset(&tr, 0, sizeof(tr));
	tr.tr_type = TR_STR;
	tr.tr_v[0] = p;
	trace_name(&tr, s);
	trace_put(&tr);
}

/*
 * reboot(2), before the machine stops: every ring, oldest record
 * first, then the names of every LWP and the strings the records point
 * at, on the auxiliary port.  Nothing if nothing was ever traced or
 * there is no such port.
 */
void
trace_dump(void)
{
	static uint64_t seen[256];
	struct trace_rec tr;
	u_int c, nseen = 0;
	uint64_t head, i;
	lwp_t *l;

	if (trace_rings[0] == NULL)
		return;
	__atomic_store_n(&trace_mask, 0, __ATOMIC_RELAXED);
	memset(&tr, 0, sizeof(tr));
	tr.tr_type = TR_HEADER;
	tr.tr_a = TRACE_VERSION;
	tr.tr_b = ncpu;
	tr.tr_tsc = cpu_counter();
	tr.tr_v[0] = cpu_frequency();
	tr.tr_v[1] = TRACE_MAGIC;
	tr.tr_v[2] = TRACE_NREC;
	if (!cpu_trace_port_write(&tr, sizeof(tr)))
		return;
	printf("trace: writing the rings to the trace port\n");
	for (c = 0; c < MAXCPUS; c++) {
		struct trace_ring *r = trace_rings[c];

		if (r == NULL)
			continue;
		i = trace_window(r, TRACE_NREC, &head);
		memset(&tr, 0, sizeof(tr));
		tr.tr_type = TR_RING;
		tr.tr_a = c;
		tr.tr_v[0] = head;
		tr.tr_v[1] = head - i;
		trace_put(&tr);
		for (; i < head; i++)
			trace_put(&r->tr_recs[i & (TRACE_NREC - 1)]);
	}
	/* Names: every LWP there is now (the records name those gone). */
	mutex_spin_enter(&alllwp_lock);
	LIST_FOREACH(l, &alllwp, l_list) {
		memset(&tr, 0, sizeof(tr));
		trace_comm_lwp(&tr, l);
		trace_put(&tr);
	}
	mutex_spin_exit(&alllwp_lock);
	for (c = 0; c < MAXCPUS; c++) {
		struct trace_ring *r = trace_rings[c];

		if (r == NULL)
			continue;
		for (i = trace_window(r, TRACE_NREC, &head); i < head; i++) {
			const struct trace_rec *t =
			    &r->tr_recs[i & (TRACE_NREC - 1)];

			if (t->tr_type == TR_SLEEP || t->tr_type == TR_UNSLEEP ||
			    t->tr_type == TR_LOCKWAIT ||
			    t->tr_type == TR_LOCKDONE)
				trace_put_str(t->tr_v[1], seen, &nseen,
				    __arraycount(seen));
		}
	}
	memset(&tr, 0, sizeof(tr));
	tr.tr_type = TR_END;
	trace_put(&tr);
}

/*
 * For tests: copy CPU cpu's last records (at most max, oldest first)
 * into buf; returns how many.  *total (if not NULL) gets how many that
 * CPU ever wrote.
 */
size_t
trace_read(u_int cpu, struct trace_rec *buf, size_t max, uint64_t *total)
{
	struct trace_ring *r = cpu < MAXCPUS ? trace_rings[cpu] : NULL;
	uint64_t head, n, i;

	if (total != NULL)
		*total = r != NULL ? r->tr_head : 0;
	if (r == NULL)
		return 0;
	for (i = trace_window(r, max, &head), n = 0; i < head; i++)
		buf[n++] = r->tr_recs[i & (TRACE_NREC - 1)];
	return n;
}

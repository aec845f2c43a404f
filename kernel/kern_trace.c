/*
 * kern_trace.c: the kernel's event trace (sys/trace.h; docs/trace.md).
 *
 * Rings.  trace_rings[i] is CPU i's ring, TRACE_NREC records, allocated
 * the first time any class is switched on (trace=... at boot, or sysctl
 * kern.trace), so a kernel that never traces spends no memory on it;
 * they are pages straight from vm_page.
 * Rings are never freed; the first of two racing allocations wins.  A record is written by claiming a slot with
 * an atomic increment of tr_head (no lock: an interrupt on the same CPU
 * claims the next slot, and a writer preempted between curcpu() and the
 * increment writes into the ring of the CPU it read, in a slot it alone
 * claimed), then filling it in.  The ring keeps the newest TRACE_NREC
 * records; tr_head counts every record ever written.
 *
 * Readers (the flight recorder, the dump at power-off) run when the
 * other CPUs are stopped or quiet, and read without a lock: a record
 * being written at that moment may come out torn, which a trace can
 * afford.
 *
 * LWPs are named by trace_id(): pid << 32 | lid, and an idle LWP
 * TRACE_IDLE_PID << 32 | its CPU's index.
 *
 * Migrations: those a wakeup makes (sched_takecpu) are seen in
 * trace_wakeup; those an idle CPU makes (sched_catchlwp steals,
 * sched_idle_migrate finishes an lwp_migrate) are seen as a dequeue on
 * one CPU's queue followed, on the same CPU, by an enqueue of the same
 * LWP on another's (tc_lastdeq).
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

BOOTOPT("trace", "trace event classes from boot: sched,runq,sleep,lock,"
    "park,lwp,intr,syscall or all (all but syscall; docs/trace.md)");

#define TRACE_RING_PAGES	atop(round_page(sizeof(struct trace_ring)))

u_int trace_mask;				/* a */
struct trace_ring *trace_rings[MAXCPUS];	/* (set once, then ( */

static const struct {
	const char	*name;
	u_int		mask;
} trace_classes[] = {
	{ "sched", TRC_SCHED }, { "runq", TRC_RUNQ }, { "sleep", TRC_SLEEP },
	{ "lock", TRC_LOCK }, { "park", TRC_PARK }, { "lwp", TRC_LWP },
	{ "intr", TRC_INTR }, { "syscall", TRC_SYSCALL },
};

/* ---- writing ------------------------------------------------------------- */

/* The newest min(max, what r keeps) records of r: the index of the first
 * (records are r->tr_recs[i & (TRACE_NREC - 1)]); *headp gets the end. */
uint64_t
trace_window(const struct trace_ring *r, uint64_t max, uint64_t *headp)
{
	uint64_t head = r->tr_head;

	*headp = head;
	return head - MIN(MIN(head, (uint64_t)TRACE_NREC), max);
}

static inline uint64_t
trace_id(const struct lwp *l)
{
	if (l == NULL)
		return 0;
	if (l->l_flag & LW_IDLE)
		return (uint64_t)TRACE_IDLE_PID << 32 | cpu_index(l->l_cpu);
	return (uint64_t)(uint32_t)l->l_proc->p_pid << 32 | (uint32_t)l->l_lid;
}

/* Claim the next record of this CPU's ring, stamped; NULL if none. */
static struct trace_rec *
trace_claim(int type, const struct lwp *l)
{
	struct cpu_info *ci = curcpu();
	struct trace_ring *r = trace_rings[cpu_index(ci)];
	struct trace_rec *tr;
	uint64_t n;

	if (r == NULL)
		return NULL;
	n = __atomic_fetch_add(&r->tr_head, 1, __ATOMIC_RELAXED);
	tr = &r->tr_recs[n & (TRACE_NREC - 1)];
	tr->tr_tsc = cpu_counter();
	tr->tr_type = type;
	tr->tr_cpu = cpu_index(ci);
	tr->tr_a = tr->tr_b = 0;
	tr->tr_c = 0;
	tr->tr_lwp = trace_id(l);
	tr->tr_v[0] = tr->tr_v[1] = tr->tr_v[2] = 0;
	return tr;
}

static void
trace_migrate(const struct lwp *l, u_int from, u_int to, int why)
{
	struct trace_rec *tr = trace_claim(TR_MIGRATE, l);

	if (tr == NULL)
		return;
	tr->tr_a = from;
	tr->tr_b = to;
	tr->tr_c = why;
}

/* mi_switch: l gives the CPU to newl (l's l_stat already says why). */
void
trace_switch(struct lwp *l, struct lwp *newl)
{
	struct trace_rec *tr = trace_claim(TR_SWITCH, l);
	int why;

	if (tr == NULL)
		return;
	switch (l->l_stat) {
	case LSRUN:
		why = (l->l_pflag & LP_PREEMPTING) ? TRW_PREEMPT : TRW_YIELD;
		break;
	case LSSLEEP:
		why = TRW_SLEEP;
		break;
	case LSZOMB:
		why = TRW_EXIT;
		break;
	case LSSTOP:
	case LSSUSPENDED:
		why = TRW_STOP;
		break;
	default:
		why = (l->l_flag & LW_IDLE) ? TRW_IDLE : 0;
	}
	tr->tr_a = l->l_stat;
	tr->tr_b = why;
	tr->tr_c = (uint16_t)((l->l_flag & LW_IDLE) ? PRI_IDLE : lwp_eprio(l)) |
	    (uint32_t)(uint16_t)((newl->l_flag & LW_IDLE) ? PRI_IDLE :
	    lwp_eprio(newl)) << 16;
	tr->tr_v[0] = trace_id(newl);
	if (l->l_flag & LW_SINTR)
		tr->tr_v[1] = 1;	/* interruptible sleep */
}

/* setrunnable1: l wakes up and will run on ci. */
void
trace_wakeup(struct lwp *l, struct cpu_info *ci)
{
	struct trace_rec *tr = trace_claim(TR_WAKEUP, l);

	if (tr == NULL)
		return;
	tr->tr_a = cpu_index(ci);
	tr->tr_b = cpu_index(l->l_cpu);
	tr->tr_c = lwp_eprio(l);
	tr->tr_v[0] = trace_id(curlwp);
	if (ci != l->l_cpu)
		trace_migrate(l, cpu_index(l->l_cpu), cpu_index(ci),
		    TRM_TAKECPU);
}

/* sched_enqueue, sched_dequeue (op TR_ENQUEUE or TR_DEQUEUE). */
void
trace_runq(int op, struct lwp *l)
{
	struct trace_ring *r = trace_rings[cpu_index(curcpu())];
	u_int qcpu = cpu_index(l->l_cpu);
	struct trace_rec *tr;

	if (r == NULL)
		return;
	if (op == TR_DEQUEUE) {
		r->tc_lastdeq = l;
		r->tc_lastdeqcpu = qcpu;
	} else if (r->tc_lastdeq == l) {
		r->tc_lastdeq = NULL;
		if ((u_int)r->tc_lastdeqcpu != qcpu && (trace_mask & TRC_SCHED))
			trace_migrate(l, r->tc_lastdeqcpu, qcpu,
			    l->l_cpu != curcpu() ? TRM_AFFINITY :
			    cpu_lookup(r->tc_lastdeqcpu) == worker_ci ?
			    TRM_BALANCE : TRM_STEAL);
	}
	if (!(trace_mask & TRC_RUNQ) || (tr = trace_claim(op, l)) == NULL)
		return;
	tr->tr_a = qcpu;
	tr->tr_c = lwp_eprio(l);
}

/* sleepq_enqueue: l goes to sleep on sq, l_wchan (a turnstile's: it
 * blocks on a lock that has an owner). */
void
trace_sleep(struct lwp *l, const void *sq)
{
	const syncobj_t *sobj = l->l_syncobj;
	wchan_t wchan = l->l_wchan;
	const char *wmesg = l->l_wmesg;
	struct lwp *owner = sobj->sobj_owner != syncobj_noowner ?
	    (*sobj->sobj_owner)(wchan) : NULL;
	struct trace_rec *tr;

	if (owner != NULL && (trace_mask & TRC_LOCK)) {
		if ((tr = trace_claim(TR_TSBLOCK, l)) != NULL) {
			tr->tr_v[0] = (uintptr_t)wchan;
			tr->tr_v[1] = trace_id(owner);
			tr->tr_c = lwp_eprio(l);
			tr->tr_b = (uint8_t)lwp_eprio(owner);
		}
	}
	if (!(trace_mask & TRC_SLEEP) || (tr = trace_claim(TR_SLEEP, l)) == NULL)
		return;
	tr->tr_v[0] = (uintptr_t)wchan;
	tr->tr_v[1] = (uintptr_t)wmesg;
	tr->tr_v[2] = (uintptr_t)sq;
	tr->tr_c = lwp_eprio(l);
}

/* sleepq_remove: l leaves its sleep queue (l_wchan still set). */
void
trace_unsleep(struct lwp *l)
{
	bool ts = l->l_syncobj->sobj_owner != syncobj_noowner;
	struct trace_rec *tr;

	if (!(trace_mask & (ts ? TRC_LOCK : TRC_SLEEP)) ||
	    (tr = trace_claim(ts ? TR_TSWAKE : TR_UNSLEEP, l)) == NULL)
		return;
	tr->tr_v[0] = (uintptr_t)l->l_wchan;
	tr->tr_v[1] = (uintptr_t)l->l_wmesg;
	tr->tr_v[2] = trace_id(curlwp);
}

/* sobj_lendpri: l is lent pri (-1: what was lent is taken back). */
void
trace_lendpri(struct lwp *l, int pri)
{
	struct trace_rec *tr = trace_claim(TR_LENDPRI, l);

	if (tr == NULL)
		return;
	tr->tr_c = pri;
	tr->tr_b = (uint8_t)l->l_priority;
}

/* mutex_enter/mutex_spin_enter: curlwp waits for mtx; returns the time
 * it started, for trace_lockdone. */
uint64_t
trace_lockwait(const kmutex_t *mtx, bool spin)
{
	struct trace_rec *tr = trace_claim(TR_LOCKWAIT, curlwp);

	if (tr == NULL)
		return 0;
	tr->tr_a = spin;
	tr->tr_v[0] = (uintptr_t)mtx;
	tr->tr_v[1] = (uintptr_t)mtx->mtx_name;
	return tr->tr_tsc;
}

void
trace_lockdone(const kmutex_t *mtx, bool spin, uint64_t t0)
{
	struct trace_rec *tr;

	if (t0 == 0 || (tr = trace_claim(TR_LOCKDONE, curlwp)) == NULL)
		return;
	tr->tr_a = spin;
	tr->tr_v[0] = (uintptr_t)mtx;
	tr->tr_v[1] = (uintptr_t)mtx->mtx_name;
	tr->tr_v[2] = tr->tr_tsc - t0;
}

/* _lwp_park: curlwp parks. */
void
trace_park(void)
{
	(void)trace_claim(TR_PARK, curlwp);
}

/* _lwp_unpark: curlwp unparks t. */
void
trace_unpark(struct lwp *t)
{
	struct trace_rec *tr = trace_claim(TR_UNPARK, curlwp);

	if (tr != NULL)
		tr->tr_v[0] = trace_id(t);
}

void
trace_name(struct trace_rec *tr, const char *name)
{
	char buf[16];

	memset(buf, 0, sizeof(buf));
	for (size_t i = 0; name != NULL && i < sizeof(buf) && name[i] != '\0';
	    i++)
		buf[i] = name[i];
	memcpy(&tr->tr_v[1], buf, sizeof(buf));
}

/* lwp_create: l2 is new, made by l. */
void
trace_create(struct lwp *l, struct lwp *l2)
{
	struct trace_rec *tr = trace_claim(TR_CREATE, l2);

	if (tr == NULL)
		return;
	tr->tr_v[0] = trace_id(l);
	trace_name(tr, l2->l_proc->p_pid == 0 ? l2->l_name :
	    l2->l_proc->p_comm);
}

/* lwp_exit: l (curlwp) exits. */
void
trace_exit(struct lwp *l)
{
	struct trace_rec *tr = trace_claim(TR_EXIT, l);

	if (tr != NULL)
		trace_name(tr, l->l_proc->p_pid == 0 ? l->l_name :
		    l->l_proc->p_comm);
}

/* execve: p has a new name. */
void
trace_comm(struct proc *p)
{
	struct trace_rec *tr = trace_claim(TR_COMM, NULL);

	if (tr == NULL)
		return;
	tr->tr_lwp = (uint64_t)(uint32_t)p->p_pid << 32;
	trace_name(tr, p->p_comm);
}

/* The arch's interrupt code: entry (type TR_INTR) or exit (TR_INTREND)
 * of an interrupt of kind `kind` (TRI_*) at vector vec. */
void
trace_intr(int type, int kind, int vec)
{
	struct trace_rec *tr = trace_claim(type, curlwp);

	if (tr == NULL)
		return;
	tr->tr_a = kind;
	tr->tr_c = vec;
}

/* cpu_send_ipi: curlwp's CPU sends IPI `kind` (TRI_IPI + IPI_*) at
 * vector vec to ci. */
void
trace_ipisend(struct cpu_info *ci, int kind, int vec)
{
	struct trace_rec *tr = trace_claim(TR_IPISEND, curlwp);

	if (tr == NULL)
		return;
	tr->tr_a = kind;
	tr->tr_b = cpu_index(ci);
	tr->tr_c = vec;
}

/* sy_invoke_slow: l enters system call `code` with args[0..5] (the
 * record keeps the first three). */
void
trace_sys_enter(struct lwp *l, u_long code, const register_t *args)
{
	struct trace_rec *tr = trace_claim(TR_SYS_ENTER, l);

	if (tr == NULL)
		return;
	tr->tr_c = (int32_t)code;
	tr->tr_b = code < SYS_MAXSYSCALL ? sysent[code].sy_narg : 0;
	tr->tr_v[0] = args[0];
	tr->tr_v[1] = args[1];
	tr->tr_v[2] = args[2];
}

/* sy_invoke_slow: l's system call `code` returns rval, or error. */
void
trace_sys_exit(struct lwp *l, u_long code, register_t rval, int error)
{
	struct trace_rec *tr = trace_claim(TR_SYS_EXIT, l);

	if (tr == NULL)
		return;
	tr->tr_c = (int32_t)code;
	tr->tr_v[0] = rval;
	tr->tr_v[1] = (int64_t)error;
}

/* tr names l: its own name (kernel threads, named LWPs), else its
 * process's (lid 0 in tr_lwp: the whole process). */
void
trace_comm_lwp(struct trace_rec *tr, const lwp_t *l)
{
	tr->tr_type = TR_COMM;
	tr->tr_lwp = trace_id(l);
	if (l->l_proc->p_pid != 0 && l->l_name == NULL)
		tr->tr_lwp &= ~(uint64_t)0xffffffff;
	trace_name(tr, l->l_proc->p_pid == 0 || l->l_name != NULL ?
	    l->l_name : l->l_proc->p_comm);
}

/* ---- classes ----------------------------------------------------------- */

/* Tracing starts: name every LWP there is (TR_COMM records), so that
 * those that exit before the dump are named too. */
static void
trace_name_all(void)
{
	struct trace_rec *tr;
	lwp_t *l;

	mutex_spin_enter(&alllwp_lock);
	LIST_FOREACH(l, &alllwp, l_list)
		if (!(l->l_flag & LW_IDLE) &&
		    (tr = trace_claim(TR_COMM, NULL)) != NULL)
			trace_comm_lwp(tr, l);
	mutex_spin_exit(&alllwp_lock);
}

/* Rings for every running CPU, whole pages from vm_page (not kmem:
 * they are never freed, and are no leak). */
static int
trace_alloc(void)
{
	CPU_INFO_ITERATOR cii;
	struct cpu_info *ci;
	int error = 0;
	paddr_t pa;

	CPU_INFO_FOREACH(cii, ci) {
		struct trace_ring *r, *none = NULL;

		if (trace_rings[cpu_index(ci)] != NULL)
			continue;
		if ((pa = vm_page_alloc(TRACE_RING_PAGES, 0)) == VM_PAGE_NONE) {
			error = ENOMEM;
			break;
		}
		r = pmap_direct_va(pa);
		memset(r, 0, sizeof(*r));
		/* Two at once (sysctls): the first one's ring stays. */
		if (!__atomic_compare_exchange_n(&trace_rings[cpu_index(ci)],
		    &none, r, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
			vm_page_free(pa, TRACE_RING_PAGES);
	}
	return error;
}

/*
 * Switch the classes named in spec on, all others off: "sched,lock",
 * "all" (every class but syscall: "all,syscall" is every one), "off" or
 * "" (none); ',' or '+' between names.  Returns 0, or
 * EINVAL (an unknown name: nothing changes), ENOMEM (no rings).
 */
int
trace_setclasses(const char *spec, bool boot)
{
	u_int mask = 0, i;
	const char *p = spec, *e;
	size_t n;
	int error;

	while (*p != '\0') {
		for (e = p; *e != '\0' && *e != ',' && *e != '+'; e++)
			continue;
		n = e - p;
		if (n == 3 && strncmp(p, "all", 3) == 0)
			mask |= TRC_ALL;
		else if (n == 3 && strncmp(p, "off", 3) == 0)
			;
		else if (n == 1 && *p == '0')
			;
		else if (n != 0) {
			for (i = 0; i < __arraycount(trace_classes); i++)
				if (strlen(trace_classes[i].name) == n &&
				    strncmp(p, trace_classes[i].name, n) == 0)
					break;
			if (i == __arraycount(trace_classes)) {
				if (boot)
					printf("WARNING: trace: unknown class "
					    "'%.*s'\n", (int)n, p);
				return EINVAL;
			}
			mask |= trace_classes[i].mask;
		}
		p = *e != '\0' ? e + 1 : e;
	}
	if (mask != 0 && (error = trace_alloc()) != 0)
		return error;
	if (__atomic_exchange_n(&trace_mask, mask, __ATOMIC_RELEASE) == 0 &&
	    mask != 0)
		trace_name_all();
#if TRACE
	/* The dispatcher's switch (sys/syscallvar.h): its fast path takes
	 * no call while the syscall class is on. */
	__atomic_store_n(&sy_ncall, (mask & TRC_SYSCALL) ? 0 : SYS_MAXSYSCALL,
	    __ATOMIC_RELEASE);
#endif
	return 0;
}

/* The classes on, as trace_setclasses takes them ("off": none). */
size_t
trace_getclasses(char *buf, size_t len)
{
	u_int mask = __atomic_load_n(&trace_mask, __ATOMIC_RELAXED), i;
	size_t n = 0;

	buf[0] = '\0';
	for (i = 0; i < __arraycount(trace_classes); i++)
		if ((mask & trace_classes[i].mask) && n < len)
			n += snprintf(buf + n, len - n, "%s%s", n == 0 ? "" : ",",
			    trace_classes[i].name);
	if (n == 0)
		n = strlcpy(buf, "off", len);
	return MIN(n, len - 1);
}

/* After the CPUs are up: the boot option. */
void
trace_init(void)
{
	const char *spec = bootopt_get("trace");
	char buf[64];

	if (spec == NULL)
		return;
	if (trace_setclasses(spec, true) == 0) {
		trace_getclasses(buf, sizeof(buf));
		printf("trace: %s (%u records per CPU)\n", buf, TRACE_NREC);
	}
}

/* The flight recorder and the dump at power-off: kern_tracedump.c. */

/*
 * kern_heartbeat.c: the hang detector (issue 16), in the spirit of
 * NetBSD's heartbeat(9): every CPU's clock interrupt checks, cheaply,
 * that this CPU and the next one make progress, and when they do not,
 * the kernel says so and shows where everything is, so that a hang
 * explains itself.
 *
 * "Nothing has run", in guest time (nsuptime) for hang_secs= seconds
 * (default 10; 0 turns the detector off):
 *
 *   stuck    a CPU whose run queue holds an LWP at least as urgent as
 *            the one it runs (spc_maxpriority >= spc_curpriority: round
 *            robin or preemption would have switched to it within a time
 *            slice) has not switched (ci_nswtch has not moved), while its
 *            clock ticks.  Each CPU checks itself.
 *   silent   a CPU has taken no clock interrupt: interrupts off for good,
 *            or its timer stopped; its callouts -- the timeouts of the
 *            LWPs that sleep on it -- are due and not run.  The next CPU
 *            (index + 1, round) checks it.
 *   exit     a process taking itself apart (exit1, execve: PK_WEXIT)
 *            still has other LWPs that are not zombies, and none of
 *            them became one, nor was freed: they were told to exit and
 *            do not.  CPU 0 checks, once a second (exit_stalled).
 *   asleep   (hang_idle=1 only, for test runs, where nobody types) every
 *            CPU has been idle, and nothing switched anywhere, and no
 *            user LWP can wake by itself: none sleeps with a timeout, or
 *            one's timeout is long overdue (a due callout never run).
 *            CPU 0 checks, once a second.
 *
 * A report: "hang: " lines saying which and since when, then (for the
 * first HB_MAXREPORTS reports of a boot) the LWP table with wait
 * channels (db_show_all_lwps), the reporting CPU's backtrace, and each
 * other CPU's: cpu_report_others() interrupts them with an NMI, which
 * gets through even where interrupts are off, and they go on.  When the
 * condition ends, a line says after how long ("hang: cpu1 switched
 * again after 14 s").
 *
 * Report and carry on, rather than panic: a stall that ends by itself
 * (a host that did not run a virtual CPU for a while, a very long
 * critical section) is then told apart from a hang, and the run goes on
 * to show whether anything was lost; a real hang stays hung, with its
 * report in the log and the machine still answering a debugger (gdb,
 * NMI).  Nothing ignores it: tools/test fails a scenario that prints a
 * "hang:" line it did not ask for, and the ktest watchdog and the test
 * harnesses' own time limits still end a hung run.
 *
 * heartbeat_report() (at power-off and in a panic) gives each CPU's
 * longest gap between clock interrupts: on a loaded host, how long the
 * host left a virtual CPU without running it.
 *
 * Cost: a few loads and compares per tick per CPU; the LWP walk of the
 * asleep check only once every CPU has been idle for hang_secs.
 *
 * Locking: none.  Each CPU writes its own hb_cpu slot, from its clock
 * interrupt (interrupts off); the others, and the scheduler's per-CPU
 * counters, are read as hints: a stale value delays a report by a tick.
 * Reports are serialised by hb_busy (one CPU reports at a time; another
 * tries again at its next tick).  The asleep check walks alllwp without
 * locks, as db_show_all_lwps does, and stops at anything odd.
 */
#include <sys/systm.h>
#include <sys/bootopt.h>
#include <sys/callout.h>
#include <sys/cpu.h>
#include <sys/heartbeat.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/time.h>

BOOTOPT("hang_secs", "seconds (guest time) without progress before the "
    "hang detector reports: a CPU with work queued that does not switch, "
    "a CPU whose clock stopped (default 10; 0: off)");
BOOTOPT("hang_idle", "1: the hang detector also reports every CPU idle "
    "for hang_secs while no user LWP can wake by itself (for test runs, "
    "where nobody types)");

#define HB_MAXREPORTS	4	/* full reports (tables, backtraces) a boot */
#define HB_NS		1000000000ULL

static struct hb_cpu {
	volatile uint64_t hb_tick;	/* nsuptime() at its last tick; 0:
					 * its clock has not started */
	uint64_t	hb_nswtch;	/* ci_nswtch at the last progress */
	uint64_t	hb_since;	/* ... and when */
	bool		hb_stuck;	/* reported stuck, not yet over */
	bool		hb_silent;	/* reported the next CPU silent */
	uint64_t	hb_silent_since; /* its last tick then */
	uint64_t	hb_maxgap;	/* longest time between two of its
					 * ticks (heartbeat_report) */
} __aligned(64) hb_cpu[MAXCPUS];	/* s: each CPU its own */

static uint64_t	hb_limit;		/* (: ns; 0: off */
static bool	hb_idle;		/* (: hang_idle=1 */
static volatile uint32_t hb_busy;	/* a: a report is being printed */
volatile u_int	hb_nreports;		/* a: reports so far (tests) */

/* The asleep check's state: CPU 0's. */
static uint64_t	hb_idle_since, hb_idle_nswtch, hb_idle_checked;
static bool	hb_idle_reported;

/* The exit check's state: CPU 0's. */
static struct hb_exit hb_exits[HB_NEXITS];
static uint64_t	hb_exit_checked;

/* From main(), once the command line is parsed. */
void
heartbeat_init(void)
{
	const char *v = bootopt_get("hang_secs");
	uint64_t secs = v != NULL && *v != '\0' ? strtoul(v, NULL, 10) : 10;

	hb_limit = secs * HB_NS;
	v = bootopt_get("hang_idle");
	hb_idle = v != NULL && strcmp(v, "1") == 0;
}

static uint64_t
hb_secs(uint64_t ns)
{
	return ns / HB_NS;
}

/*
 * Say what is wrong (one "hang: " line, from fmt) and, for the first
 * reports of a boot (and every one asked for: hb_asking), show
 * everything.  false if another CPU is reporting (try again next tick).
 * From the clock interrupt only: a report must not be preempted while
 * it holds the NMI reports' lock (cpu_report_others).
 */
static bool	hb_asking;		/* (CPU 0) a kern.hangreport report */

static bool __printflike(1, 2)
hb_report(const char *fmt, ...)
{
	va_list ap;
	u_int n;

	if (__atomic_exchange_n(&hb_busy, 1, __ATOMIC_ACQUIRE) != 0)
		return false;
	n = __atomic_add_fetch(&hb_nreports, 1, __ATOMIC_RELAXED);
	printf("hang: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (n <= HB_MAXREPORTS || hb_asking) {
		printf("hang: report %u: the LWPs, then every CPU's backtrace; "
		    "the system carries on\n", n);
		db_show_all_lwps();
		printf("cpu%u: reporting:\n", cpu_index(curcpu()));
		cpu_backtrace(NULL);
		cpu_report_others();
	} else if (n == HB_MAXREPORTS + 1)
		printf("hang: (no more tables and backtraces this boot)\n");
	__atomic_store_n(&hb_busy, 0, __ATOMIC_RELEASE);
	return true;
}

/* Is this CPU stuck: work waiting that deserves to run, no switch? */
static void
hb_check_self(struct cpu_info *ci, struct hb_cpu *h, uint64_t now)
{
	const struct schedstate_percpu *spc = &ci->ci_schedstate;
	u_int queued = spc->spc_count;
	pri_t best = spc->spc_maxpriority, cur = spc->spc_curpriority;
	const lwp_t *l = ci->ci_curlwp;

	if (queued == 0 || best < cur || ci->ci_nswtch != h->hb_nswtch) {
		if (h->hb_stuck) {
			printf("hang: cpu%u switched again after %llu s\n",
			    cpu_index(ci), (unsigned long long)
			    hb_secs(now - h->hb_since));
			h->hb_stuck = false;
		}
		h->hb_nswtch = ci->ci_nswtch;
		h->hb_since = now;
		return;
	}
	if (h->hb_stuck || now - h->hb_since < hb_limit)
		return;
	h->hb_stuck = hb_report("cpu%u: %u LWP%s queued (best priority %d, "
	    "running %d: LWP %d of pid %d, %s) and no context switch for "
	    "%llu s", cpu_index(ci), queued, queued == 1 ? "" : "s", best,
	    cur, l != NULL ? l->l_lid : -1,
	    l != NULL ? l->l_proc->p_pid : -1,
	    l != NULL && l->l_name != NULL ? l->l_name :
	    l != NULL ? l->l_proc->p_comm : "none",
	    (unsigned long long)hb_secs(now - h->hb_since));
}

/* Has the next CPU stopped taking clock interrupts? */
static void
hb_check_next(struct cpu_info *ci, struct hb_cpu *h, uint64_t now)
{
	u_int n = (cpu_index(ci) + 1) % ncpu;
	uint64_t t = hb_cpu[n].hb_tick;

	if (t == 0 || t >= now || now - t < hb_limit) {
		if (h->hb_silent && t != h->hb_silent_since) {
			printf("hang: cpu%u takes clock interrupts again, "
			    "after %llu s\n", n, (unsigned long long)
			    hb_secs(t - h->hb_silent_since));
			h->hb_silent = false;
		}
		return;
	}
	if (h->hb_silent)
		return;
	if (hb_report("cpu%u: no clock interrupt for %llu s (interrupts "
	    "off for good, or its timer stopped): its callouts are not run",
	    n, (unsigned long long)hb_secs(now - t))) {
		h->hb_silent = true;
		h->hb_silent_since = t;
	}
}

/* Does lp look like an LWP pointer (as db_lwp.c checks)? */
static bool
hb_kptr_ok(const void *p, size_t align)
{
	return (intptr_t)p < 0 && ((uintptr_t)p & (align - 1)) == 0;
}

/*
 * Can no user LWP wake by itself?  Walks alllwp (no locks); false if
 * any user LWP runs, may run, or sleeps with a timeout still to come
 * (hz ticks of grace).  *overdue: a sleeper whose timeout is over a
 * second late, if any.
 */
static bool
hb_all_asleep(const lwp_t **overdue, int64_t *late, u_int *nuser)
{
	const lwp_t *l;
	u_int n = 0;

	*overdue = NULL;
	*nuser = 0;
	for (l = LIST_FIRST(&alllwp); l != NULL && n < 4096;
	    l = LIST_NEXT(l, l_list), n++) {
		int64_t due;

		if (!hb_kptr_ok(l, LWP_ALIGN) ||
		    !hb_kptr_ok(l->l_proc, sizeof(void *)))
			return false;	/* changing under us: next time */
		if ((l->l_flag & LW_SYSTEM) || l->l_proc == &proc0 ||
		    l->l_stat == LSZOMB || l->l_stat == LSIDL)
			continue;
		(*nuser)++;
		if (l->l_stat == LSRUN || l->l_stat == LSONPROC)
			return false;
		if (l->l_stat != LSSLEEP ||
		    !hb_kptr_ok(l->l_timeout_ch.c_cpu, sizeof(void *)) ||
		    (due = callout_due_in(&l->l_timeout_ch)) == INT64_MAX)
			continue;	/* no timeout: only a wakeup helps */
		if (due >= -(int64_t)hz)
			return false;	/* it will wake by itself */
		if (*overdue == NULL || -due > *late) {
			*overdue = l;
			*late = -due;
		}
	}
	return *nuser > 0;
}

/* CPU 0, once a second (hang_idle=1): has everything gone to sleep? */
static void
hb_check_idle(uint64_t now)
{
	struct cpu_info *ci;
	CPU_INFO_ITERATOR cii;
	uint64_t nswtch = 0;
	const lwp_t *l;
	int64_t late = 0;
	u_int nuser;
	bool idle = true;

	if (now - hb_idle_checked < HB_NS)
		return;
	hb_idle_checked = now;
	CPU_INFO_FOREACH(cii, ci) {
		const struct schedstate_percpu *spc = &ci->ci_schedstate;

		nswtch += ci->ci_nswtch;
		idle &= (spc->spc_flags & SPCF_IDLE) && spc->spc_count == 0;
	}
	if (!idle || nswtch != hb_idle_nswtch) {
		if (hb_idle_reported)
			printf("hang: LWPs run again after %llu s\n",
			    (unsigned long long)hb_secs(now - hb_idle_since));
		hb_idle_reported = false;
		hb_idle_nswtch = nswtch;
		hb_idle_since = now;
		return;
	}
	if (hb_idle_reported || now - hb_idle_since < hb_limit ||
	    !hb_all_asleep(&l, &late, &nuser))
		return;
	if (l != NULL)
		hb_idle_reported = hb_report("every CPU idle for %llu s; LWP "
		    "%d of pid %d (%s) sleeps on %s with a timeout due %lld "
		    "ticks ago that has not fired",
		    (unsigned long long)hb_secs(now - hb_idle_since),
		    l->l_lid, l->l_proc->p_pid, l->l_proc->p_comm,
		    l->l_wmesg != NULL ? l->l_wmesg : "?", (long long)late);
	else
		hb_idle_reported = hb_report("every CPU idle for %llu s, and "
		    "none of the %u user LWPs can wake by itself: each sleeps "
		    "without a timeout, or is stopped or suspended (a lost "
		    "wakeup, or input nobody types?)",
		    (unsigned long long)hb_secs(now - hb_idle_since), nuser);
}

/*
 * The exit check (sys/heartbeat.h: struct hb_exit): walk `list' (allproc,
 * without locks, as the asleep check walks alllwp: a process may be
 * going away under us, so only pointers that look right are followed,
 * and nothing KASAN would call a use after free is reported) for
 * processes taking themselves apart with other LWPs still not zombies;
 * each is followed in one of the n slots of `e' by its counts (its pid
 * and name copied there too, for the report: the process may be gone
 * by then).  Returns the slot of one whose counts have not moved for
 * `limit' ns (and marks it reported), or NULL.  A process that goes on
 * is forgotten.
 */
__nokasan const struct hb_exit *
hb_exit_stalled(const struct proclist *list, struct hb_exit *e, u_int n,
    uint64_t now, uint64_t limit)
{
	const struct proc *p;
	const struct hb_exit *stalled = NULL;
	u_int i, walked = 0;

	for (i = 0; i < n; i++)
		e[i].he_seen = false;
	for (p = LIST_FIRST(list); p != NULL && walked < 4096;
	    p = LIST_NEXT(p, p_list), walked++) {
		struct hb_exit *free = NULL, *h = NULL;

		if (!hb_kptr_ok(p, sizeof(void *)))
			break;		/* changing under us: next time */
		if (!(p->p_flag & PK_WEXIT) || p->p_nlwps - p->p_nzlwps <= 1)
			continue;
		for (i = 0; i < n && h == NULL; i++)
			if (e[i].he_p == p && e[i].he_pid == p->p_pid)
				h = &e[i];
			else if (e[i].he_p == NULL && free == NULL)
				free = &e[i];
		if (h == NULL && (h = free) == NULL)
			continue;	/* too many at once: the next pass */
		h->he_seen = true;
		if (h->he_p != p || h->he_nlwps != (u_int)p->p_nlwps ||
		    h->he_nzlwps != (u_int)p->p_nzlwps) {
			h->he_p = p;
			h->he_pid = p->p_pid;
			h->he_nlwps = p->p_nlwps;
			h->he_nzlwps = p->p_nzlwps;
			h->he_since = now;
			h->he_reported = false;
			for (i = 0; i < sizeof(h->he_comm) - 1 &&
			    p->p_comm[i] != '\0'; i++)
				h->he_comm[i] = p->p_comm[i];
			h->he_comm[i] = '\0';
		} else if (!h->he_reported && now - h->he_since >= limit &&
		    stalled == NULL) {
			h->he_reported = true;
			stalled = h;
		}
	}
	for (i = 0; i < n; i++)
		if (!e[i].he_seen)
			e[i].he_p = NULL;
	return stalled;
}

/* CPU 0, once a second: a process whose exit does not go on? */
static void
hb_check_exit(uint64_t now)
{
	const struct hb_exit *h;

	if (now - hb_exit_checked < HB_NS)
		return;
	hb_exit_checked = now;
	if ((h = hb_exit_stalled(&allproc, hb_exits, HB_NEXITS, now,
	    hb_limit)) != NULL)
		(void)hb_report("pid %d (%s) is exiting, and for %llu s none "
		    "of its %u other LWPs that are not zombies has become one: "
		    "told to exit, they do not (where they are: below)",
		    h->he_pid, h->he_comm, (unsigned long long)hb_secs(hb_limit),
		    h->he_nlwps - h->he_nzlwps - 1);
}

/*
 * A report asked for (kern.hangreport) by a test harness that found
 * something stuck and wants to see where every CPU is: the same report
 * as a hang's, in full whatever the count, printed by CPU 0's next
 * clock interrupt (hb_check_asked), the context reports are made in.
 * One at a time: false if one is already waiting.
 */
static volatile uint32_t hb_asked;	/* a: a report waits */
static pid_t	hb_asked_pid;		/* (hb_asked) */
static char	hb_asked_comm[MAXCOMLEN + 1]; /* (hb_asked) */

bool
heartbeat_report_now(pid_t pid, const char *comm)
{
	if (__atomic_load_n(&hb_asked, __ATOMIC_ACQUIRE) != 0)
		return false;
	hb_asked_pid = pid;
	strlcpy(hb_asked_comm, comm, sizeof(hb_asked_comm));
	__atomic_store_n(&hb_asked, 1, __ATOMIC_RELEASE);
	return true;
}

/* CPU 0: a report asked for? */
static void
hb_check_asked(void)
{
	if (__atomic_load_n(&hb_asked, __ATOMIC_ACQUIRE) == 0)
		return;
	hb_asking = true;
	if (hb_report("report asked for by pid %d (%s)", hb_asked_pid,
	    hb_asked_comm))
		__atomic_store_n(&hb_asked, 0, __ATOMIC_RELEASE);
	hb_asking = false;
}

/* From hardclock(), on every CPU, interrupts off. */
void
heartbeat(void)
{
	struct cpu_info *ci = curcpu();
	struct hb_cpu *h = &hb_cpu[cpu_index(ci)];
	uint64_t now;

	if (panicking)
		return;
	if (cpu_index(ci) == 0)
		hb_check_asked();
	if (hb_limit == 0)
		return;
	now = nsuptime();
	if (h->hb_tick != 0 && now - h->hb_tick > h->hb_maxgap)
		h->hb_maxgap = now - h->hb_tick;
	__atomic_store_n(&h->hb_tick, now, __ATOMIC_RELAXED);
	hb_check_self(ci, h, now);
	if (ncpu > 1)
		hb_check_next(ci, h, now);
	if (cpu_index(ci) == 0) {
		hb_check_exit(now);
		if (hb_idle)
			hb_check_idle(now);
	}
}

/*
 * At power-off and in a panic: each CPU's longest time between two
 * clock interrupts.  A CPU takes none while its interrupts are off, or
 * while the host does not run its virtual CPU at all: gaps of seconds
 * on a loaded host, beside timeouts of seconds (spin-outs, cross-calls)
 * that fired, say which it was.
 */
void
heartbeat_report(void)
{
	struct cpu_info *ci;
	CPU_INFO_ITERATOR cii;

	uint64_t now = nsuptime();

	if (hb_limit == 0)
		return;
	/* (The gap still open counts: a CPU stopped now for a panic.) */
	printf("heartbeat: longest gap between clock interrupts:");
	CPU_INFO_FOREACH(cii, ci) {
		const struct hb_cpu *h = &hb_cpu[cpu_index(ci)];
		uint64_t gap = h->hb_maxgap;

		if (h->hb_tick != 0 && now > h->hb_tick)
			gap = MAX(gap, now - h->hb_tick);
		printf(" cpu%u %llu ms", cpu_index(ci),
		    (unsigned long long)gap / 1000000);
	}
	printf("; hang reports: %u\n", hb_nreports);
}

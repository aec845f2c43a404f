/*
 * db_lwp.c: the LWP table, printed when something seems to hang: on a
 * debugger's NMI (QEMU's monitor `nmi`, which tools/qemu-run
 * --hang-report and the lab grader send before they stop a boot that
 * ran out of time), and when the ktest watchdog fires (a ktest past
 * ktest_timeout).  NetBSD's ddb has `show all lwps`; this is that,
 * without ddb.
 *
 * It takes no lock: it runs when others may hold any lock for ever (in
 * an NMI handler, or on a machine that is stuck).  So it reads a list
 * that may be changing: it follows at most DB_LWP_WALK links, and stops
 * at any link that does not look like a kernel pointer, rather than
 * fault.  What it prints is a best-effort picture, which is what a hang
 * report needs.
 *
 * A process may have thousands of LWPs, most of them asleep or
 * suspended, and a hang is usually explained by the few that run, wait
 * to run or are on a CPU: those are printed first, then the others, at
 * most DB_LWP_MAX lines in all, and a count by state of those left out.
 * Then where the first DB_LWP_TRACES of those that wait (asleep,
 * stopped, suspended) wait in the kernel, a line each (their callers,
 * from the stack they switched out on: cpu_lwp_backtrace), since a
 * wait channel says what an LWP waits for but not who made it wait.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>

#define DB_LWP_MAX	512			/* lines */
#define DB_LWP_WALK	(2 * MAXLWP_MAX + 1024)	/* links followed */
#define DB_LWP_TRACES	32			/* waits traced */

static const char *const db_lwp_stat[] = {
	[LSIDL] = "IDL", [LSRUN] = "RUN", [LSSLEEP] = "SLEEP",
	[LSSTOP] = "STOP", [LSZOMB] = "ZOMB", [LSONPROC] = "ONPROC",
	[LSSUSPENDED] = "SUSPENDED",
};

/* Does p look like a pointer into the kernel's half of the address
 * space, aligned for an LWP?  (Not proof it is one.) */
static bool
db_kptr_ok(const void *p, size_t align)
{
	return (intptr_t)p < 0 && ((uintptr_t)p & (align - 1)) == 0;
}

/* Is l one of those printed first: running, runnable, on a CPU? */
static bool
db_lwp_busy(const lwp_t *l)
{
	return l->l_stat == LSRUN || l->l_stat == LSONPROC ||
	    (l->l_pflag & LP_RUNNING);
}

static void
db_show_lwp(const lwp_t *l, const struct proc *p)
{
	const char *st, *wmesg, *name;

	st = l->l_stat >= 0 && l->l_stat < (int)__arraycount(db_lwp_stat) &&
	    db_lwp_stat[l->l_stat] != NULL ? db_lwp_stat[l->l_stat] : "?";
	wmesg = l->l_wchan != NULL && db_kptr_ok(l->l_wmesg, 1) ?
	    l->l_wmesg : "-";
	name = db_kptr_ok(l->l_name, 1) ? l->l_name : p->p_comm;
	printf("lwps: %5d %4d %-9s %3d %4d %08x %-8.8s %-18p %s%s\n",
	    p->p_pid, l->l_lid, st,
	    db_kptr_ok(l->l_cpu, sizeof(void *)) ?
	    (int)cpu_index(l->l_cpu) : -1, lwp_eprio(l), l->l_flag,
	    wmesg, l->l_wchan, name,
	    (l->l_pflag & LP_RUNNING) ? " (on CPU)" : "");
}

static void db_trace_waiting(void);

void
db_show_all_lwps(void)
{
	int lines = 0, left[__arraycount(db_lwp_stat) + 1] = { 0 }, nleft = 0;
	const struct proc *p;
	const lwp_t *l;
	int n;

	CPU_INFO_ITERATOR cii;
	struct cpu_info *ci;

	/* Each CPU's scheduling state: what runs, at what priority, how
	 * many wait in its queue, whether a switch is asked for. */
	CPU_INFO_FOREACH(cii, ci) {
		const struct schedstate_percpu *spc = &ci->ci_schedstate;

		printf("lwps: cpu%u: LWP %d running at %d, %u queued (%u "
		    "migratable), want_resched %#x, flags %#x%s\n",
		    cpu_index(ci), db_kptr_ok(ci->ci_curlwp, LWP_ALIGN) ?
		    ci->ci_curlwp->l_lid : -1, spc->spc_curpriority,
		    spc->spc_count, spc->spc_mcount, ci->ci_want_resched,
		    spc->spc_flags, spc->spc_migrating != NULL ?
		    ", an LWP to migrate" : "");
	}
	printf("lwps: %5s %4s %-9s %3s %4s %-8s %-8s %-18s %s\n", "PID",
	    "LID", "STATE", "CPU", "PRI", "FLAGS", "WAIT", "WCHAN", "NAME");
	/* Pass 0: the busy ones; pass 1: the others. */
	for (int pass = 0; pass < 2; pass++) {
		for (l = LIST_FIRST(&alllwp), n = 0;
		    l != NULL && n < DB_LWP_WALK;
		    l = LIST_NEXT(l, l_list), n++) {
			if (!db_kptr_ok(l, LWP_ALIGN) ||
			    !db_kptr_ok((p = l->l_proc), sizeof(void *))) {
				printf("lwps: (the list is damaged at %p; "
				    "stopped)\n", l);
				return;
			}
			if (db_lwp_busy(l) != (pass == 0))
				continue;
			if (lines < DB_LWP_MAX) {
				db_show_lwp(l, p);
				lines++;
			} else {
				left[l->l_stat >= 0 && l->l_stat <
				    (int)__arraycount(db_lwp_stat) ?
				    l->l_stat : 0]++;
				nleft++;
			}
		}
		if (l != NULL) {
			printf("lwps: (more than %d links; stopped)\n",
			    DB_LWP_WALK);
			return;
		}
	}
	if (nleft != 0) {
		printf("lwps: ... and %d more:", nleft);
		for (int s = 0; s < (int)__arraycount(db_lwp_stat); s++)
			if (left[s] != 0)
				printf(" %d %s", left[s], db_lwp_stat[s] !=
				    NULL ? db_lwp_stat[s] : "?");
		printf("\n");
	}
	db_trace_waiting();
}

/* Where those that wait, wait: a line each, the first DB_LWP_TRACES. */
static void
db_trace_waiting(void)
{
	const lwp_t *l;
	char prefix[32];
	int n, traced = 0, more = 0;

	for (l = LIST_FIRST(&alllwp), n = 0; l != NULL && n < DB_LWP_WALK &&
	    db_kptr_ok(l, LWP_ALIGN) && db_kptr_ok(l->l_proc, sizeof(void *));
	    l = LIST_NEXT(l, l_list), n++) {
		if ((l->l_stat != LSSLEEP && l->l_stat != LSSTOP &&
		    l->l_stat != LSSUSPENDED) || (l->l_pflag & LP_RUNNING))
			continue;
		if (traced == DB_LWP_TRACES) {
			more++;
			continue;
		}
		snprintf(prefix, sizeof(prefix), "lwps: %5d %4d waits in ",
		    l->l_proc->p_pid, l->l_lid);
		traced += cpu_lwp_backtrace(l, prefix);
	}
	if (more != 0)
		printf("lwps: (%d more waiting, not traced)\n", more);
}

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
 * that may be changing: it stops after DB_LWP_MAX entries, and at any
 * link that does not look like a kernel pointer, rather than fault.
 * What it prints is a best-effort picture, which is what a hang report
 * needs.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/lwp.h>
#include <sys/proc.h>

#define DB_LWP_MAX	512

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

void
db_show_all_lwps(void)
{
	const lwp_t *l;
	int n = 0;

	printf("lwps: %5s %4s %-9s %3s %4s %-8s %-8s %-18s %s\n", "PID",
	    "LID", "STATE", "CPU", "PRI", "FLAGS", "WAIT", "WCHAN", "NAME");
	for (l = LIST_FIRST(&alllwp); l != NULL && n < DB_LWP_MAX;
	    l = LIST_NEXT(l, l_list), n++) {
		const struct proc *p;
		const char *st, *wmesg, *name;

		if (!db_kptr_ok(l, LWP_ALIGN) ||
		    !db_kptr_ok((p = l->l_proc), sizeof(void *))) {
			printf("lwps: (the list is damaged at %p; stopped)\n", l);
			return;
		}
		st = l->l_stat >= 0 && l->l_stat < (int)__arraycount(db_lwp_stat)
		    && db_lwp_stat[l->l_stat] != NULL ?
		    db_lwp_stat[l->l_stat] : "?";
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
	if (l != NULL)
		printf("lwps: (more than %d; stopped)\n", DB_LWP_MAX);
}

/*
 * kern_cpu.c: the machine-independent side of CPUs: the table of
 * running CPUs and the per-CPU state every CPU gets before it runs.
 *
 * cpu_infos[] and ncpu are written only by the boot CPU while it starts
 * the others (an entry is stored before ncpu counts it), and never
 * change afterwards: CPU_INFO_FOREACH needs no lock.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/mutex.h>
#include <sys/lwp.h>
#include <sys/sched.h>

struct cpu_info *cpu_infos[MAXCPUS] = { &cpu_info_primary };
u_int	ncpu = 1;

/*
 * Set up the MI parts of a CPU's cpu_info, before it starts: its run
 * queue and locks and, once LWPs exist (every CPU but the boot one,
 * whose idle LWP main() makes after lwpinit()), its idle LWP.
 */
void
mi_cpu_attach(struct cpu_info *ci)
{
	sched_cpuattach(ci);
	if (curlwp != NULL)
		create_idle_lwp(ci);
}

/*
 * machine/intr.h: interrupt priority levels (IPLs) and spl*().
 * Interface header (reached through <sys/intr.h>).
 *
 * The model at this stage is the simplest correct one: at any IPL above
 * IPL_NONE interrupts are disabled on this CPU; at IPL_NONE they are
 * enabled.  A CPU boots at IPL_HIGH and main() lowers it with spl0()
 * once interrupt handlers exist.  Raising never lowers; splx() restores
 * exactly the level splraise() returned.
 */
#ifndef _MACHINE_INTR_H_
#define _MACHINE_INTR_H_

#include <machine/cpu.h>
#include <machine/cpufunc.h>

#define IPL_NONE	0
#define IPL_SOFTCLOCK	1
#define IPL_SOFTBIO	2
#define IPL_SOFTNET	3
#define IPL_SOFTSERIAL	4
#define IPL_VM		5
#define IPL_SCHED	6
#define IPL_HIGH	7

static inline int
splraise(int nlevel)
{
	struct cpu_info *ci;
	int olevel;

	x86_disable_intr();
	ci = curcpu();
	olevel = ci->ci_ilevel;
	if (nlevel > olevel)
		ci->ci_ilevel = nlevel;
	return olevel;
}

static inline void
splx(int level)
{
	struct cpu_info *ci = curcpu();

	ci->ci_ilevel = level;
	if (level == IPL_NONE)
		x86_enable_intr();
}

#define splhigh()	splraise(IPL_HIGH)
#define splsched()	splraise(IPL_SCHED)
#define splvm()		splraise(IPL_VM)
#define spl0()		splx(IPL_NONE)

#endif /* !_MACHINE_INTR_H_ */

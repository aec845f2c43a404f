/*
 * lapic.c: the local APIC, each CPU's interrupt controller: it takes
 * interrupts for this CPU, sends IPIs to others, and has the timer that
 * drives hardclock().
 *
 * Two ways to reach its registers:
 *   xAPIC   memory-mapped at madt.lapic_pa (0xfee00000), mapped
 *           uncached at LAPIC_VA; APIC ids are 8 bits;
 *   x2APIC  MSRs 0x800 + (register >> 4); 32-bit APIC ids, and an ICR
 *           written in one go.  Used when CPUID offers it, unless the
 *           kernel option x2apic=off says not to.
 * Every CPU uses the mode the boot CPU picked.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/bootopt.h>
#include <sys/intr.h>
#include <sys/param.h>
#include <sys/pmap.h>
#include <sys/time.h>
#include <machine/cpufunc.h>
#include <machine/specialreg.h>
#include "acpivar.h"
#include "lapicreg.h"
#include "x86_var.h"

BOOTOPT("x2apic", "x2apic=off: use the local APIC in xAPIC (MMIO) mode");

bool	lapic_x2apic;			/* (c) x2APIC mode */
static volatile uint32_t *lapic_va;	/* (c) xAPIC registers */
uint32_t lapic_timer_hz;		/* (c) timer counts per second */

uint32_t
lapic_read(u_int reg)
{
	if (lapic_x2apic)
		return rdmsr(MSR_X2APIC_BASE + (reg >> 4));
	return lapic_va[reg / 4];
}

void
lapic_write(u_int reg, uint32_t v)
{
	if (lapic_x2apic)
		wrmsr(MSR_X2APIC_BASE + (reg >> 4), v);
	else
		lapic_va[reg / 4] = v;
}

uint32_t
lapic_id(void)
{
	uint32_t id = lapic_read(LAPIC_ID);

	return lapic_x2apic ? id : id >> 24;
}

void
lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

/* Choose the mode and map the registers.  Boot CPU, once. */
void
lapic_bootstrap(paddr_t pa)
{
	const char *opt = bootopt_get("x2apic");

	lapic_x2apic = cpu_feature.has_x2apic &&
	    !(opt != NULL && strcmp(opt, "off") == 0);
	if (!lapic_x2apic) {
		lapic_va = (volatile uint32_t *)LAPIC_VA;
		pmap_kenter_pa(LAPIC_VA, pa, VM_PROT_READ | VM_PROT_WRITE |
		    PMAP_NOCACHE);
	}
}

/* Enable this CPU's local APIC.  Every CPU, with interrupts off. */
void
lapic_init_cpu(void)
{
	uint64_t base = rdmsr(MSR_APICBASE) | APICBASE_EN;

	if (lapic_x2apic)
		base |= APICBASE_EXTD;
	wrmsr(MSR_APICBASE, base);
	lapic_write(LAPIC_TPR, 0);			/* accept all */
	lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | LAPIC_SPURIOUS_VECTOR);
	lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
	/* LINT1 is the NMI pin on PCs (MADT NMI entries say so too): a
	 * debugger's NMI (QEMU's monitor command `nmi`) arrives there. */
	lapic_write(LAPIC_LVT_LINT1, LAPIC_DM_NMI);
	lapic_write(LAPIC_LVT_ERROR, LAPIC_ERROR_VECTOR);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
	lapic_eoi();
}

/*
 * Send an IPI: `icrlo` is the vector and delivery mode (LAPIC_DM_*),
 * `dest` the target's APIC id.  Waits until an xAPIC has taken it.
 */
void
lapic_send_ipi(uint32_t dest, uint32_t icrlo)
{
	int s;

	if (lapic_x2apic) {
		/* The ICR wrmsr is not serialising: make the data the IPI
		 * announces visible first (Intel SDM 10.12.3). */
		__asm volatile("mfence; lfence" ::: "memory");
		wrmsr(MSR_X2APIC_BASE + (LAPIC_ICRLO >> 4),
		    (uint64_t)dest << 32 | icrlo);
		return;
	}
	/* ICRHI then ICRLO: nothing on this CPU may send in between. */
	s = splhigh();
	lapic_write(LAPIC_ICRHI, dest << 24);
	lapic_write(LAPIC_ICRLO, icrlo);
	for (int i = 0; lapic_read(LAPIC_ICRLO) & LAPIC_ICR_PENDING; i++)
		if (i > 10000000) {
			printf("lapic: IPI %#x to %u never left\n", icrlo, dest);
			break;
		}
	splx(s);
}

/*
 * Measure the timer's rate against the TSC (already calibrated), over
 * 10 ms, with the divider at 16.
 */
void
lapic_calibrate_timer(void)
{
	uint32_t start = 0xffffffff, left;

	lapic_write(LAPIC_DCR_TIMER, LAPIC_DCR_DIV16);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_ICR_TIMER, start);
	delay(10000);
	left = lapic_read(LAPIC_CCR_TIMER);
	lapic_write(LAPIC_ICR_TIMER, 0);
	lapic_timer_hz = (start - left) * 100;
}

/*
 * Make this CPU's next timer interval permille/1000 of the normal one
 * (kern_jitter.c).  Writing the initial count restarts the count down,
 * and the periodic timer goes on with the new interval.
 */
void
cpu_clock_stretch(u_int permille)
{
	lapic_write(LAPIC_ICR_TIMER,
	    (uint32_t)((uint64_t)lapic_timer_hz / hz * permille / 1000));
}

/* Start this CPU's periodic timer at `hz` interrupts per second. */
void
lapic_start_timer(u_int hz)
{
	lapic_write(LAPIC_DCR_TIMER, LAPIC_DCR_DIV16);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_PERIODIC | LAPIC_TIMER_VECTOR);
	lapic_write(LAPIC_ICR_TIMER, lapic_timer_hz / hz);
}

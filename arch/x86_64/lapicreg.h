/*
 * lapicreg.h: local APIC registers (Intel SDM vol. 3, chapter 10) and
 * the interrupt vectors this kernel assigns.  Arch-private.
 */
#ifndef _X86_64_LAPICREG_H_
#define _X86_64_LAPICREG_H_

#include <sys/types.h>
#include <machine/param.h>

#define MSR_APICBASE		0x1b
#define  APICBASE_EXTD		0x400	/* x2APIC mode */
#define  APICBASE_EN		0x800	/* APIC enabled */
#define MSR_X2APIC_BASE		0x800

#define LAPIC_VA		(KVA_BASE + 0x0)	/* xAPIC MMIO page */

/* Register offsets (xAPIC MMIO; x2APIC MSR = 0x800 + offset / 16). */
#define LAPIC_ID		0x020
#define LAPIC_TPR		0x080
#define LAPIC_EOI		0x0b0
#define LAPIC_SVR		0x0f0
#define  LAPIC_SVR_ENABLE	0x100
#define LAPIC_ESR		0x280
#define LAPIC_ICRLO		0x300
#define  LAPIC_DM_FIXED		0x000
#define  LAPIC_DM_NMI		0x400
#define  LAPIC_DM_INIT		0x500
#define  LAPIC_DM_STARTUP	0x600
#define  LAPIC_ICR_PENDING	0x1000
#define  LAPIC_LEVEL_ASSERT	0x4000
#define  LAPIC_TRIG_LEVEL	0x8000
#define LAPIC_ICRHI		0x310
#define LAPIC_LVT_TIMER		0x320
#define  LAPIC_LVT_PERIODIC	0x20000
#define  LAPIC_LVT_MASKED	0x10000
#define LAPIC_LVT_LINT0		0x350
#define LAPIC_LVT_LINT1		0x360
#define LAPIC_LVT_ERROR		0x370
#define LAPIC_ICR_TIMER		0x380
#define LAPIC_CCR_TIMER		0x390
#define LAPIC_DCR_TIMER		0x3e0
#define  LAPIC_DCR_DIV16	0x3

/*
 * Vectors.  0-31 are exceptions.  The x86 priority class is vector / 16,
 * so the IPIs sit highest.
 */
#define IRQ_VECTOR_BASE		0x20	/* ISA IRQ n -> 0x20 + n (I/O APIC) */
#define LAPIC_TIMER_VECTOR	0x40
#define LAPIC_RESCHED_VECTOR	0xf0
#define LAPIC_XCALL_VECTOR	0xf1
#define LAPIC_ERROR_VECTOR	0xfe
#define LAPIC_SPURIOUS_VECTOR	0xff

extern bool	lapic_x2apic;
extern uint32_t	lapic_timer_hz;

uint32_t lapic_read(u_int);
void	lapic_write(u_int, uint32_t);
uint32_t lapic_id(void);
void	lapic_eoi(void);
void	lapic_bootstrap(paddr_t);
void	lapic_init_cpu(void);
void	lapic_send_ipi(uint32_t, uint32_t);
void	lapic_calibrate_timer(void);
void	lapic_start_timer(u_int);

#endif /* !_X86_64_LAPICREG_H_ */

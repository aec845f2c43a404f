/*
 * ioapic.c: I/O APICs, which turn device interrupt lines (GSIs) into
 * interrupt messages for a chosen CPU and vector.
 *
 * Each I/O APIC has an index register (IOREGSEL) and a data window
 * (IOWIN); redirection entry n is registers 0x10 + 2n (low half: vector,
 * polarity, trigger, mask) and 0x11 + 2n (high half: destination APIC
 * id).  At boot every entry is masked; ioapic_route_isa() unmasks the
 * ones the kernel uses.  ISA IRQs arrive on the GSI the MADT's interrupt
 * source overrides say (IRQ 0 is usually GSI 2), with the polarity and
 * trigger mode they give.
 *
 * Locking: ioapic_lock (spin, IPL_HIGH) serialises the index/data pair.
 */
#include <sys/systm.h>
#include <sys/intr.h>
#include <sys/mutex.h>
#include <sys/param.h>
#include <sys/pmap.h>
#include "acpivar.h"
#include "lapicreg.h"
#include "x86_var.h"

#define IOAPIC_VA(i)	(LAPIC_VA + PAGE_SIZE * (1 + (i)))
#define IOREGSEL	0x00
#define IOWIN		0x10
#define IOAPIC_VER	0x01
#define IOAPIC_REDLO(n)	(0x10 + 2 * (n))
#define IOAPIC_REDHI(n)	(0x11 + 2 * (n))
#define  RED_ACTIVELO	0x00002000
#define  RED_LEVEL	0x00008000
#define  RED_MASKED	0x00010000

static kmutex_t ioapic_lock = MUTEX_INITIALIZER("ioapic", IPL_HIGH);
static u_int ioapic_nredir[MADT_MAXIOAPIC];	/* (c) entries per I/O APIC */

static uint32_t
ioapic_read(int i, uint32_t reg)
{
	volatile uint32_t *base = (volatile uint32_t *)IOAPIC_VA(i);

	base[IOREGSEL / 4] = reg;
	return base[IOWIN / 4];
}

static void
ioapic_write(int i, uint32_t reg, uint32_t v)
{
	volatile uint32_t *base = (volatile uint32_t *)IOAPIC_VA(i);

	base[IOREGSEL / 4] = reg;
	base[IOWIN / 4] = v;
}

/* Map every I/O APIC and mask all its inputs.  Boot CPU, once. */
void
ioapic_init(void)
{
	for (int i = 0; i < madt.nioapic; i++) {
		pmap_kenter_pa(IOAPIC_VA(i), madt.ioapic[i].pa,
		    VM_PROT_READ | VM_PROT_WRITE | PMAP_NOCACHE);
		ioapic_nredir[i] = ((ioapic_read(i, IOAPIC_VER) >> 16) & 0xff) + 1;
		for (u_int n = 0; n < ioapic_nredir[i]; n++) {
			ioapic_write(i, IOAPIC_REDLO(n), RED_MASKED);
			ioapic_write(i, IOAPIC_REDHI(n), 0);
		}
	}
}

/*
 * Deliver ISA IRQ `irq` as `vector` to the CPU with APIC id `dest`.
 * Returns false if no I/O APIC has that input.
 */
bool
ioapic_route_isa(int irq, u_int vector, uint32_t dest)
{
	uint16_t flags;
	uint32_t gsi = acpi_isa_irq_to_gsi(irq, &flags), lo;

	for (int i = 0; i < madt.nioapic; i++) {
		u_int n = gsi - madt.ioapic[i].gsi_base;

		if (gsi < madt.ioapic[i].gsi_base || n >= ioapic_nredir[i])
			continue;
		/* MPS INTI flags: polarity bits 0-1, trigger bits 2-3;
		 * 0 = the bus default (ISA: active high, edge). */
		lo = vector;
		if ((flags & 3) == 3)
			lo |= RED_ACTIVELO;
		if (((flags >> 2) & 3) == 3)
			lo |= RED_LEVEL;
		mutex_spin_enter(&ioapic_lock);
		ioapic_write(i, IOAPIC_REDHI(n), dest << 24);
		ioapic_write(i, IOAPIC_REDLO(n), lo);
		mutex_spin_exit(&ioapic_lock);
		return true;
	}
	return false;
}

/* The low half of the entry an ISA IRQ uses (for tests), or ~0. */
uint32_t
ioapic_isa_entry(int irq)
{
	uint16_t flags;
	uint32_t gsi = acpi_isa_irq_to_gsi(irq, &flags), v = ~0u;

	for (int i = 0; i < madt.nioapic; i++) {
		u_int n = gsi - madt.ioapic[i].gsi_base;

		if (gsi < madt.ioapic[i].gsi_base || n >= ioapic_nredir[i])
			continue;
		mutex_spin_enter(&ioapic_lock);
		v = ioapic_read(i, IOAPIC_REDLO(n));
		mutex_spin_exit(&ioapic_lock);
	}
	return v;
}

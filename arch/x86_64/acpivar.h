/*
 * acpivar.h: what the kernel takes from the ACPI tables (acpi.c).
 * Arch-private.
 */
#ifndef _X86_64_ACPIVAR_H_
#define _X86_64_ACPIVAR_H_

#include <sys/types.h>
#include <machine/cpu.h>

#define MADT_MAXIOAPIC	8
#define MADT_MAXISO	24

struct madt_info {
	paddr_t		lapic_pa;	/* local APIC MMIO base */
	bool		pcat_compat;	/* legacy PICs present */
	int		ncpu;		/* enabled processors listed */
	int		ncpu_ignored;	/* beyond MAXCPUS */
	struct {
		uint32_t	apic_id;
		uint32_t	acpi_id;
	} cpu[MAXCPUS];
	int		nioapic;
	struct {
		uint32_t	id;
		paddr_t		pa;
		uint32_t	gsi_base;
	} ioapic[MADT_MAXIOAPIC];
	int		niso;		/* interrupt source overrides */
	struct {
		uint8_t		irq;	/* ISA IRQ */
		uint32_t	gsi;	/* I/O APIC input it arrives on */
		uint16_t	flags;	/* polarity, trigger (MPS INTI) */
	} iso[MADT_MAXISO];
};

extern struct madt_info madt;

const char *acpi_madt_parse(const void *, size_t, struct madt_info *);
const char *acpi_rsdp_check(const void *, size_t, paddr_t *, bool *);
const char *acpi_init(void);
uint32_t acpi_isa_irq_to_gsi(int irq, uint16_t *flagsp);

#endif /* !_X86_64_ACPIVAR_H_ */

/*
 * acpi.c: find the ACPI tables and read the MADT (the list of CPUs and
 * interrupt controllers).
 *
 *   RSDP ("RSD PTR ")  from the boot loader's tag, or found by scanning
 *     │                the EBDA and 0xE0000-0xFFFFF (BIOS only)
 *     ▼
 *   XSDT (64-bit pointers; ACPI 2+) or RSDT (32-bit pointers)
 *     ▼
 *   MADT ("APIC"): local APICs / x2APICs (one per CPU), I/O APICs,
 *                  interrupt source overrides (ISA IRQ -> GSI)
 *
 * Every table is checked (signature, length, checksum) before it is
 * believed.  The parsers take a buffer and its length, so the ktests in
 * t_acpi.c feed them hand-made tables.  If anything is wrong, acpi_init()
 * returns a message and the kernel boots on one CPU.
 */
#include <sys/systm.h>
#include <sys/bootinfo.h>
#include <sys/param.h>
#include <sys/pmap.h>
#include "acpivar.h"

struct acpi_rsdp {
	char		sig[8];		/* "RSD PTR " */
	uint8_t		checksum;	/* of the first 20 bytes */
	char		oemid[6];
	uint8_t		revision;	/* 0: ACPI 1.0; 2: 2.0+ */
	uint32_t	rsdt;
	uint32_t	length;		/* 2.0+: whole structure */
	uint64_t	xsdt;
	uint8_t		xchecksum;	/* 2.0+: of all `length` bytes */
	uint8_t		reserved[3];
} __packed;

struct acpi_hdr {
	char		sig[4];
	uint32_t	length;		/* including this header */
	uint8_t		revision;
	uint8_t		checksum;	/* all bytes sum to 0 */
	char		oemid[6];
	char		oemtable[8];
	uint32_t	oemrev;
	uint32_t	creator;
	uint32_t	creatorrev;
} __packed;

#define MADT_LAPIC		0
#define MADT_IOAPIC		1
#define MADT_ISO		2
#define MADT_LAPIC_OVERRIDE	5
#define MADT_X2APIC		9
#define MADT_ENABLED		0x1

struct madt_info madt;

static uint8_t
acpi_sum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len-- > 0)
		sum += *b++;
	return sum;
}

/* Little-endian fields at any alignment. */
static uint32_t
get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t
get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/*
 * Is `p` (len bytes available) a valid RSDP?  On success *rootp is the
 * address of the XSDT (ACPI 2+, *xsdtp true) or of the RSDT.
 */
const char *
acpi_rsdp_check(const void *p, size_t len, paddr_t *rootp, bool *xsdtp)
{
	const struct acpi_rsdp *r = p;

	if (len < 20 || memcmp(r->sig, "RSD PTR ", 8) != 0)
		return "no RSDP signature";
	if (acpi_sum(r, 20) != 0)
		return "RSDP checksum is wrong";
	if (r->revision >= 2 && len >= sizeof(*r) && r->xsdt != 0) {
		if (r->length < sizeof(*r) || r->length > len ||
		    acpi_sum(r, r->length) != 0)
			return "XSDP extended checksum is wrong";
		*rootp = r->xsdt;
		*xsdtp = true;
	} else {
		*rootp = r->rsdt;
		*xsdtp = false;
	}
	return NULL;
}

/*
 * Parse a MADT of `len` bytes (the table's own length must agree).
 * Enabled processors become mi->cpu[]; the rest is recorded as found.
 */
const char *
acpi_madt_parse(const void *table, size_t len, struct madt_info *mi)
{
	const struct acpi_hdr *h = table;
	const uint8_t *p, *end;

	memset(mi, 0, sizeof(*mi));
	if (len < sizeof(*h) + 8 || h->length < sizeof(*h) + 8 ||
	    h->length > len)
		return "MADT is too short";
	if (memcmp(h->sig, "APIC", 4) != 0)
		return "MADT signature is not APIC";
	if (acpi_sum(h, h->length) != 0)
		return "MADT checksum is wrong";
	p = (const uint8_t *)(h + 1);
	mi->lapic_pa = get32(p);
	mi->pcat_compat = get32(p + 4) & 1;
	end = (const uint8_t *)h + h->length;
	for (p += 8; p < end; p += p[1]) {
		uint32_t apic_id, acpi_id, flags;

		if (end - p < 2 || p[1] < 2 || p[1] > end - p)
			return "MADT entry runs past the end of the table";
		switch (p[0]) {
		case MADT_LAPIC:
		case MADT_X2APIC:
			if (p[0] == MADT_LAPIC && p[1] >= 8) {
				acpi_id = p[2];
				apic_id = p[3];
				flags = get32(p + 4);
			} else if (p[0] == MADT_X2APIC && p[1] >= 16) {
				apic_id = get32(p + 4);
				flags = get32(p + 8);
				acpi_id = get32(p + 12);
			} else
				return "MADT processor entry is too short";
			if (!(flags & MADT_ENABLED))
				break;
			/* A CPU may be listed both ways; count it once. */
			for (int i = 0; i < mi->ncpu; i++)
				if (mi->cpu[i].apic_id == apic_id)
					goto next;
			if (mi->ncpu == MAXCPUS) {
				mi->ncpu_ignored++;
				break;
			}
			mi->cpu[mi->ncpu].apic_id = apic_id;
			mi->cpu[mi->ncpu].acpi_id = acpi_id;
			mi->ncpu++;
			break;
		case MADT_IOAPIC:
			if (p[1] < 12)
				return "MADT I/O APIC entry is too short";
			if (mi->nioapic == MADT_MAXIOAPIC)
				break;
			mi->ioapic[mi->nioapic].id = p[2];
			mi->ioapic[mi->nioapic].pa = get32(p + 4);
			mi->ioapic[mi->nioapic].gsi_base = get32(p + 8);
			mi->nioapic++;
			break;
		case MADT_ISO:
			if (p[1] < 10)
				return "MADT interrupt override is too short";
			if (mi->niso == MADT_MAXISO)
				break;
			mi->iso[mi->niso].irq = p[3];
			mi->iso[mi->niso].gsi = get32(p + 4);
			mi->iso[mi->niso].flags = p[8] | p[9] << 8;
			mi->niso++;
			break;
		case MADT_LAPIC_OVERRIDE:
			if (p[1] < 12)
				return "MADT APIC address override is too short";
			mi->lapic_pa = get64(p + 4);
			break;
		default:		/* NMI sources and others: unused */
			break;
		}
	next:;
	}
	if (mi->ncpu == 0)
		return "MADT lists no enabled processor";
	return NULL;
}

/* A table at physical `pa`, if its header and checksum are sound. */
static const struct acpi_hdr *
acpi_map_table(paddr_t pa, const char *sig)
{
	const struct acpi_hdr *h;

	if (pa == 0 || pa + sizeof(*h) > pmap_direct_limit)
		return NULL;
	h = pmap_direct_va(pa);
	if (h->length < sizeof(*h) || pa + h->length > pmap_direct_limit ||
	    h->length > 1024 * 1024)
		return NULL;
	if (sig != NULL && memcmp(h->sig, sig, 4) != 0)
		return NULL;
	if (acpi_sum(h, h->length) != 0)
		return NULL;
	return h;
}

/* BIOS only: the RSDP is on a 16-byte boundary in the EBDA's first KiB
 * or in 0xE0000-0xFFFFF. */
static const char *
acpi_scan_rsdp(paddr_t *rootp, bool *xsdtp)
{
	paddr_t ebda = (paddr_t)*(uint16_t *)pmap_direct_va(0x40e) << 4;
	paddr_t ranges[2][2] = { { ebda, ebda + 1024 }, { 0xe0000, 0x100000 } };

	for (int r = 0; r < 2; r++) {
		if (ranges[r][0] < 0x80000 || ranges[r][1] > 0x100000)
			continue;	/* no plausible EBDA */
		for (paddr_t pa = ranges[r][0]; pa + 36 <= ranges[r][1];
		    pa += 16)
			if (acpi_rsdp_check(pmap_direct_va(pa), 36, rootp,
			    xsdtp) == NULL)
				return NULL;
	}
	return "no ACPI RSDP from the boot loader or in the BIOS area";
}

/* Find and parse the MADT into `madt`.  NULL, or why it failed. */
const char *
acpi_init(void)
{
	const struct acpi_hdr *root, *t;
	paddr_t rootpa;
	const char *err;
	size_t n, width;
	bool xsdt;

	if (bootinfo.bi_rsdp_len != 0)
		err = acpi_rsdp_check(bootinfo.bi_rsdp, bootinfo.bi_rsdp_len,
		    &rootpa, &xsdt);
	else
		err = acpi_scan_rsdp(&rootpa, &xsdt);
	if (err != NULL)
		return err;
	width = xsdt ? 8 : 4;		/* XSDT or RSDT entries */
	root = acpi_map_table(rootpa, width == 4 ? "RSDT" : "XSDT");
	if (root == NULL)
		return width == 4 ? "RSDT is missing or corrupt" :
		    "XSDT is missing or corrupt";
	n = (root->length - sizeof(*root)) / width;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *e = (const uint8_t *)(root + 1) + i * width;
		paddr_t pa = width == 4 ? get32(e) : get64(e);

		if ((t = acpi_map_table(pa, "APIC")) != NULL)
			return acpi_madt_parse(t, t->length, &madt);
	}
	return "no valid MADT (APIC) table";
}

/* The GSI an ISA IRQ arrives on, and its MPS polarity/trigger flags. */
uint32_t
acpi_isa_irq_to_gsi(int irq, uint16_t *flagsp)
{
	for (int i = 0; i < madt.niso; i++)
		if (madt.iso[i].irq == irq) {
			*flagsp = madt.iso[i].flags;
			return madt.iso[i].gsi;
		}
	*flagsp = 0;			/* ISA default: high, edge */
	return irq;
}

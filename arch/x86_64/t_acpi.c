/*
 * t_acpi.c: ktests for the ACPI parsers with hand-made tables.
 */
#include <sys/systm.h>
#include <sys/ktest.h>
#include "acpivar.h"

static uint8_t t_tab[512] __aligned(8);
static size_t t_len;

static void
tab_begin(const char *sig)
{
	memset(t_tab, 0, sizeof(t_tab));
	memcpy(t_tab, sig, 4);
	t_len = 36 + 8;			/* header, local APIC address, flags */
	t_tab[36] = 0x00; t_tab[37] = 0x00; t_tab[38] = 0xe0; t_tab[39] = 0xfe;
	t_tab[40] = 1;			/* PCAT_COMPAT */
}

static uint8_t *
tab_entry(uint8_t type, uint8_t len)
{
	uint8_t *e = t_tab + t_len;

	e[0] = type;
	e[1] = len;
	t_len += len;
	return e;
}

/* Fix the length and checksum. */
static void
tab_end(void)
{
	uint8_t sum = 0;

	t_tab[4] = t_len & 0xff;
	t_tab[5] = t_len >> 8;
	t_tab[9] = 0;
	for (size_t i = 0; i < t_len; i++)
		sum += t_tab[i];
	t_tab[9] = -sum;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24;
}

KTEST(acpi_madt_parse_good)
{
	static struct madt_info mi;
	uint8_t *e;

	tab_begin("APIC");
	e = tab_entry(0, 8); e[2] = 0; e[3] = 0; put32(e + 4, 1);	/* cpu */
	e = tab_entry(0, 8); e[2] = 1; e[3] = 2; put32(e + 4, 1);	/* cpu */
	e = tab_entry(0, 8); e[2] = 2; e[3] = 4; put32(e + 4, 0);	/* off */
	e = tab_entry(9, 16); put32(e + 4, 2); put32(e + 8, 1);	/* dup */
	e = tab_entry(9, 16); put32(e + 4, 300); put32(e + 8, 1);
	put32(e + 12, 7);						/* x2 */
	e = tab_entry(1, 12); e[2] = 5; put32(e + 4, 0xfec00000);
	put32(e + 8, 0);						/* ioapic */
	e = tab_entry(2, 10); e[2] = 0; e[3] = 0; put32(e + 4, 2);
	e[8] = 0; e[9] = 0;						/* 0->2 */
	e = tab_entry(2, 10); e[3] = 9; put32(e + 4, 9); e[8] = 0x0d;
	e = tab_entry(4, 6);						/* NMI */
	tab_end();

	KT_ASSERT(acpi_madt_parse(t_tab, t_len, &mi) == NULL);
	KT_EQ(mi.lapic_pa, 0xfee00000);
	KT_ASSERT(mi.pcat_compat);
	KT_EQ(mi.ncpu, 3);
	KT_EQ(mi.cpu[0].apic_id, 0);
	KT_EQ(mi.cpu[1].apic_id, 2);
	KT_EQ(mi.cpu[2].apic_id, 300);
	KT_EQ(mi.cpu[2].acpi_id, 7);
	KT_EQ(mi.nioapic, 1);
	KT_EQ(mi.ioapic[0].pa, 0xfec00000);
	KT_EQ(mi.niso, 2);
	KT_EQ(mi.iso[0].irq, 0);
	KT_EQ(mi.iso[0].gsi, 2);
	KT_EQ(mi.iso[1].flags, 0x0d);
}

KTEST(acpi_madt_parse_bad)
{
	static struct madt_info mi;
	uint8_t *e;

	/* Wrong checksum. */
	tab_begin("APIC");
	e = tab_entry(0, 8); put32(e + 4, 1);
	tab_end();
	t_tab[9] ^= 1;
	KT_STREQ(acpi_madt_parse(t_tab, t_len, &mi), "MADT checksum is wrong");

	/* An entry whose length runs past the table. */
	tab_begin("APIC");
	e = tab_entry(0, 8); put32(e + 4, 1);
	e[1] = 200;
	tab_end();
	KT_STREQ(acpi_madt_parse(t_tab, t_len, &mi),
	    "MADT entry runs past the end of the table");

	/* A zero-length entry would loop for ever. */
	tab_begin("APIC");
	e = tab_entry(0, 8); put32(e + 4, 1);
	e = tab_entry(7, 2);
	e[1] = 0;
	tab_end();
	KT_STREQ(acpi_madt_parse(t_tab, t_len, &mi),
	    "MADT entry runs past the end of the table");

	/* Length field larger than the buffer. */
	tab_begin("APIC");
	e = tab_entry(0, 8); put32(e + 4, 1);
	tab_end();
	KT_STREQ(acpi_madt_parse(t_tab, t_len - 1, &mi), "MADT is too short");

	/* No enabled CPU. */
	tab_begin("APIC");
	e = tab_entry(0, 8); put32(e + 4, 0);
	tab_end();
	KT_STREQ(acpi_madt_parse(t_tab, t_len, &mi),
	    "MADT lists no enabled processor");

	/* Not a MADT. */
	tab_begin("FACP");
	tab_end();
	KT_STREQ(acpi_madt_parse(t_tab, t_len, &mi),
	    "MADT signature is not APIC");
}

KTEST(acpi_rsdp_check)
{
	static uint8_t r[36];
	paddr_t root;
	bool x;
	uint8_t sum;

	memset(r, 0, sizeof(r));
	memcpy(r, "RSD PTR ", 8);
	put32(r + 16, 0x7fe1234);		/* RSDT (odd addresses too) */
	sum = 0;
	for (int i = 0; i < 20; i++)
		sum += r[i];
	r[8] = -sum;
	KT_ASSERT(acpi_rsdp_check(r, 20, &root, &x) == NULL);
	KT_EQ(root, 0x7fe1234);
	KT_ASSERT(!x);

	r[8] ^= 1;
	KT_STREQ(acpi_rsdp_check(r, 20, &root, &x), "RSDP checksum is wrong");
	r[8] ^= 1;

	/* ACPI 2: the XSDT wins, with its own checksum over 36 bytes. */
	r[15] = 2;
	put32(r + 20, 36);
	put32(r + 24, 0x7fe5000);
	sum = 0;
	r[8] = 0;
	for (int i = 0; i < 20; i++)
		sum += r[i];
	r[8] = -sum;
	sum = 0;
	for (int i = 0; i < 36; i++)
		sum += r[i];
	r[32] = -sum;
	KT_ASSERT(acpi_rsdp_check(r, 36, &root, &x) == NULL);
	KT_EQ(root, 0x7fe5000);
	KT_ASSERT(x);
	r[32] ^= 1;
	KT_STREQ(acpi_rsdp_check(r, 36, &root, &x),
	    "XSDP extended checksum is wrong");
	KT_STREQ(acpi_rsdp_check("RSD PTX ", 8, &root, &x), "no RSDP signature");
}

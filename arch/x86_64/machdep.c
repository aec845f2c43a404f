/*
 * machdep.c: x86-64 start-up, from locore.S to main().
 *
 * init_x86_64() runs on the boot CPU with interrupts off, on the boot
 * stack, with locore's boot page tables.  In order:
 *
 *   1. %gs -> cpu_info_primary, so curcpu() and spin mutexes work;
 *   2. the serial console, then the GDT/TSS and IDT, so any fault from
 *      here on is reported with a name and a backtrace;
 *   3. CPU identification and protection features (NX, WP, SMEP, SMAP);
 *   4. the boot information -> bootinfo: multiboot2's (GRUB) or the PVH
 *      hvm_start_info (QEMU -kernel), by the magic locore.S passes;
 *   5. physical memory: the memory map, less the low 1 MiB, the kernel
 *      image, the boot information and the modules -> vm_page;
 *   6. the final kernel page tables (pmap_bootstrap);
 *   7. main(), which calls back cpu_configure() (ACPI, local APIC,
 *      clocks) and cpu_boot_secondary_processors() (cpu.c).
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/kasan.h>
#include <sys/pmap.h>
#include <sys/vm_page.h>
#include <machine/cpufunc.h>
#include <machine/specialreg.h>
#include <sys/cpu_counter.h>
#include <sys/time.h>
#include "acpivar.h"
#include "lapicreg.h"
#include "multiboot2.h"
#include "pvh.h"
#include <machine/frame.h>
#include <machine/frameasm.h>
#include "x86_var.h"

extern char df_stack_top[], nmi_stack_top[], mc_stack_top[];

/* curcpu() and curlwp read %gs:0 and %gs:8. */
CTASSERT(__builtin_offsetof(struct cpu_info, ci_self) == 0);
CTASSERT(__builtin_offsetof(struct cpu_info, ci_curlwp) == 8);
/* ... and the assembly code the offsets in machine/frameasm.h. */
CTASSERT(__builtin_offsetof(struct cpu_info, ci_rsp0) == CPU_INFO_RSP0);
CTASSERT(__builtin_offsetof(struct cpu_info, ci_uscratch) ==
    CPU_INFO_USCRATCH);
CTASSERT(__builtin_offsetof(struct trapframe, tf_rcx) == TF_RCX);
CTASSERT(__builtin_offsetof(struct trapframe, tf_r11) == TF_R11);
CTASSERT(__builtin_offsetof(struct trapframe, tf_rip) == TF_RIP);
CTASSERT(__builtin_offsetof(struct trapframe, tf_cs) == TF_CS);
CTASSERT(__builtin_offsetof(struct trapframe, tf_rflags) == TF_RFLAGS);
CTASSERT(__builtin_offsetof(struct trapframe, tf_rsp) == TF_RSP);
CTASSERT(__builtin_offsetof(struct trapframe, tf_ss) == TF_SS);
CTASSERT(sizeof(struct trapframe) == TF_SIZE);

extern char kernel_end[];

/* How we were started: MB2_BOOTLOADER_MAGIC or PVH_START_MAGIC. */
uint32_t x86_boot_magic;

struct cpu_info cpu_info_primary = {
	.ci_self = &cpu_info_primary,
	.ci_index = 0,
	.ci_ilevel = IPL_HIGH,		/* interrupts stay off until spl0() */
	.ci_flags = CPUF_PRIMARY | CPUF_PRESENT | CPUF_RUNNING,
	.ci_idle_stack = (vaddr_t)boot_stack_top,
};

/* The legacy 8259 PICs: remap them away from the exception vectors and
 * mask every line.  Device interrupts go through the APICs. */
static void
pic_disable(void)
{
	outb(0x20, 0x11); outb(0xa0, 0x11);	/* ICW1: init */
	outb(0x21, 0x20); outb(0xa1, 0x28);	/* ICW2: vectors 32, 40 */
	outb(0x21, 0x04); outb(0xa1, 0x02);	/* ICW3: cascade */
	outb(0x21, 0x01); outb(0xa1, 0x01);	/* ICW4: 8086 mode */
	outb(0x21, 0xff); outb(0xa1, 0xff);	/* mask all */
}

static void
init_physmem(void)
{
	static struct vm_physseg segs[BI_MAXMEM + BI_MAXMOD + 8];
	int n = 0, max = __arraycount(segs);

	for (int i = 0; i < bootinfo.bi_nmem; i++) {
		const struct bootinfo_mem *m = &bootinfo.bi_mem[i];
		paddr_t s = round_page(m->bm_start), e = trunc_page(m->bm_end);

		if (m->bm_type == BI_MEM_AVAILABLE && s < e) {
			segs[n].vs_start = s;
			segs[n].vs_end = e;
			n++;
		}
	}
	/* The memory map may list overlapping holes; take them all out. */
	for (int i = 0; i < bootinfo.bi_nmem; i++)
		if (bootinfo.bi_mem[i].bm_type != BI_MEM_AVAILABLE)
			vm_physseg_exclude(segs, &n, max,
			    bootinfo.bi_mem[i].bm_start,
			    bootinfo.bi_mem[i].bm_end);
	vm_physseg_exclude(segs, &n, max, 0, 1024 * 1024);
	vm_physseg_exclude(segs, &n, max, KERNEL_LOAD_PADDR,
	    (paddr_t)kernel_end - KERNBASE);
	vm_physseg_exclude(segs, &n, max, bootinfo.bi_info_start,
	    bootinfo.bi_info_end);
	for (int i = 0; i < bootinfo.bi_nmod; i++)
		vm_physseg_exclude(segs, &n, max, bootinfo.bi_mod[i].bmod_start,
		    bootinfo.bi_mod[i].bmod_end);
	if (n == 0)
		panic("boot: the memory map lists no usable memory");
	vm_page_init(segs, n);
}

/* What the boot parsers may read: locore's boot page tables map the
 * first 4 GiB of physical memory in the direct map. */
static const void *
boot_map(paddr_t pa, size_t len)
{
	if (pa + len < pa || pa + len > (4UL << 30))
		return NULL;
	return pmap_direct_va(pa);
}

/*
 * The loader's boot information -> bootinfo, by the protocol `magic`
 * names (locore.S passes multiboot2's %eax, or the hvm_start_info's own
 * magic when it came in through the PVH entry).  Anything wrong is a
 * panic that says what: there is no way to go on without a memory map.
 */
static void
boot_parse(uint32_t magic, paddr_t info_pa)
{
	const struct mb2_info *mb;
	const char *err;

	x86_boot_magic = magic;
	switch (magic) {
	case MB2_BOOTLOADER_MAGIC:
		if ((mb = boot_map(info_pa, sizeof(*mb))) == NULL ||
		    boot_map(info_pa, mb->total_size) == NULL)
			panic("boot: boot information at %#lx reaches above "
			    "4 GiB", info_pa);
		err = multiboot2_parse(mb, info_pa, &bootinfo);
		break;
	case PVH_START_MAGIC:
		err = pvh_parse(info_pa, boot_map, &bootinfo);
		break;
	default:			/* locore checked; be sure */
		panic("boot: unknown boot protocol (magic %#x)", magic);
	}
	if (err != NULL)
		panic("boot: %s; cannot continue", err);
}

void
init_x86_64(uint32_t magic, paddr_t info_pa)
{
	wrmsr(MSR_GSBASE, (uint64_t)&cpu_info_primary);
	com_init();
	cpu_info_primary.ci_tss.tss_ist[IST_DOUBLEFAULT - 1] =
	    (uint64_t)df_stack_top;
	cpu_info_primary.ci_tss.tss_ist[IST_NMI - 1] = (uint64_t)nmi_stack_top;
	cpu_info_primary.ci_tss.tss_ist[IST_MCHK - 1] = (uint64_t)mc_stack_top;
	gdt_init_cpu(&cpu_info_primary);
	idt_init();
	idt_load();
	pic_disable();
	identifycpu();
	cpu_enable_features();

	boot_parse(magic, info_pa);

	init_physmem();
	pmap_bootstrap();
#ifdef KASAN
	kasan_init();
#endif
	main();
}

/*
 * Machine configuration, from main() once kmem works (interrupts still
 * off): ACPI tables, the local APIC, the clocks.  Without a usable MADT
 * the machine runs on the boot CPU alone, with the APIC the CPU reports.
 */
void
cpu_configure(void)
{
	const char *err;
	paddr_t lapic_pa;

	mi_cpu_attach(&cpu_info_primary);
	if ((err = acpi_init()) != NULL) {
		printf("acpi: %s; running on one CPU\n", err);
		memset(&madt, 0, sizeof(madt));
	}
	lapic_pa = madt.lapic_pa != 0 ? madt.lapic_pa :
	    (rdmsr(MSR_APICBASE) & ~(uint64_t)PAGE_MASK);
	lapic_bootstrap(lapic_pa);
	lapic_init_cpu();
	ioapic_init();
	if (!com_attach_intr())
		printf("com: no I/O APIC input for IRQ 4: no console input\n");
	cpu_info_primary.ci_cpuid = lapic_id();
	printf("lapic: %s mode%s, boot CPU APIC id %u; MADT lists %d CPU%s",
	    lapic_x2apic ? "x2APIC" : "xAPIC",
	    cpu_feature.has_x2apic ? "" : " (no x2APIC on this CPU)",
	    cpu_info_primary.ci_cpuid, madt.ncpu, madt.ncpu == 1 ? "" : "s");
	if (madt.ncpu_ignored != 0)
		printf(" (+%d beyond MAXCPUS=%d, ignored)", madt.ncpu_ignored,
		    MAXCPUS);
	printf(", %d I/O APIC%s\n", madt.nioapic, madt.nioapic == 1 ? "" : "s");

	clock_calibrate_tsc();
	clock_init();
	lapic_calibrate_timer();
	clock_start_cpu();
	printf("clock: TSC %lu.%03lu MHz (from %s), LAPIC timer %u Hz, hz %d\n",
	    x86_tsc_freq / 1000000, x86_tsc_freq / 1000 % 1000, x86_tsc_source,
	    lapic_timer_hz, hz);
}

void
cpu_boot_secondary_processors(void)
{
	cpu_attach_all();
}

const char *
cpu_getmodel(void)
{
	return cpu_feature.brand;
}

/* What the boot line "cpus: N running: cpu0 (...)" says of a CPU. */
void
cpu_describe(struct cpu_info *ci, char *buf, size_t len)
{
	snprintf(buf, len, "APIC id %u", ci->ci_cpuid);
}

void
cpu_banner_details(void)
{
	char buf[64];

	printf("cpu0: %s family %#x model %#x stepping %u; enabled: %s\n",
	    cpu_feature.vendor, cpu_feature.family, cpu_feature.model,
	    cpu_feature.stepping, cpu_feature_string(buf, sizeof(buf)));
	if (bootinfo.bi_rsdp_len != 0)
		printf("acpi: RSDP revision %u from the boot loader\n",
		    bootinfo.bi_rsdp[15]);
	if (bootinfo.bi_fb_addr != 0 && bootinfo.bi_fb_type == 2)
		printf("framebuffer: %ux%u text at %#lx\n",
		    bootinfo.bi_fb_width, bootinfo.bi_fb_height,
		    bootinfo.bi_fb_addr);
	else if (bootinfo.bi_fb_addr != 0)
		printf("framebuffer: %ux%u, %u bpp at %#lx\n",
		    bootinfo.bi_fb_width, bootinfo.bi_fb_height,
		    bootinfo.bi_fb_bpp, bootinfo.bi_fb_addr);
	for (int i = 0; i < bootinfo.bi_nmod; i++)
		printf("module %d: %#lx-%#lx '%s'\n", i,
		    bootinfo.bi_mod[i].bmod_start, bootinfo.bi_mod[i].bmod_end,
		    bootinfo.bi_mod[i].bmod_cmdline);
}

void
cnputc(int c)
{
	com_putc(c);
}

/*
 * Stop the machine.  Under QEMU (-device isa-debug-exit) the write makes
 * QEMU exit with status 33 (pass) or 35 (fail); on other machines we get
 * past it and halt with interrupts off.
 */
void
cpu_poweroff(bool ok)
{
	x86_disable_intr();
	outl(QEMU_EXIT_PORT, ok ? QEMU_EXIT_PASS : QEMU_EXIT_FAIL);
	for (;;)
		x86_hlt();
}

void
cpu_reboot_fail(void)
{
	cpu_poweroff(false);
}

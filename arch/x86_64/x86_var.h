/*
 * x86_var.h: declarations shared inside arch/x86_64 only.
 */
#ifndef _X86_64_X86_VAR_H_
#define _X86_64_X86_VAR_H_

#include <sys/types.h>
#include <machine/cpu.h>
#include <machine/pte.h>

struct trapframe;

/* identcpu.c: what CPUID said, filled by identifycpu(). */
struct cpu_feature {
	char	vendor[13];
	char	brand[49];
	u_int	family, model, stepping;
	bool	has_nx, has_pg1g, has_pge, has_smep, has_smap, has_umip;
	bool	has_x2apic;
};
extern struct cpu_feature cpu_feature;
void	identifycpu(void);
void	cpu_enable_features(void);
const char *cpu_feature_string(char *, size_t);

/* syscall.c */
void	syscall_init_cpu(void);

/* vm_machdep.c */
struct lwp;
struct trapframe *cpu_lwp_trapframe(struct lwp *);

/* gdt.c */
void	gdt_init_cpu(struct cpu_info *);
void	idt_init(void);
void	idt_load(void);

/* trap.c */
void	trap(struct trapframe *);
extern const char *const trap_names[32];

/* com.c: the 16550 serial console */
void	com_init(void);
void	com_putc(int);
void	com_intr(void);
bool	com_attach_intr(void);

/* ioapic.c */
void	ioapic_init(void);
bool	ioapic_route_isa(int, u_int, uint32_t);
uint32_t ioapic_isa_entry(int);

/* pmap.c */
extern pt_entry_t *kernel_pml4;
extern paddr_t	kernel_pml4_pa;
pt_entry_t	pmap_kernel_pte(vaddr_t, vsize_t *);
#ifdef KASAN
void		pmap_kasan_shadow(vaddr_t, vaddr_t);	/* kasan_machdep.c's */
#endif
void	pmap_tlb_shootdown(vaddr_t, vsize_t);
void	pmap_tramp_enter(paddr_t);
void	pmap_tramp_remove(paddr_t);

/* clock.c */
extern const char *x86_tsc_source;
void	clock_calibrate_tsc(void);
void	clock_pit_start(void);
void	clock_pit_sample(uint16_t *, uint64_t *);
void	clock_start_cpu(void);

/* cpu.c: the other CPUs */
void	cpu_attach_all(void);
void	cpu_panic_nmi(struct trapframe *);

/* intr.c */
void	intr_dispatch(struct trapframe *);
const char *intr_name(uint64_t);

/* bootinfo.c: what the boot-information parsers (multiboot.c, pvh.c)
 * share.  Memory beyond BOOT_PHYS_LIMIT is ignored: the direct map
 * covers 64 TiB. */
#define BOOT_PHYS_LIMIT	0x400000000000UL
struct bootinfo;
void	bootinfo_copystr(char *, size_t, const void *, size_t);
const char *bootinfo_add_mem(struct bootinfo *, uint64_t, uint64_t,
	    uint32_t);

/* machdep.c */
void	init_x86_64(uint32_t, paddr_t) __dead;
extern uint32_t x86_boot_magic;
extern char boot_stack[], boot_stack_top[];

/* QEMU's isa-debug-exit device: QEMU exits with status (code << 1) | 1. */
#define QEMU_EXIT_PORT	0xf4
#define QEMU_EXIT_PASS	0x10	/* qemu exits 33 */
#define QEMU_EXIT_FAIL	0x11	/* qemu exits 35 */

#endif /* !_X86_64_X86_VAR_H_ */

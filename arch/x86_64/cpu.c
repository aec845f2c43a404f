/*
 * cpu.c: the other CPUs: starting them, their idle loop, and stopping
 * them when the kernel panics.
 *
 * Start-up (cpu_attach_all, on the boot CPU, once):
 *
 *   boot CPU                                   AP
 *   ────────                                   ──
 *   copy mptramp to a free page below 1 MiB
 *   identity-map that page (pmap_tramp_enter)
 *   for each enabled MADT CPU but ourselves:
 *     cpu_info, idle stack, IST stacks
 *     trampoline parameters: stack, ci,
 *       the APIC id they are for
 *     INIT, 10 ms, SIPI, 200 us, SIPI  ──────▶  mptramp.S: real mode:
 *                                               claim them (APIC id ->
 *                                               CLAIMED; not ours: halt)
 *                                               -> long mode -> high half
 *     wait (<= 1 s) for the ack ◀───────────  mptramp_ack = 1 (params read)
 *       (none: withdraw them, INIT)             cpu_hatch(): %gs, GDT/TSS,
 *                                               IDT, CPU features, LAPIC
 *     wait (<= 1 s) for CPUF_RUNNING ◀──────  sets CPUF_RUNNING
 *     cpu_infos[ncpu++] = ci                    mi_cpu_hatch(): idle LWP
 *                                               runs; timer; idle_loop()
 *   drop the identity mapping
 *
 * One AP starts at a time, so they can share the trampoline page: the
 * next AP's parameters are written only after the previous AP said it
 * has read its own.  An AP that does not report in is named and
 * skipped.
 */
#include <sys/systm.h>
#include <sys/bootinfo.h>
#include <sys/bootopt.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/kmem.h>
#include <sys/ksyms.h>
#include <sys/kstack.h>
#include <sys/lwp.h>
#include <sys/sched.h>
#include <sys/param.h>
#include <sys/pmap.h>
#include <sys/time.h>
#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/specialreg.h>
#include "acpivar.h"
#include "lapicreg.h"
#include "x86_var.h"

extern char mptramp_start[], mptramp_end[];
extern char mptramp_cr3[], mptramp_efer[], mptramp_stack[], mptramp_ci[];
extern char mptramp_entry[], mptramp_ack[], mptramp_apicid[];
extern char cpu_hatch_start[];

/* How long an AP has to take its parameters, and then to report in.
 * A real CPU needs microseconds; 1 s is for a host that does not run
 * the AP's vCPU thread (100 ms was not enough: 12 busy vCPUs on a
 * 2-core host left one out, and the boot ran on 3 of 4 CPUs). */
#define AP_START_TIMEOUT_US	1000000
/* An AP that has claimed the parameters is a few instructions from its
 * ack; only a host that does not run it for this long keeps it there. */
#define AP_CLAIMED_TIMEOUT_US	2000000

/* mptramp_apicid: no AP's (the boot CPU gave up), or taken (mptramp.S). */
#define MPTRAMP_NONE		0xffffffffU
#define MPTRAMP_CLAIMED		0xfffffffeU

/* What became of an AP start-up (cpu_start). */
enum cpu_start_result {
	CPU_STARTED,		/* running */
	CPU_SKIPPED,		/* left out; the trampoline page is free */
	CPU_SKIPPED_TRAMP_BUSY,	/* left out, but it may still be in the
				 * trampoline: keep the page as it is */
};

void	cpu_hatch(struct cpu_info *) __dead;

/*
 * Fault injection for the tests (tools/test, scenarios ap-fail and
 * ap-lost): play an AP that ignores its SIPIs, one that reports in too
 * late, and one that starts only after it was given up on.  -1: none.
 */
BOOTOPT("selftest_ap_nostart", "test: send no SIPI to this APIC id");
BOOTOPT("selftest_ap_late", "test: this APIC id reports in too late");
BOOTOPT("selftest_ap_lost", "test: give up on this APIC id before its "
    "SIPIs are sent");
static int cpu_test_nostart = -1, cpu_test_late = -1;	/* (c) */
static int cpu_test_lost = -1;				/* (c) */

static int
cpu_test_opt(const char *name)
{
	const char *v = bootopt_get(name);

	return v != NULL && *v != '\0' ? (int)strtoul(v, NULL, 10) : -1;
}

/* A free page below 1 MiB (vm_page never hands these out). */
static paddr_t
mptramp_page(void)
{
	for (int i = 0; i < bootinfo.bi_nmem; i++) {
		const struct bootinfo_mem *m = &bootinfo.bi_mem[i];
		paddr_t pa = MAX(round_page(m->bm_start), 0x1000UL);

		if (m->bm_type == BI_MEM_AVAILABLE &&
		    pa + PAGE_SIZE <= MIN(m->bm_end, 0x9f000UL))
			return pa;
	}
	return 0;
}

static void
mptramp_set(paddr_t tramp, const char *param, uint64_t v)
{
	*(uint64_t *)pmap_direct_va(tramp + (param - mptramp_start)) = v;
}

/* A fresh cpu_info for the AP with APIC id `apic_id`, or NULL. */
static struct cpu_info *
cpu_alloc(uint32_t apic_id, uint32_t acpi_id)
{
	struct cpu_info *ci = kmem_zalloc(sizeof(*ci), KM_SLEEP);
	vaddr_t stk;

	if (ci == NULL)
		return NULL;
	ci->ci_self = ci;
	ci->ci_index = ncpu;
	ci->ci_cpuid = apic_id;
	ci->ci_acpiid = acpi_id;
	ci->ci_ilevel = IPL_HIGH;
	ci->ci_flags = CPUF_PRESENT;
	for (int i = 0; i < NIST; i++) {
		if ((stk = kstack_alloc()) == 0)
			goto fail;
		ci->ci_tss.tss_ist[i] = stk + KSTACK_SIZE;
	}
	/* Run queue, locks, and the idle LWP whose stack the AP boots on. */
	mi_cpu_attach(ci);
	ci->ci_idle_stack = ci->ci_idlelwp->l_kstack + KSTACK_SIZE;
	return ci;
fail:
	for (int i = 0; i < NIST; i++)
		if (ci->ci_tss.tss_ist[i] != 0)
			kstack_free(ci->ci_tss.tss_ist[i] - KSTACK_SIZE);
	kmem_free(ci, sizeof(*ci));
	return NULL;
}

/* Wait up to `us` for *p to have one of `bits`. */
static bool
cpu_wait_flag(volatile void *p, bool is64, uint64_t bits, int us)
{
	for (int t = 0; t < us; t += 100) {
		uint64_t v = is64 ? *(volatile uint64_t *)p :
		    (uint64_t)*(volatile int *)p;
		if (v & bits)
			return true;
		delay(100);
	}
	return false;
}

/*
 * INIT-SIPI-SIPI, then wait for the AP to take its parameters (the
 * trampoline's ack) and to report in.
 *
 * An AP that has not taken them in time is given up: the parameters
 * are withdrawn (mptramp_apicid from its id to MPTRAMP_NONE) and it is
 * sent INIT again.  The INIT alone is not enough: an AP whose INIT and
 * SIPI are still pending (under QEMU, a vCPU thread the host has not
 * run for 1 s) keeps the SIPI across the INIT and starts later; it
 * then finds the parameters are not its own and halts in the
 * trampoline.  If the AP claimed them first, it is inside the
 * trampoline and is waited for a while longer; one that still has not
 * left it is abandoned with the page kept as it is.
 */
static enum cpu_start_result
cpu_start(struct cpu_info *ci, paddr_t tramp)
{
	volatile uint64_t *ack = pmap_direct_va(tramp +
	    (mptramp_ack - mptramp_start));
	uint32_t *apicid = pmap_direct_va(tramp +
	    (mptramp_apicid - mptramp_start));
	bool lost = (int)ci->ci_cpuid == cpu_test_lost;

	mptramp_set(tramp, mptramp_stack, ci->ci_idle_stack);
	mptramp_set(tramp, mptramp_ci, (uint64_t)ci);
	*ack = 0;
	__atomic_store_n(apicid, ci->ci_cpuid, __ATOMIC_SEQ_CST);

	if (lost) {
		/* The test: what a host that does not run the AP's vCPU for
		 * 1 s looks like.  Given up on (parameters withdrawn)
		 * before INIT, SIPI, SIPI go out back to back, so the parking
		 * INIT below finds them all still pending. */
		__atomic_store_n(apicid, MPTRAMP_NONE, __ATOMIC_SEQ_CST);
		lapic_send_ipi(ci->ci_cpuid, LAPIC_DM_INIT | LAPIC_LEVEL_ASSERT);
		lapic_send_ipi(ci->ci_cpuid, LAPIC_DM_STARTUP | (tramp >> 12));
		lapic_send_ipi(ci->ci_cpuid, LAPIC_DM_STARTUP | (tramp >> 12));
	} else {
		lapic_send_ipi(ci->ci_cpuid, LAPIC_DM_INIT | LAPIC_LEVEL_ASSERT);
		delay(10000);
		for (int i = 0; i < 2 && *ack == 0 &&
		    (int)ci->ci_cpuid != cpu_test_nostart; i++) {
			lapic_send_ipi(ci->ci_cpuid,
			    LAPIC_DM_STARTUP | (tramp >> 12));
			delay(200);
		}
	}
	if (lost || !cpu_wait_flag(ack, true, 1, AP_START_TIMEOUT_US)) {
		/* Give up: withdraw the parameters, unless it has claimed
		 * them already. */
		if (__atomic_exchange_n(apicid, MPTRAMP_NONE,
		    __ATOMIC_SEQ_CST) != MPTRAMP_CLAIMED) {
			lapic_send_ipi(ci->ci_cpuid,
			    LAPIC_DM_INIT | LAPIC_LEVEL_ASSERT);
			printf("cpu: APIC id %u did not start within %d ms; "
			    "parked and skipped\n", ci->ci_cpuid,
			    AP_START_TIMEOUT_US / 1000);
			return CPU_SKIPPED;
		}
		/* It claimed them: it is in the trampoline, and needs the
		 * page and its identity mapping until it acks. */
		if (!cpu_wait_flag(ack, true, 1, AP_CLAIMED_TIMEOUT_US)) {
			__atomic_fetch_or(&ci->ci_flags, CPUF_ABANDONED,
			    __ATOMIC_ACQ_REL);
			printf("cpu: APIC id %u entered the AP trampoline but "
			    "did not leave it within %d ms; left out, and no "
			    "more CPUs started\n", ci->ci_cpuid,
			    (AP_START_TIMEOUT_US + AP_CLAIMED_TIMEOUT_US) /
			    1000);
			return CPU_SKIPPED_TRAMP_BUSY;
		}
	}
	/* Abandoning races with reporting in: whichever flag is set first
	 * wins, and a late AP that finds itself abandoned halts. */
	if (!cpu_wait_flag(&ci->ci_flags, false, CPUF_RUNNING,
	    AP_START_TIMEOUT_US) &&
	    !(__atomic_fetch_or(&ci->ci_flags, CPUF_ABANDONED,
	    __ATOMIC_ACQ_REL) & CPUF_RUNNING)) {
		printf("cpu: APIC id %u started but did not report in within "
		    "%d ms; left out\n", ci->ci_cpuid,
		    AP_START_TIMEOUT_US / 1000);
		return CPU_SKIPPED;
	}
	return CPU_STARTED;
}

/* Start every other CPU the MADT lists.  Boot CPU, interrupts on. */
void
cpu_attach_all(void)
{
	uint32_t self = lapic_id();
	paddr_t tramp;

	if (madt.ncpu <= 1)
		return;
	cpu_test_nostart = cpu_test_opt("selftest_ap_nostart");
	cpu_test_late = cpu_test_opt("selftest_ap_late");
	cpu_test_lost = cpu_test_opt("selftest_ap_lost");
	if ((tramp = mptramp_page()) == 0) {
		printf("cpu: no free page below 1 MiB for the AP trampoline; "
		    "running on one CPU\n");
		return;
	}
	memcpy(pmap_direct_va(tramp), mptramp_start,
	    mptramp_end - mptramp_start);
	KASSERT(kernel_pml4_pa < (4UL << 30));	/* a 32-bit %cr3 load */
	mptramp_set(tramp, mptramp_cr3, kernel_pml4_pa);
	mptramp_set(tramp, mptramp_efer,
	    EFER_LME | (cpu_feature.has_nx ? EFER_NXE : 0));
	mptramp_set(tramp, mptramp_entry, (uint64_t)cpu_hatch_start);
	pmap_tramp_enter(tramp);

	for (int i = 0; i < madt.ncpu; i++) {
		struct cpu_info *ci;

		if (madt.cpu[i].apic_id == self)
			continue;
		if ((ci = cpu_alloc(madt.cpu[i].apic_id,
		    madt.cpu[i].acpi_id)) == NULL) {
			printf("cpu: out of memory for APIC id %u\n",
			    madt.cpu[i].apic_id);
			break;
		}
		/* A CPU left out keeps its cpu_info and stacks: a late AP
		 * may still be using them. */
		switch (cpu_start(ci, tramp)) {
		case CPU_STARTED:
			__atomic_store_n(&cpu_infos[ncpu], ci,
			    __ATOMIC_RELEASE);
			__atomic_store_n(&ncpu, ncpu + 1, __ATOMIC_RELEASE);
			continue;
		case CPU_SKIPPED:
			continue;
		case CPU_SKIPPED_TRAMP_BUSY:
			return;		/* the page and its mapping stay */
		}
	}
	pmap_tramp_remove(tramp);
}

/*
 * An AP, on its idle LWP's stack, straight from the trampoline: set up
 * the CPU, report in, become the idle LWP (mi_cpu_hatch: LSONPROC,
 * LP_RUNNING), start the clock and run the idle loop, which takes work
 * as soon as there is some.
 */
void
cpu_hatch(struct cpu_info *ci)
{
	lwp_t *l = ci->ci_idlelwp;

	wrmsr(MSR_GSBASE, (uint64_t)ci);
	gdt_init_cpu(ci);
	idt_load();
	cpu_enable_features();
	lapic_init_cpu();
	KASSERT(lapic_id() == ci->ci_cpuid);
	if ((int)ci->ci_cpuid == cpu_test_late)	/* until given up on */
		while (!(__atomic_load_n(&ci->ci_flags, __ATOMIC_ACQUIRE) &
		    CPUF_ABANDONED))
			__asm volatile("pause");

	if (__atomic_fetch_or(&ci->ci_flags, CPUF_RUNNING, __ATOMIC_ACQ_REL) &
	    CPUF_ABANDONED) {
		/* Too late: the boot CPU gave up on us.  Say so and stop. */
		printf("cpu: APIC id %u reported in late; halted\n",
		    ci->ci_cpuid);
		for (;;)
			__asm volatile("cli; hlt");
	}

	/* curlwp and the stack an interrupt from user mode would use are
	 * the idle LWP's; mi_cpu_hatch makes it the LWP that runs here. */
	ci->ci_curlwp = l;
	ci->ci_tss.tss_rsp0 = l->l_kstack + KSTACK_SIZE;
	mi_cpu_hatch(ci);

	clock_start_cpu();
	idle_loop(NULL);
}

/*
 * Panic, step 1: stop every other CPU with an NMI (it gets through even
 * if that CPU spins with interrupts off).  Each records where it was
 * and waits, silent, so the panic message comes out whole.  Bounded: a
 * CPU that does not answer within 100 ms is named and left running.
 */
static volatile int panic_dump_index = -1;	/* who may print now */

void
cpu_halt_others(void)
{
	struct cpu_info *self = curcpu(), *ci;
	CPU_INFO_ITERATOR cii;

	CPU_INFO_FOREACH(cii, ci)
		if (ci != self && (ci->ci_flags & (CPUF_RUNNING |
		    CPUF_MADEUP)) == CPUF_RUNNING)
			lapic_send_ipi(ci->ci_cpuid, LAPIC_DM_NMI);
	CPU_INFO_FOREACH(cii, ci) {
		if (ci == self || (ci->ci_flags & (CPUF_RUNNING |
		    CPUF_MADEUP)) != CPUF_RUNNING)
			continue;
		for (int us = 0; us < 100000 &&
		    !(ci->ci_flags & CPUF_PAUSED); us += 100)
			delay(100);
		if (!(ci->ci_flags & CPUF_PAUSED))
			printf("cpu%u: did not stop for the panic (no answer "
			    "to its NMI)\n", ci->ci_index);
	}
}

/* Panic, step 2 (after the message): each stopped CPU, in turn, prints
 * where it was. */
void
cpu_dump_others(void)
{
	struct cpu_info *self = curcpu(), *ci;
	CPU_INFO_ITERATOR cii;

	CPU_INFO_FOREACH(cii, ci) {
		if (ci == self || !(ci->ci_flags & CPUF_PAUSED))
			continue;
		__atomic_store_n(&panic_dump_index, (int)ci->ci_index,
		    __ATOMIC_RELEASE);
		for (int us = 0; us < 500000 && panic_dump_index != -1;
		    us += 100)
			delay(100);
	}
}

/* The NMI handler while the system panics: stop, report when asked. */
void
cpu_panic_nmi(struct trapframe *tf)
{
	struct cpu_info *ci = curcpu();
	char sym[80];

	__atomic_or_fetch(&ci->ci_flags, CPUF_PAUSED, __ATOMIC_RELEASE);
	while (__atomic_load_n(&panic_dump_index, __ATOMIC_ACQUIRE) !=
	    (int)ci->ci_index)
		__asm volatile("pause");
	ksyms_format(tf->tf_rip, sym, sizeof(sym));
	printf("cpu%u: stopped for the panic at %#lx <%s>, running LWP %d "
	    "(%s)\n", ci->ci_index, tf->tf_rip, sym,
	    ci->ci_curlwp != NULL ? ci->ci_curlwp->l_lid : -1,
	    ci->ci_curlwp != NULL && ci->ci_curlwp->l_name != NULL ?
	    ci->ci_curlwp->l_name : "none");
	cpu_backtrace(tf);
	__atomic_store_n(&panic_dump_index, -1, __ATOMIC_RELEASE);
	for (;;)
		x86_hlt();	/* NMIs stay blocked: we never iret */
}

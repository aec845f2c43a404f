/*
 * t_cpu.c: ktests for the x86 side of SMP bring-up: every CPU the MADT
 * lists is running with its own cpu_info, GDT, TSS and stacks; uptime
 * agrees with the PIT.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/cpu_counter.h>
#include <sys/intr.h>
#include <sys/ktest.h>
#include <sys/kthread.h>
#include <sys/kstack.h>
#include <sys/lock.h>
#include <sys/lwp.h>
#include <sys/param.h>
#include <sys/pmap.h>
#include <sys/sleepq.h>
#include <sys/time.h>
#include <sys/vm_page.h>
#include <sys/xcall.h>
#include <machine/cpufunc.h>
#include <machine/specialreg.h>
#include "acpivar.h"
#include "lapicreg.h"
#include "x86_var.h"

KTEST(cpu_all_madt_cpus_running)
{
	struct cpu_info *ci, *cj;
	CPU_INFO_ITERATOR cii, cjj;

	KT_EQ(ncpu, madt.ncpu > 0 ? madt.ncpu : 1);
	KT_ASSERT(cpu_lookup(0) == &cpu_info_primary);
	CPU_INFO_FOREACH(cii, ci) {
		KT_EQ(cpu_index(ci), cii);
		KT_ASSERT(ci->ci_self == ci);
		KT_ASSERT(ci->ci_flags & CPUF_RUNNING);
		KT_ASSERT(ci->ci_schedstate.spc_mutex != NULL);
		KT_ASSERT(ci->ci_schedstate.spc_lwplock != NULL);
		CPU_INFO_FOREACH(cjj, cj)
			if (cj != ci)
				KT_ASSERT(cj->ci_cpuid != ci->ci_cpuid);
	}
	KT_ASSERT(cpu_lookup(ncpu) == NULL);
}

static struct {
	struct cpu_info	*self;
	uint32_t	apic_id;
	uint16_t	tr;
	uint64_t	gdtbase, cr4, efer;
	vaddr_t		rsp;
} t_seen[MAXCPUS];

static void
t_xc_whoami(void *a1, void *a2)
{
	struct cpu_info *ci = curcpu();
	struct region_descriptor gdtr;
	u_int i = cpu_index(ci);

	__asm volatile("sgdt %0" : "=m"(gdtr));
	__asm volatile("str %0" : "=r"(t_seen[i].tr));
	t_seen[i].self = ci;
	t_seen[i].apic_id = lapic_id();
	t_seen[i].gdtbase = gdtr.rd_base;
	t_seen[i].cr4 = rcr4();
	t_seen[i].efer = rdmsr(MSR_EFER);
	t_seen[i].rsp = (vaddr_t)__builtin_frame_address(0);
}

/* Each CPU, asked directly, is who cpu_infos[] says: its own %gs, APIC
 * id, GDT and TSS, the protection features on, its own stack. */
KTEST(cpu_each_has_own_state)
{
	struct cpu_info *ci;
	CPU_INFO_ITERATOR cii;

	memset(t_seen, 0, sizeof(t_seen));
	xc_wait(xc_broadcast(XC_HIGHPRI, t_xc_whoami, NULL, NULL));
	CPU_INFO_FOREACH(cii, ci) {
		KT_ASSERT(t_seen[cii].self == ci);
		KT_EQ(t_seen[cii].apic_id, ci->ci_cpuid);
		KT_EQ(t_seen[cii].gdtbase, (uint64_t)ci->ci_gdt);
		KT_EQ(t_seen[cii].tr, GSEL(GTSS_SEL, SEL_KPL));
		KT_EQ(t_seen[cii].cr4, rcr4());
		KT_ASSERT(t_seen[cii].efer & EFER_NXE);
		/* Running on its own idle (or boot) stack. */
		KT_ASSERT(t_seen[cii].rsp < ci->ci_idle_stack);
		KT_ASSERT(t_seen[cii].rsp > ci->ci_idle_stack - KSTACK_SIZE);
	}
	/* The AP trampoline's identity mapping is gone again. */
	KT_EQ(kernel_pml4[0], 0);
}

/*
 * An NMI can arrive in kernel mode with the user's %gs base loaded
 * (between the swapgs and the sysretq of a return to user mode), where
 * %cs says "kernel" but %gs:0 is not our cpu_info.  paranoid_traps must
 * go by the GS base itself.  Play it: interrupts off, swapgs (the
 * user's base, 0, is now loaded), `int $2` (the NMI's vector and IST
 * stack), swapgs back.  The NMI reports where it hit (a debugger NMI),
 * counts itself on this CPU, and we carry on.
 */
KTEST(trap_nmi_with_user_gs_base)
{
	uint64_t before;
	int s;

	kpreempt_disable();
	before = curcpu()->ci_nnmi;
	s = splhigh();
	KT_EQ(rdmsr(MSR_KERNELGSBASE), 0);	/* the user's */
	__asm volatile("swapgs; int $2; swapgs" ::: "memory");
	splx(s);
	KT_EQ(curcpu()->ci_nnmi, before + 1);
	KT_EQ(rdmsr(MSR_KERNELGSBASE), 0);
	KT_EQ(rdmsr(MSR_GSBASE), (uint64_t)curcpu());
	kpreempt_enable();
}

/*
 * nanouptime against QEMU's clock, the PIT: over ~40 ms of PIT time
 * (read together with the TSC, as the calibration does), uptime must
 * agree within 3%.  Five rounds, to catch drift.  A busy host can
 * deschedule the virtual CPU between the PIT and TSC reads of one
 * sample (QEMU's PIT port is behind its big lock), so a round gets ten
 * tries; a wrong calibration fails all of them.
 */
static volatile int t_ping_spin, t_ping_stop;

/* Spin with interrupts off (IPL_HIGH) until told to stop. */
static void
t_ping_spinner(void *arg)
{
	int s = splhigh();

	t_ping_spin = 1;
	while (!t_ping_stop)
		SPINLOCK_BACKOFF_HOOK;
	splx(s);
}

/* A local APIC id no CPU has, and not the broadcast one (0xff in xAPIC
 * mode); 0 (the boot CPU's) if there is none: 255 CPUs in xAPIC mode. */
static uint32_t
t_unused_apic_id(void)
{
	struct cpu_info *ci;
	CPU_INFO_ITERATOR cii;

	for (uint32_t id = lapic_x2apic ? 0x1000 : 254; id > 0; id--) {
		bool taken = false;

		CPU_INFO_FOREACH(cii, ci)
			taken |= ci->ci_cpuid == id;
		if (!taken)
			return id;
	}
	return 0;
}

/*
 * cpu_ping (trap.c), which the spin-out clock asks (kern_mutex.c,
 * spinout_ping): a CPU that runs answers the NMI, even while it spins
 * with interrupts off; a CPU that never takes it -- here one whose local
 * APIC id no CPU has, standing in for a virtual CPU its host does not
 * run -- does not, within the time given; nor does a made-up CPU (sent
 * nothing).
 */
KTEST(cpu_ping_tells_run_from_unrun)
{
	static struct cpu_info nobody;
	bool answered;
	lwp_t *l;

	if (ncpu < 2)
		KT_SKIP("needs 2 CPUs");
	t_ping_spin = t_ping_stop = 0;
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, cpu_lookup(ncpu - 1),
	    t_ping_spinner, NULL, &l, "t_ping"), 0);
	while (!t_ping_spin)
		(void)kpause("t_ping", false, 1, NULL);
	answered = cpu_ping(cpu_lookup(ncpu - 1), 10000);
	t_ping_stop = 1;
	KT_EQ(kthread_join(l), 0);
	KT_ASSERT(answered);

	memset(&nobody, 0, sizeof(nobody));
	nobody.ci_self = &nobody;
	nobody.ci_flags = CPUF_PRESENT | CPUF_RUNNING;
	if ((nobody.ci_cpuid = t_unused_apic_id()) == 0)
		KT_SKIP("a running CPU answered; no free xAPIC id to stand "
		    "for one that is not run");
	KT_ASSERT(!cpu_ping(&nobody, 20));
	nobody.ci_flags |= CPUF_MADEUP;
	KT_ASSERT(!cpu_ping(&nobody, 20));
}

KTEST(clock_uptime_matches_pit)
{
	for (int round = 0; round < 5; round++) {
		uint16_t c0, c1;
		uint64_t t0, t1, pit_ns = 0, ns = 0;
		bool agree = false;

		for (int try = 0; try < 10 && !agree; try++) {
			clock_pit_start();
			clock_pit_sample(&c0, &t0);
			delay(40000);
			clock_pit_sample(&c1, &t1);
			KT_ASSERT(c0 != c1);
			pit_ns = (uint64_t)(uint16_t)(c0 - c1) * 1000000000UL /
			    1193182;
			/* Convert the TSC delta the way nsuptime() does. */
			ns = (t1 - t0) * 1000000UL / (cpu_frequency() / 1000);
			/* (Under 30 ms: the 16-bit count wrapped while the
			 * host held us back for 15 ms or more: try again.) */
			agree = pit_ns > 30000000UL &&
			    ns > pit_ns * 97 / 100 && ns < pit_ns * 103 / 100;
		}
		if (!agree)
			printf("uptime %lu ns vs PIT %lu ns\n", ns, pit_ns);
		KT_ASSERT(agree);
	}
	KT_ASSERT(lapic_timer_hz > 0);
}

/* Kernel stacks: guard page unmapped, stack mapped, cached when freed,
 * gone when the cache is drained. */
KTEST(kstack_guard_and_free)
{
	vaddr_t s = kstack_alloc();
	size_t n = kstack_count();

	KT_ASSERT(s != 0);
	KT_ASSERT(!pmap_extract(s - PAGE_SIZE, NULL));
	KT_ASSERT(kstack_is_guard(s - PAGE_SIZE));
	KT_ASSERT(kstack_is_guard(s - 1));
	KT_ASSERT(!kstack_is_guard(s));
	for (vaddr_t va = s; va < s + KSTACK_SIZE; va += PAGE_SIZE)
		KT_ASSERT(pmap_extract(va, NULL));
	memset((void *)s, 0xab, KSTACK_SIZE);
	kstack_free(s);
	KT_EQ(kstack_count(), n - 1);
	/* Freed, it waits in the cache, mapped, for the next allocation. */
	KT_EQ(kstack_alloc(), s);
	KT_EQ(kstack_count(), n);
	kstack_free(s);
	kstack_drain();
	KT_ASSERT(!kstack_is_guard(s - PAGE_SIZE));
	for (vaddr_t va = s; va < s + KSTACK_SIZE; va += PAGE_SIZE)
		KT_ASSERT(!pmap_extract(va, NULL));
}

static volatile uint64_t t_tlb_seen[MAXCPUS];

static void
t_xc_read(void *va, void *a2)
{
	t_tlb_seen[cpu_index(curcpu())] = *(volatile uint64_t *)va;
}

/*
 * TLB shoot-down: every CPU reads a kernel VA (so its TLB caches the
 * translation), the VA is unmapped and mapped again to another page,
 * and every CPU must then read the new page.  A CPU whose TLB kept the
 * old entry (QEMU keeps one per CPU too) would read the old value.
 */
KTEST(pmap_tlb_shootdown_all_cpus)
{
	vaddr_t va = KVA_BASE + 0x2000000;
	paddr_t a = vm_page_alloc(1, VM_PAGE_ZERO);
	paddr_t b = vm_page_alloc(1, VM_PAGE_ZERO);

	KT_ASSERT(a != VM_PAGE_NONE && b != VM_PAGE_NONE);
	*(uint64_t *)pmap_direct_va(a) = 0xaaaa;
	*(uint64_t *)pmap_direct_va(b) = 0xbbbb;
	pmap_kenter_pa(va, a, VM_PROT_READ);
	for (int round = 0; round < 3; round++) {
		xc_wait(xc_broadcast(XC_HIGHPRI, t_xc_read, (void *)va, NULL));
		for (u_int i = 0; i < ncpu; i++)
			KT_EQ(t_tlb_seen[i], round % 2 ? 0xbbbb : 0xaaaa);
		pmap_kremove(va, PAGE_SIZE);
		pmap_kenter_pa(va, round % 2 ? a : b, VM_PROT_READ);
	}
	pmap_kremove(va, PAGE_SIZE);
	vm_page_free(a, 1);
	vm_page_free(b, 1);
}

/* The console's receive interrupt is routed (if there is an I/O APIC). */
KTEST(ioapic_com1_routed)
{
	uint32_t e;

	if (madt.nioapic == 0)
		KT_SKIP("no I/O APIC (no ACPI MADT?)");
	e = ioapic_isa_entry(4);
	KT_ASSERT(e != ~0u);
	KT_EQ(e & 0xff, IRQ_VECTOR_BASE + 4);
	KT_EQ(e & 0x10000, 0);			/* not masked */
	KT_EQ(e & 0x700, 0);			/* fixed delivery */
}

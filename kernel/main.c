/*
 * main.c: machine-independent start-up.
 *
 * The arch layer (its C entry in arch/x86_64/machdep.c) has set up
 * the CPU, the console, the boot information, physical memory and the
 * kernel page tables; main() prints the banner, brings up the
 * machine-independent subsystems and the other CPUs, and then either
 * runs the in-kernel tests (ktest=...) and powers off, or starts user
 * space: process 1 runs /sbin/init (docs/boot.md, docs/userland.md).
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/bootopt.h>
#include <sys/callout.h>
#include <sys/cpu.h>
#include <sys/heartbeat.h>
#include <sys/intr.h>
#include <sys/kmem.h>
#include <sys/ksem.h>
#include <sys/ksyms.h>
#include <sys/ktest.h>
#include <sys/initrd.h>
#include <sys/lockstat.h>
#include <sys/jitter.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/sleepq.h>
#include <sys/time.h>
#include <sys/trace.h>
#include <sys/tty.h>
#include <sys/turnstile.h>
#include <sys/vm_page.h>
#include <sys/xcall.h>

static void
print_cpus(void)
{
	struct cpu_info *ci;
	CPU_INFO_ITERATOR cii;
	char id[32];

	printf("cpus: %u running:", ncpu);
	CPU_INFO_FOREACH(cii, ci) {
		cpu_describe(ci, id, sizeof(id));
		printf(" cpu%u (%s)", cpu_index(ci), id);
	}
	printf("\n");
}

void __dead
main(void)
{
	struct vm_page_stats ps;
	const char *tests;

	vm_page_stats(&ps);
	printf("\nlwpkern: a NetBSD-style LWP teaching kernel for %s\n",
	    MACHINE_ARCH_NAME);
	printf("cpu0: %s\n", cpu_getmodel());
	cpu_banner_details();
	printf("memory: %zu MiB usable, %zu MiB free, %zu symbols\n",
	    ps.vps_total >> (20 - PAGE_SHIFT),
	    ps.vps_free >> (20 - PAGE_SHIFT), ksyms_count());
	printf("boot loader: %s\n", bootinfo.bi_loader[0] != '\0' ?
	    bootinfo.bi_loader : "(unnamed)");
	printf("command line: '%s'\n", bootinfo.bi_cmdline);
	bootopt_parse(bootinfo.bi_cmdline);
	jitter_init();
	heartbeat_init();

	kmem_init();
	sleeptab_init();
	turnstile_init();
	callout_startup();
	procinit();
	cpu_configure();		/* also attaches cpu0's run queue */
	lwpinit();			/* we are lwp0 from here on */
	/* Early tests: before anything is scheduled (sys/ktest.h). */
	if ((tests = bootopt_get("ktest")) != NULL)
		ktest_run_early(tests[0] != '\0' ? tests : "all");
	create_idle_lwp(curcpu());
	lockdebug_init();
	lockstat_init();
	spl0();				/* interrupts on */
	cpu_boot_secondary_processors();
	xc_init();			/* low-priority cross-call threads */
	print_cpus();
	trace_init();

	if ((tests = bootopt_get("ktest")) != NULL) {
		bool ok = ktest_run(tests[0] != '\0' ? tests : "all") == 0;

		jitter_report();
		heartbeat_report();
		trace_dump();		/* as reboot(2) does: trace= with ktest= */
		cpu_poweroff(ok);
	}

	/* User space: process 1 runs /sbin/init (or init=). */
	initrd_init();
	cons_tty_init();
	itimer_init();
	ksem_init();
	proc_start_init();

	/* lwp0 has nothing more to do (NetBSD's becomes the swapper). */
	for (;;)
		kpause("lwp0", false, 1000 * hz, NULL);
}

/*
 * kern_panic.c: panic() and failed assertions.
 *
 * A panic stops the other CPUs (an NMI each), prints the message, this
 * CPU's registers and a symbolized backtrace, then lets each stopped CPU
 * print where it was, and stops the machine: under QEMU it exits with a
 * failure status (tools/qemu-run turns that into a failed test),
 * elsewhere it halts.
 *
 * A panic while this CPU is already panicking (the dump itself faulted)
 * prints one line and stops at once, so a broken dump cannot loop.  A
 * CPU that panics while another already is waits to be stopped; its
 * backtrace (through vpanic_frame) then shows its own panic's caller.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/heartbeat.h>
#include <sys/jitter.h>
#include <sys/ktest.h>
#include <sys/lock.h>

volatile int panicking;

void
vpanic_frame(struct trapframe *tf, const char *fmt, va_list ap)
{
	int self = cpu_index(curcpu()) + 1, prev = 0;

	splhigh();
	if (!__atomic_compare_exchange_n(&panicking, &prev, self, false,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		if (prev != self)
			for (;;)	/* the first panic will stop us */
				SPINLOCK_BACKOFF_HOOK;
		printf("\npanic: recursive panic: ");
		vprintf(fmt, ap);
		printf("\n");
		cpu_reboot_fail();
	}
	cpu_halt_others();
	printf("\npanic: ");
	vprintf(fmt, ap);
	printf("\ncpu%u: registers%s:\n", cpu_index(curcpu()),
	    tf != NULL ? " at the trap" : "");
	cpu_dump_registers(tf);
	printf("backtrace:\n");
	cpu_backtrace(tf);
	cpu_dump_others();
	jitter_report();
	heartbeat_report();
	ktest_panic_note();
	printf("panic: stopping the machine\n");
	cpu_reboot_fail();
}

void
panic_frame(struct trapframe *tf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic_frame(tf, fmt, ap);
}

void
vpanic(const char *fmt, va_list ap)
{
	vpanic_frame(NULL, fmt, ap);
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic_frame(NULL, fmt, ap);
}

void
kassert_fail(const char *expr, const char *file, int line, const char *func)
{
	panic("kernel diagnostic assertion \"%s\" failed: %s:%d in %s()",
	    expr, file, line, func);
}

#ifdef UBSAN
/* lib/ubsan.c's report: panic with it, which adds the backtrace. */
void
ubsan_die(const char *report)
{
	panic("%s", report);
}
#endif

/*
 * clock.c: calibrate the TSC, the counter behind nanouptime() and
 * delay(), and start each CPU's clock interrupt.
 *
 * The TSC's rate comes from CPUID when the CPU states it (leaf 0x15:
 * crystal clock and ratio; leaf 0x16: base MHz), otherwise it is
 * measured against the 8254 PIT, whose input clock is exactly
 * 1.193182 MHz: channel 2 counts down 11932 ticks (10 ms) while we read
 * the TSC on both sides.  The best of three runs is kept (the shortest
 * elapsed TSC is the least disturbed).
 */
#include <sys/systm.h>
#include <sys/cpu_counter.h>
#include <sys/time.h>
#include <machine/cpufunc.h>
#include "lapicreg.h"
#include "x86_var.h"

#define PIT_HZ		1193182
#define PIT_CH2		0x42
#define PIT_MODE	0x43
#define PIT_GATE	0x61	/* bit 0: ch2 gate; bit 5: ch2 output */

uint64_t x86_tsc_freq;			/* (c) */
const char *x86_tsc_source;		/* (c) how it was found */

/* TSC cycles while the PIT counts `pit_ticks` (< 65536); 0: no PIT. */
uint64_t
clock_pit_measure_tsc(u_int pit_ticks)
{
	uint64_t t0, t1;
	uint8_t gate = inb(PIT_GATE);

	outb(PIT_GATE, (gate & ~0x02) & ~0x01);	/* gate off, speaker off */
	outb(PIT_MODE, 0xb0);			/* ch2, lo/hi, mode 0 */
	outb(PIT_CH2, pit_ticks & 0xff);
	outb(PIT_CH2, pit_ticks >> 8);
	outb(PIT_GATE, (gate & ~0x02) | 0x01);	/* gate on: count */
	t0 = rdtsc();
	for (int i = 0; !(inb(PIT_GATE) & 0x20); i++)
		if (i > 100000000)
			return 0;		/* no PIT? */
	t1 = rdtsc();
	outb(PIT_GATE, gate);
	return t1 - t0;
}

void
clock_calibrate_tsc(void)
{
	uint32_t r[4];

	x86_cpuid2(0, 0, r);
	if (r[0] >= 0x15) {
		x86_cpuid2(0x15, 0, r);
		if (r[0] != 0 && r[1] != 0 && r[2] != 0) {
			x86_tsc_freq = (uint64_t)r[2] * r[1] / r[0];
			x86_tsc_source = "CPUID 0x15";
			return;
		}
		x86_cpuid2(0, 0, r);
	}
	if (r[0] >= 0x16) {
		x86_cpuid2(0x16, 0, r);
		if (r[0] != 0) {
			x86_tsc_freq = (uint64_t)r[0] * 1000000;
			x86_tsc_source = "CPUID 0x16";
			return;
		}
	}
	uint64_t best = ~0UL;
	for (int i = 0; i < 3; i++) {
		uint64_t d = clock_pit_measure_tsc(PIT_HZ / 100);
		if (d != 0 && d < best)
			best = d;
	}
	if (best == ~0UL)
		panic("clock: cannot calibrate the TSC (no CPUID rate, no PIT)");
	x86_tsc_freq = best * PIT_HZ / (PIT_HZ / 100);
	x86_tsc_source = "the PIT";
}

/* Per CPU, once the local APIC is up: the clock interrupt at hz. */
void
clock_start_cpu(void)
{
	lapic_start_timer(hz);
}

/*
 * clock.c: calibrate the TSC, the counter behind nanouptime() and
 * delay(), and start each CPU's clock interrupt.
 *
 * The TSC's rate comes from CPUID when the CPU states it (leaf 0x15:
 * crystal clock and ratio; leaf 0x16: base MHz), otherwise it is
 * measured against the 8254 PIT, whose input clock is exactly
 * 1.193182 MHz: channel 2 counts down freely while we read its count
 * and the TSC together, twice, 15 ms apart (the median of three such
 * measurements is kept).  15 ms: 17898 PIT ticks, so one tick of error
 * is 56 ppm (5 us a second) -- plenty for a clock that only has to
 * agree with itself -- and the boot spends 45 ms on it, not 120.
 */
#include <sys/systm.h>
#include <sys/cpu_counter.h>
#include <sys/time.h>
#include <machine/cpufunc.h>
#include "lapicreg.h"
#include "x86_var.h"

#define PIT_HZ		1193182
#define PIT_CALIBRATE	(PIT_HZ * 15 / 1000)	/* 15 ms of ticks */
#define PIT_CH2		0x42
#define PIT_MODE	0x43
#define PIT_GATE	0x61	/* bit 0: ch2 gate; bit 5: ch2 output */

uint64_t x86_tsc_freq;			/* (c) */
const char *x86_tsc_source;		/* (c) how it was found */

/* Start PIT channel 2 counting down from 0xffff (mode 0). */
void
clock_pit_start(void)
{
	uint8_t gate = inb(PIT_GATE);

	outb(PIT_GATE, gate & ~0x03);		/* gate off, speaker off */
	outb(PIT_MODE, 0xb0);			/* ch2, lo/hi, mode 0 */
	outb(PIT_CH2, 0xff);
	outb(PIT_CH2, 0xff);
	outb(PIT_GATE, (gate & ~0x02) | 0x01);	/* gate on: count */
}

static uint16_t
pit_read(void)
{
	uint8_t lo, hi;

	outb(PIT_MODE, 0x80);			/* latch channel 2 */
	lo = inb(PIT_CH2);
	hi = inb(PIT_CH2);
	return lo | hi << 8;
}

/*
 * Read the PIT count and the TSC at (nearly) the same moment: of five
 * tries, keep the one whose TSC readings around the PIT read are
 * closest together.  If the CPU is interrupted or, under QEMU, the
 * virtual CPU is descheduled in the middle of a try, that try loses.
 */
void
clock_pit_sample(uint16_t *countp, uint64_t *tscp)
{
	uint64_t best = ~0UL;

	for (int i = 0; i < 5; i++) {
		uint64_t a = rdtsc();
		uint16_t c = pit_read();
		uint64_t b = rdtsc();

		if (b - a < best) {
			best = b - a;
			*countp = c;
			*tscp = a + (b - a) / 2;
		}
	}
}

/*
 * TSC cycles per second, measured over ~15 ms of PIT time: sample both
 * counters, let the PIT count PIT_CALIBRATE ticks, sample again.  Both keep
 * counting whatever happens in between, so only the two samples'
 * precision matters, not how long the CPU was away.  0: no PIT.
 */
static uint64_t
pit_calibrate_once(void)
{
	uint16_t c0, c1;
	uint64_t t0, t1;
	int spins = 0;

	clock_pit_start();
	clock_pit_sample(&c0, &t0);
	while ((uint16_t)(c0 - pit_read()) < PIT_CALIBRATE)
		if (++spins > 10000000)
			return 0;		/* the count never moves */
	clock_pit_sample(&c1, &t1);
	return (t1 - t0) * PIT_HZ / (uint16_t)(c0 - c1);
}

void
clock_calibrate_tsc(void)
{
	uint32_t r[4];
	uint64_t f[3];

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
	/* Three measurements; the median. */
	for (int i = 0; i < 3; i++)
		if ((f[i] = pit_calibrate_once()) == 0)
			panic("clock: cannot calibrate the TSC (no CPUID rate, "
			    "and the PIT does not count)");
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2 - i; j++)
			if (f[j] > f[j + 1]) {
				uint64_t t = f[j];
				f[j] = f[j + 1];
				f[j + 1] = t;
			}
	x86_tsc_freq = f[1];
	x86_tsc_source = "the PIT";
}

/* Per CPU, once the local APIC is up: the clock interrupt at hz. */
void
clock_start_cpu(void)
{
	lapic_start_timer(hz);
}

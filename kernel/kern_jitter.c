/*
 * kern_jitter.c: reproducible schedule perturbation (see sys/jitter.h).
 *
 * Pintos's `-j SEED` jitters its timer; PCT-style testing preempts at
 * random points.  This does both, driven by one pseudo-random stream
 * per CPU (splitmix64, seeded from jitter=SEED and the CPU's index), so
 * a seed names one schedule: on QEMU with -icount the same seed gives
 * the same run, preemption counts included; without -icount it still
 * gives a different, repeatable-in-spirit, mix of interleavings.
 *
 * How often each point acts (out of 256 calls):
 *   JITTER_LOCK      16   preempt (locks are released very often)
 *   JITTER_SLEEPQ    64   spin up to 512 pauses
 *   JITTER_WAKEUP    64   preempt
 *   JITTER_USERRET   32   preempt
 * and every clock tick's interval is 500..1499 permille of 1/hz.
 *
 * Locking: the streams and counters are per CPU, touched with
 * interrupts off (the clock interrupt draws from the same stream).
 * jitter_on and jitter_seed are written once, by jitter_init, before
 * any other CPU runs.
 */
#include <sys/systm.h>
#include <sys/bootopt.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/jitter.h>
#include <sys/lock.h>
#include <sys/lwp.h>
#include <sys/sched.h>

BOOTOPT("jitter", "perturb the schedule reproducibly from this seed "
    "(0: off): preemption at lock release, wakeup and system-call "
    "return, delays at sleep-queue enqueue, irregular clock ticks");

bool	jitter_on;			/* (: jitter_init */
static uint64_t jitter_seed;		/* (: jitter_init */

static struct {
	uint64_t	state;		/* the stream */
	uint64_t	npreempt;	/* preemptions injected */
	uint64_t	ndelay;		/* delays injected */
	uint64_t	nticks;		/* clock intervals changed */
} __aligned(64) jitter_cpu[MAXCPUS];	/* s: each CPU its own */

static const u_int jitter_rate[] = {
	[JITTER_LOCK] = 16, [JITTER_SLEEPQ] = 64, [JITTER_WAKEUP] = 64,
	[JITTER_USERRET] = 32,
};

/* The next number of this CPU's stream (splitmix64).  Interrupts off. */
static uint64_t
jitter_next(u_int cpu)
{
	uint64_t z = (jitter_cpu[cpu].state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* From main(), after the command line is parsed, on the boot CPU only. */
void
jitter_init(void)
{
	const char *v = bootopt_get("jitter");

	if (v == NULL || (jitter_seed = strtoul(v, NULL, 10)) == 0)
		return;
	for (u_int i = 0; i < MAXCPUS; i++)
		jitter_cpu[i].state = jitter_seed * 0x2545f4914f6cdd1dULL +
		    i * 0x9e3779b97f4a7c15ULL;
	printf("jitter: seed %llu: preemption at lock release, wakeup and "
	    "system-call return, delays at sleep-queue enqueue, clock ticks "
	    "of 50%% to 150%%\n", (unsigned long long)jitter_seed);
	__atomic_store_n(&jitter_on, true, __ATOMIC_RELEASE);
}

/*
 * A perturbation point (JITTER_POINT: only when jitter is on).  Draws
 * one number from this CPU's stream, and acts on it as the table in the
 * header comment says.  A preemption happens only where the kernel may
 * preempt (kpreempt_wanted), and never from inside one of our own.
 */
void
jitter_point1(int where)
{
	struct cpu_info *ci;
	lwp_t *l = curlwp;
	uint64_t r;
	u_int cpu;
	int s;

	if (l == NULL || (l->l_pflag & LP_JITTER))
		return;
	s = splhigh();
	ci = curcpu();
	cpu = cpu_index(ci);
	r = jitter_next(cpu);
	if ((r & 255) >= jitter_rate[where]) {
		splx(s);
		return;
	}
	if (where == JITTER_SLEEPQ) {
		jitter_cpu[cpu].ndelay++;
		splx(s);
		for (u_int i = (r >> 8) & 511; i > 0; i--)
			SPINLOCK_BACKOFF_HOOK;
		return;
	}
	splx(s);
	/* (Read the IPL again: splx brought it back to the caller's.) */
	ci = curcpu();
	if (ci->ci_mtx_count != 0 || ci->ci_ilevel != IPL_NONE ||
	    l->l_nopreempt != 0 || (l->l_flag & LW_IDLE) ||
	    l->l_stat != LSONPROC)
		return;
	s = splhigh();
	jitter_cpu[cpu_index(curcpu())].npreempt++;
	splx(s);
	l->l_pflag |= LP_JITTER;
	preempt();
	l->l_pflag &= ~LP_JITTER;
}

/* Every clock tick, interrupts off: the next interval, 50% to 150%. */
void
jitter_clock(void)
{
	u_int cpu = cpu_index(curcpu());

	jitter_cpu[cpu].nticks++;
	cpu_clock_stretch(500 + jitter_next(cpu) % 1000);
}

/* At power-off (and in a panic): the seed, and what it did. */
void
jitter_report(void)
{
	uint64_t np = 0, nd = 0, nt = 0;

	if (!jitter_on)
		return;
	for (u_int i = 0; i < MAXCPUS; i++) {
		np += jitter_cpu[i].npreempt;
		nd += jitter_cpu[i].ndelay;
		nt += jitter_cpu[i].nticks;
	}
	printf("jitter: seed %llu, %llu preemptions injected, %llu delays, "
	    "%llu clock ticks stretched\n", (unsigned long long)jitter_seed,
	    (unsigned long long)np, (unsigned long long)nd,
	    (unsigned long long)nt);
}

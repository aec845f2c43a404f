/*
 * subr_ktest.c: the in-kernel test runner (see sys/ktest.h).
 */
#include <sys/systm.h>
#include <sys/bootopt.h>
#include <sys/kmem.h>
#include <sys/ktest.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/time.h>

BOOTOPT("ktest", "run in-kernel tests: all, NAME, PREFIX*, comma-separated; "
    "list");
BOOTOPT("ktest_timeout", "seconds a ktest may run before the kernel "
    "panics, showing every CPU (default 60)");

/*
 * The watchdog: every clock tick on every CPU checks the running test
 * against its deadline, so a test that hangs (even with one CPU stuck
 * with interrupts off) ends in a panic that shows where every CPU is,
 * instead of a silent timeout.
 */
static const struct ktest *volatile ktest_current;
static volatile uint64_t ktest_deadline;	/* in hardclock ticks; 0: none */

void
ktest_watchdog(void)
{
	const struct ktest *t = ktest_current;
	/* Read the deadline once: ktest_run may clear it meanwhile, and
	 * two reads could see it set, then 0 (which every tick exceeds). */
	uint64_t deadline = ktest_deadline;

	if (deadline != 0 && hardclock_ticks > deadline && t != NULL) {
		ktest_deadline = 0;
		/* What every LWP waits for, then every CPU's backtrace. */
		db_show_all_lwps();
		panic("ktest %s: still running after its time limit "
		    "(ktest_timeout=); hung?", t->kt_name);
	}
}

extern const struct ktest __start_ktests[], __stop_ktests[];

void
ktest_fail(struct ktest_ctx *kt, const char *file, int line,
    const char *fmt, ...)
{
	va_list ap;

	printf("ktest: %s: FAIL at %s:%d: ", kt->kt_name, file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	kt->kt_failed = true;
}

void
ktest_skip(struct ktest_ctx *kt, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(kt->kt_skipwhy, sizeof(kt->kt_skipwhy), fmt, ap);
	va_end(ap);
	kt->kt_skipped = true;
}

/* Does one pattern (not comma-separated) select test `t`? */
static bool
ktest_match1(const struct ktest *t, const char *pat, size_t len)
{
	if (len == 3 && strncmp(pat, "all", 3) == 0)
		return !(t->kt_flags & KTEST_F_MANUAL);
	if (len > 0 && pat[len - 1] == '*')
		return !(t->kt_flags & KTEST_F_MANUAL) &&
		    strncmp(t->kt_name, pat, len - 1) == 0;
	return strlen(t->kt_name) == len &&
	    strncmp(t->kt_name, pat, len) == 0;
}

static bool
ktest_match(const struct ktest *t, const char *patterns)
{
	const char *p = patterns;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);

		if (ktest_match1(t, p, len))
			return true;
		if (comma == NULL)
			return false;
		p = comma + 1;
	}
}

/*
 * Every test, one a line, with what kind it is; with `expect`, a manual
 * test's expected lines below it (tools/test checks those, see
 * sys/ktest.h).
 */
static void
ktest_list(bool expect)
{
	for (const struct ktest *t = __start_ktests; t < __stop_ktests; t++) {
		printf("    %s%s\n", t->kt_name,
		    (t->kt_flags & KTEST_F_BENCH) ? " (benchmark)" :
		    (t->kt_flags & KTEST_F_MANUAL) ? " (manual)" : "");
		for (int i = 0; expect && i < t->kt_nexpect; i++)
			printf("        expect: %s\n", t->kt_expect[i]);
	}
}

/* The early tests' results, for ktest_run's summary. */
static int early_passed, early_failed, early_skipped;

/* proc0's lid hash, in kmem: a test that makes kernel threads may leave
 * it bigger (lwp_lidhash_kmem), by design, not as a leak. */
static ssize_t
ktest_lidhash_kmem(void)
{
	size_t n;

	mutex_enter(proc0.p_lock);
	n = lwp_lidhash_kmem(&proc0);
	mutex_exit(proc0.p_lock);
	return (ssize_t)n;
}

/* Run one test, check it leaked nothing (but what it declared, and the
 * growth of proc0's lid hash), say how it went, count it. */
static void
ktest_one(const struct ktest *t, uint64_t limit, int *passed, int *failed,
    int *skipped, int *benched)
{
	struct ktest_ctx ctx = { .kt_name = t->kt_name };
	struct kmem_stats before, after;
	ssize_t lidhash0;
	uint64_t t0;

	kmem_stats(&before);
	lidhash0 = ktest_lidhash_kmem();
	ktest_current = t;
	if (limit != 0)
		ktest_deadline = hardclock_ticks + limit;
	t0 = nsuptime();
	t->kt_func(&ctx);
	ktest_deadline = 0;
	ktest_current = NULL;
	ctx.kt_kmem_kept += ktest_lidhash_kmem() - lidhash0;
	kmem_stats(&after);
	if (!ctx.kt_failed &&
	    (ssize_t)(after.ks_inuse - before.ks_inuse) != ctx.kt_kmem_kept)
		ktest_fail(&ctx, __FILE__, __LINE__,
		    "leaked %zd bytes of kmem (%zd kept on purpose)",
		    (ssize_t)(after.ks_inuse - before.ks_inuse) -
		    ctx.kt_kmem_kept, ctx.kt_kmem_kept);
	if (ctx.kt_failed)
		(*failed)++;
	else if (ctx.kt_skipped) {
		(*skipped)++;
		printf("ktest: %s: skipped: %s\n", t->kt_name, ctx.kt_skipwhy);
	} else {
		if (t->kt_flags & KTEST_F_BENCH)
			(*benched)++;
		else
			(*passed)++;
		printf("ktest: %s: %s (%llu ms)\n", t->kt_name,
		    (t->kt_flags & KTEST_F_BENCH) ? "benchmark done" : "ok",
		    (unsigned long long)(nsuptime() - t0) / 1000000);
	}
}

/*
 * The selected early tests, from main() right after lwpinit(): one CPU,
 * interrupts off, nothing else scheduled yet.  Their results go into
 * ktest_run's summary.
 */
void
ktest_run_early(const char *patterns)
{
	int benched = 0;

	if (strcmp(patterns, "list") == 0)
		return;
	for (const struct ktest *t = __start_ktests; t < __stop_ktests; t++)
		if ((t->kt_flags & KTEST_F_EARLY) && ktest_match(t, patterns))
			ktest_one(t, 0, &early_passed, &early_failed,
			    &early_skipped, &benched);
}

/* A panic during a test names the test (after the panic's own lines). */
void
ktest_panic_note(void)
{
	const struct ktest *t = ktest_current;

	if (t != NULL)
		printf("ktest: %s: FAIL: it panicked (above)\n", t->kt_name);
}

/*
 * Run the selected tests (the early ones have run already); returns the
 * number that failed, early ones included.  A skipped test and a
 * benchmark are counted apart: neither is a pass.
 */
int
ktest_run(const char *patterns)
{
	int passed = early_passed, failed = early_failed;
	int skipped = early_skipped, benched = 0;
	const char *v = bootopt_get("ktest_timeout");
	uint64_t limit = (v != NULL && *v != '\0' ? strtoul(v, NULL, 10) : 60) *
	    hz;

	if (strcmp(patterns, "list") == 0) {
		printf("ktest: the tests (ktest=all runs all but manual ones; "
		    "a manual test must print the lines it expects):\n");
		ktest_list(true);
		return 0;
	}
	printf("ktest: running '%s'\n", patterns);
	for (const struct ktest *t = __start_ktests; t < __stop_ktests; t++)
		if (!(t->kt_flags & KTEST_F_EARLY) && ktest_match(t, patterns))
			ktest_one(t, limit, &passed, &failed, &skipped,
			    &benched);
	if (passed + failed + skipped + benched == 0) {
		printf("ktest: no test matches '%s'; the tests are:\n",
		    patterns);
		ktest_list(false);
		failed = 1;
	}
	/* One printf: console lines from other CPUs cannot cut into it. */
	char bench[32] = "";
	if (benched > 0)
		snprintf(bench, sizeof(bench), "; %d benchmarks run", benched);
	printf("ktest: %d passed, %d failed, %d skipped%s\n", passed, failed,
	    skipped, bench);
	return failed;
}

/*
 * t_kcov.c: ktests for kcov (subr_kcov.c), built only with KCOV=1.
 * This file is compiled with -fsanitize-coverage=trace-pc like the
 * rest of the kernel, so t_kcov_marker() below records PCs of its own
 * when its LWP has kcov enabled, and the symbol table names them.
 * (t_kcov in user/tests tests the device: open, ioctl, mmap.)
 *
 * Each test disables what it enabled before it asserts anything: a
 * descriptor left enabled on the ktest LWP would fail the tests after
 * it (EBUSY) and leak.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/kcov.h>
#include <sys/kmem.h>
#include <sys/ksyms.h>
#include <sys/ktest.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mman.h>
#include <sys/vmspace.h>

#define T_NENT		(1 << 16)

/* Not instrumented: a loop here would add a PC an iteration. */
#ifdef __clang__
#define T_KCOV_PLAIN	__attribute__((no_sanitize("coverage")))
#else
#define T_KCOV_PLAIN	__attribute__((no_sanitize_coverage))
#endif

void	t_kcov_marker(int);

/* Something only the tests run, with a branch (more than one block). */
void __noinline
t_kcov_marker(int n)
{
	static volatile int sink;

	if (n > 0)
		sink += n;
	else
		sink--;
}

/* How many of buf's PCs are in the function `name`; *first: the index
 * of the first (or -1). */
T_KCOV_PLAIN static size_t
t_count(const kcov_int_t *buf, const char *name, long *first)
{
	size_t n = 0;
	const char *s;

	if (first != NULL)
		*first = -1;
	for (uint64_t i = 0; i < buf[0]; i++) {
		s = ksyms_lookup((vaddr_t)buf[i + 1], NULL);
		if (s != NULL && strcmp(s, name) == 0) {
			if (n++ == 0 && first != NULL)
				*first = (long)i;
		}
	}
	return n;
}

/* Every PC is in a function the symbol table knows, none in kcov's. */
T_KCOV_PLAIN static bool
t_all_named(const kcov_int_t *buf)
{
	const char *s;

	for (uint64_t i = 0; i < buf[0]; i++) {
		s = ksyms_lookup((vaddr_t)buf[i + 1], NULL);
		if (s == NULL || strncmp(s, "kcov_", 5) == 0 ||
		    strncmp(s, "__sanitizer_cov", 15) == 0)
			return false;
	}
	return true;
}

/* A descriptor with a T_NENT-entry buffer, enabled on this LWP in
 * `mode`, *bufp its buffer; NULL if a step failed. */
static kcov_t *
t_kcov_on(int mode, kcov_int_t **bufp)
{
	kcov_t *kd;

	if (kcov_open(&kd) != 0)
		return NULL;
	if (kcov_setbufsize(kd, T_NENT) != 0 || kcov_enable(kd, mode) != 0) {
		kcov_close(kd);
		return NULL;
	}
	*bufp = kcov_kbuf(kd);
	return kd;
}

/*
 * Enabled, this LWP's calls are recorded in order: kmem_alloc's blocks
 * (subr_kmem.c), then t_kcov_marker's, then kmem_free's; all of them
 * kernel functions the symbol table names, none of kcov's own.
 */
KTEST(kcov_records_own_calls)
{
	kcov_t *kd;
	kcov_int_t *buf;
	long alloc_at, marker_at, free_at;
	size_t nalloc, nmarker, nfree;
	void *p;

	KT_ASSERT((kd = t_kcov_on(KCOV_MODE_TRACE_PC, &buf)) != NULL);
	buf[0] = 0;
	p = kmem_alloc(64, KM_SLEEP);
	t_kcov_marker(1);
	kmem_free(p, 64);
	KT_EQ(kcov_disable(kd), 0);

	nalloc = t_count(buf, "kmem_alloc", &alloc_at);
	nmarker = t_count(buf, "t_kcov_marker", &marker_at);
	nfree = t_count(buf, "kmem_free", &free_at);
	printf("kcov: %llu PCs: kmem_alloc %zu from #%ld, t_kcov_marker %zu "
	    "from #%ld, kmem_free %zu from #%ld\n",
	    (unsigned long long)buf[0], nalloc, alloc_at, nmarker, marker_at,
	    nfree, free_at);
	KT_ASSERT(buf[0] > 0 && buf[0] < T_NENT - 1);
	KT_ASSERT(nalloc > 0 && nmarker > 0 && nfree > 0);
	KT_ASSERT(alloc_at < marker_at && marker_at < free_at);
	KT_ASSERT(t_all_named(buf));
	kcov_close(kd);
}

/* A kernel thread with no kcov of its own runs the marker while ours
 * is enabled and we wait for it: none of its PCs are ours. */
static void
t_kcov_other(void *arg)
{
	for (int i = 0; i < 100; i++)
		t_kcov_marker(i);
	kthread_exit(0);
}

KTEST(kcov_other_lwp_not_recorded)
{
	kcov_t *kd;
	kcov_int_t *buf;
	lwp_t *l;
	int error;

	KT_ASSERT((kd = t_kcov_on(KCOV_MODE_TRACE_PC, &buf)) != NULL);
	error = kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL,
	    t_kcov_other, NULL, &l, "t_kcov_other");
	if (error == 0)
		error = kthread_join(l);
	KT_EQ(kcov_disable(kd), 0);
	KT_EQ(error, 0);
	/* We did record: the creation and the join are ours. */
	KT_ASSERT(t_count(buf, "kthread_join", NULL) > 0);
	KT_EQ(t_count(buf, "t_kcov_marker", NULL), 0);
	KT_EQ(t_count(buf, "t_kcov_other", NULL), 0);
	kcov_close(kd);
}

/* Disabled, nothing more is recorded; enabled again, it records. */
KTEST(kcov_disable_stops)
{
	kcov_t *kd;
	kcov_int_t *buf;
	uint64_t n;

	KT_ASSERT((kd = t_kcov_on(KCOV_MODE_TRACE_PC, &buf)) != NULL);
	t_kcov_marker(1);
	KT_EQ(kcov_disable(kd), 0);
	n = buf[0];
	KT_ASSERT(t_count(buf, "t_kcov_marker", NULL) > 0);
	t_kcov_marker(2);
	KT_EQ(buf[0], n);
	KT_ASSERT(curlwp->l_kcov == NULL);
	/* KCOV_MODE_NONE: enabled, records nothing. */
	KT_EQ(kcov_enable(kd, KCOV_MODE_NONE), 0);
	t_kcov_marker(3);
	KT_EQ(kcov_disable(kd), 0);
	KT_EQ(buf[0], n);
	KT_EQ(kcov_enable(kd, KCOV_MODE_TRACE_PC), 0);
	buf[0] = 0;
	t_kcov_marker(4);
	KT_EQ(kcov_disable(kd), 0);
	KT_ASSERT(t_count(buf, "t_kcov_marker", NULL) > 0);
	kcov_close(kd);
}

/* Spin, interrupts on, until ci's clock has ticked `ticks` times
 * (guest time: no wall-clock threshold).  ci is this CPU, found before:
 * curcpu() here could be an instrumented copy of the inline. */
T_KCOV_PLAIN static void
t_spin_ticks(struct cpu_info *ci, uint64_t ticks)
{
	uint64_t t0 = ci->ci_ticks;

	while (__atomic_load_n(&ci->ci_ticks, __ATOMIC_RELAXED) - t0 < ticks)
		continue;
}

/*
 * Clock interrupts that come while our LWP runs (hardclock, and the
 * callouts and heartbeat it runs) are not recorded for it: cpu_intr_p.
 * The spin is not instrumented, so the buffer holds only what the
 * interrupts would add, and cannot fill up.
 */
KTEST(kcov_interrupts_not_recorded)
{
	struct cpu_info *ci;
	kcov_t *kd;
	kcov_int_t *buf;
	uint64_t n;

	KT_ASSERT((kd = t_kcov_on(KCOV_MODE_TRACE_PC, &buf)) != NULL);
	kpreempt_disable();
	ci = curcpu();
	buf[0] = 0;
	t_spin_ticks(ci, 3);
	n = buf[0];
	kpreempt_enable();
	KT_EQ(kcov_disable(kd), 0);
	for (uint64_t i = 0; i < n && i < 4; i++) {
		char sym[64];

		ksyms_format((vaddr_t)buf[i + 1], sym, sizeof(sym));
		printf("kcov: recorded in the spin: %s\n", sym);
	}
	KT_EQ(n, 0);
	KT_EQ(t_count(buf, "hardclock", NULL), 0);
	kcov_close(kd);
}

/* Bad requests get their errors and change nothing. */
KTEST(kcov_bad_input)
{
	kcov_t *kd, *kd2;
	struct vm_amap *am;
	uint64_t big = (uint64_t)KCOV_BUF_MAX_ENTRIES + 1;
	int e_none, e_twice, e_other, e_cmp, e_mode, e_busy, e_ioc;

	KT_EQ(kcov_open(&kd), 0);
	KT_EQ(kcov_open(&kd2), 0);
	KT_EQ(kcov_enable(kd, KCOV_MODE_TRACE_PC), ENOBUFS);
	KT_EQ(kcov_mmap(kd, 0, PAGE_SIZE, PROT_READ, &am), ENOMEM);
	KT_EQ(kcov_setbufsize(kd, 0), EINVAL);
	KT_EQ(kcov_setbufsize(kd, 1), EINVAL);
	KT_EQ(kcov_setbufsize(kd, big), EINVAL);
	KT_EQ(kcov_setbufsize(kd, UINT64_MAX), EINVAL);
	KT_EQ(kcov_setbufsize(kd, 2), 0);
	KT_EQ(kcov_setbufsize(kd, 2), EEXIST);
	KT_EQ(kcov_setbufsize(kd2, 16), 0);
	KT_EQ(kcov_disable(kd), ENOENT);
	KT_EQ(kcov_mmap(kd, 0, 2 * PAGE_SIZE, PROT_READ, &am), ENOMEM);
	KT_EQ(kcov_mmap(kd, PAGE_SIZE, PAGE_SIZE, PROT_READ, &am), ENOMEM);
	KT_EQ(kcov_mmap(kd, 0, PAGE_SIZE, PROT_READ | PROT_EXEC, &am),
	    EACCES);
	e_cmp = kcov_enable(kd, KCOV_MODE_TRACE_CMP);
	e_mode = kcov_enable(kd, 7);
	e_none = kcov_enable(kd, KCOV_MODE_TRACE_PC);
	e_twice = kcov_enable(kd, KCOV_MODE_TRACE_PC);
	e_other = kcov_enable(kd2, KCOV_MODE_TRACE_PC);
	e_busy = kcov_setbufsize(kd, 4);
	e_ioc = kcov_ioctl(kd, 0x1234, NULL);
	KT_EQ(kcov_disable(kd2), ENOENT);
	KT_EQ(kcov_disable(kd), 0);
	KT_EQ(kcov_disable(kd), ENOENT);
	KT_EQ(e_cmp, ENOTSUP);
	KT_EQ(e_mode, EINVAL);
	KT_EQ(e_none, 0);
	KT_EQ(e_twice, EBUSY);
	KT_EQ(e_other, EBUSY);
	KT_EQ(e_busy, EBUSY);
	KT_EQ(e_ioc, EINVAL);
	/* Kernel pointers are not the caller's: copyin refuses them. */
	KT_EQ(kcov_ioctl(kd2, KCOV_IOC_SETBUFSIZE, &big), EFAULT);
	KT_EQ(kcov_mmap(kd, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, &am), 0);
	vm_amap_release(am);
	kcov_close(kd2);
	kcov_close(kd);
}

/* Closed while enabled, a descriptor stays until its LWP exits. */
static void
t_kcov_closer(void *arg)
{
	kcov_t *kd = arg;

	if (kcov_enable(kd, KCOV_MODE_TRACE_PC) == 0) {
		kcov_close(kd);		/* the file's last reference */
		t_kcov_marker(5);	/* still recorded: no use after free */
	}
	kthread_exit(0);		/* kcov_lwp_free frees it */
}

KTEST(kcov_close_while_enabled)
{
	kcov_t *kd;
	lwp_t *l;

	KT_EQ(kcov_open(&kd), 0);
	KT_EQ(kcov_setbufsize(kd, T_NENT), 0);
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL,
	    t_kcov_closer, kd, &l, "t_kcov_closer"), 0);
	KT_EQ(kthread_join(l), 0);
	/* The leak check after the test says whether it was freed. */
}

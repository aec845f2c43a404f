/*
 * subr_kcov.c: kcov, the kernel's code coverage for fuzzers (sys/kcov.h,
 * docs/fuzz.md), after NetBSD's sys/kern/subr_kcov.c: its device,
 * ioctls, names and rules, written anew for this kernel.
 *
 * Built only with `make KCOV=1`, which compiles the kernel's files with
 * -fsanitize-coverage=trace-pc (the Makefile says which; never this
 * one): gcc makes every basic block call __sanitizer_cov_trace_pc(),
 * below, which appends the block's address (its return address) to the
 * buffer of the running LWP's kcov descriptor, if it has one enabled.
 *
 * A descriptor (kcov_t) is made by each open of /dev/kcov
 * (kern_descrip.c) and lives as long as the file, or longer:
 *
 *   KCOV_IOC_SETBUFSIZE  a buffer of N 64-bit entries (2..2^18), once:
 *                        contiguous pages, zeroed now (vm_amap_wired),
 *                        which the kernel writes through the direct map
 *                        and the program maps with mmap (kcov_mmap)
 *   KCOV_IOC_ENABLE      the calling LWP records into it (l_kcov) from
 *                        now on; one descriptor per LWP, one LWP per
 *                        descriptor
 *   KCOV_IOC_DISABLE     ... no longer; only that LWP may say so
 *   close                the last reference to the file: the descriptor
 *                        goes, unless it is enabled, when the LWP that
 *                        enabled it frees it as it exits (kd_lwpfree)
 *   lwp_exit             kcov_lwp_free: disabled, and freed if closed
 *
 * The buffer's pages belong to an amap that the descriptor and every
 * mapping of it hold a reference to, so the kernel never writes into
 * pages a program could have given back (munmap, exit), and a program
 * never sees pages the kernel freed.
 *
 * What is not recorded: interrupt handlers (cpu_intr_p: hardclock,
 * cross-calls, NMIs run on whatever LWP they came upon), and anything
 * while no descriptor at all is enabled (kcov_nenabled), which also
 * keeps the hook away from the per-CPU pointer during boot, before it
 * is set up.
 *
 * Locking: kd_lock (adaptive) covers a descriptor's fields (legend k
 * below).  The hook reads them without it: it runs only in the LWP the
 * descriptor is enabled on, which is the only one that enables,
 * disables or frees it (l_kcov is "!": its own), and the buffer is set
 * before the descriptor can be enabled and never changes after.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/kcov.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mman.h>
#include <sys/mutex.h>
#include <sys/param.h>
#include <sys/pmap.h>
#include <sys/vmspace.h>

struct kcov_desc {
	kmutex_t	kd_lock;	/* adaptive: covers what is marked k */
	bool		kd_enabled;	/* k: on kd_lwp's l_kcov; read without
					 * the lock by kd_lwp itself */
	bool		kd_lwpfree;	/* k: closed while enabled: kd_lwp
					 * frees it (kcov_lwp_free) */
	int		kd_mode;	/* k: KCOV_MODE_* while enabled */
	lwp_t		*kd_lwp;	/* k: the LWP it is enabled on */
	struct vm_amap	*kd_amap;	/* k: the buffer's pages (a reference),
					 * set once */
	kcov_int_t	*kd_buf;	/* k: the buffer, direct-mapped */
	size_t		kd_bufnent;	/* k: PCs it holds (entries - 1) */
	size_t		kd_bufsize;	/* k: its bytes, whole pages */
};

/* Descriptors enabled on some LWP (a): 0 keeps the hook to one load. */
static volatile u_int kcov_nenabled;

static void
kcov_free(kcov_t *kd)
{
	if (kd->kd_amap != NULL)
		vm_amap_release(kd->kd_amap);
	mutex_destroy(&kd->kd_lock);
	kmem_free(kd, sizeof(*kd));
}

/* A new descriptor, without a buffer, not enabled.  0 or ENOMEM. */
int
kcov_open(kcov_t **kdp)
{
	kcov_t *kd = kmem_zalloc(sizeof(*kd), KM_SLEEP);

	if (kd == NULL)
		return ENOMEM;
	mutex_init(&kd->kd_lock, MUTEX_DEFAULT, IPL_NONE, "kcov");
	*kdp = kd;
	return 0;
}

/* The file's last reference went: free kd now, or, if an LWP has it
 * enabled, let that LWP free it when it exits (NetBSD's lwpfree). */
void
kcov_close(kcov_t *kd)
{
	bool enabled;

	mutex_enter(&kd->kd_lock);
	if ((enabled = kd->kd_enabled))
		kd->kd_lwpfree = true;
	mutex_exit(&kd->kd_lock);
	if (!enabled)
		kcov_free(kd);
}

/*
 * KCOV_IOC_SETBUFSIZE: a buffer of nent entries (word 0, the count, and
 * nent - 1 PCs).  EBUSY while enabled, EINVAL for fewer than 2 or more
 * than KCOV_BUF_MAX_ENTRIES, EEXIST if it has one, ENOMEM if no run of
 * free pages is that long.
 */
int
kcov_setbufsize(kcov_t *kd, uint64_t nent)
{
	paddr_t pa;
	int error = 0;

	mutex_enter(&kd->kd_lock);
	if (kd->kd_enabled)
		error = EBUSY;
	else if (nent < 2 || nent > KCOV_BUF_MAX_ENTRIES)
		error = EINVAL;
	else if (kd->kd_amap != NULL)
		error = EEXIST;
	else if ((kd->kd_amap = vm_amap_wired(howmany(nent * KCOV_ENTRY_SIZE,
	    PAGE_SIZE), &pa)) == NULL)
		error = ENOMEM;
	else {
		kd->kd_buf = pmap_direct_va(pa);
		kd->kd_bufnent = nent - 1;
		kd->kd_bufsize = round_page(nent * KCOV_ENTRY_SIZE);
	}
	mutex_exit(&kd->kd_lock);
	return error;
}

/*
 * KCOV_IOC_ENABLE: the calling LWP records into kd in `mode` from now
 * on.  EINVAL for a mode NetBSD does not have, ENOTSUP for
 * KCOV_MODE_TRACE_CMP (this kernel is not built with trace-cmp), EBUSY
 * if kd is enabled or the LWP has another descriptor enabled, ENOBUFS
 * if kd has no buffer yet.
 */
int
kcov_enable(kcov_t *kd, int mode)
{
	lwp_t *l = curlwp;
	int error = 0;

	if (mode == KCOV_MODE_TRACE_CMP)
		return ENOTSUP;
	if (mode != KCOV_MODE_NONE && mode != KCOV_MODE_TRACE_PC)
		return EINVAL;
	mutex_enter(&kd->kd_lock);
	if (kd->kd_enabled || l->l_kcov != NULL)
		error = EBUSY;
	else if (kd->kd_amap == NULL)
		error = ENOBUFS;
	else {
		kd->kd_mode = mode;
		kd->kd_lwp = l;
		l->l_kcov = kd;
		kd->kd_enabled = true;
		__atomic_add_fetch(&kcov_nenabled, 1, __ATOMIC_RELAXED);
	}
	mutex_exit(&kd->kd_lock);
	return error;
}

/* Take kd off its LWP, l (curlwp).  kd_lock held. */
static void
kcov_unbind(kcov_t *kd, lwp_t *l)
{
	KASSERT(mutex_owned(&kd->kd_lock));
	KASSERT(l == curlwp && l->l_kcov == kd && kd->kd_lwp == l);
	l->l_kcov = NULL;
	kd->kd_enabled = false;
	kd->kd_lwp = NULL;
	__atomic_sub_fetch(&kcov_nenabled, 1, __ATOMIC_RELAXED);
}

/* KCOV_IOC_DISABLE: the LWP that enabled kd stops recording; ENOENT if
 * kd is not enabled on the calling LWP (another may not stop it). */
int
kcov_disable(kcov_t *kd)
{
	lwp_t *l = curlwp;
	int error = 0;

	mutex_enter(&kd->kd_lock);
	if (!kd->kd_enabled || l->l_kcov != kd)
		error = ENOENT;
	else
		kcov_unbind(kd, l);
	mutex_exit(&kd->kd_lock);
	return error;
}

/* l (curlwp) exits: its descriptor, if any, is disabled, and freed if
 * its file was closed meanwhile. */
void
kcov_lwp_free(lwp_t *l)
{
	kcov_t *kd = l->l_kcov;
	bool dofree;

	if (kd == NULL)
		return;
	mutex_enter(&kd->kd_lock);
	kcov_unbind(kd, l);
	dofree = kd->kd_lwpfree;
	mutex_exit(&kd->kd_lock);
	if (dofree)
		kcov_free(kd);
}

/*
 * ioctl(2) on /dev/kcov: `data` is the caller's pointer (the uint64_t
 * of KCOV_IOC_SETBUFSIZE, the int of KCOV_IOC_ENABLE), copied in here:
 * EFAULT if it cannot be read.  EINVAL for another request.
 */
int
kcov_ioctl(kcov_t *kd, u_long com, void *data)
{
	uint64_t nent;
	int mode, error;

	switch (com) {
	case KCOV_IOC_SETBUFSIZE:
		if ((error = copyin(data, &nent, sizeof(nent))) != 0)
			return error;
		return kcov_setbufsize(kd, nent);
	case KCOV_IOC_ENABLE:
		if ((error = copyin(data, &mode, sizeof(mode))) != 0)
			return error;
		return kcov_enable(kd, mode);
	case KCOV_IOC_DISABLE:
		return kcov_disable(kd);
	default:
		return EINVAL;
	}
}

/*
 * mmap(2) of /dev/kcov: `len` bytes (whole pages) of the buffer from
 * byte `off` (page-aligned, checked by sys_mmap) on: *amp gets its
 * amap with a reference for the new region.  EACCES for PROT_EXEC,
 * ENOMEM past the end of the buffer (or with none yet), as NetBSD.
 */
int
kcov_mmap(kcov_t *kd, off_t off, size_t len, int prot,
    struct vm_amap **amp)
{
	int error = 0;

	if (prot & PROT_EXEC)
		return EACCES;
	mutex_enter(&kd->kd_lock);
	if (off < 0 || len > kd->kd_bufsize ||
	    (size_t)off > kd->kd_bufsize - len)
		error = ENOMEM;
	else {
		vm_amap_ref(kd->kd_amap);
		*amp = kd->kd_amap;
	}
	mutex_exit(&kd->kd_lock);
	return error;
}

/* The buffer, for the ktests (t_kcov.c); NULL without one. */
kcov_int_t *
kcov_kbuf(kcov_t *kd)
{
	return kd->kd_buf;
}

/*
 * The hook gcc calls at the start of every basic block of an
 * instrumented file.  It calls nothing (it would be called from there
 * again) and takes no lock: see the header comment for why the fields
 * it reads are stable here.  Word 0 of the buffer is the program's to
 * write too, so it is read once and checked against the buffer's size
 * before it is used.
 */
void	__sanitizer_cov_trace_pc(void);

void
__sanitizer_cov_trace_pc(void)
{
	kcov_t *kd;
	uint64_t idx;

	if (__predict_true(__atomic_load_n(&kcov_nenabled,
	    __ATOMIC_RELAXED) == 0))
		return;
	if (cpu_intr_p())
		return;			/* not the LWP's doing */
	kd = curlwp->l_kcov;
	if (__predict_true(kd == NULL) || !kd->kd_enabled ||
	    kd->kd_mode != KCOV_MODE_TRACE_PC)
		return;
	idx = kd->kd_buf[0];
	if (idx < kd->kd_bufnent) {
		kd->kd_buf[idx + 1] = (uint64_t)(uintptr_t)
		    __builtin_return_address(0);
		kd->kd_buf[0] = idx + 1;
	}
}

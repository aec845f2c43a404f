/*
 * t_kcov: /dev/kcov (sys/kcov.h, docs/man/kcov.4), in the KCOV=1 build
 * only (user/user.mk; scenario utest-kcov): a program's own system
 * calls are recorded, another LWP's and a child's are not, disabling
 * stops it, the kernel keeps writing its own pages when the program
 * unmaps or closes, and every bad request gets its error.  (The ktests
 * kcov_* in kernel/t_kcov.c check the same from inside, by symbol.)
 *
 * Which PCs are a call's own: those of getppid's path that getpid's
 * path lacks (sys_getppid's blocks, at least), learnt by recording both
 * on this LWP first (t_getppid_only); the kernel's symbols are not for
 * programs to read.
 */
#include <sys/kcov.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>

#include "h_lwp.h"
#include "h_md.h"

#define NENT		(1 << 14)
#define KERNEL_TEXT	0xffffffff80000000UL	/* the kernel's PCs */
#define RW		(PROT_READ | PROT_WRITE)

struct kc {
	int		fd;
	kcov_int_t	*buf;
};

/* Open, size and map a descriptor; not enabled. */
static void
kc_open(struct kc *kc)
{
	uint64_t nent = NENT;

	RL(kc->fd = open("/dev/kcov", O_RDWR));
	RL(ioctl(kc->fd, KCOV_IOC_SETBUFSIZE, &nent));
	kc->buf = mmap(NULL, NENT * KCOV_ENTRY_SIZE, RW, MAP_SHARED, kc->fd,
	    0);
	REQUIRE_LIBC(kc->buf, MAP_FAILED);
}

static void
kc_enable(struct kc *kc)
{
	int mode = KCOV_MODE_TRACE_PC;

	RL(ioctl(kc->fd, KCOV_IOC_ENABLE, &mode));
	kc->buf[0] = 0;
}

static bool
has(const uint64_t *set, size_t n, uint64_t pc)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == pc)
			return true;
	return false;
}

/*
 * The PCs of getppid's own path, into d[] (at most max): recorded on
 * this LWP in each of three getppid() calls, and in none of three runs
 * of base() (getpid(), and what the test does while the other calls
 * run: so that a switch or a preemption that happened to come during a
 * getppid() call does not count as getppid's).  How many.
 */
static size_t
t_getppid_only(struct kc *kc, void (*base)(void), uint64_t *d, size_t max)
{
	static uint64_t u[4 * NENT];
	size_t nu = 0, nd = 0;

	for (int r = 0; r < 3; r++) {
		kc->buf[0] = 0;
		(void)getpid();
		base();
		for (uint64_t i = 0; i < kc->buf[0] && nu < 4 * NENT; i++)
			u[nu++] = kc->buf[i + 1];
	}
	kc->buf[0] = 0;
	(void)getppid();
	for (uint64_t i = 0; i < kc->buf[0] && nd < max; i++)
		if (!has(u, nu, kc->buf[i + 1]) && !has(d, nd, kc->buf[i + 1]))
			d[nd++] = kc->buf[i + 1];
	for (int r = 0; r < 2; r++) {
		size_t keep = 0;

		kc->buf[0] = 0;
		(void)getppid();
		for (size_t j = 0; j < nd; j++) {
			bool seen = false;

			for (uint64_t i = 0; i < kc->buf[0] && !seen; i++)
				seen = kc->buf[i + 1] == d[j];
			if (seen)
				d[keep++] = d[j];
		}
		nd = keep;
	}
	return nd;
}

static void
nothing(void)
{
}

/* How many of the buffer's PCs are in d[0..nd). */
static size_t
t_hits(const struct kc *kc, const uint64_t *d, size_t nd)
{
	size_t n = 0;

	for (uint64_t i = 0; i < kc->buf[0]; i++)
		n += has(d, nd, kc->buf[i + 1]);
	return n;
}

ATF_TC(records);
ATF_TC_HEAD(records, tc)
{
	atf_tc_set_md_var(tc, "descr", "enabled, the LWP's system calls "
	    "leave kernel PCs in word 1 on, their count in word 0; "
	    "disabled, nothing more");
}
ATF_TC_BODY(records, tc)
{
	struct kc kc;
	struct stat st;
	uint64_t n, nbad = 0, d[64];
	size_t nd;

	kc_open(&kc);
	RL(fstat(kc.fd, &st));
	ATF_CHECK_MSG(S_ISCHR(st.st_mode), "/dev/kcov is a character "
	    "device: mode %#o", (unsigned)st.st_mode);
	ATF_CHECK_EQ_MSG(kc.buf[0], 0, "a new buffer is zeroed");
	kc_enable(&kc);
	(void)getppid();
	n = kc.buf[0];
	for (uint64_t i = 0; i < n; i++)
		nbad += kc.buf[i + 1] < KERNEL_TEXT;
	nd = t_getppid_only(&kc, nothing, d, 64);
	RL(ioctl(kc.fd, KCOV_IOC_DISABLE));
	ATF_CHECK_MSG(n > 0 && n < NENT - 1, "getppid() recorded %llu PCs",
	    (unsigned long long)n);
	ATF_CHECK_MSG(nbad == 0, "%llu PCs below the kernel's text",
	    (unsigned long long)nbad);
	ATF_CHECK_MSG(nd > 0, "getppid's path has PCs getpid's lacks");
	n = kc.buf[0];
	(void)getppid();
	ATF_CHECK_EQ_MSG(kc.buf[0], n, "disabled: %llu PCs, then %llu",
	    (unsigned long long)n, (unsigned long long)kc.buf[0]);
	RL(close(kc.fd));
	/* The mapping outlives the file. */
	ATF_CHECK_EQ(kc.buf[0], n);
}

static void
getppid_lwp(void *arg)
{
	int n = (int)(intptr_t)arg;

	for (int i = 0; i < n; i++)
		(void)getppid();
	_lwp_exit();
}

/* Start an LWP that makes n getppid calls, and wait for it. */
static void
lwp_getppid(int n)
{
	lwpid_t lid = h_lwp_start(0, getppid_lwp, (void *)(intptr_t)n, 0);

	RL(_lwp_wait(lid, NULL));
}

static void
lwp_nothing(void)
{
	lwp_getppid(0);
}

ATF_TC(other_lwp);
ATF_TC_HEAD(other_lwp, tc)
{
	atf_tc_set_md_var(tc, "descr", "another LWP's calls do not land "
	    "in this LWP's buffer");
}
ATF_TC_BODY(other_lwp, tc)
{
	struct kc kc;
	uint64_t d[64];
	size_t nd, hits;

	kc_open(&kc);
	kc_enable(&kc);
	nd = t_getppid_only(&kc, lwp_nothing, d, 64);
	kc.buf[0] = 0;
	lwp_getppid(200);
	hits = t_hits(&kc, d, nd);
	ATF_CHECK_MSG(kc.buf[0] > 0, "our own _lwp_create and _lwp_wait "
	    "are recorded");
	RL(ioctl(kc.fd, KCOV_IOC_DISABLE));
	ATF_REQUIRE(nd > 0);
	ATF_CHECK_MSG(kc.buf[0] < NENT - 1, "the buffer did not fill up");
	ATF_CHECK_MSG(hits == 0, "%zu PCs of getppid's own path while "
	    "another LWP made 200 getppid calls", hits);
}

static int
child_nothing(void)
{
	return 0;
}

static void
fork_nothing(void)
{
	(void)h_child(child_nothing);
}

static kcov_int_t *parent_buf;

static int
child_getppid(void)
{
	int mode = KCOV_MODE_TRACE_PC;

	/* Room for what follows: fork's copying may have filled it. */
	parent_buf[0] = 0;
	for (int i = 0; i < 200; i++)
		(void)getppid();
	/* The descriptor (shared with the parent) is not the child's. */
	if (ioctl(3, KCOV_IOC_DISABLE) != -1 || errno != ENOENT)
		return 1;
	if (ioctl(3, KCOV_IOC_ENABLE, &mode) != -1 || errno != EBUSY)
		return 2;
	return 0;
}

ATF_TC(fork_child);
ATF_TC_HEAD(fork_child, tc)
{
	atf_tc_set_md_var(tc, "descr", "a forked child's calls are not "
	    "recorded, and it may not disable or enable the parent's "
	    "descriptor");
}
ATF_TC_BODY(fork_child, tc)
{
	struct kc kc;
	uint64_t d[64];
	size_t nd, hits;
	int st;

	kc_open(&kc);
	ATF_REQUIRE_EQ_MSG(kc.fd, 3, "the child expects the descriptor at 3");
	kc_enable(&kc);
	nd = t_getppid_only(&kc, fork_nothing, d, 64);
	kc.buf[0] = 0;
	parent_buf = kc.buf;
	st = h_child(child_getppid);
	hits = t_hits(&kc, d, nd);
	RL(ioctl(kc.fd, KCOV_IOC_DISABLE));
	ATF_REQUIRE(nd > 0);
	ATF_CHECK_MSG(kc.buf[0] < NENT - 1, "the buffer did not fill up");
	CHECK_EXIT(st, 0, "the child's DISABLE (ENOENT), ENABLE (EBUSY)");
	ATF_CHECK_MSG(hits == 0, "%zu PCs of getppid's own path while a "
	    "child made 200 getppid calls", hits);
}

ATF_TC(unmapped);
ATF_TC_HEAD(unmapped, tc)
{
	atf_tc_set_md_var(tc, "descr", "unmapped or closed while enabled, "
	    "the buffer is still the kernel's to write, and mapped again "
	    "shows it did");
}
ATF_TC_BODY(unmapped, tc)
{
	struct kc kc;
	kcov_int_t *again;
	uint64_t n;

	kc_open(&kc);
	kc_enable(&kc);
	RL(munmap((void *)kc.buf, NENT * KCOV_ENTRY_SIZE));
	for (int i = 0; i < 10; i++)
		(void)getppid();
	again = mmap(NULL, NENT * KCOV_ENTRY_SIZE, RW, MAP_SHARED, kc.fd, 0);
	REQUIRE_LIBC(again, MAP_FAILED);
	n = again[0];
	ATF_CHECK_MSG(n > 0, "the calls made while unmapped were recorded");
	RL(close(kc.fd));	/* enabled: freed when this LWP exits */
	(void)getppid();
	ATF_CHECK_MSG(again[0] > n, "closed, still recording: %llu, then "
	    "%llu", (unsigned long long)n, (unsigned long long)again[0]);
}

/* Another LWP's DISABLE, by raw call (errno is the process's). */
static volatile int other_err;
static int other_fd;

static void
disabler(void *arg)
{
	int err;

	(void)H_SYSCALL(SYS_ioctl, other_fd, KCOV_IOC_DISABLE, 0, 0, 0, 0,
	    &err);
	other_err = err;
	_lwp_exit();
}

ATF_TC(errors);
ATF_TC_HEAD(errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "bad sizes, a size pointer that is "
	    "not mapped, enabling twice or without a buffer, disabling from "
	    "another LWP, bad mappings: each its error");
}
ATF_TC_BODY(errors, tc)
{
	uint64_t nent = NENT, zero = 0, one = 1, big = KCOV_BUF_MAX_ENTRIES + 1;
	int fd, fd2, rfd, pc = KCOV_MODE_TRACE_PC, cmp = KCOV_MODE_TRACE_CMP;
	int bad = 7;
	char buf[8];
	void *hole;
	lwpid_t lid;

	CHECK_ERR(open("/dev/kcov", O_RDWR | O_DIRECTORY), ENOTDIR,
	    "open O_DIRECTORY");
	RL(fd = open("/dev/kcov", O_RDWR));
	RL(fd2 = open("/dev/kcov", O_RDWR));
	CHECK_ERR(read(fd, buf, 8), EBADF, "read");
	CHECK_ERR(write(fd, buf, 8), EBADF, "write");
	CHECK_ERR(ioctl(fd, KCOV_IOC_ENABLE, &pc), ENOBUFS,
	    "ENABLE without a buffer");
	CHECK_ERR(mmap(NULL, 4096, RW, MAP_SHARED, fd, 0), ENOMEM,
	    "mmap without a buffer");
	/* The size pointer: NULL, a hole, the kernel. */
	hole = mmap(NULL, 4096, RW, MAP_PRIVATE | MAP_ANON, -1, 0);
	REQUIRE_LIBC(hole, MAP_FAILED);
	RL(munmap(hole, 4096));
	CHECK_ERR(ioctl(fd, KCOV_IOC_SETBUFSIZE, NULL), EFAULT,
	    "SETBUFSIZE, NULL");
	CHECK_ERR(ioctl(fd, KCOV_IOC_SETBUFSIZE, hole), EFAULT,
	    "SETBUFSIZE, an unmapped page");
	CHECK_ERR(ioctl(fd, KCOV_IOC_SETBUFSIZE, (void *)KERNEL_TEXT), EFAULT,
	    "SETBUFSIZE, a kernel address");
	CHECK_ERR(ioctl(fd, KCOV_IOC_SETBUFSIZE, &zero), EINVAL,
	    "SETBUFSIZE 0");
	CHECK_ERR(ioctl(fd, KCOV_IOC_SETBUFSIZE, &one), EINVAL,
	    "SETBUFSIZE 1");
	CHECK_ERR(ioctl(fd, KCOV_IOC_SETBUFSIZE, &big), EINVAL,
	    "SETBUFSIZE past KCOV_BUF_MAX_ENTRIES");
	RL(ioctl(fd, KCOV_IOC_SETBUFSIZE, &nent));
	CHECK_ERR(ioctl(fd, KCOV_IOC_SETBUFSIZE, &nent), EEXIST,
	    "SETBUFSIZE twice");
	RL(ioctl(fd2, KCOV_IOC_SETBUFSIZE, &nent));
	/* Mappings. */
	CHECK_ERR(mmap(NULL, NENT * 8 + 4096, RW, MAP_SHARED, fd, 0), ENOMEM,
	    "mmap past the buffer");
	CHECK_ERR(mmap(NULL, 4096, RW, MAP_SHARED, fd, NENT * 8), ENOMEM,
	    "mmap at the buffer's end");
	CHECK_ERR(mmap(NULL, 4096, RW, MAP_SHARED, fd, 100), EINVAL,
	    "mmap at an unaligned offset");
	CHECK_ERR(mmap(NULL, 4096, RW, MAP_PRIVATE, fd, 0), EINVAL,
	    "mmap MAP_PRIVATE");
	CHECK_ERR(mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0),
	    EACCES, "mmap PROT_EXEC");
	CHECK_ERR(mmap(NULL, 4096, RW, MAP_SHARED, 77, 0), EBADF,
	    "mmap of no descriptor");
	RL(rfd = open("/dev/urandom", O_RDONLY));
	CHECK_ERR(mmap(NULL, 4096, PROT_READ, MAP_SHARED, rfd, 0), ENODEV,
	    "mmap of /dev/urandom");
	RL(close(rfd));
	/* Enabling and disabling. */
	CHECK_ERR(ioctl(fd, KCOV_IOC_DISABLE), ENOENT, "DISABLE, not enabled");
	CHECK_ERR(ioctl(fd, KCOV_IOC_ENABLE, &bad), EINVAL, "ENABLE mode 7");
	CHECK_ERR(ioctl(fd, KCOV_IOC_ENABLE, &cmp), ENOTSUP,
	    "ENABLE KCOV_MODE_TRACE_CMP");
	CHECK_ERR(ioctl(fd, KCOV_IOC_ENABLE, NULL), EFAULT, "ENABLE, NULL");
	CHECK_ERR(ioctl(fd, _IO('K', 99)), EINVAL, "an unknown request");
	RL(ioctl(fd, KCOV_IOC_ENABLE, &pc));
	CHECK_ERR(ioctl(fd, KCOV_IOC_ENABLE, &pc), EBUSY, "ENABLE twice");
	CHECK_ERR(ioctl(fd2, KCOV_IOC_ENABLE, &pc), EBUSY,
	    "ENABLE a second descriptor on the LWP");
	CHECK_ERR(ioctl(fd, KCOV_IOC_SETBUFSIZE, &nent), EBUSY,
	    "SETBUFSIZE while enabled");
	other_fd = fd;
	other_err = -1;
	lid = h_lwp_start(0, disabler, NULL, 0);
	RL(_lwp_wait(lid, NULL));
	ATF_CHECK_EQ_MSG(other_err, ENOENT, "DISABLE from another LWP: "
	    "error %d", other_err);
	RL(ioctl(fd, KCOV_IOC_DISABLE));
	CHECK_ERR(ioctl(fd, KCOV_IOC_DISABLE), ENOENT, "DISABLE twice");
	RL(ioctl(fd2, KCOV_IOC_ENABLE, &pc));
	RL(ioctl(fd2, KCOV_IOC_DISABLE));
	RL(close(fd));
	RL(close(fd2));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, records);
	ATF_TP_ADD_TC(tp, other_lwp);
	ATF_TP_ADD_TC(tp, fork_child);
	ATF_TP_ADD_TC(tp, unmapped);
	ATF_TP_ADD_TC(tp, errors);
	return atf_no_error();
}

/*
 * t_misc: the smaller system calls.  Process ids, clocks and sleeping,
 * uname, sched_yield, sysctl, libc's syscall(2), getrusage, the LWP
 * calls and %fs, the FPU state across context switches, and files on
 * the initrd.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysctl.h>
#include <sys/utsname.h>
#include <dirent.h>
#include <fcntl.h>
#include <lwp.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "h_macros.h"

#define NSEC	1000000000L
#define LSONPROC	7	/* l_stat: running on a CPU (sys/lwp.h) */

static long
ts_ns(const struct timespec *ts)
{
	return ts->tv_sec * NSEC + ts->tv_nsec;
}

static int
child_true(void)
{
	return 0;
}

ATF_TC(ids);
ATF_TC_HEAD(ids, tc)
{
	atf_tc_set_md_var(tc, "descr", "getpid and getppid");
}
ATF_TC_BODY(ids, tc)
{
	pid_t me = getpid();
	int i, bad = 0;

	for (i = 0; i < 100; i++)
		bad += getpid() != me;
	ATF_CHECK_MSG(me > 0 && bad == 0,
	    "getpid is the same every time: %d of 100 differ", bad);
	ATF_CHECK_MSG(getppid() > 0 && getppid() != me,
	    "getppid is another process: getppid() = %d, getpid() = %d",
	    getppid(), me);
}

ATF_TC(clocks);
ATF_TC_HEAD(clocks, tc)
{
	atf_tc_set_md_var(tc, "descr", "clock_gettime and nanosleep, and "
	    "their errors");
}
ATF_TC_BODY(clocks, tc)
{
	struct timespec a, b, ts;
	long prev = 0, ns, elapsed;
	int i, back = 0, badns = 0, r;

	for (i = 0; i < 1000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		ns = ts_ns(&a);
		back += ns < prev;
		badns += a.tv_nsec < 0 || a.tv_nsec >= NSEC;
		prev = ns;
	}
	ATF_CHECK_MSG(back == 0 && badns == 0,
	    "CLOCK_MONOTONIC never goes back: %d went back, %d bad tv_nsec",
	    back, badns);
	r = clock_gettime(CLOCK_REALTIME, &a);
	ATF_CHECK_MSG(r == 0 && a.tv_nsec >= 0 && a.tv_nsec < NSEC,
	    "CLOCK_REALTIME reads: returned %d (%s)", r,
	    strerror(errno));
	CHECK_ERR(clock_gettime(12345, &a), EINVAL,
	    "clock_gettime of a bad clock: EINVAL");

	/* 50 ms asked: at least 50 ms, and not absurdly more. */
	ts.tv_sec = 0;
	ts.tv_nsec = 50 * 1000000;
	clock_gettime(CLOCK_MONOTONIC, &a);
	r = nanosleep(&ts, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	elapsed = ts_ns(&b) - ts_ns(&a);
	ATF_CHECK_MSG(r == 0 && elapsed >= 50 * 1000000L && elapsed < 2 * NSEC,
	    "nanosleep 50 ms sleeps 50 ms to 2 s: returned %d, slept %ld us", r,
	    elapsed / 1000);

	ts.tv_nsec = 0;
	ATF_CHECK_MSG(nanosleep(&ts, NULL) == 0, "nanosleep 0 returns 0: %s",
	    strerror(errno));
	ts.tv_nsec = NSEC;
	CHECK_ERR(nanosleep(&ts, NULL), EINVAL,
	    "nanosleep tv_nsec = 1e9: EINVAL");
	ts.tv_nsec = -1;
	CHECK_ERR(nanosleep(&ts, NULL), EINVAL,
	    "nanosleep tv_nsec = -1: EINVAL");
}

ATF_TC(uname);
ATF_TC_HEAD(uname, tc)
{
	atf_tc_set_md_var(tc, "descr", "uname: lwpkern on amd64, every "
	    "string ended");
}
ATF_TC_BODY(uname, tc)
{
	struct utsname u;
	int r;

	memset(&u, 0x7f, sizeof(u));	/* so a missing NUL shows */
	r = uname(&u);
	ATF_CHECK_MSG(r == 0 && strnlen(u.sysname, _SYS_NMLN) < _SYS_NMLN &&
	    strcmp(u.sysname, "lwpkern") == 0,
	    "uname sysname is lwpkern: returned %d, sysname \"%.20s\"", r,
	    u.sysname);
	ATF_CHECK_MSG(strnlen(u.machine, _SYS_NMLN) < _SYS_NMLN &&
	    strcmp(u.machine, "amd64") == 0,
	    "uname machine is amd64: machine \"%.20s\"", u.machine);
	ATF_CHECK_MSG(strnlen(u.release, _SYS_NMLN) < _SYS_NMLN &&
	    strnlen(u.nodename, _SYS_NMLN) < _SYS_NMLN &&
	    strnlen(u.version, _SYS_NMLN) < _SYS_NMLN,
	    "uname strings all end in NUL: one does not");
}

ATF_TC(sysctl);
ATF_TC_HEAD(sysctl, tc)
{
	atf_tc_set_md_var(tc, "descr", "hw.ncpu, kern.lwp (this LWP "
	    "ONPROC), ENOMEM, unknown names");
}
ATF_TC_BODY(sysctl, tc)
{
	int mib[2] = { CTL_HW, HW_NCPU };
	struct kinfo_lwp *kl, *me = NULL;
	size_t len, i, n;
	int ncpu = 0, r;

	len = sizeof(ncpu);
	r = sysctl(mib, 2, &ncpu, &len, NULL, 0);
	ATF_CHECK_MSG(r == 0 && len == sizeof(ncpu) && ncpu >= 1,
	    "sysctl hw.ncpu is at least 1: returned %d (%s), len %zu, %d",
	    r, strerror(errno), len, ncpu);

	mib[0] = CTL_KERN;
	mib[1] = KERN_LWP;
	r = sysctl(mib, 2, NULL, &len, NULL, 0);
	ATF_REQUIRE_MSG(r == 0 && len >= 2 * sizeof(*kl) &&
	    len % sizeof(*kl) == 0,
	    "sysctl kern.lwp size query: returned %d (%s), len %zu", r,
	    strerror(errno), len);
	len += 8 * sizeof(*kl);		/* room for LWPs born meanwhile */
	ATF_REQUIRE((kl = malloc(len)) != NULL);
	r = sysctl(mib, 2, kl, &len, NULL, 0);
	n = r == 0 ? len / sizeof(*kl) : 0;
	for (i = 0; i < n; i++)
		if (kl[i].l_pid == getpid())
			me = &kl[i];
	ATF_CHECK_MSG(me != NULL && me->l_stat == LSONPROC && me->l_lid == 1 &&
	    me->l_ppid == getppid(),
	    "sysctl kern.lwp: this LWP is ONPROC: returned %d (%s), %zu LWPs, "
	    "ours: %s stat %d lid %d ppid %d", r, strerror(errno), n,
	    me ? "found" : "missing", me ? me->l_stat : -1,
	    me ? me->l_lid : -1, me ? me->l_ppid : -1);

	/* Too small a buffer: what fits, and ENOMEM. */
	len = sizeof(*kl);
	errno = 0;
	r = sysctl(mib, 2, kl, &len, NULL, 0);
	ATF_CHECK_MSG(r == -1 && errno == ENOMEM,
	    "sysctl kern.lwp into a one-entry buffer: ENOMEM: returned %d (%s)",
	    r, strerror(errno));
	free(kl);

	mib[1] = 9999;
	ATF_CHECK_MSG(sysctl(mib, 2, &ncpu, &len, NULL, 0) == -1,
	    "sysctl of an unknown name fails: it did not");
}

/* kern.trace (lwpkern's): the event trace's classes, as a string. */
static int
trace_get(char *buf, size_t size)
{
	int mib[2] = { CTL_KERN, KERN_TRACE };

	return sysctl(mib, 2, buf, &size, NULL, 0);
}

static int
trace_set(const char *classes)
{
	int mib[2] = { CTL_KERN, KERN_TRACE };

	return sysctl(mib, 2, NULL, NULL, classes, strlen(classes));
}

ATF_TC(sysctl_trace);
ATF_TC_HEAD(sysctl_trace, tc)
{
	atf_tc_set_md_var(tc, "descr", "kern.trace reads and sets the event "
	    "trace's classes; an unknown class is EINVAL and changes nothing");
}
ATF_TC_BODY(sysctl_trace, tc)
{
	char old[64], now[64];

	ATF_REQUIRE_MSG(trace_get(old, sizeof(old)) == 0,
	    "sysctl kern.trace: %s", strerror(errno));
	ATF_CHECK_MSG(trace_set("sched+lock") == 0,
	    "setting sched+lock: %s", strerror(errno));
	ATF_CHECK(trace_get(now, sizeof(now)) == 0);
	ATF_CHECK_STREQ(now, "sched,lock");
	errno = 0;
	ATF_CHECK_MSG(trace_set("sched,nonsense") == -1 && errno == EINVAL,
	    "an unknown class: EINVAL (errno %d)", errno);
	ATF_CHECK(trace_get(now, sizeof(now)) == 0);
	ATF_CHECK_STREQ(now, "sched,lock");
	ATF_CHECK(trace_set("off") == 0);
	ATF_CHECK(trace_get(now, sizeof(now)) == 0);
	ATF_CHECK_STREQ(now, "off");
	ATF_CHECK(trace_set(old) == 0);
}

/*
 * kern.hangreport reads as the number of hang reports so far; a value
 * other than the int 1 is EINVAL.  (Writing 1 prints a report, which a
 * scenario expects: hang-report, ktest selftest_hang_report_asked.)
 */
ATF_TC(sysctl_hangreport);
ATF_TC_HEAD(sysctl_hangreport, tc)
{
	atf_tc_set_md_var(tc, "descr", "kern.hangreport reads the hang "
	    "reports so far; writing anything but an int 1 is EINVAL");
}
ATF_TC_BODY(sysctl_hangreport, tc)
{
	int mib[2] = { CTL_KERN, KERN_HANGREPORT }, n = -1, two = 2;
	size_t len = sizeof(n);
	char one = 1;

	ATF_REQUIRE_MSG(sysctl(mib, 2, &n, &len, NULL, 0) == 0,
	    "reading kern.hangreport: %s", strerror(errno));
	ATF_CHECK_EQ(len, sizeof(int));
	ATF_CHECK_MSG(n >= 0, "%d reports", n);
	errno = 0;
	ATF_CHECK_MSG(sysctl(mib, 2, NULL, NULL, &two, sizeof(two)) == -1 &&
	    errno == EINVAL, "writing 2: EINVAL (errno %d)", errno);
	errno = 0;
	ATF_CHECK_MSG(sysctl(mib, 2, NULL, NULL, &one, sizeof(one)) == -1 &&
	    errno == EINVAL, "writing a char: EINVAL (errno %d)", errno);
}

/*
 * syscall(2): any call by its SYS_* number, the arguments passed on as
 * the stub would (the fifth moves register, the sixth comes off the
 * stack: sysctl's newv and newlen, each EPERM when set), errors in
 * errno.
 */
ATF_TC(syscall);
ATF_TC_HEAD(syscall, tc)
{
	atf_tc_set_md_var(tc, "descr", "libc's syscall(2): six arguments, "
	    "errors in errno");
}
ATF_TC_BODY(syscall, tc)
{
	int mib[2] = { CTL_KERN, KERN_OSTYPE };
	char name[16] = "";
	size_t len = sizeof(name);
	int r;

	ATF_CHECK_MSG(syscall(SYS_getpid) == getpid(),
	    "syscall(SYS_getpid) is getpid: %d, not %d", syscall(SYS_getpid),
	    getpid());
	r = syscall(SYS___sysctl, mib, 2, name, &len, NULL, 0);
	ATF_CHECK_MSG(r == 0 && strcmp(name, "lwpkern") == 0,
	    "syscall(SYS___sysctl) reads kern.ostype, six arguments: "
	    "returned %d (%s), \"%.15s\"", r, strerror(errno), name);
	CHECK_ERR(syscall(SYS___sysctl, mib, 2, name, &len, name, 0), EPERM,
	    "syscall(SYS___sysctl) with newv: EPERM (fifth argument)");
	CHECK_ERR(syscall(SYS___sysctl, mib, 2, name, &len, NULL, 1), EPERM,
	    "syscall(SYS___sysctl) with newlen: EPERM (sixth argument)");
	CHECK_ERR(syscall(SYS_MAXSYSCALL), ENOSYS,
	    "syscall(SYS_MAXSYSCALL): ENOSYS");
	CHECK_ERR(syscall(-1), ENOSYS, "syscall(-1): ENOSYS");
}

/* Burn about ms milliseconds of CPU. */
static void
spin(long ms)
{
	long end = h_msec() + ms;

	while (h_msec() < end)
		continue;
}

static int
child_spin(void)
{
	spin(50);
	return 0;
}

static long
tv_us(const struct timeval *tv)
{
	return tv->tv_sec * 1000000L + tv->tv_usec;
}

ATF_TC(rusage);
ATF_TC_HEAD(rusage, tc)
{
	atf_tc_set_md_var(tc, "descr", "getrusage: CPU time, voluntary "
	    "switches, reaped children");
}
ATF_TC_BODY(rusage, tc)
{
	struct rusage a, b, c;
	struct timespec ts = { 0, 1000000 };
	int r1, r2, st;

	r1 = getrusage(RUSAGE_SELF, &a);
	spin(30);
	nanosleep(&ts, NULL);
	r2 = getrusage(RUSAGE_SELF, &b);
	ATF_CHECK_MSG(r1 == 0 && r2 == 0 &&
	    tv_us(&b.ru_utime) > tv_us(&a.ru_utime) &&
	    b.ru_utime.tv_usec >= 0 && b.ru_utime.tv_usec < 1000000,
	    "getrusage: CPU time grows while spinning: returned %d %d, %ld us "
	    "then %ld us", r1, r2, tv_us(&a.ru_utime), tv_us(&b.ru_utime));
	ATF_CHECK_MSG(b.ru_nvcsw > a.ru_nvcsw,
	    "getrusage: nanosleep counts a voluntary switch: ru_nvcsw %ld "
	    "then %ld", a.ru_nvcsw, b.ru_nvcsw);

	st = h_child(child_spin);
	r1 = getrusage(RUSAGE_CHILDREN, &c);
	ATF_CHECK_MSG(st != -1 && r1 == 0 && tv_us(&c.ru_utime) > 0,
	    "getrusage RUSAGE_CHILDREN counts a reaped child: child %s, "
	    "returned %d, %ld us", atf_utils_wstatus(st), r1,
	    tv_us(&c.ru_utime));
	CHECK_ERR(getrusage(12345, &c), EINVAL, "getrusage bad who: EINVAL");
}

/* The LWP private pointer is the %fs base. */
static long tls_block[2] = { 0x1122334455667788L, 0 };

static long
fs0(void)
{
	long v;

	__asm volatile("movq %%fs:0, %0" : "=r" (v));
	return v;
}

static int
child_fs(void)
{
	return fs0() == tls_block[0] ? 0 : 1;
}

ATF_TC(lwp_private);
ATF_TC_HEAD(lwp_private, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_self, the private pointer as "
	    "%%fs, across a switch and fork");
}
ATF_TC_BODY(lwp_private, tc)
{
	void *old = _lwp_getprivate();
	long v1, v2;
	int st;

	ATF_CHECK_MSG(_lwp_self() == 1, "_lwp_self is 1: got %d", _lwp_self());
	_lwp_setprivate(tls_block);
	v1 = fs0();
	sched_yield();
	h_sleep_ms(10);		/* off the CPU and back */
	v2 = fs0();
	st = h_child(child_fs);
	ATF_CHECK_MSG(_lwp_getprivate() == tls_block,
	    "_lwp_getprivate returns what was set: got %p, set %p",
	    _lwp_getprivate(), (void *)tls_block);
	_lwp_setprivate(old);
	ATF_CHECK_MSG(v1 == tls_block[0],
	    "%%fs:0 reads the private block: got %#lx", v1);
	ATF_CHECK_MSG(v2 == tls_block[0],
	    "%%fs survives a context switch: got %#lx", v2);
	CHECK_EXIT(st, 0, "fork keeps %fs");
	ATF_CHECK_MSG(sched_yield() == 0, "sched_yield returns 0: %s",
	    strerror(errno));
}

/*
 * FPU and SSE state across context switches.  fpu_work() keeps eight
 * doubles in registers through a long run of arithmetic, yielding the
 * CPU every round.  Several children run it at once under two MXCSR
 * rounding modes (a value the ABI keeps across calls, so only the
 * kernel can lose it), and each checks its result against the value
 * the parent computed alone: IEEE arithmetic is exact and repeatable,
 * so any difference means registers or MXCSR leaked between processes.
 */
#define MXCSR_RZ	0x6000		/* rounding control: toward zero */

static double
fpu_work(double seed, bool yield)
{
	double a = seed, b = seed / 3, c = seed / 7, d = seed / 11;
	double e = 1.5, f = 2.5, g = 3.5, h = 4.5;
	int i, j;

	for (i = 0; i < 2000; i++) {
		for (j = 0; j < 100; j++) {
			a = a * 1.0000001 + b * 1e-7;
			b = b * 0.9999999 + c * 1e-7;
			c = c * 1.0000003 - d * 1e-7;
			d = d * 0.9999997 + a * 1e-8;
			e = e * f / g + h * 1e-9;
			f = f + e * 1e-9;
			g = g - f * 1e-10;
			h = h * 1.0000001;
		}
		if (yield)
			sched_yield();
	}
	return a + b + c + d + e + f + g + h;
}

static unsigned int
get_mxcsr(void)
{
	unsigned int m;

	__asm volatile("stmxcsr %0" : "=m" (m) : : "memory");
	return m;
}

static void
set_mxcsr(unsigned int m)
{
	__asm volatile("ldmxcsr %0" : : "m" (m) : "memory");
}

/* Called through a pointer the compiler cannot see through, so that it
 * neither merges the two calls below nor moves them past set_mxcsr. */
static double (*volatile work)(double, bool) = fpu_work;

/* Two processes per CPU (at most NFPU), so that they must take turns. */
#define NFPU	8

ATF_TC(fpu);
ATF_TC_HEAD(fpu, tc)
{
	atf_tc_set_md_var(tc, "descr", "FPU registers and MXCSR survive "
	    "context switches");
}
ATF_TC_BODY(fpu, tc)
{
	int mib[2] = { CTL_HW, HW_NCPU };
	unsigned int m0 = get_mxcsr(), mode[2] = { m0, m0 | MXCSR_RZ };
	volatile double want[2];
	size_t len = sizeof(int);
	int i, n, ncpu = 1, st, nbad = 0;
	pid_t kid[NFPU];

	want[0] = work(1.0, false);
	set_mxcsr(mode[1]);
	want[1] = work(1.0, false);
	set_mxcsr(m0);
	ATF_CHECK_MSG(want[0] != want[1],
	    "rounding modes give different results: the FPU test below would "
	    "prove nothing");

	sysctl(mib, 2, &ncpu, &len, NULL, 0);
	n = 2 * ncpu < NFPU ? 2 * ncpu : NFPU;
	fflush(stdout);
	for (i = 0; i < n; i++) {
		kid[i] = fork();
		if (kid[i] == 0) {
			/* (The low six MXCSR bits are sticky exception
			 * flags the arithmetic itself sets: compare the
			 * control bits.) */
			set_mxcsr(mode[i % 2]);
			_exit(work(1.0, true) == want[i % 2] &&
			    (get_mxcsr() & ~0x3fu) == (mode[i % 2] & ~0x3fu) ?
			    0 : 1);
		}
	}
	for (i = 0; i < n; i++) {
		if (kid[i] == -1 || waitpid(kid[i], &st, 0) != kid[i] ||
		    !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			nbad++;
	}
	ATF_CHECK_MSG(nbad == 0,
	    "FPU registers and MXCSR survive context switches: %d of %d "
	    "processes got a wrong result", nbad, n);
}

/* /etc/testdata, exactly: */
static const char testdata[] =
    "This file is read by /tests/t_misc and /tests/t_efault.\n"
    "Its contents must not change.\n"
    "0123456789abcdefghijklmnopqrstuvwxyz\n";
#define TESTLEN	(sizeof(testdata) - 1)

ATF_TC(files);
ATF_TC_HEAD(files, tc)
{
	atf_tc_set_md_var(tc, "descr", "open, read, lseek, fstat, close, "
	    "stat on the initrd");
}
ATF_TC_BODY(files, tc)
{
	char buf[256];
	struct stat sb;
	ssize_t n;
	off_t off;
	int fd, fd2, st = -1;

	fd = open("/etc/testdata", O_RDONLY);
	ATF_REQUIRE_MSG(fd >= 0, "open /etc/testdata: open: %s",
	    strerror(errno));
	n = read(fd, buf, sizeof(buf));
	ATF_CHECK_MSG(n == (ssize_t)TESTLEN && memcmp(buf, testdata, TESTLEN) ==
	    0, "read the whole file: read %zd bytes, expected %zu", n, TESTLEN);
	ATF_CHECK_MSG(read(fd, buf, sizeof(buf)) == 0,
	    "read at the end returns 0: it did not");
	off = lseek(fd, 10, SEEK_SET);
	n = read(fd, buf, 5);
	ATF_CHECK_MSG(off == 10 && n == 5 && memcmp(buf, testdata + 10, 5) == 0,
	    "lseek SEEK_SET and read: lseek %lld, read %zd", (long long)off,
	    n);
	off = lseek(fd, -5, SEEK_CUR);
	ATF_CHECK_MSG(off == 10, "lseek SEEK_CUR: got %lld", (long long)off);
	off = lseek(fd, 0, SEEK_END);
	ATF_CHECK_MSG(off == (off_t)TESTLEN,
	    "lseek SEEK_END gives the size: got %lld", (long long)off);
	CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL,
	    "lseek to a negative offset: EINVAL");
	off = lseek(fd, 1000, SEEK_SET);
	ATF_CHECK_MSG(off == 1000 && read(fd, buf, sizeof(buf)) == 0,
	    "read past the end returns 0: lseek gave %lld", (long long)off);
	ATF_CHECK_MSG(fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    sb.st_size == (off_t)TESTLEN,
	    "fstat: a regular file, its size: mode %#o size %lld", sb.st_mode,
	    (long long)sb.st_size);

	/* Descriptors, and their offsets, are shared with a child. */
	lseek(fd, 3, SEEK_SET);
	fflush(stdout);
	if (fork() == 0)
		_exit(read(fd, buf, 3) == 3 && memcmp(buf, testdata + 3, 3) ==
		    0 ? 0 : 1);
	wait(&st);
	CHECK_EXIT(st, 0, "a child reads an inherited descriptor");
	ATF_CHECK_MSG(lseek(fd, 0, SEEK_CUR) == 6,
	    "the child's read moved our offset: offset %lld, expected 6",
	    (long long)lseek(fd, 0, SEEK_CUR));

	ATF_CHECK_MSG(close(fd) == 0, "close: %s", strerror(errno));
	CHECK_ERR(close(fd), EBADF, "close twice: EBADF");
	CHECK_ERR(read(fd, buf, 1), EBADF, "read a closed descriptor: EBADF");
	CHECK_ERR(read(99, buf, 1), EBADF, "read descriptor 99: EBADF");
	CHECK_ERR(lseek(-1, 0, SEEK_SET), EBADF, "lseek descriptor -1: EBADF");

	/* The lowest free descriptor comes back. */
	fd = open("/etc/testdata", O_RDONLY);
	close(fd);
	fd2 = open("/etc/testdata", O_RDONLY);
	ATF_CHECK_MSG(fd >= 3 && fd2 == fd,
	    "open takes the lowest free descriptor: got %d then %d", fd, fd2);
	close(fd2);

	/* No cwd: a relative path starts at "/". */
	fd = open("etc/testdata", O_RDONLY);
	ATF_CHECK_MSG(fd >= 0 && read(fd, buf, 4) == 4 &&
	    memcmp(buf, "This", 4) == 0,
	    "open etc/testdata (relative to /): open: %s", strerror(errno));
	close(fd);

	CHECK_ERR(open("/etc/no_such_file", O_RDONLY), ENOENT,
	    "open a missing file: ENOENT");
	CHECK_ERR(open("/etc/testdata", O_WRONLY), EROFS,
	    "open O_WRONLY: EROFS");
	CHECK_ERR(open("/etc/testdata", O_RDWR), EROFS, "open O_RDWR: EROFS");
	ATF_CHECK_MSG(stat("/tests", &sb) == 0 && S_ISDIR(sb.st_mode),
	    "stat /tests: a directory: %s, mode %#o", strerror(errno),
	    sb.st_mode);
}

/* readdir of / finds bin, etc and tests (as directories, if d_type says). */
ATF_TC(readdir);
ATF_TC_HEAD(readdir, tc)
{
	atf_tc_set_md_var(tc, "descr", "readdir / lists bin, etc and tests");
}
ATF_TC_BODY(readdir, tc)
{
	struct dirent *de;
	int found = 0;
	DIR *d;

	ATF_REQUIRE_MSG((d = opendir("/")) != NULL, "opendir /: %s",
	    strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		found |= strcmp(de->d_name, "bin") == 0 ? 1 :
		    strcmp(de->d_name, "etc") == 0 ? 2 :
		    strcmp(de->d_name, "tests") == 0 ? 4 : 0;
	}
	closedir(d);
	ATF_CHECK_MSG(found == 7,
	    "readdir / lists bin, etc and tests: found mask %#x of 0x7", found);
}

/* Last: the program can still fork and wait after all that. */
ATF_TC_WITHOUT_HEAD(still_alive);
ATF_TC_BODY(still_alive, tc)
{
	CHECK_EXIT(h_child(child_true), 0, "fork and wait at the end");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, ids);
	ATF_TP_ADD_TC(tp, clocks);
	ATF_TP_ADD_TC(tp, uname);
	ATF_TP_ADD_TC(tp, sysctl);
	ATF_TP_ADD_TC(tp, sysctl_trace);
	ATF_TP_ADD_TC(tp, sysctl_hangreport);
	ATF_TP_ADD_TC(tp, syscall);
	ATF_TP_ADD_TC(tp, rusage);
	ATF_TP_ADD_TC(tp, lwp_private);
	ATF_TP_ADD_TC(tp, fpu);
	ATF_TP_ADD_TC(tp, files);
	ATF_TP_ADD_TC(tp, readdir);
	ATF_TP_ADD_TC(tp, still_alive);
	return atf_no_error();
}

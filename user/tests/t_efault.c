/*
 * t_efault: every system call that takes a pointer, handed a bad one,
 * must fail with EFAULT, and the kernel must carry on: it copies from
 * and to user space with checked, fault-tolerant copies, never with a
 * plain dereference.
 *
 * The bad pointers (badptr() below): NULL; an unmapped page (a hole we
 * make); a kernel address; the kernel's direct map; a buffer that
 * straddles the top of user space; and one that runs from a mapped page
 * into the hole.  Plus: read() into a read-only page.
 */
#include <sys/mman.h>
#include <sys/resource.h>
#define _LIBC			/* the _ksem_* calls */
#include <sys/ksem.h>
#include <sys/stat.h>
#include <sys/sysctl.h>
#include <sys/utsname.h>
#include <machine/vmparam.h>
#include <dirent.h>
#include <fcntl.h>
#include <lwp.h>
#include <sys/lwpctl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "h_macros.h"

#define PGSZ	4096UL

enum { B_NULL, B_HOLE, B_KERNEL, B_DMAP, B_TOP, B_INTOHOLE, NBAD };

static const char *const badname[NBAD] = {
	"NULL", "unmapped", "kernel address", "direct map",
	"straddling the top of user space", "straddling into an unmapped page",
};

static char *hole;		/* an unmapped page; the page below is ours */

/* Bad pointer number i, for an argument of len bytes (len >= 2). */
static void *
badptr(int i, size_t len)
{
	switch (i) {
	case B_NULL:
		return NULL;
	case B_HOLE:
		return hole;
	case B_KERNEL:
		return (void *)0xffffffff80000000UL;
	case B_DMAP:
		return (void *)0xffff800000000000UL;
	case B_TOP:
		return (void *)(VM_MAXUSER_ADDRESS - len / 2);
	default:
		return hole - len / 2;
	}
}

/*
 * The two straddling pointers start 8 bytes below an end: for a string
 * argument, fill those 8 bytes with non-NUL characters, so that the
 * string runs on past the end; for an argv or envp vector, put one good
 * pointer there, so that the kernel reads it and then the next one, past
 * the end.  (The top 8 bytes of user space are the top of our stack:
 * setup() saves them and put_back() restores them.)
 */
static void
fill_ends_string(void)
{
	memset((char *)VM_MAXUSER_ADDRESS - 8, 'a', 8);
	memset(hole - 8, 'a', 8);
}

static void
fill_ends_vector(void)
{
	static char x[] = "x";
	char *p = x;

	memcpy((char *)VM_MAXUSER_ADDRESS - 8, &p, 8);
	memcpy(hole - 8, &p, 8);
}

/* Check name "CALL ARG (BAD): EFAULT". */
static const char *
name(const char *call, int i)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "%s (%s): EFAULT", call, badname[i]);
	return buf;
}

static void
test_read_write(void)
{
	char *ro;
	int fd, i;

	fd = open("/etc/testdata", O_RDONLY);
	ATF_REQUIRE_MSG(fd >= 0, "open /etc/testdata: open: %s",
	    strerror(errno));
	for (i = 0; i < NBAD; i++) {
		/* At the start of the file, so there is something to read. */
		lseek(fd, 0, SEEK_SET);
		CHECK_ERR(read(fd, badptr(i, 16), 16), EFAULT,
		    name("read buffer", i));
	}
	for (i = 0; i < NBAD; i++)
		CHECK_ERR(write(STDOUT_FILENO, badptr(i, 16), 16), EFAULT,
		    name("write buffer", i));

	/* The kernel must not write to a page we may not write. */
	ro = mmap(NULL, PGSZ, PROT_READ, MAP_ANON | MAP_PRIVATE, -1, 0);
	ATF_REQUIRE_MSG(ro != MAP_FAILED, "mmap: %s", strerror(errno));
	lseek(fd, 0, SEEK_SET);
	CHECK_ERR(read(fd, ro, 16), EFAULT,
	    "read into a read-only page: EFAULT");
	ATF_CHECK_MSG(ro[0] == 0,
	    "the read-only page is unchanged: first byte %#x", ro[0]);
	munmap(ro, PGSZ);
	close(fd);
}

static void
test_paths(void)
{
	int i;

	fill_ends_string();
	for (i = 0; i < NBAD; i++)
		CHECK_ERR(open(badptr(i, 16), O_RDONLY), EFAULT,
		    name("open path", i));
}

/*
 * execve in a child, in case the kernel runs the program anyway: that
 * is /bin/false, which exits 1.  The child exits 0 for EFAULT, or
 * 100 + errno for another error.
 */
static void
check_execve(const char *path, char *const *av, char *const *ev,
    const char *cname)
{
	pid_t pid;
	int st = -1;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execve(path, av, ev);
		_exit(errno == EFAULT ? 0 : 100 + errno);
	}
	if (pid > 0 && waitpid(pid, &st, 0) != pid)
		st = -1;
	if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) >= 100)
		atf_tc_fail_nonfatal("%s: got %s", cname,
		    strerror(WEXITSTATUS(st) - 100));
	else if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 1)
		atf_tc_fail_nonfatal("%s: the program ran", cname);
	else
		CHECK_EXIT(st, 0, cname);
}

static void
test_execve(void)
{
	char *good[] = { "false", NULL };
	char *badv[] = { "false", (char *)0xffffffff80000000UL, NULL };
	char *none[] = { NULL };
	int i;

	fill_ends_string();
	for (i = 0; i < NBAD; i++)
		check_execve(badptr(i, 16), good, none,
		    name("execve path", i));

	/* A NULL envp is an empty environment (as in NetBSD), so it is
	 * skipped; a NULL argv is refused. */
	fill_ends_vector();
	for (i = 0; i < NBAD; i++) {
		check_execve("/bin/false", badptr(i, 16), none,
		    name("execve argv", i));
		if (i != B_NULL)
			check_execve("/bin/false", good, badptr(i, 16),
			    name("execve envp", i));
	}
	check_execve("/bin/false", badv, none,
	    "execve argv with a kernel address in it: EFAULT");
	check_execve("/bin/false", good, badv,
	    "execve envp with a kernel address in it: EFAULT");
}

/* wait4's status and rusage pointers.  NULL means "not wanted" there,
 * so it is skipped.  The child may or may not be reaped by the failing
 * call: either way it is gone after the waitpid that follows. */
static void
test_wait4(void)
{
	struct rusage ru;
	pid_t pid;
	int i, st;

	for (i = B_HOLE; i < NBAD; i++) {
		if ((pid = fork()) == 0)
			_exit(0);
		CHECK_ERR(wait4(pid, badptr(i, sizeof(int)), 0, NULL), EFAULT,
		    name("wait4 status", i));
		waitpid(pid, &st, 0);

		if ((pid = fork()) == 0)
			_exit(0);
		CHECK_ERR(wait4(pid, &st, 0, badptr(i, sizeof(ru))), EFAULT,
		    name("wait4 rusage", i));
		waitpid(pid, &st, 0);
	}
}

static void
test_structs(void)
{
	struct timespec ts = { 0, 1000000 };
	int fd, i;

	for (i = 0; i < NBAD; i++) {
		CHECK_ERR(uname(badptr(i, sizeof(struct utsname))), EFAULT,
		    name("uname", i));
		CHECK_ERR(clock_gettime(CLOCK_MONOTONIC,
		    badptr(i, sizeof(ts))), EFAULT, name("clock_gettime", i));
		CHECK_ERR(nanosleep(badptr(i, sizeof(ts)), NULL), EFAULT,
		    name("nanosleep rqtp", i));
		CHECK_ERR(getrusage(RUSAGE_SELF,
		    badptr(i, sizeof(struct rusage))), EFAULT,
		    name("getrusage", i));
	}

	/* rmtp: NULL means "not wanted"; anything else is written. */
	for (i = B_HOLE; i < NBAD; i++)
		CHECK_ERR(nanosleep(&ts, badptr(i, sizeof(ts))), EFAULT,
		    name("nanosleep rmtp", i));

	fd = open("/etc/testdata", O_RDONLY);
	for (i = 0; i < NBAD; i++)
		CHECK_ERR(fstat(fd, badptr(i, sizeof(struct stat))), EFAULT,
		    name("fstat", i));
	close(fd);

	/* A fresh descriptor each time: there is always something to read. */
	for (i = 0; i < NBAD; i++) {
		fd = open("/", O_RDONLY);
		CHECK_ERR(getdents(fd, badptr(i, 512), 512), EFAULT,
		    name("getdents", i));
		close(fd);
	}
}

static void
test_sysctl(void)
{
	int mib[2] = { CTL_HW, HW_NCPU };
	size_t len;
	int i, n;

	for (i = 0; i < NBAD; i++) {
		len = sizeof(n);
		CHECK_ERR(__sysctl(badptr(i, sizeof(mib)), 2, &n, &len,
		    NULL, 0), EFAULT, name("sysctl name", i));
	}
	/* NULL oldp asks for the size, and NULL oldlenp is EINVAL: not
	 * bad pointers, so skipped. */
	for (i = B_HOLE; i < NBAD; i++) {
		len = sizeof(n);
		CHECK_ERR(__sysctl(mib, 2, badptr(i, sizeof(n)), &len,
		    NULL, 0), EFAULT, name("sysctl oldp", i));
		CHECK_ERR(__sysctl(mib, 2, &n, badptr(i, sizeof(len)),
		    NULL, 0), EFAULT, name("sysctl oldlenp", i));
	}
}

static char lwpstack[16384] __attribute__((aligned(16)));

static void
lwp_exits(void *arg)
{
	_lwp_exit();
}

/* The LWP calls: contexts, ids, times, names, lwpctl, CPU sets.
 * Where NULL means something (no timeout, "not wanted", ask for the
 * size, end this LWP), it is skipped. */
static void
test_lwp(void)
{
	struct lwpctl *lc;
	struct timespec ts;
	ucontext_t uc;
	lwpid_t lid;
	int i;

	_lwp_makecontext(&uc, lwp_exits, NULL, NULL, lwpstack,
	    sizeof(lwpstack));
	/* A name that needs all 16 bytes _lwp_getname is given. */
	_lwp_setname(0, "abcdefghijklmno");
	for (i = 0; i < NBAD; i++) {
		CHECK_ERR(getcontext(badptr(i, sizeof(uc))), EFAULT,
		    name("getcontext", i));
		if (i != B_NULL)
			CHECK_ERR(setcontext(badptr(i, sizeof(uc))), EFAULT,
			    name("setcontext", i));
		CHECK_ERR(_lwp_create(badptr(i, sizeof(uc)), 0, &lid), EFAULT,
		    name("_lwp_create context", i));
		CHECK_ERR(_lwp_create(&uc, 0, badptr(i, sizeof(lid))), EFAULT,
		    name("_lwp_create lid", i));
		if (i != B_NULL) {
			CHECK_ERR(_lwp_park(CLOCK_MONOTONIC, 0,
			    badptr(i, sizeof(ts)), 0, NULL, NULL), EFAULT,
			    name("_lwp_park ts", i));
			CHECK_ERR(_lwp_unpark_all(badptr(i, 2 * sizeof(lid)),
			    2, NULL), EFAULT, name("_lwp_unpark_all", i));
		}
		fill_ends_string();
		CHECK_ERR(_lwp_setname(0, badptr(i, 16)), EFAULT,
		    name("_lwp_setname", i));
		CHECK_ERR(_lwp_getname(0, badptr(i, 16), 16), EFAULT,
		    name("_lwp_getname", i));
		CHECK_ERR(_lwp_ctl(LWPCTL_FEATURE_CURCPU,
		    badptr(i, sizeof(lc))), EFAULT, name("_lwp_ctl", i));
		CHECK_ERR(_sched_setaffinity(0, 0, 8, badptr(i, 8)), EFAULT,
		    name("_sched_setaffinity", i));
		CHECK_ERR(_sched_getaffinity(0, 0, 8, badptr(i, 8)), EFAULT,
		    name("_sched_getaffinity", i));
	}
	/* None of the failed _lwp_creates made an LWP. */
	CHECK_ERR(_lwp_wait(0, NULL), ESRCH, "no LWP was created: ESRCH");
	for (i = B_HOLE; i < NBAD; i++) {
		if (_lwp_create(&uc, 0, &lid) == -1)
			continue;
		CHECK_ERR(_lwp_wait(lid, badptr(i, sizeof(lid))), EFAULT,
		    name("_lwp_wait departed", i));
	}
}

static int
child_true(void)
{
	return 0;
}

static char *const top = (char *)VM_MAXUSER_ADDRESS - 8;
static char saved_top[8];

/*
 * The semaphore calls: names in, ids and values out, the timeout in.  A
 * failed _ksem_open or _ksem_init leaves nothing behind: no descriptor
 * (the next one is still the lowest free), no semaphore by that name.
 */
static void
test_ksem(void)
{
	struct timespec ts = { 0, 0 };
	intptr_t id, id2;
	int i, fd;

	fill_ends_string();
	for (i = 0; i < NBAD; i++) {
		CHECK_ERR(_ksem_open(badptr(i, 16), O_CREAT, 0600, 0, &id),
		    EFAULT, name("_ksem_open name", i));
		CHECK_ERR(_ksem_unlink(badptr(i, 16)), EFAULT,
		    name("_ksem_unlink name", i));
	}
	RL(fd = open("/", O_RDONLY));
	RL(close(fd));
	for (i = 0; i < NBAD; i++) {
		CHECK_ERR(_ksem_open("/efault", O_CREAT, 0600, 0,
		    badptr(i, sizeof(id))), EFAULT, name("_ksem_open idp", i));
		CHECK_ERR(_ksem_init(0, badptr(i, sizeof(id))), EFAULT,
		    name("_ksem_init idp", i));
	}
	CHECK_ERR(_ksem_unlink("/efault"), ENOENT,
	    "no semaphore left by the failed _ksem_opens");
	RL(_ksem_init(1, &id));
	ATF_CHECK_MSG(id == fd, "the failed calls left no descriptor: "
	    "_ksem_init gave %ld, not %d", (long)id, fd);
	RL(_ksem_open("/efault", O_CREAT, 0600, 0, &id2));
	RL(_ksem_unlink("/efault"));
	for (i = 0; i < NBAD; i++) {
		CHECK_ERR(_ksem_getvalue(id, badptr(i, sizeof(int))), EFAULT,
		    name("_ksem_getvalue value", i));
		CHECK_ERR(_ksem_timedwait(id2, badptr(i, sizeof(ts))), EFAULT,
		    name("_ksem_timedwait abstime", i));
	}
	RL(_ksem_destroy(id));
	RL(_ksem_close(id2));
}

/*
 * Before each case: the lwpctl area first (mapped later, it could fill
 * the hole), then two pages, the second given back: the hole.
 */
static void
setup(void)
{
	struct lwpctl *lc;

	(void)_lwp_ctl(LWPCTL_FEATURE_CURCPU, &lc);
	hole = mmap(NULL, 2 * PGSZ, PROT_READ | PROT_WRITE,
	    MAP_ANON | MAP_PRIVATE, -1, 0);
	ATF_REQUIRE_MSG(hole != MAP_FAILED && munmap(hole + PGSZ, PGSZ) == 0,
	    "set up an unmapped page: mmap/munmap: %s", strerror(errno));
	hole += PGSZ;
	memcpy(saved_top, top, sizeof(saved_top));
}

static void
put_back(void)
{
	memcpy(top, saved_top, sizeof(saved_top));
}

/* A case that runs test_NAME() between setup() and put_back(). */
#define EFAULT_CASE(name, descr)					\
	ATF_TC(name);							\
	ATF_TC_HEAD(name, tc)						\
	{								\
		atf_tc_set_md_var(tc, "descr", descr);			\
	}								\
	ATF_TC_BODY(name, tc)						\
	{								\
		setup();						\
		test_##name();						\
		put_back();						\
	}

EFAULT_CASE(read_write, "read and write buffers; read into a read-only "
    "page")
EFAULT_CASE(lwp, "the LWP calls: contexts, ids, times, names, lwpctl, "
    "CPU sets")
EFAULT_CASE(paths, "open's path")
EFAULT_CASE(execve, "execve's path, argv and envp")
EFAULT_CASE(wait4, "wait4's status and rusage")
EFAULT_CASE(structs, "uname, clock_gettime, nanosleep, getrusage, fstat, "
    "getdents")
EFAULT_CASE(sysctl, "sysctl's name, oldp and oldlenp")
EFAULT_CASE(ksem, "the _ksem_* calls' names, ids, values and times")

/* Last: the kernel carried on after all those faults. */
ATF_TC_WITHOUT_HEAD(still_alive);
ATF_TC_BODY(still_alive, tc)
{
	struct utsname u;

	ATF_CHECK_MSG(uname(&u) == 0 && strcmp(u.sysname, "lwpkern") == 0,
	    "still alive: uname works: uname: %s", strerror(errno));
	CHECK_EXIT(h_child(child_true), 0,
	    "still alive: fork and wait work");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, read_write);
	ATF_TP_ADD_TC(tp, lwp);
	ATF_TP_ADD_TC(tp, paths);
	ATF_TP_ADD_TC(tp, execve);
	ATF_TP_ADD_TC(tp, wait4);
	ATF_TP_ADD_TC(tp, structs);
	ATF_TP_ADD_TC(tp, sysctl);
	ATF_TP_ADD_TC(tp, ksem);
	ATF_TP_ADD_TC(tp, still_alive);
	return atf_no_error();
}

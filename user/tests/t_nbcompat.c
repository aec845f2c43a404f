/*
 * t_nbcompat: the NetBSD source compatibility that NetBSD's own test
 * programs (tests/lib/libc, tests/lib/libpthread) rely on, so that
 * they build here unchanged: <sys/cdefs.h>'s identification macros and
 * casts, <sys/time.h>'s timespec/timeval arithmetic and gettimeofday,
 * <err.h>, <sysexits.h>, getprogname, random; select (which waits for
 * no descriptor here), the sysconf names NetBSD's tests ask,
 * sysctlbyname, and what stands in for users, which are out of scope
 * (ids all 0, an empty <pwd.h>).
 */
#include <sys/cdefs.h>
__COPYRIGHT("@(#) Copyright (c) lwpkern: this line only has to build");
__RCSID("$NetBSD: t_nbcompat.c,v 1.1 lwpkern's own $");
__KERNEL_RCSID(0, "$NetBSD: a second id in the same file $");

#include <sys/select.h>
#include <sys/sysctl.h>
#include <sys/time.h>
#include <signal.h>
#include <err.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "h_macros.h"

ATF_TC(cdefs);
ATF_TC_HEAD(cdefs, tc)
{
	atf_tc_set_md_var(tc, "descr", "__RCSID & co. build at file scope; "
	    "__UNCONST and __arraycount");
}
ATF_TC_BODY(cdefs, tc)
{
	static const char cs[] = "constant";
	const int a[7] = { 0 };
	char *p = __UNCONST(cs);

	ATF_CHECK(p == cs);
	ATF_CHECK_EQ(__arraycount(a), 7);
	ATF_CHECK_STREQ(__XSTRING(EX_USAGE), "64");
}

ATF_TC(timespec_ops);
ATF_TC_HEAD(timespec_ops, tc)
{
	atf_tc_set_md_var(tc, "descr", "timespecadd/sub/cmp carry and borrow; "
	    "clear and isset; TIMEVAL_TO_TIMESPEC and back");
}
ATF_TC_BODY(timespec_ops, tc)
{
	struct timespec a = { 1, 999999999 }, b = { 0, 2 }, c;
	struct timeval tv = { 5, 123456 }, tw;

	timespecadd(&a, &b, &c);
	ATF_CHECK(c.tv_sec == 2 && c.tv_nsec == 1);
	timespecsub(&c, &a, &c);
	ATF_CHECK(c.tv_sec == 0 && c.tv_nsec == 2);
	timespecsub(&b, &a, &c);		/* negative: -1.999999997 */
	ATF_CHECK(c.tv_sec == -2 && c.tv_nsec == 3);
	ATF_CHECK(timespeccmp(&a, &b, >));
	ATF_CHECK(timespeccmp(&b, &b, ==));
	ATF_CHECK(timespeccmp(&b, &a, <=));
	ATF_CHECK(timespecisset(&a));
	timespecclear(&a);
	ATF_CHECK(!timespecisset(&a) && a.tv_sec == 0 && a.tv_nsec == 0);

	TIMEVAL_TO_TIMESPEC(&tv, &c);
	ATF_CHECK(c.tv_sec == 5 && c.tv_nsec == 123456000);
	c.tv_nsec += 999;			/* truncated back */
	TIMESPEC_TO_TIMEVAL(&tw, &c);
	ATF_CHECK(timercmp(&tw, &tv, ==));
}

ATF_TC(timeval_ops);
ATF_TC_HEAD(timeval_ops, tc)
{
	atf_tc_set_md_var(tc, "descr", "timeradd/sub/cmp, timerclear");
}
ATF_TC_BODY(timeval_ops, tc)
{
	struct timeval a = { 1, 999999 }, b = { 0, 1 }, c;

	timeradd(&a, &b, &c);
	ATF_CHECK(c.tv_sec == 2 && c.tv_usec == 0);
	timersub(&c, &b, &c);
	ATF_CHECK(timercmp(&c, &a, ==));
	ATF_CHECK(timercmp(&b, &a, <));
	ATF_CHECK(timerisset(&a));
	timerclear(&a);
	ATF_CHECK(!timerisset(&a));
}

ATF_TC(gettimeofday);
ATF_TC_HEAD(gettimeofday, tc)
{
	atf_tc_set_md_var(tc, "descr", "gettimeofday reads CLOCK_REALTIME "
	    "and zeroes a struct timezone");
}
ATF_TC_BODY(gettimeofday, tc)
{
	struct timespec t0, t1, tvs;
	struct timeval tv;
	struct timezone tz = { 99, 99 };

	RL(clock_gettime(CLOCK_REALTIME, &t0));
	RL(gettimeofday(&tv, &tz));
	RL(clock_gettime(CLOCK_REALTIME, &t1));
	TIMEVAL_TO_TIMESPEC(&tv, &tvs);
	t0.tv_nsec -= t0.tv_nsec % 1000;	/* microseconds, truncated */
	ATF_CHECK_MSG(timespeccmp(&t0, &tvs, <=) &&
	    timespeccmp(&tvs, &t1, <=), "%lld.%06ld not between the clock's "
	    "readings around it", (long long)tv.tv_sec, (long)tv.tv_usec);
	ATF_CHECK(tz.tz_minuteswest == 0 && tz.tz_dsttime == 0);
	RL(gettimeofday(NULL, NULL));
}

static int
child_errx(void)
{
	errx(EX_DATAERR, "errx %s", "exits with its first argument");
}

static int
child_err(void)
{
	errno = ENOENT;
	err(EX_OSERR, NULL);
}

static int
child_warn(void)
{
	errno = EINVAL;
	warn("warn returns");
	warnx("and so does warnx (%d)", 2);
	warnc(ESRCH, "and warnc");
	return 5;
}

ATF_TC(err_warn);
ATF_TC_HEAD(err_warn, tc)
{
	atf_tc_set_md_var(tc, "descr", "err/errx exit with their status, "
	    "warn/warnx return");
}
ATF_TC_BODY(err_warn, tc)
{
	CHECK_EXIT(h_child(child_errx), EX_DATAERR, "errx(EX_DATAERR)");
	CHECK_EXIT(h_child(child_err), EX_OSERR, "err(EX_OSERR)");
	CHECK_EXIT(h_child(child_warn), 5, "warn, warnx, then return 5");
	ATF_CHECK_EQ(EX_OK, 0);
	ATF_CHECK_EQ(EX_USAGE, 64);
	ATF_CHECK_EQ(EX_CONFIG, 78);
}

ATF_TC(progname);
ATF_TC_HEAD(progname, tc)
{
	atf_tc_set_md_var(tc, "descr", "getprogname is argv[0]'s last "
	    "component; setprogname changes it");
}
ATF_TC_BODY(progname, tc)
{
	ATF_CHECK_STREQ(getprogname(), "t_nbcompat");
	setprogname("/some/where/else");
	ATF_CHECK_STREQ(getprogname(), "else");
}

ATF_TC(random);
ATF_TC_HEAD(random, tc)
{
	atf_tc_set_md_var(tc, "descr", "random: in [0, RAND_MAX], varies, "
	    "and repeats after the same srandom");
}
ATF_TC_BODY(random, tc)
{
	long first[16], r;
	int i, same = 0;

	srandom(12345);
	for (i = 0; i < 16; i++) {
		first[i] = random();
		ATF_CHECK(first[i] >= 0 && first[i] <= RAND_MAX);
		same += i > 0 && first[i] == first[0];
	}
	ATF_CHECK_MSG(same < 15, "random() gave the same number 16 times");
	srandom(12345);
	for (i = 0; i < 16; i++) {
		r = random();
		ATF_CHECK_EQ(r, first[i]);
	}
}

static void
on_alrm(int sig)
{
}

ATF_TC(select_sleep);
ATF_TC_HEAD(select_sleep, tc)
{
	atf_tc_set_md_var(tc, "descr", "select without descriptors sleeps "
	    "for its timeout (0), or until a signal (EINTR); a descriptor "
	    "in a set: ENOSYS; bad nfds or time: EINVAL");
	atf_tc_set_md_var(tc, "timeout", "30");
}
ATF_TC_BODY(select_sleep, tc)
{
	struct timeval tv = { 0, 50000 };
	fd_set rd;
	long t0;

	t0 = h_msec();
	ATF_CHECK_EQ(select(0, NULL, NULL, NULL, &tv), 0);
	ATF_CHECK_MSG(h_msec() - t0 >= 50, "slept %ld ms of 50",
	    h_msec() - t0);
	FD_ZERO(&rd);
	ATF_CHECK_EQ(select(1, &rd, NULL, NULL, &tv), 0);
	FD_SET(0, &rd);
	ATF_CHECK(FD_ISSET(0, &rd) && !FD_ISSET(1, &rd));
	CHECK_ERR(select(1, &rd, NULL, NULL, &tv), ENOSYS, "fd 0 to read");
	CHECK_ERR(select(-1, NULL, NULL, NULL, &tv), EINVAL, "nfds -1");
	tv.tv_usec = 1000000;
	CHECK_ERR(select(0, NULL, NULL, NULL, &tv), EINVAL, "usec 10^6");
	ATF_REQUIRE(signal(SIGALRM, on_alrm) != SIG_ERR);
	alarm(1);
	CHECK_ERR(select(1, NULL, NULL, NULL, NULL), EINTR, "until SIGALRM");
}

ATF_TC(sysconf_names);
ATF_TC_HEAD(sysconf_names, tc)
{
	atf_tc_set_md_var(tc, "descr", "sysconf: _SC_THREADS and "
	    "_SC_SEMAPHORES (200112), _SC_OPEN_MAX (RLIMIT_NOFILE)");
}
ATF_TC_BODY(sysconf_names, tc)
{
	ATF_CHECK_EQ(sysconf(_SC_THREADS), 200112L);
	ATF_CHECK_EQ(sysconf(_SC_SEMAPHORES), 200112L);
	ATF_CHECK_EQ(sysconf(_SC_OPEN_MAX), 32);
	CHECK_ERR(sysconf(-5), EINVAL, "sysconf(-5)");
}

ATF_TC(sysctlbyname);
ATF_TC_HEAD(sysctlbyname, tc)
{
	atf_tc_set_md_var(tc, "descr", "sysctlbyname: the kernel's nodes "
	    "by name, the same answer as by number; ENOENT for others");
}
ATF_TC_BODY(sysctlbyname, tc)
{
	int mib[2] = { CTL_HW, HW_NCPU }, byname, bynum;
	char os[16];
	size_t len = sizeof(byname);

	RL(sysctlbyname("hw.ncpu", &byname, &len, NULL, 0));
	ATF_CHECK_EQ(len, sizeof(int));
	len = sizeof(bynum);
	RL(sysctl(mib, 2, &bynum, &len, NULL, 0));
	ATF_CHECK_EQ(byname, bynum);
	len = sizeof(os);
	RL(sysctlbyname("kern.ostype", os, &len, NULL, 0));
	ATF_CHECK_STREQ(os, "lwpkern");
	len = sizeof(os);
	CHECK_ERR(sysctlbyname("machdep.cpu_brand", os, &len, NULL, 0),
	    ENOENT, "machdep.cpu_brand");
	CHECK_ERR(sysctlbyname("hw", os, &len, NULL, 0), ENOENT, "hw");
}

ATF_TC(no_users);
ATF_TC_HEAD(no_users, tc)
{
	atf_tc_set_md_var(tc, "descr", "no users (out of scope): every id "
	    "is 0, setuid(0) works and any other id is ENOSYS, the password "
	    "database is empty");
}
ATF_TC_BODY(no_users, tc)
{
	ATF_CHECK(getuid() == 0 && geteuid() == 0);
	ATF_CHECK(getgid() == 0 && getegid() == 0);
	RL(setuid(0));
	CHECK_ERR(setuid(1000), ENOSYS, "setuid(1000)");
	CHECK_ERR(seteuid(1), ENOSYS, "seteuid(1)");
	errno = 0;
	ATF_CHECK(getpwnam("root") == NULL && errno == 0);
	ATF_CHECK(getpwuid(0) == NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, cdefs);
	ATF_TP_ADD_TC(tp, timespec_ops);
	ATF_TP_ADD_TC(tp, timeval_ops);
	ATF_TP_ADD_TC(tp, gettimeofday);
	ATF_TP_ADD_TC(tp, err_warn);
	ATF_TP_ADD_TC(tp, progname);
	ATF_TP_ADD_TC(tp, random);
	ATF_TP_ADD_TC(tp, select_sleep);
	ATF_TP_ADD_TC(tp, sysconf_names);
	ATF_TP_ADD_TC(tp, sysctlbyname);
	ATF_TP_ADD_TC(tp, no_users);
	return atf_no_error();
}

/*
 * t_resource: resource limits (getrlimit/setrlimit, kern_resource.c)
 * and the random device (/dev/urandom, /dev/random: subr_rnd.c).
 *
 * Covered: the limits a process starts with (RLIMIT_NOFILE at NFILE,
 * RLIMIT_STACK the 8 MiB stack, RLIMIT_CORE 0, the rest unlimited or
 * the kernel's own bound); RLIMIT_NOFILE enforced (EMFILE at the
 * limit, and open works again after raising it); values above what
 * the kernel can do cut down to it; EINVAL and EFAULT; a child of fork
 * inherits the limits.  The random device: a 1 MiB read in one call,
 * bytes that vary between reads, a character device, read-only
 * (EROFS), not seekable (ESPIPE).
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysctl.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "h_macros.h"

#define NFILE	32			/* the kernel's table (sys/proc.h) */

ATF_TC(rlimit_defaults);
ATF_TC_HEAD(rlimit_defaults, tc)
{
	atf_tc_set_md_var(tc, "descr", "the limits a process starts with");
}
ATF_TC_BODY(rlimit_defaults, tc)
{
	int mib[2] = { CTL_KERN, KERN_MAXLWP }, maxlwp;
	size_t len = sizeof(maxlwp);
	struct rlimit rl;

	RL(sysctl(mib, 2, &maxlwp, &len, NULL, 0));
	RL(getrlimit(RLIMIT_NOFILE, &rl));
	ATF_CHECK(rl.rlim_cur == NFILE && rl.rlim_max == NFILE);
	RL(getrlimit(RLIMIT_STACK, &rl));
	ATF_CHECK(rl.rlim_cur == 8 << 20 && rl.rlim_max == 8 << 20);
	RL(getrlimit(RLIMIT_CORE, &rl));
	ATF_CHECK(rl.rlim_cur == 0 && rl.rlim_max == RLIM_INFINITY);
	RL(getrlimit(RLIMIT_CPU, &rl));
	ATF_CHECK(rl.rlim_cur == RLIM_INFINITY &&
	    rl.rlim_max == RLIM_INFINITY);
	RL(getrlimit(RLIMIT_NTHR, &rl));
	ATF_CHECK_MSG(rl.rlim_cur == (rlim_t)maxlwp, "RLIMIT_NTHR %llu, "
	    "kern.maxlwp %d", (unsigned long long)rl.rlim_cur, maxlwp);
}

/* Open /etc/motd until it fails; the descriptors got, all closed. */
static int
count_opens(int *err)
{
	int fds[NFILE + 1], n = 0;

	while (n <= NFILE && (fds[n] = open("/etc/motd", O_RDONLY)) != -1)
		n++;
	*err = errno;
	for (int i = 0; i < n; i++)
		close(fds[i]);
	return n;
}

static int
child_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return 2;
	return rl.rlim_cur == 5 ? 0 : 1;
}

ATF_TC(rlimit_nofile);
ATF_TC_HEAD(rlimit_nofile, tc)
{
	atf_tc_set_md_var(tc, "descr", "RLIMIT_NOFILE: EMFILE at the "
	    "limit, open works again once raised; cut down to NFILE; "
	    "inherited by fork");
}
ATF_TC_BODY(rlimit_nofile, tc)
{
	struct rlimit rl = { 5, 5 }, big = { 1000, 1000 }, got;
	int err, n;

	RL(setrlimit(RLIMIT_NOFILE, &rl));
	n = count_opens(&err);		/* 0-2 are the console's: 3, 4 */
	ATF_CHECK_EQ_MSG(n, 2, "opened %d files under a limit of 5", n);
	ATF_CHECK_EQ(err, EMFILE);
	CHECK_EXIT(h_child(child_limit), 0, "the child's RLIMIT_NOFILE");

	RL(setrlimit(RLIMIT_NOFILE, &big));	/* no users: may raise */
	RL(getrlimit(RLIMIT_NOFILE, &got));
	ATF_CHECK(got.rlim_cur == NFILE && got.rlim_max == NFILE);
	n = count_opens(&err);
	ATF_CHECK_EQ_MSG(n, NFILE - 3, "opened %d files", n);
	ATF_CHECK_EQ(err, EMFILE);
}

ATF_TC(rlimit_errors);
ATF_TC_HEAD(rlimit_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "EINVAL for an unknown limit or "
	    "rlim_cur above rlim_max, EFAULT for bad pointers; the limit "
	    "unchanged; RLIMIT_CORE may be set to 0 (NetBSD's t_sigmask)");
}
ATF_TC_BODY(rlimit_errors, tc)
{
	struct rlimit rl = { 10, 5 }, zero = { 0, 0 }, got;

	CHECK_ERR(getrlimit(RLIM_NLIMITS, &got), EINVAL, "getrlimit(12)");
	CHECK_ERR(getrlimit(-1, &got), EINVAL, "getrlimit(-1)");
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, &rl), EINVAL, "cur > max");
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, (void *)16), EFAULT, "setrlimit");
	CHECK_ERR(getrlimit(RLIMIT_NOFILE, (void *)16), EFAULT, "getrlimit");
	RL(getrlimit(RLIMIT_NOFILE, &got));
	ATF_CHECK(got.rlim_cur == NFILE);
	RL(setrlimit(RLIMIT_CORE, &zero));
	RL(getrlimit(RLIMIT_CORE, &got));
	ATF_CHECK(got.rlim_cur == 0 && got.rlim_max == 0);
}

#define MIB	(1 << 20)

ATF_TC(urandom);
ATF_TC_HEAD(urandom, tc)
{
	atf_tc_set_md_var(tc, "descr", "/dev/urandom: 1 MiB in one read, "
	    "bytes that vary; a read-only, unseekable character device; "
	    "/dev/random the same");
}
ATF_TC_BODY(urandom, tc)
{
	unsigned char *buf = malloc(MIB), a[64], b[64];
	int fd, zeros = 0, counts[256] = { 0 }, maxcount = 0;
	struct stat st;

	ATF_REQUIRE(buf != NULL);
	RL(fd = open("/dev/urandom", O_RDONLY));
	ATF_REQUIRE_EQ(read(fd, buf, MIB), MIB);
	for (int i = 0; i < MIB; i++)
		counts[buf[i]]++;
	for (int i = 0; i < 256; i++) {
		zeros += counts[i] == 0;
		if (counts[i] > maxcount)
			maxcount = counts[i];
	}
	/* 4096 of each byte value expected: none missing, none doubled. */
	ATF_CHECK_MSG(zeros == 0 && maxcount < 8192, "%d byte values never "
	    "seen, one seen %d times in 1 MiB", zeros, maxcount);
	ATF_REQUIRE_EQ(read(fd, a, sizeof(a)), (ssize_t)sizeof(a));
	ATF_REQUIRE_EQ(read(fd, b, sizeof(b)), (ssize_t)sizeof(b));
	ATF_CHECK(memcmp(a, b, sizeof(a)) != 0);
	RL(fstat(fd, &st));
	ATF_CHECK(S_ISCHR(st.st_mode));
	CHECK_ERR(lseek(fd, 0, SEEK_SET), ESPIPE, "lseek");
	CHECK_ERR(write(fd, a, 1), EBADF, "write");
	CHECK_ERR(read(fd, (void *)16, 8), EFAULT, "read to address 16");
	RL(close(fd));
	CHECK_ERR(open("/dev/urandom", O_WRONLY), EROFS, "O_WRONLY");
	RL(fd = open("/dev/random", O_RDONLY));
	ATF_CHECK_EQ(read(fd, a, sizeof(a)), (ssize_t)sizeof(a));
	RL(close(fd));
	CHECK_ERR(open("/dev/nothing", O_RDONLY), ENOENT, "/dev/nothing");
	free(buf);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, rlimit_defaults);
	ATF_TP_ADD_TC(tp, rlimit_nofile);
	ATF_TP_ADD_TC(tp, rlimit_errors);
	ATF_TP_ADD_TC(tp, urandom);
	return atf_no_error();
}

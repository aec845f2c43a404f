/*
 * t_lockstat: the lock statistics from user space: sysctl kern.lockstat
 * (kernel/subr_lockstat.c) and the program lockstat(1).
 *
 * Covered: the records are well formed (names terminated, a kind each,
 * no more contended acquisitions than acquisitions on a LOCKDEBUG
 * kernel); a workload's lock (proc_lock, which fork and wait take)
 * counts acquisitions; writing 0 resets the longest holds and anything
 * else is EINVAL; lockstat runs its command and exits with its status.
 * What the table looks like: the demo-lockstat scenario
 * (tools/scenarios), which reads the console.  Contention, forced to
 * happen exactly once: the ktest lockstat_adaptive_contended.
 */
#include <sys/sysctl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "h_macros.h"

static struct lockstat_rec *
ls_read(size_t *np)
{
	struct lockstat_rec *rec;
	size_t len;

	RL(sysctlbyname("kern.lockstat", NULL, &len, NULL, 0));
	ATF_REQUIRE(len % sizeof(*rec) == 0);	/* (0: nothing counted yet) */
	len += 16 * sizeof(*rec);
	ATF_REQUIRE((rec = malloc(len)) != NULL);
	RL(sysctlbyname("kern.lockstat", rec, &len, NULL, 0));
	*np = len / sizeof(*rec);
	return rec;
}

static const struct lockstat_rec *
ls_find(const struct lockstat_rec *rec, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rec[i].ls_name, name) == 0)
			return &rec[i];
	return NULL;
}

static int
child_true(void)
{
	return 0;
}

ATF_TC(records);
ATF_TC_HEAD(records, tc)
{
	atf_tc_set_md_var(tc, "descr", "kern.lockstat's records are well "
	    "formed, and fork and wait count proc_lock acquisitions");
}
ATF_TC_BODY(records, tc)
{
	const struct lockstat_rec *p0, *p1;
	struct lockstat_rec *r0, *r1;
	size_t n0, n1;
	bool counted = false;
	int on = 1, off = 2;
	uint64_t nacq0, slack;

	RL(sysctlbyname("kern.lockstat", NULL, NULL, &on, sizeof(on)));
	r0 = ls_read(&n0);
	for (int i = 0; i < 3; i++)
		CHECK_EXIT(h_child(child_true), 0, "the workload");
	r1 = ls_read(&n1);
	RL(sysctlbyname("kern.lockstat", NULL, NULL, &off, sizeof(off)));
	ATF_CHECK(n1 >= n0);
	for (size_t i = 0; i < n1; i++) {
		ATF_CHECK(memchr(r1[i].ls_name, '\0', LS_NAMELEN) != NULL);
		ATF_CHECK(r1[i].ls_name[0] != '\0');
		ATF_CHECK_MSG((r1[i].ls_flags & ~(LS_SPIN | LS_ADAPTIVE)) ==
		    0 && r1[i].ls_flags != 0, "%s: flags %#x", r1[i].ls_name,
		    r1[i].ls_flags);
		counted |= r1[i].ls_nacq != 0;
	}
	if (!counted)
		atf_tc_skip("kernel without LOCKDEBUG: no acquisitions "
		    "counted");
	/*
	 * Contention is counted always, acquisitions only while counting
	 * is on: so only what the window [r0, r1] added compares.  Every
	 * contended acquisition is an acquisition, but its two counts are
	 * made one after the other, so a CPU may have counted the wait of
	 * one still in flight when r1 was read: allow a few a CPU.
	 */
	slack = 4 * (uint64_t)sysconf(_SC_NPROCESSORS_ONLN);
	for (size_t i = 0; i < n1; i++) {
		const struct lockstat_rec *b = ls_find(r0, n0, r1[i].ls_name);
		uint64_t ncont = r1[i].ls_ncont - (b != NULL ? b->ls_ncont : 0);
		uint64_t nacq = r1[i].ls_nacq - (b != NULL ? b->ls_nacq : 0);

		ATF_CHECK_MSG(ncont <= nacq + slack, "%s: %llu contended of "
		    "%llu in the window", r1[i].ls_name,
		    (unsigned long long)ncont, (unsigned long long)nacq);
	}
	/* (proc_lock gets its class when first counted: maybe not yet in
	 * r0, counting having just started.) */
	p0 = ls_find(r0, n0, "proc_lock");
	p1 = ls_find(r1, n1, "proc_lock");
	ATF_REQUIRE(p1 != NULL);
	ATF_CHECK_EQ(p1->ls_flags, LS_ADAPTIVE);
	/* Each fork and each wait takes it at least once. */
	nacq0 = p0 != NULL ? p0->ls_nacq : 0;
	ATF_CHECK_MSG(p1->ls_nacq - nacq0 >= 6, "proc_lock: %llu "
	    "acquisitions", (unsigned long long)(p1->ls_nacq - nacq0));
	free(r0);
	free(r1);
}

ATF_TC(reset);
ATF_TC_HEAD(reset, tc)
{
	atf_tc_set_md_var(tc, "descr", "writing an int 0 to kern.lockstat "
	    "resets the longest holds, 1 starts counting and 2 stops it "
	    "(one stop for each start); any other value is EINVAL");
}
ATF_TC_BODY(reset, tc)
{
	int zero = 0, on = 1, off = 2, three = 3, minus = -1;
	char c = 0;

	RL(sysctlbyname("kern.lockstat", NULL, NULL, &zero, sizeof(zero)));
	RL(sysctlbyname("kern.lockstat", NULL, NULL, &on, sizeof(on)));
	RL(sysctlbyname("kern.lockstat", NULL, NULL, &on, sizeof(on)));
	RL(sysctlbyname("kern.lockstat", NULL, NULL, &off, sizeof(off)));
	RL(sysctlbyname("kern.lockstat", NULL, NULL, &off, sizeof(off)));
	CHECK_ERR(sysctlbyname("kern.lockstat", NULL, NULL, &off,
	    sizeof(off)), EINVAL, "a stop with no start");
	CHECK_ERR(sysctlbyname("kern.lockstat", NULL, NULL, &three,
	    sizeof(three)), EINVAL, "writing 3");
	CHECK_ERR(sysctlbyname("kern.lockstat", NULL, NULL, &minus,
	    sizeof(minus)), EINVAL, "writing -1");
	CHECK_ERR(sysctlbyname("kern.lockstat", NULL, NULL, &c, sizeof(c)),
	    EINVAL, "writing a char");
}

static int
run_lockstat(const char *cmd)
{
	char *argv[] = { "/bin/lockstat", (char *)cmd, NULL };
	pid_t pid;
	int st;

	if (cmd == NULL)
		argv[1] = NULL;
	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		close(STDOUT_FILENO);	/* (its table: demo-lockstat) */
		execv(argv[0], argv);
		_exit(126);
	}
	ATF_REQUIRE(waitpid(pid, &st, 0) == pid);
	return st;
}

ATF_TC(program);
ATF_TC_HEAD(program, tc)
{
	atf_tc_set_md_var(tc, "descr", "lockstat CMD runs CMD and exits "
	    "with its status; with no CMD it is a usage error");
}
ATF_TC_BODY(program, tc)
{
	CHECK_EXIT(run_lockstat("/bin/true"), 0, "lockstat /bin/true");
	CHECK_EXIT(run_lockstat("/bin/false"), 1, "lockstat /bin/false");
	CHECK_EXIT(run_lockstat("/nonexistent"), 127, "no such command");
	CHECK_EXIT(run_lockstat(NULL), 2, "no command");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, records);
	ATF_TP_ADD_TC(tp, reset);
	ATF_TP_ADD_TC(tp, program);
	return atf_no_error();
}

/*
 * t_lwp_park: _lwp_park(2), _lwp_unpark(2), _lwp_unpark_all(2) and
 * _lwp_wakeup(2), ATF-style, against the contract kernel/sys_lwp.c
 * states (NetBSD 10's: an unpark is never lost; the hints are ignored).
 *
 * Covered:
 *   - an unpark before the park makes the next park return EALREADY,
 *     once (tokens do not add up);
 *   - timeouts: relative (ETIMEDOUT, not early, ts zeroed; unparked
 *     early, ts gets the time left), absolute on CLOCK_MONOTONIC and
 *     CLOCK_REALTIME (ts left alone), a time already past or zero
 *     (ETIMEDOUT at once);
 *   - EINVAL for a bad clock or tv_nsec, EFAULT for a bad ts;
 *   - park's `unpark' argument: the target is unparked first; a
 *     missing target gives ESRCH without parking;
 *   - _lwp_unpark: ESRCH for a missing or exited LWP;
 *   - _lwp_unpark_all: NULL asks for the maximum (1024); EINVAL for
 *     n == 0 or n > 1024; every parked target wakes, also when some
 *     lid is missing (then ESRCH), with few (on the kernel's stack)
 *     or many (kmem) targets; EFAULT;
 *   - _lwp_wakeup: ESRCH; ENODEV for a running target, EBUSY for one
 *     in an uninterruptible sleep (nanosleep), and either way that
 *     target's next park returns EALREADY; a parked target's park
 *     returns EINTR and the wakeup is spent;
 *   - a park storm: pairs of LWPs on different CPUs hand a turn back
 *     and forth thousands of times; no wakeup is lost; nor when their
 *     process is stopped and continued over and over meanwhile.
 *
 * LWP bodies make their system calls with H_SYSCALL (h_md.h), which
 * returns the error number instead of setting errno (one variable for
 * the whole process), and use no printf or malloc.
 */
#include <sys/syscall.h>
#include <stdint.h>
#include <stdio.h>

#include "h_lwp.h"

#define MISSING_LID	9999		/* no LWP has this id */
#define WAIT_NS		(10 * NS_PER_SEC) /* longest wait for a state */
#define NS_PER_SEC	1000000000LL
#define NS_PER_MS	1000000LL

/* ---- helpers ------------------------------------------------------------ */

/* _lwp_park, returning 0 or the error number. */
static int
park_err(clockid_t clock, int flags, struct timespec *ts, lwpid_t unpark)
{
	int error;

	H_SYSCALL(SYS____lwp_park60, clock, flags, ts, unpark, 0, 0, &error);
	return error;
}

/* Park for at most ms milliseconds (relative); 0 or the error number. */
static int
park_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * NS_PER_MS };

	return park_err(CLOCK_MONOTONIC, 0, &ts, 0);
}

static int
unpark_err(lwpid_t lid)
{
	int error;

	H_SYSCALL(SYS__lwp_unpark, lid, 0, 0, 0, 0, 0, &error);
	return error;
}

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

static int64_t
ts_ns(const struct timespec *ts)
{
	return ts->tv_sec * NS_PER_SEC + ts->tv_nsec;
}

static struct timespec
ns_ts(int64_t ns)
{
	struct timespec ts = { ns / NS_PER_SEC, ns % NS_PER_SEC };

	return ts;
}

/*
 * Our LWP lid as kern.lwp.PID shows it, in *kl; false if it is not
 * there.  buf: room for our LWPs (an LWP other than the main one passes
 * its own; no malloc here, which a parked LWP's partner may be in).
 */
#define NKINFO	512
static struct kinfo_lwp kbuf_main[NKINFO];

static bool
lwp_info(lwpid_t lid, struct kinfo_lwp *kl, struct kinfo_lwp *buf)
{
	int mib[3] = { CTL_KERN, KERN_LWP, getpid() };
	size_t len = NKINFO * sizeof(*buf), i;

	if (sysctl(mib, 3, buf, &len, NULL, 0) == -1 && len == 0)
		return false;
	for (i = 0; i < len / sizeof(*buf) && i < NKINFO; i++)
		if (buf[i].l_lid == lid) {
			*kl = buf[i];
			return true;
		}
	return false;
}

/* Is LWP lid asleep with wait message wmesg? */
static bool
lwp_sleeps(lwpid_t lid, const char *wmesg, struct kinfo_lwp *buf)
{
	struct kinfo_lwp kl;

	return lwp_info(lid, &kl, buf) && kl.l_stat == LSSLEEP &&
	    strncmp(kl.l_wmesg, wmesg, sizeof(kl.l_wmesg)) == 0;
}

/* Wait (yielding) until LWP lid sleeps on wmesg; false after WAIT_NS. */
static bool
wait_sleeping(lwpid_t lid, const char *wmesg, struct kinfo_lwp *buf)
{
	int64_t end = now_ns() + WAIT_NS;

	while (!lwp_sleeps(lid, wmesg, buf)) {
		if (now_ns() > end)
			return false;
		sched_yield();
	}
	return true;
}

/* Wait (yielding) until *p == v; false after WAIT_NS. */
static bool
wait_int(volatile int *p, int v)
{
	int64_t end = now_ns() + WAIT_NS;

	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) != v) {
		if (now_ns() > end)
			return false;
		sched_yield();
	}
	return true;
}

/* An LWP that parks once (for at most 20 s) and records the result. */
struct parker {
	volatile int	started;
	volatile int	done;
	volatile int	error;
};

static void
parker_main(void *arg)
{
	struct parker *pk = arg;

	__atomic_store_n(&pk->started, 1, __ATOMIC_RELEASE);
	pk->error = park_ms(20000);
	__atomic_store_n(&pk->done, 1, __ATOMIC_RELEASE);
}

/* Start a parker on stack `slot' and wait until it is parked. */
static lwpid_t
start_parker(int slot, struct parker *pk)
{
	lwpid_t lid;

	memset((void *)pk, 0, sizeof(*pk));
	lid = h_lwp_start(slot, parker_main, pk, 0);
	ATF_REQUIRE_MSG(wait_sleeping(lid, "parked", kbuf_main),
	    "LWP %d never parked", (int)lid);
	return lid;
}

/* ---- unpark before park ------------------------------------------------ */

ATF_TC(park_unpark_first_ealready_once);
ATF_TC_HEAD(park_unpark_first_ealready_once, tc)
{
	atf_tc_set_md_var(tc, "descr", "An unpark before the park makes "
	    "the next park return EALREADY at once, and only the next one, "
	    "however many unparks came");
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(park_unpark_first_ealready_once, tc)
{
	struct timespec ts;

	/* (EALREADY says it did not sleep: a sleep would end in
	 * ETIMEDOUT after 5 s.) */
	RL(_lwp_unpark(_lwp_self(), NULL));
	ts = ns_ts(5 * NS_PER_SEC);
	ATF_REQUIRE_ERRNO(EALREADY,
	    _lwp_park(CLOCK_MONOTONIC, 0, &ts, 0, NULL, NULL) == -1);
	/* Spent: the next park sleeps until its timeout. */
	ts = ns_ts(20 * NS_PER_MS);
	ATF_REQUIRE_ERRNO(ETIMEDOUT,
	    _lwp_park(CLOCK_MONOTONIC, 0, &ts, 0, NULL, NULL) == -1);

	/* Two unparks make one token. */
	RL(_lwp_unpark(_lwp_self(), NULL));
	RL(_lwp_unpark(_lwp_self(), NULL));
	ts = ns_ts(5 * NS_PER_SEC);
	ATF_REQUIRE_ERRNO(EALREADY,
	    _lwp_park(CLOCK_MONOTONIC, 0, &ts, 0, NULL, NULL) == -1);
	ts = ns_ts(20 * NS_PER_MS);
	ATF_REQUIRE_ERRNO(ETIMEDOUT,
	    _lwp_park(CLOCK_MONOTONIC, 0, &ts, 0, NULL, NULL) == -1);

	/* Unparking ourselves with park's own unpark argument. */
	ts = ns_ts(5 * NS_PER_SEC);
	ATF_REQUIRE_ERRNO(EALREADY, _lwp_park(CLOCK_MONOTONIC, 0, &ts,
	    _lwp_self(), NULL, NULL) == -1);
}

/* ---- timeouts ----------------------------------------------------------- */

ATF_TC(park_relative_timeout_zeroes_ts);
ATF_TC_HEAD(park_relative_timeout_zeroes_ts, tc)
{
	atf_tc_set_md_var(tc, "descr", "A relative timeout: ETIMEDOUT, not "
	    "before the time asked for, and ts is set to 0");
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(park_relative_timeout_zeroes_ts, tc)
{
	static const long ms[] = { 1, 30, 120 };
	struct timespec ts;
	int64_t t0, t;

	for (size_t i = 0; i < __arraycount(ms); i++) {
		ts = ns_ts(ms[i] * NS_PER_MS);
		t0 = now_ns();
		ATF_REQUIRE_ERRNO(ETIMEDOUT,
		    _lwp_park(CLOCK_MONOTONIC, 0, &ts, 0, NULL, NULL) == -1);
		t = now_ns() - t0;
		ATF_CHECK_MSG(t >= ms[i] * NS_PER_MS,
		    "%ld ms park returned after %lld ns", ms[i], (long long)t);
		ATF_CHECK_EQ_MSG(ts.tv_sec, 0, "tv_sec %lld",
		    (long long)ts.tv_sec);
		ATF_CHECK_EQ_MSG(ts.tv_nsec, 0, "tv_nsec %ld", ts.tv_nsec);
	}
	/* Same on CLOCK_REALTIME. */
	ts = ns_ts(10 * NS_PER_MS);
	ATF_REQUIRE_ERRNO(ETIMEDOUT,
	    _lwp_park(CLOCK_REALTIME, 0, &ts, 0, NULL, NULL) == -1);
	ATF_CHECK(ts.tv_sec == 0 && ts.tv_nsec == 0);
}

/* Wait until LWP *arg parks, then 100 ms more, then unpark it. */
static struct kinfo_lwp kbuf_helper[NKINFO];
static volatile int helper_error = -1;

#define UNPARK_DELAY_MS	100

static void
late_unparker(void *arg)
{
	lwpid_t target = (lwpid_t)(intptr_t)arg;
	struct timespec d = ns_ts(UNPARK_DELAY_MS * NS_PER_MS);

	if (!wait_sleeping(target, "parked", kbuf_helper)) {
		helper_error = -2;
		return;
	}
	nanosleep(&d, NULL);
	helper_error = unpark_err(target);
}

ATF_TC(park_unparked_early_ts_time_left);
ATF_TC_HEAD(park_unparked_early_ts_time_left, tc)
{
	atf_tc_set_md_var(tc, "descr", "A relative park unparked before its "
	    "time returns 0 and writes the time left into ts: less than "
	    "asked for, by at least the time it slept");
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(park_unparked_early_ts_time_left, tc)
{
	const int64_t asked = 5 * NS_PER_SEC;
	struct timespec ts = ns_ts(asked);
	int64_t t0, slept, left;
	lwpid_t lid;

	lid = h_lwp_start(0, late_unparker, (void *)(intptr_t)_lwp_self(), 0);
	t0 = now_ns();
	RL(_lwp_park(CLOCK_MONOTONIC, 0, &ts, 0, NULL, NULL));
	slept = now_ns() - t0;
	RL(_lwp_wait(lid, NULL));
	ATF_REQUIRE_EQ_MSG(helper_error, 0, "the helper: %d", helper_error);

	left = ts_ns(&ts);
	ATF_REQUIRE_MSG(ts.tv_nsec >= 0 && ts.tv_nsec < NS_PER_SEC,
	    "tv_nsec %ld", ts.tv_nsec);
	ATF_CHECK_MSG(left > 0 && left < asked, "time left %lld ns",
	    (long long)left);
	/* The kernel's sleep is within ours, and lasted >= the delay. */
	ATF_CHECK_MSG(left <= asked - UNPARK_DELAY_MS * NS_PER_MS,
	    "time left %lld ns, slept %lld ns", (long long)left,
	    (long long)slept);
	ATF_CHECK_MSG(left >= asked - slept, "time left %lld ns, slept "
	    "%lld ns", (long long)left, (long long)slept);
}

static void
abstime_times_out(clockid_t clock)
{
	struct timespec now, ts, asked;
	int64_t deadline;

	RL(clock_gettime(clock, &now));
	deadline = ts_ns(&now) + 50 * NS_PER_MS;
	ts = asked = ns_ts(deadline);
	ATF_REQUIRE_ERRNO(ETIMEDOUT,
	    _lwp_park(clock, TIMER_ABSTIME, &ts, 0, NULL, NULL) == -1);
	RL(clock_gettime(clock, &now));
	ATF_CHECK_MSG(ts_ns(&now) >= deadline, "returned %lld ns early",
	    (long long)(deadline - ts_ns(&now)));
	ATF_CHECK_MSG(ts.tv_sec == asked.tv_sec && ts.tv_nsec == asked.tv_nsec,
	    "an absolute ts was changed");
}

ATF_TC(park_abstime_monotonic);
ATF_TC_HEAD(park_abstime_monotonic, tc)
{
	atf_tc_set_md_var(tc, "descr", "TIMER_ABSTIME on CLOCK_MONOTONIC: "
	    "ETIMEDOUT once clock_gettime reaches the deadline, not before; "
	    "ts is left alone");
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(park_abstime_monotonic, tc)
{
	abstime_times_out(CLOCK_MONOTONIC);
}

ATF_TC(park_abstime_realtime);
ATF_TC_HEAD(park_abstime_realtime, tc)
{
	atf_tc_set_md_var(tc, "descr", "TIMER_ABSTIME on CLOCK_REALTIME: "
	    "ETIMEDOUT once clock_gettime reaches the deadline, not before; "
	    "ts is left alone");
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(park_abstime_realtime, tc)
{
	abstime_times_out(CLOCK_REALTIME);
}

ATF_TC(park_past_or_zero_time_etimedout_at_once);
ATF_TC_HEAD(park_past_or_zero_time_etimedout_at_once, tc)
{
	atf_tc_set_md_var(tc, "descr", "An absolute time already past (or "
	    "0), a relative 0 or negative time: ETIMEDOUT at once");
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(park_past_or_zero_time_etimedout_at_once, tc)
{
	struct timespec now, ts;
	int i;

	RL(clock_gettime(CLOCK_MONOTONIC, &now));
	for (i = 0; i < 6; i++) {
		int flags = TIMER_ABSTIME;

		switch (i) {
		case 0:			/* earlier (boot is recent) */
			ts = ns_ts(ts_ns(&now) / 2);
			break;
		case 1:			/* now (past by the call) */
			ts = now;
			break;
		case 2:				/* the epoch */
			ts = ns_ts(0);
			break;
		case 3:				/* relative 0 */
			ts = ns_ts(0);
			flags = 0;
			break;
		case 4:				/* relative -1 s */
			ts.tv_sec = -1;
			ts.tv_nsec = 0;
			flags = 0;
			break;
		case 5:				/* absolute -1 s */
			ts.tv_sec = -1;
			ts.tv_nsec = 0;
			break;
		}
		errno = 0;
		ATF_CHECK_MSG(_lwp_park(CLOCK_MONOTONIC, flags, &ts, 0, NULL,
		    NULL) == -1 && errno == ETIMEDOUT, "case %d: errno %d", i,
		    errno);
	}
}

/* ---- argument errors ---------------------------------------------------- */

ATF_TC(park_bad_clock_einval);
ATF_TC_HEAD(park_bad_clock_einval, tc)
{
	atf_tc_set_md_var(tc, "descr", "A clock other than CLOCK_MONOTONIC "
	    "or CLOCK_REALTIME: EINVAL, without parking");
}
ATF_TC_BODY(park_bad_clock_einval, tc)
{
	static const clockid_t bad[] = { 1, 2, 4, 99, -1 };
	struct timespec ts;

	for (size_t i = 0; i < __arraycount(bad); i++) {
		ts = ns_ts(10 * NS_PER_SEC);
		ATF_CHECK_ERRNO(EINVAL,
		    _lwp_park(bad[i], 0, &ts, 0, NULL, NULL) == -1);
		ts = ns_ts(10 * NS_PER_SEC);
		ATF_CHECK_ERRNO(EINVAL,
		    _lwp_park(bad[i], TIMER_ABSTIME, &ts, 0, NULL, NULL) == -1);
	}
}

ATF_TC(park_bad_nsec_einval);
ATF_TC_HEAD(park_bad_nsec_einval, tc)
{
	atf_tc_set_md_var(tc, "descr", "tv_nsec below 0 or from 10^9 up: "
	    "EINVAL, without parking");
}
ATF_TC_BODY(park_bad_nsec_einval, tc)
{
	static const long bad[] = { -1, 1000000000, 1000000001, -999999999 };
	struct timespec ts;

	for (size_t i = 0; i < __arraycount(bad); i++) {
		ts.tv_sec = 1;
		ts.tv_nsec = bad[i];
		ATF_CHECK_ERRNO(EINVAL,
		    _lwp_park(CLOCK_MONOTONIC, 0, &ts, 0, NULL, NULL) == -1);
		ts.tv_sec = 1;
		ts.tv_nsec = bad[i];
		ATF_CHECK_ERRNO(EINVAL, _lwp_park(CLOCK_REALTIME,
		    TIMER_ABSTIME, &ts, 0, NULL, NULL) == -1);
	}
}

ATF_TC(park_bad_ts_efault);
ATF_TC_HEAD(park_bad_ts_efault, tc)
{
	atf_tc_set_md_var(tc, "descr", "A ts pointer outside the program's "
	    "memory: EFAULT");
}
ATF_TC_BODY(park_bad_ts_efault, tc)
{
	ATF_CHECK_ERRNO(EFAULT, _lwp_park(CLOCK_MONOTONIC, 0,
	    (struct timespec *)8, 0, NULL, NULL) == -1);
	ATF_CHECK_ERRNO(EFAULT, _lwp_park(CLOCK_MONOTONIC, TIMER_ABSTIME,
	    (struct timespec *)0xffff800000001000UL, 0, NULL, NULL) == -1);
	ATF_CHECK_ERRNO(EFAULT, _lwp_park(CLOCK_MONOTONIC, 0,
	    (struct timespec *)0x0000800000000000UL, 0, NULL, NULL) == -1);
}

/* ---- park's unpark argument --------------------------------------------- */

ATF_TC(park_unpark_arg_wakes_target_first);
ATF_TC_HEAD(park_unpark_arg_wakes_target_first, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_park's unpark argument unparks "
	    "that LWP (its park returns 0), then the caller parks");
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(park_unpark_arg_wakes_target_first, tc)
{
	struct parker pk;
	struct timespec ts;
	lwpid_t lid;

	lid = start_parker(0, &pk);
	ts = ns_ts(200 * NS_PER_MS);
	ATF_REQUIRE_ERRNO(ETIMEDOUT,
	    _lwp_park(CLOCK_MONOTONIC, 0, &ts, lid, NULL, NULL) == -1);
	/* It was unparked before we parked: by now it has returned. */
	ATF_REQUIRE_MSG(wait_int(&pk.done, 1), "the target still parks");
	ATF_CHECK_EQ_MSG(pk.error, 0, "its park: error %d", pk.error);
	RL(_lwp_wait(lid, NULL));
}

ATF_TC(park_unpark_arg_missing_esrch_no_park);
ATF_TC_HEAD(park_unpark_arg_missing_esrch_no_park, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_park with an unpark target "
	    "that does not exist returns ESRCH at once, without parking");
}
ATF_TC_BODY(park_unpark_arg_missing_esrch_no_park, tc)
{
	struct timespec ts = ns_ts(5 * NS_PER_SEC);
	int64_t t0;

	t0 = now_ns();
	ATF_REQUIRE_ERRNO(ESRCH, _lwp_park(CLOCK_MONOTONIC, 0, &ts,
	    MISSING_LID, NULL, NULL) == -1);
	ATF_CHECK_MSG(now_ns() - t0 < NS_PER_SEC, "took %lld ns",
	    (long long)(now_ns() - t0));
	/* Without a timeout too (it would park for ever). */
	ATF_REQUIRE_ERRNO(ESRCH, _lwp_park(CLOCK_MONOTONIC, 0, NULL,
	    MISSING_LID, NULL, NULL) == -1);
}

/* ---- _lwp_unpark -------------------------------------------------------- */

static void
exit_at_once(void *arg)
{
}

ATF_TC(unpark_missing_esrch);
ATF_TC_HEAD(unpark_missing_esrch, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_unpark of an LWP that does not "
	    "exist, or has exited (a zombie not yet waited for): ESRCH");
}
ATF_TC_BODY(unpark_missing_esrch, tc)
{
	lwpid_t lid;

	ATF_CHECK_ERRNO(ESRCH, _lwp_unpark(MISSING_LID, NULL) == -1);
	ATF_CHECK_ERRNO(ESRCH, _lwp_unpark(-1, NULL) == -1);
	ATF_CHECK_ERRNO(ESRCH, _lwp_unpark(0, NULL) == -1);

	lid = h_lwp_start(0, exit_at_once, NULL, 0);
	ATF_REQUIRE_MSG(h_lwp_wait_stat(lid, LSZOMB), "LWP %d is no zombie",
	    (int)lid);
	ATF_CHECK_ERRNO(ESRCH, _lwp_unpark(lid, NULL) == -1);
	RL(_lwp_wait(lid, NULL));
	ATF_CHECK_ERRNO(ESRCH, _lwp_unpark(lid, NULL) == -1);
}

/* ---- _lwp_unpark_all ---------------------------------------------------- */

ATF_TC(unpark_all_null_gives_max);
ATF_TC_HEAD(unpark_all_null_gives_max, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_unpark_all(NULL, ...) returns "
	    "the most targets one call takes: 1024");
}
ATF_TC_BODY(unpark_all_null_gives_max, tc)
{
	ATF_CHECK_EQ(_lwp_unpark_all(NULL, 0, NULL), 1024);
	ATF_CHECK_EQ(_lwp_unpark_all(NULL, 5, NULL), 1024);
}

ATF_TC(unpark_all_bad_count_einval);
ATF_TC_HEAD(unpark_all_bad_count_einval, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_unpark_all with n == 0 or "
	    "n > 1024: EINVAL; n == 1024 is fine");
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(unpark_all_bad_count_einval, tc)
{
	static lwpid_t lids[1025];
	struct timespec ts;

	for (size_t i = 0; i < __arraycount(lids); i++)
		lids[i] = _lwp_self();
	ATF_CHECK_ERRNO(EINVAL, _lwp_unpark_all(lids, 0, NULL) == -1);
	ATF_CHECK_ERRNO(EINVAL, _lwp_unpark_all(lids, 1025, NULL) == -1);
	ATF_CHECK_ERRNO(EINVAL, _lwp_unpark_all(lids, SIZE_MAX, NULL) == -1);
	/* None of those unparked us. */
	ts = ns_ts(10 * NS_PER_MS);
	ATF_CHECK_ERRNO(ETIMEDOUT,
	    _lwp_park(CLOCK_MONOTONIC, 0, &ts, 0, NULL, NULL) == -1);
	/* 1024 unparks of ourselves: one token. */
	ATF_CHECK_EQ(_lwp_unpark_all(lids, 1024, NULL), 0);
	ts = ns_ts(5 * NS_PER_SEC);
	ATF_CHECK_ERRNO(EALREADY,
	    _lwp_park(CLOCK_MONOTONIC, 0, &ts, 0, NULL, NULL) == -1);
}

#define NPARKERS	4

/*
 * Park NPARKERS LWPs, unpark_all them with `nextra' missing lids mixed
 * in, and check that every one woke with 0.
 */
static void
unpark_all_check(size_t nextra)
{
	static lwpid_t targets[NPARKERS + 64];
	struct parker pk[NPARKERS];
	lwpid_t lid[NPARKERS];
	size_t n = 0, i;

	ATF_REQUIRE(nextra <= 64);
	for (i = 0; i < NPARKERS; i++)
		lid[i] = start_parker(i, &pk[i]);
	/* Missing ones first, between and last. */
	for (i = 0; i < nextra / 2; i++)
		targets[n++] = MISSING_LID + i;
	for (i = 0; i < NPARKERS; i++)
		targets[n++] = lid[i];
	for (i = nextra / 2; i < nextra; i++)
		targets[n++] = MISSING_LID + i;
	if (nextra == 0)
		ATF_REQUIRE_EQ(_lwp_unpark_all(targets, n, NULL), 0);
	else
		ATF_REQUIRE_ERRNO(ESRCH,
		    _lwp_unpark_all(targets, n, NULL) == -1);
	for (i = 0; i < NPARKERS; i++) {
		ATF_CHECK_MSG(wait_int(&pk[i].done, 1), "LWP %d still parks",
		    (int)lid[i]);
		ATF_CHECK_EQ_MSG(pk[i].error, 0, "LWP %d's park: error %d",
		    (int)lid[i], pk[i].error);
	}
	for (i = 0; i < NPARKERS; i++)
		RL(_lwp_wait(lid[i], NULL));
}

ATF_TC(unpark_all_wakes_every_target);
ATF_TC_HEAD(unpark_all_wakes_every_target, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_unpark_all of several parked "
	    "LWPs returns 0 and wakes each of them (its park returns 0)");
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(unpark_all_wakes_every_target, tc)
{
	unpark_all_check(0);
}

ATF_TC(unpark_all_missing_esrch_others_woken);
ATF_TC_HEAD(unpark_all_missing_esrch_others_woken, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_unpark_all with one lid that "
	    "does not exist: ESRCH, but every other target is woken");
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(unpark_all_missing_esrch_others_woken, tc)
{
	unpark_all_check(1);
}

ATF_TC(unpark_all_many_targets_missing_esrch);
ATF_TC_HEAD(unpark_all_many_targets_missing_esrch, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_unpark_all with more targets "
	    "than fit the kernel's stack buffer (32), most missing: ESRCH, "
	    "and every LWP that exists is woken");
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(unpark_all_many_targets_missing_esrch, tc)
{
	unpark_all_check(60);
}

ATF_TC(unpark_all_bad_pointer_efault);
ATF_TC_HEAD(unpark_all_bad_pointer_efault, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_unpark_all with a targets "
	    "pointer outside the program's memory: EFAULT");
}
ATF_TC_BODY(unpark_all_bad_pointer_efault, tc)
{
	ATF_CHECK_ERRNO(EFAULT,
	    _lwp_unpark_all((const lwpid_t *)8, 2, NULL) == -1);
	ATF_CHECK_ERRNO(EFAULT, _lwp_unpark_all(
	    (const lwpid_t *)0xffff800000001000UL, 2, NULL) == -1);
	/* The kmem path too. */
	ATF_CHECK_ERRNO(EFAULT,
	    _lwp_unpark_all((const lwpid_t *)8, 100, NULL) == -1);
}

/* ---- _lwp_wakeup -------------------------------------------------------- */

ATF_TC(wakeup_missing_esrch);
ATF_TC_HEAD(wakeup_missing_esrch, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_wakeup of an LWP that does not "
	    "exist: ESRCH");
}
ATF_TC_BODY(wakeup_missing_esrch, tc)
{
	ATF_CHECK_ERRNO(ESRCH, _lwp_wakeup(MISSING_LID) == -1);
	ATF_CHECK_ERRNO(ESRCH, _lwp_wakeup(0) == -1);
}

/* Spin until told to stop, then park once (at most 5 s). */
struct spinner {
	volatile int	started;
	volatile int	stop;
	volatile int	error;
	volatile int	done;
};

static void
spinner_main(void *arg)
{
	struct spinner *sp = arg;

	__atomic_store_n(&sp->started, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&sp->stop, __ATOMIC_ACQUIRE))
		continue;
	sp->error = park_ms(5000);
	__atomic_store_n(&sp->done, 1, __ATOMIC_RELEASE);
}

ATF_TC(wakeup_running_enodev_leaves_token);
ATF_TC_HEAD(wakeup_running_enodev_leaves_token, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_wakeup of an LWP that runs (or "
	    "waits for a CPU), not sleeping: ENODEV; its next park still "
	    "returns EALREADY at once");
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(wakeup_running_enodev_leaves_token, tc)
{
	struct spinner sp = { 0 };
	struct kinfo_lwp kl;
	lwpid_t lid;

	lid = h_lwp_start(0, spinner_main, &sp, 0);
	ATF_REQUIRE(wait_int(&sp.started, 1));
	ATF_REQUIRE(lwp_info(lid, &kl, kbuf_main));
	ATF_REQUIRE_MSG(kl.l_stat == LSONPROC || kl.l_stat == LSRUN,
	    "the spinner's l_stat is %d", kl.l_stat);
	ATF_CHECK_ERRNO(ENODEV, _lwp_wakeup(lid) == -1);
	__atomic_store_n(&sp.stop, 1, __ATOMIC_RELEASE);
	RL(_lwp_wait(lid, NULL));
	ATF_CHECK_EQ_MSG(sp.error, EALREADY, "its park: error %d", sp.error);
}

/* Wait for the console's read lock (uninterruptibly: h_lwp.h), then
 * park once (5 s). */
static void
sleeper_main(void *arg)
{
	struct spinner *sp = arg;
	static volatile int err;

	__atomic_store_n(&sp->started, 1, __ATOMIC_RELEASE);
	h_console_reader((void *)&err);
	sp->error = park_ms(5000);
	__atomic_store_n(&sp->done, 1, __ATOMIC_RELEASE);
}

ATF_TC(wakeup_uninterruptible_ebusy_leaves_token);
ATF_TC_HEAD(wakeup_uninterruptible_ebusy_leaves_token, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_wakeup of an LWP in a sleep "
	    "that cannot be interrupted (waiting for a lock): EBUSY, the "
	    "sleep goes on; its next park returns EALREADY at once");
}
ATF_TC_BODY(wakeup_uninterruptible_ebusy_leaves_token, tc)
{
	struct spinner sp = { 0 };
	static volatile int err;
	lwpid_t holder, lid;
	int64_t t0;

	holder = h_lwp_start(1, h_console_reader, (void *)&err, 0);
	ATF_REQUIRE(h_lwp_wait_wmesg(holder, "ttyin"));
	t0 = now_ns();
	lid = h_lwp_start(0, sleeper_main, &sp, 0);
	ATF_REQUIRE_MSG(wait_sleeping(lid, "tstile", kbuf_main),
	    "LWP %d never waited for the lock", (int)lid);
	ATF_CHECK_ERRNO(EBUSY, _lwp_wakeup(lid) == -1);
	RL(_lwp_wakeup(holder));		/* lets it have the lock */
	RL(_lwp_wait(holder, NULL));
	RL(_lwp_wait(lid, NULL));
	ATF_CHECK_MSG(now_ns() - t0 < 4500 * NS_PER_MS,
	    "the park after it did not return at once");
	ATF_CHECK_EQ_MSG(sp.error, EALREADY, "its park: error %d", sp.error);
}

/* Park (20 s) and record; then park again (50 ms) and record. */
struct twopark {
	volatile int	error1;
	volatile int	error2;
};

static void
twopark_main(void *arg)
{
	struct twopark *tp = arg;

	tp->error1 = park_ms(20000);
	tp->error2 = park_ms(50);
}

ATF_TC(wakeup_parked_eintr);
ATF_TC_HEAD(wakeup_parked_eintr, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_wakeup of a parked LWP returns "
	    "0 and its park returns EINTR; the wakeup is spent (its next "
	    "park times out)");
	atf_tc_set_md_var(tc, "timeout", "20");
}
ATF_TC_BODY(wakeup_parked_eintr, tc)
{
	struct twopark tp = { -1, -1 };
	lwpid_t lid;

	/* (Its first park is for 20 s: EINTR says the wakeup ended it.) */
	lid = h_lwp_start(0, twopark_main, &tp, 0);
	ATF_REQUIRE_MSG(wait_sleeping(lid, "parked", kbuf_main),
	    "LWP %d never parked", (int)lid);
	RL(_lwp_wakeup(lid));
	RL(_lwp_wait(lid, NULL));
	ATF_CHECK_EQ_MSG(tp.error1, EINTR, "its park: error %d", tp.error1);
	ATF_CHECK_EQ_MSG(tp.error2, ETIMEDOUT, "its second park: error %d",
	    tp.error2);
}

/* ---- the park storm ----------------------------------------------------- */

/*
 * STORM_NLWP LWPs in pairs; in each pair the two take turns
 * storm_rounds (STORM_ROUNDS) times: wait for the turn (parking), count, hand the turn
 * over, unpark the partner.  A lost wakeup would leave a park to its
 * (5 s) timeout: counted, and the turn is looked at again.  A park that
 * times out more than a second after the partner's unpark for this
 * turn returned is a lost wakeup for certain, whatever the host's load
 * (guest time; a callout never fires early): counted apart, as `lost'.
 */
#define STORM_NLWP	8
#define STORM_ROUNDS	2500

struct storm_pair {
	volatile int	turn;		/* 0 or 1: whose turn */
	volatile lwpid_t lid[2];
	volatile int64_t unparked[2];	/* when side s's unpark returned */
};

struct storm_lwp {
	struct storm_pair *pair;
	int		side;
	volatile int	rounds;		/* turns taken */
	volatile int	parks;		/* parks: 0 or EALREADY */
	volatile int	timeouts;	/* parks that timed out */
	volatile int	lost;		/* ... after the partner's unpark */
	volatile int	errors;		/* other errors, unpark's */
	volatile int	lasterr;
};

static struct storm_pair storm_pairs[STORM_NLWP / 2];
static struct storm_lwp storm_lwps[STORM_NLWP];
static volatile int storm_abort;	/* park failed: everyone stops */
static int storm_eintr_ok;		/* signals come: EINTR is a wakeup */
static int storm_rounds = STORM_ROUNDS;	/* turns each LWP takes */

static void
storm_main(void *arg)
{
	struct storm_lwp *sl = arg;
	struct storm_pair *pr = sl->pair;
	int me = sl->side, error, i;

	for (i = 0; i < storm_rounds; i++) {
		while (__atomic_load_n(&pr->turn, __ATOMIC_ACQUIRE) != me) {
			int64_t t0 = now_ns(), u;

			error = park_ms(5000);
			if (error == 0 || error == EALREADY ||
			    (error == EINTR && storm_eintr_ok))
				sl->parks++;
			else if (error == ETIMEDOUT) {
				sl->timeouts++;
				u = pr->unparked[!me];
				if (u > t0 && now_ns() - u > NS_PER_SEC)
					sl->lost++;
			} else {
				/* (ENOSYS, say: turns would be spun for.) */
				sl->errors++;
				sl->lasterr = error;
				storm_abort = 1;
			}
			if (storm_abort)
				return;
		}
		sl->rounds++;
		__atomic_store_n(&pr->turn, !me, __ATOMIC_RELEASE);
		/* (The partner's last turn comes before our last one.) */
		if (me == 1 && i == storm_rounds - 1)
			break;
		/* Near the end the partner, seeing the turn change, may
		 * take its own last turn and exit before we unpark it
		 * (ESRCH): on our last turn (side 0), or on the one before
		 * (side 1, whose last turn has no unpark: side 0 may have
		 * finished by the time our unpark gets there).  That is no
		 * lost wakeup; each side's turns are counted apart. */
		if ((error = unpark_err(pr->lid[!me])) != 0 &&
		    !(error == ESRCH && i >= storm_rounds - 2)) {
			sl->errors++;
			sl->lasterr = error;
		}
		pr->unparked[me] = now_ns();
	}
}

/* Run the storm with n LWPs (pinned in pairs to different CPUs) to its
 * end; their counts are in storm_lwps[]. */
static void
storm_run(int n)
{
	lwpid_t lid[STORM_NLWP];
	long ncpu;
	int i;

	RL(ncpu = sysconf(_SC_NPROCESSORS_ONLN));
	memset(storm_pairs, 0, sizeof(storm_pairs));
	memset(storm_lwps, 0, sizeof(storm_lwps));
	for (i = 0; i < n; i++) {
		storm_lwps[i].pair = &storm_pairs[i / 2];
		storm_lwps[i].side = i % 2;
		lid[i] = h_lwp_start(i, storm_main, &storm_lwps[i],
		    LWP_SUSPENDED);
		storm_pairs[i / 2].lid[i % 2] = lid[i];
		/* Partners on different CPUs when there are several. */
		RL(h_pin_lwp(lid[i], i % ncpu));
	}
	for (i = 0; i < n; i++)
		RL(_lwp_continue(lid[i]));
	for (i = 0; i < n; i++)
		RL(_lwp_wait(lid[i], NULL));
}

ATF_TC(park_storm_no_lost_wakeup);
ATF_TC_HEAD(park_storm_no_lost_wakeup, tc)
{
	atf_tc_set_md_var(tc, "descr", "8 LWPs, in pairs on different CPUs, "
	    "hand a turn back and forth with park/unpark 2500 times each: "
	    "every turn is taken, no park times out (no wakeup is lost)");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(park_storm_no_lost_wakeup, tc)
{
	int i, parks = 0;
	int64_t t0;

	t0 = now_ns();
	storm_run(STORM_NLWP);
	for (i = 0; i < STORM_NLWP; i++) {
		struct storm_lwp *sl = &storm_lwps[i];

		ATF_CHECK_EQ_MSG(sl->rounds, STORM_ROUNDS,
		    "LWP %d took %d turns", i, sl->rounds);
		ATF_CHECK_EQ_MSG(sl->timeouts, 0,
		    "LWP %d: %d parks timed out (lost wakeups)", i,
		    sl->timeouts);
		ATF_CHECK_EQ_MSG(sl->errors, 0, "LWP %d: %d errors, the last "
		    "%d", i, sl->errors, sl->lasterr);
		parks += sl->parks;
	}
	for (i = 0; i < STORM_NLWP / 2; i++)
		ATF_CHECK_EQ(storm_pairs[i].turn, 0);
	printf("# %d LWPs, %d turns, %d parks, %lld ms\n", STORM_NLWP,
	    STORM_NLWP * STORM_ROUNDS, parks,
	    (long long)((now_ns() - t0) / NS_PER_MS));
}

/*
 * The storm in a child process that the parent stops (SIGSTOP) and
 * continues (SIGCONT) over and over.  A stop leaves a parked LWP on its
 * park queue, stopped (LSSTOP); a partner still in the kernel in its
 * _lwp_unpark then finds it so.  That unpark must still take it off the
 * queue (NetBSD 10's lwp_unpark: parked means asleep on the park
 * syncobj, whatever the state), so that SIGCONT runs it; left with only
 * a token (LW_UNPARKED), it goes back to sleep on SIGCONT and waits for
 * its timeout: counted as lost.
 */
#define STOPCONT_NLWP	4
#define STOPCONT_ROUNDS	250		/* turns a storm */
#define STOPCONT_STOPS	40		/* stops, then SIGUSR1: enough */

static volatile sig_atomic_t stopcont_enough;

static void
stopcont_usr1(int sig)
{
	stopcont_enough = 1;
}

ATF_TC(park_storm_stop_continue_no_lost_wakeup);
ATF_TC_HEAD(park_storm_stop_continue_no_lost_wakeup, tc)
{
	atf_tc_set_md_var(tc, "descr", "the park storm in a process stopped "
	    "and continued 40 times: an unpark that finds its target "
	    "stopped in its park still wakes it (no park sleeps on to its "
	    "timeout after the partner's unpark returned)");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(park_storm_stop_continue_no_lost_wakeup, tc)
{
	int st, stops;
	pid_t pid;

	RL(pid = fork());
	if (pid == 0) {
		int lost = 0, bad = 0, storms = 0;

		/* A stop or SIGUSR1 may end a park (EINTR): the storm looks
		 * again.  Storm after storm until the parent has stopped us
		 * often enough. */
		storm_eintr_ok = 1;
		storm_rounds = STOPCONT_ROUNDS;
		if (signal(SIGUSR1, stopcont_usr1) == SIG_ERR)
			_exit(3);
		while (!stopcont_enough && lost == 0 && bad == 0) {
			storm_run(STOPCONT_NLWP);
			storms++;
			for (int i = 0; i < STOPCONT_NLWP; i++) {
				lost += storm_lwps[i].lost;
				bad += storm_lwps[i].rounds != STOPCONT_ROUNDS ||
				    storm_lwps[i].errors != 0;
			}
		}
		if (lost != 0 || bad != 0)
			fprintf(stderr, "child: storm %d: %d lost wakeups, %d "
			    "LWPs with missing turns or errors (LWP 0: %d "
			    "turns, %d errors, the last %d)\n", storms, lost,
			    bad, storm_lwps[0].rounds, storm_lwps[0].errors,
			    storm_lwps[0].lasterr);
		_exit(lost != 0 ? 1 : bad != 0 ? 2 : 0);
	}
	for (stops = 0; stops < STOPCONT_STOPS; stops++) {
		RL(kill(pid, SIGSTOP));
		RL(waitpid(pid, &st, WUNTRACED));
		if (!WIFSTOPPED(st))
			break;		/* it ended: something went wrong */
		RL(kill(pid, SIGCONT));
		h_sleep_ms(1);
	}
	if (stops == STOPCONT_STOPS) {
		RL(kill(pid, SIGUSR1));
		RL(waitpid(pid, &st, 0));
	}
	ATF_REQUIRE_MSG(WIFEXITED(st), "the child ended with status %#x", st);
	ATF_REQUIRE_MSG(WEXITSTATUS(st) != 1, "an unpark was lost: a parked "
	    "LWP, stopped and continued, slept on to its timeout");
	ATF_REQUIRE_EQ_MSG(WEXITSTATUS(st), 0, "the storm went wrong after "
	    "%d stops (see the child's line)", stops);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, park_unpark_first_ealready_once);
	ATF_TP_ADD_TC(tp, park_relative_timeout_zeroes_ts);
	ATF_TP_ADD_TC(tp, park_unparked_early_ts_time_left);
	ATF_TP_ADD_TC(tp, park_abstime_monotonic);
	ATF_TP_ADD_TC(tp, park_abstime_realtime);
	ATF_TP_ADD_TC(tp, park_past_or_zero_time_etimedout_at_once);
	ATF_TP_ADD_TC(tp, park_bad_clock_einval);
	ATF_TP_ADD_TC(tp, park_bad_nsec_einval);
	ATF_TP_ADD_TC(tp, park_bad_ts_efault);
	ATF_TP_ADD_TC(tp, park_unpark_arg_wakes_target_first);
	ATF_TP_ADD_TC(tp, park_unpark_arg_missing_esrch_no_park);
	ATF_TP_ADD_TC(tp, unpark_missing_esrch);
	ATF_TP_ADD_TC(tp, unpark_all_null_gives_max);
	ATF_TP_ADD_TC(tp, unpark_all_bad_count_einval);
	ATF_TP_ADD_TC(tp, unpark_all_wakes_every_target);
	ATF_TP_ADD_TC(tp, unpark_all_missing_esrch_others_woken);
	ATF_TP_ADD_TC(tp, unpark_all_many_targets_missing_esrch);
	ATF_TP_ADD_TC(tp, unpark_all_bad_pointer_efault);
	ATF_TP_ADD_TC(tp, wakeup_missing_esrch);
	ATF_TP_ADD_TC(tp, wakeup_running_enodev_leaves_token);
	ATF_TP_ADD_TC(tp, wakeup_uninterruptible_ebusy_leaves_token);
	ATF_TP_ADD_TC(tp, wakeup_parked_eintr);
	ATF_TP_ADD_TC(tp, park_storm_no_lost_wakeup);
	ATF_TP_ADD_TC(tp, park_storm_stop_continue_no_lost_wakeup);
	return atf_no_error();
}

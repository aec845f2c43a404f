/*
 * t_lwp_wait: _lwp_wait(2) (lwp_wait1's contract) and _lwp_detach(2):
 * collecting a named LWP or any, departed, ESRCH, EINVAL for detached
 * LWPs, and each EDEADLK rule -- waiting for oneself, two LWPs waiting
 * for each other, and three or more LWPs all waiting, where only the
 * counting rule (p_nrlwps + p_nzlwps - p_ndlwps <= p_nlwpwait) can see
 * the deadlock; EINTR (_lwp_wakeup), and an interrupted wait gives up
 * its claim; a wait for "any" leaves an LWP waited for by name to its
 * waiter; detached zombies are freed (kern.memstat); _lwp_detach of a
 * zombie wakes the waiters (they re-check for deadlock); the run time
 * and switches of reaped LWPs stay their process's (getrusage).
 *
 * Lab reap's tests (tools/labs/06-reap.lab): raw _lwp_create,
 * _lwp_wait, _lwp_detach only -- no _lwp_park, no pthread mutexes
 * (labs park and umutex come later).  LWPs that must stay alive for a
 * while wait for `release' in nanosleep.
 */
#include <sys/resource.h>
#include <machine/vmparam.h>

#include "h_lwp.h"

static volatile int hits;

static void
count_and_exit(void *arg)
{
	__atomic_fetch_add(&hits, 1, __ATOMIC_SEQ_CST);
	_lwp_exit();
}

/* Stay alive (asleep in nanosleep, 1 ms at a time) until `release'. */
static volatile int release;

static void
hold(void *arg)
{
	struct timespec ts = { 0, 1000000 };

	while (!__atomic_load_n(&release, __ATOMIC_ACQUIRE))
		nanosleep(&ts, NULL);
}

ATF_TC(wait_named_and_any);
ATF_TC_HEAD(wait_named_and_any, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_wait(lid) collects that LWP; "
	    "_lwp_wait(0) any undetached one, each exactly once; then "
	    "ESRCH");
}
ATF_TC_BODY(wait_named_and_any, tc)
{
	lwpid_t lids[4], dep, seen[4];
	int n = 0;

	for (int i = 0; i < 4; i++)
		lids[i] = h_lwp_start(i, count_and_exit, NULL, 0);
	RL(_lwp_wait(lids[2], &dep));
	ATF_REQUIRE_EQ(dep, lids[2]);
	RL(_lwp_wait(lids[0], NULL));		/* departed may be NULL */
	while (_lwp_wait(0, &dep) == 0)
		seen[n++] = dep;
	ATF_REQUIRE_EQ(errno, ESRCH);
	ATF_REQUIRE_EQ(n, 2);
	ATF_REQUIRE((seen[0] == lids[1] && seen[1] == lids[3]) ||
	    (seen[0] == lids[3] && seen[1] == lids[1]));
	ATF_REQUIRE_EQ(hits, 4);
}

ATF_TC(wait_esrch);
ATF_TC_HEAD(wait_esrch, tc)
{
	atf_tc_set_md_var(tc, "descr", "no such LWP, an LWP already "
	    "collected, or nobody to wait for: ESRCH");
}
ATF_TC_BODY(wait_esrch, tc)
{
	lwpid_t lid;

	ATF_REQUIRE_ERRNO(ESRCH, _lwp_wait(12345, NULL) == -1);
	ATF_REQUIRE_ERRNO(ESRCH, _lwp_wait(0, NULL) == -1);
	lid = h_lwp_start(0, count_and_exit, NULL, 0);
	RL(_lwp_wait(lid, NULL));
	ATF_REQUIRE_ERRNO(ESRCH, _lwp_wait(lid, NULL) == -1);
}

ATF_TC(wait_departed_efault);
ATF_TC_HEAD(wait_departed_efault, tc)
{
	atf_tc_set_md_var(tc, "descr", "a bad departed pointer: EFAULT "
	    "(the LWP is collected all the same, as in NetBSD)");
}
ATF_TC_BODY(wait_departed_efault, tc)
{
	lwpid_t lid;

	lid = h_lwp_start(0, count_and_exit, NULL, 0);
	ATF_REQUIRE_ERRNO(EFAULT,
	    _lwp_wait(lid, (lwpid_t *)VM_MAXUSER_ADDRESS) == -1);
	ATF_REQUIRE_ERRNO(ESRCH, _lwp_wait(lid, NULL) == -1);
}

ATF_TC(wait_self_edeadlk);
ATF_TC_HEAD(wait_self_edeadlk, tc)
{
	atf_tc_set_md_var(tc, "descr", "waiting for oneself: EDEADLK, "
	    "alone and while another LWP runs (which the counting rule "
	    "would not call a deadlock)");
}
ATF_TC_BODY(wait_self_edeadlk, tc)
{
	lwpid_t lid;

	ATF_REQUIRE_ERRNO(EDEADLK, _lwp_wait(_lwp_self(), NULL) == -1);
	lid = h_lwp_start(0, hold, NULL, 0);
	ATF_REQUIRE_ERRNO(EDEADLK, _lwp_wait(_lwp_self(), NULL) == -1);
	__atomic_store_n(&release, 1, __ATOMIC_RELEASE);
	RL(_lwp_wait(lid, NULL));
}

/* Waiting LWPs report here: result and errno of their _lwp_wait. */
static volatile int wres[4], werr[4], wdone[4];
static volatile lwpid_t wtarget[4];

static void
waiter(void *arg)
{
	int i = (int)(intptr_t)arg;

	wres[i] = _lwp_wait(wtarget[i], NULL);
	werr[i] = errno;
	wdone[i] = 1;
	_lwp_exit();
}

ATF_TC(wait_mutual_edeadlk);
ATF_TC_HEAD(wait_mutual_edeadlk, tc)
{
	atf_tc_set_md_var(tc, "descr", "A waits for B, then B waits for A: "
	    "B's wait fails with EDEADLK (and A then collects B)");
}
ATF_TC_BODY(wait_mutual_edeadlk, tc)
{
	lwpid_t a, b;

	/* A waits for B; B starts suspended so A is surely first. */
	b = h_lwp_start(1, waiter, (void *)1, LWP_SUSPENDED);
	wtarget[0] = b;
	a = h_lwp_start(0, waiter, (void *)0, 0);
	ATF_REQUIRE(h_lwp_wait_stat(a, LSSLEEP));
	wtarget[1] = a;
	RL(_lwp_continue(b));
	/* B: EDEADLK, exits; A collects it and exits. */
	RL(_lwp_wait(a, NULL));
	ATF_REQUIRE(wdone[0] && wdone[1]);
	ATF_REQUIRE_EQ(wres[1], -1);
	ATF_REQUIRE_EQ(werr[1], EDEADLK);
	ATF_REQUIRE_EQ(wres[0], 0);
}

ATF_TC(wait_everyone_waiting_edeadlk);
ATF_TC_HEAD(wait_everyone_waiting_edeadlk, tc)
{
	atf_tc_set_md_var(tc, "descr", "three LWPs wait in a cycle (A for "
	    "B, B for C, C for A: no pair waits for each other); when the "
	    "main LWP waits too, nobody could ever exit: EDEADLK "
	    "(p_nrlwps + p_nzlwps - p_ndlwps <= p_nlwpwait)");
	atf_tc_set_md_var(tc, "timeout", "30");
}
ATF_TC_BODY(wait_everyone_waiting_edeadlk, tc)
{
	lwpid_t l[3];

	for (int i = 0; i < 3; i++)
		l[i] = h_lwp_start(i, waiter, (void *)(intptr_t)i,
		    LWP_SUSPENDED);
	for (int i = 0; i < 3; i++)
		wtarget[i] = l[(i + 1) % 3];
	for (int i = 0; i < 3; i++) {
		RL(_lwp_continue(l[i]));
		ATF_REQUIRE(h_lwp_wait_stat(l[i], LSSLEEP));
	}
	ATF_REQUIRE_ERRNO(EDEADLK, _lwp_wait(0, NULL) == -1);
	ATF_REQUIRE(!wdone[0] && !wdone[1] && !wdone[2]);

	/* Break the cycle: A's wait is interrupted (EINTR), A exits, C
	 * collects A and exits, B collects C and exits.  (Our EDEADLK
	 * woke them all to re-check: let A get back to sleep first.) */
	ATF_REQUIRE(h_lwp_wait_stat(l[0], LSSLEEP));
	RL(_lwp_wakeup(l[0]));
	/* (Waiting before B is done could be EDEADLK again: until A has
	 * seen its EINTR, everyone still counts as waiting.) */
	ATF_REQUIRE(h_until(&wdone[1], 1));
	RL(_lwp_wait(l[1], NULL));
	ATF_REQUIRE_EQ(wres[0], -1);
	ATF_REQUIRE_EQ(werr[0], EINTR);
	ATF_REQUIRE_EQ(wres[2], 0);
	ATF_REQUIRE_EQ(wres[1], 0);
	ATF_REQUIRE_ERRNO(ESRCH, _lwp_wait(0, NULL) == -1);
}

ATF_TC(wait_detached_einval);
ATF_TC_HEAD(wait_detached_einval, tc)
{
	atf_tc_set_md_var(tc, "descr", "waiting for a detached LWP: EINVAL "
	    "(NetBSD 2020); _lwp_wait(0) skips detached LWPs (ESRCH)");
}
ATF_TC_BODY(wait_detached_einval, tc)
{
	lwpid_t lid;

	lid = h_lwp_start(0, hold, NULL, 0);
	RL(_lwp_detach(lid));
	ATF_REQUIRE_ERRNO(EINVAL, _lwp_wait(lid, NULL) == -1);
	ATF_REQUIRE_ERRNO(ESRCH, _lwp_wait(0, NULL) == -1);
	__atomic_store_n(&release, 1, __ATOMIC_RELEASE);
	ATF_REQUIRE(h_lwp_wait_exited(lid));
}

ATF_TC(detach_contract);
ATF_TC_HEAD(detach_contract, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_detach: a zombie is freed at "
	    "once; a running LWP is detached and freed once it exits; "
	    "detaching twice (or one created detached): EINVAL; no such "
	    "LWP: ESRCH; oneself is fine");
}
ATF_TC_BODY(detach_contract, tc)
{
	lwpid_t lid, lid2;

	lid = h_lwp_start(0, count_and_exit, NULL, 0);
	ATF_REQUIRE(h_lwp_wait_stat(lid, LSZOMB));
	RL(_lwp_detach(lid));
	ATF_REQUIRE_EQ_MSG(h_lwp_stat(lid), 0, "the detached zombie is "
	    "still there (l_stat %d): not freed at once", h_lwp_stat(lid));
	ATF_REQUIRE_ERRNO(ESRCH, _lwp_detach(lid) == -1);
	ATF_REQUIRE_ERRNO(ESRCH, _lwp_detach(4321) == -1);

	/* Running: detached, then gone once it exits (freed by the next
	 * _lwp_create, _lwp_exit or _lwp_wait of the process). */
	lid = h_lwp_start(0, hold, NULL, 0);
	RL(_lwp_detach(lid));
	ATF_REQUIRE_ERRNO(EINVAL, _lwp_detach(lid) == -1);
	ATF_REQUIRE_ERRNO(EINVAL, _lwp_wait(lid, NULL) == -1);
	lid2 = h_lwp_start(1, hold, NULL, LWP_DETACHED);
	ATF_REQUIRE_ERRNO(EINVAL, _lwp_detach(lid2) == -1);
	__atomic_store_n(&release, 1, __ATOMIC_RELEASE);
	ATF_REQUIRE(h_lwp_wait_exited(lid));
	ATF_REQUIRE(h_lwp_wait_exited(lid2));
	ATF_REQUIRE_ERRNO(ESRCH, _lwp_wait(0, NULL) == -1);
	ATF_REQUIRE_EQ_MSG(h_lwp_count(), 1, "%d LWPs left: the detached "
	    "zombies were not freed", h_lwp_count());

	RL(_lwp_detach(_lwp_self()));
	ATF_REQUIRE_ERRNO(EINVAL, _lwp_detach(_lwp_self()) == -1);
}

/* A waiter that reports its departed LWP too. */
static volatile lwpid_t wdep[4];

static void
waiter_dep(void *arg)
{
	int i = (int)(intptr_t)arg;
	lwpid_t dep = 0;

	wres[i] = _lwp_wait(wtarget[i], &dep);
	werr[i] = errno;
	wdep[i] = dep;
	__atomic_store_n(&wdone[i], 1, __ATOMIC_RELEASE);
	_lwp_exit();
}

/* Hold (in nanosleep) until *arg is set, then exit. */
static void
hold_on(void *arg)
{
	struct timespec ts = { 0, 1000000 };

	while (!__atomic_load_n((volatile int *)arg, __ATOMIC_ACQUIRE))
		nanosleep(&ts, NULL);
}

ATF_TC(wait_interrupted_eintr_gives_up_claim);
ATF_TC_HEAD(wait_interrupted_eintr_gives_up_claim, tc)
{
	atf_tc_set_md_var(tc, "descr", "a wait for a named LWP interrupted "
	    "by _lwp_wakeup returns EINTR and gives up its claim on that "
	    "LWP: a wait for any collects it later");
	atf_tc_set_md_var(tc, "timeout", "30");
}
ATF_TC_BODY(wait_interrupted_eintr_gives_up_claim, tc)
{
	static volatile int go;
	lwpid_t l, x, dep1, dep2;

	l = h_lwp_start(0, hold_on, (void *)&go, 0);
	wtarget[0] = l;
	x = h_lwp_start(1, waiter, (void *)0, 0);
	ATF_REQUIRE(h_lwp_wait_wmesg(x, "lwpwait"));
	RL(_lwp_wakeup(x));
	ATF_REQUIRE_MSG(h_until(&wdone[0], 1), "the interrupted wait did "
	    "not return");
	ATF_REQUIRE_EQ(wres[0], -1);
	ATF_REQUIRE_EQ_MSG(werr[0], EINTR, "errno %d", werr[0]);
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	ATF_REQUIRE(h_lwp_wait_stat(l, LSZOMB));
	ATF_REQUIRE(h_lwp_wait_stat(x, LSZOMB));
	/* Both are zombies now; nobody claims either (a kept claim would
	 * leave l to a waiter that is gone: this wait would never end). */
	RL(_lwp_wait(0, &dep1));
	RL(_lwp_wait(0, &dep2));
	ATF_REQUIRE((dep1 == l && dep2 == x) || (dep1 == x && dep2 == l));
	ATF_REQUIRE_ERRNO(ESRCH, _lwp_wait(0, NULL) == -1);
}

ATF_TC(wait_any_leaves_named_to_its_waiter);
ATF_TC_HEAD(wait_any_leaves_named_to_its_waiter, tc)
{
	atf_tc_set_md_var(tc, "descr", "W waits for any LWP, then X waits "
	    "for L by name; when L exits, X collects it (l_waiter: W, "
	    "though woken first, leaves it), and W then collects X: no LWP "
	    "is collected twice, none is missed (5 rounds)");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(wait_any_leaves_named_to_its_waiter, tc)
{
	static volatile int go[5];
	lwpid_t l, w, x;

	for (int r = 0; r < 5; r++) {
		memset((void *)wdone, 0, sizeof(wdone));
		memset((void *)wdep, 0, sizeof(wdep));
		l = h_lwp_start(0, hold_on, (void *)&go[r], 0);
		wtarget[0] = 0;
		w = h_lwp_start(1, waiter_dep, (void *)0, 0);
		ATF_REQUIRE(h_lwp_wait_wmesg(w, "lwpwait"));
		wtarget[1] = l;
		x = h_lwp_start(2, waiter_dep, (void *)1, 0);
		ATF_REQUIRE(h_lwp_wait_wmesg(x, "lwpwait"));
		/* Both asleep, W first: L's exit wakes W first. */
		__atomic_store_n(&go[r], 1, __ATOMIC_RELEASE);
		ATF_REQUIRE_MSG(h_until(&wdone[1], 1), "round %d: the named "
		    "waiter never returned", r);
		ATF_REQUIRE_MSG(wres[1] == 0 && wdep[1] == l, "round %d: X's "
		    "_lwp_wait(%d) returned %d (errno %d), departed %d: the "
		    "wait for any took the LWP waited for by name", r, (int)l,
		    wres[1], werr[1], (int)wdep[1]);
		ATF_REQUIRE_MSG(h_until(&wdone[0], 1), "round %d: the wait for "
		    "any never returned (X exited: it could collect X)", r);
		ATF_REQUIRE_MSG(wres[0] == 0 && wdep[0] == x, "round %d: W's "
		    "_lwp_wait(0) returned %d (errno %d), departed %d; X is %d",
		    r, wres[0], werr[0], (int)wdep[0], (int)x);
		RL(_lwp_wait(w, NULL));
		ATF_REQUIRE_ERRNO(ESRCH, _lwp_wait(0, NULL) == -1);
	}
}

ATF_TC(detached_zombies_freed);
ATF_TC_HEAD(detached_zombies_freed, tc)
{
	atf_tc_set_md_var(tc, "descr", "8 detached LWPs exit: at most one "
	    "zombie waits in p_zomblwp, and the next _lwp_wait (ESRCH: "
	    "nobody to wait for) frees it; kern.memstat's LWPs and kmem "
	    "are back where they were");
}

static void
detached_round(int n)
{
	lwpid_t lid[8];

	for (int i = 0; i < n; i++)
		lid[i] = h_lwp_start(i, count_and_exit, NULL, LWP_DETACHED);
	for (int i = 0; i < n; i++)
		ATF_REQUIRE(h_lwp_wait_exited(lid[i]));
	ATF_REQUIRE_MSG(h_lwp_count() <= 2, "%d LWPs: more than one "
	    "detached zombie kept", h_lwp_count());
	ATF_REQUIRE_ERRNO(ESRCH, _lwp_wait(0, NULL) == -1);
	ATF_REQUIRE_EQ_MSG(h_lwp_count(), 1, "%d LWPs after _lwp_wait: the "
	    "detached zombie was not freed", h_lwp_count());
}

ATF_TC_BODY(detached_zombies_freed, tc)
{
	struct kinfo_mem before, after;

	detached_round(8);		/* warm up the kernel's caches */
	before = h_memstat();
	detached_round(8);
	detached_round(8);
	after = h_memstat();
	ATF_REQUIRE_EQ_MSG(after.km_lwps, before.km_lwps,
	    "struct lwp: %llu before, %llu after",
	    (unsigned long long)before.km_lwps,
	    (unsigned long long)after.km_lwps);
	ATF_REQUIRE_EQ_MSG(after.km_kmem_inuse, before.km_kmem_inuse,
	    "kmem: %llu before, %llu after",
	    (unsigned long long)before.km_kmem_inuse,
	    (unsigned long long)after.km_kmem_inuse);
	ATF_REQUIRE_EQ(hits, 24);
}

ATF_TC(detach_zombie_wakes_waiters);
ATF_TC_HEAD(detach_zombie_wakes_waiters, tc)
{
	atf_tc_set_md_var(tc, "descr", "three LWPs wait in a cycle while an "
	    "undetached zombie Z keeps the counting rule from calling it a "
	    "deadlock (the main LWP is detached); _lwp_detach(Z) frees Z "
	    "and must wake the waiters: one of them re-checks and gets "
	    "EDEADLK, and the cycle unwinds (NetBSD broadcasts in lwp_free; "
	    "here _lwp_detach does)");
	atf_tc_set_md_var(tc, "timeout", "30");
}
ATF_TC_BODY(detach_zombie_wakes_waiters, tc)
{
	lwpid_t l[3], z, dep;
	int ndeadlk = 0, nok = 0;

	RL(_lwp_detach(_lwp_self()));
	z = h_lwp_start(3, count_and_exit, NULL, 0);
	ATF_REQUIRE(h_lwp_wait_stat(z, LSZOMB));
	for (int i = 0; i < 3; i++)
		l[i] = h_lwp_start(i, waiter, (void *)(intptr_t)i,
		    LWP_SUSPENDED);
	for (int i = 0; i < 3; i++)
		wtarget[i] = l[(i + 1) % 3];
	for (int i = 0; i < 3; i++) {
		RL(_lwp_continue(l[i]));
		ATF_REQUIRE(h_lwp_wait_wmesg(l[i], "lwpwait"));
	}
	/* Running: us (detached) and the three waiters, Z a zombie:
	 * 4 + 1 - 1 > 3 waiting.  Without Z: 4 + 0 - 1 <= 3. */
	ATF_REQUIRE(!wdone[0] && !wdone[1] && !wdone[2]);
	RL(_lwp_detach(z));
	ATF_REQUIRE_EQ(h_lwp_stat(z), 0);
	ATF_REQUIRE_MSG(h_until(&wdone[0], 1) && h_until(&wdone[1], 1) &&
	    h_until(&wdone[2], 1), "waits still asleep after _lwp_detach "
	    "freed a zombie (done: %d %d %d): nobody re-checked for "
	    "deadlock", wdone[0], wdone[1], wdone[2]);
	for (int i = 0; i < 3; i++) {
		if (wres[i] == -1 && werr[i] == EDEADLK)
			ndeadlk++;
		else if (wres[i] == 0)
			nok++;
	}
	ATF_REQUIRE_MSG(ndeadlk == 1 && nok == 2, "results %d/%d %d/%d "
	    "%d/%d: one EDEADLK and two collections expected", wres[0],
	    werr[0], wres[1], werr[1], wres[2], werr[2]);
	/* The last one of the chain is left for us.  (Once it has exited:
	 * we are detached, so while it runs our own wait would count as
	 * a deadlock.) */
	for (int i = 0; i < 3; i++)
		ATF_REQUIRE(h_lwp_wait_exited(l[i]));
	RL(_lwp_wait(0, &dep));
	ATF_REQUIRE(dep == l[0] || dep == l[1] || dep == l[2]);
	ATF_REQUIRE_ERRNO(ESRCH, _lwp_wait(0, NULL) == -1);
}

/* Burn some CPU and sleep 10 times (10 voluntary switches), exit. */
static void
burner(void *arg)
{
	struct timespec ts = { 0, 1000000 };

	for (int i = 0; i < 10; i++) {
		for (volatile int j = 0; j < 500000; j++)
			continue;
		nanosleep(&ts, NULL);
	}
	__atomic_fetch_add(&hits, 1, __ATOMIC_SEQ_CST);
}

static uint64_t
tv_us(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000 + tv->tv_usec;
}

ATF_TC(reaped_lwps_keep_rusage);
ATF_TC_HEAD(reaped_lwps_keep_rusage, tc)
{
	atf_tc_set_md_var(tc, "descr", "8 LWPs burn CPU and sleep 10 times "
	    "each, then are reaped: getrusage(RUSAGE_SELF) keeps their run "
	    "time and context switches (at least what kern.lwp showed for "
	    "the zombies; NetBSD's lwp_free adds them to the process)");
}
ATF_TC_BODY(reaped_lwps_keep_rusage, tc)
{
	struct rusage r0, r1, r2;
	struct kinfo_lwp kl;
	uint64_t zrtime = 0, zncsw = 0;
	lwpid_t lid[8];

	RL(getrusage(RUSAGE_SELF, &r0));
	for (int i = 0; i < 8; i++)
		lid[i] = h_lwp_start(i, burner, NULL, 0);
	/* (Waiting asleep, not yielding: our own switches stay few.) */
	for (int i = 0; i < 8; i++) {
		ATF_REQUIRE(h_lwp_wait_stat(lid[i], LSZOMB));
		ATF_REQUIRE(h_lwp_info(lid[i], &kl));
		zrtime += kl.l_rtime_usec;
		zncsw += kl.l_ncsw;
	}
	ATF_REQUIRE_MSG(zncsw >= 80, "the zombies switched %llu times",
	    (unsigned long long)zncsw);
	RL(getrusage(RUSAGE_SELF, &r1));
	for (int i = 0; i < 8; i++)
		RL(_lwp_wait(lid[i], NULL));
	RL(getrusage(RUSAGE_SELF, &r2));
	/* (ru_utime and l_rtime_usec are both rounded down to 1 us.) */
	ATF_CHECK_MSG(tv_us(&r2.ru_utime) + 8 >= tv_us(&r0.ru_utime) + zrtime,
	    "run time %llu us before, %llu us with the zombies, %llu us "
	    "once they are reaped; the zombies had run %llu us",
	    (unsigned long long)tv_us(&r0.ru_utime),
	    (unsigned long long)tv_us(&r1.ru_utime),
	    (unsigned long long)tv_us(&r2.ru_utime),
	    (unsigned long long)zrtime);
	ATF_CHECK_MSG((uint64_t)(r2.ru_nvcsw + r2.ru_nivcsw) >=
	    (uint64_t)(r0.ru_nvcsw + r0.ru_nivcsw) + zncsw,
	    "context switches %ld+%ld before, %ld+%ld with the zombies, "
	    "%ld+%ld once they are reaped; the zombies had %llu",
	    r0.ru_nvcsw, r0.ru_nivcsw, r1.ru_nvcsw, r1.ru_nivcsw,
	    r2.ru_nvcsw, r2.ru_nivcsw, (unsigned long long)zncsw);
	ATF_CHECK_MSG(r2.ru_nvcsw >= r1.ru_nvcsw, "voluntary switches went "
	    "down from %ld to %ld as the zombies were reaped", r1.ru_nvcsw,
	    r2.ru_nvcsw);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, wait_named_and_any);
	ATF_TP_ADD_TC(tp, wait_esrch);
	ATF_TP_ADD_TC(tp, wait_departed_efault);
	ATF_TP_ADD_TC(tp, wait_self_edeadlk);
	ATF_TP_ADD_TC(tp, wait_mutual_edeadlk);
	ATF_TP_ADD_TC(tp, wait_everyone_waiting_edeadlk);
	ATF_TP_ADD_TC(tp, wait_detached_einval);
	ATF_TP_ADD_TC(tp, detach_contract);
	ATF_TP_ADD_TC(tp, wait_interrupted_eintr_gives_up_claim);
	ATF_TP_ADD_TC(tp, wait_any_leaves_named_to_its_waiter);
	ATF_TP_ADD_TC(tp, detached_zombies_freed);
	ATF_TP_ADD_TC(tp, detach_zombie_wakes_waiters);
	ATF_TP_ADD_TC(tp, reaped_lwps_keep_rusage);
	return atf_no_error();
}

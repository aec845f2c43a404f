/*
 * t_sem_named: named semaphores (sem_open, sem_close, sem_unlink) and
 * the kernel's _ksem_* calls under them (kernel/uipc_sem.c,
 * docs/man/_ksem_open.2).
 *
 * Covered: create, exclusive create and open of an existing name (one
 * semaphore behind both); the name rules (ENAMETOOLONG, EINVAL); values
 * (EINVAL above SEM_VALUE_MAX, EOVERFLOW at it); bad ids (EINVAL, and
 * EBADF for _ksem_close), the wrong kind (close of an unnamed one,
 * destroy of a named one, a process-shared one); what a semaphore's
 * descriptor answers to read, write, lseek, fstat and close; a wait
 * that sleeps until a post; timed waits (ETIMEDOUT, never early;
 * EINVAL); a signal's EINTR, or a restart with SA_RESTART; unlink while
 * open; fork shares one; exec closes them; the system-wide limit
 * (ENFILE); and a process that dies holding semaphores, even asleep on
 * one, leaves no kernel memory behind.
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <signal.h>
#define _LIBC			/* the _ksem_* calls */
#include <sys/ksem.h>

#include <kinfo.h>

#include "h_pthread.h"

#define SELF	"/tests/t_sem_named"

/* Remove what an earlier, failed run may have left. */
static void
unlink_all(const char *const *names)
{
	for (; *names != NULL; names++)
		(void)sem_unlink(*names);
}

static int
value_of(sem_t *s)
{
	int v = -1;

	RL(sem_getvalue(s, &v));
	return v;
}

ATF_TC(create_exclusive_and_open);
ATF_TC_HEAD(create_exclusive_and_open, tc)
{
	atf_tc_set_md_var(tc, "descr", "O_CREAT makes a semaphore, O_EXCL "
	    "refuses an existing name (EEXIST), no O_CREAT finds it or says "
	    "ENOENT; two opens of one name are one semaphore");
}
ATF_TC_BODY(create_exclusive_and_open, tc)
{
	static const char *const names[] = { "/t_a", NULL };
	sem_t *a, *b, *c;

	unlink_all(names);
	ATF_REQUIRE_ERRNO(ENOENT, sem_open("/t_a", 0) == SEM_FAILED);
	ATF_REQUIRE((a = sem_open("/t_a", O_CREAT | O_EXCL, 0600, 2)) !=
	    SEM_FAILED);
	ATF_REQUIRE_EQ(value_of(a), 2);
	ATF_REQUIRE_ERRNO(EEXIST, sem_open("/t_a", O_CREAT | O_EXCL, 0600, 0)
	    == SEM_FAILED);
	/* The value of an open of an existing one is ignored. */
	ATF_REQUIRE((b = sem_open("/t_a", O_CREAT, 0600, 7)) != SEM_FAILED);
	ATF_REQUIRE((c = sem_open("/t_a", 0)) != SEM_FAILED);
	RL(sem_wait(b));
	RL(sem_wait(c));
	ATF_REQUIRE_EQ(value_of(a), 0);
	ATF_REQUIRE_ERRNO(EAGAIN, sem_trywait(a) == -1);
	RL(sem_post(c));
	ATF_REQUIRE_EQ(value_of(b), 1);
	RL(sem_close(a));
	RL(sem_close(b));
	RL(sem_close(c));
	/* Closed by everyone, it is still there: the name keeps it. */
	ATF_REQUIRE((a = sem_open("/t_a", 0)) != SEM_FAILED);
	ATF_REQUIRE_EQ(value_of(a), 1);
	RL(sem_close(a));
	RL(sem_unlink("/t_a"));
	ATF_REQUIRE_ERRNO(ENOENT, sem_unlink("/t_a") == -1);
	ATF_REQUIRE_ERRNO(ENOENT, sem_open("/t_a", 0) == SEM_FAILED);
}

ATF_TC(names_checked);
ATF_TC_HEAD(names_checked, tc)
{
	atf_tc_set_md_var(tc, "descr", "a name is '/' and 1 to 13 more "
	    "characters, none a '/': longer is ENAMETOOLONG, the rest "
	    "EINVAL; unlink of a name that cannot exist is ENOENT");
}
ATF_TC_BODY(names_checked, tc)
{
	static const char *const names[] = { "/abcdefghijklm", NULL };
	sem_t *s;

	unlink_all(names);
	ATF_REQUIRE((s = sem_open("/abcdefghijklm", O_CREAT | O_EXCL, 0600,
	    0)) != SEM_FAILED);
	RL(sem_close(s));
	RL(sem_unlink("/abcdefghijklm"));
	ATF_REQUIRE_ERRNO(ENAMETOOLONG, sem_open("/abcdefghijklmn", O_CREAT,
	    0600, 0) == SEM_FAILED);
	ATF_REQUIRE_ERRNO(ENAMETOOLONG, sem_open("/abcdefghijklmn", 0) ==
	    SEM_FAILED);
	ATF_REQUIRE_ERRNO(EINVAL, sem_open("abc", O_CREAT, 0600, 0) ==
	    SEM_FAILED);
	ATF_REQUIRE_ERRNO(EINVAL, sem_open("/", O_CREAT, 0600, 0) ==
	    SEM_FAILED);
	ATF_REQUIRE_ERRNO(EINVAL, sem_open("/a/b", O_CREAT, 0600, 0) ==
	    SEM_FAILED);
	ATF_REQUIRE_ERRNO(ENOENT, sem_open("abc", 0) == SEM_FAILED);
	ATF_REQUIRE_ERRNO(ENOENT, sem_unlink("/abcdefghijklmn") == -1);
	ATF_REQUIRE_ERRNO(ENOENT, sem_unlink("abc") == -1);
}

ATF_TC(values_checked);
ATF_TC_HEAD(values_checked, tc)
{
	atf_tc_set_md_var(tc, "descr", "a value above SEM_VALUE_MAX is "
	    "EINVAL (and creates nothing); a post at SEM_VALUE_MAX is "
	    "EOVERFLOW");
}
ATF_TC_BODY(values_checked, tc)
{
	static const char *const names[] = { "/t_v", NULL };
	intptr_t id;
	sem_t *s;

	unlink_all(names);
	ATF_REQUIRE_ERRNO(EINVAL, sem_open("/t_v", O_CREAT, 0600,
	    SEM_VALUE_MAX + 1U) == SEM_FAILED);
	ATF_REQUIRE_ERRNO(ENOENT, sem_unlink("/t_v") == -1);
	ATF_REQUIRE_ERRNO(EINVAL, _ksem_init(SEM_VALUE_MAX + 1U, &id) == -1);
	ATF_REQUIRE((s = sem_open("/t_v", O_CREAT, 0600, SEM_VALUE_MAX)) !=
	    SEM_FAILED);
	ATF_REQUIRE_EQ(value_of(s), (int)SEM_VALUE_MAX);
	ATF_REQUIRE_ERRNO(EOVERFLOW, sem_post(s) == -1);
	RL(sem_trywait(s));
	RL(sem_post(s));
	RL(sem_close(s));
	RL(sem_unlink("/t_v"));
}

ATF_TC(bad_ids_and_kinds);
ATF_TC_HEAD(bad_ids_and_kinds, tc)
{
	atf_tc_set_md_var(tc, "descr", "an id that is no descriptor, or not "
	    "a semaphore's, is EINVAL (EBADF for _ksem_close of no "
	    "descriptor); close of an unnamed one and destroy of a named "
	    "one are EINVAL; no process-shared ones (EINVAL)");
}
ATF_TC_BODY(bad_ids_and_kinds, tc)
{
	static const char *const names[] = { "/t_k", NULL };
	intptr_t bad[] = { -1, 31, 32, 1000, INT_MAX + 1L, STDOUT_FILENO };
	intptr_t id, named;
	sem_t *s, u;
	int v;

	unlink_all(names);
	for (size_t i = 0; i < __arraycount(bad); i++) {
		ATF_CHECK_ERRNO(EINVAL, _ksem_post(bad[i]) == -1);
		ATF_CHECK_ERRNO(EINVAL, _ksem_wait(bad[i]) == -1);
		ATF_CHECK_ERRNO(EINVAL, _ksem_trywait(bad[i]) == -1);
		ATF_CHECK_ERRNO(EINVAL, _ksem_getvalue(bad[i], &v) == -1);
		ATF_CHECK_ERRNO(EINVAL, _ksem_destroy(bad[i]) == -1);
		ATF_CHECK_ERRNO(bad[i] == STDOUT_FILENO ? EINVAL : EBADF,
		    _ksem_close(bad[i]) == -1);
	}
	/* stdout is still open: the refused close left it alone. */
	RL(write(STDOUT_FILENO, "", 0));

	RL(_ksem_init(0, &id));
	RL(_ksem_open("/t_k", O_CREAT, 0600, 0, &named));
	ATF_REQUIRE_ERRNO(EINVAL, _ksem_close(id) == -1);
	ATF_REQUIRE_ERRNO(EINVAL, _ksem_destroy(named) == -1);
	RL(_ksem_destroy(id));
	ATF_REQUIRE_ERRNO(EINVAL, _ksem_post(id) == -1);
	RL(_ksem_close(named));
	ATF_REQUIRE_ERRNO(EBADF, _ksem_close(named) == -1);
	RL(_ksem_unlink("/t_k"));

	id = KSEM_PSHARED;
	ATF_REQUIRE_ERRNO(EINVAL, _ksem_init(0, &id) == -1);

	/* The same through <semaphore.h>. */
	ATF_REQUIRE((s = sem_open("/t_k", O_CREAT, 0600, 0)) != SEM_FAILED);
	ATF_REQUIRE_ERRNO(EINVAL, sem_destroy(s) == -1);
	RL(sem_init(&u, 0, 0));
	ATF_REQUIRE_ERRNO(EINVAL, sem_close(&u) == -1);
	RL(sem_destroy(&u));
	RL(sem_close(s));
	RL(sem_unlink("/t_k"));
}

ATF_TC(descriptor_calls);
ATF_TC_HEAD(descriptor_calls, tc)
{
	atf_tc_set_md_var(tc, "descr", "a semaphore's id is a descriptor: "
	    "read and write say EBADF, lseek ESPIPE; fstat shows its mode "
	    "and value; close(2) closes it");
}
ATF_TC_BODY(descriptor_calls, tc)
{
	struct stat st;
	intptr_t id;
	char c;

	RL(_ksem_init(3, &id));
	ATF_REQUIRE_ERRNO(EBADF, read((int)id, &c, 1) == -1);
	ATF_REQUIRE_ERRNO(EBADF, write((int)id, &c, 1) == -1);
	ATF_REQUIRE_ERRNO(ESPIPE, lseek((int)id, 0, SEEK_SET) == -1);
	RL(fstat((int)id, &st));
	ATF_CHECK(S_ISREG(st.st_mode));
	ATF_CHECK_EQ(st.st_size, 3);
	RL(close((int)id));
	ATF_REQUIRE_ERRNO(EINVAL, _ksem_post(id) == -1);

	RL(_ksem_open("/t_d", O_CREAT | O_EXCL, 0640, 1, &id));
	RL(_ksem_unlink("/t_d"));
	RL(fstat((int)id, &st));
	ATF_CHECK_EQ(st.st_mode & 0777, 0640);
	ATF_CHECK_EQ(st.st_size, 1);
	RL(_ksem_close(id));
}

static sem_t *wsem;
static volatile lwpid_t wlid;
static volatile int wdone, wrv = 99, werrno;

static void *
waiter(void *arg)
{
	const struct timespec *abstime = arg;
	int rv;

	wlid = _lwp_self();
	rv = abstime != NULL ? sem_timedwait(wsem, abstime) : sem_wait(wsem);
	werrno = rv == -1 ? errno : 0;
	wrv = rv;
	__atomic_store_n(&wdone, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Start waiter() on wsem and wait until it sleeps in the kernel. */
static pthread_t
start_waiter(const struct timespec *abstime)
{
	pthread_t t;

	wlid = 0;
	wdone = 0;
	wrv = 99;
	t = h_thread(waiter, (void *)(uintptr_t)abstime);
	while (wlid == 0)
		sched_yield();
	ATF_REQUIRE_MSG(h_lwp_wait_wmesg(wlid, "ksem"),
	    "the waiter never slept on the semaphore");
	return t;
}

ATF_TC(wait_sleeps_until_post);
ATF_TC_HEAD(wait_sleeps_until_post, tc)
{
	atf_tc_set_md_var(tc, "descr", "sem_wait on a named semaphore at 0 "
	    "sleeps in the kernel (\"ksem\") until a post, which it takes");
}
ATF_TC_BODY(wait_sleeps_until_post, tc)
{
	pthread_t t;

	wsem = h_sem_open_unlinked("/t_w", 0);
	t = start_waiter(NULL);
	ATF_REQUIRE_EQ(__atomic_load_n(&wdone, __ATOMIC_ACQUIRE), 0);
	RL(sem_post(wsem));
	h_join(t);
	ATF_REQUIRE_EQ(wrv, 0);
	ATF_REQUIRE_EQ(value_of(wsem), 0);
	RL(sem_close(wsem));
}

ATF_TC(timedwait);
ATF_TC_HEAD(timedwait, tc)
{
	atf_tc_set_md_var(tc, "descr", "sem_timedwait: a deadline past is "
	    "ETIMEDOUT at once unless there is a unit; a near one is "
	    "ETIMEDOUT, not before it; a bad time is EINVAL; a post before "
	    "the deadline is taken");
}
ATF_TC_BODY(timedwait, tc)
{
	struct timespec past = { 0, 1 }, ts;
	pthread_t t;

	wsem = h_sem_open_unlinked("/t_t", 0);
	ATF_REQUIRE_ERRNO(ETIMEDOUT, sem_timedwait(wsem, &past) == -1);
	RL(sem_post(wsem));
	RL(sem_timedwait(wsem, &past));
	ts = past;
	ts.tv_nsec = 1000000000;
	ATF_REQUIRE_ERRNO(EINVAL, sem_timedwait(wsem, &ts) == -1);
	ts.tv_nsec = -1;
	ATF_REQUIRE_ERRNO(EINVAL, sem_timedwait(wsem, &ts) == -1);
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	ATF_REQUIRE_ERRNO(EINVAL, sem_timedwait(wsem, &ts) == -1);

	ts = h_deadline(CLOCK_REALTIME, 50);
	ATF_REQUIRE_ERRNO(ETIMEDOUT, sem_timedwait(wsem, &ts) == -1);
	ATF_REQUIRE_MSG(h_now_ns(CLOCK_REALTIME) >=
	    ts.tv_sec * NS_PER_SEC + ts.tv_nsec, "timed out before the "
	    "deadline");

	ts = h_deadline(CLOCK_REALTIME, 3600 * 1000);
	t = start_waiter(&ts);
	RL(sem_post(wsem));
	h_join(t);
	ATF_REQUIRE_EQ(wrv, 0);
	RL(sem_close(wsem));
}

static volatile int nsig;

static void
on_usr1(int sig)
{
	nsig++;
}

ATF_TC(signal_interrupts_wait);
ATF_TC_HEAD(signal_interrupts_wait, tc)
{
	atf_tc_set_md_var(tc, "descr", "a signal whose handler has no "
	    "SA_RESTART ends a sem_wait with EINTR; with SA_RESTART the wait "
	    "goes on after the handler, until a post");
}
ATF_TC_BODY(signal_interrupts_wait, tc)
{
	pthread_t t;

	wsem = h_sem_open_unlinked("/t_s", 0);

	h_catch(SIGUSR1, on_usr1, 0);
	t = start_waiter(NULL);
	RZ(pthread_kill(t, SIGUSR1));
	h_join(t);
	ATF_REQUIRE_EQ(nsig, 1);
	ATF_REQUIRE_MSG(wrv == -1 && werrno == EINTR, "sem_wait: %d, %s",
	    wrv, strerror(werrno));

	h_catch(SIGUSR1, on_usr1, SA_RESTART);
	t = start_waiter(NULL);
	RZ(pthread_kill(t, SIGUSR1));
	while (nsig < 2)
		sched_yield();
	ATF_REQUIRE_MSG(h_lwp_wait_wmesg(wlid, "ksem"),
	    "the wait did not go on after the handler");
	ATF_REQUIRE_EQ(__atomic_load_n(&wdone, __ATOMIC_ACQUIRE), 0);
	RL(sem_post(wsem));
	h_join(t);
	ATF_REQUIRE_EQ(wrv, 0);
	RL(sem_close(wsem));
}

ATF_TC(unlink_while_open);
ATF_TC_HEAD(unlink_while_open, tc)
{
	atf_tc_set_md_var(tc, "descr", "unlink takes the name away at once; "
	    "the semaphore lives on for those that have it open, and the "
	    "name may be used for a new one");
}
ATF_TC_BODY(unlink_while_open, tc)
{
	sem_t *a, *b;

	a = h_sem_open_unlinked("/t_u", 2);
	ATF_REQUIRE_ERRNO(ENOENT, sem_open("/t_u", 0) == SEM_FAILED);
	RL(sem_trywait(a));
	ATF_REQUIRE((b = sem_open("/t_u", O_CREAT | O_EXCL, 0600, 5)) !=
	    SEM_FAILED);
	ATF_REQUIRE_EQ(value_of(a), 1);
	ATF_REQUIRE_EQ(value_of(b), 5);
	RL(sem_close(a));
	RL(sem_close(b));
	RL(sem_unlink("/t_u"));
}

ATF_TC(fork_shares);
ATF_TC_HEAD(fork_shares, tc)
{
	atf_tc_set_md_var(tc, "descr", "a child has its parent's semaphores: "
	    "a child waits and the parent posts; a child's close leaves the "
	    "parent's open");
}
ATF_TC_BODY(fork_shares, tc)
{
	pid_t pid;
	int st;

	wsem = h_sem_open_unlinked("/t_f", 0);
	RL(pid = fork());
	if (pid == 0) {
		if (sem_wait(wsem) != 0 || sem_close(wsem) != 0)
			_exit(1);
		_exit(0);
	}
	/* Posted before or after the child sleeps: either way it takes
	 * it. */
	RL(sem_post(wsem));
	RL(waitpid(pid, &st, 0));
	CHECK_EXIT(st, 0, "the child took the post and closed its copy");
	ATF_REQUIRE_EQ(value_of(wsem), 0);
	RL(sem_post(wsem));
	ATF_REQUIRE_EQ(value_of(wsem), 1);
	RL(sem_close(wsem));
}

ATF_TC(exec_closes);
ATF_TC_HEAD(exec_closes, tc)
{
	atf_tc_set_md_var(tc, "descr", "exec closes a process's semaphores "
	    "(POSIX): their descriptors are gone in the new program");
}
ATF_TC_BODY(exec_closes, tc)
{
	char fdarg[16];
	intptr_t id, named;
	pid_t pid;
	int st;

	RL(_ksem_init(1, &id));
	RL(_ksem_open("/t_e", O_CREAT, 0600, 0, &named));
	RL(_ksem_unlink("/t_e"));
	snprintf(fdarg, sizeof(fdarg), "%ld", (long)id);
	RL(pid = fork());
	if (pid == 0) {
		char nfd[16], *av[] = { "t_sem_named", "-fstat", fdarg, nfd,
		    NULL }, *ev[] = { NULL };

		snprintf(nfd, sizeof(nfd), "%ld", (long)named);
		execve(SELF, av, ev);
		_exit(100 + errno);
	}
	RL(waitpid(pid, &st, 0));
	CHECK_EXIT(st, 0, "after exec, fstat of both ids said EBADF");
	RL(_ksem_destroy(id));
	RL(_ksem_close(named));
}

/* The exec'ed helper: every descriptor named must be closed. */
static int
helper_fstat(int argc, char **argv)
{
	struct stat st;

	for (int i = 2; i < argc; i++)
		if (fstat(atoi(argv[i]), &st) != -1 || errno != EBADF)
			return 1;
	return 0;
}

/* Fill the table with named semaphores that only their names keep
 * (open, close, keep the name) until ENFILE: how many it took.  names
 * gets room for KSEM_MAX names. */
static int
fill_table(char names[][16])
{
	intptr_t id;
	int n;

	for (n = 0; n <= KSEM_MAX; n++) {
		snprintf(names[n], 16, "/t_lim%d", n);
		(void)_ksem_unlink(names[n]);
		if (_ksem_open(names[n], O_CREAT | O_EXCL, 0600, 0, &id) == -1)
			break;
		RL(_ksem_close(id));
	}
	ATF_REQUIRE_MSG(n <= KSEM_MAX && errno == ENFILE, "the %dth "
	    "semaphore: %s (KSEM_MAX %d)", n + 1, strerror(errno), KSEM_MAX);
	return n;
}

static void
empty_table(char names[][16], int n)
{
	for (int i = 0; i < n; i++)
		RL(_ksem_unlink(names[i]));
}

ATF_TC(table_limit);
ATF_TC_HEAD(table_limit, tc)
{
	atf_tc_set_md_var(tc, "descr", "at most KSEM_MAX semaphores are alive "
	    "in the whole system: the next sem_open or _ksem_init is ENFILE; "
	    "unlinking gives them all back");
}
ATF_TC_BODY(table_limit, tc)
{
	static char names[KSEM_MAX + 1][16];
	intptr_t id;
	int n, n2;

	if (getenv("LWPKERN_SOAK") != NULL)	/* (the fuzzer makes some) */
		atf_tc_skip("the semaphore table is the whole machine's, and "
		    "other workloads run (LWPKERN_SOAK)");
	n = fill_table(names);
	ATF_REQUIRE_MSG(n > 0, "no semaphore could be made at all");
	ATF_REQUIRE_ERRNO(ENFILE, _ksem_init(0, &id) == -1);
	ATF_REQUIRE_ERRNO(ENFILE, sem_open("/t_lim_x", O_CREAT, 0600, 0) ==
	    SEM_FAILED);
	/* An existing one may still be opened. */
	RL(_ksem_open(names[0], 0, 0, 0, &id));
	RL(_ksem_close(id));
	empty_table(names, n);
	n2 = fill_table(names);
	empty_table(names, n2);
	ATF_REQUIRE_EQ_MSG(n2, n, "%d semaphores the first time, %d the "
	    "second", n, n2);
}

/* A child that dies holding semaphores: two named ones (unlinked, so
 * that only its descriptors keep them), two unnamed ones, a thread
 * asleep in sem_wait on one; it then sleeps on another itself, or
 * exits at once (how == 1). */
static void
holder(int how)
{
	intptr_t u1, u2;
	pthread_t t;
	sem_t *s2;

	if ((wsem = sem_open("/t_x1", O_CREAT, 0600, 0)) == SEM_FAILED ||
	    (s2 = sem_open("/t_x2", O_CREAT, 0600, 0)) == SEM_FAILED ||
	    sem_unlink("/t_x1") != 0 || sem_unlink("/t_x2") != 0 ||
	    _ksem_init(0, &u1) != 0 || _ksem_init(1, &u2) != 0)
		_exit(2);
	t = start_waiter(NULL);
	(void)t;
	if (how == 1)
		_exit(0);
	(void)sem_wait(s2);
	_exit(3);
}

ATF_TC(exit_frees_semaphores);
ATF_TC_HEAD(exit_frees_semaphores, tc)
{
	atf_tc_set_md_var(tc, "descr", "a process that exits, or is killed "
	    "while its LWPs sleep on its semaphores, leaves no semaphore and "
	    "no kernel memory behind (kern.memstat)");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(exit_frees_semaphores, tc)
{
	static char names[KSEM_MAX + 1][16];
	struct kinfo_mem before, after;
	pid_t pid;
	int n, st;

	(void)sem_unlink("/t_x1");
	(void)sem_unlink("/t_x2");
	n = fill_table(names);
	empty_table(names, n);
	for (int round = 0; round < 3; round++) {
		before = h_memstat();
		RL(pid = fork());
		if (pid == 0)
			holder(round == 1);
		if (round != 1) {
			/* Killed asleep: wait until both of its LWPs are. */
			struct kinfo_lwp *kl;
			size_t nl;
			int asleep = 0;

			for (int i = 0; i < 500 && asleep < 2; i++) {
				usleep(10000);
				if ((kl = kinfo_getproclwps(pid, &nl)) == NULL)
					continue;
				asleep = 0;
				for (size_t j = 0; j < nl; j++)
					asleep += kl[j].l_pid == pid &&
					    kl[j].l_stat == LSSLEEP &&
					    strcmp(kl[j].l_wmesg, "ksem") == 0;
				free(kl);
			}
			ATF_REQUIRE_EQ_MSG(asleep, 2, "the child's LWPs asleep "
			    "on its semaphores: %d of 2", asleep);
			RL(kill(pid, SIGKILL));
		}
		RL(waitpid(pid, &st, 0));
		if (round == 1)
			CHECK_EXIT(st, 0, "the holder exited holding them");
		else
			ATF_REQUIRE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
		after = h_memstat();
		ATF_CHECK_EQ_MSG(after.km_kmem_inuse, before.km_kmem_inuse,
		    "round %d: kmem in use %lu before, %lu after", round,
		    (unsigned long)before.km_kmem_inuse,
		    (unsigned long)after.km_kmem_inuse);
		ATF_REQUIRE_EQ_MSG(fill_table(names), n, "round %d: fewer "
		    "semaphores to be had after the holder died", round);
		empty_table(names, n);
	}
}

ATF_TP_HELPER(argc, argv)
{
	if (argc >= 2 && strcmp(argv[1], "-fstat") == 0)
		return helper_fstat(argc, argv);
	return -1;
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, create_exclusive_and_open);
	ATF_TP_ADD_TC(tp, names_checked);
	ATF_TP_ADD_TC(tp, values_checked);
	ATF_TP_ADD_TC(tp, bad_ids_and_kinds);
	ATF_TP_ADD_TC(tp, descriptor_calls);
	ATF_TP_ADD_TC(tp, wait_sleeps_until_post);
	ATF_TP_ADD_TC(tp, timedwait);
	ATF_TP_ADD_TC(tp, signal_interrupts_wait);
	ATF_TP_ADD_TC(tp, unlink_while_open);
	ATF_TP_ADD_TC(tp, fork_shares);
	ATF_TP_ADD_TC(tp, exec_closes);
	ATF_TP_ADD_TC(tp, table_limit);
	ATF_TP_ADD_TC(tp, exit_frees_semaphores);
	return atf_no_error();
}

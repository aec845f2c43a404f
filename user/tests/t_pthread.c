/*
 * t_pthread: POSIX threads (user/lib/libpthread): the life of a thread,
 * once, keys, attributes, names, affinity, per-thread errno.
 *
 * Covered:
 *   - create/join: the argument in, the value out (return and
 *     pthread_exit); many threads at once; self and equal; each thread
 *     its own LWP; a joined thread's LWP is gone; EDEADLK joining
 *     oneself; EINVAL joining a detached thread or one already being
 *     joined; ESRCH for a thread already joined; EAGAIN at the
 *     kernel's limit of LWPs, and creating works again after joins;
 *   - handles are looked up: a bogus one (unmapped, zeroed memory) or
 *     a stale one (joined; detached and gone) is ESRCH for every call
 *     that takes a pthread_t, never a fault;
 *   - detach: by attribute and by pthread_detach (before and after the
 *     thread ended); many detached threads come and go without the
 *     process's LWPs piling up (their stacks are reused); EINVAL twice;
 *   - the first thread calling pthread_exit: the others go on, and the
 *     last one's exit ends the process with status 0, stdio flushed;
 *   - stack size: a thread uses most of a 1 MiB stack; EINVAL below
 *     PTHREAD_STACK_MIN; the guard page below the stack faults;
 *   - once: many threads race, the routine runs once, all see it done;
 *   - keys: values per thread, destructors with each thread's value,
 *     run again for values they set (up to the iteration limit), not
 *     for NULL; a new key starts NULL everywhere; EAGAIN when all are
 *     taken; EINVAL deleting twice;
 *   - names: set with a format, got back, seen by kern.lwp (15 chars);
 *     EINVAL for too long; set in the attributes, a new thread's from
 *     its start (attr_setname_np/getname_np);
 *   - affinity: a thread pinned to each CPU in turn runs there (its
 *     lwpctl lc_curcpu), get returns the set;
 *   - errno is per thread: threads failing different calls at the
 *     same time each see their own error;
 *   - fork: the child of a process with threads can create threads.
 */
#include <sys/lwpctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <signal.h>

#include "h_pthread.h"

/* ---- create, join, exit --------------------------------------------------- */

static void *
add_one(void *arg)
{
	return (void *)((uintptr_t)arg + 1);
}

static void *
exit_early(void *arg)
{
	pthread_exit((void *)((uintptr_t)arg * 2));
}

ATF_TC(create_join);
ATF_TC_HEAD(create_join, tc)
{
	atf_tc_set_md_var(tc, "descr", "pthread_create passes the argument, "
	    "pthread_join returns what the thread returned or gave "
	    "pthread_exit; a joined thread's LWP is gone; ESRCH after");
}
ATF_TC_BODY(create_join, tc)
{
	pthread_t t;
	void *v;

	t = h_thread(add_one, (void *)41);
	RZ(pthread_join(t, &v));
	ATF_REQUIRE_EQ((uintptr_t)v, 42);
	t = h_thread(exit_early, (void *)21);
	RZ(pthread_join(t, &v));
	ATF_REQUIRE_EQ((uintptr_t)v, 42);
	RZ(pthread_join(h_thread(add_one, NULL), NULL));
	ATF_REQUIRE_EQ(h_lwp_count(), 1);
	ATF_REQUIRE_EQ(pthread_join(t, NULL), ESRCH);
}

#define NMANY	40

static volatile int many_go;

static void *
many_body(void *arg)
{
	struct { pthread_t self; lwpid_t lid; } *me = arg;

	me->self = pthread_self();
	me->lid = _lwp_self();
	while (!__atomic_load_n(&many_go, __ATOMIC_ACQUIRE))
		sched_yield();
	return arg;
}

ATF_TC(many);
ATF_TC_HEAD(many, tc)
{
	atf_tc_set_md_var(tc, "descr", "%d threads alive at once, each its "
	    "own LWP; pthread_self is the id create gave; equal", NMANY);
}
ATF_TC_BODY(many, tc)
{
	static struct { pthread_t self; lwpid_t lid; } me[NMANY];
	pthread_t t[NMANY];

	many_go = 0;
	for (int i = 0; i < NMANY; i++)
		t[i] = h_thread(many_body, &me[i]);
	ATF_REQUIRE(h_lwp_count() == NMANY + 1);
	__atomic_store_n(&many_go, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < NMANY; i++) {
		ATF_REQUIRE(h_join(t[i]) == &me[i]);
		ATF_REQUIRE(pthread_equal(me[i].self, t[i]));
		ATF_REQUIRE(!pthread_equal(me[i].self, pthread_self()));
		ATF_REQUIRE(me[i].lid != _lwp_self());
		for (int j = 0; j < i; j++)
			ATF_REQUIRE(me[i].lid != me[j].lid);
	}
	ATF_REQUIRE(pthread_equal(pthread_self(), pthread_self()));
	ATF_REQUIRE_EQ(h_lwp_count(), 1);
}

static pthread_t joinee;
static volatile lwpid_t joiner_lid;

static void *
join_joinee(void *arg)
{
	__atomic_store_n(&joiner_lid, _lwp_self(), __ATOMIC_RELEASE);
	return (void *)(intptr_t)pthread_join(joinee, NULL);
}

static void *
wait_flag(void *arg)
{
	ATF_REQUIRE(h_until(arg, 1));
	return NULL;
}

ATF_TC(join_errors);
ATF_TC_HEAD(join_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "pthread_join: EDEADLK on oneself, "
	    "EINVAL for a detached thread and for one another thread is "
	    "joining");
}
ATF_TC_BODY(join_errors, tc)
{
	static volatile int flag;
	pthread_attr_t a;
	pthread_t t, j;

	ATF_REQUIRE_EQ(pthread_join(pthread_self(), NULL), EDEADLK);

	flag = 0;
	RZ(pthread_attr_init(&a));
	RZ(pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED));
	RZ(pthread_create(&t, &a, wait_flag, (void *)&flag));
	ATF_REQUIRE_EQ(pthread_join(t, NULL), EINVAL);
	flag = 1;

	flag = 0;
	joinee = h_thread(wait_flag, (void *)&flag);
	joiner_lid = 0;
	j = h_thread(join_joinee, NULL);
	/* Once the joiner's LWP sleeps in _lwp_wait, a second join is
	 * refused. */
	for (int i = 0; joiner_lid == 0 || !h_lwp_sleeps(joiner_lid,
	    "lwpwait"); i++) {
		ATF_REQUIRE_MSG(i < 1000, "the joiner never waits");
		h_sleep_ms(5);
	}
	ATF_REQUIRE_EQ(pthread_join(joinee, NULL), EINVAL);
	flag = 1;
	ATF_REQUIRE_EQ((intptr_t)h_join(j), 0);
	RZ(pthread_attr_destroy(&a));
}

static volatile lwpid_t returned_lid;

static void *
return_arg(void *arg)
{
	returned_lid = _lwp_self();
	return arg;
}

/* Every call that takes a pthread_t, on handle t: all must say ESRCH. */
static void
check_no_such_thread(pthread_t t, const char *what)
{
	char name[32];

	ATF_CHECK_EQ_MSG(pthread_join(t, NULL), ESRCH, "join %s", what);
	ATF_CHECK_EQ_MSG(pthread_detach(t), ESRCH, "detach %s", what);
	ATF_CHECK_EQ_MSG(pthread_kill(t, 0), ESRCH, "kill %s", what);
	ATF_CHECK_EQ_MSG(pthread_getname_np(t, name, sizeof(name)), ESRCH,
	    "getname %s", what);
	ATF_CHECK_EQ_MSG(pthread_setname_np(t, "x", NULL), ESRCH,
	    "setname %s", what);
	ATF_CHECK_EQ_MSG(pthread_getaffinity_np(t, cpuset_size(h_cpuset_of(0)),
	    h_cpuset_of(0)), ESRCH, "getaffinity %s", what);
}

ATF_TC(bogus_handles);
ATF_TC_HEAD(bogus_handles, tc)
{
	atf_tc_set_md_var(tc, "descr", "a handle that names no thread "
	    "(unmapped, zeroed memory, joined, detached and gone) is ESRCH "
	    "for join, detach, kill, names and affinity, never a fault; an "
	    "exited, unjoined thread is still found");
}
ATF_TC_BODY(bogus_handles, tc)
{
	static volatile int flag;
	void *page, *zeroed, *v;
	pthread_attr_t a;
	char name[32];
	pthread_t t;

	/* Memory that is not there: reading through it would fault. */
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE,
	    -1, 0);
	ATF_REQUIRE(page != MAP_FAILED);
	RL(munmap(page, 4096));
	check_no_such_thread((pthread_t)page, "on an unmapped page");
	check_no_such_thread((pthread_t)(uintptr_t)16, "at address 16");
	zeroed = calloc(1, 4096);
	ATF_REQUIRE(zeroed != NULL);
	check_no_such_thread((pthread_t)zeroed, "on zeroed memory");
	free(zeroed);

	/* Exited but not joined: still there, until joined. */
	returned_lid = 0;
	RZ(pthread_create(&t, NULL, return_arg, (void *)&flag));
	RZ(pthread_setname_np(t, "zombie", NULL));
	for (int i = 0; returned_lid == 0; i++) {
		ATF_REQUIRE_MSG(i < 2000, "the thread never ran");
		h_sleep_ms(5);
	}
	ATF_REQUIRE(h_lwp_wait_exited(returned_lid));
	RZ(pthread_getname_np(t, name, sizeof(name)));
	RZ(pthread_join(t, &v));
	ATF_CHECK(v == (void *)&flag);
	check_no_such_thread(t, "joined");

	/* Detached, then gone. */
	flag = 0;
	RZ(pthread_attr_init(&a));
	RZ(pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED));
	RZ(pthread_create(&t, &a, wait_flag, (void *)&flag));
	RZ(pthread_getname_np(t, name, sizeof(name)));
	flag = 1;
	for (int i = 0; pthread_kill(t, 0) != ESRCH; i++) {
		ATF_REQUIRE_MSG(i < 2000, "the detached thread never went");
		h_sleep_ms(5);
	}
	check_no_such_thread(t, "detached and gone");
	RZ(pthread_attr_destroy(&a));
}

#define MAXLWP	256		/* kern.maxlwp, for the limit case */

static pthread_mutex_t limit_m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t limit_c = PTHREAD_COND_INITIALIZER;
static int limit_go;

/* (Waits without a timeout: hundreds of LWPs in timed sleeps at once
 * make the kernel deadlock, see docs/pthread.md.) */
static void *
wait_limit(void *arg)
{
	RZ(pthread_mutex_lock(&limit_m));
	while (!limit_go)
		RZ(pthread_cond_wait(&limit_c, &limit_m));
	RZ(pthread_mutex_unlock(&limit_m));
	return arg;
}

/*
 * The limit case's child, with kern.maxlwp at MAXLWP: exits 0 if
 * MAXLWP - 1 threads could be made (the main one is the first), then
 * EAGAIN, twice, and all could be joined and one more made; 1: an
 * error other than EAGAIN; 2: another count; 3: no second EAGAIN; 4: a
 * join went wrong; 5: no thread after the joins.
 */
static void
limit_child(void)
{
	static pthread_t t[MAXLWP + 10];
	int n, error = 0;
	void *r;

	limit_go = 0;
	for (n = 0; n < MAXLWP + 10; n++)
		if ((error = pthread_create(&t[n], NULL, wait_limit,
		    (void *)(intptr_t)n)) != 0)
			break;
	if (error != EAGAIN)
		_exit(1);
	if (n != MAXLWP - 1)
		_exit(2);
	if (pthread_create(&t[n], NULL, wait_limit, NULL) != EAGAIN)
		_exit(3);
	pthread_mutex_lock(&limit_m);
	limit_go = 1;
	pthread_cond_broadcast(&limit_c);
	pthread_mutex_unlock(&limit_m);
	for (int i = 0; i < n; i++)
		if (pthread_join(t[i], &r) != 0 || (intptr_t)r != i)
			_exit(4);
	if (pthread_create(&t[0], NULL, wait_limit, (void *)42) != 0 ||
	    pthread_join(t[0], &r) != 0 || (intptr_t)r != 42)
		_exit(5);
	_exit(0);
}

ATF_TC(limit);
ATF_TC_HEAD(limit, tc)
{
	atf_tc_set_md_var(tc, "descr", "pthread_create says EAGAIN at the "
	    "kernel's LWPs per process (kern.maxlwp, %d here), and works "
	    "again once threads are joined", MAXLWP);
}
ATF_TC_BODY(limit, tc)
{
	int st = h_in_child_maxlwp(MAXLWP, limit_child);

	CHECK_EXIT(st, 0, "EAGAIN at kern.maxlwp, then threads again after "
	    "the joins (exit 1: another error; 2: another count; 3: no "
	    "second EAGAIN; 4: a join failed; 5: no thread after)");
}

/* ---- detach ------------------------------------------------------------------ */

static volatile int detached_done;

static void *
detached_body(void *arg)
{
	__atomic_add_fetch(&detached_done, 1, __ATOMIC_ACQ_REL);
	return NULL;
}

ATF_TC(detach);
ATF_TC_HEAD(detach, tc)
{
	atf_tc_set_md_var(tc, "descr", "detached threads (by attribute, by "
	    "pthread_detach before and after they end) go away by "
	    "themselves; 300 in a row do not pile up; EINVAL twice");
}
ATF_TC_BODY(detach, tc)
{
	static volatile int flag;
	pthread_attr_t a;
	pthread_t t;
	int n, st;

	RZ(pthread_attr_init(&a));
	RZ(pthread_attr_getdetachstate(&a, &st));
	ATF_REQUIRE_EQ(st, PTHREAD_CREATE_JOINABLE);
	ATF_REQUIRE_EQ(pthread_attr_setdetachstate(&a, 42), EINVAL);
	RZ(pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED));
	RZ(pthread_attr_getdetachstate(&a, &st));
	ATF_REQUIRE_EQ(st, PTHREAD_CREATE_DETACHED);

	/* 300 in a row, never more than a few alive. */
	detached_done = 0;
	for (n = 0; n < 300; n++) {
		RZ(pthread_create(&t, &a, detached_body, NULL));
		if (n % 8 == 7)
			while (__atomic_load_n(&detached_done,
			    __ATOMIC_ACQUIRE) < n - 4)
				sched_yield();
	}
	ATF_REQUIRE(h_until(&detached_done, n));

	/* Detached while running, then it ends. */
	flag = 0;
	t = h_thread(wait_flag, (void *)&flag);
	RZ(pthread_detach(t));
	ATF_REQUIRE_EQ(pthread_detach(t), EINVAL);
	flag = 1;

	/* Detached after it ended (a zombie LWP until then). */
	detached_done = 0;
	t = h_thread(detached_body, NULL);
	ATF_REQUIRE(h_until(&detached_done, 1));
	h_sleep_ms(20);
	RZ(pthread_detach(t));

	/* Only we are left, soon (a detached LWP may linger a moment as
	 * a zombie, until the kernel frees it). */
	for (n = 0; n < 500 && h_lwp_count() > 2; n++)
		h_sleep_ms(10);
	ATF_REQUIRE(h_lwp_count() <= 2);
	RZ(pthread_attr_destroy(&a));
}

/* ---- the first thread exits, the last one ends the process ---------------- */

static void *
last_thread(void *arg)
{
	h_sleep_ms(50);
	printf("last_thread: still here\n");	/* flushed by the exit */
	atf_tc_pass();				/* the case's verdict */
}

ATF_TC(main_exits);
ATF_TC_HEAD(main_exits, tc)
{
	atf_tc_set_md_var(tc, "descr", "the first thread's pthread_exit "
	    "leaves the others running; the last one's pthread_exit makes "
	    "the process exit 0, flushing stdio");
}
ATF_TC_BODY(main_exits, tc)
{
	pid_t pid;
	int st;

	/* A child of our own, to see its exit status. */
	RL(pid = fork());
	if (pid == 0) {
		pthread_t t;

		if (pthread_create(&t, NULL, exit_early, NULL) != 0)
			_exit(10);
		printf("main_exits child: ");	/* no newline: buffered */
		pthread_exit(NULL);
	}
	RL(waitpid(pid, &st, 0));
	ATF_REQUIRE_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x",
	    st);
	/* And in this process: the verdict comes from the other thread. */
	(void)h_thread(last_thread, NULL);
	pthread_exit(NULL);
}

/* ---- stacks -------------------------------------------------------------------- */

/* Touch n bytes of stack, recursively (so the compiler keeps it). */
static int __noinline
deep(int n)
{
	volatile char buf[4000];

	buf[0] = (char)n;
	buf[sizeof(buf) - 1] = (char)n;
	if (n <= (int)sizeof(buf))
		return buf[0];
	return deep(n - (int)sizeof(buf)) + buf[sizeof(buf) - 1] - buf[0] +
	    (n & 1);
}

static void *
use_stack(void *arg)
{
	(void)deep((int)(uintptr_t)arg);
	return NULL;
}

static void *
overflow(void *arg)
{
	(void)deep(1 << 30);
	return NULL;
}

ATF_TC(stacksize);
ATF_TC_HEAD(stacksize, tc)
{
	atf_tc_set_md_var(tc, "descr", "a thread can use most of a 1 MiB "
	    "stack it asked for; EINVAL below PTHREAD_STACK_MIN; running "
	    "off the stack faults (the guard page)");
}
ATF_TC_BODY(stacksize, tc)
{
	pthread_attr_t a;
	pthread_t t;
	size_t sz;
	pid_t pid;
	int st;

	RZ(pthread_attr_init(&a));
	RZ(pthread_attr_getstacksize(&a, &sz));
	ATF_REQUIRE(sz >= PTHREAD_STACK_MIN);
	ATF_REQUIRE_EQ(pthread_attr_setstacksize(&a, PTHREAD_STACK_MIN - 1),
	    EINVAL);
	RZ(pthread_attr_setstacksize(&a, 1 << 20));
	RZ(pthread_attr_getstacksize(&a, &sz));
	ATF_REQUIRE_EQ(sz, 1 << 20);
	RZ(pthread_create(&t, &a, use_stack, (void *)(uintptr_t)(900 << 10)));
	RZ(pthread_join(t, NULL));
	/* A small one too (and the default one, reused). */
	RZ(pthread_attr_setstacksize(&a, PTHREAD_STACK_MIN));
	RZ(pthread_create(&t, &a, use_stack, (void *)(uintptr_t)8000));
	RZ(pthread_join(t, NULL));
	RZ(pthread_join(h_thread(use_stack, (void *)(uintptr_t)100000), NULL));

	RL(pid = fork());
	if (pid == 0) {
		RZ(pthread_create(&t, &a, overflow, NULL));
		pthread_join(t, NULL);
		_exit(0);
	}
	RL(waitpid(pid, &st, 0));
	ATF_REQUIRE_MSG(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
	    "status %#x", st);
	RZ(pthread_attr_destroy(&a));
}

/* ---- once ---------------------------------------------------------------------------- */

#define NONCE	8

static pthread_once_t once = PTHREAD_ONCE_INIT;
static volatile int once_runs, once_go;

static void
once_fn(void)
{
	h_sleep_ms(20);			/* let the others pile up */
	__atomic_add_fetch(&once_runs, 1, __ATOMIC_RELAXED);
}

static void *
once_body(void *arg)
{
	while (!__atomic_load_n(&once_go, __ATOMIC_ACQUIRE))
		sched_yield();
	RZ(pthread_once(&once, once_fn));
	return (void *)(intptr_t)__atomic_load_n(&once_runs,
	    __ATOMIC_RELAXED);
}

ATF_TC(once);
ATF_TC_HEAD(once, tc)
{
	atf_tc_set_md_var(tc, "descr", "pthread_once: %d threads race, the "
	    "routine runs once and each returns after it ran", NONCE);
}
ATF_TC_BODY(once, tc)
{
	pthread_t t[NONCE];

	for (int i = 0; i < NONCE; i++)
		t[i] = h_thread(once_body, NULL);
	__atomic_store_n(&once_go, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < NONCE; i++)
		ATF_REQUIRE_EQ((intptr_t)h_join(t[i]), 1);
	RZ(pthread_once(&once, once_fn));
	ATF_REQUIRE_EQ(once_runs, 1);
}

/* ---- keys ---------------------------------------------------------------------------- */

static pthread_key_t key1, key2;
static volatile int dtor_sum, dtor_calls, dtor_again;

static void
dtor1(void *v)
{
	__atomic_add_fetch(&dtor_sum, (int)(intptr_t)v, __ATOMIC_RELAXED);
	__atomic_add_fetch(&dtor_calls, 1, __ATOMIC_RELAXED);
}

/* Sets its value again twice: called three times per thread. */
static void
dtor2(void *v)
{
	__atomic_add_fetch(&dtor_calls, 1, __ATOMIC_RELAXED);
	if ((intptr_t)v < 3) {
		__atomic_add_fetch(&dtor_again, 1, __ATOMIC_RELAXED);
		RZ(pthread_setspecific(key2, (void *)((intptr_t)v + 1)));
	}
}

static void *
key_body(void *arg)
{
	intptr_t me = (intptr_t)arg;

	ATF_REQUIRE(pthread_getspecific(key1) == NULL);
	RZ(pthread_setspecific(key1, (void *)me));
	RZ(pthread_setspecific(key2, (void *)1));
	for (int i = 0; i < 100; i++) {
		ATF_REQUIRE_EQ((intptr_t)pthread_getspecific(key1), me);
		sched_yield();
	}
	return NULL;
}

static void *
key_null(void *arg)
{
	RZ(pthread_setspecific(key1, (void *)5));
	RZ(pthread_setspecific(key1, NULL));	/* no destructor call */
	return NULL;
}

ATF_TC(keys);
ATF_TC_HEAD(keys, tc)
{
	atf_tc_set_md_var(tc, "descr", "thread-specific data: a value per "
	    "thread; destructors get each thread's value, again while they "
	    "set new ones, never NULL; new keys start NULL; EAGAIN when all "
	    "%d are taken; EINVAL deleting twice", PTHREAD_KEYS_MAX);
}
ATF_TC_BODY(keys, tc)
{
	static pthread_key_t all[PTHREAD_KEYS_MAX];
	pthread_t t[4];
	pthread_key_t k;
	int n;

	RZ(pthread_key_create(&key1, dtor1));
	RZ(pthread_key_create(&key2, dtor2));
	ATF_REQUIRE(key1 != key2);
	RZ(pthread_setspecific(key1, (void *)1000));
	for (int i = 0; i < 4; i++)
		t[i] = h_thread(key_body, (void *)(intptr_t)(i + 1));
	for (int i = 0; i < 4; i++)
		h_join(t[i]);
	ATF_REQUIRE_EQ(dtor_sum, 1 + 2 + 3 + 4);
	/* 4 x dtor1, 4 x 3 x dtor2 */
	ATF_REQUIRE_EQ(dtor_calls, 4 + 12);
	ATF_REQUIRE_EQ(dtor_again, 8);
	ATF_REQUIRE_EQ((intptr_t)pthread_getspecific(key1), 1000);

	dtor_calls = 0;
	h_join(h_thread(key_null, NULL));
	ATF_REQUIRE_EQ(dtor_calls, 0);

	/* Deleted and made again: NULL, here too. */
	RZ(pthread_key_delete(key1));
	ATF_REQUIRE_EQ(pthread_key_delete(key1), EINVAL);
	RZ(pthread_key_create(&k, NULL));
	ATF_REQUIRE(pthread_getspecific(k) == NULL);
	RZ(pthread_key_delete(k));
	RZ(pthread_key_delete(key2));

	for (n = 0; n < PTHREAD_KEYS_MAX; n++)
		if (pthread_key_create(&all[n], NULL) != 0)
			break;
	ATF_REQUIRE_EQ(n, PTHREAD_KEYS_MAX);
	ATF_REQUIRE_EQ(pthread_key_create(&k, NULL), EAGAIN);
	ATF_REQUIRE_EQ(pthread_setspecific(PTHREAD_KEYS_MAX, NULL), EINVAL);
	for (n = 0; n < PTHREAD_KEYS_MAX; n++)
		RZ(pthread_key_delete(all[n]));
}

/* ---- names ----------------------------------------------------------------------------- */

static void *
lid_of(void *arg)
{
	*(volatile lwpid_t *)arg = _lwp_self();
	ATF_REQUIRE(h_until((volatile int *)arg + 1, 1));
	return NULL;
}

ATF_TC(names);
ATF_TC_HEAD(names, tc)
{
	atf_tc_set_md_var(tc, "descr", "pthread_setname_np (a format and an "
	    "argument) / getname_np, for ourselves and another thread; the "
	    "kernel's copy (kern.lwp) keeps 15 characters; EINVAL if too "
	    "long for PTHREAD_MAX_NAMELEN_NP");
}
ATF_TC_BODY(names, tc)
{
	static volatile int arg[2];
	char buf[PTHREAD_MAX_NAMELEN_NP], big[64];
	struct kinfo_lwp kl;
	pthread_t t;

	RZ(pthread_getname_np(pthread_self(), buf, sizeof(buf)));
	ATF_REQUIRE_STREQ(buf, "");
	RZ(pthread_setname_np(pthread_self(), "main-%s", (void *)"thread"));
	RZ(pthread_getname_np(pthread_self(), buf, sizeof(buf)));
	ATF_REQUIRE_STREQ(buf, "main-thread");
	ATF_REQUIRE(h_lwp_info(_lwp_self(), &kl));
	ATF_REQUIRE_STREQ(kl.l_name, "main-thread");

	arg[0] = arg[1] = 0;
	t = h_thread(lid_of, (void *)arg);
	while (__atomic_load_n(&arg[0], __ATOMIC_ACQUIRE) == 0)
		sched_yield();
	RZ(pthread_setname_np(t, "worker %p-and-a-long-tail", (void *)0x42));
	RZ(pthread_getname_np(t, buf, sizeof(buf)));
	ATF_REQUIRE_STREQ(buf, "worker 0x42-and-a-long-tail");
	ATF_REQUIRE(h_lwp_info(arg[0], &kl));
	ATF_REQUIRE_STREQ(kl.l_name, "worker 0x42-and");

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ATF_REQUIRE_EQ(pthread_setname_np(t, "%s", big), EINVAL);
	arg[1] = 1;
	h_join(t);
}

static void *
own_name(void *arg)
{
	static char buf[PTHREAD_MAX_NAMELEN_NP];
	struct kinfo_lwp kl;

	RZ(pthread_getname_np(pthread_self(), buf, sizeof(buf)));
	/* The kernel's copy too, set before the thread's own code. */
	if (!h_lwp_info(_lwp_self(), &kl) || strcmp(kl.l_name, buf) != 0)
		return NULL;
	return buf;
}

/* Our attributes as pthread_attr_get_np gives them, as a string. */
static void *
get_own_attr(void *arg)
{
	static char buf[64];
	char name[PTHREAD_MAX_NAMELEN_NP];
	pthread_attr_t a;
	size_t size;
	int state;

	if (pthread_attr_get_np(pthread_self(), &a) != 0 ||
	    pthread_attr_getname_np(&a, name, sizeof(name), NULL) != 0 ||
	    pthread_attr_getstacksize(&a, &size) != 0 ||
	    pthread_attr_getdetachstate(&a, &state) != 0 ||
	    pthread_attr_destroy(&a) != 0)
		return NULL;
	snprintf(buf, sizeof(buf), "%s %s %zu", name,
	    state == PTHREAD_CREATE_JOINABLE ? "joinable" : "detached", size);
	return buf;
}

ATF_TC(attr_names);
ATF_TC_HEAD(attr_names, tc)
{
	atf_tc_set_md_var(tc, "descr", "pthread_attr_setname_np/getname_np "
	    "(NetBSD's: a format and an argument): a thread created with "
	    "the attributes starts with that name (and the kernel's copy); "
	    "EINVAL if too long; empty by default; pthread_attr_get_np "
	    "gives a thread's own (ESRCH once joined)");
}
ATF_TC_BODY(attr_names, tc)
{
	char buf[PTHREAD_MAX_NAMELEN_NP], big[64];
	pthread_attr_t a, own;
	void *arg = &arg;
	size_t size;
	pthread_t t;
	char *got;

	RZ(pthread_attr_init(&a));
	RZ(pthread_attr_getname_np(&a, buf, sizeof(buf), &arg));
	ATF_CHECK_STREQ(buf, "");
	ATF_CHECK(arg == NULL);
	got = h_join(h_thread(own_name, NULL));
	ATF_REQUIRE(got != NULL);
	ATF_CHECK_STREQ(got, "");

	RZ(pthread_attr_setname_np(&a, "pool-%s", (void *)"7"));
	RZ(pthread_attr_getname_np(&a, buf, sizeof(buf), &arg));
	ATF_CHECK_STREQ(buf, "pool-7");
	ATF_CHECK(arg != NULL && strcmp(arg, "7") == 0);
	RZ(pthread_create(&t, &a, own_name, NULL));
	got = h_join(t);
	ATF_REQUIRE_MSG(got != NULL, "the kernel's name differs");
	ATF_CHECK_STREQ(got, "pool-7");

	/* pthread_attr_get_np: a thread's own attributes. */
	RZ(pthread_attr_setstacksize(&a, 4 * PTHREAD_STACK_MIN));
	RZ(pthread_create(&t, &a, get_own_attr, NULL));
	got = h_join(t);
	ATF_REQUIRE_MSG(got != NULL, "pthread_attr_get_np failed");
	ATF_CHECK_STREQ(got, "pool-7 joinable 65536");
	RZ(pthread_attr_get_np(pthread_self(), &own));
	RZ(pthread_attr_getstacksize(&own, &size));
	ATF_CHECK_MSG(size >= PTHREAD_STACK_MIN, "main: %zu", size);
	RZ(pthread_attr_destroy(&own));
	ATF_CHECK_EQ(pthread_attr_get_np(t, &own), ESRCH);	/* joined */

	memset(big, 'n', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ATF_CHECK_EQ(pthread_attr_setname_np(&a, "%s", big), EINVAL);
	RZ(pthread_attr_getname_np(&a, buf, sizeof(buf), NULL));
	ATF_CHECK_STREQ(buf, "");
	RZ(pthread_attr_destroy(&a));
	ATF_CHECK_EQ(pthread_attr_setname_np(&a, "x", NULL), EINVAL);
}

/* ---- affinity -------------------------------------------------------------------------- */

static volatile int aff_cpu = -2, aff_stop;

static void *
aff_body(void *arg)
{
	lwpctl_t *lc;

	RL(_lwp_ctl(LWPCTL_FEATURE_CURCPU, &lc));
	while (!__atomic_load_n(&aff_stop, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&aff_cpu, lc->lc_curcpu, __ATOMIC_RELEASE);
		sched_yield();
	}
	return NULL;
}

ATF_TC(affinity);
ATF_TC_HEAD(affinity, tc)
{
	atf_tc_set_md_var(tc, "descr", "pthread_setaffinity_np moves a "
	    "running thread to each CPU in turn (its lc_curcpu says so); "
	    "getaffinity_np returns the set");
}
ATF_TC_BODY(affinity, tc)
{
	int ncpu = h_ncpus();
	cpuset_t *cs;
	pthread_t t;

	aff_stop = 0;
	t = h_thread(aff_body, NULL);
	ATF_REQUIRE((cs = cpuset_create()) != NULL);
	for (int k = 0; k < ncpu; k++) {
		h_pin(t, k);
		aff_cpu = -2;
		ATF_REQUIRE_MSG(h_until(&aff_cpu, k), "not on cpu%d (%d)", k,
		    aff_cpu);
		cpuset_zero(cs);
		RZ(pthread_getaffinity_np(t, cpuset_size(cs), cs));
		for (int j = 0; j < ncpu; j++)
			ATF_REQUIRE_EQ(cpuset_isset(j, cs), j == k);
	}
	/* Ourselves too. */
	h_pin(pthread_self(), ncpu - 1);
	cpuset_zero(cs);
	RZ(pthread_getaffinity_np(pthread_self(), cpuset_size(cs), cs));
	ATF_REQUIRE_EQ(cpuset_isset(ncpu - 1, cs), 1);
	cpuset_destroy(cs);
	aff_stop = 1;
	h_join(t);
}

/* ---- errno ---------------------------------------------------------------------------- */

#define NERRNO	4

static volatile int errno_go;

/* Fail a system call over and over; check errno each time. */
static void *
errno_body(void *arg)
{
	int which = (int)(intptr_t)arg, want, bad = 0;
	char c;

	while (!__atomic_load_n(&errno_go, __ATOMIC_ACQUIRE))
		sched_yield();
	for (int i = 0; i < 2000; i++) {
		switch (which) {
		case 0:
			want = EBADF;
			bad += read(-1, &c, 1) != -1;
			break;
		case 1:
			want = ENOENT;
			bad += open("/no/such/file", O_RDONLY) != -1;
			break;
		case 2:
			want = EFAULT;
			bad += clock_gettime(CLOCK_MONOTONIC, (void *)8) != -1;
			break;
		default:
			want = EINVAL;
			bad += _sched_setaffinity(0, 0, 0, NULL) != -1;
			break;
		}
		if (errno != want)
			return (void *)(intptr_t)(errno == 0 ? -1 : errno);
		if ((i & 63) == 0)
			sched_yield();
	}
	return (void *)(intptr_t)(bad ? -2 : 0);
}

ATF_TC(errno_per_thread);
ATF_TC_HEAD(errno_per_thread, tc)
{
	atf_tc_set_md_var(tc, "descr", "errno is per thread: %d threads fail "
	    "different calls at once and each sees its own errno; the first "
	    "thread's errno survives the library's start", NERRNO);
}
ATF_TC_BODY(errno_per_thread, tc)
{
	pthread_t t[NERRNO];
	intptr_t r;

	/* Before any thread: the global errno moves into ours. */
	errno = 0;
	ATF_REQUIRE(close(-1) == -1 && errno == EBADF);
	(void)pthread_self();
	ATF_REQUIRE_EQ(errno, EBADF);

	for (int i = 0; i < NERRNO; i++)
		t[i] = h_thread(errno_body, (void *)(intptr_t)i);
	errno = 12345;
	__atomic_store_n(&errno_go, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < NERRNO; i++) {
		r = (intptr_t)h_join(t[i]);
		ATF_REQUIRE_EQ_MSG(r, 0, "thread %d: %ld", i, (long)r);
	}
	ATF_REQUIRE_EQ(errno, 12345);
}

/* ---- fork ---------------------------------------------------------------------------- */

static void *
spin_until_flag(void *arg)
{
	while (!__atomic_load_n((volatile int *)arg, __ATOMIC_ACQUIRE))
		sched_yield();
	return NULL;
}

static pthread_mutex_t fork_m = PTHREAD_MUTEX_INITIALIZER;

static void *
lock_fork_m(void *arg)
{
	RZ(pthread_mutex_lock(&fork_m));
	RZ(pthread_mutex_unlock(&fork_m));
	return (void *)7;
}

ATF_TC(fork);
ATF_TC_HEAD(fork, tc)
{
	atf_tc_set_md_var(tc, "descr", "the child of a process with threads "
	    "(forked by a thread other than the first) makes threads, which "
	    "contend for a mutex the forking thread holds");
}

static void *
forker(void *arg)
{
	pid_t pid;
	int st;

	RL(pid = fork());
	if (pid == 0) {
		pthread_t t;
		void *v;

		if (pthread_mutex_lock(&fork_m) != 0 ||
		    pthread_create(&t, NULL, lock_fork_m, NULL) != 0)
			_exit(1);
		h_sleep_ms(20);
		pthread_mutex_unlock(&fork_m);
		if (pthread_join(t, &v) != 0 || v != (void *)7)
			_exit(2);
		_exit(h_lwp_count() == 1 ? 0 : 3);
	}
	RL(waitpid(pid, &st, 0));
	return (void *)(intptr_t)st;
}

ATF_TC_BODY(fork, tc)
{
	static volatile int flag;
	pthread_t t;
	intptr_t st;

	flag = 0;
	t = h_thread(spin_until_flag, (void *)&flag);
	st = (intptr_t)h_join(h_thread(forker, NULL));
	ATF_REQUIRE_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#lx",
	    (long)st);
	flag = 1;
	h_join(t);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, create_join);
	ATF_TP_ADD_TC(tp, many);
	ATF_TP_ADD_TC(tp, join_errors);
	ATF_TP_ADD_TC(tp, bogus_handles);
	ATF_TP_ADD_TC(tp, limit);
	ATF_TP_ADD_TC(tp, detach);
	ATF_TP_ADD_TC(tp, main_exits);
	ATF_TP_ADD_TC(tp, stacksize);
	ATF_TP_ADD_TC(tp, once);
	ATF_TP_ADD_TC(tp, keys);
	ATF_TP_ADD_TC(tp, names);
	ATF_TP_ADD_TC(tp, attr_names);
	ATF_TP_ADD_TC(tp, affinity);
	ATF_TP_ADD_TC(tp, errno_per_thread);
	ATF_TP_ADD_TC(tp, fork);
	return atf_no_error();
}

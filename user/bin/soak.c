/*
 * soak: everything at once for a while (issue 16, section 4).
 *
 *	soak [minutes=M] [seed=S] [v]
 *
 * For M minutes (default 30) of guest time, each in child processes
 * restarted as they end:
 *
 *   fuzz     /bin/fuzz for the whole time (seed S, without its own
 *            per-batch memory checks: the machine is shared)
 *   tests    /tests/run, every user test program, round after round,
 *            with LWPKERN_SOAK=1 in the environment (the cases that
 *            compare kern.memstat, the whole machine's, skip) and
 *            ATF_TIMEOUT_SCALE=10 (a case bound to a CPU the other
 *            workloads keep busy gets one time slice in several: 5000
 *            mutex hand-offs between two such CPUs took over 30 s)
 *   sched    8 LWPs that yield, park and unpark each other, suspend and
 *            continue each other, and re-pin each other from CPU to CPU
 *   threads  POSIX threads: a mutex and condition-variable ring, and
 *            threads created and joined all the time
 *   signals  a process of 4 LWPs with handlers, blocking and unblocking
 *            signals, in sigsuspend, while soak sends it SIGUSR1,
 *            SIGUSR2 (kill and _lwp_kill) and now and then SIGSTOP and
 *            SIGCONT
 *   spawn    fork + exec of /bin/true, and of short process trees
 *
 * Every second soak checks the kernel's invariants: kern.memstat is
 * readable and sane (struct lwps and kmem below their limits), every
 * LWP in kern.lwp has a valid state, no runnable LWP goes without
 * running for 30 s, and every workload still makes progress (a counter
 * it shares): one that has not for 60 s is reported, with the LWP
 * table, once.  A line of progress every minute.
 *
 * At the end the workloads are told to stop, then killed; once they are
 * gone, kernel memory (kmem in use, struct lwps) and the number of
 * processes must come back to what they were before they started
 * (within 30 s: init reaps orphans): the leak totals.  Then one screen:
 * what each workload did, the checks, peaks and leaks, and PASSED or
 * FAILED.  Exit 0 only if no check failed, nothing leaked, the fuzzer
 * passed and every test round passed.  (The kernel's own reports, a
 * panic or "hang:", are on the console: tools read the log.)
 */
#include <sys/mman.h>
#include <sys/param.h>
#include <sys/sysctl.h>
#include <sys/wait.h>
#include <errno.h>
#include <kinfo.h>
#include <limits.h>
#include <lwp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "h_md.h"
#include "h_user.h"		/* h_pin_lwp */

enum { W_FUZZ, W_TESTS, W_SCHED, W_THREADS, W_SIGNALS, W_SPAWN, NWORK };

static const char *const wname[NWORK] = {
	"fuzz", "tests", "sched", "threads", "signals", "spawn",
};

/* What the workloads share with soak (MAP_SHARED, before any fork). */
static struct soak_shared {
	volatile int	stop;			/* the end: wind down */
	volatile uint64_t ops[NWORK];		/* progress, each its own */
	volatile uint64_t caught;		/* signals the target caught */
} *sh;

static uint64_t	opt_minutes = 30, opt_seed;
static bool	opt_verbose, opt_seed_given;
static struct timespec t0;

static uint64_t
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)(((int64_t)(t.tv_sec - t0.tv_sec) * 1000000000 +
	    (t.tv_nsec - t0.tv_nsec)) / 1000000);
}

static void
sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

static void
bump(int w)
{
	__atomic_add_fetch(&sh->ops[w], 1, __ATOMIC_RELAXED);
}

/* ---- sched: raw LWPs racing ----------------------------------------------- */

#define NSCHED		8
#define SCHED_STACK	16384

static char sched_stacks[NSCHED][SCHED_STACK] __attribute__((aligned(16)));
static volatile lwpid_t sched_lids[NSCHED];

static void
sched_lwp(void *arg)
{
	int me = (int)(intptr_t)arg;
	uint64_t r = 0x9e3779b97f4a7c15ULL * (uint64_t)(me + 1);
	struct timespec ts = { 0, 200000 };

	while (!sh->stop) {
		lwpid_t other = sched_lids[(r >> 8) % NSCHED];

		r = r * 6364136223846793005ULL + 1442695040888963407ULL;
		switch ((r >> 33) % 6) {
		case 0:
			sched_yield();
			break;
		case 1:
			(void)_lwp_park(CLOCK_MONOTONIC, 0, &ts, other, NULL,
			    NULL);
			break;
		case 2:
			(void)_lwp_unpark(other, NULL);
			break;
		case 3:
			/* Never ourselves: the others continue us. */
			if (other != _lwp_self() && (r >> 40) % 8 == 0) {
				(void)_lwp_suspend(other);
				(void)_lwp_continue(other);
			}
			break;
		case 4:
			(void)_lwp_wakeup(other);
			break;
		default:
			for (volatile int i = 0; i < 2000; i++)
				continue;
			break;
		}
		bump(W_SCHED);
		if (((r >> 20) & 15) == 0)
			(void)nanosleep(&ts, NULL);	/* room for the others */
	}
	_lwp_exit();
}

static void __dead
work_sched(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	ucontext_t uc;
	lwpid_t lid;

	for (int i = 0; i < NSCHED; i++) {
		_lwp_makecontext(&uc, sched_lwp, (void *)(intptr_t)i, NULL,
		    sched_stacks[i], SCHED_STACK);
		if (_lwp_create(&uc, 0, &lid) != 0)
			_exit(2);
		sched_lids[i] = lid;
	}
	/* The main LWP re-pins them (cpuset_create: only one LWP uses
	 * libc's malloc, this one). */
	for (unsigned n = 0; !sh->stop; n++) {
		(void)h_pin_lwp(sched_lids[n % NSCHED], n % 3 == 0 ? -1 :
		    (int)((n / 3) % (unsigned)ncpu));
		sleep_ms(5);
	}
	for (int i = 0; i < NSCHED; i++) {
		(void)_lwp_continue(sched_lids[i]);
		(void)_lwp_wait(sched_lids[i], NULL);
	}
	_exit(0);
}

/* ---- threads: libpthread --------------------------------------------------- */

#define NRING		4

static pthread_mutex_t ring_m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ring_cv = PTHREAD_COND_INITIALIZER;
static int ring_turn;

/* A token goes round the ring: each thread waits for its turn. */
static void *
ring_thread(void *arg)
{
	int me = (int)(intptr_t)arg;

	pthread_mutex_lock(&ring_m);
	while (!sh->stop) {
		while (ring_turn != me && !sh->stop) {
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 50000000;
			if (ts.tv_nsec >= 1000000000)
				ts.tv_sec++, ts.tv_nsec -= 1000000000;
			(void)pthread_cond_timedwait(&ring_cv, &ring_m, &ts);
		}
		ring_turn = (me + 1) % NRING;
		bump(W_THREADS);
		pthread_cond_broadcast(&ring_cv);
	}
	pthread_mutex_unlock(&ring_m);
	return NULL;
}

static void *
short_thread(void *arg)
{
	return arg;
}

static void __dead
work_threads(void)
{
	pthread_t t[NRING], s;

	for (int i = 0; i < NRING; i++)
		if (pthread_create(&t[i], NULL, ring_thread,
		    (void *)(intptr_t)i) != 0)
			_exit(2);
	while (!sh->stop) {
		if (pthread_create(&s, NULL, short_thread, NULL) != 0 ||
		    pthread_join(s, NULL) != 0)
			_exit(3);
		bump(W_THREADS);
		sleep_ms(1);
	}
	pthread_mutex_lock(&ring_m);
	pthread_cond_broadcast(&ring_cv);
	pthread_mutex_unlock(&ring_m);
	for (int i = 0; i < NRING; i++)
		pthread_join(t[i], NULL);
	_exit(0);
}

/* ---- signals: a target and a storm ------------------------------------------ */

#define NSIGLWP		4

static char sig_stacks[NSIGLWP][SCHED_STACK] __attribute__((aligned(16)));
static volatile lwpid_t sig_lids[NSIGLWP + 1];

static void
sig_handler(int sig)
{
	__atomic_add_fetch(&sh->caught, 1, __ATOMIC_RELAXED);
}

/* Each LWP of the target: block and unblock, wait in sigsuspend. */
static void
sig_lwp(void *arg)
{
	sigset_t set, old;
	uint64_t r = (uint64_t)(intptr_t)arg + 1;

	while (!sh->stop) {
		r = r * 6364136223846793005ULL + 1442695040888963407ULL;
		sigemptyset(&set);
		if (r & (1ULL << 40))
			sigaddset(&set, SIGUSR1);
		if (r & (1ULL << 41))
			sigaddset(&set, SIGUSR2);
		(void)sigprocmask(SIG_SETMASK, &set, &old);
		if ((r >> 50) % 4 == 0) {
			sigemptyset(&set);
			(void)sigsuspend(&set);
		}
	}
	_lwp_exit();
}

static void __dead
sig_target(void)
{
	ucontext_t uc;
	lwpid_t lid;

	sig_lids[0] = _lwp_self();
	for (int i = 0; i < NSIGLWP; i++) {
		_lwp_makecontext(&uc, sig_lwp, (void *)(intptr_t)i, NULL,
		    sig_stacks[i], SCHED_STACK);
		if (_lwp_create(&uc, LWP_DETACHED, &lid) != 0)
			_exit(2);
		sig_lids[i + 1] = lid;
	}
	while (!sh->stop)
		sleep_ms(100);
	_exit(0);
}

/* The storm, from a process of its own (the target is its child). */
static void __dead
work_signals(void)
{
	struct sigaction sa;
	pid_t target;
	unsigned n = 0;
	int st;

	/* The target's handlers, before it exists (it inherits them). */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sig_handler;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	if ((target = fork()) == -1)
		_exit(2);
	if (target == 0)
		sig_target();
	while (!sh->stop) {
		n++;
		if (kill(target, n % 2 ? SIGUSR1 : SIGUSR2) != 0)
			_exit(5);	/* the target is gone */
		bump(W_SIGNALS);
		if (n % 1000 == 0) {
			(void)kill(target, SIGSTOP);
			sleep_ms(1);
			(void)kill(target, SIGCONT);
		}
		if (n % 16 == 0)
			sleep_ms(1);
	}
	(void)kill(target, SIGCONT);
	if (waitpid(target, &st, 0) == -1)
		_exit(3);
	_exit(WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 4);
}

/* ---- spawn: fork, exec, process trees ---------------------------------------- */

static void __dead
work_spawn(void)
{
	static char *const tav[] = { "/bin/true", NULL };
	pid_t pid;
	int st;

	while (!sh->stop) {
		if ((pid = fork()) == -1)
			_exit(2);
		if (pid == 0) {
			/* Every other time a tree: children that exit before
			 * and after us (init reaps those). */
			if (getpid() % 2 == 0)
				for (int i = 0; i < 3; i++)
					if (fork() == 0)
						execve(tav[0], tav, environ);
			execve(tav[0], tav, environ);
			_exit(127);
		}
		if (waitpid(pid, &st, 0) == -1 || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			_exit(3);
		bump(W_SPAWN);
	}
	_exit(0);
}

/* ---- the children ---------------------------------------------------------- */

static pid_t	kid[NWORK], kid_pgid[NWORK];	/* (the last group of each) */
static uint64_t	kid_runs[NWORK], kid_bad[NWORK];

/* Start workload w; its pid. */
static pid_t
start(int w, uint64_t left_ms)
{
	char secs[32], seed[48];
	char *fav[] = { "/bin/fuzz", secs, seed, "calls=1000000000",
	    "check=0", NULL };
	char *tav[] = { "/tests/run", NULL };
	char *tenv[] = { "PATH=/bin:/sbin:/tests", "LWPKERN_SOAK=1",
	    "ATF_TIMEOUT_SCALE=10", NULL };
	pid_t pid;

	fflush(stdout);
	if ((pid = fork()) == -1) {
		printf("soak: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid != 0) {
		(void)setpgid(pid, pid);
		kid_pgid[w] = pid;
		kid_runs[w]++;
		return pid;
	}
	(void)setpgid(0, 0);	/* a group of its own: stopped as one */
	switch (w) {
	case W_FUZZ:
		snprintf(secs, sizeof(secs), "secs=%llu",
		    (unsigned long long)(left_ms / 1000 + 1));
		snprintf(seed, sizeof(seed), "seed=%llu",
		    (unsigned long long)(opt_seed + kid_runs[w]));
		execve(fav[0], fav, tenv);
		break;
	case W_TESTS:
		execve(tav[0], tav, tenv);
		break;
	case W_SCHED:	work_sched();
	case W_THREADS:	work_threads();
	case W_SIGNALS:	work_signals();
	case W_SPAWN:	work_spawn();
	}
	_exit(127);
}

/* ---- the invariants --------------------------------------------------------- */

struct state {
	uint64_t	kmem, lwps, pages_free;
	int		procs, nlwp;
};

static bool
get_state(struct state *s, struct kinfo_lwp **klp, size_t *np)
{
	int mib[2] = { CTL_KERN, KERN_MEMSTAT };
	struct kinfo_mem km;
	struct kinfo_lwp *kl;
	size_t len = sizeof(km), n;

	if (sysctl(mib, 2, &km, &len, NULL, 0) == -1 ||
	    (kl = kinfo_getlwps(&n)) == NULL)
		return false;
	s->kmem = km.km_kmem_inuse;
	s->lwps = km.km_lwps;
	s->pages_free = km.km_pages_free;
	s->nlwp = (int)n;
	s->procs = 0;
	for (size_t i = 0; i < n; i++) {
		bool seen = kl[i].l_pid <= 0;

		for (size_t j = 0; j < i && !seen; j++)
			seen = kl[j].l_pid == kl[i].l_pid;
		s->procs += !seen;
	}
	if (klp != NULL) {
		*klp = kl;
		*np = n;
	} else
		free(kl);
	return true;
}

static void
show_lwps(const char *why)
{
	printf("soak: %s; the LWPs:\n", why);
	if (kinfo_print_lwps("soak:   ", 0, 32) == -1)
		printf("soak: kern.lwp: %s\n", strerror(errno));
}

/* Runnable LWPs seen, to catch one that never runs. */
#define NWATCH	256
static struct watch {
	int32_t		pid, lid;
	uint64_t	ncsw, since;
	bool		seen, reported;
} watch[NWATCH];

static uint64_t	n_checks, n_failed, peak_kmem, peak_lwps, peak_procs;
static uint64_t	n_starved, n_stuck;

static void
check_invariants(uint64_t now)
{
	struct kinfo_lwp *kl;
	struct state s;
	size_t n;
	bool bad = false;
	static uint64_t total_kmem;

	n_checks++;
	if (!get_state(&s, &kl, &n)) {
		printf("soak: CHECK: kern.memstat or kern.lwp: %s\n",
		    strerror(errno));
		n_failed++;
		return;
	}
	if (total_kmem == 0)
		total_kmem = s.pages_free * 4096;	/* (free at the start) */
	peak_kmem = MAX(peak_kmem, s.kmem);
	peak_lwps = MAX(peak_lwps, s.lwps);
	peak_procs = MAX(peak_procs, (uint64_t)s.procs);
	if (s.lwps > 4000 || s.kmem > total_kmem) {
		printf("soak: CHECK: %llu struct lwps, %llu bytes of kmem: out "
		    "of bounds\n", (unsigned long long)s.lwps,
		    (unsigned long long)s.kmem);
		bad = true;
	}
	for (int i = 0; i < NWATCH; i++)
		watch[i].seen = false;
	for (size_t i = 0; i < n; i++) {
		struct kinfo_lwp *k = &kl[i];
		struct watch *w = NULL, *free_w = NULL;

		if (k->l_stat < 1 || k->l_stat > 8 || k->l_stat == 6) {
			printf("soak: CHECK: pid %d LWP %d in state %d\n",
			    k->l_pid, k->l_lid, k->l_stat);
			bad = true;
		}
		if (k->l_stat != 2)		/* LSRUN: waiting to run */
			continue;
		for (int j = 0; j < NWATCH && w == NULL; j++) {
			if (watch[j].pid == k->l_pid &&
			    watch[j].lid == k->l_lid)
				w = &watch[j];
			else if (free_w == NULL && watch[j].pid == 0)
				free_w = &watch[j];
		}
		if (w == NULL || w->ncsw != k->l_ncsw) {
			if (w == NULL && (w = free_w) == NULL)
				continue;
			w->pid = k->l_pid;
			w->lid = k->l_lid;
			w->ncsw = k->l_ncsw;
			w->since = now;
			w->reported = false;
		}
		w->seen = true;
		if (now - w->since > 30000 && !w->reported) {
			printf("soak: CHECK: pid %d LWP %d runnable and not run "
			    "for %llu s\n", k->l_pid, k->l_lid,
			    (unsigned long long)(now - w->since) / 1000);
			w->reported = true;
			n_starved++;
			bad = true;
		}
	}
	for (int i = 0; i < NWATCH; i++)
		if (!watch[i].seen)
			watch[i].pid = 0;
	free(kl);
	if (bad) {
		n_failed++;
		show_lwps("an invariant failed");
	}
}

/* ---- main -------------------------------------------------------------------- */

static void
usage(const char *why)
{
	fprintf(stderr, "soak: %s\nusage: soak [minutes=M] [seed=S] [v]\n"
	    "  minutes  how long, in guest time (default 30)\n"
	    "  seed     the fuzzer's seed (default: from the clock)\n"
	    "  v        more lines\n", why);
	exit(2);
}

int
main(int argc, char **argv)
{
	uint64_t end, last_line = 0, last_ops[NWORK], since_ops[NWORK];
	bool stuck_said[NWORK], ok = true;
	struct state base, st;
	int status;
	pid_t pid;

	for (int i = 1; i < argc; i++) {
		char *end_p, *v = strchr(argv[i], '='), why[128];
		unsigned long long x, min = 0, max = ULLONG_MAX;
		bool minutes = strncmp(argv[i], "minutes=", 8) == 0;

		if (strcmp(argv[i], "v") == 0) {
			opt_verbose = true;
			continue;
		}
		if (!minutes && strncmp(argv[i], "seed=", 5) != 0) {
			snprintf(why, sizeof(why), "bad argument '%s'", argv[i]);
			usage(why);
		}
		if (minutes)
			min = 1, max = 100000;
		errno = 0;
		x = strtoull(v + 1, &end_p, 10);
		if (v[1] == '\0' || *end_p != '\0' || errno != 0 || x < min ||
		    x > max) {
			snprintf(why, sizeof(why), "bad value in '%s': want a "
			    "number from %llu to %llu", argv[i], min, max);
			usage(why);
		}
		if (minutes)
			opt_minutes = x;
		else {
			opt_seed = x;
			opt_seed_given = true;
		}
	}
	if (!opt_seed_given)
		opt_seed = h_rdtsc() % 1000000000;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_ANON |
	    MAP_SHARED, -1, 0);
	if (sh == MAP_FAILED) {
		printf("soak: mmap: %s\n", strerror(errno));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!get_state(&base, NULL, NULL)) {
		printf("soak: kern.memstat: %s\n", strerror(errno));
		return 1;
	}
	printf("soak: %llu minutes at %ld CPUs, fuzzer seed %llu; workloads: "
	    "fuzz, tests, sched, threads, signals, spawn\n",
	    (unsigned long long)opt_minutes, sysconf(_SC_NPROCESSORS_ONLN),
	    (unsigned long long)opt_seed);
	printf("soak: before: kmem %llu bytes, %llu struct lwps, %d "
	    "processes\n", (unsigned long long)base.kmem,
	    (unsigned long long)base.lwps, base.procs);
	end = opt_minutes * 60000;
	for (int w = 0; w < NWORK; w++) {
		kid[w] = start(w, end);
		last_ops[w] = since_ops[w] = 0;
		stuck_said[w] = false;
	}

	while (now_ms() < end) {
		uint64_t now;

		sleep_ms(1000);
		now = now_ms();
		/* Workloads that ended: counted, and started again. */
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			for (int w = 0; w < NWORK; w++) {
				if (kid[w] != pid)
					continue;
				if (!WIFEXITED(status) ||
				    WEXITSTATUS(status) != 0) {
					kid_bad[w]++;
					printf("soak: %s (pid %d) %s %d\n",
					    wname[w], pid, WIFEXITED(status) ?
					    "exited with status" : "killed by "
					    "signal", WIFEXITED(status) ?
					    WEXITSTATUS(status) :
					    WTERMSIG(status));
				}
				if (w == W_TESTS)
					bump(W_TESTS);
				kid[w] = now + 2000 < end ? start(w, end -
				    now) : 0;
			}
		check_invariants(now);
		/* Progress: the fuzzer and the tests are counted by
		 * their children (the tests: a round per run). */
		for (int w = 0; w < NWORK; w++) {
			uint64_t ops = sh->ops[w];

			if (w == W_FUZZ || w == W_TESTS) {
				since_ops[w] = now;	/* (see below) */
				continue;
			}
			if (ops != last_ops[w]) {
				last_ops[w] = ops;
				since_ops[w] = now;
				stuck_said[w] = false;
			} else if (now - since_ops[w] > 60000 &&
			    !stuck_said[w]) {
				char why[64];

				snprintf(why, sizeof(why), "%s made no progress "
				    "for 60 s", wname[w]);
				show_lwps(why);
				stuck_said[w] = true;
				n_stuck++;
			}
		}
		if (now - last_line >= 60000 || opt_verbose) {
			last_line = now;
			if (get_state(&st, NULL, NULL))
				printf("soak: %llu min: %llu checks; test rounds "
				    "%llu, sched %llu, threads %llu, signals %llu "
				    "sent %llu caught, spawns %llu; kmem %llu KiB, "
				    "%llu LWPs, %d procs\n",
				    (unsigned long long)now / 60000,
				    (unsigned long long)n_checks,
				    (unsigned long long)sh->ops[W_TESTS],
				    (unsigned long long)sh->ops[W_SCHED],
				    (unsigned long long)sh->ops[W_THREADS],
				    (unsigned long long)sh->ops[W_SIGNALS],
				    (unsigned long long)sh->caught,
				    (unsigned long long)sh->ops[W_SPAWN],
				    (unsigned long long)st.kmem / 1024,
				    (unsigned long long)st.lwps, st.procs);
		}
	}

	/* The end: ask, then insist. */
	sh->stop = 1;
	for (uint64_t t = now_ms(); now_ms() - t < 30000; sleep_ms(100)) {
		bool any = false;

		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			for (int w = 0; w < NWORK; w++)
				if (kid[w] == pid) {
					if (!WIFEXITED(status) ||
					    WEXITSTATUS(status) != 0) {
						kid_bad[w]++;
						printf("soak: %s (pid %d) ended "
						    "with wait status %#x\n",
						    wname[w], pid, status);
					}
					if (w == W_TESTS)
						bump(W_TESTS);
					kid[w] = 0;
				}
		for (int w = 0; w < NWORK; w++)
			any |= kid[w] > 0;
		if (!any)
			break;
	}
	/* The tests and the fuzzer stop at the end of a round or batch,
	 * which may be far: their process groups are killed, which is not
	 * a failure; anything else that did not stop is. */
	for (int w = 0; w < NWORK; w++)
		if (kid[w] > 0) {
			if (w == W_TESTS || w == W_FUZZ)
				printf("soak: %s (pid %d) stopped in the middle: "
				    "killed\n", wname[w], kid[w]);
			else {
				printf("soak: %s (pid %d) did not stop in 30 s: "
				    "killed\n", wname[w], kid[w]);
				kid_bad[w]++;
			}
			(void)kill(-kid[w], SIGKILL);
			(void)waitpid(kid[w], &status, 0);
		}
	for (int w = 0; w < NWORK; w++)
		if (kid_pgid[w] > 0)
			(void)kill(-kid_pgid[w], SIGKILL);	/* what they left */
	while (waitpid(-1, &status, WNOHANG) > 0)
		continue;

	/* Leaks: everything back, within 30 s (init reaps orphans). */
	for (uint64_t t = now_ms(); get_state(&st, NULL, NULL) &&
	    (st.kmem != base.kmem || st.lwps != base.lwps ||
	    st.procs != base.procs) && now_ms() - t < 30000; sleep_ms(100))
		continue;

	printf("\nsoak: ---- %llu minutes at %ld CPUs (guest time), fuzzer "
	    "seed %llu ----\n", (unsigned long long)opt_minutes,
	    sysconf(_SC_NPROCESSORS_ONLN), (unsigned long long)opt_seed);
	printf("soak: fuzz      %llu runs, %llu failed (its own summary "
	    "is above: 'fuzz: seed')\n", (unsigned long long)kid_runs[W_FUZZ],
	    (unsigned long long)kid_bad[W_FUZZ]);
	printf("soak: tests     %llu rounds of /tests/run, %llu with a "
	    "failure\n", (unsigned long long)kid_runs[W_TESTS],
	    (unsigned long long)kid_bad[W_TESTS]);
	printf("soak: sched     %llu yields, parks, unparks, suspends, "
	    "wakeups; re-pinned every 5 ms\n",
	    (unsigned long long)sh->ops[W_SCHED]);
	printf("soak: threads   %llu ring passes and thread create/joins\n",
	    (unsigned long long)sh->ops[W_THREADS]);
	printf("soak: signals   %llu sent, %llu caught\n",
	    (unsigned long long)sh->ops[W_SIGNALS],
	    (unsigned long long)sh->caught);
	printf("soak: spawn     %llu fork+exec rounds\n",
	    (unsigned long long)sh->ops[W_SPAWN]);
	for (int w = W_SCHED; w < NWORK; w++)
		if (kid_bad[w] != 0)
			printf("soak: %-9s %llu of %llu runs ended badly\n",
			    wname[w], (unsigned long long)kid_bad[w],
			    (unsigned long long)kid_runs[w]);
	printf("soak: checks    %llu (a second apart, or more under load: "
	    "%llu s), %llu failed; %llu "
	    "LWPs runnable but not run for 30 s; %llu workloads stuck for 60 "
	    "s\n", (unsigned long long)n_checks,
	    (unsigned long long)now_ms() / 1000, (unsigned long long)n_failed,
	    (unsigned long long)n_starved, (unsigned long long)n_stuck);
	printf("soak: peaks     kmem %llu KiB, %llu struct lwps, %llu "
	    "processes\n", (unsigned long long)peak_kmem / 1024,
	    (unsigned long long)peak_lwps, (unsigned long long)peak_procs);
	printf("soak: leaks     kmem %+lld bytes, %+lld struct lwps, %+d "
	    "processes (after: %llu bytes, %llu, %d)\n",
	    (long long)(st.kmem - base.kmem), (long long)(st.lwps - base.lwps),
	    st.procs - base.procs, (unsigned long long)st.kmem,
	    (unsigned long long)st.lwps, st.procs);
	ok = n_failed == 0 && n_stuck == 0 && st.kmem == base.kmem &&
	    st.lwps == base.lwps && st.procs == base.procs;
	for (int w = 0; w < NWORK; w++)
		ok = ok && kid_bad[w] == 0;
	printf("soak: %s\n", ok ? "PASSED" : "FAILED");
	return ok ? 0 : 1;
}

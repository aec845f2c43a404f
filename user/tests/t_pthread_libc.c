/*
 * t_pthread_libc: libc under several threads: malloc and stdio take
 * libc's lock (user/lib/libc/lock.c), errno is per thread.
 *
 * Covered:
 *   - malloc, calloc, realloc and free from threads on every CPU, many
 *     sizes, each block filled with its owner's pattern and checked
 *     before it is freed (a block handed out twice, or heap metadata
 *     torn by a race, shows as a wrong byte or a crash);
 *   - the same with plain _lwp_create LWPs and no libpthread at all
 *     (libc's lock needs none);
 *   - snprintf in 4 threads at once gives the text it gives alone;
 *   - printf from threads on every CPU into a fully buffered stdout:
 *     every line in the buffer whole (one call's output is never cut
 *     by another's), in each thread's order, none lost; and a few lines
 *     really printed by threads with printf, puts and fputs.
 */
#include <ucontext.h>

#include "h_pthread.h"

static volatile int go;

static void
wait_go(void)
{
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		sched_yield();
}

/* ---- malloc ------------------------------------------------------------------- */

#define NSLOTS	32
#define NROUNDS	3000

/* Fill/check a block of n bytes with a pattern of (tag, i). */
static void
fill(unsigned char *p, size_t n, int tag)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(tag * 31 + i);
}

static bool
check(const unsigned char *p, size_t n, int tag)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(tag * 31 + i))
			return false;
	return true;
}

static void *
malloc_body(void *arg)
{
	int tag = (int)(intptr_t)arg;
	unsigned int seed = tag * 7919 + 1;
	unsigned char *slot[NSLOTS] = { NULL };
	size_t size[NSLOTS] = { 0 }, n;
	int k;

	wait_go();
	for (int r = 0; r < NROUNDS; r++) {
		seed = seed * 1103515245 + 12345;
		k = (seed >> 8) % NSLOTS;
		if (slot[k] != NULL) {
			if (!check(slot[k], size[k], tag + k))
				return (void *)1;
			if (seed & 1) {
				free(slot[k]);
				slot[k] = NULL;
				continue;
			}
			/* realloc keeps the contents */
			n = 1 + (seed >> 12) % 3000;
			if ((slot[k] = realloc(slot[k], n)) == NULL)
				return (void *)2;
			if (!check(slot[k], n < size[k] ? n : size[k], tag + k))
				return (void *)3;
			size[k] = n;
			fill(slot[k], n, tag + k);
			continue;
		}
		n = (seed >> 12) % ((seed & 0x10) ? 5000 : 100);
		if (seed & 2) {
			if ((slot[k] = calloc(1, n)) == NULL)
				return (void *)4;
			for (size_t i = 0; i < n; i++)
				if (slot[k][i] != 0)
					return (void *)5;
		} else if ((slot[k] = malloc(n)) == NULL)
			return (void *)6;
		size[k] = n;
		fill(slot[k], n, tag + k);
	}
	for (k = 0; k < NSLOTS; k++) {
		if (slot[k] != NULL && !check(slot[k], size[k], tag + k))
			return (void *)7;
		free(slot[k]);
	}
	return NULL;
}

ATF_TC(malloc_threads);
ATF_TC_HEAD(malloc_threads, tc)
{
	atf_tc_set_md_var(tc, "descr", "two threads per CPU malloc, calloc, "
	    "realloc and free %d times each, checking their blocks' "
	    "contents", NROUNDS);
}
ATF_TC_BODY(malloc_threads, tc)
{
	int ncpu = h_ncpus(), n = 2 * ncpu;
	pthread_t t[128];
	intptr_t r;
	void *p;

	go = 0;
	for (int i = 0; i < n; i++) {
		t[i] = h_thread(malloc_body, (void *)(intptr_t)(i * 100));
		h_pin(t[i], i % ncpu);
	}
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < n; i++) {
		r = (intptr_t)h_join(t[i]);
		ATF_CHECK_EQ_MSG(r, 0, "thread %d: failure %ld", i, (long)r);
	}
	/* The heap still works, and merged what was freed. */
	ATF_REQUIRE((p = malloc(100000)) != NULL);
	free(p);
}

/* ---- malloc without libpthread -------------------------------------------------- */

#define NLWPS	4
#define LWPSTACK 65536

static char lwp_stacks[NLWPS][LWPSTACK] __aligned(16);
static volatile intptr_t lwp_result[NLWPS];

static void
malloc_lwp(void *arg)
{
	int i = (int)(intptr_t)arg;

	lwp_result[i] = (intptr_t)malloc_body((void *)(intptr_t)(i * 100));
}

ATF_TC(malloc_lwps);
ATF_TC_HEAD(malloc_lwps, tc)
{
	atf_tc_set_md_var(tc, "descr", "the malloc test with %d plain LWPs "
	    "(_lwp_create, no libpthread started)", NLWPS);
}
ATF_TC_BODY(malloc_lwps, tc)
{
	lwpid_t lid[NLWPS];
	ucontext_t uc;

	go = 0;
	for (int i = 0; i < NLWPS; i++) {
		lwp_result[i] = -1;
		_lwp_makecontext(&uc, malloc_lwp, (void *)(intptr_t)i, NULL,
		    lwp_stacks[i], LWPSTACK);
		RL(_lwp_create(&uc, 0, &lid[i]));
	}
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < NLWPS; i++) {
		RL(_lwp_wait(lid[i], NULL));
		ATF_CHECK_EQ_MSG(lwp_result[i], 0, "LWP %d: failure %ld", i,
		    (long)lwp_result[i]);
	}
	ATF_REQUIRE_EQ(__libc_threaded, 0);	/* (libpthread never ran) */
}

/* ---- snprintf --------------------------------------------------------------------- */

#define NSN	500

static char want[4][NSN][96];

static void
format(char *buf, size_t len, int me, int i)
{
	snprintf(buf, len, "thread %d: %5d %s %#x|%-4c|%lld|%s|%08lx", me, i,
	    i % 2 ? "odd" : "even", i * me, 'a' + me, -(long long)i * 1000003,
	    "tail", (unsigned long)i * 0x10001);
}

static void *
snprintf_body(void *arg)
{
	int me = (int)(intptr_t)arg;
	char buf[96];

	wait_go();
	for (int r = 0; r < 4; r++)
		for (int i = 0; i < NSN; i++) {
			format(buf, sizeof(buf), me, i);
			if (strcmp(buf, want[me][i]) != 0)
				return (void *)(intptr_t)(i + 1);
		}
	return NULL;
}

ATF_TC(snprintf_threads);
ATF_TC_HEAD(snprintf_threads, tc)
{
	atf_tc_set_md_var(tc, "descr", "snprintf in 4 threads at once gives "
	    "what it gave in one thread alone");
}
ATF_TC_BODY(snprintf_threads, tc)
{
	pthread_t t[4];
	intptr_t r;

	for (int me = 0; me < 4; me++)
		for (int i = 0; i < NSN; i++)
			format(want[me][i], sizeof(want[me][i]), me, i);
	ATF_REQUIRE_STREQ(want[3][7], "thread 3:     7 odd 0x15|d   |"
	    "-7000021|tail|00070007");
	go = 0;
	for (int i = 0; i < 4; i++)
		t[i] = h_thread(snprintf_body, (void *)(intptr_t)i);
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 4; i++) {
		r = (intptr_t)h_join(t[i]);
		ATF_CHECK_EQ_MSG(r, 0, "thread %d: wrong at %ld", i, (long)r - 1);
	}
}

/* ---- printf ----------------------------------------------------------------------- */

#define NPRINT		4
#define NLINES		300
#define TEXT		"the quick brown fox jumps over the lazy dog"

static char outbuf[NPRINT * NLINES * 80 + 1024];

static void *
printf_body(void *arg)
{
	int me = (int)(intptr_t)arg;

	wait_go();
	for (int i = 0; i < NLINES; i++) {
		printf("line %d.%d of thread %d: %s\n", me, i, me, TEXT);
		if (i % 16 == 0)
			sched_yield();
	}
	return NULL;
}

/* A few real lines, through each kind of call. */
static void *
hello_body(void *arg)
{
	int me = (int)(intptr_t)arg;
	char buf[64];

	wait_go();
	printf("t_pthread_libc: hello from thread %d (printf)\n", me);
	snprintf(buf, sizeof(buf), "t_pthread_libc: hello from thread %d "
	    "(puts)", me);
	RL(puts(buf));
	snprintf(buf, sizeof(buf), "t_pthread_libc: hello from thread %d "
	    "(fputs)\n", me);
	RL(fputs(buf, stdout));
	return NULL;
}

/* "line ME.I of thread ME: TEXT": false if it is not that. */
static bool
parse(const char *p, int *mep, int *ip)
{
	char *q;
	long me, i;

	if (strncmp(p, "line ", 5) != 0)
		return false;
	me = strtol(p + 5, &q, 10);
	if (*q != '.')
		return false;
	i = strtol(q + 1, &q, 10);
	if (strncmp(q, " of thread ", 11) != 0 || strtol(q + 11, &q, 10) != me ||
	    strcmp(q, ": " TEXT) != 0)
		return false;
	*mep = (int)me;
	*ip = (int)i;
	return true;
}

ATF_TC(printf_threads);
ATF_TC_HEAD(printf_threads, tc)
{
	atf_tc_set_md_var(tc, "descr", "%d threads printf %d lines each into "
	    "a fully buffered stdout: every line whole, in its thread's "
	    "order, none lost; and threads print a few real lines with "
	    "printf, puts and fputs", NPRINT, NLINES);
}
ATF_TC_BODY(printf_threads, tc)
{
	int ncpu = h_ncpus(), last[NPRINT], me, i, nl = 0;
	pthread_t t[NPRINT];
	char *p, *e;

	go = 0;
	for (i = 0; i < NPRINT; i++)
		t[i] = h_thread(hello_body, (void *)(intptr_t)i);
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	for (i = 0; i < NPRINT; i++)
		h_join(t[i]);

	/* Now into outbuf, which must hold it all: look, then drop it. */
	RL(fflush(stdout));
	ATF_REQUIRE_EQ(setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf)), 0);
	go = 0;
	for (i = 0; i < NPRINT; i++) {
		t[i] = h_thread(printf_body, (void *)(intptr_t)i);
		h_pin(t[i], i % ncpu);
		last[i] = -1;
	}
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	for (i = 0; i < NPRINT; i++)
		h_join(t[i]);
	/* (outbuf is zeroed past what was written) */
	for (p = outbuf; (e = strchr(p, '\n')) != NULL; p = e + 1, nl++) {
		*e = '\0';
		ATF_REQUIRE_MSG(parse(p, &me, &i), "torn line '%s'", p);
		ATF_REQUIRE_MSG(me >= 0 && me < NPRINT && i == last[me] + 1,
		    "line %d of thread %d after %d", i, me, last[me]);
		last[me] = i;
	}
	ATF_REQUIRE_EQ(*p, '\0');
	ATF_REQUIRE_EQ(nl, NPRINT * NLINES);
	/* The exit's flush of outbuf goes nowhere: only this child had
	 * the descriptor. */
	RL(close(STDOUT_FILENO));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, malloc_threads);
	ATF_TP_ADD_TC(tp, malloc_lwps);
	ATF_TP_ADD_TC(tp, snprintf_threads);
	ATF_TP_ADD_TC(tp, printf_threads);
	return atf_no_error();
}

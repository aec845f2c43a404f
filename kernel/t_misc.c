/*
 * t_misc.c: ktests for the small pieces: symbols, spin mutexes, the
 * command line, formatting in the kernel.
 */
#include <sys/systm.h>
#include <sys/bootinfo.h>
#include <sys/bootopt.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/ksyms.h>
#include <sys/ktest.h>
#include <sys/mutex.h>
#include <sys/sched.h>
#include <sys/time.h>

/* The symbol table names this very function (so the two-pass link
 * moved nothing), and is sorted. */
KTEST(ksyms_lookup_self)
{
	vaddr_t off, self = (vaddr_t)ktest_fn_ksyms_lookup_self;
	const char *name;
	char buf[64];

	name = ksyms_lookup(self, &off);
	KT_STREQ(name, "ktest_fn_ksyms_lookup_self");
	KT_EQ(off, 0);
	name = ksyms_lookup(self + 5, &off);
	KT_STREQ(name, "ktest_fn_ksyms_lookup_self");
	KT_EQ(off, 5);
	KT_EQ(ksyms_addr("main"), (vaddr_t)main);
	KT_EQ(ksyms_addr("no_such_symbol_here"), 0);
	KT_ASSERT(ksyms_lookup(0x1000, NULL) == NULL);
	ksyms_format((vaddr_t)panic + 0x10, buf, sizeof(buf));
	KT_STREQ(buf, "panic+0x10");
	KT_ASSERT(ksyms_count() > 50);
}

/* Spin mutexes: nesting counts, IPL raised while held and restored. */
KTEST(mutex_spin_nesting)
{
	static kmutex_t a = MUTEX_INITIALIZER("t_a", IPL_VM);
	static kmutex_t b = MUTEX_INITIALIZER("t_b", IPL_HIGH);
	struct cpu_info *ci = curcpu();
	int count0 = ci->ci_mtx_count, ipl0 = ci->ci_ilevel;

	KT_ASSERT(!mutex_owned(&a));
	mutex_spin_enter(&a);
	KT_ASSERT(mutex_owned(&a));
	KT_EQ(ci->ci_mtx_count, count0 + 1);
	KT_ASSERT(ci->ci_ilevel >= IPL_VM);
	mutex_spin_enter(&b);
	KT_EQ(ci->ci_mtx_count, count0 + 2);
	KT_EQ(ci->ci_ilevel, IPL_HIGH);
	KT_EQ(mutex_tryenter(&b), 0);		/* held (by us) */
	KT_EQ(ci->ci_mtx_count, count0 + 2);
	mutex_spin_exit(&b);
	mutex_spin_exit(&a);
	KT_EQ(ci->ci_mtx_count, count0);
	KT_EQ(ci->ci_ilevel, ipl0);
	KT_EQ(mutex_tryenter(&a), 1);
	mutex_exit(&a);
	KT_ASSERT(!mutex_owned(&a));
}

/*
 * bootopt_get against the raw command line, read here word by word:
 * every declared option has the value of its last occurrence ("" for a
 * bare name), or NULL if the line lacks it.  tools/test's bad-option
 * scenario gives a repeated option, a bare one and an undeclared one;
 * any command line that runs this test has ktest=.
 */
KTEST(bootopt_values_match_command_line)
{
	extern const struct bootopt __start_bootopts[], __stop_bootopts[];
	char want[128];
	int ngiven = 0;

	for (const struct bootopt *bo = __start_bootopts;
	    bo < __stop_bootopts; bo++) {
		const char *p = bootinfo.bi_cmdline, *got;
		size_t len = strlen(bo->bo_name);
		bool given = false;

		while (*p != '\0') {
			size_t n = 0;

			while (p[n] != '\0' && p[n] != ' ')
				n++;

			/* "name" or "name=value": the last one wins */
			if (n >= len && strncmp(p, bo->bo_name, len) == 0 &&
			    (n == len || p[len] == '=')) {
				size_t vlen = n > len ? n - len - 1 : 0;

				KT_ASSERT(vlen < sizeof(want));
				memcpy(want, p + len + (n > len), vlen);
				want[vlen] = '\0';
				given = true;
			}
			for (p += n; *p == ' '; p++)
				continue;
		}
		got = bootopt_get(bo->bo_name);
		if (given) {
			KT_STREQ(got, want);
			ngiven++;
		} else
			KT_ASSERT(got == NULL);
	}
	KT_ASSERT(ngiven >= 1);		/* ktest=, at least */
	KT_ASSERT(bootopt_get("ktest") != NULL);
}

KTEST(printf_formats)
{
	char buf[64];

	KT_EQ(snprintf(buf, sizeof(buf), "%p", (void *)0xffffffff80001000UL),
	    18);
	KT_STREQ(buf, "0xffffffff80001000");
	snprintf(buf, sizeof(buf), "%zu %ld %lx %5s|%-3d|", (size_t)7,
	    -5L, 0xabcUL, "ab", 4);
	KT_STREQ(buf, "7 -5 abc    ab|4  |");
	KT_EQ(snprintf(buf, 4, "%s", "truncated"), 9);
	KT_STREQ(buf, "tru");
}

/*
 * Console input through the receive interrupt: tools/test types "ping"
 * once it sees the prompt line below.  (Manual: it needs someone to
 * type.)
 */
KTEST_MANUAL(selftest_console_input)
{
	char buf[16];
	size_t n = 0;
	int c;

	printf("ktest: waiting for console input: type ping and Enter\n");
	for (int ms = 0; ms < 20000 && n < sizeof(buf) - 1; ) {
		if ((c = cngetc_nowait()) < 0) {
			delay(1000);
			ms++;
			continue;
		}
		if (c == '\r' || c == '\n')
			break;
		buf[n++] = c;
	}
	buf[n] = '\0';
	printf("ktest: console input: got '%s'\n", buf);
	KT_STREQ(buf, "ping");
}

/* Lock-order classes: the scheduler's order is accepted, and every
 * CPU's count of classed locks goes back to zero. */
KTEST(lockdebug_order_accepts_scheduler_order)
{
	struct schedstate_percpu *spc = &curcpu()->ci_schedstate;
	struct cpu_info *ci = curcpu();

	if (!LOCKDEBUG)
		KT_SKIP("LOCKDEBUG=0: no lock-order counts");
	KT_EQ(spc->spc_lwplock->mtx_order, LOCKORDER_SPC_LWPLOCK);
	KT_EQ(spc->spc_mutex->mtx_order, LOCKORDER_SPC_MUTEX);
	mutex_spin_enter(spc->spc_lwplock);
	mutex_spin_enter(spc->spc_mutex);
	KT_EQ(LKORDER_HELD(ci, LOCKORDER_SPC_LWPLOCK), 1);
	KT_EQ(LKORDER_HELD(ci, LOCKORDER_SPC_MUTEX), 1);
	mutex_spin_exit(spc->spc_lwplock);	/* any release order */
	mutex_spin_exit(spc->spc_mutex);
	for (int c = 1; c < LOCKORDER_N; c++)
		KT_EQ(LKORDER_HELD(ci, c), 0);
}

/* Taking spc_lwplock while holding spc_mutex is the wrong way round:
 * LOCKDEBUG panics before it can deadlock. */
KTEST_MANUAL(selftest_lock_order,
    "^panic: lock order reversal: cpu0 takes 0x[0-9a-f]+ \\(spc_lwplock, "
    "class spc_lwplock\\) while holding a spc_mutex lock",
    "in lockdebug_order_panic\\+0x")
{
	struct schedstate_percpu *spc = &curcpu()->ci_schedstate;

	mutex_spin_enter(spc->spc_mutex);
	mutex_spin_enter(spc->spc_lwplock);
}

/* What printf() prints is kept in msgbuf too (gdb's `dmesg` reads it):
 * a line printed is among the last bytes there, whatever other CPUs
 * printed just after it. */
KTEST(msgbuf_keeps_what_printf_printed)
{
	static const char line[] = "msgbuf: a line to find\n";
	size_t n = sizeof(line) - 1, back = 1024, k;
	uint64_t end, start;
	bool found = false;

	printf("%s", line);
	end = msgbuf_total;
	KT_ASSERT(end >= n);
	start = end > back ? end - back : 0;
	for (uint64_t at = start; at + n <= end && !found; at++) {
		for (k = 0; k < n; k++)
			if (msgbuf[(at + k) % MSGBUFSIZE] != line[k])
				break;
		found = k == n;
	}
	KT_ASSERT(found);
}

/*
 * t_lwp_misc: LWP names, the private (TLS) pointer, and user contexts.
 *
 * Covered:
 *   - _lwp_setname(2)/_lwp_getname(2): a new LWP has no name (""); set
 *     and get for ourselves (lid 0 and our own lid) and for another
 *     LWP, which sees it too; a name longer than MAXCOMLEN - 1 (15)
 *     characters is cut; a buffer too small for the name:
 *     ENAMETOOLONG; bad pointers: EFAULT (the name unchanged); no such
 *     LWP: ESRCH; kern.lwp's l_name shows it (ps);
 *   - _lwp_setprivate(2)/_lwp_getprivate(2): round trip; it is the %fs
 *     base (reads through %fs see it, across switches); an address
 *     outside user space is refused (the pointer stays); a created
 *     LWP's is _lwp_makecontext's `private';
 *   - getcontext(2)/setcontext(2): a saved context resumes, getcontext
 *     returning 0 each time; uc_flags has _UC_CPU (and _UC_FPU,
 *     _UC_TLSBASE) and the registers are ours; a context with %rip
 *     outside user space, a must-be-zero or privileged %rflags bit, or
 *     a kernel %cs is refused with EINVAL and the caller carries on,
 *     nothing changed; the FPU/SSE state (an %xmm register, MXCSR)
 *     saved by getcontext comes back with setcontext.
 */
#include <sys/param.h>
#include <machine/psl.h>
#include <machine/vmparam.h>
#include <stdint.h>
#include <ucontext.h>

#include "h_lwp.h"

#define NO_SUCH_LID	9999
#define NAMEMAX		(MAXCOMLEN - 1) /* the longest name kept */

/* ---- names -------------------------------------------------------------- */

static void
check_name(lwpid_t lid, const char *want)
{
	char buf[64];

	memset(buf, 'x', sizeof(buf));
	RL(_lwp_getname(lid, buf, sizeof(buf)));
	ATF_CHECK_STREQ_MSG(buf, want, "LWP %d", (int)lid);
}

ATF_TC(name_self);
ATF_TC_HEAD(name_self, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_setname/_lwp_getname for "
	    "ourselves, named by 0 or by our lid; no name at first (\"\"); "
	    "an empty name");
}
ATF_TC_BODY(name_self, tc)
{
	lwpid_t self = _lwp_self();

	check_name(0, "");
	check_name(self, "");
	RL(_lwp_setname(0, "first"));
	check_name(0, "first");
	check_name(self, "first");
	RL(_lwp_setname(self, "second"));
	check_name(0, "second");
	RL(_lwp_setname(0, "3"));		/* shorter: no leftovers */
	check_name(self, "3");
	RL(_lwp_setname(0, ""));
	check_name(0, "");
}

/* Wait for `go', read our name into `name', wait for `stop'. */
struct namer {
	volatile int	go;
	volatile int	done;
	volatile int	stop;
	volatile int	error;
	char		name[32];
};

static void
namer(void *arg)
{
	struct namer *nm = arg;

	while (!__atomic_load_n(&nm->go, __ATOMIC_ACQUIRE))
		sched_yield();
	nm->error = _lwp_getname(0, nm->name, sizeof(nm->name)) == 0 ? 0 : 1;
	__atomic_store_n(&nm->done, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&nm->stop, __ATOMIC_ACQUIRE))
		sched_yield();
}

ATF_TC(name_other_lwp);
ATF_TC_HEAD(name_other_lwp, tc)
{
	atf_tc_set_md_var(tc, "descr", "Naming another LWP by its lid: we "
	    "read it back, it reads it as its own, ours is unchanged, "
	    "kern.lwp l_name shows each");
}
ATF_TC_BODY(name_other_lwp, tc)
{
	struct namer nm;
	struct kinfo_lwp kl;
	lwpid_t lid;

	memset(&nm, 0, sizeof(nm));
	lid = h_lwp_start(0, namer, &nm, 0);
	check_name(lid, "");
	RL(_lwp_setname(0, "boss"));
	RL(_lwp_setname(lid, "worker"));
	check_name(lid, "worker");
	check_name(0, "boss");
	__atomic_store_n(&nm.go, 1, __ATOMIC_RELEASE);
	ATF_REQUIRE(h_until(&nm.done, 1));
	ATF_CHECK_EQ(nm.error, 0);
	ATF_CHECK_STREQ(nm.name, "worker");

	ATF_REQUIRE(h_lwp_info(lid, &kl));
	ATF_CHECK_STREQ(kl.l_name, "worker");
	ATF_REQUIRE(h_lwp_info(_lwp_self(), &kl));
	ATF_CHECK_STREQ(kl.l_name, "boss");
	/* Renamed: kern.lwp follows. */
	RL(_lwp_setname(lid, "w2"));
	ATF_REQUIRE(h_lwp_info(lid, &kl));
	ATF_CHECK_STREQ(kl.l_name, "w2");
	__atomic_store_n(&nm.stop, 1, __ATOMIC_RELEASE);
	RL(_lwp_wait(lid, NULL));
}

ATF_TC(name_long_is_cut);
ATF_TC_HEAD(name_long_is_cut, tc)
{
	atf_tc_set_md_var(tc, "descr", "A name longer than MAXCOMLEN - 1 "
	    "characters is accepted and cut to its first MAXCOMLEN - 1");
}
ATF_TC_BODY(name_long_is_cut, tc)
{
	static const char longname[] =
	    "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ";
	char want[NAMEMAX + 1], exact[NAMEMAX + 1];

	ATF_REQUIRE(sizeof(longname) - 1 > NAMEMAX);
	strlcpy(want, longname, sizeof(want));
	ATF_REQUIRE_EQ(strlen(want), NAMEMAX);
	RL(_lwp_setname(0, longname));
	check_name(0, want);
	/* Exactly the longest: kept whole; one more: cut. */
	memset(exact, 'e', NAMEMAX);
	exact[NAMEMAX] = '\0';
	RL(_lwp_setname(0, exact));
	check_name(0, exact);
	strlcpy(want, "0123456789abcdefZ", sizeof(want));
	RL(_lwp_setname(0, "0123456789abcdefZ"));
	check_name(0, want);
}

ATF_TC(name_small_buffer_enametoolong);
ATF_TC_HEAD(name_small_buffer_enametoolong, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_getname into a buffer without "
	    "room for the name and its NUL: ENAMETOOLONG; with room: 0");
}
ATF_TC_BODY(name_small_buffer_enametoolong, tc)
{
	char buf[16];

	RL(_lwp_setname(0, "abcdef"));
	ATF_CHECK_ERRNO(ENAMETOOLONG, _lwp_getname(0, buf, 6) == -1);
	ATF_CHECK_ERRNO(ENAMETOOLONG, _lwp_getname(0, buf, 1) == -1);
	ATF_CHECK_ERRNO(ENAMETOOLONG, _lwp_getname(0, buf, 0) == -1);
	RL(_lwp_getname(0, buf, 7));
	ATF_CHECK_STREQ(buf, "abcdef");
	/* No name needs one byte. */
	RL(_lwp_setname(0, ""));
	RL(_lwp_getname(0, buf, 1));
	ATF_CHECK_STREQ(buf, "");
}

ATF_TC(name_bad_pointer_efault);
ATF_TC_HEAD(name_bad_pointer_efault, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_setname/_lwp_getname with a "
	    "pointer outside the program's memory: EFAULT; the name stays");
}
ATF_TC_BODY(name_bad_pointer_efault, tc)
{
	static char *const bad[] = { (char *)8,
	    (char *)0xffff800000001000UL, (char *)0x0000800000000000UL };

	RL(_lwp_setname(0, "kept"));
	for (size_t i = 0; i < __arraycount(bad); i++) {
		ATF_CHECK_ERRNO(EFAULT, _lwp_setname(0, bad[i]) == -1);
		ATF_CHECK_ERRNO(EFAULT, _lwp_getname(0, bad[i], 16) == -1);
	}
	check_name(0, "kept");
}

static void
nothing(void *arg)
{
}

ATF_TC(name_no_such_lwp_esrch);
ATF_TC_HEAD(name_no_such_lwp_esrch, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_setname/_lwp_getname of an LWP "
	    "that does not exist (or has exited): ESRCH");
}
ATF_TC_BODY(name_no_such_lwp_esrch, tc)
{
	char buf[32];
	lwpid_t lid;

	ATF_CHECK_ERRNO(ESRCH, _lwp_setname(NO_SUCH_LID, "x") == -1);
	ATF_CHECK_ERRNO(ESRCH, _lwp_getname(NO_SUCH_LID, buf,
	    sizeof(buf)) == -1);
	ATF_CHECK_ERRNO(ESRCH, _lwp_setname(-1, "x") == -1);
	lid = h_lwp_start(0, nothing, NULL, 0);
	RL(_lwp_wait(lid, NULL));
	ATF_CHECK_ERRNO(ESRCH, _lwp_setname(lid, "x") == -1);
	ATF_CHECK_ERRNO(ESRCH, _lwp_getname(lid, buf, sizeof(buf)) == -1);
}

/* ---- the private pointer ------------------------------------------------ */

/* A TLS block as libraries lay it out: its first word points to it. */
struct tcb {
	struct tcb	*self;
	long		value;
};

static void *
fs_word0(void)
{
	void *p;

	__asm__ volatile("movq %%fs:0, %0" : "=r"(p));
	return p;
}

static long
fs_word1(void)
{
	long v;

	__asm__ volatile("movq %%fs:8, %0" : "=r"(v));
	return v;
}

ATF_TC(private_roundtrip_is_fs_base);
ATF_TC_HEAD(private_roundtrip_is_fs_base, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_getprivate returns what "
	    "_lwp_setprivate set; it is the %%fs base, kept across context "
	    "switches, and what getcontext reports as _mc_tlsbase");
}
ATF_TC_BODY(private_roundtrip_is_fs_base, tc)
{
	static struct tcb tcb = { &tcb, 4242 };
	struct timespec ts = { 0, 5000000 };
	ucontext_t uc;

	_lwp_setprivate(&tcb);
	ATF_CHECK_EQ(_lwp_getprivate(), &tcb);
	ATF_CHECK_EQ(fs_word0(), &tcb);
	ATF_CHECK_EQ(fs_word1(), 4242);
	RL(nanosleep(&ts, NULL));		/* switched out and in */
	sched_yield();
	ATF_CHECK_EQ(fs_word0(), &tcb);
	ATF_CHECK_EQ(_lwp_getprivate(), &tcb);
	RL(getcontext(&uc));
	ATF_CHECK(uc.uc_flags & _UC_TLSBASE);
	ATF_CHECK_EQ(uc.uc_mcontext._mc_tlsbase, (__greg_t)&tcb);

	_lwp_setprivate((void *)0x12345000);	/* not a mapping: fine */
	ATF_CHECK_EQ(_lwp_getprivate(), (void *)0x12345000);
	_lwp_setprivate(NULL);
	ATF_CHECK_EQ(_lwp_getprivate(), NULL);
}

ATF_TC(private_kernel_address_refused);
ATF_TC_HEAD(private_kernel_address_refused, tc)
{
	atf_tc_set_md_var(tc, "descr", "_lwp_setprivate of an address at or "
	    "above VM_MAXUSER_ADDRESS (kernel, non-canonical) is refused: "
	    "_lwp_getprivate and %%fs still give the old pointer");
}
ATF_TC_BODY(private_kernel_address_refused, tc)
{
	static struct tcb tcb = { &tcb, 7 };
	static void *const bad[] = { (void *)VM_MAXUSER_ADDRESS,
	    (void *)0x0000800000000000UL, (void *)0xffff800000000000UL,
	    (void *)0xffffffff80000000UL, (void *)-1L };

	_lwp_setprivate(&tcb);
	for (size_t i = 0; i < __arraycount(bad); i++) {
		_lwp_setprivate(bad[i]);
		ATF_CHECK_EQ_MSG(_lwp_getprivate(), &tcb, "after %p: %p",
		    bad[i], _lwp_getprivate());
		ATF_CHECK_EQ(fs_word0(), &tcb);
	}
	/* The highest user address is fine. */
	_lwp_setprivate((void *)(VM_MAXUSER_ADDRESS - 1));
	ATF_CHECK_EQ(_lwp_getprivate(), (void *)(VM_MAXUSER_ADDRESS - 1));
}

struct privcheck {
	void		*volatile priv;	/* _lwp_getprivate() */
	void		*volatile fs0;		/* %fs:0 */
	volatile int	done;
};

static void
privcheck(void *arg)
{
	struct privcheck *pc = arg;

	pc->priv = _lwp_getprivate();
	pc->fs0 = fs_word0();
	__atomic_store_n(&pc->done, 1, __ATOMIC_RELEASE);
}

ATF_TC(private_of_created_lwp);
ATF_TC_HEAD(private_of_created_lwp, tc)
{
	atf_tc_set_md_var(tc, "descr", "A created LWP's private pointer "
	    "(and %%fs base) is _lwp_makecontext's `private' argument, not "
	    "its creator's");
}
ATF_TC_BODY(private_of_created_lwp, tc)
{
	static struct tcb mine = { &mine, 1 }, its = { &its, 2 };
	struct privcheck pc = { NULL, NULL, 0 };
	ucontext_t uc;
	lwpid_t lid;

	_lwp_setprivate(&mine);
	_lwp_makecontext(&uc, privcheck, &pc, &its, (caddr_t)h_stacks[0],
	    H_STACKSIZE);
	RL(_lwp_create(&uc, 0, &lid));
	RL(_lwp_wait(lid, NULL));
	ATF_CHECK_EQ(pc.done, 1);
	ATF_CHECK_EQ(pc.priv, &its);
	ATF_CHECK_EQ(pc.fs0, &its);
	ATF_CHECK_EQ(_lwp_getprivate(), &mine);	/* ours untouched */
	ATF_CHECK_EQ(fs_word0(), &mine);
}

/* ---- contexts ----------------------------------------------------------- */

ATF_TC(context_getcontext_resumes);
ATF_TC_HEAD(context_getcontext_resumes, tc)
{
	atf_tc_set_md_var(tc, "descr", "setcontext of a context getcontext "
	    "saved in the same function resumes it: getcontext returns 0 "
	    "again, memory changes since stay, setcontext never returns");
}
ATF_TC_BODY(context_getcontext_resumes, tc)
{
	static ucontext_t uc;
	static volatile int n, rv[4], after_set;

	n = 0;
	rv[n] = getcontext(&uc);
	if (after_set)
		atf_tc_fail("resumed after setcontext, not after getcontext");
	n++;
	if (n < 3) {
		if (setcontext(&uc) == -1)
			atf_tc_fail("setcontext: %s", strerror(errno));
		/*
		 * "Returned" 0: the context was resumed, but getcontext came
		 * back here, through the return address it had left on the
		 * stack, which this call has overwritten since.
		 */
		after_set = 1;
		atf_tc_fail("setcontext returned 0 (n = %d): the resumed "
		    "getcontext returned to the setcontext call", n);
	}
	ATF_CHECK_EQ(n, 3);
	ATF_CHECK_EQ(rv[0], 0);
	ATF_CHECK_EQ(rv[1], 0);
	ATF_CHECK_EQ(rv[2], 0);
}

ATF_TC(context_getcontext_flags_and_registers);
ATF_TC_HEAD(context_getcontext_flags_and_registers, tc)
{
	atf_tc_set_md_var(tc, "descr", "getcontext: uc_flags has _UC_CPU "
	    "(and _UC_FPU, _UC_TLSBASE); %%rip in user space, %%rsp on our "
	    "stack, user selectors, PSL_MBO set and no privileged flag");
}
ATF_TC_BODY(context_getcontext_flags_and_registers, tc)
{
	ucontext_t uc;
	__greg_t *gr = uc.uc_mcontext.__gregs;
	uintptr_t here = (uintptr_t)&uc;

	memset(&uc, 0, sizeof(uc));
	RL(getcontext(&uc));
	ATF_CHECK(uc.uc_flags & _UC_CPU);
	ATF_CHECK(uc.uc_flags & _UC_FPU);
	ATF_CHECK(uc.uc_flags & _UC_TLSBASE);
	ATF_CHECK(gr[_REG_RIP] != 0 && gr[_REG_RIP] < VM_MAXUSER_ADDRESS);
	ATF_CHECK_MSG(gr[_REG_RSP] <= here && gr[_REG_RSP] > here - 65536,
	    "%%rsp %#lx, a local at %#lx", gr[_REG_RSP], (unsigned long)here);
	ATF_CHECK_EQ(gr[_REG_CS] & 3, 3);
	ATF_CHECK_EQ(gr[_REG_SS] & 3, 3);
	ATF_CHECK(gr[_REG_RFLAGS] & PSL_MBO);
	ATF_CHECK((gr[_REG_RFLAGS] & (PSL_IOPL | PSL_NT | PSL_VM)) == 0);
	ATF_CHECK((gr[_REG_RFLAGS] & PSL_MBZ) == 0);
	ATF_CHECK(gr[_REG_RFLAGS] & PSL_I);
}

/*
 * setcontext with one change must fail with EINVAL and return.  If it
 * resumed the context instead, getcontext would return a second time:
 * `resumed' catches that.
 */
static void
setcontext_refuses(int what)
{
	static ucontext_t uc;
	static volatile int resumed;
	__greg_t *gr = uc.uc_mcontext.__gregs;

	resumed = 0;
	RL(getcontext(&uc));
	if (resumed++)
		atf_tc_fail("case %d: the bad context was resumed", what);
	switch (what) {
	case 0:
		gr[_REG_RIP] = VM_MAXUSER_ADDRESS;
		break;
	case 1:
		gr[_REG_RIP] = 0xffffffff80200000UL;
		break;
	case 2:
		gr[_REG_RIP] = 0x0000900000000000UL;	/* non-canonical */
		break;
	case 3:
		gr[_REG_RFLAGS] |= PSL_MBZ;
		break;
	case 4:
		gr[_REG_RFLAGS] |= 0x00008000;		/* bit 15: MBZ */
		break;
	case 5:
		gr[_REG_RFLAGS] |= PSL_IOPL;
		break;
	case 6:
		gr[_REG_RFLAGS] &= ~PSL_I;
		break;
	case 7:
		gr[_REG_CS] = 0x08;			/* a kernel %cs */
		break;
	case 8:
		gr[_REG_SS] = 0x10;
		break;
	}
	errno = 0;
	ATF_CHECK_MSG(setcontext(&uc) == -1 && errno == EINVAL,
	    "case %d: errno %d", what, errno);
}

ATF_TC(context_setcontext_bad_einval);
ATF_TC_HEAD(context_setcontext_bad_einval, tc)
{
	atf_tc_set_md_var(tc, "descr", "setcontext of a context with %%rip "
	    "at or beyond the end of user space, a must-be-zero or "
	    "privileged %%rflags bit changed, or a kernel %%cs/%%ss: EINVAL, "
	    "and the caller carries on");
}
ATF_TC_BODY(context_setcontext_bad_einval, tc)
{
	for (int i = 0; i <= 8; i++)
		setcontext_refuses(i);
}

/* Load and read %xmm8 and MXCSR. */
static void
set_xmm8(double d)
{
	__asm__ volatile("movsd %0, %%xmm8" : : "m"(d) : "xmm8");
}

static double
get_xmm8(void)
{
	double d;

	__asm__ volatile("movsd %%xmm8, %0" : "=m"(d));
	return d;
}

static void
set_mxcsr(uint32_t v)
{
	__asm__ volatile("ldmxcsr %0" : : "m"(v));
}

static uint32_t
get_mxcsr(void)
{
	uint32_t v;

	__asm__ volatile("stmxcsr %0" : "=m"(v));
	return v;
}

#define MXCSR_RC_MASK	0x6000		/* rounding control */
#define MXCSR_RC_DOWN	0x2000
#define MXCSR_RC_UP	0x4000
#define FX_MXCSR	24		/* fxsave offsets */
#define FX_XMM8		(160 + 8 * 16)

/*
 * The FPU test saves its context in a frame 4 KiB below the test body's
 * stack pointer, which the body's later calls do not reach, and makes
 * no call from that frame before resuming: so resuming it does not
 * depend on how getcontext returns (context_getcontext_resumes tests
 * that).  The resumed frame ends the case itself, with atf_tc_pass.
 */
static ucontext_t fpu_uc;
static volatile int fpu_pass;
static const double fpu_orig = 3.25, fpu_other = -17.5;

static void __attribute__((noinline))
fpu_save_and_check(uint32_t csr)
{
	volatile char pad[4096];
	uint32_t gotcsr;
	double got;

	pad[0] = pad[sizeof(pad) - 1] = 0;
	set_mxcsr(csr);
	set_xmm8(fpu_orig);
	RL(getcontext(&fpu_uc));
	got = get_xmm8();
	gotcsr = get_mxcsr();
	/* No call here on the first pass: it would overwrite getcontext's
	 * return address. */
	if (fpu_pass++ == 0)
		return;
	ATF_REQUIRE_EQ(fpu_pass, 2);
	ATF_REQUIRE_EQ_MSG(got, fpu_orig, "%%xmm8 is %g", got);
	ATF_REQUIRE_EQ_MSG(gotcsr & MXCSR_RC_MASK, MXCSR_RC_DOWN,
	    "MXCSR %#x", gotcsr);
	atf_tc_pass();
}

ATF_TC(context_fpu_restored);
ATF_TC_HEAD(context_fpu_restored, tc)
{
	atf_tc_set_md_var(tc, "descr", "The FPU/SSE state getcontext saved "
	    "(an %%xmm register, MXCSR's rounding mode; found in __fpregs) "
	    "is what setcontext brings back, whatever changed in between");
}
ATF_TC_BODY(context_fpu_restored, tc)
{
	uint32_t csr0 = get_mxcsr(), saved;
	double d;

	fpu_pass = 0;
	fpu_save_and_check((csr0 & ~MXCSR_RC_MASK) | MXCSR_RC_DOWN);
	/* The saved area has them. */
	memcpy(&d, fpu_uc.uc_mcontext.__fpregs + FX_XMM8, sizeof(d));
	ATF_REQUIRE_EQ(d, fpu_orig);
	memcpy(&saved, fpu_uc.uc_mcontext.__fpregs + FX_MXCSR, sizeof(saved));
	ATF_REQUIRE_EQ(saved & MXCSR_RC_MASK, MXCSR_RC_DOWN);
	set_xmm8(fpu_other);
	set_mxcsr((csr0 & ~MXCSR_RC_MASK) | MXCSR_RC_UP);
	setcontext(&fpu_uc);
	atf_tc_fail("setcontext returned: %s", strerror(errno));
}

ATF_TC(context_refused_changes_nothing);
ATF_TC_HEAD(context_refused_changes_nothing, tc)
{
	atf_tc_set_md_var(tc, "descr", "A refused setcontext (bad %%rip) "
	    "loads none of the context: the FPU state in it is not applied "
	    "either");
}
ATF_TC_BODY(context_refused_changes_nothing, tc)
{
	static ucontext_t uc;
	static volatile int pass;
	const double orig = 1.5, other = 99.0;

	pass = 0;
	set_xmm8(other);
	RL(getcontext(&uc));
	if (pass++ != 0)
		atf_tc_fail("the bad context was resumed");
	uc.uc_mcontext.__gregs[_REG_RIP] = VM_MAXUSER_ADDRESS;
	set_xmm8(orig);
	ATF_CHECK_ERRNO(EINVAL, setcontext(&uc) == -1);
	ATF_CHECK_EQ_MSG(get_xmm8(), orig, "%%xmm8 is %g", get_xmm8());
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, name_self);
	ATF_TP_ADD_TC(tp, name_other_lwp);
	ATF_TP_ADD_TC(tp, name_long_is_cut);
	ATF_TP_ADD_TC(tp, name_small_buffer_enametoolong);
	ATF_TP_ADD_TC(tp, name_bad_pointer_efault);
	ATF_TP_ADD_TC(tp, name_no_such_lwp_esrch);
	ATF_TP_ADD_TC(tp, private_roundtrip_is_fs_base);
	ATF_TP_ADD_TC(tp, private_kernel_address_refused);
	ATF_TP_ADD_TC(tp, private_of_created_lwp);
	ATF_TP_ADD_TC(tp, context_getcontext_resumes);
	ATF_TP_ADD_TC(tp, context_getcontext_flags_and_registers);
	ATF_TP_ADD_TC(tp, context_setcontext_bad_einval);
	ATF_TP_ADD_TC(tp, context_fpu_restored);
	ATF_TP_ADD_TC(tp, context_refused_changes_nothing);
	return atf_no_error();
}

/*
 * fuzz: a seeded system-call fuzzer (issue 16, section 1; docs/fuzz.md).
 *
 *	fuzz [seed=S] [calls=N] [batch=B] [lwps=K] [first=I] [secs=T]
 *	     [stall=MS] [check=0] [cover=0|count|guided] [signal=edges|pcs]
 *	     [prog=N] [pcs] [v]
 *
 * Random system calls over every entry of kernel/syscalls.master
 * (<sys/syscall_list.h>, generated from it: a call added there is
 * fuzzed the next build, with random arguments until it gets a
 * generator of its own below), with hostile arguments: NULL, unmapped
 * and kernel addresses, non-canonical ones, buffers straddling the end
 * of a mapping or of user space, read-only and text pages, huge and
 * negative lengths, random flags, signals and ids.
 *
 * The calls run in batches (B calls each, default 2000), each batch in
 * a child process of its own group: K racing LWPs (1..K, default 6)
 * that take calls from one shared count, create and kill more LWPs,
 * suspend, continue, park, unpark, signal and re-pin each other, and
 * map, unmap and re-protect the memory the others pass to the kernel,
 * while they call.  The batch ends when its calls are done (the LWP
 * that takes the last one exits the process), or earlier if a call
 * ends it (exit, exec, a fatal signal).  A batch that blocks -- no call
 * finished for `stall` ms of guest time (default 1000), or still
 * running after 60 s -- is killed, with its process group, by the
 * parent (there is no alarm(): it polls wait4 with WNOHANG).
 *
 * After each batch the parent checks the kernel's invariants: every
 * process of the batch is gone and kernel memory (kern.memstat: kmem
 * bytes in use, struct lwps) and the number of processes are back to
 * what they were before the first batch, within 20 s of guest time
 * (init reaps orphans meanwhile).  A difference is a leak: reported
 * with the processes left over, counted, and taken as the new
 * baseline.  check=0 turns these checks off (the soak runs the fuzzer
 * beside other programs, whose memory comes and goes).
 *
 * Reproducing: every batch's calls come from streams seeded by (seed,
 * batch, LWP slot), so `make fuzz SEED=S CALLS=N SMP=K` runs the same
 * calls again; first=I starts at batch I, to go straight to a batch
 * that went wrong.  How the LWPs interleave is the machine's, so a race
 * may need several runs (or jitter=).
 *
 * Neutralised, so that the fuzzer cannot take the machine or itself
 * down on purpose:
 *   - reboot: only init may (EPERM); the fuzzer refuses to run as init.
 *   - kill, setpgid, _sched_setaffinity: process ids are only the
 *     batch's own (its pid, its children, its group, 0) or ids no
 *     process can have (above PID_MAX, below -PID_MAX); never init,
 *     never -1 (every process), never the parent or its group.  So
 *     init never dies and every process of a batch stays in its group,
 *     where the parent's kill(-pgid, SIGKILL) reaches it.
 *   - mmap(MAP_FIXED), munmap, mprotect: only inside the batch's arena
 *     (ARENA_PAGES pages at ARENA, where the buffers the other calls
 *     get live), or at addresses the kernel must refuse; never over the
 *     program, its stacks or the shared page.
 *   - break: grows, or is refused; never shrinks below the heap libc
 *     had when the batch began.
 *   - the console: a batch closes descriptors 0, 1 and 2 first, so
 *     nothing it does reads or writes the console (a context with a
 *     register changed can send an LWP anywhere, even into libc's
 *     write with fd 0 in place): the console's read, write and ioctl
 *     are left to t_console, t_sig and the shell's tests.
 *   - execve: only /bin/true, /bin/false, the broken ELF files of
 *     /tests/elf, and paths that do not exist (no shell, no init, no
 *     fuzz: a program that waits for input or runs for ever).
 *   - fork: a child makes up to 16 calls and exits; it does not fork.
 *   - named semaphores (_ksem_open): only the names of fz_semnames may
 *     be created (O_CREAT is dropped for any other string), and the
 *     parent unlinks them after each batch (fz_unlink_sems), since a
 *     linked name rightly outlives its process; what the batch's
 *     processes still had open goes with them, as a leak check wants.
 * The rest get any argument.
 *
 * Coverage (a kernel built with `make KCOV=1`, which has /dev/kcov,
 * kcov(4)): each of a batch's LWPs (not the children it forks) gets a
 * kcov buffer of its own, and after each call takes the kernel PCs the
 * call reached into a map shared with the parent.  cover=count: the
 * calls are blind as above, and the PCs counted.  cover=guided (the
 * default when the kernel has kcov): syzkaller's loop in spirit.  Each
 * LWP's calls are logged as (call, seed of its arguments); the calls up
 * to one that reached something new (signal=edges: a pair of PCs in a
 * row never seen, hashed; signal=pcs: a PC), at most prog=N of them,
 * become a program in the corpus; each LWP of the next batch is given
 * a corpus program, mutated (new arguments for a call, a call
 * inserted, removed or replaced, a run repeated, a tail spliced from
 * another program), or, a quarter of the time, none; it runs that
 * program, then new calls as blind fuzzing does.  A guided run is
 * reproducible only as far as the coverage it saw: which calls reach
 * what depends on how the LWPs interleave.  cover=0, or a kernel
 * without kcov: blind, as above.  pcs prints every PC reached at the
 * end (for addr2line).
 *
 * Output: the seed and the command that reproduces the run, a line per
 * batch (with coverage: the PCs so far), and at the end the totals and
 * how often each call ran and succeeded.  Exit status 0 when nothing leaked and every batch died
 * when told to; 1 otherwise; 2 for bad arguments.
 */
#include <sys/ioctl.h>
#include <sys/kcov.h>
#include <sys/lwpctl.h>
#include <sys/mman.h>
#include <sys/param.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/syscall_list.h>
#include <sys/time.h>
#include <sys/sysctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <machine/vmparam.h>
#define _LIBC			/* the _ksem_* calls */
#include <sys/ksem.h>
#include <errno.h>
#include <fcntl.h>
#include <kinfo.h>
#include <limits.h>
#include <lwp.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "h_md.h"		/* H_SYSCALL: raw calls, errno untouched */

#define PG		4096UL
#define FZ_PID_MAX	30000	/* the kernel's PID_MAX (sys/proc.h): no
				 * process has a larger id */
#define FZ_NFILE	32	/* its NFILE: descriptors per process */

/* The arena: the memory the calls' buffers point into, and the only
 * place the fuzzer maps, unmaps and re-protects with MAP_FIXED.  At the
 * start of a batch: read/write, but page ARENA_RO read-only and pages
 * ARENA_HOLE and ARENA_PAGES - 1 unmapped (buffers straddle into them). */
#define ARENA		((char *)0x200000000000UL)
#define ARENA_PAGES	32
#define ARENA_SIZE	(ARENA_PAGES * PG)
#define ARENA_RO	12
#define ARENA_HOLE	15

/* LWP stacks: one slot each, with an unmapped page below. */
#define STACKS		((char *)0x300000000000UL)
#define STACK_SIZE	(16 * 1024UL)
#define STACK_STRIDE	(STACK_SIZE + PG)
#define MAXSLOTS	48

/* Scratch pages, DATA_PAGES for each slot and one set for a forked
 * child: see fz_data. */
#define DATA		((char *)0x280000000000UL)
#define DATA_PAGES	3	/* strings in the first two, structures in
				 * the last (fz_struct) */

#define MAXKIDS		8	/* forked children a batch LWP remembers */
#define MAXFORKS	64	/* forks per batch */
#define KID_CALLS	16	/* calls a forked child makes */
#define NSYS		(SYS_MAXSYSCALL + 1)	/* + "no such call" */
#define SYS_BOGUS	SYS_MAXSYSCALL		/* its index */

/* ---- what the parent and a batch share (MAP_SHARED) ------------------ */

struct fz_slot {
	volatile int32_t lid;		/* its LWP, once it runs; 0: none */
	volatile int32_t sysno;		/* the call it is in, or -1 */
	volatile uint64_t ncalls;
};

struct fz_shared {
	volatile uint64_t tickets;	/* calls handed out in this batch */
	volatile uint64_t done;		/* ... and finished */
	volatile uint32_t nslots;	/* LWP slots handed out */
	volatile uint32_t nforks;
	volatile uint32_t nsignals;	/* handler runs */
	uint64_t	seed, batch, batchcalls;
	struct fz_slot	slot[MAXSLOTS];
	struct {
		volatile uint64_t calls, ok;
		volatile uint32_t generic;	/* fuzzed by the default
						 * generator (no case in
						 * fz_args: a new call?) */
	} stat[NSYS];
};

static struct fz_shared *shm;
static char *brk0;		/* the break when the batch began */

/*
 * Coverage (cover=count, cover=guided), shared by the parent and the
 * batches like shm: the kernel PCs seen so far, one bit per byte of the
 * kernel's first COV_SPAN bytes from KERNBASE (a PC is the address
 * after a call to __sanitizer_cov_trace_pc, one per basic block, so
 * no two blocks share a byte); per slot, the program the parent gave
 * it and what it ran; and the corpus.
 *
 * A call is an FZ_ENT: its index in fz_calls (NCALLS: no such call) in
 * the low 16 bits, the seed of its arguments in the other 48.  A
 * program is a sequence of them, run by one LWP: the call, its
 * arguments drawn from a stream seeded by the seed (fz_one_guided).
 */
#define KCOV_NENT	(1 << 16)	/* entries in an LWP's buffer */
#define COV_BASE	0xffffffff80000000UL	/* KERNBASE */
#define COV_SPAN	(8UL << 20)
#define PROG_MAX	256		/* calls in a corpus program */
#define LOG_MAX		2048		/* calls a slot's log keeps */
#define CORPUS_MAX	1024
#define EDGE_BITS	(1UL << 21)	/* signal=edges: hashed (PC, PC) */
#define FZ_ENT(i, seed)	((uint64_t)(i) | ((uint64_t)(seed) << 16))
#define FZ_ENT_CALL(e)	((size_t)((e) & 0xffff))
#define FZ_ENT_SEED(e)	((e) >> 16)

struct fz_prog {
	uint32_t	len;
	uint32_t	newpcs;		/* PCs its run was first to reach */
	uint64_t	call[PROG_MAX];
};

struct fz_cov {
	volatile uint64_t npcs;		/* distinct PCs (bits set) */
	volatile uint64_t nout;		/* PCs outside the window */
	volatile uint64_t nfull;	/* calls that filled the buffer */
	volatile uint64_t nsetup;	/* LWPs that got a buffer */
	volatile uint64_t nnosetup;	/* ... and that did not (EMFILE,
					 * ENOMEM: uncovered) */
	struct fz_slotprog {
		uint32_t	plen;		/* the program given to it */
		uint64_t	prog[PROG_MAX];
		volatile uint32_t n;		/* calls it ran (logged) */
		volatile uint32_t lastnew;	/* 1 + the last that reached
						 * a new PC, or 0 */
		volatile uint32_t newpcs;	/* new PCs its calls reached */
		uint64_t	log[LOG_MAX];
	} slot[MAXSLOTS];
	uint32_t	ncorpus;		/* the parent's */
	uint64_t	nfromcorpus;		/* calls run from programs */
	struct fz_prog	corpus[CORPUS_MAX];
	volatile uint64_t nedges;	/* distinct edges (signal=edges) */
	volatile uint8_t map[COV_SPAN / 8];
	volatile uint8_t emap[EDGE_BITS / 8];
};

static struct fz_cov *cov;

/* ---- arguments ------------------------------------------------------ */

static uint64_t	opt_seed, opt_calls = 100000, opt_batch = 2000;
static uint64_t	opt_first, opt_secs, opt_stall = 1000;
static unsigned	opt_lwps = 6;
static bool	opt_check = true, opt_verbose, opt_seed_given, opt_pcs;

/* cover=: what kcov (sys/kcov.h) is used for. */
#define COVER_AUTO	-1	/* guided if the kernel has /dev/kcov */
#define COVER_OFF	0	/* blind, no kcov (cover=0) */
#define COVER_COUNT	1	/* blind calls, PCs counted (cover=count) */
#define COVER_GUIDED	2	/* a corpus, mutated (cover=guided) */
static int	opt_cover = COVER_AUTO;
static const char *const cover_names[] = { "0", "count", "guided" };
static bool	opt_edges = true;	/* signal=edges (else pcs) */
static uint32_t	opt_prog = 16;		/* prog=: calls a corpus program
					 * keeps (PROG_MAX at most) */

/* ---- the calls ---------------------------------------------------------- */

static const struct fz_call {
	int		num;
	const char	*name;
	int		nargs;
} fz_calls[] = {
#define FZ_ENTRY(num, name, nargs) { num, #name, nargs },
	SYSCALL_LIST(FZ_ENTRY)
#undef FZ_ENTRY
};
#define NCALLS	(sizeof(fz_calls) / sizeof(fz_calls[0]))

static const char *fz_names[NSYS];

/*
 * How often each call is picked, relative to 1000.  Calls that end the
 * batch or block for good are rare; the LWP, signal and memory calls
 * that make races common.  A call not named here gets 1000.
 */
static int
fz_weight(int num)
{
	switch (num) {
	case SYS_exit:			return 3;
	case SYS__lwp_exit:		return 80;
	case SYS_execve:		return 60;
	case SYS___sigsuspend14:	return 40;
	case SYS_setcontext:		return 200;
	case SYS_fork:			return 300;
	case SYS_reboot:		return 100;
	case SYS__lwp_create:		return 1500;
	case SYS__lwp_suspend:		return 1500;
	case SYS__lwp_continue:		return 2000;
	case SYS__lwp_wakeup:		return 1200;
	case SYS____lwp_park60:		return 2000;
	case SYS__lwp_unpark:		return 2000;
	case SYS__lwp_unpark_all:	return 1000;
	case SYS__lwp_kill:		return 1200;
	case SYS_kill:			return 1200;
	case SYS__sched_setaffinity:	return 1500;
	case SYS_mmap:			return 1500;
	case SYS_munmap:		return 1200;
	case SYS_mprotect:		return 1200;
	case SYS_sched_yield:		return 600;
	case SYS__ksem_wait:		return 300;	/* may wait for good */
	default:			return 1000;
	}
}

/* Cumulative weights over the calls and the "no such call" entry. */
static uint32_t	fz_cum[NCALLS + 1], fz_total;

/* ---- random numbers ----------------------------------------------------- */

struct fz_lwp {
	uint64_t	rng;		/* splitmix64 state */
	int		slot;		/* in shm->slot, or -1 (forked child) */
	int		depth;		/* 0; 1 in a forked child */
	int		left;		/* calls left (forked child) */
	pid_t		pid, pgid;	/* the batch's */
	pid_t		kids[MAXKIDS];
	int		nkids;
	kcov_int_t	*kbuf;		/* its kcov buffer, or NULL */
	uint32_t	callno;		/* guided: its slot's call now */
};

static uint64_t
mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rnd(struct fz_lwp *me)
{
	return mix(me->rng += 0x9e3779b97f4a7c15ULL);
}

/* 0 .. n-1 */
static uint64_t
below(struct fz_lwp *me, uint64_t n)
{
	return n == 0 ? 0 : rnd(me) % n;
}

/* true with probability num/den */
static bool
chance(struct fz_lwp *me, unsigned num, unsigned den)
{
	return below(me, den) < num;
}

/* The stream of (seed, batch, slot). */
static uint64_t
stream(uint64_t seed, uint64_t batch, uint64_t slot)
{
	return mix(mix(seed ^ 0x5eed) + mix(batch * 0x100000001b3ULL + 7) +
	    slot * 0x2545f4914f6cdd1dULL);
}

/* ---- hostile values ------------------------------------------------------- */

#define IN	1	/* the kernel reads it */
#define OUT	2	/* the kernel writes it */

/*
 * A pointer to `size` bytes: usually in the arena (maybe unmapped by
 * now), else hostile.  Buffers the kernel writes (OUT) never point into
 * a stack: a length that lies would overwrite live frames.
 */
static void *
fz_ptr(struct fz_lwp *me, size_t size, int how)
{
	size_t k;

	switch (below(me, 24)) {
	case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:
	case 8: case 9:
		/* In the arena, somewhere it fits if it can. */
		if (size >= ARENA_SIZE)
			return ARENA;
		return ARENA + below(me, ARENA_SIZE - size + 1);
	case 10: case 11:
		/* Straddling into the unmapped page. */
		k = size > 1 ? 1 + below(me, MIN(size - 1, PG)) : 1;
		return ARENA + ARENA_HOLE * PG - k;
	case 12:
		/* ... or into its last page, unmapped too. */
		k = size > 1 ? 1 + below(me, MIN(size - 1, PG)) : 1;
		return ARENA + ARENA_SIZE - PG - k;
	case 13:
		return NULL;
	case 14:
		return (void *)(uintptr_t)below(me, PG);
	case 15:
		return ARENA + ARENA_HOLE * PG + below(me, PG);
	case 16:
		return (void *)(0xffffffff80000000UL + below(me, 1 << 24));
	case 17:
		return (void *)(0xffff800000000000UL + below(me, 1UL << 30));
	case 18: {
		static const uintptr_t nc[] = { 0x0000800000000000UL,
		    0x00007ffffffff000UL, 0x8000000000000000UL,
		    0xfffe000000000000UL, 0xffff7fffffffffffUL };
		return (void *)nc[below(me, 5)];
	}
	case 19:
		/* Straddling the top of user space (the top of the stack:
		 * only a few bytes of it for the kernel to write). */
		k = how & OUT ? 1 + below(me, 8) :
		    1 + below(me, MIN(MAX(size, 2), PG));
		return (void *)(VM_MAXUSER_ADDRESS - k);
	case 20:
		return ARENA + ARENA_RO * PG + below(me, PG);
	case 21:
		return (char *)(uintptr_t)fz_ptr + below(me, 64);	/* text */
	case 22:
		return (void *)-(intptr_t)(1 + below(me, 4 * PG));
	default:
		return (void *)(uintptr_t)rnd(me);
	}
}

/* A length or count. */
static uint64_t
fz_len(struct fz_lwp *me)
{
	switch (below(me, 16)) {
	case 0:		return 0;
	case 1:		return 1;
	case 2: case 3: case 4: return 1 + below(me, 64);
	case 5:		return 1 + below(me, 2 * PG);
	case 6:		return PG;
	case 7:		return below(me, ARENA_SIZE + PG);
	case 8:		return SIZE_MAX;
	case 9:		return SSIZE_MAX;
	case 10:	return (uint64_t)INT_MAX + below(me, 3);
	case 11:	return 1UL << (31 + below(me, 33));
	case 12:	return -(uint64_t)(1 + below(me, PG));
	case 13:	return (uint64_t)UINT_MAX + 1;
	default:	return rnd(me) >> below(me, 64);
	}
}

/* Any int, with the edges more likely. */
static long
fz_int(struct fz_lwp *me)
{
	switch (below(me, 10)) {
	case 0:		return 0;
	case 1:		return 1;
	case 2:		return -1;
	case 3:		return INT_MAX;
	case 4:		return INT_MIN;
	case 5: case 6:	return (long)below(me, 64);
	case 7:		return (int)rnd(me);
	case 8:		return (long)rnd(me);
	default:	return 1L << below(me, 63);
	}
}

/* A flags word: a few low bits, sometimes junk. */
static long
fz_flags(struct fz_lwp *me, long known)
{
	long f = (long)(rnd(me) & known);

	if (chance(me, 1, 6))
		f |= (long)(1UL << below(me, 64));
	if (chance(me, 1, 16))
		f = fz_int(me);
	return f;
}

/* An LWP id: ours, a sibling's, or one that may not exist. */
static long
fz_lid(struct fz_lwp *me)
{
	uint32_t n = shm->nslots;
	int32_t lid;

	switch (below(me, 16)) {
	case 0: case 1:	return 0;
	case 2: case 3:	return me->slot >= 0 ? shm->slot[me->slot].lid : 1;
	case 4:		return 1;
	case 5:		return -1;
	case 6:		return 2 + (long)below(me, 300);
	case 7:		return fz_int(me);
	default:
		if (n == 0)
			return 1;
		lid = shm->slot[below(me, MIN(n, (uint32_t)MAXSLOTS))].lid;
		return lid != 0 ? lid : 1;
	}
}

/* A signal number. SIGKILL and SIGSTOP (which end or stop the batch)
 * are rare. */
static long
fz_sig(struct fz_lwp *me)
{
	long sig;

	if (chance(me, 1, 16))
		return fz_int(me);
	sig = (long)below(me, NSIG + 2);
	if ((sig == SIGKILL || sig == SIGSTOP) && !chance(me, 1, 32))
		sig = SIGUSR1;
	return sig;
}

/*
 * A process id for calls that act on other processes (kill, setpgid,
 * _sched_setaffinity): only the batch's own, or ids no process has
 * (see the header comment).  `grp`: a negative value means a group.
 */
static long
fz_pid(struct fz_lwp *me, bool grp)
{
	switch (below(me, 10)) {
	case 0: case 1:	return 0;
	case 2: case 3:	return getpid();
	case 4:		return me->nkids > 0 ? me->kids[below(me, me->nkids)] :
			    getpid();
	case 5:		return grp ? -me->pgid : me->pgid;
	case 6:		return FZ_PID_MAX + 1 + (long)below(me, 1000);
	case 7:		return grp ? -(FZ_PID_MAX + 1 + (long)below(me, 1000)) :
			    INT_MAX;
	case 8:		return INT_MIN;
	default:	return FZ_PID_MAX + (long)below(me, (uint64_t)INT_MAX -
			    FZ_PID_MAX);
	}
}

/* A descriptor: mostly in or near the table. */
static long
fz_fd(struct fz_lwp *me)
{
	if (chance(me, 1, 16))
		return fz_int(me);
	return (long)below(me, FZ_NFILE + 4) - 2;
}

/*
 * The LWP's own scratch pages (DATA_PAGES of them): where the fuzzer
 * builds the strings, vectors and structures it passes, never unmapped
 * or protected by a fuzzed call.  (The fuzzer itself never writes into
 * the arena: another LWP may have unmapped it, and the fault would be
 * the fuzzer's own.)
 */
static char *
fz_data(struct fz_lwp *me)
{
	return DATA + (size_t)(me->slot >= 0 ? me->slot : MAXSLOTS) *
	    DATA_PAGES * PG;
}

/* Room for a structure of the call's in the LWP's last scratch page. */
static void *
fz_struct(struct fz_lwp *me, size_t off)
{
	return fz_data(me) + 2 * PG + off;
}

/* ---- the batch: LWPs calling ------------------------------------------------ */

static void	fz_loop(struct fz_lwp *) __dead;
static void	fz_worker(void *);

/* The handler the batch installs for every catchable signal. */
static void
fz_handler(int sig)
{
	__atomic_add_fetch(&shm->nsignals, 1, __ATOMIC_RELAXED);
}

/*
 * SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP: sent (kill, _lwp_kill), one
 * more signal caught; from a fault (a context the fuzzer set or passed
 * to _lwp_create), the LWP that faulted exits -- returning would fault
 * again -- and the others go on.
 */
static void
fz_fault(int sig, siginfo_t *si, void *uc)
{
	int err;

	__atomic_add_fetch(&shm->nsignals, 1, __ATOMIC_RELAXED);
	if (si->si_code <= 0 || si->si_code == SI_NOINFO)
		return;
	(void)H_SYSCALL(SYS__lwp_exit, 0, 0, 0, 0, 0, 0, &err);
}

/* Strings for paths and names. */
static const char *const fz_paths[] = {
	"/", "/bin", "/bin/true", "/etc/motd", "/tests", "/tests/elf", "",
	".", "..", "/bin/../etc/motd", "//bin//true", "/nonexistent",
	"/bin/true/x", "/etc/", "/tests/elf/notelf", "bin", "/dev/console",
};
static const char *const fz_exec_paths[] = {
	"/bin/true", "/bin/false", "/nonexistent", "/bin", "",
	"/tests/elf/badclass", "/tests/elf/badmachine", "/tests/elf/badmagic",
	"/tests/elf/badtype", "/tests/elf/empty", "/tests/elf/entry_out",
	"/tests/elf/filesz_gt_memsz", "/tests/elf/kernelseg",
	"/tests/elf/notelf", "/tests/elf/overlap", "/tests/elf/phoff_out",
	"/tests/elf/straddle", "/tests/elf/trunc_seg",
	"/tests/elf/truncated", "/tests/elf/wx",
};

/* Semaphore names: the first FZ_NSEMNAMES may be created; the others
 * are refused (too long, no '/', a '/' inside, nothing after it). */
#define FZ_NSEMNAMES	4
static const char *const fz_semnames[] = {
	"/fz0", "/fz1", "/fz2", "/fz3", "/fz_name_too_long", "fz", "/",
	"/fz/x", "",
};

/*
 * A string argument: one of `list`, a long one (past PATH_MAX and
 * MAXCOMLEN), one that runs into the arena's hole with no NUL (the
 * batch filled the bytes before it), or a hostile pointer.
 */
static void *
fz_string(struct fz_lwp *me, const char *const *list, size_t n)
{
	char *p = fz_data(me);
	size_t len;

	switch (below(me, 8)) {
	case 0:
		return fz_ptr(me, 64, IN);
	case 1:
		return ARENA + ARENA_HOLE * PG - 1 - below(me, 64);
	case 2:
		len = 64 + below(me, 2 * PG - 64);
		memset(p, 'x', len - 1);
		p[0] = '/';
		p[len - 1] = '\0';
		return p;
	default:
		p += below(me, 64);
		strlcpy(p, list[below(me, n)], 256);
		return p;
	}
}

/* A timespec argument (nanosleep, _lwp_park): short waits mostly. */
static void *
fz_timespec(struct fz_lwp *me, struct timespec *ts)
{
	switch (below(me, 12)) {
	case 0:
		return fz_ptr(me, sizeof(*ts), IN);
	case 1:
		ts->tv_sec = 0; ts->tv_nsec = 0;
		break;
	case 2:
		ts->tv_sec = -1 - (long)below(me, 5); ts->tv_nsec = 0;
		break;
	case 3:
		ts->tv_sec = 0; ts->tv_nsec = 1000000000L + (long)below(me, 5);
		break;
	case 4:
		ts->tv_sec = 0; ts->tv_nsec = -1;
		break;
	case 5:
		/* Long: only a signal, an unpark or the end of the batch
		 * ends it. */
		if (chance(me, 1, 4)) {
			ts->tv_sec = LONG_MAX - (long)below(me, 2);
			ts->tv_nsec = 999999999;
			break;
		}
		/* FALLTHROUGH */
	default:
		ts->tv_sec = 0;
		ts->tv_nsec = 1 + (long)below(me, 3000000);
		break;
	}
	return ts;
}

/*
 * getcontext, then setcontext to it, maybe changed on the way: a
 * register the kernel must check (%cs, %ss, %rflags, %rip, %rsp, the
 * TLS base, the FPU control words).  Unchanged, it comes back here.
 */
static int
fz_setcontext(struct fz_lwp *me, long *args)
{
	ucontext_t uc;
	volatile int resumed = 0;
	__greg_t *gr = uc.uc_mcontext.__gregs;
	int err;

	if (getcontext(&uc) != 0)
		return errno;
	if (resumed)
		return 0;
	resumed = 1;
	switch (below(me, 16)) {
	case 0: gr[_REG_CS] = (__greg_t)fz_int(me) & 0xffff; break;
	case 1: gr[_REG_SS] = (__greg_t)fz_int(me) & 0xffff; break;
	case 2: gr[_REG_RFLAGS] ^= 1UL << below(me, 64); break;
	case 3: gr[_REG_RIP] = (__greg_t)fz_ptr(me, 1, IN); break;
	case 4: gr[_REG_RSP] = (__greg_t)fz_ptr(me, 1, IN); break;
	case 5: uc.uc_flags |= _UC_TLSBASE;
		uc.uc_mcontext._mc_tlsbase = (__greg_t)fz_ptr(me, 1, IN); break;
	case 6: uc.uc_flags |= _UC_FPU;
		memset(uc.uc_mcontext.__fpregs + below(me, 32), 0xff, 4); break;
	case 7: gr[_REG_GS + below(me, 4)] = (__greg_t)rnd(me) & 0xffff;
		break;
	case 8: uc.uc_flags = (unsigned)fz_flags(me, 0xff); break;
	default: break;		/* as it was: back to getcontext */
	}
	if (chance(me, 1, 4)) {
		uc.uc_flags |= _UC_SIGMASK;
		for (int i = 0; i < 4; i++)
			uc.uc_sigmask.__bits[i] = (uint32_t)rnd(me);
	}
	args[0] = (long)&uc;
	(void)H_SYSCALL(SYS_setcontext, &uc, 0, 0, 0, 0, 0, &err);
	return err;
}

/*
 * _lwp_create: a new racing LWP on a free stack slot (mostly), or a
 * context that may start it anywhere.
 */
static void
fz_lwp_create(struct fz_lwp *me, long *args, ucontext_t *uc, lwpid_t *lid)
{
	uint32_t slot;

	args[1] = fz_flags(me, LWP_DETACHED | LWP_SUSPENDED);
	args[2] = chance(me, 3, 4) ? (long)lid : (long)fz_ptr(me, 4, OUT);
	if (me->depth > 0 || chance(me, 1, 4) || shm->nslots >= MAXSLOTS ||
	    (slot = __atomic_fetch_add(&shm->nslots, 1, __ATOMIC_RELAXED)) >=
	    MAXSLOTS) {
		/* No stack for it: a context the kernel must refuse, or
		 * whatever the arena holds. */
		args[0] = (long)fz_ptr(me, sizeof(*uc), IN);
		return;
	}
	_lwp_makecontext(uc, fz_worker, (void *)(uintptr_t)slot, NULL,
	    STACKS + slot * STACK_STRIDE + PG, STACK_SIZE);
	if (chance(me, 1, 8))
		uc->uc_flags ^= 1u << below(me, 20);
	if (chance(me, 1, 4)) {
		uc->uc_flags |= _UC_SIGMASK;
		for (int i = 0; i < 4; i++)
			uc->uc_sigmask.__bits[i] = chance(me, 1, 2) ? 0 :
			    (uint32_t)rnd(me);
	}
	/* A register the kernel must check, or that makes the new LWP
	 * fault (fz_fault: it exits) or worse. */
	if (chance(me, 1, 16))
		uc->uc_mcontext.__gregs[below(me, _NGREG)] =
		    (__greg_t)fz_int(me);
	args[0] = (long)uc;
}

/* The arguments of call `num` (which takes `nargs`), into args[0..5]. */
static void
fz_args(struct fz_lwp *me, int num, int nargs, long *args, void *local,
    size_t nlocal)
{
	struct timespec *ts = local;
	int *ip;

	if (nargs == 0) {
		/* None: junk in the argument registers all the same. */
		for (int i = 0; i < 6; i++)
			args[i] = fz_int(me);
		return;
	}
	switch (num) {
	case SYS_exit:
		args[0] = fz_int(me);
		break;
	case SYS_read:
	case SYS_write:
	case SYS_getdents:
		args[0] = fz_fd(me);
		args[2] = (long)fz_len(me);
		args[1] = (long)fz_ptr(me, MIN((size_t)args[2], ARENA_SIZE),
		    num == SYS_write ? IN : OUT);
		break;
	case SYS_open:
		args[0] = (long)fz_string(me, fz_paths, __arraycount(fz_paths));
		args[1] = chance(me, 3, 4) ? (long)below(me, 4) |
		    (chance(me, 1, 4) ? O_DIRECTORY : 0) : fz_flags(me, 0xfff);
		args[2] = fz_int(me);
		break;
	case SYS_close:
	case SYS_fstat:
		args[0] = fz_fd(me);
		args[1] = (long)fz_ptr(me, sizeof(struct stat), OUT);
		break;
	case SYS_wait4:
		args[0] = chance(me, 1, 2) ? -1 : chance(me, 1, 2) &&
		    me->nkids > 0 ? me->kids[below(me, me->nkids)] : fz_int(me);
		args[1] = (long)fz_ptr(me, sizeof(int), OUT);
		args[2] = chance(me, 7, 8) ? WNOHANG | fz_flags(me, WUNTRACED |
		    WCONTINUED) : fz_flags(me, 0x1f);
		args[3] = (long)fz_ptr(me, sizeof(struct rusage), OUT);
		break;
	case SYS_obreak:
		switch (below(me, 6)) {
		case 0:	args[0] = 0; break;
		case 1:
		case 2:	args[0] = (long)(brk0 + below(me, 4 << 20)); break;
		case 3:	args[0] = (long)(brk0 + MAXDSIZ + below(me, 2 * PG));
			break;
		case 4:	args[0] = (long)below(me, 0x400000); break;
		default: args[0] = (long)fz_ptr(me, 1, IN);
			if (args[0] >= (long)VM_MIN_ADDRESS &&
			    args[0] < (long)brk0)
				args[0] = 0;	/* never shrink the heap */
			break;
		}
		break;
	case SYS_kill:
		args[0] = fz_pid(me, true);
		args[1] = fz_sig(me);
		break;
	case SYS_ioctl:
		args[0] = fz_fd(me);
		args[1] = chance(me, 1, 4) ? (long)rnd(me) : chance(me, 1, 2) ?
		    (long)TIOCSPGRP : (long)TIOCGPGRP;
		args[2] = (long)fz_ptr(me, sizeof(int), IN | OUT);
		ip = fz_struct(me, 0);
		*ip = chance(me, 1, 2) ? me->pgid : (int)fz_int(me);
		if (chance(me, 3, 4))
			args[2] = (long)ip;
		break;
	case SYS_execve: {
		char **v = fz_struct(me, 64);

		args[0] = (long)fz_string(me, fz_exec_paths,
		    __arraycount(fz_exec_paths));
		/* argv and envp: NULL, hostile, or a vector (in the
		 * arena: it may be gone, or straddle the hole). */
		for (int i = 1; i <= 2; i++) {
			switch (below(me, 4)) {
			case 0:	args[i] = 0; break;
			case 1:	args[i] = (long)fz_ptr(me, 16, IN); break;
			default:
				v[0] = (char *)args[0];
				v[1] = chance(me, 1, 4) ? fz_ptr(me, 8, IN) :
				    NULL;
				v[2] = NULL;
				args[i] = (long)v;
				break;
			}
		}
		break;
	}
	case SYS_munmap:
	case SYS_mprotect:
	case SYS_mmap: {
		/* In the arena, or where the kernel must refuse. */
		uint64_t pg = below(me, ARENA_PAGES);
		uint64_t n = 1 + below(me, ARENA_PAGES - pg);
		bool fixed = num != SYS_mmap || chance(me, 1, 2);

		args[0] = (long)(ARENA + pg * PG);
		args[1] = (long)(n * PG);
		switch (below(me, 10)) {
		case 0:	args[0] += 1 + (long)below(me, PG - 1); break;
		case 1:	args[1] = (long)fz_len(me);
			if (fixed && (uint64_t)args[1] > (ARENA_PAGES - pg) * PG)
				args[1] = (long)((ARENA_PAGES - pg) * PG);
			break;
		case 2:	args[0] = (long)fz_ptr(me, 1, IN);
			if (fixed) {
				/* Only addresses nothing may be mapped at. */
				static const uintptr_t bad[] = {
				    0, 0xffffffff80000000UL,
				    0xffff800000000000UL, 0x0000800000000000UL,
				    VM_MAXUSER_ADDRESS, VM_MAXUSER_ADDRESS - PG };
				args[0] = (long)bad[below(me, 6)];
				if (args[0] == (long)(VM_MAXUSER_ADDRESS - PG))
					args[1] = 2 * PG;
			}
			break;
		case 3:	args[1] = 0; break;
		default: break;
		}
		if (num == SYS_munmap)
			break;
		args[2] = chance(me, 7, 8) ? (long)below(me, 8) :
		    fz_flags(me, 0xff);
		if (num == SYS_mprotect)
			break;
		args[3] = chance(me, 7, 8) ? MAP_ANON |
		    (chance(me, 1, 2) ? MAP_PRIVATE : MAP_SHARED) |
		    (fixed ? MAP_FIXED : 0) : fz_flags(me, 0x1fff);
		if (!fixed) {
			args[3] &= ~(long)MAP_FIXED;
			/* Elsewhere: small, mostly (huge shared ones cost
			 * the kernel a page list each). */
			if (chance(me, 3, 4))
				args[1] = (long)(PG * (1 + below(me, 64)));
		} else if (!(args[3] & MAP_FIXED))
			args[3] |= MAP_FIXED;
		args[4] = chance(me, 7, 8) ? -1 : fz_fd(me);
		args[5] = chance(me, 7, 8) ? 0 : (long)fz_len(me);
		break;
	}
	case SYS_setpgid:
		/* Never out of the batch's group (see the header). */
		args[0] = chance(me, 1, 2) ? 0 : fz_pid(me, false);
		args[1] = chance(me, 1, 2) ? me->pgid : fz_pid(me, false);
		if (args[1] == 0 || (args[1] > 0 && args[1] <= FZ_PID_MAX &&
		    args[1] != me->pgid))
			args[1] = me->pgid;
		break;
	case SYS_uname:
		args[0] = (long)fz_ptr(me, sizeof(struct utsname), OUT);
		break;
	case SYS_lseek:
		args[0] = fz_fd(me);
		args[1] = chance(me, 1, 2) ? (long)below(me, 8192) : fz_int(me);
		args[2] = (long)below(me, 5) - 1;
		break;
	case SYS___sysctl: {
		static const int top[] = { CTL_KERN, CTL_HW, 0, 2, 99 };
		static const int kern[] = { KERN_OSTYPE, KERN_OSRELEASE,
		    KERN_LWP, KERN_MEMSTAT, HW_NCPU, 0, 77 };
		size_t *lenp;

		ip = fz_struct(me, 128 + below(me, 16) * 4);
		for (int i = 0; i < CTL_MAXNAME + 2; i++)
			ip[i] = i == 0 ? top[below(me, 5)] :
			    i == 1 ? kern[below(me, 7)] : (int)fz_int(me);
		args[0] = chance(me, 7, 8) ? (long)ip : (long)fz_ptr(me, 8, IN);
		args[1] = chance(me, 3, 4) ? 2 : (long)below(me, CTL_MAXNAME +
		    3) + (chance(me, 1, 8) ? (long)rnd(me) : 0);
		args[2] = chance(me, 1, 4) ? 0 : (long)fz_ptr(me, 512, OUT);
		lenp = fz_struct(me, 512 + below(me, 16) * 8);
		*lenp = chance(me, 1, 2) ? below(me, 4096) : fz_len(me);
		args[3] = chance(me, 7, 8) ? (long)lenp :
		    (long)fz_ptr(me, 8, IN | OUT);
		args[4] = chance(me, 7, 8) ? 0 : (long)fz_ptr(me, 8, IN);
		args[5] = chance(me, 7, 8) ? 0 : (long)fz_len(me);
		break;
	}
	case SYS_getpgid:
		args[0] = fz_int(me);
		break;
	case SYS_reboot:
		args[0] = fz_int(me);
		args[1] = (long)fz_ptr(me, 16, IN);
		break;
	case SYS___sigpending14:
		args[0] = (long)fz_ptr(me, sizeof(sigset_t), OUT);
		break;
	case SYS___sigprocmask14:
	case SYS___sigsuspend14: {
		sigset_t *set = local;

		for (int i = 0; i < 4; i++)
			set->__bits[i] = chance(me, 1, 2) ? 0 : (uint32_t)rnd(me);
		if (num == SYS___sigsuspend14) {
			args[0] = chance(me, 3, 4) ? (long)set :
			    (long)fz_ptr(me, sizeof(*set), IN);
			break;
		}
		args[0] = chance(me, 7, 8) ? (long)below(me, 4) : fz_int(me);
		args[1] = chance(me, 3, 4) ? (long)set : (long)fz_ptr(me,
		    sizeof(*set), IN);
		args[2] = chance(me, 1, 2) ? 0 : (long)fz_ptr(me, sizeof(*set),
		    OUT);
		break;
	}
	case SYS_getcontext:
		args[0] = (long)fz_ptr(me, sizeof(ucontext_t), OUT);
		break;
	case SYS_setcontext:
		args[0] = (long)fz_ptr(me, sizeof(ucontext_t), IN);
		break;
	case SYS__lwp_wait:
		args[0] = fz_lid(me);
		args[1] = (long)fz_ptr(me, sizeof(lwpid_t), OUT);
		break;
	case SYS__lwp_suspend:
	case SYS__lwp_continue:
	case SYS__lwp_wakeup:
	case SYS__lwp_detach:
		args[0] = fz_lid(me);
		break;
	case SYS__lwp_setprivate:
		args[0] = chance(me, 1, 2) ? 0 : (long)fz_ptr(me, 8, IN);
		break;
	case SYS__lwp_kill:
		args[0] = fz_lid(me);
		args[1] = fz_sig(me);
		break;
	case SYS__lwp_unpark:
		args[0] = fz_lid(me);
		args[1] = chance(me, 1, 2) ? 0 : (long)fz_ptr(me, 8, IN);
		break;
	case SYS__lwp_unpark_all: {
		lwpid_t *t = fz_struct(me, 1024 + below(me, 16) * 4);
		uint64_t n = below(me, 8);

		for (uint64_t i = 0; i < n + 4; i++)
			t[i] = (lwpid_t)fz_lid(me);
		args[0] = chance(me, 7, 8) ? (long)t : (long)fz_ptr(me, 16, IN);
		args[1] = chance(me, 3, 4) ? (long)n : (long)fz_len(me);
		args[2] = chance(me, 1, 2) ? 0 : (long)fz_ptr(me, 8, IN);
		break;
	}
	case SYS__lwp_setname:
		args[0] = fz_lid(me);
		args[1] = (long)fz_string(me, fz_paths, __arraycount(fz_paths));
		break;
	case SYS__lwp_getname:
		args[0] = fz_lid(me);
		args[2] = (long)fz_len(me);
		args[1] = (long)fz_ptr(me, MIN((size_t)args[2], PG), OUT);
		break;
	case SYS__lwp_ctl:
		args[0] = chance(me, 3, 4) ? (long)below(me, 4) : fz_int(me);
		args[1] = (long)fz_ptr(me, sizeof(void *), OUT);
		break;
	case SYS___sigaction_sigtramp: {
		struct sigaction *sa = local;
		extern void __sigtramp_siginfo_2(void);

		memset(sa, 0, sizeof(*sa));
		/* SIG_DFL and bad handlers end the batch at the next such
		 * signal (mostly): rarer. */
		switch (below(me, 16)) {
		case 0:	sa->sa_handler = SIG_DFL; break;
		case 1:
		case 2:
		case 3:	sa->sa_handler = SIG_IGN; break;
		case 4:	sa->sa_handler = (void (*)(int))fz_ptr(me, 1, IN);
			break;
		default: sa->sa_handler = fz_handler; break;
		}
		for (int i = 0; i < 4; i++)
			sa->sa_mask.__bits[i] = chance(me, 1, 2) ? 0 :
			    (uint32_t)rnd(me);
		sa->sa_flags = (int)fz_flags(me, 0x7f);
		args[0] = chance(me, 1, 8) ? fz_int(me) : (long)below(me, NSIG +
		    2);
		args[1] = chance(me, 1, 4) ? 0 : chance(me, 3, 4) ? (long)sa :
		    (long)fz_ptr(me, sizeof(*sa), IN);
		args[2] = chance(me, 1, 2) ? 0 : (long)fz_ptr(me, sizeof(*sa),
		    OUT);
		args[3] = chance(me, 15, 16) ? (long)__sigtramp_siginfo_2 :
		    (long)fz_ptr(me, 1, IN);
		args[4] = chance(me, 7, 8) ? 2 : fz_int(me);
		/* A handler at a bad address kills the batch at the next
		 * signal: not too often. */
		if (sa->sa_handler != SIG_DFL && sa->sa_handler != SIG_IGN &&
		    sa->sa_handler != fz_handler && !chance(me, 1, 4))
			sa->sa_handler = fz_handler;
		break;
	}
	case SYS__sched_setaffinity:
	case SYS__sched_getaffinity: {
		uint32_t *set = local;
		static const long sizes[] = { 8, 8, 8, 4, 16, 0, 1024, 1025 };

		args[0] = num == SYS__sched_setaffinity ? fz_pid(me, false) :
		    fz_int(me);
		if (chance(me, 1, 2))
			args[0] = 0;
		args[1] = fz_lid(me);
		args[2] = chance(me, 7, 8) ? sizes[below(me, 8)] :
		    (long)fz_len(me);
		set[0] = chance(me, 1, 2) ? 1u << below(me, 8) :
		    (uint32_t)rnd(me);
		set[1] = chance(me, 3, 4) ? 0 : (uint32_t)rnd(me);
		args[3] = num == SYS__sched_setaffinity && chance(me, 3, 4) ?
		    (long)set : (long)fz_ptr(me, MIN((size_t)args[2], PG),
		    num == SYS__sched_setaffinity ? IN : OUT);
		break;
	}
	case SYS_clock_gettime:
		args[0] = chance(me, 3, 4) ? (long)below(me, 6) : fz_int(me);
		args[1] = (long)fz_ptr(me, sizeof(struct timespec), OUT);
		break;
	case SYS_nanosleep:
		args[0] = (long)fz_timespec(me, ts);
		args[1] = chance(me, 1, 2) ? 0 : (long)fz_ptr(me, sizeof(*ts),
		    OUT);
		break;
	case SYS_getrusage:
		args[0] = chance(me, 3, 4) ? (long)below(me, 3) - 1 : fz_int(me);
		args[1] = (long)fz_ptr(me, sizeof(struct rusage), OUT);
		break;
	case SYS_getrlimit:
	case SYS_setrlimit: {
		struct rlimit *rl = local;
		bool set = num == SYS_setrlimit;

		args[0] = chance(me, 7, 8) ? (long)below(me, RLIM_NLIMITS + 1) :
		    fz_int(me);
		rl->rlim_cur = chance(me, 1, 2) ? below(me, 64) : rnd(me);
		rl->rlim_max = chance(me, 1, 2) ? RLIM_INFINITY :
		    rl->rlim_cur + below(me, 3) - 1;
		args[1] = set && chance(me, 3, 4) ? (long)rl :
		    (long)fz_ptr(me, sizeof(*rl), set ? IN : OUT);
		break;
	}
	case SYS___setitimer50:
	case SYS___getitimer50: {
		struct itimerval *it = local;
		bool set = num == SYS___setitimer50;

		args[0] = chance(me, 7, 8) ? (long)below(me, 4) : fz_int(me);
		/* Short timers: a SIGALRM within the batch, now and then. */
		it->it_value.tv_sec = chance(me, 7, 8) ? 0 : fz_int(me);
		it->it_value.tv_usec = chance(me, 7, 8) ?
		    (long)below(me, 1000000) : fz_int(me);
		it->it_interval.tv_sec = chance(me, 7, 8) ? 0 : fz_int(me);
		it->it_interval.tv_usec = chance(me, 1, 2) ? 0 :
		    chance(me, 7, 8) ? (long)below(me, 1000000) : fz_int(me);
		args[1] = set ? (chance(me, 3, 4) ? (long)it :
		    (long)fz_ptr(me, sizeof(*it), IN)) :
		    (long)fz_ptr(me, sizeof(*it), OUT);
		args[2] = set && chance(me, 1, 2) ?
		    (long)fz_ptr(me, sizeof(*it), OUT) : 0;
		break;
	}
	case SYS__ksem_open:
	case SYS__ksem_unlink: {
		/* Only our own names may be created (see the top). */
		bool ours = chance(me, 3, 4);
		char *name = fz_data(me);

		if (ours)
			strlcpy(name, fz_semnames[below(me,
			    __arraycount(fz_semnames))], 32);
		else
			name = fz_string(me, fz_semnames,
			    __arraycount(fz_semnames));
		args[0] = (long)name;
		args[1] = chance(me, 3, 4) ? (chance(me, 3, 4) ? O_CREAT : 0) |
		    (chance(me, 1, 2) ? O_EXCL : 0) : fz_flags(me, 0xfff);
		if (!ours)
			args[1] &= ~(long)O_CREAT;
		args[2] = fz_int(me);
		args[3] = chance(me, 3, 4) ? (long)below(me, 3) : fz_int(me);
		args[4] = chance(me, 3, 4) ? (long)fz_struct(me, 64) :
		    (long)fz_ptr(me, sizeof(intptr_t), OUT);
		break;
	}
	case SYS__ksem_init:
		args[0] = chance(me, 3, 4) ? (long)below(me, 3) : fz_int(me);
		ip = fz_struct(me, 0);
		*(intptr_t *)ip = chance(me, 1, 4) ? KSEM_PSHARED : 0;
		args[1] = chance(me, 3, 4) ? (long)ip :
		    (long)fz_ptr(me, sizeof(intptr_t), IN | OUT);
		break;
	case SYS__ksem_close:
	case SYS__ksem_post:
	case SYS__ksem_wait:
	case SYS__ksem_trywait:
	case SYS__ksem_destroy:
	case SYS__ksem_getvalue:
	case SYS__ksem_timedwait:
		args[0] = fz_fd(me);	/* a semaphore's id is a descriptor */
		args[1] = num == SYS__ksem_timedwait ?
		    (long)fz_timespec(me, ts) : chance(me, 1, 2) ?
		    (long)fz_struct(me, 64) : (long)fz_ptr(me, sizeof(int),
		    OUT);
		break;
	case SYS____lwp_park60:
		args[0] = chance(me, 7, 8) ? (chance(me, 1, 2) ?
		    CLOCK_MONOTONIC : CLOCK_REALTIME) : fz_int(me);
		args[1] = chance(me, 7, 8) ? (chance(me, 3, 4) ? 0 :
		    TIMER_ABSTIME) : fz_int(me);
		args[2] = chance(me, 1, 16) ? 0 : (long)fz_timespec(me, ts);
		args[3] = chance(me, 1, 2) ? 0 : fz_lid(me);
		args[4] = chance(me, 1, 2) ? 0 : (long)fz_ptr(me, 8, IN);
		args[5] = chance(me, 1, 2) ? 0 : (long)fz_ptr(me, 8, IN);
		break;
	default:
		/* No generator of its own (a new call?): anything. */
		shm->stat[num].generic = 1;
		for (int i = 0; i < 6; i++)
			args[i] = chance(me, 1, 2) ? fz_int(me) :
			    (long)fz_ptr(me, 64, IN | OUT);
		break;
	}
	(void)nlocal;
}

/* Pick a call by weight: an index into fz_calls, or NCALLS for a
 * number no call has. */
static size_t
fz_pick(struct fz_lwp *me)
{
	uint32_t r = (uint32_t)below(me, fz_total);
	size_t lo = 0, hi = NCALLS;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (fz_cum[mid] > r)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* A number no call has (ENOSYS): holes in the table, its end, huge
 * ones, and the call numbers with high bits set. */
static long
fz_bogus(struct fz_lwp *me)
{
	switch (below(me, 6)) {
	case 0:	return 0;
	case 1:	return SYS_MAXSYSCALL + (long)below(me, 4);
	case 2:	return -1 - (long)below(me, 4);
	case 3:	return (1L << 32) + SYS_getpid;
	case 4:	return (long)rnd(me);
	default: {
		long n;

		do
			n = (long)below(me, SYS_MAXSYSCALL);
		while (fz_names[n] != NULL);
		return n;
	}
	}
}

/* One call: fz_calls[i] (NCALLS: a number no call has), its arguments
 * from me->rng. */
static void
fz_call(struct fz_lwp *me, size_t i)
{
	long args[6] = { 0, 0, 0, 0, 0, 0 }, num, ret;
	union {
		struct timespec ts;
		sigset_t set;
		struct sigaction sa;
		struct rlimit rl;
		struct itimerval it;
		uint32_t words[4];
	} local;
	ucontext_t uc;
	lwpid_t newlid = 0;
	int err, idx;

	if (i == NCALLS) {
		num = fz_bogus(me);
		idx = SYS_BOGUS;
	} else
		idx = (int)(num = fz_calls[i].num);
	/* A forked child does not fork again; a batch forks a bounded
	 * number of times. */
	if (num == SYS_fork && (me->depth > 0 ||
	    __atomic_fetch_add(&shm->nforks, 1, __ATOMIC_RELAXED) >=
	    MAXFORKS))
		num = idx = SYS_getpid;
	if (me->slot >= 0)
		shm->slot[me->slot].sysno = idx;
	__atomic_add_fetch(&shm->stat[idx].calls, 1, __ATOMIC_RELAXED);

	if (num == SYS_setcontext && chance(me, 1, 2)) {
		err = fz_setcontext(me, args);
		ret = 0;
	} else {
		if (num == SYS__lwp_create)
			fz_lwp_create(me, args, &uc, &newlid);
		else if (idx != SYS_BOGUS)
			fz_args(me, (int)num, num == fz_calls[i].num ?
			    fz_calls[i].nargs : 0, args, &local, sizeof(local));
		else
			for (int k = 0; k < 6; k++)
				args[k] = fz_int(me);
		ret = h_syscall6(num, args[0], args[1], args[2], args[3],
		    args[4], args[5], &err);
	}
	if (err == 0)
		__atomic_add_fetch(&shm->stat[idx].ok, 1, __ATOMIC_RELAXED);
	if (me->slot >= 0) {
		shm->slot[me->slot].sysno = -1;
		shm->slot[me->slot].ncalls++;
	}

	switch (num) {
	case SYS_fork:
		if (err != 0)
			break;
		if (ret == 0) {
			/* The child: a few calls of its own, then exit. */
			me->depth = 1;
			me->slot = -1;
			me->left = (int)below(me, KID_CALLS);
			me->rng ^= 0xc0ffee;
			me->nkids = 0;
			me->kbuf = NULL;	/* its parent LWP's buffer */
		} else
			me->kids[me->nkids++ % MAXKIDS] = (pid_t)ret,
			me->nkids = MIN(me->nkids, MAXKIDS);
		break;
	}
}

/* One call picked from the LWP's stream, as blind fuzzing does. */
static void
fz_one(struct fz_lwp *me)
{
	fz_call(me, fz_pick(me));
}

/* ---- coverage: the batch's side ------------------------------------------ */

/*
 * Give this LWP a kcov buffer (raw calls: errno is the process's, and
 * other LWPs fail calls all the time).  The descriptor is closed at
 * once: the kernel keeps it while it is enabled, and no fuzzed close,
 * ioctl or mmap can reach it then.  Without one the LWP calls
 * uncovered (counted).
 */
static void
fz_kcov_on(struct fz_lwp *me)
{
	uint64_t nent = KCOV_NENT;
	int mode = KCOV_MODE_TRACE_PC, err, fd;
	long buf;

	if (opt_cover <= COVER_OFF)
		return;
	fd = (int)H_SYSCALL(SYS_open, "/dev/kcov", O_RDWR, 0, 0, 0, 0, &err);
	if (err == 0) {
		(void)H_SYSCALL(SYS_ioctl, fd, KCOV_IOC_SETBUFSIZE, &nent, 0, 0,
		    0, &err);
		buf = err != 0 ? 0 : H_SYSCALL(SYS_mmap, 0, nent *
		    KCOV_ENTRY_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0,
		    &err);
		if (err == 0)
			(void)H_SYSCALL(SYS_ioctl, fd, KCOV_IOC_ENABLE, &mode, 0,
			    0, 0, &err);
		(void)H_SYSCALL(SYS_close, fd, 0, 0, 0, 0, 0, &fd);
		if (err == 0) {
			me->kbuf = (kcov_int_t *)buf;
			me->kbuf[0] = 0;
			__atomic_add_fetch(&cov->nsetup, 1, __ATOMIC_RELAXED);
			return;
		}
	}
	__atomic_add_fetch(&cov->nnosetup, 1, __ATOMIC_RELAXED);
}

/* Set bit `i` of map; true if it was clear. */
static bool
fz_cov_set(volatile uint8_t *map, uint64_t i)
{
	uint8_t bit = (uint8_t)(1u << (i & 7));

	if (map[i >> 3] & bit)
		return false;
	return !(__atomic_fetch_or(&map[i >> 3], bit, __ATOMIC_RELAXED) & bit);
}

/*
 * The last call's PCs into the map; its buffer emptied for the next.
 * Guided, a call that reached a new PC (signal=pcs) or a new edge, a
 * pair of PCs in a row (signal=edges, hashed as AFL does), is marked
 * in its slot's log.
 */
static void
fz_cov_collect(struct fz_lwp *me)
{
	uint64_t n = me->kbuf[0], pc, off, nnew = 0, nedge = 0, h, prev = 0;

	if (n > KCOV_NENT - 1)
		n = KCOV_NENT - 1;
	if (n == KCOV_NENT - 1)
		__atomic_add_fetch(&cov->nfull, 1, __ATOMIC_RELAXED);
	for (uint64_t i = 0; i < n; i++) {
		pc = me->kbuf[i + 1];
		if ((off = pc - COV_BASE) >= COV_SPAN) {
			__atomic_add_fetch(&cov->nout, 1, __ATOMIC_RELAXED);
			continue;
		}
		nnew += fz_cov_set(cov->map, off);
		if (opt_edges) {
			h = mix(pc);
			nedge += fz_cov_set(cov->emap, (h ^ (prev >> 1)) &
			    (EDGE_BITS - 1));
			prev = h;
		}
	}
	me->kbuf[0] = 0;
	if (nnew > 0)
		__atomic_add_fetch(&cov->npcs, nnew, __ATOMIC_RELAXED);
	if (nedge > 0)
		__atomic_add_fetch(&cov->nedges, nedge, __ATOMIC_RELAXED);
	if (opt_edges)
		nnew = nedge;
	if (nnew > 0 && opt_cover == COVER_GUIDED && me->slot >= 0 &&
	    me->callno < LOG_MAX) {
		cov->slot[me->slot].newpcs += (uint32_t)nnew;
		cov->slot[me->slot].lastnew = me->callno + 1;
	}
}

/*
 * Guided: the slot's next call, from the program the parent gave it
 * while it lasts, then new ones from the LWP's stream; each logged
 * (for the corpus, if it reaches new PCs), each with its arguments from
 * a stream of its own seed, so that a program's call makes the same
 * arguments wherever it runs (as far as they depend on the seed alone:
 * ids and the state of the batch are the batch's).
 */
static void
fz_one_guided(struct fz_lwp *me)
{
	struct fz_slotprog *sp = &cov->slot[me->slot];
	uint32_t k = sp->n;
	uint64_t ent, stream_rng;

	if (k < sp->plen)
		ent = sp->prog[k];
	else {
		size_t i = fz_pick(me);

		ent = FZ_ENT(i, rnd(me) & 0xffffffffffffULL);
	}
	if (k < LOG_MAX)
		sp->log[k] = ent;
	sp->n = k + 1;
	me->callno = k;
	stream_rng = me->rng;
	me->rng = mix(FZ_ENT_SEED(ent) ^ 0xa5a5a5a5a5ULL);
	fz_call(me, FZ_ENT_CALL(ent));
	if (me->slot >= 0)	/* (not a child it forked) */
		me->rng = stream_rng;
}

/*
 * The batch's LWPs call until the batch's calls are handed out.  With
 * coverage on, an LWP with a buffer (one of the batch's slots; not a
 * forked child) takes each call's PCs into the shared map after it;
 * guided, a slot's calls come from its program (fz_one_guided).
 */
static void
fz_loop(struct fz_lwp *me)
{
	int err;

	for (;;) {
		if (me->depth > 0 && me->left-- <= 0)
			(void)H_SYSCALL(SYS_exit, 0, 0, 0, 0, 0, 0, &err);
		if (__atomic_fetch_add(&shm->tickets, 1, __ATOMIC_RELAXED) >=
		    shm->batchcalls)
			(void)H_SYSCALL(SYS_exit, 0, 0, 0, 0, 0, 0, &err);
		if (opt_cover == COVER_GUIDED && me->slot >= 0)
			fz_one_guided(me);
		else
			fz_one(me);
		if (me->kbuf != NULL)
			fz_cov_collect(me);
		__atomic_add_fetch(&shm->done, 1, __ATOMIC_RELAXED);
	}
}

/* A racing LWP, in its stack slot. */
static void
fz_worker(void *arg)
{
	struct fz_lwp me;
	int slot = (int)(uintptr_t)arg, err;

	memset(&me, 0, sizeof(me));
	me.slot = slot;
	me.rng = stream(shm->seed, shm->batch, (uint64_t)slot);
	me.pid = getpid();
	me.pgid = me.pid;
	shm->slot[slot].lid = (int32_t)H_SYSCALL(SYS__lwp_self, 0, 0, 0, 0, 0,
	    0, &err);
	fz_kcov_on(&me);
	fz_loop(&me);
}

/*
 * The shepherd: one more LWP in each batch, not fuzzing, that every
 * 20 ms continues, unparks and (every fourth round) wakes every racing
 * LWP, so that a batch whose LWPs suspended or parked each other, or
 * sleep for ever, goes on -- racing their calls as it does.  (It may be
 * suspended itself by an LWP that picks its id: the parent then kills
 * the batch as blocked.)
 */
static void
fz_shepherd(void *arg)
{
	struct timespec ts = { 0, 20 * 1000000 };
	int err;

	for (unsigned round = 0;; round++) {
		(void)H_SYSCALL(SYS_nanosleep, &ts, 0, 0, 0, 0, 0, &err);
		for (uint32_t s = 0; s < MIN(shm->nslots, (uint32_t)MAXSLOTS);
		    s++) {
			long lid = shm->slot[s].lid;

			if (lid == 0)
				continue;
			(void)H_SYSCALL(SYS__lwp_continue, lid, 0, 0, 0, 0, 0,
			    &err);
			(void)H_SYSCALL(SYS__lwp_unpark, lid, 0, 0, 0, 0, 0,
			    &err);
			if (round % 4 == 3)
				(void)H_SYSCALL(SYS__lwp_wakeup, lid, 0, 0, 0,
				    0, 0, &err);
		}
	}
}

/* The batch, in its own process (and process group). */
static void __dead
fz_batch(uint64_t batch, unsigned nlwps)
{
	struct sigaction sa;
	struct fz_lwp me;
	ucontext_t uc;
	lwpid_t lid;
	int err;

	setpgid(0, 0);
	close(0);
	close(1);
	close(2);
	/* The arena, and the stack slots (a guard page below each). */
	if (mmap(ARENA, ARENA_SIZE, PROT_READ | PROT_WRITE, MAP_ANON |
	    MAP_PRIVATE | MAP_FIXED, -1, 0) == MAP_FAILED ||
	    mprotect(ARENA + ARENA_RO * PG, PG, PROT_READ) != 0 ||
	    munmap(ARENA + ARENA_HOLE * PG, PG) != 0 ||
	    munmap(ARENA + ARENA_SIZE - PG, PG) != 0)
		_exit(120);
	/* No NUL in the 64 bytes before the hole (fz_string). */
	memset(ARENA + ARENA_HOLE * PG - 64, 'a', 64);
	if (mmap(DATA, (MAXSLOTS + 1) * DATA_PAGES * PG, PROT_READ |
	    PROT_WRITE, MAP_ANON | MAP_PRIVATE | MAP_FIXED, -1, 0) == MAP_FAILED)
		_exit(121);
	for (int s = 0; s <= MAXSLOTS; s++)	/* (the last: the shepherd) */
		if (mmap(STACKS + s * STACK_STRIDE + PG, STACK_SIZE,
		    PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE | MAP_FIXED,
		    -1, 0) == MAP_FAILED)
			_exit(121);
	/* Every catchable signal is counted (and a fault ends its LWP),
	 * but SIGCHLD, ignored. */
	memset(&sa, 0, sizeof(sa));
	for (int sig = 1; sig < NSIG; sig++) {
		bool fault = sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
		    sig == SIGFPE || sig == SIGTRAP;

		if (sig == SIGKILL || sig == SIGSTOP || sig == SIGCHLD)
			continue;
		sa.sa_flags = fault ? SA_SIGINFO : 0;
		if (fault)
			sa.sa_sigaction = fz_fault;
		else
			sa.sa_handler = fz_handler;
		(void)sigaction(sig, &sa, NULL);
	}

	memset(&me, 0, sizeof(me));
	me.slot = 0;
	me.rng = stream(shm->seed, batch, 0);
	me.pid = me.pgid = getpid();
	brk0 = (char *)H_SYSCALL(SYS_obreak, 0, 0, 0, 0, 0, 0, &err);
	shm->slot[0].lid = _lwp_self();
	shm->nslots = 1;
	for (unsigned i = 1; i < nlwps; i++) {
		uint32_t slot = shm->nslots++;

		_lwp_makecontext(&uc, fz_worker, (void *)(uintptr_t)slot, NULL,
		    STACKS + slot * STACK_STRIDE + PG, STACK_SIZE);
		if (_lwp_create(&uc, LWP_DETACHED, &lid) != 0)
			_exit(122);
	}
	_lwp_makecontext(&uc, fz_shepherd, NULL, NULL, STACKS + MAXSLOTS *
	    STACK_STRIDE + PG, STACK_SIZE);
	if (_lwp_create(&uc, LWP_DETACHED, &lid) != 0)
		_exit(123);
	fz_kcov_on(&me);
	fz_loop(&me);
}

/* ---- the parent: batches and invariants ---------------------------------- */

static struct timespec t_start;

/* Guest time since the start, in ms. */
static uint64_t
now_ms(void)
{
	struct timespec t;
	int64_t ns;

	clock_gettime(CLOCK_MONOTONIC, &t);
	ns = (int64_t)(t.tv_sec - t_start.tv_sec) * 1000000000 +
	    (t.tv_nsec - t_start.tv_nsec);
	return (uint64_t)(ns / 1000000);
}

static void
sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

struct fz_state {
	uint64_t	kmem;		/* kmem bytes in use */
	uint64_t	lwps;		/* struct lwps allocated */
	uint64_t	pages;		/* physical pages free */
	int		procs;		/* processes (pid > 0) */
};

static bool
fz_state(struct fz_state *s)
{
	int mib[2] = { CTL_KERN, KERN_MEMSTAT };
	struct kinfo_mem km;
	struct kinfo_lwp *kl;
	size_t len = sizeof(km), n;
	pid_t seen[64];
	int nseen = 0;

	if (sysctl(mib, 2, &km, &len, NULL, 0) == -1)
		return false;
	if ((kl = kinfo_getlwps(&n)) == NULL)
		return false;
	s->kmem = km.km_kmem_inuse;
	s->lwps = km.km_lwps;
	s->pages = km.km_pages_free;
	s->procs = 0;
	for (size_t i = 0; i < n; i++) {
		bool dup = false;

		if (kl[i].l_pid <= 0)
			continue;
		for (int j = 0; j < nseen && !dup; j++)
			dup = seen[j] == kl[i].l_pid;
		if (dup)
			continue;
		if (nseen < 64)
			seen[nseen++] = kl[i].l_pid;
		s->procs++;
	}
	free(kl);
	return true;
}

/* Unlink the names a batch may have made (fz_semnames). */
static void
fz_unlink_sems(void)
{
	for (int i = 0; i < FZ_NSEMNAMES; i++)
		(void)_ksem_unlink(fz_semnames[i]);
}

static bool
fz_same(const struct fz_state *a, const struct fz_state *b)
{
	return a->kmem == b->kmem && a->lwps == b->lwps && a->procs == b->procs;
}

/* The LWP table, for a batch that would not die or left something. */
/* Have the kernel show where every CPU is (kern.hangreport): the LWP
 * table above says what each LWP is, not where a running one loops. */
static void
fz_kernel_report(void)
{
	int mib[2] = { CTL_KERN, KERN_HANGREPORT }, one = 1;

	if (sysctl(mib, 2, NULL, NULL, &one, sizeof(one)) == -1)
		printf("fuzz: kern.hangreport: %s\n", strerror(errno));
}

static void
fz_show_lwps(const char *why)
{
	printf("fuzz: %s; the LWPs now:\n", why);
	if (kinfo_print_lwps("fuzz:   ", 0, 32) == -1)
		printf("fuzz: kern.lwp: %s\n", strerror(errno));
}

/* Which calls the batch's LWPs were in, for a blocked batch. */
static void
fz_where(char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (uint32_t s = 0; s < MIN(shm->nslots, (uint32_t)MAXSLOTS) &&
	    off + 40 < size;
	    s++) {
		int sys = shm->slot[s].sysno;

		if (shm->slot[s].lid == 0 || sys < 0 || sys == SYS__lwp_exit ||
		    sys == SYS_exit)
			continue;	/* (an LWP that exited stays "in" it) */
		off += (size_t)snprintf(buf + off, size - off, " %d:%s",
		    shm->slot[s].lid, sys < NSYS && fz_names[sys] != NULL ?
		    fz_names[sys] : "?");
	}
}

/* ---- coverage: the parent's side ----------------------------------------- */

/* A 48-bit argument seed. */
static uint64_t
fz_seed48(struct fz_lwp *r)
{
	return rnd(r) & 0xffffffffffffULL;
}

/*
 * Slot sp's program for the next batch: a corpus program, mutated
 * (syzkaller's mutations in spirit, one to three of them): new
 * arguments for a call, a call inserted, removed or replaced, a run of
 * calls repeated, or the tail spliced from another program.
 */
static void
fz_mutate(struct fz_lwp *r, struct fz_slotprog *sp)
{
	const struct fz_prog *p = &cov->corpus[below(r, cov->ncorpus)], *q;
	uint64_t *c = sp->prog;
	uint32_t len = p->len, k, j, n;

	memcpy(c, p->call, len * sizeof(c[0]));
	for (int op = 1 + (int)below(r, 3); op > 0; op--) {
		k = (uint32_t)below(r, len + 1);	/* a place, len: the end */
		switch (below(r, 10)) {
		case 0: case 1: case 2: case 3:		/* new arguments */
			if (k < len)
				c[k] = FZ_ENT(FZ_ENT_CALL(c[k]), fz_seed48(r));
			break;
		case 4: case 5:				/* insert a call */
			if (len == PROG_MAX)
				break;
			memmove(&c[k + 1], &c[k], (len - k) * sizeof(c[0]));
			c[k] = FZ_ENT(fz_pick(r), fz_seed48(r));
			len++;
			break;
		case 6:					/* remove one */
			if (k < len && len > 1) {
				memmove(&c[k], &c[k + 1], (len - k - 1) *
				    sizeof(c[0]));
				len--;
			}
			break;
		case 7:					/* splice */
			q = &cov->corpus[below(r, cov->ncorpus)];
			j = (uint32_t)below(r, q->len);
			n = MIN(q->len - j, PROG_MAX - k);
			memcpy(&c[k], &q->call[j], n * sizeof(c[0]));
			len = k + n;
			break;
		case 8:					/* repeat a run */
			if (k == len || len == PROG_MAX)
				break;
			n = MIN(1 + (uint32_t)below(r, MIN(len - k, 8)),
			    PROG_MAX - len);
			memmove(&c[k + n], &c[k], (len - k) * sizeof(c[0]));
			len += n;
			break;
		default:				/* another call */
			if (k < len)
				c[k] = FZ_ENT(fz_pick(r), fz_seed48(r));
			break;
		}
	}
	sp->plen = len;
}

/* Guided, before batch b: each slot's program (none, a quarter of
 * the time, and while the corpus is empty: new calls only). */
static void
fz_prepare(uint64_t b)
{
	struct fz_lwp r = { .rng = stream(opt_seed, b, 2000) };

	for (int s = 0; s < MAXSLOTS; s++) {
		struct fz_slotprog *sp = &cov->slot[s];

		sp->n = sp->lastnew = sp->newpcs = 0;
		sp->plen = 0;
		if (cov->ncorpus > 0 && !chance(&r, 1, 4))
			fz_mutate(&r, sp);
	}
}

/*
 * Guided, after batch b: each slot whose calls reached new PCs gives
 * the corpus its program: the calls it ran, up to the last that did
 * (at most PROG_MAX of them, those before it).  A full corpus has a
 * random program replaced.
 */
static void
fz_corpus_take(uint64_t b)
{
	struct fz_lwp r = { .rng = stream(opt_seed, b, 3000) };

	for (int s = 0; s < MAXSLOTS; s++) {
		struct fz_slotprog *sp = &cov->slot[s];
		uint32_t end = MIN(sp->lastnew, (uint32_t)LOG_MAX), start;
		struct fz_prog *p;

		cov->nfromcorpus += MIN(sp->n, sp->plen);
		if (sp->newpcs == 0 || end == 0)
			continue;
		start = end > opt_prog ? end - opt_prog : 0;
		p = cov->ncorpus < CORPUS_MAX ? &cov->corpus[cov->ncorpus++] :
		    &cov->corpus[below(&r, CORPUS_MAX)];
		p->len = end - start;
		p->newpcs = sp->newpcs;
		memcpy(p->call, &sp->log[start], p->len * sizeof(p->call[0]));
	}
}

struct fz_totals {
	uint64_t	calls, batches, exited, killed, signalled, stopped;
	uint64_t	leaks, unkillable, signals;
};

/* ", N kernel PCs[, corpus C]" for a batch's line, with coverage on. */
static const char *
fz_cov_note(void)
{
	static char note[64];

	if (opt_cover <= COVER_OFF)
		return "";
	if (opt_cover == COVER_GUIDED)
		snprintf(note, sizeof(note), ", %llu kernel PCs, corpus %u",
		    (unsigned long long)cov->npcs, cov->ncorpus);
	else
		snprintf(note, sizeof(note), ", %llu kernel PCs",
		    (unsigned long long)cov->npcs);
	return note;
}

/* Run batch `b`; false if the kernel did something the fuzzer cannot
 * go on after (a batch that would not die). */
static bool
fz_run_batch(uint64_t b, struct fz_state *base, struct fz_totals *tot)
{
	struct fz_lwp r = { .rng = stream(opt_seed, b, 999) };
	unsigned nlwps = 1 + (unsigned)below(&r, opt_lwps);
	uint64_t t0 = now_ms(), last = 0, lastdone = 0, settle;
	struct fz_state st;
	char where[256] = "", how[320];
	pid_t pid;
	int status = 0, rc;
	bool killed = false;

	if (opt_cover == COVER_GUIDED)
		fz_prepare(b);
	shm->tickets = shm->done = 0;
	shm->nslots = shm->nforks = 0;
	shm->batch = b;
	shm->batchcalls = opt_batch;
	memset(shm->slot, 0, sizeof(shm->slot));
	for (int s = 0; s < MAXSLOTS; s++)
		shm->slot[s].sysno = -1;

	fflush(stdout);
	if ((pid = fork()) == -1) {
		printf("fuzz: fork: %s\n", strerror(errno));
		return false;
	}
	if (pid == 0)
		fz_batch(b, nlwps);
	(void)setpgid(pid, pid);

	last = now_ms();
	for (;;) {
		rc = wait4(pid, &status, WNOHANG | WUNTRACED, NULL);
		if (rc == pid && WIFSTOPPED(status)) {
			tot->stopped++;
			(void)kill(pid, SIGCONT);
			continue;
		}
		if (rc == pid)
			break;
		if (rc == -1) {
			printf("fuzz: batch %llu: wait4: %s\n",
			    (unsigned long long)b, strerror(errno));
			return false;
		}
		if (shm->done != lastdone) {
			lastdone = shm->done;
			last = now_ms();
		}
		if (!killed && (now_ms() - last > opt_stall ||
		    now_ms() - t0 > 60000)) {
			fz_where(where, sizeof(where));
			(void)kill(-pid, SIGKILL);
			killed = true;
			last = now_ms();
		} else if (killed && now_ms() - last > 20000) {
			fz_where(where, sizeof(where));
			printf("fuzz: batch %llu: pid %d still there 20 s after "
			    "SIGKILL (in:%s)\n", (unsigned long long)b, pid,
			    where);
			fz_show_lwps("a batch that does not die");
			fz_kernel_report();
			tot->unkillable++;
			return false;
		}
		sleep_ms(killed ? 10 : 2);
	}
	/* Whatever it forked that is still there. */
	(void)kill(-pid, SIGKILL);
	fz_unlink_sems();

	tot->batches++;
	tot->calls += shm->done;
	tot->signals += shm->nsignals;
	if (opt_cover == COVER_GUIDED)
		fz_corpus_take(b);
	if (killed) {
		tot->killed++;
		if (where[0] != '\0')
			snprintf(how, sizeof(how), "killed, blocked in%s",
			    where);
		else	/* (a context set to a loop, for one) */
			snprintf(how, sizeof(how), "killed, no call finished "
			    "and none in progress (user code that loops?)");
	} else if (WIFSIGNALED(status)) {
		tot->signalled++;
		snprintf(how, sizeof(how), "died of signal %d", WTERMSIG(status));
	} else {
		tot->exited++;
		snprintf(how, sizeof(how), "exit %d", WEXITSTATUS(status));
	}

	/* The invariants: everything back as it was. */
	if (opt_check) {
		/* (The names again while it settles: a child the batch
		 * forked, still running after the batch died, may make one
		 * after the unlink above and exit -- the 10^7-call run's
		 * one "leak", a linked name of 109 bytes that the next
		 * batch's unlink freed.) */
		settle = now_ms();
		while (fz_state(&st) && !fz_same(&st, base) &&
		    now_ms() - settle < 20000) {
			fz_unlink_sems();
			sleep_ms(5);
		}
		if (!fz_same(&st, base)) {
			char why[160];

			tot->leaks++;
			snprintf(why, sizeof(why), "batch %llu leaked: kmem %+lld "
			    "bytes, %+lld struct lwps, %+d processes",
			    (unsigned long long)b,
			    (long long)(st.kmem - base->kmem),
			    (long long)(st.lwps - base->lwps),
			    st.procs - base->procs);
			printf("fuzz: LEAK: %s\n", why);
			fz_show_lwps(why);
			*base = st;	/* report each leak once */
		}
	}
	if (opt_verbose || killed || tot->batches <= 3 || b % 10 == 0 ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		printf("fuzz: batch %llu: %llu calls, %u LWPs, %s; %llu calls "
		    "in all, %llu s%s\n", (unsigned long long)b,
		    (unsigned long long)shm->done, nlwps, how,
		    (unsigned long long)tot->calls,
		    (unsigned long long)(now_ms() / 1000), fz_cov_note());
	return true;
}

/* What cover=auto became: guided with kcov, blind without. */
static int cover_auto = COVER_GUIDED;

/*
 * Does the kernel have kcov (/dev/kcov)?  cover=auto follows it;
 * cover=count or guided without it is an error (false, said why).  With
 * coverage on, the shared map and corpus (cov).
 */
static bool
fz_cover_setup(void)
{
	int fd = -1;

	if (opt_cover != COVER_OFF && (fd = open("/dev/kcov", O_RDWR)) == -1) {
		if (opt_cover != COVER_AUTO) {
			printf("fuzz: cover=%s needs kcov, and this kernel has "
			    "no /dev/kcov (%s): build it with make KCOV=1\n",
			    cover_names[opt_cover], strerror(errno));
			return false;
		}
		opt_cover = cover_auto = COVER_OFF;
		printf("fuzz: blind: no /dev/kcov in this kernel (make KCOV=1 "
		    "for coverage)\n");
	}
	if (fd != -1)
		close(fd);
	if (opt_cover == COVER_AUTO)
		opt_cover = COVER_GUIDED;
	if (opt_cover == COVER_OFF)
		return true;
	cov = mmap(NULL, (sizeof(*cov) + PG - 1) & ~(PG - 1), PROT_READ |
	    PROT_WRITE, MAP_ANON | MAP_SHARED, -1, 0);
	if (cov == MAP_FAILED) {
		printf("fuzz: mmap: %s\n", strerror(errno));
		return false;
	}
	if (opt_cover == COVER_GUIDED)
		printf("fuzz: cover=guided: kcov on; a corpus of the call "
		    "sequences (up to %u calls) that reached new kernel %s, "
		    "mutated\n", opt_prog, opt_edges ? "edges" : "PCs");
	else
		printf("fuzz: cover=count: kcov on, blind calls: kernel PCs "
		    "counted\n");
	return true;
}

/* The coverage totals, at the end. */
static void
fz_cover_report(const struct fz_totals *tot)
{
	printf("fuzz: coverage: %llu kernel PCs (basic blocks) reached in "
	    "%llu calls, cover=%s\n", (unsigned long long)cov->npcs,
	    (unsigned long long)tot->calls, cover_names[opt_cover]);
	if (opt_edges)
		printf("fuzz: coverage: %llu edges (hashed pairs of PCs)\n",
		    (unsigned long long)cov->nedges);
	if (opt_cover == COVER_GUIDED)
		printf("fuzz: corpus: %u programs; %llu calls ran from them, "
		    "%llu new\n", cov->ncorpus,
		    (unsigned long long)cov->nfromcorpus,
		    (unsigned long long)(tot->calls - MIN(tot->calls,
		    cov->nfromcorpus)));
	printf("fuzz: kcov: %llu LWPs had a buffer, %llu had none "
	    "(uncovered); %llu calls filled theirs, %llu PCs outside the "
	    "kernel's text\n", (unsigned long long)cov->nsetup,
	    (unsigned long long)cov->nnosetup,
	    (unsigned long long)cov->nfull, (unsigned long long)cov->nout);
	if (!opt_pcs)
		return;
	/* pcs: every PC reached, 6 a line (addr2line -f -e kernel.elf). */
	for (size_t i = 0, n = 0; i < sizeof(cov->map) * 8; i++)
		if (cov->map[i >> 3] & (1u << (i & 7)))
			printf("%s %lx", n++ % 6 == 0 ? "\nfuzz: pcs:" : "",
			    COV_BASE + i);
	printf("\n");
}

static void
usage(const char *why)
{
	fprintf(stderr, "fuzz: %s\n"
	    "usage: fuzz [seed=S] [calls=N] [batch=B] [lwps=K] [first=I] "
	    "[secs=T] [stall=MS] [check=0|1]\n"
	    "            [cover=0|count|guided] [signal=pcs|edges] [prog=N] "
	    "[pcs] [v]\n"
	    "  seed   the run's seed (default: from the clock; printed)\n"
	    "  calls  stop after about N calls (default 100000)\n"
	    "  secs   ... or after T seconds (the soak); both: the first\n"
	    "  batch  calls per batch process (default 2000)\n"
	    "  lwps   up to K racing LWPs per batch, 1..32 (default 6)\n"
	    "  first  start at batch I (to repeat one batch of a run)\n"
	    "  stall  a batch with no call finished for MS ms is killed "
	    "(default 1000)\n"
	    "  check  compare kernel memory and counts after each batch "
	    "(default 1)\n"
	    "  cover  0: blind; count: blind, kernel PCs counted (kcov); "
	    "guided: a corpus\n"
	    "         of call sequences that reached new PCs, mutated "
	    "(default with kcov)\n"
	    "  signal guided: what counts as new, edges (default) or pcs\n"
	    "  prog   guided: calls a corpus program keeps, 1..256 "
	    "(default 16)\n"
	    "  pcs    with coverage: print every kernel PC reached, at the "
	    "end\n"
	    "  v      a line for every batch\n", why);
	exit(2);
}

/* key=value -> value, with a clear error for junk. */
static uint64_t
num_arg(const char *arg, const char *val, uint64_t min, uint64_t max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(val, &end, 10);
	if (*val == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
		char why[128];

		snprintf(why, sizeof(why), "bad value in '%s': want a number "
		    "from %llu to %llu", arg, (unsigned long long)min,
		    (unsigned long long)max);
		usage(why);
	}
	return v;
}

int
main(int argc, char **argv)
{
	struct fz_state base;
	struct fz_totals tot;
	uint64_t b;
	long ncpu;
	bool ok = true;

	for (int i = 1; i < argc; i++) {
		char *a = argv[i], *v = strchr(a, '=');
		size_t klen = v != NULL ? (size_t)(v - a) : strlen(a);

#define KEY(k)	(klen == sizeof(k) - 1 && strncmp(a, k, klen) == 0 && v != NULL)
		if (KEY("seed")) {
			opt_seed = num_arg(a, v + 1, 0, UINT64_MAX);
			opt_seed_given = true;
		} else if (KEY("calls"))
			opt_calls = num_arg(a, v + 1, 1, UINT64_MAX);
		else if (KEY("batch"))
			opt_batch = num_arg(a, v + 1, 1, 1000000000);
		else if (KEY("lwps"))
			opt_lwps = (unsigned)num_arg(a, v + 1, 1, 32);
		else if (KEY("first"))
			opt_first = num_arg(a, v + 1, 0, UINT64_MAX / 2);
		else if (KEY("secs"))
			opt_secs = num_arg(a, v + 1, 1, 1000000000);
		else if (KEY("stall"))
			opt_stall = num_arg(a, v + 1, 10, 600000);
		else if (KEY("check"))
			opt_check = num_arg(a, v + 1, 0, 1) != 0;
		else if (KEY("prog"))
			opt_prog = (uint32_t)num_arg(a, v + 1, 1, PROG_MAX);
		else if (KEY("signal")) {
			if (strcmp(v + 1, "edges") != 0 &&
			    strcmp(v + 1, "pcs") != 0)
				usage("bad value in 'signal=': want pcs or edges");
			opt_edges = strcmp(v + 1, "edges") == 0;
		} else if (KEY("cover")) {
			for (opt_cover = COVER_GUIDED; opt_cover >= COVER_OFF &&
			    strcmp(v + 1, cover_names[opt_cover]) != 0;
			    opt_cover--)
				continue;
			if (opt_cover < COVER_OFF)
				usage("bad value in 'cover=': want 0, count or "
				    "guided");
		}
		else if (strcmp(a, "v") == 0)
			opt_verbose = true;
		else if (strcmp(a, "pcs") == 0)
			opt_pcs = true;
		else {
			char why[160];

			snprintf(why, sizeof(why), "unknown argument '%s'", a);
			usage(why);
		}
#undef KEY
	}
	if (getpid() == 1) {
		fprintf(stderr, "fuzz: will not run as init (pid 1): "
		    "reboot and signals to init would take the machine "
		    "down\n");
		return 2;
	}
	if (!opt_seed_given)
		opt_seed = h_rdtsc() % 1000000000;
	for (size_t i = 0; i < NCALLS; i++)
		fz_names[fz_calls[i].num] = fz_calls[i].name;
	fz_names[SYS_BOGUS] = "(no such call)";
	for (size_t i = 0; i <= NCALLS; i++) {
		fz_total += (uint32_t)(i < NCALLS ? fz_weight(fz_calls[i].num) :
		    300);
		fz_cum[i] = fz_total;
	}

	shm = mmap(NULL, (sizeof(*shm) + PG - 1) & ~(PG - 1), PROT_READ |
	    PROT_WRITE, MAP_ANON | MAP_SHARED, -1, 0);
	if (shm == MAP_FAILED) {
		printf("fuzz: mmap: %s\n", strerror(errno));
		return 1;
	}
	shm->seed = opt_seed;
	if (!fz_cover_setup())
		return 2;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	clock_gettime(CLOCK_MONOTONIC, &t_start);
	printf("fuzz: seed %llu, %llu calls%s%s, batches of %llu, up to %u "
	    "LWPs each, %ld CPUs, %zu system calls\n",
	    (unsigned long long)opt_seed, (unsigned long long)opt_calls,
	    opt_secs ? " or " : "", opt_secs ? "a time limit" : "",
	    (unsigned long long)opt_batch, opt_lwps, ncpu, NCALLS);
	{
		char extra[160] = "";
		int n = 0;

		if (opt_batch != 2000)
			n += snprintf(extra + n, sizeof(extra) - n, " batch=%llu",
			    (unsigned long long)opt_batch);
		if (opt_lwps != 6)
			n += snprintf(extra + n, sizeof(extra) - n, " lwps=%u",
			    opt_lwps);
		if (opt_stall != 1000)
			n += snprintf(extra + n, sizeof(extra) - n, " stall=%llu",
			    (unsigned long long)opt_stall);
		if (opt_secs != 0)
			n += snprintf(extra + n, sizeof(extra) - n, " secs=%llu",
			    (unsigned long long)opt_secs);
		if (!opt_check)
			n += snprintf(extra + n, sizeof(extra) - n, " check=0");
		if (opt_cover != cover_auto)
			n += snprintf(extra + n, sizeof(extra) - n, " cover=%s",
			    cover_names[opt_cover]);
		if (opt_cover == COVER_GUIDED && opt_prog != 16)
			n += snprintf(extra + n, sizeof(extra) - n, " prog=%u",
			    opt_prog);
		if (opt_cover == COVER_GUIDED && !opt_edges)
			n += snprintf(extra + n, sizeof(extra) - n,
			    " signal=pcs");
		printf("fuzz: reproduce: make fuzz SEED=%llu CALLS=%llu SMP=%ld"
		    "%s%s%s (FUZZ=\"first=N\" starts at batch N)\n",
		    (unsigned long long)opt_seed, (unsigned long long)opt_calls,
		    ncpu, n > 0 ? " FUZZ=\"" : "", n > 0 ? extra + 1 : "",
		    n > 0 ? "\"" : "");
	}
	fflush(stdout);

	fz_unlink_sems();	/* what an earlier run may have left */
	if (!fz_state(&base)) {
		printf("fuzz: kern.memstat: %s\n", strerror(errno));
		return 1;
	}
	memset(&tot, 0, sizeof(tot));
	for (b = opt_first; tot.calls < opt_calls &&
	    (opt_secs == 0 || now_ms() < opt_secs * 1000); b++)
		if (!fz_run_batch(b, &base, &tot)) {
			ok = false;
			break;
		}

	printf("fuzz: calls made (ok):");
	for (size_t i = 0, n = 0; i <= NCALLS; i++) {
		int idx = i < NCALLS ? fz_calls[i].num : SYS_BOGUS;

		printf("%s %s %llu (%llu)", n++ % 6 == 0 ? "\nfuzz:  " : ",",
		    fz_names[idx], (unsigned long long)shm->stat[idx].calls,
		    (unsigned long long)shm->stat[idx].ok);
	}
	printf("\n");
	{
		size_t nmade = 0, ngeneric = 0;

		for (size_t i = 0; i < NCALLS; i++) {
			nmade += shm->stat[fz_calls[i].num].calls != 0;
			ngeneric += shm->stat[fz_calls[i].num].generic != 0;
		}
		printf("fuzz: %zu of the %zu system calls made", nmade, NCALLS);
		if (ngeneric == 0)
			printf("; each has an argument generator of its own\n");
		else {
			printf("; with random arguments only (no generator in "
			    "user/bin/fuzz.c):");
			for (size_t i = 0; i < NCALLS; i++)
				if (shm->stat[fz_calls[i].num].generic)
					printf(" %s", fz_calls[i].name);
			printf("\n");
		}
	}
	if (opt_cover > COVER_OFF)
		fz_cover_report(&tot);
	printf("fuzz: seed %llu: %llu calls in %llu batches (%llu exited, "
	    "%llu killed by a signal, %llu blocked and killed; %llu stops, "
	    "%llu signals caught), %llu s; %llu leaks, %llu batches that "
	    "did not die\n", (unsigned long long)opt_seed,
	    (unsigned long long)tot.calls, (unsigned long long)tot.batches,
	    (unsigned long long)tot.exited, (unsigned long long)tot.signalled,
	    (unsigned long long)tot.killed, (unsigned long long)tot.stopped,
	    (unsigned long long)tot.signals,
	    (unsigned long long)(now_ms() / 1000),
	    (unsigned long long)tot.leaks, (unsigned long long)tot.unkillable);
	ok = ok && tot.leaks == 0 && tot.unkillable == 0;
	printf("fuzz: %s\n", ok ? "passed" : "FAILED");
	return ok ? 0 : 1;
}

/*
 * lwp.c: the libc side of LWPs that is not a plain system call:
 * _lwp_makecontext, CPU sets and affinity, sysconf.
 */
#include <sys/resource.h>
#include <sys/sysctl.h>
#include <errno.h>
#include <stddef.h>
#include <lwp.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

/* getcontext.S's offsets. */
_Static_assert(offsetof(ucontext_t, uc_mcontext.__gregs[_REG_RIP]) == 224,
    "getcontext.S: UC_RIP");
_Static_assert(offsetof(ucontext_t, uc_mcontext.__gregs[_REG_RSP]) == 248,
    "getcontext.S: UC_RSP");
_Static_assert(sizeof(ucontext_t) == __UCONTEXT_SIZE, "NetBSD's layout");

/*
 * A context for _lwp_create that calls start(arg) on the given stack
 * with `private` as its TLS pointer, as NetBSD's amd64 libc builds it:
 * the stack pointer 16-byte aligned minus the return address the call
 * would have pushed, which is _lwp_exit, so returning from start ends
 * the LWP.  The rest (signal mask, flags, FPU) is the caller's now.
 */
void
_lwp_makecontext(ucontext_t *u, void (*start)(void *), void *arg,
    void *private, caddr_t stack_base, size_t stack_size)
{
	__greg_t *gr = u->uc_mcontext.__gregs;
	uintptr_t sp;

	getcontext(u);
	u->uc_link = NULL;
	u->uc_stack.ss_sp = stack_base;
	u->uc_stack.ss_size = stack_size;
	u->uc_stack.ss_flags = 0;

	sp = ((uintptr_t)stack_base + stack_size) & ~(uintptr_t)15;
	sp -= sizeof(void *);
	*(void **)sp = (void *)_lwp_exit;
	gr[_REG_RIP] = (__greg_t)start;
	gr[_REG_RDI] = (__greg_t)arg;
	gr[_REG_RSP] = (__greg_t)sp;
	u->uc_mcontext._mc_tlsbase = (__greg_t)private;
	u->uc_flags |= _UC_CPU | _UC_TLSBASE;
}

/* ---- CPU sets: bit i % 32 of word i / 32 is CPU i (the kernel's
 * layout); room for the kernel's 256 CPUs (MAXCPUS). */
#define CPUSET_NWORDS	8

struct _cpuset {
	uint32_t	bits[CPUSET_NWORDS];
};

cpuset_t *
cpuset_create(void)
{
	return calloc(1, sizeof(cpuset_t));
}

void
cpuset_destroy(cpuset_t *c)
{
	free(c);
}

void
cpuset_zero(cpuset_t *c)
{
	memset(c, 0, sizeof(*c));
}

size_t
cpuset_size(const cpuset_t *c)
{
	return sizeof(*c);
}

int
cpuset_set(cpuid_t i, cpuset_t *c)
{
	if (i >= CPUSET_NWORDS * 32) {
		errno = EINVAL;
		return -1;
	}
	c->bits[i / 32] |= 1u << (i % 32);
	return 0;
}

int
cpuset_clr(cpuid_t i, cpuset_t *c)
{
	if (i >= CPUSET_NWORDS * 32) {
		errno = EINVAL;
		return -1;
	}
	c->bits[i / 32] &= ~(1u << (i % 32));
	return 0;
}

/* 1 if CPU i is in c, 0 if not, -1 (EINVAL) if i is out of range. */
int
cpuset_isset(cpuid_t i, const cpuset_t *c)
{
	if (i >= CPUSET_NWORDS * 32) {
		errno = EINVAL;
		return -1;
	}
	return (c->bits[i / 32] >> (i % 32)) & 1;
}

int
sched_setaffinity_np(pid_t pid, size_t size, cpuset_t *c)
{
	return _sched_setaffinity(pid, 0, size, c);
}

int
sched_getaffinity_np(pid_t pid, size_t size, cpuset_t *c)
{
	return _sched_getaffinity(pid, 0, size, c);
}

/* ---- sysconf ----------------------------------------------------------- */

long
sysconf(int name)
{
	int mib[2] = { CTL_HW, HW_NCPU }, n;
	size_t len = sizeof(n);
	struct rlimit rl;

	switch (name) {
	case _SC_NPROCESSORS_CONF:	/* (every CPU there is runs) */
	case _SC_NPROCESSORS_ONLN:
		if (sysctl(mib, 2, &n, &len, NULL, 0) == -1)
			return -1;
		return n;
	case _SC_PAGESIZE:
		return 4096;
	case _SC_CLK_TCK:
		return 100;
	case _SC_OPEN_MAX:
		if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
			return -1;
		return (long)rl.rlim_cur;
	case _SC_THREADS:		/* libpthread */
	case _SC_SEMAPHORES:		/* <semaphore.h>, named ones too */
		return 200112L;
	default:
		errno = EINVAL;
		return -1;
	}
}

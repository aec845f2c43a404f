/*
 * h_user.h: helpers shared by the user programs (bin/ and tests/):
 * timing in TSC cycles, sorting samples, and pinning an LWP or a thread
 * to one CPU.  Everything is static inline: a program takes what it
 * uses.
 *
 * Where the shared helpers live: user/common/ (on the include path,
 * user/user.mk), this file for machine-independent ones, h_md.h for
 * the x86 instructions.  A raw system call is libc's syscall(2)
 * (<unistd.h>), or h_syscall6 (h_md.h) where errno must stay as it
 * is, with the numbers of <sys/syscall.h> (generated from
 * kernel/syscalls.master): never write a number down.
 *
 * The timing part also builds on a Linux host (tools/lwpbench-linux
 * compiles user/bin/lwpbench.c with -Iuser/common); the pinning part
 * is lwpkern's (NetBSD's cpuset_t API).
 */
#ifndef _H_USER_H_
#define _H_USER_H_

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "h_md.h"

/*
 * h_tsc(): a counter for timing code, in H_TSC_UNIT: the TSC on x86
 * (TSC cycles; guest instructions under QEMU's -icount shift=0),
 * CLOCK_MONOTONIC's nanoseconds elsewhere.
 */
#if defined(__x86_64__) || defined(__i386__)
#define H_TSC_UNIT	"cycles"
static inline uint64_t
h_tsc(void)
{
	return h_rdtsc();
}
#else
#define H_TSC_UNIT	"ns"
static inline uint64_t
h_tsc(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
#endif

static inline int
h_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort n samples, smallest first: v[0] is the minimum, v[n / 2] the
 * median. */
static inline void
h_sort_u64(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), h_cmp_u64);
}

#ifdef H_LWPKERN
#include <errno.h>
#include <lwp.h>
#include <pthread.h>
#include <sched.h>

/*
 * A new CPU set holding CPU cpu only (cpu < 0: none, which as an
 * affinity means "any CPU again"); cpuset_destroy it.  NULL on failure
 * (errno: ENOMEM, or EINVAL for a CPU beyond cpuset_t).
 */
static inline cpuset_t *
h_cpuset_one(int cpu)
{
	cpuset_t *cs;

	if ((cs = cpuset_create()) == NULL)
		return NULL;
	cpuset_zero(cs);
	if (cpu >= 0 && cpuset_set(cpu, cs) == -1) {
		cpuset_destroy(cs);
		return NULL;
	}
	return cs;
}

/*
 * Pin LWP lid of this process (0: every LWP of the process) to CPU cpu
 * (cpu < 0: unpin): _sched_setaffinity(2).  LWPs created later inherit
 * their creator's affinity.  0, or -1 with errno set.
 */
static inline int
h_pin_lwp(lwpid_t lid, int cpu)
{
	cpuset_t *cs;
	int rv;

	if ((cs = h_cpuset_one(cpu)) == NULL)
		return -1;
	rv = _sched_setaffinity(0, lid, cpuset_size(cs), cs);
	cpuset_destroy(cs);
	return rv;
}

/*
 * The same for POSIX thread t: pthread_setaffinity_np(3), which
 * returns an error number; here 0, or -1 with errno set.
 */
static inline int
h_pin_pthread(pthread_t t, int cpu)
{
	cpuset_t *cs;
	int error;

	if ((cs = h_cpuset_one(cpu)) == NULL)
		return -1;
	error = pthread_setaffinity_np(t, cpuset_size(cs), cs);
	cpuset_destroy(cs);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}
#endif /* H_LWPKERN */

#endif /* !_H_USER_H_ */

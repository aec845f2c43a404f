/*
 * sched.h: giving up the CPU, and CPU affinity as NetBSD has it.
 *
 * A cpuset_t is opaque: make one with cpuset_create(), fill it with
 * cpuset_set(), pass it with cpuset_size() to sched_setaffinity_np().
 * An empty set lets the process's LWPs run anywhere again.  (NetBSD
 * keeps the affinity calls in librt; here they are in libc.)
 */
#ifndef _SCHED_H_
#define _SCHED_H_

#include <sys/types.h>

int	sched_yield(void);

cpuset_t *cpuset_create(void);
void	cpuset_destroy(cpuset_t *);
void	cpuset_zero(cpuset_t *);
int	cpuset_set(cpuid_t, cpuset_t *);
int	cpuset_clr(cpuid_t, cpuset_t *);
int	cpuset_isset(cpuid_t, const cpuset_t *);
size_t	cpuset_size(const cpuset_t *);

int	sched_setaffinity_np(pid_t, size_t, cpuset_t *);
int	sched_getaffinity_np(pid_t, size_t, cpuset_t *);
/* The system calls underneath (lid 0: every LWP of the process). */
int	_sched_setaffinity(pid_t, lwpid_t, size_t, const cpuset_t *);
int	_sched_getaffinity(pid_t, lwpid_t, size_t, cpuset_t *);

#endif /* !_SCHED_H_ */

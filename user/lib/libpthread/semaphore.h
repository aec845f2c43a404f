/*
 * semaphore.h: POSIX semaphores (libpthread: link with it, as on
 * NetBSD).  The functions return 0, or -1 with errno set.
 *
 * Unnamed ones (sem_init) live in user space, in the sem_t, on park
 * and unpark; only process-private ones (sem_init's pshared 0: ENOSYS
 * otherwise).  Named ones (sem_open) are the kernel's, through its
 * _ksem_* calls (sys/ksem.h, docs/man/_ksem_open.2), as NetBSD does
 * them: sem_open returns a sem_t of its own, marked named, that holds
 * the kernel's id; the same functions take both kinds.  Names are "/"
 * and at most 13 more characters, none a '/'.  sem_timedwait's time is
 * absolute, on CLOCK_REALTIME.
 */
#ifndef _SEMAPHORE_H_
#define _SEMAPHORE_H_

#include <pthread.h>

typedef struct {
	unsigned int	sem_magic;
	volatile int	sem_interlock;
	volatile unsigned int sem_count;
	struct __pthread_queue sem_waiters;
	long		sem_ksemid;	/* named: the kernel's id */
} sem_t;

#define _PT_SEM_MAGIC	0x51515151
#define _PT_SEM_MAGIC_NAMED 0x4e414d44	/* 'NAMD' (sem_open's) */
#define SEM_VALUE_MAX	0x7fffffffU
#define SEM_FAILED	((sem_t *)-1)

int	sem_init(sem_t *, int, unsigned int);
int	sem_destroy(sem_t *);
int	sem_wait(sem_t *);
int	sem_trywait(sem_t *);
int	sem_timedwait(sem_t *, const struct timespec *);
int	sem_post(sem_t *);
int	sem_getvalue(sem_t *, int *);
/* Named: sem_open(name, oflag[, mode, value]) with O_CREAT, O_EXCL. */
sem_t	*sem_open(const char *, int, ...);
int	sem_close(sem_t *);
int	sem_unlink(const char *);

#endif /* !_SEMAPHORE_H_ */

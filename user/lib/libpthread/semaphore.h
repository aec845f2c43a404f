/*
 * semaphore.h: POSIX unnamed semaphores (libpthread: link with it, as
 * on NetBSD).  The functions return 0, or -1 with errno set.  Only
 * process-private ones (sem_init's pshared 0: ENOSYS otherwise).
 * Named semaphores are declared (NetBSD's programs use them) but not
 * implemented: sem_open, sem_close and sem_unlink fail with ENOSYS
 * (NetBSD backs them with the kernel's _ksem_* calls, which lwpkern
 * does not have).  sem_timedwait's time is absolute, on CLOCK_REALTIME.
 */
#ifndef _SEMAPHORE_H_
#define _SEMAPHORE_H_

#include <pthread.h>

typedef struct {
	unsigned int	sem_magic;
	volatile int	sem_interlock;
	volatile unsigned int sem_count;
	struct __pthread_queue sem_waiters;
} sem_t;

#define _PT_SEM_MAGIC	0x51515151
#define SEM_VALUE_MAX	0x7fffffffU
#define SEM_FAILED	((sem_t *)-1)

int	sem_init(sem_t *, int, unsigned int);
int	sem_destroy(sem_t *);
int	sem_wait(sem_t *);
int	sem_trywait(sem_t *);
int	sem_timedwait(sem_t *, const struct timespec *);
int	sem_post(sem_t *);
int	sem_getvalue(sem_t *, int *);
/* Named: not implemented (ENOSYS); sem_open returns SEM_FAILED. */
sem_t	*sem_open(const char *, int, ...);
int	sem_close(sem_t *);
int	sem_unlink(const char *);

#endif /* !_SEMAPHORE_H_ */

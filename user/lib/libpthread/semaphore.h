/*
 * semaphore.h: POSIX unnamed semaphores (libpthread: link with it, as
 * on NetBSD).  The functions return 0, or -1 with errno set.  Only
 * process-private ones (sem_init's pshared 0: ENOSYS otherwise); no
 * named semaphores (sem_open).  sem_timedwait's time is absolute, on
 * CLOCK_REALTIME.
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

int	sem_init(sem_t *, int, unsigned int);
int	sem_destroy(sem_t *);
int	sem_wait(sem_t *);
int	sem_trywait(sem_t *);
int	sem_timedwait(sem_t *, const struct timespec *);
int	sem_post(sem_t *);
int	sem_getvalue(sem_t *, int *);

#endif /* !_SEMAPHORE_H_ */

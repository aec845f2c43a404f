/*
 * hdrcheck.c: not part of libpthread.  user/user.mk compiles it with
 * -std=c11 -pedantic -Werror, so that pthread.h and semaphore.h stay
 * plain C11 like libc's headers (user/lib/libc/hdrcheck.c).
 */
#include <pthread.h>
#include <semaphore.h>
#include <pthread.h>		/* again: guarded */

int	pthread_hdrcheck(void);

int
pthread_hdrcheck(void)
{
	static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
	static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
	static pthread_once_t o = PTHREAD_ONCE_INIT;
	sem_t s;

	return (int)sizeof(m) + (int)sizeof(c) + (int)sizeof(rw) +
	    (int)sizeof(o) + (int)sizeof(s);
}

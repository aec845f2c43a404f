/*
 * pthread_specific.c: thread-specific data (keys).  Each thread block
 * has PTHREAD_KEYS_MAX value slots; a key is a slot's index, taken
 * from the table below.  A new key's slot is cleared in every live
 * thread (a deleted key's old values must not show through).
 * getspecific and setspecific touch only the caller's block: no lock.
 * When a thread exits (pthread_exit, or returning from its function),
 * destructors run for its non-NULL values, for up to
 * PTHREAD_DESTRUCTOR_ITERATIONS rounds while they set new ones.
 */
#include "pthread_int.h"

static pthread_mutex_t	keylock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	int	inuse;
	void	(*dtor)(void *);
} keys[PTHREAD_KEYS_MAX];			/* under keylock */

int
pthread_key_create(pthread_key_t *kp, void (*dtor)(void *))
{
	pthread_t t;
	int k;

	(void)pthread__self_init();
	pthread_mutex_lock(&keylock);
	for (k = 0; k < PTHREAD_KEYS_MAX && keys[k].inuse; k++)
		continue;
	if (k == PTHREAD_KEYS_MAX) {
		pthread_mutex_unlock(&keylock);
		return EAGAIN;
	}
	keys[k].inuse = 1;
	keys[k].dtor = dtor;
	pthread_mutex_lock(&pthread__alllock);
	for (t = pthread__allthreads; t != NULL; t = t->pt_allnext)
		t->pt_specific[k] = NULL;
	pthread_mutex_unlock(&pthread__alllock);
	pthread_mutex_unlock(&keylock);
	*kp = k;
	return 0;
}

int
pthread_key_delete(pthread_key_t k)
{
	int error = 0;

	if (k < 0 || k >= PTHREAD_KEYS_MAX)
		return EINVAL;
	pthread_mutex_lock(&keylock);
	if (!keys[k].inuse)
		error = EINVAL;
	keys[k].inuse = 0;
	keys[k].dtor = NULL;
	pthread_mutex_unlock(&keylock);
	return error;
}

void *
pthread_getspecific(pthread_key_t k)
{
	if (__predict_false(k < 0 || k >= PTHREAD_KEYS_MAX))
		return NULL;
	return pthread__self_init()->pt_specific[k];
}

int
pthread_setspecific(pthread_key_t k, const void *value)
{
	pthread_t self = pthread__self_init();

	if (__predict_false(k < 0 || k >= PTHREAD_KEYS_MAX))
		return EINVAL;
	self->pt_specific[k] = (void *)(uintptr_t)value;
	self->pt_havespecific = 1;
	return 0;
}

/* At exit: the destructors, over and over while values appear. */
void
pthread__destroy_specific(pthread_t self)
{
	void (*dtor)(void *);
	bool again = true;
	void *v;

	if (!self->pt_havespecific)
		return;
	for (int round = 0; again && round < PTHREAD_DESTRUCTOR_ITERATIONS;
	    round++) {
		again = false;
		for (int k = 0; k < PTHREAD_KEYS_MAX; k++) {
			if ((v = self->pt_specific[k]) == NULL)
				continue;
			self->pt_specific[k] = NULL;
			pthread_mutex_lock(&keylock);
			dtor = keys[k].inuse ? keys[k].dtor : NULL;
			pthread_mutex_unlock(&keylock);
			if (dtor != NULL) {
				dtor(v);
				again = true;
			}
		}
	}
}

/*
 * signal.h: the signal numbers (sys/signal.h).  Sending and catching
 * signals come with the kernel's signal support; until then wait()
 * reports them (WTERMSIG) when a fault kills a process.
 */
#ifndef _SIGNAL_H_
#define _SIGNAL_H_

#include <sys/signal.h>

typedef int	sig_atomic_t;

#endif /* !_SIGNAL_H_ */

/*
 * fcntl.h: open(2).  The mode argument matters only with O_CREAT.
 */
#ifndef _FCNTL_H_
#define _FCNTL_H_

#include <sys/types.h>
#include <sys/fcntl.h>

int	open(const char *, int, ...);

#endif /* !_FCNTL_H_ */

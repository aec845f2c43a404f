/*
 * brk.c: the program break, on the obreak system call, whose stub
 * __sys_break(addr) sets the break to addr and returns it (with NULL:
 * just returns it).  libc remembers the break so that sbrk(n) returns
 * exactly where the previous one ended, whatever rounding the kernel
 * does.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>

void	*__sys_break(void *);

static char	*curbrk;

int
brk(void *addr)
{
	if (__sys_break(addr) == (void *)-1)
		return -1;
	curbrk = addr;
	return 0;
}

void *
sbrk(intptr_t incr)
{
	char *old;

	if (curbrk == NULL && (curbrk = __sys_break(NULL)) == (void *)-1) {
		curbrk = NULL;
		return (void *)-1;
	}
	old = curbrk;
	if (incr == 0)
		return old;
	if ((incr > 0 && (uintptr_t)old + incr < (uintptr_t)old) ||
	    (incr < 0 && (uintptr_t)-incr > (uintptr_t)old)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	if (brk(old + incr) == -1)
		return (void *)-1;
	return old;
}

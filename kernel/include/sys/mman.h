/*
 * sys/mman.h: mmap(2) and friends, NetBSD's values (shared with user
 * space).
 */
#ifndef _SYS_MMAN_H_
#define _SYS_MMAN_H_

#define PROT_NONE	0x00
#define PROT_READ	0x01
#define PROT_WRITE	0x02
#define PROT_EXEC	0x04

#define MAP_SHARED	0x0001	/* changes are seen by every sharer */
#define MAP_PRIVATE	0x0002	/* changes are private (fork copies) */
#define MAP_FIXED	0x0010	/* exactly at addr, replacing what is there */
#define MAP_ANON	0x1000	/* anonymous memory, zero-filled */
#define MAP_ANONYMOUS	MAP_ANON

#define MAP_FAILED	((void *)-1)

#ifndef _KERNEL
/* User space: libc. */
#include <sys/types.h>

void	*mmap(void *, size_t, int, int, int, off_t);
int	munmap(void *, size_t);
int	mprotect(void *, size_t, int);
#endif /* !_KERNEL */

#endif /* !_SYS_MMAN_H_ */

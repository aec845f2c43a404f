/*
 * sys/ksem.h: POSIX semaphores kept by the kernel (uipc_sem.c), as
 * NetBSD's: the _ksem_* system calls under libpthread's sem_open,
 * sem_close and sem_unlink (user/lib/libpthread/sem.c; docs/man/
 * _ksem_open.2).
 *
 * A semaphore's id is a file descriptor of the process (NetBSD since
 * 2012): _ksem_open and _ksem_init return a new one, fork shares it,
 * exit and exec close it, and the semaphore lives while a descriptor
 * refers to it or, named, while its name is linked.
 *
 * For user space the declarations need _LIBC defined first, as in
 * NetBSD (its tests/kernel/t_ksem.c does so); <semaphore.h> is the
 * interface programs use.
 *
 * Lock legend (struct ksem): g = ksem_lock (the name table), k =
 * ks_lock, ( = constant once set up.
 */
#ifndef _SYS_KSEM_H_
#define _SYS_KSEM_H_

#include <sys/types.h>

struct timespec;

#define KSEM_MAX	128		/* semaphores alive in the whole
					 * system, named or not (NetBSD's) */
#define KSEM_NAME_MAX	14		/* a name's characters, '/' included
					 * (NetBSD's SEM_MAX_NAMELEN) */
#define KSEM_VALUE_MAX	0x7fffffffU	/* <semaphore.h>'s SEM_VALUE_MAX:
					 * _ksem_getvalue answers an int */

/* _ksem_init's *idp on entry asks for a process-shared semaphore
 * (NetBSD's; lwpkern has none: EINVAL). */
#define KSEM_PSHARED	0x50535244U	/* 'PSRD' */

#ifdef _KERNEL
#include <sys/condvar.h>
#include <sys/mutex.h>
#include <sys/queue.h>

struct file;
struct stat;

typedef struct ksem {
	LIST_ENTRY(ksem) ks_entry;	/* g: on the name table while
					 * named and not unlinked */
	kmutex_t	ks_lock;	/* adaptive: the fields marked k */
	kcondvar_t	ks_cv;		/* k: waiters for ks_value > 0 */
	u_int		ks_ref;		/* k: files referring to it */
	u_int		ks_value;	/* k: the count */
	u_int		ks_waiters;	/* k: LWPs asleep on ks_cv */
	int		ks_flags;	/* k: KS_UNLINKED */
	mode_t		ks_mode;	/* (: sem_open's mode (no users:
					 * kept for fstat only) */
	char		*ks_name;	/* (: named: "/name", else NULL */
	size_t		ks_namelen;	/* (: its allocation, NUL included */
} ksem_t;

#define KS_UNLINKED	0x01		/* its name is gone: freed with the
					 * last reference */

void	ksem_init(void);
/* A semaphore file's last reference went (kern_descrip.c, file_rele). */
void	ksem_close_fop(struct file *);
/* fstat on a semaphore's descriptor. */
void	ksem_stat_fop(struct file *, struct stat *);
#endif /* _KERNEL */

#ifdef _LIBC
__BEGIN_DECLS
int	_ksem_close(intptr_t);
int	_ksem_destroy(intptr_t);
int	_ksem_getvalue(intptr_t, int *);
int	_ksem_init(unsigned int, intptr_t *);
int	_ksem_open(const char *, int, mode_t, unsigned int, intptr_t *);
int	_ksem_post(intptr_t);
int	_ksem_timedwait(intptr_t, const struct timespec *);
int	_ksem_trywait(intptr_t);
int	_ksem_unlink(const char *);
int	_ksem_wait(intptr_t);
__END_DECLS
#endif /* _LIBC */

#endif /* !_SYS_KSEM_H_ */

/*
 * sys/file.h: open files (kern_descrip.c).
 *
 * A file is what a descriptor refers to: the console, an initrd file
 * or directory, with an offset, the random device (/dev/urandom,
 * /dev/random: subr_rnd.c), a POSIX semaphore (uipc_sem.c, whose
 * ids are descriptors, as in NetBSD), or in a KCOV kernel /dev/kcov (a
 * kcov descriptor, subr_kcov.c).  fork shares file objects between
 * parent and child.  f_count counts the descriptors that point at a
 * file and the system calls using it (fd_getfile); the last file_rele
 * frees it, after closing the semaphore or kcov descriptor behind it.
 * Lock legend: f = f_lock, a = atomic, ( = constant.
 */
#ifndef _SYS_FILE_H_
#define _SYS_FILE_H_

#include <sys/types.h>
#include <sys/mutex.h>

struct initrd_node;
struct ksem;
struct proc;

struct file {
	kmutex_t	f_lock;		/* adaptive: covers f_offset */
	u_int		f_count;	/* a: descriptors referring to it */
	int		f_type;		/* (: DTYPE_* */
	int		f_flag;		/* (: FREAD, FWRITE */
	off_t		f_offset;	/* f: where the next read starts */
	const struct initrd_node *f_node; /* (: initrd files, directories */
	struct ksem	*f_ksem;	/* a: DTYPE_SEM, set once (NULL
					 * until _ksem_open has it) */
	void		*f_data;	/* (: the device's own state (kcov_t) */
};

#define DTYPE_CONS	1		/* the console */
#define DTYPE_INITRD	2		/* an initrd file or directory */
#define DTYPE_RND	3		/* /dev/urandom, /dev/random */
#define DTYPE_SEM	4		/* a semaphore (neither FREAD nor
					 * FWRITE: read and write say EBADF) */
#define DTYPE_KCOV	5		/* /dev/kcov (KCOV kernels) */

#define FREAD		0x1
#define FWRITE		0x2

#ifdef _KERNEL
/* kern_descrip.c; the contracts are there. */
struct file *file_alloc(int, int, const struct initrd_node *);
void	file_hold(struct file *);
void	file_rele(struct file *);
int	fd_alloc(struct proc *, struct file *);
void	fd_abort(struct proc *, int, struct file *);
struct file *fd_getfile(int);
void	fd_putfile(struct file *);
int	fd_close(int);
void	fd_closeexec(struct proc *);
#endif

struct vm_amap;

/* kern_descrip.c, KCOV kernels: fd's pages for mmap (vm_mmap.c). */
int	fd_mmap(int, off_t, size_t, int, struct vm_amap **);

/* subr_rnd.c: n pseudo-random bytes to user space. */
int	rnd_read(void *, size_t, size_t *);

#endif /* !_SYS_FILE_H_ */

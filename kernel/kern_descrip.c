/*
 * kern_descrip.c: file descriptors and the calls on them: open, close,
 * read, write, lseek, fstat, getdents.
 *
 * Each process has NFILE descriptor slots (p_files, under p_lock); a
 * slot points at a struct file (sys/file.h).  A system call takes a
 * reference on the file for as long as it uses it (fd_getfile /
 * fd_putfile), so a close() by another LWP cannot free it underneath.
 *
 * These kinds of file exist: the console (fds 0-2 of init, inherited by
 * everyone), initrd files and directories, read-only, the random
 * device, /dev/urandom or /dev/random (subr_rnd.c), which is not on
 * the initrd: open finds it by name; POSIX semaphores (uipc_sem.c:
 * _ksem_open and _ksem_init make them, neither readable nor writable;
 * their last file_rele lets go of the semaphore, and exec closes them);
 * and in a KCOV kernel, found by name too, /dev/kcov (subr_kcov.c),
 * each open a kcov descriptor of its own, with ioctl and mmap but no
 * read or write (EBADF).
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/dirent.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/initrd.h>
#include <sys/intr.h>
#include <sys/kcov.h>
#include <sys/kmem.h>
#include <sys/ksem.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/syscallargs.h>
#include <sys/tty.h>
#include <sys/unistd.h>
#include <sys/vmspace.h>

#define PATH_MAX	1024

/* A new file of `type`, one reference (the caller's, or the descriptor
 * fd_alloc puts it in); NULL if there is no memory. */
struct file *
file_alloc(int type, int flag, const struct initrd_node *node)
{
	struct file *fp = kmem_zalloc(sizeof(*fp), KM_SLEEP);

	if (fp == NULL)
		return NULL;
	mutex_init(&fp->f_lock, MUTEX_DEFAULT, IPL_NONE, "f_lock");
	fp->f_count = 1;
	fp->f_type = type;
	fp->f_flag = flag;
	fp->f_node = node;
	return fp;
}

/* One more reference to fp, which the caller holds one of. */
void
file_hold(struct file *fp)
{
	__atomic_add_fetch(&fp->f_count, 1, __ATOMIC_RELAXED);
}

/* Drop a reference to fp; the last one frees it, closing the semaphore
 * it refers to (ksem_close_fop).  No locks held: that may sleep. */
void
file_rele(struct file *fp)
{
	if (__atomic_sub_fetch(&fp->f_count, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (fp->f_type == DTYPE_SEM)
		ksem_close_fop(fp);
#ifdef KCOV
	if (fp->f_type == DTYPE_KCOV)
		kcov_close(fp->f_data);
#endif
	mutex_destroy(&fp->f_lock);
	kmem_free(fp, sizeof(*fp));
}

/* Put fp in the lowest free slot of p below its RLIMIT_NOFILE (at most
 * NFILE), giving the slot the reference fp came with; the descriptor,
 * or -1 (the reference stays the caller's). */
int
fd_alloc(struct proc *p, struct file *fp)
{
	int fd, nofile;

	mutex_enter(p->p_lock);
	nofile = (int)MIN(p->p_rlimit[RLIMIT_NOFILE].rlim_cur, NFILE);
	for (fd = 0; fd < nofile; fd++)
		if (p->p_files[fd] == NULL) {
			p->p_files[fd] = fp;
			break;
		}
	mutex_exit(p->p_lock);
	return fd < nofile ? fd : -1;
}

/*
 * Undo fd_alloc(p, fp) = fd for a system call that failed after it:
 * empty the slot if it still holds fp (another LWP may have closed fd,
 * even put another file there, meanwhile) and drop its reference.
 */
void
fd_abort(struct proc *p, int fd, struct file *fp)
{
	mutex_enter(p->p_lock);
	if (p->p_files[fd] != fp)
		fp = NULL;
	else
		p->p_files[fd] = NULL;
	mutex_exit(p->p_lock);
	if (fp != NULL)
		file_rele(fp);
}

/* The file behind fd, referenced (fd_putfile drops it), or NULL. */
struct file *
fd_getfile(int fd)
{
	struct proc *p = curproc;
	struct file *fp = NULL;

	if (fd < 0 || fd >= NFILE)
		return NULL;
	mutex_enter(p->p_lock);
	if ((fp = p->p_files[fd]) != NULL)
		file_hold(fp);
	mutex_exit(p->p_lock);
	return fp;
}

void
fd_putfile(struct file *fp)
{
	file_rele(fp);
}

/* fork: the child gets the parent's descriptors (same files). */
void
fd_share(struct proc *p1, struct proc *p2)
{
	mutex_enter(p1->p_lock);
	for (int fd = 0; fd < NFILE; fd++)
		if ((p2->p_files[fd] = p1->p_files[fd]) != NULL)
			file_hold(p2->p_files[fd]);
	mutex_exit(p1->p_lock);
}

/* exec: close the descriptors that must not survive it (POSIX: the
 * semaphores; nothing here has close-on-exec otherwise). */
void
fd_closeexec(struct proc *p)
{
	struct file *fp;

	for (int fd = 0; fd < NFILE; fd++) {
		mutex_enter(p->p_lock);
		if ((fp = p->p_files[fd]) != NULL && fp->f_type == DTYPE_SEM)
			p->p_files[fd] = NULL;
		else
			fp = NULL;
		mutex_exit(p->p_lock);
		if (fp != NULL)
			file_rele(fp);
	}
}

/* exit: close everything. */
void
fd_closeall(struct proc *p)
{
	struct file *fp;

	for (int fd = 0; fd < NFILE; fd++) {
		mutex_enter(p->p_lock);
		fp = p->p_files[fd];
		p->p_files[fd] = NULL;
		mutex_exit(p->p_lock);
		if (fp != NULL)
			file_rele(fp);
	}
}

/* Open the console as fds 0, 1 and 2 of p (init). */
int
fd_open_console(struct proc *p)
{
	struct file *fp = file_alloc(DTYPE_CONS, FREAD | FWRITE, NULL);

	if (fp == NULL)
		return ENOMEM;
	fp->f_count = 3;
	for (int fd = 0; fd < 3; fd++)
		p->p_files[fd] = fp;
	return 0;
}

#ifdef KCOV
/* open("/dev/kcov"): a new kcov descriptor, whatever the access mode
 * (it is neither read nor written: f_flag 0), as NetBSD's kcov_open. */
static int
open_kcov(lwp_t *l, int flags, register_t *retval)
{
	struct file *fp;
	kcov_t *kd;
	int fd, error;

	if (flags & O_DIRECTORY)
		return ENOTDIR;
	if ((error = kcov_open(&kd)) != 0)
		return error;
	if ((fp = file_alloc(DTYPE_KCOV, 0, NULL)) == NULL) {
		kcov_close(kd);
		return ENOMEM;
	}
	fp->f_data = kd;
	if ((fd = fd_alloc(l->l_proc, fp)) < 0) {
		file_rele(fp);
		return EMFILE;
	}
	*retval = fd;
	return 0;
}

/* fd's pages for mmap(2) (vm_mmap.c): only /dev/kcov has any (ENODEV
 * for other files, EBADF for no file). */
int
fd_mmap(int fd, off_t pos, size_t len, int prot, struct vm_amap **amp)
{
	struct file *fp = fd_getfile(fd);
	int error;

	if (fp == NULL)
		return EBADF;
	if (fp->f_type == DTYPE_KCOV)
		error = kcov_mmap(fp->f_data, pos, len, prot, amp);
	else
		error = ENODEV;
	fd_putfile(fp);
	return error;
}
#endif /* KCOV */

/*
 * open(path, flags, mode): initrd files and directories, read-only,
 * and the random device (/dev/urandom, /dev/random); /dev/kcov in a
 * KCOV kernel.  ENOENT if absent, EROFS for anything but O_RDONLY,
 * ENOTDIR for O_DIRECTORY on a file, EMFILE if the table is full (or
 * RLIMIT_NOFILE reached).
 */
int
sys_open(lwp_t *l, const struct sys_open_args *uap, register_t *retval)
{
	const struct initrd_node *n;
	struct file *fp;
	char *path;
	int flags = SCARG(uap, flags), fd, error;

	bool rnd = false;

	if ((path = kmem_alloc(PATH_MAX, KM_SLEEP)) == NULL)
		return ENOMEM;
	error = copyinstr(SCARG(uap, path), path, PATH_MAX, NULL);
#ifdef KCOV
	if (error == 0 && strcmp(path, "/dev/kcov") == 0) {
		kmem_free(path, PATH_MAX);
		return open_kcov(l, flags, retval);
	}
#endif
	if (error == 0)
		rnd = strcmp(path, "/dev/urandom") == 0 ||
		    strcmp(path, "/dev/random") == 0;
	n = error == 0 && !rnd ? initrd_lookup(path) : NULL;
	kmem_free(path, PATH_MAX);
	if (error != 0)
		return error;
	if (n == NULL && !rnd)
		return ENOENT;
	if ((flags & O_ACCMODE) != O_RDONLY ||
	    (flags & (O_CREAT | O_TRUNC | O_APPEND)))
		return EROFS;
	if ((flags & O_DIRECTORY) && (rnd || !n->in_dir))
		return ENOTDIR;
	if ((fp = file_alloc(rnd ? DTYPE_RND : DTYPE_INITRD, FREAD, n)) ==
	    NULL)
		return ENOMEM;
	if ((fd = fd_alloc(l->l_proc, fp)) < 0) {
		file_rele(fp);
		return EMFILE;
	}
	*retval = fd;
	return 0;
}

/* Close curproc's descriptor fd: 0, or EBADF if it is not open. */
int
fd_close(int fd)
{
	struct proc *p = curproc;
	struct file *fp = NULL;

	if (fd < 0 || fd >= NFILE)
		return EBADF;
	mutex_enter(p->p_lock);
	fp = p->p_files[fd];
	p->p_files[fd] = NULL;
	mutex_exit(p->p_lock);
	if (fp == NULL)
		return EBADF;
	file_rele(fp);
	return 0;
}

int
sys_close(lwp_t *l, const struct sys_close_args *uap, register_t *retval)
{
	return fd_close(SCARG(uap, fd));
}

int
sys_read(lwp_t *l, const struct sys_read_args *uap, register_t *retval)
{
	struct file *fp = fd_getfile(SCARG(uap, fd));
	size_t n = SCARG(uap, nbyte), done = 0;
	const struct initrd_node *node;
	int error = 0;

	if (fp == NULL || !(fp->f_flag & FREAD)) {
		error = EBADF;
	} else if (!vm_map_checkprot(l->l_proc->p_vmspace,
	    (vaddr_t)SCARG(uap, buf), n, VM_PROT_WRITE)) {
		error = EFAULT;
	} else if (fp->f_type == DTYPE_CONS) {
		error = cons_read(SCARG(uap, buf), n, &done);
	} else if (fp->f_type == DTYPE_RND) {
		error = rnd_read(SCARG(uap, buf), n, &done);
	} else if ((node = fp->f_node)->in_dir) {
		error = EISDIR;
	} else {
		mutex_enter(&fp->f_lock);
		if (fp->f_offset < (off_t)node->in_size) {
			done = MIN(n, node->in_size - fp->f_offset);
			error = copyout(node->in_data + fp->f_offset,
			    SCARG(uap, buf), done);
			if (error == 0)
				fp->f_offset += done;
		}
		mutex_exit(&fp->f_lock);
	}
	if (fp != NULL)
		fd_putfile(fp);
	*retval = done;
	return error;
}

int
sys_write(lwp_t *l, const struct sys_write_args *uap, register_t *retval)
{
	struct file *fp = fd_getfile(SCARG(uap, fd));
	size_t done = 0;
	int error;

	if (fp == NULL || !(fp->f_flag & FWRITE))
		error = EBADF;
	else
		error = cons_write(SCARG(uap, buf), SCARG(uap, nbyte), &done);
	if (fp != NULL)
		fd_putfile(fp);
	*retval = done;
	return error;
}

int
sys_lseek(lwp_t *l, const struct sys_lseek_args *uap, register_t *retval)
{
	struct file *fp = fd_getfile(SCARG(uap, fd));
	off_t off = SCARG(uap, offset), base;
	int error = 0;

	if (fp == NULL)
		return EBADF;
	if (fp->f_type != DTYPE_INITRD) {
		fd_putfile(fp);
		return ESPIPE;
	}
	mutex_enter(&fp->f_lock);
	switch (SCARG(uap, whence)) {
	case SEEK_SET:	base = 0; break;
	case SEEK_CUR:	base = fp->f_offset; break;
	case SEEK_END:	base = fp->f_node->in_size; break;
	default:	error = EINVAL; base = 0; break;
	}
	if (error == 0 && (base + off < 0 || (off > 0 && base + off < base)))
		error = EINVAL;
	if (error == 0)
		*retval = fp->f_offset = base + off;
	mutex_exit(&fp->f_lock);
	fd_putfile(fp);
	return error;
}

int
sys_fstat(lwp_t *l, const struct sys_fstat_args *uap, register_t *retval)
{
	struct file *fp = fd_getfile(SCARG(uap, fd));
	struct stat st;

	if (fp == NULL)
		return EBADF;
	memset(&st, 0, sizeof(st));
	if (fp->f_type == DTYPE_CONS) {
		st.st_mode = S_IFCHR | 0620;
	} else if (fp->f_type == DTYPE_RND) {
		st.st_mode = S_IFCHR | 0444;
	} else if (fp->f_type == DTYPE_SEM) {
		ksem_stat_fop(fp, &st);
#ifdef KCOV
	} else if (fp->f_type == DTYPE_KCOV) {
		st.st_mode = S_IFCHR | 0600;
#endif
	} else {
		st.st_mode = fp->f_node->in_dir ? (S_IFDIR | 0555) :
		    (S_IFREG | 0555);
		st.st_ino = fp->f_node->in_ino;
		st.st_size = fp->f_node->in_size;
		st.st_blocks = howmany(st.st_size, 512);
	}
	st.st_nlink = 1;
	st.st_blksize = 512;
	fd_putfile(fp);
	return copyout(&st, SCARG(uap, sb), sizeof(st));
}

/*
 * getdents(fd, buf, count): as many whole directory entries as fit;
 * the file offset is the index of the next node to look at.  0 at the
 * end; EINVAL if not even one entry fits.
 */
int
sys_getdents(lwp_t *l, const struct sys_getdents_args *uap,
    register_t *retval)
{
	struct file *fp = fd_getfile(SCARG(uap, fd));
	const struct initrd_node *n;
	char *ubuf = SCARG(uap, buf);
	size_t count = SCARG(uap, count), done = 0, cookie, namlen, reclen;
	struct dirent d;
	int error = 0;

	if (fp == NULL)
		return EBADF;
	if (fp->f_type != DTYPE_INITRD || !fp->f_node->in_dir) {
		fd_putfile(fp);
		return ENOTDIR;
	}
	if (!vm_map_checkprot(l->l_proc->p_vmspace, (vaddr_t)ubuf, count,
	    VM_PROT_WRITE)) {
		fd_putfile(fp);
		return EFAULT;
	}
	mutex_enter(&fp->f_lock);
	for (cookie = fp->f_offset; ; fp->f_offset = cookie) {
		if ((n = initrd_child(fp->f_node, &cookie)) == NULL)
			break;
		namlen = strlen(n->in_name);
		reclen = _DIRENT_RECLEN(namlen);
		if (done + reclen > count) {
			if (done == 0)
				error = EINVAL;
			break;
		}
		memset(&d, 0, reclen);
		d.d_fileno = n->in_ino;
		d.d_reclen = reclen;
		d.d_namlen = namlen;
		d.d_type = n->in_dir ? DT_DIR : DT_REG;
		memcpy(d.d_name, n->in_name, namlen);
		if ((error = copyout(&d, ubuf + done, reclen)) != 0)
			break;
		done += reclen;
	}
	mutex_exit(&fp->f_lock);
	fd_putfile(fp);
	*retval = done;
	return error;
}

/* ioctl(fd, com, data): the console's (tty_cons.c), /dev/kcov's
 * (subr_kcov.c); ENOTTY for files. */
int
sys_ioctl(lwp_t *l, const struct sys_ioctl_args *uap, register_t *retval)
{
	struct file *fp = fd_getfile(SCARG(uap, fd));
	int error;

	if (fp == NULL)
		return EBADF;
	if (fp->f_type == DTYPE_CONS)
		error = cons_ioctl(SCARG(uap, com), SCARG(uap, data));
#ifdef KCOV
	else if (fp->f_type == DTYPE_KCOV)
		error = kcov_ioctl(fp->f_data, SCARG(uap, com),
		    SCARG(uap, data));
#endif
	else
		error = ENOTTY;
	fd_putfile(fp);
	return error;
}

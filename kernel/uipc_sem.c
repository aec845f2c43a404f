/*
 * uipc_sem.c: POSIX semaphores in the kernel, NetBSD's _ksem_* system
 * calls (libpthread's sem_open, sem_close and sem_unlink are built on
 * them; its unnamed semaphores stay in user space, on park/unpark).
 * NetBSD's file has the same name and the same calls; this one follows
 * its design since 2012 (uipc_sem.c 1.3x-1.4x, Rasiukevicius): a
 * semaphore is reached through a file descriptor, so fork shares it,
 * and exit (fd_closeall) and exec (fd_closeexec) let go of it.
 *
 *	_ksem_open(name, oflag, mode, value, &id)   named: find or create
 *	_ksem_init(value, &id)                      unnamed, this process
 *	_ksem_wait, _trywait, _timedwait, _post, _getvalue (id)
 *	_ksem_close(id)      named only: drop the descriptor
 *	_ksem_destroy(id)    unnamed only, nobody waiting: the same
 *	_ksem_unlink(name)   the name goes; the semaphore when unused
 *
 * Objects and their lifetimes:
 *   struct ksem (sys/ksem.h)   ks_ref counts the files (struct file,
 *                              DTYPE_SEM, f_ksem) that refer to it.  A
 *                              named one is also on ksem_head while its
 *                              name is linked.  It is freed when both
 *                              are gone: by the last file's close
 *                              (ksem_close_fop) if it is unnamed or
 *                              unlinked (KS_UNLINKED), else by unlink.
 *   struct file                 one per _ksem_open/_ksem_init; its
 *                              descriptors (fork copies them) and the
 *                              system calls using it hold f_count.
 *
 * Locking: ksem_lock (adaptive) is the name table: ksem_head, the
 * linked named semaphores, and nsems_total, every semaphore alive
 * (at most ksem_max: ENFILE beyond).  ks_lock (adaptive) covers one
 * semaphore's count, waiters, references and flags; waiters sleep on
 * ks_cv with it as interlock (cv_timedwait_sig: signals, _lwp_wakeup
 * and exit interrupt them).  Order: ksem_lock -> ks_lock.  A name is
 * looked up, linked and unlinked only under ksem_lock, and a reference
 * is taken or dropped only under ks_lock; the decision to free (ks_ref
 * reaches 0 and the name is gone) is made under ks_lock by exactly one
 * of ksem_close_fop and ksem_unlink, once nothing can find it.
 *
 * What NetBSD has and this kernel has not: users and permissions (the
 * mode is kept, never checked: every process may do everything),
 * process-shared unnamed semaphores (_ksem_init with KSEM_PSHARED:
 * EINVAL), kern.posix.semmax (ksem_max is KSEM_MAX, fixed), reading a
 * semaphore's descriptor (its name; here EBADF).
 */
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/intr.h>
#include <sys/kmem.h>
#include <sys/ksem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <sys/syscallargs.h>
#include <sys/time.h>

static kmutex_t	ksem_lock;		/* (ksem_init): adaptive */
static LIST_HEAD(, ksem) ksem_head =	/* ksem_lock: linked names */
    LIST_HEAD_INITIALIZER(ksem_head);
static u_int	nsems_total;		/* ksem_lock: semaphores alive */
static const u_int ksem_max = KSEM_MAX;

/* Before the first process (main). */
void
ksem_init(void)
{
	mutex_init(&ksem_lock, MUTEX_DEFAULT, IPL_NONE, "ksem_lock");
}

/*
 * Allocate a semaphore: named (name, a kernel string) or not (NULL),
 * with one reference (the file the caller is making) and not counted
 * yet (ksem_insert does that).  Nothing held; may sleep.  Contract:
 *   0             *ksret is it
 *   EINVAL        value above KSEM_VALUE_MAX, or the name does not
 *                 start with '/', is "/" alone or has another '/'
 *   ENAMETOOLONG  the name has more than KSEM_NAME_MAX characters
 *   ENOMEM        no memory
 */
static int
ksem_alloc(const char *name, mode_t mode, u_int value, ksem_t **ksret)
{
	size_t len = 0;
	char *kname = NULL;
	ksem_t *ks;

	if (value > KSEM_VALUE_MAX)
		return EINVAL;
	if (name != NULL) {
		len = strlen(name);
		if (len > KSEM_NAME_MAX)
			return ENAMETOOLONG;
		if (name[0] != '/' || len < 2 || strchr(name + 1, '/') != NULL)
			return EINVAL;
		if ((kname = kmem_alloc(++len, KM_SLEEP)) == NULL)
			return ENOMEM;
		strlcpy(kname, name, len);
	}
	if ((ks = kmem_zalloc(sizeof(*ks), KM_SLEEP)) == NULL) {
		if (kname != NULL)
			kmem_free(kname, len);
		return ENOMEM;
	}
	mutex_init(&ks->ks_lock, MUTEX_DEFAULT, IPL_NONE, "ks_lock");
	cv_init(&ks->ks_cv, "ksem");
	ks->ks_name = kname;
	ks->ks_namelen = len;
	ks->ks_mode = mode;
	ks->ks_value = value;
	ks->ks_ref = 1;
	*ksret = ks;
	return 0;
}

/* Free ks, which nobody can reach any more; uncount it if `counted`
 * (it was inserted).  Nothing held. */
static void
ksem_free(ksem_t *ks, bool counted)
{
	KASSERT(ks->ks_waiters == 0 && !cv_has_waiters(&ks->ks_cv));
	if (counted) {
		mutex_enter(&ksem_lock);
		KASSERT(nsems_total > 0);
		nsems_total--;
		mutex_exit(&ksem_lock);
	}
	if (ks->ks_name != NULL)
		kmem_free(ks->ks_name, ks->ks_namelen);
	cv_destroy(&ks->ks_cv);
	mutex_destroy(&ks->ks_lock);
	kmem_free(ks, sizeof(*ks));
}

/* The linked semaphore called `name`, locked (ks_lock), or NULL.
 * ksem_lock held. */
static ksem_t *
ksem_lookup(const char *name)
{
	ksem_t *ks;

	KASSERT(mutex_owned(&ksem_lock));
	LIST_FOREACH(ks, &ksem_head, ks_entry)
		if (strcmp(ks->ks_name, name) == 0) {
			mutex_enter(&ks->ks_lock);
			return ks;
		}
	return NULL;
}

/* Count a new semaphore in, and link it if named: 0, or ENFILE when
 * ksem_max are alive.  ksem_lock held. */
static int
ksem_insert(ksem_t *ks)
{
	KASSERT(mutex_owned(&ksem_lock));
	if (nsems_total >= ksem_max)
		return ENFILE;
	nsems_total++;
	if (ks->ks_name != NULL)
		LIST_INSERT_HEAD(&ksem_head, ks, ks_entry);
	return 0;
}

/*
 * The semaphore a file was made for has lost its last file: drop the
 * file's reference, and free the semaphore if that was the last one
 * and its name is gone (or it never had one).  Called by file_rele,
 * nothing held.  A file whose _ksem_open failed has no semaphore.
 */
void
ksem_close_fop(struct file *fp)
{
	ksem_t *ks = __atomic_load_n(&fp->f_ksem, __ATOMIC_ACQUIRE);
	bool destroy = false;

	if (ks == NULL)
		return;
	mutex_enter(&ks->ks_lock);
	KASSERT(ks->ks_ref > 0);
	if (--ks->ks_ref == 0)
		destroy = ks->ks_name == NULL || (ks->ks_flags & KS_UNLINKED);
	mutex_exit(&ks->ks_lock);
	if (destroy)
		ksem_free(ks, true);
}

/* fstat on a semaphore: its mode as a regular file's, its value as the
 * size, its references as links (NetBSD's ksem_stat_fop, roughly). */
void
ksem_stat_fop(struct file *fp, struct stat *st)
{
	ksem_t *ks = __atomic_load_n(&fp->f_ksem, __ATOMIC_ACQUIRE);

	st->st_mode = S_IFREG;
	if (ks == NULL)
		return;
	mutex_enter(&ks->ks_lock);
	st->st_mode |= ks->ks_mode & 07777;
	st->st_size = ks->ks_value;
	mutex_exit(&ks->ks_lock);
}

/*
 * The semaphore behind descriptor `id` of curproc, its file referenced
 * (*fpp; fd_putfile drops it) and ks_lock held.  EINVAL if id is not a
 * descriptor, or not a semaphore's (NetBSD's ksem_get).
 */
static int
ksem_get(intptr_t id, struct file **fpp, ksem_t **ksp)
{
	struct file *fp;
	ksem_t *ks;

	if (id < 0 || id >= NFILE || (fp = fd_getfile((int)id)) == NULL)
		return EINVAL;
	if (fp->f_type != DTYPE_SEM ||
	    (ks = __atomic_load_n(&fp->f_ksem, __ATOMIC_ACQUIRE)) == NULL) {
		fd_putfile(fp);
		return EINVAL;
	}
	mutex_enter(&ks->ks_lock);
	*fpp = fp;
	*ksp = ks;
	return 0;
}

/*
 * Make a semaphore file and give it a descriptor of l's process, whose
 * number goes to *idp (user space) before anything else happens, as in
 * NetBSD: then find or create the semaphore (ksem_open1, with `arg`)
 * and attach it.  On failure nothing is left behind: the descriptor is
 * closed again (fd_abort).  Until attached, the file is there but has
 * no semaphore: the other calls find EINVAL, a close nothing to drop.
 * The caller's reference (file_alloc's) keeps the file alive even if
 * another LWP closes the descriptor meanwhile.  Nothing held.
 */
struct ksem_openargs {
	const char	*name;		/* NULL: _ksem_init */
	int		oflag;
	mode_t		mode;
	u_int		value;
};

static int	ksem_open1(const struct ksem_openargs *, ksem_t **);

static int
ksem_newfile(lwp_t *l, const struct ksem_openargs *oa, intptr_t *idp)
{
	struct proc *p = l->l_proc;
	struct file *fp;
	ksem_t *ks;
	intptr_t id;
	int fd, error;

	if ((fp = file_alloc(DTYPE_SEM, 0, NULL)) == NULL)
		return ENOMEM;
	file_hold(fp);			/* the descriptor's, and ours */
	if ((fd = fd_alloc(p, fp)) < 0) {
		file_rele(fp);
		file_rele(fp);
		return EMFILE;
	}
	id = fd;
	error = copyout(&id, idp, sizeof(id));
	if (error == 0)
		error = ksem_open1(oa, &ks);
	if (error != 0)
		fd_abort(p, fd, fp);
	else
		__atomic_store_n(&fp->f_ksem, ks, __ATOMIC_RELEASE);
	file_rele(fp);
	return error;
}

/*
 * Find or create the semaphore _ksem_open or _ksem_init asks for, with
 * a reference for the caller's file.  Nothing held.  Contract, beyond
 * ksem_alloc's (EINVAL, ENAMETOOLONG, ENOMEM, when creating):
 *   0        *ksret is it
 *   EEXIST   O_CREAT | O_EXCL, and the name exists
 *   ENOENT   no O_CREAT, and no such name
 *   ENFILE   ksem_max semaphores are alive already
 */
static int
ksem_open1(const struct ksem_openargs *oa, ksem_t **ksret)
{
	ksem_t *ks, *ksnew = NULL;
	int error = 0;

	/* Unnamed: always new.  Named: allocate first (it may sleep) if
	 * we may have to create it, then look. */
	if (oa->name == NULL || (oa->oflag & O_CREAT)) {
		error = ksem_alloc(oa->name, oa->mode, oa->value, &ksnew);
		if (error != 0)
			return error;
	}
	mutex_enter(&ksem_lock);
	if (oa->name != NULL && (ks = ksem_lookup(oa->name)) != NULL) {
		if ((oa->oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
			error = EEXIST;
		else
			ks->ks_ref++;
		mutex_exit(&ks->ks_lock);
	} else if (ksnew == NULL) {
		error = ENOENT;
	} else if ((error = ksem_insert(ksnew)) == 0) {
		ks = ksnew;
		ksnew = NULL;
	}
	mutex_exit(&ksem_lock);
	if (ksnew != NULL)
		ksem_free(ksnew, false);
	if (error == 0)
		*ksret = ks;
	return error;
}

/* _ksem_init(value, idp): an unnamed semaphore, at value; its id (a
 * descriptor) to *idp.  *idp is read first: KSEM_PSHARED asks for a
 * process-shared one, which lwpkern does not have (EINVAL). */
int
sys__ksem_init(lwp_t *l, const struct sys__ksem_init_args *uap,
    register_t *retval)
{
	struct ksem_openargs oa = { .value = SCARG(uap, value) };
	intptr_t id;
	int error;

	if ((error = copyin(SCARG(uap, idp), &id, sizeof(id))) != 0)
		return error;
	if (id == KSEM_PSHARED)
		return EINVAL;
	return ksem_newfile(l, &oa, SCARG(uap, idp));
}

/* _ksem_open(name, oflag, mode, value, idp): the named semaphore, made
 * if O_CREAT (with mode and value) and not there yet; its id to *idp.
 * A name longer than KSEM_NAME_MAX is ENAMETOOLONG whatever the flags. */
int
sys__ksem_open(lwp_t *l, const struct sys__ksem_open_args *uap,
    register_t *retval)
{
	char name[KSEM_NAME_MAX + 1];
	struct ksem_openargs oa = {
		.name = name,
		.oflag = SCARG(uap, oflag),
		.mode = SCARG(uap, mode),
		.value = SCARG(uap, value),
	};
	int error;

	error = copyinstr(SCARG(uap, name), name, sizeof(name), NULL);
	if (error != 0)
		return error;
	return ksem_newfile(l, &oa, SCARG(uap, idp));
}

/* _ksem_unlink(name): the name is gone at once (a new _ksem_open of it
 * makes another semaphore); the semaphore stays for whoever has it open
 * and is freed with its last file.  ENOENT if there is no such name. */
int
sys__ksem_unlink(lwp_t *l, const struct sys__ksem_unlink_args *uap,
    register_t *retval)
{
	char name[KSEM_NAME_MAX + 1];
	ksem_t *ks;
	bool destroy;
	int error;

	error = copyinstr(SCARG(uap, name), name, sizeof(name), NULL);
	if (error == ENAMETOOLONG)
		return ENOENT;		/* no name that long exists */
	if (error != 0)
		return error;
	mutex_enter(&ksem_lock);
	if ((ks = ksem_lookup(name)) == NULL) {
		mutex_exit(&ksem_lock);
		return ENOENT;
	}
	LIST_REMOVE(ks, ks_entry);
	mutex_exit(&ksem_lock);
	KASSERT(mutex_owned(&ks->ks_lock));
	ks->ks_flags |= KS_UNLINKED;
	destroy = ks->ks_ref == 0;
	mutex_exit(&ks->ks_lock);
	if (destroy)
		ksem_free(ks, true);
	return 0;
}

/* Close a semaphore's descriptor for _ksem_close (named) or
 * _ksem_destroy (unnamed, nobody waiting). */
static int
ksem_drop(intptr_t id, bool named)
{
	struct file *fp;
	ksem_t *ks;
	int error;

	if ((error = ksem_get(id, &fp, &ks)) != 0)
		return error;
	if ((ks->ks_name != NULL) != named)
		error = EINVAL;
	else if (!named && ks->ks_waiters != 0)
		error = EBUSY;
	mutex_exit(&ks->ks_lock);
	fd_putfile(fp);
	return error == 0 ? fd_close((int)id) : error;
}

/* _ksem_close(id): EBADF if id is no descriptor, EINVAL if it is not a
 * named semaphore's (NetBSD's).  Waiters in other LWPs keep it until
 * they return; the semaphore itself stays (the name has it). */
int
sys__ksem_close(lwp_t *l, const struct sys__ksem_close_args *uap,
    register_t *retval)
{
	intptr_t id = SCARG(uap, id);
	struct file *fp;

	if (id < 0 || id >= NFILE || (fp = fd_getfile((int)id)) == NULL)
		return EBADF;
	fd_putfile(fp);
	return ksem_drop(id, true);
}

/* _ksem_destroy(id): an unnamed semaphore: EINVAL for a named one, or
 * no semaphore; EBUSY while an LWP waits on it. */
int
sys__ksem_destroy(lwp_t *l, const struct sys__ksem_destroy_args *uap,
    register_t *retval)
{
	return ksem_drop(SCARG(uap, id), false);
}

/* _ksem_post(id): one more; wake the waiters (each looks again: one
 * takes it).  EOVERFLOW at KSEM_VALUE_MAX, EINVAL for a bad id. */
int
sys__ksem_post(lwp_t *l, const struct sys__ksem_post_args *uap,
    register_t *retval)
{
	struct file *fp;
	ksem_t *ks;
	int error;

	if ((error = ksem_get(SCARG(uap, id), &fp, &ks)) != 0)
		return error;
	if (ks->ks_value == KSEM_VALUE_MAX)
		error = EOVERFLOW;
	else {
		ks->ks_value++;
		/* All of them, as NetBSD: a waiter that a signal or its
		 * time takes away meanwhile cannot swallow the wakeup. */
		if (ks->ks_waiters != 0)
			cv_broadcast(&ks->ks_cv);
	}
	mutex_exit(&ks->ks_lock);
	fd_putfile(fp);
	return error;
}

/*
 * Take one from semaphore `id`: at once (try: EAGAIN if it is 0), or
 * waiting until there is one, until `deadline` (ns of uptime, which
 * here is CLOCK_REALTIME too; 0: no limit).  Contract:
 *   0           taken
 *   EAGAIN      try, and the value is 0
 *   ETIMEDOUT   the deadline came (never before nsuptime() reaches it)
 *   EINTR       a signal whose handler does not restart calls, an
 *               _lwp_wakeup (pthread_cancel), or the process is exiting
 *   ERESTART    a signal whose handler has SA_RESTART, a stop or a
 *               suspension: the call starts again (as in NetBSD,
 *               cv_timedwait_sig's answer is the call's)
 *   EINVAL      id is no semaphore
 * The file stays referenced while we sleep, so a close by another LWP
 * leaves the semaphore to us until we return.
 */
static int
ksem_wait1(intptr_t id, bool try, uint64_t deadline)
{
	uint64_t now, tick = 1000000000 / hz;
	struct file *fp;
	ksem_t *ks;
	int error, timo;

	if ((error = ksem_get(id, &fp, &ks)) != 0)
		return error;
	while (ks->ks_value == 0) {
		if (try) {
			error = EAGAIN;
			break;
		}
		timo = 0;
		if (deadline != 0) {
			if ((now = nsuptime()) >= deadline) {
				error = ETIMEDOUT;
				break;
			}
			/* +1: the first tick may be due at once. */
			timo = MIN(howmany(deadline - now, tick) + 1,
			    INT32_MAX);
		}
		ks->ks_waiters++;
		error = cv_timedwait_sig(&ks->ks_cv, &ks->ks_lock, timo);
		ks->ks_waiters--;
		if (error == EWOULDBLOCK)
			error = 0;	/* looked at again above */
		if (error != 0)
			break;
	}
	if (error == 0)
		ks->ks_value--;
	mutex_exit(&ks->ks_lock);
	fd_putfile(fp);
	return error;
}

int
sys__ksem_wait(lwp_t *l, const struct sys__ksem_wait_args *uap,
    register_t *retval)
{
	return ksem_wait1(SCARG(uap, id), false, 0);
}

int
sys__ksem_trywait(lwp_t *l, const struct sys__ksem_trywait_args *uap,
    register_t *retval)
{
	return ksem_wait1(SCARG(uap, id), true, 0);
}

/* _ksem_timedwait(id, abstime): abstime on CLOCK_REALTIME (uptime
 * here); EINVAL for a negative time or tv_nsec out of range (checked
 * before the semaphore is, as NetBSD does); a time past is ETIMEDOUT
 * unless the semaphore can be taken at once. */
int
sys__ksem_timedwait(lwp_t *l, const struct sys__ksem_timedwait_args *uap,
    register_t *retval)
{
	struct timespec ts;
	uint64_t deadline;
	int error;

	if ((error = copyin(SCARG(uap, abstime), &ts, sizeof(ts))) != 0)
		return error;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return EINVAL;
	if (ts.tv_sec > 1000000000)		/* ~31 years: "forever" */
		ts.tv_sec = 1000000000;
	deadline = MAX(ts.tv_sec * 1000000000ULL + ts.tv_nsec, 1);
	return ksem_wait1(SCARG(uap, id), false, deadline);
}

/* _ksem_getvalue(id, value): the value now (as an int: KSEM_VALUE_MAX
 * fits).  EINVAL for a bad id, EFAULT for a bad pointer. */
int
sys__ksem_getvalue(lwp_t *l, const struct sys__ksem_getvalue_args *uap,
    register_t *retval)
{
	struct file *fp;
	ksem_t *ks;
	u_int val;
	int error;

	if ((error = ksem_get(SCARG(uap, id), &fp, &ks)) != 0)
		return error;
	val = ks->ks_value;
	mutex_exit(&ks->ks_lock);
	fd_putfile(fp);
	return copyout(&val, SCARG(uap, value), sizeof(val));
}

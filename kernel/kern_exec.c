/*
 * kern_exec.c: execve(), and starting init.
 *
 * execve1() does the whole job in an order that leaves the calling
 * process untouched until the new image is known to be good:
 *
 *   1. copy the path, arguments and environment into the kernel (from
 *      user space with copyinstr, so a bad pointer is EFAULT);
 *   2. find the file in the initrd;
 *   3. build a new address space: the ELF segments (exec_elf.c), the
 *      stack with its guard page, and on the stack the SysV start-up
 *      block: argc, argv[], NULL, envp[], NULL, then the strings;
 *   4. only now replace the old address space and reset the registers
 *      (cpu_exec_setregs).  Any failure before this frees the new
 *      space and returns an error: the caller carries on as before.
 */
#include <sys/systm.h>
#include <sys/intr.h>
#include <sys/bootinfo.h>
#include <sys/bootopt.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/exec_elf.h>
#include <sys/initrd.h>
#include <sys/kmem.h>
#include <sys/param.h>
#include <sys/pmap.h>
#include <sys/proc.h>
#include <sys/syscallargs.h>
#include <sys/trace.h>
#include <sys/vmspace.h>
#include <machine/vmparam.h>

#define ARG_MAX		(64 * 1024)	/* argument and environment bytes */
#define ARG_NMAX	1024		/* ... and strings */
#define EXEC_PATHMAX	1024

struct exec_strings {
	char	*es_buf;		/* argument, then environment strings */
	size_t	es_len;
	int	es_argc, es_envc;
};

/*
 * Append the strings of vector vec (NULL-terminated; in user space if
 * `user`) to es.  *countp = how many.  E2BIG past ARG_MAX.
 */
static int
exec_copy_vector(struct exec_strings *es, char *const *vec, bool user,
    int *countp)
{
	char *s;
	size_t done;
	int error;

	for (*countp = 0; ; (*countp)++) {
		if (es->es_argc + es->es_envc + *countp >= ARG_NMAX)
			return E2BIG;
		if (user) {
			if ((error = copyin(&vec[*countp], &s, sizeof(s))) != 0)
				return error;
		} else
			s = vec[*countp];
		if (s == NULL)
			return 0;
		if (user)
			error = copyinstr(s, es->es_buf + es->es_len,
			    ARG_MAX - es->es_len, &done);
		else {
			done = strlcpy(es->es_buf + es->es_len, s,
			    ARG_MAX - es->es_len) + 1;
			error = done > ARG_MAX - es->es_len ? ENAMETOOLONG : 0;
		}
		if (error == ENAMETOOLONG)
			return E2BIG;
		if (error != 0)
			return error;
		es->es_len += done;
	}
}

/*
 * Lay out the new stack (top at USRSTACK) and write it into vm.
 * *spp = the new user stack pointer (at argc); *argvp and *envpp the
 * vectors.
 */
static int
exec_build_stack(struct vmspace *vm, const struct exec_strings *es,
    vaddr_t *spp, vaddr_t *argvp, vaddr_t *envpp)
{
	int nptr = 1 + es->es_argc + 1 + es->es_envc + 1;
	vaddr_t strings = USRSTACK - roundup(es->es_len, 16);
	vaddr_t sp = rounddown2(strings - nptr * sizeof(uint64_t), 16);
	size_t size = USRSTACK - sp;
	uint64_t *block = kmem_zalloc(size, KM_SLEEP);
	const char *s = es->es_buf;
	int i, error;

	if (block == NULL)
		return ENOMEM;
	block[0] = es->es_argc;
	for (i = 0; i < es->es_argc + es->es_envc; i++) {
		/* argv[0..argc-1], NULL, envp[...]: skip the NULL slot. */
		int slot = 1 + i + (i >= es->es_argc);

		block[slot] = strings + (s - es->es_buf);
		s += strlen(s) + 1;
	}
	memcpy((char *)block + (strings - sp), es->es_buf, es->es_len);
	error = vm_map_write(vm, sp, block, size);
	kmem_free(block, size);
	*spp = sp;
	*argvp = sp + sizeof(uint64_t);
	*envpp = *argvp + (es->es_argc + 1) * sizeof(uint64_t);
	return error;
}

/*
 * Replace l's process image with the program at path.  argv and envp
 * are user pointers if `user`, else kernel ones (starting init).
 * Returns 0 with the registers set for the new program, or an errno
 * with nothing changed.
 */
int
execve1(lwp_t *l, const char *upath, char *const *argv, char *const *envp,
    bool user)
{
	struct proc *p = l->l_proc;
	struct exec_strings es = { 0 };
	const struct initrd_node *node;
	struct vmspace *vm = NULL, *old;
	vaddr_t entry, brk, sp, uargv, uenvp;
	char *path;
	int error;

	KASSERT(l == curlwp);
	path = kmem_alloc(EXEC_PATHMAX, KM_SLEEP);
	es.es_buf = kmem_alloc(ARG_MAX, KM_SLEEP);
	if (path == NULL || es.es_buf == NULL) {
		error = ENOMEM;
		goto out;
	}
	if (user)
		error = copyinstr(upath, path, EXEC_PATHMAX, NULL);
	else
		error = strlcpy(path, upath, EXEC_PATHMAX) < EXEC_PATHMAX ? 0 :
		    ENAMETOOLONG;
	if (error != 0)
		goto out;
	if (argv == NULL) {
		error = EFAULT;
		goto out;
	}
	if ((error = exec_copy_vector(&es, argv, user, &es.es_argc)) != 0 ||
	    (envp != NULL &&
	    (error = exec_copy_vector(&es, envp, user, &es.es_envc)) != 0))
		goto out;

	if ((node = initrd_lookup(path)) == NULL) {
		error = ENOENT;
		goto out;
	}
	if (node->in_dir) {
		error = EACCES;
		goto out;
	}
	if ((vm = vmspace_alloc()) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if ((error = exec_elf_load(vm, node->in_data, node->in_size, &entry,
	    &brk)) != 0)
		goto out;
	mutex_enter(&vm->vm_lock);
	vm->vm_daddr = vm->vm_dend = brk;
	error = vm_map_enter(vm, USRSTACK - MAXSSIZ - PAGE_SIZE, PAGE_SIZE,
	    VM_PROT_NONE, VR_GUARD);
	if (error == 0)
		error = vm_map_enter(vm, USRSTACK - MAXSSIZ, MAXSSIZ,
		    VM_PROT_READ | VM_PROT_WRITE, VR_STACK);
	mutex_exit(&vm->vm_lock);
	if (error != 0 ||
	    (error = exec_build_stack(vm, &es, &sp, &uargv, &uenvp)) != 0)
		goto out;

	/* The point of no return.  Other LWPs go first (NetBSD: exec
	 * leaves the process with the calling LWP only); if another LWP
	 * is already ending or exec'ing the process, we go instead. */
	mutex_enter(p->p_lock);
	if (p->p_nlwps > 1) {
		if (!exit_begin(l)) {
			mutex_exit(p->p_lock);
			vmspace_free(vm);
			kmem_free(es.es_buf, ARG_MAX);
			kmem_free(path, EXEC_PATHMAX);
			lwp_exit(l);
		}
		exit_lwps(l);
		p->p_flag &= ~PK_WEXIT;
	}
	strlcpy(p->p_comm, node->in_name, sizeof(p->p_comm));
	TRACE_COMM(p);
	mutex_exit(p->p_lock);
	lwp_ctl_exit(p);		/* it lives in the old address space */
	sigacts_exec(p);		/* the handlers are gone with it */
	fd_closeexec(p);		/* semaphores are not inherited */
	kpreempt_disable();
	old = p->p_vmspace;
	p->p_vmspace = vm;
	pmap_activate(vm->vm_pmap);
	kpreempt_enable();
	vm = old;
	/* Nothing of the old program's LWP state carries over. */
	l->l_private = NULL;
	l->l_ctxlink = NULL;
	lwp_lock(l);
	l->l_flag &= ~(LW_UNPARKED | LW_CANCELLED);
	lwp_unlock(l);
	cpu_exec_setregs(l, entry, sp, es.es_argc, uargv, uenvp);
out:
	if (vm != NULL)
		vmspace_free(vm);
	if (es.es_buf != NULL)
		kmem_free(es.es_buf, ARG_MAX);
	if (path != NULL)
		kmem_free(path, EXEC_PATHMAX);
	return error;
}

int
sys_execve(lwp_t *l, const struct sys_execve_args *uap, register_t *retval)
{
	int error = execve1(l, SCARG(uap, path), SCARG(uap, argp),
	    SCARG(uap, envp), true);

	return error == 0 ? EJUSTRETURN : error;
}

/* ---- init ------------------------------------------------------------ */

BOOTOPT("init", "program to run as process 1 (default /sbin/init)");
BOOTOPT("run", "init runs PROG,ARG,... instead of the shell, then powers off");

/*
 * init's first LWP starts here, in the kernel, and execs the program
 * (init=PATH on the command line, else /sbin/init).  run=PROG,ARGS
 * reaches init as the environment variable RUN.  On success it returns
 * to lwp_trampoline, which enters user mode.
 */
static void
start_init(void *arg)
{
	static char runenv[BI_CMDLINE_LEN + 8];
	const char *path = bootopt_get("init"), *run = bootopt_get("run");
	char *argv[] = { NULL, NULL };
	char *envp[] = { "PATH=/bin:/sbin:/tests", NULL, NULL };
	int error;

	if (path == NULL || path[0] == '\0')
		path = "/sbin/init";
	argv[0] = (char *)path;
	if (run != NULL) {
		snprintf(runenv, sizeof(runenv), "RUN=%s", run);
		envp[1] = runenv;
	}
	if ((error = execve1(curlwp, path, argv, envp, false)) != 0) {
		printf("init: cannot run %s: error %d; stopping\n", path,
		    error);
		cpu_poweroff(false);
	}
}

/* Create process 1 and start it (main, once the system is up). */
void
proc_start_init(void)
{
	struct proc *p;
	lwp_t *l;

	if ((p = proc_alloc()) == NULL || fd_open_console(p) != 0 ||
	    lwp_create(curlwp, p, 0, start_init, NULL, &l) != 0)
		panic("cannot create init: out of memory");
	KASSERT(p->p_pid == 1);
	strlcpy(p->p_comm, "init", sizeof(p->p_comm));
	initproc = p;
	mutex_enter(&proc_lock);
	p->p_pptr = &proc0;
	p->p_pgid = p->p_pid;
	LIST_INSERT_HEAD(&proc0.p_children, p, p_sibling);
	p->p_stat = SACTIVE;
	mutex_exit(&proc_lock);
	mutex_enter(p->p_lock);
	lwp_lock(l);
	l->l_priority = PRI_USER;
	lwp_unlock(l);
	lwp_start(l, 0);
	mutex_exit(p->p_lock);
}

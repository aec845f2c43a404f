/*
 * vm_mmap.c: the memory system calls: mmap, munmap, mprotect and the
 * break (sbrk), on vm_map.c's regions.
 *
 * Only anonymous memory exists (MAP_ANON, fd -1): private (copied by
 * fork) or shared (seen by every process that inherits it); a KCOV
 * kernel maps /dev/kcov's buffer too (shared pages the kernel already
 * has).  W^X: a mapping may be writable or executable, never both
 * (EACCES).
 */
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/param.h>
#include <sys/pmap.h>
#include <sys/proc.h>
#include <sys/syscallargs.h>
#include <sys/vmspace.h>
#include <machine/vmparam.h>

#define PROT_ALL	(PROT_READ | PROT_WRITE | PROT_EXEC)
#ifdef KCOV
#define MMAP_DEVICES	1	/* /dev/kcov: fd_mmap */
#else
#define MMAP_DEVICES	0	/* no file or device has memory to map */
#endif

/* A user range: page-aligned start, non-empty, inside user space. */
static int
mmap_range(vaddr_t va, size_t len, vaddr_t *endp)
{
	if (va % PAGE_SIZE != 0 || len == 0)
		return EINVAL;
	*endp = va + round_page(len);
	if (*endp < va || va < VM_MIN_ADDRESS ||
	    *endp > VM_MAXUSER_ADDRESS)
		return EINVAL;
	return 0;
}

static int
mmap_prot(int prot)
{
	if (prot & ~PROT_ALL)
		return EINVAL;
	if ((prot & (PROT_WRITE | PROT_EXEC)) == (PROT_WRITE | PROT_EXEC))
		return EACCES;		/* W^X */
	return 0;
}

/*
 * mmap(addr, len, prot, flags, fd, pos).  Anonymous memory (MAP_ANON, fd
 * -1, pos 0); and in a KCOV kernel, /dev/kcov's buffer (MAP_SHARED, pos
 * page-aligned: kcov_mmap through fd_mmap checks the rest), whose amap
 * the file layer hands over with a reference for the new region.
 */
int
sys_mmap(lwp_t *l, const struct sys_mmap_args *uap, register_t *retval)
{
	struct vmspace *vm = l->l_proc->p_vmspace;
	struct vm_amap *am = NULL;
	vaddr_t va = (vaddr_t)SCARG(uap, addr), end;
	size_t len = SCARG(uap, len);
	off_t pos = SCARG(uap, pos);
	int prot = SCARG(uap, prot), flags = SCARG(uap, flags), error;

	if ((flags & ~(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANON)) ||
	    !(flags & MAP_SHARED) == !(flags & MAP_PRIVATE) || len == 0 ||
	    round_page(len) < len)
		return EINVAL;
	if (flags & MAP_ANON) {
		if (SCARG(uap, fd) != -1 || pos != 0)
			return EINVAL;
	} else if (!MMAP_DEVICES || !(flags & MAP_SHARED) || pos < 0 ||
	    pos % PAGE_SIZE != 0)
		return EINVAL;		/* no files to map */
	if ((error = mmap_prot(prot)) != 0)
		return error;
	len = round_page(len);
#ifdef KCOV
	if (!(flags & MAP_ANON) &&
	    (error = fd_mmap(SCARG(uap, fd), pos, len, prot, &am)) != 0)
		return error;
#endif
	mutex_enter(&vm->vm_lock);
	if (flags & MAP_FIXED) {
		if ((error = mmap_range(va, len, &end)) == 0)
			vm_map_remove(vm, va, end);
	} else
		error = vm_map_find(vm, trunc_page(va), len, &va);
	if (error == 0 && am != NULL)
		error = vm_map_enter_amap(vm, va, len, prot, am, atop(pos));
	else if (error == 0)
		error = vm_map_enter(vm, va, len, prot,
		    (flags & MAP_SHARED) ? VR_SHARED : 0);
	mutex_exit(&vm->vm_lock);
	if (error == 0)
		*retval = va;
	else if (am != NULL)
		vm_amap_release(am);
	return error;
}

int
sys_munmap(lwp_t *l, const struct sys_munmap_args *uap, register_t *retval)
{
	struct vmspace *vm = l->l_proc->p_vmspace;
	vaddr_t va = (vaddr_t)SCARG(uap, addr), end;
	int error;

	if ((error = mmap_range(va, SCARG(uap, len), &end)) != 0)
		return error;
	mutex_enter(&vm->vm_lock);
	vm_map_remove(vm, va, end);
	mutex_exit(&vm->vm_lock);
	return 0;
}

int
sys_mprotect(lwp_t *l, const struct sys_mprotect_args *uap,
    register_t *retval)
{
	struct vmspace *vm = l->l_proc->p_vmspace;
	vaddr_t va = (vaddr_t)SCARG(uap, addr), end;
	int prot = SCARG(uap, prot), error;

	if ((error = mmap_range(va, SCARG(uap, len), &end)) != 0 ||
	    (error = mmap_prot(prot)) != 0)
		return error;
	mutex_enter(&vm->vm_lock);
	error = vm_map_protect(vm, va, end, prot);
	mutex_exit(&vm->vm_lock);
	return error;
}

/*
 * break(nsize): move the end of the heap to nsize (NULL: just report
 * it).  Returns the new break; ENOMEM past MAXDSIZ or into another
 * mapping.  Pages are added or removed whole; the break itself need
 * not be page-aligned.
 */
int
sys_obreak(lwp_t *l, const struct sys_obreak_args *uap, register_t *retval)
{
	struct vmspace *vm = l->l_proc->p_vmspace;
	vaddr_t new = (vaddr_t)SCARG(uap, nsize), oldend, newend;
	int error = 0;

	mutex_enter(&vm->vm_lock);
	if (new == 0)
		new = vm->vm_dend;
	if (new < vm->vm_daddr || new - vm->vm_daddr > MAXDSIZ) {
		mutex_exit(&vm->vm_lock);
		return ENOMEM;
	}
	oldend = round_page(vm->vm_dend);
	newend = round_page(new);
	if (newend > oldend)
		error = vm_map_enter(vm, oldend, newend - oldend,
		    VM_PROT_READ | VM_PROT_WRITE, 0);
	else if (newend < oldend)
		vm_map_remove(vm, newend, oldend);
	if (error == 0)
		vm->vm_dend = new;
	*retval = vm->vm_dend;
	mutex_exit(&vm->vm_lock);
	return error;
}

/*
 * vm_mmap.c: the memory system calls: mmap, munmap, mprotect and the
 * break (sbrk), on vm_map.c's regions.
 *
 * Only anonymous memory exists (MAP_ANON, fd -1): private (copied by
 * fork) or shared (seen by every process that inherits it).  W^X: a
 * mapping may be writable or executable, never both (EACCES).
 */
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/mman.h>
#include <sys/param.h>
#include <sys/pmap.h>
#include <sys/proc.h>
#include <sys/syscallargs.h>
#include <sys/vmspace.h>
#include <machine/vmparam.h>

#define PROT_ALL	(PROT_READ | PROT_WRITE | PROT_EXEC)

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

int
sys_mmap(lwp_t *l, const struct sys_mmap_args *uap, register_t *retval)
{
	struct vmspace *vm = l->l_proc->p_vmspace;
	vaddr_t va = (vaddr_t)SCARG(uap, addr), end;
	size_t len = SCARG(uap, len);
	int prot = SCARG(uap, prot), flags = SCARG(uap, flags), error;

	if (!(flags & MAP_ANON))
		return EINVAL;		/* no files to map */
	if ((flags & ~(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANON)) ||
	    !(flags & MAP_SHARED) == !(flags & MAP_PRIVATE) ||
	    SCARG(uap, fd) != -1 || SCARG(uap, pos) != 0 || len == 0 ||
	    round_page(len) < len)
		return EINVAL;
	if ((error = mmap_prot(prot)) != 0)
		return error;
	len = round_page(len);
	mutex_enter(&vm->vm_lock);
	if (flags & MAP_FIXED) {
		if ((error = mmap_range(va, len, &end)) == 0) {
			vm_map_remove(vm, va, end);
			error = vm_map_enter(vm, va, len, prot,
			    (flags & MAP_SHARED) ? VR_SHARED : 0);
		}
	} else if ((error = vm_map_find(vm, trunc_page(va), len, &va)) == 0)
		error = vm_map_enter(vm, va, len, prot,
		    (flags & MAP_SHARED) ? VR_SHARED : 0);
	mutex_exit(&vm->vm_lock);
	if (error == 0)
		*retval = va;
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

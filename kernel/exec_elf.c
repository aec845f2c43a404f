/*
 * exec_elf.c: loading a static ELF64 executable for this machine into a
 * fresh address space.
 *
 * Nothing in the file is trusted.  Every header field the loader uses
 * is checked first, and any violation is ENOEXEC:
 *
 *   - the ELF identification: magic, the machine's class and byte
 *     order (ELF_TARG_CLASS, ELF_TARG_DATA: machine/elf_machdep.h),
 *     version; e_type ET_EXEC (static, not PIE), e_machine
 *     ELF_TARG_MACH;
 *   - the program header table lies inside the file, entries are the
 *     right size, and there are 1..ELF_MAXPHNUM of them;
 *   - no PT_INTERP or PT_DYNAMIC (no dynamic linking here);
 *   - each PT_LOAD: its file bytes inside the file, p_filesz <=
 *     p_memsz, p_vaddr and p_offset congruent modulo the page size,
 *     the whole of it in [VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS) without
 *     wrapping, not writable and executable at once (W^X), and no
 *     page shared with another PT_LOAD;
 *   - the entry point inside an executable PT_LOAD.
 *
 * Then each segment becomes a private region with its rights, the
 * file bytes are copied in, and the rest (bss) is already zero.
 */
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/exec_elf.h>
#include <sys/param.h>
#include <sys/pmap.h>
#include <sys/vmspace.h>
#include <machine/vmparam.h>

#define ELF_MAXPHNUM	16

struct exec_seg {
	vaddr_t	start, end;		/* page-rounded */
};

static int
elf_check_phdr(const Elf64_Phdr *ph, size_t filesize)
{
	if (ph->p_filesz > ph->p_memsz ||
	    ph->p_offset > filesize || ph->p_filesz > filesize - ph->p_offset)
		return ENOEXEC;
	if ((ph->p_vaddr & PAGE_MASK) != (ph->p_offset & PAGE_MASK))
		return ENOEXEC;
	if (ph->p_vaddr < VM_MIN_ADDRESS || ph->p_memsz == 0 ||
	    ph->p_vaddr + ph->p_memsz < ph->p_vaddr ||
	    ph->p_vaddr + ph->p_memsz > VM_MAXUSER_ADDRESS)
		return ENOEXEC;
	if ((ph->p_flags & (PF_W | PF_X)) == (PF_W | PF_X))
		return ENOEXEC;
	return 0;
}

/*
 * Check the image (file, filesize) and load it into vm; *entryp = the
 * entry point, *brkp = the first page after the highest segment (where
 * the break starts).
 */
int
exec_elf_load(struct vmspace *vm, const char *file, size_t filesize,
    vaddr_t *entryp, vaddr_t *brkp)
{
	const Elf64_Ehdr *eh = (const void *)file;
	const Elf64_Phdr *ph;
	struct exec_seg seg[ELF_MAXPHNUM];
	int nseg = 0, prot, error;
	bool entry_ok = false;
	vaddr_t brk = 0;

	if (filesize < sizeof(*eh) ||
	    memcmp(eh->e_ident, ELFMAG, 4) != 0 ||
	    eh->e_ident[EI_CLASS] != ELF_TARG_CLASS ||
	    eh->e_ident[EI_DATA] != ELF_TARG_DATA ||
	    eh->e_ident[EI_VERSION] != EV_CURRENT ||
	    eh->e_type != ET_EXEC || eh->e_machine != ELF_TARG_MACH ||
	    eh->e_version != EV_CURRENT)
		return ENOEXEC;
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
	    eh->e_phnum > ELF_MAXPHNUM || eh->e_phoff > filesize ||
	    (size_t)eh->e_phnum * sizeof(Elf64_Phdr) > filesize - eh->e_phoff ||
	    eh->e_phoff % 8 != 0)
		return ENOEXEC;
	ph = (const Elf64_Phdr *)(file + eh->e_phoff);

	/* Check everything before changing anything. */
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP || ph[i].p_type == PT_DYNAMIC)
			return ENOEXEC;
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (elf_check_phdr(&ph[i], filesize) != 0)
			return ENOEXEC;
		seg[nseg].start = trunc_page(ph[i].p_vaddr);
		seg[nseg].end = round_page(ph[i].p_vaddr + ph[i].p_memsz);
		for (int j = 0; j < nseg; j++)
			if (seg[nseg].start < seg[j].end &&
			    seg[j].start < seg[nseg].end)
				return ENOEXEC;	/* overlap */
		if ((ph[i].p_flags & PF_X) && eh->e_entry >= ph[i].p_vaddr &&
		    eh->e_entry < ph[i].p_vaddr + ph[i].p_memsz)
			entry_ok = true;
		brk = MAX(brk, seg[nseg].end);
		nseg++;
	}
	if (nseg == 0 || !entry_ok)
		return ENOEXEC;

	for (int i = 0, k = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		prot = ((ph[i].p_flags & PF_R) ? VM_PROT_READ : 0) |
		    ((ph[i].p_flags & PF_W) ? VM_PROT_WRITE : 0) |
		    ((ph[i].p_flags & PF_X) ? VM_PROT_EXECUTE : 0);
		mutex_enter(&vm->vm_lock);
		error = vm_map_enter(vm, seg[k].start,
		    seg[k].end - seg[k].start, prot, 0);
		mutex_exit(&vm->vm_lock);
		if (error == 0)
			error = vm_map_write(vm, ph[i].p_vaddr,
			    file + ph[i].p_offset, ph[i].p_filesz);
		if (error != 0)
			return error;
		k++;
	}
	*entryp = eh->e_entry;
	*brkp = brk;
	return 0;
}

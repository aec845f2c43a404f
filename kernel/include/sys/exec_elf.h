/*
 * sys/exec_elf.h: the ELF64 structures the program loader reads
 * (exec_elf.c), with the ELF specification's names.  Which machine's
 * executables it takes (ELF_TARG_CLASS, ELF_TARG_DATA, ELF_TARG_MACH)
 * is machine/elf_machdep.h's business.
 */
#ifndef _SYS_EXEC_ELF_H_
#define _SYS_EXEC_ELF_H_

#include <sys/types.h>
#include <machine/elf_machdep.h>

#define EI_NIDENT	16
#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
#define ELFMAG		"\177ELF"
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_EXEC		2

typedef struct {
	unsigned char	e_ident[EI_NIDENT];
	uint16_t	e_type;
	uint16_t	e_machine;
	uint32_t	e_version;
	uint64_t	e_entry;	/* where the program starts */
	uint64_t	e_phoff;	/* program headers: file offset */
	uint64_t	e_shoff;
	uint32_t	e_flags;
	uint16_t	e_ehsize;
	uint16_t	e_phentsize;	/* ... size of one */
	uint16_t	e_phnum;	/* ... how many */
	uint16_t	e_shentsize;
	uint16_t	e_shnum;
	uint16_t	e_shstrndx;
} Elf64_Ehdr;

#define PT_NULL		0
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_TLS		7
#define PT_GNU_STACK	0x6474e551

#define PF_X		0x1
#define PF_W		0x2
#define PF_R		0x4

typedef struct {
	uint32_t	p_type;
	uint32_t	p_flags;
	uint64_t	p_offset;	/* where the bytes are in the file */
	uint64_t	p_vaddr;	/* where they go in memory */
	uint64_t	p_paddr;
	uint64_t	p_filesz;	/* how many come from the file */
	uint64_t	p_memsz;	/* how many in memory (rest zero) */
	uint64_t	p_align;
} Elf64_Phdr;

#ifdef _KERNEL
struct vmspace;
int	exec_elf_load(struct vmspace *, const char *, size_t, vaddr_t *,
	    vaddr_t *);
#endif

#endif /* !_SYS_EXEC_ELF_H_ */

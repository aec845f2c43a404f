/*
 * sys/ksyms.h: the kernel's own symbol table, for backtraces.
 *
 * The Makefile links the kernel twice: the second link adds a table of
 * every function's address, size and name (tools/mksyms), generated from
 * the first.  The table sits at the end of the image, so adding it moves
 * nothing else.
 */
#ifndef _SYS_KSYMS_H_
#define _SYS_KSYMS_H_

#include <sys/types.h>

struct ksym {
	uint64_t	ks_addr;
	uint32_t	ks_size;
	uint32_t	ks_name;	/* offset into ksyms_strings */
};

const char *ksyms_lookup(vaddr_t, vaddr_t *offp);
vaddr_t	ksyms_addr(const char *);
void	ksyms_format(vaddr_t, char *, size_t);
size_t	ksyms_count(void);

#endif /* !_SYS_KSYMS_H_ */

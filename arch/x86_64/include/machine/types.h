/*
 * machine/types.h: widths of machine-dependent types (x86-64).
 * Interface header: machine-independent code reaches it via <sys/types.h>.
 */
#ifndef _MACHINE_TYPES_H_
#define _MACHINE_TYPES_H_

#include <stdint.h>

typedef uint64_t	paddr_t;	/* physical address */
typedef uint64_t	psize_t;
typedef uint64_t	vaddr_t;	/* kernel virtual address */
typedef uint64_t	vsize_t;
typedef int64_t		register_t;

#endif /* !_MACHINE_TYPES_H_ */

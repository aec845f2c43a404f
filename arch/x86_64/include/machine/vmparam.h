/*
 * machine/vmparam.h: the user address space (shared with user space).
 *
 *   0                      unmapped: NULL dereferences fault
 *   VM_MIN_ADDRESS         lowest address a mapping may have
 *   0x400000               programs are linked here (ld's default)
 *   ...                    program, then its break (sbrk) growing up
 *   VM_MMAP_BASE           mmap() without a hint searches up from here
 *   USRSTACK - MAXSSIZ     the stack, demand-zero, with an unmapped
 *                          guard page below it
 *   USRSTACK = VM_MAXUSER_ADDRESS: the top of user space (exclusive);
 *                          the canonical hole and the kernel follow
 */
#ifndef _MACHINE_VMPARAM_H_
#define _MACHINE_VMPARAM_H_

#ifdef __ASSEMBLER__
#define __VMUL(x)	x
#else
#define __VMUL(x)	x##UL
#endif

#define VM_MIN_ADDRESS		__VMUL(0x0000000000001000)
#define VM_MAXUSER_ADDRESS	__VMUL(0x00007f8000000000)
#define USRSTACK		VM_MAXUSER_ADDRESS
#define MAXSSIZ			(__VMUL(8) << 20)	/* stack size limit */
#define VM_MMAP_BASE		__VMUL(0x0000100000000000)
#define MAXDSIZ			(__VMUL(1) << 30)	/* break (data) size limit */

#endif /* !_MACHINE_VMPARAM_H_ */

/*
 * machine/frameasm.h: offsets the assembly code uses (vectors.S,
 * copy.S), for structures C defines.  machdep.c checks each against
 * the C layout at compile time, so they cannot drift apart.
 */
#ifndef _MACHINE_FRAMEASM_H_
#define _MACHINE_FRAMEASM_H_

/* struct cpu_info (machine/cpu.h), reached through %gs */
#define CPU_INFO_CURLWP		8
#define CPU_INFO_RSP0		16
#define CPU_INFO_USCRATCH	24

/* struct trapframe (machine/frame.h) */
#define TF_RCX		24
#define TF_R11		56
#define TF_TRAPNO	120
#define TF_RIP		136
#define TF_CS		144
#define TF_RFLAGS	152
#define TF_RSP		160
#define TF_SS		168
#define TF_SIZE		176

/* tf_trapno of a system call (not an exception vector) */
#define T_SYSCALL	0x100

#endif /* !_MACHINE_FRAMEASM_H_ */

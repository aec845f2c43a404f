/*
 * machine/frame.h: the trap frame, the registers saved on every
 * exception, interrupt and (later) system call.  vectors.S builds it;
 * its layout must match the push order there.
 */
#ifndef _MACHINE_FRAME_H_
#define _MACHINE_FRAME_H_

#include <sys/types.h>

struct trapframe {
	uint64_t	tf_rdi;
	uint64_t	tf_rsi;
	uint64_t	tf_rdx;
	uint64_t	tf_rcx;
	uint64_t	tf_r8;
	uint64_t	tf_r9;
	uint64_t	tf_r10;
	uint64_t	tf_r11;
	uint64_t	tf_r12;
	uint64_t	tf_r13;
	uint64_t	tf_r14;
	uint64_t	tf_r15;
	uint64_t	tf_rbp;
	uint64_t	tf_rbx;
	uint64_t	tf_rax;
	uint64_t	tf_trapno;
	/* pushed by the CPU (tf_err by our stub when the CPU does not) */
	uint64_t	tf_err;
	uint64_t	tf_rip;
	uint64_t	tf_cs;
	uint64_t	tf_rflags;
	uint64_t	tf_rsp;
	uint64_t	tf_ss;
};

#endif /* !_MACHINE_FRAME_H_ */

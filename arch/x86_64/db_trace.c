/*
 * db_trace.c: register dumps and stack backtraces, for panic().
 *
 * The kernel is compiled with frame pointers, so every function starts
 * with `push %rbp; mov %rsp, %rbp`: %rbp points at the caller's saved
 * %rbp, with the return address just above it.  Following that chain
 * gives the call stack; ksyms turns each return address into a name.
 * locore.S starts the chain with %rbp = 0.
 *
 * Every frame address is checked (aligned, mapped, moving up the stack)
 * before it is read, so a corrupt stack ends the trace instead of
 * faulting inside the panic.
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/ksyms.h>
#include <sys/lwp.h>
#include <machine/cpufunc.h>
#include <machine/frame.h>
#include "x86_var.h"

#define BACKTRACE_MAX	32

extern char kernel_text[], kernel_etext[];

static bool
kaddr_readable(vaddr_t va)
{
	return va >= PMAP_DIRECT_BASE && (pmap_kernel_pte(va, NULL) & PTE_P);
}

/*
 * A return address is just after its call instruction, which may be the
 * last one of a function that never returns (a call to panic()): look up
 * pc - 1 so such frames name the caller, not the function after it.
 */
static void
print_frame(int depth, vaddr_t pc, bool is_return)
{
	vaddr_t off;
	const char *name = ksyms_lookup(pc - is_return, &off);

	if (name == NULL)
		printf("  #%-2d %#018lx in ?\n", depth, pc);
	else
		printf("  #%-2d %#018lx in %s+%#lx\n", depth, pc, name,
		    off + is_return);
}

/*
 * Does an indirect call (opcode FF /2: `call *%reg`, `call *8(%r12)`,
 * `call *x(%rip)`, ...) end exactly at `ra`?  Decodes ModRM/SIB to get
 * the instruction's length for each possible start.
 */
static bool
ends_indirect_call(const uint8_t *ra)
{
	for (int n = 2; n <= 7; n++) {
		const uint8_t *p = ra - n;
		int mod = p[1] >> 6, rm = p[1] & 7, len = 2;

		if (p[0] != 0xff || ((p[1] >> 3) & 7) != 2)
			continue;
		if (mod != 3 && rm == 4)
			len++;				/* SIB byte */
		if (mod == 1)
			len += 1;
		else if (mod == 2 || (mod == 0 && rm == 5) ||
		    (mod == 0 && rm == 4 && (p[2] & 7) == 5))
			len += 4;
		if (len == n)
			return true;
	}
	return false;
}

/*
 * Could `ra` be a return address into a call of `func`: just after a
 * direct `call func`, or after an indirect call (its target unknown)?
 */
static bool
is_return_to(vaddr_t ra, vaddr_t func)
{
	const uint8_t *b = (const uint8_t *)ra;

	if (ra < (vaddr_t)kernel_text + 7 || ra >= (vaddr_t)kernel_etext)
		return false;
	if (b[-5] == 0xe8 && ra + *(const int32_t *)(ra - 4) == func)
		return true;				/* call rel32 */
	return ends_indirect_call(b);
}

/*
 * The caller of a function that trapped before (or without) setting up
 * its frame, or 0 if it did set one up (then %rbp leads to the caller).
 * That happens at a function's first instruction or just after its
 * `push %rbp` (the return address is then at %rsp or %rsp + 8), and
 * anywhere in a leaf function the compiler built without a frame (gcc
 * does that even with -fno-omit-frame-pointer): there, take the first
 * word near %rsp that looks like a return from a call to this function.
 */
static vaddr_t
trap_caller(struct trapframe *tf)
{
	vaddr_t off, func;

	if (ksyms_lookup(tf->tf_rip, &off) == NULL)
		return 0;
	func = tf->tf_rip - off;
	if (*(uint8_t *)func == 0x55) {			/* push %rbp: framed */
		/* Before the prologue finished, the return address is at
		 * %rsp (offset 0) or just above the pushed %rbp (1). */
		vaddr_t p = tf->tf_rsp + 8 * off;

		if (off > 1 || !kaddr_readable(p))
			return 0;
		return *(vaddr_t *)p;
	}
	for (int i = 0; i < 8; i++) {
		vaddr_t p = tf->tf_rsp + 8 * i;

		if (!kaddr_readable(p))
			return 0;
		if (is_return_to(*(vaddr_t *)p, func))
			return *(vaddr_t *)p;
	}
	return 0;
}

/* Is pc a return into one of vectors.S's calls of trap(frame)? */
static bool
in_alltraps(vaddr_t pc)
{
	const char *name = ksyms_lookup(pc - 1, NULL);

	return name != NULL && (strcmp(name, "alltraps") == 0 ||
	    strcmp(name, "paranoid_traps") == 0);
}

/*
 * Print the call chain.  From a trap frame: the trapping instruction,
 * then its callers (via the frame's %rbp).  Without one: our callers.
 */
void
cpu_backtrace(struct trapframe *tf)
{
	vaddr_t fp, pc;
	int depth = 0;

	if (tf != NULL) {
		print_frame(depth++, tf->tf_rip, false);
		if ((pc = trap_caller(tf)) != 0)
			print_frame(depth++, pc, true);
		fp = tf->tf_rbp;
	} else
		fp = (vaddr_t)__builtin_frame_address(0);

	while (fp != 0 && depth < BACKTRACE_MAX) {
		if (fp % 8 != 0 || !kaddr_readable(fp) ||
		    !kaddr_readable(fp + 8)) {
			printf("  (frame pointer %#lx is not a valid stack "
			    "address; trace ends)\n", fp);
			return;
		}
		pc = ((vaddr_t *)fp)[1];
		if (pc == 0)
			break;
		print_frame(depth++, pc, true);
		if (in_alltraps(pc)) {
			/*
			 * trap() was called by alltraps (or paranoid_traps):
			 * the trap frame sits just above trap()'s return
			 * address.  Show what was interrupted, then go on
			 * from its frame.
			 */
			struct trapframe *itf = (void *)(fp + 16);

			if (!kaddr_readable((vaddr_t)itf) ||
			    !kaddr_readable((vaddr_t)(itf + 1) - 8))
				break;
			printf("  --- %s (vector %#lx) ---\n",
			    itf->tf_trapno < 32 ? trap_names[itf->tf_trapno] :
			    intr_name(itf->tf_trapno), itf->tf_trapno);
			print_frame(depth++, itf->tf_rip, false);
			if ((pc = trap_caller(itf)) != 0)
				print_frame(depth++, pc, true);
			fp = itf->tf_rbp;
			continue;
		}
		vaddr_t next = ((vaddr_t *)fp)[0];
		if (next != 0 && next <= fp) {
			printf("  (frame pointer goes down the stack; trace "
			    "ends)\n");
			return;
		}
		fp = next;
	}
	if (depth == BACKTRACE_MAX)
		printf("  ... (more frames)\n");
}

/*
 * Where a switched-out LWP waits, on one line after `prefix`: its
 * callers, innermost first ("sleepq_block+0x8a < cv_wait+0x2b < ..."),
 * from its switch frame (swtch.S: %r15, %r14, %r13, %r12, %rbp, %rbx,
 * then the return address into cpu_switchto) and its saved %rbp chain,
 * the switch itself (cpu_switchto, mi_switch) left out.  For the hang
 * report (db_lwp.c).  No lock: the LWP may start to run as we read, so
 * every address is checked before it is read and the chain must move
 * up the stack; the worst is a wrong line.  False (nothing printed) if
 * the frame does not look like one.
 */
#define LWP_TRACE_MAX	8

bool
cpu_lwp_backtrace(const lwp_t *l, const char *prefix)
{
	vaddr_t sp = l->l_md.md_sp, fp, pc, off;
	const char *name;
	int depth = 0;

	if (sp % 8 != 0 || !kaddr_readable(sp) || !kaddr_readable(sp + 48))
		return false;
	fp = ((vaddr_t *)sp)[4];
	printf("%s", prefix);
	while (fp != 0 && depth < LWP_TRACE_MAX) {
		if (fp % 8 != 0 || fp <= sp || !kaddr_readable(fp) ||
		    !kaddr_readable(fp + 8))
			break;
		pc = ((vaddr_t *)fp)[1];
		if (pc == 0 || in_alltraps(pc))
			break;
		name = ksyms_lookup(pc - 1, &off);
		if (name == NULL)
			break;
		if (strcmp(name, "cpu_switchto") != 0 &&
		    strcmp(name, "mi_switch") != 0)
			printf("%s%s+%#lx", depth++ == 0 ? "" : " < ", name,
			    off + 1);
		sp = fp;
		fp = ((vaddr_t *)fp)[0];
	}
	printf("%s\n", depth == 0 ? "?" : "");
	return true;
}

void
cpu_dump_registers(struct trapframe *tf)
{
	struct trapframe here;

	if (tf == NULL) {
		/* Only what is meaningful at the call: pc, sp, fp, flags. */
		memset(&here, 0, sizeof(here));
		__asm volatile("leaq 0(%%rip), %0" : "=r"(here.tf_rip));
		__asm volatile("movq %%rsp, %0" : "=r"(here.tf_rsp));
		here.tf_rbp = (uint64_t)__builtin_frame_address(0);
		here.tf_rflags = read_rflags();
		__asm volatile("movq %%cs, %0" : "=r"(here.tf_cs));
		__asm volatile("movq %%ss, %0" : "=r"(here.tf_ss));
		tf = &here;
		printf("  (called from C: only rip/rsp/rbp/rflags are exact)\n");
	}
	printf("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n",
	    tf->tf_rax, tf->tf_rbx, tf->tf_rcx, tf->tf_rdx);
	printf("  rsi %016lx  rdi %016lx  rbp %016lx  rsp %016lx\n",
	    tf->tf_rsi, tf->tf_rdi, tf->tf_rbp, tf->tf_rsp);
	printf("  r8  %016lx  r9  %016lx  r10 %016lx  r11 %016lx\n",
	    tf->tf_r8, tf->tf_r9, tf->tf_r10, tf->tf_r11);
	printf("  r12 %016lx  r13 %016lx  r14 %016lx  r15 %016lx\n",
	    tf->tf_r12, tf->tf_r13, tf->tf_r14, tf->tf_r15);
	printf("  rip %016lx  rflags %08lx  cs %04lx  ss %04lx\n",
	    tf->tf_rip, tf->tf_rflags, tf->tf_cs, tf->tf_ss);
	printf("  cr0 %016lx  cr2 %016lx  cr3 %016lx  cr4 %016lx\n",
	    rcr0(), rcr2(), rcr3(), rcr4());
}

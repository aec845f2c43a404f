/*
 * machine/cpufunc.h: one-instruction wrappers (port I/O, control
 * registers, MSRs, CPUID, interrupts).  Arch-private: machine-independent
 * code uses the interfaces in <sys/...> instead.
 */
#ifndef _MACHINE_CPUFUNC_H_
#define _MACHINE_CPUFUNC_H_

#include <sys/types.h>

static inline void
outb(uint16_t port, uint8_t v)
{
	__asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;

	__asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void
outw(uint16_t port, uint16_t v)
{
	__asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void
outl(uint16_t port, uint32_t v)
{
	__asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

#define CR_ACCESSORS(n)							\
static inline uint64_t rcr##n(void)					\
{									\
	uint64_t v;							\
	__asm volatile("mov %%cr" #n ", %0" : "=r"(v));			\
	return v;							\
}									\
static inline void lcr##n(uint64_t v)					\
{									\
	__asm volatile("mov %0, %%cr" #n : : "r"(v) : "memory");	\
}
CR_ACCESSORS(0)
CR_ACCESSORS(2)
CR_ACCESSORS(3)
CR_ACCESSORS(4)
#undef CR_ACCESSORS

static inline uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void
wrmsr(uint32_t msr, uint64_t v)
{
	__asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
	    "d"((uint32_t)(v >> 32)) : "memory");
}

static inline void
x86_cpuid2(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	    : "a"(leaf), "c"(sub));
}

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	__asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void
invlpg(vaddr_t va)
{
	__asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint64_t
read_rflags(void)
{
	uint64_t f;

	__asm volatile("pushfq; popq %0" : "=r"(f));
	return f;
}

static inline void
write_rflags(uint64_t f)
{
	__asm volatile("pushq %0; popfq" : : "r"(f) : "memory", "cc");
}

/* Save/restore the x87/SSE registers (512-byte, 16-aligned area). */
static inline void
fxsave(void *area)
{
	__asm volatile("fxsave64 %0" : "=m"(*(char (*)[512])area));
}

static inline void
fxrstor(const void *area)
{
	__asm volatile("fxrstor64 %0" : : "m"(*(const char (*)[512])area));
}

static inline void x86_disable_intr(void) { __asm volatile("cli" ::: "memory"); }
static inline void x86_enable_intr(void) { __asm volatile("sti" ::: "memory"); }
static inline void x86_hlt(void) { __asm volatile("hlt" ::: "memory"); }
static inline void x86_pause(void) { __asm volatile("pause" ::: "memory"); }

#endif /* !_MACHINE_CPUFUNC_H_ */

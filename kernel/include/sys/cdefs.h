/*
 * sys/cdefs.h: compiler helpers used all over the kernel.
 *
 * NetBSD spells these the same way, so code reads the same in both trees.
 */
#ifndef _SYS_CDEFS_H_
#define _SYS_CDEFS_H_

#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __section(x)		__attribute__((__section__(x)))
#define __used			__attribute__((__used__))
#define __unused		__attribute__((__unused__))
#define __dead			__attribute__((__noreturn__))
#define __noinline		__attribute__((__noinline__))
/* Not checked by KASAN (sys/kasan.h): a read of memory that may be freed
 * on purpose, which a comment must justify.  Nothing without KASAN. */
#ifdef KASAN
#define __nokasan	__attribute__((__noinline__, __no_sanitize_address__))
#else
#define __nokasan
#endif
#define __always_inline		inline __attribute__((__always_inline__))
#define __printflike(f, a)	__attribute__((__format__(__printf__, f, a)))
#define __predict_true(e)	__builtin_expect(((e) != 0), 1)
#define __predict_false(e)	__builtin_expect(((e) != 0), 0)
#define __arraycount(a)		(sizeof(a) / sizeof((a)[0]))
#define __STRING(x)		#x
#define __XSTRING(x)		__STRING(x)
#define __CONCAT(a, b)		a##b
#define __XCONCAT(a, b)		__CONCAT(a, b)

/* Compiler barrier: no memory access moves across it. */
#define __insn_barrier()	__asm volatile("" ::: "memory")

#endif /* !_SYS_CDEFS_H_ */

/*
 * sys/systm.h: the functions every kernel file uses: console output,
 * formatting, panic and assertions, and the string/memory routines.
 */
#ifndef _SYS_SYSTM_H_
#define _SYS_SYSTM_H_

#include <stdarg.h>
#include <sys/types.h>

/* kern_cons.c: console output, serialised so lines from CPUs don't mix. */
int	printf(const char *, ...) __printflike(1, 2);
int	vprintf(const char *, va_list);
#define MSGBUFSIZE	16384
extern char msgbuf[MSGBUFSIZE];		/* what printf() printed, the last
					 * MSGBUFSIZE bytes (kern_cons.c) */
extern uint64_t msgbuf_total;		/* bytes printed, ever */
bool	cons_owned(void);

/* lib/: formatting (kvprintf, snprintf) and string routines, shared
 * with user space's libc. */
#include <lib/libkern.h>

/* kern_panic.c */
struct trapframe;
void	panic(const char *, ...) __dead __printflike(1, 2);
void	vpanic(const char *, va_list) __dead;
void	panic_frame(struct trapframe *, const char *, ...)
	    __dead __printflike(2, 3);
void	vpanic_frame(struct trapframe *, const char *, va_list) __dead;
void	kassert_fail(const char *, const char *, int, const char *) __dead;
extern volatile int panicking;		/* 1 + index of the panicking CPU */

/*
 * KASSERT(e): a kernel invariant.  On in every build by default
 * (DIAGNOSTIC); `make DIAGNOSTIC=0` compiles them out for measurements.
 * KDASSERT is for expensive checks (DEBUG builds only).
 */
#ifndef DIAGNOSTIC
#define DIAGNOSTIC 1
#endif
#if DIAGNOSTIC
#define KASSERT(e)	((__predict_true(e)) ? (void)0 :		\
			    kassert_fail(#e, __FILE__, __LINE__, __func__))
#define KASSERTMSG(e, ...) ((__predict_true(e)) ? (void)0 :		\
			    panic(__VA_ARGS__))
#else
#define KASSERT(e)		((void)0)
#define KASSERTMSG(e, ...)	((void)0)
#endif
#ifdef DEBUG
#define KDASSERT(e)	KASSERT(e)
#else
#define KDASSERT(e)	((void)0)
#endif
#define CTASSERT(e)	_Static_assert(e, #e)

/* main.c: machine-independent start-up, called by the arch layer. */
void	main(void) __dead;

/*
 * User memory (arch/x86_64/copy.S): the only way the kernel touches
 * it.  0, EFAULT for any address the user may not access, or
 * ENAMETOOLONG (the string ones, when len runs out first).  Never with
 * a spin mutex held: a copy may fault a page in.
 */
int	copyin(const void *, void *, size_t);
int	copyout(const void *, void *, size_t);
int	copyinstr(const void *, void *, size_t, size_t *);
int	copyoutstr(const void *, void *, size_t, size_t *);

/*
 * Arch interface for panics and shutdown (arch/x86_64/db_trace.c,
 * machdep.c).  A NULL frame means "here, now".
 */
void	cnputc(int);			/* console output, polled */
int	cngetc_nowait(void);		/* console input, or -1 */
void	cpu_dump_registers(struct trapframe *);
void	cpu_halt_others(void);		/* stop the other CPUs, quietly */
void	cpu_dump_others(void);		/* ... and have each say where */
void	cpu_report_others(void);	/* each other CPU says where it is
					 * and goes on (the hang detector) */
void	cpu_backtrace(struct trapframe *);
struct lwp;
bool	cpu_lwp_backtrace(const struct lwp *, const char *prefix);
					/* one line: where a switched-out
					 * LWP waits (db_lwp.c) */
void	cpu_reboot_fail(void) __dead;	/* stop; QEMU exits with failure */
void	cpu_poweroff(bool ok) __dead;	/* stop; QEMU exits pass or fail */

#endif /* !_SYS_SYSTM_H_ */

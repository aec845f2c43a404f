/*
 * sys/kcov.h: kernel coverage for fuzzers, NetBSD's kcov(4) (shared
 * with user space; subr_kcov.c; docs/fuzz.md).
 *
 * Only a kernel built with `make KCOV=1` has it: its machine-independent
 * files (and the parts of the arch layer that run on behalf of an LWP)
 * are compiled with -fsanitize-coverage=trace-pc, so that every basic
 * block calls __sanitizer_cov_trace_pc(), which appends the block's
 * address to the running LWP's buffer if that LWP enabled kcov.  Other
 * kernels have no /dev/kcov (open: ENOENT).
 *
 *	int fd = open("/dev/kcov", O_RDWR);
 *	uint64_t nent = 1 << 16;
 *	ioctl(fd, KCOV_IOC_SETBUFSIZE, &nent);	   // entries, word 0 too
 *	kcov_int_t *buf = mmap(NULL, nent * KCOV_ENTRY_SIZE,
 *	    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
 *	int mode = KCOV_MODE_TRACE_PC;
 *	ioctl(fd, KCOV_IOC_ENABLE, &mode);	   // for the calling LWP
 *	buf[0] = 0;
 *	getpid();				   // ... the code to cover
 *	for (uint64_t i = 0; i < buf[0]; i++)
 *		use(buf[i + 1]);		   // kernel PCs, in order
 *	ioctl(fd, KCOV_IOC_DISABLE);
 *
 * Word 0 of the buffer is the number of PCs after it (the kernel reads
 * it, adds one if there is room, and writes it back; the program resets
 * it to 0 between the calls it wants apart).  Nothing is recorded in
 * interrupt handlers, nor for any LWP but the one that enabled it.
 */
#ifndef _SYS_KCOV_H_
#define _SYS_KCOV_H_

#include <sys/types.h>
#include <sys/ioctl.h>

#define KCOV_IOC_SETBUFSIZE	_IOW('K', 1, uint64_t)	/* entries */
#define KCOV_IOC_ENABLE		_IOW('K', 2, int)	/* KCOV_MODE_* */
#define KCOV_IOC_DISABLE	_IO('K', 3)

#define KCOV_MODE_NONE		0	/* enabled, records nothing */
#define KCOV_MODE_TRACE_PC	1	/* every basic block's PC */
#define KCOV_MODE_TRACE_CMP	2	/* NetBSD's comparison operands: not
					 * built here (ENOTSUP) */

typedef volatile uint64_t kcov_int_t;
#define KCOV_ENTRY_SIZE		sizeof(kcov_int_t)
#define KCOV_BUF_MAX_ENTRIES	(256 << 10)	/* 2 MiB, as NetBSD */

#ifdef _KERNEL

struct lwp;
struct vm_amap;
typedef struct kcov_desc kcov_t;

#ifdef KCOV
/* The file layer's entry points (kern_descrip.c, vm_mmap.c). */
int	kcov_open(kcov_t **);
void	kcov_close(kcov_t *);
int	kcov_ioctl(kcov_t *, u_long, void *);
int	kcov_mmap(kcov_t *, off_t, size_t, int, struct vm_amap **);
/* What the ioctls do, with kernel arguments (and the ktests'). */
int	kcov_setbufsize(kcov_t *, uint64_t);
int	kcov_enable(kcov_t *, int);
int	kcov_disable(kcov_t *);
kcov_int_t *kcov_kbuf(kcov_t *);
/* lwp_exit: the LWP ends; a descriptor enabled on it is disabled. */
void	kcov_lwp_free(struct lwp *);
#else
#define kcov_lwp_free(l)	((void)(l))
#endif /* KCOV */

#endif /* _KERNEL */

#endif /* !_SYS_KCOV_H_ */

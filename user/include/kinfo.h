/*
 * kinfo.h: the kernel's LWP table (sysctl kern.lwp, struct kinfo_lwp in
 * sys/sysctl.h), fetched and formatted the way ps(1) shows it.
 * lwpkern's own, in libc (FreeBSD's libutil has kinfo_getallproc() in
 * the same spirit); ps, libatf-c (a hung test case's LWPs), fuzz and
 * soak share it.
 *
 *	  PID  PPID  LID STAT      CPU PRI WCHAN    AFFINITY NAME
 *	    7     1    2 SUSPENDED   1  43 -        0,1      lwpdemo/worker
 */
#ifndef _KINFO_H_
#define _KINFO_H_

#include <sys/sysctl.h>
#include <stddef.h>

/* Every LWP, malloc'd (free it); *np says how many.  NULL and errno on
 * failure. */
struct kinfo_lwp *kinfo_getlwps(size_t *np);

/* One line of the table (no newline) in buf, which it returns; with l
 * NULL, the header line.  128 bytes are always enough. */
char	*kinfo_lwp_line(char *buf, size_t size, const struct kinfo_lwp *l);

/* The whole table on standard output, the header first, each line
 * after `prefix'; with `useronly', only processes' LWPs (no kernel
 * threads).  0, or -1 and errno. */
int	kinfo_print_lwps(const char *prefix, int useronly);

#endif /* !_KINFO_H_ */

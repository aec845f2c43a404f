/*
 * sys/ioctl.h: ioctl(2) requests (NetBSD's encoding), shared with user
 * space.  The console answers only the job-control pair: which process
 * group is in the foreground (gets the signals ^C, ^Z and ^\ send, and
 * may read).  A kernel built with KCOV=1 has /dev/kcov too, whose
 * requests are in sys/kcov.h.
 */
#ifndef _SYS_IOCTL_H_
#define _SYS_IOCTL_H_

#include <sys/types.h>

#define IOC_VOID	0x20000000UL	/* no data */
#define IOC_OUT		0x40000000UL	/* data goes out to the caller */
#define IOC_IN		0x80000000UL	/* data comes in from the caller */
#define _IOC(inout, group, num, len) \
	((inout) | (((unsigned long)(len) & 0x1fff) << 16) | \
	 ((group) << 8) | (num))
#define _IO(g, n)	_IOC(IOC_VOID, (g), (n), 0)
#define _IOR(g, n, t)	_IOC(IOC_OUT, (g), (n), sizeof(t))
#define _IOW(g, n, t)	_IOC(IOC_IN, (g), (n), sizeof(t))

#define TIOCSPGRP	_IOW('t', 118, int)	/* set the foreground group */
#define TIOCGPGRP	_IOR('t', 119, int)	/* get it */

#ifndef _KERNEL
int	ioctl(int, unsigned long, ...);
#endif

#endif /* !_SYS_IOCTL_H_ */

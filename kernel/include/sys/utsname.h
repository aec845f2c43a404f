/*
 * sys/utsname.h: uname(2) (shared with user space).  NetBSD builds
 * uname() on sysctl; lwpkern has a system call for it.
 */
#ifndef _SYS_UTSNAME_H_
#define _SYS_UTSNAME_H_

#define _SYS_NMLN	256

struct utsname {
	char	sysname[_SYS_NMLN];	/* "lwpkern" */
	char	nodename[_SYS_NMLN];
	char	release[_SYS_NMLN];
	char	version[_SYS_NMLN];
	char	machine[_SYS_NMLN];	/* MACHINE (machine/param.h) */
};

#ifndef _KERNEL
/* User space: libc. */
int	uname(struct utsname *);
#endif /* !_KERNEL */

#endif /* !_SYS_UTSNAME_H_ */

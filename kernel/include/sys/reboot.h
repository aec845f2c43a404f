/*
 * sys/reboot.h: reboot(2) flags, NetBSD's values (shared with user
 * space), and one lwpkern extension.
 */
#ifndef _SYS_REBOOT_H_
#define _SYS_REBOOT_H_

#define RB_AUTOBOOT	0x000	/* reboot */
#define RB_HALT		0x008	/* halt instead */
#define RB_POWERDOWN	(RB_HALT | 0x800)	/* power off */

/*
 * lwpkern: RB_STATUS(n) with RB_POWERDOWN hands exit status n (0..255)
 * to whoever runs the machine: the kernel prints it, and QEMU exits
 * with "pass" for 0 and "fail" otherwise (tools/run-user reports n).
 * The shift is unsigned: a status of 128 or more reaches bit 31, which
 * a signed int cannot shift into.
 */
#define RB_HASSTATUS	0x00800000
#define RB_STATUS(n)	((int)(RB_HASSTATUS | (((unsigned)(n) & 0xff) << 24)))
#define RB_GETSTATUS(howto)	(((unsigned)(howto) >> 24) & 0xff)

#ifndef _KERNEL
/* User space: libc. */
int	reboot(int, char *);
#endif /* !_KERNEL */

#endif /* !_SYS_REBOOT_H_ */

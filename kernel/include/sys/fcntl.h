/*
 * sys/fcntl.h: open(2) flags, NetBSD's values (shared with user space).
 */
#ifndef _SYS_FCNTL_H_
#define _SYS_FCNTL_H_

#define O_RDONLY	0x00000000
#define O_WRONLY	0x00000001
#define O_RDWR		0x00000002
#define O_ACCMODE	0x00000003
#define O_APPEND	0x00000008
#define O_CREAT		0x00000200
#define O_TRUNC		0x00000400
#define O_EXCL		0x00000800
#define O_DIRECTORY	0x00200000

#endif /* !_SYS_FCNTL_H_ */

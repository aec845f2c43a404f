/*
 * sys/stat.h: struct stat, NetBSD's LP64 layout (shared with user
 * space).  Only st_mode, st_ino, st_nlink, st_size, st_blksize and
 * st_blocks mean anything here: the initrd has no owners or times.
 */
#ifndef _SYS_STAT_H_
#define _SYS_STAT_H_

#include <sys/types.h>
#include <sys/time.h>

struct stat {
	dev_t		st_dev;
	mode_t		st_mode;
	ino_t		st_ino;
	nlink_t		st_nlink;
	uid_t		st_uid;
	gid_t		st_gid;
	dev_t		st_rdev;
	struct timespec	st_atim;
	struct timespec	st_mtim;
	struct timespec	st_ctim;
	struct timespec	st_birthtim;
	off_t		st_size;
	blkcnt_t	st_blocks;
	blksize_t	st_blksize;
	uint32_t	st_flags;
	uint32_t	st_gen;
	uint32_t	st_spare[2];
};

#define S_IFMT		0170000
#define S_IFCHR		0020000
#define S_IFDIR		0040000
#define S_IFREG		0100000
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)

#ifndef _KERNEL
/* User space: libc. */
int	fstat(int, struct stat *);
int	stat(const char *, struct stat *);
#endif /* !_KERNEL */

#endif /* !_SYS_STAT_H_ */

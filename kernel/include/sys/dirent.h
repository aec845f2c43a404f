/*
 * sys/dirent.h: directory entries as getdents(2) returns them,
 * NetBSD's layout (shared with user space).  d_reclen covers the
 * header and the name with its NUL, rounded up to 8 bytes.
 */
#ifndef _SYS_DIRENT_H_
#define _SYS_DIRENT_H_

#include <sys/types.h>

#define MAXNAMLEN	511

struct dirent {
	ino_t		d_fileno;
	uint16_t	d_reclen;
	uint16_t	d_namlen;
	uint8_t		d_type;
	char		d_name[MAXNAMLEN + 1];
};

#define DT_UNKNOWN	0
#define DT_CHR		2
#define DT_DIR		4
#define DT_REG		8

/* Bytes a record for a name of length namlen takes. */
#define _DIRENT_RECLEN(namlen) \
	((offsetof(struct dirent, d_name) + (namlen) + 1 + 7) & ~7)

#endif /* !_SYS_DIRENT_H_ */

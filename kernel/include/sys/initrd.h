/*
 * sys/initrd.h: the initial RAM disk, a read-only ustar archive GRUB
 * loads as a boot module (vfs_initrd.c).  Paths are absolute ("/bin/sh");
 * the archive's directories, and any directory a file's path implies,
 * are nodes too.
 */
#ifndef _SYS_INITRD_H_
#define _SYS_INITRD_H_

#include <sys/types.h>

struct initrd_node {
	const char	*in_path;	/* "/bin/sh"; the root is "/" */
	const char	*in_name;	/* last component ("sh"; "/" root) */
	const struct initrd_node *in_parent; /* containing directory */
	const char	*in_data;	/* contents (direct map), files only */
	size_t		in_size;
	bool		in_dir;		/* a directory */
	ino_t		in_ino;		/* index + 1 */
};

void	initrd_init(void);
const struct initrd_node *initrd_lookup(const char *);
const struct initrd_node *initrd_child(const struct initrd_node *, size_t *);
size_t	initrd_count(void);

#endif /* !_SYS_INITRD_H_ */

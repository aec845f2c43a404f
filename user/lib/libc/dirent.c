/*
 * dirent.c: directories through getdents(2), a bufferful of records
 * at a time.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

struct _dirdesc {
	int	fd;
	size_t	pos;		/* next record in buf */
	size_t	len;		/* bytes getdents put in buf */
	char	buf[4096] __aligned(8); /* records start 8-aligned */
};

DIR *
opendir(const char *name)
{
	DIR *d;
	int fd, error;

	if ((fd = open(name, O_RDONLY | O_DIRECTORY)) == -1)
		return NULL;
	if ((d = malloc(sizeof(*d))) == NULL) {
		error = errno;
		(void)close(fd);
		errno = error;
		return NULL;
	}
	d->fd = fd;
	d->pos = d->len = 0;
	return d;
}

/* NULL at the end, with errno unchanged; NULL with errno on error. */
struct dirent *
readdir(DIR *d)
{
	struct dirent *dp;
	int n;

	if (d->pos >= d->len) {
		if ((n = getdents(d->fd, d->buf, sizeof(d->buf))) <= 0)
			return NULL;
		d->len = n;
		d->pos = 0;
	}
	dp = (struct dirent *)(d->buf + d->pos);
	if (dp->d_reclen == 0) {	/* would loop for ever: stop */
		d->pos = d->len;
		errno = EIO;
		return NULL;
	}
	d->pos += dp->d_reclen;
	return dp;
}

int
closedir(DIR *d)
{
	int fd = d->fd;

	free(d);
	return close(fd);
}

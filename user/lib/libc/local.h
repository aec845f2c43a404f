/*
 * local.h: libc's private declarations.
 */
#ifndef _LIBC_LOCAL_H_
#define _LIBC_LOCAL_H_

#include <stddef.h>

/*
 * A stdio stream.  One buffer serves either direction: while writing,
 * buf[0..len) waits to be written; while reading, buf[pos..len) has
 * been read but not consumed.  `reading` says which.
 */
struct __sFILE {
	int		fd;
	int		mode;		/* _IOFBF, _IOLBF or _IONBF */
	int		reading;
	int		eof;
	int		error;
	char		*buf;
	size_t		size;
	size_t		len;
	size_t		pos;
};

/* stdio.c */
int	__sputs(struct __sFILE *, const char *, size_t);
int	__sdone(struct __sFILE *);
int	__sflush(struct __sFILE *);

#endif /* !_LIBC_LOCAL_H_ */

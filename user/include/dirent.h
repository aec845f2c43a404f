/*
 * dirent.h: reading directories.  readdir() hands out the records
 * getdents(2) returns (struct dirent, sys/dirent.h), a bufferful at a
 * time; the pointer it returns is good until the next readdir or
 * closedir on the same DIR.
 */
#ifndef _DIRENT_H_
#define _DIRENT_H_

#include <sys/types.h>
#include <sys/dirent.h>

typedef struct _dirdesc DIR;	/* its fields are libc's business */

DIR	*opendir(const char *);
struct dirent *readdir(DIR *);
int	closedir(DIR *);

int	getdents(int, char *, size_t);

#endif /* !_DIRENT_H_ */

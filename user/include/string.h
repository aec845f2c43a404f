/*
 * string.h: memory and string functions.  The ones the kernel uses too
 * come from kernel/lib/string.c, compiled into libc as is; the rest
 * are in libc/string.c.
 */
#ifndef _STRING_H_
#define _STRING_H_

#include <stddef.h>

void	*memcpy(void *, const void *, size_t);
void	*memmove(void *, const void *, size_t);
void	*memset(void *, int, size_t);
int	memcmp(const void *, const void *, size_t);
void	*memchr(const void *, int, size_t);

size_t	strlen(const char *);
size_t	strnlen(const char *, size_t);
int	strcmp(const char *, const char *);
int	strncmp(const char *, const char *, size_t);
char	*strcpy(char *, const char *);
char	*strncpy(char *, const char *, size_t);
char	*strcat(char *, const char *);
size_t	strlcpy(char *, const char *, size_t);
size_t	strlcat(char *, const char *, size_t);
char	*strchr(const char *, int);
char	*strrchr(const char *, int);
char	*strstr(const char *, const char *);
size_t	strspn(const char *, const char *);
size_t	strcspn(const char *, const char *);
char	*strsep(char **, const char *);
char	*strdup(const char *);
char	*strerror(int);

#endif /* !_STRING_H_ */

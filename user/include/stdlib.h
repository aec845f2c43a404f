/*
 * stdlib.h: memory allocation, number conversion, sorting, the
 * environment and process exit.
 */
#ifndef _STDLIB_H_
#define _STDLIB_H_

#include <stddef.h>
#include <sys/cdefs.h>

#define EXIT_SUCCESS	0
#define EXIT_FAILURE	1
#define RAND_MAX	0x7fffffff

void	*malloc(size_t);
void	*calloc(size_t, size_t);
void	*realloc(void *, size_t);
void	free(void *);

int	atoi(const char *);
long	atol(const char *);
long	strtol(const char *, char **, int);
unsigned long strtoul(const char *, char **, int);
long long strtoll(const char *, char **, int);
unsigned long long strtoull(const char *, char **, int);

/* Pseudo-random numbers in [0, RAND_MAX]; not for secrets. */
long	random(void);
void	srandom(unsigned int);
int	rand(void);
void	srand(unsigned int);

int	abs(int);
long	labs(long);
void	qsort(void *, size_t, size_t, int (*)(const void *, const void *));

char	*getenv(const char *);

/* The program's name: argv[0]'s last component, or what
 * setprogname() set (NetBSD's). */
const char *getprogname(void);
void	setprogname(const char *);

__dead void	exit(int);
__dead void	_Exit(int);
__dead void	abort(void);

#endif /* !_STDLIB_H_ */

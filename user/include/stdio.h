/*
 * stdio.h: buffered I/O on stdin, stdout and stderr, and formatting.
 *
 * stdout is line-buffered, stderr unbuffered, stdin reads a line at a
 * time (the console's read returns at most one line, edited and echoed
 * by the kernel); exit() flushes them.  Reading stdin first flushes
 * stdout, so a prompt without a newline still shows.  The formats are
 * those of the kernel's printf (kernel/lib/subr_prf.c): %d %i %u %x %X
 * %o %c %s %p %%, flags "-0+ #", width, precision, hh h l ll z j t; no
 * floating point.
 */
#ifndef _STDIO_H_
#define _STDIO_H_

#include <stdarg.h>
#include <stddef.h>
#include <sys/cdefs.h>

typedef struct __sFILE FILE;	/* its fields are libc's business */

extern FILE	*stdin;
extern FILE	*stdout;
extern FILE	*stderr;
#define stdin	stdin		/* C says these are macros */
#define stdout	stdout
#define stderr	stderr

#define EOF	(-1)
#define BUFSIZ	1024

#define _IOFBF	0		/* setvbuf modes: fully buffered, */
#define _IOLBF	1		/* line-buffered, */
#define _IONBF	2		/* unbuffered */

int	printf(const char *, ...) __printflike(1, 2);
int	fprintf(FILE *, const char *, ...) __printflike(2, 3);
int	dprintf(int, const char *, ...) __printflike(2, 3);
int	sprintf(char *, const char *, ...) __printflike(2, 3);
int	snprintf(char *, size_t, const char *, ...) __printflike(3, 4);
int	vprintf(const char *, va_list) __printflike(1, 0);
int	vfprintf(FILE *, const char *, va_list) __printflike(2, 0);
int	vdprintf(int, const char *, va_list) __printflike(2, 0);
int	vsprintf(char *, const char *, va_list) __printflike(2, 0);
int	vsnprintf(char *, size_t, const char *, va_list) __printflike(3, 0);

int	fputc(int, FILE *);
int	putc(int, FILE *);
int	putchar(int);
int	fputs(const char *, FILE *);
int	puts(const char *);
int	fgetc(FILE *);
int	getc(FILE *);
int	getchar(void);
char	*fgets(char *, int, FILE *);

int	fflush(FILE *);
int	setvbuf(FILE *, char *, int, size_t);
int	ferror(FILE *);
int	feof(FILE *);
void	clearerr(FILE *);
int	fileno(FILE *);
void	perror(const char *);

#endif /* !_STDIO_H_ */

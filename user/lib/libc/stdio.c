/*
 * stdio.c: the three standard streams and their buffers.
 *
 * There is no fopen: programs use open/read/write for files, so stdio
 * manages only stdin, stdout and stderr, with static buffers.  Output
 * goes through __sputs (buffer, writing it out when full) and then
 * __sdone at the end of each call, which applies the buffering mode:
 * unbuffered streams still get one write(2) per call, not per byte.
 *
 * Each public function holds the stream's lock (local.h) for the whole
 * call, so threads' lines do not mix; the __s* helpers run with it
 * held.  The only nesting is an input stream's lock, then stdout's
 * (fgetc flushes stdout), so there is no lock order to break.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "local.h"

static char	inbuf[BUFSIZ], outbuf[BUFSIZ], errbuf[BUFSIZ];
static FILE	sF[3] = {
	{ .fd = STDIN_FILENO, .mode = _IOLBF, .buf = inbuf, .size = BUFSIZ,
	  .lock = __LIBC_LOCK_INITIALIZER },
	{ .fd = STDOUT_FILENO, .mode = _IOLBF, .buf = outbuf, .size = BUFSIZ,
	  .lock = __LIBC_LOCK_INITIALIZER },
	{ .fd = STDERR_FILENO, .mode = _IONBF, .buf = errbuf, .size = BUFSIZ,
	  .lock = __LIBC_LOCK_INITIALIZER },
};
FILE	*stdin = &sF[0];
FILE	*stdout = &sF[1];
FILE	*stderr = &sF[2];

/*
 * Write out what the buffer holds.  A stream that was reading drops
 * its read-ahead instead: the console cannot take it back.
 */
int
__sflush(FILE *fp)
{
	size_t off = 0;
	ssize_t n;

	if (fp->reading) {
		fp->reading = 0;
		fp->len = fp->pos = 0;
		return 0;
	}
	while (off < fp->len) {
		n = __sys_write(fp->fd, fp->buf + off, fp->len - off);
		if (n <= 0) {		/* 0 would loop for ever */
			fp->error = 1;
			fp->len = 0;
			return EOF;
		}
		off += n;
	}
	fp->len = 0;
	return 0;
}

/* Append n bytes to fp's buffer, writing it out whenever it fills. */
int
__sputs(FILE *fp, const char *s, size_t n)
{
	size_t k;

	if (fp->reading)
		(void)__sflush(fp);
	while (n > 0) {
		if (fp->len == fp->size && __sflush(fp) == EOF)
			return EOF;
		k = fp->size - fp->len < n ? fp->size - fp->len : n;
		memcpy(fp->buf + fp->len, s, k);
		fp->len += k;
		s += k;
		n -= k;
	}
	return 0;
}

/* The end of an output call: flush as the stream's mode says. */
int
__sdone(FILE *fp)
{
	if (fp->mode == _IONBF ||
	    (fp->mode == _IOLBF && memchr(fp->buf, '\n', fp->len) != NULL))
		return __sflush(fp);
	return 0;
}

int
fflush(FILE *fp)
{
	int r = 0;

	if (fp != NULL) {
		__libc_lock(&fp->lock);
		r = __sflush(fp);
		__libc_unlock(&fp->lock);
		return r;
	}
	for (size_t i = 0; i < sizeof(sF) / sizeof(sF[0]); i++) {
		__libc_lock(&sF[i].lock);
		if (!sF[i].reading && __sflush(&sF[i]) == EOF)
			r = EOF;
		__libc_unlock(&sF[i].lock);
	}
	return r;
}

int
setvbuf(FILE *fp, char *buf, int mode, size_t size)
{
	int r = EOF;

	if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF) {
		errno = EINVAL;
		return EOF;
	}
	__libc_lock(&fp->lock);
	if (__sflush(fp) == EOF)
		goto out;
	fp->mode = mode;
	if (buf != NULL && size > 0) {	/* else keep the static buffer */
		fp->buf = buf;
		fp->size = size;
	}
	r = 0;
out:
	__libc_unlock(&fp->lock);
	return r;
}

int
fputc(int c, FILE *fp)
{
	char ch = (char)c;
	int r = (unsigned char)ch;

	__libc_lock(&fp->lock);
	if (__sputs(fp, &ch, 1) == EOF || __sdone(fp) == EOF)
		r = EOF;
	__libc_unlock(&fp->lock);
	return r;
}

int
putc(int c, FILE *fp)
{
	return fputc(c, fp);
}

int
putchar(int c)
{
	return fputc(c, stdout);
}

int
fputs(const char *s, FILE *fp)
{
	int r = 0;

	__libc_lock(&fp->lock);
	if (__sputs(fp, s, strlen(s)) == EOF || __sdone(fp) == EOF)
		r = EOF;
	__libc_unlock(&fp->lock);
	return r;
}

int
puts(const char *s)
{
	int r = 0;

	__libc_lock(&stdout->lock);
	if (__sputs(stdout, s, strlen(s)) == EOF ||
	    __sputs(stdout, "\n", 1) == EOF || __sdone(stdout) == EOF)
		r = EOF;
	__libc_unlock(&stdout->lock);
	return r;
}

/*
 * Input.  End of file is sticky until clearerr(), as C says.  Before
 * waiting for input, stdout is flushed so that a prompt shows.
 */
static int
__sgetc(FILE *fp)
{
	ssize_t n;

	if (!fp->reading) {
		if (__sflush(fp) == EOF)
			return EOF;
		fp->reading = 1;
		fp->pos = 0;
	}
	if (fp->pos == fp->len) {
		if (fp->eof || fp->error)
			return EOF;
		if (fp != stdout)
			(void)fflush(stdout);
		n = __sys_read(fp->fd, fp->buf, fp->mode == _IONBF ? 1 : fp->size);
		if (n <= 0) {
			if (n == 0)
				fp->eof = 1;
			else
				fp->error = 1;
			return EOF;
		}
		fp->len = n;
		fp->pos = 0;
	}
	return (unsigned char)fp->buf[fp->pos++];
}

int
fgetc(FILE *fp)
{
	int c;

	__libc_lock(&fp->lock);
	c = __sgetc(fp);
	__libc_unlock(&fp->lock);
	return c;
}

int
getc(FILE *fp)
{
	return fgetc(fp);
}

int
getchar(void)
{
	return fgetc(stdin);
}

/* Up to n - 1 bytes, stopping after a newline; NULL at EOF or error. */
char *
fgets(char *s, int n, FILE *fp)
{
	int i = 0, c = 0;

	if (n <= 0)
		return NULL;
	__libc_lock(&fp->lock);
	while (i < n - 1 && (c = __sgetc(fp)) != EOF) {
		s[i++] = (char)c;
		if (c == '\n')
			break;
	}
	if (c == EOF && (i == 0 || fp->error))
		s = NULL;
	else
		s[i] = '\0';
	__libc_unlock(&fp->lock);
	return s;
}

int
ferror(FILE *fp)
{
	return fp->error;
}

int
feof(FILE *fp)
{
	return fp->eof;
}

void
clearerr(FILE *fp)
{
	__libc_lock(&fp->lock);
	fp->eof = fp->error = 0;
	__libc_unlock(&fp->lock);
}

int
fileno(FILE *fp)
{
	return fp->fd;
}

void
perror(const char *s)
{
	const char *msg = strerror(errno);

	if (s != NULL && *s != '\0')
		fprintf(stderr, "%s: %s\n", s, msg);
	else
		fprintf(stderr, "%s\n", msg);
}

/*
 * cat [FILE...]: copy the files, or standard input, to standard output.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Copy fd to standard output; 0 on success. */
static int
copy(int fd)
{
	char buf[4096];
	ssize_t n, done, w;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		/* A write may take less than it was given: go on. */
		for (done = 0; done < n; done += w)
			if ((w = write(STDOUT_FILENO, buf + done,
			    n - done)) <= 0)
				return -1;
	}
	return n == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	int i, fd, status = 0;

	if (argc == 1)
		return copy(STDIN_FILENO) == 0 ? 0 : 1;
	for (i = 1; i < argc; i++) {
		if ((fd = open(argv[i], O_RDONLY)) == -1 || copy(fd) == -1) {
			fprintf(stderr, "cat: %s: %s\n", argv[i],
			    strerror(errno));
			status = 1;
		}
		if (fd != -1)
			close(fd);
	}
	return status;
}

/*
 * exec.c: execv and execvp on execve(2).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
execv(const char *path, char *const *argv)
{
	return execve(path, argv, environ);
}

/*
 * A name without a slash is looked for in each directory of $PATH
 * ("/bin:/sbin" when unset; an empty entry means "."), in order.  An
 * error other than "not there" ends the search: that file exists and
 * is what the caller meant.
 */
int
execvp(const char *file, char *const *argv)
{
	const char *path, *dir, *end;
	char buf[PATH_MAX];
	size_t dlen, flen = strlen(file);
	int denied = 0;

	if (strchr(file, '/') != NULL)
		return execve(file, argv, environ);
	if (*file == '\0') {
		errno = ENOENT;
		return -1;
	}
	if ((path = getenv("PATH")) == NULL)
		path = "/bin:/sbin";
	for (dir = path;; dir = end + 1) {
		if ((end = strchr(dir, ':')) == NULL)
			end = dir + strlen(dir);
		dlen = end - dir;
		if (dlen == 0)
			dir = ".", dlen = 1;
		if (dlen + 1 + flen < sizeof(buf)) {
			memcpy(buf, dir, dlen);
			buf[dlen] = '/';
			memcpy(buf + dlen + 1, file, flen + 1);
			execve(buf, argv, environ);
			if (errno == EACCES)
				denied = 1;
			else if (errno != ENOENT && errno != ENOTDIR)
				return -1;
		}
		if (*end == '\0')
			break;
	}
	errno = denied ? EACCES : ENOENT;
	return -1;
}

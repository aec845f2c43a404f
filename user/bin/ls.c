/*
 * ls [-l] [PATH...]: list directories (by default "/") in name order,
 * a '/' after each directory's name; -l puts the size in front.  A
 * PATH that is a file is listed by itself.
 */
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int lflag;

/* One line for the file dir/name (or name alone if dir is NULL). */
static void
show(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat sb;

	if (dir == NULL)
		strlcpy(path, name, sizeof(path));
	else
		snprintf(path, sizeof(path), "%s%s%s", dir,
		    dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	if (stat(path, &sb) == -1) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return;
	}
	if (lflag)
		printf("%8lld ", (long long)sb.st_size);
	printf("%s%s\n", name, S_ISDIR(sb.st_mode) ? "/" : "");
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* List directory dir; 0 on success. */
static int
list(const char *dir)
{
	char **names = NULL, **more;
	struct dirent *de;
	size_t n = 0, i;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "ls: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	/* Collect the names first: they are printed sorted. */
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((more = realloc(names, (n + 1) * sizeof(*names))) == NULL ||
		    (more[n] = strdup(de->d_name)) == NULL) {
			fprintf(stderr, "ls: out of memory\n");
			exit(1);
		}
		names = more;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmpstr);
	for (i = 0; i < n; i++) {
		show(dir, names[i]);
		free(names[i]);
	}
	free(names);
	return 0;
}

int
main(int argc, char **argv)
{
	struct stat sb;
	int i = 1, first, many, status = 0;

	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		lflag = 1;
		i++;
	}
	if (i == argc)
		return list("/");
	many = argc - i > 1;		/* several: name each directory */
	for (first = i; i < argc; i++) {
		if (stat(argv[i], &sb) == -1) {
			fprintf(stderr, "ls: %s: %s\n", argv[i],
			    strerror(errno));
			status = 1;
		} else if (!S_ISDIR(sb.st_mode)) {
			show(NULL, argv[i]);
		} else {
			if (many)
				printf("%s%s:\n", i > first ? "\n" : "",
				    argv[i]);
			status |= list(argv[i]);
		}
	}
	return status;
}

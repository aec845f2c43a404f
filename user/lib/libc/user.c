/*
 * user.c: user and group ids, and the password database, for programs
 * that ask (<unistd.h>, <pwd.h>).  lwpkern has no users: that is out
 * of scope (docs/userland.md), and every process may do everything, as
 * root may.  So every id is 0, setting it to 0 succeeds, setting it to
 * anything else fails with ENOSYS (there is no other user to become),
 * and the password database is empty.
 */
#include <errno.h>
#include <pwd.h>
#include <unistd.h>

uid_t
getuid(void)
{
	return 0;
}

uid_t
geteuid(void)
{
	return 0;
}

gid_t
getgid(void)
{
	return 0;
}

gid_t
getegid(void)
{
	return 0;
}

int
setuid(uid_t uid)
{
	if (uid != 0) {
		errno = ENOSYS;
		return -1;
	}
	return 0;
}

int
seteuid(uid_t uid)
{
	return setuid(uid);
}

struct passwd *
getpwnam(const char *name)
{
	return NULL;
}

struct passwd *
getpwuid(uid_t uid)
{
	return NULL;
}

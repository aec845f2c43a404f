/*
 * pwd.h: the password database -- which lwpkern does not have: users
 * and passwords are out of scope (docs/userland.md).  Declared so that
 * programs which look users up (NetBSD's t_kill) build; the database
 * is empty, so getpwnam and getpwuid find nobody (NULL, errno left
 * alone, as POSIX says for "not found").
 */
#ifndef _PWD_H_
#define _PWD_H_

#include <sys/types.h>

struct passwd {
	char	*pw_name;		/* user name */
	char	*pw_passwd;		/* encrypted password */
	uid_t	pw_uid;			/* user uid */
	gid_t	pw_gid;			/* user gid */
	time_t	pw_change;		/* password change time */
	char	*pw_class;		/* user login class */
	char	*pw_gecos;		/* general information */
	char	*pw_dir;		/* home directory */
	char	*pw_shell;		/* default shell */
	time_t	pw_expire;		/* account expiration */
};

struct passwd *getpwnam(const char *);
struct passwd *getpwuid(uid_t);

#endif /* !_PWD_H_ */

/*
 * unistd.h: POSIX process and file-descriptor calls.  Most are system
 * calls (stubs generated from kernel/syscalls.master); the exec
 * variants, brk/sbrk, sleep, usleep, alarm, pause, isatty and syscall
 * are in libc.
 */
#ifndef _UNISTD_H_
#define _UNISTD_H_

#include <sys/types.h>
#include <sys/unistd.h>

extern char	**environ;

__dead void	_exit(int);
pid_t	fork(void);
int	execve(const char *, char *const *, char *const *);
int	execv(const char *, char *const *);
int	execvp(const char *, char *const *);
pid_t	getpid(void);
pid_t	getppid(void);

ssize_t	read(int, void *, size_t);
ssize_t	write(int, const void *, size_t);
int	close(int);
off_t	lseek(int, off_t, int);
int	isatty(int);

int	brk(void *);
void	*sbrk(intptr_t);

long	sysconf(int);

/* User and group ids: there are no users (docs/userland.md: out of
 * scope), every id is 0; setuid/seteuid to another id: ENOSYS. */
uid_t	getuid(void);
uid_t	geteuid(void);
gid_t	getgid(void);
gid_t	getegid(void);
int	setuid(uid_t);
int	seteuid(uid_t);

/* Process groups and the terminal's foreground group (job control). */
pid_t	getpgrp(void);
pid_t	getpgid(pid_t);
int	setpgid(pid_t, pid_t);
pid_t	tcgetpgrp(int);
int	tcsetpgrp(int, pid_t);

unsigned int sleep(unsigned int);
int	usleep(useconds_t);
/* SIGALRM in secs seconds (0: cancel): setitimer(ITIMER_REAL); the
 * seconds the previous alarm had left, rounded up. */
unsigned int alarm(unsigned int);
/* Sleep until a signal is caught: -1 with errno EINTR. */
int	pause(void);

/* Any system call by number, SYS_* from <sys/syscall.h> (NetBSD's). */
int	syscall(int, ...);

#endif /* !_UNISTD_H_ */

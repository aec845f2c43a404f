/*
 * sys/unistd.h: constants shared by the kernel and <unistd.h>.
 */
#ifndef _SYS_UNISTD_H_
#define _SYS_UNISTD_H_

#define STDIN_FILENO	0
#define STDOUT_FILENO	1
#define STDERR_FILENO	2

/* lseek(2) */
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

#endif /* !_SYS_UNISTD_H_ */

/*
 * hdrcheck.c: not part of libc.  user/user.mk compiles it with
 * -std=c11 -pedantic -Werror before building libc, so every user
 * header stays plain C11 for the programs students write.
 */
#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <kinfo.h>
#include <limits.h>
#include <pwd.h>
#include <lwp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysctl.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <assert.h>		/* again: C allows it */

int	hdrcheck(void);

int
hdrcheck(void)
{
	static_assert(sizeof(off_t) == 8, "off_t is 64 bits");
	assert(isdigit('0'));
	return snprintf(NULL, 0, "%" PRIu64 " %" PRId32 " %" PRIxPTR,
	    (uint64_t)1, (int32_t)2, (uintptr_t)3) + SYS_exit + ENOENT;
}

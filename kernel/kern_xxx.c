/*
 * kern_xxx.c: odds and ends: reboot() and uname().
 */
#include <sys/heartbeat.h>
#include <sys/jitter.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/reboot.h>
#include <sys/syscallargs.h>
#include <sys/utsname.h>

/*
 * reboot(howto, bootstr): only init may (EPERM otherwise: there are no
 * users, so "privileged" means pid 1).  RB_POWERDOWN with RB_STATUS(n)
 * reports n; QEMU then exits "pass" for 0, "fail" otherwise.  Anything
 * else halts the machine as a failure would: there is no real reboot.
 */
int
sys_reboot(lwp_t *l, const struct sys_reboot_args *uap, register_t *retval)
{
	int howto = SCARG(uap, opt), status = 0;

	if (l->l_proc != initproc)
		return EPERM;
	if (howto & RB_HASSTATUS)
		status = RB_GETSTATUS(howto);
	printf("lwpkern: %s (status %d)\n",
	    (howto & RB_POWERDOWN) == RB_POWERDOWN ? "powering off" :
	    "halting", status);
	jitter_report();
	heartbeat_report();
	cpu_poweroff(status == 0);
}

int
sys_uname(lwp_t *l, const struct sys_uname_args *uap, register_t *retval)
{
	static const struct utsname u = {
		.sysname = "lwpkern",
		.nodename = "lwpkern",
		.release = "0.6",
		.version = "lwpkern 0.6 (a NetBSD-style LWP teaching kernel)",
		.machine = MACHINE,
	};

	return copyout(&u, SCARG(uap, name), sizeof(u));
}

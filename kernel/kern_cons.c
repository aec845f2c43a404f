/*
 * kern_cons.c: printf() to the console.
 *
 * cons_lock (a spin mutex at IPL_HIGH) makes each printf() call atomic
 * with respect to other CPUs and interrupts, so lines do not interleave.
 * During a panic, the panicking CPU and the CPUs it stopped print
 * without it (one at a time, by turns: see cpu.c): the lock may be held
 * by the code that panicked or by a stopped CPU.
 *
 * Everything printf() prints is kept in msgbuf too, the last
 * MSGBUFSIZE bytes of it, for a debugger: tools/gdb/kernel.py's
 * `dmesg` prints it.  msgbuf_total counts the bytes ever printed (the
 * next one goes at msgbuf_total % MSGBUFSIZE); both are written under
 * cons_lock, or by the one CPU printing during a panic.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/mutex.h>

static kmutex_t cons_lock = MUTEX_INITIALIZER("cons", IPL_HIGH);

char	msgbuf[MSGBUFSIZE];		/* (cons_lock) */
uint64_t msgbuf_total;			/* (cons_lock) */

static void
cons_put(int c, void *arg __unused)
{
	msgbuf[msgbuf_total++ % MSGBUFSIZE] = (char)c;
	cnputc(c);
}

int
vprintf(const char *fmt, va_list ap)
{
	int n;

	if (panicking && (panicking == (int)cpu_index(curcpu()) + 1 ||
	    (curcpu()->ci_flags & CPUF_PAUSED)))
		return kvprintf(fmt, cons_put, NULL, ap);
	mutex_spin_enter(&cons_lock);
	n = kvprintf(fmt, cons_put, NULL, ap);
	mutex_spin_exit(&cons_lock);
	return n;
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

/* Does this CPU hold the console lock (it was interrupted in printf)? */
bool
cons_owned(void)
{
	return mutex_owned(&cons_lock);
}

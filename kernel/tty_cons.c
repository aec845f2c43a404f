/*
 * tty_cons.c: the console as a terminal for user programs: what
 * read(0, ...) and write(1, ...) do.
 *
 * Input arrives in the serial port's receive interrupt (com.c buffers
 * the bytes and calls cons_rxintr(), which wakes readers).  A reader
 * edits one line at a time, the way a terminal in canonical mode does:
 *
 *   printable   appended and echoed
 *   BS / DEL    erase the last character ("\b \b")
 *   ^U          erase the whole line
 *   ^D          end of file if the line is empty, else hand over the
 *               line so far (without a newline)
 *   CR / LF     end the line (echoed as a newline; delivered as "\n")
 *
 * A finished line is handed out across as many read() calls as it
 * takes; read() returns at most one line.
 *
 * Job control: once a shell has named a foreground process group
 * (ioctl TIOCSPGRP), ^C, ^Z and ^\ no longer go to readers: the
 * receive interrupt takes them out of the input (cons_rxsig) and the
 * "ttysig" kernel thread sends SIGINT, SIGTSTP or SIGQUIT to that
 * group -- a thread, because posting a signal takes adaptive locks,
 * which interrupt context may not.
 *
 * Locking: cons_rx_lock (spin, IPL_VM) pairs with cons_rxcv, so a
 * wakeup from the interrupt cannot be missed; cons_read_lock (adaptive)
 * lets one reader at a time own the line being edited (cons_line).
 * cons_pgrp is proc_lock's; cons_sigpending is updated atomically (the
 * interrupt sets bits, the thread takes them) and cons_sigcv pairs with
 * cons_rx_lock.
 */
#include <sys/systm.h>
#include <sys/intr.h>
#include <sys/condvar.h>
#include <sys/errno.h>
#include <sys/ioctl.h>
#include <sys/kthread.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/signalvar.h>
#include <sys/tty.h>

#define CONS_LINEMAX	256

static kmutex_t	cons_rx_lock = MUTEX_INITIALIZER("cons_rx", IPL_VM);
static kcondvar_t cons_rxcv;			/* cons_rx_lock */
static bool	cons_ready;			/* (c) after cons_tty_init */
static kmutex_t	cons_read_lock;
static char	cons_line[CONS_LINEMAX];	/* cons_read_lock */
static size_t	cons_linelen;			/* cons_read_lock: bytes */
static size_t	cons_lineoff;			/* cons_read_lock: handed out */
static bool	cons_linedone;			/* cons_read_lock */
static pid_t	cons_pgrp;			/* proc_lock: foreground, 0 */
static volatile uint32_t cons_sigpending;	/* a: 1 << signal */
static kcondvar_t cons_sigcv;			/* cons_rx_lock */

static void	cons_sigthread(void *);

void
cons_tty_init(void)
{
	cv_init(&cons_rxcv, "ttyin");
	cv_init(&cons_sigcv, "ttysig");
	mutex_init(&cons_read_lock, MUTEX_DEFAULT, IPL_NONE, "cons_read");
	if (kthread_create(PRI_KTHREAD, 0, NULL, cons_sigthread, NULL, NULL,
	    "ttysig") != 0)
		panic("cons_tty_init: cannot create the ttysig thread");
	cons_ready = true;
}

/*
 * A received byte, in the receive interrupt (nothing but atomics here):
 * if it is a signal character and there is a foreground group, note
 * the signal and return true (the byte is not input).
 */
bool
cons_rxsig(int c)
{
	int sig;

	switch (c) {
	case 0x03:	sig = SIGINT;	break;		/* ^C */
	case 0x1a:	sig = SIGTSTP;	break;		/* ^Z */
	case 0x1c:	sig = SIGQUIT;	break;		/* ^\ */
	default:	return false;
	}
	if (!cons_ready || __atomic_load_n(&cons_pgrp, __ATOMIC_RELAXED) == 0)
		return false;
	__atomic_or_fetch(&cons_sigpending, 1U << sig, __ATOMIC_RELEASE);
	return true;
}

/* The ttysig thread: send the signal characters' signals. */
static void
cons_sigthread(void *arg)
{
	static const char *const echo[NSIG] = {
		[SIGINT] = "^C\n", [SIGTSTP] = "^Z\n", [SIGQUIT] = "^\\\n",
	};
	ksiginfo_t ksi;
	uint32_t pend;
	pid_t pgid;

	for (;;) {
		mutex_spin_enter(&cons_rx_lock);
		while ((pend = __atomic_exchange_n(&cons_sigpending, 0,
		    __ATOMIC_ACQUIRE)) == 0)
			cv_wait(&cons_sigcv, &cons_rx_lock);
		mutex_spin_exit(&cons_rx_lock);
		mutex_enter(&proc_lock);
		pgid = cons_pgrp;
		mutex_exit(&proc_lock);
		for (int sig = 1; sig < 32; sig++) {
			if (!(pend & (1U << sig)) || pgid == 0)
				continue;
			printf("%s", echo[sig]);
			memset(&ksi, 0, sizeof(ksi));
			ksi.ksi_signo = sig;
			ksi.ksi_code = SI_NOINFO;
			(void)kpgsignal(pgid, &ksi, NULL);
		}
	}
}

/* A process of group pgid exited (proc_lock held): if it was the
 * terminal's foreground group's last, no group is in the foreground. */
void
cons_pgrp_gone(pid_t pgid)
{
	KASSERT(mutex_owned(&proc_lock));
	if (cons_pgrp == pgid && !pgid_exists(pgid))
		cons_pgrp = 0;
}

/*
 * ioctl on the console: TIOCSPGRP names the foreground process group
 * (an existing one: EPERM otherwise; 0 turns the signal characters
 * off), TIOCGPGRP tells it.  Anything else: ENOTTY.
 */
int
cons_ioctl(unsigned long com, void *data)
{
	int pgid, error = 0;

	switch (com) {
	case TIOCSPGRP:
		if ((error = copyin(data, &pgid, sizeof(pgid))) != 0)
			return error;
		if (pgid < 0)
			return EINVAL;
		mutex_enter(&proc_lock);
		if (pgid != 0 && !pgid_exists(pgid))
			error = EPERM;
		else
			cons_pgrp = pgid;
		mutex_exit(&proc_lock);
		return error;
	case TIOCGPGRP:
		mutex_enter(&proc_lock);
		pgid = cons_pgrp;
		mutex_exit(&proc_lock);
		return copyout(&pgid, data, sizeof(pgid));
	default:
		return ENOTTY;
	}
}

/* The receive interrupt has bytes for us (interrupt context). */
void
cons_rxintr(void)
{
	if (!cons_ready)
		return;
	mutex_spin_enter(&cons_rx_lock);
	cv_broadcast(&cons_rxcv);
	if (cons_sigpending != 0)
		cv_signal(&cons_sigcv);
	mutex_spin_exit(&cons_rx_lock);
}

/*
 * The next input byte into *cp, sleeping until there is one: 0, or
 * EINTR/ERESTART if the sleep was interrupted (an exit, a suspension,
 * _lwp_wakeup: see sleepq_block).
 */
static int
cons_getc(int *cp)
{
	int c, error = 0;

	mutex_spin_enter(&cons_rx_lock);
	while ((c = cngetc_nowait()) < 0 &&
	    (error = cv_wait_sig(&cons_rxcv, &cons_rx_lock)) == 0)
		continue;
	mutex_spin_exit(&cons_rx_lock);
	*cp = c;
	return error;
}

static void
cons_echo(const char *s)
{
	printf("%s", s);
}

/* Edit a line into cons_line until it is done (0), or the wait for
 * input is interrupted (the line so far stays).  cons_read_lock held. */
static int
cons_editline(void)
{
	char echo[2] = { 0, 0 };
	int c, error;

	KASSERT(mutex_owned(&cons_read_lock));
	while (!cons_linedone) {
		if ((error = cons_getc(&c)) != 0)
			return error;
		switch (c) {
		case '\r':
		case '\n':
			cons_line[cons_linelen++] = '\n';
			cons_echo("\n");
			cons_linedone = true;
			break;
		case '\b':
		case 0x7f:
			if (cons_linelen > 0) {
				cons_linelen--;
				cons_echo("\b \b");
			}
			break;
		case 0x15:			/* ^U */
			for (; cons_linelen > 0; cons_linelen--)
				cons_echo("\b \b");
			break;
		case 0x04:			/* ^D */
			cons_linedone = true;
			break;
		default:
			if (c < ' ' || cons_linelen >= CONS_LINEMAX - 1)
				break;	/* other controls; a full line */
			cons_line[cons_linelen++] = c;
			echo[0] = c;
			cons_echo(echo);
			break;
		}
	}
	return 0;
}

/*
 * read() on the console: up to n bytes of the current line into the
 * user's buf.  *done = bytes copied (0: end of file, ^D).
 */
int
cons_read(void *ubuf, size_t n, size_t *done)
{
	size_t len;
	int error = 0;

	*done = 0;
	if (n == 0)
		return 0;
	mutex_enter(&cons_read_lock);
	if ((error = cons_editline()) != 0) {
		mutex_exit(&cons_read_lock);
		return error;
	}
	len = MIN(n, cons_linelen - cons_lineoff);
	if (len > 0)
		error = copyout(cons_line + cons_lineoff, ubuf, len);
	if (error == 0) {
		*done = len;
		cons_lineoff += len;
		if (cons_lineoff == cons_linelen)
			cons_linelen = cons_lineoff = 0, cons_linedone = false;
	}
	mutex_exit(&cons_read_lock);
	return error;
}

/* write() on the console: the user's bytes, in chunks. */
int
cons_write(const void *ubuf, size_t n, size_t *done)
{
	char buf[128];
	size_t len;
	int error;

	for (*done = 0; *done < n; *done += len) {
		len = MIN(n - *done, sizeof(buf) - 1);
		if ((error = copyin((const char *)ubuf + *done, buf, len)) != 0)
			return *done > 0 ? 0 : error;
		buf[len] = '\0';
		printf("%s", buf);	/* one printf: whole, not interleaved */
	}
	return 0;
}

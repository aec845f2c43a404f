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
 * Locking: cons_rx_lock (spin, IPL_VM) pairs with cons_rxcv, so a
 * wakeup from the interrupt cannot be missed; cons_read_lock (adaptive)
 * lets one reader at a time own the line being edited (cons_line).
 */
#include <sys/systm.h>
#include <sys/intr.h>
#include <sys/condvar.h>
#include <sys/errno.h>
#include <sys/mutex.h>
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

void
cons_tty_init(void)
{
	cv_init(&cons_rxcv, "ttyin");
	mutex_init(&cons_read_lock, MUTEX_DEFAULT, IPL_NONE);
	cons_read_lock.mtx_name = "cons_read";
	cons_ready = true;
}

/* The receive interrupt has bytes for us (interrupt context). */
void
cons_rxintr(void)
{
	if (!cons_ready)
		return;
	mutex_spin_enter(&cons_rx_lock);
	cv_broadcast(&cons_rxcv);
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

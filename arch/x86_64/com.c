/*
 * com.c: the console, a 16550 UART on COM1 at 115200 8N1, polled.
 *
 * Output waits for the transmit register to empty, so every character
 * is out before the next is written: what the kernel printed just before
 * a crash is on the screen.  Polled output is safe from any context
 * (traps, panic, before memory is set up); kern_cons.c adds the lock
 * that keeps CPUs' lines apart.
 */
#include <sys/systm.h>
#include <machine/cpufunc.h>
#include "x86_var.h"

#define COM1		0x3f8
#define COM_DATA	0	/* data (DLAB=0) / divisor low (DLAB=1) */
#define COM_IER		1	/* interrupt enable / divisor high */
#define COM_FCR		2	/* FIFO control */
#define COM_LCR		3	/* line control */
#define COM_MCR		4	/* modem control */
#define COM_LSR		5	/* line status */
#define COM_SCR		7	/* scratch */
#define  LCR_DLAB	0x80
#define  LCR_8N1	0x03
#define  LSR_THRE	0x20	/* transmit holding register empty */

static bool com_present;

void
com_init(void)
{
	/* A UART keeps what is written to its scratch register. */
	outb(COM1 + COM_SCR, 0x5a);
	if (inb(COM1 + COM_SCR) != 0x5a)
		return;
	outb(COM1 + COM_IER, 0);		/* polled */
	outb(COM1 + COM_LCR, LCR_DLAB);
	outb(COM1 + COM_DATA, 1);		/* 115200 / 1 */
	outb(COM1 + COM_IER, 0);
	outb(COM1 + COM_LCR, LCR_8N1);
	outb(COM1 + COM_FCR, 0xc7);		/* enable and clear FIFOs */
	outb(COM1 + COM_MCR, 0x03);		/* DTR, RTS */
	com_present = true;
}

void
com_putc(int c)
{
	if (!com_present)
		return;
	if (c == '\n')
		com_putc('\r');
	for (int spins = 0; !(inb(COM1 + COM_LSR) & LSR_THRE); spins++)
		if (spins > 1000000)	/* a wedged UART must not hang us */
			return;
	outb(COM1 + COM_DATA, c);
}

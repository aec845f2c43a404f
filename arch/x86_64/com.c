/*
 * com.c: the console, a 16550 UART on COM1 at 115200 8N1, polled.
 *
 * Output waits for the transmit register to empty, so every character
 * is out before the next is written: what the kernel printed just before
 * a crash is on the screen.  Polled output is safe from any context
 * (traps, panic, before memory is set up); kern_cons.c adds the lock
 * that keeps CPUs' lines apart.
 *
 * COM2, if the machine has one, is the event trace's port
 * (cpu_trace_port_write, sys/trace.h): raw bytes, no translation.
 */
#include <sys/systm.h>
#include <sys/tty.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/mutex.h>
#include <sys/trace.h>
#include <machine/cpufunc.h>
#include "lapicreg.h"
#include "x86_var.h"

#define COM1		0x3f8
#define COM2		0x2f8
#define COM_DATA	0	/* data (DLAB=0) / divisor low (DLAB=1) */
#define COM_IER		1	/* interrupt enable / divisor high */
#define COM_FCR		2	/* FIFO control */
#define COM_LCR		3	/* line control */
#define COM_MCR		4	/* modem control */
#define COM_LSR		5	/* line status */
#define COM_SCR		7	/* scratch */
#define  LCR_DLAB	0x80
#define  LCR_8N1	0x03
#define  LSR_DR		0x01	/* data ready */
#define  LSR_THRE	0x20	/* transmit holding register empty */
#define  IER_RDA	0x01	/* interrupt on received data */
#define  MCR_OUT2	0x08	/* gates the interrupt line on PCs */
#define COM1_IRQ	4

static bool com_present;

#define COM_RXBUF	256
static kmutex_t com_rx_lock = MUTEX_INITIALIZER("com_rx", IPL_HIGH);
static char	com_rxbuf[COM_RXBUF];		/* (com_rx_lock) */
static u_int	com_rxhead, com_rxtail;		/* (com_rx_lock) */
uint64_t	com_rxdropped;			/* (com_rx_lock) */

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

/* The trace port: COM2, set up the first time it is asked for. */
bool
cpu_trace_port_write(const void *buf, size_t len)
{
	static int com2;		/* 0 not probed, 1 present, -1 not */
	const uint8_t *p = buf;

	if (com2 == 0) {
		outb(COM2 + COM_SCR, 0xa5);
		if (inb(COM2 + COM_SCR) != 0xa5) {
			com2 = -1;
			return false;
		}
		outb(COM2 + COM_IER, 0);
		outb(COM2 + COM_LCR, LCR_DLAB);
		outb(COM2 + COM_DATA, 1);
		outb(COM2 + COM_IER, 0);
		outb(COM2 + COM_LCR, LCR_8N1);
		outb(COM2 + COM_FCR, 0xc7);
		outb(COM2 + COM_MCR, 0x03);
		com2 = 1;
	}
	if (com2 < 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		for (int spins = 0; !(inb(COM2 + COM_LSR) & LSR_THRE); spins++)
			if (spins > 1000000)
				return false;
		outb(COM2 + COM_DATA, p[i]);
	}
	return true;
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

/* The receive interrupt (IRQ 4), with interrupts disabled. */
void
com_intr(void)
{
	mutex_spin_enter(&com_rx_lock);
	while (inb(COM1 + COM_LSR) & LSR_DR) {
		char c = inb(COM1 + COM_DATA);

		if (cons_rxsig((unsigned char)c))
			continue;	/* ^C and friends: signals, not input */
		if (com_rxhead - com_rxtail < COM_RXBUF)
			com_rxbuf[com_rxhead++ % COM_RXBUF] = c;
		else
			com_rxdropped++;
	}
	mutex_spin_exit(&com_rx_lock);
	cons_rxintr();			/* wake console readers */
}

/* Route IRQ 4 to the boot CPU and enable the receive interrupt. */
bool
com_attach_intr(void)
{
	if (!com_present ||
	    !ioapic_route_isa(COM1_IRQ, IRQ_VECTOR_BASE + COM1_IRQ,
	    curcpu()->ci_cpuid))
		return false;
	outb(COM1 + COM_MCR, inb(COM1 + COM_MCR) | MCR_OUT2);
	outb(COM1 + COM_IER, IER_RDA);
	com_intr();			/* anything that arrived already */
	return true;
}

/* The next received character, or -1 if none is waiting. */
int
cngetc_nowait(void)
{
	int c = -1;

	mutex_spin_enter(&com_rx_lock);
	if (com_rxhead != com_rxtail)
		c = (unsigned char)com_rxbuf[com_rxtail++ % COM_RXBUF];
	mutex_spin_exit(&com_rx_lock);
	return c;
}

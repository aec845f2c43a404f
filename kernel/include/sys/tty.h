/*
 * sys/tty.h: the console terminal (tty_cons.c).
 */
#ifndef _SYS_TTY_H_
#define _SYS_TTY_H_

#include <sys/types.h>

void	cons_tty_init(void);
void	cons_rxintr(void);		/* from the receive interrupt */
bool	cons_rxsig(int);		/* ... for each byte received */
int	cons_ioctl(unsigned long, void *);
void	cons_pgrp_gone(pid_t);
int	cons_read(void *, size_t, size_t *);
int	cons_write(const void *, size_t, size_t *);

#endif /* !_SYS_TTY_H_ */

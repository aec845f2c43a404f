/*
 * sys/intr.h: interrupt priority levels and spl*(), from the arch layer.
 */
#ifndef _SYS_INTR_H_
#define _SYS_INTR_H_

#include <machine/intr.h>

#endif /* !_SYS_INTR_H_ */

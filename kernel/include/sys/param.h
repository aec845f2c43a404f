/*
 * sys/param.h: sizes and small arithmetic helpers.
 */
#ifndef _SYS_PARAM_H_
#define _SYS_PARAM_H_

#include <sys/types.h>
#include <machine/param.h>	/* PAGE_SIZE, PAGE_SHIFT, KERNBASE */

#define MAXCOMLEN	16	/* LWP and process name length, as NetBSD */

#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#define howmany(x, y)	(((x) + ((y) - 1)) / (y))
#define roundup(x, y)	((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y)	(((x) / (y)) * (y))
#define roundup2(x, m)	(((x) + ((m) - 1)) & ~((__typeof__(x))(m) - 1))
#define rounddown2(x, m) ((x) & ~((__typeof__(x))(m) - 1))
#define powerof2(x)	((((x) - 1) & (x)) == 0)

#define trunc_page(x)	rounddown2((x), (__typeof__(x))PAGE_SIZE)
#define round_page(x)	roundup2((x), (__typeof__(x))PAGE_SIZE)
#define atop(x)		((x) >> PAGE_SHIFT)	/* address to page number */
#define ptoa(x)		((x) << PAGE_SHIFT)	/* page number to address */

#endif /* !_SYS_PARAM_H_ */

/*
 * inttypes.h: printf conversions for the <stdint.h> types (LP64:
 * int64_t is a long).  No scanf, so no SCN* macros.
 */
#ifndef _INTTYPES_H_
#define _INTTYPES_H_

#include <stdint.h>

#define __PRI(c)	#c
#define __PRIl(c)	"l" #c

#define PRId8	__PRI(d)
#define PRId16	__PRI(d)
#define PRId32	__PRI(d)
#define PRId64	__PRIl(d)
#define PRIdMAX	__PRIl(d)
#define PRIdPTR	__PRIl(d)
#define PRIi8	__PRI(i)
#define PRIi16	__PRI(i)
#define PRIi32	__PRI(i)
#define PRIi64	__PRIl(i)
#define PRIiMAX	__PRIl(i)
#define PRIiPTR	__PRIl(i)
#define PRIo8	__PRI(o)
#define PRIo16	__PRI(o)
#define PRIo32	__PRI(o)
#define PRIo64	__PRIl(o)
#define PRIoMAX	__PRIl(o)
#define PRIoPTR	__PRIl(o)
#define PRIu8	__PRI(u)
#define PRIu16	__PRI(u)
#define PRIu32	__PRI(u)
#define PRIu64	__PRIl(u)
#define PRIuMAX	__PRIl(u)
#define PRIuPTR	__PRIl(u)
#define PRIx8	__PRI(x)
#define PRIx16	__PRI(x)
#define PRIx32	__PRI(x)
#define PRIx64	__PRIl(x)
#define PRIxMAX	__PRIl(x)
#define PRIxPTR	__PRIl(x)
#define PRIX8	__PRI(X)
#define PRIX16	__PRI(X)
#define PRIX32	__PRI(X)
#define PRIX64	__PRIl(X)
#define PRIXMAX	__PRIl(X)
#define PRIXPTR	__PRIl(X)

#endif /* !_INTTYPES_H_ */

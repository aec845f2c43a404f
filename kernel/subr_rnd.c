/*
 * subr_rnd.c: the random bytes behind /dev/urandom and /dev/random
 * (kern_descrip.c opens them; NetBSD's rndpseudo(4) devices).
 *
 * Not cryptographic (docs/userland.md says so): a 64-bit counter, advanced atomically
 * by the golden ratio per 8 bytes handed out, each value mixed by
 * SplitMix64's finaliser.  The counter starts from the cycle counter
 * the first time it is used, so runs differ; every reader on every
 * CPU gets different bytes without a lock.  Reads are copied out in
 * small pieces, so a large read is as preemptible as any other kernel
 * code (NetBSD's t_preempt reads a MiB at once).
 */
#include <sys/systm.h>
#include <sys/cpu_counter.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/param.h>

#define RND_GOLDEN	0x9e3779b97f4a7c15ULL
#define RND_CHUNK	256		/* bytes per copyout */

static uint64_t rnd_counter;		/* a: see above; 0 until seeded */

static uint64_t
rnd_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rnd_next(void)
{
	uint64_t zero = 0;

	if (__predict_false(__atomic_load_n(&rnd_counter,
	    __ATOMIC_RELAXED) == 0))
		(void)__atomic_compare_exchange_n(&rnd_counter, &zero,
		    rnd_mix(cpu_counter()) | 1, false, __ATOMIC_RELAXED,
		    __ATOMIC_RELAXED);
	return rnd_mix(__atomic_add_fetch(&rnd_counter, RND_GOLDEN,
	    __ATOMIC_RELAXED));
}

/*
 * Copy n random bytes out to ubuf; *done says how many arrived (all of
 * them unless copyout failed: EFAULT).
 */
int
rnd_read(void *ubuf, size_t n, size_t *done)
{
	uint64_t buf[RND_CHUNK / sizeof(uint64_t)];
	size_t len;
	int error;

	*done = 0;
	while (*done < n) {
		len = MIN(n - *done, sizeof(buf));
		for (size_t i = 0; i < howmany(len, sizeof(uint64_t)); i++)
			buf[i] = rnd_next();
		if ((error = copyout(buf, (char *)ubuf + *done, len)) != 0)
			return error;
		*done += len;
	}
	return 0;
}

/*
 * subr_lockdebug.c: the lock-order checker for sleepable locks
 * (adaptive mutexes and rwlocks), LOCKDEBUG.
 *
 * Locks are grouped into classes by name (mtx_name / rw_name; unnamed
 * locks are not checked).  Each LWP keeps the classes of the sleepable
 * locks it holds.  Taking a lock of class B while holding one of class
 * A records the order "A before B", with where it was first seen; if B
 * already comes before A, directly or through other classes, that is a
 * cycle (two threads could deadlock) and the kernel panics, naming both
 * locks, here and where the other order was first seen.
 *
 * Spin mutexes of the scheduler have their fixed order (LOCKORDER_*,
 * kern_mutex.c); other spin mutexes are taken in interrupt handlers on
 * top of whatever the interrupted thread holds, so they are not
 * tracked here.
 *
 * Locking: lockdebug_lock (a spin mutex at IPL_HIGH, itself untracked)
 * covers the class table and the order graph; the held lists belong to
 * their LWP.  The class table is only ever appended to (a slot, then
 * ld_nclass, with release order), so it may be read without the lock:
 * an LWP that holds no other sleepable lock records no order, and when
 * its lock's class is there already (found by its name's pointer: the
 * common case, one string a class) it takes no lock at all
 * (lockdebug_acquire's fast path: the checks cost less, not fewer).
 */
#include <sys/systm.h>
#include <sys/intr.h>
#include <sys/ksyms.h>
#include <sys/lockdebug.h>
#include <sys/lwp.h>
#include <sys/mutex.h>

#define LD_MAXCLASS	128

static kmutex_t lockdebug_lock = MUTEX_INITIALIZER("lockdebug", IPL_HIGH);
static const char *ld_class[LD_MAXCLASS];	/* (lockdebug_lock) names */
static u_int	ld_nclass;			/* (lockdebug_lock; read
						 * without it: above) */
static uint64_t	ld_after[LD_MAXCLASS][LD_MAXCLASS / 64];	/* A->B bits */
static vaddr_t	ld_where[LD_MAXCLASS][LD_MAXCLASS];	/* first seen at */

static int
ld_classof(const char *name)
{
	u_int i;

	for (i = 0; i < ld_nclass; i++)
		if (ld_class[i] == name || strcmp(ld_class[i], name) == 0)
			return i;
	if (ld_nclass == LD_MAXCLASS)
		return -1;		/* table full: stop checking new ones */
	ld_class[ld_nclass] = name;
	__atomic_store_n(&ld_nclass, i + 1, __ATOMIC_RELEASE);
	return i;
}

/* The class of name if the table has it by that pointer, looked up
 * without the lock (above); -1 if not. */
static int
ld_classof_unlocked(const char *name)
{
	u_int n = __atomic_load_n(&ld_nclass, __ATOMIC_ACQUIRE);

	for (u_int i = 0; i < n; i++)
		if (ld_class[i] == name)
			return i;
	return -1;
}

static bool
ld_edge(u_int a, u_int b)
{
	return (ld_after[a][b / 64] >> (b % 64)) & 1;
}

/* Is there a path from a to b in the order graph?  (Depth-first.) */
static bool
ld_reaches(u_int a, u_int b, uint64_t *seen)
{
	if (a == b)
		return true;
	seen[a / 64] |= 1UL << (a % 64);
	for (u_int c = 0; c < ld_nclass; c++)
		if (ld_edge(a, c) && !((seen[c / 64] >> (c % 64)) & 1) &&
		    ld_reaches(c, b, seen))
			return true;
	return false;
}

static void
ld_sym(vaddr_t pc, char *buf, size_t size)
{
	ksyms_format(pc, buf, size);
}

/* About to take (or just took) lock `name` at pc. */
void
lockdebug_acquire(const void *lock, const char *name, vaddr_t pc)
{
	lwp_t *l = curlwp;
	int b;

	if (name == NULL || l == NULL || panicking)
		return;
	if (l->l_nlkheld == 0 && (b = ld_classof_unlocked(name)) >= 0) {
		l->l_lkheld[0].lh_lock = lock;	/* no order to record */
		l->l_lkheld[0].lh_class = b;
		l->l_nlkheld = 1;
		return;
	}
	mutex_spin_enter(&lockdebug_lock);
	if ((b = ld_classof(name)) < 0)
		goto out;
	for (int i = 0; i < l->l_nlkheld; i++) {
		int a = l->l_lkheld[i].lh_class;
		uint64_t seen[LD_MAXCLASS / 64] = { 0 };

		if (a == b || ld_edge(a, b))
			continue;
		if (ld_reaches(b, a, seen)) {
			char here[64], there[64];
			vaddr_t first = 0;

			/* Where "b before a" (or its first step) was seen. */
			for (u_int c = 0; c < ld_nclass && first == 0; c++)
				if (ld_edge(b, c) && (c == (u_int)a ||
				    (memset(seen, 0, sizeof(seen)),
				    ld_reaches(c, a, seen))))
					first = ld_where[b][c];
			ld_sym(pc, here, sizeof(here));
			ld_sym(first, there, sizeof(there));
			mutex_spin_exit(&lockdebug_lock);
			panic("lock order cycle: %s (%p) taken at <%s> while "
			    "holding %s, but %s was taken before %s at <%s>",
			    name, lock, here, ld_class[a], name, ld_class[a],
			    there);
		}
		ld_after[a][b / 64] |= 1UL << (b % 64);
		ld_where[a][b] = pc;
	}
	if (l->l_nlkheld < LWP_MAXLKHELD) {
		l->l_lkheld[l->l_nlkheld].lh_lock = lock;
		l->l_lkheld[l->l_nlkheld].lh_class = b;
		l->l_nlkheld++;
	}
out:
	mutex_spin_exit(&lockdebug_lock);
}

/* Released lock `lock` (any order). */
void
lockdebug_release(const void *lock)
{
	lwp_t *l = curlwp;

	if (l == NULL)
		return;
	for (int i = l->l_nlkheld - 1; i >= 0; i--)
		if (l->l_lkheld[i].lh_lock == lock) {
			l->l_lkheld[i] = l->l_lkheld[--l->l_nlkheld];
			return;
		}
}

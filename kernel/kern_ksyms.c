/*
 * kern_ksyms.c: look up kernel symbols by address and by name.
 *
 * The table (struct ksym, sorted by address) and its strings come from
 * tools/mksyms; see sys/ksyms.h.  Lookups read constant data only, so
 * they are safe in any context, panic included.
 */
#include <sys/systm.h>
#include <sys/ksyms.h>

extern const uint64_t ksyms_nsyms;
extern const struct ksym ksyms_table[];
extern const char ksyms_strings[];
extern char kernel_text[], kernel_etext[];	/* boot/kernel.ld */

size_t
ksyms_count(void)
{
	return ksyms_nsyms;
}

/*
 * The function containing `addr` (the last symbol starting at or below
 * it, if addr is inside its size or it has none), with *offp = addr -
 * start.  NULL for addresses outside the kernel's text.
 */
const char *
ksyms_lookup(vaddr_t addr, vaddr_t *offp)
{
	size_t lo = 0, hi = ksyms_nsyms;
	const struct ksym *ks;

	if (addr < (vaddr_t)kernel_text || addr >= (vaddr_t)kernel_etext)
		return NULL;		/* not code */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (ksyms_table[mid].ks_addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (ksyms_nsyms == 0 || ksyms_table[lo].ks_addr > addr)
		return NULL;
	ks = &ksyms_table[lo];
	if (ks->ks_size != 0 && addr - ks->ks_addr >= ks->ks_size)
		return NULL;
	if (offp != NULL)
		*offp = addr - ks->ks_addr;
	return &ksyms_strings[ks->ks_name];
}

vaddr_t
ksyms_addr(const char *name)
{
	for (size_t i = 0; i < ksyms_nsyms; i++)
		if (strcmp(&ksyms_strings[ksyms_table[i].ks_name], name) == 0)
			return ksyms_table[i].ks_addr;
	return 0;
}

/* "func+0x1c", or "?" when the address is in no known function. */
void
ksyms_format(vaddr_t addr, char *buf, size_t size)
{
	vaddr_t off;
	const char *name = ksyms_lookup(addr, &off);

	if (name == NULL)
		snprintf(buf, size, "?");
	else
		snprintf(buf, size, "%s+%#lx", name, off);
}

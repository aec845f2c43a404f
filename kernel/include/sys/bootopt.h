/*
 * sys/bootopt.h: kernel command-line options.
 *
 * Each option is declared where it is used, with BOOTOPT(name, help);
 * the declarations land in the `bootopts` linker section, so the kernel
 * knows every valid option and warns about any other (listing the valid
 * ones) instead of ignoring a typo.  The command line is words
 * separated by spaces: `name` or `name=value`.
 */
#ifndef _SYS_BOOTOPT_H_
#define _SYS_BOOTOPT_H_

#include <sys/cdefs.h>

struct bootopt {
	const char	*bo_name;
	const char	*bo_help;
};

#define BOOTOPT(name, help)						\
	static const struct bootopt __XCONCAT(bootopt_, __LINE__)	\
	    __section("bootopts") __used __aligned(8) = { name, help }

void	bootopt_parse(const char *cmdline);
const char *bootopt_get(const char *name);

#endif /* !_SYS_BOOTOPT_H_ */

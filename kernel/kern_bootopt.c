/*
 * kern_bootopt.c: parse the kernel command line (see sys/bootopt.h).
 *
 * bootopt_parse() runs once, early in main(); afterwards the table is
 * read-only, so bootopt_get() needs no lock.
 */
#include <sys/systm.h>
#include <sys/bootinfo.h>
#include <sys/bootopt.h>

extern const struct bootopt __start_bootopts[], __stop_bootopts[];

#define BOOTOPT_MAX	16

/* Names and values point into our own copy of the command line, cut
 * into words in place: a value is as long as the line allows. */
static char bootopt_buf[BI_CMDLINE_LEN];
static struct {
	const char	*name;
	const char	*value;
} bootopt_given[BOOTOPT_MAX];
static int bootopt_ngiven;

static const struct bootopt *
bootopt_find(const char *name)
{
	for (const struct bootopt *bo = __start_bootopts;
	    bo < __stop_bootopts; bo++)
		if (strcmp(bo->bo_name, name) == 0)
			return bo;
	return NULL;
}

static void
bootopt_warn_unknown(const char *name)
{
	printf("WARNING: unknown kernel option '%s' ignored; valid options:\n",
	    name);
	for (const struct bootopt *bo = __start_bootopts;
	    bo < __stop_bootopts; bo++)
		printf("    %-12s %s\n", bo->bo_name, bo->bo_help);
}

void
bootopt_parse(const char *cmdline)
{
	char *p = bootopt_buf, *word, *eq;

	strlcpy(bootopt_buf, cmdline, sizeof(bootopt_buf));
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		word = p;
		while (*p != '\0' && *p != ' ')
			p++;
		if (*p == ' ')
			*p++ = '\0';
		if ((eq = strchr(word, '=')) != NULL)
			*eq = '\0';
		if (bootopt_find(word) == NULL) {
			bootopt_warn_unknown(word);
			continue;
		}
		if (bootopt_ngiven == BOOTOPT_MAX) {
			printf("WARNING: more than %d kernel options; '%s' "
			    "ignored\n", BOOTOPT_MAX, word);
			continue;
		}
		bootopt_given[bootopt_ngiven].name = word;
		bootopt_given[bootopt_ngiven].value = eq != NULL ? eq + 1 : "";
		bootopt_ngiven++;
	}
}

/* The value of option `name` ("" if given without '='), or NULL. */
const char *
bootopt_get(const char *name)
{
	KASSERTMSG(bootopt_find(name) != NULL,
	    "bootopt_get: '%s' is not declared with BOOTOPT()", name);
	/* The last occurrence wins, as on most kernels. */
	for (int i = bootopt_ngiven - 1; i >= 0; i--)
		if (strcmp(bootopt_given[i].name, name) == 0)
			return bootopt_given[i].value;
	return NULL;
}

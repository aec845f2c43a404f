/* tools/run-user's round-trip test (tools/test): prints its arguments
 * and exits with the number of them plus 40. */
#include <stdio.h>

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		printf("arg %d: %s\n", i, argv[i]);
	return 40 + argc - 1;
}

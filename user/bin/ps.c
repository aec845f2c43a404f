/*
 * ps [-p]: one line per LWP, from sysctl kern.lwp.  Kernel threads
 * belong to process 0; -p shows only user processes.
 *
 *	  PID  PPID  LID STAT      CPU PRI WCHAN    AFFINITY NAME
 *	    1     0    1 SLEEP       0  43 wait     -        init
 *	    7     1    2 SUSPENDED   1  43 -        0,1      lwpdemo/worker
 *
 * CPU is where the LWP runs or last ran; AFFINITY the CPUs it may run
 * on ("-": any); NAME the process's command, and /the LWP's name if it
 * has one (_lwp_setname).  The fetching and the format are libc's
 * (kinfo.h), which libatf-c uses too, to show a hung test's LWPs.
 */
#include <kinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char **argv)
{
	int onlyuser = 0;

	if (argc == 2 && strcmp(argv[1], "-p") == 0)
		onlyuser = 1;
	else if (argc != 1) {
		fprintf(stderr, "usage: ps [-p]\n");
		return 1;
	}
	if (kinfo_print_lwps("", onlyuser) == -1) {
		perror("ps: sysctl kern.lwp");
		return 1;
	}
	return 0;
}

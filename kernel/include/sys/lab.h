/*
 * sys/lab.h: coursework labs marked in place (docs/labs/README.md).
 *
 * This tree is every lab's solution.  Each lab's graded code is marked
 * where it stands, in a form the compiler sees both ways:
 *
 *	void
 *	sleepq_enqueue(...)
 *	{
 *	#if !LAB_STUB(sleepq)
 *		... the real body ...
 *	#else
 *		LAB_TODO(sleepq, "sleepq_enqueue");
 *	#endif (comment: LAB sleepq)
 *	}
 *
 * A region may also have no #else part (static helpers that only the
 * solution uses: the student writes their own), and the #else part may
 * be a documented failing return instead of LAB_TODO.
 *
 * `make LABSTUB=sleepq` (or LABSTUB=sleepq,runq) builds the skeleton
 * straight from this tree: tools/lab writes $(BUILD)/gen/include/
 * lab_stub.h with `#define LABSTUB_sleepq 1`, and LAB_STUB(sleepq) is
 * then 1.  `tools/lab tree sleepq DIR` writes the student's tree: this
 * lab's regions replaced by their #else parts, every other lab's by
 * its solution, every marker gone.  Staff-only code, never shipped in a
 * student tree, stands between `#if LAB_STAFF` and an #endif with the
 * comment LAB_STAFF; tools/lab leaves it out of student trees, marker
 * and all.  (The #endif of a lab region must carry the comment
 * "LAB name" in C comment marks: tools/lab check insists.)
 *
 * Shared by the kernel and user space (libpthread has a lab): a stub
 * that runs panics in the kernel, and aborts a user program, saying
 *
 *	LAB sleepq: sleepq_enqueue() not implemented
 */
#ifndef _SYS_LAB_H_
#define _SYS_LAB_H_

#if __has_include(<lab_stub.h>)
#include <lab_stub.h>		/* generated: which labs are stubs */
#endif

/* 1 if this build leaves lab `name` to the student.  (An undefined
 * LABSTUB_name is 0 in #if.) */
#define LAB_STUB(name)		(LABSTUB_##name + 0)

#define LAB_STAFF		1	/* this is the staff's tree */

#define LAB_TODO(name, fn)	lab_todo(#name, fn)

#ifdef _KERNEL
#include <sys/systm.h>
#define lab_todo(lab, fn) \
	panic("LAB %s: %s() not implemented", (lab), (fn))
#else
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
static inline void __attribute__((__noreturn__))
lab_todo(const char *lab, const char *fn)
{
	char buf[128];
	int n = snprintf(buf, sizeof(buf), "LAB %s: %s() not implemented\n",
	    lab, fn);

	if (n > 0)
		(void)write(STDERR_FILENO, buf, (size_t)n);
	abort();
}
#endif

#endif /* !_SYS_LAB_H_ */

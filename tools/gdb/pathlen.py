# tools/gdb/pathlen.py: count the instructions of one trip round a user
# program's loop that calls the kernel, function by function (tools/
# pathlen runs it; see there).  gdb single-steps the guest through QEMU's
# gdb stub (which keeps interrupts off while stepping), so the trip is
# exactly the instructions the CPU ran: the same path length lwpbench
# measures under -icount, with where it goes.
#
# Environment: PL_FUNC, the kernel function to stop in (its PL_SKIP+1st
# call); PL_PORT, QEMU's gdb port.  From there it steps to the return to
# user mode, takes that user address as the start of the loop, and steps
# until it is back there having called PL_FUNC again (a fork's child
# returns to the same address first).
import collections
import os

import gdb

KBASE = 0xffff800000000000
LIMIT = 1000000
func = os.environ.get("PL_FUNC", "sys_sched_yield")
skip = int(os.environ.get("PL_SKIP", "3"))

gdb.execute("set pagination off")
gdb.execute("target remote :%s" % os.environ.get("PL_PORT", "1234"))
bp = gdb.Breakpoint(func)
bp.ignore_count = skip
gdb.execute("continue")
bp.delete()
ulong = gdb.lookup_type("unsigned long")


def pc():
    return int(gdb.parse_and_eval("$pc").cast(ulong))


def where(p):
    if p < KBASE:
        return "(user)", False
    s = gdb.execute("info symbol %#x" % p, to_string=True).split()
    if not s or s[0] == "No":
        return "?", False
    return s[0], len(s) >= 2 and s[1] == "in"    # "f in section": f's 1st


while pc() >= KBASE:
    gdb.execute("stepi", to_string=True)
start = pc()
counts = collections.Counter()
calls = collections.Counter()
copies = []
n = kn = 0
prev = "(user)"
seen = False
while n < LIMIT:
    gdb.execute("stepi", to_string=True)
    n += 1
    p = pc()
    name, entry = where(p)
    kn += p >= KBASE
    counts[name] += 1
    if entry and name != prev:
        calls[(prev, name)] += 1
        if name in ("memcpy", "memset", "copyin", "copyout"):
            copies.append("%s -> %s(%d bytes)" %
                          (prev, name, int(gdb.parse_and_eval("$rdx"))))
    prev = name
    seen |= entry and name == func
    if p == start and seen:
        break
print("pathlen: %s: %d instructions round the loop, %d of them in the "
      "kernel%s" % (func, n, kn, "" if n < LIMIT else " (stopped: too long)"))
print("pathlen: instructions by function:")
for name, c in counts.most_common():
    print("pathlen: %7d  %s" % (c, name))
print("pathlen: calls:")
for (a, b), c in sorted(calls.items(), key=lambda x: -x[1]):
    print("pathlen: %7d  %s -> %s" % (c, a, b))
for c in copies:
    print("pathlen: copy: %s" % c)
gdb.execute("kill")

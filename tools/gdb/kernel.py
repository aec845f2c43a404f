# tools/gdb/kernel.py: gdb commands for looking at LWPs and run queues.
# `make gdb` loads it (tools/gdbinit).  docs/sched.md shows them in use.
#
#   info lwps          every LWP: lid, name, state, CPU, priority, the
#                      lock l_mutex points at (and who holds it), wchan
#   info runq [N]      each CPU's (or CPU N's) running LWP and queues
#   lwp-bt LWP         backtrace of a switched-out LWP, from its saved
#                      switch frame (LWP: an address or an lid)
import gdb

STATES = {1: "IDL", 2: "RUN", 3: "SLEEP", 4: "STOP", 5: "ZOMB",
          7: "ONPROC", 8: "SUSPENDED"}
LP_RUNNING = 0x20000000
LP_BOUND = 0x80000000
LW_IDLE = 0x1


def cstr(v):
    try:
        return v.string() if int(v) != 0 else "-"
    except gdb.error:
        return "?"


def lwp_ptr(arg):
    v = gdb.parse_and_eval(arg)
    if v.type.code == gdb.TYPE_CODE_PTR:
        return v.cast(gdb.lookup_type("struct lwp").pointer())
    lid = int(v)
    for l in all_lwps():
        if int(l["l_lid"]) == lid:
            return l
    raise gdb.GdbError("no LWP with lid %d" % lid)


def all_lwps():
    l = gdb.parse_and_eval("alllwp")["lh_first"]
    while int(l) != 0:
        yield l
        l = l["l_list"]["le_next"]


def cpus():
    n = int(gdb.parse_and_eval("ncpu"))
    infos = gdb.parse_and_eval("cpu_infos")
    return [infos[i] for i in range(n)]


def cpu_index(ci):
    # ci_index, ci_schedstate, ... are macros for ci_data.cpu_*
    # (sys/cpu_data.h), which gdb does not know (-g, not -g3).
    return int(ci["ci_data"]["cpu_index"])


def lock_desc(m):
    if int(m) == 0:
        return "-"
    name = cstr(m["mtx_name"])
    owner = m["mtx_owner"]
    held = "cpu%d" % cpu_index(owner) if int(owner) != 0 else "free"
    return "%s(%s)" % (name, held)


class InfoLwps(gdb.Command):
    """info lwps: list every LWP."""

    def __init__(self):
        super().__init__("info lwps", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        print("%-5s %-14s %-9s %-4s %-4s %-22s %s" %
              ("LID", "NAME", "STATE", "CPU", "PRI", "L_MUTEX", "FLAGS"))
        for l in all_lwps():
            pflag = int(l["l_pflag"])
            flags = []
            if pflag & LP_RUNNING:
                flags.append("running")
            if pflag & LP_BOUND:
                flags.append("bound")
            if int(l["l_flag"]) & LW_IDLE:
                flags.append("idle")
            if int(l["l_target_cpu"]) != 0:
                flags.append("->cpu%d" % cpu_index(l["l_target_cpu"]))
            if int(l["l_wchan"]) != 0:
                flags.append("wchan=%s" % cstr(l["l_wmesg"]))
            cpu = l["l_cpu"]
            print("%-5d %-14s %-9s %-4s %-4d %-22s %s" % (
                int(l["l_lid"]), cstr(l["l_name"]),
                STATES.get(int(l["l_stat"]), str(int(l["l_stat"]))),
                "%d" % cpu_index(cpu) if int(cpu) != 0 else "-",
                int(l["l_priority"]), lock_desc(l["l_mutex"]),
                " ".join(flags)))


class InfoRunq(gdb.Command):
    """info runq [CPU]: what runs and what waits on each CPU."""

    def __init__(self):
        super().__init__("info runq", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        want = int(arg) if arg.strip() else None
        for ci in cpus():
            idx = cpu_index(ci)
            if want is not None and idx != want:
                continue
            spc = ci["ci_data"]["cpu_schedstate"]
            cur = ci["ci_curlwp"]
            # A made-up CPU (an early test's, CPUF_MADEUP) runs nothing.
            running = ("lid %d (%s)" % (int(cur["l_lid"]),
                                        cstr(cur["l_name"]))
                       if int(cur) != 0 else "nothing (made up)")
            print("cpu%d: running %s; %d queued, max priority %d, "
                  "spc_mutex %s" % (idx, running,
                                    int(spc["spc_count"]),
                                    int(spc["spc_maxpriority"]),
                                    lock_desc(spc["spc_mutex"])))
            for p in range(223, -1, -1):
                l = spc["spc_queue"][p]["tqh_first"]
                names = []
                while int(l) != 0:
                    names.append("%d(%s)" % (int(l["l_lid"]),
                                             cstr(l["l_name"])))
                    l = l["l_runq"]["tqe_next"]
                if names:
                    print("    pri %3d: %s" % (p, " ".join(names)))


class LwpBt(gdb.Command):
    """lwp-bt LWP: backtrace of a switched-out LWP (address or lid)."""

    def __init__(self):
        super().__init__("lwp-bt", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        l = lwp_ptr(arg)
        if int(l["l_pflag"]) & LP_RUNNING:
            cpu = cpu_index(l["l_cpu"])
            print("lid %d is on cpu%d: use `thread %d` and `bt`" %
                  (int(l["l_lid"]), cpu, cpu + 1))
            return
        u64 = gdb.lookup_type("unsigned long").pointer()
        sp = int(l["l_md"]["md_sp"])
        # switch frame: r15 r14 r13 r12 rbp rbx rip
        rbp = int(gdb.Value(sp + 4 * 8).cast(u64).dereference())
        rip = int(gdb.Value(sp + 6 * 8).cast(u64).dereference())
        depth = 0
        while rip != 0 and depth < 32:
            sym = gdb.execute("info symbol 0x%x" % rip, to_string=True)
            print("#%-2d 0x%016x in %s" % (depth, rip, sym.strip()))
            depth += 1
            if rbp == 0:
                break
            rip = int(gdb.Value(rbp + 8).cast(u64).dereference())
            rbp = int(gdb.Value(rbp).cast(u64).dereference())


InfoLwps()
InfoRunq()
LwpBt()

# tools/gdb/kernel.py: gdb commands and functions for looking at the
# kernel's processes, LWPs, run queues, sleep queues, turnstiles, locks
# and callouts.  `make gdb` loads it (tools/gdbinit); docs/hacking.md
# lists them, each chapter's "Watching it in gdb" shows them in use, and
# tools/gdb-test checks every one against a known state (ktest
# gdb_scene) in make test.
#
#   info procs           every process: pid, parent, state, LWPs, name
#   info lwps            every LWP: pid, lid, command, name, state, CPU,
#                        priority, the lock l_mutex points at (and who
#                        holds it), flags, wchan
#   info runq [N]        each CPU's (or CPU N's) running LWP and queues
#   info sleepq          the sleep-queue buckets that have sleepers:
#                        each sleeper, its wchan and wmesg
#   info turnstiles      the active turnstiles: the lock, its owner, the
#                        blocked LWPs, the priority lent, the chain
#   info locks           spin mutexes held, and by which CPU (the
#                        kernel's kmutex_t variables, the scheduler's,
#                        callout, hash-chain and p_lock mutexes); each
#                        LWP's adaptive mutexes and rwlocks (LOCKDEBUG's
#                        l_lkheld), and who waits for them
#   info callouts        each CPU's pending callouts: when, what
#   dmesg                the kernel's message buffer (msgbuf)
#   lwp-bt LWP           backtrace of one LWP (LWP: an address, a lid,
#                        or PID.LID); a running one's from its CPU
#   bt-all               every LWP's backtrace
#   trace-dump [DIR]     the event-trace rings, as the kernel dumps them
#                        at power-off (DIR/trace.raw), converted by
#                        tools/trace/lwptrace.py (default build/trace-gdb)
#   $curcpu()            this CPU's struct cpu_info * (curcpu())
#   $curlwp()            the LWP running on this CPU (curlwp)
#   $lwp(PID, LID)       the struct lwp * of an LWP
#
# Before the kernel has built a structure (at the stop `make gdb` leaves
# you in, init_x86_64, nothing exists yet), each says so and where it is
# made, instead of reading garbage.
import os
import re
import struct
import subprocess

import gdb

STATES = {1: "IDL", 2: "RUN", 3: "SLEEP", 4: "STOP", 5: "ZOMB",
          7: "ONPROC", 8: "SUSPENDED"}
PSTATES = {1: "IDL", 2: "ACTIVE", 3: "DYING", 4: "STOP", 5: "ZOMB"}
LP_RUNNING = 0x20000000
LP_BOUND = 0x80000000
LW_IDLE = 0x1
LW_SYSTEM = 0x200
MUTEX_WAITERS = 0x1
RW_WRITE_LOCKED = 0x4
RW_HAS_WAITERS = 0x1
RW_WRITE_WANTED = 0x2
RW_THREAD = ~0x1f & 0xffffffffffffffff
RW_READ_INCR = 0x20

WHERE = "`break main`, `continue` and `next` past it; or stop later"


class NotYet(gdb.GdbError):
    pass


def not_yet(what, made_by):
    raise NotYet("%s: not set up yet (%s makes it, in main()); %s" %
                 (what, made_by, WHERE))


def cstr(v):
    try:
        if v.type.strip_typedefs().code == gdb.TYPE_CODE_ARRAY:
            return v.string(length=v.type.sizeof).split("\0")[0] or "-"
        return v.string() if int(v) != 0 else "-"
    except (gdb.error, gdb.MemoryError, UnicodeDecodeError):
        return "?"


def sym(addr):
    """The symbol at addr, as name or name+off, or hex."""
    addr = int(addr)
    s = gdb.execute("info symbol 0x%x" % addr, to_string=True).strip()
    if s.startswith("No symbol"):
        return "0x%x" % addr
    name = s.split(" in section")[0].replace(" + ", "+")
    return name


def typ(name):
    return gdb.lookup_type(name)


def lwp_type():
    return typ("struct lwp").pointer()


def fetched(v):
    """v read from the target in one go (arrays: one memory read)."""
    v.fetch_lazy()
    return v


def kernel_up():
    """Has lwpinit() put lwp0 on alllwp?"""
    try:
        return int(gdb.parse_and_eval("alllwp")["lh_first"]) != 0
    except gdb.MemoryError:
        return False


def need_lwps():
    if not kernel_up():
        not_yet("no LWPs", "lwpinit()")


def all_lwps():
    need_lwps()
    l = gdb.parse_and_eval("alllwp")["lh_first"]
    while int(l) != 0:
        yield l
        l = l["l_list"]["le_next"]


def all_procs():
    p = gdb.parse_and_eval("allproc")["lh_first"]
    if int(p) == 0:
        not_yet("no processes", "procinit()")
    while int(p) != 0:
        yield p
        p = p["p_list"]["le_next"]


def cpus():
    n = int(gdb.parse_and_eval("ncpu"))
    infos = gdb.parse_and_eval("cpu_infos")
    return [infos[i] for i in range(n) if int(infos[i]) != 0]


def cpu_index(ci):
    # ci_index, ci_schedstate, ... are macros for ci_data.cpu_*
    # (sys/cpu_data.h), which gdb does not know (-g, not -g3).
    return int(ci["ci_data"]["cpu_index"])


def pid_of(l):
    p = l["l_proc"]
    return int(p["p_pid"]) if int(p) != 0 else -1


def lwp_id(l):
    """PID.LID (name): how every command names an LWP."""
    name = cstr(l["l_name"])
    if name in ("-", "?"):
        name = cstr(l["l_proc"]["p_comm"])
    return "%d.%d (%s)" % (pid_of(l), int(l["l_lid"]), name)


def lwp_ptr(arg):
    """An LWP from an address, a lid (the first LWP with it), PID.LID."""
    arg = arg.strip()
    if not arg:
        raise gdb.GdbError("which LWP? an address, a lid, or PID.LID")
    if "." in arg and not arg.startswith("("):
        pid, lid = (int(x, 0) for x in arg.split(".", 1))
        return find_lwp(pid, lid)
    v = gdb.parse_and_eval(arg)
    if v.type.strip_typedefs().code == gdb.TYPE_CODE_PTR:
        return v.cast(lwp_type())
    lid = int(v)
    for l in all_lwps():
        if int(l["l_lid"]) == lid:
            return l
    raise gdb.GdbError("no LWP with lid %d (`info lwps` lists them)" % lid)


def find_lwp(pid, lid):
    for l in all_lwps():
        if pid_of(l) == pid and int(l["l_lid"]) == lid:
            return l
    raise gdb.GdbError("no LWP %d.%d (`info lwps` lists them)" % (pid, lid))


def spin_desc(m):
    """A spin mutex: name(cpuN) or name(free)."""
    if int(m) == 0:
        return "-"
    name = cstr(m["mtx_name"])
    owner = m["mtx_owner"]
    held = "cpu%d" % cpu_index(owner) if int(owner) != 0 else "free"
    return "%s(%s)" % (name, held)


lock_desc = spin_desc


def lwp_at(addr):
    return gdb.Value(addr).cast(lwp_type())


def mutex_owner(m):
    """An adaptive mutex's owner LWP, or None."""
    o = int(m["mtx_aowner"]) & ~MUTEX_WAITERS
    return lwp_at(o) if o != 0 else None


def syncobj_name(so):
    so = int(so)
    for n in ("sleep", "cv", "mutex", "rw", "sched"):
        try:
            if so == int(gdb.parse_and_eval("&%s_syncobj" % n)):
                return n
        except gdb.error:
            pass
    return "?"


def wchan_desc(w):
    w = int(w)
    return "0x%x <%s>" % (w, sym(w)) if not sym(w).startswith("0x") \
        else "0x%x" % w


def guard(fn):
    """Turn unreadable memory into a plain message."""
    def run(self, arg, from_tty):
        try:
            fn(self, arg, from_tty)
        except gdb.MemoryError as e:
            raise gdb.GdbError("%s: cannot read kernel memory (%s); is "
                               "the kernel up yet? %s" %
                               (self.__class__.__doc__.split(":")[0],
                                e, WHERE))
    return run


class InfoProcs(gdb.Command):
    """info procs: list every process."""

    def __init__(self):
        super().__init__("info procs", gdb.COMMAND_STATUS)

    @guard
    def invoke(self, arg, from_tty):
        procs = list(all_procs())
        print("%-5s %-5s %-5s %-7s %-5s %s" %
              ("PID", "PPID", "PGID", "STATE", "LWPS", "COMM"))
        for p in procs:
            pp = p["p_pptr"]
            print("%-5d %-5s %-5d %-7s %-5d %s" % (
                int(p["p_pid"]),
                "%d" % int(pp["p_pid"]) if int(pp) != 0 else "-",
                int(p["p_pgid"]),
                PSTATES.get(int(p["p_stat"]), str(int(p["p_stat"]))),
                int(p["p_nlwps"]), cstr(p["p_comm"])))


class InfoLwps(gdb.Command):
    """info lwps: list every LWP."""

    def __init__(self):
        super().__init__("info lwps", gdb.COMMAND_STATUS)

    @guard
    def invoke(self, arg, from_tty):
        lwps = list(all_lwps())
        print("%-4s %-4s %-10s %-12s %-9s %-3s %-4s %-20s %s" %
              ("PID", "LID", "COMM", "NAME", "STATE", "CPU", "PRI",
               "L_MUTEX", "FLAGS"))
        for l in lwps:
            pflag = int(l["l_pflag"])
            flags = []
            if pflag & LP_RUNNING:
                flags.append("running")
            if pflag & LP_BOUND:
                flags.append("bound")
            if int(l["l_flag"]) & LW_IDLE:
                flags.append("idle")
            if int(l["l_inheritedprio"]) >= 0:
                flags.append("inherits=%d" % int(l["l_inheritedprio"]))
            if int(l["l_target_cpu"]) != 0:
                flags.append("->cpu%d" % cpu_index(l["l_target_cpu"]))
            if int(l["l_wchan"]) != 0:
                flags.append("wchan=%s" % cstr(l["l_wmesg"]))
            cpu = l["l_cpu"]
            print("%-4d %-4d %-10s %-12s %-9s %-3s %-4d %-20s %s" % (
                pid_of(l), int(l["l_lid"]), cstr(l["l_proc"]["p_comm"]),
                cstr(l["l_name"]),
                STATES.get(int(l["l_stat"]), str(int(l["l_stat"]))),
                "%d" % cpu_index(cpu) if int(cpu) != 0 else "-",
                int(l["l_priority"]), spin_desc(l["l_mutex"]),
                " ".join(flags)))


class InfoRunq(gdb.Command):
    """info runq [CPU]: what runs and what waits on each CPU."""

    def __init__(self):
        super().__init__("info runq", gdb.COMMAND_STATUS)

    @guard
    def invoke(self, arg, from_tty):
        want = int(arg) if arg.strip() else None
        for ci in cpus():
            idx = cpu_index(ci)
            if want is not None and idx != want:
                continue
            spc = ci["ci_data"]["cpu_schedstate"]
            if int(spc["spc_mutex"]) == 0:
                print("cpu%d: no run queue yet (sched_cpuattach(), from "
                      "cpu_configure() in main(), makes it); %s" %
                      (idx, WHERE))
                continue
            cur = ci["ci_curlwp"]
            # A made-up CPU (an early test's, CPUF_MADEUP) runs nothing.
            running = lwp_id(cur) if int(cur) != 0 else \
                "nothing (no LWP yet, or a made-up CPU)"
            print("cpu%d: running %s; %d queued, max priority %d, "
                  "spc_mutex %s" % (idx, running,
                                    int(spc["spc_count"]),
                                    int(spc["spc_maxpriority"]),
                                    spin_desc(spc["spc_mutex"])))
            q = fetched(spc["spc_queue"])
            for p in range(223, -1, -1):
                l = q[p]["tqh_first"]
                names = []
                while int(l) != 0:
                    names.append(lwp_id(l))
                    l = l["l_runq"]["tqe_next"]
                if names:
                    print("    pri %3d: %s" % (p, ", ".join(names)))


# The sleep tables: sleeptab, and lwp_park_tab for parked LWPs
# (sys/sleepq.h), with the prefix their buckets are named by.
SLEEPTABS = (("sleeptab", ""), ("lwp_park_tab", "lwp_park_tab "))


class InfoSleepq(gdb.Command):
    """info sleepq: the sleep-queue buckets that have sleepers (parked
    LWPs' in lwp_park_tab last)."""

    def __init__(self):
        super().__init__("info sleepq", gdb.COMMAND_STATUS)

    @guard
    def invoke(self, arg, from_tty):
        n = 0
        for tab, prefix in SLEEPTABS:
            n += self.table(tab, prefix)
        if n == 0:
            print("no LWP on a sleep queue")

    @staticmethod
    def table(tab, prefix):
        st = fetched(gdb.parse_and_eval(tab)["st_bucket"])
        if int(st[0]["st_queue"]["tqh_last"]) == 0:
            not_yet("sleep queues", "sleeptab_init()")
        lo, hi = st.type.range()
        n = 0
        for i in range(lo, hi + 1):
            b = st[i]
            l = b["st_queue"]["tqh_first"]
            if int(l) == 0:
                continue
            n += 1
            print("%sbucket %d: st_mutex %s" %
                  (prefix, i, spin_desc(b["st_mutex"].address)))
            while int(l) != 0:
                print("    %s: wchan %s wmesg %s, %s, pri %d" % (
                    lwp_id(l), wchan_desc(l["l_wchan"]),
                    cstr(l["l_wmesg"]), syncobj_name(l["l_syncobj"]),
                    int(l["l_priority"])))
                l = l["l_sleepchain"]["tqe_next"]
        return n


def lock_kind(obj, waiter=None):
    """'mutex' or 'rw' for a lock a turnstile belongs to."""
    if waiter is not None:
        k = syncobj_name(waiter["l_syncobj"])
        if k in ("mutex", "rw"):
            return k
    m = gdb.Value(obj).cast(typ("kmutex_t").pointer())
    return "mutex" if int(m["mtx_adaptive"]) == 1 else "rw"


def lock_owner_desc(obj, kind):
    """(name, owner LWP or None, text) of an adaptive mutex or rwlock."""
    if kind == "mutex":
        m = gdb.Value(obj).cast(typ("kmutex_t").pointer())
        o = mutex_owner(m)
        return (cstr(m["mtx_name"]), o,
                lwp_id(o) if o is not None else "nobody")
    rw = gdb.Value(obj).cast(typ("krwlock_t").pointer())
    w = int(rw["rw_owner"])
    if w & RW_WRITE_LOCKED:
        o = lwp_at(w & RW_THREAD)
        return cstr(rw["rw_name"]), o, "writer " + lwp_id(o)
    return (cstr(rw["rw_name"]), None,
            "%d reader(s)" % ((w & RW_THREAD) // RW_READ_INCR))


def ts_waiters(ts):
    out = []
    for q in (1, 0):
        l = ts["ts_sleepq"][q]["tqh_first"]
        while int(l) != 0:
            out.append((q, l))
            l = l["l_sleepchain"]["tqe_next"]
    return out


def blocked_on(l):
    """The lock an LWP is blocked on through a turnstile, or None."""
    if int(l["l_stat"]) != 3:
        return None
    k = syncobj_name(l["l_syncobj"])
    if k not in ("mutex", "rw"):
        return None
    return int(l["l_wchan"]), k


def chain(l, depth=0):
    """l -> lock -> owner -> lock -> ... as text."""
    parts = [lwp_id(l)]
    seen = set()
    while depth < 16:
        b = blocked_on(l)
        if b is None:
            break
        obj, kind = b
        name, owner, text = lock_owner_desc(obj, kind)
        parts.append("%s %s" % (kind, name))
        if owner is None:
            # Readers are not recorded: the chain ends here.
            return " -> ".join(parts + [text])
        if int(owner) in seen:
            parts.append(text)
            break
        seen.add(int(owner))
        parts.append(lwp_id(owner))
        l = owner
        depth += 1
    st = STATES.get(int(l["l_stat"]), "?")
    return " -> ".join(parts) + " [%s]" % st


class InfoTurnstiles(gdb.Command):
    """info turnstiles: blocked LWPs, owners, lent priorities, chains."""

    def __init__(self):
        super().__init__("info turnstiles", gdb.COMMAND_STATUS)

    @guard
    def invoke(self, arg, from_tty):
        chains = gdb.parse_and_eval("turnstile_chains")
        if int(chains[0]["tc_mutex"]["mtx_name"]) == 0:
            not_yet("turnstiles", "turnstile_init()")
        lo, hi = chains.type.range()
        n = 0
        for i in range(lo, hi + 1):
            ts = chains[i]["tc_chain"]["lh_first"]
            while int(ts) != 0:
                n += 1
                self.show(ts)
                ts = ts["ts_chain"]["le_next"]
        if n == 0:
            print("no active turnstile (nobody is blocked on a lock)")

    def show(self, ts):
        obj = int(ts["ts_obj"])
        ws = ts_waiters(ts)
        kind = lock_kind(obj, ws[0][1] if ws else None)
        name, owner, text = lock_owner_desc(obj, kind)
        print("turnstile 0x%x: %s %s (0x%x), owner %s" %
              (int(ts), kind, name, obj, text))
        for q, l in ws:
            print("    blocked (%s): %s pri %d" % (
                "writer" if q == 1 and kind == "rw" else
                "reader" if kind == "rw" else "waiter",
                lwp_id(l), int(l["l_priority"])))
        inh = ts["ts_inheritor"]
        if int(inh) != 0:
            print("    lends %d to %s (its own %d, inherited %d)" % (
                int(ts["ts_eprio"]), lwp_id(inh),
                int(inh["l_priority"]), int(inh["l_inheritedprio"])))
        else:
            print("    lends nothing")
        for q, l in ws:
            print("    chain: " + chain(l))


_global_mutexes = None


def global_mutexes():
    """[(name, kmutex_t *)] for every kmutex_t variable in the kernel
    (`info variables -t`), found once."""
    global _global_mutexes
    if _global_mutexes is None:
        out = gdb.execute("info variables -q -t ^kmutex_t$",
                          to_string=True)
        found, fn = [], None
        for line in out.split("\n"):
            if line.startswith("File "):
                fn = line[5:].rstrip(":")
                continue
            m = re.match(r"^\d+:\s+(static\s+)?kmutex_t\s+(\w+);", line)
            if m and fn:
                try:
                    v = gdb.parse_and_eval("&'%s'::%s" % (fn, m.group(2)))
                    found.append((m.group(2), v))
                except gdb.error:
                    pass
        _global_mutexes = found
    return _global_mutexes


def held_spin_mutexes():
    """(where, mutex) for the spin mutexes that are held: the kernel's
    kmutex_t variables, each CPU's scheduler locks and callout lock,
    the sleep-queue and turnstile hash chains, each process's p_lock."""
    out = list(global_mutexes())
    ccs = gdb.parse_and_eval("callout_cpus")
    for ci in cpus():
        spc = ci["ci_data"]["cpu_schedstate"]
        idx = cpu_index(ci)
        for f in ("spc_mutex", "spc_lwplock"):
            out.append(("cpu%d %s" % (idx, f), spc[f]))
        out.append(("cpu%d cc_lock" % idx, ccs[idx]["cc_lock"].address))
    mt = typ("kmutex_t").pointer()
    for tab, _ in SLEEPTABS:
        st = fetched(gdb.parse_and_eval(tab)["st_bucket"])
        lo, hi = st.type.range()
        base = int(gdb.parse_and_eval("&%s.st_bucket[0]" % tab))
        size = st[0].type.sizeof
        for i in range(lo, hi + 1):
            if int(st[i]["st_mutex"]["mtx_owner"]) != 0:
                out.append(("%s bucket %d" % (tab, i),
                            gdb.Value(base + i * size).cast(mt)))
    tc = gdb.parse_and_eval("turnstile_chains")
    lo, hi = tc.type.range()
    for i in range(lo, hi + 1):
        m = tc[i]["tc_mutex"]
        if int(m["mtx_owner"]) != 0:
            out.append(("turnstile chain %d" % i, m.address))
    for p in all_procs():
        out.append(("pid %d p_lock" % int(p["p_pid"]), p["p_lock"]))
    return [(w, m) for w, m in out
            if int(m) != 0 and int(m["mtx_adaptive"]) == 0 and
            int(m["mtx_owner"]) != 0]


class InfoLocks(gdb.Command):
    """info locks: spin mutexes held; each LWP's sleepable locks."""

    def __init__(self):
        super().__init__("info locks", gdb.COMMAND_STATUS)

    @guard
    def invoke(self, arg, from_tty):
        need_lwps()
        print("spin mutexes held:")
        held = held_spin_mutexes()
        for where, m in held:
            print("    %s: %s" % (where, spin_desc(m)))
        if not held:
            print("    none")
        for ci in cpus():
            c = int(ci["ci_data"]["cpu_mtx_count"])
            if c:
                print("    cpu%d holds %d spin mutex(es) in all" %
                      (cpu_index(ci), c))
        print("adaptive mutexes and rwlocks held (LOCKDEBUG's l_lkheld; "
              "unnamed locks are not tracked):")
        n = 0
        for l in all_lwps():
            for i in range(int(l["l_nlkheld"])):
                n += 1
                obj = int(l["l_lkheld"][i]["lh_lock"])
                kind = lock_kind(obj)
                name, owner, text = lock_owner_desc(obj, kind)
                b = blocked_on(l)
                if b is not None and b[0] == obj:
                    # LOCKDEBUG notes a lock before it is taken.
                    print("    %s waits for %s %s (0x%x), held by %s" %
                          (lwp_id(l), kind, name, obj, text))
                    continue
                ws = []
                ts = self.turnstile_of(obj)
                if ts is not None:
                    ws = [lwp_id(w) for _, w in ts_waiters(ts)]
                if kind == "rw":
                    name += " as %s" % ("writer" if owner is not None
                                        else "one of " + text)
                print("    %s holds %s %s (0x%x)%s" % (
                    lwp_id(l), kind, name, obj,
                    "; waiting: " + ", ".join(ws) if ws else
                    "; nobody waits"))
        if n == 0:
            print("    none")

    @staticmethod
    def turnstile_of(obj):
        tc = gdb.parse_and_eval("turnstile_chains")
        lo, hi = tc.type.range()
        i = (obj >> 3) & (hi - lo)      # TS_HASH (kern_turnstile.c)
        ts = tc[i]["tc_chain"]["lh_first"]
        while int(ts) != 0:
            if int(ts["ts_obj"]) == obj:
                return ts
            ts = ts["ts_chain"]["le_next"]
        return None


class InfoCallouts(gdb.Command):
    """info callouts: each CPU's pending callouts."""

    def __init__(self):
        super().__init__("info callouts", gdb.COMMAND_STATUS)

    @guard
    def invoke(self, arg, from_tty):
        ccs = gdb.parse_and_eval("callout_cpus")
        if int(ccs[0]["cc_wheel"][0]["tqh_last"]) == 0:
            not_yet("callouts", "callout_startup()")
        to = int(gdb.parse_and_eval("sleepq_timeout").address)
        for ci in cpus():
            idx = cpu_index(ci)
            cc = ccs[idx]
            now = int(cc["cc_ticks"])
            active = int(cc["cc_active"])
            print("cpu%d: tick %d%s" % (idx, now, ", running 0x%x" % active
                                          if active else ""))
            wheel = fetched(cc["cc_wheel"])
            lo, hi = wheel.type.range()
            found = []
            for s in range(lo, hi + 1):
                c = wheel[s]["tqh_first"]
                while int(c) != 0:
                    found.append(c)
                    c = c["c_link"]["tqe_next"]
            found.sort(key=lambda c: int(c["c_time"]))
            for c in found:
                f = int(c["c_func"])
                what = "%s(0x%x)" % (sym(f), int(c["c_arg"]))
                if f == to:
                    what = "sleepq_timeout: wakes %s" % \
                        lwp_id(lwp_at(int(c["c_arg"])))
                print("    due at tick %d (in %d): %s" %
                      (int(c["c_time"]), int(c["c_time"]) - now, what))
            if not found:
                print("    none pending")


class Dmesg(gdb.Command):
    """dmesg: the kernel's message buffer."""

    def __init__(self):
        super().__init__("dmesg", gdb.COMMAND_STATUS)

    @guard
    def invoke(self, arg, from_tty):
        buf = gdb.parse_and_eval("msgbuf")
        size = buf.type.sizeof
        total = int(gdb.parse_and_eval("msgbuf_total"))
        if total == 0:
            print("(nothing printed yet)")
            return
        inf = gdb.selected_inferior()
        base = int(buf.address)
        if total <= size:
            data = bytes(inf.read_memory(base, total))
        else:
            at = total % size
            data = bytes(inf.read_memory(base + at, size - at)) + \
                bytes(inf.read_memory(base, at))
            print("(the first %d bytes are gone)" % (total - size))
        text = data.decode("utf-8", "replace").replace("\r", "")
        gdb.write(text if text.endswith("\n") else text + "\n")


def cpu_of_thread():
    """The selected gdb thread's struct cpu_info *, or None: %gs_base,
    or in user mode (after swapgs) the kernel's, in KERNEL_GS_BASE."""
    cit = typ("struct cpu_info").pointer()
    for reg in ("$gs_base", "$k_gs_base"):
        try:
            gs = int(gdb.parse_and_eval(reg)) & 0xffffffffffffffff
        except gdb.error:
            continue
        if gs == 0 or gs < 0x8000000000000000:
            continue
        ci = gdb.Value(gs).cast(cit)
        try:
            if int(ci["ci_self"]) == gs:
                return ci
        except gdb.MemoryError:
            pass
    return None


def thread_of_cpu():
    """{cpu index: gdb thread}, from each thread's cpu_info."""
    out = {}
    cur = gdb.selected_thread()
    frame = gdb.selected_frame()
    try:
        for t in gdb.selected_inferior().threads():
            t.switch()
            ci = cpu_of_thread()
            if ci is not None:
                out[cpu_index(ci)] = t
    finally:
        cur.switch()
        frame.select()
    return out


def switch_frame_bt(l):
    """Frames of a switched-out LWP, from its saved switch frame."""
    u64 = typ("unsigned long").pointer()
    sp = int(l["l_md"]["md_sp"])
    if sp == 0:
        return ["    (never ran: no switch frame yet)"]
    # switch frame: r15 r14 r13 r12 rbp rbx rip
    rbp = int(gdb.Value(sp + 4 * 8).cast(u64).dereference())
    rip = int(gdb.Value(sp + 6 * 8).cast(u64).dereference())
    out = []
    depth = 0
    while rip != 0 and depth < 32:
        out.append("#%-2d 0x%016x in %s" % (depth, rip, sym(rip)))
        depth += 1
        if rbp == 0:
            break
        try:
            rip = int(gdb.Value(rbp + 8).cast(u64).dereference())
            rbp = int(gdb.Value(rbp).cast(u64).dereference())
        except gdb.MemoryError:
            break
    return out


def lwp_backtrace(l, threads=None):
    if int(l["l_pflag"]) & LP_RUNNING:
        cpu = cpu_index(l["l_cpu"])
        threads = thread_of_cpu() if threads is None else threads
        t = threads.get(cpu)
        if t is None:
            return ["    (running on cpu%d, which has no gdb thread)" % cpu]
        cur = gdb.selected_thread()
        frame = gdb.selected_frame()
        try:
            t.switch()
            bt = gdb.execute("bt 32", to_string=True)
        finally:
            cur.switch()
            frame.select()
        return ["(running on cpu%d: gdb thread %d)" % (cpu, t.num)] + \
            bt.rstrip("\n").split("\n")
    return switch_frame_bt(l)


class LwpBt(gdb.Command):
    """lwp-bt LWP: backtrace of an LWP (address, lid or PID.LID)."""

    def __init__(self):
        super().__init__("lwp-bt", gdb.COMMAND_STACK)

    @guard
    def invoke(self, arg, from_tty):
        l = lwp_ptr(arg)
        print("\n".join(lwp_backtrace(l)))


class BtAll(gdb.Command):
    """bt-all: every LWP's backtrace."""

    def __init__(self):
        super().__init__("bt-all", gdb.COMMAND_STACK)

    @guard
    def invoke(self, arg, from_tty):
        threads = thread_of_cpu()
        for l in all_lwps():
            print("--- %s %s" % (lwp_id(l),
                                STATES.get(int(l["l_stat"]), "?")))
            print("\n".join(lwp_backtrace(l, threads)))


def curcpu():
    ci = cpu_of_thread()
    if ci is None:
        raise gdb.GdbError("$curcpu(): %%gs_base is not a cpu_info on this "
                           "CPU: init_x86_64 (or cpu_hatch, for an AP) "
                           "has not set it yet; %s" % WHERE)
    return ci


class CurCpu(gdb.Function):
    """$curcpu(): this CPU's struct cpu_info * (the selected thread's)."""

    def __init__(self):
        super().__init__("curcpu")

    def invoke(self):
        return curcpu()


class CurLwp(gdb.Function):
    """$curlwp(): the struct lwp * running on this CPU."""

    def __init__(self):
        super().__init__("curlwp")

    def invoke(self):
        l = curcpu()["ci_curlwp"]
        if int(l) == 0:
            raise gdb.GdbError("$curlwp(): no LWP on this CPU yet "
                               "(lwpinit() makes lwp0); %s" % WHERE)
        return l


class LwpFn(gdb.Function):
    """$lwp(PID, LID): the struct lwp * of LWP LID of process PID."""

    def __init__(self):
        super().__init__("lwp")

    def invoke(self, pid, lid):
        return find_lwp(int(pid), int(lid))


# ---- trace-dump: the event-trace rings (kern_trace.c, sys/trace.h) ----------
TREC = struct.Struct("<QBBBBiQQQQ")     # struct trace_rec, TRACE_RECSIZE 48
(TR_SLEEP, TR_UNSLEEP, TR_LOCKWAIT, TR_LOCKDONE, TR_COMM, TR_STR,
 TR_HEADER, TR_RING, TR_END) = 6, 7, 11, 12, 17, 18, 19, 20, 21
TRACE_MAGIC = 0x4543415254504c57
TRACE_VERSION = 1
TRACE_IDLE_PID = 0xffffffff
TRACE_SEEN = 256        # trace_dump()'s seen[]: strings it puts once
HERE = os.path.dirname(os.path.abspath(__file__)) \
    if "__file__" in globals() else os.path.join(os.getcwd(), "tools", "gdb")
ROOT = os.path.dirname(os.path.dirname(HERE))


def trec(tsc=0, type_=0, cpu=0, a=0, b=0, c=0, lwp=0, v0=0, v1=0, v2=0):
    return TREC.pack(tsc, type_, cpu, a, b, c, lwp, v0, v1, v2)


def name16(s):
    """trace_name(): up to 16 bytes of s, NUL-padded, as (v1, v2)."""
    raw = (s or b"")[:16].split(b"\0")[0].ljust(16, b"\0")
    return struct.unpack("<QQ", raw)


def cbytes(p, n=16):
    """Up to n bytes of the C string at p (b"" for NULL)."""
    p = int(p)
    if p == 0:
        return b""
    return bytes(gdb.selected_inferior().read_memory(p, n)).split(b"\0")[0]


def trace_dump_bytes():
    """What trace_dump() writes on the trace port at power-off, from
    memory: the header, each ring's window (its records copied byte for
    byte), a TR_COMM record per LWP, TR_STR records for the strings,
    TR_END.  None if the rings were never allocated.  The header's TSC
    (cpu_counter() at power-off) is the newest record's here."""
    inf = gdb.selected_inferior()
    rings = gdb.parse_and_eval("trace_rings")
    if int(rings[0]) == 0:
        return None
    rt = typ("struct trace_ring")
    nrec = rt["tr_recs"].type.range()[1] + 1
    recs_off = rt["tr_recs"].bitpos // 8
    windows, now = [], 0
    for c in range(rings.type.range()[1] + 1):
        r = int(rings[c])
        if r == 0:
            continue
        head = int(rings[c]["tr_head"])
        first = head - min(head, nrec)
        base = r + recs_off
        data = b""
        i = first
        while i < head:         # at most two reads: the ring wraps once
            at = i & (nrec - 1)
            n = min(head - i, nrec - at)
            data += bytes(inf.read_memory(base + at * TREC.size,
                                          n * TREC.size))
            i += n
        if head:
            now = max(now, TREC.unpack_from(data, len(data) - TREC.size)[0])
        windows.append((c, head, data))
    out = [trec(tsc=now, type_=TR_HEADER, a=TRACE_VERSION,
                b=int(gdb.parse_and_eval("ncpu")),
                v0=int(gdb.parse_and_eval("x86_tsc_freq")), v1=TRACE_MAGIC,
                v2=nrec)]
    for c, head, data in windows:
        out.append(trec(type_=TR_RING, a=c, v0=head,
                        v1=len(data) // TREC.size))
        out.append(data)
    # trace_comm_lwp() for every LWP on alllwp.
    for l in all_lwps():
        pid, lid = pid_of(l), int(l["l_lid"])
        if int(l["l_flag"]) & LW_IDLE:
            tid = TRACE_IDLE_PID << 32 | cpu_index(l["l_cpu"])
        else:
            tid = (pid & 0xffffffff) << 32 | (lid & 0xffffffff)
        named = int(l["l_name"]) != 0
        if pid != 0 and not named:
            tid &= ~0xffffffff
        name = cbytes(l["l_name"]) if pid == 0 or named else \
            bytes(inf.read_memory(int(l["l_proc"]["p_comm"].address), 16))
        v1, v2 = name16(name)
        out.append(trec(type_=TR_COMM, lwp=tid, v1=v1, v2=v2))
    # trace_put_str(): the strings the records point at, in the image.
    lo = int(gdb.parse_and_eval("(unsigned long)&kernel_text"))
    hi = int(gdb.parse_and_eval("(unsigned long)&kernel_end"))
    seen = []
    for c, head, data in windows:
        for off in range(0, len(data), TREC.size):
            t = TREC.unpack_from(data, off)
            p = t[8]
            if t[1] not in (TR_SLEEP, TR_UNSLEEP, TR_LOCKWAIT, TR_LOCKDONE) \
                    or p == 0 or p < lo or p >= hi or p in seen:
                continue
            if len(seen) < TRACE_SEEN:
                seen.append(p)
            s = cbytes(p)
            if s.startswith(b"?"):      # trace_str()'s "not in the image"
                continue
            v1, v2 = name16(s)
            out.append(trec(type_=TR_STR, v0=p, v1=v1, v2=v2))
    out.append(trec(type_=TR_END))
    return b"".join(out)


class TraceDump(gdb.Command):
    """trace-dump [DIR]: the event-trace rings into DIR/trace.raw (the
    format the kernel writes at power-off), then tools/trace/lwptrace.py
    makes DIR/trace.ftrace, trace.json, timeline.html (default DIR:
    build/trace-gdb)."""

    def __init__(self):
        super().__init__("trace-dump", gdb.COMMAND_STATUS,
                         gdb.COMPLETE_FILENAME)

    @guard
    def invoke(self, arg, from_tty):
        raw = trace_dump_bytes()
        if raw is None:
            raise gdb.GdbError("tracing is off: boot with trace=... or sysctl "
                               "kern.trace (docs/trace.md); no rings to dump")
        out = arg.strip() or os.path.join(ROOT, "build", "trace-gdb")
        os.makedirs(out, exist_ok=True)
        path = os.path.join(out, "trace.raw")
        for f in ("trace.ftrace", "trace.json", "timeline.html"):
            if os.path.exists(os.path.join(out, f)):
                os.unlink(os.path.join(out, f))
        with open(path, "wb") as f:
            f.write(raw)
        print("trace-dump: %d records -> %s" % (len(raw) // TREC.size, path))
        p = subprocess.run(["python3", os.path.join(ROOT, "tools", "trace",
                                                    "lwptrace.py"),
                            path, "-o", out], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
        gdb.write(p.stdout)
        if p.returncode != 0:
            raise gdb.GdbError("trace-dump: lwptrace.py failed (status %d)"
                               % p.returncode)


InfoProcs()
InfoLwps()
InfoRunq()
InfoSleepq()
InfoTurnstiles()
InfoLocks()
InfoCallouts()
Dmesg()
LwpBt()
BtAll()
CurCpu()
CurLwp()
LwpFn()
TraceDump()

#!/usr/bin/env python3
"""lwptrace.py: turn lwpkern's event-trace dump into pictures.

    tools/trace/lwptrace.py RAW [-o DIR] [--syscalls MASTER]

RAW is what the kernel wrote on its trace port at power-off (make trace
puts it in build/trace/trace.raw): 48-byte records, sys/trace.h's struct
trace_rec.  Writes, in DIR (default: RAW's directory):

  trace.ftrace   Linux ftrace text (the nop tracer): sched_switch,
                 sched_wakeup and sched_migrate_task lines exactly as
                 Linux prints them, lock waits as tracing_mark_write
                 B|tgid|name / E|tgid, IPIs as ipi_raise (sent) and
                 ipi_entry/ipi_exit, system calls as raw_syscalls'
                 sys_enter/sys_exit (Perfetto, KernelShark, traceshark)
  trace.json     Chrome trace-event JSON (chrome://tracing, Perfetto):
                 a track per CPU with a slice per LWP run, flow arrows
                 for wakeups, migrations; a track per LWP with its
                 sleeps, lock waits, turnstile and park events and its
                 system calls (slices named as in syscalls.master)
  timeline.html  one self-contained page (tools/trace/timeline.html is
                 its template): a lane per CPU, slices coloured by
                 process, wakeup arrows, migrations, lock waits, system
                 calls as thin bars over the runs, hover, zoom

System-call names and argument names come from MASTER (default: the
tree's kernel/syscalls.master), errno names from kernel/include/sys/
errno.h beside it.

Python standard library only.  Ids: Linux has one pid per thread; here
an LWP (pid, lid) of a user process is pid*1000+lid (its process,
tgid, pid*1000+1), a kernel thread (process 0) is its lid, an idle LWP
is 0 (comm swapper/N, <idle> in the task column, as Linux).  Priorities
are printed Linux's way round (lower is better): 120 - pri/2, idle 120.
"""
import argparse
import bisect
import json
import os
import re
import struct
import sys

REC = struct.Struct('<QBBBBiQQQQ')
assert REC.size == 48
MAGIC = 0x4543415254504c57
IDLE_PID = 0xffffffff

(TR_SWITCH, TR_WAKEUP, TR_ENQUEUE, TR_DEQUEUE, TR_MIGRATE, TR_SLEEP,
 TR_UNSLEEP, TR_TSBLOCK, TR_TSWAKE, TR_LENDPRI, TR_LOCKWAIT, TR_LOCKDONE,
 TR_PARK, TR_UNPARK, TR_CREATE, TR_EXIT, TR_COMM, TR_STR, TR_HEADER,
 TR_RING, TR_END, TR_INTR, TR_INTREND, TR_SYS_ENTER, TR_SYS_EXIT,
 TR_IPISEND) = range(1, 27)
ERESTART, EJUSTRETURN = -3, -2      # the kernel's own (sys/errno.h)
LINUX_ERESTARTSYS = 512             # what Linux's sys_exit shows for one

LSRUN, LSSLEEP, LSSTOP, LSZOMB, LSSUSPENDED = 2, 3, 4, 5, 8
WHY = {1: 'preempt', 2: 'yield', 3: 'sleep', 4: 'exit', 5: 'stop',
       6: 'idle'}
MIGRATE_WHY = {1: 'takecpu', 2: 'steal', 3: 'balance', 4: 'affinity'}
TRI_CLOCK, TRI_DEVICE, TRI_IPI = 1, 2, 3
INTR_NAME = {TRI_CLOCK: 'clock', TRI_DEVICE: 'device'}
# Linux's ipi tracepoint reasons for the two IPIs (IPI_RESCHED, IPI_XCALL).
IPI_REASON = {TRI_IPI: 'Rescheduling interrupts',
              TRI_IPI + 1: 'Function call interrupts'}
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')


def syscall_table(path):
    """{number: (name, [argument names])} from a syscalls.master ({} if
    there is none: calls are then named by number)."""
    table = {}
    try:
        f = open(path)
    except OSError:
        return table
    with f:
        for ln in f:
            if ln.startswith(';') or not ln.strip():
                continue
            fields = ln.rstrip('\n').split('\t')
            if len(fields) != 5 or not fields[0].isdigit():
                continue
            args = [] if fields[4].strip() == 'void' else \
                [re.findall(r'\w+', a)[-1] for a in fields[4].split(',')]
            table[int(fields[0])] = (fields[1], args)
    return table


def errno_table(path):
    """{errno: name} from sys/errno.h."""
    names = {}
    try:
        with open(path) as f:
            for m in re.finditer(r'^#define\s+(E[A-Z0-9]+)\s+\(?(-?\d+)\)?',
                                 f.read(), re.M):
                names.setdefault(int(m.group(2)), m.group(1))
    except OSError:
        pass
    return names


def s64(x):
    x &= 0xffffffffffffffff
    return x - (1 << 64) if x >> 63 else x


def sys_ret(e):
    """A TR_SYS_EXIT's return value as Linux's sys_exit prints it: the
    value, or -errno; a restart as -ERESTARTSYS, EJUSTRETURN (execve,
    setcontext: the registers were set) as 0."""
    err = s64(e.v1)
    if err == 0:
        return s64(e.v0)
    if err == ERESTART:
        return -LINUX_ERESTARTSYS
    if err == EJUSTRETURN:
        return 0
    return -err


class Rec:
    __slots__ = ('tsc', 'type', 'cpu', 'a', 'b', 'c', 'lwp', 'v0', 'v1',
                 'v2', 'seq')

    def __init__(self, fields, seq):
        (self.tsc, self.type, self.cpu, self.a, self.b, self.c, self.lwp,
         self.v0, self.v1, self.v2) = fields
        self.seq = seq


def name16(v1, v2):
    raw = struct.pack('<QQ', v1, v2)
    return raw.split(b'\0', 1)[0].decode('ascii', 'replace')


def s16(x):
    x &= 0xffff
    return x - 0x10000 if x & 0x8000 else x


class Trace:
    """The dump, read: events in time order and what names them."""

    def __init__(self, path):
        data = open(path, 'rb').read()
        if len(data) < REC.size:
            raise SystemExit('%s: empty: nothing was traced, or the '
                             'machine had no trace port' % path)
        recs = [Rec(REC.unpack_from(data, i), i // REC.size)
                for i in range(0, len(data) - REC.size + 1, REC.size)]
        h = recs[0]
        if h.type != TR_HEADER or h.v1 != MAGIC:
            raise SystemExit('%s: not an lwpkern trace dump' % path)
        self.version, self.ncpu, self.hz = h.a, h.b, h.v0 or 1000000000
        self.events = []
        self.wrapped = {}       # cpu -> first tsc kept, if the ring wrapped
        self.names = {}         # (pid, lid) -> name; lid 0: the process
        self.strs = {}          # address -> string
        self.proc_names = {}    # pid -> [(tsc, name)]
        self.complete = False
        i, n = 1, len(recs)
        while i < n:
            r = recs[i]
            i += 1
            if r.type == TR_RING:
                kept = r.v1
                ring = recs[i:i + kept]
                i += kept
                ring = [e for e in ring if e.type and e.tsc]
                if r.v0 > kept and ring:
                    self.wrapped[r.a] = min(e.tsc for e in ring)
                self.events.extend(ring)
            elif r.type == TR_COMM:
                self.names[(r.lwp >> 32, r.lwp & 0xffffffff)] = \
                    name16(r.v1, r.v2)
            elif r.type == TR_STR:
                self.strs[r.v0] = name16(r.v1, r.v2)
            elif r.type == TR_END:
                self.complete = True
                break
        self.events.sort(key=lambda e: (e.tsc, e.seq))
        # Names first, from every record (also those before the window).
        for e in self.events:
            if e.type in (TR_CREATE, TR_EXIT, TR_COMM):
                pid, lid = e.lwp >> 32, e.lwp & 0xffffffff
                nm = name16(e.v1, e.v2)
                if pid == 0 or (e.type == TR_COMM and lid != 0):
                    self.names.setdefault((pid, lid), nm)
                elif nm:
                    self.proc_names.setdefault(pid, []).append((e.tsc, nm))
        for pid in self.proc_names:
            self.proc_names[pid].sort()
        # Rings that wrapped keep different spans: start where all of
        # them have records, so no CPU looks idle for want of them.
        self.start = max(self.wrapped.values()) if self.wrapped else None
        if self.start is not None:
            self.events = [e for e in self.events if e.tsc >= self.start]
        if not self.events:
            raise SystemExit('%s: no events recorded' % path)
        self.t0 = self.events[0].tsc
        self.t1 = self.events[-1].tsc

    # -- naming -----------------------------------------------------------
    def comm(self, lwp, tsc=None):
        pid, lid = lwp >> 32, lwp & 0xffffffff
        if pid == IDLE_PID:
            return 'swapper/%d' % lid
        if (pid, lid) in self.names and (pid == 0 or self.names[(pid, lid)]):
            nm = self.names[(pid, lid)]
            if nm:
                return nm
        if pid == 0:
            return 'kthread%d' % lid
        hist = self.proc_names.get(pid)
        if hist:
            if tsc is None:
                return hist[-1][1]
            k = bisect.bisect_right([t for t, _ in hist], tsc) - 1
            return hist[max(k, 0)][1]
        return self.names.get((pid, 0)) or 'pid%d' % pid

    @staticmethod
    def tid(lwp):
        pid, lid = lwp >> 32, lwp & 0xffffffff
        if pid == IDLE_PID:
            return 0
        if pid == 0:
            return lid
        return pid * 1000 + lid

    @staticmethod
    def tgid(lwp):
        """The process: its LWP 1's tid (a kernel thread is its own)."""
        pid = lwp >> 32
        return Trace.tid(lwp if pid in (0, IDLE_PID) else pid << 32 | 1)

    @staticmethod
    def is_idle(lwp):
        return lwp >> 32 == IDLE_PID

    @staticmethod
    def lprio(pri):
        return 120 if pri < 0 else max(0, 120 - pri // 2)

    def secs(self, tsc):
        return tsc / self.hz

    def us(self, tsc):
        return (tsc - self.t0) * 1e6 / self.hz

    def string(self, addr):
        return self.strs.get(addr, '%#x' % addr if addr else '-')


def model(tr):
    """Slices, wakeups, migrations and lock waits, from the events."""
    cur = {}            # cpu -> lwp running (from its first switch)
    first = {}
    for e in tr.events:
        if e.type == TR_SWITCH and e.cpu not in first:
            first[e.cpu] = e
    run = {}            # cpu -> (start tsc, lwp) of the open slice
    for cpu, e in first.items():
        cur[cpu] = e.lwp
        if not tr.is_idle(e.lwp):
            run[cpu] = (tr.t0, e.lwp)
    slices, wakeups, migs, locks, sleeps, marks = [], [], [], [], [], []
    calls = []          # (lwp, enter rec, exit rec or None)
    incall = {}         # lwp -> its TR_SYS_ENTER, until the exit
    ipis = []           # TR_IPISEND records
    irqs = []           # (cpu, start, end, kind, vector)
    inirq = {}          # cpu -> [(tsc, kind, vector)]
    lockstack = {}      # lwp -> [(tsc, name, cpu)]
    asleep = {}         # lwp -> (tsc, wmesg, cpu)
    for e in tr.events:
        t = e.type
        if t == TR_SWITCH:
            if e.cpu in run:
                s, who = run.pop(e.cpu)
                slices.append((e.cpu, s, e.tsc, who, WHY.get(e.b, '')))
            if not tr.is_idle(e.v0):
                run[e.cpu] = (e.tsc, e.v0)
            cur[e.cpu] = e.v0
        elif t == TR_WAKEUP:
            wakeups.append((e.tsc, e.cpu, e.a, e.lwp, e.v0, e.seq))
            if e.lwp in asleep:
                s, wm, c = asleep.pop(e.lwp)
                sleeps.append((s, e.tsc, e.lwp, wm))
        elif t == TR_MIGRATE:
            migs.append((e.tsc, e.lwp, e.a, e.b, MIGRATE_WHY.get(e.c, '?'),
                         e.cpu))
        elif t == TR_LOCKWAIT:
            lockstack.setdefault(e.lwp, []).append(
                (e.tsc, tr.string(e.v1), e.cpu, e.a))
        elif t == TR_LOCKDONE:
            st = lockstack.get(e.lwp)
            if st:
                s, nm, c, spin = st.pop()
                locks.append((c, s, e.tsc, e.lwp, nm, spin))
        elif t == TR_SLEEP:
            asleep[e.lwp] = (e.tsc, tr.string(e.v1), e.cpu)
        elif t == TR_INTR:
            inirq.setdefault(e.cpu, []).append((e.tsc, e.a, e.c))
        elif t == TR_INTREND and inirq.get(e.cpu):
            s, kind, vec = inirq[e.cpu].pop()
            irqs.append((e.cpu, s, e.tsc, kind, vec))
        elif t == TR_SYS_ENTER:
            if e.lwp in incall:         # never returned (exit, execve'd)
                calls.append((e.lwp, incall.pop(e.lwp), None))
            incall[e.lwp] = e
        elif t == TR_SYS_EXIT:
            enter = incall.pop(e.lwp, None)
            if enter is not None and enter.c == e.c:
                calls.append((e.lwp, enter, e))
        elif t == TR_IPISEND:
            ipis.append(e)
        elif t in (TR_TSBLOCK, TR_TSWAKE, TR_LENDPRI, TR_PARK, TR_UNPARK,
                   TR_CREATE, TR_EXIT):
            marks.append(e)
    for cpu, (s, who) in run.items():
        slices.append((cpu, s, tr.t1, who, ''))
    slices.sort(key=lambda x: (x[1], x[0]))
    for lwp, enter in incall.items():
        calls.append((lwp, enter, None))
    calls.sort(key=lambda c: c[1].tsc)
    # Where each call ran: its span cut to its LWP's runs, per CPU (a
    # call that sleeps spans runs on several CPUs, and idle time).
    runs_of = {}
    for (cpu, s, e, who, _) in slices:
        runs_of.setdefault(who, []).append((s, e, cpu))
    callsegs = []       # (cpu, start, end, index in calls)
    for i, (lwp, enter, ex) in enumerate(calls):
        if ex is None:
            continue
        for (s, e, cpu) in runs_of.get(lwp, []):
            a, b = max(s, enter.tsc), min(e, ex.tsc)
            if a < b:
                callsegs.append((cpu, a, b, i))
    # A wakeup's arrow goes to the woken LWP's next slice.
    starts = {}
    for i, (cpu, s, _, who, _) in enumerate(slices):
        starts.setdefault(who, []).append((s, cpu, i))
    arrows = []
    for (t, fcpu, tcpu, who, waker, seq) in wakeups:
        lst = starts.get(who, [])
        k = bisect.bisect_left(lst, (t, -1, -1))
        if k < len(lst):
            arrows.append((t, fcpu, lst[k][0], lst[k][1], who, waker))
    return dict(slices=slices, wakeups=wakeups, arrows=arrows, migs=migs,
                locks=locks, sleeps=sleeps, marks=marks, irqs=irqs,
                calls=calls, callsegs=callsegs, ipis=ipis)


# -- ftrace ------------------------------------------------------------------
FTRACE_HEADER = """\
# tracer: nop
#
# entries-in-buffer/entries-written: {n}/{n}   #P:{ncpu}
#
#                                _-----=> irqs-off/BH-disabled
#                               / _----=> need-resched
#                              | / _---=> hardirq/softirq
#                              || / _--=> preempt-depth
#                              ||| / _-=> migrate-disable
#                              |||| /     delay
#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
#              | |         |   |||||     |         |
"""


def prev_state(e):
    if e.a == LSRUN:
        return 'R+' if e.b == 1 else 'R'
    if e.a == LSSLEEP:
        return 'S' if e.v1 else 'D'
    if e.a in (LSSTOP, LSSUSPENDED):
        return 'T'
    if e.a == LSZOMB:
        return 'Z'
    return 'R'


def cpumask(mask, ncpu):
    """A CPU mask as Linux's %*pb prints a cpumask: 32-bit groups of hex
    digits, comma-separated, as many as 64 CPUs (or ncpu) need."""
    bits = max(64, (ncpu + 31) // 32 * 32)
    return ','.join('%08x' % (mask >> i & 0xffffffff)
                    for i in range(bits - 32, -1, -32))


def ftrace(tr, m):
    def task(lwp, tsc):
        if tr.is_idle(lwp) or lwp == 0:
            return '<idle>', 0
        return tr.comm(lwp, tsc).replace(' ', '_')[:15], tr.tid(lwp)

    def comm(lwp, tsc):
        return tr.comm(lwp, tsc).replace(' ', '_')[:15]

    def line(lwp, cpu, flags, tsc, fn, body):
        c, p = task(lwp, tsc)
        us = int(round(tr.secs(tsc) * 1e6))
        return '%16s-%-7d [%03d] %s %5d.%06d: %s: %s' % (
            c, p, cpu, flags, us // 1000000, us % 1000000, fn, body)

    first = {}
    for e in tr.events:
        if e.type == TR_SWITCH and e.cpu not in first:
            first[e.cpu] = e.lwp
    cur = dict(first)
    out = []
    depth = {}
    prio = {}           # lwp -> its last priority seen (for migrations)
    for e in tr.events:
        t = e.type
        if t in (TR_WAKEUP, TR_ENQUEUE, TR_DEQUEUE):
            prio[e.lwp] = e.c
        if t == TR_SWITCH:
            pp, np_ = s16(e.c), s16(e.c >> 16)
            prio[e.lwp], prio[e.v0] = pp, np_
            out.append(line(e.lwp, e.cpu, 'd..2.', e.tsc, 'sched_switch',
                'prev_comm=%s prev_pid=%d prev_prio=%d prev_state=%s ==> '
                'next_comm=%s next_pid=%d next_prio=%d' % (
                    comm(e.lwp, e.tsc), tr.tid(e.lwp), tr.lprio(pp),
                    prev_state(e), comm(e.v0, e.tsc), tr.tid(e.v0),
                    tr.lprio(np_))))
            cur[e.cpu] = e.v0
        elif t == TR_WAKEUP:
            out.append(line(e.v0, e.cpu, 'dN.4.', e.tsc, 'sched_wakeup',
                'comm=%s pid=%d prio=%d target_cpu=%03d' % (
                    comm(e.lwp, e.tsc), tr.tid(e.lwp), tr.lprio(e.c), e.a)))
        elif t == TR_MIGRATE:
            out.append(line(cur.get(e.cpu, 0), e.cpu, 'd..2.', e.tsc,
                'sched_migrate_task',
                'comm=%s pid=%d prio=%d orig_cpu=%d dest_cpu=%d' % (
                    comm(e.lwp, e.tsc), tr.tid(e.lwp),
                    tr.lprio(prio.get(e.lwp, -1)), e.a, e.b)))
        elif t == TR_LOCKWAIT and not tr.is_idle(e.lwp) and e.lwp:
            depth[e.lwp] = depth.get(e.lwp, 0) + 1
            out.append(line(e.lwp, e.cpu, '.....', e.tsc,
                'tracing_mark_write', 'B|%d|lock %s' % (
                    tr.tgid(e.lwp), tr.string(e.v1).replace('|', '/'))))
        elif t == TR_LOCKDONE and depth.get(e.lwp, 0) > 0:
            depth[e.lwp] -= 1
            out.append(line(e.lwp, e.cpu, '.....', e.tsc,
                'tracing_mark_write', 'E|%d' % tr.tgid(e.lwp)))
        elif t == TR_SYS_ENTER:
            # raw_syscalls:sys_enter prints six arguments; the record
            # keeps three, the rest print as 0.
            out.append(line(e.lwp, e.cpu, '.....', e.tsc, 'sys_enter',
                'NR %d (%x, %x, %x, 0, 0, 0)' % (e.c, e.v0, e.v1, e.v2)))
        elif t == TR_SYS_EXIT:
            out.append(line(e.lwp, e.cpu, '.....', e.tsc, 'sys_exit',
                'NR %d = %d' % (e.c, sys_ret(e))))
        elif t == TR_IPISEND:
            out.append(line(cur.get(e.cpu, 0), e.cpu, 'd..1.', e.tsc,
                'ipi_raise', 'target_mask=%s (%s)' % (
                    cpumask(1 << e.b, tr.ncpu),
                    IPI_REASON.get(e.a, 'IPI'))))
        elif t in (TR_INTR, TR_INTREND):
            who = cur.get(e.cpu, 0)
            if e.a in IPI_REASON:
                out.append(line(who, e.cpu, 'd.h1.', e.tsc,
                    'ipi_entry' if t == TR_INTR else 'ipi_exit',
                    '(%s)' % IPI_REASON[e.a]))
            elif t == TR_INTR:
                out.append(line(who, e.cpu, 'd.h1.', e.tsc,
                    'irq_handler_entry', 'irq=%d name=%s' % (
                        e.c, INTR_NAME.get(e.a, 'irq'))))
            else:
                out.append(line(who, e.cpu, 'd.h1.', e.tsc,
                    'irq_handler_exit', 'irq=%d ret=handled' % e.c))

    return FTRACE_HEADER.format(n=len(out), ncpu=tr.ncpu) + \
        ''.join(x + '\n' for x in out)


# -- Chrome trace-event JSON -----------------------------------------------
CPU_PID = 1000000000     # the process whose threads are the CPUs


def call_text(tr, enter, ex):
    """A system call, for people: name, arguments, return value."""
    name, argn = tr.syscalls.get(enter.c, ('syscall %d' % enter.c, None))
    vals = (enter.v0, enter.v1, enter.v2)
    n = min(3, len(argn)) if argn is not None else 3
    more = ', ...' if argn is not None and len(argn) > 3 else ''
    args = ', '.join('%#x' % v if v > 0xffff else '%d' % s64(v)
                     for v in vals[:n]) + more
    return name, '%s(%s) %s' % (name, args, call_result(tr, ex))


def call_result(tr, ex):
    """How a call (its TR_SYS_EXIT, or None) ended, for people."""
    if ex is None:
        return 'did not return'
    err = s64(ex.v1)
    if err == 0:
        return '= %d' % s64(ex.v0)
    if err == ERESTART:
        return '-> ERESTART (run again)'
    if err == EJUSTRETURN:
        return '-> EJUSTRETURN (new registers)'
    return '= -1 %s' % tr.errnos.get(err, 'errno %d' % err)


def chrome(tr, m):
    ev = []
    us = tr.us
    ev.append({'ph': 'M', 'name': 'process_name', 'pid': CPU_PID,
               'args': {'name': 'CPUs'}})
    ev.append({'ph': 'M', 'name': 'process_sort_index', 'pid': CPU_PID,
               'args': {'sort_index': -1}})
    for c in range(tr.ncpu):
        ev.append({'ph': 'M', 'name': 'thread_name', 'pid': CPU_PID,
                   'tid': c, 'args': {'name': 'CPU %d' % c}})
        ev.append({'ph': 'M', 'name': 'thread_sort_index', 'pid': CPU_PID,
                   'tid': c, 'args': {'sort_index': c}})
    seen = set()

    def lwp_track(lwp):
        pid, tid = tr.tgid(lwp), tr.tid(lwp)
        if lwp not in seen:
            seen.add(lwp)
            ev.append({'ph': 'M', 'name': 'process_name', 'pid': pid,
                       'args': {'name': tr.comm(lwp)}})
            ev.append({'ph': 'M', 'name': 'thread_name', 'pid': pid,
                       'tid': tid, 'args': {'name': '%s %s' % (
                           tr.comm(lwp), lwpname(lwp))}})
        return pid, tid

    def lwpname(lwp):
        pid, lid = lwp >> 32, lwp & 0xffffffff
        return 'idle/%d' % lid if pid == IDLE_PID else '%d.%d' % (pid, lid)

    for (cpu, s, e, who, why) in m['slices']:
        ev.append({'ph': 'X', 'pid': CPU_PID, 'tid': cpu, 'ts': us(s),
                   'dur': max(us(e) - us(s), 0.001),
                   'name': '%s %s' % (tr.comm(who, s), lwpname(who)),
                   'cat': 'run', 'args': {'lwp': lwpname(who),
                                          'tid': tr.tid(who),
                                          'left because': why}})
    for i, (t, fcpu, ts, tcpu, who, waker) in enumerate(m['arrows']):
        ev.append({'ph': 'i', 's': 't', 'pid': CPU_PID, 'tid': fcpu,
                   'ts': us(t), 'name': 'wakeup %s' % lwpname(who),
                   'cat': 'wakeup', 'args': {'waker': lwpname(waker),
                                             'target_cpu': tcpu}})
        ev.append({'ph': 's', 'id': i + 1, 'pid': CPU_PID, 'tid': fcpu,
                   'ts': us(t), 'name': 'wakeup', 'cat': 'wakeup'})
        ev.append({'ph': 'f', 'bp': 'e', 'id': i + 1, 'pid': CPU_PID,
                   'tid': tcpu, 'ts': us(ts), 'name': 'wakeup',
                   'cat': 'wakeup'})
    for (t, who, a, b, why, cpu) in m['migs']:
        ev.append({'ph': 'i', 's': 't', 'pid': CPU_PID, 'tid': b,
                   'ts': us(t), 'cat': 'migrate',
                   'name': 'migrate %s cpu%d->cpu%d (%s)' % (
                       lwpname(who), a, b, why)})
    for (cpu, s, e, kind, vec) in m['irqs']:
        ev.append({'ph': 'X', 'pid': CPU_PID, 'tid': cpu, 'ts': us(s),
                   'dur': max(us(e) - us(s), 0.001), 'cat': 'irq',
                   'name': 'irq %s' % (INTR_NAME.get(kind) or
                                       IPI_REASON.get(kind, 'irq')),
                   'args': {'vector': vec}})
    for (cpu, s, e, who, name, spin) in m['locks']:
        pid, tid = lwp_track(who)
        ev.append({'ph': 'X', 'pid': pid, 'tid': tid, 'ts': us(s),
                   'dur': max(us(e) - us(s), 0.001), 'cat': 'lock',
                   'name': 'lock %s' % name,
                   'args': {'spin': bool(spin), 'cpu': cpu}})
    for (s, e, who, wmesg) in m['sleeps']:
        pid, tid = lwp_track(who)
        ev.append({'ph': 'X', 'pid': pid, 'tid': tid, 'ts': us(s),
                   'dur': max(us(e) - us(s), 0.001), 'cat': 'sleep',
                   'name': 'sleep %s' % wmesg})
    for (lwp, enter, ex) in m['calls']:
        pid, tid = lwp_track(lwp)
        name, text = call_text(tr, enter, ex)
        argn = tr.syscalls.get(enter.c, (None, ['arg0', 'arg1', 'arg2']))[1]
        args = {'nr': enter.c, 'call': text, 'cpu': enter.cpu,
                'arguments': {k: '%#x' % v for k, v in
                              zip(argn, (enter.v0, enter.v1, enter.v2))}}
        if ex is None:
            ev.append({'ph': 'i', 's': 't', 'pid': pid, 'tid': tid,
                       'ts': us(enter.tsc), 'cat': 'syscall',
                       'name': name, 'args': args})
            continue
        err = s64(ex.v1)
        args['ret'] = sys_ret(ex)
        if err:
            args['error'] = tr.errnos.get(err, err)
        ev.append({'ph': 'X', 'pid': pid, 'tid': tid, 'ts': us(enter.tsc),
                   'dur': max(us(ex.tsc) - us(enter.tsc), 0.001),
                   'cat': 'syscall', 'name': name, 'args': args})
    for e in m['ipis']:
        ev.append({'ph': 'i', 's': 't', 'pid': CPU_PID, 'tid': e.cpu,
                   'ts': us(e.tsc), 'cat': 'ipi',
                   'name': 'ipi_raise %s -> CPU %d' % (
                       IPI_REASON.get(e.a, 'IPI'), e.b),
                   'args': {'target_cpu': e.b, 'vector': e.c}})
    for e in m['marks']:
        if tr.is_idle(e.lwp) or e.lwp == 0:
            continue
        pid, tid = lwp_track(e.lwp)
        args = {'cpu': e.cpu}
        if e.type == TR_TSBLOCK:
            name = 'turnstile block'
            args.update(owner=lwpname(e.v1), prio=e.c, owner_prio=e.b,
                        lock='%#x' % e.v0)
        elif e.type == TR_TSWAKE:
            name = 'turnstile wake'
            args.update(waker=lwpname(e.v2), lock='%#x' % e.v0)
        elif e.type == TR_LENDPRI:
            name = 'lent priority %d' % e.c if e.c >= 0 else \
                'lent priority taken back'
            args.update(own=e.b)
        elif e.type == TR_PARK:
            name = 'park'
        elif e.type == TR_UNPARK:
            name = 'unpark %s' % lwpname(e.v0)
        elif e.type == TR_CREATE:
            name = 'created by %s' % lwpname(e.v0)
        else:
            name = 'exit'
        ev.append({'ph': 'i', 's': 't', 'pid': pid, 'tid': tid,
                   'ts': us(e.tsc), 'name': name, 'cat': 'lwp',
                   'args': args})
    return {'traceEvents': ev, 'displayTimeUnit': 'ns',
            'otherData': {'source': 'lwpkern event trace',
                          'ncpu': tr.ncpu, 'tsc_hz': tr.hz}}


# -- the page -----------------------------------------------------------------
def page(tr, m, template):
    procs = {}
    threads = {}

    def th(lwp):
        t = tr.tid(lwp)
        if t not in threads:
            pid = lwp >> 32
            key = 'idle' if pid == IDLE_PID else str(pid)
            procs.setdefault(key, tr.comm(lwp) if pid else 'kernel')
            threads[t] = [tr.comm(lwp), key,
                          ('idle/%d' % (lwp & 0xffffffff)) if pid == IDLE_PID
                          else '%d.%d' % (pid, lwp & 0xffffffff)]
        return t

    def r(x):
        return round(tr.us(x), 3)

    data = {
        'ncpu': tr.ncpu,
        'span': r(tr.t1),
        'slices': [[c, r(s), r(e), th(w), why]
                   for (c, s, e, w, why) in m['slices']],
        'arrows': [[r(t), fc, r(ts), tc, th(w), th(k)]
                   for (t, fc, ts, tc, w, k) in m['arrows']],
        'migs': [[r(t), th(w), a, b, why] for (t, w, a, b, why, _)
                 in m['migs']],
        'locks': [[c, r(s), r(e), th(w), nm, spin]
                  for (c, s, e, w, nm, spin) in m['locks']],
        'pi': [],
        'calls': [],
    }
    # System calls: a thin bar per part of a call on a CPU (its span
    # cut to its LWP's runs), the call's text for hover.
    for (cpu, s, e, i) in m['callsegs']:
        lwp, enter, ex = m['calls'][i]
        data['calls'].append([cpu, r(s), r(e), th(lwp),
                              call_text(tr, enter, ex)[1], r(enter.tsc),
                              r(ex.tsc)])
    # Priority inheritance: turnstile blocks and wakes, priorities lent
    # and taken back, as marks on the CPU where they happened.
    for e in m['marks']:
        if e.type == TR_TSBLOCK:
            data['pi'].append([r(e.tsc), e.cpu, th(e.lwp), 'block',
                               th(e.v1), e.c, e.b])
        elif e.type == TR_TSWAKE:
            data['pi'].append([r(e.tsc), e.cpu, th(e.lwp), 'wake',
                               th(e.v2) if e.v2 else None, -1, -1])
        elif e.type == TR_LENDPRI:
            data['pi'].append([r(e.tsc), e.cpu, th(e.lwp), 'lend', None,
                               e.c, e.b])
    data['threads'] = threads
    data['procs'] = procs
    blob = json.dumps(data, separators=(',', ':')).replace('</', '<\\/')
    return template.replace('/*@DATA@*/null', blob)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('raw')
    ap.add_argument('-o', '--outdir')
    ap.add_argument('--syscalls', metavar='MASTER',
                    default=os.path.join(ROOT, 'kernel', 'syscalls.master'))
    args = ap.parse_args()
    out = args.outdir or os.path.dirname(os.path.abspath(args.raw))
    os.makedirs(out, exist_ok=True)
    tr = Trace(args.raw)
    tr.syscalls = syscall_table(args.syscalls)
    tr.errnos = errno_table(os.path.join(
        os.path.dirname(os.path.abspath(args.syscalls)), 'include', 'sys',
        'errno.h'))
    m = model(tr)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(out, 'trace.ftrace'), 'w') as f:
        f.write(ftrace(tr, m))
    with open(os.path.join(out, 'trace.json'), 'w') as f:
        json.dump(chrome(tr, m), f, separators=(',', ':'))
    tmpl = os.path.join(here, 'timeline.html')
    if os.path.exists(tmpl):
        with open(tmpl) as f:
            html = page(tr, m, f.read())
        with open(os.path.join(out, 'timeline.html'), 'w') as f:
            f.write(html)
    span = (tr.t1 - tr.t0) / tr.hz
    print('lwptrace: %d events on %d CPUs over %.3f ms%s: %d slices, '
          '%d wakeup arrows, %d migrations, %d lock waits%s -> %s' % (
              len(tr.events), tr.ncpu, span * 1e3,
              ' (rings wrapped: the span all CPUs cover)' if tr.wrapped
              else '', len(m['slices']), len(m['arrows']), len(m['migs']),
              len(m['locks']), ', %d system calls' % len(m['calls'])
              if m['calls'] else '', out))
    if not tr.complete:
        print('lwptrace: warning: the dump ends early (no end record)',
              file=sys.stderr)


if __name__ == '__main__':
    main()

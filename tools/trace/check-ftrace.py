#!/usr/bin/env python3
"""check-ftrace.py [--syscall on|off] FILE: is FILE ftrace text the
way Linux prints it?

Checks, and prints the first few failures of each:
  - the header: "# tracer: nop" first, "#P:N" (the CPU count) in it;
  - every other line parses under the ftrace line format,
        TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: BODY
    (task right-aligned in 16 columns, pid left-aligned in 7, CPU in 3
    digits, 5 flag characters, seconds with 6 decimals), and its body
    under the format Linux's event prints (sched_switch, sched_wakeup,
    sched_migrate_task, tracing_mark_write B|pid|name and E|pid,
    irq_handler_entry/exit, ipi_raise/entry/exit, sys_enter/exit); no
    other event;
  - timestamps never go back;
  - a sched_switch line's task is its prev_pid, and on each CPU one
    switch's next_pid is the next switch's prev_pid;
  - every CPU, 0 to N-1, has sched_switch lines;
  - an ipi_raise targets CPUs of the machine;
  - a sys_exit line follows a sys_enter of its task with the same NR
    and no other sys_enter of that task between (but before the task's
    first sys_enter: the call may have begun before the trace);
  - with --syscall on, there are sys_enter and sys_exit lines; with
    --syscall off (the syscall class was not asked for), there are
    none.
Last line: "check-ftrace: N lines, N sched_switch (cpu0 N, ...): ok" or
"... N failures"; exit status 0 or 1.
"""
import re
import sys

LINE = re.compile(r'^(?P<task>.{16})-(?P<pid>\d+) +\[(?P<cpu>\d{3})\] '
                  r'(?P<flags>[dX.][Nn.][Hhs.][0-9a-f.][0-9a-f.]) +'
                  r'(?P<sec>\d+)\.(?P<usec>\d{6}): (?P<event>\w+): '
                  r'(?P<body>.*)$')
BODY = {
    'sched_switch': re.compile(
        r'^prev_comm=(?P<pcomm>\S{1,15}) prev_pid=(?P<ppid>\d+) '
        r'prev_prio=\d+ prev_state=(R\+?|[SDTtXZPI]) ==> '
        r'next_comm=\S{1,15} next_pid=(?P<npid>\d+) next_prio=\d+$'),
    'sched_wakeup': re.compile(
        r'^comm=\S{1,15} pid=\d+ prio=\d+ target_cpu=\d{3}$'),
    'sched_migrate_task': re.compile(
        r'^comm=\S{1,15} pid=\d+ prio=\d+ orig_cpu=\d+ dest_cpu=\d+$'),
    'tracing_mark_write': re.compile(r'^(B\|\d+\|[^|]+|E\|\d+)$'),
    'irq_handler_entry': re.compile(r'^irq=\d+ name=\S+$'),
    'irq_handler_exit': re.compile(r'^irq=\d+ ret=(handled|unhandled)$'),
    'ipi_entry': re.compile(r'^\([A-Za-z ]+\)$'),
    'ipi_exit': re.compile(r'^\([A-Za-z ]+\)$'),
    'ipi_raise': re.compile(
        r'^target_mask=(?P<mask>[0-9a-f]{1,8}(,[0-9a-f]{8})*) '
        r'\([A-Za-z ]+\)$'),
    # raw_syscalls: "NR %ld (%lx, %lx, %lx, %lx, %lx, %lx)", "NR %ld = %ld"
    'sys_enter': re.compile(r'^NR (?P<nr>-?\d+) \((?:[0-9a-f]+, ){5}'
                            r'[0-9a-f]+\)$'),
    'sys_exit': re.compile(r'^NR (?P<nr>-?\d+) = -?\d+$'),
}


def main():
    args = sys.argv[1:]
    want_sys = None
    if len(args) == 3 and args[0] == '--syscall' and args[1] in ('on', 'off'):
        want_sys = args[1] == 'on'
        args = args[2:]
    if len(args) != 1:
        print('usage: check-ftrace.py [--syscall on|off] FILE',
              file=sys.stderr)
        return 2
    lines = open(args[0], encoding='ascii', errors='replace').read() \
        .split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    bad = []
    ncpu = None
    if not lines or lines[0] != '# tracer: nop':
        bad.append('line 1: not "# tracer: nop"')
    switches = {}
    last = {}
    prev_ts = -1
    n = 0
    incall = {}         # pid -> the NR of its sys_enter without an exit
    entered = set()     # pids with a sys_enter so far
    nsys = {'sys_enter': 0, 'sys_exit': 0}
    masks = []          # (line, ipi_raise's target mask)
    for i, ln in enumerate(lines, 1):
        if ln.startswith('#'):
            m = re.search(r'#P:(\d+)', ln)
            if m:
                ncpu = int(m.group(1))
            continue
        n += 1
        m = LINE.match(ln)
        if not m:
            bad.append('line %d: not the ftrace line format: %s' % (i, ln))
            continue
        ev, body = m.group('event'), m.group('body')
        if ev not in BODY:
            bad.append('line %d: unexpected event %s' % (i, ev))
            continue
        b = BODY[ev].match(body)
        if not b:
            bad.append('line %d: %s body not as Linux prints it: %s'
                       % (i, ev, body))
            continue
        ts = int(m.group('sec')) * 1000000 + int(m.group('usec'))
        if ts < prev_ts:
            bad.append('line %d: time goes back' % i)
        prev_ts = ts
        cpu = int(m.group('cpu'))
        if ev == 'sched_switch':
            switches[cpu] = switches.get(cpu, 0) + 1
            if b.group('ppid') != m.group('pid'):
                bad.append('line %d: task pid %s is not prev_pid %s'
                           % (i, m.group('pid'), b.group('ppid')))
            if cpu in last and last[cpu] != b.group('ppid'):
                bad.append('line %d: cpu%d switches away from %s, but %s '
                           'was switched to there last' % (
                               i, cpu, b.group('ppid'), last[cpu]))
            last[cpu] = b.group('npid')
        elif ev == 'ipi_raise':
            masks.append((i, int(b.group('mask').replace(',', ''), 16)))
        elif ev in nsys:
            nsys[ev] += 1
            pid, nr = m.group('pid'), b.group('nr')
            if ev == 'sys_enter':
                entered.add(pid)
                incall[pid] = nr
            elif incall.get(pid) == nr:
                del incall[pid]
            elif pid in entered:
                bad.append('line %d: sys_exit NR %s of %s, which is in %s'
                           % (i, nr, pid, 'NR ' + incall[pid]
                              if pid in incall else 'no call'))
    if ncpu is None:
        bad.append('no "#P:N" in the header')
        ncpu = 0
    for c in range(ncpu):
        if not switches.get(c):
            bad.append('cpu%d has no sched_switch line' % c)
    for i, mask in masks:
        if mask == 0 or mask >> ncpu:
            bad.append('line %d: ipi_raise to CPUs %#x, of %d' % (i, mask,
                                                                 ncpu))
    if want_sys and not (nsys['sys_enter'] and nsys['sys_exit']):
        bad.append('the syscall class was on, but there are %d sys_enter '
                   'and %d sys_exit lines' % (nsys['sys_enter'],
                                              nsys['sys_exit']))
    if want_sys is False and (nsys['sys_enter'] or nsys['sys_exit']):
        bad.append('the syscall class was off, but there are %d sys_enter '
                   'and %d sys_exit lines' % (nsys['sys_enter'],
                                              nsys['sys_exit']))
    shown = {}
    for x in bad:
        k = x.split(':', 1)[-1][:30]
        shown[k] = shown.get(k, 0) + 1
        if shown[k] <= 5:
            print('check-ftrace: ' + x)
    print('check-ftrace: %d lines, %d sched_switch (%s), %d sys_enter, '
          '%d sys_exit, %d ipi_raise: %s' % (
        n, sum(switches.values()),
        ', '.join('cpu%d %d' % (c, switches.get(c, 0))
                  for c in range(ncpu)), nsys['sys_enter'],
        nsys['sys_exit'], len(masks),
        'ok' if not bad else '%d failures' % len(bad)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
"""check-json.py [--syscall on|off] FILE [FTRACE]: is FILE Chrome
trace-event JSON as lwptrace.py means it?

  - it loads as JSON, {"traceEvents": [...]}, every event with a known
    "ph" and the fields that phase needs (ts >= 0, dur >= 0 for X);
  - the CPUs' process has one thread ("CPU n") per CPU, and each CPU
    track has run slices (X, cat "run") that never overlap;
  - every wakeup flow has a start ("s") and a finish ("f", "bp": "e")
    with the same id, the finish no earlier than the start;
  - with FTRACE (the trace.ftrace of the same run): one run slice per
    sched_switch to a non-idle LWP, plus one per CPU whose first switch
    is away from a non-idle one; one migration per sched_migrate_task;
    one system-call slice (X, cat "syscall") per sys_exit that ends a
    sys_enter of its task;
  - system-call slices are on LWP tracks (not the CPUs'), never overlap
    on one, and are named as kernel/syscalls.master names their NR;
  - with --syscall on there are system-call slices; with --syscall off
    there are none.
Last line "check-json: ...: ok" or "... N failures"; exit 0 or 1.
"""
import json
import os
import re
import sys

PHASES = {'M', 'X', 'i', 's', 'f'}
MASTER = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..',
                      'kernel', 'syscalls.master')


def syscall_names():
    """{number: name} from kernel/syscalls.master."""
    names = {}
    for ln in open(MASTER):
        f = ln.split('\t')
        if not ln.startswith(';') and len(f) == 5 and f[0].isdigit():
            names[int(f[0])] = f[1]
    return names


def main():
    argv = sys.argv[1:]
    want_sys = None
    if len(argv) >= 2 and argv[0] == '--syscall' and argv[1] in ('on', 'off'):
        want_sys = argv[1] == 'on'
        argv = argv[2:]
    if len(argv) not in (1, 2):
        print('usage: check-json.py [--syscall on|off] FILE [FTRACE]',
              file=sys.stderr)
        return 2
    bad = []
    names = syscall_names()
    calls = {}          # (pid, tid) -> [(ts, end)]
    d = json.load(open(argv[0]))
    ev = d.get('traceEvents') if isinstance(d, dict) else None
    if not isinstance(ev, list):
        print('check-json: no traceEvents list')
        return 1
    cpu_pid = None
    cpus = {}
    runs = {}
    flows = {}
    migs = 0
    for i, e in enumerate(ev):
        ph = e.get('ph')
        if ph not in PHASES:
            bad.append('event %d: phase %r' % (i, ph))
            continue
        if ph == 'M':
            if e.get('name') == 'process_name' and \
                    e['args'].get('name') == 'CPUs':
                cpu_pid = e['pid']
            if e.get('name') == 'thread_name' and \
                    str(e['args'].get('name', '')).startswith('CPU '):
                cpus[e['tid']] = e['args']['name']
            continue
        if not isinstance(e.get('ts'), (int, float)) or e['ts'] < 0 or \
                'pid' not in e or 'tid' not in e:
            bad.append('event %d: no ts, pid or tid' % i)
            continue
        if ph == 'X':
            if not isinstance(e.get('dur'), (int, float)) or e['dur'] < 0:
                bad.append('event %d: X without dur' % i)
            elif e.get('cat') == 'run':
                runs.setdefault((e['pid'], e['tid']), []).append(
                    (e['ts'], e['ts'] + e['dur']))
            elif e.get('cat') == 'syscall':
                calls.setdefault((e['pid'], e['tid']), []).append(
                    (e['ts'], e['ts'] + e['dur']))
                nr = e.get('args', {}).get('nr')
                if names.get(nr, 'syscall %s' % nr) != e.get('name'):
                    bad.append('event %d: system call %s named %r, '
                               'syscalls.master: %r' % (
                                   i, nr, e.get('name'), names.get(nr)))
        elif ph in 's f':
            flows.setdefault(e.get('id'), {})[ph] = e
            if ph == 'f' and e.get('bp') != 'e':
                bad.append('event %d: flow finish without "bp": "e"' % i)
        elif e.get('cat') == 'migrate':
            migs += 1
    if cpu_pid is None:
        bad.append('no "CPUs" process')
    ncpu = len(cpus)
    if ncpu == 0:
        bad.append('no CPU tracks')
    nrun = 0
    for c in range(ncpu):
        sl = sorted(runs.get((cpu_pid, c), []))
        nrun += len(sl)
        if not sl:
            bad.append('cpu%d: no run slices' % c)
        for (s0, e0), (s1, _) in zip(sl, sl[1:]):
            if s1 < e0 - 1e-3:
                bad.append('cpu%d: slices overlap at %.3f us' % (c, s1))
                break
    nsys = sum(len(v) for v in calls.values())
    for (pid, tid), sl in calls.items():
        if pid == cpu_pid:
            bad.append('system-call slices on CPU %s\'s track' % tid)
        sl.sort()
        for (s0, e0), (s1, _) in zip(sl, sl[1:]):
            if s1 < e0 - 1e-3:
                bad.append('LWP %s: system calls overlap at %.3f us'
                           % (tid, s1))
                break
    if want_sys and nsys == 0:
        bad.append('the syscall class was on, but there are no '
                   'system-call slices')
    if want_sys is False and nsys:
        bad.append('the syscall class was off, but there are %d '
                   'system-call slices' % nsys)
    for fid, pair in flows.items():
        if set(pair) != {'s', 'f'}:
            bad.append('flow %s: only %s' % (fid, ''.join(pair)))
        elif pair['f']['ts'] < pair['s']['ts']:
            bad.append('flow %s: finishes before it starts' % fid)
    if len(argv) == 2:
        want_runs, want_migs, first = 0, 0, {}
        returned, incall = 0, {}
        sw = re.compile(r'\[(\d{3})\].* sched_switch: .*prev_pid=(\d+) .*'
                        r'next_pid=(\d+) ')
        sc = re.compile(r'-(\d+) +\[\d{3}\] .* (sys_enter|sys_exit): '
                        r'NR (-?\d+) ')
        for ln in open(argv[1]):
            m = sc.search(ln)
            if m and m.group(2) == 'sys_enter':
                incall[m.group(1)] = m.group(3)
            elif m and incall.get(m.group(1)) == m.group(3):
                del incall[m.group(1)]
                returned += 1
            m = sw.search(ln)
            if m:
                cpu = int(m.group(1))
                if cpu not in first:
                    first[cpu] = m.group(2)
                    want_runs += m.group(2) != '0'
                want_runs += m.group(3) != '0'
            elif 'sched_migrate_task:' in ln:
                want_migs += 1
        if want_runs != nrun:
            bad.append('%d run slices, but trace.ftrace switches to '
                       'non-idle LWPs %d times' % (nrun, want_runs))
        if want_migs != migs:
            bad.append('%d migrations, trace.ftrace has %d'
                       % (migs, want_migs))
        if returned != nsys:
            bad.append('%d system-call slices, trace.ftrace has %d calls '
                       'that return' % (nsys, returned))
    for x in bad[:10]:
        print('check-json: ' + x)
    print('check-json: %d events, %d CPU tracks, %d run slices, %d wakeup '
          'flows, %d migrations, %d system calls: %s' % (
              len(ev), ncpu, nrun, len(flows), migs, nsys,
              'ok' if not bad else '%d failures' % len(bad)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())

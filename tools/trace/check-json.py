#!/usr/bin/env python3
"""check-json.py FILE [FTRACE]: is FILE Chrome trace-event JSON as
lwptrace.py means it?

  - it loads as JSON, {"traceEvents": [...]}, every event with a known
    "ph" and the fields that phase needs (ts >= 0, dur >= 0 for X);
  - the CPUs' process has one thread ("CPU n") per CPU, and each CPU
    track has run slices (X, cat "run") that never overlap;
  - every wakeup flow has a start ("s") and a finish ("f", "bp": "e")
    with the same id, the finish no earlier than the start;
  - with FTRACE (the trace.ftrace of the same run): one run slice per
    sched_switch to a non-idle LWP, plus one per CPU whose first switch
    is away from a non-idle one; one migration per sched_migrate_task.
Last line "check-json: ...: ok" or "... N failures"; exit 0 or 1.
"""
import json
import re
import sys

PHASES = {'M', 'X', 'i', 's', 'f'}


def main():
    if len(sys.argv) not in (2, 3):
        print('usage: check-json.py FILE [FTRACE]', file=sys.stderr)
        return 2
    bad = []
    d = json.load(open(sys.argv[1]))
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
    for fid, pair in flows.items():
        if set(pair) != {'s', 'f'}:
            bad.append('flow %s: only %s' % (fid, ''.join(pair)))
        elif pair['f']['ts'] < pair['s']['ts']:
            bad.append('flow %s: finishes before it starts' % fid)
    if len(sys.argv) == 3:
        want_runs, want_migs, first = 0, 0, {}
        sw = re.compile(r'\[(\d{3})\].* sched_switch: .*prev_pid=(\d+) .*'
                        r'next_pid=(\d+) ')
        for ln in open(sys.argv[2]):
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
    for x in bad[:10]:
        print('check-json: ' + x)
    print('check-json: %d events, %d CPU tracks, %d run slices, %d wakeup '
          'flows, %d migrations: %s' % (
              len(ev), ncpu, nrun, len(flows), migs,
              'ok' if not bad else '%d failures' % len(bad)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())

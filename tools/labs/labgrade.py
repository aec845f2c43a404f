"""tools/labs/labgrade.py: the grader behind tools/lab (make grade).

A lab's tests run over its matrix: each cell (firmware/CPUs) times each
jitter seed.  The in-kernel tests of one cell and seed run in one boot
(`ktest=a,b,... jitter=SEED`), the ATF cases in another (`run=/tests/
run,prog,...`).  A test's score is its points times the fraction of its
cells it passed; a skip is not a pass.

A crash or a hang costs only the test that was running: the grader
reads what the boot reported, counts the test that was running when the
kernel panicked (or hung: the boot is stopped after its time, with an
NMI first so that every CPU's backtrace and the LWP table are in the
log) as failed with that output, and boots again for the tests that did
not run.  A boot that dies before any test ran fails every test left,
saying why (a stub of a lab the boot path needs, say).

Verdicts depend on guest behaviour only: time limits are in guest time
(the kernel's ktest watchdog, ATF's per-case limits); the wall-clock
limit on a boot is a backstop, generous, never a verdict by itself
(reported as a hang with the NMI dump).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from labspec import load_labs, LabError

LABDIR = os.path.dirname(os.path.abspath(__file__))

RE_KT = re.compile(r'^ktest: (\w+): (ok|FAIL|skipped)\b(.*)$')
RE_KT_SUM = re.compile(r'^ktest: \d+ passed, \d+ failed')
RE_ATF = re.compile(r'^(ok|not ok|skipped) - ([\w.-]+): ([\w.-]+)(.*)$')
RE_UT_SUM = re.compile(r'^utest: \d+ programs')
RE_RUN_PROG = re.compile(r'^(ok|not ok) - run: ([\w.-]+)(.*)$')


def say(*a):
    print(*a, flush=True)


def cellname(fw, smp):
    return '%s/%d' % (fw, smp)


# ---- building -----------------------------------------------------------------

def build(top, extra=(), quiet=True):
    """make the ISO in top; (ok, output)."""
    cmd = ['make', '-s', '--no-print-directory', '-C', top, '-j2', 'iso'] + \
        list(extra)
    r = subprocess.run(cmd, capture_output=True, text=True)
    out = (r.stdout + r.stderr).strip()
    return r.returncode == 0, out


def ktest_order(top, build_dir='build'):
    """The in-kernel tests in the order the kernel runs them: the early
    ones (KTEST_F_EARLY) first, each group in the order of the `ktests`
    section (struct ktest: name, func, then int flags at offset 16)."""
    elf = os.path.join(top, build_dir, 'kernel.elf')
    objdump = shutil.which('objdump') or 'objdump'
    r = subprocess.run([objdump, '-t', '-j', 'ktests', elf],
                       capture_output=True, text=True)
    syms = []
    for ln in r.stdout.split('\n'):
        f = ln.split()
        if len(f) >= 2 and f[-1].startswith('ktest_') and \
                not f[-1].startswith('ktest_fn_'):
            try:
                syms.append((int(f[0], 16), f[-1][len('ktest_'):]))
            except ValueError:
                pass
    flags = {}
    try:
        h = subprocess.run([objdump, '-h', '-j', 'ktests', elf],
                           capture_output=True, text=True).stdout
        vma = next(int(x.split()[3], 16) for x in h.split('\n')
                   if len(x.split()) > 3 and x.split()[1] == 'ktests')
        with tempfile.NamedTemporaryFile() as tf:
            subprocess.run([shutil.which('objcopy') or 'objcopy', '-O',
                            'binary', '--only-section=ktests', elf, tf.name],
                           check=True, capture_output=True)
            data = open(tf.name, 'rb').read()
        for addr, name in syms:
            off = addr - vma + 16
            flags[name] = int.from_bytes(data[off:off + 4], 'little')
    except (StopIteration, OSError, subprocess.CalledProcessError,
            ValueError, IndexError):
        pass
    early = [n for _, n in sorted(syms) if flags.get(n, 0) & 0x4]
    late = [n for _, n in sorted(syms) if not flags.get(n, 0) & 0x4]
    return early + late


# ---- one boot -------------------------------------------------------------------

class Unit:
    """The tests of one kind that one cell and seed runs in one boot."""

    def __init__(self, fw, smp, seed, kind):
        self.fw, self.smp, self.seed, self.kind = fw, smp, seed, kind
        self.tests = []             # names, in the order given

    def key(self):
        return (self.fw, self.smp, self.seed, self.kind)

    def label(self):
        return '%s seed %d' % (cellname(self.fw, self.smp), self.seed)


def boot(top, unit, names, timeout, logpath, icount=False, extra_cmd='',
         stop_at_fail=False):
    """Boot once for `names` (ktest names, or ATF programs); returns
    (exit status, log text)."""
    if unit.kind == 'ktest':
        cmd = 'ktest=%s ktest_timeout=%d' % (','.join(names), timeout)
    else:
        cmd = 'run=/tests/run,%s' % ','.join(names)
    if unit.seed:
        cmd += ' jitter=%d' % unit.seed
    if extra_cmd:
        cmd += ' ' + extra_cmd
    env = dict(os.environ, FW=unit.fw, SMP=str(unit.smp), CMDLINE=cmd)
    env.pop('QEMU_EXTRA', None)
    # A cell boots the ISO under its firmware, whatever make qemu's
    # BOOT= (tools/qemu-run) the environment has.
    for k in ('BOOT', 'KERNEL', 'INITRD'):
        env.pop(k, None)
    if icount:
        env['QEMU_EXTRA'] = '-icount shift=0,sleep=off'
    # The wall-clock backstop: the guest's own limits come first.
    per = timeout if unit.kind == 'ktest' else timeout * 4
    wall = min(60 + per * max(1, len(names)), 1800)
    if unit.fw == 'uefi':
        wall += 60
    proc = subprocess.Popen([os.path.join(top, 'tools', 'qemu-run'),
                             '--log', logpath, '--timeout', str(wall),
                             '--hang-report',
                             os.path.join(top, 'build', 'os.iso')],
                            cwd=top, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    # With stop_at_fail (mutants: one failure is all we need), stop the
    # boot at the first failure line.
    while proc.poll() is None:
        time.sleep(0.5)
        if stop_at_fail and RE_ANY_FAIL.search(read_log(logpath)):
            time.sleep(1)           # the rest of the failure's lines
            try:
                os.killpg(proc.pid, 15)
            except OSError:
                pass
            proc.wait()
            break
    return proc.returncode, read_log(logpath), cmd


RE_ANY_FAIL = re.compile(r'^(not ok - |ktest: \w+: FAIL|panic:)', re.M)


def read_log(path):
    try:
        with open(path, errors='replace') as f:
            return f.read()
    except OSError:
        return ''


def panic_excerpt(lines, start):
    out = []
    for ln in lines[start:start + 40]:
        out.append(ln)
    return '\n'.join(out)


def parse_ktest_boot(lines, wanted):
    """{name: (verdict, output)} for the tests the log reports, and the
    line index where the boot died (panic/hang report), or None."""
    res, died = {}, None
    cur_fail = {}
    for i, ln in enumerate(lines):
        m = RE_KT.match(ln)
        if m and m.group(1) in wanted:
            name, what, rest = m.groups()
            if what == 'ok':
                res.setdefault(name, ('pass', ln))
            elif what == 'skipped':
                res[name] = ('skip', ln)
            elif 'it panicked' in rest and died is not None:
                # The panic's message first, then its dump.
                res[name] = ('fail', panic_excerpt(lines, died))
            else:
                cur_fail.setdefault(name, []).append(ln)
                res[name] = ('fail', '\n'.join(cur_fail[name]))
        elif died is None and (ln.startswith('panic:') or
                               ln.startswith('trap:') or
                               ln.startswith('qemu-run: hang')):
            died = i
    return res, died


def parse_atf_boot(lines, progs_cases):
    """{PROG:CASE: (verdict, output)} and the index where the boot died."""
    res, died = {}, None
    for i, ln in enumerate(lines):
        m = RE_ATF.match(ln)
        if m and m.group(2) != 'run':
            ok, prog, case, rest = m.groups()
            name = '%s:%s' % (prog, case)
            res[name] = ({'ok': 'pass', 'skipped': 'skip'}.get(ok, 'fail'),
                         ln)
        elif died is None and (ln.startswith('panic:') or
                               ln.startswith('qemu-run: hang')):
            died = i
    return res, died


def run_unit(top, unit, timeout, logdir, icount=False, order=None,
             first_fail=False):
    """Run every test of the unit, booting again after a crash; returns
    {name: (verdict, output, reproduce-cmdline)}."""
    results = {}
    todo = list(unit.tests)
    if unit.kind == 'ktest' and order:
        pos = {n: i for i, n in enumerate(order)}
        todo.sort(key=lambda n: pos.get(n, len(pos)))
    attempt = 0
    while todo:
        attempt += 1
        log = os.path.join(logdir, '%s-%d-s%d-%s-%d.log' % (
            unit.fw, unit.smp, unit.seed, unit.kind, attempt))
        if unit.kind == 'ktest':
            names = todo
        else:
            names = []
            for t in todo:
                p = t.split(':', 1)[0]
                if p not in names:
                    names.append(p)
        rc, text, cmd = boot(top, unit, names, timeout, log, icount,
                             stop_at_fail=first_fail)
        lines = text.split('\n')
        if unit.kind == 'ktest':
            got, died = parse_ktest_boot(lines, set(todo))
            done = RE_KT_SUM.search(text, re.M) is not None and rc in (0, 1)
            done = any(RE_KT_SUM.match(x) for x in lines)
        else:
            got, died = parse_atf_boot(lines, set(todo))
            done = any(RE_UT_SUM.match(x) for x in lines)
        for name, (v, out) in got.items():
            if name in todo:
                results[name] = (v, out, cmd)
        left = [t for t in todo if t not in results]
        if not left:
            break
        if done and died is None:
            # The boot ended normally but did not report them.
            for t in left:
                results[t] = ('fail', 'not reported by the boot (no such '
                              'test in this kernel?)\n' + tail(lines), cmd)
            break
        why = explain_death(rc, lines, died, log)
        # Did the kernel name the test it died in (ktest_panic_note)?
        named = any('it panicked' in ln for ln in lines)
        if unit.kind == 'ktest':
            # Died outside every test: at boot, before the late tests
            # started (their "ktest: running" line), and no test named.
            started = next((i for i, ln in enumerate(lines)
                            if ln.startswith("ktest: running '")), None)
            outside = not named and (started is None or
                                     (died is not None and died < started))
        else:
            outside = not got
        if outside:
            for t in left:
                results[t] = ('fail', 'did not run: ' + why, cmd)
            break
        # The one that was running when it died fails (the kernel named
        # it; else the first not reported, in the kernel's order); the
        # rest go on.
        victim = []
        if unit.kind == 'ktest':
            if not named:
                victim = [left[0]]
        else:
            prog = first_unreported_prog(lines, left)
            victim = [t for t in left if t.split(':', 1)[0] == prog]
        for t in victim:
            results[t] = ('fail', 'the boot died while it ran: ' + why, cmd)
        todo = [t for t in left if t not in victim]
        if first_fail:
            break
    return results


def first_unreported_prog(lines, left):
    """The ATF program that was running when the boot died: the last one
    that printed a case, else the first left."""
    last = None
    for ln in lines:
        m = RE_ATF.match(ln)
        if m and m.group(2) != 'run':
            last = m.group(2)
    progs = [t.split(':', 1)[0] for t in left]
    if last in progs:
        return last
    return progs[0]


def tail(lines, n=25):
    return '\n'.join(x for x in lines[-n:])


def explain_death(rc, lines, died, log):
    """One line saying why the boot died, then the evidence."""
    if died is not None:
        text = panic_excerpt(lines, died)
    else:
        text = tail(lines)
    if rc == 124:
        head = 'the boot hung (stopped after its time; every CPU\'s ' \
               'backtrace and the LWP table follow, if the kernel could ' \
               'print them)'
    elif rc == 2:
        head = 'QEMU stopped without a verdict (triple fault or reset)'
    elif died is not None:
        head = 'the kernel panicked: ' + lines[died].strip()
    else:
        head = 'the boot ended early (exit status %d)' % rc
    return '%s\n(log: %s)\n%s' % (head, log, text)


# ---- grading ----------------------------------------------------------------------

def test_matches(name, pattern):
    """TEST= names one test, or a user test program's cases: t_sleep
    is every t_sleep:case."""
    return name == pattern or name.startswith(pattern + ':')


def plan(labs, only_test=None, only_seed=None, only_cell=None, quick=False):
    """{unit key: Unit} for the labs' tests."""
    units = {}
    for lab in labs:
        for t in lab.tests:
            if only_test and not test_matches(t.name, only_test):
                continue
            cells = t.cells
            seeds = t.seeds
            if quick:
                cells, seeds = cells[:1], seeds[:1]
            if only_cell:
                cells = [c for c in cells if c == only_cell] or [only_cell]
            if only_seed is not None:
                seeds = [only_seed]
            for fw, smp in cells:
                for seed in seeds:
                    k = (fw, smp, seed, t.kind)
                    u = units.setdefault(k, Unit(fw, smp, seed, t.kind))
                    if t.name not in u.tests:
                        u.tests.append(t.name)
    return units


def grade(top, labs, jobs=2, only_test=None, only_seed=None, only_cell=None,
          quick=False, first_fail=False, icount=False, logdir=None,
          verbose=True):
    """Run the labs' tests; {(lab, test): [(unit, verdict, out, cmd)]}."""
    units = plan(labs, only_test, only_seed, only_cell, quick)
    if only_test and not units:
        raise LabError('no test %r in lab %s (tools/lab info %s lists '
                       'them; a program\'s name, as t_sleep, runs all its '
                       'cases)' % (only_test, ' '.join(l.name for l in labs),
                                   labs[0].name))
    order = ktest_order(top)
    logdir = logdir or os.path.join(top, 'build', 'grade', 'logs')
    os.makedirs(logdir, exist_ok=True)
    timeout = max(l.timeout for l in labs)
    if verbose:
        say('grade: %d boot%s (%s)' % (len(units), '' if len(units) == 1
                                       else 's', ', '.join(
            '%s %s' % (u.label(), u.kind) for u in units.values())))
    t0 = time.time()

    def one(u):
        r = run_unit(top, u, timeout, logdir, icount, order, first_fail)
        if verbose:
            bad = sum(1 for v in r.values() if v[0] != 'pass')
            say('grade: %-22s %-5s %3d tests, %d not passed (at %.0f s)' % (
                u.label(), u.kind, len(r), bad, time.time() - t0))
        return u, r
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        done = list(ex.map(one, list(units.values())))
    out = {}
    for lab in labs:
        for t in lab.tests:
            out[(lab.name, t.name)] = []
    for u, r in done:
        for name, (v, o, cmd) in r.items():
            for lab in labs:
                if (lab.name, name) in out:
                    out[(lab.name, name)].append((u, v, o, cmd))
    return out


def reproduce(lab, test, unit):
    return 'make grade LAB=%s TEST=%s CELL=%s SEED=%d' % (
        lab, test, cellname(unit.fw, unit.smp), unit.seed)


def score(labs, res, out=sys.stdout, verbose=True):
    """Print the scores; {lab: (score, max, tests-json)}."""
    total = {}
    for lab in labs:
        rows, got, tests_json = [], 0.0, []
        for t in lab.tests:
            cells = res.get((lab.name, t.name), [])
            if not cells:
                continue
            npass = sum(1 for c in cells if c[1] == 'pass')
            s = round(t.points * npass / len(cells), 2)
            got += s
            fails = [c for c in cells if c[1] != 'pass']
            text = ['%d of %d cells passed' % (npass, len(cells))]
            for u, v, o, cmd in sorted(fails, key=lambda c: c[0].key()):
                text.append('--- %s: %s' % (u.label(), 'skipped (a skip is '
                            'not a pass)' if v == 'skip' else 'FAILED'))
                text.append(o.rstrip())
                text.append('reproduce: ' + reproduce(lab.name, t.name, u))
            tests_json.append({'name': '%s: %s' % (lab.name, t.name),
                               'score': s, 'max_score': t.points,
                               'output': '\n'.join(text)})
            rows.append((t, s, npass, len(cells), fails))
        mx = sum(t.points for t, *_ in rows)
        if verbose:
            print('lab %s: %s' % (lab.name, lab.title), file=out)
            for t, s, npass, n, fails in rows:
                mark = 'ok  ' if npass == n else 'FAIL'
                print('  %s %-50s %6.2f/%-4g %d/%d cells' % (
                    mark, t.name, s, t.points, npass, n), file=out)
                for u, v, o, cmd in sorted(fails, key=lambda c: c[0].key())[:3]:
                    first = o.strip().split('\n')[0]
                    if len(first) > 300:
                        first = first[:300].rsplit(' ', 1)[0] + \
                            ' ... (the rest: results.json)'
                    print('       %s: %s' % (u.label(), first), file=out)
                    print('       reproduce: %s' % reproduce(lab.name, t.name,
                                                            u), file=out)
            print('score: %g/%g' % (round(got, 2), mx), file=out)
        total[lab.name] = (round(got, 2), mx, tests_json)
    return total


def write_json(path, sc, tests_json, extra_output=''):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    doc = {'score': sc, 'tests': tests_json}
    if extra_output:
        doc['output'] = extra_output
    with open(path, 'w') as f:
        json.dump(doc, f, indent=1)
        f.write('\n')


# ---- commands -------------------------------------------------------------------

def opt(args, name, conv=str):
    if name in args:
        i = args.index(name)
        if i + 1 >= len(args):
            raise LabError('%s needs a value' % name)
        v = args[i + 1]
        del args[i:i + 2]
        return conv(v)
    return None


def main_run(top, args):
    """tools/lab run NAME[,NAME] [--test T] [--seed S] [--cell C] ..."""
    args = list(args)
    only_test = opt(args, '--test')
    only_seed = opt(args, '--seed', int)
    cell = opt(args, '--cell')
    jpath = opt(args, '--json')
    jobs = opt(args, '--jobs', int) or int(os.environ.get('JOBS', '2'))
    first_fail = '--first-fail' in args
    quick = '--quick' in args
    nobuild = '--no-build' in args
    args = [a for a in args if not a.startswith('--')]
    if len(args) != 1:
        raise LabError('usage: tools/lab run NAME [--test T] [--seed S] '
                       '[--cell FW/CPUS] [--json FILE]')
    all_labs = load_labs(LABDIR)
    names = [n for n in args[0].split(',') if n]
    for n in names:
        if n not in all_labs:
            raise LabError('no lab %r (the labs: %s)' % (
                n, ' '.join(all_labs)))
    labs = [all_labs[n] for n in names]
    only_cell = None
    if cell:
        from labspec import parse_cell
        only_cell = parse_cell(cell, 'CELL')
    if not nobuild:
        say('grade: building')
        ok, out = build(top)
        if not ok:
            say(out[-3000:])
            say('grade: the tree does not build; every test fails')
            for lab in labs:
                write_json(jpath or os.path.join(top, 'build', 'grade',
                                                 lab.name, 'results.json'),
                           0, [], 'the tree does not build:\n' + out[-3000:])
                say('score: 0/%g' % lab.points)
            return 1
    res = grade(top, labs, jobs, only_test, only_seed, only_cell, quick,
                first_fail)
    sc = score(labs, res)
    for lab in labs:
        s, mx, tj = sc[lab.name]
        write_json(jpath if jpath and len(labs) == 1 else os.path.join(
            top, 'build', 'grade', lab.name, 'results.json'), s, tj)
    return 0 if all(s == mx for s, mx, _ in sc.values()) else 1


def copy_tree(src, dst, with_build=True):
    """Copy a tree (sources keep their times, so a copied build/ is up to
    date) for a mutant or a skeleton: without .git, and without the
    build outputs a grade does not need."""
    skip_build = {'test-logs', 'grade', 'clang', 'nodiag', 'run-user'}

    def ignore(d, names):
        rel = os.path.relpath(d, src)
        if rel == '.':
            return {'.git'} | ({'build'} if not with_build else set())
        if rel == 'build' or os.path.basename(src) == 'build' and rel == '.':
            return skip_build & set(names)
        return set()
    shutil.copytree(src, dst, symlinks=True, ignore=ignore)


def main_official(top, name, student, args, write_tree):
    """tools/lab grade NAME STUDENT_DIR: the lab's graded files from the
    student's tree, in a fresh student tree of the reference."""
    labs = load_labs(LABDIR)
    if name not in labs:
        raise LabError('no lab %r (tools/lab list)' % name)
    lab = labs[name]
    if not os.path.isdir(student):
        raise LabError('%s: no such directory' % student)
    missing = [f for f in lab.files
               if not os.path.isfile(os.path.join(student, f))]
    jpath = os.path.join(top, 'build', 'grade', name, 'results.json')
    if missing:
        msg = ('%s is not a lab tree: it has no %s (lab %s grades %s)' %
               (student, ', '.join(missing), name, ' '.join(lab.files)))
        say('grade: ' + msg)
        write_json(jpath, 0, [], msg)
        say('score: 0/%g' % lab.points)
        return 1
    work = tempfile.mkdtemp(prefix='lab-grade-%s.' % name)
    try:
        tree = os.path.join(work, 'tree')
        write_tree(name, tree, top, git=False, quiet=True)
        for f in lab.files:
            shutil.copyfile(os.path.join(student, f), os.path.join(tree, f))
        # A copy of our build/ makes the build incremental.
        if os.path.isdir(os.path.join(top, 'build', 'obj')):
            copy_tree(os.path.join(top, 'build'), os.path.join(tree, 'build'))
        say('grade: lab %s: %s from %s, in a fresh reference tree' % (
            name, ' '.join(lab.files), student))
        ok, out = build(tree)
        if not ok:
            errs = [x for x in out.split('\n') if 'error' in x][:15]
            msg = ('the graded files (%s) do not build in the reference tree:'
                   ' do their functions still have the interfaces the '
                   'handout gives?\n%s' % (' '.join(lab.files),
                                           '\n'.join(errs) or out[-2000:]))
            say('grade: ' + msg)
            write_json(jpath, 0, [{'name': '%s: %s' % (name, t.name),
                                   'score': 0, 'max_score': t.points,
                                   'output': 'not run: the build failed'}
                                  for t in lab.tests], msg)
            say('score: 0/%g' % lab.points)
            return 1
        res = grade(tree, [lab], logdir=os.path.join(top, 'build', 'grade',
                                                     name, 'logs'))
        sc = score([lab], res)
        s, mx, tj = sc[name]
        write_json(jpath, s, tj)
        say('grade: wrote %s' % os.path.relpath(jpath, top))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def apply_patch(tree, patch):
    r = subprocess.run(['patch', '-s', '-p1', '-d', tree, '-i', patch],
                       capture_output=True, text=True)
    return r.returncode == 0, (r.stdout + r.stderr).strip()


def run_mutant(top, lab, m, work):
    """(caught-by test or None, note)."""
    tree = os.path.join(work, m.name)
    copy_tree(top, tree)
    ok, out = apply_patch(tree, m.patch)
    if not ok:
        return None, 'the patch does not apply: ' + out
    ok, out = build(tree)
    if not ok:
        return None, 'the mutant does not build:\n' + out[-1500:]
    units = {}
    for t in lab.tests:
        for fw, smp in m.cells:
            for seed in m.seeds:
                if (fw, smp) not in t.cells:
                    continue
                u = units.setdefault((fw, smp, seed, t.kind),
                                     Unit(fw, smp, seed, t.kind))
                u.tests.append(t.name)
    order = ktest_order(tree)
    logdir = os.path.join(work, m.name + '-logs')
    os.makedirs(logdir, exist_ok=True)
    for u in units.values():
        r = run_unit(tree, u, lab.timeout, logdir, order=order,
                     first_fail=True)
        failed = [n for n, v in r.items() if v[0] != 'pass']
        if failed:
            return failed[0], r[failed[0]][1].strip().split('\n')[0][:120]
    return None, 'every test passed'


def main_mutants(top, args, jobs=2, verdict=None):
    """Every mutant of the labs named (all: none named) must fail some
    test of its lab.  `verdict(ok, what)`, if given, is told of each."""
    labs = load_labs(LABDIR)
    names = args or list(labs)
    todo = []
    for n in names:
        if n not in labs:
            raise LabError('no lab %r' % n)
        for m in labs[n].mutants:
            todo.append((labs[n], m))
    if not todo:
        say('mutants: none')
        return 0
    ok, out = build(top)
    if not ok:
        say(out[-2000:])
        return 1
    work = tempfile.mkdtemp(prefix='lab-mutants.')
    nbad = 0
    try:
        def one(lm):
            lab, m = lm
            t0 = time.time()
            caught, note = run_mutant(top, lab, m, work)
            shutil.rmtree(os.path.join(work, m.name), ignore_errors=True)
            return lab, m, caught, note, time.time() - t0
        with ThreadPoolExecutor(max_workers=jobs) as ex:
            for lab, m, caught, note, dt in ex.map(one, todo):
                if caught:
                    what = 'mutant %s/%s caught by %s (%.0f s): %s' % (
                        lab.name, m.name, caught, dt, note)
                else:
                    nbad += 1
                    what = 'mutant %s/%s NOT caught (%s): %s' % (
                        lab.name, m.name, m.descr, note)
                if verdict is not None:
                    verdict(caught is not None, what)
                else:
                    say('%s %s' % ('PASS' if caught else 'FAIL', what))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if verdict is None:
        say('mutants: %d passed, %d failed' % (len(todo) - nbad, nbad))
    return 0 if nbad == 0 else 1


def main_proof(top, args, write_tree, check):
    """What `make test` proves for every lab; one PASS/FAIL line each,
    then `lab proof: N passed, N failed`."""
    labs = load_labs(LABDIR)
    npass = nfail = 0
    t0 = time.time()

    def verdict(ok, what):
        nonlocal npass, nfail
        if ok:
            npass += 1
            say('PASS %s' % what)
        else:
            nfail += 1
            say('FAIL %s' % what)

    # 1. Markers, and every marked file compiles both ways with gcc and
    #    clang, and with DIAGNOSTIC=0 LOCKDEBUG=0.
    compilers = ('gcc', 'clang') if shutil.which('clang') else ('gcc',)
    verdict(check(compilers=compilers,
                  variants=((), ('DIAGNOSTIC=0', 'LOCKDEBUG=0')), quiet=True),
            'lab markers and skeletons compile (%s; and DIAGNOSTIC=0)' %
            ' and '.join(compilers))
    ok, out = build(top)
    if not ok:
        say(out[-2000:])
        verdict(False, 'the reference tree builds')
        say('lab proof: %d passed, %d failed' % (npass, nfail))
        return 1
    # 2. The reference tree scores full marks on every lab.
    res = grade(top, list(labs.values()), verbose=False)
    sc = score(list(labs.values()), res, verbose=False)
    for name, (s, mx, tj) in sc.items():
        bad = [x['name'] + ':\n' + x['output'] for x in tj
               if x['score'] != x['max_score']]
        verdict(s == mx, 'lab %s: the reference scores %g/%g' % (name, s, mx))
        for b in bad[:3]:
            say('    ' + b.replace('\n', '\n    ')[:1500])
    # 3. Each skeleton: no solution line, builds, fails its own lab's
    #    tests (at most 10%), keeps the earlier labs' full marks.
    work = tempfile.mkdtemp(prefix='lab-proof.')
    try:
        for name, lab in labs.items():
            tree = os.path.join(work, name)
            try:
                write_tree(name, tree, top, git=False, quiet=True)
                verdict(True, 'lab %s: its tree holds no line of its '
                        'solution' % name)
            except SystemExit:
                verdict(False, 'lab %s: its tree holds no line of its '
                        'solution' % name)
                continue
            copy_tree(os.path.join(top, 'build'), os.path.join(tree, 'build'))
            ok, out = build(tree)
            verdict(ok, 'lab %s: the skeleton builds' % name)
            if not ok:
                say(out[-1500:])
                continue
            # The earlier labs keep full marks in this skeleton, but
            # those its `requires` line names: a lab on the boot path
            # (its skeleton cannot boot) names the labs whose tests
            # need the kernel up (labspec.py).
            others = [labs[n] for n in labs if labs[n].num < lab.num and
                      not (lab.requires_given and n in lab.requires)]
            res = grade(tree, [lab] + others, quick=True, verbose=False)
            sc = score([lab] + others, res, verbose=False)
            s, mx, tj = sc[name]
            verdict(s <= 0.1 * mx, 'lab %s: the skeleton scores %g/%g (at '
                    'most 10%%), every test reported' % (name, s, mx))
            for o in others:
                so, mo, tjo = sc[o.name]
                verdict(so == mo, 'lab %s: the skeleton of %s keeps '
                        '%g/%g' % (o.name, name, so, mo))
                for x in tjo:
                    if x['score'] != x['max_score']:
                        say('    ' + x['name'] + ': ' + x['output'][:800])
            shutil.rmtree(tree, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # 4. Every mutant is caught.
    main_mutants(top, [], verdict=verdict)
    say('lab proof: %d passed, %d failed (%.0f s)' % (npass, nfail,
                                                        time.time() - t0))
    return 0 if nfail == 0 else 1

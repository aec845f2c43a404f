"""tools/labs/labspec.py: reading tools/labs/NN-NAME.lab (tools/lab).

A .lab file says everything the grader knows of one lab, a directive a
line (# starts a comment; a value with spaces is quoted):

  title     Run queues and time slices
  handout   docs/labs/01-runq.md
  hours     4                       time estimate for a student
  requires  runq lend               labs it builds on (default: every
                                    earlier one); `requires -` for none.
                                    Named here, they are also the
                                    earlier labs whose tests need not
                                    keep full marks in its skeleton
                                    (tools/lab proof): a lab on the boot
                                    path names them; without the line,
                                    every earlier lab must keep them
  files     kernel/kern_runq.c      the graded files: every region of
                                    this lab is in one of them, and
                                    official grading takes exactly these
                                    from the student's tree
  cells     bios/1 bios/2 uefi/2    the matrix: firmware/CPUs ...
  seeds     0 1                     ... times jitter seeds (0: none)
  timeout   60                      guest seconds a test may take
  test NAME POINTS [cells=C,C] [seeds=S,S] "what it pins"
                                    a ktest (NAME) or an ATF case
                                    (PROGRAM:CASE); cells=/seeds=
                                    narrow the lab's matrix for it
  mutant NAME [cells=C] [seeds=S] "the mistake"
                                    tools/labs/mutants/LAB/NAME.patch:
                                    the solution with that mistake,
                                    which some test of the lab must fail

The lab's name is the file's, without the number: 01-runq.lab is lab
`runq`, and the numbers give the order (tools/lab list).
"""
import os
import re
import shlex


class LabError(Exception):
    pass


class Test:
    def __init__(self, name, points, cells, seeds, descr):
        self.name, self.points, self.descr = name, points, descr
        self.cells, self.seeds = cells, seeds
        self.kind = 'atf' if ':' in name else 'ktest'

    @property
    def prog(self):
        return self.name.split(':', 1)[0]

    @property
    def case(self):
        return self.name.split(':', 1)[1]


class Mutant:
    def __init__(self, name, cells, seeds, descr, patch):
        self.name, self.cells, self.seeds = name, cells, seeds
        self.descr, self.patch = descr, patch


class Lab:
    def __init__(self, num, name, path):
        self.num, self.name, self.path = num, name, path
        self.title = self.handout = ''
        self.hours = ''
        self.requires = None
        self.requires_given = False     # a `requires` line names them
        self.files = []
        self.cells = [('bios', 1)]
        self.seeds = [0]
        self.timeout = 60
        self.tests = []
        self.mutants = []

    @property
    def points(self):
        return sum(t.points for t in self.tests)

    def describe(self):
        out = ['lab %s (%d): %s' % (self.name, self.num, self.title),
               '  handout   %s' % self.handout,
               '  requires  %s' % (' '.join(self.requires) or '-'),
               '  files     %s' % ' '.join(self.files),
               '  matrix    %s; seeds %s' % (
                   ' '.join('%s/%d' % c for c in self.cells),
                   ' '.join(map(str, self.seeds))),
               '  tests     %d, %g points' % (len(self.tests), self.points)]
        for t in self.tests:
            out.append('    %-48s %5g  %s' % (t.name, t.points, t.descr))
        out.append('  mutants   %d' % len(self.mutants))
        for m in self.mutants:
            out.append('    %-48s %s' % (m.name, m.descr))
        return '\n'.join(out)


def parse_cell(text, where):
    m = re.match(r'^(bios|uefi)/(\d+)$', text)
    if not m or not 1 <= int(m.group(2)) <= 16:
        raise LabError('%s: bad cell %r (FIRMWARE/CPUS, e.g. bios/2)' %
                       (where, text))
    return (m.group(1), int(m.group(2)))


def parse_opts(words, where):
    """key=value options among words; the rest."""
    opts, rest = {}, []
    for w in words:
        if re.match(r'^(cells|seeds)=', w):
            k, v = w.split('=', 1)
            opts[k] = v.split(',')
        else:
            rest.append(w)
    return opts, rest


def load_lab(path, num, name):
    lab = Lab(num, name, path)
    with open(path, encoding='utf-8') as f:
        for lno, raw in enumerate(f, 1):
            where = '%s:%d' % (os.path.relpath(path), lno)
            try:
                words = shlex.split(raw, comments=True)
            except ValueError as e:
                raise LabError('%s: %s' % (where, e))
            if not words:
                continue
            key, vals = words[0], words[1:]
            if key == 'title':
                lab.title = ' '.join(vals)
            elif key == 'handout':
                lab.handout = ' '.join(vals)
            elif key == 'hours':
                lab.hours = ' '.join(vals)
            elif key == 'requires':
                lab.requires = [v for v in vals if v != '-']
                lab.requires_given = True
            elif key == 'files':
                lab.files.extend(vals)
            elif key == 'cells':
                lab.cells = [parse_cell(v, where) for v in vals]
            elif key == 'seeds':
                lab.seeds = [int(v) for v in vals]
            elif key == 'timeout':
                lab.timeout = int(vals[0])
            elif key in ('test', 'mutant'):
                opts, rest = parse_opts(vals, where)
                if key == 'test':
                    if len(rest) < 2:
                        raise LabError('%s: test NAME POINTS ["what"]' % where)
                    try:
                        pts = float(rest[1])
                    except ValueError:
                        raise LabError('%s: points %r' % (where, rest[1]))
                    cells = [parse_cell(c, where) for c in opts['cells']] \
                        if 'cells' in opts else None
                    seeds = [int(s) for s in opts['seeds']] \
                        if 'seeds' in opts else None
                    lab.tests.append(Test(rest[0], pts, cells, seeds,
                                          ' '.join(rest[2:])))
                else:
                    if not rest:
                        raise LabError('%s: mutant NAME ["what"]' % where)
                    cells = [parse_cell(c, where) for c in opts['cells']] \
                        if 'cells' in opts else None
                    seeds = [int(s) for s in opts['seeds']] \
                        if 'seeds' in opts else None
                    patch = os.path.join(os.path.dirname(path), 'mutants',
                                         name, rest[0] + '.patch')
                    lab.mutants.append(Mutant(rest[0], cells, seeds,
                                              ' '.join(rest[1:]), patch))
            else:
                raise LabError('%s: unknown directive %r' % (where, key))
    for t in lab.tests:
        t.cells = t.cells or lab.cells
        t.seeds = t.seeds if t.seeds is not None else lab.seeds
    for m in lab.mutants:
        m.cells = m.cells or lab.cells[:1]
        m.seeds = m.seeds if m.seeds is not None else lab.seeds[:1]
    names = [t.name for t in lab.tests]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise LabError('%s: tests listed twice: %s' % (path, ' '.join(dup)))
    if not lab.files:
        raise LabError('%s: no `files`' % path)
    return lab


def load_labs(labdir):
    """{name: Lab} in order."""
    found = []
    for fn in os.listdir(labdir):
        m = re.match(r'^(\d+)-([a-z][a-z0-9_]*)\.lab$', fn)
        if m:
            found.append((int(m.group(1)), m.group(2), fn))
    found.sort()
    labs = {}
    for num, name, fn in found:
        lab = load_lab(os.path.join(labdir, fn), num, name)
        if lab.requires is None:
            lab.requires = list(labs)
        for r in lab.requires:
            if r not in labs:
                raise LabError('%s: requires %r, which is not an earlier lab'
                               % (fn, r))
        labs[name] = lab
    return labs

"""Submissions graded per minute by `course grade`: one at a time (--jobs 1, the baseline) against in parallel.

Generates a class of --n submissions (default 100) in a temporary folder: submission i is notebook 01-07 number
i % 7 of learner i // 7 (folders "learner 000", "学生 001", ...: spaces and Chinese in the paths), and is one of

- right:   the solution notebook (solutions/), outputs and all;
- stub:    the learner copy (notebooks/), untouched;
- mistake: the solution with one exercise's body replaced by a call of one of its named mistakes
           (course.checks' Mistake.function), so the grader must name that mistake;
- syntax:  the solution with a syntax error written into one exercise cell;
- raise:   the solution with a cell raising RuntimeError inserted after the first exercise.

Both runs grade the same files with course.gradebook.grade_class in one process, serial first, then with --jobs
(default: the number of cores). Printed: the machine (cores, load averages before each run), the mixture, the
statuses the grader gave each kind's exercises and how many planted mistakes it named, each run's seconds and
submissions per minute, the speed-up, and whether both runs gave every exercise the same status (they must).
Exit status 1 if they did not.

    python benchmarks/grade_class.py               # 100 submissions: about 17 minutes on 2 cores
    python benchmarks/grade_class.py --n 10        # a quick look
    python benchmarks/grade_class.py --n 14 --make-only /tmp/class    # only write the class, to try course grade
"""
from __future__ import annotations

import argparse
import ast
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

import nbformat  # noqa: E402

from course.authoring import BEGIN, END  # noqa: E402
from course.gradebook import default_jobs, grade_class  # noqa: E402

NOTEBOOKS = sorted(p.name for p in (ROOT / "solutions").glob("0[1-7]_*.ipynb"))
KINDS = {"right": 40, "stub": 20, "mistake": 20, "syntax": 10, "raise": 10}  # weights, per cent
CHECK = re.compile(r"""check\(\s*["']([\w.-]+)["']\s*,\s*(\w+)""")


def exercises(nb) -> list[tuple[int, str, ast.FunctionDef]]:
    """(cell index, exercise name, function node) for each exercise function holding a solution block."""
    wrapped = {fn: name for cell in nb.cells if cell.cell_type == "code" for name, fn in CHECK.findall(cell.source)}
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or BEGIN not in cell.source:
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.FunctionDef) and node.name in wrapped:
                found.append((index, wrapped[node.name], node))
    return found


def call_arguments(node: ast.FunctionDef) -> str:
    """The argument list that passes a function's own parameters on: 'x, w, *rest, lr=lr, **options'."""
    a = node.args
    parts = [arg.arg for arg in (*a.posonlyargs, *a.args)]
    parts += [f"*{a.vararg.arg}"] if a.vararg else []
    parts += [f"{arg.arg}={arg.arg}" for arg in a.kwonlyargs]
    parts += [f"**{a.kwarg.arg}"] if a.kwarg else []
    return ", ".join(parts)


def replace_block(source: str, body: list[str]) -> str:
    """`source` with the first solution block's lines (markers included) replaced by `body`, at its indent."""
    lines = source.split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(BEGIN))
    end = next(i for i, line in enumerate(lines) if i > start and line.strip().startswith(END))
    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
    return "\n".join(lines[:start] + [indent + line for line in body] + lines[end + 1:])


def with_mistake(nb, rng):
    """The solution with one exercise answered by a named mistake, and that mistake's name; None if the notebook's
    exercises have no named mistakes."""
    import course.checks.exercises  # noqa: F401  (registers every exercise)
    from course.checks import REGISTRY

    choices = [(index, name, node, k) for index, name, node in exercises(nb)
               for k in range(len(REGISTRY[name].mistakes))]
    if not choices:
        return None, ""
    index, name, node, k = rng.choice(choices)
    nb.cells[index].source = replace_block(nb.cells[index].source, [
        "from course.checks import REGISTRY  # the checks' own wrong variant, so the verdict is known",
        "import course.checks.exercises",
        f"return REGISTRY[{name!r}].mistakes[{k}].function({call_arguments(node)})"])
    return nb, REGISTRY[name].mistakes[k].name


def submission(notebook: str, kind: str, rng):
    """(notebook object, kind, the named mistake made or "") for one submission of `notebook` of the given kind
    ("right" for a "mistake" in a notebook whose exercises have no named mistake)."""
    if kind == "stub":
        return nbformat.read(ROOT / "notebooks" / notebook, as_version=4), kind, ""
    nb = nbformat.read(ROOT / "solutions" / notebook, as_version=4)
    if kind == "mistake":
        changed, mistake = with_mistake(nb, rng)
        return (changed, kind, mistake) if changed is not None else (nb, "right", "")
    if kind == "syntax":
        index, _, _ = rng.choice(exercises(nb))
        nb.cells[index].source += "\nprint('unclosed'"
    elif kind == "raise":
        index = exercises(nb)[0][0]
        nb.cells.insert(index + 1, nbformat.v4.new_code_cell("raise RuntimeError('a broken cell left in')"))
    return nb, kind, ""


def make_class(folder: Path, n: int, seed: int):
    """Write n submissions under `folder`; returns [(path, kind, named mistake or "")], kind one of KINDS."""
    rng = random.Random(seed)
    made = []
    for i in range(n):
        learner = i // len(NOTEBOOKS)
        name = f"learner {learner:03d}" if learner % 2 == 0 else f"学生 {learner:03d}"
        notebook = NOTEBOOKS[i % len(NOTEBOOKS)]
        kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
        nb, kind, mistake = submission(notebook, kind, rng)
        path = folder / name / notebook
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        made.append((path, kind, mistake))
    return made


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return "unknown"


def timed(paths, jobs, timeout, progress):
    before = load()
    start = time.perf_counter()
    rows = grade_class(paths, jobs=jobs, timeout=timeout, progress=progress)
    return rows, time.perf_counter() - start, before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100, help="submissions in the class (default 100)")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="the parallel run's jobs (default: cores)")
    parser.add_argument("--seed", type=int, default=0, help="chooses the mixture (default 0)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell (default 600)")
    parser.add_argument("--no-progress", action="store_true")
    parser.add_argument("--make-only", metavar="FOLDER", default=None,
                        help="only write the class into FOLDER (to try `course grade` on it), time nothing")
    args = parser.parse_args()
    if args.make_only:
        made = make_class(Path(args.make_only), args.n, args.seed)
        print(f"wrote {len(made)} submissions under {args.make_only}: "
              + ", ".join(f"{kind} {n}" for kind, n in Counter(kind for _, kind, _ in made).most_common()))
        return 0
    with tempfile.TemporaryDirectory(prefix="grade-class-") as folder:
        made = make_class(Path(folder), args.n, args.seed)
        paths = [path for path, _, _ in made]
        kinds = Counter(kind for _, kind, _ in made)
        print(f"class: {args.n} submissions of {NOTEBOOKS[0][:2]}-{NOTEBOOKS[-1][:2]} "
              f"({len(set(p.parent for p in paths))} learners): "
              + ", ".join(f"{kind} {count}" for kind, count in kinds.most_common()))
        print(f"machine: {default_jobs()} cores, {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
        serial, t_serial, load_serial = timed(paths, 1, args.timeout, not args.no_progress)
        parallel, t_parallel, load_parallel = timed(paths, args.jobs, args.timeout, not args.no_progress)
    kind_of = {str(path): kind for path, kind, _ in made}
    for kind in KINDS:  # what the grader made of each kind of submission
        statuses = Counter(row["status"] for row in serial if kind_of[row["path"]] == kind)
        if statuses:
            print(f"  {kind:8} exercises: " + ", ".join(f"{s} {n}" for s, n in statuses.most_common()))
    planted = [(str(path), mistake) for path, _, mistake in made if mistake]
    named = {(row["path"], row["mistake"]) for row in serial if row["status"] == "wrong"}
    print(f"named mistakes planted: {len(planted)}, named by the grader: {sum(p in named for p in planted)}")
    key = [(r["path"], r["exercise"], r["status"], r["mistake"]) for r in serial]
    same = key == [(r["path"], r["exercise"], r["status"], r["mistake"]) for r in parallel]
    for label, seconds, jobs, before in (("serial", t_serial, 1, load_serial),
                                         ("parallel", t_parallel, args.jobs, load_parallel)):
        print(f"{label:8} --jobs {jobs}: {seconds:7.1f} s, {args.n / seconds * 60:6.2f} submissions per minute "
              f"(load average before: {before})")
    print(f"speed-up parallel/serial: {t_serial / t_parallel:.2f}x; same status for every exercise: "
          f"{'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())

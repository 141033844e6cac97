"""Grading a class: many learners' notebooks in parallel, then a gradebook, a summary and a figure.

``grade_class(paths)`` grades each submission (one notebook file) in its own Python process, ``jobs`` at a time,
with a progress bar on stderr. Each process runs the single-notebook grader (``course.grade.grade_notebook``) and
writes its rows to a scratch file, so a submission that kills its kernel, its grading process or floods its
output costs that submission only: it gets rows saying what happened, the others are unaffected.

Every row is the grader's {notebook, exercise, status, mistake, message, hints} plus

- ``learner``: the submission's folder relative to the common parent folder of all the submissions
  (``subs/alice/01.ipynb`` and ``subs/bob/01.ipynb`` -> ``alice`` and ``bob``; ``subs/g1/alice/01.ipynb`` ->
  ``g1/alice``), or the file's stem for a file directly in that common folder (all in one folder:
  ``subs/alice.ipynb`` -> ``alice``, each file its own learner), except that files all in one folder and all named
  as the course's notebooks (``alice/01_the_neuron.ipynb``, ``alice/02_activation_functions.ipynb``) are that
  folder's learner, ``alice``;
- ``path``: the submission's path as given.

From the rows: ``write_csv`` (the gradebook: one row per learner, one column per exercise, a total),
``summarize``/``format_summary`` (per exercise: how many passed, wrong, ..., the most common named mistakes) and
``write_figure`` (learners x exercises coloured by status, a PNG). ``add_grade_arguments``/``run_grade`` are the
``course grade`` command. Everything printed is plain text: ANSI colour codes are removed from the grader's
messages, and a character the output's encoding lacks (cp1252, ASCII) is replaced rather than raising.

Languages: what is printed (the table's headings and statuses, the summary, the figure's title and legend, the
messages on stderr) is in the current language (course.i18n); the workers grade in it too (COURSE_LANG), and each
notebook's kernel in the notebook's own language (course.grade). The data stay English in every language: the
rows' keys and statuses (JSON), the CSV's columns and statuses, the exit status.

This is not a security sandbox: see the instructor README ("Collecting and grading notebooks").
"""
from __future__ import annotations

import csv
import glob
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from .grade import ROOT, check_calls, display_width, grade_notebook, plain
from .grade import expected_exercises as grade_expected_exercises
from .i18n import N_, _, language

# The grader's statuses, best first (a learner who handed in two copies of a notebook is credited with the best).
STATUSES = (N_("passed"), N_("wrong"), N_("error"), N_("not done"), N_("missing"), N_("not run"))
# The gradebook's own status for an exercise whose notebook the learner did not hand in (in no row).
NOT_SUBMITTED = N_("not submitted")
# The status meaning the grader could not get as far as that check: the file is not a notebook or cannot be read,
# the kernel died, the notebook's time limit ran out, the grading process failed. Any -> exit status 1.
NOT_GRADED = "not run"
# Okabe-Ito colours (told apart with the common colour-vision deficiencies); not submitted is white.
COLOURS = {"passed": "#009E73", "wrong": "#D55E00", "error": "#CC79A7", "not done": "#F0E442",
           "missing": "#0072B2", "not run": "#555555", NOT_SUBMITTED: "#FFFFFF"}
OTHER_COLOUR = "#999999"  # a status this module does not know (a newer grader's)
# The BLAS and OpenMP thread counts a kernel inherits from its environment.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")



class GradeError(ValueError):
    """Arguments `course grade` cannot work with (no notebook matched, a folder to write into is missing)."""


# ---------------------------------------------------------------------------------------------------- grading

def default_jobs() -> int:
    """The number of cores this process may use (the default for --jobs)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def learner_ids(paths, solutions=ROOT / "solutions") -> list[str]:
    """One learner id per path (see the module's docstring): the folder relative to the common parent of all the
    paths' folders, with / between folders, or the file stem for a file in that common folder. Files all in one
    folder and all named as course notebooks (solutions/ has each name) are one learner's: the folder's name."""
    parents = [Path(os.path.abspath(p)).parent for p in paths]
    try:
        common = Path(os.path.commonpath(parents)) if parents else None
    except ValueError:  # on different drives (Windows): no common folder, so the whole folder names the learner
        return [parent.as_posix() for parent in parents]
    if len(set(parents)) == 1 and all((Path(solutions) / Path(p).name).is_file() for p in paths):
        return [common.name or common.as_posix()] * len(paths)
    return [Path(p).stem if parent == common else parent.relative_to(common).as_posix()
            for p, parent in zip(paths, parents)]


def clean_row(row: dict) -> dict:
    """A copy of a grader row with ANSI codes removed from every text field."""
    return {key: plain(value) if isinstance(value, str) else value for key, value in row.items()}


def expected_exercises(path) -> list[str]:
    """The exercises a notebook should have, for rows about a notebook the grader could not grade: the grader's
    (course.grade.expected_exercises), else the check calls of the file itself, else [""] (unknown)."""
    import nbformat

    names = grade_expected_exercises(Path(path).name)
    if not names:
        try:
            names = check_calls(nbformat.read(path, as_version=4))
        except Exception:  # missing, unreadable, not a notebook: nothing more to learn from it
            names = []
    return names or [""]


def failure_rows(path, message: str) -> list[dict]:
    """Rows with status "not run" and `message` for every exercise of a notebook that could not be graded."""
    return [{"notebook": Path(path).name, "exercise": name, "status": NOT_GRADED, "mistake": "", "message": message,
             "hints": 0} for name in expected_exercises(path)]


def _worker(argv) -> int:
    """`python -m course.gradebook PATH OUT TIMEOUT [MEMORY_MB]`: grade one notebook, write its rows to OUT as
    JSON. Whatever happens, OUT gets rows (a failure becomes "not run" rows saying why)."""
    path, out, timeout = argv[0], Path(argv[1]), int(argv[2])
    memory_mb = int(argv[3]) if len(argv) > 3 else None
    try:
        rows = [clean_row(row) for row in grade_notebook(path, timeout=timeout, memory_mb=memory_mb)]
    except BaseException as e:  # noqa: B036 - a notebook's SystemExit or KeyboardInterrupt must become rows too
        text = plain(str(e)).strip().splitlines()
        error = f"{type(e).__name__}: {text[-1][:300]}" if text else type(e).__name__
        rows = failure_rows(path, _("could not be graded: {error}").format(error=error))
    out.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return 0


def _grade_in_subprocess(path, out: Path, timeout: int, memory_mb, env: dict, cwd: str) -> list[dict]:
    """Run _worker for one submission in a new Python process and read its rows; the rows for a process that
    died without writing them say so."""
    # absolute paths: the worker runs in the scratch folder
    command = [sys.executable, "-m", "course.gradebook", os.path.abspath(path), os.path.abspath(out), str(timeout)]
    if memory_mb:
        command.append(str(memory_mb))
    # stdout and stderr go nowhere: the kernel inherits them, and a notebook that floods its output must not
    # fill this process's memory or the terminal; the rows come back through `out`.
    result = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    try:
        rows = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        if result.returncode < 0:
            why = _("could not be graded: the grading process was killed by signal {signal} without a result").format(
                signal=-result.returncode)
        else:
            why = _("could not be graded: the grading process ended with exit status {status} without a "
                    "result").format(status=result.returncode)
        return failure_rows(path, why)
    return rows if isinstance(rows, list) else failure_rows(path, _("could not be graded: no rows came back"))


def grade_class(paths, jobs: int | None = None, timeout: int = 600, memory_mb: int | None = None,
                progress: bool = True) -> list[dict]:
    """Grade every notebook in `paths` (str or Path), `jobs` at a time (default: default_jobs()).

    Returns the grader's rows for every submission, each with `learner` and `path` added (see the module's
    docstring), sorted by learner, then path, then the notebook's order; no row carries ANSI codes. `timeout`
    (seconds per cell) and `memory_mb` are the grader's limits for each notebook. `progress` shows a tqdm bar on
    stderr. Never raises for a bad submission: one that cannot be graded gets "not run" rows saying why.
    Raises ValueError for jobs < 1.
    """
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from tqdm.auto import tqdm

    paths = [Path(p) for p in paths]
    jobs = default_jobs() if jobs is None else jobs
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(_("jobs must be a whole number >= 1 (how many notebooks run at once), got {value}.").format(
            value=repr(jobs)))
    ids = learner_ids(paths)
    # The workers import this copy of the course, and so do their kernels (they inherit PYTHONPATH).
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    env["COURSE_LANG"] = language()  # the workers' messages in ours (each kernel gets its notebook's, course.grade)
    if jobs > 1:
        # Kernels running side by side share the cores: BLAS threads beyond them wait on each other (06 and 07
        # two at a time on two cores: 127-479 s with two threads per kernel, 17 s with one). The instructor's
        # own numbers stay.
        for name in THREAD_VARIABLES:
            env.setdefault(name, str(max(1, default_jobs() // jobs)))
    results: list[list[dict]] = [[] for _path in paths]
    with tempfile.TemporaryDirectory(prefix="course-grade-") as scratch, \
            ThreadPoolExecutor(max_workers=max(1, min(jobs, len(paths)))) as pool, \
            tqdm(total=len(paths), desc=_("grading ({jobs} at a time)").format(jobs=jobs), unit=_("notebook"),
                 file=sys.stderr,
                 disable=not progress, dynamic_ncols=True) as bar:
        # threads only wait for the worker processes, which do the work in parallel
        futures = {pool.submit(_grade_in_subprocess, path, Path(scratch) / f"{i}.json", timeout, memory_mb, env,
                               scratch): i for i, path in enumerate(paths)}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            bar.update()
    order = sorted(range(len(paths)), key=lambda i: (ids[i], str(paths[i])))
    return [{"learner": ids[i], "path": str(paths[i]), **clean_row(row)} for i in order for row in results[i]]


def could_not_grade(rows) -> list[str]:
    """The paths of the submissions with an exercise the grader could not give a verdict for (status "not run")."""
    return list(dict.fromkeys(row.get("path", row["notebook"]) for row in rows if row["status"] == NOT_GRADED))


# ------------------------------------------------------------------------------------------ gradebook and summary

def _rank(status: str) -> int:
    return STATUSES.index(status) if status in STATUSES else len(STATUSES)


def gradebook(rows):
    """(learners, exercises, grid): the learners in row order, the exercises in notebook order (by notebook name,
    then their order in it), and grid[learner][exercise] = the row for it (the best status when a learner handed
    in the same exercise twice; absent: not submitted). A row without an exercise name (a notebook that could not
    be read) stands for every exercise other learners' rows give that notebook, else only adds its learner."""
    learners = list(dict.fromkeys(row.get("learner", "") for row in rows))
    position = {}
    seen_in = Counter()
    for row in rows:
        if not row["exercise"]:
            continue
        key = (row["notebook"], seen_in[(row.get("path"), row["notebook"])])
        seen_in[(row.get("path"), row["notebook"])] += 1
        position[row["exercise"]] = min(position.get(row["exercise"], key), key)
    exercises = sorted(position, key=position.get)
    in_notebook = {}  # notebook name -> its exercises, as the other learners' rows show them
    for exercise in exercises:
        in_notebook.setdefault(position[exercise][0], []).append(exercise)
    grid = {learner: {} for learner in learners}
    for row in rows:
        # a row without an exercise (a notebook the grader could not read) stands for all of that notebook's
        for exercise in [row["exercise"]] if row["exercise"] else in_notebook.get(row["notebook"], []):
            cell = grid[row.get("learner", "")]
            old = cell.get(exercise)
            if old is None or _rank(row["status"]) < _rank(old["status"]):
                cell[exercise] = row
    return learners, exercises, grid


def _spreadsheet_safe(text: str) -> str:
    # A cell starting with = + - @ is a formula to Excel and LibreOffice; a learner's folder name is not one.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(rows, path) -> tuple[int, int]:
    """Write the gradebook to `path`: a header `learner, <exercise>..., total, out_of`, then one row per learner
    with each exercise's status ("not submitted" when the learner handed in no notebook with it), `total` = the
    exercises passed and `out_of` = the number of exercise columns. UTF-8 with a byte order mark, so that Excel
    shows Chinese names; comma-separated (csv module). Returns (learners, exercises). Raises OSError."""
    learners, exercises, grid = gradebook(rows)
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["learner", *exercises, "total", "out_of"])
        for learner in learners:
            statuses = [grid[learner][ex]["status"] if ex in grid[learner] else NOT_SUBMITTED for ex in exercises]
            writer.writerow([_spreadsheet_safe(learner), *statuses, statuses.count("passed"), len(exercises)])
    return len(learners), len(exercises)


def summarize(rows) -> list[dict]:
    """Per exercise, in gradebook order: {notebook, exercise, counts: {status: learners}, mistakes: [(name,
    learners)] most common first, other_wrong: wrong answers without a named mistake}. Counts cover every learner
    in `rows`, with "not submitted" for those who handed in no notebook with the exercise."""
    learners, exercises, grid = gradebook(rows)
    summary = []
    for exercise in exercises:
        cells = [grid[learner].get(exercise) for learner in learners]
        counts = Counter(cell["status"] if cell else NOT_SUBMITTED for cell in cells)
        mistakes = Counter(cell["mistake"] for cell in cells if cell and cell["status"] == "wrong" and cell["mistake"])
        notebook = next(cell["notebook"] for cell in cells if cell)
        summary.append({"notebook": notebook, "exercise": exercise, "counts": dict(counts),
                        "mistakes": mistakes.most_common(),
                        "other_wrong": counts.get("wrong", 0) - sum(mistakes.values())})
    return summary


def _columns(summary) -> list[str]:
    present = {status for entry in summary for status in entry["counts"]}
    extra = sorted(present - set(STATUSES) - {NOT_SUBMITTED})
    return [*STATUSES, *extra, *([NOT_SUBMITTED] if NOT_SUBMITTED in present else [])]


_width = display_width  # columns a terminal gives the text: two for each wide (Chinese, Japanese, Korean) character


def table(header, rows) -> str:
    """Plain-text columns: every column but the last padded to its widest cell (Chinese characters count two)."""
    lines = [list(map(str, header)), *[list(map(str, row)) for row in rows]]
    widths = [max(_width(line[i]) for line in lines) for i in range(len(header) - 1)]
    return "\n".join("  ".join([*(cell + " " * (w - _width(cell)) for cell, w in zip(line, widths)), line[-1]]).rstrip()
                     for line in lines)


def format_summary(summary, top: int = 3) -> str:
    """The class summary as plain text: a table with one line per exercise and the learners in each status, a
    total line, then for each exercise with wrong answers its `top` most common named mistakes. In the current
    language (headings, statuses, sentences; the mistakes' names are the grader's)."""
    if not summary:
        return _("no exercises found")
    columns = _columns(summary)
    body = [[entry["notebook"], entry["exercise"], *(entry["counts"].get(c, 0) for c in columns)]
            for entry in summary]
    learners = sum(summary[0]["counts"].values())
    passed = sum(entry["counts"].get("passed", 0) for entry in summary)
    handed_in = sum(sum(entry["counts"].values()) - entry["counts"].get(NOT_SUBMITTED, 0) for entry in summary)
    lines = [table([_("notebook"), _("exercise"), *(_(c) for c in columns)], body),
             _("{learners} learner(s), {exercises} exercise(s); passed: {passed} of the {handed_in} handed in.").format(
                 learners=learners, exercises=len(summary), passed=passed, handed_in=handed_in)]
    wrong = [entry for entry in summary if entry["counts"].get("wrong")]
    if wrong:
        lines.append("\n" + _("Most common mistakes (learners who made it, then the mistake):"))
        for entry in wrong:
            lines.append(_("{exercise} ({n} wrong)").format(exercise=entry["exercise"], n=entry["counts"]["wrong"]))
            named = [(n, name) for name, n in entry["mistakes"][:top]]
            if len(entry["mistakes"]) > top:
                named.append((sum(n for _name, n in entry["mistakes"][top:]), _("other named mistakes")))
            if entry["other_wrong"]:
                named.append((entry["other_wrong"], _("a wrong answer that is no named mistake")))
            lines += [f"  {n:>3}  {name}" for n, name in named]
    return "\n".join(lines)


def format_class_rows(rows) -> str:
    """The rows as a plain-text table: learner, notebook, exercise, hints, status, details (the grader's message,
    which names the mistake of a wrong answer; empty for passed). Headings and statuses in the current language."""
    if not rows:
        return _("no exercises found")
    return table([_("learner"), _("notebook"), _("exercise"), _("hints"), _("status"), _("details")],
                 [[row.get("learner", ""), row["notebook"], row["exercise"], row.get("hints", 0), _(row["status"]),
                   "" if row["status"] == "passed" else row["message"]] for row in rows])


# ---------------------------------------------------------------------------------------------------- figure

FIGURE_DPI = 100
# inches: room for the learner labels (left), the exercise names (bottom), the title and legend (top), and each
# cell; a row of 0.14 in is 14 px, enough for a 7-point label.
_LEFT, _RIGHT, _BOTTOM, _TOP, _CELL_W, _CELL_H = 2.0, 0.3, 1.5, 1.1, 0.3, 0.14
_MIN_W, _MIN_H = 6.0, 4.0
_LABEL_CHARS = 28
# fonts with Chinese characters, tried after DejaVu Sans for the learner labels when installed
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "Microsoft YaHei", "SimHei", "PingFang SC", "Hiragino Sans GB", "Heiti SC", "Arial Unicode MS")


def figure_size(n_learners: int, n_exercises: int) -> tuple[int, int]:
    """(width, height) in pixels of the figure for a class of that size."""
    width = max(_MIN_W, _LEFT + _RIGHT + _CELL_W * max(n_exercises, 1))
    height = max(_MIN_H, _TOP + _BOTTOM + _CELL_H * max(n_learners, 1))
    return round(width * FIGURE_DPI), round(height * FIGURE_DPI)


def _fonts():
    """(family names, font files) matplotlib has: DejaVu Sans, the course's CJK font (course/fonts.py: the
    figure's Chinese title and legend, Chinese names) and any installed CJK_FONTS (characters it lacks)."""
    import matplotlib
    from matplotlib import font_manager

    course_font = []
    try:
        from . import fonts

        with matplotlib.rc_context():  # registers the font; rcParams as they were after the block
            course_font = [fonts.use()]
    except Exception:  # the font file is missing (a broken install): installed fonts, else ? for Chinese
        pass
    families, files = [], []
    for family in ("DejaVu Sans", *course_font, *CJK_FONTS):
        try:
            files.append(font_manager.findfont(font_manager.FontProperties(family=family),
                                               fallback_to_default=False))
        except ValueError:  # not installed
            continue
        families.append(family)
    return families, files


def _drawable(text: str, files) -> str:
    """`text` with each character no font in `files` has replaced by ?, shortened to _LABEL_CHARS."""
    from matplotlib.ft2font import FT2Font

    fonts = [FT2Font(f) for f in files]
    text = text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 3] + "..."
    return "".join(ch if any(font.get_char_index(ord(ch)) for font in fonts) else "?" for ch in text)


def write_figure(rows, path) -> tuple[int, int]:
    """Write a PNG of the class to `path`: one row per learner (numbered as in the CSV), one column per exercise
    (grouped by notebook), each cell coloured by its status, with a legend giving each status's count. Size:
    figure_size(learners, exercises). Uses matplotlib's Agg canvas (no window, pyplot untouched). Returns
    (learners, exercises). Raises OSError when the file cannot be written."""
    import matplotlib
    import numpy as np
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    learners, exercises, grid = gradebook(rows)
    statuses = [[grid[learner][ex]["status"] if ex in grid[learner] else NOT_SUBMITTED for ex in exercises]
                for learner in learners]
    present = Counter(status for line in statuses for status in line)
    order = [s for s in (*STATUSES, NOT_SUBMITTED) if s in present] + sorted(set(present) - set(COLOURS))
    codes = np.array([[order.index(s) for s in line] for line in statuses], dtype=float).reshape(
        len(learners), len(exercises))
    colours = [COLOURS.get(s, OTHER_COLOUR) for s in order] or ["#FFFFFF"]
    families, files = _fonts()
    width_px, height_px = figure_size(len(learners), len(exercises))
    width, height = width_px / FIGURE_DPI, height_px / FIGURE_DPI
    with matplotlib.rc_context({"font.family": families}):
        fig = Figure(figsize=(width, height), dpi=FIGURE_DPI)
        # fixed margins in inches, so that the cells keep their size whatever the labels
        ax = fig.add_axes((_LEFT / width, _BOTTOM / height, 1 - (_LEFT + _RIGHT) / width,
                           1 - (_BOTTOM + _TOP) / height))
        if codes.size:
            ax.pcolormesh(codes, cmap=ListedColormap(colours),
                          norm=BoundaryNorm(np.arange(len(colours) + 1) - 0.5, len(colours)),
                          edgecolors="white", linewidth=0.4)
        else:  # every notebook unreadable and of unknown exercises: nothing to colour, say so
            ax.text(0.5, 0.5, _("no exercise could be identified"), transform=ax.transAxes, ha="center")
        ax.set_xlim(0, max(len(exercises), 1))
        ax.set_ylim(max(len(learners), 1), 0)  # first learner at the top, as in the CSV
        ax.set_xticks(np.arange(len(exercises)) + 0.5, exercises, rotation=90, fontsize=7)
        ax.set_yticks(np.arange(len(learners)) + 0.5,
                      [f"{i}  {_drawable(learner, files)}" for i, learner in enumerate(learners, 1)], fontsize=7)
        ax.tick_params(length=0)
        # notebook groups: a line between notebooks and the notebook's number above its columns
        notebooks = [next(grid[l][ex]["notebook"] for l in learners if ex in grid[l]) for ex in exercises]
        starts = [i for i, nb in enumerate(notebooks) if i == 0 or nb != notebooks[i - 1]]
        for start, end in zip(starts, [*starts[1:], len(notebooks)]):
            if start:
                ax.axvline(start, color="black", linewidth=1.2)
            ax.text((start + end) / 2, -0.3, notebooks[start].split("_")[0], ha="center", va="bottom", fontsize=7)
        passed = present.get("passed", 0)
        handed_in = sum(present.values()) - present.get(NOT_SUBMITTED, 0)
        fig.suptitle(_("{learners} learner(s) x {exercises} exercise(s); passed: {passed} of the {handed_in} handed "
                       "in").format(learners=len(learners), exercises=len(exercises), passed=passed,
                                    handed_in=handed_in),
                     y=1 - 0.15 / height, va="top", fontsize=10)
        fig.legend(handles=[Patch(facecolor=COLOURS.get(s, OTHER_COLOUR), edgecolor="0.4",
                                  label=f"{_(s)} ({present[s]})") for s in order],
                   loc="upper center", bbox_to_anchor=(0.5, 1 - 0.45 / height), ncol=max(1, min(len(order), 4)),
                   fontsize=8, frameon=False, handlelength=1.2, columnspacing=1.2)
        fig.savefig(path, format="png", dpi=FIGURE_DPI)
    return len(learners), len(exercises)


# ---------------------------------------------------------------------------------------------------- output

def write_text(stream, text: str) -> None:
    """Write `text` and a newline to `stream`; characters its encoding lacks (cp1252, ASCII) become ?."""
    try:
        stream.write(text + "\n")
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write((text + "\n").encode(encoding, "replace").decode(encoding))


def rows_json(rows, stream) -> str:
    """The rows as JSON: Chinese and other characters as they are when `stream` can encode them, else as \\u
    escapes (still the same JSON, nothing replaced)."""
    text = json.dumps(rows, ensure_ascii=False, indent=1)
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return json.dumps(rows, ensure_ascii=True, indent=1)
    return text


# ------------------------------------------------------------------------------------------------ command line

GRADE_HELP = N_("grade learner notebooks, one or a whole class, in parallel")
GRADE_DESCRIPTION = N_(
    "Execute each notebook on a fresh kernel in its own process, several at once (the files are never written), "
    "and print one row per exercise: passed, wrong (with the named mistake), not done, error, not run, missing. "
    "The learner is each notebook's folder relative to the folder all of them share (or the file's name when "
    "they are all in one folder). Exit status: 0 when every notebook was graded, whatever the grades; 1 when some "
    "exercise could not be graded (status 'not run': not a notebook, the kernel died, the notebook's time limit "
    "ran out) or an output file could not be written; 2 when no notebook matched or an option is wrong. "
    "Not a security sandbox: see the instructor README.")


def add_grade_arguments(parser) -> None:
    """Add `course grade`'s arguments to an argparse parser."""
    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK",
                        help=_("notebook files, folders (every .ipynb inside) or glob patterns (quoted: "
                               "'subs/*/0*.ipynb')"))
    parser.add_argument("--jobs", "-j", type=int, default=None,
                        help=_("notebooks graded at once (default: the number of cores, here {cores})").format(
                            cores=default_jobs()))
    parser.add_argument("--timeout", type=int, default=600,
                        help=_("seconds allowed per cell (default 600); a cell over it is interrupted"))
    parser.add_argument("--memory-mb", type=int, default=None, help=_("memory limit per notebook's kernel, in MB"))
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help=_("print the rows as JSON"))
    output.add_argument("--summary", action="store_true",
                        help=_("print the class summary (per exercise: statuses and most common mistakes) "
                               "instead of the rows"))
    parser.add_argument("--csv", metavar="FILE", default=None,
                        help=_("write the gradebook: one row per learner, one column per exercise, a total (UTF-8)"))
    parser.add_argument("--figure", metavar="FILE", default=None,
                        help=_("write a PNG of the class: learners x exercises coloured by status"))
    parser.add_argument("--no-progress", action="store_true", help=_("no progress bar on stderr"))


def expand_notebooks(arguments) -> list[Path]:
    """The notebook files named by `arguments` (files, folders searched for *.ipynb, glob patterns), in order,
    each once. Raises GradeError naming an argument that is no file and matches none."""
    found = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            matches = sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        elif path.exists() or not glob.has_magic(argument):
            matches = [path] if path.exists() else []
        else:
            matches = sorted(Path(p) for p in glob.glob(argument, recursive=True) if Path(p).is_file())
        if not matches:
            what = _("a folder with no .ipynb file in it") if path.is_dir() else (
                _("a pattern no file matches") if glob.has_magic(argument) else _("no such file"))
            raise GradeError(_("grade: {argument}: {problem}; expected notebook files, folders of them or glob "
                               "patterns.").format(argument=argument, problem=what))
        found += matches
    unique = {}
    for path in found:
        unique.setdefault(os.path.abspath(path), path)
    return list(unique.values())


def _check_arguments(args) -> None:
    for name in ("jobs", "timeout", "memory_mb"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise GradeError(_("grade: {option} must be at least 1, got {value}.").format(
                option="--" + name.replace("_", "-"), value=value))
    for name in ("csv", "figure"):
        target = getattr(args, name)
        if target is not None and not Path(os.path.abspath(target)).parent.is_dir():
            raise GradeError(_("grade: {option} {file}: the folder {folder} does not exist; create it or choose "
                               "another file.").format(option="--" + name, file=target,
                                                       folder=Path(os.path.abspath(target)).parent))


def run_grade(args) -> int:
    """`course grade`: grade args.notebooks and print the rows (or JSON, or the summary); write --csv and
    --figure. Returns the exit status (see GRADE_DESCRIPTION)."""
    out, err = sys.stdout, sys.stderr
    try:
        _check_arguments(args)
        paths = expand_notebooks(args.notebooks)
    except GradeError as e:
        write_text(err, str(e))
        return 2
    rows = grade_class(paths, jobs=args.jobs, timeout=args.timeout, memory_mb=args.memory_mb,
                       progress=not args.no_progress)
    status = 0
    if args.json:
        write_text(out, rows_json(rows, out))
    elif args.summary:
        write_text(out, format_summary(summarize(rows)))
    else:
        write_text(out, format_class_rows(rows))
    out.flush()
    for option, writer, what in ((args.csv, write_csv, N_("gradebook")), (args.figure, write_figure, N_("figure"))):
        if option is None:
            continue
        try:
            learners, exercises = writer(rows, option)
            write_text(err, _("grade: wrote the {what} {file} ({learners} learner(s), {exercises} exercise(s))").format(
                what=_(what), file=option, learners=learners, exercises=exercises))
        except OSError as e:
            write_text(err, _("grade: could not write the {what} {file}: {error}").format(
                what=_(what), file=option, error=e.strerror or e))
            status = 1
    failed = could_not_grade(rows)
    if failed:
        write_text(err, _("grade: {n} notebook(s) could not be graded completely (status 'not run'): {paths}").format(
            n=len(failed), paths=", ".join(failed)))
        status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(_worker(sys.argv[1:]))

"""Grade one learner notebook: run a clean copy of it and report every exercise it should have.

`grade_notebook(path)` returns one row per exercise, {notebook, exercise, status, mistake, message,
hints}, whatever the submission does:

- the exercises reported are those the notebook is supposed to have: the check("...") calls of the
  solution notebook of the same name (solutions/), then the exercises the check registry files
  under that notebook (course.checks.REGISTRY, Exercise.notebook), then any other check the
  submission calls;
- status is "passed", "wrong" (with the mistake named or diagnosed), "not done" (the stub is still
  there), "error" (the exercise's code or its check raised, timed out, or has a syntax error),
  "not run" (the grader could not get that far: unreadable file, dead kernel, time limit) or
  "missing" (the notebook has no check cell for it); every row that is not "passed" says why;
- the submission is only read. Its outputs are cleared and the copy is executed in a scratch
  directory (a new temporary directory that is also the kernel's working directory), so only this
  run's verdicts count, and a cell that changes directory or deletes files there touches the copy;
- cells run with errors allowed, so a broken exercise costs that exercise only: after a check cell
  that showed no verdict (or whose exercise cell had a syntax error) the notebook goes on with the
  reference solution, as a failed check() itself does;
- limits: `timeout` seconds per cell (a cell over it is interrupted and the notebook goes on),
  `time_limit` seconds for the whole notebook (kernel start included; then it stops) and, on
  Linux, `memory_mb` of address space for the kernel (resource.setrlimit RLIMIT_AS: an
  allocation over it raises MemoryError in the cell). On macOS and Windows, where RLIMIT_AS is not
  enforced or does not exist, `memory_mb` is ignored;
- messages are plain text (the ANSI colour codes of kernel tracebacks removed);
- languages: the kernel's COURSE_LANG is the notebook's language, so a Chinese submission's verdicts are
  in Chinese: its metadata["course"]["language"] (the build writes it into translated notebooks), else
  the language of its folder (course.i18n.language_of_folder: a folder named zh), else unset (English),
  whatever the grader's own language or working folder. The grader's own messages (a missing check
  cell, a kernel that died) are in the grader's language (course.i18n.language()); statuses, exercise
  names and the rows' keys are the same English words in every language.

This is NOT a security sandbox. The learner's code runs as the grading user, with that user's
files, network and processes within reach: it can read or delete anything the user can, and a
notebook can detect it is being graded. The limits above protect a grading run from mistakes
(endless loops, floods of output, runaway memory, os.chdir, deleted files), not from an attacker.
For untrusted submissions, or a class at scale, run each submission in its own container or VM:
nbgrader's autograder inside a container, JupyterHub with per-user containers (DockerSpawner,
KubeSpawner), or `python -m course grade` inside a throwaway container per submission.
"""
from __future__ import annotations

import functools
import logging
import os
import re
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .i18n import N_, _, language_of_folder, normalise

ROOT = Path(__file__).resolve().parent.parent
STATUSES = (N_("passed"), N_("wrong"), N_("not done"), N_("error"), N_("not run"), N_("missing"))
CHECK_CALL = re.compile(r"""check\(\s*["']([\w.-]+)["']""")
# CSI sequences (colours, cursor moves), OSC sequences (titles, links) and any other escape.
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
SYNTAX_ERRORS = ("SyntaxError", "IndentationError", "TabError")
# Output a grading run keeps per cell (characters). The verdicts are small; a cell printing in a
# loop could otherwise fill the grader's memory with text nobody reads.
OUTPUT_LIMIT = 200_000
# How long a kernel may take to come back after a timed-out cell is interrupted.
INTERRUPT_GRACE = 10
KERNEL_STOPPERS = re.compile(r"\b(os\._exit|exit|quit)\s*\(")

_log = logging.getLogger(__name__)
_log.addHandler(logging.NullHandler())  # nbclient's kernel-died and timeout logs: the rows say it


def plain(text) -> str:
    """`text` as a string without ANSI escape codes (the colours of IPython tracebacks)."""
    return ANSI.sub("", str(text))


def hint_levels(nb) -> dict:
    """exercise -> the highest hint level whose display is in the notebook's outputs (see checks.hints)."""
    from .checks import HINT_MIME

    levels = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            record = output.get("data", {}).get(HINT_MIME)
            if isinstance(record, dict) and isinstance(record.get("level"), int):
                name = str(record.get("exercise"))
                levels[name] = max(levels.get(name, 0), record["level"])
    return levels


def check_calls(nb) -> list[str]:
    """The exercise names of the check("...") calls in the notebook's code cells, in order, once each."""
    names = [m for cell in nb.cells if cell.cell_type == "code" for m in CHECK_CALL.findall(cell.source)]
    return list(dict.fromkeys(names))


def expected_exercises(name: str, solutions=ROOT / "solutions") -> list[str]:
    """The exercises notebook `name` (a file name such as "02_activation_functions.ipynb") is supposed to
    have: its solution's check calls (solutions/name), then those the registry files under its stem.
    An unreadable or absent solution contributes nothing; never raises for one."""
    import nbformat

    from .checks import REGISTRY, exercises  # noqa: F401  (registers every exercise)

    names = []
    solution = Path(solutions) / name if solutions is not None else None
    if solution is not None and solution.is_file():
        try:
            names = check_calls(nbformat.read(solution, as_version=4))
        except Exception:  # a broken solution is the build's business: the registry still says
            names = []
    stem = Path(name).stem
    names += [n for n, exercise in REGISTRY.items() if exercise.notebook == stem]
    return list(dict.fromkeys(names))


def grade_notebook(path, timeout=600, memory_mb=None, solutions=ROOT / "solutions", time_limit=None) -> list[dict]:
    """Execute a clean copy of the learner notebook at `path` and return one row per exercise.

    path: the submission (.ipynb), only read. timeout: seconds per cell (None: no limit); a cell over
    it is interrupted and the rest still runs. time_limit: seconds for the whole notebook, kernel
    start included (default 3 x timeout + 60 s; None with timeout None: no limit). memory_mb: the kernel's
    address-space limit in MiB on Linux (None: none; ignored on other systems). solutions: the
    folder whose notebook of the same name lists the exercises to expect (None: registry only).

    Returns [{"notebook": file name, "exercise", "status", "mistake", "message", "hints": int}, ...]:
    every expected exercise, then any other exercise the notebook checks; status is one of
    STATUSES and message gives the reason of every status but "passed". If the file cannot be read
    and no exercise is known for it, one row with exercise "" says why. Never raises for anything
    the submission contains or does; see the module docstring for what this does not protect from.
    """
    path = Path(path)
    name = path.name
    try:
        expected = expected_exercises(name, solutions)
    except Exception as e:  # the registry itself failed to import: grade what the notebook says
        expected = []
        _log.debug("no expected exercises for %s: %s", name, e)
    try:
        nb, hints = _read(path)
    except _Unreadable as e:
        return _rows_for_all(name, expected or [""], "not run", str(e))
    names = list(dict.fromkeys(expected + check_calls(nb)))
    if time_limit is None and timeout:
        time_limit = 3 * timeout + 60  # + a minute to start the kernel and import what the notebook needs
    plan = _plan(nb, names)
    try:
        run = _execute(nb, name, plan, timeout, time_limit, memory_mb, notebook_language(nb, path))
    except Exception as e:  # the grader's own failure (kernel missing, ...): say so in every row
        return _rows_for_all(name, names or [""], "not run", _("the grader could not run the notebook: {error}").format(
            error=f"{type(e).__name__}: {plain(e)}").strip())
    for exercise, level in hint_levels(nb).items():  # hint(...) calls this run executed
        hints[exercise] = max(level, hints.get(exercise, 0))
    rows = [_row(nb, plan, run, exercise) for exercise in names]
    for row in rows:
        row["notebook"], row["hints"] = name, hints.get(row["exercise"], 0)
        row["message"], row["mistake"] = plain(row["message"]), plain(row["mistake"])
    return rows


def notebook_language(nb, path) -> str | None:
    """The language of a submission: its metadata["course"]["language"] when it names one of the course's
    languages, else that of its folder (a folder named zh), else None (English)."""
    course = nb.metadata.get("course") if isinstance(nb.metadata, dict) else None
    found = normalise(course.get("language")) if isinstance(course, dict) and isinstance(course.get("language"), str) \
        else None
    if found:
        return found
    try:
        return language_of_folder(Path(path).parent)
    except (OSError, RuntimeError):  # a path that cannot be resolved
        return None


def display_width(text: str) -> int:
    """The columns a terminal gives `text`: two for each wide (Chinese, Japanese, Korean) character."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def format_rows(rows) -> str:
    """A plain-text table, one row per exercise: notebook, exercise, hints, status (mistake), details; the
    headings and statuses in the current language, columns aligned by their width on screen."""
    if not rows:
        return _("no exercises found")
    head = (_("notebook"), _("exercise"), _("hints"), _("status"), _("details"))
    table = [head] + [(r["notebook"], r["exercise"], str(r.get("hints", 0)),
                       _(r["status"]) + (f" ({r['mistake']})" if r["mistake"] else ""),
                       r["message"] if r["status"] not in ("passed",) else "") for r in rows]
    widths = [max(display_width(row[i]) for row in table) for i in range(4)]
    return "\n".join("  ".join(cell + " " * (w - display_width(cell)) for cell, w in zip(row[:4], widths))
                     + "  " + row[4] for row in table).rstrip()


class _Unreadable(Exception):
    """The submission is not a notebook the grader can run; the message says why."""


def _read(path: Path):
    """(the notebook at `path` with its outputs cleared, the hint levels its saved outputs show); raises
    _Unreadable saying why it is not a notebook."""
    import nbformat

    try:
        data = path.read_bytes()
    except OSError as e:
        raise _Unreadable(_("the file could not be read ({error}).").format(
            error=f"{type(e).__name__}: {e.strerror or e}")) from None
    if not data.strip():
        raise _Unreadable(_("the file is empty ({size} bytes): expected a notebook (.ipynb JSON).").format(
            size=len(data)))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _Unreadable(_("the file is not UTF-8 text (byte {position}): expected a notebook (.ipynb JSON).").format(
            position=e.start)) from None
    try:
        with warnings.catch_warnings():  # e.g. cells without ids in an older notebook: nbformat adds them
            warnings.simplefilter("ignore")
            nb = nbformat.reads(text, as_version=4)
    except Exception as e:  # NotJSONError, a JSON that is not a notebook, an unknown nbformat version
        reason = plain(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
        raise _Unreadable(_("the file is not a notebook nbformat can read ({reason}).").format(reason=reason)) from None
    try:
        hints = hint_levels(nb)  # read from the saved outputs before they are cleared
    except Exception:  # outputs too odd to read: no hints counted
        hints = {}
    try:
        _clear(nb)  # outputs are dropped anyway: an odd saved output must not reject the notebook
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nbformat.validate(nb)
    except Exception as e:
        reason = plain(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
        raise _Unreadable(_("the file is not a valid notebook ({reason}).").format(reason=reason)) from None
    return nb, hints


def _clear(nb) -> None:
    """Drop every output and execution count (in place): the saved ones are not this run's."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None


@dataclass
class _Exercise:
    """Where an exercise sits: its first check cell, the assignment `target = check(...)`, its code cell."""

    check_cell: int
    target: str | None
    code_cell: int | None


def _plan(nb, names) -> dict:
    """exercise -> _Exercise for each name the notebook has a check cell for."""
    checks = {i for i, c in enumerate(nb.cells) if c.cell_type == "code" and CHECK_CALL.search(c.source)}
    plan = {}
    for name in names:
        quoted = f"""["']{re.escape(name)}["']"""
        call = re.compile(rf"check\(\s*{quoted}")
        where = next((i for i in sorted(checks) if call.search(nb.cells[i].source)), None)
        if where is None:
            continue
        source = nb.cells[where].source
        target = re.search(rf"(\w+)\s*=\s*check\(\s*{quoted}", source)
        argument = re.search(rf"check\(\s*{quoted}\s*,\s*(\w+)", source)
        function = argument.group(1) if argument else name
        plan[name] = _Exercise(where, target.group(1) if target else None, _code_cell(nb, where, function, checks))
    return plan


def _code_cell(nb, check_cell, function, checks):
    """The exercise's code cell: the nearest code cell above the check that defines `function` (a regex, so
    a cell with a syntax error is found too), else the code cell just above it; never another check cell."""
    defines = re.compile(rf"^\s*def\s+{re.escape(function)}\b", re.MULTILINE)
    above = [i for i in range(check_cell - 1, -1, -1) if nb.cells[i].cell_type == "code" and nb.cells[i].source.strip()]
    for i in above:
        if i in checks:
            break
        if defines.search(nb.cells[i].source):
            return i
    return above[0] if above and above[0] not in checks else None


@dataclass
class _Run:
    """What this run did: the first error of each cell, the cells interrupted after `timeout`, the cells whose
    output was cut at OUTPUT_LIMIT, and where and why execution stopped (None: it reached the end)."""

    timeout: float | None = None
    errors: dict = field(default_factory=dict)  # cell index -> (ename, evalue)
    timed_out: set = field(default_factory=set)
    flooded: set = field(default_factory=set)
    stopped: tuple | None = None  # (cell index, reason)


@functools.cache
def _client_class():
    from nbclient import NotebookClient

    class Client(NotebookClient):
        """nbclient's client keeping at most OUTPUT_LIMIT characters of output per cell (verdicts and hints always)."""

        def output(self, outs, msg, display_id, cell_index):
            from .checks import HINT_MIME, VERDICT_MIME

            content = msg.get("content") or {}
            data = content.get("data") or {}
            if VERDICT_MIME in data or HINT_MIME in data:
                return super().output(outs, msg, display_id, cell_index)
            before = self.kept_chars.get(cell_index, 0)
            text = content.get("text")
            size = len(text or "") + sum(len(str(v)) for v in data.values())
            size += sum(len(line) for line in content.get("traceback") or [])
            self.kept_chars[cell_index] = before + size
            if before + size <= OUTPUT_LIMIT:
                return super().output(outs, msg, display_id, cell_index)
            if cell_index in self.flooded:
                return None
            self.flooded.add(cell_index)
            if not isinstance(text, str):  # a display over the limit: dropped whole
                return None
            # the stream that crosses the limit: its first part, and a line saying the rest was cut
            kept = _("[the grader kept {limit} characters of this cell's output]").format(limit=OUTPUT_LIMIT)
            note = f"\n{kept}\n"
            content["text"] = text[: max(0, OUTPUT_LIMIT - before)] + note
            return super().output(outs, msg, display_id, cell_index)

    return Client


def _kernel_env(language: str | None = None) -> dict:
    """The kernel's environment: ours and the notebook thread settings; COURSE_LANG set to the notebook's
    `language` (None: removed, so English, whatever the grader's own setting); when this package runs from a
    source checkout, that checkout first on the path, so the kernel's checks are the ones this grader reads
    even where the package is not installed (an absolute path: the kernel's cwd is the scratch directory)."""
    from .authoring import NOTEBOOK_ENV

    # The notebook thread settings, unless the caller set them: the gradebook gives each of its parallel
    # kernels cores / jobs threads, and two kernels of 2 threads each on 2 cores ran 4-20 times slower.
    env = {**NOTEBOOK_ENV, **os.environ}
    env.pop("COURSE_LANG", None)
    if language:
        env["COURSE_LANG"] = language
    if (ROOT / "pyproject.toml").is_file():  # a checkout, not site-packages (which must not precede the stdlib)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    return env


TIMED_OUT = "CellTimeoutError"  # the ename of the reply nbclient makes up for a cell it interrupted


def _execute(nb, name, plan, timeout, time_limit, memory_mb, language=None) -> _Run:
    """Run the (cleared) notebook `nb` in place, cell by cell, in a scratch directory, its messages in `language`
    (None: English); return what happened."""
    import subprocess

    import nbformat
    from nbclient.exceptions import DeadKernelError

    deadline = time.monotonic() + time_limit if time_limit else None
    run = _Run(timeout=timeout)
    by_check = {}
    for exercise, where in plan.items():
        by_check.setdefault(where.check_cell, []).append((exercise, where))
    # The cells actually sent to the kernel, in order: the notebook's own and, between them, the
    # grader's hidden ones (the memory limit, the reference after a failed check). nbclient indexes
    # cells by position, so it gets a notebook of its own that grows as the run goes.
    work = nbformat.v4.new_notebook(metadata=nb.metadata)
    interrupted = set()  # positions in `work` of the cells stopped at their time limit

    def on_cell_error(cell, cell_index, execute_reply):
        if (execute_reply or {}).get("content", {}).get("ename") == TIMED_OUT:
            interrupted.add(cell_index)

    def left():
        return None if deadline is None else deadline - time.monotonic()

    def out_of_time(index):
        return (index, _("the notebook's time limit of {seconds:g} s ran out in {cell}").format(
            seconds=time_limit, cell=_where(nb, index)))

    def execute(cell, limit, hidden=False) -> bool:
        """Run one cell within `limit` seconds and the notebook's deadline; False if it was interrupted."""
        work.cells.append(cell)
        limits = [t for t in (limit or None, left()) if t is not None]
        client.timeout = max(1, int(min(limits) + 0.999)) if limits else None
        client.execute_cell(cell, len(work.cells) - 1, store_history=not hidden)
        return len(work.cells) - 1 not in interrupted

    def hidden(source, limit=timeout) -> bool:
        return execute(nbformat.v4.new_code_cell(source), limit, hidden=True)

    index = None  # the notebook cell being run
    with tempfile.TemporaryDirectory(prefix="course-grade-", ignore_cleanup_errors=True) as scratch:
        # the kernel may delete this copy or the whole directory: the grader runs its own, in memory
        nbformat.write(nb, Path(scratch) / name)
        # A cell over its time is interrupted (KeyboardInterrupt) and reported with a made-up error
        # reply; iopub_timeout is then how long its last outputs may take to arrive.
        client = _client_class()(work, timeout=timeout, kernel_name="python3", allow_errors=True,
                                 interrupt_on_timeout=True, error_on_timeout={"ename": TIMED_OUT, "evalue": ""},
                                 iopub_timeout=INTERRUPT_GRACE, on_cell_error=on_cell_error, log=_log,
                                 startup_timeout=max(1, min(60, int(time_limit or 60))),
                                 resources={"metadata": {"path": scratch}})
        client.kept_chars, client.flooded = {}, set()  # by position in `work`
        try:
            # the kernel's stderr (its own warnings) is not the learner's output, which comes as messages
            with client.setup_kernel(env=_kernel_env(language), stderr=subprocess.DEVNULL):
                if memory_mb and sys.platform.startswith("linux"):
                    limit = int(memory_mb) * 1024 * 1024
                    hidden(f"import resource as _r\n_r.setrlimit(_r.RLIMIT_AS, ({limit}, {limit}))\ndel _r")
                for index, cell in enumerate(nb.cells):
                    if cell.cell_type != "code" or not cell.source.strip():
                        continue
                    if left() is not None and left() <= 0:
                        run.stopped = out_of_time(index)
                        break
                    position = len(work.cells)  # the cell's index in `work`
                    if not execute(cell, timeout):
                        if left() is not None and left() <= 0:
                            run.stopped = out_of_time(index)
                            break
                        run.timed_out.add(index)
                        # does the kernel come back? (an interrupt can be ignored, or land in C code)
                        if not hidden("pass", INTERRUPT_GRACE):
                            run.stopped = (index, _("{cell} ran longer than {seconds:g} s and did not stop when "
                                                    "interrupted").format(cell=_where(nb, index), seconds=timeout))
                            break
                    if position in client.flooded:
                        run.flooded.add(index)
                    error = next((o for o in cell.outputs if o.get("output_type") == "error"), None)
                    if error is not None:
                        run.errors[index] = (plain(error.get("ename", "")), plain(error.get("evalue", "")))
                    for exercise, where in by_check.get(index, []):
                        if where.target and (not _verdict(cell, exercise) or _syntax_error(run, where.code_cell)):
                            # the notebook goes on with the reference, as a failed check() does
                            hidden('__import__("course.checks.exercises")\n'
                                   f'{where.target} = __import__("course.checks", fromlist=["REGISTRY"])'
                                   f'.REGISTRY[{exercise!r}].reference')
        except DeadKernelError:
            run.stopped = (index or 0, _died(nb, index or 0))
        except Exception as e:  # the kernel would not start, or stopped answering
            what = f"{type(e).__name__}: {plain(e)}".strip()
            run.stopped = ((0, _("the kernel could not be started ({error})").format(error=what)) if index is None
                           else (index, _("grading stopped in {cell} ({error})").format(cell=_where(nb, index),
                                                                                        error=what)))
    return run


def _where(nb, index) -> str:
    """'cell 7 ("def sigmoid(x):")': a cell by its position, counting every cell from 1, and its first line."""
    lines = [line for line in nb.cells[index].source.splitlines() if line.strip()] if index < len(nb.cells) else []
    first = lines[0].strip() if lines else ""
    if not first:
        return _("cell {number}").format(number=index + 1)
    return _('cell {number} ("{first_line}")').format(number=index + 1,
                                                     first_line=first[:40] + ("..." if len(first) > 40 else ""))


def _died(nb, index) -> str:
    """Why the kernel died at cell `index`, naming the cell that asked it to if one did."""
    for i in range(min(index, len(nb.cells) - 1), -1, -1):
        cell = nb.cells[i]
        found = KERNEL_STOPPERS.search(cell.source) if cell.cell_type == "code" else None
        if found:
            if i == index:
                return _("the kernel died in {cell}: it calls {function}(), which stops the kernel").format(
                    cell=_where(nb, index), function=found.group(1))
            return _("the kernel died in {cell}: {culprit} calls {function}(), which stops the kernel").format(
                cell=_where(nb, index), culprit=_where(nb, i), function=found.group(1))
    return _("the kernel died in {cell} (a crash, or the memory limit)").format(cell=_where(nb, index))


def _verdict(cell, exercise):
    """The last verdict record for `exercise` in the cell's outputs, or None."""
    from .checks import VERDICT_MIME

    found = None
    for output in cell.get("outputs", []):
        record = output.get("data", {}).get(VERDICT_MIME)
        if isinstance(record, dict) and record.get("exercise") == exercise:
            found = record
    return found


def _syntax_error(run, index):
    """(message, line) when cell `index` failed with a syntax error in this run, else None."""
    ename, evalue = run.errors.get(index, ("", ""))
    if ename not in SYNTAX_ERRORS:
        return None
    found = re.search(r"\(([^()]*), line (\d+)\)\s*$", evalue)  # IPython: "expected ':' (3305207.py, line 1)"
    return (evalue[: found.start()].strip() if found else evalue) or ename, found.group(2) if found else "?"


def _row(nb, plan, run, exercise) -> dict:
    """The row of one exercise from this run: see grade_notebook's statuses."""
    def row(status, message, mistake=""):
        return {"exercise": exercise, "status": status, "mistake": mistake, "message": message}

    where = plan.get(exercise)
    if where is None:
        return row("missing", _("the notebook has no check cell for this exercise ({call}): it was deleted or "
                                "changed, so the exercise could not be graded").format(
            call=f'check("{exercise}", ...)'))
    code, check = where.code_cell, where.check_cell
    syntax = _syntax_error(run, code)
    if syntax:
        return row("error", _("syntax error in the exercise cell, line {line}: {error}").format(line=syntax[1],
                                                                                              error=syntax[0]))
    record = None
    for cell in nb.cells[check:]:  # the last verdict this run showed, from its check cell on
        record = _verdict(cell, exercise) or record
    if record is not None:
        status = record.get("status") if record.get("status") in STATUSES else "error"
        return row(status, str(record.get("message", "")), str(record.get("mistake", "") or ""))
    if run.stopped is not None and run.stopped[0] <= check:
        return row("not run", _("the notebook stopped before this check: {reason}").format(reason=run.stopped[1]))
    if code is not None and code in run.timed_out:
        return row("error", _("the exercise cell ran longer than {seconds:g} s and was interrupted "
                              "(an endless loop?)").format(seconds=run.timeout))
    if code is not None and code in run.errors:
        ename, evalue = run.errors[code]
        return row("error", _("the exercise cell raised {error}").format(error=_error(ename, evalue)))
    if check in run.timed_out:
        return row("error", _("the check did not finish within {seconds:g} s: the function may loop forever "
                              "on some input").format(seconds=run.timeout))
    if check in run.errors:
        ename, evalue = run.errors[check]
        if ename == "NameError":
            return row("error", _("the check cell raised {error} (is the exercise's function defined above "
                                  "it?)").format(error=_error(ename, evalue)))
        return row("error", _("the check cell raised {error}").format(error=_error(ename, evalue)))
    return row("error", _("the check cell ran but showed no verdict"))


def _error(ename, evalue) -> str:
    """'NameError: name 'x' is not defined', or the bare name when the exception has no message."""
    return f"{ename}: {evalue}" if evalue else ename


def _rows_for_all(name, exercises, status, message) -> list[dict]:
    return [{"notebook": name, "exercise": exercise, "status": status, "mistake": "", "message": plain(message),
             "hints": 0} for exercise in exercises]

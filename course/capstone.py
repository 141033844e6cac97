"""The capstone's parts: the learner's own functions from notebooks 02-07, or the reference where theirs is missing.

    parts = collect_parts()          # in the capstone notebook, whose folder holds the earlier notebooks
    parts                            # the table: each part, yours or the reference, and why
    parts.relu, parts.adam_step      # the functions the network is trained with

For each part, `collect_parts` reads the notebook it was written in (nbformat) and runs, in a fresh
namespace, only the statements that define something: imports, `def` and `class` statements and
assignments of literal constants, chosen from the cells' syntax trees, so no training cell and no
figure ever runs. A check cell `name = check("name", name)` is replayed quietly: the exercise's check
runs (course.checks.run, nothing displayed) and the name is bound to the learner's function if it
passed, else to the reference, as the notebook itself would do; so a learner's `sigmoid_grad`
calls their `sigmoid` only if that passed. The part is the learner's function when its check passes;
otherwise the reference, with the reason: not done, wrong (the check's message), notebook missing,
cell failed, or not found.
"""
from __future__ import annotations

import ast
import contextlib
import html
import io
import re
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ._validate import CourseInputError, describe


@dataclass(frozen=True)
class Part:
    """One function the capstone needs: the exercise `name`, the notebook (file stem) it is written in,
    and what it does in the network."""

    name: str
    notebook: str
    role: str


PARTS = (
    Part("relu", "02_activation_functions", "the hidden layers' activation"),
    Part("dense_forward", "03_layers_and_forward_propagation", "a layer's forward pass, x·W + b"),
    Part("softmax_cross_entropy", "04_loss_functions", "the loss and its gradient from the logits"),
    Part("relu_backward", "05_backpropagation", "the ReLU's backward pass"),
    Part("dense_backward", "05_backpropagation", "a layer's backward pass"),
    Part("iterate_minibatches", "06_training_an_mlp", "one epoch's shuffled mini-batches"),
    Part("adam_step", "07_optimisers_and_practice", "one Adam step for one array"),
    Part("accuracy", "06_training_an_mlp", "the fraction of correct predictions"),
)

YOURS, REFERENCE = "yours", "reference"


@dataclass
class Collected:
    """Where one part came from: `source` is "yours" or "reference"; `reason` says why in one line;
    `function` is what the capstone uses."""

    part: Part
    source: str
    reason: str
    function: Callable


class Parts:
    """The functions the capstone trains with, one attribute per part (`parts.relu`, ...), and the record of
    where each came from (`parts.rows`, a list of Collected). Shown as a table: part, notebook, yours or
    the reference, why."""

    def __init__(self, rows, folder: str = ""):
        self.rows = list(rows)
        self.folder = folder
        for row in self.rows:
            setattr(self, row.part.name, row.function)

    @property
    def names(self) -> list[str]:
        return [row.part.name for row in self.rows]

    def yours(self) -> list[str]:
        """The names of the parts that are the learner's own functions."""
        return [row.part.name for row in self.rows if row.source == YOURS]

    def __getattr__(self, name):
        # only reached for a name that is not a part: one sentence instead of a bare AttributeError
        if name.startswith("__"):
            raise AttributeError(name)
        names = [row.part.name for row in self.__dict__.get("rows", [])]
        raise AttributeError(f"parts has no {name!r}: its parts are {', '.join(names)}.")

    def table(self, width: int = 120) -> str:
        """The plain-text table: one row per part, the reason wrapped to fit `width` characters."""
        head = ("part", "notebook", "used", "why")
        body = [(r.part.name, r.part.notebook, r.source, r.reason) for r in self.rows]
        widths = [max(len(row[i]) for row in [head, *body]) for i in range(3)]
        indent = sum(widths) + 6
        lines = []
        for row in [head, *body]:
            start = "  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths)) + "  "
            why = textwrap.wrap(row[3], max(30, width - indent)) or [""]
            lines += [start + why[0]] + [" " * indent + more for more in why[1:]]
        mine = len(self.yours())
        lines.append(f"{mine} of {len(self.rows)} parts are yours" + (f" (from {self.folder}/)" if self.folder else ""))
        return "\n".join(lines)

    def __repr__(self):
        return self.table()

    def _repr_html_(self):
        colour = {YOURS: "#e6f4ea", REFERENCE: "#f1f3f4"}
        rows = "".join(
            f'<tr style="background:{colour[r.source]}"><td><code>{html.escape(r.part.name)}</code></td>'
            f"<td>{html.escape(r.part.notebook)}</td><td>{html.escape(r.part.role)}</td>"
            f"<td><b>{html.escape(r.source)}</b></td><td style='text-align:left'>{html.escape(r.reason)}</td></tr>"
            for r in self.rows)
        where = f" (from {html.escape(self.folder)}/)" if self.folder else ""
        return ("<table><tr><th>part</th><th>notebook</th><th>role</th><th>used</th><th>why</th></tr>"
                f"{rows}</table><p>{len(self.yours())} of {len(self.rows)} parts are yours{where}</p>")


# ---------------------------------------------------------------- reading one notebook

@dataclass
class _Found:
    function: Callable | None = None
    verdict: object = None        # the quiet check's Verdict, when the notebook has a check cell for it
    failure: str = ""             # "ExceptionName: message" of the cell statement that should have defined it


def _cell_python(source: str) -> str:
    """The cell's source as plain Python: IPython's magics and shell escapes become function calls."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return source
    try:
        return TransformerManager().transform_cell(source)
    except Exception:
        return source


def _is_literal(node) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def _check_call(stmt):
    """(target, exercise, argument) for `target = check("exercise", argument)`, else None."""
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
        return None
    call = stmt.value
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "check"
            and len(call.args) == 2 and not call.keywords and isinstance(call.args[0], ast.Constant)
            and isinstance(call.args[0].value, str) and isinstance(call.args[1], ast.Name)):
        return None
    return stmt.targets[0].id, call.args[0].value, call.args[1].id


def _defines(stmt) -> list[str]:
    """The names a statement that only defines something binds; [] for any other statement (not run)."""
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return [(alias.asname or alias.name).split(".")[0] for alias in stmt.names]
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [stmt.name]
    if isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) for t in stmt.targets) and _is_literal(stmt.value):
        return [t.id for t in stmt.targets]
    if (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None
            and _is_literal(stmt.value)):
        return [stmt.target.id]
    return []


def _quiet(function, *args):
    """Run function(*args) with its prints, figures' text and warnings kept off the screen."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args)


def _read_notebook(path: Path, wanted: set[str]) -> dict[str, _Found]:
    """Run the defining statements of the notebook at `path` and replay its check cells quietly.
    Returns {name: _Found} for every name in `wanted`."""
    import nbformat

    from .checks import REGISTRY, run

    nb = nbformat.read(path, as_version=4)
    namespace = {"__name__": f"course_capstone_{path.stem}"}
    found = {name: _Found() for name in wanted}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        where = f"{path.name}, cell {index}"
        try:
            tree = ast.parse(_cell_python(cell.source), filename=where)
        except SyntaxError as e:
            for name in wanted:
                if re.search(rf"\bdef\s+{re.escape(name)}\s*\(", cell.source):
                    found[name].failure = f"SyntaxError in cell {index}, line {e.lineno}: {e.msg}"
            continue
        for stmt in tree.body:
            replay = _check_call(stmt)
            if replay is not None:
                target, exercise, argument = replay
                if exercise not in REGISTRY:
                    continue
                function = namespace.get(argument)
                if function is None:  # its definition failed or is missing: the notebook would stop here
                    namespace[target] = REGISTRY[exercise].reference
                    continue
                verdict = _quiet(run, REGISTRY[exercise], function)
                if exercise in wanted:
                    found[exercise].function, found[exercise].verdict = function, verdict
                namespace[target] = function if verdict.passed else REGISTRY[exercise].reference
                continue
            names = _defines(stmt)
            if not names:
                continue
            try:
                _quiet(exec, compile(ast.Module(body=[stmt], type_ignores=[]), where, "exec"), namespace)
            except Exception as e:  # a learner's cell: report it, keep reading the others
                for name in names:
                    if name in wanted:
                        found[name].failure = f"{type(e).__name__} in cell {index}: {str(e).rstrip('.')}"
            else:
                for name in names:
                    if name in wanted and found[name].verdict is None:
                        found[name].function, found[name].failure = namespace.get(name), ""
    return found


def _decide(part: Part, found: _Found | None, reason_if_missing: str):
    """(source, reason, function) for one part."""
    from .checks import REGISTRY, run
    from .checks.core import NOT_DONE, PASSED

    reference = REGISTRY[part.name].reference
    if found is None:
        return REFERENCE, reason_if_missing, reference
    if found.function is None:
        if found.failure:
            return REFERENCE, f"cell failed: {found.failure}", reference
        return REFERENCE, f"not found: {part.notebook} defines no function {part.name}", reference
    verdict = found.verdict if found.verdict is not None else _quiet(run, REGISTRY[part.name], found.function)
    if verdict.status == PASSED:
        return YOURS, "its check passed", found.function
    if verdict.status == NOT_DONE:
        return REFERENCE, "not done", reference
    return REFERENCE, f"wrong: {_what_went_wrong(verdict)}", reference


def _what_went_wrong(verdict) -> str:
    """The check's verdict without the input it was found on: the named mistake and its hint, or what the
    function did ("your function raised ...", "your function returned shape ...")."""
    message = verdict.message
    named = f": {verdict.mistake}."
    if verdict.mistake and named in message:
        return verdict.mistake + "." + message.split(named, 1)[1]
    if " your function " in message:
        return "your function " + message.split(" your function ", 1)[1]
    return message


def collect_parts(folder=".", parts=PARTS) -> Parts:
    """The learner's own functions for the capstone, or the reference for each part theirs cannot be used.

    folder: the folder that holds the course notebooks (the capstone's own folder, `.` when run from it):
    notebooks/ for a learner, solutions/ for the solutions. parts: the Part records to collect (default
    PARTS: relu, dense_forward, softmax_cross_entropy, relu_backward, dense_backward, iterate_minibatches,
    adam_step, accuracy). Each part's notebook is read, its defining statements run in a fresh namespace
    and its check run quietly (see the module's docstring); nothing is written.

    Returns a Parts object: `parts.<name>` is the function to use (with the same signature and shapes
    as the exercise), `parts.rows` says for each part "yours" or "reference" and why. Raises
    CourseInputError if `folder` is not a directory or `parts` is not a sequence of Part records of
    registered exercises.
    """
    from .checks import REGISTRY
    from .checks import exercises  # noqa: F401  (registers every exercise)

    if isinstance(folder, bool) or not isinstance(folder, (str, Path)):
        raise CourseInputError(f"folder: expected the path of the folder with the course notebooks, got {describe(folder)}.")
    root = Path(folder)
    if not root.is_dir():
        raise CourseInputError(f"folder: expected the folder with the course notebooks (e.g. notebooks/), "
                               f"got {str(folder)!r}, which is not a directory.")
    if not isinstance(parts, (list, tuple)) or not parts or not all(isinstance(p, Part) for p in parts):
        raise CourseInputError(f"parts: expected a non-empty list of course.capstone.Part records, got {describe(parts)}.")
    unknown = [p.name for p in parts if p.name not in REGISTRY]
    if unknown:
        raise CourseInputError(f"parts: {', '.join(unknown)} is not a registered exercise.")
    by_notebook: dict[str, list[Part]] = {}
    for part in parts:
        by_notebook.setdefault(part.notebook, []).append(part)
    rows = {}
    for stem, group in by_notebook.items():
        path = root / f"{stem}.ipynb"
        if not path.is_file():
            for part in group:
                rows[part.name] = _decide(part, None, f"notebook missing: {path.name} is not in this folder")
            continue
        try:
            found = _read_notebook(path, {p.name for p in group})
        except Exception as e:  # an unreadable file: every part from it falls back to the reference
            for part in group:
                rows[part.name] = _decide(part, None, f"notebook unreadable: {type(e).__name__}: {e}"[:200])
            continue
        for part in group:
            rows[part.name] = _decide(part, found[part.name], "")
    name = root.resolve().name
    return Parts([Collected(p, *rows[p.name]) for p in parts], folder=name)


def reference_parts(parts=PARTS) -> Parts:
    """A Parts object holding the reference function of every part (what a learner with no solved notebook gets)."""
    from .checks import REGISTRY
    from .checks import exercises  # noqa: F401  (registers every exercise)

    return Parts([Collected(p, REFERENCE, "the reference", REGISTRY[p.name].reference) for p in parts])

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

Everything shown (the table, the reasons, the errors) is in the notebook's language (course.i18n);
`source` is "yours" or "reference" in every language.
"""
from __future__ import annotations

import ast
import contextlib
import html
import io
import re
import textwrap
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ._validate import CourseInputError, describe
from .i18n import N_, _


@dataclass(frozen=True)
class Part:
    """One function the capstone needs: the exercise `name`, the notebook (file stem) it is written in,
    and what it does in the network (English, marked for translation: shown with `_(role)`)."""

    name: str
    notebook: str
    role: str


PARTS = (
    Part("relu", "02_activation_functions", N_("the hidden layers' activation")),
    Part("dense_forward", "03_layers_and_forward_propagation", N_("a layer's forward pass, x·W + b")),
    Part("softmax_cross_entropy", "04_loss_functions", N_("the loss and its gradient from the logits")),
    Part("relu_backward", "05_backpropagation", N_("the ReLU's backward pass")),
    Part("dense_backward", "05_backpropagation", N_("a layer's backward pass")),
    Part("iterate_minibatches", "06_training_an_mlp", N_("one epoch's shuffled mini-batches")),
    Part("adam_step", "07_optimisers_and_practice", N_("one Adam step for one array")),
    Part("accuracy", "06_training_an_mlp", N_("the fraction of correct predictions")),
)

YOURS, REFERENCE = N_("yours"), N_("reference")  # the values of Collected.source; shown with _()


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
        raise AttributeError(_("parts has no {name}: its parts are {names}.").format(name=repr(name),
                                                                                   names=", ".join(names)))

    def summary(self) -> str:
        """'3 of 8 parts are yours (from notebooks/)', in the current language."""
        mine, total = len(self.yours()), len(self.rows)
        if self.folder:
            return _("{mine} of {total} parts are yours (from {folder}/)").format(mine=mine, total=total,
                                                                                  folder=self.folder)
        return _("{mine} of {total} parts are yours").format(mine=mine, total=total)

    def table(self, width: int = 120) -> str:
        """The plain-text table: one row per part, the reason wrapped to fit `width` columns (a Chinese
        character takes two)."""
        head = (_("part"), _("notebook"), _("used"), _("why"))
        body = [(r.part.name, r.part.notebook, _(r.source), r.reason) for r in self.rows]
        widths = [max(_columns(row[i]) for row in [head, *body]) for i in range(3)]
        indent = sum(widths) + 6
        lines = []
        for row in [head, *body]:
            start = "  ".join(cell + " " * (w - _columns(cell)) for cell, w in zip(row[:3], widths)) + "  "
            why = _wrap(row[3], max(30, width - indent)) or [""]
            lines += [start + why[0]] + [" " * indent + more for more in why[1:]]
        lines.append(self.summary())
        return "\n".join(lines)

    def __repr__(self):
        return self.table()

    def _repr_html_(self):
        colour = {YOURS: "#e6f4ea", REFERENCE: "#f1f3f4"}
        rows = "".join(
            f'<tr style="background:{colour[r.source]}"><td><code>{html.escape(r.part.name)}</code></td>'
            f"<td>{html.escape(r.part.notebook)}</td><td>{html.escape(_(r.part.role))}</td>"
            f"<td><b>{html.escape(_(r.source))}</b></td><td style='text-align:left'>{html.escape(r.reason)}</td></tr>"
            for r in self.rows)
        head = "".join(f"<th>{html.escape(h)}</th>" for h in (_("part"), _("notebook"), _("role"), _("used"), _("why")))
        return f"<table><tr>{head}</tr>{rows}</table><p>{html.escape(self.summary())}</p>"


def _columns(text: str) -> int:
    """The columns a terminal gives `text`: two for each wide (Chinese, Japanese, Korean) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns: at spaces (textwrap) for text without wide characters, else
    greedily, character by character (Chinese has no spaces between words)."""
    if _columns(text) == len(text):
        return textwrap.wrap(text, width)
    lines, line = [], ""
    for ch in text:
        if line and _columns(line + ch) > width:
            lines.append(line.rstrip())
            line = ch.lstrip()
        else:
            line += ch
    return [*lines, line.rstrip()] if line.strip() else lines


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
                    found[name].failure = _("SyntaxError in cell {index}, line {line}: {error}").format(
                        index=index, line=e.lineno, error=e.msg)
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
                        found[name].failure = _("{exception} in cell {index}: {error}").format(
                            exception=type(e).__name__, index=index, error=str(e).rstrip("."))
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
            return REFERENCE, _("cell failed: {error}").format(error=found.failure), reference
        return REFERENCE, _("not found: {notebook} defines no function {name}").format(notebook=part.notebook,
                                                                                      name=part.name), reference
    verdict = found.verdict if found.verdict is not None else _quiet(run, REGISTRY[part.name], found.function)
    if verdict.status == PASSED:
        return YOURS, _("its check passed"), found.function
    if verdict.status == NOT_DONE:
        return REFERENCE, _("not done"), reference
    return REFERENCE, _("wrong: {what}").format(what=_what_went_wrong(verdict)), reference


def _what_went_wrong(verdict) -> str:
    """The check's verdict without the input it was found on: the named mistake and its hint, or what the
    function did ("your function raised ...", "your function returned shape ..."). A message in another language
    than English is kept whole when these English markers are not in it."""
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
        raise CourseInputError(_("folder: expected the path of the folder with the course notebooks, got "
                                 "{value}.").format(value=describe(folder)))
    root = Path(folder)
    if not root.is_dir():
        raise CourseInputError(_("folder: expected the folder with the course notebooks (e.g. notebooks/), got "
                                 "{value}, which is not a directory.").format(value=repr(str(folder))))
    if not isinstance(parts, (list, tuple)) or not parts or not all(isinstance(p, Part) for p in parts):
        raise CourseInputError(_("parts: expected a non-empty list of course.capstone.Part records, got "
                                 "{value}.").format(value=describe(parts)))
    unknown = [p.name for p in parts if p.name not in REGISTRY]
    if unknown:
        raise CourseInputError(_("parts: {names} is not a registered exercise.").format(names=", ".join(unknown)))
    by_notebook: dict[str, list[Part]] = {}
    for part in parts:
        by_notebook.setdefault(part.notebook, []).append(part)
    rows = {}
    for stem, group in by_notebook.items():
        path = root / f"{stem}.ipynb"
        if not path.is_file():
            for part in group:
                rows[part.name] = _decide(part, None, _("notebook missing: {file} is not in this folder").format(
                    file=path.name))
            continue
        try:
            found = _read_notebook(path, {p.name for p in group})
        except Exception as e:  # an unreadable file: every part from it falls back to the reference
            for part in group:
                rows[part.name] = _decide(part, None, _("notebook unreadable: {error}").format(
                    error=f"{type(e).__name__}: {e}")[:200])
            continue
        for part in group:
            rows[part.name] = _decide(part, found[part.name], "")
    name = root.resolve().name
    return Parts([Collected(p, *rows[p.name]) for p in parts], folder=name)


def reference_parts(parts=PARTS) -> Parts:
    """A Parts object holding the reference function of every part (what a learner with no solved notebook gets)."""
    from .checks import REGISTRY
    from .checks import exercises  # noqa: F401  (registers every exercise)

    return Parts([Collected(p, REFERENCE, _("the reference"), REGISTRY[p.name].reference) for p in parts])

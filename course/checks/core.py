"""One mechanism for every exercise check.

An exercise is described once (:class:`Exercise`): the reference function,
fixed cases and a random-case generator, and named wrong variants. `check`
runs the learner's function on every case and compares it with the
reference; on a mismatch it looks for the wrong variant that gives the same
answer and names it. The verdict is shown (text in a terminal, HTML in
Jupyter) and recorded in the cell's output under the MIME type VERDICT_MIME,
which `python -m course grade` reads. `check` returns the function the rest
of the notebook should use: the learner's when it passed, else the reference.
"""
from __future__ import annotations

import copy
import html
import inspect
import warnings
import zlib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

VERDICT_MIME = "application/vnd.course.verdict+json"
# Each hint shown is recorded in the cell's output under this MIME type ({"exercise", "level", "of"}),
# so `python -m course grade` can report how many hint levels a learner opened.
HINT_MIME = "application/vnd.course.hint+json"
HINT_LEVELS = ("an idea", "the formula and the shapes", "the code")

PASSED, WRONG, NOT_DONE, ERROR = "passed", "wrong", "not done", "error"
# The mark in front of each verdict. Text symbols that DejaVu Sans (the fallback of Linux
# browsers) and the Windows and macOS symbol fonts carry, not emoji: without a colour emoji
# font, the emoji once used here (U+2705, U+274C, U+23F3, U+26A0 U+FE0F) showed as empty
# boxes. ✓ ✗ are the marks `course doctor` prints too.
ICONS = {PASSED: "✓", WRONG: "✗", NOT_DONE: "○", ERROR: "⚠"}


@dataclass
class Mistake:
    """A known wrong way to solve an exercise: a function that makes that mistake, and a hint."""

    name: str
    function: Callable
    hint: str


@dataclass
class Exercise:
    """name: the id used in check(name, fn); reference: the correct function;
    cases: fixed argument tuples; random_case(rng) -> an argument tuple;
    mistakes: known wrong variants; compare(got, expected) -> None when equal,
    else a short description of the difference (default: `same`);
    hints: three texts the learner opens one at a time with hint(name): an idea,
    then the formula and the shapes, then the code (HINT_LEVELS);
    related: (description, function) pairs for quantities next to the answer (the
    pre-activation beside an activation, logits beside probabilities): a wrong answer
    that equals one of them on every case is told so."""

    name: str
    reference: Callable
    cases: list = field(default_factory=list)
    random_case: Callable | None = None
    mistakes: list = field(default_factory=list)
    n_random: int = 4
    compare: Callable | None = None
    notebook: str = ""
    hints: list = field(default_factory=list)
    related: list = field(default_factory=list)

    def all_cases(self):
        rng = np.random.default_rng(zlib.crc32(self.name.encode()))  # the same cases every run
        cases = [tuple(c) for c in self.cases]
        if self.random_case is not None:
            cases += [tuple(self.random_case(rng)) for _ in range(self.n_random)]
        return cases


REGISTRY: dict[str, Exercise] = {}


def register(exercise: Exercise) -> Exercise:
    REGISTRY[exercise.name] = exercise
    return exercise


def same(got, expected, rtol=1e-6, atol=1e-8):
    """None when `got` equals `expected` (arrays to rtol/atol, tuples and dicts item by item), else what differs."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return f"returned a {type(got).__name__}, expected a dict with keys {sorted(expected)}"
        if set(got) != set(expected):
            return f"returned keys {sorted(got)}, expected {sorted(expected)}"
        for k in expected:
            d = same(got[k], expected[k], rtol, atol)
            if d:
                return f"gives the wrong {k}: {d}"
        return None
    if isinstance(expected, (tuple, list)) and not _is_numeric_list(expected):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            n = len(got) if isinstance(got, (tuple, list)) else "not a tuple"
            count = n if isinstance(n, str) else f"{n} value{'s' if n != 1 else ''}"
            return f"returned {count}, expected {len(expected)} values"
        for i, (g, e) in enumerate(zip(got, expected)):
            d = same(g, e, rtol, atol)
            if d:
                return f"item {i}: {d}"
        return None
    if expected is None or isinstance(expected, (str, bool)):
        return None if got == expected else f"returned {got!r}, expected {expected!r}"
    e = np.asarray(expected)
    try:
        g = np.asarray(got)
    except Exception:
        return f"returned a {type(got).__name__}, expected an array of shape {e.shape}"
    if g.dtype == object or not (np.issubdtype(g.dtype, np.number) or g.dtype == bool):
        return f"returned {type(got).__name__}, expected numbers (shape {e.shape})"
    if g.shape != e.shape:
        return f"returned shape {g.shape}, expected shape {e.shape}"
    if np.issubdtype(e.dtype, np.floating) and not np.issubdtype(g.dtype, np.floating):
        return f"returned dtype {g.dtype}, expected floating-point numbers"
    if np.issubdtype(e.dtype, np.floating) and np.issubdtype(g.dtype, np.floating) and g.dtype != e.dtype:
        # float32 keeps about 7 digits: an answer computed in it is not the float64 answer asked for
        # (and an exercise that states float32 is not answered by float64)
        return f"returned dtype {g.dtype}, expected {e.dtype}"
    if not np.isfinite(g[np.isfinite(e)]).all():
        return "returned inf or NaN where the answer is a finite number"
    if not np.allclose(g, e, rtol=rtol, atol=atol, equal_nan=True):
        return "returned different values"
    return None


def labelled(*labels):
    """compare(got, expected) for a function returning a tuple, naming the item that differs:
    labelled("loss", "gradient") -> "gives the wrong gradient: returned different values"."""
    def compare(got, expected):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            what = (f"{len(got)} value{'s' if len(got) != 1 else ''}" if isinstance(got, (tuple, list))
                    else f"a {type(got).__name__}")
            return f"returned {what}, expected a tuple ({', '.join(labels)})"
        for label, g, e in zip(labels, got, expected):
            problem = same(g, e)
            if problem:
                return f"gives the wrong {label}: {problem}"
        return None
    compare.labels = labels  # diagnose names the items by them
    return compare


def _is_numeric_list(x):
    return isinstance(x, list) and all(isinstance(v, (int, float, np.number)) for v in x)


@dataclass
class Verdict:
    exercise: str
    status: str
    message: str
    mistake: str = ""
    # how a wrong answer was explained: "named" (a listed mistake), "diagnosed" (how it differs),
    # or "values" (nothing more specific than different values); "" for other statuses
    kind: str = ""

    @property
    def passed(self):
        return self.status == PASSED

    def record(self):
        return {"exercise": self.exercise, "status": self.status, "mistake": self.mistake, "message": self.message}


def _short(args):
    parts = []
    for a in args:
        if isinstance(a, np.ndarray):
            parts.append(f"array of shape {a.shape}" if a.size > 12
                         else " ".join(np.array2string(a, precision=3, separator=", ").split()))
        elif isinstance(a, (tuple, list)) and any(isinstance(v, np.ndarray) for v in a):
            inner = _short(a)[1:-1]
            parts.append(f"({inner})" if isinstance(a, tuple) else f"[{inner}]")
        elif hasattr(a, "shape") and hasattr(a, "dtype"):  # a torch / TensorFlow tensor: its repr spans lines
            parts.append(f"{type(a).__name__} of shape {tuple(a.shape)}")
        elif " at 0x" in repr(a):  # an object with no readable repr, e.g. a random Generator
            parts.append(type(a).__name__)
        else:  # the first line only: a module's or an optimiser's repr spans lines
            parts.append(repr(a).split("\n", 1)[0][:40])
    return "(" + ", ".join(parts) + ")"


def _call(fn, args):
    """Run fn on a deep copy of args; returns (output, warning messages, changed_input)."""
    mine = copy.deepcopy(args)
    with warnings.catch_warnings(record=True) as caught, np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
        warnings.simplefilter("always")
        out = fn(*mine)
        if inspect.isgenerator(out):  # a function that yields its results: collect them once
            out = list(out)
    changed = any(_differs(a, b) for a, b in zip(mine, args))
    return out, [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)], changed


def _differs(a, b):
    if isinstance(b, np.ndarray):
        return not (isinstance(a, np.ndarray) and a.shape == b.shape and np.array_equal(a, b, equal_nan=True))
    if isinstance(b, (list, tuple)):
        return len(a) != len(b) or any(_differs(x, y) for x, y in zip(a, b))
    return False


@dataclass
class _Outcome:
    """The learner's function on one case."""

    args: tuple
    expected: object
    got: object
    warns: list
    changed: bool
    problem: str | None


def _reproduces(mistake: Mistake, outcomes, compare) -> bool:
    """Whether a listed mistake gives the learner's output, warnings and in-place change on every case:
    only then is it named (a name that claims a cause that is not there is worse than none)."""
    for o in outcomes:
        try:
            wrong, wrong_warns, wrong_changed = _call(mistake.function, o.args)
        except Exception:
            return False
        if compare(o.got, wrong) is not None or bool(wrong_warns) != bool(o.warns) or wrong_changed != o.changed:
            return False
    return True


BARE = "returned different values"


def run(exercise: Exercise, fn) -> Verdict:
    """Run the learner's `fn` on every case of `exercise` and decide.

    A wrong answer is named after a listed mistake that reproduces it on every case, else
    diagnosed (diagnose.explain: how it differs, on the smallest failing case)."""
    from .diagnose import explain

    name = exercise.name
    if not callable(fn):
        return Verdict(name, ERROR, f"expected a function, got {type(fn).__name__}: define it with def and pass it in.")
    compare = exercise.compare or same
    cases = exercise.all_cases()
    outcomes = []
    for args in cases:
        expected = exercise.reference(*copy.deepcopy(args))
        try:
            got, warns, changed = _call(fn, args)
        except NotImplementedError:
            return Verdict(name, NOT_DONE, "not done yet: replace the `raise NotImplementedError` line with your code.")
        except Exception as e:  # the learner's code failed: one line, no traceback
            if any(o.problem for o in outcomes):
                break  # already wrong on an earlier case: explain that
            return Verdict(name, ERROR, f"on input {_short(args)} your function raised {type(e).__name__}: {str(e).rstrip('.')}.")
        problem = compare(got, expected)
        if problem is None and warns:
            problem = f"gave NumPy warnings ({warns[0]}): the formula is not numerically stable"
        if changed:
            problem = ("changed an input it was given in place, an array or a list (work on a copy or build a new one)"
                       + (f" and {problem}" if problem else ""))
        outcomes.append(_Outcome(args, expected, got, warns, changed, problem))
    failing = [o for o in outcomes if o.problem is not None]
    if not failing:
        return Verdict(name, PASSED, f"passed {len(cases)} cases.")
    first = failing[0]
    for m in exercise.mistakes:
        if _reproduces(m, outcomes, compare):
            return Verdict(name, WRONG, f"on input {_short(first.args)}: {m.name}. {m.hint}", m.name, "named")
    problem = first.problem
    bare = problem.endswith(BARE) and not first.changed  # "changed its input in place" says more
    if bare or "shape" in problem or "dtype" in problem:
        try:
            with warnings.catch_warnings():  # the probes call functions on inputs they were not made for
                warnings.simplefilter("ignore")
                sentence, detail, whole = explain(exercise, [(o.args, o.got, o.expected) for o in failing],
                                                  compare, fn)
        except Exception:  # a diagnosis must never hide the verdict
            sentence, detail, whole = None, "", False
        if sentence:
            if whole:  # it describes the whole result, not the item `problem` names
                problem = ("changed an input in place and " if first.changed else "") + sentence
            elif problem.endswith(BARE):
                prefix = problem[: -len(BARE)]
                problem = prefix + ("it " if prefix else "") + sentence
            elif not ("shape" in sentence or "dtype" in sentence or "float32" in sentence):
                problem = f"{problem}, and {sentence}"  # keep what was wrong with the type or shape
            else:
                problem = sentence
            bare = False
        if detail:
            return Verdict(name, WRONG, f"your function {problem}; {detail}.", kind="values" if bare else "diagnosed")
    return Verdict(name, WRONG, f"on input {_short(first.args)} your function {problem}.",
                   kind="values" if bare else "diagnosed")


def _show(verdict: Verdict, used: str):
    text = f"{ICONS[verdict.status]} {verdict.exercise}: {verdict.message} {used}"
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        colour = {PASSED: "#e6f4ea", WRONG: "#fce8e6", NOT_DONE: "#fef7e0", ERROR: "#fce8e6"}[verdict.status]
        bundle = {
            "text/plain": text,
            "text/html": f'<div style="background:{colour};padding:6px 10px;border-radius:4px">{html.escape(text)}</div>',
            VERDICT_MIME: verdict.record(),
        }
        display(bundle, raw=True)
    else:
        print(text)


def find(name: str, caller: str) -> Exercise:
    """The registered exercise `name`; KeyError naming `caller` (check, hint) and the known names otherwise."""
    from . import exercises  # noqa: F401  (registers every exercise)

    if name not in REGISTRY:
        raise KeyError(f"{caller}: no exercise called {name!r}; known: {', '.join(sorted(REGISTRY))}.")
    return REGISTRY[name]


def check(name: str, fn):
    """Check the learner's function `fn` for exercise `name`; show the verdict and
    return the function the rest of the notebook should use."""
    exercise = find(name, "check")
    verdict = run(exercise, fn)
    if verdict.passed:
        _show(verdict, "Using your function from here on.")
        return fn
    from .hints import next_hint

    _show(verdict, " ".join(filter(None, [
        next_hint(name), "The reference solution is used from here on, so the notebook keeps working."])))
    return exercise.reference

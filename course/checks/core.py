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

from .. import i18n
from ..i18n import N_

VERDICT_MIME = "application/vnd.course.verdict+json"
# Each hint shown is recorded in the cell's output under this MIME type ({"exercise", "level", "of"}),
# so `python -m course grade` can report how many hint levels a learner opened.
HINT_MIME = "application/vnd.course.hint+json"
HINT_LEVELS = (N_("an idea"), N_("the formula and the shapes"), N_("the code"))  # shown with _()

PASSED, WRONG, NOT_DONE, ERROR = "passed", "wrong", "not done", "error"
BARE = N_("returned different values")  # a problem that says nothing more specific
# The mark in front of each verdict. Text symbols that DejaVu Sans (the fallback of Linux
# browsers) and the Windows and macOS symbol fonts carry, not emoji: without a colour emoji
# font, the emoji once used here (U+2705, U+274C, U+23F3, U+26A0 U+FE0F) showed as empty
# boxes. ✓ ✗ are the marks `course doctor` prints too.
ICONS = {PASSED: "✓", WRONG: "✗", NOT_DONE: "○", ERROR: "⚠"}


class Said(str):
    """A message in the language it is shown in, that keeps its English.

    run() decides on the words of a problem (is it about a shape? does it only say "returned
    different values"?) and rebuilds a message with one part replaced; it does so on the English,
    so that a verdict is the same verdict in every language. `_` and `ngettext` below return a Said;
    its .format(...) gives a Said whose English is the English template filled with the English of
    each field, and which remembers its template and fields (for `replace_bare`)."""

    def __new__(cls, shown, english=None, template=None, fields=None):
        self = super().__new__(cls, shown)
        self.english = str(shown) if english is None else str(english)
        self.template, self.fields = template, dict(fields or {})
        return self

    def format(self, *args, **fields):
        shown = str.format(self, *args, **fields)
        en = str.format(self.english, *map(english, args), **{k: english(v) for k, v in fields.items()})
        return Said(shown, en, self, fields)

    def __add__(self, other):
        if not isinstance(other, str):
            return NotImplemented
        return Said(str(self) + other, self.english + english(other))

    def __radd__(self, other):
        if not isinstance(other, str):
            return NotImplemented
        return Said(other + str(self), english(other) + self.english)


def english(text):
    """The English of a message: a Said's, else the text itself (a string from elsewhere, in whatever
    language it was written)."""
    return getattr(text, "english", text)


def _(message: str) -> Said:
    """`message` in the current language (course.i18n._), keeping its English (see Said)."""
    return Said(i18n._(message), message)


def ngettext(singular: str, plural: str, n: int) -> Said:
    """The singular or plural form for `n` in the current language, keeping the English form."""
    return Said(i18n.ngettext(singular, plural, n), singular if n == 1 else plural)


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
            return _("returned a {type}, expected a dict with keys {keys}").format(
                type=type(got).__name__, keys=sorted(expected))
        if set(got) != set(expected):
            return _("returned keys {got}, expected {expected}").format(got=sorted(got), expected=sorted(expected))
        for k in expected:
            d = same(got[k], expected[k], rtol, atol)
            if d:
                return _("gives the wrong {key}: {problem}").format(key=k, problem=d)
        return None
    if isinstance(expected, (tuple, list)) and not _is_numeric_list(expected):
        if not isinstance(got, (tuple, list)):
            return _("returned not a tuple, expected {n} values").format(n=len(expected))
        if len(got) != len(expected):
            return ngettext("returned {count} value, expected {n} values", "returned {count} values, expected {n} values",
                            len(got)).format(count=len(got), n=len(expected))
        for i, (g, e) in enumerate(zip(got, expected)):
            d = same(g, e, rtol, atol)
            if d:
                return _("item {i}: {problem}").format(i=i, problem=d)
        return None
    if expected is None or isinstance(expected, (str, bool)):
        return None if got == expected else _("returned {got}, expected {expected}").format(got=repr(got),
                                                                                            expected=repr(expected))
    e = np.asarray(expected)
    try:
        g = np.asarray(got)
    except Exception:
        return _("returned a {type}, expected an array of shape {shape}").format(type=type(got).__name__,
                                                                                 shape=e.shape)
    if g.dtype == object or not (np.issubdtype(g.dtype, np.number) or g.dtype == bool):
        return _("returned {type}, expected numbers (shape {shape})").format(type=type(got).__name__, shape=e.shape)
    if g.shape != e.shape:
        return _("returned shape {got}, expected shape {expected}").format(got=g.shape, expected=e.shape)
    if np.issubdtype(e.dtype, np.floating) and not np.issubdtype(g.dtype, np.floating):
        return _("returned dtype {dtype}, expected floating-point numbers").format(dtype=g.dtype)
    if np.issubdtype(e.dtype, np.floating) and np.issubdtype(g.dtype, np.floating) and g.dtype != e.dtype:
        # float32 keeps about 7 digits: an answer computed in it is not the float64 answer asked for
        # (and an exercise that states float32 is not answered by float64)
        return _("returned dtype {got}, expected {expected}").format(got=g.dtype, expected=e.dtype)
    if not np.isfinite(g[np.isfinite(e)]).all():
        return _("returned inf or NaN where the answer is a finite number")
    if not np.allclose(g, e, rtol=rtol, atol=atol, equal_nan=True):
        return _(BARE)
    return None


def labelled(*labels):
    """compare(got, expected) for a function returning a tuple, naming the item that differs:
    labelled("loss", "gradient") -> "gives the wrong gradient: returned different values"."""
    def compare(got, expected):
        names = Said(", ".join(_(label) for label in labels), ", ".join(labels))  # labels: data, shown with _()
        if not isinstance(got, (tuple, list)):
            return _("returned a {type}, expected a tuple ({labels})").format(type=type(got).__name__, labels=names)
        if len(got) != len(expected):
            return ngettext("returned {n} value, expected a tuple ({labels})",
                            "returned {n} values, expected a tuple ({labels})", len(got)).format(n=len(got),
                                                                                                 labels=names)
        for label, g, e in zip(labels, got, expected):
            problem = same(g, e)
            if problem:
                return _("gives the wrong {label}: {problem}").format(label=_(label), problem=problem)
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

    def __post_init__(self):
        self.message = str(self.message)  # the text shown (a Said keeps its English too: not needed here)

    @property
    def passed(self):
        return self.status == PASSED

    def record(self):
        return {"exercise": self.exercise, "status": self.status, "mistake": self.mistake, "message": self.message}


def _short(args):
    parts = []
    for a in args:
        if isinstance(a, np.ndarray):
            parts.append(_("array of shape {shape}").format(shape=a.shape) if a.size > 12
                         else " ".join(np.array2string(a, precision=3, separator=", ").split()))
        elif isinstance(a, (tuple, list)) and any(isinstance(v, np.ndarray) for v in a):
            inner = _short(a)[1:-1]
            parts.append(f"({inner})" if isinstance(a, tuple) else f"[{inner}]")
        elif hasattr(a, "shape") and hasattr(a, "dtype"):  # a torch / TensorFlow tensor: its repr spans lines
            parts.append(_("{type} of shape {shape}").format(type=type(a).__name__, shape=tuple(a.shape)))
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


def _about_shape(problem) -> bool:
    """Whether a problem is about the shape or the dtype of the result. On the English of a Said; a
    notebook's own compare may return a plain string in the language shown, hence the Chinese words."""
    return any(word in english(problem) for word in ("shape", "dtype", "形状", "数据类型"))


def _bare(problem) -> bool:
    """Whether a problem ends with "returned different values" (and says nothing more specific there)."""
    return english(problem).endswith(BARE) or str(problem).endswith(i18n._(BARE))


def only_bare(problem) -> bool:
    """Whether `problem` is exactly "returned different values" (in English or in the language shown)."""
    return english(problem) == BARE or str(problem) == i18n._(BARE)


def replace_bare(problem, sentence):
    """`problem` with its closing "returned different values" replaced by `sentence`: the sentence
    itself for the bare problem, else "item 1: it <sentence>" (in the language shown). Walks down the
    Said's fields to the one that holds the bare words, so that a translation may place it anywhere."""
    if only_bare(problem):
        return sentence
    # TRANSLATORS: a diagnosis of one item of the result, after "item 1: " or "gives the wrong dW: "; the
    # sentence is a predicate ("is the right answer times 2"), "it" (the item) its subject.
    it = _("it {sentence}").format(sentence=sentence)

    def swap(text):
        template, fields = getattr(text, "template", None), getattr(text, "fields", {})
        for key, value in fields.items():
            if isinstance(value, str) and english(template).endswith("{%s}" % key) and _bare(value):
                return template.format(**{**fields, key: it if only_bare(value) else swap(value)})
        for bare in (english(text) == str(text) and BARE, i18n._(BARE)):  # a plain string: cut the words
            if bare and str(text).endswith(bare):
                return text[: -len(bare)] + it
        return it
    return swap(problem)


def run(exercise: Exercise, fn) -> Verdict:
    """Run the learner's `fn` on every case of `exercise` and decide.

    A wrong answer is named after a listed mistake that reproduces it on every case, else
    diagnosed (diagnose.explain: how it differs, on the smallest failing case). The verdict is the
    same in every language: the decisions below are taken on the English of the messages (Said)."""
    from .diagnose import explain

    name = exercise.name
    if not callable(fn):
        return Verdict(name, ERROR, _("expected a function, got {type}: define it with def and pass it in.").format(
            type=type(fn).__name__))
    compare = exercise.compare or same
    cases = exercise.all_cases()
    outcomes = []
    for args in cases:
        expected = exercise.reference(*copy.deepcopy(args))
        try:
            got, warns, changed = _call(fn, args)
        except NotImplementedError:
            return Verdict(name, NOT_DONE, _("not done yet: replace the `raise NotImplementedError` line with your code."))
        except Exception as e:  # the learner's code failed: one line, no traceback
            if any(o.problem for o in outcomes):
                break  # already wrong on an earlier case: explain that
            return Verdict(name, ERROR, _("on input {args} your function raised {error}: {reason}.").format(
                args=_short(args), error=type(e).__name__, reason=str(e).rstrip(".")))
        problem = compare(got, expected)
        if problem is None and warns:
            problem = _("gave NumPy warnings ({warning}): the formula is not numerically stable").format(
                warning=warns[0])
        if changed:
            in_place = _("changed an input it was given in place, an array or a list (work on a copy or build a new one)")
            problem = (_("{in_place} and {problem}").format(in_place=in_place, problem=problem) if problem
                       else in_place)
        outcomes.append(_Outcome(args, expected, got, warns, changed, problem))
    failing = [o for o in outcomes if o.problem is not None]
    if not failing:
        return Verdict(name, PASSED, _("passed {n} cases.").format(n=len(cases)))
    first = failing[0]
    for m in exercise.mistakes:
        if _reproduces(m, outcomes, compare):
            # the mistake's name and advice are data of the registry (exercises_NN), translated here;
            # the verdict records the English name (grade counts mistakes by it)
            return Verdict(name, WRONG, _("on input {args}: {mistake}. {advice}").format(
                args=_short(first.args), mistake=_(m.name), advice=_(m.hint)), m.name, "named")
    problem = first.problem
    bare = _bare(problem) and not first.changed  # "changed its input in place" says more
    if bare or _about_shape(problem):
        try:
            with warnings.catch_warnings():  # the probes call functions on inputs they were not made for
                warnings.simplefilter("ignore")
                sentence, detail, whole = explain(exercise, [(o.args, o.got, o.expected) for o in failing],
                                                  compare, fn)
        except Exception:  # a diagnosis must never hide the verdict
            sentence, detail, whole = None, "", False
        if sentence:
            if whole:  # it describes the whole result, not the item `problem` names
                problem = (_("changed an input in place and {sentence}").format(sentence=sentence) if first.changed
                           else sentence)
            elif _bare(problem):
                problem = replace_bare(problem, sentence)
            elif not any(word in english(sentence) for word in ("shape", "dtype", "float32")):
                problem = _("{problem}, and {sentence}").format(problem=problem, sentence=sentence)  # keep what was wrong with the type or shape
            else:
                problem = sentence
            bare = False
        if detail:
            # TRANSLATORS: {problem} is a predicate ("returned shape (3,), expected shape (2,)", "is the right
            # answer times 2"), the learner's function its subject; {detail} is the smallest failing case.
            return Verdict(name, WRONG, _("your function {problem}; {detail}.").format(problem=problem, detail=detail),
                           kind="values" if bare else "diagnosed")
    return Verdict(name, WRONG, _("on input {args} your function {problem}.").format(args=_short(first.args),
                                                                                      problem=problem),
                   kind="values" if bare else "diagnosed")


def then(*sentences) -> str:
    """Sentences one after the other (the empty ones left out): a space between them in English, none in
    Chinese."""
    sentences = [s for s in sentences if s]
    if not sentences:
        return ""
    text = sentences[0]
    for sentence in sentences[1:]:
        # TRANSLATORS: two sentences one after the other; Chinese writes them with no space between.
        text = _("{sentence} {next_sentence}").format(sentence=text, next_sentence=sentence)
    return text


def _show(verdict: Verdict, used: str):
    # TRANSLATORS: a check's verdict as shown: the mark (✓ ✗ ○ ⚠), the exercise's name (not translated),
    # the verdict, then which function the notebook goes on with.
    text = _("{mark} {exercise}: {verdict} {note}").format(mark=ICONS[verdict.status], exercise=verdict.exercise,
                                                          verdict=verdict.message, note=used)
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
        raise KeyError(_("{caller}: no exercise called {name}; known: {known}.").format(
            caller=caller, name=repr(name), known=", ".join(sorted(REGISTRY))))
    return REGISTRY[name]


def check(name: str, fn):
    """Check the learner's function `fn` for exercise `name`; show the verdict and
    return the function the rest of the notebook should use."""
    exercise = find(name, "check")
    verdict = run(exercise, fn)
    if verdict.passed:
        _show(verdict, _("Using your function from here on."))
        return fn
    from .hints import next_hint

    _show(verdict, then(next_hint(name), _("The reference solution is used from here on, so the notebook keeps working.")))
    return exercise.reference

"""A corpus of learner answers, right and wrong, for every exercise (issue 12, part 1).

Each module nbNN.py registers functions written the way learners write them, not the way the
reference does:

    @wrong("neuron", "the bias added after the sigmoid")
    def _(x, w, b):
        return sigmoid(x @ w) + b

    @right("neuron", "tanh form of the sigmoid")
    def _(x, w, b):
        return 0.5 * (1 + np.tanh((x @ w + b) / 2))

tests/test_answer_corpus.py (which imports this package as `answers`, tests/ being on
sys.path) checks that every right answer passes, no wrong answer passes, each
exercise has at least 4 wrong and 2 right answers, and that at least 90 % of the wrong answers get a
verdict that says more than "different values"; scripts/feedback_report.py prints the same figures
exercise by exercise.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict
from pathlib import Path

WRONG: dict[str, list] = defaultdict(list)  # exercise -> [(why, function)]
RIGHT: dict[str, list] = defaultdict(list)


def wrong(exercise: str, why: str):
    """Register a wrong answer to `exercise`; `why` says what the learner got wrong."""
    def register(fn):
        WRONG[exercise].append((why, fn))
        return fn
    return register


def right(exercise: str, why: str):
    """Register a right answer to `exercise`, written differently from the reference."""
    def register(fn):
        RIGHT[exercise].append((why, fn))
        return fn
    return register


def load():
    """Import every corpus module; returns (WRONG, RIGHT)."""
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name.startswith("nb"):
            importlib.import_module(f"{__name__}.{info.name}")
    return WRONG, RIGHT


def says_more(verdict) -> bool:
    """Whether a verdict on a wrong answer says more than "different values": a named mistake, a
    diagnosis of how the answer differs, or a specific problem (shape, type, exception, warnings)."""
    return verdict.status != "passed" and verdict.kind != "values"


def answer_from_hint(name: str, namespace: dict):
    """The learner's answer written from hint 3 (the code) of exercise `name`: the hint's lines as the body of a
    function with the reference's signature, run in `namespace` (the names the notebook has imported)."""
    import inspect
    import textwrap

    from course.checks import REGISTRY

    exercise = REGISTRY[name]
    namespace = dict(namespace)
    exec(f"def answer{inspect.signature(exercise.reference)}:\n{textwrap.indent(exercise.hints[2], '    ')}\n",
         namespace)
    return namespace["answer"]


def spliced_from_hint(name: str, namespace: dict):
    """The solution notebook's function `name` with its solution block replaced by hint 3 of exercise `name`,
    as a learner would paste it into the stub (so the lines the stub keeps, e.g. `x, W = cache`, stay)."""
    import nbformat

    from course.authoring import MARKER, ROOT
    from course.checks import REGISTRY

    exercise = REGISTRY[name]
    path = ROOT / "solutions" / f"{exercise.notebook}.ipynb"
    source = next(c.source for c in nbformat.read(path, as_version=4).cells
                  if c.cell_type == "code" and f"def {name}(" in c.source
                  and any(MARKER.match(line) for line in c.source.split("\n")))
    lines = source.split("\n")
    markers = [(i, MARKER.match(line)) for i, line in enumerate(lines) if MARKER.match(line)]
    (begin, first), (end, _) = markers[0], markers[1]
    body = [first["indent"] + line for line in exercise.hints[2].split("\n")]
    namespace = dict(namespace)
    exec("\n".join(lines[:begin] + body + lines[end + 1:]), namespace)
    return namespace[name]

"""What every exercise check must do, for every exercise of every notebook.

Exercise-specific behaviour (other correct answers pass, particular messages) is tested in
tests/test_checks_nbNN.py."""
import re
from pathlib import Path

import pytest

import course.checks.exercises  # noqa: F401  (registers every exercise)
from course.checks import REGISTRY, run
from course.checks.core import ERROR, NOT_DONE, PASSED, WRONG

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"
NAMES = sorted(name for name in REGISTRY if not name.startswith("_"))
MISTAKES = [(name, i) for name in NAMES for i in range(len(REGISTRY[name].mistakes))]


def test_every_notebook_has_its_exercises():
    assert len(NAMES) >= 20


@pytest.mark.parametrize("name", NAMES)
def test_reference_passes(name):
    verdict = run(REGISTRY[name], REGISTRY[name].reference)
    assert verdict.status == PASSED, verdict.message


@pytest.mark.parametrize("name", NAMES)
def test_at_least_three_named_mistakes(name):
    assert len(REGISTRY[name].mistakes) >= 3


@pytest.mark.parametrize("name,index", MISTAKES, ids=[f"{n}-{i}" for n, i in MISTAKES])
def test_each_mistake_is_named_with_its_hint(name, index):
    mistake = REGISTRY[name].mistakes[index]
    verdict = run(REGISTRY[name], mistake.function)
    assert verdict.status == WRONG
    assert verdict.mistake == mistake.name, verdict.message
    assert mistake.hint in verdict.message


@pytest.mark.parametrize("name", NAMES)
def test_stub_is_not_done(name):
    def stub(*args):
        raise NotImplementedError("Exercise not done yet.")
    verdict = run(REGISTRY[name], stub)
    assert verdict.status == NOT_DONE and "not done yet" in verdict.message


@pytest.mark.parametrize("name", NAMES)
def test_other_exception_is_a_one_line_error(name):
    def broken(*args):
        raise ValueError("operands could not be broadcast together")
    verdict = run(REGISTRY[name], broken)
    assert verdict.status == ERROR
    assert "ValueError: operands could not be broadcast together" in verdict.message and "\n" not in verdict.message


@pytest.mark.parametrize("name", NAMES)
def test_the_exercise_is_checked_in_its_notebook(name):
    notebook = SOLUTIONS / f"{REGISTRY[name].notebook}.ipynb"
    assert notebook.is_file(), f"{name}: exercise.notebook = {REGISTRY[name].notebook!r} is not in solutions/"
    assert re.search(rf"""check\(\\?["']{name}\\?["']""", notebook.read_text(encoding="utf-8")), notebook.name

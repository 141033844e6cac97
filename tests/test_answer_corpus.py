"""The corpus of learner answers (tests/answers/): right answers pass, wrong answers never do, and the
verdicts on wrong answers diagnose them (issue 12, part 1). scripts/feedback_report.py prints the figures."""
import pytest

import course.checks.exercises  # noqa: F401  (registers every exercise)
from answers import load, says_more
from course.checks import REGISTRY, run
from course.checks.core import PASSED

WRONG, RIGHT = load()
GOAL = 0.90  # share of wrong answers whose verdict says more than "different values"
MIN_WRONG, MIN_RIGHT = 4, 2


def _ids(table):
    return [f"{name}:{i}:{why}" for name, answers in sorted(table.items()) for i, (why, _) in enumerate(answers)]


def _cases(table):
    return [(name, why, fn) for name, answers in sorted(table.items()) for why, fn in answers]


@pytest.mark.parametrize("name", sorted(n for n in REGISTRY if not n.startswith("_")))  # "_": tests' own
def test_every_exercise_has_a_corpus(name):
    assert len(WRONG[name]) >= MIN_WRONG and len(RIGHT[name]) >= MIN_RIGHT, (
        f"{name}: {len(WRONG[name])} wrong and {len(RIGHT[name])} right answers in tests/answers/, "
        f"at least {MIN_WRONG} and {MIN_RIGHT} wanted")


def test_the_corpus_names_only_real_exercises():
    assert set(WRONG) | set(RIGHT) <= set(REGISTRY)


@pytest.mark.parametrize("name,why,fn", _cases(RIGHT), ids=_ids(RIGHT))
def test_right_answer_passes(name, why, fn):
    verdict = run(REGISTRY[name], fn)
    assert verdict.status == PASSED, f"{name}, right answer ({why}) rejected: {verdict.message}"


@pytest.mark.parametrize("name,why,fn", _cases(WRONG), ids=_ids(WRONG))
def test_wrong_answer_is_not_accepted(name, why, fn):
    verdict = run(REGISTRY[name], fn)
    assert verdict.status != PASSED, f"{name}, wrong answer ({why}) accepted: {verdict.message}"


def test_most_wrong_answers_are_diagnosed():
    verdicts = [run(REGISTRY[name], fn) for name, _, fn in _cases(WRONG)]
    share = sum(map(says_more, verdicts)) / len(verdicts)
    bare = [f"{name} ({why})" for (name, why, _), v in zip(_cases(WRONG), verdicts) if not says_more(v)]
    assert share >= GOAL, f"{share:.0%} of {len(verdicts)} wrong answers diagnosed; only 'different values' for {bare}"

"""Hints on request (course/checks/hints.py): one level at a time, pointed to by the check's verdict."""
import numpy as np
import pytest

from course.checks import Exercise, check, hint, register
from course.checks import hints as hints_module

HINTED = register(Exercise(
    name="_test_hinted_double", reference=lambda x: 2 * x, cases=[(np.array([1.0, -2.0]),)],
    hints=["Every entry is scaled by the same number.", "y = 2x, the shape of x.", "return 2 * x"]))


@pytest.fixture(autouse=True)
def fresh_kernel(monkeypatch):
    monkeypatch.setattr(hints_module, "_opened", {})


def test_each_call_opens_the_next_level(capsys):
    hint("_test_hinted_double")
    first = capsys.readouterr().out
    assert "Hint 1 of 3" in first and "(an idea)" in first and "Hint 2" not in first and "return 2 * x" not in first
    assert 'hint("_test_hinted_double") again for hint 2' in first
    hint("_test_hinted_double")
    second = capsys.readouterr().out
    assert "Hint 1 of 3" in second and "Hint 2 of 3" in second and "y = 2x" in second and "Hint 3" not in second
    hint("_test_hinted_double")
    hint("_test_hinted_double")  # past the last level: the last level again, nothing more
    last = capsys.readouterr().out
    assert last.count("Hint 3 of 3") == 2 and "return 2 * x" in last and "again" not in last.splitlines()[-1]


def test_a_level_can_be_asked_for(capsys):
    hint("_test_hinted_double", 3)
    assert "return 2 * x" in capsys.readouterr().out
    assert hints_module.opened("_test_hinted_double") == 3
    hint("_test_hinted_double", 1)  # looking back does not close what was opened
    assert hints_module.opened("_test_hinted_double") == 3


@pytest.mark.parametrize("level", [0, 4, 1.5, True, "2"])
def test_a_level_out_of_range_says_what_is_allowed(level):
    with pytest.raises(ValueError, match="level must be a whole number from 1 to 3"):
        hint("_test_hinted_double", level)


def test_unknown_exercise():
    with pytest.raises(KeyError, match="no exercise called 'nope'"):
        hint("nope")


def test_a_wrong_answer_points_to_the_next_level(capsys):
    check("_test_hinted_double", lambda x: 3 * x)
    assert 'Stuck? Run hint("_test_hinted_double") for hint 1 of 3 (an idea).' in capsys.readouterr().out
    hint("_test_hinted_double")
    capsys.readouterr()
    check("_test_hinted_double", lambda x: 3 * x)
    assert "for hint 2 of 3 (the formula and the shapes)" in capsys.readouterr().out
    hint("_test_hinted_double", 3)
    capsys.readouterr()
    check("_test_hinted_double", lambda x: 3 * x)
    assert "All 3 hints are open" in capsys.readouterr().out
    check("_test_hinted_double", lambda x: 2 * x)
    assert "Stuck" not in capsys.readouterr().out


def test_in_jupyter_the_level_is_recorded_for_grade(monkeypatch):
    shown = []
    import IPython
    import IPython.display

    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda bundle, raw: shown.append(bundle))
    hint("_test_hinted_double")
    hint("_test_hinted_double")
    from course.checks import HINT_MIME

    assert [b[HINT_MIME] for b in shown] == [{"exercise": "_test_hinted_double", "level": level, "of": 3}
                                             for level in (1, 2)]
    assert "<pre" in shown[1]["text/html"] and "y = 2x" in shown[1]["text/html"]


def _course_exercises():
    import course.checks.exercises  # noqa: F401  (registers every exercise)
    from course.checks import REGISTRY

    return sorted((name, ex) for name, ex in REGISTRY.items() if not name.startswith("_"))


@pytest.mark.parametrize("name,exercise", _course_exercises(), ids=[n for n, _ in _course_exercises()])
def test_every_exercise_has_three_levels_of_hints(name, exercise):
    from test_stubs_hold_no_code import CODE

    assert len(exercise.hints) == 3 and all(isinstance(h, str) and h.strip() for h in exercise.hints), name
    assert not CODE.search(exercise.hints[0]), f"{name}: hint 1 is an idea, not code: {exercise.hints[0]!r}"
    assert exercise.hints[2] != exercise.hints[1]


@pytest.mark.parametrize("name,exercise", _course_exercises(), ids=[n for n, _ in _course_exercises()])
def test_a_named_mistakes_advice_holds_no_code(name, exercise):
    """The verdict on a wrong answer explains and points to the next hint level; the code is hint 3's."""
    from test_stubs_hold_no_code import CODE

    coded = [(m.name, m.hint) for m in exercise.mistakes if CODE.search(m.hint)]
    assert not coded, f"{name}: advice with code (say it in words; the code belongs in hint 3): {coded}"

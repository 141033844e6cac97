"""The check mechanism itself, on a small exercise defined here."""
import numpy as np
import pytest

from course.checks import Exercise, Mistake, check, register, run
from course.checks.core import ERROR, NOT_DONE, PASSED, WRONG, same


def reference(x):
    return 2 * x + 1


def unstable(x):
    with np.errstate(over="warn"):
        np.exp(np.asarray(x, dtype=float) * 1e3)  # warns for large x, value unchanged
    return 2 * x + 1


DOUBLE = register(Exercise(
    name="_test_double_plus_one",
    reference=reference,
    cases=[(np.array([0.0, 1.0]),), (np.array([5.0, -5.0]),)],
    random_case=lambda rng: (rng.normal(size=3),),
    mistakes=[Mistake("the +1 is forgotten", lambda x: 2 * x, "Add 1."),
              Mistake("the formula overflows", unstable, "Use a stable formula."),
              Mistake("the input is changed in place", lambda x: np.multiply(x, 2, out=x) + 1, "Copy first.")],
))


def test_reference_passes():
    assert run(DOUBLE, reference).status == PASSED


def test_named_mistakes():
    assert run(DOUBLE, lambda x: 2 * x).mistake == "the +1 is forgotten"
    assert run(DOUBLE, unstable).mistake == "the formula overflows"

    def in_place(x):
        x *= 2
        return x + 1
    verdict = run(DOUBLE, in_place)
    assert verdict.status == WRONG and verdict.mistake == "the input is changed in place"


def test_unknown_mistake_says_what_differs():
    verdict = run(DOUBLE, lambda x: 3 * x)
    assert verdict.status == WRONG and verdict.mistake == "" and "returned different values" in verdict.message
    assert "shape (1,)" in run(DOUBLE, lambda x: np.zeros(1)).message


def test_hard_coded_answer_fails_on_random_cases():
    def hard_coded(x):
        return {0.0: np.array([1.0, 3.0]), 5.0: np.array([11.0, -9.0])}.get(float(x[0]), np.zeros_like(x))
    assert run(DOUBLE, hard_coded).status == WRONG


def test_stub_and_crash():
    def stub(x):
        raise NotImplementedError("Exercise not done yet.")
    assert run(DOUBLE, stub).status == NOT_DONE
    verdict = run(DOUBLE, lambda x: x.nope)
    assert verdict.status == ERROR and "AttributeError" in verdict.message and "\n" not in verdict.message
    assert run(DOUBLE, "not a function").status == ERROR


def test_check_returns_the_function_to_use(capsys):
    def good(x):
        return 2 * x + 1
    assert check("_test_double_plus_one", good) is good
    assert "passed" in capsys.readouterr().out
    assert check("_test_double_plus_one", lambda x: x) is reference
    assert "reference solution is used" in capsys.readouterr().out
    with pytest.raises(KeyError, match="no exercise called 'nope'"):
        check("nope", good)


def test_same_compares_nested_results():
    assert same((1.0, {"a": np.ones(2)}), (1.0, {"a": np.ones(2)})) is None
    assert "item 1" in same((1.0, {"a": np.ones(2)}), (1.0, {"a": np.zeros(2)}))
    assert "dtype" in same(np.array([1, 2]), np.array([1.0, 2.0]))
    assert "inf or NaN" in same(np.array([np.inf]), np.array([1.0]))


def test_inputs_are_described_on_one_line():
    """A verdict names its inputs in one line, also for tensors and multi-line reprs (torch modules)."""
    from course.checks.core import _short

    class Tensor:  # what matters of a torch / TF tensor: shape, dtype, and a repr over several lines
        shape, dtype = (64, 784), "float32"

        def __repr__(self):
            return "tensor([[0., 0.],\n        [0., 0.]])"

    class Module:
        def __repr__(self):
            return "Net(\n  (fc1): Linear(in_features=784, out_features=128)\n)"

    text = _short((Tensor(), Module(), 3))
    assert "\n" not in text
    assert text == "(Tensor of shape (64, 784), Net(, 3)"

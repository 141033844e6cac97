"""The checks of notebook 01 (the neuron): the reference passes, each named mistake is named,
a stub is 'not done', any other exception is an 'error'."""
from pathlib import Path

import nbformat
import numpy as np
import pytest

from answers import answer_from_hint
import course.checks.exercises  # noqa: F401  (registers every exercise)
from course import sigmoid
from course.checks import REGISTRY, run
from course.checks.core import ERROR, PASSED, WRONG

EXERCISES = ["neuron", "boundary_x1", "and_gate"]
SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"


def test_not_a_function_is_an_error():
    assert run(REGISTRY["neuron"], 3.0).status == ERROR


# -- other correct answers must pass too --------------------------------------

def test_neuron_written_other_ways_passes():
    def with_tanh(x, w, b):  # σ(z) = (1 + tanh(z / 2)) / 2: also stable
        return 0.5 * (1 + np.tanh((x @ w + b) / 2))

    def with_einsum(x, w, b):
        z = np.einsum("nd,d->n", x, w) + b
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

    for fn in (with_tanh, with_einsum):
        verdict = run(REGISTRY["neuron"], fn)
        assert verdict.status == PASSED, verdict.message


def test_neuron_that_changes_its_input_is_wrong():
    def in_place(x, w, b):
        x *= w
        return 1 / (1 + np.exp(-np.clip(x.sum(axis=1) + b, -500, 500)))
    verdict = run(REGISTRY["neuron"], in_place)
    assert verdict.status == WRONG and "in place" in verdict.message and verdict.mistake == ""


def test_boolean_step_is_named_as_a_step():
    verdict = run(REGISTRY["neuron"], lambda x, w, b: x @ w + b > 0)
    assert verdict.mistake == "this is a hard step (0 or 1), not the sigmoid"


@pytest.mark.parametrize("w,b", [([1.0, 1.0], -1.5), ([1.0, 1.0], -1.01), ([0.4, 0.7], -0.9), ([5.0, 3.0], -7.5)])
def test_any_weights_that_implement_and_pass(w, b):
    def gate(x):
        return (x @ np.array(w) + b > 0).astype(int)
    verdict = run(REGISTRY["and_gate"], gate)
    assert verdict.status == PASSED, verdict.message


@pytest.mark.parametrize("gate", [
    lambda x: x @ np.array([1.0, 1.0]) - 1.5 > 0,                      # booleans
    lambda x: np.where(x @ np.array([2.0, 2.0]) - 3 > 0, 1.0, 0.0),    # floats
    lambda x: np.heaviside(x @ np.array([1.0, 1.0]) - 1.5, 0.0),
    lambda x: x[:, 0] * x[:, 1],                                         # not a neuron, but AND
])
def test_and_gate_accepts_any_zero_one_output(gate):
    verdict = run(REGISTRY["and_gate"], gate)
    assert verdict.status == PASSED, verdict.message


def test_and_gate_names_a_sigmoid_output_as_not_thresholded():
    verdict = run(REGISTRY["and_gate"], lambda x: 1 / (1 + np.exp(-(x @ np.array([1.0, 1.0]) - 1.5))))
    assert verdict.mistake == "the output is not thresholded: a logic gate answers 0 or 1"


def test_and_gate_sign_output_is_not_called_z_or_sigmoid():
    # np.sign gives -1 and 1: not thresholded, but neither z nor σ(z); the message must not say it was
    verdict = run(REGISTRY["and_gate"], lambda x: np.sign(x @ np.array([1.0, 1.0]) - 1.5))
    assert verdict.status == WRONG and "σ(z), not 0 or 1" not in verdict.message and "-1" in verdict.message


def test_and_gate_threshold_on_sigmoid_is_not_blamed_on_the_bias():
    # σ(z) > 0 holds for every z, so this gate always fires although its bias is right (issue 12): the
    # check used to say "the bias has the wrong sign"
    def gate(x):
        return (sigmoid(x @ np.array([1.0, 1.0]) - 1.5) > 0).astype(int)
    verdict = run(REGISTRY["and_gate"], gate)
    assert verdict.status == WRONG
    assert "wrong sign" not in verdict.message and "always fires" in verdict.message
    assert "σ(z) is above 0 for every z" in verdict.message


def test_neuron_bias_after_the_sigmoid_is_named():
    verdict = run(REGISTRY["neuron"], lambda x, w, b: sigmoid(x @ w) + b)
    assert verdict.mistake == "the bias is added after the sigmoid: σ(x·w) + b instead of σ(x·w + b)"


def test_neuron_output_for_the_other_class_is_told_so():
    verdict = run(REGISTRY["neuron"], lambda x, w, b: sigmoid(-(x @ w + b)))
    assert verdict.status == WRONG and "the output for the other class" in verdict.message, verdict.message


def test_boundary_without_its_slope_is_told_so():
    verdict = run(REGISTRY["boundary_x1"], lambda x0, w, b: np.full_like(x0, -b / w[1]))
    assert verdict.status == WRONG and "the intercept" in verdict.message, verdict.message


# -- hints ----------------------------------------------------------------------

@pytest.mark.parametrize("name", EXERCISES)
def test_three_hint_levels_the_last_one_solves_the_exercise(name):
    exercise = REGISTRY[name]
    assert len(exercise.hints) == 3 and all(h.strip() for h in exercise.hints)
    assert "@" not in exercise.hints[0] and "np." not in exercise.hints[0], "level 1 is an idea, not code"
    verdict = run(exercise, answer_from_hint(name, {"np": np, "sigmoid": sigmoid}))
    assert verdict.status == PASSED, verdict.message


def test_the_notebook_says_how_hints_work_at_the_first_exercise():
    cells = nbformat.read(SOLUTIONS / "01_the_neuron.ipynb", as_version=4).cells
    first_check = next(i for i, c in enumerate(cells) if c.cell_type == "code" and 'check("neuron"' in c.source)
    nearby = [c.source for c in cells[first_check - 3:first_check + 3] if c.cell_type == "markdown"]
    assert any('hint("neuron")' in text and "again" in text and "next" in text for text in nearby)
    assert "from course.checks import check, hint" in cells[1].source


def test_and_gate_unnamed_truth_table_is_described():
    verdict = run(REGISTRY["and_gate"], lambda x: (x[:, 0] > x[:, 1]).astype(int))  # x0 AND NOT x1
    assert verdict.status == WRONG and verdict.mistake == ""
    assert "gave [0 0 1 0] where AND gives [0 0 0 1]" in verdict.message


def test_and_gate_wrong_shape_is_described():
    verdict = run(REGISTRY["and_gate"], lambda x: (x @ np.ones((2, 1)) - 1.5 > 0).astype(int))
    assert verdict.status == WRONG and "shape (4, 1)" in verdict.message

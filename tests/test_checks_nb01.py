"""The checks of notebook 01 (the neuron): the reference passes, each named mistake is named,
a stub is 'not done', any other exception is an 'error'."""
import numpy as np
import pytest

import course.checks.exercises  # noqa: F401  (registers every exercise)
from course.checks import REGISTRY, run
from course.checks.core import ERROR, PASSED, WRONG



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
    assert verdict.mistake == "the output is not thresholded (you returned z or σ(z), not 0 or 1)"


def test_and_gate_unnamed_truth_table_is_described():
    verdict = run(REGISTRY["and_gate"], lambda x: (x[:, 0] > x[:, 1]).astype(int))  # x0 AND NOT x1
    assert verdict.status == WRONG and verdict.mistake == ""
    assert "gave [0 0 1 0] where AND gives [0 0 0 1]" in verdict.message


def test_and_gate_wrong_shape_is_described():
    verdict = run(REGISTRY["and_gate"], lambda x: (x @ np.ones((2, 1)) - 1.5 > 0).astype(int))
    assert verdict.status == WRONG and "shape (4, 1)" in verdict.message

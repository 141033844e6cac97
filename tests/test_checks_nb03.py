"""The checks of notebook 03 (layers and forward propagation): the reference passes, each named
mistake is named, a stub is 'not done', any other exception is an 'error', and correct answers
written other ways pass."""
import numpy as np
import pytest

import course
import course.checks.exercises  # noqa: F401  (registers every exercise)
from course.checks import REGISTRY, run
from course.checks.core import ERROR, PASSED, WRONG, same



def test_not_a_function_is_an_error():
    assert run(REGISTRY["forward"], [1, 2]).status == ERROR


# -- facts the notebook relies on ---------------------------------------------

def test_count_parameters_of_the_mnist_network():
    assert REGISTRY["count_parameters"].reference([784, 128, 64, 10]) == 109_386
    assert course.MLP([784, 128, 64, 10]).n_params == 109_386


def test_forward_reference_gives_the_logits_of_forward_propagation(rng):
    model = course.MLP([6, 5, 4, 3], seed=1, dtype=np.float64)
    X = rng.normal(size=(7, 6))
    weights, biases = model.get_weights()
    np.testing.assert_allclose(REGISTRY["forward"].reference(X, weights, biases), model.forward(X))


def test_square_dense_case_separates_transposes():
    x, W, b = REGISTRY["dense_forward"].cases[0]
    assert x.shape == W.shape == (3, 3) and not np.allclose(W, W.T)


# -- other correct answers must pass too --------------------------------------

@pytest.mark.parametrize("dense", [
    lambda x, W, b: np.dot(x, W) + b,
    lambda x, W, b: np.einsum("nd,dm->nm", x, W) + b[None, :],
    lambda x, W, b: (W.T @ x.T).T + b,
    lambda x, W, b: course.dense_forward(x, W, b)[0],
])
def test_dense_forward_written_other_ways_passes(dense):
    verdict = run(REGISTRY["dense_forward"], dense)
    assert verdict.status == PASSED, verdict.message


@pytest.mark.parametrize("count", [
    lambda sizes: sum(sizes[i] * sizes[i + 1] + sizes[i + 1] for i in range(len(sizes) - 1)),
    lambda sizes: int(np.sum(np.array(sizes[:-1]) * np.array(sizes[1:])) + np.sum(sizes[1:])),
    lambda sizes: course.MLP(list(sizes), loss="mse").n_params,
])
def test_count_parameters_written_other_ways_passes(count):
    verdict = run(REGISTRY["count_parameters"], count)
    assert verdict.status == PASSED, verdict.message


def _forward_loop(X, weights, biases):
    a = X
    for W, b in zip(weights[:-1], biases[:-1]):
        a = np.maximum(a @ W + b, 0)
    return a @ weights[-1] + biases[-1]


def _forward_enumerate(X, weights, biases):
    a = X
    for i, (W, b) in enumerate(zip(weights, biases)):
        z = a @ W + b
        a = z if i == len(weights) - 1 else np.where(z > 0, z, 0.0)
    return a


@pytest.mark.parametrize("fwd", [_forward_loop, _forward_enumerate])
def test_forward_written_other_ways_passes(fwd):
    verdict = run(REGISTRY["forward"], fwd)
    assert verdict.status == PASSED, verdict.message


def test_forward_that_changes_its_weights_says_so():
    def in_place(X, weights, biases):
        for W in weights:
            W *= 1.0
        weights[0] += 0.0
        biases[-1] -= 1.0
        return _forward_loop(X, weights, biases) + 1.0
    verdict = run(REGISTRY["forward"], in_place)
    assert verdict.status == WRONG and "in place" in verdict.message


# -- float32 where the inputs are float64 (issue 12) ----------------------------

def _layer_in_float32(x, W, b):
    return (x.astype(np.float32) @ W.astype(np.float32) + b).astype(np.float64)


def test_a_case_shows_float32_rounding_beyond_the_tolerance():
    exercise = REGISTRY["dense_forward"]
    shown = [args for args in exercise.cases
             if same(_layer_in_float32(*args), exercise.reference(*args)) is not None]
    assert shown, "no fixed case of dense_forward tells a float32 layer from a float64 one"


def test_dense_forward_computed_in_float32_is_rejected_and_said_so():
    verdict = run(REGISTRY["dense_forward"], _layer_in_float32)
    assert verdict.status == WRONG and verdict.kind == "diagnosed" and "float32" in verdict.message, verdict.message


def test_dense_forward_returning_float32_is_rejected_and_said_so():
    verdict = run(REGISTRY["dense_forward"], lambda x, W, b: (x @ W + b).astype(np.float32))
    assert verdict.status == WRONG and verdict.kind == "diagnosed" and "float32" in verdict.message, verdict.message


def test_forward_on_float32_inputs_is_rejected():
    def float32_input(X, weights, biases):
        return _forward_loop(X.astype(np.float32), weights, biases)

    def float32_output(X, weights, biases):
        return _forward_loop(X, weights, biases).astype(np.float32)

    for fn in (float32_input, float32_output):
        verdict = run(REGISTRY["forward"], fn)
        assert verdict.status == WRONG and "float32" in verdict.message, verdict.message


@pytest.mark.parametrize("name", ["dense_forward", "count_parameters", "forward"])
def test_three_hint_levels(name):
    hints = REGISTRY[name].hints
    assert len(hints) == 3 and all(isinstance(h, str) and h.strip() for h in hints)


# -- neighbouring quantities (Exercise.related) ----------------------------------

def test_a_dense_layer_with_a_sigmoid_is_told_it_returned_activations():
    verdict = run(REGISTRY["dense_forward"], lambda x, W, b: 1 / (1 + np.exp(-(x @ W + b))))
    assert verdict.status == WRONG and "after a sigmoid, not the pre-activations" in verdict.message, verdict.message


def test_forward_with_relu_before_each_layer_is_told_so():
    def relu_first(X, weights, biases):
        a = X
        for W, b in zip(weights, biases):
            a = np.maximum(a, 0) @ W + b
        return a
    verdict = run(REGISTRY["forward"], relu_first)
    assert verdict.status == WRONG and "ReLU applied to the input X too" in verdict.message, verdict.message


@pytest.mark.parametrize("name", ["dense_forward", "forward"])
def test_related_quantities_differ_from_the_answer(name):
    exercise = REGISTRY[name]
    compare = exercise.compare or same
    for description, fn in exercise.related:
        assert any(compare(fn(*args), exercise.reference(*args)) is not None for args in exercise.all_cases()), description

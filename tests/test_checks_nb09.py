"""The exercise checks of notebook 09 (TensorFlow/Keras).

keras_weight_list and keras_epsilon need only NumPy; build_keras_mlp needs Keras and its tests
skip, with the install command as the reason, where TensorFlow is not installed."""
import importlib.util
import math

import numpy as np
import pytest

import course.checks.exercises  # noqa: F401  (registers every exercise)
from course.checks import REGISTRY, run
from course.checks.core import PASSED, WRONG

HAVE_KERAS = importlib.util.find_spec("tensorflow") is not None and importlib.util.find_spec("keras") is not None


def _needs_keras():
    if not HAVE_KERAS:
        from course.frameworks import install_message

        pytest.skip(install_message("keras"))


# The contract every exercise keeps (reference passes, each named mistake is named with its hint, a stub is
# "not done", a crash is a one-line error) is tested once, for all of them, in tests/test_checks_all.py.


def test_keras_exercise_is_registered_exactly_when_keras_is_installed():
    assert ("build_keras_mlp" in REGISTRY) == HAVE_KERAS


# ---------------------------------------------------------------- keras_weight_list
def test_weight_list_other_correct_answers_pass():
    def with_copies(weights, biases):
        return [a.copy() for W, b in zip(weights, biases) for a in (W, b)]

    def as_tuple(weights, biases):
        return tuple(a for pair in zip(weights, biases) for a in pair)

    for fn in (with_copies, as_tuple):
        assert run(REGISTRY["keras_weight_list"], fn).status == PASSED


def test_weight_list_changing_the_input_is_reported():
    def pops(weights, biases):
        out = []
        while weights:
            out += [weights.pop(0), biases.pop(0)]
        return out

    verdict = run(REGISTRY["keras_weight_list"], pops)
    assert verdict.status == WRONG and "changed its input" in verdict.message


def test_weight_list_transposing_square_layers_too_is_caught():
    def transposes(weights, biases):
        return [a for W, b in zip(weights, biases) for a in (W.T, b)]

    assert run(REGISTRY["keras_weight_list"], transposes).mistake.startswith("the kernels are transposed")


# ---------------------------------------------------------------- keras_epsilon
def test_epsilon_other_correct_answers_pass():
    def with_numpy(eps, step, beta_2):
        return np.float32(eps) * 0 + eps * np.sqrt(1.0 - np.power(beta_2, step))

    def via_correction(eps, step, beta_2):
        correction = 1 / math.sqrt(1 - beta_2 ** step)
        return eps / correction

    for fn in (with_numpy, via_correction):
        assert run(REGISTRY["keras_epsilon"], fn).status == PASSED


def test_epsilon_matches_the_frameworks_helper():
    from course.frameworks import keras_adam_epsilon

    for eps, step, beta_2 in [(1e-8, 1, 0.999), (1e-7, 50, 0.99), (3e-9, 2000, 0.9999)]:
        assert math.isclose(REGISTRY["keras_epsilon"].reference(eps, step, beta_2),
                            keras_adam_epsilon(eps, step, beta_2), rel_tol=1e-12)


def test_epsilon_must_be_a_number():
    verdict = run(REGISTRY["keras_epsilon"], lambda eps, step, beta_2: [eps])
    assert verdict.status == WRONG and "expected one number" in verdict.message


# ---------------------------------------------------------------- build_keras_mlp
def test_build_other_correct_answers_pass():
    _needs_keras()
    import keras

    def separate_activation_layers(sizes):
        layers = [keras.Input(shape=(sizes[0],))]
        for h in sizes[1:-1]:
            layers += [keras.layers.Dense(h), keras.layers.Activation("relu")]
        return keras.Sequential(layers + [keras.layers.Dense(sizes[-1])])

    def relu_layers_and_add(sizes):
        model = keras.Sequential()
        model.add(keras.Input(shape=(sizes[0],)))
        for h in sizes[1:-1]:
            model.add(keras.layers.Dense(h))
            model.add(keras.layers.ReLU())
        model.add(keras.layers.Dense(sizes[-1], activation=None))
        return model

    for fn in (separate_activation_layers, relu_layers_and_add):
        verdict = run(REGISTRY["build_keras_mlp"], fn)
        assert verdict.status == PASSED, verdict.message


def test_build_unknown_mistakes_get_a_plain_message():
    _needs_keras()
    import keras

    def wrong_input_width(sizes):
        return REGISTRY["build_keras_mlp"].reference((sizes[0] + 1, *sizes[1:]))

    def tanh_hidden(sizes):
        layers = [keras.Input(shape=(sizes[0],))] + [keras.layers.Dense(h, activation="tanh") for h in sizes[1:-1]]
        return keras.Sequential(layers + [keras.layers.Dense(sizes[-1])])

    def not_a_model(sizes):
        return list(sizes)

    messages = {fn.__name__: run(REGISTRY["build_keras_mlp"], fn) for fn in (wrong_input_width, tanh_hidden, not_a_model)}
    assert all(v.status == WRONG and v.mistake == "" for v in messages.values())
    assert "for inputs of shape (None, 785), expected (None, 784)" in messages["wrong_input_width"].message
    assert "'tanh'" in messages["tanh_hidden"].message
    assert "returned a list, expected a keras.Sequential model" in messages["not_a_model"].message


def test_build_reference_is_the_frameworks_model():
    _needs_keras()
    from course.frameworks import keras_mlp
    from course.checks.nb09_keras import _describe_model

    for sizes in [(784, 128, 64, 10), (4, 3, 2)]:
        assert _describe_model(REGISTRY["build_keras_mlp"].reference(sizes)) == _describe_model(keras_mlp(sizes))

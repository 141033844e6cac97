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
    assert verdict.status == WRONG and "in place" in verdict.message


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


# ---------------------------------------------------------------- what the verdicts tell (issue 12)
def test_build_other_right_models_pass():
    # a functional model, an InputLayer with a no-op Flatten, and ReLU given as a layer or a function:
    # each used to be rejected because the check compared layer lists and activation names literally
    _needs_keras()
    import keras

    def functional(sizes):
        x = inputs = keras.Input(shape=(sizes[0],))
        for h in sizes[1:-1]:
            x = keras.layers.Dense(h, activation="relu")(x)
        return keras.Model(inputs, keras.layers.Dense(sizes[-1])(x))

    def input_layer_and_flatten(sizes):
        layers = [keras.layers.InputLayer(shape=(sizes[0],)), keras.layers.Flatten()]
        layers += [keras.layers.Dense(h, activation=keras.layers.ReLU()) for h in sizes[1:-1]]
        return keras.Sequential(layers + [keras.layers.Dense(sizes[-1])])

    def relu_as_a_function(sizes):
        layers = [keras.Input(shape=(sizes[0],))]
        layers += [keras.layers.Dense(h, activation=lambda z: keras.ops.maximum(z, 0.0)) for h in sizes[1:-1]]
        return keras.Sequential(layers + [keras.layers.Dense(sizes[-1])])

    for fn in (functional, input_layer_and_flatten, relu_as_a_function):
        verdict = run(REGISTRY["build_keras_mlp"], fn)
        assert verdict.status == PASSED, (fn.__name__, verdict.message)


def test_build_wrong_models_that_used_to_pass_or_puzzle():
    _needs_keras()
    import keras

    def without_bias(sizes):
        layers = [keras.Input(shape=(sizes[0],))]
        layers += [keras.layers.Dense(h, activation="relu", use_bias=False) for h in sizes[1:-1]]
        return keras.Sequential(layers + [keras.layers.Dense(sizes[-1], use_bias=False)])

    def with_dropout(sizes):
        layers = [keras.Input(shape=(sizes[0],))]
        for h in sizes[1:-1]:
            layers += [keras.layers.Dense(h, activation="relu"), keras.layers.Dropout(0.2)]
        return keras.Sequential(layers + [keras.layers.Dense(sizes[-1])])

    def the_layers_only(sizes):
        return [keras.Input(shape=(sizes[0],))] + [keras.layers.Dense(h) for h in sizes[1:]]

    build = REGISTRY["build_keras_mlp"]
    assert "without a bias" in run(build, without_bias).message
    assert "a Dropout layer" in run(build, with_dropout).message
    assert "pass it to keras.Sequential" in run(build, the_layers_only).message


def test_weight_list_one_array_or_float32_is_wrong():
    def flat(weights, biases):
        return np.concatenate([a.ravel() for W, b in zip(weights, biases) for a in (W, b)])

    def float32(weights, biases):
        return [a.astype(np.float32) for W, b in zip(weights, biases) for a in (W, b)]

    one = run(REGISTRY["keras_weight_list"], flat)
    assert one.status == WRONG and "returned one array of shape" in one.message
    rounded = run(REGISTRY["keras_weight_list"], float32)
    assert rounded.status == WRONG and "float32" in rounded.message


def test_epsilon_the_correction_alone_is_told():
    verdict = run(REGISTRY["keras_epsilon"], lambda eps, step, beta_2: math.sqrt(1 - beta_2 ** step))
    assert verdict.status == WRONG and "sqrt(1 - β2^t) alone, without eps" in verdict.message

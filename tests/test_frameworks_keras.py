"""The course's MLP and Keras 3 (on TensorFlow) compute the same thing (issue 5, notebook 09).

Weights move both ways unchanged; with the same weights the logits and the loss agree on
real MNIST in float32; tf.GradientTape's gradients equal course's backpropagation in float64;
one keras.optimizers.Adam step equals course.optim.Adam's once epsilon is translated
(keras_adam_epsilon), and without it differs by an amount a formula predicts, bounded by lr.
Run with -s to see the measured differences.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from course import frameworks as fw

tf = pytest.importorskip("tensorflow", reason=fw.install_message("tensorflow"))
keras = pytest.importorskip("keras", reason=fw.install_message("keras"))

from course import MLP, optim
from course._validate import CourseInputError
from course.data import load_mnist
from course.gradcheck import relative_error
from course.losses import softmax_cross_entropy

ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu", "identity")
MNIST_SIZES = (784, 128, 64, 10)
layers = keras.layers


@pytest.fixture(scope="module")
def mnist():
    """256 real test images (256, 784) float32 in [0, 1] and their labels (256,) int64."""
    _, (X, y) = load_mnist(n_train=1)
    return X[:256], y[:256]


@pytest.fixture(autouse=True)
def seeded():
    keras.utils.set_random_seed(0)  # Keras's own random start; the tests then copy the MLP's weights over it


def dense_layers(model):
    return [layer for layer in model.layers if isinstance(layer, layers.Dense)]


def same_params(a, b):
    return a.dtype == b.dtype and a.sizes == b.sizes and np.array_equal(a.params, b.params)


def init_for(activation):
    return "he" if "relu" in activation else "xavier"


# ---------------------------------------------------------------- weights move both ways
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("sizes, dtype", [((2, 1), np.float32), ((4, 3, 2), np.float64),
                                          ((784, 128, 64, 10), np.float32), ((5, 7, 7, 7, 3), np.float64)])
def test_weights_round_trip(sizes, dtype, activation):
    loss = "binary_cross_entropy" if sizes[-1] == 1 else "softmax_cross_entropy"
    mlp = MLP(sizes, activation, init=init_for(activation), seed=3, dtype=dtype, loss=loss)
    mlp.params[...] += np.random.default_rng(1).normal(size=mlp.params.size)  # non-zero biases as well
    model = fw.to_keras(mlp)
    assert isinstance(model, keras.Sequential)
    for layer, W, b in zip(dense_layers(model), mlp.weights, mlp.biases):
        kernel, bias = layer.get_weights()
        assert kernel.dtype == dtype and np.array_equal(kernel, W)  # Keras keeps (in, out), like the course
        assert np.array_equal(bias, b)
    back = fw.from_keras(model)
    assert back.activation == (activation if len(sizes) > 2 else "identity")
    assert same_params(back, mlp)
    target = MLP(sizes, activation, seed=99, dtype=dtype, loss=loss)
    assert fw.from_keras(model, target) is target and same_params(target, mlp)


def test_keras_mlp_structure():
    model = fw.keras_mlp([784, 128, 64, 10], "tanh", dtype="float64")
    assert [type(layer).__name__ for layer in model.layers] == ["Dense", "Dense", "Dense"]
    assert [layer.activation.__name__ for layer in model.layers] == ["tanh", "tanh", "linear"]  # logits out
    assert all(v.dtype == "float64" for v in model.weights)
    leaky = fw.keras_mlp([3, 4, 2], "leaky_relu")
    assert [type(layer).__name__ for layer in leaky.layers] == ["Dense", "LeakyReLU", "Dense"]
    assert leaky.layers[1].negative_slope == pytest.approx(0.01)
    assert [layer.activation.__name__ for layer in fw.keras_mlp([3, 4, 2], "identity").layers] == ["linear", "linear"]


def test_to_keras_fills_a_given_model_and_from_keras_reads_a_hand_built_one():
    mlp = MLP((6, 5, 4, 3), "sigmoid", init="xavier", seed=0)
    model = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(5), layers.Activation("sigmoid"),
                              layers.Dropout(0.5), layers.Dense(4, activation="sigmoid"), layers.Dense(3)])
    assert fw.to_keras(mlp, model) is model
    back = fw.from_keras(model)
    assert back.sizes == (6, 5, 4, 3) and back.activation == "sigmoid" and same_params(back, mlp)
    relu = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(5), layers.ReLU(), layers.Dense(3)])
    assert fw.from_keras(relu).activation == "relu"


# ---------------------------------------------------------------- same logits, same loss (float32, MNIST)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_same_logits_and_loss_on_mnist(mnist, activation):
    X, y = mnist
    mlp = MLP(MNIST_SIZES, activation, init=init_for(activation), seed=0)
    model = fw.to_keras(mlp)
    keras_logits = keras.ops.convert_to_numpy(model(X, training=False))
    course_logits = mlp.forward(X)
    assert keras_logits.dtype == np.float32 and course_logits.dtype == np.float32
    diff = float(np.abs(keras_logits - course_logits).max())
    course_loss, _ = softmax_cross_entropy(course_logits, y)
    keras_loss = float(keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, keras_logits))
    print(f"\n{activation}: max |logits diff| = {diff:.2e}, losses {course_loss:.7f} vs {keras_loss:.7f}")
    assert diff <= 1e-5
    assert mlp.loss(X, y) == pytest.approx(keras_loss, abs=1e-5)
    assert course_loss == pytest.approx(keras_loss, abs=1e-5)
    assert (keras_logits.argmax(1) == mlp.predict(X)).mean() >= 0.99  # near-ties may flip a rare one


# ---------------------------------------------------------------- same gradients (float64)
def keras_loss_and_grads(model, X, y):
    """Loss and [(dW_i, db_i)] by tf.GradientTape. The loss gets dtype float64 too:
    Keras losses compute in float32 (keras.backend.floatx()) unless told otherwise."""
    dense = dense_layers(model)
    variables = [v for layer in dense for v in (layer.kernel, layer.bias)]
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64")
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(X, training=True))
    grads = [g.numpy() for g in tape.gradient(loss, variables)]
    return float(loss), list(zip(grads[::2], grads[1::2])), variables


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradient_tape_equals_backprop(mnist, activation):
    X, y = mnist[0].astype(np.float64), mnist[1]
    mlp = MLP(MNIST_SIZES, activation, init=init_for(activation), seed=0, dtype=np.float64)
    model = fw.to_keras(mlp)
    keras_loss, keras_grads, _ = keras_loss_and_grads(model, X, y)
    course_loss = mlp.loss_and_grad(X, y)
    errors = []
    for i, (dW, db) in enumerate(keras_grads):
        assert dW.dtype == np.float64
        errors += [relative_error(mlp.grad_weights[i], dW), relative_error(mlp.grad_biases[i], db)]
    print(f"\n{activation}: worst relative error of a gradient = {max(errors):.1e}, "
          f"loss diff = {abs(course_loss - keras_loss):.1e}")
    assert max(errors) <= 1e-6
    # TensorFlow's LeakyRelu op keeps its slope in float32 (0.01 -> 0.009999999776), even in float64.
    assert course_loss == pytest.approx(keras_loss, rel=1e-9 if activation == "leaky_relu" else 1e-12)


# ---------------------------------------------------------------- Adam: Keras places epsilon differently
# Keras (TensorFlow backend) turns beta_1 and beta_2 into float32 before its bias corrections
# (0.999 -> 0.99900001287), and keeps the learning rate in a float32 variable (1e-3 ->
# 0.0010000000474974513); torch and course use the float64 values. EXACT uses numbers that
# float32 holds exactly, so that only the placement of epsilon is left to compare.
EXACT = {"learning_rate": 2 ** -10, "beta_1": 0.875, "beta_2": 1 - 2 ** -10}
DEFAULTS = {"learning_rate": 1e-3, "beta_1": 0.9, "beta_2": 0.999}


def one_adam_step(mnist, keras_epsilon, course_eps, learning_rate, beta_1, beta_2):
    """One Adam step on the same float64 MLP with the same gradients in both.

    Returns (course params after, Keras params after, params before, gradients, lr)."""
    X, y = mnist[0].astype(np.float64), mnist[1]
    mlp = MLP(MNIST_SIZES, "relu", seed=0, dtype=np.float64)
    model = fw.to_keras(mlp)
    before = mlp.params.copy()
    mlp.loss_and_grad(X, y)
    grads = mlp.grads.copy()
    opt = keras.optimizers.Adam(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=keras_epsilon)
    lr = float(opt.learning_rate.numpy())  # what Keras really uses
    variables = [v for layer in dense_layers(model) for v in (layer.kernel, layer.bias)]
    same_grads = [g for dW, db in zip(mlp.grad_weights, mlp.grad_biases) for g in (dW, db)]
    opt.apply_gradients(zip([tf.constant(g) for g in same_grads], variables))
    optim.Adam(lr=lr, betas=(beta_1, beta_2), eps=course_eps).step(mlp.parameters(), mlp.gradients())
    return mlp.params.copy(), fw.from_keras(model).params, before, grads, lr


@pytest.mark.parametrize("setting, tol", [("exact", 1e-12), ("defaults", 1e-5)])
def test_keras_adam_with_the_translated_epsilon_equals_course_adam(mnist, setting, tol):
    # exact: equal to round-off. defaults: Keras's float32 beta_2 moves sqrt(1 - beta_2) by 6.4e-6,
    # so every step differs by up to ~7e-6 of lr (torch, which uses float64 betas, matches course).
    eps = 1e-8  # torch's and course's default
    hyper = EXACT if setting == "exact" else DEFAULTS
    course, keras_after, before, _, lr = one_adam_step(
        mnist, fw.keras_adam_epsilon(eps, step=1, beta_2=hyper["beta_2"]), eps, **hyper)
    diff = float(np.abs(keras_after - course).max())
    print(f"\nAdam ({setting}), matched epsilon: max |param diff| = {diff:.1e} = {diff / lr:.1e} lr "
          f"(largest move {np.abs(course - before).max():.1e})")
    assert np.abs(course - before).max() > 1e-4
    assert diff <= tol * lr


def test_keras_adam_with_the_same_nominal_epsilon_differs_by_a_bounded_amount(mnist):
    # At step 1 (m̂ = g, sqrt(v̂) = |g|) course moves lr*g/(|g| + eps) and Keras lr*g/(|g| + eps/c),
    # c = sqrt(1 - beta_2) = 1/32 here, so they differ by exactly
    #     lr * |g| * (eps/c - eps) / ((|g| + eps) * (|g| + eps/c))   <= lr * (eps/c - eps) / |g|,
    # never more than lr and negligible where |g| >> eps/c = 3.2e-6 (eps = 1e-7, Keras's default);
    # c grows towards 1 with the step number t (c = sqrt(1 - beta_2^t)) and the difference fades.
    eps = 1e-7
    course, keras_after, _, g, lr = one_adam_step(mnist, eps, eps, **EXACT)
    diff = np.abs(keras_after - course)
    c = math.sqrt(1 - EXACT["beta_2"])
    a = np.abs(g)
    predicted = lr * a * (eps / c - eps) / ((a + eps) * (a + eps / c))
    big = a > 1e-3
    print(f"\nAdam, same nominal epsilon {eps}: max |param diff| = {diff.max():.2e} = {diff.max() / lr:.3f} lr; "
          f"where |g| > 1e-3 ({big.mean():.0%} of the entries): {diff[big].max() / lr:.1e} lr; "
          f"entries differing by > 1e-3 lr: {(diff > 1e-3 * lr).sum()} of {diff.size}; "
          f"largest gap to the formula {np.abs(diff - predicted).max() / lr:.0e} lr")
    np.testing.assert_allclose(diff, predicted, rtol=0, atol=1e-12 * lr)  # the formula explains all of it
    assert diff.max() < lr
    assert diff[big].max() <= lr * (eps / c) / 1e-3
    assert (diff > 0).any()  # they do differ


# ---------------------------------------------------------------- bad input
def test_bad_input_names_expected_and_got():
    mlp = MLP((4, 3, 2), "relu")

    def fails(call, *needles):
        with pytest.raises(CourseInputError) as info:
            call()
        for needle in needles:
            assert needle in str(info.value), str(info.value)

    def seq(*items, d=4):
        return keras.Sequential([keras.Input(shape=(d,)), *items])

    fails(lambda: fw.to_keras(None), "mlp: expected a course.MLP, got None")
    fails(lambda: fw.to_keras(mlp, model="model"), "model: expected a Keras model", "got str 'model'")
    fails(lambda: fw.from_keras({"W": 1}), "model: expected a Keras model", "got dict")
    fails(lambda: fw.from_keras(fw.keras_mlp([4, 3, 2]), mlp=[1]), "mlp: expected a course.MLP, got list")
    # wrong layer count
    fails(lambda: fw.to_keras(mlp, fw.keras_mlp([4, 2])),
          "expected 2 Dense layers for the MLP's sizes (4, 3, 2), got 1 with (in, out) = (4, 2)")
    fails(lambda: fw.from_keras(fw.keras_mlp([4, 3, 3, 2]), MLP((4, 3, 2))), "expected 2 Dense layers", "got 3")
    # wrong shapes
    fails(lambda: fw.to_keras(mlp, fw.keras_mlp([4, 5, 2])),
          "expected Dense layer 0 to have (in, out) = (4, 3) like the MLP's weights[0], got (4, 5)")
    # a different network
    fails(lambda: fw.to_keras(mlp, fw.keras_mlp([4, 3, 2], "sigmoid")), "expected the MLP's activation 'relu'",
          "got 'sigmoid'")
    fails(lambda: fw.from_keras(seq(layers.Dense(3, activation="relu"), layers.Dense(2, activation="softmax"))),
          "expected the last layer to give logits", "got softmax")
    fails(lambda: fw.from_keras(seq(layers.Dense(3, activation="leaky_relu"), layers.Dense(2))),
          "Keras's slope 0.2", "LeakyReLU(negative_slope=0.01)")
    fails(lambda: fw.from_keras(seq(layers.Dense(3), layers.LeakyReLU(), layers.Dense(2))),
          "expected LeakyReLU(negative_slope=0.01)", "got negative_slope=0.3")
    fails(lambda: fw.from_keras(seq(layers.Dense(3, activation="relu"), layers.Dense(3, activation="tanh"),
                                    layers.Dense(2))), "expected the same activation between all layers", "got relu, tanh")
    fails(lambda: fw.from_keras(seq(layers.Dense(3, activation="gelu"), layers.Dense(2))),
          "expected the activations relu, sigmoid, tanh or leaky_relu", "got 'gelu'")
    fails(lambda: fw.from_keras(seq(layers.Dense(3), layers.BatchNormalization(), layers.Dense(2))),
          "expected only Dense layers to hold weights", "got BatchNormalization")
    fails(lambda: fw.from_keras(seq(layers.Dense(3, use_bias=False), layers.Dense(2))),
          "expected Dense layers with a bias", "use_bias=False")
    fails(lambda: fw.from_keras(keras.Sequential([layers.Dense(3), layers.Dense(2)])),
          "expected a built model", "keras.Input(shape=(d,))")
    fails(lambda: fw.from_keras(seq(layers.Flatten())), "expected Dense layers, got a Sequential without any")
    # keras_mlp's own arguments
    fails(lambda: fw.keras_mlp((784,)), "sizes: expected a list of at least 2 layer widths", "got tuple (784,)")
    fails(lambda: fw.keras_mlp([784, -1, 10]), "sizes[1]: expected an integer >= 1, got -1")
    fails(lambda: fw.keras_mlp([4, 2], "softmax"), "activation: expected one of 'relu'", "got 'softmax'")
    fails(lambda: fw.keras_mlp([4, 2], dtype="float16"), "dtype: expected 'float32' or 'float64', got float16")

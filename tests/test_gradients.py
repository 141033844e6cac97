"""Every layer, loss and the whole MLP pass a numerical gradient check (relative error < 1e-7, float64)."""
import numpy as np
import pytest

from course import layers, losses
from course.gradcheck import check_gradient, numerical_gradient, relative_error
from course.network import MLP, compute_gradients, compute_loss, forward_propagation

TOL = 1e-7


def test_relative_error_basics():
    a = np.array([1.0, 2.0])
    assert relative_error(a, a) == 0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0
    assert relative_error(a, -a) == pytest.approx(1.0)


def test_numerical_gradient_of_a_known_function(rng):
    x = rng.normal(size=(3, 2))
    num = numerical_gradient(lambda: float((x ** 3).sum()), x)
    assert relative_error(num, 3 * x ** 2) < 1e-9
    # x is restored after the nudging
    assert np.isfinite(x).all()


def test_a_wrong_gradient_fails_the_check(rng):
    x = rng.normal(size=4)
    assert check_gradient(lambda: float((x ** 2).sum()), x, x) > 0.3  # forgot the factor 2


def test_dense_layer(rng):
    x, W, b = rng.normal(size=(4, 5)), rng.normal(size=(5, 3)), rng.normal(size=3)
    dout = rng.normal(size=(4, 3))
    out, cache = layers.dense_forward(x, W, b)
    dx, dW, db = layers.dense_backward(dout, cache)
    f = lambda: float((layers.dense_forward(x, W, b)[0] * dout).sum())
    for param, grad in ((x, dx), (W, dW), (b, db)):
        assert check_gradient(f, param, grad) < TOL


@pytest.mark.parametrize("name", ["sigmoid", "relu", "tanh", "leaky_relu", "identity", "softmax"])
def test_activation_layers(name, rng):
    z = rng.normal(size=(4, 6))
    z[np.abs(z) < 1e-3] = 0.5  # stay clear of the ReLU kink
    dout = rng.normal(size=z.shape)
    _, cache = layers.activation_forward(z, name)
    dz = layers.activation_backward(dout, cache)
    f = lambda: float((layers.activation_forward(z, name)[0] * dout).sum())
    assert check_gradient(f, z, dz) < TOL


@pytest.mark.parametrize("one_hot", [False, True])
def test_softmax_cross_entropy(one_hot, rng):
    logits = rng.normal(size=(5, 4))
    y = rng.integers(0, 4, size=5)
    target = np.eye(4)[y] if one_hot else y
    loss, grad = losses.softmax_cross_entropy(logits, target)
    assert check_gradient(lambda: losses.softmax_cross_entropy(logits, target)[0], logits, grad) < TOL


def test_binary_cross_entropy(rng):
    z = rng.normal(size=(6, 1)) * 3
    y = rng.integers(0, 2, size=(6, 1)).astype(float)
    _, grad = losses.binary_cross_entropy(z, y)
    assert check_gradient(lambda: losses.binary_cross_entropy(z, y)[0], z, grad) < TOL


def test_mse(rng):
    p, t = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    _, grad = losses.mse(p, t)
    assert check_gradient(lambda: losses.mse(p, t)[0], p, grad) < TOL


def test_article_functions_corrected(rng):
    sizes = [5, 7, 6, 3]
    weights = [rng.normal(size=(a, b)) * 0.5 for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [rng.normal(size=b) * 0.1 for b in sizes[1:]]
    X, y = rng.normal(size=(8, 5)), rng.integers(0, 3, size=8)
    logits, caches = forward_propagation(X, weights, biases, "tanh")
    _, dlogits = compute_loss(logits, y)
    grads = compute_gradients(caches, dlogits)
    assert sorted(grads) == ["dB0", "dB1", "dB2", "dW0", "dW1", "dW2"]
    f = lambda: compute_loss(forward_propagation(X, weights, biases, "tanh")[0], y)[0]
    for i in range(3):
        assert check_gradient(f, weights[i], grads[f"dW{i}"]) < TOL
        assert check_gradient(f, biases[i], grads[f"dB{i}"]) < TOL


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu"])
@pytest.mark.parametrize("loss,out", [("softmax_cross_entropy", 3), ("binary_cross_entropy", 1), ("mse", 2)])
def test_mlp_whole_network(activation, loss, out, rng):
    model = MLP([4, 6, 5, out], activation=activation, init="xavier", seed=1, dtype=np.float64, loss=loss)
    X = rng.normal(size=(7, 4))
    if loss == "softmax_cross_entropy":
        y = rng.integers(0, out, size=7)
    elif loss == "binary_cross_entropy":
        y = rng.integers(0, 2, size=(7, 1)).astype(float)
    else:
        y = rng.normal(size=(7, out))
    model.loss_and_grad(X, y)
    analytic = model.grads.copy()
    numeric = numerical_gradient(lambda: model.loss(X, y), model.params)
    assert relative_error(analytic, numeric) < TOL


def test_mlp_gradient_matches_article_functions(rng):
    model = MLP([6, 5, 4], seed=3, dtype=np.float64)
    X, y = rng.normal(size=(9, 6)), rng.integers(0, 4, size=9)
    loss = model.loss_and_grad(X, y)
    W, b = model.get_weights()
    logits, caches = forward_propagation(X, W, b, "relu")
    ref_loss, dlogits = compute_loss(logits, y)
    grads = compute_gradients(caches, dlogits)
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    for i in range(2):
        np.testing.assert_allclose(model.grad_weights[i], grads[f"dW{i}"], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(model.grad_biases[i], grads[f"dB{i}"], rtol=1e-10, atol=1e-12)

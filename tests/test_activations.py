import warnings

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra.numpy import arrays

from course import activations as act
from course.gradcheck import numerical_gradient, relative_error

ELEMENTWISE = ["sigmoid", "relu", "tanh", "leaky_relu", "identity"]
finite = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize("name", list(act.ACTIVATIONS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_stable_at_extremes(name, dtype):
    x = np.array([-1e4, -1e3, -710, -50, 0, 50, 710, 1e3, 1e4], dtype=dtype)
    f, g = act.ACTIVATIONS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any overflow RuntimeWarning fails the test
        y, dy = f(x), g(x)
    assert np.isfinite(y).all() and np.isfinite(dy).all()


def test_sigmoid_limits_and_values():
    assert act.sigmoid(np.array([-1e4]))[0] == 0.0
    assert act.sigmoid(np.array([1e4]))[0] == 1.0
    assert act.sigmoid(np.array([0.0]))[0] == 0.5
    x = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(act.sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-12)


def test_naive_sigmoid_overflows_where_ours_does_not():
    # The article's formula: the point of our stable version.
    with pytest.warns(RuntimeWarning, match="overflow"):
        1 / (1 + np.exp(-np.array([-1000.0])))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        act.sigmoid(np.array([-1000.0]))


@given(arrays(np.float64, st.integers(1, 20), elements=finite))
def test_ranges(x):
    s = act.sigmoid(x)
    assert ((s >= 0) & (s <= 1)).all()
    t = act.tanh(x)
    assert ((t >= -1) & (t <= 1)).all()
    assert (act.relu(x) >= 0).all()
    np.testing.assert_array_equal(act.relu(x), np.where(x > 0, x, 0))
    # sigmoid(-x) = 1 - sigmoid(x)
    np.testing.assert_allclose(act.sigmoid(-x), 1 - s, atol=1e-12)


@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 8)), elements=finite))
def test_softmax_rows_are_distributions(x):
    s = act.softmax(x)
    assert np.isfinite(s).all()
    np.testing.assert_allclose(s.sum(axis=1), 1, rtol=1e-12)
    # invariant to adding a constant per row
    np.testing.assert_allclose(act.softmax(x + 123.0), s, atol=1e-12)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivatives_match_finite_differences(name, rng):
    f, g = act.ACTIVATIONS[name]
    x = rng.normal(size=50) * 3
    x = x[np.abs(x) > 1e-3]  # away from ReLU's kink
    num = np.array([(f(np.array([v + 1e-6])) - f(np.array([v - 1e-6])))[0] / 2e-6 for v in x])
    assert relative_error(g(x), num) < 1e-8


def test_softmax_jacobian(rng):
    x = rng.normal(size=5)
    J = act.softmax_grad(x)
    for j in range(5):
        def f():
            return act.softmax(x)[j]
        num = numerical_gradient(f, x)
        assert relative_error(J[j], num) < 1e-8
    # batched version stacks the per-row Jacobians
    X = rng.normal(size=(3, 4))
    np.testing.assert_allclose(act.softmax_grad(X)[1], act.softmax_grad(X[1]))


def test_shapes_and_dtypes_kept(rng):
    x = rng.normal(size=(3, 4)).astype(np.float32)
    for name in ELEMENTWISE:
        f, g = act.ACTIVATIONS[name]
        assert f(x).shape == x.shape and f(x).dtype == np.float32, name
        assert g(x).shape == x.shape and g(x).dtype == np.float32, name


def test_leaky_relu_slope():
    x = np.array([-2.0, 3.0])
    np.testing.assert_allclose(act.leaky_relu(x, 0.1), [-0.2, 3.0])
    np.testing.assert_allclose(act.leaky_relu_grad(x, 0.1), [0.1, 1.0])


def test_does_not_modify_input(rng):
    x = rng.normal(size=10)
    before = x.copy()
    for f, g in act.ACTIVATIONS.values():
        f(x), g(x)
    np.testing.assert_array_equal(x, before)

"""Property tests (hypothesis) for the losses and layers."""
import warnings

import numpy as np
from hypothesis import given, strategies as st
from hypothesis.extra.numpy import arrays

from course import layers, losses

big = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False)


@st.composite
def logits_and_labels(draw):
    n, k = draw(st.integers(1, 6)), draw(st.integers(2, 6))
    logits = draw(arrays(np.float64, (n, k), elements=big))
    y = draw(arrays(np.int64, n, elements=st.integers(0, k - 1)))
    return logits, y


@given(logits_and_labels())
def test_softmax_cross_entropy_properties(case):
    logits, y = case
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grad = losses.softmax_cross_entropy(logits, y)
    assert np.isfinite(loss) and loss >= 0
    # each row of the gradient is (softmax - onehot)/n: it sums to zero
    np.testing.assert_allclose(grad.sum(axis=1), 0, atol=1e-12)
    # integer labels and one-hot rows are the same thing
    loss2, grad2 = losses.softmax_cross_entropy(logits, np.eye(logits.shape[1])[y])
    np.testing.assert_allclose(loss2, loss, rtol=1e-12)
    np.testing.assert_allclose(grad2, grad, atol=1e-15)


@given(arrays(np.float64, st.integers(1, 10), elements=big), st.data())
def test_binary_cross_entropy_is_finite_and_nonnegative(z, data):
    y = data.draw(arrays(np.float64, z.shape, elements=st.sampled_from([0.0, 1.0])))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grad = losses.binary_cross_entropy(z, y)
    assert np.isfinite(loss) and loss >= 0 and np.isfinite(grad).all()
    assert (np.abs(grad) <= 1.0 / len(z) + 1e-15).all()


@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.data())
def test_dense_shapes(n, d, m, data):
    x = data.draw(arrays(np.float64, (n, d), elements=st.floats(-10, 10)))
    W = data.draw(arrays(np.float64, (d, m), elements=st.floats(-10, 10)))
    b = data.draw(arrays(np.float64, m, elements=st.floats(-10, 10)))
    out, cache = layers.dense_forward(x, W, b)
    assert out.shape == (n, m)
    dx, dW, db = layers.dense_backward(np.ones((n, m)), cache)
    assert dx.shape == x.shape and dW.shape == W.shape and db.shape == b.shape
    np.testing.assert_allclose(db, n)


@given(arrays(np.float64, (3, 4), elements=big))
def test_mse_is_zero_only_at_the_target(p):
    assert losses.mse(p, p)[0] == 0
    assert losses.mse(p, p + 1)[0] == 1

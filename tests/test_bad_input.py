"""Bad input gets one sentence saying what was expected and what arrived."""
import numpy as np
import pytest

import course
from course import layers, losses
from course.activations import sigmoid, softmax
from course.gradcheck import numerical_gradient, relative_error
from course.network import MLP, backpropagation, forward_propagation
from course.optim import SGD, Adam, Momentum
from course.training import fit

E = course.CourseInputError
X4 = np.zeros((5, 4))
y5 = np.zeros(5, dtype=int)
W = [np.zeros((4, 3)), np.zeros((3, 2))]
b = [np.zeros(3), np.zeros(2)]


def model():
    return MLP([4, 3, 2])


CASES = [
    ("string to an activation", lambda: sigmoid("abc"), r"x: expected a numeric array, got str"),
    ("ragged list", lambda: sigmoid([[1, 2], [3]]), r"x: expected a numeric array"),
    ("complex numbers", lambda: sigmoid(np.array([1j])), r"expected real numbers, got dtype complex128"),
    ("NaN in the input", lambda: sigmoid(np.array([1.0, np.nan])), r"expected finite numbers, got NaN at 1 of 2"),
    ("inf in the input", lambda: softmax(np.array([[np.inf, 1.0]])), r"got inf"),
    ("3-D softmax", lambda: softmax(np.zeros((2, 2, 2))), r"expected a 1-D or 2-D array, got shape \(2, 2, 2\)"),
    ("transposed weights", lambda: layers.dense_forward(X4, np.zeros((3, 4)), np.zeros(4)),
     r"x has 4 columns \(shape \(5, 4\)\) but W has 3 rows"),
    ("bias of the wrong length", lambda: layers.dense_forward(X4, np.zeros((4, 3)), np.zeros(4)),
     r"b: expected shape \(3,\) .* got \(4,\)"),
    ("dout of the wrong shape", lambda: layers.dense_backward(np.zeros((5, 2)), layers.dense_forward(X4, W[0], b[0])[1]),
     r"dout: expected shape \(5, 3\).*got \(5, 2\)"),
    ("unknown activation", lambda: layers.activation_forward(X4, "relu6"), r"activation: expected one of 'sigmoid', .* got 'relu6'"),
    ("label out of range", lambda: losses.softmax_cross_entropy(np.zeros((2, 3)), [0, 3]),
     r"y: expected labels in \[0, 2\], got values from 0 to 3"),
    ("negative label", lambda: losses.softmax_cross_entropy(np.zeros((2, 3)), [0, -1]), r"got values from -1 to 0"),
    ("float labels", lambda: losses.softmax_cross_entropy(np.zeros((2, 3)), [0.5, 1]), r"non-integer values"),
    ("too few labels", lambda: losses.softmax_cross_entropy(np.zeros((3, 3)), [0, 1]), r"expected 3 labels .* got 2"),
    ("bad one-hot rows", lambda: losses.softmax_cross_entropy(np.zeros((2, 2)), np.array([[1.0, 1.0], [0, 1]])),
     r"one-hot rows must be >= 0 and sum to 1"),
    ("mse shapes differ", lambda: losses.mse(np.zeros((2, 3)), np.zeros((3, 2))),
     r"pred and target: expected the same shape, got \(2, 3\) and \(3, 2\)"),
    ("bce targets outside [0, 1]", lambda: losses.binary_cross_entropy(np.zeros(2), np.array([0.0, 2.0])),
     r"expected targets in \[0, 1\], got values from 0.0 to 2.0"),
    ("weights and biases lengths differ", lambda: forward_propagation(X4, W, b[:1]), r"same non-zero length .* got 2 and 1"),
    ("weights do not chain", lambda: forward_propagation(X4, [np.zeros((4, 3)), np.zeros((2, 2))], b),
     r"weights\[1\]: expected 3 rows to match the outputs of weights\[0\], got shape \(2, 2\)"),
    ("weights not a list", lambda: forward_propagation(X4, np.zeros((4, 3)), b), r"expected two lists of arrays"),
    ("learning rate negative", lambda: backpropagation(X4, y5, W, b, -0.1), r"learning_rate: expected a number > 0, got -0.1"),
    ("unflattened images", lambda: MLP([784, 10]).forward(np.zeros((2, 28, 28))), r"X: expected a 2-D array, got shape \(2, 28, 28\)"),
    ("wrong number of features", lambda: model().forward(np.zeros((2, 28))), r"expected 4 features per row, got shape \(2, 28\)"),
    ("X and y lengths differ", lambda: fit(model(), X4, np.zeros(4, int), progress=False), r"expected 5 labels \(one per row of X\), got 4"),
    ("labels for more classes than outputs", lambda: fit(model(), X4, np.arange(5), progress=False),
     r"expected labels in \[0, 1\], got values from 0 to 4"),
    ("zero epochs", lambda: fit(model(), X4, y5, epochs=0, progress=False), r"epochs: expected an integer >= 1, got 0"),
    ("batch size as a float", lambda: fit(model(), X4, y5, batch_size=32.0, progress=False), r"batch_size: expected an integer >= 1, got float"),
    ("optimizer as a string", lambda: fit(model(), X4, y5, optimizer="adam", progress=False), r"optimizer: expected an SGD, Momentum or Adam object .* got str"),
    ("validation data not a pair", lambda: fit(model(), X4, y5, validation_data=X4, progress=False), r"validation_data: expected a pair"),
    ("NaN in the training data", lambda: fit(model(), np.full((5, 4), np.nan), y5, progress=False), r"X: expected finite numbers, got NaN"),
    ("layer sizes too short", lambda: MLP([784]), r"sizes: expected a list of at least 2 layer widths"),
    ("zero-width layer", lambda: MLP([784, 0, 10]), r"sizes\[1\]: expected an integer >= 1, got 0"),
    ("unknown initialisation", lambda: MLP([2, 2], init="glorot"), r"init: expected one of 'he', 'xavier'"),
    ("integer dtype model", lambda: MLP([2, 2], dtype=np.int32), r"dtype: expected float32 or float64, got int32"),
    ("negative learning rate to Adam", lambda: Adam(lr=-1), r"lr: expected a finite number > 0, got -1.0"),
    ("momentum of 1", lambda: Momentum(momentum=1.0), r"momentum: expected a number in \[0, 1\), got 1.0"),
    ("parameter and gradient shapes differ", lambda: SGD().step([np.zeros(3)], [np.zeros(4)]),
     r"params\[0\] has shape \(3,\) but grads\[0\] has shape \(4,\)"),
    ("lists to an optimiser", lambda: SGD().step([[1.0]], [[1.0]]), r"must be NumPy arrays .* got list and list"),
    ("backward before forward", lambda: model().backward(np.zeros((5, 2))), r"call forward\(X\) first"),
    ("integer array to gradcheck", lambda: numerical_gradient(lambda: 0.0, np.arange(3)), r"x: expected a float NumPy array .* dtype int64"),
    ("relative error shapes differ", lambda: relative_error(np.zeros(2), np.zeros(3)), r"got \(2,\) and \(3,\)"),
]


@pytest.mark.parametrize("what,call,message", CASES, ids=[c[0] for c in CASES])
def test_bad_input_message(what, call, message):
    with pytest.raises(E, match=message) as info:
        call()
    text = str(info.value)
    assert "\n" not in text and text.endswith("."), text


def test_at_least_twenty_kinds():
    assert len(CASES) >= 20


def test_error_is_a_value_error():
    # so code that catches ValueError (as NumPy raises) keeps working
    assert issubclass(E, ValueError)

"""Learner answers for notebook 01 (the neuron): neuron, boundary_x1, and_gate.

Written the way learners write them: `sigmoid` is the course's stable sigmoid, which notebook 01
imports (`from course import sigmoid`). Wrong answers mostly run; at least half of them are
slips the exercise's `mistakes` list does not anticipate.
"""
import numpy as np

from answers import right, wrong
from course import sigmoid

# ---------------------------------------------------------------------------
# neuron(x, w, b) = σ(x·w + b), x: (n, d), w: (d,), b: a number -> (n,)
# ---------------------------------------------------------------------------


@wrong("neuron", "the bias added after the sigmoid (the issue's example)")
def _(x, w, b):
    return sigmoid(x @ w) + b


@wrong("neuron", "the bias added to every input before the product, so it is multiplied by the weights")
def _(x, w, b):
    return sigmoid((x + b) @ w)


@wrong("neuron", "tanh instead of the sigmoid")
def _(x, w, b):
    return np.tanh(x @ w + b)


@wrong("neuron", "the sign of z flipped (σ(-z), the textbook's e^(-z) written once too often)")
def _(x, w, b):
    return sigmoid(-(x @ w + b))


@wrong("neuron", "written for the two-input example: only the first two features are used")
def _(x, w, b):
    return sigmoid(x[:, 0] * w[0] + x[:, 1] * w[1] + b)


@wrong("neuron", "a column vector (n, 1) instead of (n,)")
def _(x, w, b):
    return sigmoid(x @ w.reshape(-1, 1) + b)


@wrong("neuron", "the output thresholded at 0.5 (a classifier, not the neuron's output)")
def _(x, w, b):
    return sigmoid(x @ w + b) > 0.5


@wrong("neuron", "the textbook sigmoid 1 / (1 + exp(-z)), which overflows for very negative z")
def _(x, w, b):
    return 1 / (1 + np.exp(-(x @ w + b)))


@wrong("neuron", "the bias subtracted: z = x·w - b")
def _(x, w, b):
    return sigmoid(np.dot(x, w) - b)


@wrong("neuron", "the weighted sum z returned, no activation")
def _(x, w, b):
    return np.dot(x, w) + b


@wrong("neuron", "w @ x instead of x @ w (the product the other way round)")
def _(x, w, b):
    return sigmoid(w @ x + b)


@right("neuron", "the sum of the products over each row")
def _(x, w, b):
    return sigmoid((x * w).sum(axis=1) + b)


@right("neuron", "tanh form of the sigmoid: σ(z) = (1 + tanh(z / 2)) / 2")
def _(x, w, b):
    return 0.5 * (1 + np.tanh((x @ w + b) / 2))


@right("neuron", "a loop over the samples")
def _(x, w, b):
    return np.array([sigmoid(np.dot(row, w) + b) for row in x])


@right("neuron", "the textbook formula on z clipped to [-500, 500], so exp cannot overflow")
def _(x, w, b):
    z = np.clip(x @ w + b, -500, 500)
    return 1 / (1 + np.exp(-z))


# ---------------------------------------------------------------------------
# boundary_x1(x0, w, b): x1 with w[0]*x0 + w[1]*x1 + b = 0
# ---------------------------------------------------------------------------


@wrong("boundary_x1", "the sign flipped: x1 = (w0 x0 + b) / w1")
def _(x0, w, b):
    return (w[0] * x0 + b) / w[1]


@wrong("boundary_x1", "operator precedence: -w0 x0 + b / w1 (only b divided, and b not negated)")
def _(x0, w, b):
    return -w[0] * x0 + b / w[1]


@wrong("boundary_x1", "moved w0 x0 across the equals sign but not b: x1 = (b - w0 x0) / w1")
def _(x0, w, b):
    return (b - w[0] * x0) / w[1]


@wrong("boundary_x1", "multiplied by w1 instead of dividing")
def _(x0, w, b):
    return -(w[0] * x0 + b) * w[1]


@wrong("boundary_x1", "divided by w0 instead of w1")
def _(x0, w, b):
    return -(w[0] * x0 + b) / w[0]


@wrong("boundary_x1", "the bias forgotten: a line through the origin")
def _(x0, w, b):
    return -w[0] / w[1] * x0


@wrong("boundary_x1", "the slope forgotten: a horizontal line at -b / w1")
def _(x0, w, b):
    return np.full_like(x0, -b / w[1])


@wrong("boundary_x1", "right values, computed in place in the caller's x0")
def _(x0, w, b):
    x0 *= -w[0]
    x0 -= b
    x0 /= w[1]
    return x0


@wrong("boundary_x1", "w[1] and w[0] swapped (1-based indices in mind)")
def _(x0, w, b):
    return -(w[1] * x0 + b) / w[0]


@right("boundary_x1", "the two terms divided separately: slope and intercept")
def _(x0, w, b):
    return -w[0] / w[1] * x0 - b / w[1]


@right("boundary_x1", "(-b - w0 x0) / w1")
def _(x0, w, b):
    return (-b - w[0] * x0) / w[1]


@right("boundary_x1", "a list comprehension, one x1 per x0")
def _(x0, w, b):
    return [-(w[0] * v + b) / w[1] for v in x0]


# ---------------------------------------------------------------------------
# and_gate(x): x (n, 2) of 0s and 1s -> (n,) 0s and 1s, 1 only where both inputs are 1
# ---------------------------------------------------------------------------


@wrong("and_gate", "the threshold applied to σ(z): σ(z) > 0 holds for every z (the issue's example)")
def _(x):
    w, b = np.array([1.0, 1.0]), -1.5
    return (sigmoid(x @ w + b) > 0).astype(int)


@wrong("and_gate", "z >= 0 with b = -1: (0, 1) lands on the threshold and fires, so this is OR")
def _(x):
    return (x @ np.array([1.0, 1.0]) - 1 >= 0).astype(int)


@wrong("and_gate", "σ(z) >= 0.5 with b = -1: one input alone reaches 0.5, so this is OR")
def _(x):
    return (sigmoid(x @ np.array([1.0, 1.0]) - 1.0) >= 0.5).astype(int)


@wrong("and_gate", "np.sign(z): -1 and 1 instead of 0 and 1")
def _(x):
    return np.sign(x @ np.array([1.0, 1.0]) - 1.5)


@wrong("and_gate", "the count of ones x0 + x1 returned, not thresholded")
def _(x):
    return x @ np.array([1.0, 1.0])


@wrong("and_gate", "w = (1, 0): the gate copies the first input")
def _(x):
    return (x @ np.array([1.0, 0.0]) - 0.5 > 0).astype(int)


@wrong("and_gate", "elementwise x * w: one 0/1 per input, shape (n, 2)")
def _(x):
    return (x * np.array([1.0, 1.0]) - 0.5 > 0).astype(int)


@wrong("and_gate", "np.all over the whole array: one answer for the whole batch")
def _(x):
    return int(np.all(x == 1))


@wrong("and_gate", "the comparison the wrong way round: fires where z < 0 (NAND)")
def _(x):
    return np.where(x @ np.array([1.0, 1.0]) - 1.5 < 0, 1, 0)


@wrong("and_gate", "b = -2.5: too negative, never fires")
def _(x):
    return (x @ np.array([1.0, 1.0]) - 2.5 > 0).astype(int)


@right("and_gate", "σ(z) rounded: 0.18, 0.38, 0.62 become 0, 0, 1")
def _(x):
    return np.round(sigmoid(x @ np.array([1.0, 1.0]) - 1.5))


@right("and_gate", "σ(z) > 0.5, the same as z > 0")
def _(x):
    return (sigmoid(x @ np.array([1.0, 1.0]) - 1.5) > 0.5).astype(int)


@right("and_gate", "the threshold 1.5 written on the right-hand side, no bias")
def _(x):
    return (x[:, 0] + x[:, 1] > 1.5) * 1


@right("and_gate", "b = -2 with z >= 0: (1, 1) lands exactly on the threshold and fires")
def _(x):
    return np.where(x.sum(axis=1) - 2 >= 0, 1, 0)

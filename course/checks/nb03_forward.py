"""Exercises of notebook 03 (layers and forward propagation): dense_forward, count_parameters, forward."""
import numpy as np

from .. import activations as act
from .. import network
from .core import Exercise, Mistake, register

# ---------------------------------------------------------------------------
# dense_forward(x, W, b) = x @ W + b for a batch x: (n, d), W: (d, m), b: (m,)
# ---------------------------------------------------------------------------


def _dense_forward(x, W, b):
    """x: (n, d), W: (d, m), b: (m,) -> x @ W + b: (n, m)."""
    return x @ W + b


def _dense_no_bias(x, W, b):
    return x @ W


def _dense_transposed(x, W, b):
    return x @ W.T + b


def _dense_wrong_order(x, W, b):
    return W @ x + b


def _dense_with_relu(x, W, b):
    return act.relu(x @ W + b)


def _dense_sigmoid(x, W, b):
    """The sigmoid of the pre-activations, σ(x·W + b): (n, m)."""
    return act.sigmoid(x @ W + b)


def _dense_case(rng):
    n, d, m = (int(v) for v in rng.integers(1, 6, size=3))
    return rng.normal(size=(n, d)), rng.normal(size=(d, m)), rng.normal(size=m)


_r = np.random.default_rng(3)
_X_SQUARE = np.round(_r.normal(size=(3, 3)), 2)
_W_SQUARE = np.round(_r.normal(size=(3, 3)), 2)   # not symmetric, so W and W.T differ
_B_SQUARE = np.array([0.5, -1.0, 0.25])
# Two large, nearly equal inputs whose difference counts: in float32, 1000.1 is 1000.0999755859375, so a
# layer computed in float32 is off by 1.2e-5 on an output of -0.25, beyond the compare's rtol of 1e-6.
# (Widths within a factor 1000 of each other, so that the verdict prints them as 1000.1, not 1.0e+03.)
_X_CANCEL = np.array([[1000.1, 1000.0, 2.5], [-3.2, 1.7, 1.25]])
_W_CANCEL = np.array([[1.0, 0.5], [-1.0, -0.5], [2.0, 0.0]])
_B_CANCEL = np.array([0.1, -0.3])

register(Exercise(
    name="dense_forward",
    notebook="03_layers_and_forward_propagation",
    reference=_dense_forward,
    cases=[
        # square first: with n = d = m, x @ W.T and W @ x run without an error and give the wrong numbers
        (_X_SQUARE, _W_SQUARE, _B_SQUARE),
        (np.arange(12.0).reshape(4, 3) / 10, np.array([[1.0, -2.0], [0.5, 0.0], [-1.0, 1.5]]), np.array([0.1, -0.2])),
        # float64 inputs whose float32 rounding shows in the answer (core.same also rejects a float32 dtype)
        (_X_CANCEL, _W_CANCEL, _B_CANCEL),
    ],
    random_case=_dense_case,
    mistakes=[
        Mistake("the bias is missing", _dense_no_bias,
                "Add the bias vector b after the matrix product: one entry per neuron, added to every row."),
        Mistake("W is used transposed: W has shape (inputs, outputs), so the product is x·W as it is",
                _dense_transposed,
                "Column j of W holds the weights of neuron j, so output j is x times column j of W: multiply x by W "
                "itself, not by its transpose."),
        Mistake("the product is in the wrong order (W·x, the column-vector convention)", _dense_wrong_order,
                "Here each row of x is one example, so the batch comes first: x·W, (n, d) times (d, m)."),
        Mistake("you applied an activation (ReLU); a dense layer is only the affine map x·W + b", _dense_with_relu,
                "Return the pre-activations x·W + b; the activation is a separate step (in forward)."),
    ],
    related=[("the activations σ(x·W + b) after a sigmoid, not the pre-activations x·W + b", _dense_sigmoid)],
    hints=[
        "Each output neuron takes a weighted sum of its inputs and adds its own bias. One matrix product computes "
        "these weighted sums for every example and every neuron at once; then the bias is added to every row.",
        "out = x·W + b. x is (n, d) and W is (d, m), so x·W is (n, m): one row per example, one column per neuron. "
        "b has shape (m,) and broadcasts over the n rows. Keep the inputs' dtype (float64): no conversion.",
        "return x @ W + b",
    ],
))


# ---------------------------------------------------------------------------
# count_parameters(sizes): Σ (d_i · d_{i+1} + d_{i+1})
# ---------------------------------------------------------------------------


def _count_parameters(sizes):
    """sizes: layer widths such as (784, 128, 64, 10) -> number of weights plus biases."""
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


def _count_no_biases(sizes):
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))


def _count_neurons(sizes):
    return sum(sizes)


def _count_skips_last_layer(sizes):
    return sum(sizes[i] * sizes[i + 1] + sizes[i + 1] for i in range(len(sizes) - 2))


def _count_biases_per_input(sizes):
    return sum(a * b + a for a, b in zip(sizes[:-1], sizes[1:]))


register(Exercise(
    name="count_parameters",
    notebook="03_layers_and_forward_propagation",
    reference=_count_parameters,
    cases=[((784, 128, 64, 10),), ([2, 3, 1],), ([5, 4],)],
    random_case=lambda rng: ([int(s) for s in rng.integers(1, 30, size=int(rng.integers(2, 6)))],),
    mistakes=[
        Mistake("the biases are missing: each layer also has one bias per output neuron", _count_no_biases,
                "A layer from a to b units has a·b weights and b biases."),
        Mistake("you counted neurons, not parameters", _count_neurons,
                "Parameters sit on the connections: a·b weights between layers of a and b units, plus b biases."),
        Mistake("off by one: the last layer (into the output layer) is missing", _count_skips_last_layer,
                "L widths make L − 1 layers of weights: every pair of consecutive widths counts, the last pair "
                "(into the output layer) included."),
        Mistake("you gave each layer one bias per input; a bias belongs to each output neuron", _count_biases_per_input,
                "A layer from a to b units has b biases (one per neuron it computes), not a."),
    ],
    hints=[
        "The parameters sit between consecutive layers: each pair of neighbouring widths gives one weight matrix "
        "and one bias vector. The input layer itself has no parameters.",
        "A layer from a to b units has a·b weights (W is (a, b)) and b biases (one per output neuron). Add a·b + b "
        "over the len(sizes) − 1 pairs of consecutive widths (a, b).",
        "return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))",
    ],
))


# ---------------------------------------------------------------------------
# forward(X, weights, biases): ReLU on hidden layers, logits out
# ---------------------------------------------------------------------------


def _forward(X, weights, biases):
    """X: (n, d) -> logits (n, k): ReLU after every hidden layer, nothing after the output layer."""
    return network.forward_propagation(X, list(weights), list(biases), "relu")[0]


def _forward_relu_everywhere(X, weights, biases):
    a = X
    for W, b in zip(weights, biases):
        a = act.relu(a @ W + b)
    return a


def _forward_no_bias(X, weights, biases):
    a = X
    for i, W in enumerate(weights):
        a = a @ W
        if i < len(weights) - 1:
            a = act.relu(a)
    return a


def _forward_linear(X, weights, biases):
    a = X
    for W, b in zip(weights, biases):
        a = a @ W + b
    return a


def _forward_softmax_out(X, weights, biases):
    return act.softmax(_forward(X, weights, biases))


def _forward_relu_input(X, weights, biases):
    """The logits when ReLU is applied to the input X as well as to the hidden layers: (n, k)."""
    return _forward(act.relu(X), weights, biases)


def _forward_sigmoid_hidden(X, weights, biases):
    """The logits with a sigmoid, not ReLU, after every hidden layer: (n, k)."""
    return network.forward_propagation(X, list(weights), list(biases), "sigmoid")[0]


def _forward_case(rng):
    sizes = [int(s) for s in rng.integers(1, 6, size=int(rng.integers(2, 5)))]
    n = int(rng.integers(1, 5))
    weights = [rng.normal(size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [rng.normal(size=b) for b in sizes[1:]]
    return rng.normal(size=(n, sizes[0])), weights, biases


_r = np.random.default_rng(4)
_SIZES = [3, 5, 4, 3]
_X3 = np.round(_r.normal(size=(4, 3)), 2)
_WEIGHTS3 = [np.round(_r.normal(size=(a, b)), 2) for a, b in zip(_SIZES[:-1], _SIZES[1:])]
_BIASES3 = [np.round(_r.normal(size=b), 2) for b in _SIZES[1:]]
# The first layer subtracts two large, nearly equal inputs: float32 rounding of X or of a layer shows.
_X_CANCEL3 = np.array([[1000.1, 1000.0], [-1.4, 1.3], [2.5, 2.4]])
_WEIGHTS_CANCEL3 = [np.array([[1.0, -1.0, 0.5], [-1.0, 1.0, -0.5]]), np.array([[2.0, -1.0], [0.5, 1.0], [-1.0, 3.0]])]
_BIASES_CANCEL3 = [np.array([0.05, 0.2, -0.02]), np.array([-0.5, 0.3])]

register(Exercise(
    name="forward",
    notebook="03_layers_and_forward_propagation",
    reference=_forward,
    cases=[
        (_X3, _WEIGHTS3, _BIASES3),   # three layers; some hidden units and some logits are negative
        (np.array([[1.0, -2.0], [0.5, 0.5]]), [np.array([[1.0, -1.0, 0.5], [0.5, 1.0, -2.0]])], [np.array([0.1, 0.2, -0.3])]),
        (_X_CANCEL3, _WEIGHTS_CANCEL3, _BIASES_CANCEL3),   # float32 rounding shows; negative inputs
    ],
    random_case=_forward_case,
    mistakes=[
        Mistake("the activation is applied to the output layer too (the article's version): logits can no longer be "
                "negative", _forward_relu_everywhere,
                "Apply ReLU after the hidden layers only; the last layer returns z = a·W + b, the logits."),
        Mistake("the biases are missing", _forward_no_bias, "Every layer adds its bias: z = a·W + b."),
        Mistake("there is no activation between the layers: the network is one linear map", _forward_linear,
                "Apply ReLU after every hidden layer (every layer but the last)."),
        Mistake("you returned softmax probabilities; forward returns the logits, softmax belongs with the loss",
                _forward_softmax_out, "Return the last layer's z = a·W + b as it is."),
    ],
    related=[("the logits with ReLU applied to the input X too (ReLU before each layer instead of after each "
              "hidden layer)", _forward_relu_input),
             ("the logits with a sigmoid after the hidden layers instead of ReLU", _forward_sigmoid_hidden)],
    hints=[
        "Pass the batch through the layers one after the other: each layer's output is the next layer's input. "
        "Every hidden layer applies ReLU; the output layer applies nothing, so its outputs (the logits) can be "
        "negative.",
        "Start with a = X, shape (n, d). For layer i: z = a·W_i + b_i, with W_i of shape (d_i, d_{i+1}); then "
        "a = ReLU(z) for every layer but the last. The last layer's z, shape (n, k), is the answer.",
        "a = X\n"
        "for i, (W, b) in enumerate(zip(weights, biases)):\n"
        "    z = dense_forward(a, W, b)\n"
        "    a = z if i == len(weights) - 1 else course.relu(z)\n"
        "return a",
    ],
))

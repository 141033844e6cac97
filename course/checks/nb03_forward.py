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


def _dense_case(rng):
    n, d, m = (int(v) for v in rng.integers(1, 6, size=3))
    return rng.normal(size=(n, d)), rng.normal(size=(d, m)), rng.normal(size=m)


_r = np.random.default_rng(3)
_X_SQUARE = np.round(_r.normal(size=(3, 3)), 2)
_W_SQUARE = np.round(_r.normal(size=(3, 3)), 2)   # not symmetric, so W and W.T differ
_B_SQUARE = np.array([0.5, -1.0, 0.25])

register(Exercise(
    name="dense_forward",
    notebook="03_layers_and_forward_propagation",
    reference=_dense_forward,
    cases=[
        # square first: with n = d = m, x @ W.T and W @ x run without an error and give the wrong numbers
        (_X_SQUARE, _W_SQUARE, _B_SQUARE),
        (np.arange(12.0).reshape(4, 3) / 10, np.array([[1.0, -2.0], [0.5, 0.0], [-1.0, 1.5]]), np.array([0.1, -0.2])),
    ],
    random_case=_dense_case,
    mistakes=[
        Mistake("the bias is missing", _dense_no_bias, "Add b after the product: x @ W + b (b broadcasts over the rows)."),
        Mistake("W is transposed (x @ W.T): with W of shape (inputs, outputs) the product is x @ W", _dense_transposed,
                "Column j of W holds the weights of neuron j, so output j is x @ W[:, j]: use x @ W."),
        Mistake("the product is in the wrong order (W @ x, the column-vector convention)", _dense_wrong_order,
                "Here each row of x is one example, so the batch goes first: x @ W."),
        Mistake("you applied an activation (ReLU); a dense layer is only the affine map x @ W + b", _dense_with_relu,
                "Return x @ W + b; the activation is a separate step (in forward)."),
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
                "A layer from a to b units has a * b weights and b biases."),
        Mistake("you counted neurons, not parameters", _count_neurons,
                "Parameters sit on the connections: a * b weights between layers of a and b units, plus b biases."),
        Mistake("off by one: the last layer (into the output layer) is missing", _count_skips_last_layer,
                "len(sizes) widths make len(sizes) - 1 layers of weights: loop over zip(sizes[:-1], sizes[1:])."),
        Mistake("you gave each layer one bias per input; a bias belongs to each output neuron", _count_biases_per_input,
                "A layer from a to b units has b biases (one per neuron it computes), not a."),
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

register(Exercise(
    name="forward",
    notebook="03_layers_and_forward_propagation",
    reference=_forward,
    cases=[
        (_X3, _WEIGHTS3, _BIASES3),   # three layers; some hidden units and some logits are negative
        (np.array([[1.0, -2.0], [0.5, 0.5]]), [np.array([[1.0, -1.0, 0.5], [0.5, 1.0, -2.0]])], [np.array([0.1, 0.2, -0.3])]),
    ],
    random_case=_forward_case,
    mistakes=[
        Mistake("the activation is applied to the output layer too (the article's version): logits can no longer be "
                "negative", _forward_relu_everywhere,
                "Apply ReLU after the hidden layers only; the last layer returns z = a @ W + b, the logits."),
        Mistake("the biases are missing", _forward_no_bias, "Every layer computes a @ W + b."),
        Mistake("there is no activation between the layers: the network is one linear map", _forward_linear,
                "Apply ReLU after every hidden layer (every layer but the last)."),
        Mistake("you returned softmax probabilities; forward returns the logits, softmax belongs with the loss",
                _forward_softmax_out, "Return the last layer's z = a @ W + b as it is."),
    ],
))

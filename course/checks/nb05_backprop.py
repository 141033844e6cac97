"""Exercises of notebook 05 (backpropagation): dense_backward, relu_backward, backprop, compute_gradients."""
import numpy as np

from .. import activations as act
from .. import layers, losses, network
from ..i18n import _
from .core import Exercise, Mistake, labelled, register

NOTEBOOK = "05_backpropagation"


# ---------------------------------------------------------------- dense layer
def _dense_backward(dout, cache):
    """dout (n, m), cache = (x (n, d), W (d, m)) -> dx = dout W^T (n, d), dW = x^T dout (d, m), db = Σ_rows dout (m,)."""
    return layers.dense_backward(dout, cache)


def _dense_dW_transposed(dout, cache):
    x, W = cache
    return dout @ W.T, dout.T @ x, dout.sum(axis=0)


def _dense_dx_with_W(dout, cache):
    x, W = cache
    return dout @ W, x.T @ dout, dout.sum(axis=0)


def _dense_db_mean(dout, cache):
    x, W = cache
    return dout @ W.T, x.T @ dout, dout.mean(axis=0)


def _dense_db_not_summed(dout, cache):
    x, W = cache
    return dout @ W.T, x.T @ dout, dout.copy()


def _dense_db_wrong_axis(dout, cache):
    x, W = cache
    return dout @ W.T, x.T @ dout, dout.sum(axis=1)


def _dense_no_db(dout, cache):
    x, W = cache
    return dout @ W.T, x.T @ dout


def _random_dense(rng):
    n, d, m = (int(v) for v in rng.integers(2, 6, size=3))
    return rng.normal(size=(n, m)), (rng.normal(size=(n, d)), rng.normal(size=(d, m)))


register(Exercise(
    name="dense_backward",
    notebook=NOTEBOOK,
    reference=_dense_backward,
    cases=[
        # W square first, so that dout @ W (W not transposed) gives numbers instead of a shape error
        (np.array([[1.0, -2.0, 0.5], [0.0, 1.0, 3.0], [2.0, 0.5, -1.0], [-1.0, 1.0, 1.0]]),
         (np.array([[1.0, 2.0, 0.0], [-1.0, 0.5, 2.0], [3.0, -1.0, 1.0], [0.5, 0.5, -2.0]]),
          np.array([[0.2, -0.5, 1.0], [1.5, 0.3, -0.7], [-0.4, 0.8, 0.1]]))),
        (np.array([[0.5, -1.0, 2.0], [1.0, 0.0, -0.5]]),
         (np.array([[1.0, 2.0, 3.0, 4.0], [-1.0, 0.0, 1.0, 2.0]]),
          np.array([[0.1, 0.2, 0.3], [-0.1, 0.0, 0.4], [0.5, -0.3, 0.2], [0.0, 0.6, -0.2]]))),
    ],
    random_case=_random_dense,
    mistakes=[
        Mistake("dW = dout.T @ x is the transpose of the answer", _dense_dW_transposed,
                "dW must have W's shape (d, m): it is xᵀ·dout, the transpose of what you computed."),
        Mistake("dx uses W instead of W.T", _dense_dx_with_W,
                "out = x·W, so dx = dout·Wᵀ: (n, m) times (m, d) gives x's shape (n, d)."),
        Mistake("db is the mean over the batch instead of the sum", _dense_db_mean,
                "Every row added the same b, so the rows' gradients add up: db is the sum of the rows of dout, not their mean."),
        Mistake("db is not summed over the batch (you returned dout itself)", _dense_db_not_summed,
                "b has shape (m,): add up the n rows of dout into one row."),
        Mistake("db is summed over the wrong axis", _dense_db_wrong_axis,
                "Sum over the batch (down the rows), not over the outputs: db has b's shape (m,)."),
        Mistake("db is missing: return dx, dW and db", _dense_no_db,
                "The bias is a parameter too: return the three gradients dx, dW and db, db being the sum of the rows of dout."),
    ],
    hints=[
        "Each gradient has the shape of what it differentiates: dx like x, dW like W, db like b. Every row of the "
        "batch used the same W and b, so their gradients add up over the rows.",
        "out = x·W + b with x (n, d), W (d, m) and dout (n, m): dx = dout·Wᵀ (n, d), dW = xᵀ·dout (d, m), "
        "db = the sum of the rows of dout (m,). Check each product's shapes: the inner sizes must match.",
        "dx = dout @ W.T\n"
        "dW = x.T @ dout\n"
        "db = dout.sum(axis=0)\n"
        "return dx, dW, db",
    ],
    compare=labelled("dx", "dW", "db"),
))


# ---------------------------------------------------------------- ReLU
def _relu_backward(dout, z):
    """dout, z: same shape; dz = dout where z > 0, else 0 (0 at z == 0, as PyTorch)."""
    return dout * (z > 0)


def _relu_mask_from_dout(dout, z):
    return dout * (dout > 0)


def _relu_times_relu(dout, z):
    return dout * act.relu(z)


def _relu_no_dout(dout, z):
    return (z > 0).astype(float)


def _relu_mask_ge(dout, z):
    return dout * (z >= 0)


def _random_relu(rng):
    shape = (int(rng.integers(2, 6)), int(rng.integers(2, 6)))
    return rng.normal(size=shape), rng.normal(size=shape)


register(Exercise(
    name="relu_backward",
    notebook=NOTEBOOK,
    reference=_relu_backward,
    cases=[
        # z == 0 at two places, in different rows and columns, where dout is 3.0 and -1.5: an answer wrong only
        # at the kink is not wrong only where dout has one sign, nor only in one column
        (np.array([[0.5, -1.0, 2.0, 3.0], [-2.0, -1.5, -0.5, -4.0]]),
         np.array([[1.0, 2.0, -1.0, 0.0], [-3.0, 0.0, 2.0, 0.5]])),
        (np.array([1.0, -1.0, 2.0, 0.5]), np.array([-0.5, 0.1, 3.0, -2.0])),
    ],
    random_case=_random_relu,
    mistakes=[
        Mistake("the mask comes from the upstream gradient dout instead of the input z", _relu_mask_from_dout,
                "Whether the gradient passes depends on what ReLU saw in the forward pass: the gates are open where z > 0."),
        Mistake("you multiplied by ReLU(z) itself instead of its derivative", _relu_times_relu,
                "ReLU′(z) is 1 where z > 0 and 0 elsewhere: multiply dout by that 0/1 slope, not by ReLU(z)."),
        Mistake("the chain rule is missing: you returned ReLU'(z) without multiplying by dout", _relu_no_dout,
                "Local derivative times upstream gradient: dz = dout · ReLU′(z), elementwise."),
        Mistake("the mask is z >= 0: at z == 0 the gradient should be 0", _relu_mask_ge,
                "At the kink z = 0 this course (like PyTorch) uses slope 0: only z strictly above 0 lets the gradient through."),
    ],
    hints=[
        "In the forward pass ReLU let a value through where its input was positive and blocked it elsewhere; the "
        "gradient flows back through the same gates. Which gates were open is decided by z, not by dout.",
        "dz = dout · ReLU′(z), elementwise, with ReLU′(z) = 1 where z > 0 and 0 where z ≤ 0 (0 at z = 0, as in "
        "PyTorch). dz has z's shape; build a new array instead of changing dout.",
        "return dout * (z > 0)\n"
        "# or: return np.where(z > 0, dout, 0.0)",
    ],
))


# ---------------------------------------------------------------- a 2-layer network
def _backprop(X, y, weights, biases):
    """Gradients of the mean softmax cross-entropy of a 2-layer ReLU network:
    logits = relu(X W0 + b0) W1 + b1. Returns {'dW0', 'dB0', 'dW1', 'dB1'}."""
    logits, caches = network.forward_propagation(X, weights, biases, "relu")
    _, dlogits = losses.softmax_cross_entropy(logits, y)
    return network.compute_gradients(caches, dlogits)


def _two_layer(X, y, weights, biases, *, n_divisor=None, subtract=True, relu_mask=True, h_for_dW1=True,
               relu_on_logits=False):
    """The backward pass of a 2-layer network with one knob per mistake."""
    (W0, W1), (b0, b1) = weights, biases
    n = X.shape[0]
    z0 = X @ W0 + b0
    h = np.maximum(z0, 0)
    logits = h @ W1 + b1
    p = act.softmax(logits)
    d = p.copy()
    if subtract:
        d[np.arange(n), y] -= 1
    d /= n if n_divisor is None else n_divisor
    if relu_on_logits:
        d = d * (logits > 0)
    dW1 = (h if h_for_dW1 else z0).T @ d
    db1 = d.sum(axis=0)
    dh = d @ W1.T
    dz0 = dh * (z0 > 0) if relu_mask else dh
    return {"dW0": X.T @ dz0, "dB0": dz0.sum(axis=0), "dW1": dW1, "dB1": db1}


def _backprop_no_relu_grad(X, y, weights, biases):
    return _two_layer(X, y, weights, biases, relu_mask=False)


def _backprop_not_averaged(X, y, weights, biases):
    return _two_layer(X, y, weights, biases, n_divisor=1)


def _backprop_relu_on_logits(X, y, weights, biases):
    return _two_layer(X, y, weights, biases, relu_on_logits=True)


def _backprop_swapped(X, y, weights, biases):
    g = _backprop(X, y, weights, biases)
    return {"dW0": g["dW1"], "dB0": g["dB1"], "dW1": g["dW0"], "dB1": g["dB0"]}


def _backprop_dW1_from_z0(X, y, weights, biases):
    return _two_layer(X, y, weights, biases, h_for_dW1=False)


def _backprop_no_onehot(X, y, weights, biases):
    return _two_layer(X, y, weights, biases, subtract=False)


def _random_network(rng):
    n, d, h, k = int(rng.integers(3, 7)), int(rng.integers(2, 5)), int(rng.integers(3, 7)), int(rng.integers(2, 5))
    weights = [rng.normal(size=(d, h)), rng.normal(size=(h, k))]
    biases = [rng.normal(scale=0.5, size=h), rng.normal(scale=0.5, size=k)]
    return rng.normal(size=(n, d)), rng.integers(0, k, size=n), weights, biases


def _fixed_network():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(4, 3))
    weights = [rng.normal(size=(3, 5)), rng.normal(size=(5, 3))]
    biases = [rng.normal(scale=0.5, size=5), rng.normal(scale=0.5, size=3)]
    return X, np.array([0, 2, 1, 2]), weights, biases


def _fixed_network_top_class_absent():
    """n = 5, d = 3, h = 4, k = 4 and no label 3 in the batch: a one-hot built from y.max() + 1 has too few
    columns, and a one-hot built from the number of classes k = W1's columns has enough."""
    rng = np.random.default_rng(6)
    X = rng.normal(size=(5, 3))
    weights = [rng.normal(size=(3, 4)), rng.normal(size=(4, 4))]
    biases = [rng.normal(scale=0.5, size=4), rng.normal(scale=0.5, size=4)]
    return X, np.array([0, 2, 1, 2, 0]), weights, biases


register(Exercise(
    name="backprop",
    notebook=NOTEBOOK,
    reference=_backprop,
    cases=[_fixed_network(), _fixed_network_top_class_absent()],
    random_case=_random_network,
    mistakes=[
        Mistake("the ReLU derivative is missing: the gradient passed through dead units", _backprop_no_relu_grad,
                "Between the layers, pass dh back through the ReLU: keep it where z0 > 0 and set it to 0 elsewhere."),
        Mistake("the gradients are summed over the batch, not averaged (dlogits not divided by n)",
                _backprop_not_averaged,
                "The loss is a mean over n examples: dlogits = (p − one-hot(y)) / n."),
        Mistake("the one-hot labels are not subtracted: dlogits = p / n", _backprop_no_onehot,
                "dlogits = (p − one-hot(y)) / n: subtract 1 at each row's true class."),
        Mistake("dW1 uses the pre-activation z0 instead of the ReLU output h", _backprop_dW1_from_z0,
                "Layer 1's input is h = relu(z0), so dW1 = hᵀ·dlogits."),
        Mistake("the ReLU derivative is applied to the logits too (the article's bug: the output layer has no ReLU)",
                _backprop_relu_on_logits,
                "The logits go straight into the softmax: start the backward pass from dlogits as it is, and use "
                "the ReLU mask only between the layers, with z0."),
        Mistake("the layers' gradients are swapped (dW0 <-> dW1, dB0 <-> dB1)", _backprop_swapped,
                "Key i belongs to weights[i]: dW0 has W0's shape (d, h), dW1 has W1's shape (h, k)."),
    ],
    hints=[
        "Go backwards through what the forward pass did: first the loss's gradient at the logits, then the output "
        "layer, then the ReLU, then the hidden layer. Each step is one of the functions you wrote above.",
        "dlogits = (p − one_hot(y)) / n, shape (n, k), the one-hot with k = W1's columns. Output layer (input h, "
        "weights W1): dh = dlogits·W1ᵀ, dW1 = hᵀ·dlogits, dB1 = the row sum of dlogits. ReLU: dz0 = dh where "
        "z0 > 0, else 0. Hidden layer (input X, weights W0): dW0 = Xᵀ·dz0 (d, h), dB0 = the row sum of dz0 (h,).",
        "dlogits = p.copy()\n"
        "dlogits[np.arange(n), y] -= 1\n"
        "dlogits /= n\n"
        "dh, dW1, db1 = dense_backward(dlogits, (h, W1))\n"
        "dz0 = relu_backward(dh, z0)\n"
        "_, dW0, db0 = dense_backward(dz0, (X, W0))\n"
        'return {"dW0": dW0, "dB0": db0, "dW1": dW1, "dB1": db1}',
    ],
))


# ---------------------------------------------------------------- any number of layers: compute_gradients
def _compute_gradients(caches, dlogits):
    """caches: one ((x, W), (name, z, a)) per layer from forward_propagation (hidden layers ReLU, output
    layer 'identity'); dlogits: (n, k). Returns {'dW0', 'dB0', ..., 'dW{L-1}', 'dB{L-1}'}."""
    return network.compute_gradients(caches, dlogits)


def _sweep(caches, dlogits, *, mask=lambda i, last: i < last, dx=lambda d, W: d @ W.T,
           dW=lambda x, d: x.T @ d, order=reversed, stop=0, divide=False):
    """The backward sweep over the layers with one knob per mistake (defaults: the correct sweep)."""
    grads, d, last = {}, dlogits, len(caches) - 1
    n = dlogits.shape[0]
    for i in order(range(stop, len(caches))):
        (x, W), (_, z, _) = caches[i]
        if mask(i, last):
            d = d * (z > 0)
        grads[f"dW{i}"], grads[f"dB{i}"] = dW(x, d), d.sum(axis=0)
        if divide:
            grads[f"dW{i}"], grads[f"dB{i}"] = grads[f"dW{i}"] / n, grads[f"dB{i}"] / n
        d = dx(d, W)
    return grads


def _gradients_no_relu_grad(caches, dlogits):
    return _sweep(caches, dlogits, mask=lambda i, last: False)


def _gradients_relu_on_output(caches, dlogits):
    return _sweep(caches, dlogits, mask=lambda i, last: True)


def _gradients_averaged_twice(caches, dlogits):
    return _sweep(caches, dlogits, divide=True)


def _gradients_dx_with_W(caches, dlogits):
    return _sweep(caches, dlogits, dx=lambda d, W: d @ W)


def _gradients_dW_transposed(caches, dlogits):
    return _sweep(caches, dlogits, dW=lambda x, d: d.T @ x)


def _gradients_forward_order(caches, dlogits):
    return _sweep(caches, dlogits, order=iter)


def _gradients_stop_before_layer_0(caches, dlogits):
    return _sweep(caches, dlogits, stop=1)


class _Caches(list):
    """The list of caches forward_propagation returns, with a one-line repr for the verdict's 'on input ...'."""

    def __repr__(self):
        x = self[0][0][0]
        sizes = [x.shape[1]] + [W.shape[1] for (_x, W), _act in self]
        return _("caches of a {sizes} network, n = {n}").format(sizes="-".join(map(str, sizes)), n=x.shape[0])


def _network_case(rng, sizes, n):
    """(caches, dlogits) of a ReLU network with layer sizes `sizes` on a batch of n random examples."""
    weights = [rng.normal(size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [rng.normal(scale=0.5, size=b) for b in sizes[1:]]
    X = rng.normal(size=(n, sizes[0]))
    logits, caches = network.forward_propagation(X, weights, biases, "relu")
    _, dlogits = losses.softmax_cross_entropy(logits, rng.integers(0, sizes[-1], size=n))
    return _Caches(caches), dlogits


def _random_gradients(rng):
    depth, n = int(rng.integers(1, 5)), int(rng.integers(1, 6))
    return _network_case(rng, [int(s) for s in rng.integers(2, 6, size=depth + 1)], n)


register(Exercise(
    name="compute_gradients",
    notebook=NOTEBOOK,
    reference=_compute_gradients,
    cases=[
        # square weights first, so that a transpose in the wrong place gives numbers instead of a shape error
        _network_case(np.random.default_rng(14), [3, 3, 3, 3], 4),
        _network_case(np.random.default_rng(12), [4, 3], 1),           # 1 layer (no hidden layer), batch of 1
        _network_case(np.random.default_rng(13), [4, 6, 3], 5),        # 2 layers, every shape different
        _network_case(np.random.default_rng(11), [2, 5, 4, 3, 2], 1),  # 4 layers, batch of 1
    ],
    random_case=_random_gradients,
    mistakes=[
        Mistake("the ReLU derivative is missing on the hidden layers", _gradients_no_relu_grad,
                "Before each hidden layer's dense backward, pass d back through its ReLU: keep d where the cached z > 0, 0 elsewhere."),
        Mistake("the ReLU derivative is applied to the output layer too", _gradients_relu_on_output,
                "The output layer has no activation (its cache says 'identity'): only layers 0 .. L-2 get the ReLU mask."),
        Mistake("the gradients are divided by n again (dlogits is already averaged)", _gradients_averaged_twice,
                "dlogits already holds the 1/n of the mean loss: dW = xᵀ·d and dB = the sum of the rows of d, no further division."),
        Mistake("the gradient passed down uses W instead of W.T", _gradients_dx_with_W,
                "out = x·W, so the gradient for the layer below is d·Wᵀ, shaped like x (n, d)."),
        Mistake("dW = d.T @ x is the transpose of the answer", _gradients_dW_transposed,
                "dW{i} must have weights[i]'s shape (d, m): it is xᵀ·d, the transpose of what you computed."),
        Mistake("the layers are walked in forward order (0, 1, ...) instead of from the last one back",
                _gradients_forward_order,
                "dlogits belongs to the last layer: walk i = L−1, L−2, …, 0, from the output back to the input."),
        Mistake("the loop stops before layer 0 (an off-by-one in the range)", _gradients_stop_before_layer_0,
                "A range that stops at 1 leaves out layer 0: the walk must end with i = 0 (a range's stop is not included)."),
    ],
    hints=[
        "Walk the layers from the last back to the first, carrying one gradient d that starts as dlogits. Each "
        "layer turns d into its own parameters' gradients and into the gradient for the layer below; a hidden "
        "layer first passes d back through its ReLU.",
        "For i = L−1, …, 0 with cache ((x, W), (name, z, a)): if i < L−1, d = d where z > 0, else 0 (the output "
        "layer has no ReLU); then dW{i} = xᵀ·d (W's shape), dB{i} = the row sum of d, and d = d·Wᵀ for layer "
        "i−1. dlogits already holds the 1/n of the mean loss: no further averaging.",
        "last = len(caches) - 1\n"
        "for i in range(last, -1, -1):\n"
        "    (x, W), (name, z, a) = caches[i]\n"
        "    if i < last:\n"
        "        d = relu_backward(d, z)\n"
        '    d, grads[f"dW{i}"], grads[f"dB{i}"] = dense_backward(d, (x, W))\n'
        "return grads",
    ],
))

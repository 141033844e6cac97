"""Networks: the article's forward_propagation / backpropagation, corrected, and an MLP.

The article applied the same activation to every layer, the output layer
included, and handed `compute_gradients` only the final output. Here the
hidden layers use the activation, the output layer (输出层) gives logits, and
the forward pass (前向传播) keeps a cache per layer for backpropagation (反向传播).
"""
from __future__ import annotations

import numpy as np

from . import activations as act
from . import layers
from . import losses
from ._validate import CourseInputError, array, choice, describe, labels as check_labels, nonempty, positive_int
from ._validate import seed as check_seed
from .i18n import _


# ---------------------------------------------------------------- the article's functions, corrected
def _check_params(X, weights, biases):
    if not isinstance(weights, (list, tuple)) or not isinstance(biases, (list, tuple)):
        raise CourseInputError(
            _("weights and biases: expected two lists of arrays, got {weights} and {biases}.")
            .format(weights=type(weights).__name__, biases=type(biases).__name__)
        )
    if len(weights) != len(biases) or not weights:
        raise CourseInputError(
            _("weights and biases: expected lists of the same non-zero length (one per layer), got {weights} and "
              "{biases}.")
            .format(weights=len(weights), biases=len(biases))
        )
    width = X.shape[1]
    for i, (W, b) in enumerate(zip(weights, biases)):
        W = array(W, f"weights[{i}]", ndim=2)
        b = array(b, f"biases[{i}]", ndim=1)
        if W.shape[0] != width:
            source = _("X's columns") if i == 0 else _("the outputs of weights[{i}]").format(i=i - 1)
            raise CourseInputError(_("weights[{i}]: expected {width} rows to match {source}, got shape {shape}.")
                                   .format(i=i, width=width, source=source, shape=W.shape))
        if b.shape != (W.shape[1],):
            raise CourseInputError(_("biases[{i}]: expected shape ({n},) to match weights[{i}], got {shape}.")
                                   .format(i=i, n=W.shape[1], shape=b.shape))
        width = W.shape[1]


def forward_propagation(X, weights, biases, activation: str = "relu"):
    """Forward propagation through a stack of dense layers.

    X: (n, d); weights[i]: (d_i, d_{i+1}); biases[i]: (d_{i+1},).
    Hidden layers apply `activation`; the last layer does not: it returns
    logits, and softmax belongs with the loss. Returns (logits (n, k), caches)
    with one cache per layer for `compute_gradients`.
    """
    X = array(X, "X", ndim=2)
    choice(activation, "activation", tuple(act.ACTIVATIONS))
    _check_params(X, weights, biases)
    caches = []
    a = X
    last = len(weights) - 1
    for i, (W, b) in enumerate(zip(weights, biases)):
        a, cache = layers.dense_activation_forward(a, W, b, "identity" if i == last else activation)
        caches.append(cache)
    return a, caches


def compute_loss(logits, y):
    """Softmax cross-entropy of logits (n, k) against labels y (n,) or one-hot (n, k). Returns (loss, dlogits)."""
    return losses.softmax_cross_entropy(logits, y)


def compute_gradients(caches, dlogits):
    """Walk the caches backwards with the chain rule; returns {'dW0', 'dB0', 'dW1', ...} as the article names them.

    caches: the list returned by forward_propagation; dlogits: (n, k), shaped like its logits.
    dW{i} has the shape of weights[i], dB{i} that of biases[i]. Raises CourseInputError for
    anything else.
    """
    if not isinstance(caches, (list, tuple)) or not caches:
        raise CourseInputError(_("caches: expected the non-empty list of caches returned by forward_propagation, "
                                 "got {got}.")
                               .format(got=describe(caches)))
    grads = {}
    d = dlogits
    for i in reversed(range(len(caches))):
        d, grads[f"dW{i}"], grads[f"dB{i}"] = layers.dense_activation_backward(d, caches[i])
    return grads


def backpropagation(X, y, weights, biases, learning_rate: float, activation: str = "relu"):
    """One full-batch gradient-descent step, as in the article, corrected.

    Runs forward_propagation (keeping caches), the softmax cross-entropy loss,
    compute_gradients, then W_i - lr * dW_i. Returns (new_weights, new_biases, loss);
    the arrays passed in are left untouched. X: (n, d) with n >= 1, y: (n,) labels or
    (n, k) one-hot; learning_rate: a finite number > 0. Raises CourseInputError otherwise.
    """
    if (isinstance(learning_rate, bool) or not isinstance(learning_rate, (int, float, np.floating))
            or not 0 < learning_rate < np.inf):
        raise CourseInputError(_("learning_rate: expected a number > 0, got {learning_rate!r}.")
                               .format(learning_rate=learning_rate))
    logits, caches = forward_propagation(X, weights, biases, activation)
    loss, dlogits = compute_loss(logits, y)
    grads = compute_gradients(caches, dlogits)
    new_weights = [W - learning_rate * grads[f"dW{i}"] for i, W in enumerate(weights)]
    new_biases = [b - learning_rate * grads[f"dB{i}"] for i, b in enumerate(biases)]
    return new_weights, new_biases, loss


# ---------------------------------------------------------------- the MLP
INITS = ("he", "xavier", "small", "zeros")


class MLP:
    """A multilayer perceptron (多层感知机): dense layers, `activation` between them, logits out.

    sizes: e.g. (784, 128, 64, 10). init: "he" (for ReLU), "xavier" (for tanh/sigmoid),
    "small" (N(0, 0.01²)) or "zeros" (to show why that fails). loss: "softmax_cross_entropy"
    (k >= 2 outputs), "binary_cross_entropy" (1 output) or "mse".

    All parameters live in one flat buffer `params` and their gradients in `grads`;
    `weights[i]` (d_i, d_{i+1}) and `biases[i]` (d_{i+1},) are views into it, so an
    optimiser updates everything with a few whole-array operations.

    seed: an integer >= 0 or None; dtype: float32 or float64. X is always (n, sizes[0])
    with a real dtype (converted to `dtype`); y is (n,) integer labels for softmax cross-entropy,
    else shaped like the output. forward/predict accept n = 0 rows (empty results); loss,
    loss_and_grad and accuracy, being means, need n >= 1. Bad arguments raise
    CourseInputError with one sentence saying what was expected and what arrived.
    """

    def __init__(self, sizes, activation="relu", init="he", seed=0, dtype=np.float32,
                 loss="softmax_cross_entropy"):
        if not isinstance(sizes, (list, tuple)) or len(sizes) < 2:
            raise CourseInputError(_("sizes: expected a list of at least 2 layer widths like (784, 128, 10), got "
                                     "{got}.")
                                   .format(got=describe(sizes)))
        self.sizes = tuple(positive_int(s, f"sizes[{i}]") for i, s in enumerate(sizes))
        self.activation = choice(activation, "activation", ("relu", "sigmoid", "tanh", "leaky_relu", "identity"))
        self.init = choice(init, "init", INITS)
        self.loss_name = choice(loss, "loss", tuple(losses.LOSSES))
        if loss == "binary_cross_entropy" and self.sizes[-1] != 1:
            raise CourseInputError(_("sizes: binary_cross_entropy expects 1 output, got {got}.")
                                   .format(got=self.sizes[-1]))
        if loss == "softmax_cross_entropy" and self.sizes[-1] < 2:
            raise CourseInputError(_("sizes: softmax_cross_entropy expects >= 2 outputs (one per class), got "
                                     "{got}.")
                                   .format(got=self.sizes[-1]))
        try:
            self.dtype = np.dtype(dtype)
        except TypeError:
            raise CourseInputError(_("dtype: expected float32 or float64, got {got}.").format(got=describe(dtype))) from None
        if self.dtype not in (np.float32, np.float64):
            raise CourseInputError(_("dtype: expected float32 or float64, got {dtype}.").format(dtype=self.dtype))
        self.seed = check_seed(seed)
        shapes = [((a, b), (b,)) for a, b in zip(self.sizes[:-1], self.sizes[1:])]
        self.params = np.zeros(sum(a * b + b for (a, b), _ in shapes), self.dtype)
        self.grads = np.zeros_like(self.params)
        self.weights, self.biases = self._views(self.params)
        self.grad_weights, self.grad_biases = self._views(self.grads)
        self._acts = None
        self._ones = np.ones(0, self.dtype)  # row of ones: bias gradients as a matmul
        rng = np.random.default_rng(seed)
        for W in self.weights:
            fan_in, fan_out = W.shape
            if init == "he":
                W[...] = rng.standard_normal(W.shape) * np.sqrt(2.0 / fan_in)
            elif init == "xavier":
                limit = np.sqrt(6.0 / (fan_in + fan_out))
                W[...] = rng.uniform(-limit, limit, W.shape)
            elif init == "small":
                W[...] = rng.standard_normal(W.shape) * 0.01

    def _views(self, flat):
        weights, biases, o = [], [], 0
        for a, b in zip(self.sizes[:-1], self.sizes[1:]):
            weights.append(flat[o:o + a * b].reshape(a, b))
            o += a * b
            biases.append(flat[o:o + b])
            o += b
        return tuple(weights), tuple(biases)

    # -- information
    @property
    def n_params(self) -> int:
        """Number of learnable parameters: Σ (d_i * d_{i+1} + d_{i+1})."""
        return int(self.params.size)

    def __repr__(self):
        return (f"MLP(sizes={self.sizes}, activation={self.activation!r}, init={self.init!r}, "
                f"params={self.n_params:,}, dtype={self.dtype.name})")

    def parameters(self):
        """[flat parameter buffer], for an optimiser's step(params, grads)."""
        return [self.params]

    def gradients(self):
        """[flat gradient buffer], filled by backward()."""
        return [self.grads]

    def get_weights(self):
        """Copies: (list of weights, list of biases)."""
        return [W.copy() for W in self.weights], [b.copy() for b in self.biases]

    def set_weights(self, weights, biases):
        """Copy weights and biases (lists shaped like this model's) into the model.

        The arrays passed in are not changed. Raises CourseInputError for other lengths or shapes.
        """
        if not isinstance(weights, (list, tuple)) or not isinstance(biases, (list, tuple)):
            raise CourseInputError(_("set_weights: expected two lists of arrays, got {weights} and {biases}.")
                                   .format(weights=describe(weights), biases=describe(biases)))
        if len(weights) != len(self.weights) or len(biases) != len(self.biases):
            raise CourseInputError(_("set_weights: expected {n} weights and biases, got {weights} and {biases}.")
                                   .format(n=len(self.weights), weights=len(weights), biases=len(biases)))
        for i, (W, b) in enumerate(zip(weights, biases)):
            W = array(W, f"weights[{i}]")
            b = array(b, f"biases[{i}]")
            if W.shape != self.weights[i].shape or b.shape != self.biases[i].shape:
                raise CourseInputError(_("set_weights: layer {i} expects W {w_shape} and b {b_shape}, got {w_got} and {b_got}.")
                                       .format(i=i, w_shape=self.weights[i].shape, b_shape=self.biases[i].shape,
                                               w_got=W.shape, b_got=b.shape))
            self.weights[i][...] = W
            self.biases[i][...] = b

    # -- computation
    def check_input(self, X, name="X"):
        """X as an array of this model's dtype, shape (n, sizes[0]), finite (n = 0 allowed)."""
        X = array(X, name, ndim=None)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            want = _("a 2-D array") if X.ndim != 2 else _("{n} features per row").format(n=self.sizes[0])
            raise CourseInputError(_("{name}: expected {want}, got shape {shape}{hint}.")
                                   .format(name=name, want=want, shape=X.shape, hint=self._reshape_hint(X, name)))
        return X.astype(self.dtype, copy=False)

    def _reshape_hint(self, X, name):
        """Advice that works when followed: the reshape that gives this model's input width, if one does."""
        d = self.sizes[0]
        if X.ndim >= 2 and X.size and int(np.prod(X.shape[1:])) == d:
            return _(" (flatten each example with {name}.reshape(len({name}), -1))").format(name=name)
        if X.size == d:
            return _(" (one example? use {name}.reshape(1, -1))").format(name=name)
        return ""

    def _rows(self, X, name="X"):
        """X checked by check_input, with at least one row (for means: loss, accuracy, training)."""
        return nonempty(self.check_input(X, name), name, "example (row)", axis=0)

    def check_labels(self, y, n):
        if self.loss_name == "softmax_cross_entropy":
            return check_labels(y, "y", n_classes=self.sizes[-1], n_rows=n)
        y = array(y, "y", dtype=self.dtype)
        if y.ndim == 1 and self.sizes[-1] == 1:
            y = y[:, None]
        if y.shape != (n, self.sizes[-1]):
            raise CourseInputError(_("y: expected shape {expected}, got {shape}.")
                                   .format(expected=(n, self.sizes[-1]), shape=y.shape))
        return y

    def forward(self, X):
        """Logits (n, k) for X (n, d). Keeps each layer's activation for backward()."""
        return self._forward(self.check_input(X))

    def _forward(self, X):
        # Hidden activations are computed in place on z; relu/sigmoid/tanh
        # derivatives can all be written in terms of the activation a alone.
        acts = [X]
        a = X
        last = len(self.weights) - 1
        for i, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ W
            z += b
            if i < last:
                if self.activation == "relu":
                    np.maximum(z, 0, out=z)
                elif self.activation == "leaky_relu":
                    z[...] = np.where(z > 0, z, act.LEAKY_SLOPE * z)
                elif self.activation == "tanh":
                    np.tanh(z, out=z)
                elif self.activation == "sigmoid":
                    z[...] = act.sigmoid(z)
                acts.append(z)
            a = z
        self._acts, self._logits = acts, a
        return a

    def backward(self, dlogits):
        """Backpropagate dlogits (n, k) through the layers of the last forward();
        fills self.grads and returns {'dW0': ..., 'dB0': ..., ...} (views into it)."""
        if self._acts is None:
            raise CourseInputError(_("backward: call forward(X) first; the forward pass keeps what backward needs."))
        n = self._acts[0].shape[0]
        dlogits = array(dlogits, "dlogits", ndim=2)
        if dlogits.shape != (n, self.sizes[-1]):
            raise CourseInputError(_("dlogits: expected shape {expected} (the last forward's logits), got {shape}.")
                                   .format(expected=(n, self.sizes[-1]), shape=dlogits.shape))
        self._backward(dlogits.astype(self.dtype, copy=False))
        grads = {}
        for i, (dW, db) in enumerate(zip(self.grad_weights, self.grad_biases)):
            grads[f"dW{i}"], grads[f"dB{i}"] = dW, db
        return grads

    def _backward(self, d):
        acts = self._acts
        n = d.shape[0]
        if self._ones.size != n:
            self._ones = np.ones(n, self.dtype)
        for i in reversed(range(len(self.weights))):
            np.matmul(acts[i].T, d, out=self.grad_weights[i])
            # db = Σ over the batch of d; ones @ d is the same sum, and BLAS does it 3x faster than d.sum(0)
            np.matmul(self._ones, d, out=self.grad_biases[i])
            if i == 0:
                break
            d = d @ self.weights[i].T
            a = acts[i]
            if self.activation == "relu":
                d *= a > 0
            elif self.activation == "leaky_relu":
                d *= np.where(a > 0, 1.0, act.LEAKY_SLOPE).astype(self.dtype)
            elif self.activation == "tanh":
                d *= 1 - a * a
            elif self.activation == "sigmoid":
                d *= a * (1 - a)

    def loss(self, X, y):
        """Loss (float) of the model on (X, y), n >= 1 rows, without touching the gradients."""
        X = self._rows(X)
        y = self.check_labels(y, X.shape[0])
        return losses.LOSSES[self.loss_name](self._forward(X), y)[0]

    def loss_and_grad(self, X, y):
        """Forward, loss, backward for one batch of n >= 1 rows: returns the loss (float) and fills self.grads."""
        X = self._rows(X)
        return self._loss_and_grad(X, self.check_labels(y, X.shape[0]))

    def _loss_and_grad(self, X, y):
        logits = self._forward(X)
        if self.loss_name == "softmax_cross_entropy":
            # The same maths as losses.softmax_cross_entropy, without re-validating every batch.
            n = logits.shape[0]
            shifted = logits - logits.max(axis=1, keepdims=True)
            e = np.exp(shifted)
            s = e.sum(axis=1, keepdims=True)
            rows = np.arange(n)
            loss = float(np.log(s[:, 0]).sum() - shifted[rows, y].sum()) / n
            e /= s
            e[rows, y] -= 1
            e /= n
            dlogits = e
        else:
            loss, dlogits = losses.LOSSES[self.loss_name](logits, y)
            dlogits = dlogits.astype(self.dtype, copy=False)
        self._backward(dlogits)
        return loss

    def predict_proba(self, X):
        """Class probabilities: softmax of the logits (n, k), or sigmoid (n, 1) for one output."""
        logits = self.forward(X)
        if self.sizes[-1] == 1:
            return act.sigmoid(logits)
        return act.softmax(logits)

    def predict(self, X):
        """Predicted class per row (n,) int64: argmax of the logits, or logit > 0 for one output."""
        logits = self.forward(X)
        if self.sizes[-1] == 1:
            return (logits[:, 0] > 0).astype(np.int64)
        return logits.argmax(axis=1)

    def accuracy(self, X, y):
        """Fraction of rows whose predicted class equals y (准确率): a float in [0, 1]; X needs n >= 1 rows."""
        X = self._rows(X)
        y = check_labels(y, "y", n_classes=max(self.sizes[-1], 2), n_rows=X.shape[0])
        return float((self.predict(X) == y).mean())

    # -- files
    def save(self, path):
        """Save to a .npz file (sizes, activation, init, loss, parameters)."""
        np.savez(path, sizes=np.array(self.sizes), activation=self.activation, init=self.init,
                 loss=self.loss_name, params=self.params)

    @classmethod
    def load(cls, path):
        """Load a model written by save()."""
        with np.load(path) as f:
            missing = {"sizes", "activation", "params"} - set(f.files)
            if missing:
                raise CourseInputError(_("{path}: expected an MLP file from MLP.save(), missing {missing}.")
                                       .format(path=path, missing=sorted(missing)))
            model = cls([int(s) for s in f["sizes"]], activation=str(f["activation"]),
                        init=str(f["init"]) if "init" in f.files else "he",
                        loss=str(f["loss"]) if "loss" in f.files else "softmax_cross_entropy",
                        dtype=f["params"].dtype)
            model.params[...] = f["params"]
        return model

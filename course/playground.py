"""A TensorFlow-Playground-like playground (神经网络游乐场): the pure-NumPy engine.

The widgets front end only calls this module; nothing here draws. Everything
follows playground.tensorflow.org where it can:

* Data lives in the square [-6, 6]²: each dataset from `course.data` is
  scaled so its noise-free points fill about [-5, 5]. `noise` is the standard
  deviation of the Gaussian noise in the *unscaled* units of `course.data`
  (0.1 there is 0.5 here), so `toy_data` and the playground agree.
  Labels y are 0/1 (int); the network is trained on targets t = 2y - 1 = ±1.
* Input features: x1, x2, x1^2, x2^2, x1x2, sin(x1), sin(x2) (see `make_features`).
* 0-6 hidden layers of 1-8 neurons, activation relu/tanh/sigmoid/linear.
* Output: ONE unit with tanh and the squared loss ½(out - t)², exactly as
  TF Playground. Why this and not sigmoid + binary cross-entropy: the loss
  numbers, the heat map (output in [-1, 1], 0 = the decision boundary) and the
  training dynamics then match what learners see on playground.tensorflow.org,
  so both can be used side by side; the loss is bounded, so nothing can
  overflow. (The course's MLP with binary_cross_entropy is the principled
  alternative; the notebooks discuss the difference.)
* Initial weights uniform in [-0.5, 0.5], biases 0.1 (as TF Playground).
* Mini-batch SGD on the mean loss of a batch, plus the regularisation term
  rate · Σ|w| (L1, subgradient sign(w)) or rate · ½ Σ w² (L2) on the weights
  (not the biases). As in TF Playground, an L1 step that would carry a weight
  across zero sets it to exactly 0. The reported train/test losses are the
  data loss only (as in TF Playground), without the penalty.

Changing the learning rate, the regularisation or the batch size keeps the
network; changing the features, layers, activation or the data rebuilds it
(`configure(...)` does both, `reset()` only re-draws the weights).

Grids (`decision_grid`, `neuron_grids`) are (r, r) arrays with row i at
x2 = ys[i] (increasing: draw with origin="lower") and column j at x1 = xs[j],
where xs = ys = `grid_axis(r)` = linspace(-6, 6, r).
"""
from __future__ import annotations

import numpy as np

from . import data as _data
from ._validate import CourseInputError, array, describe, positive_float, positive_int
from .i18n import _

__all__ = ["Playground", "make_features", "make_dataset", "FEATURES", "DATASETS", "ACTIVATIONS",
           "REGULARIZATIONS", "DOMAIN"]

DOMAIN = 6.0  # the input square is [-DOMAIN, DOMAIN]²
MAX_LAYERS = 6
MAX_NEURONS = 8

# ---------------------------------------------------------------- features
FEATURES = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1x2": lambda x1, x2: x1 * x2,
    "sin(x1)": lambda x1, x2: np.sin(x1),
    "sin(x2)": lambda x1, x2: np.sin(x2),
}
# Other spellings learners type; they all map to the names above.
_ALIASES = {
    "x1²": "x1^2", "x1**2": "x1^2", "x2²": "x2^2", "x2**2": "x2^2",
    "x1·x2": "x1x2", "x1*x2": "x1x2", "x1 x2": "x1x2",
    "sin x1": "sin(x1)", "sinx1": "sin(x1)", "sin x2": "sin(x2)", "sinx2": "sin(x2)",
}


def _feature_names(names) -> tuple:
    if isinstance(names, str) or not isinstance(names, (list, tuple)):
        raise CourseInputError(_("features: expected a list of feature names like ['x1', 'x2'], got {got}.")
                               .format(got=describe(names)))
    if not names:
        raise CourseInputError(_("features: expected at least one of {names}, got an empty list.")
                               .format(names=", ".join(FEATURES)))
    out = []
    for name in names:
        canon = _ALIASES.get(name, name) if isinstance(name, str) else name
        if canon not in FEATURES:
            raise CourseInputError(_("features: expected names from {names}, got {name!r}.")
                                   .format(names=', '.join(FEATURES), name=name))
        if canon in out:
            raise CourseInputError(_("features: expected each feature at most once, got {canon!r} twice.")
                                   .format(canon=canon))
        out.append(canon)
    return tuple(out)


def make_features(X, names) -> np.ndarray:
    """The input features of points X (n, 2) = (x1, x2): returns (n, k), one column per name, float64.

    names: from "x1", "x2", "x1^2", "x2^2", "x1x2", "sin(x1)", "sin(x2)"
    (also accepted: "x1²", "x1·x2", "x1*x2", "sin x1", ...).
    """
    names = _feature_names(names)
    X = array(X, "X", ndim=2).astype(np.float64, copy=False)
    if X.shape[1] != 2:
        raise CourseInputError(_("X: expected points with 2 coordinates (x1, x2), got shape {shape}.")
                               .format(shape=X.shape))
    x1, x2 = X[:, 0], X[:, 1]
    F = np.empty((X.shape[0], len(names)))
    for j, name in enumerate(names):
        F[:, j] = FEATURES[name](x1, x2)
    return F


# ---------------------------------------------------------------- datasets
# name -> (how to make it in course.data's units, scale to the playground's [-6, 6]²)
def _gauss(n, noise, seed):
    # Two round clouds at (±2, ±2) (TF Playground's centres); noise widens them.
    centres = np.array([[-0.4, -0.4], [0.4, 0.4]])
    return _data.make_blobs(n=n, noise=0.1 + noise, seed=seed, centers=centres)


DATASETS = {
    "circle": (lambda n, noise, seed: _data.toy_data("circles", n=n, noise=noise, seed=seed, factor=0.5), 5.0),
    "xor": (lambda n, noise, seed: _data.toy_data("xor", n=n, noise=noise, seed=seed), 5.0),
    "gauss": (_gauss, 5.0),
    "spiral": (lambda n, noise, seed: _data.toy_data("spirals", n=n, noise=noise, seed=seed, turns=1.75), 5.0),
    "moons": (lambda n, noise, seed: _data.toy_data("moons", n=n, noise=noise, seed=seed), 10.0 / 3.0),
}


def _ratio(train_ratio) -> float:
    if isinstance(train_ratio, bool) or not isinstance(train_ratio, (int, float, np.integer, np.floating)):
        raise CourseInputError(_("train_ratio: expected a number strictly between 0 and 1, got {got}.")
                               .format(got=describe(train_ratio)))
    r = float(train_ratio)
    if not 0 < r < 1:
        raise CourseInputError(_("train_ratio: expected a number strictly between 0 and 1, got {got}.").format(got=r))
    return r


def make_dataset(name="circle", n=500, noise=0.0, train_ratio=0.5, seed=0):
    """Points for the playground: (X_train, y_train, X_test, y_test), X (m, 2) float64 in about [-6, 6]², y (m,) 0/1.

    name: "circle", "xor", "gauss", "spiral" or "moons". noise: standard deviation in
    course.data's units (>= 0). The split is a seeded shuffle; both parts get >= 1 point.
    """
    if name not in DATASETS:
        raise CourseInputError(_("dataset: expected one of {names}, got {name!r}.")
                               .format(names=', '.join(map(repr, DATASETS)), name=name))
    n = positive_int(n, "n", minimum=2)
    noise = positive_float(noise, "noise", allow_zero=True)
    ratio = _ratio(train_ratio)
    seed = positive_int(seed, "seed", minimum=0)
    make, scale = DATASETS[name]
    X, y = make(n, noise, seed)
    X = X * scale
    order = np.random.default_rng([seed, 1]).permutation(n)
    n_train = min(max(int(round(ratio * n)), 1), n - 1)
    tr, te = order[:n_train], order[n_train:]
    return X[tr], y[tr], X[te], y[te]


# ---------------------------------------------------------------- activations (derivatives from the outputs)
def _sigmoid(z):
    # σ(z) = ½(1 + tanh(z/2)): the same function, one ufunc, never overflows.
    z *= 0.5
    np.tanh(z, out=z)
    z += 1.0
    z *= 0.5
    return z


_ACT = {  # name -> (f applied in place to z, f' written in terms of a = f(z))
    "tanh": (lambda z: np.tanh(z, out=z), lambda a: 1.0 - a * a),
    "relu": (lambda z: np.maximum(z, 0.0, out=z), lambda a: (a > 0).astype(np.float64)),
    "sigmoid": (_sigmoid, lambda a: a * (1.0 - a)),
    "linear": (lambda z: z, None),
}
ACTIVATIONS = tuple(_ACT)
REGULARIZATIONS = ("none", "L1", "L2")


def _hidden(hidden) -> tuple:
    if isinstance(hidden, (int, np.integer)) and not isinstance(hidden, bool):
        hidden = [hidden]
    if isinstance(hidden, str) or not isinstance(hidden, (list, tuple)):
        raise CourseInputError(_("hidden: expected a list of layer widths like [4, 2], got {got}.")
                               .format(got=describe(hidden)))
    if len(hidden) > MAX_LAYERS:
        raise CourseInputError(_("hidden: expected at most {most} hidden layers, got {got}.")
                               .format(most=MAX_LAYERS, got=len(hidden)))
    out = []
    for i, h in enumerate(hidden):
        if isinstance(h, bool) or not isinstance(h, (int, np.integer)) or not 1 <= h <= MAX_NEURONS:
            raise CourseInputError(_("hidden[{i}]: expected 1 to {most} neurons, got {got!r}.")
                                   .format(i=i, most=MAX_NEURONS, got=h))
        out.append(int(h))
    return tuple(out)


def _regularization(kind) -> str:
    if kind is None:
        return "none"
    if isinstance(kind, str):
        for option in REGULARIZATIONS:
            if kind.lower() == option.lower():
                return option
    raise CourseInputError(_("regularization: expected one of 'none', 'L1', 'L2', got {kind!r}.").format(kind=kind))


def _activation(name) -> str:
    if name not in _ACT:
        raise CourseInputError(_("activation: expected one of {names}, got {name!r}.")
                               .format(names=', '.join(map(repr, ACTIVATIONS)), name=name))
    return name


# ---------------------------------------------------------------- the playground
class Playground:
    """The state of one playground: data, features, network, training settings, history.

    Example::

        pg = Playground("xor", hidden=[8, 8], features=["x1", "x2"])
        pg.step(5)              # five epochs of mini-batch SGD; returns the train loss
        pg.decision_grid(50)    # (50, 50) network output in [-1, 1] for the heat map
        pg.set_learning_rate(0.1)   # keeps the network
        pg.configure(hidden=[4])    # rebuilds it (epoch 0)
    """

    # settings that change the network (or the data) and therefore reset it
    _STRUCTURE = ("features", "hidden", "activation")
    _DATA = ("dataset", "n", "noise", "train_ratio", "seed")

    def __init__(self, dataset="circle", *, n=500, noise=0.0, train_ratio=0.5, features=("x1", "x2"),
                 hidden=(4, 2), activation="tanh", learning_rate=0.03, regularization="none",
                 reg_rate=0.0, batch_size=10, seed=0):
        self.dataset = dataset
        self.n, self.noise, self.train_ratio, self.seed = n, noise, train_ratio, seed
        self.features = _feature_names(features)
        self.hidden = _hidden(hidden)
        self.activation = _activation(activation)
        self.set_learning_rate(learning_rate)
        self.set_regularization(regularization, reg_rate)
        self.set_batch_size(batch_size)
        self._make_data()
        # One generator for everything random after the data: initial weights and shuffles.
        self.rng = np.random.default_rng([positive_int(seed, "seed", minimum=0), 2])
        self.reset()

    # -- settings that keep the network
    @property
    def learning_rate(self) -> float:
        return self._lr

    @learning_rate.setter
    def learning_rate(self, value):
        self.set_learning_rate(value)

    def set_learning_rate(self, learning_rate):
        """Change the learning rate; the network and its training so far are kept."""
        self._lr = positive_float(learning_rate, "learning_rate")
        return self

    def set_regularization(self, regularization="none", reg_rate=None):
        """'none', 'L1' or 'L2' and the rate (>= 0); the network is kept."""
        self.regularization = _regularization(regularization)
        if reg_rate is not None:
            self.reg_rate = positive_float(reg_rate, "reg_rate", allow_zero=True)
        return self

    def set_batch_size(self, batch_size):
        """Mini-batch size (>= 1; larger than the training set means full-batch); the network is kept."""
        self.batch_size = positive_int(batch_size, "batch_size")
        return self

    # -- settings that rebuild the network
    def configure(self, **changes):
        """Change any settings at once. Data settings regenerate the points, structure settings
        (features, hidden, activation) rebuild the network; either resets training. Others keep it."""
        known = set(self._DATA) | set(self._STRUCTURE) | {"learning_rate", "regularization", "reg_rate", "batch_size"}
        for key in changes:
            if key not in known:
                raise CourseInputError(_("configure: expected settings from {names}, got {key!r}.")
                                       .format(names=', '.join(sorted(known)), key=key))
        # Validate everything before changing anything, so a bad value leaves the playground as it was.
        features = _feature_names(changes.get("features", self.features))
        hidden = _hidden(changes.get("hidden", self.hidden))
        activation = _activation(changes.get("activation", self.activation))
        lr = positive_float(changes.get("learning_rate", self._lr), "learning_rate")
        regularization = _regularization(changes.get("regularization", self.regularization))
        reg_rate = positive_float(changes.get("reg_rate", self.reg_rate), "reg_rate", allow_zero=True)
        batch_size = positive_int(changes.get("batch_size", self.batch_size), "batch_size")
        data_changed = any(k in changes and changes[k] != getattr(self, k) for k in self._DATA)
        if data_changed:
            data = {k: changes.get(k, getattr(self, k)) for k in self._DATA}
            points = make_dataset(data["dataset"], data["n"], data["noise"], data["train_ratio"], data["seed"])
        self._lr, self.regularization, self.reg_rate, self.batch_size = lr, regularization, reg_rate, batch_size
        structure_changed = (features, hidden, activation) != (self.features, self.hidden, self.activation)
        self.features, self.hidden, self.activation = features, hidden, activation
        if data_changed:
            for k, v in data.items():
                setattr(self, k, v)
            self.X_train, self.y_train, self.X_test, self.y_test = points
        if data_changed or structure_changed:
            self._prepare_inputs()
            self.reset()
        return self

    def _make_data(self):
        self.X_train, self.y_train, self.X_test, self.y_test = make_dataset(
            self.dataset, self.n, self.noise, self.train_ratio, self.seed)
        self._prepare_inputs()

    def _prepare_inputs(self):
        self._F_train = make_features(self.X_train, self.features)
        self._F_test = make_features(self.X_test, self.features)
        self._t_train = 2.0 * self.y_train[:, None] - 1.0
        self._t_test = 2.0 * self.y_test[:, None] - 1.0
        self._grid_cache = None

    @property
    def sizes(self) -> tuple:
        """Layer widths from the inputs to the output, e.g. (2, 8, 8, 1)."""
        return (len(self.features), *self.hidden, 1)

    def reset(self):
        """New random weights (uniform in [-0.5, 0.5], biases 0.1), epoch 0, empty history."""
        sizes = self.sizes
        self.weights = [self.rng.uniform(-0.5, 0.5, size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
        self.biases = [np.full(b, 0.1) for b in sizes[1:]]
        self.epoch = 0
        self.history = {"epoch": [], "train_loss": [], "test_loss": []}
        self._record()
        return self

    # -- the network
    def _forward(self, F):
        """Activations [F, a1, ..., out] for features F (m, k); out = tanh(last layer)."""
        acts = [F]
        a = F
        f_hidden = _ACT[self.activation][0]
        last = len(self.weights) - 1
        for i, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ W
            z += b
            a = np.tanh(z, out=z) if i == last else f_hidden(z)
            acts.append(a)
        return acts

    def _backward(self, acts, t):
        """Gradients of mean ½(out - t)² + penalty; returns (dWs, dbs)."""
        out = acts[-1]
        d = (out - t) * (1.0 - out * out) / out.shape[0]
        dfun = _ACT[self.activation][1]
        L = len(self.weights)
        dWs, dbs = [None] * L, [None] * L
        for i in reversed(range(L)):
            dWs[i] = acts[i].T @ d
            dbs[i] = d.sum(axis=0)
            if i:
                d = d @ self.weights[i].T
                if dfun is not None:
                    d *= dfun(acts[i])
        if self.reg_rate and self.regularization != "none":
            for i, W in enumerate(self.weights):
                dWs[i] += self.reg_rate * (np.sign(W) if self.regularization == "L1" else W)
        return dWs, dbs

    def penalty(self) -> float:
        """The regularisation term rate · Σ|w| (L1) or rate · ½ Σ w² (L2); 0 for 'none'."""
        if self.regularization == "L1":
            return self.reg_rate * float(sum(np.abs(W).sum() for W in self.weights))
        if self.regularization == "L2":
            return self.reg_rate * 0.5 * float(sum((W * W).sum() for W in self.weights))
        return 0.0

    def _check_points(self, X, y=None):
        X = array(X, "X", ndim=2)
        if X.shape[1] != 2:
            raise CourseInputError(_("X: expected points with 2 coordinates (x1, x2), got shape {shape}.")
                                   .format(shape=X.shape))
        F = make_features(X, self.features)
        if y is None:
            return F
        y = np.asarray(y)
        if y.shape != (X.shape[0],) or not np.isin(y, (0, 1)).all():
            raise CourseInputError(_("y: expected {n} labels of 0 or 1, got {got}.")
                                   .format(n=X.shape[0], got=describe(y)))
        return F, 2.0 * y[:, None] - 1.0

    def predict(self, X) -> np.ndarray:
        """Network output in [-1, 1] for points X (m, 2); > 0 means class 1."""
        with np.errstate(over="ignore", invalid="ignore"):
            return self._forward(self._check_points(X))[-1][:, 0]

    def loss(self, X, y) -> float:
        """Data loss: mean ½(out - t)² with t = 2y - 1 (no penalty), as TF Playground shows it."""
        F, t = self._check_points(X, y)
        with np.errstate(over="ignore", invalid="ignore"):
            return self._data_loss(F, t)

    def _data_loss(self, F, t) -> float:
        out = self._forward(F)[-1]
        return float(0.5 * np.mean((out - t) ** 2))

    def objective(self, X, y) -> float:
        """What SGD minimises on a batch: data loss + penalty."""
        return self.loss(X, y) + self.penalty()

    def gradients(self, X, y):
        """(dWs, dbs): gradients of objective(X, y) with respect to self.weights and self.biases."""
        F, t = self._check_points(X, y)
        return self._backward(self._forward(F), t)

    def accuracy(self, X=None, y=None) -> float:
        """Fraction of points on the right side of the boundary (test set by default)."""
        if X is None:
            X, y = self.X_test, self.y_test
        return float(((self.predict(X) > 0) == (np.asarray(y) == 1)).mean())

    # -- training
    def step(self, epochs=1) -> float:
        """Train `epochs` passes over the training set in shuffled mini-batches; returns the train loss."""
        epochs = positive_int(epochs, "epochs")
        F, t = self._F_train, self._t_train
        m = F.shape[0]
        bs = min(self.batch_size, m)
        lr, l1 = self._lr, self.regularization == "L1" and self.reg_rate > 0
        with np.errstate(over="ignore", invalid="ignore"):  # a too-large rate diverges to nan, as in TF Playground
            for _epoch in range(epochs):
                order = self.rng.permutation(m)
                for s in range(0, m, bs):
                    idx = order[s:s + bs]
                    dWs, dbs = self._backward(self._forward(F[idx]), t[idx])
                    for W, b, dW, db in zip(self.weights, self.biases, dWs, dbs):
                        if l1:
                            before = np.sign(W)
                            W -= lr * dW
                            W[before * W < 0] = 0.0  # crossed zero: stop there (TF Playground does the same)
                        else:
                            W -= lr * dW
                        b -= lr * db
                self.epoch += 1
                self._record()
        self._grid_cache = None
        return self.train_loss

    def _record(self):
        with np.errstate(over="ignore", invalid="ignore"):
            self.history["epoch"].append(self.epoch)
            self.history["train_loss"].append(self._data_loss(self._F_train, self._t_train))
            self.history["test_loss"].append(self._data_loss(self._F_test, self._t_test))
        self._grid_cache = None

    @property
    def train_loss(self) -> float:
        return self.history["train_loss"][-1]

    @property
    def test_loss(self) -> float:
        return self.history["test_loss"][-1]

    # -- for drawing
    @staticmethod
    def grid_axis(resolution=50) -> np.ndarray:
        """The r coordinates linspace(-6, 6, r) of the grid's columns (x1) and rows (x2)."""
        r = positive_int(resolution, "resolution", minimum=2)
        return np.linspace(-DOMAIN, DOMAIN, r)

    def _grid(self, resolution):
        r = positive_int(resolution, "resolution", minimum=2)
        if self._grid_cache is None or self._grid_cache[0] != r:
            axis = np.linspace(-DOMAIN, DOMAIN, r)
            x1, x2 = np.meshgrid(axis, axis)  # row i: x2 = axis[i]; column j: x1 = axis[j]
            F = make_features(np.column_stack([x1.ravel(), x2.ravel()]), self.features)
            with np.errstate(over="ignore", invalid="ignore"):
                acts = self._forward(F)
            self._grid_cache = (r, acts)
        return r, self._grid_cache[1]

    def decision_grid(self, resolution=50) -> np.ndarray:
        """(r, r) network output in [-1, 1] over the square [-6, 6]² (row = x2, column = x1)."""
        r, acts = self._grid(resolution)
        return acts[-1][:, 0].reshape(r, r).copy()

    def neuron_grids(self, resolution=50) -> list:
        """For each hidden layer, a list of (r, r) arrays: what each of its neurons outputs over the square."""
        r, acts = self._grid(resolution)
        return [[a[:, j].reshape(r, r).copy() for j in range(a.shape[1])] for a in acts[1:-1]]

    def feature_grids(self, resolution=50) -> list:
        """One (r, r) array per input feature (the thumbnails of the input column)."""
        r, acts = self._grid(resolution)
        return [acts[0][:, j].reshape(r, r).copy() for j in range(acts[0].shape[1])]

    def points(self) -> dict:
        """The data for a scatter plot: X_train (m, 2), y_train (m,), X_test, y_test (labels 0/1)."""
        return {"X_train": self.X_train, "y_train": self.y_train, "X_test": self.X_test, "y_test": self.y_test}

    # -- sharing
    def get_state(self) -> dict:
        """Everything needed to continue exactly from here, as plain JSON types."""
        return {
            "version": 1,
            "config": {
                "dataset": self.dataset, "n": int(self.n), "noise": float(self.noise),
                "train_ratio": float(self.train_ratio), "seed": int(self.seed),
                "features": list(self.features), "hidden": list(self.hidden), "activation": self.activation,
                "learning_rate": self._lr, "regularization": self.regularization, "reg_rate": self.reg_rate,
                "batch_size": self.batch_size,
            },
            "weights": [W.tolist() for W in self.weights],
            "biases": [b.tolist() for b in self.biases],
            "epoch": self.epoch,
            "history": {k: list(v) for k, v in self.history.items()},
            "rng": _jsonable(self.rng.bit_generator.state),
        }

    @classmethod
    def from_state(cls, state) -> "Playground":
        """A new playground restored from get_state() (also after a json.dumps / json.loads round trip)."""
        cfg = _state_config(state)
        pg = cls(**cfg)
        pg.set_state(state)
        return pg

    def set_state(self, state):
        """Restore a state from get_state(): configuration, data, weights, epoch, history, random generator."""
        cfg = _state_config(state)
        for key in ("weights", "biases", "epoch", "history", "rng"):
            if key not in state:
                raise CourseInputError(_("state: expected a dict from Playground.get_state() with {key!r}, got "
                                         "keys {keys}.")
                                       .format(key=key, keys=sorted(state)))
        self.configure(**cfg)
        sizes = self.sizes
        if len(state["weights"]) != len(sizes) - 1 or len(state["biases"]) != len(sizes) - 1:
            raise CourseInputError(_("state: expected {n} weight matrices for layers {sizes}, got {got}.")
                                   .format(n=len(sizes) - 1, sizes=sizes, got=len(state["weights"])))
        weights, biases = [], []
        for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
            W = array(state["weights"][i], f"state weights[{i}]").astype(np.float64).reshape(-1, b) \
                if np.size(state["weights"][i]) == a * b else None
            if W is None or W.shape != (a, b):
                raise CourseInputError(_("state weights[{i}]: expected shape {expected}, got {shape}.")
                                       .format(i=i, expected=(a, b), shape=np.shape(state["weights"][i])))
            bias = array(state["biases"][i], f"state biases[{i}]", ndim=1).astype(np.float64)
            if bias.shape != (b,):
                raise CourseInputError(_("state biases[{i}]: expected shape {expected}, got {shape}.")
                                       .format(i=i, expected=(b,), shape=bias.shape))
            weights.append(W.copy())
            biases.append(bias.copy())
        self.weights, self.biases = weights, biases
        self.epoch = positive_int(state["epoch"], "state epoch", minimum=0)
        self.history = {k: list(state["history"][k]) for k in ("epoch", "train_loss", "test_loss")}
        try:
            self.rng.bit_generator.state = state["rng"]
        except (TypeError, ValueError, KeyError) as e:
            raise CourseInputError(_("state rng: expected the generator state from get_state(), got an unusable "
                                     "value ({error}).")
                                   .format(error=e)) from None
        self._grid_cache = None
        return self

    def __repr__(self):
        return (f"Playground({self.dataset!r}, features={list(self.features)}, hidden={list(self.hidden)}, "
                f"activation={self.activation!r}, lr={self._lr}, {self.regularization} {self.reg_rate}, "
                f"epoch={self.epoch}, test_loss={self.test_loss:.3f})")


def _jsonable(obj):
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (np.integer,)):
        return int(obj)
    return obj


def _state_config(state) -> dict:
    if not isinstance(state, dict) or not isinstance(state.get("config"), dict):
        raise CourseInputError(_("state: expected a dict from Playground.get_state(), got {got}.")
                               .format(got=describe(state)))
    cfg = dict(state["config"])
    known = set(Playground._DATA) | set(Playground._STRUCTURE) | {"learning_rate", "regularization", "reg_rate", "batch_size"}
    if set(cfg) != known:
        raise CourseInputError(_("state config: expected the settings {names}, got {got}.")
                               .format(names=', '.join(sorted(known)), got=", ".join(sorted(cfg))))
    cfg["features"] = list(cfg.get("features", ()))
    cfg["hidden"] = list(cfg.get("hidden", ()))
    return cfg

"""Exercise of notebook 07b (the capstone): the whole training loop of an MLP, from the learner's parts.

`train_network(parts, X, y, weights, biases, epochs, batch_size, lr, seed)` trains a ReLU network with Adam on
shuffled mini-batches, using only the functions in `parts` (course.capstone.Parts: relu, dense_forward,
softmax_cross_entropy, relu_backward, dense_backward, iterate_minibatches, adam_step). The check runs it with
the reference parts on a few small made-up problems (a few epochs, a short last batch) and compares the whole
run with the reference loop under the same seed: the final weights and biases and the loss of every epoch.
So the verdict is about the loop alone; in the notebook the loop then runs on the learner's own parts.
"""
import numpy as np

from .core import Exercise, Mistake, register, same

from .core import _  # keeps the English beside the translation, so that run() decides on the English

PART_NAMES = ("relu", "dense_forward", "softmax_cross_entropy", "relu_backward", "dense_backward",
              "iterate_minibatches", "adam_step", "accuracy")


class ReferenceParts:
    """The reference function of every capstone part, looked up when used (`parts.relu` is the relu
    exercise's reference). What the check hands the learner's loop."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name not in PART_NAMES:
            raise AttributeError(_("parts has no {name}: its parts are {parts}.").format(
                name=repr(name), parts=", ".join(PART_NAMES)))
        from . import exercises  # noqa: F401  (registers every exercise)
        from .core import REGISTRY

        return REGISTRY[name].reference

    def __repr__(self):
        return str(_("the reference parts"))


# ---------------------------------------------------------------- the loop and its known mistakes
def _loop(parts, X, y, weights, biases, epochs, batch_size, lr, seed, *, shuffle="each epoch", adam="kept",
          loss_mean="weighted", relu_on_output=False, relu_backward=True):
    weights, biases = list(weights), list(biases)
    L = len(weights)

    def fresh():
        return ([(np.zeros_like(W), np.zeros_like(W), 0) for W in weights],
                [(np.zeros_like(b), np.zeros_like(b), 0) for b in biases])

    state_W, state_b = fresh()
    t_shared = 0
    rng = np.random.default_rng(seed)
    losses = []
    for epoch in range(epochs):
        if adam == "reset each epoch":
            state_W, state_b = fresh()
        if shuffle == "each epoch":
            batches = parts.iterate_minibatches(X, y, batch_size, rng)
        elif shuffle == "same every epoch":
            batches = parts.iterate_minibatches(X, y, batch_size, np.random.default_rng(seed))
        else:
            batches = [(X[s:s + batch_size], y[s:s + batch_size]) for s in range(0, len(X), batch_size)]
        total, batch_losses = 0.0, []
        for xb, yb in batches:
            # forward, keeping each layer's input and pre-activation
            a, cache = xb, []
            for i in range(L):
                z = parts.dense_forward(a, weights[i], biases[i])
                cache.append((a, z))
                a = parts.relu(z) if i < L - 1 or relu_on_output else z
            loss, d = parts.softmax_cross_entropy(a, yb)
            # backward, from the last layer to the first
            dW, db = [None] * L, [None] * L
            for i in reversed(range(L)):
                x, z = cache[i]
                if (i < L - 1 or relu_on_output) and relu_backward:
                    d = parts.relu_backward(d, z)
                d, dW[i], db[i] = parts.dense_backward(d, (x, weights[i]))
            # one Adam step for every array, each with its own state
            for i in range(L):
                for params, grads, states in ((weights, dW, state_W), (biases, db, state_b)):
                    m, v, t = states[i]
                    if adam == "thrown away":
                        params[i], _, _, _ = parts.adam_step(params[i], grads[i], m, v, t, lr=lr)
                    elif adam == "shared t":
                        params[i], m, v, t_shared = parts.adam_step(params[i], grads[i], m, v, t_shared, lr=lr)
                        states[i] = (m, v, t_shared)
                    else:
                        params[i], m, v, t = parts.adam_step(params[i], grads[i], m, v, t, lr=lr)
                        states[i] = (m, v, t)
            total += loss * len(yb)
            batch_losses.append(loss)
        losses.append(total / len(X) if loss_mean == "weighted" else float(np.mean(batch_losses)))
    return weights, biases, losses


def _train_network(parts, X, y, weights, biases, epochs, batch_size, lr, seed):
    """The reference loop: He-initialised weights in, (weights, biases, losses) out; the inputs are not changed."""
    return _loop(parts, X, y, weights, biases, epochs, batch_size, lr, seed)


def _variant(**options):
    def train_network(parts, X, y, weights, biases, epochs, batch_size, lr, seed):
        return _loop(parts, X, y, weights, biases, epochs, batch_size, lr, seed, **options)
    return train_network


# ---------------------------------------------------------------- cases and comparison
def _problem(rng, n, sizes, epochs, batch_size, lr, seed):
    """A made-up classification problem and a He-initialised network: the arguments of one case."""
    k = sizes[-1]
    X = rng.normal(size=(n, sizes[0]))
    y = np.arange(n) % k                         # every class present
    rng.shuffle(y)
    X[np.arange(n), y % sizes[0]] += 2.0         # learnable: the label shows in one input
    weights = [rng.normal(scale=np.sqrt(2 / a), size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [rng.normal(scale=0.1, size=b) for b in sizes[1:]]
    return ReferenceParts(), X, y, weights, biases, epochs, batch_size, lr, seed


def _random_case(rng):
    sizes = [int(rng.integers(2, 6)), int(rng.integers(3, 8)), int(rng.integers(3, 8)), int(rng.integers(2, 5))]
    batch_size = int(rng.integers(3, 8))
    n = int(rng.integers(3, 6)) * batch_size + int(rng.integers(1, batch_size))   # a short last batch
    return _problem(rng, n, sizes, int(rng.integers(2, 4)), batch_size, float(rng.choice([0.01, 0.05])),
                    int(rng.integers(1000)))


def _compare(got, expected):
    """None when the run matches, else which part of it differs first: the shape of what was returned,
    the epoch whose loss first differs, then the weights and biases."""
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        what = (_("{n} values").format(n=len(got)) if isinstance(got, (tuple, list))
                else _("a {type}").format(type=type(got).__name__))
        return _("returned {what}, expected a tuple (weights, biases, losses)").format(what=what)
    weights, biases, losses = got
    for label, g, e in ((_("weights"), weights, expected[0]), (_("biases"), biases, expected[1])):
        if not isinstance(g, (list, tuple)) or len(g) != len(e):
            n = (_("a list of {n}").format(n=len(g)) if isinstance(g, (list, tuple))
                 else _("a {type}").format(type=type(g).__name__))
            return _("returned {what} as {label}, expected a list of {n} arrays (one per layer)").format(
                what=n, label=label, n=len(e))
    try:
        got_losses = np.asarray(losses, dtype=float).ravel()
    except (TypeError, ValueError):
        return _("returned losses that are not numbers ({type})").format(type=type(losses).__name__)
    want = np.asarray(expected[2], dtype=float)
    if got_losses.shape != want.shape:
        return _("returned {got} losses, expected {expected}: one per epoch, the mean loss over "
                 "that epoch's examples").format(got=got_losses.size, expected=want.size)
    off = np.flatnonzero(~np.isclose(got_losses, want, rtol=1e-6, atol=1e-9))
    if off.size:
        e = int(off[0])
        where = (_("already in epoch 1") if e == 0 else
                 _("from epoch {epoch} on (epoch 1 matches: look at what carries over from one epoch to the next)")
                 .format(epoch=e + 1))
        return _("gives a loss history that differs {where}: yours {got}, expected {expected}").format(
            where=where, got=f"{got_losses[e]:.6g}", expected=f"{want[e]:.6g}")
    for label, g, e in ((_("weights"), weights, expected[0]), (_("biases"), biases, expected[1])):
        problem = same(list(g), e)
        if problem:
            return _("gives the right losses but the wrong final {label}: {problem}").format(
                label=label, problem=problem)
    return None


register(Exercise(
    name="train_network",
    notebook="07b_capstone",
    reference=_train_network,
    cases=[
        # 23 examples in batches of 5 (the last holds 3), three epochs, a 4-13-13-3 network
        _problem(np.random.default_rng(7), 23, [4, 13, 13, 3], 3, 5, 0.05, 0),
    ],
    random_case=_random_case,
    n_random=3,
    compare=_compare,
    mistakes=[
        Mistake("the batches are the same in every epoch: the generator is made (or the batches drawn) inside "
                "the epoch loop, or only once before it",
                _variant(shuffle="same every epoch"),
                "Make the generator once, before the first epoch, and call the parts' iterate_minibatches with it "
                "at the start of every epoch: each epoch then draws a new order."),
        Mistake("the batches come in the data's order: nothing is shuffled", _variant(shuffle="none"),
                "Take each epoch's batches from the parts' iterate_minibatches(X, y, batch_size, rng): it shuffles."),
        Mistake("Adam's state is reset at the start of every epoch", _variant(adam="reset each epoch"),
                "Create the state (m = 0, v = 0, t = 0 for each array) once, before the first epoch; it carries "
                "over from batch to batch and from epoch to epoch."),
        Mistake("Adam's new state is thrown away: every step is a first step (m = v = 0, t = 0)",
                _variant(adam="thrown away"),
                "adam_step returns (p_new, m_new, v_new, t_new): keep all four and pass m_new, v_new, t_new back "
                "in for that array at the next batch."),
        Mistake("one step count t is shared by all the arrays, so it advances once per array instead of once "
                "per batch", _variant(adam="shared t"),
                "Give every array its own state (m, v, t); t counts the steps that array has taken, one per batch."),
        Mistake("the epoch's loss is the plain mean of its batch losses, so the short last batch counts as much "
                "as a full one", _variant(loss_mean="plain"),
                "Weight each batch's loss by its size: add loss * len(batch) over the epoch, then divide by n."),
        Mistake("ReLU is applied to the output layer too, so the logits cannot be negative",
                _variant(relu_on_output=True),
                "The last layer gives the logits: dense_forward without an activation, and no relu_backward for it."),
        Mistake("the ReLU's backward step is missing: the gradient flows through units that were off",
                _variant(relu_backward=False),
                "Before dense_backward of a hidden layer, pass d through relu_backward(d, z) with that layer's "
                "pre-activation z."),
    ],
    hints=[
        "Three loops, one inside the other: the epochs; the batches of one epoch; the layers, forward and then "
        "backward. Around them, one Adam state (m, v, t) per array, made once before the first epoch and kept "
        "from batch to batch. Use only the functions in parts, and start from copies of the lists you are given.",
        "Before the first epoch: rng = the generator seeded with seed; for every W and b a state (zeros shaped "
        "like it, zeros shaped like it, 0).\n"
        "Each epoch: batches = iterate_minibatches(X, y, batch_size, rng). For each batch (x_B (B, d), y_B (B,)):\n"
        "  forward: a_0 = x_B; z_i = dense_forward(a_(i-1), W_i, b_i); a_i = relu(z_i) for the hidden layers, "
        "the last z is the logits (B, k)\n"
        "  loss, d = softmax_cross_entropy(logits, y_B)   (d has shape (B, k))\n"
        "  backward, last layer first: for a hidden layer d = relu_backward(d, z_i) first; then "
        "d, dW_i, db_i = dense_backward(d, (a_(i-1), W_i))\n"
        "  update: for every array p with gradient g and state (m, v, t): p, m, v, t = adam_step(p, g, m, v, t, lr=lr)\n"
        "  loss history: losses[epoch] = (sum over the batches of loss · B) / n",
        "weights, biases = list(weights), list(biases)\n"
        "L = len(weights)\n"
        "state_W = [(np.zeros_like(W), np.zeros_like(W), 0) for W in weights]\n"
        "state_b = [(np.zeros_like(b), np.zeros_like(b), 0) for b in biases]\n"
        "rng = np.random.default_rng(seed)\n"
        "losses = []\n"
        "for epoch in range(epochs):\n"
        "    total = 0.0\n"
        "    for xb, yb in parts.iterate_minibatches(X, y, batch_size, rng):\n"
        "        a, cache = xb, []\n"
        "        for i in range(L):\n"
        "            z = parts.dense_forward(a, weights[i], biases[i])\n"
        "            cache.append((a, z))\n"
        "            a = parts.relu(z) if i < L - 1 else z\n"
        "        loss, d = parts.softmax_cross_entropy(a, yb)\n"
        "        dW, db = [None] * L, [None] * L\n"
        "        for i in reversed(range(L)):\n"
        "            x, z = cache[i]\n"
        "            if i < L - 1:\n"
        "                d = parts.relu_backward(d, z)\n"
        "            d, dW[i], db[i] = parts.dense_backward(d, (x, weights[i]))\n"
        "        for i in range(L):\n"
        "            m, v, t = state_W[i]\n"
        "            weights[i], m, v, t = parts.adam_step(weights[i], dW[i], m, v, t, lr=lr)\n"
        "            state_W[i] = (m, v, t)\n"
        "            m, v, t = state_b[i]\n"
        "            biases[i], m, v, t = parts.adam_step(biases[i], db[i], m, v, t, lr=lr)\n"
        "            state_b[i] = (m, v, t)\n"
        "        total += loss * len(yb)\n"
        "    losses.append(total / len(X))\n"
        "return weights, biases, losses",
    ],
))

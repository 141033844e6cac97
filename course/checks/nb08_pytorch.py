"""Exercises of notebook 08 (PyTorch): the module's forward (logits out), accuracy in eval mode
under torch.no_grad(), and one training epoch.

torch is imported only when a case is built or a reference runs, so importing this module (which
course.checks.exercises does for every nb*.py) costs nothing and works without torch. Without torch
the three exercises are not registered at all: notebook 08 stops at its first code cell,
course.frameworks.require("torch"), and tests/test_checks_nb08.py is skipped.

The cases are small float64 networks built from a seeded NumPy generator, inside
torch.random.fork_rng and with DataLoaders that have their own generator, so running a check never
moves the notebook's global torch random state. The networks given to evaluate_accuracy and
train_one_epoch contain batch normalisation, whose output depends on train()/eval() mode: that is
how a missing model.eval() or model.train() shows.
"""
import importlib.util

import numpy as np

from .core import Exercise, Mistake, only_bare, register, same

from .core import _  # keeps the English beside the translation, so that run() decides on the English


def _torch():
    import torch

    return torch


# ---------------------------------------------------------------- building the cases
_CLASSES = {}


def _classes():
    """Small torch classes for the cases, made on first use (one-line reprs, for the verdict messages)."""
    if not _CLASSES:
        torch = _torch()
        nn = torch.nn

        class Net(nn.Module):
            """fc1, fc2, fc3 like the notebook's Net (small hidden layers); the exercise is its forward."""

            def __init__(self, sizes):
                super().__init__()
                self.sizes = tuple(sizes)
                self.fc1 = nn.Linear(sizes[0], sizes[1], dtype=torch.float64)
                self.fc2 = nn.Linear(sizes[1], sizes[2], dtype=torch.float64)
                self.fc3 = nn.Linear(sizes[2], sizes[3], dtype=torch.float64)

            def __repr__(self):
                return "Net(" + "-".join(map(str, self.sizes)) + ")"

        class NormNet(Net):
            """fc1, batch normalisation, ReLU, fc2, ReLU, fc3: its output depends on train()/eval() mode."""

            def __init__(self, sizes):
                super().__init__(sizes)
                self.norm = nn.BatchNorm1d(sizes[1], dtype=torch.float64)

            def forward(self, x):
                x = torch.relu(self.norm(self.fc1(x)))
                return self.fc3(torch.relu(self.fc2(x)))

            def __repr__(self):
                mode = "training" if self.training else "eval"
                return f"NormNet({'-'.join(map(str, self.sizes))}, {mode} mode)"

        class SGD(torch.optim.SGD):
            def __repr__(self):
                return f"SGD(lr={self.defaults['lr']})"

        _CLASSES.update(Net=Net, NormNet=NormNet, SGD=SGD)
    return _CLASSES


def _fill(torch, net, rng, scale=1.5):
    """Seeded weights for every nn.Linear of `net` (torch's own init would draw from its global generator)."""
    with torch.no_grad():
        for lin in (net.fc1, net.fc2, net.fc3):
            fan_in = lin.in_features
            lin.weight.copy_(torch.from_numpy(rng.normal(scale=scale / np.sqrt(fan_in), size=tuple(lin.weight.shape))))
            lin.bias.copy_(torch.from_numpy(rng.normal(scale=0.5, size=lin.out_features)))
    return net


def _sizes(rng):
    return (int(rng.integers(6, 10)), int(rng.integers(4, 8)), int(rng.integers(3, 7)), int(rng.integers(3, 6)))


def _forward_case(rng):
    torch = _torch()
    with torch.random.fork_rng(devices=[]):
        sizes = (784,) + _sizes(rng)[1:]  # 784 inputs, so a forward that flattens with x.view(-1, 784) works too
        net = _fill(torch, _classes()["Net"](sizes), rng)
        x = torch.from_numpy(rng.normal(size=(int(rng.integers(3, 7)), sizes[0])))
    return net, x


def _norm_net_and_loader(rng, mode):
    """A NormNet in `mode` ("training" or "eval") and a DataLoader of (x, y) batches whose last batch is smaller
    (but holds at least 2 examples: batch normalisation in training mode needs 2)."""
    torch = _torch()
    from torch.utils.data import DataLoader, TensorDataset

    with torch.random.fork_rng(devices=[]):
        sizes = _sizes(rng)
        net = _fill(torch, _classes()["NormNet"](sizes), rng)
        with torch.no_grad():  # running statistics far from a batch's own: eval and training mode disagree
            net.norm.running_mean.copy_(torch.from_numpy(rng.normal(scale=1.5, size=sizes[1])))
            net.norm.running_var.copy_(torch.from_numpy(rng.uniform(0.2, 4.0, size=sizes[1])))
        batch = int(rng.integers(4, 8))
        n = batch * int(rng.integers(3, 5)) + int(rng.integers(2, batch))
        x = torch.from_numpy(rng.normal(size=(n, sizes[0])))
        net.eval()
        with torch.no_grad():
            y = net(x).argmax(dim=1)
        flip = torch.from_numpy(rng.random(n) < 0.4)       # labels the network gets right about 60 % of the time
        y = torch.where(flip, torch.from_numpy(rng.integers(0, sizes[3], size=n)), y)
        net.train(mode == "training")
        loader = DataLoader(TensorDataset(x, y), batch_size=batch, generator=torch.Generator().manual_seed(0))
    return net, loader


# ---------------------------------------------------------------- comparing torch results
def _attached(x):
    torch = _torch()
    if isinstance(x, torch.Tensor):
        return x.requires_grad
    if isinstance(x, (list, tuple)):
        return any(_attached(v) for v in x)
    return False


def _plain(x):
    """Tensors (also inside lists) as NumPy values, for core.same."""
    torch = _torch()
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    if isinstance(x, (list, tuple)):
        return [v.item() if isinstance(v, torch.Tensor) and v.numel() == 1 else _plain(v) for v in x]
    return x


def _compare_logits(got, expected):
    """None when the tensor `got` equals the logits `expected` (n, classes) and is still attached to the
    graph; else what differs: the values first (probabilities or log-probabilities are told as such),
    then a tensor cut off from the graph."""
    torch = _torch()
    if not isinstance(got, torch.Tensor):
        return _("returned a {type}, expected a torch tensor").format(type=type(got).__name__)
    g, e = _plain(got), _plain(expected)
    problem = same(g, e)
    if only_bare(problem):
        problem = _what_the_rows_are(g) or problem
    if problem is None and expected.requires_grad and not got.requires_grad:
        return _("returned a tensor cut off from the computational graph (requires_grad is False), "
                 "so loss.backward() could not reach the weights")
    return problem


def _what_the_rows_are(g):
    """For a wrong (n, classes) output: a description if it holds probabilities or log-probabilities
    instead of logits, else None."""
    if g.ndim != 2 or g.shape[0] < 2 or g.shape[1] < 2:
        return None
    if (g >= 0).all() and np.allclose(g.sum(axis=1), 1):
        return _("returned probabilities (every row sums to 1), expected logits: no softmax in forward")
    if (g <= 0).all() and np.allclose(np.log(np.exp(g).sum(axis=1)), 0):
        return _("returned log-probabilities (the exponentials of every row sum to 1), expected logits: "
                 "no log-softmax in forward")
    if (g >= 0).all() and np.allclose(g.sum(axis=0), 1):
        return _("returned a softmax over the batch (every column sums to 1), expected logits: no softmax in "
                 "forward, and a softmax is taken over the classes of each example (dim=1), not over the batch")
    return None


def _compare_values(got, expected):
    """Accuracy (a number) or batch losses (a list of numbers): tensors are accepted if detached.
    Besides `same`'s differences, tells a percentage or zero accuracy, one number instead of a list,
    and a running mean of the losses."""
    if _attached(got) and not _attached(expected):
        return _("returned tensors still attached to the computational graph (each keeps its whole graph "
                 "in memory); turn each loss into a number with .item()")
    g, e = _plain(got), _plain(expected)
    if isinstance(e, list) and np.ndim(g) == 0 and not isinstance(g, (list, tuple)):
        return _("returned one number, expected a list of {n} losses, one per batch").format(n=len(e))
    if np.ndim(e) == 0 and isinstance(g, (np.ndarray, np.floating)) and g.shape == () and g.dtype.kind == "f":
        g = float(g)  # an accuracy from .float().mean(): float32 keeps 7 digits, plenty for a fraction of counts
    problem = same(g, e)
    if not only_bare(problem):
        return problem
    if np.ndim(e) == 0:  # an accuracy
        g, e = float(np.asarray(g)), float(e)
        if e > 0 and np.isclose(g, 100 * e):
            return _("returned {got:.4g}, a percentage: the accuracy is a fraction between 0 and 1 "
                     "({expected:.4g} here)").format(got=g, expected=e)
        if g == 0 < e:
            return _("returned 0: no prediction matched its label; compare the predicted class (the index of "
                     "the largest logit) with the label")
        if g > 1:
            return _("returned {got:.4g}, more than 1: the accuracy is a fraction between 0 and 1 "
                     "({expected:.4g} here)").format(got=g, expected=e)
        return problem
    g, e = np.asarray(g, dtype=float), np.asarray(e, dtype=float)
    if len(e) > 1 and np.allclose(g, np.cumsum(e) / np.arange(1, len(e) + 1)):
        return _("returned the running mean of the losses so far, expected each batch's own loss "
                 "(item {i} should be {expected:.4g}, not {got:.4g})").format(i=len(e) - 1, expected=e[-1], got=g[-1])
    return problem


# ---------------------------------------------------------------- net_forward(self, x)
def _net_forward(self, x):
    torch = _torch()
    x = torch.relu(self.fc1(x))
    x = torch.relu(self.fc2(x))
    return self.fc3(x)


def _forward_softmax(self, x):
    torch = _torch()
    return torch.softmax(_net_forward(self, x), dim=1)


def _forward_relu_on_output(self, x):
    torch = _torch()
    return torch.relu(_net_forward(self, x))


def _forward_no_relu(self, x):
    return self.fc3(self.fc2(self.fc1(x)))


def _forward_detached(self, x):
    return _net_forward(self, x).detach()


# ---------------------------------------------------------------- evaluate_accuracy(model, loader)
def _evaluate_accuracy(model, loader):
    torch = _torch()
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for xb, yb in loader:
            correct += (model(xb).argmax(dim=1) == yb).sum().item()
            total += len(yb)
    return correct / total


def _accuracy_no_eval(model, loader):
    torch = _torch()
    correct = total = 0
    with torch.no_grad():
        for xb, yb in loader:
            correct += (model(xb).argmax(dim=1) == yb).sum().item()
            total += len(yb)
    return correct / total


def _accuracy_first_batch(model, loader):
    torch = _torch()
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for xb, yb in loader:
            correct += (model(xb).argmax(dim=1) == yb).sum().item()
            total += len(yb)
            return correct / total  # indented one level too far: returns after the first batch


def _accuracy_per_batch_count(model, loader):
    torch = _torch()
    model.eval()
    correct = 0
    with torch.no_grad():
        for xb, yb in loader:
            correct += (model(xb).argmax(dim=1) == yb).sum().item()
    return correct / len(loader)  # len(loader) is the number of batches


def _accuracy_mean_of_batches(model, loader):
    torch = _torch()
    model.eval()
    scores = []
    with torch.no_grad():
        for xb, yb in loader:
            scores.append((model(xb).argmax(dim=1) == yb).float().mean().item())
    return sum(scores) / len(scores)


def _accuracy_count(model, loader):
    torch = _torch()
    model.eval()
    correct = 0
    with torch.no_grad():
        for xb, yb in loader:
            correct += (model(xb).argmax(dim=1) == yb).sum().item()
    return correct


def _error_rate(model, loader):
    """1 - accuracy: the fraction of examples whose predicted class is not the label."""
    return 1 - _evaluate_accuracy(model, loader)


def _accuracy_last_batch(model, loader):
    """The accuracy on the loader's last batch alone (counters reset, or = instead of +=, inside the loop)."""
    torch = _torch()
    model.eval()
    with torch.no_grad():
        for xb, yb in loader:
            score = (model(xb).argmax(dim=1) == yb).sum().item() / len(yb)
    return score


def _accuracy_full_batches(model, loader):
    """The correct predictions over (number of batches × batch size): the smaller last batch counted as full."""
    return _evaluate_accuracy(model, loader) * len(loader.dataset) / (len(loader) * loader.batch_size)


# ---------------------------------------------------------------- train_one_epoch(model, loader, loss_fn, optimizer)
def _epoch(model, loader, loss_fn, optimizer, *, train=True, zero="before", softmax=False, item=True):
    torch = _torch()
    if train:
        model.train()
    losses = []
    for xb, yb in loader:
        if zero == "before":
            optimizer.zero_grad()
        out = model(xb)
        if softmax:
            out = torch.softmax(out, dim=1)
        loss = loss_fn(out, yb)
        loss.backward()
        if zero == "between":
            optimizer.zero_grad()
        optimizer.step()
        losses.append(loss.item() if item else loss)
    return losses


def _train_one_epoch(model, loader, loss_fn, optimizer):
    return _epoch(model, loader, loss_fn, optimizer)


def _epoch_no_zero_grad(model, loader, loss_fn, optimizer):
    return _epoch(model, loader, loss_fn, optimizer, zero="never")


def _epoch_softmax(model, loader, loss_fn, optimizer):
    return _epoch(model, loader, loss_fn, optimizer, softmax=True)


def _epoch_zero_after_backward(model, loader, loss_fn, optimizer):
    return _epoch(model, loader, loss_fn, optimizer, zero="between")


def _epoch_no_train_mode(model, loader, loss_fn, optimizer):
    return _epoch(model, loader, loss_fn, optimizer, train=False)


def _epoch_loss_tensors(model, loader, loss_fn, optimizer):
    return _epoch(model, loader, loss_fn, optimizer, item=False)


def _epoch_summed_losses(model, loader, loss_fn, optimizer):
    """Each batch's loss multiplied by its number of examples: the summed, not the mean, loss of the batch."""
    sizes = [len(yb) for _, yb in loader]
    return [loss * n for loss, n in zip(_train_one_epoch(model, loader, loss_fn, optimizer), sizes)]


def _epoch_loss_after_step(model, loader, loss_fn, optimizer):
    """Each batch's loss computed again after its optimiser step, with the updated weights."""
    torch = _torch()
    model.train()
    losses = []
    for xb, yb in loader:
        optimizer.zero_grad()
        loss_fn(model(xb), yb).backward()
        optimizer.step()
        with torch.no_grad():
            losses.append(loss_fn(model(xb), yb).item())
    return losses


def _train_case(rng):
    torch = _torch()
    net, loader = _norm_net_and_loader(rng, "eval")  # as evaluate_accuracy leaves it
    lr = float(rng.choice([0.1, 0.3]))
    return net, loader, torch.nn.CrossEntropyLoss(), _classes()["SGD"](net.parameters(), lr=lr)


# ---------------------------------------------------------------- registration
if importlib.util.find_spec("torch") is not None:
    register(Exercise(
        name="net_forward",
        notebook="08_pytorch",
        reference=_net_forward,
        random_case=_forward_case,
        n_random=4,
        compare=_compare_logits,
        hints=[
            "forward applies the three layers one after another, each to the output of the one before. Between "
            "two layers comes a ReLU; after the last layer comes nothing: its raw scores (logits) are the answer, "
            "because the cross-entropy loss applies the softmax itself.",
            "h1 = relu(fc1(x)), shape (n, hidden 1); h2 = relu(fc2(h1)), shape (n, hidden 2); return fc3(h2), "
            "shape (n, classes). Use the layers through self (self.fc1, ...) and torch.relu; no softmax, no "
            "ReLU after fc3, and no torch.no_grad() or .detach(): the result must stay in the graph.",
            "x = torch.relu(self.fc1(x))\n"
            "x = torch.relu(self.fc2(x))\n"
            "return self.fc3(x)",
        ],
        mistakes=[
            Mistake("softmax at the end of forward (the article's model): nn.CrossEntropyLoss applies softmax again",
                    _forward_softmax,
                    "Return fc3's output as it is: logits. The loss turns them into probabilities (log-softmax "
                    "inside); for probabilities at prediction time, apply a softmax to the logits outside the model."),
            Mistake("ReLU after the last layer too, so no logit can be negative", _forward_relu_on_output,
                    "The output layer gives logits, any real numbers: ReLU only between the layers, not after fc3."),
            Mistake("no ReLU between the layers: three linear layers in a row are one linear map", _forward_no_relu,
                    "Apply a ReLU to fc1's output and to fc2's output (not to fc3's)."),
            Mistake("the logits are detached from the computational graph (.detach() or torch.no_grad() inside forward)",
                    _forward_detached,
                    "forward must stay differentiable, so that backpropagation reaches the weights: no detaching and "
                    "no switching autograd off inside forward (that belongs in the evaluation code, around the "
                    "call to the model)."),
        ],
    ))

    register(Exercise(
        name="evaluate_accuracy",
        notebook="08_pytorch",
        reference=_evaluate_accuracy,
        random_case=lambda rng: _norm_net_and_loader(rng, "training"),
        n_random=4,
        compare=_compare_values,
        hints=[
            "Switch the model to evaluation mode and autograd off, then go through every batch and count two "
            "things: how many predictions are right, and how many examples there were. Divide once, at the end.",
            "For a batch xb (b, features) with labels yb (b,): the predicted class of each row is the index of "
            "its largest logit, model(xb).argmax(dim=1), shape (b,). Add the number of positions where it equals "
            "yb to correct, and b to total (the last batch may be smaller). Return correct / total, a float in [0, 1].",
            "model.eval()\n"
            "correct = total = 0\n"
            "with torch.no_grad():\n"
            "    for xb, yb in loader:\n"
            "        correct += (model(xb).argmax(dim=1) == yb).sum().item()\n"
            "        total += len(yb)\n"
            "return correct / total",
        ],
        mistakes=[
            Mistake("model.eval() is missing: batch normalisation and dropout still behave as in training",
                    _accuracy_no_eval,
                    "Switch the model to evaluation mode before the loop. This test network has batch "
                    "normalisation, which in training mode normalises with each batch's own statistics."),
            Mistake("only the first batch was counted (the return is inside the for loop)", _accuracy_first_batch,
                    "Count over every batch, then return after the loop: un-indent the return."),
            Mistake("divided by the number of batches, len(loader), instead of the number of examples",
                    _accuracy_per_batch_count,
                    "Count the examples as you go (add each batch's number of labels to a total) and divide by "
                    "that total: the loader's length is its number of batches."),
            Mistake("averaged the per-batch accuracies: the smaller last batch counts as much as a full one",
                    _accuracy_mean_of_batches,
                    "Add up the correct predictions and the examples over all batches, and divide once at the end."),
            Mistake("returned the number of correct predictions, not the fraction", _accuracy_count,
                    "Divide by the number of examples: accuracy is a fraction between 0 and 1."),
        ],
        related=[
            ("the error rate, 1 - accuracy (the fraction of wrong predictions)", _error_rate),
            ("the accuracy of the last batch alone: the counters must add up over every batch", _accuracy_last_batch),
            ("the correct predictions divided by (number of batches × batch size): the smaller last batch "
             "was counted as a full one", _accuracy_full_batches),
        ],
    ))

    register(Exercise(
        name="train_one_epoch",
        notebook="08_pytorch",
        reference=_train_one_epoch,
        random_case=_train_case,
        n_random=4,
        compare=_compare_values,
        hints=[
            "One epoch is one pass over the loader. Put the model in training mode first (after an evaluation it "
            "is still in eval mode); then every batch takes one training step, and you keep that batch's loss "
            "as a plain number.",
            "For each (xb, yb), in this order: clear the old gradients (optimizer.zero_grad()); logits = "
            "model(xb), shape (b, classes); loss = loss_fn(logits, yb), a 0-d tensor (the batch's mean loss); "
            "loss.backward() fills every parameter's .grad; optimizer.step() updates the weights. Append "
            "loss.item(); return the list, one float per batch.",
            "model.train()\n"
            "losses = []\n"
            "for xb, yb in loader:\n"
            "    optimizer.zero_grad()\n"
            "    loss = loss_fn(model(xb), yb)\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
            "    losses.append(loss.item())\n"
            "return losses",
        ],
        mistakes=[
            Mistake("optimizer.zero_grad() is missing, so each batch's gradient is added to all the earlier ones",
                    _epoch_no_zero_grad,
                    "Backpropagation adds to the gradients already stored: clear them with the optimiser's "
                    "zero_grad at the start of every batch."),
            Mistake("softmax before the loss: nn.CrossEntropyLoss applies softmax itself (a double softmax)",
                    _epoch_softmax,
                    "Pass the model's logits straight to the loss function: it applies the (log-)softmax itself."),
            # zero_grad() after backward(), step() before backward() (after zero_grad()), no step() at all and
            # backward() and step() after the loop end the same way for the losses: no weight moves during the
            # epoch; one mistake names them all.
            Mistake("the weights never changed during the epoch: optimizer.step() is missing or outside the loop, "
                    "or it found no gradients (zero_grad() between backward() and step(), or step() before "
                    "backward())", _epoch_zero_after_backward,
                    "Inside the loop, for every batch, in this order: zero_grad, forward, loss, backward, step; "
                    "step() uses what backward() just computed."),
            Mistake("model.train() is missing: the model is still in eval mode from the last evaluation",
                    _epoch_no_train_mode,
                    "Switch the model to training mode at the start of the epoch. This test network has batch "
                    "normalisation, which behaves differently in the two modes (dropout does too)."),
            Mistake("the list holds the loss tensors themselves, each with its whole computational graph",
                    _epoch_loss_tensors,
                    "Keep each loss as a plain Python number (the tensor's item); a tensor keeps every batch's "
                    "graph alive in memory."),
        ],
        related=[
            ("each batch's loss multiplied by its number of examples (the summed loss); loss_fn already gives "
             "the batch's mean loss", _epoch_summed_losses),
            ("each batch's loss computed again after its optimiser step; keep the loss that backward() used",
             _epoch_loss_after_step),
        ],
    ))

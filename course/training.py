"""Training: shuffled mini-batches (小批量), epochs (迭代周期), a progress bar and a history."""
from __future__ import annotations

import math
import warnings

import numpy as np

from ._validate import CourseInputError, describe, describe_sequence, positive_int
from ._validate import seed as check_seed
from .i18n import N_, _
from .losses import LOSSES
from .optim import Adam, Optimizer


# The progress bar's names for the history's keys (English, translated where shown).
POSTFIX_LABELS = {"loss": N_("loss"), "accuracy": N_("accuracy"), "val_loss": N_("val_loss"),
                  "val_accuracy": N_("val_accuracy")}


class TrainingDiverged(RuntimeWarning):
    """The loss became NaN or inf; training stopped."""


def _model(model):
    # fit and evaluate use MLP internals; say so instead of an AttributeError from deep inside.
    from .network import MLP

    if not isinstance(model, MLP):
        raise CourseInputError(_("model: expected a course.MLP, got {got}.").format(got=describe(model)))
    return model


def evaluate(model, X, y, batch_size: int = 10_000):
    """(mean loss, accuracy) of `model` on (X, y), in chunks so memory stays small.

    model: a course.MLP; X: (n, d) with n >= 1 rows (a mean over no rows is undefined);
    y: (n,) labels, or targets shaped like the output for mse / binary cross-entropy;
    batch_size: an integer >= 1. Returns two floats. Raises CourseInputError otherwise.
    """
    X = _model(model)._rows(X)
    y = model.check_labels(y, X.shape[0])
    batch_size = positive_int(batch_size, "batch_size")
    total_loss, correct = 0.0, 0
    for start in range(0, X.shape[0], batch_size):
        xb, yb = X[start:start + batch_size], y[start:start + batch_size]
        logits = model._forward(xb)
        total_loss += LOSSES[model.loss_name](logits, yb)[0] * xb.shape[0]
        correct += _n_correct(logits, yb)
    return total_loss / X.shape[0], correct / X.shape[0]


def _n_correct(logits, y):
    if logits.shape[1] == 1:
        return int(np.count_nonzero((logits[:, 0] > 0) == (y[:, 0] > 0.5)))
    if y.ndim == 2:  # mse with one-hot targets
        return int(np.count_nonzero(logits.argmax(1) == y.argmax(1)))
    return int(np.count_nonzero(logits.argmax(1) == y))


def fit(model, X, y, epochs: int = 10, batch_size: int = 64, optimizer: Optimizer | None = None,
        validation_data=None, seed: int = 0, progress: bool = True):
    """Train `model` with shuffled mini-batches.

    model: a course.MLP; X: (n, d) inputs with n >= 1 rows, any real dtype (converted to
    the model's); y: (n,) integer labels (or targets shaped like the model's
    output for mse / binary cross-entropy). optimizer: an SGD, Momentum or Adam
    object (default Adam(lr=1e-3)); one that holds state from another model is
    refused (make a new one or call its reset()). validation_data: (X_val, y_val)
    with n_val >= 1, or None. epochs, batch_size: integers >= 1; seed: integer >= 0.
    progress: show a tqdm progress bar (a widget in Jupyter, text in a terminal).
    X and y are not changed. Bad arguments raise CourseInputError with one sentence.

    Returns the history: a dict of per-epoch lists 'loss', 'accuracy' (training,
    averaged over the epoch's batches) and, with validation data, 'val_loss' and
    'val_accuracy'. If the loss becomes NaN or inf, training stops with a
    TrainingDiverged warning saying what happened and what to try; the history so
    far is returned and history['stopped'] holds the message.
    """
    X = _model(model)._rows(X)
    y = model.check_labels(y, X.shape[0])
    epochs = positive_int(epochs, "epochs")
    batch_size = positive_int(batch_size, "batch_size")
    seed = check_seed(seed)
    optimizer = Adam() if optimizer is None else optimizer
    if not isinstance(optimizer, Optimizer):
        raise CourseInputError(_("optimizer: expected an SGD, Momentum or Adam object from course.optim, got "
                                 "{got}.")
                               .format(got=type(optimizer).__name__))
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise CourseInputError(_("validation_data: expected a pair (X_val, y_val), got {got}.")
                                   .format(got=describe_sequence(validation_data)))
        Xv = model._rows(validation_data[0], "X_val")
        yv = model.check_labels(validation_data[1], Xv.shape[0])
    history = {"loss": [], "accuracy": []}
    if validation_data is not None:
        history.update(val_loss=[], val_accuracy=[])

    n = X.shape[0]
    n_batches = -(-n // batch_size)
    rng = np.random.default_rng(seed)
    params, grads = model.parameters(), model.gradients()
    optimizer._claim(params)  # refuses state from another model before any work is done
    bar = None
    if progress:
        from tqdm.auto import tqdm  # imported here: tqdm.auto pulls in ipywidgets in Jupyter
        bar = tqdm(total=epochs * n_batches, unit=_("batch"), leave=True)
    try:
        # Divergence shows up as NaN in the loss, which we check; the overflow
        # warnings NumPy would print on the way there are noise for a learner.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for epoch in range(epochs):
                order = rng.permutation(n)
                total_loss, correct = 0.0, 0
                for start in range(0, n, batch_size):
                    idx = order[start:start + batch_size]
                    xb, yb = X[idx], y[idx]
                    loss = model._loss_and_grad(xb, yb)
                    if not math.isfinite(loss):
                        return _stop(history, epoch, start // batch_size, loss, optimizer)
                    optimizer.step(params, grads)
                    total_loss += loss * len(idx)
                    correct += _n_correct(model._logits, yb)
                    if bar is not None:
                        bar.update(1)
                history["loss"].append(total_loss / n)
                history["accuracy"].append(correct / n)
                if validation_data is not None:
                    vl, va = evaluate(model, Xv, yv)
                    history["val_loss"].append(vl)
                    history["val_accuracy"].append(va)
                if bar is not None:
                    bar.set_description(_("epoch {epoch}/{epochs}").format(epoch=epoch + 1, epochs=epochs))
                    bar.set_postfix({_(POSTFIX_LABELS[k]): f"{v[-1]:.4f}" for k, v in history.items()})
    finally:
        if bar is not None:
            bar.close()
    return history


def _stop(history, epoch, batch, loss, optimizer):
    lr = getattr(optimizer, "lr", None)
    message = _("Training stopped: the loss became {loss} at epoch {epoch}, batch {batch}. "
                "The updates grew so large that the numbers overflowed (learning rate {lr}). "
                "Try a smaller learning rate (e.g. {smaller:g}, then 10 times smaller again until the loss stays finite), "
                "check that the inputs are scaled to [0, 1], "
                "and rebuild the model: its weights are no longer usable.").format(
        loss=loss, epoch=epoch + 1, batch=batch + 1, lr=lr, smaller=lr / 10)
    warnings.warn(message, TrainingDiverged, stacklevel=3)
    history["stopped"] = message
    return history

import warnings

import numpy as np
import pytest

from course.network import MLP
from course.optim import SGD, Adam, Momentum
from course.training import TrainingDiverged, evaluate, fit


def two_rings(n=400, seed=0):
    """A problem a linear model cannot solve: inner disc vs outer ring."""
    rng = np.random.default_rng(seed)
    r = np.where(np.arange(n) % 2 == 0, rng.uniform(0, 1, n), rng.uniform(1.5, 2.5, n))
    a = rng.uniform(0, 2 * np.pi, n)
    X = np.c_[r * np.cos(a), r * np.sin(a)]
    return X, (np.arange(n) % 2).astype(np.int64)


@pytest.mark.parametrize("optimizer", [Adam(lr=0.01), Momentum(lr=0.1), SGD(lr=0.5)])
def test_fit_learns_a_nonlinear_problem(optimizer):
    X, y = two_rings()
    model = MLP([2, 16, 2], seed=0, dtype=np.float64)
    history = fit(model, X, y, epochs=40, batch_size=32, optimizer=optimizer, progress=False)
    assert history["accuracy"][-1] > 0.95
    assert history["loss"][-1] < history["loss"][0]
    assert model.accuracy(X, y) > 0.95


def test_history_has_one_entry_per_epoch_and_validation_matches_evaluate():
    X, y = two_rings()
    model = MLP([2, 8, 2], seed=1)
    h = fit(model, X[:300], y[:300], epochs=3, validation_data=(X[300:], y[300:]), progress=False)
    assert set(h) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 3 for v in h.values())
    loss, acc = evaluate(model, X[300:], y[300:])
    assert h["val_loss"][-1] == pytest.approx(loss) and h["val_accuracy"][-1] == pytest.approx(acc)


def test_training_is_deterministic():
    X, y = two_rings()
    runs = []
    for _ in range(2):
        model = MLP([2, 8, 2], seed=3)
        runs.append(fit(model, X, y, epochs=2, seed=5, progress=False)["loss"])
    assert runs[0] == runs[1]


def test_last_partial_batch_is_used():
    X, y = two_rings(n=10)
    model = MLP([2, 4, 2], seed=0)
    before = model.params.copy()
    fit(model, X, y, epochs=1, batch_size=64, progress=False)
    assert not np.array_equal(before, model.params)


def test_divergence_stops_with_a_clear_message():
    X, y = two_rings()
    model = MLP([2, 32, 32, 2], seed=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        h = fit(model, X * 1e3, y, epochs=5, optimizer=SGD(lr=1e4), progress=False)
    messages = [str(w.message) for w in caught]
    assert [w.category for w in caught] == [TrainingDiverged], messages  # no overflow noise from NumPy
    assert "smaller learning rate" in messages[0] and "learning rate 10000" in messages[0]
    assert "stopped" in h and len(h["loss"]) < 5


def test_fit_does_not_modify_the_data():
    X, y = two_rings()
    X0, y0 = X.copy(), y.copy()
    fit(MLP([2, 4, 2]), X, y, epochs=1, progress=False)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


def test_progress_bar_in_a_terminal(capsys):
    X, y = two_rings(n=100)
    fit(MLP([2, 4, 2]), X, y, epochs=2, batch_size=10, progress=True)
    err = capsys.readouterr().err
    assert "20/20" in err and "epoch 2/2" in err
    fit(MLP([2, 4, 2]), X, y, epochs=2, batch_size=10, progress=False)
    assert capsys.readouterr().err == ""


def test_binary_and_mse_models_train():
    X, y = two_rings()
    model = MLP([2, 16, 1], loss="binary_cross_entropy", seed=0, dtype=np.float64)
    h = fit(model, X, y.astype(float), epochs=40, batch_size=32, optimizer=Adam(lr=0.01), progress=False)
    assert h["accuracy"][-1] > 0.95
    model = MLP([2, 16, 2], loss="mse", seed=0, dtype=np.float64)
    h = fit(model, X, np.eye(2)[y], epochs=40, batch_size=32, optimizer=Adam(lr=0.01), progress=False)
    assert h["accuracy"][-1] > 0.9


def test_progress_bar_is_a_widget_in_jupyter():
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import numpy as np, course\n"
        "X = np.random.default_rng(0).normal(size=(50, 2)); y = (X[:, 0] > 0).astype(int)\n"
        "h = course.fit(course.MLP([2, 4, 2]), X, y, epochs=2, batch_size=10)")]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    kinds = [key for out in nb.cells[0].outputs for key in out.get("data", {})]
    assert "application/vnd.jupyter.widget-view+json" in kinds, nb.cells[0].outputs

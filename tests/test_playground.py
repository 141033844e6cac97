"""The playground engine: data, features, training, regularisation, sharing, gradients, bad input."""
import json
import warnings

import numpy as np
import pytest

from course import CourseInputError
from course.gradcheck import numerical_gradient, relative_error
from course.playground import DATASETS, DOMAIN, FEATURES, Playground, make_dataset, make_features

E = CourseInputError


# ---------------------------------------------------------------- features
def test_features_values_and_order():
    X = np.array([[1.0, 2.0], [-3.0, 0.5]])
    F = make_features(X, ["x1", "x2", "x1^2", "x2^2", "x1x2", "sin(x1)", "sin(x2)"])
    x1, x2 = X[:, 0], X[:, 1]
    expected = np.column_stack([x1, x2, x1 ** 2, x2 ** 2, x1 * x2, np.sin(x1), np.sin(x2)])
    np.testing.assert_array_equal(F, expected)
    assert F.dtype == np.float64 and F.shape == (2, 7)
    # order follows the names, aliases are accepted
    np.testing.assert_array_equal(make_features(X, ["x1·x2", "x2²", "sin x1"]), expected[:, [4, 3, 5]])


def test_all_features_listed():
    assert list(FEATURES) == ["x1", "x2", "x1^2", "x2^2", "x1x2", "sin(x1)", "sin(x2)"]


# ---------------------------------------------------------------- datasets
@pytest.mark.parametrize("name", ["circle", "xor", "gauss", "spiral", "moons"])
@pytest.mark.parametrize("ratio", [0.5, 0.8])
def test_dataset_shapes_labels_ratio(name, ratio):
    Xtr, ytr, Xte, yte = make_dataset(name, n=500, noise=0.0, train_ratio=ratio, seed=3)
    assert Xtr.shape == (round(500 * ratio), 2) and Xte.shape == (500 - round(500 * ratio), 2)
    assert ytr.shape == (Xtr.shape[0],) and yte.shape == (Xte.shape[0],)
    assert set(np.unique(np.concatenate([ytr, yte]))) == {0, 1}
    assert Xtr.dtype == np.float64
    allX = np.vstack([Xtr, Xte])
    ally = np.concatenate([ytr, yte])
    if name == "gauss":  # two clouds around (-2, -2) and (2, 2)
        np.testing.assert_allclose(allX[ally == 1].mean(0), [2, 2], atol=0.2)
        np.testing.assert_allclose(allX[ally == 0].mean(0), [-2, -2], atol=0.2)
    else:
        assert np.abs(allX).max() <= DOMAIN  # noise-free points stay in the square
        assert np.abs(allX).max() > 0.6 * DOMAIN  # and fill a good part of it
    # balanced classes, and the split is seeded
    assert abs(np.concatenate([ytr, yte]).mean() - 0.5) < 0.01
    again = make_dataset(name, n=500, noise=0.0, train_ratio=ratio, seed=3)
    for a, b in zip(again, (Xtr, ytr, Xte, yte)):
        np.testing.assert_array_equal(a, b)
    other = make_dataset(name, n=500, noise=0.0, train_ratio=ratio, seed=4)
    assert not np.array_equal(other[0], Xtr)


def test_noise_blurs_points():
    clean = make_dataset("circle", n=200, noise=0.0, seed=0)[0]
    noisy = make_dataset("circle", n=200, noise=0.2, seed=0)[0]
    r_clean, r_noisy = np.hypot(*clean.T), np.hypot(*noisy.T)
    assert np.unique(np.round(r_clean, 9)).size == 2  # two rings
    assert np.unique(np.round(r_noisy, 9)).size == len(noisy) == 100


def test_tiny_ratio_keeps_both_parts_non_empty():
    Xtr, _, Xte, _ = make_dataset("xor", n=10, train_ratio=0.01)
    assert len(Xtr) == 1 and len(Xte) == 9


def test_datasets_listed():
    assert set(DATASETS) == {"circle", "xor", "gauss", "spiral", "moons"}


def test_points_for_drawing():
    pg = Playground("moons", n=100, train_ratio=0.6)
    p = pg.points()
    assert p["X_train"].shape == (60, 2) and p["X_test"].shape == (40, 2)
    assert p["y_train"].shape == (60,) and p["y_test"].shape == (40,)


# ---------------------------------------------------------------- training
def test_xor_two_hidden_layers_of_8_tanh_learns():
    pg = Playground("xor", n=500, noise=0.0, features=["x1", "x2"], hidden=[8, 8], activation="tanh",
                    learning_rate=0.03, batch_size=10, seed=0)
    start = pg.test_loss
    for _ in range(20):  # at most 100 epochs
        pg.step(5)
        if pg.test_loss < 0.05:
            break
    assert pg.test_loss < 0.05 < start
    assert pg.epoch <= 100
    assert pg.accuracy() > 0.95
    assert len(pg.history["test_loss"]) == pg.epoch + 1 == len(pg.history["train_loss"])
    assert pg.history["epoch"] == list(range(pg.epoch + 1))


def test_x1x2_alone_solves_xor_without_hidden_layers():
    pg = Playground("xor", features=["x1x2"], hidden=[], learning_rate=0.03, seed=1)
    pg.step(10)
    assert pg.accuracy() > 0.98
    assert pg.test_loss < 0.1
    assert pg.weights[0].shape == (1, 1) and pg.weights[0][0, 0] < 0  # class 1 where x1·x2 < 0
    assert pg.neuron_grids(10) == []


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
def test_every_activation_trains_on_gauss(activation):
    pg = Playground("gauss", hidden=[4, 2], activation=activation, learning_rate=0.03, seed=0)
    pg.step(20)
    assert pg.accuracy() > 0.9


def test_six_layers_of_eight_and_all_features_run_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pg = Playground("spiral", noise=0.5, features=list(FEATURES), hidden=[8] * 6, activation="relu",
                        learning_rate=0.1, batch_size=1, n=100)
        pg.step(2)
        assert np.all(np.abs(pg.decision_grid(20)) <= 1)


def test_too_large_rate_diverges_quietly():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pg = Playground("circle", features=list(FEATURES), hidden=[8, 8, 8], activation="linear",
                        learning_rate=10.0, n=100)
        pg.step(3)
        pg.decision_grid(10)


def test_shuffling_is_seeded():
    a = Playground("circle", seed=5).step(3)
    b = Playground("circle", seed=5).step(3)
    c = Playground("circle", seed=6).step(3)
    assert a == b != c


def test_batch_larger_than_training_set_is_full_batch():
    pg = Playground("gauss", n=40, batch_size=1000)
    pg.step(2)
    assert pg.epoch == 2


# ---------------------------------------------------------------- regularisation
def _weight_norm(pg):
    return sum(float((W ** 2).sum()) for W in pg.weights)


def test_l2_shrinks_weights():
    kw = dict(dataset="circle", noise=0.1, hidden=[8, 8], features=list(FEATURES), learning_rate=0.03, seed=2)
    none = Playground(**kw)
    l2 = Playground(**kw, regularization="L2", reg_rate=0.03)
    np.testing.assert_array_equal(none.weights[0], l2.weights[0])  # same start
    none.step(30)
    l2.step(30)
    assert _weight_norm(l2) < 0.5 * _weight_norm(none)


def test_l1_drives_weights_to_zero():
    kw = dict(dataset="circle", hidden=[8, 8], features=list(FEATURES), learning_rate=0.03, seed=2)
    none = Playground(**kw)
    l1 = Playground(**kw, regularization="L1", reg_rate=0.01)
    none.step(30)
    l1.step(30)
    W = np.concatenate([w.ravel() for w in l1.weights])
    W0 = np.concatenate([w.ravel() for w in none.weights])
    assert (np.abs(W) < 1e-3).sum() >= 0.25 * W.size
    assert (np.abs(W0) < 1e-3).sum() <= 0.05 * W0.size
    assert l1.penalty() == pytest.approx(0.01 * np.abs(W).sum())


# ---------------------------------------------------------------- settings: keep or reset
def test_learning_rate_change_keeps_network_and_reset_does_not():
    pg = Playground("xor", hidden=[4], seed=0)
    pg.step(3)
    before = [W.copy() for W in pg.weights]
    pg.set_learning_rate(0.3)
    pg.learning_rate = 0.1
    pg.set_regularization("L2", 0.001)
    pg.set_batch_size(20)
    pg.configure(learning_rate=0.01, reg_rate=0.0)
    assert pg.epoch == 3 and pg.learning_rate == 0.01
    for a, b in zip(before, pg.weights):
        np.testing.assert_array_equal(a, b)
    pg.reset()
    assert pg.epoch == 0 and len(pg.history["test_loss"]) == 1
    assert not np.array_equal(before[0], pg.weights[0])


def test_architecture_or_data_change_resets():
    pg = Playground("xor", hidden=[4], seed=0)
    pg.step(3)
    pg.configure(hidden=[4, 3], features=["x1", "x2", "x1x2"])
    assert pg.epoch == 0 and pg.sizes == (3, 4, 3, 1)
    pg.step(1)
    pg.configure(dataset="spiral", noise=0.1)
    assert pg.epoch == 0 and pg.dataset == "spiral"
    pg.step(1)
    pg.configure(activation="relu")
    assert pg.epoch == 0


def test_bad_configure_changes_nothing():
    pg = Playground("xor", hidden=[4], seed=0)
    pg.step(2)
    with pytest.raises(E):
        pg.configure(hidden=[4, 9], learning_rate=1.0)
    assert pg.hidden == (4,) and pg.learning_rate == 0.03 and pg.epoch == 2


# ---------------------------------------------------------------- grids
def test_grids_shapes_and_consistency():
    pg = Playground("circle", hidden=[3, 2], features=["x1", "x2", "x1^2"])
    pg.step(2)
    g = pg.decision_grid(resolution=17)
    assert g.shape == (17, 17) and np.all(np.abs(g) <= 1)
    axis = Playground.grid_axis(17)
    assert axis[0] == -DOMAIN and axis[-1] == DOMAIN
    # row i is x2 = axis[i], column j is x1 = axis[j]
    i, j = 3, 12
    assert g[i, j] == pytest.approx(pg.predict([[axis[j], axis[i]]])[0])
    ng = pg.neuron_grids(resolution=17)
    assert [len(layer) for layer in ng] == [3, 2]
    assert all(a.shape == (17, 17) for layer in ng for a in layer)
    fg = pg.feature_grids(17)
    np.testing.assert_allclose(fg[2], np.meshgrid(axis, axis)[0] ** 2)
    # the grid follows training
    pg.step(1)
    assert not np.array_equal(g, pg.decision_grid(17))


# ---------------------------------------------------------------- sharing
@pytest.mark.parametrize("regularization", ["none", "L1", "L2"])
def test_state_round_trip_through_json_is_exact(regularization):
    pg = Playground("spiral", noise=0.1, features=["x1", "x2", "sin(x1)"], hidden=[5, 3], activation="relu",
                    learning_rate=0.01, regularization=regularization, reg_rate=0.001, batch_size=7, seed=9)
    pg.step(3)
    text = json.dumps(pg.get_state())
    copy = Playground.from_state(json.loads(text))
    for a, b in zip(pg.weights + pg.biases, copy.weights + copy.biases):
        np.testing.assert_array_equal(a, b)
    assert copy.epoch == 3 and copy.history == pg.history
    np.testing.assert_array_equal(copy.X_test, pg.X_test)
    # the same next step gives identical losses (same weights and same shuffles)
    assert copy.step(2) == pg.step(2)
    assert copy.test_loss == pg.test_loss
    np.testing.assert_array_equal(copy.decision_grid(20), pg.decision_grid(20))
    # set_state on an existing, differently configured playground
    other = Playground("xor", hidden=[2])
    other.set_state(json.loads(text))
    assert other.sizes == (3, 5, 3, 1) and other.step(2) == copy.history["train_loss"][-1]


# ---------------------------------------------------------------- gradients
@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "linear", "relu"])
@pytest.mark.parametrize("regularization", ["none", "L1", "L2"])
def test_gradient_check(activation, regularization):
    pg = Playground("circle", features=["x1", "x2", "x1x2", "sin(x2)"], hidden=[5, 4], activation=activation,
                    regularization=regularization, reg_rate=0.05, seed=3, n=40)
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(12, 2))
    y = rng.integers(0, 2, size=12)
    dWs, dbs = pg.gradients(X, y)
    for params, grads in ((pg.weights, dWs), (pg.biases, dbs)):
        for p, g in zip(params, grads):
            num = numerical_gradient(lambda: pg.objective(X, y), p, h=1e-6)
            assert relative_error(num, g) < 1e-7


# ---------------------------------------------------------------- bad input
BAD = [
    (lambda: Playground("spirals"), r"dataset: expected one of 'circle', 'xor', 'gauss', 'spiral', 'moons', got 'spirals'"),
    (lambda: Playground(features=["x1", "x3"]), r"features: expected names from x1, x2, .*, got 'x3'"),
    (lambda: Playground(features=[]), r"features: expected at least one"),
    (lambda: Playground(features=["x1", "x1"]), r"expected each feature at most once, got 'x1' twice"),
    (lambda: make_features(np.zeros((3, 3)), ["x1"]), r"X: expected points with 2 coordinates \(x1, x2\), got shape \(3, 3\)"),
    (lambda: Playground(activation="softmax"), r"activation: expected one of 'tanh', 'relu', 'sigmoid', 'linear', got 'softmax'"),
    (lambda: Playground(hidden=[2] * 7), r"hidden: expected at most 6 hidden layers, got 7"),
    (lambda: Playground(hidden=[4, 9]), r"hidden\[1\]: expected 1 to 8 neurons, got 9"),
    (lambda: Playground(hidden=[0]), r"hidden\[0\]: expected 1 to 8 neurons, got 0"),
    (lambda: Playground(train_ratio=1.0), r"train_ratio: expected a number strictly between 0 and 1, got 1.0"),
    (lambda: Playground(train_ratio=0), r"train_ratio: expected a number strictly between 0 and 1, got 0"),
    (lambda: Playground(learning_rate=-0.1), r"learning_rate: expected a finite number > 0, got -0.1"),
    (lambda: Playground(reg_rate=-1), r"reg_rate: expected a finite number >= 0, got -1.0"),
    (lambda: Playground(noise=-0.5), r"noise: expected a finite number >= 0, got -0.5"),
    (lambda: Playground(regularization="L3"), r"regularization: expected one of 'none', 'L1', 'L2', got 'L3'"),
    (lambda: Playground(batch_size=0), r"batch_size: expected an integer >= 1, got 0"),
    (lambda: Playground().set_learning_rate(-1), r"learning_rate: expected a finite number > 0, got -1.0"),
    (lambda: Playground().step(0), r"epochs: expected an integer >= 1, got 0"),
    (lambda: Playground().decision_grid(1), r"resolution: expected an integer >= 2, got 1"),
    (lambda: Playground().configure(colour="red"), r"configure: expected settings from .*, got 'colour'"),
    (lambda: Playground.from_state({"weights": []}), r"state: expected a dict from Playground.get_state\(\)"),
    (lambda: Playground.from_state({"config": {"colour": 1}}), r"state config: expected the settings .*, got colour"),
    (lambda: Playground().loss(np.zeros((2, 2)), [0, 2]), r"y: expected 2 labels of 0 or 1"),
]


@pytest.mark.parametrize("call, message", BAD)
def test_bad_input_says_expected_and_got(call, message):
    with pytest.raises(E, match=message) as info:
        call()
    text = str(info.value)
    assert "expected" in text and text.endswith(".") and text.count(". ") == 0

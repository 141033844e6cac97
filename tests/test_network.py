import numpy as np
import pytest

from course.network import MLP, backpropagation, compute_loss, forward_propagation


def test_parameter_count_of_the_article_network():
    assert MLP([784, 128, 64, 10]).n_params == 109_386
    assert MLP([2, 3, 1], loss="binary_cross_entropy").n_params == 2 * 3 + 3 + 3 + 1


def test_views_share_the_flat_buffer():
    model = MLP([3, 4, 2])
    model.params[:] = 0
    assert all((W == 0).all() for W in model.weights)
    model.weights[1][0, 0] = 5
    assert 5 in model.params


@pytest.mark.parametrize("init,expected_std", [("he", np.sqrt(2 / 400)), ("xavier", np.sqrt(2 / (400 + 300)))])
def test_initialisation_scale(init, expected_std):
    model = MLP([400, 300, 2], init=init, seed=0, dtype=np.float64)
    assert model.weights[0].std() == pytest.approx(expected_std, rel=0.02)
    assert (model.biases[0] == 0).all()


def test_zeros_init_keeps_hidden_units_identical(rng):
    # The symmetry problem: with equal weights every hidden unit gets the same gradient.
    model = MLP([3, 4, 2], init="zeros", activation="tanh", dtype=np.float64)
    model.biases[0][:] = 0.1  # so the units are not all dead
    model.weights[1][:] = 0.2
    model.loss_and_grad(rng.normal(size=(5, 3)), rng.integers(0, 2, 5))
    gW = model.grad_weights[0]
    assert np.allclose(gW, gW[:, :1])


def test_seed_makes_models_reproducible():
    a, b, c = MLP([5, 4, 3], seed=7), MLP([5, 4, 3], seed=7), MLP([5, 4, 3], seed=8)
    np.testing.assert_array_equal(a.params, b.params)
    assert not np.array_equal(a.params, c.params)


def test_output_layer_gives_logits_not_activations(rng):
    # The article's bug: ReLU on the output layer would make every logit >= 0.
    weights = [rng.normal(size=(4, 5)), rng.normal(size=(5, 3))]
    biases = [np.zeros(5), np.full(3, -10.0)]
    logits, caches = forward_propagation(rng.normal(size=(6, 4)), weights, biases, "relu")
    assert (logits < 0).any()
    assert len(caches) == 2


def test_backpropagation_reduces_the_loss_and_leaves_inputs_alone(rng):
    X, y = rng.normal(size=(30, 4)), rng.integers(0, 3, size=30)
    weights = [rng.normal(size=(4, 8)) * 0.5, rng.normal(size=(8, 3)) * 0.5]
    biases = [np.zeros(8), np.zeros(3)]
    before = [w.copy() for w in weights]
    losses = []
    for _ in range(200):
        weights2, biases2, loss = backpropagation(X, y, weights, biases, learning_rate=0.5)
        losses.append(loss)
        if len(losses) == 1:
            for w, w0 in zip(weights, before):
                np.testing.assert_array_equal(w, w0)
        weights, biases = weights2, biases2
    assert losses[-1] < 0.5 * losses[0]


def test_predict_and_proba(rng):
    model = MLP([4, 6, 3], seed=0)
    X = rng.normal(size=(10, 4)).astype(np.float32)
    p = model.predict_proba(X)
    assert p.shape == (10, 3)
    np.testing.assert_allclose(p.sum(1), 1, rtol=1e-5)
    np.testing.assert_array_equal(model.predict(X), p.argmax(1))
    assert model.predict(X).dtype == np.int64
    binary = MLP([4, 3, 1], loss="binary_cross_entropy")
    assert binary.predict_proba(X).shape == (10, 1)
    assert set(binary.predict(X)) <= {0, 1}


def test_save_load_round_trip(tmp_path, rng):
    model = MLP([5, 7, 3], activation="tanh", init="xavier", seed=4)
    path = tmp_path / "m.npz"
    model.save(path)
    loaded = MLP.load(path)
    assert loaded.sizes == model.sizes and loaded.activation == "tanh" and loaded.dtype == model.dtype
    X = rng.normal(size=(4, 5))
    np.testing.assert_array_equal(loaded.forward(X), model.forward(X))


def test_set_and_get_weights():
    a, b = MLP([3, 4, 2], seed=1), MLP([3, 4, 2], seed=2)
    b.set_weights(*a.get_weights())
    np.testing.assert_array_equal(a.params, b.params)
    W, _ = a.get_weights()
    W[0][:] = 99  # a copy: the model is untouched
    assert not (a.weights[0] == 99).any()


def test_float64_input_to_float32_model(rng):
    model = MLP([3, 2])
    assert model.forward(rng.normal(size=(2, 3))).dtype == np.float32


def test_large_inputs_do_not_overflow(rng):
    model = MLP([3, 4, 2], seed=0, dtype=np.float64)
    X = rng.normal(size=(5, 3)) * 1e4
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = model.loss_and_grad(X, rng.integers(0, 2, 5))
        p = model.predict_proba(X)
    assert np.isfinite(loss) and np.isfinite(model.grads).all() and np.isfinite(p).all()
    assert np.isfinite(compute_loss(np.array([[1e4, -1e4]]), [1])[0])

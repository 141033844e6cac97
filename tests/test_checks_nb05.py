"""The checks of notebook 05 (backpropagation): the reference passes, each named mistake is named,
a stub is 'not done', any other exception is an 'error', and other correct answers pass."""
import numpy as np
import pytest

from answers import spliced_from_hint
import course.checks.exercises  # noqa: F401  (registers every exercise)
from course.checks import REGISTRY, run
from course.checks.core import PASSED, WRONG



# -- other correct answers pass -----------------------------------------------

def test_dense_backward_written_other_ways_passes():
    def with_einsum(dout, cache):
        x, W = cache
        return np.einsum("nm,dm->nd", dout, W), np.einsum("nd,nm->dm", x, dout), np.einsum("nm->m", dout)

    def as_list(dout, cache):
        x, W = cache
        return [np.dot(dout, W.T), np.dot(x.T, dout), np.ones(len(dout)) @ dout]

    for fn in (with_einsum, as_list):
        verdict = run(REGISTRY["dense_backward"], fn)
        assert verdict.status == PASSED, verdict.message


def test_relu_backward_written_other_ways_passes():
    def with_where(dout, z):
        return np.where(z > 0, dout, 0.0)

    def with_copy(dout, z):
        dz = dout.copy()
        dz[z <= 0] = 0
        return dz

    for fn in (with_where, with_copy):
        verdict = run(REGISTRY["relu_backward"], fn)
        assert verdict.status == PASSED, verdict.message


def test_relu_backward_that_changes_dout_in_place_is_wrong():
    def in_place(dout, z):
        dout[z <= 0] = 0
        return dout
    verdict = run(REGISTRY["relu_backward"], in_place)
    assert verdict.status == WRONG and "in place" in verdict.message


def test_backprop_with_the_course_layers_passes():
    from course import layers, losses

    def with_layers(X, y, weights, biases):
        z0, c0 = layers.dense_forward(X, weights[0], biases[0])
        h = np.maximum(z0, 0)
        logits, c1 = layers.dense_forward(h, weights[1], biases[1])
        _, dlogits = losses.softmax_cross_entropy(logits, y)
        dh, dW1, db1 = layers.dense_backward(dlogits, c1)
        _, dW0, db0 = layers.dense_backward(dh * (z0 > 0), c0)
        return {"dW0": dW0, "dB0": db0, "dW1": dW1, "dB1": db1}

    verdict = run(REGISTRY["backprop"], with_layers)
    assert verdict.status == PASSED, verdict.message


def test_backprop_with_lowercase_keys_is_described():
    def lowercase(X, y, weights, biases):
        g = REGISTRY["backprop"].reference(X, y, weights, biases)
        return {k.lower(): v for k, v in g.items()}
    verdict = run(REGISTRY["backprop"], lowercase)
    assert verdict.status == WRONG and "expected ['dB0', 'dB1', 'dW0', 'dW1']" in verdict.message


def test_backprop_relu_on_the_output_layer_says_which_gradient_differs():
    def relu_everywhere(X, y, weights, biases):  # the article's bug: the activation on the output layer too
        (W0, W1), (b0, b1) = weights, biases
        n = X.shape[0]
        z0 = X @ W0 + b0
        h = np.maximum(z0, 0)
        z1 = h @ W1 + b1
        out = np.maximum(z1, 0)
        e = np.exp(out - out.max(axis=1, keepdims=True))
        d = e / e.sum(axis=1, keepdims=True)
        d[np.arange(n), y] -= 1
        d = d / n * (z1 > 0)
        dz0 = d @ W1.T * (z0 > 0)
        return {"dW0": X.T @ dz0, "dB0": dz0.sum(0), "dW1": h.T @ d, "dB1": d.sum(0)}
    verdict = run(REGISTRY["backprop"], relu_everywhere)
    assert verdict.status == WRONG and "gives the wrong" in verdict.message


# -- compute_gradients: any number of layers -------------------------------------

def test_compute_gradients_written_other_ways_passes():
    from course import layers

    def with_course_layers(caches, dlogits):
        grads, d = {}, dlogits
        for i in range(len(caches) - 1, -1, -1):
            d, grads["dW" + str(i)], grads["dB" + str(i)] = layers.dense_activation_backward(d, caches[i])
        return grads

    def by_activation_name(caches, dlogits):  # the mask only where the cache says "relu"
        grads, d = {}, dlogits
        for i, ((x, W), (name, z, _)) in reversed(list(enumerate(caches))):
            if name == "relu":
                d = np.where(z > 0, d, 0.0)
            grads[f"dW{i}"], grads[f"dB{i}"] = np.einsum("nd,nm->dm", x, d), np.ones(len(d)) @ d
            d = np.dot(d, W.T)
        return grads

    def recursive(caches, dlogits):  # layer i, then the layers below it with the mask of layer i - 1
        def sweep(i, d):
            (x, W), _ = caches[i]
            grads = {f"dW{i}": x.T @ d, f"dB{i}": d.sum(axis=0)}
            if i > 0:
                grads.update(sweep(i - 1, (d @ W.T) * (caches[i - 1][1][1] > 0)))
            return grads
        return sweep(len(caches) - 1, dlogits)

    for fn in (with_course_layers, by_activation_name, recursive):
        verdict = run(REGISTRY["compute_gradients"], fn)
        assert verdict.status == PASSED, (fn.__name__, verdict.message)


def test_compute_gradients_cases_cover_depths_batch_sizes_and_transposes():
    cases = REGISTRY["compute_gradients"].all_cases()
    depths = {len(caches) for caches, _ in cases}
    assert {1, 2} <= depths and max(depths) >= 3
    assert 1 in {dlogits.shape[0] for _, dlogits in cases}
    first, _ = cases[0]  # square weights first: a misplaced transpose gives numbers, and so gets named
    assert all(W.shape[0] == W.shape[1] for (_, W), _ in first)
    assert any(W.shape[0] != W.shape[1] for caches, _ in cases for (_, W), _ in caches)



# -- hints, and the faults of issue 12 -------------------------------------------

EXERCISES = ["dense_backward", "relu_backward", "backprop", "compute_gradients"]


def _from_hint(name):
    """The notebook's exercise function with its solution block replaced by hint 3 of `name` (the code level)."""
    from course import layers

    return spliced_from_hint(name, {"np": np, "course": __import__("course"), "dense_backward": layers.dense_backward,
                                    "relu_backward": REGISTRY["relu_backward"].reference})


@pytest.mark.parametrize("name", EXERCISES)
def test_three_hint_levels_and_the_code_level_passes_the_check(name):
    hints = REGISTRY[name].hints
    assert len(hints) == 3 and all(isinstance(h, str) and h.strip() for h in hints)
    assert "np." not in hints[0] and "@" not in hints[0]  # level 1 is an idea, not code
    verdict = run(REGISTRY[name], _from_hint(name))
    assert verdict.status == PASSED, verdict.message


def test_dense_backward_transposed_dW_is_not_accepted():
    def transposed(dout, cache):  # the example: dW = dout.T @ x
        x, W = cache
        return dout @ W.T, dout.T @ x, dout.sum(axis=0)
    verdict = run(REGISTRY["dense_backward"], transposed)
    assert verdict.status == WRONG and "dW" in verdict.message


def test_backprop_one_hot_from_the_largest_label_is_not_accepted():
    def one_hot_from_labels(X, y, weights, biases):  # np.eye(y.max() + 1): too narrow when the top class is absent
        (W0, W1), (b0, b1) = weights, biases
        z0 = X @ W0 + b0
        h = np.maximum(z0, 0)
        logits = h @ W1 + b1
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        d = (e / e.sum(axis=1, keepdims=True) - np.eye(y.max() + 1)[y]) / len(X)
        dz0 = (d @ W1.T) * (z0 > 0)
        return {"dW0": X.T @ dz0, "dB0": dz0.sum(axis=0), "dW1": h.T @ d, "dB1": d.sum(axis=0)}
    assert run(REGISTRY["backprop"], one_hot_from_labels).status != PASSED
    fixed = REGISTRY["backprop"].cases
    assert any(y.max() + 1 < weights[1].shape[1] for _, y, weights, _ in fixed)  # a batch without the top class


def test_relu_backward_wrong_only_at_the_kink_is_not_blamed_on_douts_sign_or_one_column():
    def half_slope_at_zero(dout, z):
        return dout * (z > 0) + 0.5 * dout * (z == 0)
    verdict = run(REGISTRY["relu_backward"], half_slope_at_zero)
    assert verdict.status == WRONG
    assert "positive inputs" not in verdict.message and "negative inputs" not in verdict.message
    assert "last column" not in verdict.message and "first column" not in verdict.message

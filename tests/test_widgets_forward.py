"""The forward-pass viewer: forward_frame (NumPy only) and ForwardViewer (headless, Agg).

The model is trained on 2000 MNIST images for 2 epochs (~0.1 s) and shared by the module.
"""
import subprocess
import sys

import numpy as np
import pytest

from course import MLP, fit
from course._validate import CourseInputError
from course.data import load_mnist
from course.widgets.forward import (
    NEGATIVE,
    POSITIVE,
    ForwardViewer,
    as_grid,
    forward_frame,
    grid_shape,
    most_active,
)

PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def mnist():
    (X, y), (Xt, yt) = load_mnist(n_train=2000, seed=0)
    model = MLP([784, 128, 64, 10], seed=0)
    fit(model, X, y, epochs=2, batch_size=64, progress=False)
    return model, Xt[:300], yt[:300]


# ---------------------------------------------------------------- forward_frame

def test_frame_probabilities_sum_to_one_and_equal_predict_proba(mnist):
    model, X, _ = mnist
    for i in (0, 1, 7):
        fr = forward_frame(model, X[i])
        assert fr["probs"].shape == (10,)
        assert fr["probs"].sum() == pytest.approx(1.0, abs=1e-6)
        np.testing.assert_allclose(fr["probs"], model.predict_proba(X[i:i + 1])[0], rtol=1e-6)
        assert fr["prediction"] == int(model.predict(X[i:i + 1])[0])
        assert fr["confidence"] == pytest.approx(fr["probs"].max())
        assert fr["text"] == f"predicted {fr['prediction']} with {100 * fr['confidence']:.1f} %"


def test_frame_activations_follow_the_forward_pass_layer_by_layer(mnist):
    model, X, _ = mnist
    x = X[3]
    fr = forward_frame(model, x.reshape(28, 28))  # an image is flattened
    a = x.astype(np.float64)
    np.testing.assert_array_equal(fr["activations"][0], x)
    for l, (W, b) in enumerate(zip(model.weights, model.biases)):
        z = a @ W + b
        if l < len(model.weights) - 1:
            a = np.maximum(z, 0)
            np.testing.assert_allclose(fr["activations"][l + 1], a, rtol=1e-4, atol=1e-5)
        else:
            np.testing.assert_allclose(fr["logits"], z, rtol=1e-4, atol=1e-4)
    assert [v.shape for v in fr["activations"]] == [(784,), (128,), (64,)]
    assert [m.shape for m in fr["hidden_maps"]] == [(8, 16), (8, 8)]
    np.testing.assert_array_equal(fr["hidden_maps"][0].ravel(), fr["activations"][1])


def test_frame_shows_the_most_active_nodes(mnist):
    model, X, _ = mnist
    fr = forward_frame(model, X[5], max_nodes=16)
    assert [len(s) for s in fr["shown"]] == [16, 16, 16, 10]
    np.testing.assert_array_equal(fr["shown"][-1], np.arange(10))  # narrow layers: all, in order
    for values, shown in zip(fr["node_values"][:3], fr["shown"][:3]):
        assert np.all(np.diff(shown) > 0)
        hidden = np.setdiff1d(np.arange(values.size), shown)
        assert np.abs(values[shown]).min() >= np.abs(values[hidden]).max()
    assert fr["node_xy"].shape == (58, 2) and fr["node_level"].shape == (58,)
    assert np.all(np.abs(fr["node_level"]) <= 1.0 + 1e-12)
    np.testing.assert_array_equal(most_active([0.1, -3.0, 2.0, 2.0, 0.0], 3), [1, 2, 3])


def test_frame_links_follow_the_weights(mnist):
    model, X, _ = mnist
    fr = forward_frame(model, X[2], max_nodes=8)
    m = 8 * 8 + 8 * 8 + 8 * 8  # 8 of the 10 outputs, too
    for key in ("link_layer", "link_src", "link_dst", "link_weight", "link_width"):
        assert fr[key].shape == (m,)
    assert fr["segments"].shape == (m, 2, 2) and fr["link_rgba"].shape == (m, 4)
    for l, s, d, w in zip(fr["link_layer"], fr["link_src"], fr["link_dst"], fr["link_weight"]):
        assert w == pytest.approx(float(model.weights[l][s, d]))
        assert s in fr["shown"][l] and d in fr["shown"][l + 1]
    pos, neg = fr["link_weight"] > 0, fr["link_weight"] < 0
    assert pos.any() and neg.any()
    np.testing.assert_array_equal(fr["link_rgba"][pos], np.tile(POSITIVE, (pos.sum(), 1)))
    np.testing.assert_array_equal(fr["link_rgba"][neg], np.tile(NEGATIVE, (neg.sum(), 1)))
    # wider for a larger |w| within a layer
    first = fr["link_layer"] == 0
    order = np.argsort(np.abs(fr["link_weight"][first]))
    assert np.all(np.diff(fr["link_width"][first][order]) >= -1e-12)
    # every segment runs from layer l (x = l) to layer l + 1
    np.testing.assert_array_equal(fr["segments"][:, 0, 0], fr["link_layer"])
    np.testing.assert_array_equal(fr["segments"][:, 1, 0], fr["link_layer"] + 1)


def test_grid_shape():
    assert grid_shape(128) == (8, 16) and grid_shape(64) == (8, 8) and grid_shape(10) == (2, 5)
    rows, cols = grid_shape(127)  # a prime is padded, not drawn as 1 x 127
    assert rows * cols >= 127 and rows > 1
    assert np.isnan(as_grid(np.arange(127.0))).sum() == rows * cols - 127


@pytest.mark.parametrize("x, match", [
    (np.zeros(783), r"x: expected one input of shape \(784,\) or \(28, 28\), got shape \(783,\)"),
    (np.zeros((2, 784)), r"x: expected one input of shape \(784,\) or \(28, 28\), got shape \(2, 784\)"),
    (np.zeros((1, 1, 784)), r"x: expected a 1-D or 2-D array, got shape \(1, 1, 784\)"),
    (np.full(784, np.nan), "x: expected finite numbers, got NaN"),
    ("seven", "x: expected a numeric array"),
])
def test_frame_bad_x(mnist, x, match):
    with pytest.raises(CourseInputError, match=match):
        forward_frame(mnist[0], x)


def test_frame_bad_model_and_diverged_weights(mnist):
    with pytest.raises(CourseInputError, match="model: expected a course.MLP, got dict"):
        forward_frame({"weights": []}, np.zeros(784))
    with pytest.raises(CourseInputError, match="max_nodes: expected an integer >= 2"):
        forward_frame(mnist[0], np.zeros(784), max_nodes=1)
    broken = MLP([784, 16, 10], seed=0)
    broken.params[:] = np.nan
    with pytest.raises(CourseInputError, match="model: expected finite outputs, got NaN or inf"):
        forward_frame(broken, np.zeros(784))


# ---------------------------------------------------------------- the viewer

@pytest.fixture
def viewer(mnist):
    model, X, y = mnist
    return ForwardViewer(model, X, y, mode="static")


def test_viewer_first_frame(viewer, mnist):
    _model, X, y = mnist
    assert viewer.last_error is None
    fr = viewer.frame
    assert viewer.text == f"digit {y[0]}, {fr['text']} (image 0)"
    np.testing.assert_array_equal(viewer.view.image.get_array(), X[0].reshape(28, 28))
    heights = [r.get_height() for r in viewer.view.prob_bars]
    np.testing.assert_allclose(heights, fr["probs"])
    assert viewer.view.true_marker.get_xdata()[0] == y[0]
    # the links are one LineCollection whose colours follow the weight signs
    colors = viewer.view.links.get_colors()
    assert len(colors) == len(fr["link_weight"])
    np.testing.assert_allclose(colors[fr["link_weight"] > 0], np.tile(POSITIVE, ((fr["link_weight"] > 0).sum(), 1)))
    np.testing.assert_allclose(viewer.view.links.get_linewidths(), fr["link_width"])


def test_slider_changes_the_image_bars_and_links(viewer, mnist):
    model, X, y = mnist
    image0 = np.array(viewer.view.image.get_array())
    heights0 = [r.get_height() for r in viewer.view.prob_bars]
    widths0 = np.array(viewer.view.links.get_linewidths())
    segments0 = [s.copy() for s in viewer.view.links.get_segments()]
    viewer.index.value = 1
    assert viewer.last_error is None
    assert not np.array_equal(viewer.view.image.get_array(), image0)
    np.testing.assert_array_equal(viewer.view.image.get_array(), X[1].reshape(28, 28))
    heights = [r.get_height() for r in viewer.view.prob_bars]
    assert heights != heights0
    np.testing.assert_allclose(heights, model.predict_proba(X[1:2])[0], rtol=1e-6)
    assert not np.array_equal(viewer.view.links.get_linewidths(), widths0)
    for a, b in zip(segments0, viewer.view.links.get_segments()):  # links are re-coloured, never moved
        np.testing.assert_array_equal(a, b)
    assert viewer.text.startswith(f"digit {y[1]}, predicted ")
    # the predicted bar is highlighted, green when right and red when wrong
    p = viewer.frame["prediction"]
    expected = "C2" if p == y[1] else "C3"
    from matplotlib.colors import to_rgba
    assert viewer.view.prob_bars[p].get_facecolor() == to_rgba(expected)


def test_random_button_and_style_toggle(viewer):
    viewer.random.click()
    first = viewer.index.value
    viewer.random.click()
    assert viewer.last_error is None and (first, viewer.index.value) != (0, 0)
    pos = viewer.view.ax_hidden[0].get_position(original=True).bounds
    viewer.style.value = "bars"
    assert viewer.last_error is None
    a = viewer.frame["activations"][1]
    # one filled step outline per layer, scaled by the layer's largest |activation| (in the title)
    bars = viewer.view.bars[0]
    np.testing.assert_allclose(bars.get_data().values, a / np.abs(a).max())
    np.testing.assert_array_equal(bars.get_data().edges, np.arange(a.size + 1) - 0.5)
    assert f"max {np.abs(a).max():.2f}" in viewer.view.hidden_titles[0].get_text()
    assert bars.get_visible() and not viewer.view.maps[0].get_visible()
    assert viewer.view.ax_hidden[0].get_ylim() == (0.0, 1.05)  # ReLU: activations >= 0
    viewer.style.value = "images"
    assert viewer.view.maps[0].get_visible() and not bars.get_visible()
    assert viewer.view.ax_hidden[0].get_position(original=True).bounds == pos  # no new layout


def test_same_seed_same_random_images(mnist):
    picks = []
    for _ in range(2):
        v = ForwardViewer(*mnist, seed=3, mode="static")
        v.random.click()
        picks.append(v.index.value)
    assert picks[0] == picks[1]


def test_snapshot_png_and_text(viewer, tmp_path):
    snap = viewer.snapshot(tmp_path / "forward.png")
    assert snap.png.startswith(PNG) and (tmp_path / "forward.png").read_bytes() == snap.png
    fr = viewer.frame
    assert snap.text.startswith(f"digit {viewer.y[0]}, predicted {fr['prediction']} with ")
    assert snap.text.endswith(" % (image 0)")


def test_viewer_without_labels(mnist):
    model, X, _ = mnist
    v = ForwardViewer(model, X[:5].reshape(5, 28, 28), mode="static")
    assert v.last_error is None and v.text.startswith("image 0: predicted ")
    assert len(v.view.true_marker.get_xdata()) == 0


def test_an_error_in_a_callback_is_shown_and_the_viewer_recovers(mnist):
    model, X, y = mnist
    copy = MLP(list(model.sizes), seed=0)
    copy.set_weights(*model.get_weights())
    v = ForwardViewer(copy, X, y, mode="static")
    saved = copy.params.copy()
    copy.params[:] = np.nan
    v.index.value = 4
    assert "model: expected finite outputs" in v.errors.value and v.errors.layout.display is None
    assert isinstance(v.last_error, CourseInputError)
    copy.params[:] = saved
    v.index.value = 5
    assert v.last_error is None and v.errors.value == "" and v.errors.layout.display == "none"


@pytest.mark.parametrize("kwargs, match", [
    ({"model": MLP([784, 32, 5], seed=0)}, r"model: expected sizes like 784-\?-10 .*got sizes \(784, 32, 5\)"),
    ({"model": MLP([784, 10], seed=0)}, r"model: expected sizes like 784-\?-10 \(at least one hidden layer\)"),
    ({"model": MLP([100, 32, 10], seed=0)}, r"got sizes \(100, 32, 10\)"),
    ({"model": "mlp.npz"}, "model: expected a course.MLP, got str"),
    ({"X": np.zeros((4, 100))}, r"X: expected images of shape \(n, 784\) or \(n, 28, 28\) with n >= 1, got shape \(4, 100\)"),
    ({"X": np.zeros((4, 784)), "y": [1, 2]}, "y: expected 4 labels"),
    ({"X": np.zeros((4, 784)), "y": [1, 2, 3, 10]}, "y: "),
    ({"max_nodes": 9}, r"max_nodes: expected an integer >= 10"),
    ({"index": 10}, r"index: expected an integer from 0 to 3 \(one of the 4 images\), got int 10"),
    ({"index": -1}, "index: expected an integer from 0 to 3"),
    ({"index": 1.0}, "index: expected an integer from 0 to 3 .*got float 1.0"),
])
def test_viewer_bad_input(mnist, kwargs, match):
    model, X, y = mnist
    args = {"model": model, "X": X[:4], "y": y[:4]}
    args.update(kwargs)
    with pytest.raises(CourseInputError, match=match):
        ForwardViewer(**args, mode="static")


def test_show_checks_the_index(viewer):
    with pytest.raises(CourseInputError, match=r"index: expected an integer from 0 to 299 .*got int 300"):
        viewer.show(300)
    viewer.show(12)
    assert viewer.index.value == 12 and viewer.text.endswith("(image 12)")


def test_node_colours_follow_the_activations(viewer):
    viewer.index.value = 9
    np.testing.assert_allclose(viewer.view.nodes.get_array(), viewer.frame["node_level"])
    side = 28
    shown = viewer.frame["shown"][0]  # the input pixels drawn in the diagram are ringed on the digit
    np.testing.assert_array_equal(viewer.view.pixels.get_offsets(), np.column_stack([shown % side, shown // side]))


def test_frame_module_imports_without_matplotlib_or_ipywidgets():
    code = ("import sys, numpy as np; from course import MLP; from course.widgets.forward import forward_frame; "
            "fr = forward_frame(MLP([784, 32, 16, 10], seed=0), np.zeros(784)); "
            "print(any(m.split('.')[0] in ('matplotlib', 'ipywidgets') for m in sys.modules), fr['probs'].size)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "10"]


def test_default_viewer_trains_a_model_once_and_shows_the_test_set():
    from course.widgets import forward

    v = ForwardViewer(mode="static")  # ~1-2 s: loads MNIST and trains one epoch
    assert v.model.sizes == (784, 128, 64, 10) and v.X.shape == (10000, 784)
    assert v.last_error is None and v.text.startswith("digit 7, predicted 7 with ")
    assert forward.default_model() is v.model  # trained once per session
    assert v.model.accuracy(v.X[:2000], v.y[:2000]) > 0.9
    with pytest.raises(CourseInputError, match="y: expected None when X is None"):
        ForwardViewer(y=v.y, mode="static")

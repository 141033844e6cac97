"""The interactive explorers: frame functions (numbers), controllers (widgets -> artists), snapshots.

Headless: every explorer is made with mode="static" (an Agg canvas, no kernel). The widgets
never touch pyplot, so the backend in MPLBACKEND does not matter.
"""
import base64
import subprocess
import sys

import numpy as np
import pytest

from course import activations as act
from course._validate import CourseInputError
from course.data import toy_data
from course.widgets import (
    ActivationExplorer,
    DescentViewer,
    NeuronExplorer,
    StepExplorer,
    Throttle,
    activation_frame,
    descent_paths,
    make_figure,
    neuron_frame,
    snapshot,
    step_frame,
)
from course.widgets.descent import SURFACES, reference_paths, surface_frame

PNG = b"\x89PNG"
GRADS = {"sigmoid": act.sigmoid_grad, "relu": act.relu_grad, "tanh": act.tanh_grad,
         "leaky_relu": lambda x: act.leaky_relu_grad(x, 0.1)}
FUNCS = {"sigmoid": act.sigmoid, "relu": act.relu, "tanh": act.tanh, "leaky_relu": lambda x: act.leaky_relu(x, 0.1)}


# ---------------------------------------------------------------- frame functions

@pytest.mark.parametrize("name", list(GRADS))
@pytest.mark.parametrize("x", [-2.5, -0.3, 0.7, 3.0])
def test_activation_frame_value_slope_and_tangent(name, x):
    fr = activation_frame(name, x, (-4, 4), n=81)
    assert fr["fx"] == pytest.approx(float(FUNCS[name](np.array(x))))
    assert fr["slope"] == pytest.approx(float(GRADS[name](np.array(x))))
    np.testing.assert_allclose(fr["f"], FUNCS[name](fr["xs"]))
    np.testing.assert_allclose(fr["df"], GRADS[name](fr["xs"]))
    (t0, t1), (y0, y1) = fr["tangent_x"], fr["tangent_y"]
    assert (y1 - y0) / (t1 - t0) == pytest.approx(fr["slope"])  # the tangent has slope f'(x) ...
    assert y0 + fr["slope"] * (x - t0) == pytest.approx(fr["fx"])  # ... and passes through (x, f(x))
    assert fr["xs"].shape == (81,) and f"{fr['fx']:.3f}" in fr["text"] and f"{fr['slope']:.3f}" in fr["text"]


@pytest.mark.parametrize("kwargs, match", [
    (dict(name="softplus"), "name: expected one of"),
    (dict(x_range=(2, 2)), r"x_range: expected lo < hi, got \(2, 2\)"),
    (dict(x_range=(0, 1, 2)), "x_range: expected two numbers"),
    (dict(x=float("nan")), "x: expected a finite number"),
    (dict(n=1), "n: expected an integer >= 2"),
])
def test_activation_frame_bad_input(kwargs, match):
    with pytest.raises(CourseInputError, match=match):
        activation_frame(**kwargs)


@pytest.mark.parametrize("w1, w2, b", [(1.0, -1.0, 0.3), (0.2, 3.0, -1.0), (4.0, 0.0, 1.0), (0.0, -2.0, 0.5)])
def test_neuron_frame_boundary_lies_on_the_line(w1, w2, b):
    X, y = toy_data("moons", n=60)
    fr = neuron_frame(w1, w2, b, X, y, resolution=30)
    seg = fr["boundary"]
    assert seg.shape == (2, 2)
    np.testing.assert_allclose(seg @ np.array([w1, w2]) + b, 0.0, atol=1e-12)
    assert not np.allclose(seg[0], seg[1])


def test_neuron_frame_heat_map_and_accuracy():
    X, y = toy_data("blobs", n=80)
    w1, w2, b = 1.5, -0.5, 0.2
    fr = neuron_frame(w1, w2, b, X, y, extent=(-2, 2, -1, 1), resolution=5)
    assert fr["z"].shape == (5, 5)
    # row i is y = linspace(-1, 1)[i], column j is x = linspace(-2, 2)[j] (imshow origin="lower")
    assert fr["z"][4, 0] == pytest.approx(float(act.sigmoid(np.array(w1 * -2 + w2 * 1 + b))))
    expected = np.mean(((X[:, 0] * w1 + X[:, 1] * w2 + b) >= 0).astype(int) == y)
    assert fr["accuracy"] == pytest.approx(expected)
    assert f"{expected:.1%}" in fr["text"]


def test_neuron_frame_without_weights_has_no_boundary():
    X, y = toy_data("xor", n=40)
    fr = neuron_frame(0, 0, 1.0, X, y, resolution=4)
    assert fr["boundary"] is None and np.allclose(fr["z"], act.sigmoid(np.array(1.0)))
    assert "no boundary" in fr["text"]


def test_neuron_frame_bad_input():
    X, y = toy_data("xor", n=40)
    with pytest.raises(CourseInputError, match=r"X: expected 2 columns"):
        neuron_frame(1, 1, 0, np.zeros((40, 3)), y)
    with pytest.raises(CourseInputError, match="y: expected 40 labels"):
        neuron_frame(1, 1, 0, X, y[:10])
    with pytest.raises(CourseInputError, match="w1: expected a finite number"):
        neuron_frame("1", 1, 0, X, y)


@pytest.mark.parametrize("w, b", [(50.0, 10.0), (200.0, -60.0), (-80.0, 40.0)])
def test_step_frame_step_position(w, b):
    fr = step_frame(w, b, (-3, 3))
    assert fr["step"] == pytest.approx(-b / w)
    s = fr["step"]
    # a large w makes it a step: ~0 on one side of -b/w, ~1 on the other
    left, right = act.sigmoid(np.array(w * (s - 0.2) + b)), act.sigmoid(np.array(w * (s + 0.2) + b))
    assert {round(float(left)), round(float(right))} == {0, 1}
    assert f"{-b / w:.3f}" in fr["text"]


def test_step_frame_w_zero_and_bad_input():
    assert step_frame(0.0, 1.0)["step"] is None
    with pytest.raises(CourseInputError, match="x_range: expected lo < hi"):
        step_frame(1.0, 0.0, (1, -1))


def _loss(surface, path):
    return SURFACES[surface].f(path[:, 0], path[:, 1])


def test_descent_paths_shapes_and_sgd_decreases_the_loss():
    paths = descent_paths("quadratic", (-4.0, 2.0), lr=0.02, momentum=0.9, steps=40)
    assert set(paths) == {"SGD", "Momentum", "Adam"}
    for path in paths.values():
        assert path.shape == (41, 2)
        np.testing.assert_array_equal(path[0], [-4.0, 2.0])
    loss = _loss("quadratic", paths["SGD"])
    assert np.all(np.diff(loss) < 0)
    assert not np.allclose(paths["Momentum"], paths["SGD"])


def test_descent_paths_match_a_hand_computation_for_two_steps():
    lr, mu = 0.01, 0.8
    grad = SURFACES["rosenbrock"].grad
    p0 = np.array([-1.2, 1.0])
    paths = descent_paths("rosenbrock", p0, lr=lr, momentum=mu, steps=2)
    # SGD: p <- p - lr g(p)
    p1 = p0 - lr * grad(p0)
    np.testing.assert_allclose(paths["SGD"], [p0, p1, p1 - lr * grad(p1)])
    # Momentum (torch): v1 = g0; v2 = mu v1 + g1; p <- p - lr v
    v1 = grad(p0)
    q1 = p0 - lr * v1
    np.testing.assert_allclose(paths["Momentum"], [p0, q1, q1 - lr * (mu * v1 + grad(q1))])
    # Adam with bias correction, betas (0.9, 0.999), eps 1e-8
    m = v = np.zeros(2)
    r = [p0]
    for t in (1, 2):
        g = grad(r[-1])
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
        r.append(r[-1] - lr * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8))
    np.testing.assert_allclose(paths["Adam"], r)


@pytest.mark.parametrize("surface, start", [("quadratic", (-4.5, 2.0)), ("quadratic", (3.0, -2.5)),
                                            ("rosenbrock", (-1.2, 1.0)), ("rosenbrock", (1.5, -0.5))])
@pytest.mark.parametrize("lr", [1e-4, 1e-3, 0.02, 0.09, 1.0])
@pytest.mark.parametrize("momentum", [0.0, 0.5, 0.9, 0.99])
def test_descent_paths_equal_course_optim_bit_for_bit(surface, start, lr, momentum):
    # descent_paths writes the updates out on floats; reference_paths calls course.optim's
    # SGD, Momentum and Adam. Same operations in the same order: identical, also where a
    # path diverges (lr = 1 on these surfaces).
    fast = descent_paths(surface, start, lr, momentum, 400)
    slow = reference_paths(surface, start, lr, momentum, 400)
    assert set(fast) == set(slow) == {"SGD", "Momentum", "Adam"}
    for name in fast:
        np.testing.assert_array_equal(fast[name], slow[name], err_msg=name)


def test_descent_paths_of_n_steps_are_the_start_of_longer_ones():
    long = descent_paths("rosenbrock", (-1.2, 1.0), 2e-3, 0.9, 1000)
    short = descent_paths("rosenbrock", (-1.2, 1.0), 2e-3, 0.9, 137)
    for name in long:
        np.testing.assert_array_equal(long[name][:138], short[name])


def test_descent_paths_divergence_is_nan_not_a_warning():
    with np.errstate(all="raise"):
        paths = descent_paths("quadratic", (-4.0, 2.0), lr=0.5, momentum=0.0, steps=200)
    sgd = paths["SGD"]
    assert np.isnan(sgd[-1]).all() and np.isfinite(sgd[:5]).all()


@pytest.mark.parametrize("kwargs, match", [
    (dict(surface="beale"), "surface: expected one of"),
    (dict(start=(1, 2, 3)), r"start: expected 2 numbers"),
    (dict(lr=0), "lr: expected a finite number > 0"),
    (dict(momentum=1.0), r"momentum: expected a number in \[0, 1\)"),
    (dict(steps=0), "steps: expected an integer >= 1"),
    (dict(steps=10**6), "steps: expected at most"),
])
def test_descent_paths_bad_input(kwargs, match):
    args = dict(surface="quadratic", start=(1.0, 1.0), lr=0.1, momentum=0.5, steps=3) | kwargs
    with pytest.raises(CourseInputError, match=match):
        descent_paths(**args)


def test_surface_frame_grid():
    sf = surface_frame("rosenbrock", resolution=20)
    assert sf["Z"].shape == (20, 20) and np.all(np.diff(sf["levels"]) > 0)
    assert sf["Z"][0, 0] == pytest.approx(SURFACES["rosenbrock"].f(-2.0, -1.0))


def test_frame_modules_import_without_matplotlib_or_ipywidgets():
    code = ("import sys, course.widgets.descent, course.widgets.neuron, course.widgets.activation; "
            "print(any(m.split('.')[0] in ('matplotlib', 'ipywidgets') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# ---------------------------------------------------------------- controllers

def test_activation_explorer_x_slider_moves_marker_tangent_and_label():
    ex = ActivationExplorer("tanh", x=0.0, mode="static")
    tangent_before = ex.view.tangent.get_ydata().copy()
    ex.x.value = 1.0
    assert ex.view.f_marker.get_xdata()[0] == 1.0
    assert ex.view.f_marker.get_ydata()[0] == pytest.approx(np.tanh(1.0))
    assert not np.allclose(ex.view.tangent.get_ydata(), tangent_before)
    assert "f(1.00) = 0.762" in ex.status.value and "f'(1.00) = 0.420" in ex.status.value


def test_activation_explorer_dropdown_and_range():
    ex = ActivationExplorer(mode="static")
    f_before = ex.view.f_line.get_ydata().copy()
    ex.activation.value = "relu"
    assert not np.allclose(ex.view.f_line.get_ydata(), f_before)
    assert ex.text.startswith("ReLU")
    ex.x_range.value = (2.0, 6.0)
    assert (ex.x.min, ex.x.max) == (2.0, 6.0) and ex.x.value == 2.0  # the x slider follows the range
    assert ex.view.f_line.get_xdata()[0] == 2.0 and ex.view.ax.get_xlim() == (2.0, 6.0)


def test_a_failing_callback_shows_its_message_and_recovers():
    ex = ActivationExplorer(mode="static")
    ex.x_range.value = (1.0, 1.0)  # an empty range: the frame function refuses it
    assert "x_range: expected lo &lt; hi, got (1, 1)." in ex.errors.value
    assert ex.errors.layout.display != "none" and isinstance(ex.last_error, CourseInputError)
    ex.x_range.value = (-1.0, 1.0)
    assert ex.errors.value == "" and ex.errors.layout.display == "none" and ex.last_error is None


def test_an_unexpected_error_in_a_callback_is_shown_with_its_type(monkeypatch):
    ex = StepExplorer(mode="static")

    def boom(fr):
        raise RuntimeError("the view broke")

    monkeypatch.setattr(ex.view, "show", boom)
    ex.w.value = 20.0
    assert "RuntimeError: the view broke" in ex.errors.value
    assert ex.snapshot().text == "RuntimeError: the view broke"


def test_neuron_explorer_sliders_move_heat_map_boundary_and_accuracy():
    ex = NeuronExplorer("moons", w1=1.0, w2=-1.0, b=0.0, mode="static")
    z_before = np.array(ex.view.image.get_array())
    line_before = ex.view.boundary.get_ydata().copy()
    ex.w1.value = 3.0
    ex.b.value = 1.0
    assert not np.allclose(ex.view.image.get_array(), z_before)
    x, y = ex.view.boundary.get_data()
    assert not np.allclose(y, line_before)
    np.testing.assert_allclose(3.0 * np.asarray(x) - 1.0 * np.asarray(y) + 1.0, 0.0, atol=1e-12)
    acc = np.mean((ex.X @ [3.0, -1.0] + 1.0 >= 0) == ex.y)
    assert f"accuracy {acc:.1%}" in ex.status.value


def test_neuron_explorer_dataset_dropdown_swaps_the_points():
    ex = NeuronExplorer("moons", mode="static")
    before = ex.view.points.get_offsets().copy()
    ex.dataset.value = "circles"
    assert not np.allclose(ex.view.points.get_offsets(), before)
    assert ex.text.startswith("circles:")
    np.testing.assert_allclose(ex.view.image.get_extent(), ex.extent)


def test_step_explorer_marks_the_step():
    ex = StepExplorer(w=50.0, b=10.0, mode="static")
    ex.b.value = -25.0
    assert ex.view.step_line.get_xdata()[0] == pytest.approx(0.5)
    assert ex.view.curve.get_ydata()[-1] == pytest.approx(act.sigmoid(np.array(50.0 * 3 - 25.0)))
    ex.w.value = 0.0
    assert not ex.view.step_line.get_visible() and "no step" in ex.text


def test_descent_viewer_sliders_redraw_the_paths():
    ex = DescentViewer(mode="static")
    sgd_before = ex.view.lines["SGD"].get_ydata().copy()
    mom_before = ex.view.lines["Momentum"].get_ydata().copy()
    ex.lr.value = 0.05
    assert not np.allclose(ex.view.lines["SGD"].get_ydata(), sgd_before, equal_nan=True)
    ex.momentum.value = 0.5
    assert not np.allclose(ex.view.lines["Momentum"].get_ydata(), mom_before, equal_nan=True)
    np.testing.assert_allclose(ex.view.lines["SGD"].get_xdata(),
                               descent_paths("quadratic", (-4.5, 2.0), 0.05, 0.5, 50)["SGD"][:, 0])
    assert "loss after 50 steps" in ex.status.value


def test_descent_viewer_steps_slider_cuts_the_cached_paths():
    ex = DescentViewer(mode="static")
    computed = ex._computed
    assert len(computed[1]["SGD"]) == ex.steps.max + 1  # computed once for the longest path
    ex.steps.value = 321
    assert ex._computed is computed  # no new computation, only a shorter cut
    expected = descent_paths("quadratic", (-4.5, 2.0), ex.lr.value, ex.momentum.value, 321)
    for name, path in ex.paths.items():
        np.testing.assert_array_equal(path, expected[name])
        np.testing.assert_array_equal(ex.view.lines[name].get_xdata(), expected[name][:, 0])
    assert "loss after 321 steps" in ex.text
    ex.momentum.value = 0.5  # a new setting: computed again
    assert ex._computed is not computed
    np.testing.assert_array_equal(ex.paths["Momentum"],
                                  descent_paths("quadratic", (-4.5, 2.0), ex.lr.value, 0.5, 321)["Momentum"])


def test_descent_viewer_surface_switch_and_click():
    ex = DescentViewer(mode="static")
    ex.surface.value = "rosenbrock"
    assert (ex.x0.value, ex.y0.value) == (-1.2, 1.0) and ex.lr.value == pytest.approx(1e-3)
    assert ex.view.ax.get_xlim() == (-2.0, 2.0) and ex.paths["SGD"].shape == (301, 2)

    class Click:
        inaxes, xdata, ydata = ex.view.ax, 0.5, -0.5

    ex.on_click(Click)
    np.testing.assert_allclose(ex.view.start.get_data(), [[0.5], [-0.5]])
    np.testing.assert_allclose(ex.paths["Adam"][0], [0.5, -0.5])


def test_diverging_paths_are_reported_not_raised():
    ex = DescentViewer(mode="static")
    ex.lr.value = 0.5
    assert "SGD diverged at step" in ex.text and ex.last_error is None


@pytest.mark.parametrize("make, match", [
    (lambda: ActivationExplorer(x=99, mode="static"), r"x: expected a value in x_range \[-5, 5\], got 99"),
    (lambda: ActivationExplorer(mode="browser"), "mode: expected one of"),
    (lambda: NeuronExplorer("nope", mode="static"), "dataset: expected one of"),
    (lambda: NeuronExplorer(noise=-1, mode="static"), "noise: expected a finite number >= 0"),
    (lambda: StepExplorer(x_range=(3, -3), mode="static"), "x_range: expected lo < hi"),
    (lambda: DescentViewer(momentum=1.0, mode="static"), r"momentum: expected a number in \[0, 1\)"),
    (lambda: DescentViewer(start=(0, 0, 0), mode="static"), "start: expected 2 numbers"),
])
def test_constructors_check_their_arguments(make, match):
    with pytest.raises(CourseInputError, match=match):
        make()


# ---------------------------------------------------------------- snapshots, display, base

@pytest.mark.parametrize("cls", [ActivationExplorer, NeuronExplorer, StepExplorer, DescentViewer])
def test_snapshot_png_and_text(cls, tmp_path):
    ex = cls(mode="static")
    png, text = ex.snapshot(tmp_path / "shot.png")
    assert png.startswith(PNG) and (tmp_path / "shot.png").read_bytes() == png
    assert text == ex.text and "\n" not in text and text
    assert ex._repr_png_().startswith(PNG)
    bundle = ex._repr_mimebundle_()
    assert bundle["text/plain"] == ex.text
    assert base64.b64decode(bundle["image/png"]).startswith(PNG)


def test_snapshot_of_a_bare_figure_and_bad_input():
    area = make_figure(mode="static")
    assert snapshot(area.figure).png.startswith(PNG)
    with pytest.raises(CourseInputError, match="widget: expected an explorer or a matplotlib Figure"):
        snapshot("figure")


def test_make_figure_ipympl_canvas_is_a_widget():
    pytest.importorskip("ipympl")
    import ipywidgets

    area = make_figure((4, 3), ncols=2, mode="ipympl")
    assert isinstance(area.widget, ipywidgets.DOMWidget) and area.figure.canvas is area.widget
    assert len(area.axes) == 2
    area.axes[0].plot([0, 1])
    area.redraw()  # draw_idle on the ipympl canvas, no kernel needed
    assert area.png().startswith(PNG)


def test_make_figure_bad_figsize():
    with pytest.raises(CourseInputError, match=r"figsize: expected \(width, height\)"):
        make_figure((0, 3), mode="static")


def test_throttle_defers_to_the_end_of_the_interval_and_runs_the_last_request():
    now, calls, scheduled = [0.0], [], []
    th = Throttle(lambda: calls.append(now[0]), max_per_second=10, clock=lambda: now[0],
                  schedule=lambda delay, cb: scheduled.append((delay, cb)) or True)
    th()                       # t = 0: runs at once
    now[0] = 0.02
    th()                       # too soon: deferred by 0.08 s
    th()                       # already pending: nothing more
    assert calls == [0.0] and len(scheduled) == 1 and scheduled[0][0] == pytest.approx(0.08)
    now[0] = 0.1
    scheduled[0][1]()          # the event loop fires it
    assert calls == [0.0, 0.1] and not th.pending


def test_throttle_without_an_event_loop_runs_every_request():
    calls = []
    th = Throttle(lambda: calls.append(1), clock=lambda: 0.0)  # default schedule: asyncio, none running
    th()
    th()
    assert calls == [1, 1]


def test_output_fallback_shows_the_figure_as_a_png():
    ex = StepExplorer(mode="output")  # what a kernel without ipympl gets
    ex.b.value = -10.0
    (out,) = ex.area.widget.outputs
    assert base64.b64decode(out["data"]["image/png"]).startswith(PNG)


def test_layout_is_computed_once_then_frozen():
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    ex = NeuronExplorer(mode="static")
    assert not isinstance(ex.figure.get_layout_engine(), ConstrainedLayoutEngine)  # not re-run per draw
    pos = ex.view.ax.get_position().bounds
    ex.w1.value = 5.0
    assert ex.view.ax.get_position().bounds == pos
    ex.dataset.value = "spirals"  # new data, new extent: laid out again, still not per draw
    assert ex.text.startswith("spirals:")

"""The playground widget: controls -> engine -> artists, the asyncio training task, state, errors.

Headless: mode="static" (an Agg canvas, no kernel). The training task runs on a loop made
by asyncio.run, standing in for the kernel's loop; no pytest plugin is needed.
"""
import asyncio
import json

import numpy as np
import pytest

from course._validate import CourseInputError
from course.playground import Playground
from course.widgets.playground import (
    PlaygroundWidget,
    parse_layers,
    playground_frame,
    thumbnail_layout,
)

PNG = b"\x89PNG"


def make(**kwargs):
    kwargs.setdefault("mode", "static")
    kwargs.setdefault("n", 200)
    return PlaygroundWidget(**kwargs)


# ---------------------------------------------------------------- frame functions

@pytest.mark.parametrize("spec, expected", [
    ("4, 2", (4, 2)), ("4,4", (4, 4)), (" 8 ", (8,)), ("", ()), ("0", ()), ("[3, 3]", (3, 3)),
    ("1 2 3", (1, 2, 3)), ([2, 5], (2, 5)), ((), ()),
])
def test_parse_layers(spec, expected):
    assert parse_layers(spec) == expected


@pytest.mark.parametrize("spec, match", [
    ("4, x", "whole numbers"), ("4, 9", "1 to 8 neurons in layer 2"), ("0, 2", "1 to 8 neurons in layer 1"),
    ("1,1,1,1,1,1,1", "at most 6 hidden layers"), ("2.5", "whole numbers"), (4.0, "neurons per hidden layer"),
])
def test_parse_layers_bad(spec, match):
    with pytest.raises(CourseInputError, match=match):
        parse_layers(spec)


def test_playground_frame_shapes_and_text():
    pg = Playground("xor", hidden=[3, 2], n=100)
    pg.step(2)
    fr = playground_frame(pg, resolution=20, thumb_step=2)
    assert fr["grid"].shape == (20, 20)
    assert [len(layer) for layer in fr["neurons"]] == [3, 2]
    assert all(g.shape == (10, 10) for layer in fr["neurons"] for g in layer)
    np.testing.assert_array_equal(fr["epochs"], [0, 1, 2])
    assert fr["epoch"] == 2 and f"{pg.test_loss:.3f}" in fr["text"]


def test_thumbnail_layout_fits_the_box():
    box = (0.01, 0.06, 0.30, 0.86)
    rects = thumbnail_layout((8, 8, 8, 8, 8, 8), box, fig_aspect=2.0)
    assert [len(c) for c in rects] == [8] * 6
    for column in rects:
        for x, y, w, h in column:
            assert box[0] <= x and x + w <= box[0] + box[2] + 1e-9
            assert box[1] <= y and y + h <= box[1] + box[3] + 1e-9
            assert w * 2.0 == pytest.approx(h)  # square in inches
    assert thumbnail_layout(()) == []


# ---------------------------------------------------------------- the controller

def test_step_button_advances_epoch_losses_and_heat_map():
    pw = make(dataset="xor", hidden="4, 4")
    pw.dataset.value = "circle"
    pw.noise.value = 0.1
    pw.batch_size.value = 5
    pw.feature_boxes["x1^2"].value = True
    pw.learning_rate.value = 0.1
    assert pw.pg.epoch == 0 and pw.pg.features == ("x1", "x2", "x1^2") and pw.pg.batch_size == 5
    before = (pw.epoch_label.value, pw.train_label.value, pw.test_label.value,
              np.array(pw.view.image.get_array()).copy())
    pw.step_button.click()
    assert pw.pg.epoch == pw.epochs_per_frame == 5
    assert "epoch 5" in pw.epoch_label.value and "epoch 5" in pw.text
    assert pw.train_label.value != before[1] and pw.test_label.value != before[2]
    assert f"{pw.pg.train_loss:.3f}" in pw.train_label.value
    assert not np.array_equal(np.array(pw.view.image.get_array()), before[3])
    np.testing.assert_allclose(pw.view.image.get_array(), pw.pg.decision_grid(pw.resolution))
    assert len(pw.view.train_curve.get_xdata()) == 6  # epochs 0..5
    assert pw.last_error is None


def test_learning_rate_keeps_weights_architecture_rebuilds_thumbnails():
    pw = make(hidden="4, 2")
    pw.step()
    weights = [W.copy() for W in pw.pg.weights]
    thumbs = list(pw.view.thumb_axes)
    assert len(thumbs) == 6
    pw.learning_rate.value = 0.3
    pw.regularization.value = "L2"
    pw.reg_rate.value = 0.001
    assert pw.pg.learning_rate == 0.3 and pw.pg.regularization == "L2" and pw.pg.epoch == 5
    for a, b in zip(weights, pw.pg.weights):
        np.testing.assert_array_equal(a, b)
    assert pw.view.thumb_axes == thumbs  # nothing rebuilt
    pw.activation.value = "relu"  # same architecture: new weights, same thumbnail axes
    assert pw.pg.epoch == 0 and pw.view.thumb_axes == thumbs
    pw.layers.value = "3, 3, 3"
    assert pw.pg.hidden == (3, 3, 3) and pw.pg.epoch == 0
    assert len(pw.view.thumb_axes) == 9 and not set(pw.view.thumb_axes) & set(thumbs)
    assert all(ax.figure is None for ax in thumbs)  # the old axes were removed from the figure
    assert len(pw.figure.axes) == 2 + 9
    pw.layers.value = ""  # no hidden layer: no thumbnails
    assert pw.pg.hidden == () and pw.view.thumb_axes == []


def test_invalid_layer_spec_shows_in_the_error_area_and_keeps_the_network():
    pw = make(hidden="4, 2")
    pw.step()
    pw.layers.value = "4, 12"
    assert isinstance(pw.last_error, CourseInputError)
    assert "1 to 8 neurons in layer 2" in pw.errors.value and pw.errors.layout.display is None
    assert pw.pg.hidden == (4, 2) and pw.pg.epoch == 5  # unchanged
    pw.layers.value = "4, 3"  # a good value clears the message
    assert pw.last_error is None and pw.errors.value == "" and pw.errors.layout.display == "none"


def test_unticking_every_feature_is_an_error():
    pw = make()
    pw.feature_boxes["x1"].value = False
    assert pw.pg.features == ("x2",) and pw.last_error is None
    pw.feature_boxes["x2"].value = False
    assert "at least one ticked input feature" in pw.errors.value
    assert pw.pg.features == ("x2",)


def test_reset_restarts_at_epoch_zero():
    pw = make()
    pw.step()
    pw.reset_button.click()
    assert pw.pg.epoch == 0 and "epoch 0" in pw.epoch_label.value


def test_data_controls_regenerate_points():
    pw = make(dataset="circle")
    pw.train_ratio.value = 80
    assert len(pw.pg.X_train) == 160 and len(pw.view.train_points.get_offsets()) == 160
    assert len(pw.view.test_points.get_offsets()) == 40


def test_play_trains_in_the_background_and_pause_stops_it():
    pw = make(hidden="4", max_fps=50)

    async def scenario():
        task = pw.play()
        assert pw.play_button.value is True and pw.playing
        await asyncio.sleep(0.4)  # the loop runs frames while we wait, as a kernel would
        assert pw.pg.epoch > 0 and pw.frames > 0
        pw.pause()
        assert pw.play_button.value is False and not pw.playing
        stopped_at = pw.pg.epoch
        await asyncio.sleep(0.2)
        assert task.cancelled() or task.done()
        return stopped_at

    stopped_at = asyncio.run(scenario())
    assert stopped_at % pw.epochs_per_frame == 0 and stopped_at >= 2 * pw.epochs_per_frame
    assert pw.pg.epoch == stopped_at  # nothing after pause()
    assert f"epoch {stopped_at}" in pw.epoch_label.value


def test_play_button_toggles_training():
    pw = make(hidden="2", max_fps=50)

    async def scenario():
        pw.play_button.value = True
        await asyncio.sleep(0.2)
        assert pw.playing
        pw.play_button.value = False
        assert not pw.playing
        epoch = pw.pg.epoch
        await asyncio.sleep(0.1)
        return epoch

    epoch = asyncio.run(scenario())
    assert epoch > 0 and pw.pg.epoch == epoch


def test_play_without_an_event_loop_says_so():
    pw = make()
    with pytest.raises(CourseInputError, match="running event loop"):
        pw.play()
    assert pw.play_button.value is False
    pw.play_button.value = True  # the button shows the message instead of raising
    assert "running event loop" in pw.errors.value and pw.play_button.value is False


def test_error_inside_the_training_task_is_shown_and_stops_it():
    pw = make(max_fps=50)

    def broken(epochs=1):
        raise RuntimeError("boom in training")

    pw.pg.step = broken

    async def scenario():
        pw.play()
        await asyncio.sleep(0.1)

    asyncio.run(scenario())
    assert "RuntimeError: boom in training" in pw.errors.value
    assert not pw.playing and pw.play_button.value is False


def test_state_round_trip_through_json_reproduces_the_next_step():
    pw = make(dataset="spiral", hidden="5, 3", activation="relu", noise=0.1, batch_size=7,
              regularization="L1", reg_rate=0.001, learning_rate=0.03, seed=3)
    pw.feature_boxes["sin(x1)"].value = True
    pw.step()
    text = pw.get_state(as_json=True)
    assert isinstance(text, str) and json.loads(text) == pw.get_state()

    other = make(dataset="xor", hidden="2")
    other.set_state(text)
    assert other.layers.value == "5, 3" and other.activation.value == "relu"
    assert other.dataset.value == "spiral" and other.feature_boxes["sin(x1)"].value
    assert other.batch_size.value == 7 and other.regularization.value == "L1"
    assert len(other.view.thumb_axes) == 8 and other.pg.epoch == 5
    pw.step()
    other.step()
    assert other.pg.epoch == pw.pg.epoch == 10
    for a, b in zip(pw.pg.weights, other.pg.weights):
        np.testing.assert_array_equal(a, b)
    assert other.text == pw.text
    other.set_state(json.loads(text))  # a dict works too
    assert other.pg.epoch == 5


def test_set_state_bad_input():
    pw = make()
    with pytest.raises(CourseInputError, match="unreadable text"):
        pw.set_state("{not json")
    with pytest.raises(CourseInputError, match="expected a dict"):
        pw.set_state(3)


def test_snapshot_png_and_one_line():
    pw = make()
    pw.step()
    snap = pw.snapshot()
    assert snap.png.startswith(PNG) and "epoch 5" in snap.text and "test loss" in snap.text
    assert "\n" not in snap.text


def test_bad_constructor_arguments_raise_at_once():
    with pytest.raises(CourseInputError, match="dataset"):
        make(dataset="ring")
    with pytest.raises(CourseInputError, match="layers"):
        make(hidden="9")
    with pytest.raises(CourseInputError, match="epochs_per_frame"):
        make(epochs_per_frame=0)


def test_set_state_restores_ui_settings_and_accepts_an_engine_state():
    pw = make(epochs_per_frame=3, resolution=30)
    pw.step()
    state = pw.get_state()
    assert state["ui"] == {"epochs_per_frame": 3, "max_fps": 12.0, "resolution": 30}
    other = make().set_state(state)
    assert other.epochs_per_frame == 3 and other.resolution == 30
    assert np.asarray(other.view.image.get_array()).shape == (30, 30)
    bare = make().set_state(pw.pg.get_state())  # Playground.get_state() alone: engine only
    assert bare.pg.epoch == 3 and bare.epochs_per_frame == 5


def test_play_and_pause_labels_use_glyphs_that_fonts_have():
    # "⏸" (U+23F8) is in almost no font: Debian's Chromium showed an empty box. DejaVu Sans
    # (matplotlib's own font, and Chromium's fallback on Debian) must have every character.
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    from course.widgets.playground import PAUSE_LABEL, PLAY_LABEL

    charmap = FT2Font(font_manager.findfont("DejaVu Sans")).get_charmap()
    for label in (PLAY_LABEL, PAUSE_LABEL):
        assert all(ord(c) in charmap for c in label), label
    pw = make()
    assert pw.play_button.description == PLAY_LABEL

    async def scenario():
        pw.play()
        label = pw.play_button.description
        pw.pause()
        return label

    assert asyncio.run(scenario()) == PAUSE_LABEL and pw.play_button.description == PLAY_LABEL


def test_the_figure_fits_the_notebook_and_caches_points_and_axes():
    pw = make(hidden="8, 8, 8, 8, 8, 8")
    w, h = pw.figure.get_size_inches() * pw.figure.dpi
    assert w <= 820  # JupyterLab's output area at 1280 pixels is about 850 wide
    pw.figure.canvas.draw()
    points, axes = pw.view.points_layer, pw.view.layer
    renders = (points.renders, axes.renders)
    pw.step()  # training moves the heat map, thumbnails and curves, not the points or axes
    assert (points.renders, axes.renders) == renders
    pw.noise.value = 0.2  # new data: the points are rendered again
    pw.figure.canvas.draw()
    assert points.renders == renders[0] + 1
    pw.layers.value = "3"  # new thumbnails and labels: the axes layer takes the new labels
    pw.figure.canvas.draw()
    assert axes.renders == renders[1] + 1
    assert [t.get_text() for t in pw.view.thumb_labels] == ["layer 1"]
    assert all(t in axes.artists for t in pw.view.thumb_labels)

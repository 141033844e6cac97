"""The explorers speak the notebook's language: with COURSE_LANG=zh their controls, readouts and
figure text are Chinese (from course/locale/zh_CN/LC_MESSAGES/widgets.po); in English they are
exactly what they were before the translation.

Headless, as the other widget tests: mode="static" (an Agg canvas, no kernel).
"""
import re
import warnings

import numpy as np
import pytest

from course import i18n
from course._validate import CourseInputError
from course.network import MLP
from course.widgets import (
    ActivationExplorer,
    DescentViewer,
    ForwardViewer,
    NeuronExplorer,
    PlaygroundWidget,
    StepExplorer,
)
from course.widgets.playground import PAUSE_LABEL, PLAY_LABEL, parse_layers

HAN = re.compile(r"[\u4e00-\u9fff]")
# Names that stay English in the Chinese course (ZH_STYLE: sigmoid, ReLU, tanh, Adam, ...).
KEEP = re.compile(r"\b(sigmoid|tanh|relu|ReLU|leaky|SGD|Momentum|Adam|Rosenbrock|sin)\b")


def language(monkeypatch, lang):
    monkeypatch.setattr(i18n, "_chosen", None)  # a test elsewhere may have called set_language
    monkeypatch.setenv("COURSE_LANG", lang)


@pytest.fixture
def zh(monkeypatch):
    language(monkeypatch, "zh")


@pytest.fixture
def en(monkeypatch):
    language(monkeypatch, "en")


def widget_strings(widget) -> list[str]:
    """Every label a learner reads on a widget tree: descriptions, tooltips, placeholders, option
    labels, Label and HTML texts."""
    out = []
    for name in ("description", "tooltip", "placeholder"):
        value = getattr(widget, name, None)
        if isinstance(value, str) and value:
            out.append(value)
    out += [str(label) for label in getattr(widget, "_options_labels", ())]
    out += [t for t in getattr(widget, "tooltips", ()) or () if t]
    if type(widget).__name__ in ("Label", "HTML") and widget.value:
        out.append(re.sub(r"<[^>]+>", "", widget.value))
    for child in getattr(widget, "children", ()):
        out += widget_strings(child)
    return out


def figure_strings(figure) -> list[str]:
    """Every text drawn on the figure: titles, axis labels, tick labels, legends, free texts."""
    figure.canvas.draw()
    out = [t.get_text() for t in figure.texts]
    for ax in figure.axes:
        out += [t.get_text() for t in (ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label)]
        out += [t.get_text() for t in (*ax.get_xticklabels(), *ax.get_yticklabels(), *ax.texts)]
        if ax.get_legend() is not None:
            out += [t.get_text() for t in ax.get_legend().get_texts()]
    return [s for s in out if s]


def english_left(strings) -> list[str]:
    """The strings that still read as English words (three letters or more, no 汉字)."""
    return [s for s in strings if not HAN.search(s) and re.search(r"[A-Za-z]{3,}", KEEP.sub("", s))]


def tiny_viewer(**kwargs):
    model = MLP([784, 12, 10], seed=0)
    X = np.random.default_rng(0).random((5, 784))
    return ForwardViewer(model, X, np.arange(5), mode="static", **kwargs)


EXPLORERS = {
    "activation": lambda: ActivationExplorer(mode="static"),
    "neuron": lambda: NeuronExplorer("moons", mode="static"),
    "step": lambda: StepExplorer(mode="static"),
    "descent": lambda: DescentViewer(mode="static"),
    "forward": tiny_viewer,
    "playground": lambda: PlaygroundWidget("xor", hidden=[3], mode="static"),
}


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_every_label_readout_and_figure_text_is_chinese(name, monkeypatch):
    language(monkeypatch, "en")
    english = EXPLORERS[name]()
    en_widgets, en_figure, en_text = widget_strings(english.widget), figure_strings(english.figure), english.text
    language(monkeypatch, "zh")
    with warnings.catch_warnings():
        # no "Glyph ... missing": the course's CJK font draws every 汉字 (other warnings, such as an old
        # ipywidgets' deprecations under the lowest versions, are not this test's business)
        warnings.filterwarnings("error", message=r"(?s).*(Glyph|missing from font)")
        chinese = EXPLORERS[name]()
        zh_widgets, zh_figure = widget_strings(chinese.widget), figure_strings(chinese.figure)
        chinese.snapshot()
    assert HAN.search(chinese.text) and chinese.text != en_text  # the readout
    assert HAN.search(chinese.status.value)
    assert any(HAN.search(s) for s in zh_widgets) and zh_widgets != en_widgets
    assert any(HAN.search(s) for s in zh_figure) and zh_figure != en_figure
    assert english_left(zh_widgets) == [] and english_left(zh_figure) == []
    assert english_left(en_widgets) and not any(HAN.search(s) for s in en_widgets + en_figure)


def test_neuron_explorer_in_chinese(zh):
    e = NeuronExplorer("moons", w1=1.0, w2=-1.0, b=0.0, mode="static")
    assert e.dataset.description == "数据"
    assert dict(e.dataset.options)["双月"] == "moons" and e.dataset.value == "moons"  # the value stays English
    assert e.text.startswith("双月：") and "准确率" in e.text
    assert e.view.title.get_text() == e.text
    e.w1.value = e.w2.value = 0.0
    assert "没有决策边界" in e.text


def test_neuron_explorer_in_english_is_unchanged(en):
    e = NeuronExplorer("moons", w1=1.0, w2=-1.0, b=0.0, mode="static")
    assert e.dataset.description == "data" and e.dataset.label == "moons" and e.dataset.value == "moons"
    assert e.text == "moons: w = (1.00, -1.00), b = 0.00: accuracy 82.5%"
    e.w1.value = e.w2.value = 0.0
    assert e.text == "moons: w = (0.00, 0.00), b = 0.00: accuracy 50.0% (w = 0: no boundary)"
    assert StepExplorer(mode="static").text == "w = 8.0, b = 4.0: step at x = -b/w = -0.500"
    assert ActivationExplorer(mode="static").text == "sigmoid: f(0.50) = 0.622, slope f'(0.50) = 0.235"


def test_forward_viewer_figure_in_chinese_and_english(monkeypatch):
    language(monkeypatch, "zh")
    v = tiny_viewer()
    ax = v.view.ax_prob
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("类别", "概率")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["真实标签"]
    assert HAN.search(v.view.ax_net.get_title()) and HAN.search(v.view.ax_hidden[0].get_title())
    assert v.style._options_labels == ("图像", "条形图") and v.style.value == "images"
    v.style.value = "bars"  # the values the code compares stay English
    assert v.view.style == "bars"
    language(monkeypatch, "en")
    v = tiny_viewer()
    ax = v.view.ax_prob
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("class", "probability")
    assert v.view.ax_hidden[0].get_title() == "hidden layer 1 (12 neurons)"
    assert v.style._options_labels == ("images", "bars")
    assert re.fullmatch(r"digit 0, predicted \d with \d+\.\d % \(image 0\)", v.text)


def test_playground_widget_in_chinese(zh):
    pw = PlaygroundWidget("circle", hidden=[2], mode="static")
    assert pw.play_button.description == "▶ 训练" and pw.step_button.description == "单步"
    assert pw.learning_rate.description == "学习率" and pw.activation.description == "激活函数"
    assert dict(pw.regularization.options)["无"] == "none" and pw.regularization.value == "none"
    assert pw.epoch_label.value == "<b>迭代周期0</b>"
    pw.step(3)
    assert pw.text.startswith("迭代周期3：训练损失") and "测试准确率" in pw.text
    assert pw.view.readout.get_text().startswith("迭代周期3\n训练损失")
    pw._set_toggle(True)
    assert pw.play_button.description == "❚❚ 暂停"
    pw._set_toggle(False)


def test_playground_widget_in_english_is_unchanged(en):
    pw = PlaygroundWidget("circle", hidden=[2], mode="static")
    assert pw.play_button.description == PLAY_LABEL == "▶ Play"
    assert [pw.dataset.label, pw.activation.label, pw.regularization.label] == ["circle", "tanh", "none"]
    assert pw.epoch_label.value == "<b>epoch 0</b>" and pw.train_label.value.startswith("train loss ")
    pw.step(3)
    assert re.fullmatch(r"epoch 3: train loss \d\.\d{3}, test loss \d\.\d{3}, test accuracy \d+\.\d%", pw.text)
    assert re.fullmatch(r"epoch 3\ntrain loss \d\.\d{3}\ntest loss  \d\.\d{3}", pw.view.readout.get_text())
    pw._set_toggle(True)
    assert pw.play_button.description == PAUSE_LABEL == "❚❚ Pause"
    pw._set_toggle(False)


def test_descent_viewer_legend_and_menu(monkeypatch):
    language(monkeypatch, "zh")
    d = DescentViewer(mode="static")
    legend = [t.get_text() for t in d.view.ax.get_legend().get_texts()]
    assert legend == ["SGD", "Momentum", "Adam", "起点", "最小值"]
    assert d.surface._options_labels[0].startswith("病态二次函数") and d.surface.value == "quadratic"
    assert d.text.startswith("50步后的损失：")
    language(monkeypatch, "en")
    d = DescentViewer(mode="static")
    assert [t.get_text() for t in d.view.ax.get_legend().get_texts()][3:] == ["start", "minimum"]
    assert d.surface._options_labels[0] == "ill-conditioned quadratic ½(x² + 20y²)"
    assert d.text.startswith("loss after 50 steps: SGD ")


def test_errors_follow_the_language(monkeypatch):
    language(monkeypatch, "zh")
    with pytest.raises(CourseInputError, match="最多6个隐藏层"):
        parse_layers("1, 1, 1, 1, 1, 1, 1")
    with pytest.raises(CourseInputError, match="x：应在x_range"):
        ActivationExplorer(x=7.0, mode="static")
    language(monkeypatch, "en")
    with pytest.raises(CourseInputError, match=r"^layers: expected at most 6 hidden layers, got 7 in '1, 1, 1, 1, 1, 1, 1'\.$"):
        parse_layers("1, 1, 1, 1, 1, 1, 1")
    with pytest.raises(CourseInputError, match=r"^x: expected a value in x_range \[-5, 5\], got 7\.$"):
        ActivationExplorer(x=7.0, mode="static")

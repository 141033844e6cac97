"""Checks and hints speak the notebook's language: with COURSE_LANG=zh a verdict (passed, wrong, named
mistake, diagnosis, not done, error), the pointer to the next hint, the hints' titles and the bad-input
errors of course/_validate.py are Chinese (course/locale/zh_CN/LC_MESSAGES/checks.po and course.po), with
every placeholder filled; the registry's data (a mistake's name and advice, the hints) is translated where
it is shown and falls back to English when it has no translation; the verdict itself (status, kind, the
mistake's English name, which grade records) is the same in both languages. In English every message is
what it was before the translation.
"""
import re

import numpy as np
import pytest

import course.checks.exercises  # noqa: F401  (registers every exercise)
from course import catalogs, i18n
from course._validate import CourseInputError, array, labels, positive_int
from course.checks import REGISTRY, Exercise, Mistake, check, hint, register, run
from course.checks import hints as hints_module
from course.checks.core import ERROR, NOT_DONE, PASSED, WRONG, Said, english, labelled, same

HAN = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"\{[a-z_]+(![rs])?(:[^{}]*)?\}")  # an unfilled {name}, {name!r}, {name:g}


def language(monkeypatch, lang):
    monkeypatch.setattr(i18n, "_chosen", None)  # a test elsewhere may have called set_language
    monkeypatch.setenv("COURSE_LANG", lang)


@pytest.fixture(autouse=True)
def fresh_kernel(monkeypatch):
    monkeypatch.setattr(hints_module, "_opened", {})


def in_both(monkeypatch, produce):
    """produce() in English, then in Chinese."""
    language(monkeypatch, "en")
    en = produce()
    language(monkeypatch, "zh")
    zh = produce()
    return en, zh


def unfilled(en: str, zh: str):
    """Placeholders in the Chinese that the English has not (a registry's text may hold a literal dW{i})."""
    return {m.group(0) for m in PLACEHOLDER.finditer(zh)} - {m.group(0) for m in PLACEHOLDER.finditer(en)}


def assert_chinese(en: str, zh: str):
    assert zh != en, zh
    assert HAN.search(zh), zh
    assert not unfilled(en, zh), f"an unfilled placeholder in {zh!r}"


def _neuron_bias_after(x, w, b):
    from course.activations import sigmoid

    return sigmoid(x @ w) + b


# -------------------------------------------------------------------- verdicts of the real exercises
def test_a_wrong_answer_is_diagnosed_in_chinese(monkeypatch):
    def answer(x, w, b):  # the weighted sum without the sigmoid, times 3: no listed mistake
        return 3 * (x @ w + b) + 1
    en, zh = in_both(monkeypatch, lambda: run(REGISTRY["neuron"], answer))
    assert en.status == zh.status == WRONG and en.kind == zh.kind
    assert en.message.startswith("your function ") or en.message.startswith("on input ")
    assert_chinese(en.message, zh.message)
    assert "你的函数" in zh.message and "最小的失败用例" in zh.message


def test_a_named_mistake_is_shown_in_chinese_and_recorded_in_english(monkeypatch):
    mistake = next(m for m in REGISTRY["neuron"].mistakes if "after the sigmoid" in m.name)
    en, zh = in_both(monkeypatch, lambda: run(REGISTRY["neuron"], _neuron_bias_after))
    assert en.kind == zh.kind == "named"
    assert en.mistake == zh.mistake == mistake.name  # grade counts mistakes by their English name
    assert en.message.startswith("on input (")
    assert_chinese(en.message, zh.message)
    assert zh.message.startswith("输入为(")
    language(monkeypatch, "zh")
    # the name and the advice are the registry's data, shown through the catalogs (English when untranslated)
    assert i18n._(mistake.name) in zh.message and i18n._(mistake.hint) in zh.message


def test_a_diagnosis_sentence_is_translated(monkeypatch):
    ex = Exercise(name="_test_i18n_rows", reference=lambda x: x.sum(axis=1) / x.shape[0],
                  cases=[(np.arange(12.0).reshape(4, 3),), (np.ones((5, 2)),)])
    en, zh = in_both(monkeypatch, lambda: run(ex, lambda x: x.sum(axis=1)))
    assert "the batch size n (the number of rows) times the right answer (factor 4 here)" in en.message
    assert_chinese(en.message, zh.message)
    assert "批量大小n" in zh.message and "因子是4" in zh.message and "最大的差是" in zh.message


def test_not_done_error_and_passed_verdicts(monkeypatch):
    def not_done(x, w, b):
        raise NotImplementedError

    def broken(x, w, b):
        return x.nope

    reference = REGISTRY["neuron"].reference
    for fn, status in ((not_done, NOT_DONE), (broken, ERROR), (reference, PASSED), (3, ERROR)):
        en, zh = in_both(monkeypatch, lambda: run(REGISTRY["neuron"], fn))
        assert en.status == zh.status == status
        assert_chinese(en.message, zh.message)
    en, zh = in_both(monkeypatch, lambda: run(REGISTRY["neuron"], not_done))
    assert en.message == "not done yet: replace the `raise NotImplementedError` line with your code."
    assert "`raise NotImplementedError`" in zh.message and "还没有完成" in zh.message


def test_check_shows_chinese_with_the_hint_pointer_and_the_note(monkeypatch, capsys):
    def shown(fn):
        hints_module._opened.clear()
        check("neuron", fn)
        return capsys.readouterr().out

    en, zh = in_both(monkeypatch, lambda: shown(_neuron_bias_after))
    assert 'Stuck? Run hint("neuron") for hint 1 of 3 (an idea).' in en
    assert "The reference solution is used from here on" in en
    assert_chinese(en, zh)
    assert zh.startswith("✗ neuron：") and 'hint("neuron")' in zh and "参考答案" in zh and "Stuck" not in zh
    en, zh = in_both(monkeypatch, lambda: shown(REGISTRY["neuron"].reference))
    assert en.startswith("✓ neuron: passed ") and en.rstrip().endswith("Using your function from here on.")
    assert_chinese(en, zh)
    assert zh.startswith("✓ neuron：") and "你的函数" in zh


def test_the_html_verdict_and_the_record(monkeypatch):
    import IPython
    import IPython.display

    from course.checks import VERDICT_MIME

    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda bundle, raw: shown.append(bundle))
    language(monkeypatch, "zh")
    check("neuron", _neuron_bias_after)
    bundle = shown[-1]
    assert HAN.search(bundle["text/html"]) and HAN.search(bundle["text/plain"])
    record = bundle[VERDICT_MIME]
    assert record["status"] == "wrong" and record["mistake"] == next(
        m.name for m in REGISTRY["neuron"].mistakes if "after the sigmoid" in m.name)


def test_hints_in_chinese(monkeypatch, capsys):
    def opened(level=None):
        hint("neuron", level)
        return capsys.readouterr().out

    language(monkeypatch, "en")
    en = opened(1)
    assert en.startswith("Hint 1 of 3 for neuron (an idea):\n")
    language(monkeypatch, "zh")
    zh = opened(1)
    assert_chinese(en, zh)
    assert zh.startswith("neuron的提示1/3（思路）：\n")
    assert i18n._(REGISTRY["neuron"].hints[0]) in zh  # the hint itself: its translation, or the English
    assert 'hint("neuron")' in zh.splitlines()[-1] and "第2条提示" in zh
    zh = opened(3)
    assert "提示3/3（代码）" in zh and "再运行" not in zh
    assert "第3条提示" in hints_module.next_hint("neuron") or "都已打开" in hints_module.next_hint("neuron")
    with pytest.raises(ValueError, match="level应为1到3之间的整数"):
        hint("neuron", 7)
    with pytest.raises(KeyError, match="没有名为'nope'的练习"):
        hint("nope")


# ------------------------------------------------------------------------- an untranslated exercise
UNTRANSLATED = register(Exercise(
    name="_test_i18n_untranslated", reference=lambda x: 2 * x, cases=[(np.array([1.0, -2.0]),)],
    mistakes=[Mistake("the input tripled, not doubled", lambda x: 3 * x, "Multiply by two, once.")],
    hints=["Every entry is scaled by the same number.", "y = 2x, the shape of x.", "return 2 * x"]))


def test_an_exercise_without_translations_falls_back_to_english(monkeypatch, capsys):
    language(monkeypatch, "zh")
    verdict = run(UNTRANSLATED, lambda x: 3 * x)
    assert verdict.mistake == "the input tripled, not doubled"
    # the registry's words stay English; the verdict around them is Chinese
    assert "the input tripled, not doubled。Multiply by two, once." in verdict.message
    assert verdict.message.startswith("输入为(")
    hint("_test_i18n_untranslated")
    out = capsys.readouterr().out
    assert "Every entry is scaled by the same number." in out and "提示1/3（思路）" in out
    assert i18n._("a message no catalog has") == "a message no catalog has"


# --------------------------------------------------------------------------- English is unchanged
def test_english_messages_are_what_they_were(monkeypatch, capsys):
    language(monkeypatch, "en")
    ex = Exercise(name="_test_i18n_pair", reference=lambda x: (x, 2 * x), cases=[(np.array([1.0, 2.0]),)],
                  compare=labelled("value", "double"))
    assert run(ex, lambda x: (x, 3 * x)).message == (
        "your function gives the wrong double: it is the right answer times a constant factor 1.5; smallest "
        "failing case: input ([1., 2.]); expected (double) [2., 4.], got [3., 6.]; largest difference 2 at [1].")
    assert run(ex, lambda x: x).message == (
        "on input ([1., 2.]) your function returned a ndarray, expected a tuple (value, double).")
    assert same((1, 2, 3), (1, 2)) == "returned 3 values, expected 2 values"
    assert same(np.zeros(3), np.zeros(2)) == "returned shape (3,), expected shape (2,)"
    assert run(UNTRANSLATED, lambda x: 2 * x).message == "passed 1 cases."
    check("_test_i18n_untranslated", lambda x: 3 * x)
    assert capsys.readouterr().out == (
        "✗ _test_i18n_untranslated: on input ([ 1., -2.]): the input tripled, not doubled. Multiply by two, once. "
        'Stuck? Run hint("_test_i18n_untranslated") for hint 1 of 3 (an idea). The reference solution is used '
        "from here on, so the notebook keeps working.\n")
    with pytest.raises(CourseInputError, match=r"^X: expected a 2-D array, got shape \(3,\)\.$"):
        array(np.zeros(3), "X", ndim=2)


# --------------------------------------------------------------------------- bad input (course domain)
@pytest.mark.parametrize("call", [
    lambda: array(np.zeros(3), "X", ndim=(2, 3)),
    lambda: array(np.array([1.0, np.nan]), "x"),
    lambda: labels(np.array([0, 5]), "y", n_classes=3),
    lambda: positive_int(0, "epochs"),
    lambda: array("text", "x"),
    lambda: __import__("course.optim", fromlist=["SGD"]).SGD(0.1).step([np.zeros(3)], [np.zeros(4)]),
    lambda: __import__("course.layers", fromlist=["dense_forward"]).dense_forward(np.zeros((2, 3)), np.zeros((4, 2)),
                                                                                 np.zeros(2)),
])
def test_bad_input_errors_in_chinese(monkeypatch, call):
    def message():
        with pytest.raises(CourseInputError) as caught:
            call()
        return str(caught.value)
    en, zh = in_both(monkeypatch, message)
    assert_chinese(en, zh)
    assert zh.split("：")[0] == en.split(":")[0]  # the argument's name stays as the code spells it


def test_the_frameworks_not_installed_line(monkeypatch):
    from course import frameworks

    en, zh = in_both(monkeypatch, lambda: frameworks.install_message("keras"))
    assert en.startswith("Keras (with TensorFlow) is not installed. Install it with: ")
    assert_chinese(en, zh)
    assert frameworks.install_command("keras") in zh  # the command itself is the same


# ------------------------------------------------------------- the same verdict in every language
def _corpus():
    import answers

    wrong, right = answers.load()
    return [(name, why, fn) for table in (wrong, right) for name in sorted(table) for why, fn in table[name]]


# A compare function that tests what a problem says must test its English (core.english(problem)): in
# Chinese `same` says "returned different values" in Chinese.
@pytest.mark.parametrize("name", sorted({name for name, _, _ in _corpus()}))
def test_a_verdict_is_the_same_verdict_in_chinese(monkeypatch, name):
    for _, why, fn in [c for c in _corpus() if c[0] == name]:
        en, zh = in_both(monkeypatch, lambda: run(REGISTRY[name], fn))
        assert (en.status, en.kind, en.mistake) == (zh.status, zh.kind, zh.mistake), (why, en.message, zh.message)
        assert not unfilled(en.message, zh.message), zh.message


# ----------------------------------------------------------------------------------- the machinery
def test_a_said_message_keeps_its_english(monkeypatch):
    from course.checks.core import _

    language(monkeypatch, "zh")
    inner = _("returned shape {got}, expected shape {expected}").format(got=(3,), expected=(2,))
    outer = _("item {i}: {problem}").format(i=1, problem=inner)
    assert isinstance(outer, Said) and HAN.search(outer)
    assert english(outer) == "item 1: returned shape (3,), expected shape (2,)"
    assert english("plain") == "plain"


def test_the_catalogs_of_checks_and_course_are_complete():
    problems = [line for line in catalogs.problems("zh") if line.split(":")[0].split(".")[0] in ("checks", "course")
                or "/checks.po" in line or "/course.po" in line]
    assert not problems, "\n".join(problems)

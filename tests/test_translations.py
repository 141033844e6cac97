"""The Chinese edition cannot drift from the English one (course/nbtranslate.py, course/catalogs.py).

The English solution notebooks are the one source of code; solutions/zh/NN.po holds the Chinese of every
paragraph, comment and shown string; the build writes solutions/zh/ and notebooks/zh/ from them. These
tests fail when a translation is missing, stale (its English changed: fuzzy) or malformed, when a Chinese
notebook is not what the build writes, when a Chinese code cell differs from the English one other than in
strings and comments, and when a run-time catalog is incomplete or not compiled.
"""
import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course import catalogs, i18n, nbtranslate
from course.authoring import BuildError, ROOT, translated_solutions

SOLUTIONS = ROOT / "solutions"
ENGLISH = sorted(SOLUTIONS.glob("*.ipynb"))
LANG = "zh"


def read(path):
    return nbformat.read(path, as_version=4)


# ------------------------------------------------------------------------ the real translation
@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_every_unit_of_every_notebook_is_translated_and_current(path):
    po = nbtranslate.po_path(SOLUTIONS, LANG, path.name)
    assert po.is_file(), f"{po.relative_to(ROOT)} is missing: run python -m course translations --update"
    problems = nbtranslate.problems(read(path), catalogs.read(po))
    assert not problems, (f"{po.relative_to(ROOT)}: {len(problems)} problem(s); python -m course translations "
                          f"--notebook {path.stem[:3].rstrip('_')} lists them:\n" + "\n".join(problems[:20]))


def test_every_run_time_message_is_translated_and_compiled():
    problems = catalogs.problems(LANG)
    assert not problems, f"{len(problems)} problem(s) in course/locale:\n" + "\n".join(problems[:30])


def test_the_chinese_solutions_are_what_the_build_writes():
    assert translated_solutions(SOLUTIONS, LANG, check=True) == [], "run python -m course build"


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_chinese_code_is_the_english_code(path):
    english = read(path)
    for folder in (SOLUTIONS / LANG, ROOT / "notebooks" / LANG):
        chinese = read(folder / path.name)
        if folder.parent.name == "notebooks":
            english_copy = read(ROOT / "notebooks" / path.name)
        else:
            english_copy = english
        assert [(c.cell_type, c.get("id")) for c in chinese.cells] == \
            [(c.cell_type, c.get("id")) for c in english_copy.cells], f"{folder.name}/{path.name}: other cells"
        for en, zh in zip(english_copy.cells, chinese.cells):
            if en.cell_type == "code":
                assert nbtranslate.code_skeleton(zh.source) == nbtranslate.code_skeleton(en.source), (
                    f"{folder.relative_to(ROOT)}/{path.name}, cell {en.get('id')}: the code differs from the "
                    "English beyond strings and comments")
        assert chinese.metadata.get("course", {}).get("language") == LANG or folder.parent.name == "notebooks"


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_chinese_solutions_were_executed(path):
    chinese = read(SOLUTIONS / LANG / path.name)
    not_run = [c.get("id") for c in chinese.cells if c.cell_type == "code" and c.source.strip()
               and c.execution_count is None]
    assert not not_run, (f"solutions/{LANG}/{path.name}: cells {not_run[:5]} have no stored outputs; run "
                         f"scripts/run_notebook.py solutions/{LANG}/{path.name}")


# ------------------------------------------------------------------ the machinery, on small inputs
def small_notebook():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 01 · Title\n\nA neuron adds `x @ w` and $b$: 3 numbers.\n\n"
                                      "```python\nprint('code stays')\n```\n\n$$z = 1$$"),
        nbformat.v4.new_code_cell('def f(x):\n    """Double x."""\n    # the answer\n    return 2 * x  # times two\n\n'
                                  'print(f"f(2) = {f(2)}", "done")\nlabel = "shown later"\n'
                                  'value = {"a key": 1}["a key"] + len(np.loadtxt("data file.txt"))'),
    ]
    for i, cell in enumerate(nb.cells):
        cell.id = f"c{i}"
    return nb


CHINESE = {"# 01 · Title": "# 01 · 标题", "A neuron adds `x @ w` and $b$: 3 numbers.": "神经元把`x @ w`和$b$相加：3个数。",
           '"""Double x."""': '"""把x加倍。"""', "# the answer": "# 答案", "# times two": "# 乘以2",
           'f"f(2) = {f(2)}"': 'f"f(2)等于{f(2)}"', '"done"': '"完成"',
           '"shown later"': '"稍后显示"'}


def catalog_for(nb, translations):
    catalog = nbtranslate.template(nb, "small.ipynb")
    for message in catalog:
        if message.id:
            message.string = translations.get(message.id, "")
    return catalog


def test_units_are_paragraphs_comments_and_shown_strings():
    found = [(kind, text) for _, kind, text in nbtranslate.units(small_notebook())]
    assert found == [("markdown", "# 01 · Title"), ("markdown", "A neuron adds `x @ w` and $b$: 3 numbers."),
                     ("string", '"""Double x."""'), ("comment", "# the answer"), ("comment", "# times two"),
                     ("string", 'f"f(2) = {f(2)}"'), ("string", '"done"'), ("held string", '"shown later"')]


def test_translate_replaces_every_unit_and_keeps_the_code():
    nb = small_notebook()
    chinese = nbtranslate.translate(nb, catalog_for(nb, CHINESE), LANG)
    assert chinese.cells[0].source == ("# 01 · 标题\n\n神经元把`x @ w`和$b$相加：3个数。\n\n"
                                       "```python\nprint('code stays')\n```\n\n$$z = 1$$")
    assert chinese.cells[1].source == ('def f(x):\n    """把x加倍。"""\n    # 答案\n    return 2 * x  # 乘以2\n\n'
                                       'print(f"f(2)等于{f(2)}", "完成")\nlabel = "稍后显示"\n'
                                       'value = {"a key": 1}["a key"] + len(np.loadtxt("data file.txt"))')
    assert chinese.metadata["course"]["language"] == LANG
    assert nbtranslate.code_skeleton(chinese.cells[1].source) == nbtranslate.code_skeleton(nb.cells[1].source)


def test_a_changed_english_paragraph_makes_its_translation_stale_and_the_build_fail(tmp_path):
    nb = small_notebook()
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    nbformat.write(nb, solutions / "01_small.ipynb")
    po = nbtranslate.po_path(solutions, LANG, "01_small.ipynb")
    nbtranslate.update_po(nb, "01_small.ipynb", po, "zh_CN")
    catalog = catalogs.read(po)
    for message in catalog:
        if message.id:
            message.string = CHINESE[message.id]
    catalogs.write(catalog, po)
    assert translated_solutions(solutions, LANG) == ["01_small.ipynb"]
    assert nbtranslate.problems(nb, catalogs.read(po)) == []

    nb.cells[0].source = nb.cells[0].source.replace("3 numbers", "4 numbers")  # the English changes
    nb.cells[1].source += "\nprint('a new line')"
    nbformat.write(nb, solutions / "01_small.ipynb")
    nbtranslate.update_po(nb, "01_small.ipynb", po, "zh_CN")
    problems = nbtranslate.problems(nb, catalogs.read(po))
    assert any("4 numbers" in p and "fuzzy" in p for p in problems), problems
    assert any("a new line" in p and "not translated" in p for p in problems), problems
    with pytest.raises(BuildError, match="fuzzy"):
        translated_solutions(solutions, LANG)


def test_a_missing_translation_fails_the_build(tmp_path):
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    nbformat.write(small_notebook(), solutions / "01_small.ipynb")
    with pytest.raises(BuildError, match="01_small.ipynb: no translation"):
        translated_solutions(solutions, LANG)
    nbtranslate.update_po(small_notebook(), "01_small.ipynb", nbtranslate.po_path(solutions, LANG, "01_small.ipynb"),
                          "zh_CN")
    with pytest.raises(BuildError, match="not translated"):
        translated_solutions(solutions, LANG)


def test_the_code_identity_check_fails_on_changed_code():
    english = small_notebook().cells[1].source
    assert nbtranslate.code_skeleton(english.replace("2 * x", "3 * x")) != nbtranslate.code_skeleton(english)
    assert nbtranslate.code_skeleton(english.replace("print(", "len(")) != nbtranslate.code_skeleton(english)
    assert nbtranslate.code_skeleton(english.replace("# the answer", "# 答案")) == nbtranslate.code_skeleton(english)


@pytest.mark.parametrize("kind, english, translation, problem", [
    ("markdown", "Add `x @ w` to $b$.", "把x @ w加到$b$上。", "code, maths"),
    ("markdown", "It took 12.5 s and 3 steps.", "用了十二秒半和3步。", "12.5"),
    ("markdown", "See [02](02_x.ipynb).", "见[02](03_x.ipynb)。", "link targets"),
    ("comment", "# the bias", "偏置", "start with #"),
    ("comment", "### BEGIN SOLUTION the sum", "# 求和", "marker"),
    ("string", 'f"loss {loss:.3f}"', 'f"损失{loss:.2f}"', "expressions"),
    ("string", 'f"loss {loss:.3f}"', '"损失"', "expressions"),
    ("string", '"done"', "完成", "literal"),
])
def test_malformed_translations_are_named(kind, english, translation, problem):
    found = nbtranslate.unit_problem(english, kind, translation)
    assert found and problem in found, found


def test_good_translations_pass():
    assert nbtranslate.unit_problem("Add `x @ w` to $b$ 3 times.", "markdown", "把`x @ w`加到$b$上，共3次。") is None
    assert nbtranslate.unit_problem("### BEGIN SOLUTION the sum", "comment", "### BEGIN SOLUTION 求和") is None
    assert nbtranslate.unit_problem('f"{n:,} lines"', "string", 'f"共{n:,}条直线"') is None
    assert nbtranslate.unit_problem("'''Doc.'''", "string", "'''文档。'''") is None


@given(st.lists(st.sampled_from(["text", "", "```", "$$", "more words", "  indented", "| a | b |"]), max_size=12))
def test_markdown_blocks_give_the_text_back(lines):
    text = "\n".join(lines)
    assert "".join(piece for piece, _ in nbtranslate.markdown_blocks(text)) == text


# ------------------------------------------------------------------------------- run-time language
def test_language_comes_from_set_language_then_env_then_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_LANG", raising=False)
    (tmp_path / "zh").mkdir()
    monkeypatch.chdir(tmp_path)
    assert i18n.language() == "en"
    monkeypatch.chdir(tmp_path / "zh")
    assert i18n.language() == "zh"
    monkeypatch.setenv("COURSE_LANG", "en_US.UTF-8")
    assert i18n.language() == "en"
    with i18n.using("zh"):
        assert i18n.language() == "zh"
    assert i18n.language() == "en"
    with pytest.raises(ValueError, match="language must be one of en, zh, got 'fr'"):
        i18n.set_language("fr")


def test_a_message_without_translation_falls_back_to_english(monkeypatch):
    monkeypatch.setenv("COURSE_LANG", "zh")
    assert i18n._("a sentence no catalog has") == "a sentence no catalog has"
    assert i18n.ngettext("{n} case", "{n} cases", 2) == "{n} cases"


def test_a_translated_message_is_shown_in_chinese(monkeypatch):
    from course.authoring import STUB_MESSAGE

    monkeypatch.setenv("COURSE_LANG", "zh")
    chinese = i18n._(STUB_MESSAGE)
    assert chinese != STUB_MESSAGE and any("\u4e00" <= ch <= "\u9fff" for ch in chinese)
    monkeypatch.setenv("COURSE_LANG", "en")
    assert i18n._(STUB_MESSAGE) == STUB_MESSAGE


def test_locale_names_are_read_as_gettext_reads_them(monkeypatch):
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.language_from_locale() == "zh"
    monkeypatch.setenv("LANGUAGE", "en_GB:zh")
    assert i18n.language_from_locale() == "en"
    assert [i18n.normalise(x) for x in ("zh-Hans", "ZH_tw", "C", "fr_FR", "")] == ["zh", "zh", "en", None, None]


@pytest.mark.parametrize("text, joined", [
    ("一个神经元\n接收输入。", "一个神经元接收输入。"),
    ("使用\nNumPy计算，\n  形状为(n, d)", "使用NumPy计算，形状为(n, d)"),
    ("English line\nnext line", "English line\nnext line"),
    ("- 第一项\n- 第二项\n  续行", "- 第一项\n- 第二项续行"),
    ("## 标题\n正文", "## 标题\n正文"),
    ("表格：\n| a | b |\n|---|---|", "表格：\n| a | b |\n|---|---|"),
    ("见下式：\n$$x$$", "见下式：\n$$x$$"),
    ("列表：\n1. 项目", "列表：\n1. 项目"),
])
def test_chinese_paragraphs_lose_their_soft_line_breaks(text, joined):
    # a browser shows a soft break between two 汉字 as a space
    assert nbtranslate.join_soft_breaks(text) == joined


def test_a_string_the_code_compares_with_stays_as_it_is():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('versions = ["article (ReLU on the output)", "corrected (logits)"]\n'
                                          'results = {"test accuracy": 0.9}\n'
                                          'for v in versions:\n    print(v.startswith("article"), results["test accuracy"])')]
    nb.cells[0].id = "c0"
    assert [(kind, text) for _, kind, text in nbtranslate.units(nb)] == [("held string", '"corrected (logits)"')]

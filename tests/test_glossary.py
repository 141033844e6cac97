"""The glossary (solutions/glossary.ipynb) lists every term a notebook introduces as 中文 (English).

A term is introduced, following d2l-zh's style, as Chinese characters immediately followed by a
space and an English gloss in parentheses, e.g. `激活函数 (activation function)`, in a Markdown cell
of solutions/NN_*.ipynb. The glossary must list each such term (matched on the Chinese) and give,
as "first appears in", the first notebook (by number) that introduces it.

The Chinese edition is held to the glossary too. Its text is the msgstr of the PO files: one per
notebook (solutions/zh/*.po) and one per domain of run-time messages (course/locale/zh_CN/LC_MESSAGES/
*.po), read with Babel. It must not contain any of the glossary's "Other translations (not used here)"
(轮次 for epoch, 权值 for weight, ...), and a term tag in a Chinese notebook, 中文（English） with
full-width parentheses, must tag a term of the glossary's 中文 column. An empty msgstr (not translated
yet) has no text to check, so both tests pass on catalogs still being written.
"""
import json
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
CATALOGS = ROOT / "course" / "locale" / "zh_CN" / "LC_MESSAGES"

# 中文 (English): Chinese characters (a '/' may join alternatives), one space, then "(" + text
# starting with a Latin letter + ")". A line break in the Markdown source renders as a space, so
# one newline counts as the space (01 and 02 wrap "多层感知机\n(multilayer perceptron ...)") and
# the gloss may wrap too (08: "动态计算图 (dynamic\ncomputational graph)").
TERM = re.compile(r"([\u4e00-\u9fff][\u4e00-\u9fff/]*)[ \n]\(([A-Za-z][^()]*)\)")

# Not terms. The four section labels every notebook carries (AUTHORING.md, "Shape of a notebook":
# 学习目标 (Learning objectives), 小结 (Summary), 练习 (Further exercises), 下一节 (Next)) label
# parts of a notebook and define nothing; 中文 (English) is 00's description of the convention itself.
LABELS = {"学习目标", "小结", "练习", "下一节", "中文"}

# Notebook titles are not terms either: the title line `# NN · 中文标题 (English title)` and a link
# to a notebook `[NN · 中文标题 (English title)](NN_name.ipynb)` (the 下一节 links, 00's course map
# links to titles only when the text starts with "NN ·"). They are removed before matching.
TITLE_LINE = re.compile(r"^# \d\d[a-z]? · .*$", re.M)
TITLE_LINK = re.compile(r"\[\d\d[a-z]? · [^\]]*\]\([^)]*\.ipynb\)")

ROW_LINK = re.compile(r"\[(\d\d[a-z]?)\]\((\d\d[a-z]?)_[\w-]+\.ipynb\)")
HAN = re.compile(r"[\u4e00-\u9fff]")


def markdown_cells(path):
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            src = cell["source"]
            yield "".join(src) if isinstance(src, list) else src


def introduced_terms(paths):
    """{中文: {"first": "NN", "english": {English gloss: [NN, ...]}}} over notebooks named NN_*.ipynb,
    taken in number order."""
    terms = {}
    for path in sorted(map(Path, paths), key=lambda p: p.name):
        number = path.name.split("_")[0]  # "07", or "07b" for a notebook between 07 and 08
        for text in markdown_cells(path):
            text = TITLE_LINK.sub("", TITLE_LINE.sub("", text))
            for match in TERM.finditer(text):
                chinese, english = match.group(1), " ".join(match.group(2).split())
                if chinese in LABELS:
                    continue
                entry = terms.setdefault(chinese, {"first": number, "english": {}})
                notebooks = entry["english"].setdefault(english, [])
                if number not in notebooks:
                    notebooks.append(number)
    return terms


def glossary_rows(path):
    """{中文: first-appears-in "NN"} from the Markdown table rows of the glossary notebook (rows
    whose first column holds Chinese, one term per row; the last column links [NN](NN_name.ipynb)).
    A row without such a link maps to None."""
    rows = {}
    for text in markdown_cells(path):
        for line in text.splitlines():
            cols = [c.strip() for c in line.strip().strip("|").split("|")]
            if not line.lstrip().startswith("|") or len(cols) < 4 or not HAN.search(cols[0]) or cols[0] == "中文":
                continue
            link = ROW_LINK.search(cols[-1])
            rows[cols[0]] = link.group(1) if link and link.group(1) == link.group(2) else None
    return rows


def glossary_problems(notebooks, glossary):
    """Messages for every term missing from the glossary or credited to the wrong notebook."""
    terms, rows = introduced_terms(notebooks), glossary_rows(glossary)
    problems = []
    for chinese, entry in terms.items():
        where = ", ".join(sorted({n for ns in entry["english"].values() for n in ns}))
        if chinese not in rows:
            problems.append(f"missing: {chinese} ({' / '.join(entry['english'])}), introduced in {where}")
        elif rows[chinese] != entry["first"]:
            problems.append(f"wrong first notebook: {chinese} is first introduced in {entry['first']}, "
                            f"the glossary says {rows[chinese]}")
    return problems


def test_every_introduced_term_is_in_the_glossary_with_its_first_notebook():
    notebooks = sorted(SOLUTIONS.glob("[0-9][0-9]*_*.ipynb"))
    assert notebooks, "no solutions/NN_*.ipynb found"
    problems = glossary_problems(notebooks, SOLUTIONS / "glossary.ipynb")
    assert not problems, "glossary.ipynb is out of date:\n" + "\n".join(problems)


def test_glossary_is_markdown_only():
    nb = json.loads((SOLUTIONS / "glossary.ipynb").read_text(encoding="utf-8"))
    assert nb["cells"] and all(c["cell_type"] == "markdown" for c in nb["cells"])
    assert "".join(nb["cells"][0]["source"]).startswith("# 术语表 (Glossary)")


# The checker itself, on tiny fake notebooks: it must be able to fail.

def write_nb(path, *markdown):
    cells = [{"cell_type": "markdown", "metadata": {}, "source": m} for m in markdown]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
                    encoding="utf-8")
    return path


GLOSSARY_HEAD = "| 中文 | English | Definition | First appears in |\n|---|---|---|---|\n"


def test_extraction_skips_labels_titles_and_links(tmp_path):
    nb = write_nb(tmp_path / "01_demo.ipynb",
                  "# 01 · 神经元 (The neuron)\n\n**学习目标 (Learning objectives)**\n\nA 激活函数 (activation function).",
                  "**下一节 (Next)**: [02 · 激活函数 (Activation functions)](02_x.ipynb), 小结 (Summary), 练习 (x)")
    nb2 = write_nb(tmp_path / "02_demo.ipynb", "两个 梯度 (gradient) and 激活函数 (activation functions)",
                   "a wrapped 准确率\n(accu-\nracy); not a term: 梯度 (见 01), 损失函数（loss）, 梯度  (x)")
    terms = introduced_terms([nb2, nb])
    assert set(terms) == {"激活函数", "梯度", "准确率"}
    assert terms["激活函数"]["first"] == "01"
    assert terms["激活函数"]["english"] == {"activation function": ["01"], "activation functions": ["02"]}
    assert terms["准确率"] == {"first": "02", "english": {"accu- racy": ["02"]}}


def test_checker_names_a_missing_term_and_its_notebook(tmp_path):
    nb = write_nb(tmp_path / "03_demo.ipynb", "Each 神经元 (neuron) has a 偏置 (bias).")
    glossary = write_nb(tmp_path / "glossary.ipynb", "# 术语表 (Glossary)",
                        GLOSSARY_HEAD + "| 神经元 | neuron | a unit | [03](03_demo.ipynb) |")
    assert glossary_problems([nb], glossary) == ["missing: 偏置 (bias), introduced in 03"]


def test_checker_catches_a_wrong_first_notebook(tmp_path):
    a = write_nb(tmp_path / "01_a.ipynb", "A 神经元 (neuron).")
    b = write_nb(tmp_path / "02_b.ipynb", "Again 神经元 (neuron).")
    glossary = write_nb(tmp_path / "glossary.ipynb",
                        GLOSSARY_HEAD + "| 神经元 | neuron | a unit | [02](02_b.ipynb) |")
    problems = glossary_problems([b, a], glossary)
    assert problems == ["wrong first notebook: 神经元 is first introduced in 01, the glossary says 02"]
    good = write_nb(tmp_path / "glossary.ipynb",
                    GLOSSARY_HEAD + "| 神经元 | neuron | a unit | [01](01_a.ipynb) |")
    assert glossary_problems([a, b], good) == []


def test_checker_fails_on_a_row_without_a_notebook_link(tmp_path):
    nb = write_nb(tmp_path / "01_a.ipynb", "A 神经元 (neuron).")
    glossary = write_nb(tmp_path / "glossary.ipynb", GLOSSARY_HEAD + "| 神经元 | neuron | a unit | 01 |")
    assert glossary_problems([nb], glossary) == [
        "wrong first notebook: 神经元 is first introduced in 01, the glossary says None"]


# ----------------------------------------------------------------------------- the Chinese edition

OTHER = "Other translations (not used here)"
# A term tag in Chinese text: 汉字 immediately followed by a full-width （, Latin text (a word of two
# letters at least, no 汉字, no code, not a prefix ending in '-'), and ） not followed by a Latin letter
# (做（log-）softmax is a word in parts, not a tag). Where the term starts is not marked in Chinese, so
# the whole run of 汉字 before （ is taken and the tag's term is the glossary term that ends it.
ZH_TAG = re.compile(r"([\u4e00-\u9fff]+)（([A-Za-z][A-Za-z0-9 ,.'’/\-]*[A-Za-z0-9.])）(?![A-Za-z])")
ZH_LABELS = LABELS | {"术语表"}  # 术语表（Glossary）: the glossary's own title


def table_cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


def glossary_table(path):
    """[(中文, English, [other translations])] for every term row of the glossary's tables, whose columns
    are found by their header names."""
    rows = []
    for text in markdown_cells(path):
        header = None
        for line in text.splitlines():
            if not line.lstrip().startswith("|"):
                header = None
                continue
            cols = table_cells(line)
            if cols[0] == "中文":
                header = cols
            elif header and HAN.search(cols[0]):
                row = dict(zip(header, cols))
                others = [o.strip() for o in row.get(OTHER, "").split(",") if o.strip()]
                rows.append((cols[0], row.get("English", ""), others))
    return rows


def other_translations(glossary):
    """{other translation: (中文 to use, English)}."""
    return {other: (chinese, english) for chinese, english, others in glossary_table(glossary) for other in others}


def normal_english(text):
    """An English gloss reduced so that variants meet: case, spelling (-ise/-ize), hyphens and spaces,
    a plural -s/-es."""
    text = re.sub(r"is(e|es|ed|er|ers|ing|ation|ations)\b", r"iz\1", text.lower())
    text = re.sub(r"[^a-z]", "", text)
    if re.search(r"(ch|sh|[sxz])es$", text):
        return text[:-2]
    return text[:-1] if text.endswith("s") and not text.endswith(("ss", "us", "is", "as")) else text


def english_terms(glossary):
    """{normalised English gloss: 中文}; the English column may give several glosses: "a, b / c (02)"."""
    found = {}
    for chinese, english, _ in glossary_table(glossary):
        for gloss in english.split(" / "):
            for part in re.sub(r"\s*\(\d\d[a-z]?\)$", "", gloss).split(","):
                if part.strip():
                    found.setdefault(normal_english(part), chinese)
    return found


def po_entries(path):
    """(msgid, msgstr, kind) of every translated entry of the PO file at `path` (kind: the first word of its
    '#.' comment, e.g. markdown, comment, string; '' in the run-time catalogs). Plural forms count as
    one entry each; an empty msgstr (not translated yet) is left out."""
    with open(path, "rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        kind = message.auto_comments[0].split()[0] if message.auto_comments else ""
        for string in strings:
            if string:
                yield ids[0], string, kind


def without_other_translations(msgid, msgstr):
    """`msgstr` with the cells of the "Other translations" column blanked, when its English (`msgid`) is a
    glossary table that has the column: the glossary's Chinese names them, and may."""
    header = next((table_cells(line) for line in msgid.splitlines() if OTHER in line), None)
    if header is None or OTHER not in header:
        return msgstr
    column = header.index(OTHER)
    lines = []
    for line in msgstr.splitlines():
        cols = table_cells(line)
        if line.lstrip().startswith("|") and len(cols) > column:
            cols[column] = ""
            line = "| " + " | ".join(cols) + " |"
        lines.append(line)
    return "\n".join(lines)


def shown(path):
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def other_translation_problems(po_files, glossary):
    """One line per other translation (a rendering the course does not use) found in a msgstr: the file,
    the word, the glossary term to write instead and a few characters around it."""
    others = other_translations(glossary)
    if not others:
        return []
    # Longest first, so that 多层感知器 is reported as itself and not as 感知器.
    pattern = re.compile("|".join(map(re.escape, sorted(others, key=len, reverse=True))))
    problems = []
    for path in map(Path, po_files):
        for msgid, msgstr, _ in po_entries(path):
            text = without_other_translations(msgid, msgstr)
            for found in pattern.finditer(text):
                chinese, english = others[found[0]]
                context = text[max(0, found.start() - 12):found.end() + 12].replace("\n", " ")
                line = f"{shown(path)}: {found[0]} is not used in this course: write {chinese} ({english}); in “{context}”"
                if line not in problems:
                    problems.append(line)
    return problems


def tag_problems(po_files, glossary):
    """One line per term tag 中文（English） in a Chinese notebook's Markdown whose term is not the glossary's:
    its English is a glossary term's but its 中文 is another word, or no glossary 中文 ends its 汉字."""
    terms = {chinese for chinese, _, _ in glossary_table(glossary)}
    by_english = english_terms(glossary)
    problems = []
    for path in map(Path, po_files):
        for _, msgstr, kind in po_entries(path):
            if kind != "markdown":
                continue
            text = TITLE_LINK.sub("", TITLE_LINE.sub("", msgstr))
            for found in ZH_TAG.finditer(text):
                han, english = found[1], found[2]
                if not re.search(r"[A-Za-z]{2}", english) or han.endswith(tuple(ZH_LABELS)):
                    continue
                tag = f"{han[-8:]}（{english}）"
                expected = by_english.get(normal_english(english))
                if expected and not han.endswith(expected):
                    problems.append(f"{shown(path)}: term tag {tag}: the glossary's term for {english} is {expected}")
                elif not expected and not any(han.endswith(term) for term in terms):
                    problems.append(f"{shown(path)}: term tag {tag}: no term of the glossary's 中文 column ends "
                                    f"“{han[-8:]}”; write the glossary's term, or add the term to solutions/glossary.ipynb")
    return problems


def chinese_po_files():
    return sorted((SOLUTIONS / "zh").glob("*.po")) + sorted(CATALOGS.glob("*.po"))


def test_the_glossary_has_other_translations_and_none_is_a_term():
    table = glossary_table(SOLUTIONS / "glossary.ipynb")
    others = other_translations(SOLUTIONS / "glossary.ipynb")
    assert len(table) == len(glossary_rows(SOLUTIONS / "glossary.ipynb")), "a row lacks a column"
    assert {"轮次", "权值", "隐层", "激励函数", "丢弃法", "批归一化", "学习速率", "链式规则", "小批次"} <= set(others)
    # An other translation inside a term would make the check fire on the term itself. (A term inside an
    # other translation, 层 in 隐层, is fine: the check looks for the other translation.)
    clashes = [(other, chinese) for other in others for chinese, _, _ in table if other in chinese]
    assert not clashes, f"other translations that overlap a glossary term: {clashes}"


def test_chinese_text_uses_no_other_translation():
    files = chinese_po_files()
    assert any(f.parent.name == "zh" for f in files) and any(f.parent == CATALOGS for f in files)
    problems = other_translation_problems(files, SOLUTIONS / "glossary.ipynb")
    assert not problems, "Chinese text uses a translation the glossary rules out:\n" + "\n".join(problems)


def test_chinese_term_tags_are_glossary_terms():
    problems = tag_problems(sorted((SOLUTIONS / "zh").glob("*.po")), SOLUTIONS / "glossary.ipynb")
    assert not problems, "term tags that are not glossary terms:\n" + "\n".join(problems)


# The two Chinese checks on fake PO files: they pass on untranslated entries and fail on bad ones.

FAKE_GLOSSARY = (GLOSSARY_HEAD.replace("| Definition", f"| {OTHER} | Definition").replace("|---|\n", "|---|---|\n")
                 + "| 迭代周期 | epoch | 轮次, 时期 | one pass | [00](00_a.ipynb) |\n"
                 + "| 激活函数 | activation function | 激励函数 | f | [00](00_a.ipynb) |\n"
                 + "| 多层感知机 | multilayer perceptron, MLP | 多层感知器 | net | [00](00_a.ipynb) |\n"
                 + "| 神经元 | neuron | | unit | [00](00_a.ipynb) |")


def write_po_file(path, *entries):
    """A PO file of (msgid, msgstr) entries, each a Markdown paragraph of a notebook."""
    catalog = Catalog(locale="zh_CN")
    for msgid, msgstr in entries:
        catalog.add(msgid, msgstr, auto_comments=["markdown · cell c1"])
    with open(path, "wb") as f:
        write_po(f, catalog, width=100)
    return path


def test_fake_glossary_reads_its_columns(tmp_path):
    glossary = write_nb(tmp_path / "glossary.ipynb", FAKE_GLOSSARY)
    assert other_translations(glossary) == {"轮次": ("迭代周期", "epoch"), "时期": ("迭代周期", "epoch"),
                                            "激励函数": ("激活函数", "activation function"),
                                            "多层感知器": ("多层感知机", "multilayer perceptron, MLP")}
    assert english_terms(glossary)["epoch"] == "迭代周期" and english_terms(glossary)["mlp"] == "多层感知机"
    assert normal_english("Epochs") == normal_english("epoch") and normal_english("mini-batches") == "minibatch"


def test_other_translation_check_passes_untranslated_and_fails_on_a_bad_word(tmp_path):
    glossary = write_nb(tmp_path / "glossary.ipynb", FAKE_GLOSSARY)
    empty = write_po_file(tmp_path / "01_a.po", ("Train for 10 epochs.", ""), ("A neuron.", ""))
    assert other_translation_problems([empty], glossary) == []
    good = write_po_file(tmp_path / "02_b.po", ("Train for 10 epochs.", "训练10个迭代周期。"))
    assert other_translation_problems([good], glossary) == []
    bad = write_po_file(tmp_path / "03_c.po", ("Train for 10 epochs.", "训练10个轮次。"),
                        ("An MLP.", "一个多层感知器（MLP）用激励函数。"))
    assert other_translation_problems([bad], glossary) == [
        "03_c.po: 轮次 is not used in this course: write 迭代周期 (epoch); in “训练10个轮次。”",
        "03_c.po: 多层感知器 is not used in this course: write 多层感知机 (multilayer perceptron, MLP); "
        "in “一个多层感知器（MLP）用激励函数。”",
        "03_c.po: 激励函数 is not used in this course: write 激活函数 (activation function); "
        "in “个多层感知器（MLP）用激励函数。”"]


def test_other_translation_check_skips_the_glossarys_own_column(tmp_path):
    glossary = write_nb(tmp_path / "glossary.ipynb", FAKE_GLOSSARY)
    table = "| 中文 | English | Other translations (not used here) | Definition |\n|---|---|---|---|\n| 迭代周期 | epoch | 轮次, 时期 | a pass |"
    chinese = "| 中文 | English | 其他译法（本课程不用） | 定义 |\n|---|---|---|---|\n| 迭代周期 | epoch | 轮次, 时期 | 一个轮次 |"
    po = write_po_file(tmp_path / "glossary.po", (table, chinese))
    assert other_translation_problems([po], glossary) == [
        "glossary.po: 轮次 is not used in this course: write 迭代周期 (epoch); in “poch |  | 一个轮次 |”"]


def test_tag_check_passes_untranslated_and_fails_on_an_unknown_term(tmp_path):
    glossary = write_nb(tmp_path / "glossary.ipynb", FAKE_GLOSSARY)
    empty = write_po_file(tmp_path / "01_a.po", ("A 神经元 (neuron) and 激活函数 (activation function).", ""))
    assert tag_problems([empty], glossary) == []
    good = write_po_file(tmp_path / "02_b.po",
                         ("# 02 · Title (Title)", "# 02 · 标题（Title）"),
                         ("**学习目标 (Learning objectives)**", "**学习目标（Learning objectives）**"),
                         ("One 神经元 (neuron) per 轮 (epochs), an MLP.",
                          "每个迭代周期（epochs）一个神经元（neuron），形状为（n, d），训练（见06）用多层感知机（MLP）。"
                          "它自己做（log-）softmax，再算损失（loss）softmax。"),
                         ("Next: [03 · Layers (Layers)](03_c.ipynb)", "下一节：[03 · 层（Layers）](03_c.ipynb)"))
    assert tag_problems([good], glossary) == []
    bad = write_po_file(tmp_path / "03_c.po",
                        ("Ten 轮 (epochs).", "训练十个轮（epochs）。"),
                        ("A 感受野 (receptive field).", "每个神经元都有一个感受野（receptive field）。"))
    assert tag_problems([bad], glossary) == [
        "03_c.po: term tag 训练十个轮（epochs）: the glossary's term for epochs is 迭代周期",
        "03_c.po: term tag 元都有一个感受野（receptive field）: no term of the glossary's 中文 column ends "
        "“元都有一个感受野”; write the glossary's term, or add the term to solutions/glossary.ipynb"]

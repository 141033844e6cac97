"""The glossary (solutions/glossary.ipynb) lists every term a notebook introduces as 中文 (English).

A term is introduced, following d2l-zh's style, as Chinese characters immediately followed by a
space and an English gloss in parentheses, e.g. `激活函数 (activation function)`, in a Markdown cell
of solutions/NN_*.ipynb. The glossary must list each such term (matched on the Chinese) and give,
as "first appears in", the first notebook (by number) that introduces it.
"""
import json
import re
from pathlib import Path

SOLUTIONS = Path(__file__).resolve().parents[1] / "solutions"

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

"""Every notebook asks the learner to predict before running, and every 练习 has a worked answer (issue 12, section 3).

A "Think!" question is a markdown cell that starts with **Think!**, sits right before the code cell it asks about,
and hides its answer in <details>, which the learner opens after answering. The worked answers to each notebook's
练习 (Further exercises) are in the instructor kit, one numbered answer per item.
"""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# NN_name.ipynb, and a notebook between two numbers with a letter: 07b_capstone.ipynb
NOTEBOOKS = sorted((ROOT / "solutions").glob("[0-9][0-9]*_*.ipynb"))
ANSWERS = ROOT / "solutions" / "instructor" / "exercise_answers.md"
# The worked answers in each language, and the folder of that language's solution notebooks (same file names).
ANSWERS_IN = {"en": (ANSWERS, ROOT / "solutions"),
              "zh": (ROOT / "solutions" / "instructor" / "zh" / "exercise_answers.md", ROOT / "solutions" / "zh")}


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def think_questions(path) -> list[int]:
    """Indices of the well-formed Think! cells: question, hidden answer, then the code cell it is about."""
    nb = cells(path)
    found = []
    for i, cell in enumerate(nb):
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and text.startswith("**Think!**"):
            hidden = re.search(r"<details><summary>[^<]+</summary>\s*\S.*?</details>", text, re.S)
            assert hidden, f"{path.name} cell {i}: a Think! question hides its answer in <details><summary>...</details>"
            assert i + 1 < len(nb) and nb[i + 1]["cell_type"] == "code", \
                f"{path.name} cell {i}: a Think! question comes right before the code cell it asks about"
            found.append(i)
    return found


def exercise_items(path) -> list[str]:
    """The numbered items of the notebook's 练习 (Further exercises) section."""
    for cell in cells(path):
        text = "".join(cell["source"])
        # the heading line "## 练习" (Chinese) or "## 练习 (Further exercises)", not "### 练习1：`neuron`"
        heading = re.search(r"^## 练习(?!\w)", text, re.M) if cell["cell_type"] == "markdown" else None
        if heading:
            section = text[heading.end():].split("\n## ", 1)[0]
            return re.findall(r"^(\d+)\. ", section, re.M)
    return []


def answer_items(answers=ANSWERS) -> dict[str, list[str]]:
    """{notebook stem: numbers of its worked answers} from the kit's exercise_answers.md (or its translation)."""
    sections = re.split(r"^## ", answers.read_text(encoding="utf-8"), flags=re.M)[1:]
    return {s.split("\n", 1)[0].strip(): re.findall(r"^(\d+)\. \*\*", s, re.M) for s in sections}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_has_a_think_question(path):
    assert think_questions(path), f"{path.name}: add a **Think!** question before a code cell (see AUTHORING.md)"


@pytest.mark.parametrize("lang", ANSWERS_IN)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_further_exercise_has_a_worked_answer(path, lang):
    """The English answers follow the English notebook's 练习, the Chinese answers the Chinese notebook's
    (the English one until the Chinese notebook is written: a translation has the same items)."""
    answers_file, folder = ANSWERS_IN[lang]
    notebook = folder / path.name if (folder / path.name).is_file() else path
    items = exercise_items(notebook)
    assert items, f"{notebook.relative_to(ROOT)}: no numbered 练习 (Further exercises)"
    answers = answer_items(answers_file).get(path.stem)
    name = answers_file.relative_to(ROOT / "solutions" / "instructor")
    assert answers == items, (f"{name}, section {path.stem}: answers {answers} for the 练习 items {items}; "
                              "one numbered answer per item, in order")

"""The instructor's workshop kit (solutions/instructor/) keeps up with the notebooks and the checks.

Fails when a notebook solutions/NN_*.ipynb is added without a section in objectives.md, or an exercise
is registered without being mentioned in misconceptions.md.
"""
import re
from pathlib import Path

import pytest

import course.checks.exercises  # noqa: F401  (registers every exercise)
from course.checks import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
KIT = ROOT / "solutions" / "instructor"
NOTEBOOKS = sorted(p.stem for p in (ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))
# The course's exercises; names starting with "_" are registered by the tests themselves
# (tests/test_checks_core.py), as in tests/test_checks_all.py.
EXERCISES = {name: ex for name, ex in REGISTRY.items() if not name.startswith("_")}


def test_the_kit_has_its_files():
    for name in ("README.md", "objectives.md", "schedule.md", "misconceptions.md", "discussion.md"):
        assert (KIT / name).is_file(), f"solutions/instructor/{name} is missing"


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 10


def _sections(name):
    text = (KIT / name).read_text(encoding="utf-8")
    return {m.group(1) for m in re.finditer(r"^##\s+(\d\d_[A-Za-z0-9_]+)", text, flags=re.M)}


@pytest.mark.parametrize("kit_file", ["objectives.md", "discussion.md"])
def test_every_notebook_has_a_section(kit_file):
    missing = sorted(set(NOTEBOOKS) - _sections(kit_file))
    assert not missing, f"solutions/instructor/{kit_file} has no '## <notebook>' section for {missing}"


def test_objectives_sections_are_not_empty():
    text = (KIT / "objectives.md").read_text(encoding="utf-8")
    for stem in NOTEBOOKS:
        section = re.search(rf"^##\s+{stem}\b.*?\n(.*?)(?=^##\s|\Z)", text, flags=re.M | re.S)
        if section is None:
            continue  # reported by test_every_notebook_has_a_section
        assert re.search(r"^- ", section.group(1), flags=re.M), f"objectives.md: no objectives listed for {stem}"


def test_misconceptions_mention_every_exercise():
    text = (KIT / "misconceptions.md").read_text(encoding="utf-8")
    missing = sorted(name for name in EXERCISES if f"`{name}`" not in text)
    assert not missing, f"solutions/instructor/misconceptions.md does not mention the exercises {missing}"


def test_misconceptions_mention_every_named_mistake():
    text = (KIT / "misconceptions.md").read_text(encoding="utf-8")
    missing = sorted((name, m.name) for name, ex in EXERCISES.items() for m in ex.mistakes if m.name not in text)
    assert not missing, f"misconceptions.md lacks these named mistakes (regenerate it): {missing}"

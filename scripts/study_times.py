"""Study-time estimate of each solution notebook, as solutions/instructor/schedule.md describes it.

    python scripts/study_times.py [solutions/NN_*.ipynb ...]

reading = English words in markdown cells at 150 per minute + CJK characters at 300 per minute ($...$
removed); exercises = 8 minutes per registered exercise checked in a code cell. Prints one table row each.
tests/test_instructor_kit.py imports `counts` to check the kit's exercise counts against the notebooks.
"""
import math
import re
import sys
from pathlib import Path

import nbformat

import course.checks.exercises  # noqa: F401  (registers every exercise)
from course.checks import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
MINUTES_PER_EXERCISE = 8


def counts(path):
    """(English words, CJK characters, set of registered exercises checked) of one notebook."""
    nb = nbformat.read(path, as_version=4)
    text = " ".join(re.sub(r"\$[^$]*\$", " ", c.source) for c in nb.cells if c.cell_type == "markdown")
    words = len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’-]*", text))
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    code = " ".join(c.source for c in nb.cells if c.cell_type == "code")
    exercises = {n for n in re.findall(r"check\(\s*[\"']([^\"']+)[\"']", code) if n in REGISTRY}
    return words, han, exercises


def main(argv):
    paths = [Path(p) for p in argv] or sorted((ROOT / "solutions").glob("[0-9][0-9]*_*.ipynb"))
    for path in paths:
        words, han, exercises = counts(path)
        reading = math.ceil(words / 150 + han / 300)
        print(f"| {path.stem} | {words} | {han} | {len(exercises)} | {reading} | "
              f"{MINUTES_PER_EXERCISE * len(exercises)} |")


if __name__ == "__main__":
    main(sys.argv[1:])

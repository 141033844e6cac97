"""A number quoted in a solution notebook's prose is printed by a cell of the same notebook (issue 12, section 4).

The numbers checked are the ones a reader takes for results: decimals (0.66, 2.30, 97.5) and percentages (11 %),
outside maths ($...$), code spans and link targets. One matches when some number in the notebook's stored text
outputs rounds to it at the prose's precision, directly or as a fraction (0.792 for 79.2 %). Whole numbers that are
not percentages (layer sizes, counts of images) are too many to tell from settings and are not checked.

A quoted number that is not a printed result (an exercise's setting, a target, a bound, a derived constant) is
listed in NOT_RESULTS with the reason; anything else unprinted fails, e.g. prose that kept "97.74 %" after a
re-run printed "97.68%".
"""
import json
import re
from pathlib import Path

import pytest

SOLUTIONS = Path(__file__).resolve().parents[1] / "solutions"

# (notebook prefix, number as the prose writes it) -> why it is not a printed result
NOT_RESULTS = {
    ("00", "97.5"): "a target (06 asserts its test accuracy passes it)",
    ("06", "97.5"): "the target the test-accuracy cell asserts (a printed 97.46 % only rounds to it by chance)",
    ("01", "0.05"): "a learning rate a 练习 asks the learner to try",
    ("01", "95"): "the accuracy a 练习 asks the learner to reach",
    ("02", "88.7"): "float32's overflow limit for exp, ln(3.4e38), derived in the sentence",
    ("06", "80"): "a bound: 'under 80 %' about the printed 77.4 %",
    ("07", "0.99"): "a momentum a 练习 asks the learner to try",
    ("08", "1.461"): "log(1 + 9/e), the double softmax's lowest loss, derived in cell 43",
    ("09", "70"): "7.0e-04 printed in cell 28, as a share of the step eta = 0.001",
}

_SKIP = re.compile(r"\$\$.*?\$\$|\$[^$\n]*\$|`[^`]*`|\]\([^)]*\)", re.S)
_QUOTED = re.compile(r"(?<![\w.])(\d+\.\d+|\d+(?= ?%))(?![\w.]?\d)")
_PRINTED = re.compile(r"\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def printed_text(nb: dict) -> str:
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            if out.get("output_type") == "stream":
                parts.append("".join(out["text"]))
            elif "text/plain" in out.get("data", {}):
                parts.append("".join(out["data"]["text/plain"]))
    return "\n".join(parts)


def quoted_numbers(markdown: str) -> list[str]:
    return _QUOTED.findall(_SKIP.sub(" ", markdown))


def is_printed(number: str, printed: list[float]) -> bool:
    decimals = len(number.split(".")[1]) if "." in number else 0
    value, half = float(number), 0.5 * 10 ** -decimals + 1e-9
    return any(abs(candidate - value) <= half for y in printed for candidate in (y, 100 * y))


def unprinted(nb: dict, prefix: str) -> list[str]:
    printed = [float(n) for n in _PRINTED.findall(printed_text(nb))]
    found = []
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        for number in quoted_numbers("".join(cell["source"])):
            if (prefix, number) not in NOT_RESULTS and not is_printed(number, printed):
                found.append(f"cell {index}: {number}")
    return found


@pytest.mark.parametrize("path", [*sorted(SOLUTIONS.glob("*.ipynb")), *sorted(SOLUTIONS.glob("zh/*.ipynb"))],
                         ids=lambda p: "/".join(p.parts[-2:]) if p.parent.name == "zh" else p.name)
def test_every_number_in_the_prose_is_printed_beside_it(path):
    missing = unprinted(json.loads(path.read_text(encoding="utf-8")), path.name.split("_")[0])  # "07", "07b"
    assert not missing, (f"{path.name}: numbers in the prose that no cell prints: {missing}. Print them, say what "
                         "stays true, or (for a setting, target or constant) add them to NOT_RESULTS with the reason")


def test_stale_prose_is_caught():
    nb = {"cells": [
        {"cell_type": "code", "source": "", "outputs": [{"output_type": "stream", "text": "test accuracy: 97.68%\n"}]},
        {"cell_type": "markdown", "source": "It reaches 97.74 %, $\\ln 10 \\approx 2.30$, with `lr=0.5`."},
        {"cell_type": "markdown", "source": "It reaches 97.7 %: 0.9768 as a fraction."},
    ]}
    assert unprinted(nb, "99") == ["cell 1: 97.74", "cell 2: 0.9768"]
    assert is_printed("97.7", [0.9768]) and is_printed("98", [97.68]) and not is_printed("97.6", [97.68])


def test_every_exemption_is_still_quoted():
    for prefix, number in NOT_RESULTS:
        path = next(SOLUTIONS.glob(f"{prefix}_*.ipynb"))
        nb = json.loads(path.read_text(encoding="utf-8"))
        quoted = [n for c in nb["cells"] if c["cell_type"] == "markdown" for n in quoted_numbers("".join(c["source"]))]
        assert number in quoted, f"NOT_RESULTS[{prefix!r}, {number!r}]: the prose no longer quotes it; remove the entry"

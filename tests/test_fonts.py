"""Chinese in figures without a system font (course/fonts.py): the shipped font draws every 汉字 the course
draws, and matplotlib warns about no missing glyph."""
import warnings

import matplotlib
import pytest

from course import catalogs, fonts
from course.authoring import ROOT


def shown_chinese() -> str:
    """Every translation the course can draw or print: the run-time catalogs and the notebooks' strings."""
    texts = []
    for po in sorted((catalogs.LOCALE_DIR).glob("*/LC_MESSAGES/*.po")):
        texts += [str(m.string) for m in catalogs.read(po) if m.id]
    for po in sorted((ROOT / "solutions").glob("*/*.po")):
        texts += [str(m.string) for m in catalogs.read(po) if m.id and m.string and not str(m.id).startswith("#")]
    return "".join(texts)


def test_the_font_has_every_character_the_course_draws():
    missing = fonts.missing(shown_chinese())
    assert not missing, (f"{len(missing)} character(s) the translations use are not in {fonts.FONT.name} "
                         f"(GB 2312): {''.join(sorted(missing))[:40]}; use a common character instead")


def test_the_font_file_is_small_and_licensed():
    assert fonts.FONT.stat().st_size < 2_000_000
    assert (fonts.FONT.parent / "LICENSE-OFL.txt").read_text(encoding="utf-8").startswith(
        "This Font Software is licensed under the SIL Open Font License")


def test_a_chinese_figure_draws_without_missing_glyphs(tmp_path):
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    assert fonts.use() == fonts.FAMILY
    with warnings.catch_warnings():
        # "Glyph ... missing from font(s)" is a UserWarning: fail on it
        warnings.filterwarnings("error", message=r"(?s).*(Glyph|missing from font)")
        fig, ax = plt.subplots()
        ax.set_title("损失函数随迭代周期下降：σ(z) = 0.5，准确率97.7%")
        ax.plot([0, 1], [1, 0], label="训练集")
        ax.set_xlabel("迭代周期（epoch）")
        ax.legend()
        fig.savefig(tmp_path / "zh.png")
        plt.close(fig)
    assert matplotlib.rcParams["font.family"][-1] == fonts.FAMILY
    fonts.use()  # twice: still one entry
    assert matplotlib.rcParams["font.family"].count(fonts.FAMILY) == 1


def test_a_character_outside_the_font_is_reported():
    assert fonts.missing("神经元𠀀") == {"𠀀"}


def test_the_font_is_the_fallback_when_the_course_is_imported_first():
    # notebook 09 imports course (and TensorFlow's settings) before matplotlib
    import subprocess
    import sys

    code = ("import warnings, course, matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt\n"
            "warnings.simplefilter('error')\n"
            "fig, ax = plt.subplots(); ax.set_title('迭代周期'); fig.savefig(__import__('io').BytesIO())\n"
            "print(matplotlib.rcParams['font.family'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert fonts.FAMILY in out.stdout


@pytest.mark.parametrize("path", [*sorted((ROOT / "solutions").glob("*.ipynb")),
                                  *sorted((ROOT / "solutions").glob("zh/*.ipynb"))],
                         ids=lambda p: "/".join(p.parts[-2:]))
def test_no_stored_output_reports_a_missing_glyph(path):
    import nbformat

    found = [i for i, cell in enumerate(nbformat.read(path, as_version=4).cells) if cell.cell_type == "code"
             for out in cell.get("outputs", []) if "missing from font" in str(out.get("text", ""))
             or "does not have a glyph" in str(out.get("text", ""))]
    assert not found, f"{path.name}: cells {found} warn that a glyph is missing (a box in the figure)"


def test_chinese_mixed_with_maths_draws_every_glyph(monkeypatch, caplog, tmp_path):
    # mathtext draws the words of a label holding $maths$ with one font, found without fallback: in Chinese
    # the course font comes first, or 汉字 next to maths are boxes ("Font 'default' does not have a glyph")
    import logging

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.setenv("COURSE_LANG", "zh")
    monkeypatch.setitem(matplotlib.rcParams, "font.family", ["sans-serif"])
    fonts.use()
    assert matplotlib.rcParams["font.family"] == [fonts.FAMILY, "sans-serif"]
    with caplog.at_level(logging.WARNING, logger="matplotlib"):
        fig, ax = plt.subplots()
        ax.set(xlabel=r"真实类别的logit $z_y$（其余9个为0）", title=r"验证损失：$-\log p$(真实数字)", yscale="log")
        ax.plot([-1, 1], [1e-3, 1])  # tick labels with matplotlib's minus sign, U+2212
        fig.savefig(tmp_path / "maths.png")
        plt.close(fig)
    assert not [r.getMessage() for r in caplog.records if "glyph" in r.getMessage()]

"""Chinese in figures on any machine: a CJK font ships with the course and matplotlib falls back to it.

course/datafiles/fonts/CourseSansSC-Regular.otf is Noto Sans CJK SC 2.004 (Google and Adobe, SIL Open
Font License 1.1, LICENSE-OFL.txt beside it), cut by scripts/make_font.py to GB 2312 (every 汉字 of it, its
punctuation, Greek and symbols), ASCII and the other characters the course's texts use (7,557 in all) and
renamed "Course Sans SC", as the OFL
asks of a modified font: 1.6 MB instead of 16 MB. `use()` registers it with matplotlib and adds it to the
font families: in English after DejaVu Sans, which keeps Latin text, digits and maths while a 汉字 comes from
this font (matplotlib's per-glyph fallback, 3.6 and later); in Chinese before it. No "Glyph ... missing"
warning and no boxes, with no system font installed. A character outside GB 2312 (a rare
name) is still missing; tests/test_fonts.py checks every 汉字 the course itself draws is in the font.
"""
from __future__ import annotations

import importlib.abc
import importlib.util
import sys
from pathlib import Path

FONT = Path(__file__).resolve().parent / "datafiles" / "fonts" / "CourseSansSC-Regular.otf"
FAMILY = "Course Sans SC"
_done = False


def use() -> str:
    """Register the course's CJK font with matplotlib (once) and add it to rcParams["font.family"]: last in
    English, so Latin text keeps DejaVu Sans and only 汉字 come from it; first in Chinese (course.i18n's
    language), because a label that mixes 汉字 with $maths$ draws its words with the one font matplotlib
    finds for it (mathtext has no per-glyph fallback), which must then be this one. Returns the family name.
    Imports matplotlib; changes only rcParams["font.family"]."""
    global _done
    import matplotlib
    from matplotlib import font_manager

    from .i18n import language

    if not _done:
        font_manager.fontManager.addfont(str(FONT))
        _done = True
    families = [f for f in matplotlib.rcParams["font.family"] if f != FAMILY]
    matplotlib.rcParams["font.family"] = [FAMILY, *families] if language() == "zh" else [*families, FAMILY]
    return FAMILY


def use_when_imported() -> None:
    """`use()` now if matplotlib is imported, else right after the first `import matplotlib` (a notebook may
    import the course first). Imports nothing itself, so `import course` stays light."""
    if "matplotlib" in sys.modules:
        use()
    elif not any(isinstance(finder, _AfterMatplotlib) for finder in sys.meta_path):
        sys.meta_path.insert(0, _AfterMatplotlib())


class _AfterMatplotlib(importlib.abc.MetaPathFinder):
    """Finds nothing; when matplotlib is first imported, makes its loader call `use()` after it ran."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "matplotlib":
            return None
        sys.meta_path.remove(self)  # once, and not while finding the real spec below
        spec = importlib.util.find_spec(fullname)
        if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
            run = spec.loader.exec_module

            def exec_module(module):
                run(module)
                use()

            spec.loader.exec_module = exec_module
        return spec


def missing(text: str) -> set[str]:
    """The characters of `text` that are 汉字 or CJK punctuation and NOT in the course's font."""
    from fontTools.ttLib import TTFont

    cmap = _cmap(TTFont)
    return {ch for ch in text if _is_cjk(ch) and ord(ch) not in cmap}


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or 0x20000 <= ord(ch) <= 0x3FFFF


_CMAP: set | None = None


def _cmap(TTFont) -> set:
    global _CMAP
    if _CMAP is None:
        _CMAP = set(TTFont(str(FONT)).getBestCmap())
    return _CMAP

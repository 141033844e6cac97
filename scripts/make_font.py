"""Make course/datafiles/fonts/CourseSansSC-Regular.otf, the CJK font that ships with the course.

    python -m pip download --no-deps noto-cjk-sans-otc==0.0.1 -d /tmp/font   # Noto Sans CJK 2.004, OFL 1.1
    unzip -o /tmp/font/noto_cjk_sans_otc-0.0.1-py3-none-any.whl -d /tmp/font
    python scripts/make_font.py /tmp/font/noto_cjk_sans_otc/NotoSansCJK-Regular.ttc

Takes the Simplified Chinese face (SC) of the collection and keeps, with fontTools (a matplotlib
dependency): every character of GB 2312 (its 6,763 汉字, punctuation, Greek and symbols), ASCII, the
Chinese punctuation below, and every other character the translations and the English notebooks use
that the face has (− for matplotlib's minus sign, ∂, ✓ ...). Layout tables and hinting are dropped and the
family is renamed "Course Sans SC", as the SIL Open Font License asks of a modified font (LICENSE-OFL.txt).
"""
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "course" / "datafiles" / "fonts" / "CourseSansSC-Regular.otf"
FAMILY, POSTSCRIPT = "Course Sans SC", "CourseSansSC-Regular"
PUNCTUATION = "，。：；？！“”‘’（）《》、…—·【】「」『』～"
MATHS = "−‖·…→←↑↓⇒√∂∇∑∏∫≈≠≤≥±×÷∞θσημαβγδελπρτφωΣΔ∈ᵀ′″²³¹⁰⁻ⁱ₀₁₂₃ᵢⱼ°µ⋅∘⊙⊕⊗"


def gb2312() -> set[str]:
    found = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                found.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return found


def used() -> set[str]:
    """Every character of the Chinese catalogs and notebooks' translations and of the English notebooks."""
    found = set()
    for po in [*ROOT.glob("solutions/zh/*.po"), *ROOT.glob("course/locale/*/LC_MESSAGES/*.po")]:
        with open(po, "rb") as f:
            for message in read_po(f):
                strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
                found |= set("".join(s or "" for s in strings))
    for notebook in ROOT.glob("solutions/*.ipynb"):
        found |= set(notebook.read_text(encoding="utf-8"))
    return found


def main(collection: str) -> None:
    face = next(f for f in TTCollection(collection).fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")
    source = Path("/tmp/NotoSansCJKsc-Regular.otf")
    face.save(source)
    has = set(face.getBestCmap())
    chars = gb2312() | {chr(i) for i in range(0x20, 0x7F)} | set(PUNCTUATION)
    chars |= {c for c in used() | set(MATHS) if ord(c) in has}
    options = subset.Options()
    options.layout_features, options.hinting, options.name_IDs, options.notdef_outline = [], False, ["*"], True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = f"{FAMILY} Regular"
        elif record.nameID == 6:
            record.string = POSTSCRIPT
        elif record.nameID == 3:
            record.string = f"2.004;{POSTSCRIPT}"
    cff = font["CFF "].cff
    cff.fontNames = [POSTSCRIPT]
    for key in ("FullName", "FamilyName"):
        if hasattr(cff.topDictIndex[0], key):
            setattr(cff.topDictIndex[0], key, FAMILY)
    font.save(OUT)
    print(f"{OUT.relative_to(ROOT)}: {len(chars)} characters, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])

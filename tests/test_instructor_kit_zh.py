"""The Chinese instructor kit (solutions/instructor/zh/) is a translation of the English one: the same structure,
the same numbers, code and maths, and links that work from one folder deeper.

tests/test_instructor_kit.py and tests/test_think_and_answers.py run their structural checks on both kits (every
notebook has a discussion section, every question an answer sketch of 2-4 sentences, every 练习 a worked answer,
ranges of notebooks are real). This file adds what only a translation needs: each Chinese file against its English
source, item by item; counts written the Chinese way (33个练习); links; and the glossary's words.
"""
import re
from collections import Counter
from pathlib import Path

import pytest

import test_glossary as glossary
import test_instructor_kit as kit

ROOT = Path(__file__).resolve().parent.parent
EN, ZH = kit.KIT, kit.KIT / "zh"
TRANSLATED = ["discussion.md", "exercise_answers.md"]  # translated paragraph by paragraph from the English
HAN = "\u4e00-\u9fff"

FENCE = re.compile(r"^[ \t]*```.*?^[ \t]*```[ \t]*$", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]+`")
MATHS = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.S)
# A number as written: 109,386, 97.5, 1e-3 (as 1 and 3), 55 000 (as 55 and 000); superscripts are not digits.
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# 1-D and 2-D are words (一维, 二维), not numbers
DIMENSIONS = re.compile(r"\b\d-D\b")


def read(path):
    return path.read_text(encoding="utf-8")


def sections(text):
    """{notebook stem: its section's text} for every '## NN_name' heading."""
    return {m.group(1): m.group(2) for m in re.finditer(rf"^##\s+({kit.STEM})[^\n]*\n(.*?)(?=^##\s|\Z)", text,
                                                        flags=re.M | re.S)}


def items(section):
    """The numbered items of a section (a discussion question with its sketch, or one worked answer), in order."""
    return re.split(r"^(?=\d+\. )", section, flags=re.M)[1:]


def prose(text):
    """`text` without fenced code, inline code and maths: what a translator translates."""
    return MATHS.sub(" ", INLINE_CODE.sub(" ", FENCE.sub(" ", text)))


def numbers(text):
    return NUMBER.findall(DIMENSIONS.sub(" ", prose(text)))


def pairs(name):
    """[(where, English item, Chinese item)] for every numbered item of every notebook in kit file `name`."""
    en, zh = sections(read(EN / name)), sections(read(ZH / name))
    found = []
    for stem in en:
        for number, (a, b) in enumerate(zip(items(en[stem]), items(zh.get(stem, ""))), 1):
            found.append((f"zh/{name}, {stem}, item {number}", a, b))
    return found


def test_the_chinese_kit_has_the_translations():
    for name in TRANSLATED:
        assert (ZH / name).is_file(), f"solutions/instructor/zh/{name} is missing"


@pytest.mark.parametrize("name", TRANSLATED)
def test_the_same_notebooks_and_items_as_the_english(name):
    """The same '## notebook' sections in the same order, each with as many numbered items as the English."""
    en, zh = sections(read(EN / name)), sections(read(ZH / name))
    assert list(zh) == list(en), f"zh/{name}: sections {list(zh)}, the English has {list(en)}"
    for stem in en:
        n_en, n_zh = len(items(en[stem])), len(items(zh[stem]))
        assert n_zh == n_en, f"zh/{name}, {stem}: {n_zh} numbered items, the English has {n_en}"


def test_every_worked_answer_starts_with_its_title_in_bold():
    for where, _, zh in pairs("exercise_answers.md"):
        assert re.match(r"\d+\. \*\*[^*]+\*\*", zh), f"{where}: start with the item's title in bold, as the English"


@pytest.mark.parametrize("name", TRANSLATED)
def test_code_blocks_are_the_english_ones(name):
    """Code is not translated: each item's fenced code blocks are the English ones, character for character."""
    for where, en, zh in pairs(name):
        assert FENCE.findall(zh) == FENCE.findall(en), f"{where}: the code blocks differ from the English"


@pytest.mark.parametrize("name", TRANSLATED)
def test_maths_is_the_english_maths(name):
    for where, en, zh in pairs(name):
        en_maths, zh_maths = Counter(MATHS.findall(FENCE.sub(" ", en))), Counter(MATHS.findall(FENCE.sub(" ", zh)))
        assert en_maths == zh_maths, (f"{where}: maths only in the English {sorted((en_maths - zh_maths).elements())}, "
                                      f"only in the Chinese {sorted((zh_maths - en_maths).elements())}")


@pytest.mark.parametrize("name", TRANSLATED)
def test_inline_code_is_kept(name):
    """Every `code` of an English item is in its translation: names, expressions, and output quoted as the
    English kit quotes it."""
    for where, en, zh in pairs(name):
        missing = Counter(INLINE_CODE.findall(FENCE.sub(" ", en))) - Counter(INLINE_CODE.findall(FENCE.sub(" ", zh)))
        missing = sorted(missing.elements())
        assert not missing, f"{where}: the English's inline code {missing} is missing"


@pytest.mark.parametrize("name", TRANSLATED)
def test_the_numbers_are_the_english_numbers(name):
    """Every number the English item writes in digits is in the translation (as often); the Chinese may add some
    (3个迭代周期 for "three epochs")."""
    for where, en, zh in pairs(name):
        missing = Counter(numbers(en)) - Counter(numbers(zh))
        assert not missing, f"{where}: the numbers {sorted(missing.elements())} of the English are missing"


def test_the_parsers_see_a_missing_chinese_sketch():
    text = ("## 01_the_neuron\n\n1. 为什么？\n   真的吗？\n\n   *答案要点：* 因为如此。见第2节。\n\n"
            "2. 这个呢？\n\n   *Answer sketch:* An English sketch does not count.\n\n3. 行内的？*斜体的要点。*\n")
    found = kit.discussion_questions(text, "zh")["01_the_neuron"]
    assert [sketch is not None for _, sketch in found] == [True, False, False]
    assert len(kit.sentences(found[0][1], "zh")) == 2
    assert len(kit.sentences("*答案要点：* `np.log(x).sum()`在这里是2.30。对吗？是的！", "zh")) == 3
    assert len(kit.sentences("*答案要点：* $0.25^{10} \\approx 10^{-6}$，所以不行。", "zh")) == 1


# --- counts the Chinese way: "33个练习", "162个有名字的错误", "11个笔记本" are the course's true counts.

ZH_COUNT = re.compile(r"(?<![\d.,])(\d+)个(?:注册的|已注册的|有名字的)?(练习|有名字的错误|笔记本|时段)(?![列题])")
WHAT = {"练习": "exercise", "有名字的错误": "mistake", "笔记本": "notebook", "时段": "block"}


def zh_count_errors(name, text):
    truth = {"exercise": len(kit.EXERCISES), "mistake": kit.N_MISTAKES, "notebook": len(kit.NOTEBOOKS),
             "block": len(kit.NOTEBOOKS)}
    errors = []
    for m in ZH_COUNT.finditer(prose(text)):
        what = WHAT[m.group(2)]
        if int(m.group(1)) != truth[what]:
            errors.append(f"zh/{name}: '{m.group(0)}', but the course has {truth[what]} {what}s")
    # "`neuron`的8个`Mistake`" / "`neuron`有8个有名字的错误": that exercise's own count
    for m in re.finditer(r"`(\w+)`(?:的|有)(\d+)个(?:`Mistake`|有名字的错误)", text):
        exercise, n = m.group(1), int(m.group(2))
        if exercise in kit.EXERCISES and n != len(kit.EXERCISES[exercise].mistakes):
            errors.append(f"zh/{name}: '{m.group(0)}', but `{exercise}` has {len(kit.EXERCISES[exercise].mistakes)}")
    return errors


def test_the_chinese_count_checker_sees_wrong_counts():
    n = len(kit.EXERCISES)
    assert not zh_count_errors("x.md", f"全部{n}个练习；100个学员、25个练习列")
    assert zh_count_errors("x.md", f"全部{n - 1}个练习")
    assert zh_count_errors("x.md", "`neuron`的1个`Mistake`") and not zh_count_errors(
        "x.md", f"`neuron`的{len(kit.EXERCISES['neuron'].mistakes)}个`Mistake`")


def test_counts_in_the_chinese_kit_are_true():
    errors = [e for path in sorted(ZH.glob("*.md")) for e in zh_count_errors(path.name, read(path))]
    assert not errors, "counts in solutions/instructor/zh/ that are not the course's:\n" + "\n".join(errors)


# --- links: the Chinese kit sits one folder deeper; every relative link must reach a file.

LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("path", sorted(ZH.glob("*.md")), ids=lambda p: p.name)
def test_relative_links_resolve(path):
    broken = []
    for target in LINK.findall(FENCE.sub(" ", read(path))):
        if re.match(r"[a-z]+:|#", target):
            continue
        if not (path.parent / target.split("#")[0]).exists():
            broken.append(target)
    assert not broken, f"zh/{path.name}: links that reach no file: {broken}"


def test_the_chinese_readme_links_the_chinese_translations():
    links = LINK.findall(read(ZH / "README.md"))
    for name in TRANSLATED:
        assert name in links, f"zh/README.md: link {name} (the Chinese version), not ../{name}"
        assert f"../{name}" not in links, f"zh/README.md still links the English ../{name} in its table"


# --- words: the glossary's terms, never the renderings it rules out, and d2l-zh's spacing and punctuation.

# ZH_STYLE.md and I18N_BRIEF.md: never these (the glossary's "other translations" are added below)
AVOIDED = ["权值", "隐层", "激励函数", "轮次", "时期", "批次", "学习速率", "链式规则", "丢弃法", "批归一化"]


@pytest.mark.parametrize("name", TRANSLATED)
def test_no_ruled_out_translation(name):
    others = glossary.other_translations(ROOT / "solutions" / "glossary.ipynb")
    words = sorted(set(others) | set(AVOIDED), key=len, reverse=True)
    text = prose(read(ZH / name))
    found = sorted({w for w in words if w in text})
    assert not found, f"zh/{name} uses {found}; write the glossary's 中文 (solutions/glossary.ipynb)"


@pytest.mark.parametrize("name", TRANSLATED)
def test_no_space_between_han_and_latin_and_chinese_punctuation(name):
    """d2l-zh writes 使用NumPy计算, 第4节, 97.5%: no space between 汉字 and Latin letters, digits, code or maths;
    and Chinese punctuation after 汉字 (，not ,)."""
    problems = []
    for number, line in enumerate(FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), read(ZH / name)).splitlines(), 1):
        plain = MATHS.sub("$", INLINE_CODE.sub("`", line))
        for m in re.finditer(rf"[{HAN}] +[A-Za-z0-9`$*]|[A-Za-z0-9`$%] +[{HAN}]|[{HAN}][,;:?!]", plain):
            if not re.match(r"\d+\. ", plain[max(0, m.start() - 2):]):
                problems.append(f"line {number}: '{m.group(0)}'")
    assert not problems, f"zh/{name}:\n" + "\n".join(problems[:30])


def test_chinese_schedule_has_the_measured_chinese_reading_times():
    """zh/schedule.md's table and timetables are what `scripts/study_times.py --lang zh --plans` prints now,
    from the Chinese notebooks (汉字 at 300 a minute): a change of the Chinese text shows here."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "scripts/study_times.py", "--lang", "zh", "--plans"], cwd=root,
                         capture_output=True, text=True, check=True).stdout
    schedule = (root / "solutions" / "instructor" / "zh" / "schedule.md").read_text(encoding="utf-8")
    rows = [line for line in out.splitlines() if line.startswith("|")]
    assert len(rows) > 30
    stale = [row for row in rows if row not in schedule]
    assert not stale, ("solutions/instructor/zh/schedule.md differs from `python scripts/study_times.py --lang zh "
                       f"--plans`; paste its output: {stale[:3]}")

"""Study-time estimate of each solution notebook, as solutions/instructor/schedule.md describes it, in English
or, with --lang zh, for the Chinese notebooks (solutions/instructor/zh/schedule.md).

    python scripts/study_times.py [solutions/NN_*.ipynb ...]
    python scripts/study_times.py --lang zh [--plans] [solutions/zh/NN_*.ipynb ...]

reading = English words in markdown cells at 150 per minute + CJK characters at 300 per minute ($...$
removed); exercises = 8 minutes per registered exercise checked in a code cell. Prints one table row each.

With --lang zh the notebooks are the Chinese ones, solutions/zh/NN_*.ipynb; a Chinese notebook not written yet
is translated in memory from its English source and its PO file (solutions/zh/NN_*.po), as the build does, and
one whose translation is incomplete is reported as such. The same rule reads them: 汉字 at 300 a minute, the
English words left in them (code, names, term tags) at 150. The run times are the ones measured for
the English notebooks (solutions/instructor/schedule.md's table): the code is the same. Each row ends with
the block: reading + exercises + run time + 10 minutes of discussion, reading unrounded, rounded to the minute.
--plans also prints the zh schedule's three timetables, computed from those blocks.

tests/test_instructor_kit.py imports `counts` to check the kit's exercise counts against the notebooks.
"""
import argparse
import math
import re
import sys
from pathlib import Path

import nbformat

import course.checks.exercises  # noqa: F401  (registers every exercise)
from course.checks import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
MINUTES_PER_EXERCISE = 8
WORDS_PER_MINUTE = 150  # English technical prose with formulas
HAN_PER_MINUTE = 300  # Chinese technical prose (汉字)
DISCUSSION = 10  # minutes per block
DEMONSTRATION = 3  # minutes per exercise demonstrated in the half day
SCHEDULE = ROOT / "solutions" / "instructor" / "schedule.md"


def counts(path):
    """(English words, CJK characters, set of registered exercises checked) of one notebook."""
    return counts_of(nbformat.read(path, as_version=4))


def counts_of(nb):
    """counts() of a notebook already read."""
    text = " ".join(re.sub(r"\$[^$]*\$", " ", c.source) for c in nb.cells if c.cell_type == "markdown")
    words = len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’-]*", text))
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    code = " ".join(c.source for c in nb.cells if c.cell_type == "code")
    exercises = {n for n in re.findall(r"check\(\s*[\"']([^\"']+)[\"']", code) if n in REGISTRY}
    return words, han, exercises


def reading_minutes(words, han):
    return words / WORDS_PER_MINUTE + han / HAN_PER_MINUTE


def measured_run_times(schedule=SCHEDULE):
    """{notebook: run time in seconds} from the English schedule's table (its 7th column)."""
    runs = {}
    for line in Path(schedule).read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 9 and re.fullmatch(r"\d\d[a-z]?_\w+", cells[0]):
            runs[cells[0]] = float(cells[6])
    return runs


def chinese_notebook(stem, solutions=ROOT / "solutions"):
    """The Chinese notebook `stem`: solutions/zh/<stem>.ipynb if it is written, else translated in memory from
    solutions/<stem>.ipynb and solutions/zh/<stem>.po. Raises ValueError saying why when it cannot be had."""
    written = solutions / "zh" / f"{stem}.ipynb"
    if written.is_file():
        return nbformat.read(written, as_version=4)
    from course import catalogs
    from course.nbtranslate import TranslationError, translate

    po = solutions / "zh" / f"{stem}.po"
    if not po.is_file():
        raise ValueError(f"no {po.relative_to(ROOT)}")
    try:
        return translate(nbformat.read(solutions / f"{stem}.ipynb", as_version=4), catalogs.read(po), "zh")
    except TranslationError as e:
        raise ValueError(f"translation incomplete ({str(e).split(':')[0]})") from None


def english_rows(paths):
    for path in paths:
        words, han, exercises = counts(path)
        reading = math.ceil(reading_minutes(words, han))
        print(f"| {path.stem} | {words} | {han} | {len(exercises)} | {reading} | "
              f"{MINUTES_PER_EXERCISE * len(exercises)} |")


def chinese_rows(paths):
    """Print the zh schedule's table; return {stem: (reading, exercises, run seconds, block)} of the
    notebooks that could be counted."""
    runs = measured_run_times()
    found, missing = {}, []
    totals = [0, 0, 0, 0.0, 0, 0.0, 0]
    print("| 笔记本 | 汉字 | 英文词 | 练习 | 阅读（分钟） | 练习（分钟） | 运行时间（秒，实测） | 时段（分钟） |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for stem, source in paths:
        try:
            nb = source() if callable(source) else nbformat.read(source, as_version=4)
        except ValueError as e:
            missing.append(stem)
            print(f"| {stem} | – | – | – | – | – | {runs.get(stem, '–')} | – |  <!-- {e} -->")
            continue
        words, han, exercises = counts_of(nb)
        reading, ex_min, run = reading_minutes(words, han), MINUTES_PER_EXERCISE * len(exercises), runs[stem]
        block = round(reading + ex_min + run / 60 + DISCUSSION)
        found[stem] = (reading, exercises, run, block)
        for i, value in enumerate((han, words, len(exercises), reading, ex_min, run, block)):
            totals[i] += value
        print(f"| {stem} | {han} | {words} | {len(exercises)} | {reading:.1f} | {ex_min} | {run} | {block} |")
    han, words, n, reading, ex_min, run, block = totals
    label = "**合计**" if not missing else f"**合计**（缺{len(missing)}个）"
    print(f"| {label} | {han} | {words} | {n} | {reading:.1f} | {ex_min} | {run:.1f} | {block} |")
    if missing:
        print(f"\n未计入（中文笔记本还不完整）：{', '.join(missing)}", file=sys.stderr)
    return found


# --------------------------------------------------------------------------- the zh schedule's timetables
# The English schedule's half day: which notebooks are read before the day, and which exercises the learners
# do in the room (the others of 01-06 are demonstrated). The zh half day keeps the same split.
PRE_READ = {"00_welcome", "02_activation_functions", "04_loss_functions", "05_backpropagation"}
DONE = {"01_the_neuron": ["neuron"], "02_activation_functions": ["softmax"],
        "03_layers_and_forward_propagation": ["dense_forward", "forward"],
        "04_loss_functions": ["softmax_cross_entropy"], "05_backpropagation": ["dense_backward"],
        "06_training_an_mlp": ["sgd_step", "iterate_minibatches"]}


def clock(minutes):
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def timetable(items, start=9 * 60):
    """Markdown rows | start-end | label | minutes | for (label, minutes) from `start`; returns (rows, end)."""
    rows = []
    for label, minutes in items:
        rows.append(f"| {clock(start)}-{clock(start + minutes)} | {label} | {minutes} |")
        start += minutes
    return rows, start


def plans(found):
    """Print the half day, the full day and the follow-up half day from the Chinese blocks (`found`)."""
    need = sorted(set(DONE) | PRE_READ | {"07_optimisers_and_practice", "07b_capstone", "08_pytorch",
                                          "09_tensorflow_keras", "10_applications"})
    lacking = [s for s in need if s not in found]
    if lacking:
        print(f"\n(the timetables need every notebook; not counted yet: {', '.join(lacking)})")
        return
    setup = ("准备：每台机器运行`python -m course doctor`，修好它报告的问题", 10)
    # Half day
    print("\n半天：各笔记本的时段\n")
    print("| 笔记本 | 课堂上阅读 | 学员自己做 | 讲师演示 | 时段（分钟） |\n| --- | --- | --- | --- | ---: |")
    half, pre = {}, 0.0
    for stem in ["00_welcome"] + list(DONE):
        reading, exercises, run, _ = found[stem]
        done = [e for e in DONE.get(stem, []) if e in exercises]
        shown = sorted(exercises - set(done), key=lambda e: list(REGISTRY).index(e))
        in_room = 0.0 if stem in PRE_READ else reading
        pre += reading if stem in PRE_READ else 0
        block = 0 if stem == "00_welcome" else round(in_room + MINUTES_PER_EXERCISE * len(done)
                                                      + DEMONSTRATION * len(shown) + run / 60 + DISCUSSION)
        half[stem] = block
        names = lambda xs: "、".join(f"`{x}`" for x in xs) or "无"  # noqa: E731
        room = "无（课前阅读）" if stem in PRE_READ else f"{in_room:.1f}分钟"
        print(f"| {stem} | {room} | {names(done)} | {names(shown)} | {block} |")
    items = [setup, ("01_the_neuron", half["01_the_neuron"]),
             ("02_activation_functions（课前已读）", half["02_activation_functions"]),
             ("03_layers_and_forward_propagation", half["03_layers_and_forward_propagation"]), ("休息", 15),
             ("04_loss_functions（课前已读）", half["04_loss_functions"]),
             ("05_backpropagation（课前已读）", half["05_backpropagation"]),
             ("06_training_an_mlp：训练循环，然后在MNIST上训练网络（第6-9节）", half["06_training_an_mlp"])]
    rows, end = timetable(items)
    wrap = max(0, min(10, 13 * 60 - end))  # the wrap-up fills the room up to 13:00, at most 10 minutes
    rows += timetable([("总结：今天遇到的误解，接下来学什么（07，然后07b-10）", wrap)], end)[0] if wrap else []
    end += wrap
    print(f"\n课前阅读：{round(pre)}分钟（00_welcome全文，以及02、04、05的正文）；"
          f"00-06的完整时段合计{sum(found[s][3] for s in ['00_welcome'] + list(DONE))}分钟。\n")
    print("| 时间 | 内容 | 分钟 |\n| --- | --- | ---: |")
    print(f"| 课前 | 课前阅读：00_welcome全文（包括运行`python -m course doctor`），02、04、05的正文 | （{round(pre)}，在家） |")
    print("\n".join(rows))
    print(f"\n{clock(end)}结束：课堂上共{end - 9 * 60}分钟。")
    if end > 13 * 60:
        print("（超过了4小时：把更多阅读放到课前，或者多演示几个练习。）")
    # Full day
    full = [setup, ("00_welcome", found["00_welcome"][3]), ("01_the_neuron", found["01_the_neuron"][3]), ("休息", 15),
            ("02_activation_functions", found["02_activation_functions"][3]),
            ("03_layers_and_forward_propagation", found["03_layers_and_forward_propagation"][3]), ("午饭", 60),
            ("04_loss_functions", found["04_loss_functions"][3]), ("05_backpropagation", found["05_backpropagation"][3]),
            ("休息", 15), ("06_training_an_mlp", found["06_training_an_mlp"][3]),
            ("07_optimisers_and_practice", found["07_optimisers_and_practice"][3]),
            ("总结与答疑；07b-10留给后续课程", 10)]
    rows, end = timetable(full)
    print("\n全天\n\n| 时间 | 内容 | 分钟 |\n| --- | --- | ---: |\n" + "\n".join(rows) + f"\n\n{clock(end)}结束。")
    follow = [setup, ("07b_capstone", found["07b_capstone"][3]), ("08_pytorch", found["08_pytorch"][3]),
              ("09_tensorflow_keras", found["09_tensorflow_keras"][3]), ("休息", 15),
              ("10_applications", found["10_applications"][3]), ("总结：接下来学什么（卷积神经网络和循环神经网络）", 10)]
    rows, end = timetable(follow)
    print("\n后续半天\n\n| 时间 | 内容 | 分钟 |\n| --- | --- | ---: |\n" + "\n".join(rows) + f"\n\n{clock(end)}结束。")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=["en", "zh"], default="en")
    parser.add_argument("--plans", action="store_true", help="with --lang zh: print the timetables too")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    if args.lang == "en":
        english_rows(args.notebooks or sorted((ROOT / "solutions").glob("[0-9][0-9]*_*.ipynb")))
        return 0
    if args.notebooks:
        paths = [(p.stem, p) for p in args.notebooks]
    else:
        stems = [p.stem for p in sorted((ROOT / "solutions").glob("[0-9][0-9]*_*.ipynb"))]
        paths = [(stem, lambda stem=stem: chinese_notebook(stem)) for stem in stems]
    found = chinese_rows(paths)
    if args.plans:
        plans(found)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

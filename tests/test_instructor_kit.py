"""The instructor's workshop kit (solutions/instructor/) keeps up with the notebooks and the checks.

Fails when a notebook solutions/NN_*.ipynb is added without a section in objectives.md, or an exercise
is registered without being mentioned in misconceptions.md, or misconceptions.md is not what
scripts/misconceptions.py writes from the registry; when a count or a range of notebooks stated
anywhere in the kit is not the one computed from solutions/ and the registry; when schedule.md's times do
not add up or its half day does not reach training on MNIST (06); and when a discussion question has no
answer sketch.
"""
import importlib.util
import re
from pathlib import Path

import pytest

import course.checks.exercises  # noqa: F401  (registers every exercise)
from course.checks import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
KIT = ROOT / "solutions" / "instructor"
# NN_name, and a notebook between two numbers with a letter (07b_capstone): its number is "07b", which sorts
# between "07" and "08", so ranges like 00-07 and 07b-10 compare numbers as strings.
NOTEBOOKS = sorted(p.stem for p in (ROOT / "solutions").glob("[0-9][0-9]*_*.ipynb"))
STEM = r"\d\d[a-z]?_[A-Za-z0-9_]+"


def number(stem):
    """A notebook's number: '07' for 07_optimisers_and_practice, '07b' for 07b_capstone."""
    return stem.split("_")[0]


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
    return {m.group(1) for m in re.finditer(rf"^##\s+({STEM})", text, flags=re.M)}


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


# --- Counts and lists: every number in the kit that counts the course's notebooks, exercises or named
# mistakes is computed here from solutions/ and the registry, so the kit cannot drift from the course.

KIT_FILES = sorted(KIT.glob("*.md"))
N_MISTAKES = sum(len(ex.mistakes) for ex in EXERCISES.values())
_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " \
         "sixteen seventeen eighteen nineteen".split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
NUMBER = r"\d+|(?:twenty|thirty|forty|fifty)(?:-[a-z]+)?|" + "|".join(_UNITS)


def _number(word):
    word = word.lower()
    if word.isdigit():
        return int(word)
    if word in _UNITS:
        return _UNITS.index(word)
    tens, _, unit = word.partition("-")
    return _TENS[tens] + (_UNITS.index(unit) if unit else 0)


def _script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _study_times():
    return _script("study_times")


def test_misconceptions_is_the_generator_s_output():
    """misconceptions.md says it is generated: it must be exactly what scripts/misconceptions.py writes."""
    generator = _script("misconceptions")
    text = (KIT / "misconceptions.md").read_text(encoding="utf-8")
    expected = generator.render()
    assert text == expected, ("solutions/instructor/misconceptions.md is stale; regenerate it with "
                              "`python scripts/misconceptions.py`:\n" + "\n".join(generator.stale(text, expected)))


def test_chinese_misconceptions_is_the_generator_s_output():
    """solutions/instructor/zh/misconceptions.md: the same groups, in the catalogs' Chinese."""
    generator = _script("misconceptions")
    path = KIT / "zh" / "misconceptions.md"
    assert path.is_file() and path.read_text(encoding="utf-8") == generator.render("zh"), (
        "solutions/instructor/zh/misconceptions.md is stale; regenerate it with `python scripts/misconceptions.py`")


def count_errors(name, text):
    """Every 'N exercises', 'N (named) mistakes', 'N notebooks' and 'N blocks' in one kit file that is not
    the course's true count; '**`exercise`** (N mistakes)' is that exercise's own count."""
    errors = []
    own = {m.start(2): (m.group(1), int(m.group(2)))
           for m in re.finditer(r"\*\*`(\w+)`\*\* \((\d+) mistakes?\)", text)}
    for start, (exercise, n) in own.items():
        if exercise not in EXERCISES or n != len(EXERCISES[exercise].mistakes):
            true = len(EXERCISES[exercise].mistakes) if exercise in EXERCISES else "no such exercise"
            errors.append(f"{name}: `{exercise}` ({n} mistakes), true: {true}")
    truth = {"exercise": len(EXERCISES), "mistake": N_MISTAKES, "notebook": len(NOTEBOOKS),
             "block": len(NOTEBOOKS)}
    # "two in five mistakes" is a proportion, not a count
    pattern = rf"(?<!\bin )\b({NUMBER}) (?:registered |checked |named )?(exercise|mistake|notebook|block)s\b"
    for m in re.finditer(pattern, text, flags=re.I):
        if m.start(1) in own:
            continue
        n, what = _number(m.group(1)), m.group(2).lower()
        if n != truth[what]:
            errors.append(f"{name}: '{m.group(0)}', but the course has {truth[what]} {what}s")
    return errors


def plan_ranges(schedule):
    """{'AA-BB': notebooks in that plan's table} for every schedule.md heading that ends in a range."""
    plans = {}
    for m in re.finditer(r"^## [^\n]*?(\d\d[a-z]?)-(\d\d[a-z]?)\b[^\n]*\n(.*?)(?=^## |\Z)", schedule,
                         flags=re.M | re.S):
        plans[f"{m.group(1)}-{m.group(2)}"] = sorted(set(re.findall(r"\b(\d\d[a-z]?)_[a-z]", m.group(3))))
    return plans


def range_errors(name, text, plans):
    """A range of notebooks 'AA-BB' must name existing notebooks; one that starts at the first notebook
    claims the course from its start, so it is the whole course or one of schedule.md's plans."""
    numbers = [number(stem) for stem in NOTEBOOKS]
    whole = f"{numbers[0]}-{numbers[-1]}"
    errors = []
    for m in re.finditer(r"(?<![\w:.-])(\d\d[a-z]?)-(\d\d[a-z]?)(?![\w:-])", text):
        before = text[max(0, m.start() - 9):m.start()].lower()
        if "section" in before:
            continue  # sections of one notebook
        a, b = m.group(1), m.group(2)
        if a not in numbers or b not in numbers or a >= b:
            errors.append(f"{name}: '{a}-{b}' is not a range of notebooks {numbers}")
        elif a == numbers[0] and m.group(0) != whole and m.group(0) not in plans:
            errors.append(f"{name}: '{a}-{b}' starts at the first notebook but is neither the whole course "
                          f"({whole}) nor one of schedule.md's plans {sorted(plans)}")
    return errors


def test_counts_in_the_kit_are_true():
    errors = [e for path in KIT_FILES for e in count_errors(path.name, path.read_text(encoding="utf-8"))]
    assert not errors, "counts in solutions/instructor/ that are not the course's:\n" + "\n".join(errors)


def test_ranges_of_notebooks_in_the_kit_are_true():
    plans = plan_ranges((KIT / "schedule.md").read_text(encoding="utf-8"))
    errors = [e for path in KIT_FILES for e in range_errors(path.name, path.read_text(encoding="utf-8"), plans)]
    assert not errors, "\n".join(errors)


def test_each_plan_covers_the_range_in_its_heading():
    plans = plan_ranges((KIT / "schedule.md").read_text(encoding="utf-8"))
    assert len(plans) >= 3
    numbers = [number(stem) for stem in NOTEBOOKS]
    for span, listed in plans.items():
        a, b = span.split("-")
        expected = [n for n in numbers if a <= n <= b]
        assert listed == expected, f"schedule.md: the plan headed {span} lists the notebooks {listed}"


def test_the_checkers_see_the_old_mistakes():
    old = "objectives of notebooks 00-09 | (all 28 exercises, generated) | all ten blocks | 99 named mistakes"
    plans = {"00-03": [], "00-07": []}
    assert len(count_errors("old", old)) == 3 and len(range_errors("old", old, plans)) == 1
    assert not count_errors("ok", f"about two in five mistakes; {len(EXERCISES)} exercises")
    assert count_errors("stale", f"{len(EXERCISES) - 1} exercises")
    assert not range_errors("ok", "784-128-64-10, sections 10-11, 09:10-09:35, 00-07 and 08-09", plans)
    n = len(EXERCISES["neuron"].mistakes)
    assert count_errors("x", f"**`neuron`** ({n - 1} mistakes)") and not count_errors("x", f"**`neuron`** ({n} mistakes)")
    assert range_errors("lettered", "07c-10", plans) and not range_errors("lettered", "07b-10 and 07-07b", plans)


def _schedule_rows():
    """{notebook: cells} of schedule.md's table of study and run times."""
    rows = {}
    for line in (KIT / "schedule.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 9 and (re.fullmatch(STEM, cells[0]) or cells[0] == "**total**"):
            rows[cells[0]] = cells
    return rows


def test_schedule_exercise_columns_are_the_notebooks_checks():
    study_times = _study_times()
    rows = _schedule_rows()
    assert set(rows) == set(NOTEBOOKS) | {"**total**"}
    checked = set()
    for stem in NOTEBOOKS:
        exercises = study_times.counts(ROOT / "solutions" / f"{stem}.ipynb")[2]
        checked |= exercises
        assert int(rows[stem][3]) == len(exercises), f"schedule.md: {stem} checks {sorted(exercises)}"
        assert int(rows[stem][5]) == study_times.MINUTES_PER_EXERCISE * len(exercises), stem
    assert int(rows["**total**"][3]) == len(EXERCISES) == len(checked)
    assert int(rows["**total**"][5]) == study_times.MINUTES_PER_EXERCISE * len(EXERCISES)


def test_schedule_blocks_add_up():
    """Each block is reading + exercises + run time + 10 minutes of discussion (reading unrounded, from the
    row's own word counts), and the total row and the sentence after the table add them up."""
    rows = _schedule_rows()
    text = (KIT / "schedule.md").read_text(encoding="utf-8")
    for stem in NOTEBOOKS:
        words, han, _, _, ex_min, run = (float(rows[stem][i]) for i in range(1, 7))
        block = words / 150 + han / 300 + ex_min + run / 60 + 10
        assert int(rows[stem][8]) == round(block), f"schedule.md: {stem}'s block is {block:.1f} min"
    total = sum(int(rows[stem][8]) for stem in NOTEBOOKS)
    assert int(rows["**total**"][8]) == total
    assert re.search(rf"\badd up to {total} minutes \({total / 60:.1f} h\)", text), "schedule.md: the sum"


def _section(text, heading_start):
    return re.search(rf"^## {re.escape(heading_start)}.*?(?=^## |\Z)", text, flags=re.M | re.S).group(0)


def _minutes(clock):
    hours, minutes = clock.split(":")
    return 60 * int(hours) + int(minutes)


def test_every_plan_s_times_add_up():
    text = (KIT / "schedule.md").read_text(encoding="utf-8")
    for heading in ("Half day", "Full day", "Follow-up half day"):
        section = _section(text, heading)
        rows = re.findall(r"^\| (\d\d:\d\d)-(\d\d:\d\d) \| .*? \| (\d+) \|$", section, flags=re.M)
        assert len(rows) >= 5, heading
        for (start, end, minutes), following in zip(rows, rows[1:] + [None]):
            assert _minutes(end) - _minutes(start) == int(minutes), f"{heading}: {start}-{end} is not {minutes} min"
            assert following is None or following[0] == end, f"{heading}: a gap or overlap after {end}"
        assert f"Ends at {rows[-1][1]}" in section, heading


def test_the_half_day_reaches_training_on_mnist_with_honest_times():
    text = (KIT / "schedule.md").read_text(encoding="utf-8")
    section = _section(text, "Half day")
    rows, study_times = _schedule_rows(), _study_times()
    stems = [s for s in NOTEBOOKS if number(s) <= "06"]
    assert re.search(r"^\| [\d:-]+ \| 06_training_an_mlp", section, flags=re.M), \
        "schedule.md: the half day must reach 06_training_an_mlp (training on MNIST)"

    def reading(stem):
        return float(rows[stem][1]) / 150 + float(rows[stem][2]) / 300

    plan = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] in stems:
            plan[cells[0]] = cells
    assert sorted(plan) == stems, "the half day's table of blocks must have a row for each of 00-06"
    pre_read = []
    for stem, (_, room, done, shown, block) in plan.items():
        done, shown = set(re.findall(r"`(\w+)`", done)), set(re.findall(r"`(\w+)`", shown))
        checked = study_times.counts(ROOT / "solutions" / f"{stem}.ipynb")[2]
        assert done | shown == checked and not done & shown, f"{stem}: done {done} + shown {shown} != {checked}"
        if room.startswith("none"):
            pre_read.append(stem)
            in_room = 0.0
        else:
            in_room = float(room.split()[0])
            assert abs(in_room - reading(stem)) < 0.05, f"{stem}: reading in the room is {reading(stem):.1f} min"
        run = float(rows[stem][6]) / 60
        expected = 0 if not checked and stem in pre_read else round(in_room + 8 * len(done) + 3 * len(shown) + run + 10)
        assert int(block) == expected, f"half day: {stem}'s block is {expected} min"
        assert re.search(rf"^\| [\d:-]+ \| {stem}[^|]*\| {expected} \|$", section, flags=re.M) or expected == 0, stem
    pre_minutes = round(sum(reading(stem) for stem in pre_read))
    assert f"= {pre_minutes} minutes" in section and f"({pre_minutes}, at home)" in section
    full = sum(int(rows[stem][8]) for stem in stems)
    assert f"add up\nto {full} minutes" in section or f"add up to {full} minutes" in section
    times = re.findall(r"^\| (\d\d:\d\d)-(\d\d:\d\d) \|", section, flags=re.M)
    in_room = _minutes(times[-1][1]) - _minutes(times[0][0])
    assert 210 <= in_room <= 240, f"the half day lasts {in_room} minutes"
    assert f"{in_room} minutes in the room" in section
    assert f"{in_room // 60} h {in_room % 60} min in the room" in section


# --- discussion.md: each question is a numbered item; under it, indented by three spaces after a blank line,
# a paragraph that starts with "*Answer sketch:*" and has two to four sentences.

def discussion_questions(text):
    """{notebook: [(question, sketch or None)]} from discussion.md."""
    questions = {}
    for section in re.finditer(rf"^##\s+({STEM})\s*\n(.*?)(?=^##\s|\Z)", text, flags=re.M | re.S):
        items = re.split(r"^(?=\d+\. )", section.group(2), flags=re.M)[1:]
        found = []
        for item in items:
            paragraphs = re.split(r"\n\s*\n", item.strip())
            sketch = next((p for p in paragraphs[1:] if p.startswith("   *Answer sketch:*")), None)
            found.append((paragraphs[0], sketch and " ".join(sketch.split())))
        questions[section.group(1)] = found
    return questions


def sentences(paragraph):
    """Sentences of a sketch, not counting full stops inside `code` or $maths$."""
    plain = re.sub(r"`[^`]*`|\$[^$]*\$", "X", paragraph.replace("*Answer sketch:*", ""))
    return [s for s in re.split(r"(?<=[.?!])\s+(?=\S)", plain.strip()) if s]


def test_every_discussion_question_has_an_answer_sketch():
    questions = discussion_questions((KIT / "discussion.md").read_text(encoding="utf-8"))
    assert set(questions) == set(NOTEBOOKS)
    for stem, found in questions.items():
        assert 2 <= len(found) <= 4, f"discussion.md: {stem} has {len(found)} questions (2-4 per notebook)"
        for number, (question, sketch) in enumerate(found, 1):
            assert question.startswith(f"{number}. "), f"discussion.md: {stem}'s questions are not numbered 1, 2, ..."
            assert sketch, f"discussion.md: {stem}, question {number} has no indented '*Answer sketch:*' paragraph"
            n = len(sentences(sketch))
            assert 2 <= n <= 4, f"discussion.md: {stem}, question {number}: the sketch has {n} sentences, not 2-4"


def test_the_sketch_parser_sees_a_missing_sketch():
    text = ("## 01_the_neuron\n\n1. Why?\n   Really?\n\n   *Answer sketch:* Because. See section 2.\n\n"
            "2. And this?\n\n3. Inline? *A sketch in italics.*\n")
    found = discussion_questions(text)["01_the_neuron"]
    assert [sketch is not None for _, sketch in found] == [True, False, False]
    assert len(sentences(found[0][1])) == 2 and len(sentences("`np.log(x).sum()` is 2.30 here. Yes.")) == 2

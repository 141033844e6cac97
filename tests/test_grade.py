"""The grader on a small class of submissions: right, untouched, wrong and every kind of broken one.

The class is built from a tiny solution notebook with three real exercises of notebook 02: sigmoid,
sigmoid_grad (which calls the learner's sigmoid) and relu; each submission is graded once, on its own
kernel, in a module fixture."""
import json
import os
import subprocess
import sys
import time

import nbformat
import pytest

from course.authoring import build
from course.checks import HINT_MIME, VERDICT_MIME
from course import i18n
from course.grade import OUTPUT_LIMIT, STATUSES, _execute, _plan, format_rows, grade_notebook, notebook_language

NAME = "01_demo.ipynb"
EXERCISES = ["sigmoid", "sigmoid_grad", "relu"]
IMPORTS = "import numpy as np\nfrom course.checks import check, hint"
SIGMOID = '''def sigmoid(x):
    """x -> σ(x)"""
    ### BEGIN SOLUTION σ(x) for every entry
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    ### END SOLUTION'''
SIGMOID_GRAD = '''def sigmoid_grad(x):
    """x -> σ'(x)"""
    ### BEGIN SOLUTION from your sigmoid
    s = sigmoid(x)
    return s * (1 - s)
    ### END SOLUTION'''
RELU = '''def relu(x):
    """x -> max(0, x)"""
    ### BEGIN SOLUTION the larger of 0 and each entry
    return np.maximum(x, 0)
    ### END SOLUTION'''
NAIVE = "return 1 / (1 + np.exp(-x))"  # overflows for large negative x: a named mistake
TIMEOUT = 60  # per cell, for submissions that do not loop: generous on a busy machine


def check_cell(name, verdict=True):
    """`name = check("name", name)`, with the stored "passed" output an executed solution carries."""
    cell = nbformat.v4.new_code_cell(f'{name} = check("{name}", {name})')
    if verdict:
        cell.outputs = [nbformat.v4.new_output("display_data", data={
            "text/plain": f"✓ {name}: passed", VERDICT_MIME: {"exercise": name, "status": "passed", "mistake": "",
                                                              "message": "passed 8 cases."}})]
        cell.execution_count = 9
    return cell


def solution_notebook():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Demo"), nbformat.v4.new_code_cell(IMPORTS),
                nbformat.v4.new_code_cell(SIGMOID), check_cell("sigmoid"),
                nbformat.v4.new_code_cell(SIGMOID_GRAD), check_cell("sigmoid_grad"),
                nbformat.v4.new_code_cell(RELU), check_cell("relu")]
    return nb


def cell_of(nb, start):
    return next(c for c in nb.cells if c.source.startswith(start))


def edited(change):
    """The solution notebook, stored outputs and all, after `change(nb)`."""
    nb = solution_notebook()
    change(nb)
    return nb


def prepend(start, code):
    def change(nb):
        cell = cell_of(nb, start)
        cell.source = code + "\n" + cell.source
    return change


def insert_after(start, code):
    def change(nb):
        at = nb.cells.index(cell_of(nb, start))
        nb.cells.insert(at + 1, nbformat.v4.new_code_cell(code))
    return change


def hinted(nb):
    shown = nbformat.v4.new_code_cell("# hint cell, output kept")  # what the learner saw and saved
    shown.outputs = [nbformat.v4.new_output("display_data", data={
        "text/plain": "Hint 1 ... Hint 2 ...", HINT_MIME: {"exercise": "sigmoid", "level": 2, "of": 3}})]
    nb.cells.insert(3, shown)


# submission -> (notebook or raw bytes, keyword arguments of grade_notebook)
CLASS = {
    "right": (solution_notebook(), {}),
    "wrong": (edited(lambda nb: setattr(cell_of(nb, "def sigmoid"), "source", SIGMOID.replace(
        "return np.where(x >= 0, 1 / (1 + e), e / (1 + e))", NAIVE))), {}),
    "empty": (b"", {}),
    "invalid json": (b'{"cells": [', {}),
    "os._exit": (edited(insert_after('sigmoid = check', "import os\nos._exit(1)")), {}),
    "endless loop": (edited(prepend("def sigmoid_grad", "while True:\n    pass")), {"timeout": 3}),
    "time limit": (edited(prepend("def relu", "import time\nwhile True:\n    time.sleep(0.1)")),
                   {"timeout": TIMEOUT, "time_limit": 12}),
    "sys.exit": (edited(prepend("def sigmoid(", "import sys\nsys.exit(1)")), {}),
    "flood": (edited(insert_after("def sigmoid(", "for i in range(300_000):\n    print('flood', i)")), {}),
    "chdir and delete": (edited(insert_after("import numpy", "import os, shutil\nhere = os.getcwd()\n"
                                             "for f in os.listdir():\n    os.remove(f)\n"
                                             "os.chdir('..')\nshutil.rmtree(here)")), {}),
    # run with every check passing, then an earlier cell broken and saved without re-running
    "stale outputs": (edited(lambda nb: setattr(nb.cells[1], "source", IMPORTS.replace("numpy as np", "numpy"))), {}),
    # the solution notebook, its stored verdicts all "passed", with a syntax error written into exercise 1
    "syntax error": (edited(lambda nb: setattr(cell_of(nb, "def sigmoid("), "source",
                                               SIGMOID.replace("def sigmoid(x):", "def sigmoid(x)"))), {}),
    # the same, where an earlier cell bound the name: the check would grade that function and pass
    "syntax error, name bound earlier": (edited(lambda nb: (
        setattr(cell_of(nb, "def sigmoid("), "source", SIGMOID.replace("def sigmoid(x):", "def sigmoid(x)")),
        insert_after("import numpy", "from course.activations import sigmoid")(nb))), {}),
    "deleted check": (edited(lambda nb: nb.cells.remove(cell_of(nb, "relu = check"))), {}),
    "memory": (edited(prepend("def relu", "big = bytearray(4 * 1024**3)")), {"memory_mb": 2048}),
    "hinted": (edited(hinted), {}),
}


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    """Grade the class: {submission: (rows, seconds)}, each in its own folder, plus the folders."""
    root = tmp_path_factory.mktemp("class")
    solutions = root / "solutions"
    solutions.mkdir()
    nbformat.write(solution_notebook(), solutions / NAME)
    build(solutions, root / "notebooks")
    submissions = {"untouched": (root / "notebooks" / NAME, {})}
    for who, (content, kwargs) in CLASS.items():
        folder = root / who.replace(" ", "_")
        folder.mkdir()
        (folder / "data.csv").write_text("x\n1\n")  # a learner's file beside the notebook
        path = folder / NAME
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            nbformat.write(content, path)
        submissions[who] = (path, kwargs)
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path, _ in submissions.values()}
    graded = {}
    for who, (path, kwargs) in submissions.items():
        started = time.monotonic()
        rows = grade_notebook(path, **{"timeout": TIMEOUT, "solutions": solutions, **kwargs})
        graded[who] = (rows, time.monotonic() - started)
    return graded, submissions, before


def statuses(school, who):
    rows, _ = school[0][who]
    return {r["exercise"]: r["status"] for r in rows}


def message(school, who, exercise):
    rows, _ = school[0][who]
    return next(r["message"] for r in rows if r["exercise"] == exercise)


def test_every_submission_gets_a_row_for_every_exercise(school):
    for who, (rows, _) in school[0].items():
        assert [r["exercise"] for r in rows] == EXERCISES, who
        for r in rows:
            assert set(r) == {"notebook", "exercise", "status", "mistake", "message", "hints"}, who
            assert r["notebook"] == NAME and r["status"] in STATUSES, (who, r)
            assert r["status"] == "passed" or r["message"].strip(), (who, r)
            assert "\x1b" not in r["message"], (who, r)


def test_right_untouched_and_wrong(school):
    assert statuses(school, "right") == dict.fromkeys(EXERCISES, "passed")
    assert statuses(school, "untouched") == dict.fromkeys(EXERCISES, "not done")
    assert statuses(school, "wrong") == {"sigmoid": "wrong", "sigmoid_grad": "passed", "relu": "passed"}
    rows, _ = school[0]["wrong"]
    assert "overflow" in rows[0]["mistake"]


@pytest.mark.parametrize("who,reason", [("empty", "the file is empty (0 bytes)"),
                                        ("invalid json", "is not a notebook nbformat can read")])
def test_a_file_that_is_not_a_notebook(school, who, reason):
    assert statuses(school, who) == dict.fromkeys(EXERCISES, "not run")
    for exercise in EXERCISES:
        assert reason in message(school, who, exercise)


def test_a_dead_kernel_costs_what_comes_after(school):
    assert statuses(school, "os._exit") == {"sigmoid": "passed", "sigmoid_grad": "not run", "relu": "not run"}
    assert "the kernel died" in message(school, "os._exit", "relu")
    assert "calls os._exit()" in message(school, "os._exit", "relu")


def test_an_endless_loop_is_interrupted_and_costs_its_exercise_only(school):
    assert statuses(school, "endless loop") == {"sigmoid": "passed", "sigmoid_grad": "error", "relu": "passed"}
    assert "ran longer than 3 s and was interrupted" in message(school, "endless loop", "sigmoid_grad")


def test_the_notebook_time_limit_stops_the_run(school):
    assert statuses(school, "time limit") == {"sigmoid": "passed", "sigmoid_grad": "passed", "relu": "not run"}
    assert "time limit of 12 s ran out" in message(school, "time limit", "relu")
    _, seconds = school[0]["time limit"]
    assert seconds < 12 + 10  # the limit, and the kernel's shutdown


def test_sys_exit_in_an_exercise_cell(school):
    assert statuses(school, "sys.exit") == {"sigmoid": "error", "sigmoid_grad": "passed", "relu": "passed"}
    assert message(school, "sys.exit", "sigmoid") == "the exercise cell raised SystemExit: 1"


def test_an_output_flood_changes_nothing(school):
    assert statuses(school, "flood") == dict.fromkeys(EXERCISES, "passed")


def test_output_kept_per_cell_is_capped_and_verdicts_are_kept(tmp_path):
    nb = solution_notebook()
    flood = cell_of(nb, "sigmoid = check")
    flood.source = "for i in range(100_000):\n    print('flood', i)\n" + flood.source
    from course.grade import _clear

    _clear(nb)
    run = _execute(nb, NAME, _plan(nb, EXERCISES), TIMEOUT, None, None)
    assert run.stopped is None and run.flooded == {nb.cells.index(flood)}
    kept = sum(len(o.get("text", "")) for o in flood.outputs)
    assert OUTPUT_LIMIT <= kept <= OUTPUT_LIMIT + 100
    assert [o["data"][VERDICT_MIME]["status"] for o in flood.outputs if VERDICT_MIME in o.get("data", {})] == ["passed"]


def test_a_cell_that_changes_directory_and_deletes_files(school):
    assert statuses(school, "chdir and delete") == dict.fromkeys(EXERCISES, "passed")
    _, submissions, before = school
    path, _ = submissions["chdir and delete"]
    assert path.read_bytes() == before[path][0] and (path.parent / "data.csv").is_file()


def test_stale_outputs_are_not_trusted(school):
    # `np` is gone: the learner's sigmoid and relu fail; sigmoid_grad calls sigmoid, the reference from there on
    assert statuses(school, "stale outputs") == {"sigmoid": "error", "sigmoid_grad": "passed", "relu": "error"}
    assert "NameError" in message(school, "stale outputs", "sigmoid")


@pytest.mark.parametrize("who", ["syntax error", "syntax error, name bound earlier"])
def test_a_syntax_error_costs_that_exercise_only(school, who):
    assert statuses(school, who) == {"sigmoid": "error", "sigmoid_grad": "passed", "relu": "passed"}
    assert message(school, who, "sigmoid") == "syntax error in the exercise cell, line 1: expected ':'"


def test_a_deleted_check_cell_is_missing(school):
    assert statuses(school, "deleted check") == {"sigmoid": "passed", "sigmoid_grad": "passed", "relu": "missing"}
    assert 'no check cell for this exercise (check("relu", ...))' in message(school, "deleted check", "relu")


def test_the_memory_limit(school):
    assert statuses(school, "memory") == {"sigmoid": "passed", "sigmoid_grad": "passed", "relu": "error"}
    assert message(school, "memory", "relu").startswith("the exercise cell raised MemoryError")


def test_hint_levels_come_from_the_saved_outputs(school):
    rows, _ = school[0]["hinted"]
    assert [(r["exercise"], r["status"], r["hints"]) for r in rows] == [
        ("sigmoid", "passed", 2), ("sigmoid_grad", "passed", 0), ("relu", "passed", 0)]
    assert format_rows(rows).splitlines()[0].split()[:4] == ["notebook", "exercise", "hints", "status"]


def test_grade_never_writes_the_submissions(school):
    _, submissions, before = school
    for path, (data, mtime) in before.items():
        assert path.read_bytes() == data and path.stat().st_mtime_ns == mtime, path


def test_expected_exercises_come_from_the_registry_and_paths_may_hold_spaces_and_chinese(tmp_path):
    # no solution of this name in `solutions`: the registry lists notebook 02's four exercises
    folder = tmp_path / "class 2024" / "学生 一"
    folder.mkdir(parents=True)
    path = folder / "02_activation_functions.ipynb"
    nbformat.write(solution_notebook(), path)
    rows = grade_notebook(path, timeout=TIMEOUT, solutions=tmp_path)
    assert [(r["notebook"], r["exercise"], r["status"]) for r in rows] == [
        (path.name, "sigmoid", "passed"), (path.name, "relu", "passed"), (path.name, "sigmoid_grad", "passed"),
        (path.name, "softmax", "missing")]


def test_an_unreadable_file_with_no_known_exercise_still_gets_a_row(tmp_path):
    path = tmp_path / "nothing known.ipynb"
    path.write_text("not json", encoding="utf-8")
    rows = grade_notebook(path, solutions=tmp_path)
    assert [(r["exercise"], r["status"]) for r in rows] == [("", "not run")]
    assert "not a notebook" in rows[0]["message"]


def test_grade_command_json(tmp_path):
    solutions, notebooks = tmp_path / "solutions", tmp_path / "notebooks"
    solutions.mkdir()
    nbformat.write(solution_notebook(), solutions / NAME)
    build(solutions, notebooks)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COURSE_LANG": "en"}
    out = subprocess.run([sys.executable, "-m", "course", "grade", "--json", str(notebooks / NAME)],
                         capture_output=True, text=True, check=True, env=env).stdout
    assert [(r["exercise"], r["status"]) for r in json.loads(out)] == [(e, "not done") for e in EXERCISES]
    text = subprocess.run([sys.executable, "-m", "course", "grade", str(notebooks / NAME)],
                          capture_output=True, text=True, check=True, env=env).stdout
    assert "sigmoid" in text and "not done" in text


def test_a_cell_that_ignores_the_interrupt_stops_the_run(tmp_path, monkeypatch):
    import course.grade

    monkeypatch.setattr(course.grade, "INTERRUPT_GRACE", 2)
    nb = edited(prepend("def sigmoid_grad", "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                            "while True:\n    pass"))
    nbformat.write(nb, tmp_path / NAME)
    started = time.monotonic()
    rows = grade_notebook(tmp_path / NAME, timeout=3, solutions=None)
    assert [(r["exercise"], r["status"]) for r in rows] == [
        ("sigmoid", "passed"), ("sigmoid_grad", "not run"), ("relu", "not run")]
    assert "ran longer than 3 s and did not stop when interrupted" in rows[1]["message"]
    assert time.monotonic() - started < 30


# ------------------------------------------------------------------------------------------ languages
def probing(expected):
    """The solution notebook with a wrong sigmoid, whose relu cell fails unless the kernel's COURSE_LANG is
    `expected` (None: unset): relu's row says "passed" only when the kernel ran in that language."""
    def change(nb):
        cell_of(nb, "def sigmoid(").source = SIGMOID.replace("return np.where(x >= 0, 1 / (1 + e), e / (1 + e))",
                                                              NAIVE)
        cell_of(nb, "def relu").source = (f"import os\nassert os.environ.get('COURSE_LANG') == {expected!r}, "
                                          "os.environ.get('COURSE_LANG')\n" + RELU)
    return edited(change)


@pytest.fixture(scope="module")
def languages(tmp_path_factory):
    """Submissions graded with the grader itself in Chinese (COURSE_LANG=zh, working folder named zh):
    {case: rows}."""
    root = tmp_path_factory.mktemp("languages")
    solutions = root / "solutions"
    solutions.mkdir()
    nbformat.write(solution_notebook(), solutions / NAME)
    in_zh = probing("zh")
    tagged = probing("zh")
    tagged.metadata["course"] = {"language": "zh"}  # what the build writes into a Chinese notebook
    tagged_en = probing("en")
    tagged_en.metadata["course"] = {"language": "en"}  # the metadata wins over the folder
    english = probing(None)
    english.cells.remove(cell_of(english, "sigmoid_grad = check"))  # a row with the grader's own message
    cases = {"zh folder": (root / "class" / "zh" / "alice", in_zh), "metadata": (root / "class" / "bob", tagged),
             "metadata en in zh": (root / "zh" / "carol", tagged_en), "english": (root / "class" / "dave", english)}
    (root / "zh").mkdir()
    graded = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_LANG", "zh")
        mp.chdir(root / "zh")
        for case, (folder, nb) in cases.items():
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / NAME)
            graded[case] = grade_notebook(folder / NAME, timeout=TIMEOUT, solutions=solutions)
    return graded


@pytest.mark.parametrize("case", ["zh folder", "metadata", "metadata en in zh", "english"])
def test_each_notebook_is_graded_in_its_own_language_with_the_same_status_keys(languages, case):
    rows = languages[case]
    got = {r["exercise"]: r["status"] for r in rows}
    # relu passes only if the kernel's COURSE_LANG was the notebook's (see probing), whatever the grader's
    expected = {"sigmoid": "wrong", "sigmoid_grad": "passed", "relu": "passed"}
    if case == "english":
        expected["sigmoid_grad"] = "missing"
    assert got == expected, rows
    for r in rows:
        assert set(r) == {"notebook", "exercise", "status", "mistake", "message", "hints"}
        assert r["status"] in STATUSES
    assert next(r for r in rows if r["exercise"] == "sigmoid")["mistake"]


def test_the_graders_own_messages_are_in_the_graders_language(languages):
    missing = next(r for r in languages["english"] if r["status"] == "missing")
    with i18n.using("zh"):
        assert missing["message"] == i18n._(
            'the notebook has no check cell for this exercise ({call}): it was deleted or changed, so the exercise '
            'could not be graded').format(call='check("sigmoid_grad", ...)')
    assert "检查单元格" in missing["message"]


def test_the_language_of_a_notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    assert notebook_language(nb, tmp_path / "a" / NAME) is None
    assert notebook_language(nb, tmp_path / "zh" / NAME) == "zh"
    assert notebook_language(nb, tmp_path / "zh" / "alice" / NAME) == "zh"
    nb.metadata["course"] = {"language": "zh_CN"}
    assert notebook_language(nb, tmp_path / "a" / NAME) == "zh"
    nb.metadata["course"] = {"language": "en"}
    assert notebook_language(nb, tmp_path / "zh" / NAME) == "en"
    nb.metadata["course"] = {"language": "fr"}  # not a language of the course: the folder decides
    assert notebook_language(nb, tmp_path / "zh" / NAME) == "zh"
    nb.metadata["course"] = "zh"  # malformed metadata is ignored
    assert notebook_language(nb, tmp_path / "a" / NAME) is None


def test_the_table_is_in_the_current_language_and_aligned():
    rows = [{"notebook": NAME, "exercise": "sigmoid", "hints": 1, "status": "wrong", "mistake": "溢出",
             "message": "m"}, {"notebook": NAME, "exercise": "relu", "hints": 0, "status": "passed", "mistake": "",
                               "message": ""}]
    with i18n.using("zh"):
        lines = format_rows(rows).splitlines()
    assert lines[0].split()[:4] == ["笔记本", "练习", "提示", "状态"]
    assert "答错 (溢出)" in lines[1] and "通过" in lines[2]
    from course.grade import display_width

    starts = [display_width(line[: line.index(word)]) for line, word in zip(lines, ["状态", "答错", "通过"])]
    assert len(set(starts)) == 1, lines
    with i18n.using("en"):
        assert format_rows(rows).splitlines()[0].split()[:4] == ["notebook", "exercise", "hints", "status"]

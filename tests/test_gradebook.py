"""Grading a class (course/gradebook.py): in parallel, one row set per submission whatever it does, the CSV
gradebook, the summary, the figure and the `course grade` command, with Chinese paths and a cp1252 stdout.

The class is tiny (the real `sigmoid` exercise in a two-cell notebook) so that a kernel per submission stays
cheap: alice's is right, bob's untouched, 张 三's makes a named mistake, dave's is an empty file and eve's
kernel dies (os._exit)."""
import contextlib
import csv
import io
import json
import os
import random
import struct
import subprocess
import sys

import nbformat
import pytest

from course.authoring import stub_source
from course import i18n
from course.cli import main
from course.gradebook import (COLOURS, NOT_SUBMITTED, _grade_in_subprocess, clean_row, could_not_grade,
                              figure_size, format_summary, grade_class, gradebook, learner_ids, summarize,
                              write_csv, write_figure)

SOLVED = '''import numpy as np
from course.checks import check

def sigmoid(x):
    """x -> σ(x)"""
    ### BEGIN SOLUTION return σ(x) for every entry
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    ### END SOLUTION'''
WRONG = SOLVED.replace("return np.where(x >= 0, 1 / (1 + e), e / (1 + e))", "return 1 / (1 + np.exp(-x))")
NAME = "01_demo.ipynb"


def submit(folder, body):
    """A learner's notebook: the exercise cell, then the check cell."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(body), nbformat.v4.new_code_cell('sigmoid = check("sigmoid", sigmoid)')]
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / NAME)
    return folder / NAME


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    root = tmp_path_factory.mktemp("grade") / "班级 class"
    paths = {"alice": submit(root / "alice", SOLVED), "bob": submit(root / "bob", stub_source(SOLVED)),
             "张 三": submit(root / "张 三", WRONG), "eve": submit(root / "eve", SOLVED + "\nimport os; os._exit(1)")}
    (root / "dave").mkdir()
    (root / "dave" / NAME).write_text("", encoding="utf-8")
    paths["dave"] = root / "dave" / NAME
    before = {p: p.read_bytes() for p in paths.values()}
    progress = io.StringIO()
    with contextlib.redirect_stderr(progress):
        rows = grade_class(list(paths.values()), jobs=2, progress=True)
    return {"root": root, "paths": paths, "rows": rows, "before": before, "progress": progress.getvalue()}


def by_learner(rows):
    return {learner: [r for r in rows if r["learner"] == learner] for learner in dict.fromkeys(r["learner"] for r in rows)}


def test_every_submission_is_graded_whatever_the_others_do(klass):
    rows = by_learner(klass["rows"])
    assert list(rows) == ["alice", "bob", "dave", "eve", "张 三"]  # sorted by learner
    assert [(r["exercise"], r["status"]) for r in rows["alice"]] == [("sigmoid", "passed")]
    assert [(r["exercise"], r["status"]) for r in rows["bob"]] == [("sigmoid", "not done")]
    assert [r["status"] for r in rows["张 三"]] == ["wrong"] and "overflow" in rows["张 三"][0]["mistake"]
    for learner in ("dave", "eve"):  # an empty file, a dead kernel: rows that say so, not a crash
        assert rows[learner] and all(r["status"] == "not run" and r["message"] for r in rows[learner])
    assert could_not_grade(klass["rows"]) == [str(klass["paths"]["dave"]), str(klass["paths"]["eve"])]
    for row in klass["rows"]:
        assert {"learner", "path", "notebook", "exercise", "status", "mistake", "message", "hints"} <= set(row)
        assert row["path"] == str(klass["paths"][row["learner"]]) and row["notebook"] == NAME
        assert "\x1b" not in json.dumps(row)
    assert all(p.read_bytes() == data for p, data in klass["before"].items())  # never written


def test_the_progress_bar_counts_submissions(klass):
    assert "grading" in klass["progress"] and "5/5" in klass["progress"]


def test_learner_ids():
    assert learner_ids(["c/alice/01.ipynb", "c/bob/01.ipynb", "c/bob/02.ipynb"]) == ["alice", "bob", "bob"]
    assert learner_ids(["c/g1/alice/01.ipynb", "c/g2/bob/01.ipynb"]) == ["g1/alice", "g2/bob"]
    assert learner_ids(["c/alice.ipynb", "c/bob.ipynb"]) == ["alice", "bob"]  # all in one folder: the stems
    assert learner_ids(["c/alice.ipynb", "c/bob/01.ipynb"]) == ["alice", "bob"]
    assert learner_ids(["only/01.ipynb"]) == ["01"]
    # one learner's course notebooks, in their folder: the folder names the learner
    assert learner_ids(["c/alice/01_the_neuron.ipynb", "c/alice/02_activation_functions.ipynb"]) == ["alice"] * 2
    assert learner_ids(["c/alice/01_the_neuron.ipynb", "c/alice/mine.ipynb"]) == ["01_the_neuron", "mine"]


def test_ansi_codes_are_removed():
    row = {"message": "\x1b[31mNameError\x1b[39m: name 'x' is not defined \x1b]8;;http://a\x07link\x1b]8;;\x07",
           "hints": 2}
    assert clean_row(row) == {"message": "NameError: name 'x' is not defined link", "hints": 2}


def test_the_csv_has_a_row_per_learner_and_a_column_per_exercise(klass, tmp_path):
    target = tmp_path / "成绩 grades.csv"
    assert write_csv(klass["rows"], target) == (5, 1)
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    with open(target, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        table = list(reader)
    assert reader.fieldnames == ["learner", "sigmoid", "total", "out_of"]
    assert {r["learner"]: (r["sigmoid"], r["total"], r["out_of"]) for r in table} == {
        "alice": ("passed", "1", "1"), "bob": ("not done", "0", "1"), "dave": ("not run", "0", "1"),
        "eve": ("not run", "0", "1"), "张 三": ("wrong", "0", "1")}


def synthetic(n_learners, exercises, seed=0):
    """Rows as grade_class returns them, for n_learners over exercises [(notebook, name)], random statuses."""
    rng = random.Random(seed)
    return [{"learner": f"learner {i:03d}", "path": f"c/learner {i:03d}/{nb}", "notebook": nb, "exercise": ex,
             "status": rng.choice(["passed", "passed", "wrong", "not done", "error", "missing", "not run"]),
             "mistake": "", "message": "", "hints": 0} for i in range(n_learners) for nb, ex in exercises]


def test_gradebook_marks_what_was_not_handed_in_and_keeps_the_best_copy():
    rows = synthetic(2, [("01_a.ipynb", "x"), ("02_b.ipynb", "y")])
    rows = [r for r in rows if not (r["learner"] == "learner 001" and r["notebook"] == "02_b.ipynb")]
    rows += [dict(rows[0], status="passed", path="c/learner 000/01_a (1).ipynb")]  # a second copy, passed
    learners, exercises, grid = gradebook(rows)
    assert learners == ["learner 000", "learner 001"] and exercises == ["x", "y"]
    assert grid["learner 000"]["x"]["status"] == "passed" and "y" not in grid["learner 001"]
    counts = {e["exercise"]: e["counts"] for e in summarize(rows)}
    assert counts["y"][NOT_SUBMITTED] == 1 and sum(counts["y"].values()) == 2


def test_summary_counts_and_mistakes(klass):
    (entry,) = summarize(klass["rows"])
    assert entry["exercise"] == "sigmoid" and entry["notebook"] == NAME
    assert entry["counts"] == {"passed": 1, "not done": 1, "wrong": 1, "not run": 2}
    (mistake, n), = entry["mistakes"]
    assert n == 1 and "overflow" in mistake and entry["other_wrong"] == 0
    text = format_summary([entry])
    header, line = text.splitlines()[:2]
    assert header.split()[:4] == ["notebook", "exercise", "passed", "wrong"]
    columns = dict(zip(["passed", "wrong", "error", "not done", "missing", "not run"], line.split()[2:]))
    assert columns == {"passed": "1", "wrong": "1", "error": "0", "not done": "1", "missing": "0", "not run": "2"}
    assert "5 learner(s), 1 exercise(s); passed: 1 of the 5 handed in." in text
    assert f"    1  {mistake}" in text


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_figure_is_a_png_coloured_by_status(klass, tmp_path):
    from matplotlib.image import imread

    target = tmp_path / "班级.png"
    assert write_figure(klass["rows"], target) == (5, 1)
    assert png_size(target) == figure_size(5, 1)
    pixels = {tuple(p) for p in (imread(target)[..., :3] * 255).round().astype(int).reshape(-1, 3)}
    for status in ("passed", "wrong", "not done", "not run"):
        colour = COLOURS[status]
        assert tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5)) in pixels, status


def test_a_class_of_100_learners_and_25_exercises_is_readable(tmp_path):
    exercises = [(f"{i // 4 + 1:02d}_nb.ipynb", f"exercise_{i}") for i in range(25)]
    target = tmp_path / "big.png"
    write_figure(synthetic(100, exercises), target)
    width, height = png_size(target)
    assert (width, height) == figure_size(100, 25)
    assert height >= 100 * 12 and width >= 25 * 25  # at least 12 px per learner, 25 px per exercise
    assert height <= 2000 and width <= 1500  # and still one screenful or page to scroll


@pytest.mark.parametrize("death,how", [("os._exit(3)", "ended with exit status 3"),
                                       ("os.kill(os.getpid(), signal.SIGKILL)", "was killed by signal 9")])
def test_a_grading_process_that_dies_costs_its_submission_only(death, how, tmp_path):
    # the worker runs `python -m course.gradebook` in its scratch folder, which comes first on its sys.path:
    # a course package there whose worker dies at once
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "__init__.py").write_text("")
    (tmp_path / "course" / "gradebook.py").write_text(f"import os, signal\n{death}\n")
    rows = _grade_in_subprocess(tmp_path / "x" / NAME, tmp_path / "out.json", 10, None, dict(os.environ),
                                str(tmp_path))
    assert [(r["status"], r["message"]) for r in rows] == [
        ("not run", f"could not be graded: the grading process {how} without a result")]


def run_cli(*args, encoding="cp1252", cwd=None):
    env = dict(os.environ, PYTHONIOENCODING=encoding, COURSE_LANG="en")  # English whatever the machine's locale
    return subprocess.run([sys.executable, "-m", "course", "grade", *map(str, args)], capture_output=True, env=env,
                          cwd=cwd)


def test_the_command_writes_csv_summary_and_figure_on_a_cp1252_stdout(klass, tmp_path):
    paths = klass["paths"]
    out_dir = tmp_path / "输出 out"
    out_dir.mkdir()
    result = run_cli(paths["alice"], paths["张 三"], paths["dave"], "--summary", "--csv", out_dir / "g.csv",
                     "--figure", out_dir / "g.png", "--jobs", "2", "--no-progress")
    stdout, stderr = result.stdout.decode("cp1252"), result.stderr.decode("cp1252")
    assert result.returncode == 1, stderr  # dave's empty file could not be graded
    assert stdout.splitlines()[0].split()[:2] == ["notebook", "exercise"]
    assert "3 learner(s), 1 exercise(s); passed: 1 of the 3 handed in." in stdout
    assert "could not be graded" in stderr and str(paths["dave"].parent.name) in stderr
    assert "Traceback" not in stderr and "\x1b" not in stdout + stderr
    with open(out_dir / "g.csv", encoding="utf-8-sig", newline="") as f:
        assert [r["learner"] for r in csv.DictReader(f)] == ["alice", "dave", "张 三"]
    assert png_size(out_dir / "g.png") == figure_size(3, 1)


def test_the_command_prints_rows_and_json_on_a_cp1252_stdout(klass):
    mine = os.path.join("张 三", NAME)  # relative to the folder the command runs in
    result = run_cli(mine, os.path.join("bob", NAME), "--json", "--no-progress", cwd=klass["root"])
    assert result.returncode == 0, result.stderr.decode("cp1252")
    rows = json.loads(result.stdout.decode("cp1252"))  # \u escapes where cp1252 has no character: nothing lost
    assert [(r["learner"], r["status"]) for r in rows] == [("bob", "not done"), ("张 三", "wrong")]
    assert rows[1]["path"] == mine
    table = run_cli(klass["paths"]["张 三"], "--no-progress", encoding="ascii")
    text = table.stdout.decode("ascii")
    assert table.returncode == 0 and text.splitlines()[0].split()[:3] == ["learner", "notebook", "exercise"]
    assert " wrong " in text and "where x ? 0" in text  # the row is there, with ? for the ≥ ASCII lacks


@pytest.mark.parametrize("args,message", [
    (["no such notebook.ipynb"], "no such file"),
    (["nothing-here-*.ipynb"], "a pattern no file matches"),
    (["--jobs", "0", "x.ipynb"], "--jobs must be at least 1"),
])
def test_bad_arguments_get_one_sentence_and_exit_2(args, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["grade", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_a_missing_output_folder_is_refused_before_grading(capsys, tmp_path):
    notebook = submit(tmp_path / "alice", SOLVED)
    assert main(["grade", str(notebook), "--csv", str(tmp_path / "no folder" / "g.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_tables_align_chinese_names_by_their_width_on_screen():
    from course.gradebook import table

    lines = table(["learner", "status"], [["张三", "passed"], ["bob", "wrong"]]).splitlines()
    assert lines == ["learner  status", "张三     passed", "bob      wrong"]  # 张三 takes four columns


def test_outputs_when_no_exercise_could_be_identified(tmp_path):
    rows = [{"learner": "a", "path": "a/x.ipynb", "notebook": "x.ipynb", "exercise": "", "status": "not run",
             "mistake": "", "message": "the file is empty", "hints": 0}]
    assert write_csv(rows, tmp_path / "g.csv") == (1, 0)
    assert (tmp_path / "g.csv").read_text(encoding="utf-8-sig").splitlines() == ["learner,total,out_of", "a,0,0"]
    assert write_figure(rows, tmp_path / "g.png") == (1, 0) and png_size(tmp_path / "g.png") == figure_size(1, 0)
    assert format_summary(summarize(rows)) == "no exercises found"


def test_kernels_side_by_side_share_the_cores(monkeypatch):
    # two kernels with two BLAS threads each on two cores graded 06 and 07 in 127 s, with one thread each in
    # 17 s (one at a time: 30 s): parallel jobs get cores // jobs threads unless the instructor set a number
    import course.gradebook as gradebook

    seen = []
    monkeypatch.setattr(gradebook, "_grade_in_subprocess", lambda path, out, timeout, memory_mb, env, cwd:
                        seen.append(env) or [])
    monkeypatch.setattr(gradebook, "default_jobs", lambda: 4)
    for name in gradebook.THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "3")  # the instructor's choice stays
    grade_class(["a/x.ipynb", "b/x.ipynb"], jobs=2, progress=False)
    assert [(e["OMP_NUM_THREADS"], e["OPENBLAS_NUM_THREADS"], e["MKL_NUM_THREADS"]) for e in seen] == [("2", "2", "3")] * 2
    seen.clear()
    grade_class(["a/x.ipynb"], jobs=1, progress=False)
    assert "OMP_NUM_THREADS" not in seen[0]  # one at a time: the grader's own setting


# ------------------------------------------------------------------------------------------ languages
def test_summary_table_csv_and_figure_in_chinese_keep_the_data_english(klass, tmp_path):
    import warnings

    from course.gradebook import format_class_rows

    with i18n.using("zh"):
        summary = format_summary(summarize(klass["rows"]))
        rows_table = format_class_rows(klass["rows"])
        assert write_csv(klass["rows"], tmp_path / "g.csv") == (5, 1)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "Glyph ... missing from font(s)": Chinese drawn as boxes
            assert write_figure(klass["rows"], tmp_path / "g.png") == (5, 1)
    header, line = summary.splitlines()[:2]
    assert header.split()[:4] == ["笔记本", "练习", "通过", "答错"]
    assert line.split()[2:] == ["1", "1", "0", "1", "0", "2"]  # the same counts, in the same order
    assert "5名学员，1道练习；已提交5份，通过1份。" in summary and "最常见的错误" in summary
    assert rows_table.splitlines()[0].split() == ["学员", "笔记本", "练习", "提示", "状态", "详情"]
    assert " 未完成 " in rows_table and " 答错 " in rows_table
    with open(tmp_path / "g.csv", encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        table = {r["learner"]: r["sigmoid"] for r in reader}
    assert reader.fieldnames == ["learner", "sigmoid", "total", "out_of"]
    assert table == {"alice": "passed", "bob": "not done", "dave": "not run", "eve": "not run", "张 三": "wrong"}
    assert [r["status"] for r in klass["rows"]] == ["passed", "not done", "not run", "not run", "wrong"]


def test_the_command_in_chinese_prints_chinese_and_keeps_json_and_csv_english(klass, tmp_path):
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COURSE_LANG="en")  # --lang wins over COURSE_LANG
    result = subprocess.run([sys.executable, "-m", "course", "grade", "--lang", "zh", "--json", "--no-progress",
                             str(klass["paths"]["bob"]), "--csv", str(tmp_path / "g.csv")], capture_output=True,
                            env=env)
    stdout, stderr = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert result.returncode == 0, stderr
    rows = json.loads(stdout)
    assert [(r["learner"], r["exercise"], r["status"]) for r in rows] == [("01_demo", "sigmoid", "not done")]
    assert "grade：已写入成绩册" in stderr
    assert (tmp_path / "g.csv").read_text(encoding="utf-8-sig").splitlines() == [
        "learner,sigmoid,total,out_of", "01_demo,not done,0,1"]


def test_the_workers_grade_in_the_graders_language(monkeypatch):
    import course.gradebook as gradebook

    seen = []
    monkeypatch.setattr(gradebook, "_grade_in_subprocess", lambda path, out, timeout, memory_mb, env, cwd:
                        seen.append(env["COURSE_LANG"]) or [])
    monkeypatch.setenv("COURSE_LANG", "en")
    with i18n.using("zh"):
        grade_class(["a/x.ipynb"], jobs=1, progress=False)
    grade_class(["a/x.ipynb"], jobs=1, progress=False)
    assert seen == ["zh", "en"]


def test_bad_arguments_in_chinese(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = i18n.language()
    assert main(["grade", "--lang", "zh", "nothing-here-*.ipynb"]) == 2
    assert "grade：nothing-here-*.ipynb：没有文件匹配这个模式" in capsys.readouterr().err
    assert i18n.language() == before  # main() put the previous choice back: later tests are not in Chinese

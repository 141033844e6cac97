"""README.md: the course map lists every notebook with a link, its objectives and the time the instructor
kit's schedule gives it; every relative link in the README leads to a file."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SCHEDULE = (ROOT / "solutions" / "instructor" / "schedule.md").read_text(encoding="utf-8")
NOTEBOOKS = sorted(p.stem for p in (ROOT / "solutions").glob("[0-9][0-9]*_*.ipynb"))


def course_map_rows(text):
    """{number: (link target, objectives, minutes)} from the README's course map table."""
    section = text.split("## Course map", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        m = re.fullmatch(r"\| (\d\d[a-z]?) \| \[[^]]+\]\(([^)]+)\)[^|]* \| ([^|]+) \| (\d+) min \|", line.strip())
        if m:
            rows[m.group(1)] = (m.group(2), m.group(3).strip(), int(m.group(4)))
    return rows


def schedule_blocks(text):
    """{notebook: block minutes} from the table in schedule.md (its last column)."""
    blocks = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 9 and re.fullmatch(r"\d\d[a-z]?_\w+", cells[0]):
            blocks[cells[0]] = int(cells[-1])
    return blocks


def test_every_notebook_is_on_the_course_map_with_its_time():
    rows, blocks = course_map_rows(README), schedule_blocks(SCHEDULE)
    assert NOTEBOOKS and set(blocks) == set(NOTEBOOKS), "schedule.md's table must list every notebook"
    assert sorted(rows) == [n.split("_")[0] for n in NOTEBOOKS], "README's course map must have one row per notebook"
    for name in NOTEBOOKS:
        target, objectives, minutes = rows[name.split("_")[0]]
        assert target == f"notebooks/{name}.ipynb" and (ROOT / target).is_file()
        assert len(objectives) > 40, f"{name}: say what the learner can do after it"
        assert minutes == blocks[name], f"{name}: README says {minutes} min, schedule.md {blocks[name]}"


def test_the_map_parser_sees_a_wrong_time():
    broken = README.replace("| 25 min |", "| 26 min |", 1)
    assert course_map_rows(broken)["00"][2] == 26 != schedule_blocks(SCHEDULE)["00_welcome"]


def test_relative_links_lead_to_files():
    targets = re.findall(r"\]\((?!https?://|#)([^)\s]+)\)", README)
    assert len(targets) >= 12
    missing = [t for t in targets if not (ROOT / t.split("#")[0]).exists()]
    assert not missing, f"README links to missing files: {missing}"


def test_doctor_comes_first_in_a_workshop():
    section = README.split("## Running a workshop", 1)[1].split("\n## ", 1)[0]
    assert section.lstrip().startswith("1.") and "python -m course doctor" in section.split("2.", 1)[0]


ZH_README = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")


def bash_blocks(text):
    return re.findall(r"```bash\n(.*?)\n```", text, flags=re.S)


def test_the_chinese_readme_has_the_same_set_up_commands():
    # the first two blocks: open the course, run every test (README.md's, which CI runs verbatim)
    assert bash_blocks(ZH_README)[:2] == bash_blocks(README)[:2]
    assert "README.zh-CN.md" in README and "(README.md)" in ZH_README  # each links the other


def test_the_chinese_readme_maps_every_chinese_notebook_and_its_links_lead_to_files():
    targets = re.findall(r"\]\((?!https?://|#)([^)\s]+)\)", ZH_README)
    missing = [t for t in targets if not (ROOT / t.split("#")[0]).exists()]
    assert not missing, f"README.zh-CN.md links to missing files: {missing}"
    for name in NOTEBOOKS:
        assert f"(notebooks/zh/{name}.ipynb)" in ZH_README, f"README.zh-CN.md's course map lacks {name}"


def test_the_chinese_readme_shows_the_mirrors_and_the_fonts():
    # installing from mainland China: a domestic PyPI mirror, a conda-forge mirror, Binder or a JupyterHub
    assert re.search(r"pip install .*-i https://\S+/simple", ZH_README)
    assert "pip config set global.index-url" in ZH_README
    assert "conda-forge: https://mirrors." in ZH_README and "Binder" in ZH_README and "JupyterHub" in ZH_README
    assert "sudo apt-get install fonts-noto-cjk" in ZH_README and "doctor" in ZH_README

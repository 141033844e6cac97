"""The command-line tools in the user's language: --lang (before or after the command), else COURSE_LANG, else the
locale; the help, the doctor's report, links, the capstone's table and the install line in Chinese; the data
(JSON keys, check names, statuses, exit statuses) the same in every language; the tools catalog complete.

The grader's languages are tested with real kernels in tests/test_grade.py and tests/test_gradebook.py."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from course import catalogs, cli, doctor, i18n, links
from course.install_hints import FRAMEWORKS_EXTRA

ROOT = Path(__file__).resolve().parents[1]
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture(autouse=True)
def no_language_set(monkeypatch):
    """No COURSE_LANG, an English locale, and a test's own choice gone after it."""
    monkeypatch.delenv("COURSE_LANG", raising=False)
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    yield
    i18n.set_language(None)


def no_mnist():
    raise FileNotFoundError("mnist.npz")


def two_checks(monkeypatch):
    """The doctor with two checks: Python (passes) and the MNIST data (missing)."""
    monkeypatch.setattr(doctor, "CHECKS", (("Python", doctor.check_python),
                                           ("MNIST dataset", lambda: doctor.check_dataset(no_mnist))))


# ---------------------------------------------------------------------------------------------- which language

@pytest.mark.parametrize("argv,lang", [
    (["--lang", "zh", "doctor"], "zh"),
    (["doctor", "--lang", "zh"], "zh"),
    (["doctor", "--lang=zh", "--json"], "zh"),
    (["--lang=en", "grade", "x.ipynb"], "en"),
    (["doctor"], None),
    (["--lang", "fr", "doctor"], None),  # left to argparse, which refuses it
    (["grade", "--", "--lang", "zh"], None),
    (["translations", "--lang", "zh"], None),  # the catalogs' language, not the messages'
    (["--lang", "zh", "translations", "--lang", "en"], "zh"),
])
def test_the_language_option_is_read_before_the_parser_is_built(argv, lang):
    assert cli.requested_language(argv) == lang


def test_lang_before_or_after_the_command(monkeypatch, capsys):
    two_checks(monkeypatch)
    for argv in (["--lang", "zh", "doctor"], ["doctor", "--lang", "zh"]):
        assert cli.main(argv) == 1
        lines = capsys.readouterr().out.splitlines()
        assert lines[0].startswith("course ") and lines[0].endswith("doctor（环境检查）")
        assert lines[-1] == "尚未就绪：1项必需的检查未通过（MNIST数据集）；修复方法见上文。"
    assert i18n.language() == "en"  # main() put the previous choice back


def test_without_lang_the_environment_then_the_locale_decide(monkeypatch, capsys):
    two_checks(monkeypatch)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    cli.main(["doctor"])
    assert capsys.readouterr().out.splitlines()[-1].startswith("尚未就绪")
    monkeypatch.setenv("COURSE_LANG", "en")  # the course's own setting before the locale
    cli.main(["doctor"])
    assert capsys.readouterr().out.splitlines()[-1].startswith("Not ready")
    cli.main(["doctor", "--lang", "zh"])  # and --lang before both
    assert capsys.readouterr().out.splitlines()[-1].startswith("尚未就绪")


def test_a_language_the_course_does_not_have_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["--lang", "fr", "doctor"])
    assert e.value.code == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err


def test_the_help_is_in_chinese(capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["--lang", "zh", "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：course [-h] [--version] [--lang {en,zh}] <命令> ...")
    for text in ("深度学习与神经网络：课程工具。", "位置参数:", "选项:", "显示此帮助信息并退出", "检查这个Python能否运行本课程",
                 "消息的语言"):
        assert text in out, text
    with pytest.raises(SystemExit):
        cli.main(["grade", "--help", "--lang", "zh"])
    assert "同时评分的笔记本个数" in capsys.readouterr().out
    with pytest.raises(SystemExit) as e:
        cli.main(["--lang", "zh"])  # no command: the usage and the error line, in Chinese
    assert e.value.code == 2
    assert "course：错误：" in capsys.readouterr().err


def test_the_english_help_is_unchanged_but_for_the_new_option(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: course [-h] [--version] [--lang {en,zh}] <command> ...\n")
    assert "\npositional arguments:\n" in out and "\noptions:\n" in out
    assert "  -h, --help      show this help message and exit\n" in out
    assert "language of the messages (default: COURSE_LANG, else your locale; here en)" in " ".join(out.split())


# ---------------------------------------------------------------------------------------------- the doctor

def test_the_chinese_report_aligns_translated_names_and_keeps_the_json_english(monkeypatch, capsys):
    two_checks(monkeypatch)
    assert cli.main(["--lang", "zh", "doctor"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("\u2713 Python       ")  # "MNIST数据集" is 11 columns wide: the names padded to it
    assert lines[2] == "\u2717 MNIST数据集  FileNotFoundError: mnist.npz"
    assert lines[3] == " " * 15 + "\u2192 在课程文件夹中重新安装课程，使course/datafiles/mnist.npz就位：python -m pip install -e ."
    assert cli.main(["doctor", "--json", "--lang", "zh"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"course", "python", "ok", "exit_status", "checks"}
    assert report["ok"] is False and report["exit_status"] == 1
    assert [c["name"] for c in report["checks"]] == ["Python", "MNIST dataset"]  # names are keys: English
    assert report["checks"][1] == {"name": "MNIST dataset", "ok": False, "detail": "FileNotFoundError: mnist.npz",
                                   "fix": "在课程文件夹中重新安装课程，使course/datafiles/mnist.npz就位：python -m pip install -e .",
                                   "required": True}


def test_the_font_checks_in_chinese(monkeypatch):
    monkeypatch.setattr(doctor.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(doctor.subprocess, "run", lambda command, **kwargs: subprocess.CompletedProcess(
        command, 0, stdout="", stderr=""))
    monkeypatch.setattr(doctor, "linux_distribution", lambda: set())
    with i18n.using("zh"):
        browser = doctor.check_browser_font("linux")
        figures = doctor.check_figure_font()
        skipped = doctor.check_browser_font("darwin")
        lines = doctor.format_report([browser, figures, skipped])
    assert browser.name == "Chinese in browser" and figures.name == "Chinese in figures"
    assert browser.detail == "没有含汉字的字体：在这台机器的浏览器中，JupyterLab会把中文显示为空方框"
    assert browser.fix == ("sudo apt-get install fonts-noto-cjk   （Debian、Ubuntu；Fedora：sudo dnf install "
                           "google-noto-sans-cjk-fonts）")
    assert figures.detail == "Course Sans SC（CourseSansSC-Regular.otf）：图中可以显示中文"
    assert skipped.detail == "已跳过：不是Linux（darwin），这个系统自带中文字体"
    assert lines[0].startswith("\u2717 浏览器中的中文  没有") and lines[2].startswith("\u2713 图中的中文      Course")
    assert lines[-1] == "已就绪：课程需要的一切都已具备（可选项见上文：浏览器中的中文）。"


# ---------------------------------------------------------------------------------------------- other tools

def test_links_in_chinese(capsys):
    assert cli.main(["links", "--lang", "zh", "https://github.com/a/b", "--hub", "https://hub.example.org"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Binder（按environment.yml构建环境，打开notebooks/00_welcome.ipynb）："
    assert lines[1] == "  " + links.binder_url("https://github.com/a/b")  # the links themselves do not change
    assert lines[2] == "README徽章："
    assert lines[4].startswith("JupyterHub（nbgitpuller：")
    assert cli.main(["--lang", "zh", "links", "https://github.com/a/b", "--hub", "hub.example.org"]) == 1
    assert capsys.readouterr().out == ("links：hub：应为hub的https地址，例如https://hub.example.org，"
                                       "但得到的是'hub.example.org'。\n")


def test_the_install_line_follows_the_language():
    from course import frameworks

    english = frameworks.install_message("torch")
    assert english.startswith("PyTorch is not installed. Install it with: ")
    assert english.endswith(f'(or, in the course folder: {FRAMEWORKS_EXTRA})')
    with i18n.using("zh"):
        chinese = frameworks.install_message("torch")
    assert "\n" not in chinese and chinese.startswith("PyTorch")
    assert chinese.endswith(f"(或者在课程文件夹中运行：{FRAMEWORKS_EXTRA})")


def test_the_capstone_table_in_chinese_is_aligned_and_wrapped():
    from course.capstone import REFERENCE, _columns, _wrap, reference_parts

    with i18n.using("zh"):  # the reasons are written when the parts are collected, in the notebook's language
        parts = reference_parts()
        lines = parts.table().splitlines()
        html = parts._repr_html_()
    assert lines[0].split() == ["组成部分", "笔记本", "使用", "原因"]
    assert lines[1].split()[2:] == ["参考实现", "参考实现"]
    assert lines[-1] == "8个组成部分中有0个是你的"
    assert len({_columns(line[: line.index("参考实现")]) for line in lines[1:-1]}) == 1
    assert "<th>作用</th>" in html and "隐藏层的激活函数" in html
    assert {row.source for row in parts.rows} == {REFERENCE}  # the data stay English
    text = "隐藏层的激活函数" * 10
    wrapped = _wrap(text, 30)
    assert "".join(wrapped) == text and all(_columns(line) <= 30 for line in wrapped) and len(wrapped) == 6


# ---------------------------------------------------------------------------------------------- the catalog

def test_every_tools_message_is_translated_and_compiled():
    template = catalogs.templates()["tools"]
    path = catalogs.po_path("tools")
    catalog = catalogs.read(path)
    missing = [m.id for m in template if m.id and m.id not in catalog]
    problems = [(m.id, catalogs.entry_problem(m)) for m in catalog if m.id and catalogs.entry_problem(m)]
    assert not missing and not problems, (missing, problems)
    compiled = catalogs.messages_of(catalogs.compiled(catalog))
    assert catalogs.messages_of(path.with_suffix(".mo").read_bytes()) == compiled


def test_the_tools_translations_use_chinese_punctuation_and_no_spaces_beside_chinese():
    catalog = catalogs.read(catalogs.po_path("tools"))
    for message in catalog:
        if not message.id or isinstance(message.id, tuple):
            continue
        text = str(message.string)
        for bad in ("，,", " 。", "( ", "（ "):
            assert bad not in text, (message.id, text)
        # a Chinese sentence ends with Chinese punctuation when its English ends with a full stop
        if message.id.endswith(".") and not message.id.endswith(" s."):
            assert text.endswith("。"), (message.id, text)


def test_the_command_line_in_chinese_in_a_fresh_process():
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8", LANG="zh_CN.UTF-8")
    env.pop("COURSE_LANG", None)
    env.pop("LANGUAGE", None)
    env.pop("LC_ALL", None)
    proc = subprocess.run([sys.executable, "-m", "course", "links", "https://github.com/a/b"], capture_output=True,
                          text=True, encoding="utf-8", env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[2] == "README徽章："

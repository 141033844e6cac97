"""`python -m course doctor`: the real run in this environment, and each check on its own.

Missing or broken packages are simulated by monkeypatching the look-ups in
course.doctor (installed_version, the extension folders, the MNIST loader), never
by uninstalling anything.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from course import cli, doctor, install_hints

ROOT = Path(__file__).resolve().parents[1]

EXPECTED_CHECKS = [
    "Python", "numpy", "matplotlib", "JupyterLab", "ipywidgets", "ipywidgets extension",
    "ipympl", "ipympl extension", "tqdm", "torch", "TensorFlow", "torch + TensorFlow", "MNIST dataset",
    "Chinese in figures", "Chinese in browser",
]
OPTIONAL = {"torch", "TensorFlow", "torch + TensorFlow", "Chinese in figures", "Chinese in browser"}


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """The report in English whatever the locale of the machine running the tests (tests/test_i18n_tools.py
    has the Chinese)."""
    monkeypatch.setenv("COURSE_LANG", "en")


def run_course(*args, **env):
    environ = dict(os.environ)
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environ.get("PYTHONPATH")]))
    environ["COURSE_LANG"] = "en"  # English whatever the locale of the machine running the tests
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "course", *args], cwd=ROOT, env=environ,
        capture_output=True, text=True, encoding="utf-8", timeout=300,
    )


def without(*modules):
    """An installed_version that pretends `modules` are not installed."""
    real = doctor.installed_version

    def fake(module, *dists):
        return None if module in modules else real(module, *dists)

    return fake


def ok(name, required=True):
    return doctor.Check(name, True, "fine", "", required)


# ---------------------------------------------------------------------------
# The real thing, in this environment
# ---------------------------------------------------------------------------

def test_doctor_exits_0_here():
    proc = run_course("doctor")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    for name in EXPECTED_CHECKS:
        assert any(f" {name} " in line for line in lines), f"no line for {name}:\n{proc.stdout}"
    assert lines[-1].startswith("Ready")


def test_doctor_json_lists_every_check():
    proc = run_course("doctor", "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    assert report["ok"] is True and report["exit_status"] == 0
    assert [c["name"] for c in report["checks"]] == EXPECTED_CHECKS
    for c in report["checks"]:
        assert set(c) == {"name", "ok", "detail", "fix", "required"}
        assert c["required"] is (c["name"] not in OPTIONAL)
        if c["required"]:
            assert c["ok"], c
        if not c["ok"]:
            assert c["fix"], c
    data = next(c for c in report["checks"] if c["name"] == "MNIST dataset")
    assert "(60000, 784)" in data["detail"] and "(10000, 784)" in data["detail"]


def test_check_names_are_the_documented_ones():
    assert [name for name, _ in doctor.CHECKS] == EXPECTED_CHECKS


def test_extensions_are_found_in_this_environment():
    found = doctor.find_labextensions(doctor.labextension_paths())
    assert doctor.WIDGETS_EXTENSION in found
    assert doctor.IPYMPL_EXTENSION in found


def test_no_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as e:
        cli.main([])
    assert e.value.code == 2


def test_importing_the_cli_is_light():
    code = (
        "import sys, course.cli, course.doctor, course.install_hints; "
        "print(sorted(m for m in ('numpy', 'matplotlib', 'ipywidgets', 'tqdm', 'torch', 'tensorflow', "
        "'jupyter_core', 'jupyterlab') if m in sys.modules))"
    )
    environ = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


# ---------------------------------------------------------------------------
# Single checks with simulated problems
# ---------------------------------------------------------------------------

def test_missing_required_package_gives_fix_and_exit_1(monkeypatch):
    monkeypatch.setattr(doctor, "installed_version", without("tqdm"))
    check = doctor.check_package("tqdm", "tqdm")
    assert not check.ok and check.required
    assert check.detail == "not installed"
    assert "pip install tqdm" in check.fix
    assert doctor.exit_status([ok("Python"), ok("numpy"), check]) == 1


def test_too_old_package_gives_upgrade_fix(monkeypatch):
    monkeypatch.setattr(doctor, "installed_version", lambda module, *dists: "4.0.1")
    check = doctor.check_package("tqdm", "tqdm")
    assert not check.ok
    assert "needs >= 4.65" in check.detail
    assert '--upgrade "tqdm>=4.65"' in check.fix


def test_main_reports_fix_line_and_exits_1(monkeypatch, capsys):
    monkeypatch.setattr(doctor, "installed_version", without("ipympl"))
    monkeypatch.setattr(doctor, "CHECKS", (
        ("Python", doctor.check_python),
        ("ipympl", lambda: doctor.check_package("ipympl", "ipympl")),
    ))
    assert cli.main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "pip install ipympl" in out
    assert out.splitlines()[-1].startswith("Not ready")

    assert cli.main(["doctor", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["exit_status"] == 1
    assert report["checks"][1] == {
        "name": "ipympl", "ok": False, "detail": "not installed",
        "fix": f"{install_hints.PIP} ipympl", "required": True,
    }


def test_tensorflow_missing_does_not_fail(monkeypatch, capsys):
    monkeypatch.setattr(doctor, "installed_version", without("tensorflow"))
    check = doctor.check_tensorflow()
    assert not check.ok and not check.required
    assert "tensorflow" in check.fix and "pip install" in check.fix
    assert doctor.exit_status([ok("Python"), ok("numpy"), check]) == 0

    monkeypatch.setattr(doctor, "CHECKS", (("Python", doctor.check_python), ("TensorFlow", doctor.check_tensorflow)))
    assert cli.main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "optional" in out and out.splitlines()[-1].startswith("Ready")


def test_torch_missing_is_optional_and_not_imported(monkeypatch):
    monkeypatch.setattr(doctor, "installed_version", without("torch"))
    check = doctor.check_torch()
    assert not check.ok and not check.required
    assert "pip install torch" in check.fix


def test_triton_beside_tensorflow_is_a_warning_with_the_fix(monkeypatch):
    versions = {"triton": "3.8.0", "tensorflow": "2.21.0"}
    monkeypatch.setattr(doctor, "installed_version", lambda module, *dists: versions.get(module))
    check = doctor.check_frameworks_together()
    assert not check.ok and not check.required
    assert "triton 3.8.0" in check.detail and "TensorFlow 2.21.0" in check.detail
    assert f"{install_hints.PYTHON} -m pip uninstall -y triton" in check.fix
    for missing in ("triton", "tensorflow"):
        monkeypatch.setattr(doctor, "installed_version", without(missing))
        assert doctor.check_frameworks_together().ok


def test_python_version():
    assert doctor.check_python((3, 10, 0)).ok
    old = doctor.check_python((3, 9, 18))
    assert not old.ok and old.required and "3.10" in old.fix


def test_dataset_error_is_one_line():
    def broken():
        raise FileNotFoundError("mnist.npz is missing\nsecond line")

    check = doctor.check_dataset(broken)
    assert not check.ok and check.required
    assert check.detail == "FileNotFoundError: mnist.npz is missing"
    assert check.fix
    assert doctor.exit_status([ok("Python"), check]) == 1


def test_dataset_shapes_are_reported():
    np = pytest.importorskip("numpy")
    fake = lambda: ((np.zeros((6, 784), np.float32), np.zeros(6, np.int64)),
                    (np.zeros((2, 784), np.float32), np.zeros(2, np.int64)))
    check = doctor.check_dataset(fake)
    assert check.ok
    assert check.detail.startswith("train (6, 784) float32 + (6,) int64; test (2, 784) float32 + (2,) int64; loaded in ")


def test_a_crashing_check_is_reported_not_raised():
    def boom():
        raise RuntimeError("oops")

    [check] = doctor.run_checks([("numpy", boom)])
    assert check.name == "numpy" and not check.ok and "oops" in check.detail


# ---------------------------------------------------------------------------
# Chinese fonts: matplotlib's (the course's own) and the browser's (fontconfig)
# ---------------------------------------------------------------------------

def test_figures_can_draw_chinese_with_the_course_font():
    check = doctor.check_figure_font()
    assert check.ok and not check.required, check
    assert check.detail == "Course Sans SC (CourseSansSC-Regular.otf): figures can show Chinese"


def test_a_font_matplotlib_cannot_find_gives_the_reinstall_line(monkeypatch):
    from course import fonts

    monkeypatch.setattr(fonts, "use", lambda: "No Such Font SC")
    check = doctor.check_figure_font()
    assert not check.ok and not check.required
    assert "No Such Font SC" in check.detail and "\n" not in check.detail
    assert check.fix.endswith(f"{install_hints.PIP} -e .")


def test_missing_glyphs_are_reported_as_empty_boxes(monkeypatch):
    import matplotlib

    from course import fonts

    monkeypatch.setattr(fonts, "use", lambda: "DejaVu Sans")  # registers nothing: DejaVu has no 汉字
    monkeypatch.setitem(matplotlib.rcParams, "font.family", ["DejaVu Sans"])
    check = doctor.check_figure_font()
    assert not check.ok
    assert check.detail.startswith("figures would show Chinese as empty boxes (Glyph ")
    assert check.fix.endswith(f"{install_hints.PIP} -e .")


def test_no_matplotlib_no_figure_font(monkeypatch):
    monkeypatch.setattr(doctor, "installed_version", without("matplotlib"))
    check = doctor.check_figure_font()
    assert not check.ok and check.detail == "needs matplotlib (see above)" and "matplotlib" in check.fix


def fake_fc_list(monkeypatch, stdout=None, returncode=0):
    """fc-list as `stdout` (None: not installed), and the arguments it was called with in the returned list."""
    calls = []
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None if stdout is None else f"/usr/bin/{name}")

    def run(command, **kwargs):
        calls.append(command)
        return subprocess.CompletedProcess(command, returncode, stdout=stdout, stderr="")

    monkeypatch.setattr(doctor.subprocess, "run", run)
    return calls


def test_browser_font_present(monkeypatch):
    calls = fake_fc_list(monkeypatch, "Noto Sans CJK SC,Noto Sans CJK SC Regular\nWenQuanYi Zen Hei\n"
                                      "Noto Sans CJK SC,Noto Sans CJK SC Bold\n")
    check = doctor.check_browser_font("linux")
    assert calls == [["/usr/bin/fc-list", ":lang=zh", "family"]]
    assert check.ok and not check.required
    assert check.detail == "2 fonts with Chinese characters: Noto Sans CJK SC, WenQuanYi Zen Hei"
    fake_fc_list(monkeypatch, "A,B\nC\nD\nE\n")
    assert doctor.check_browser_font("linux").detail == "4 fonts with Chinese characters: A, C, D, ..."
    fake_fc_list(monkeypatch, "Noto Sans CJK SC\n")
    assert doctor.check_browser_font("linux").detail == "1 font with Chinese characters: Noto Sans CJK SC"


@pytest.mark.parametrize("distribution,fix", [
    ({"debian"}, "sudo apt-get install fonts-noto-cjk"),
    ({"ubuntu", "debian"}, "sudo apt-get install fonts-noto-cjk"),
    ({"fedora"}, "sudo dnf install google-noto-sans-cjk-fonts"),
    ({"rocky", "rhel", "centos", "fedora"}, "sudo dnf install google-noto-sans-cjk-fonts"),
    ({"arch"}, "sudo apt-get install fonts-noto-cjk   (Debian, Ubuntu; Fedora: sudo dnf install "
               "google-noto-sans-cjk-fonts)"),
])
def test_no_browser_font_gives_the_one_install_line(monkeypatch, distribution, fix):
    fake_fc_list(monkeypatch, "")
    monkeypatch.setattr(doctor, "linux_distribution", lambda: distribution)
    check = doctor.check_browser_font("linux")
    assert not check.ok and not check.required
    assert check.detail == ("no font with Chinese characters: JupyterLab in a browser on this machine shows Chinese "
                            "as empty boxes")
    assert check.fix == fix and "\n" not in check.fix
    assert doctor.exit_status([ok("Python"), check]) == 0  # optional


def test_browser_font_without_fc_list_or_off_linux_is_skipped(monkeypatch):
    fake_fc_list(monkeypatch, None)
    check = doctor.check_browser_font("linux")
    assert check.ok and check.detail.startswith("skipped: fc-list (fontconfig) is not here")
    fake_fc_list(monkeypatch, "", returncode=1)  # fc-list failed: cannot tell either
    assert doctor.check_browser_font("linux").detail.startswith("skipped: fc-list")
    for platform in ("darwin", "win32"):
        check = doctor.check_browser_font(platform)
        assert check.ok and check.detail == f"skipped: not Linux ({platform}), whose system has Chinese fonts"


def test_os_release_is_read(tmp_path):
    release = tmp_path / "os-release"
    release.write_text('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n', encoding="utf-8")
    assert doctor.linux_distribution(str(release)) == {"ubuntu", "debian"}
    release.write_text('ID="rocky"\nID_LIKE="rhel centos fedora"\n', encoding="utf-8")
    assert doctor.linux_distribution(str(release)) == {"rocky", "rhel", "centos", "fedora"}
    assert doctor.linux_distribution(str(tmp_path / "none")) == set()


def test_font_checks_in_the_report_and_the_json(monkeypatch, capsys):
    fake_fc_list(monkeypatch, "")
    monkeypatch.setattr(doctor, "linux_distribution", lambda: {"debian"})
    monkeypatch.setattr(doctor.sys, "platform", "linux")
    monkeypatch.setattr(doctor, "CHECKS", (("Python", doctor.check_python),
                                           ("Chinese in browser", doctor.check_browser_font)))
    assert cli.main(["doctor"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].split()[:4] == ["✗", "Chinese", "in", "browser"]
    assert lines[3].strip() == "→ sudo apt-get install fonts-noto-cjk"
    assert lines[-1] == "Ready: everything the course needs is here (optional, see above: Chinese in browser)."
    assert cli.main(["doctor", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["checks"][1] == {
        "name": "Chinese in browser", "ok": False, "required": False, "fix": "sudo apt-get install fonts-noto-cjk",
        "detail": "no font with Chinese characters: JupyterLab in a browser on this machine shows Chinese as empty "
                  "boxes"}


# ---------------------------------------------------------------------------
# JupyterLab extensions, with fake folders
# ---------------------------------------------------------------------------

def make_extension(root: Path, name: str, version: str, provider: str = "") -> None:
    folder = root.joinpath(*name.split("/"))
    folder.mkdir(parents=True)
    (folder / "package.json").write_text(json.dumps({"name": name, "version": version}), encoding="utf-8")
    if provider:
        (folder / "install.json").write_text(json.dumps({"packageName": provider}), encoding="utf-8")


def test_widgets_extension_found(tmp_path, monkeypatch):
    monkeypatch.setattr(doctor, "installed_version", lambda module, *dists: "8.1.5")
    make_extension(tmp_path / "ext", doctor.WIDGETS_EXTENSION, "5.0.13", "jupyterlab_widgets")
    check = doctor.check_widgets_extension(paths=[str(tmp_path / "ext")], config_paths=[str(tmp_path / "etc")])
    assert check.ok, check
    assert check.detail == f"{doctor.WIDGETS_EXTENSION} 5.0.13"
    found = doctor.find_labextensions([str(tmp_path / "ext")])
    assert found[doctor.WIDGETS_EXTENSION]["provider"] == "jupyterlab_widgets"


def test_widgets_extension_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(doctor, "installed_version", without("jupyterlab_widgets"))
    make_extension(tmp_path / "ext", doctor.IPYMPL_EXTENSION, "0.12.0")  # a different one
    check = doctor.check_widgets_extension(paths=[str(tmp_path / "ext")], config_paths=[])
    assert not check.ok and check.required
    assert "not found" in check.detail
    assert check.fix == f"{install_hints.PIP} jupyterlab_widgets"


def test_extension_folder_missing_but_package_installed(tmp_path, monkeypatch):
    monkeypatch.setattr(doctor, "installed_version", lambda module, *dists: "0.10.0")
    check = doctor.check_ipympl_extension(paths=[str(tmp_path / "nothing")], config_paths=[])
    assert not check.ok
    assert check.fix == f"{install_hints.PIP} --force-reinstall ipympl"


def test_disabled_extension(tmp_path, monkeypatch):
    monkeypatch.setattr(doctor, "installed_version", lambda module, *dists: "8.1.5")
    make_extension(tmp_path / "ext", doctor.WIDGETS_EXTENSION, "5.0.13")
    labconfig = tmp_path / "etc" / "labconfig"
    labconfig.mkdir(parents=True)
    (labconfig / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {doctor.WIDGETS_EXTENSION: True}}), encoding="utf-8")
    check = doctor.check_widgets_extension(paths=[str(tmp_path / "ext")], config_paths=[str(tmp_path / "etc")])
    assert not check.ok
    assert check.fix == f"jupyter labextension enable {doctor.WIDGETS_EXTENSION}"

    # a folder earlier in the list (the user's) can enable it again
    user = tmp_path / "user" / "labconfig"
    user.mkdir(parents=True)
    (user / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {doctor.WIDGETS_EXTENSION: False}}), encoding="utf-8")
    paths = [str(tmp_path / "user"), str(tmp_path / "etc")]
    assert doctor.disabled_labextensions(paths) == set()


def test_widgets_extension_version_mismatch(tmp_path, monkeypatch):
    monkeypatch.setattr(doctor, "installed_version", lambda module, *dists: "8.1.5")  # ipywidgets 8
    make_extension(tmp_path / "ext", doctor.WIDGETS_EXTENSION, "3.0.1")  # the one for ipywidgets 7
    check = doctor.check_widgets_extension(paths=[str(tmp_path / "ext")], config_paths=[])
    assert not check.ok and "needs 5.x" in check.detail
    assert "--upgrade ipywidgets jupyterlab_widgets" in check.fix


def test_first_folder_wins(tmp_path):
    make_extension(tmp_path / "a", doctor.IPYMPL_EXTENSION, "0.12.0")
    make_extension(tmp_path / "b", doctor.IPYMPL_EXTENSION, "0.9.0")
    found = doctor.find_labextensions([str(tmp_path / "a"), str(tmp_path / "b")])
    assert found[doctor.IPYMPL_EXTENSION]["version"] == "0.12.0"


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

class FakeStream:
    def __init__(self, encoding):
        self.encoding = encoding


def test_marks_fall_back_to_ascii():
    assert doctor.marks_for(FakeStream("utf-8")) is doctor.UNICODE_MARKS
    assert doctor.marks_for(FakeStream("ascii")) is doctor.ASCII_MARKS
    assert doctor.marks_for(FakeStream(None)) is doctor.ASCII_MARKS
    checks = [ok("Python"), doctor.Check("tqdm", False, "not installed", "python -m pip install tqdm")]
    lines = doctor.format_report(checks, doctor.ASCII_MARKS)
    "\n".join(lines).encode("ascii")  # nothing outside ASCII
    assert lines[0].startswith("OK Python ")
    assert lines[1].startswith("NO tqdm ")
    assert lines[2].strip() == "-> python -m pip install tqdm"


def test_lines_are_aligned():
    checks = [ok("Python"), ok("ipywidgets extension"), doctor.Check("TensorFlow", False, "not installed", "x", False)]
    lines = doctor.format_report(checks)
    starts = {line.index(c.detail) for line, c in zip([lines[0], lines[1], lines[2]], checks)}
    assert len(starts) == 1


def test_version_helpers():
    assert doctor.version_tuple("2.13.0+cpu") == (2, 13, 0)
    assert doctor.version_tuple("8.0rc1") == (8, 0)
    assert doctor.at_least("2.13.0+cpu", "2.2")
    assert doctor.at_least("0.9.3", "0.9.3")
    assert not doctor.at_least("0.9.2", "0.9.3")
    assert doctor.at_least("4", "4.0")
    assert not doctor.at_least("1.26.4", "2.0")

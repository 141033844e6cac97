"""pyproject.toml and environment.yml describe the same environment; `import course` stays light."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]

# conda-forge name -> PyPI name, where they differ. matplotlib-base is matplotlib
# without the Qt GUI toolkit; the plain `matplotlib` conda package is accepted too.
CONDA_TO_PIP = {"matplotlib-base": "matplotlib"}
# conda entries that are not packages of the course.
CONDA_ONLY = {"python", "pip"}


def normalise(name: str) -> str:
    """PEP 503: case and runs of '-', '_', '.' do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirement(text: str) -> tuple[str, str | None]:
    """'numpy>=1.24' or 'numpy >=1.24' (pip or conda) -> ('numpy', '1.24'); no lower bound -> None."""
    text = text.split(";")[0].split("#")[0].strip()  # environment markers, comments
    m = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)", text)
    assert m, f"cannot read requirement {text!r}"
    name, spec = m.group(1), m.group(3)
    lower = re.search(r">=\s*([0-9][0-9A-Za-z.]*)", spec)
    return name, lower.group(1) if lower else None


def pyproject():
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]


def pyproject_requirements() -> dict[str, str | None]:
    """Core dependencies + the `test` extra, name -> lower bound.

    The `frameworks` extra (torch, TensorFlow) is optional and deliberately not
    in environment.yml: it is large, platform dependent (tensorflow-cpu vs
    tensorflow) and installed with pip when wanted, so it is not compared.
    """
    project = pyproject()
    reqs = {}
    for line in project["dependencies"] + project["optional-dependencies"]["test"]:
        name, lower = parse_requirement(line)
        reqs[normalise(name)] = lower
    return reqs


def read_environment_yml(path: Path) -> dict:
    """A tiny reader for the subset of YAML that environment.yml uses.

    Returns {"name": str, "channels": [...], "dependencies": [...], "pip": [...]}:
    top-level `key: value` and `key:` followed by `- item` lists, plus the
    nested `- pip:` list inside dependencies. Comments and blank lines are skipped.
    """
    out: dict = {"channels": [], "dependencies": [], "pip": []}
    section = None
    in_pip = False
    pip_indent = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        text = line.strip()
        if indent == 0:
            key, _, value = text.partition(":")
            section, in_pip = key.strip(), False
            if value.strip():
                out[section] = value.strip()
            continue
        if not text.startswith("- "):
            raise ValueError(f"unexpected line in {path.name}: {raw!r}")
        item = text[2:].strip()
        if in_pip and indent > pip_indent:
            out["pip"].append(item)
            continue
        in_pip = False
        if section == "dependencies" and item.rstrip(":") == "pip" and item.endswith(":"):
            in_pip, pip_indent = True, indent
            continue
        out.setdefault(section, []).append(item)
    return out


def conda_requirements() -> dict[str, str | None]:
    env = read_environment_yml(ROOT / "environment.yml")
    reqs = {}
    for line in env["dependencies"]:
        name, lower = parse_requirement(line)
        name = normalise(name)
        if name in CONDA_ONLY:
            continue
        reqs[normalise(CONDA_TO_PIP.get(name, name))] = lower
    return reqs


def test_the_tiny_yaml_reader_agrees_with_pyyaml():
    yaml = pytest.importorskip("yaml")  # present here through Jupyter; not a dependency of the course
    data = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    strings = [d for d in data["dependencies"] if isinstance(d, str)]
    pips = [d["pip"] for d in data["dependencies"] if isinstance(d, dict) and "pip" in d]
    mine = read_environment_yml(ROOT / "environment.yml")
    assert mine["dependencies"] == strings
    assert [mine["pip"]] == pips
    assert mine["channels"] == data["channels"]


def test_environment_uses_conda_forge():
    env = read_environment_yml(ROOT / "environment.yml")
    assert env["channels"] == ["conda-forge"]


def test_same_packages():
    conda, pip = conda_requirements(), pyproject_requirements()
    assert sorted(conda) == sorted(pip), (
        f"only in environment.yml: {sorted(set(conda) - set(pip))}; "
        f"only in pyproject.toml: {sorted(set(pip) - set(conda))}"
    )


def test_same_lower_bounds():
    conda, pip = conda_requirements(), pyproject_requirements()
    differ = {name: (conda[name], pip[name]) for name in set(conda) & set(pip)
              if conda[name] and pip[name] and conda[name] != pip[name]}
    assert not differ, f"lower bounds differ (environment.yml, pyproject.toml): {differ}"


def test_same_python():
    env = read_environment_yml(ROOT / "environment.yml")
    pythons = [parse_requirement(d) for d in env["dependencies"] if parse_requirement(d)[0] == "python"]
    assert len(pythons) == 1
    requires = re.fullmatch(r">=\s*([0-9.]+)", pyproject()["requires-python"].strip())
    assert requires, "requires-python is expected to be a plain lower bound"
    assert pythons[0][1] == requires.group(1)


def test_environment_installs_the_course():
    env = read_environment_yml(ROOT / "environment.yml")
    assert "pip" in env["dependencies"]  # conda needs pip itself for the pip: section
    assert env["pip"] in (["-e ."], ["."])


def test_doctor_minimums_match_pyproject():
    from course import install_hints

    pip = pyproject_requirements()
    for name, minimum in install_hints.MINIMUMS.items():
        if name in pip:
            assert pip[name] == minimum, f"course.install_hints.MINIMUMS[{name!r}] = {minimum}, pyproject says {pip[name]}"
    frameworks = dict(parse_requirement(r) for r in pyproject()["optional-dependencies"]["frameworks"])
    assert install_hints.MINIMUMS["torch"] == frameworks["torch"]
    assert install_hints.MINIMUMS["tensorflow"] == frameworks["tensorflow"]
    assert install_hints.MINIMUMS["python"] == pyproject()["requires-python"].lstrip(">=").strip()


def test_import_course_is_light():
    heavy = ("matplotlib", "ipywidgets", "tqdm", "torch", "tensorflow", "triton")
    code = f"import sys, course; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    environ = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]", f"`import course` imported {proc.stdout.strip()}"


def test_ci_runs_the_readme_test_command():
    """.ci/run must call the README's test command verbatim (it installs the `frameworks` extra,
    so notebooks 08 and 09 and the framework tests run in CI instead of skipping)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)\n```", readme, flags=re.S)
    test_command = next(b for b in blocks if b.rstrip().endswith("-m pytest"))
    assert '".[test,frameworks]"' in test_command
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    # verbatim, at most followed by CI's keeping of its exit status
    runs = [i for i, line in enumerate(ci) if line in (test_command.strip(), test_command.strip() + " || status=$?")]
    assert runs, ".ci/run does not run the README's test command verbatim"
    # nothing goes into the README's venv before its own command (issue 11: CI preinstalled torch's CPU
    # build and so never met the crash of PyPI's default torch beside TensorFlow)
    before = ci[: runs[0]]
    assert any(line.startswith("rm -rf .venv ") for line in before), ".ci/run must start the README's command without a .venv"
    assert not [line for line in before if ".venv/" in line], "CI installs into .venv before the README does"


def test_ci_runs_the_readme_lowest_versions_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The versions we claim", 1)[1]
    commands = re.findall(r"```bash\n(.*?)\n```", section, flags=re.S)[0].splitlines()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in commands:
        assert command in ci, f".ci/run does not run the README's {command!r}"


def test_lowest_constraints_pin_every_floor():
    """.ci/lowest-constraints.txt pins each direct dependency at exactly the lowest version its range allows."""
    from course import doctor

    pins = dict(line.split("==") for line in (ROOT / ".ci" / "lowest-constraints.txt").read_text().splitlines()
                if line.strip() and not line.startswith("#"))
    project = pyproject()
    requirements = [*project["dependencies"], *project["optional-dependencies"]["test"],
                    *(r for r in project["optional-dependencies"]["frameworks"] if "sys_platform == 'darwin'" not in r)]
    floors = dict(parse_requirement(r.split(";")[0]) for r in requirements)
    assert sorted(pins) == sorted(floors), "pin every direct dependency (Linux's frameworks) and nothing else"
    for name, floor in floors.items():
        have, need = doctor.version_tuple(pins[name]), doctor.version_tuple(floor)
        width = max(len(have), len(need))
        assert have + (0,) * (width - len(have)) == need + (0,) * (width - len(need)), \
            f"{name}: pyproject's floor is {floor}, .ci/lowest-constraints.txt pins {pins[name]}"

"""The core never imports the command line: only course/cli.py and course/__main__.py may import course.cli.

The tools live in their own modules (course.doctor, course.authoring, course.links) and the install lines in
course.install_hints, so course.frameworks and the rest depend on those, never on argument parsing. Read with
ast, so every form counts wherever it sits (top level, inside a function, under `if TYPE_CHECKING`):
`from .cli import x`, `from course.cli import x`, `from . import cli`, `from course import cli`,
`import course.cli`, a subpackage's `from ..cli import x`, and `importlib.import_module("course.cli")`.
"""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "course"
ALLOWED = {"cli.py", "__main__.py"}  # relative to course/
CLI = "course.cli"


def module_name(path: Path) -> str:
    """course/widgets/forward.py -> 'course.widgets.forward'; course/checks/__init__.py -> 'course.checks'."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def resolve(importer: str, is_package: bool, level: int, module: str | None) -> str:
    """The absolute module a `from <dots><module> import ...` in `importer` names."""
    if level == 0:
        return module or ""
    base = importer.split(".")
    if not is_package:
        base = base[:-1]  # a module's relative imports start from its package
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def is_cli(name: str) -> bool:
    return name == CLI or name.startswith(CLI + ".")


def cli_imports(source: str, importer: str, is_package: bool = False) -> list[int]:
    """Line numbers in `source` (the code of module `importer`) that import course.cli."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            if any(is_cli(alias.name) for alias in node.names):
                lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = resolve(importer, is_package, node.level, node.module)
            # `from course import cli` imports the submodule too: check base.name for each name imported
            if is_cli(base) or any(is_cli(f"{base}.{alias.name}") for alias in node.names):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            target = node.args[0].value
            if name == "import_module" and isinstance(target, str):
                if target.startswith("."):
                    dots = len(target) - len(target.lstrip("."))
                    target = resolve(importer, is_package, dots, target.lstrip(".") or None)
                if is_cli(target):
                    lines.append(node.lineno)
    return sorted(lines)


def core_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if str(p.relative_to(PACKAGE)) not in ALLOWED)


def test_the_core_files_are_found():
    names = {str(p.relative_to(PACKAGE)) for p in core_files()}
    assert {"frameworks.py", "doctor.py", "install_hints.py", "authoring.py", "links.py", "_load_order.py",
            "numerics.py", "__init__.py"} <= names
    assert any(name.startswith("widgets" + os.sep) for name in names)  # subpackages are read too
    assert any(name.startswith("checks" + os.sep) for name in names)
    assert not names & ALLOWED


@pytest.mark.parametrize("path", core_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_core_module_imports_the_cli(path):
    found = cli_imports(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")
    assert not found, (f"{path.relative_to(ROOT)} imports course.cli (line(s) {found}): the core must not depend "
                       "on the command line; import course.doctor, course.install_hints or the tool's module instead")


# The detector itself: every form is caught (else the test above could never fail), and near names are not.
CAUGHT = [
    ("course.frameworks", False, "from .cli import PIP"),
    ("course.frameworks", False, "from course.cli import PIP, TF_PIP"),
    ("course.frameworks", False, "from . import cli"),
    ("course.frameworks", False, "from course import data, cli as command_line"),
    ("course.frameworks", False, "import course.cli"),
    ("course.frameworks", False, "import os, course.cli as c"),
    ("course.frameworks", False, "def hint():\n    from .cli import PIP\n    return PIP"),
    ("course.frameworks", False, "class A:\n    def f(self):\n        import course.cli"),
    ("course.frameworks", False, "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .cli import Check"),
    ("course.widgets.forward", False, "from ..cli import PIP"),
    ("course.widgets.forward", False, "from .. import cli"),
    ("course.widgets", True, "from ..cli import PIP"),
    ("course.checks", True, "from .. import cli"),
    ("course.frameworks", False, "import importlib\nimportlib.import_module('course.cli')"),
    ("course.frameworks", False, "from importlib import import_module\nimport_module('.cli', 'course')"),
]
NOT_CAUGHT = [
    ("course.frameworks", False, "from .install_hints import PIP"),
    ("course.frameworks", False, "from .client import x\nimport course.clinic\nfrom course import climate"),
    ("course.widgets.forward", False, "from .cli import x"),  # course.widgets.cli, another module
    ("course.widgets", True, "from . import cli"),  # course.widgets.cli
    ("course.frameworks", False, "text = 'from .cli import PIP'  # a string, not an import"),
]


@pytest.mark.parametrize("importer, is_package, source", CAUGHT)
def test_detector_catches(importer, is_package, source):
    assert cli_imports(source, importer, is_package)


@pytest.mark.parametrize("importer, is_package, source", NOT_CAUGHT)
def test_detector_leaves_other_modules_alone(importer, is_package, source):
    assert cli_imports(source, importer, is_package) == []


def test_importing_the_tools_and_frameworks_leaves_the_cli_out():
    # The same at run time, for the modules that took from the CLI before (frameworks) or hold a tool now.
    code = ("import sys, course.frameworks, course.doctor, course.install_hints, course.links, course.authoring; "
            "print('course.cli' in sys.modules)")
    environ = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"

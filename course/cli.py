"""Command line: ``python -m course <command>`` (also the ``course`` script).

Commands
    doctor    check that this Python can run the course (exit 0) or say what to fix (exit 1)

Each command is one ``cmd_<name>(args) -> int`` function plus a few lines in
:func:`build_parser`; ``build`` and ``grade`` can be added the same way.

The doctor's checks are small functions that return a :class:`Check` record
and never raise. They find packages with ``importlib.util.find_spec`` and read
versions with ``importlib.metadata``, so nothing heavy is imported: only torch
(when it is installed, to see that it works) and the course's own MNIST loader.
Tests replace :func:`installed_version` (and the other look-ups) with
monkeypatch to simulate missing packages.
"""
from __future__ import annotations

import argparse
import glob
import importlib.metadata
import importlib.util
import json
import os
import re
import sys
import time
from dataclasses import asdict, dataclass

# Lower bounds, the same as pyproject.toml (tests/test_packaging.py checks that they agree).
MINIMUMS = {
    "python": "3.10",
    "numpy": "1.24",
    "matplotlib": "3.7",
    "ipywidgets": "8.0",
    "jupyterlab": "4.0",
    "ipympl": "0.9.3",
    "tqdm": "4.65",
    "torch": "2.13",
    "tensorflow": "2.16.1",
}

WIDGETS_EXTENSION = "@jupyter-widgets/jupyterlab-manager"  # shipped by the jupyterlab_widgets package
IPYMPL_EXTENSION = "jupyter-matplotlib"  # shipped by the ipympl package
# ipywidgets major -> major of the JupyterLab extension that can talk to it
# (ipywidgets 8 speaks widget protocol 2, which jupyterlab-manager 5.x, from jupyterlab_widgets 3.x, implements).
WIDGETS_EXTENSION_MAJOR = {8: 5}
# Distributions that provide the `tensorflow` module.
TENSORFLOW_DISTS = ("tensorflow", "tensorflow-cpu", "tensorflow-macos", "tensorflow-intel", "tf-nightly")

# The Python running the course: advice names it, because a bare `python` in a terminal may be another one (a venv
# not activated, a kernel's Python): its pip installs where the course looks.
PYTHON = f'"{sys.executable}"' if " " in sys.executable else sys.executable
PIP = f"{PYTHON} -m pip install"
FRAMEWORKS_FIX = f'or, in the course folder: {PIP} -e ".[frameworks]"'
# On Linux, PyPI's torch is a CUDA build of several GB; the course needs only the CPU build, a fraction of that.
TORCH_PIP = "torch --index-url https://download.pytorch.org/whl/cpu" if sys.platform.startswith("linux") else "torch"
TF_PIP = "tensorflow" if sys.platform == "darwin" else "tensorflow-cpu"


@dataclass(frozen=True)
class Check:
    """One line of the doctor's report."""

    name: str
    ok: bool
    detail: str
    fix: str = ""  # one line saying how to repair it; empty when ok
    required: bool = True  # False: reported, but never makes the doctor fail


# ---------------------------------------------------------------------------
# Look-ups (replaced by monkeypatch in the tests)
# ---------------------------------------------------------------------------

def installed_version(module: str, *dists: str) -> str | None:
    """Version of the first installed distribution in `dists` (default: `module`),
    or None when `module` cannot be imported from here. Imports nothing."""
    try:
        if importlib.util.find_spec(module) is None:
            return None
    except (ImportError, ValueError):  # a broken parent package, or a module with __spec__ = None
        return None
    for dist in dists or (module,):
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "unknown version"  # importable, but installed without metadata (e.g. copied in by hand)


def version_tuple(version: str) -> tuple[int, ...]:
    """The release numbers at the start of a version: '2.13.0+cpu' -> (2, 13, 0), '8.0rc1' -> (8, 0)."""
    numbers = []
    for part in version.split("."):
        m = re.match(r"\d+", part)
        if not m:
            break
        numbers.append(int(m.group()))
        if m.end() != len(part):
            break
    return tuple(numbers)


def at_least(version: str, minimum: str) -> bool:
    """True when `version` >= `minimum` (release numbers only); unknown versions pass."""
    have, need = version_tuple(version), version_tuple(minimum)
    if not have:
        return True
    width = max(len(have), len(need))
    return have + (0,) * (width - len(have)) >= need + (0,) * (width - len(need))


def labextension_paths() -> list[str]:
    """Folders where JupyterLab looks for prebuilt extensions, highest priority first.

    The same list as ``jupyter labextension list`` and the server use
    (``jupyter_core.paths.jupyter_path("labextensions")``: user, sys.prefix,
    system, and $JUPYTER_PATH); without jupyter_core, the two usual places.
    """
    try:
        from jupyter_core.paths import jupyter_path
    except ImportError:
        return [
            os.path.join(sys.prefix, "share", "jupyter", "labextensions"),
            os.path.join(os.path.expanduser("~"), ".local", "share", "jupyter", "labextensions"),
        ]
    return list(jupyter_path("labextensions"))


def jupyter_config_paths() -> list[str]:
    """Jupyter's config folders, highest priority first (the labconfig/ folders live in them)."""
    try:
        from jupyter_core.paths import jupyter_config_path
    except ImportError:
        return [os.path.join(os.path.expanduser("~"), ".jupyter"), os.path.join(sys.prefix, "etc", "jupyter")]
    return list(jupyter_config_path())


def find_labextensions(paths: list[str]) -> dict[str, dict]:
    """Prebuilt JupyterLab extensions in `paths`: name -> {version, path, provider}.

    Mirrors ``jupyterlab_server.config.get_federated_extensions`` (which is what
    ``jupyter labextension list`` reports) without importing jupyter_server:
    an extension is a ``package.json`` one folder deep, or two deep under an
    ``@scope`` folder; the first folder in `paths` that has it wins.
    """
    found: dict[str, dict] = {}
    for root in paths:
        candidates = glob.glob(os.path.join(glob.escape(root), "[!@]*", "package.json")) + glob.glob(
            os.path.join(glob.escape(root), "@*", "*", "package.json")
        )
        for pkg_json in sorted(candidates):
            try:
                with open(pkg_json, encoding="utf-8") as f:
                    pkg = json.load(f)
                name = pkg["name"]
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if name in found:
                continue
            provider = ""
            install_json = os.path.join(os.path.dirname(pkg_json), "install.json")
            try:
                with open(install_json, encoding="utf-8") as f:
                    provider = json.load(f).get("packageName", "")
            except (OSError, ValueError, AttributeError):
                pass
            found[name] = {"version": str(pkg.get("version", "")), "path": os.path.dirname(pkg_json), "provider": provider}
    return found


def disabled_labextensions(config_paths: list[str]) -> set[str]:
    """Names switched off with ``jupyter labextension disable``.

    They are in labconfig/page_config.json (and page_config.d/*.json) under
    each Jupyter config folder, as ``{"disabledExtensions": {name: true}}``
    (a list in older versions); folders earlier in `config_paths` win, as in
    jupyter_server's ConfigManager.
    """
    state: dict[str, bool] = {}
    for root in reversed(config_paths):
        folder = os.path.join(root, "labconfig")
        files = sorted(glob.glob(os.path.join(glob.escape(folder), "page_config.d", "*.json")))
        files.append(os.path.join(folder, "page_config.json"))
        for path in files:
            try:
                with open(path, encoding="utf-8") as f:
                    value = json.load(f).get("disabledExtensions", {})
            except (OSError, ValueError, AttributeError):
                continue
            if isinstance(value, list):
                value = dict.fromkeys(value, True)
            if isinstance(value, dict):
                state.update({str(k): bool(v) for k, v in value.items()})
    return {name for name, off in state.items() if off}


# ---------------------------------------------------------------------------
# Checks: each returns one Check and never raises
# ---------------------------------------------------------------------------

def check_python(version_info=None) -> Check:
    v = sys.version_info if version_info is None else version_info
    text = ".".join(str(n) for n in tuple(v)[:3])
    ok = tuple(v)[:2] >= version_tuple(MINIMUMS["python"])
    detail = f"{text} ({sys.executable})"
    fix = "" if ok else f"the course needs Python >= {MINIMUMS['python']}: conda env create -f environment.yml, or install a newer Python"
    return Check("Python", ok, detail if ok else f"{detail}, needs >= {MINIMUMS['python']}", fix)


def check_package(name: str, module: str, dist: str | None = None, *, minimum: str | None = None,
                  fix: str | None = None, required: bool = True, note: str = "") -> Check:
    """Is `module` importable, from distribution `dist`, at version >= `minimum`?"""
    dist = dist or module
    minimum = minimum if minimum is not None else MINIMUMS.get(module)
    install = fix or f"{PIP} {dist}"
    optional = "" if required else " (optional)"
    version = installed_version(module, dist)
    if version is None:
        return Check(name, False, f"not installed{optional}", install, required)
    if minimum and not at_least(version, minimum):
        return Check(name, False, f"{version}, needs >= {minimum}{optional}",
                     f'{PIP} --upgrade "{dist}>={minimum}"', required)
    return Check(name, True, version + note, "", required)


def check_labextension(name: str, extension: str, provider: str, *, expect_major: int | None = None,
                       mismatch_fix: str = "", paths: list[str] | None = None,
                       config_paths: list[str] | None = None) -> Check:
    """Is the prebuilt JupyterLab extension `extension` (shipped by the pip package `provider`) there and enabled?"""
    paths = labextension_paths() if paths is None else paths
    found = find_labextensions(paths).get(extension)
    if found is None:
        have = installed_version(provider.replace("-", "_"), provider)
        fix = f"{PIP} --force-reinstall {provider}" if have else f"{PIP} {provider}"
        where = ", ".join(paths) or "no folders"
        return Check(name, False, f"{extension} not found (searched {where})", fix)
    detail = f"{extension} {found['version']}"
    config_paths = jupyter_config_paths() if config_paths is None else config_paths
    if extension in disabled_labextensions(config_paths):
        return Check(name, False, f"{detail} is disabled", f"jupyter labextension enable {extension}")
    major = version_tuple(found["version"])[:1]
    if expect_major is not None and major and major[0] != expect_major:
        return Check(name, False, f"{detail} does not match (needs {expect_major}.x)", mismatch_fix)
    return Check(name, True, detail)


def check_widgets_extension(paths=None, config_paths=None) -> Check:
    widgets = installed_version("ipywidgets")
    expect = WIDGETS_EXTENSION_MAJOR.get(version_tuple(widgets)[0]) if widgets and version_tuple(widgets) else None
    return check_labextension(
        "ipywidgets extension", WIDGETS_EXTENSION, "jupyterlab_widgets", expect_major=expect,
        mismatch_fix=f"{PIP} --upgrade ipywidgets jupyterlab_widgets", paths=paths, config_paths=config_paths,
    )


def check_ipympl_extension(paths=None, config_paths=None) -> Check:
    return check_labextension("ipympl extension", IPYMPL_EXTENSION, "ipympl", paths=paths, config_paths=config_paths)


def check_torch() -> Check:
    """Optional. torch is imported when installed, to show that it really loads."""
    fix = f"{PIP} {TORCH_PIP}   ({FRAMEWORKS_FIX})"
    base = check_package("torch", "torch", minimum=MINIMUMS["torch"], fix=fix, required=False)
    if not base.ok:
        return base
    try:
        import torch

        if torch.cuda.is_available():
            device = f"CUDA {torch.version.cuda}, {torch.cuda.device_count()} GPU(s)"
        elif getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            device = "Apple MPS"
        else:
            device = "CPU only"
    except Exception as e:  # a broken wheel: missing shared libraries and the like
        return Check("torch", False, f"{base.detail} but import failed: {one_line(e)}",
                     f"{PIP} --force-reinstall torch", required=False)
    return Check("torch", True, f"{torch.__version__} ({device})", "", required=False)


def check_tensorflow() -> Check:
    """Optional. Not imported (slow, and chatty on stderr): found and versioned only."""
    fix = f"{PIP} {TF_PIP}   ({FRAMEWORKS_FIX})"
    version = installed_version("tensorflow", *TENSORFLOW_DISTS)
    if version is None:
        return Check("TensorFlow", False, "not installed (optional)", fix, required=False)
    if not at_least(version, MINIMUMS["tensorflow"]):
        return Check("TensorFlow", False, f"{version}, needs >= {MINIMUMS['tensorflow']} (optional)",
                     f'{PIP} --upgrade "tensorflow>={MINIMUMS["tensorflow"]}"', required=False)
    keras = installed_version("keras")
    return Check("TensorFlow", True, version + (f" (keras {keras})" if keras else ""), "", required=False)


def check_frameworks_together() -> Check:
    """Optional. Triton (which PyPI's CUDA build of torch brings on Linux) beside TensorFlow: a process that
    loads TensorFlow before Triton's native library crashes (why: course/_load_order.py). Looked up, not imported.
    """
    triton = installed_version("triton")
    tensorflow = installed_version("tensorflow", *TENSORFLOW_DISTS)
    if triton is None or tensorflow is None:
        return Check("torch + TensorFlow", True, "not both installed with triton: nothing to watch", "", required=False)
    return Check("torch + TensorFlow", False,
                 f"triton {triton} (part of torch's CUDA build) beside TensorFlow {tensorflow}: the notebooks are safe "
                 "(they import course first), but your own script crashes if it imports tensorflow and then uses a "
                 "torch optimiser without importing course first",
                 f"without an NVIDIA GPU torch needs no triton: {PYTHON} -m pip uninstall -y triton (pip check will "
                 "then list it as missing, and reinstalling the frameworks brings it back)",
                 required=False)


def check_dataset(loader=None) -> Check:
    """Load MNIST with the course's own loader; report the shapes and how long it took."""
    try:
        if loader is None:
            from course.data import load_mnist as loader
        start = time.perf_counter()
        result = loader()
        seconds = time.perf_counter() - start
        parts = {2: ("train", "test"), 3: ("train", "validation", "test")}.get(len(result)) if isinstance(result, tuple) else None
        if parts:
            shapes = "; ".join(f"{part} {describe_shapes(r)}" for part, r in zip(parts, result))
        else:
            shapes = describe_shapes(result)
        return Check("MNIST dataset", True, f"{shapes}; loaded in {seconds:.2f} s")
    except Exception as e:
        return Check("MNIST dataset", False, one_line(e),
                     "reinstall the course from its folder so course/datafiles/mnist.npz is there: python -m pip install -e .")


def describe_shapes(result) -> str:
    """(X, y) -> '(60000, 784) float32 + (60000,) int64'; nested tuples are joined with ', '."""
    if hasattr(result, "shape"):
        dtype = getattr(result, "dtype", "")
        return f"{tuple(result.shape)} {dtype}".strip()
    if isinstance(result, (tuple, list)):
        inner = [describe_shapes(r) for r in result]
        sep = " + " if all(hasattr(r, "shape") for r in result) else ", "
        return sep.join(inner)
    return type(result).__name__


def one_line(e: BaseException, limit: int = 200) -> str:
    text = str(e).strip().splitlines()
    msg = f"{type(e).__name__}: {text[0]}" if text else type(e).__name__
    return msg if len(msg) <= limit else msg[: limit - 3] + "..."


# The doctor's checks, in the order they are printed.
CHECKS = (
    ("Python", check_python),
    ("numpy", lambda: check_package("numpy", "numpy")),
    ("matplotlib", lambda: check_package("matplotlib", "matplotlib")),
    ("JupyterLab", lambda: check_package("JupyterLab", "jupyterlab")),
    ("ipywidgets", lambda: check_package("ipywidgets", "ipywidgets")),
    ("ipywidgets extension", check_widgets_extension),
    ("ipympl", lambda: check_package("ipympl", "ipympl")),
    ("ipympl extension", check_ipympl_extension),
    ("tqdm", lambda: check_package("tqdm", "tqdm")),
    ("torch", check_torch),
    ("TensorFlow", check_tensorflow),
    ("torch + TensorFlow", check_frameworks_together),
    ("MNIST dataset", check_dataset),
)


def run_checks(checks=None) -> list[Check]:
    """Run every check; a check that crashes is reported as failed, not raised."""
    results = []
    for name, fn in CHECKS if checks is None else checks:
        try:
            results.append(fn())
        except Exception as e:
            results.append(Check(name, False, f"the check itself crashed: {one_line(e)}", "please report this"))
    return results


def exit_status(checks: list[Check]) -> int:
    """0 when every required check passed (optional ones never count), else 1."""
    return 0 if all(c.ok for c in checks if c.required) else 1


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

UNICODE_MARKS = {"ok": "\u2713", "bad": "\u2717", "arrow": "\u2192"}
ASCII_MARKS = {"ok": "OK", "bad": "NO", "arrow": "->"}


def marks_for(stream) -> dict[str, str]:
    """✓/✗/→ when `stream` can encode them, else OK/NO/->."""
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "".join(UNICODE_MARKS.values()).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return ASCII_MARKS
    return UNICODE_MARKS


def format_report(checks: list[Check], marks: dict[str, str] = UNICODE_MARKS) -> list[str]:
    width = max((len(c.name) for c in checks), default=0)
    mark_width = max(len(marks["ok"]), len(marks["bad"]))
    lines = []
    for c in checks:
        mark = (marks["ok"] if c.ok else marks["bad"]).ljust(mark_width)
        lines.append(f"{mark} {c.name.ljust(width)}  {c.detail}")
        if not c.ok and c.fix:
            lines.append(f"{' ' * mark_width} {' ' * width}  {marks['arrow']} {c.fix}")
    failed = [c.name for c in checks if c.required and not c.ok]
    optional = [c.name for c in checks if not c.required and not c.ok]
    if failed:
        lines.append(f"Not ready: {len(failed)} required check(s) failed ({', '.join(failed)}); see the fixes above.")
    else:
        extra = f" (optional, see above: {', '.join(optional)})" if optional else ""
        lines.append(f"Ready: everything the course needs is here{extra}.")
    return lines


def report_dict(checks: list[Check]) -> dict:
    from course import __version__

    return {
        "course": __version__,
        "python": sys.executable,
        "ok": exit_status(checks) == 0,
        "exit_status": exit_status(checks),
        "checks": [asdict(c) for c in checks],
    }


def _write(stream, line: str) -> None:
    try:
        stream.write(line + "\n")
    except UnicodeEncodeError:  # a path or an error message the terminal cannot show
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(line.encode(encoding, "replace").decode(encoding) + "\n")


# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------

def cmd_doctor(args) -> int:
    checks = run_checks()
    out = sys.stdout
    if args.json:
        _write(out, json.dumps(report_dict(checks), indent=2))
    else:
        from course import __version__

        _write(out, f"course {__version__} doctor")
        for line in format_report(checks, marks_for(out)):
            _write(out, line)
    out.flush()
    return exit_status(checks)


def build_parser() -> argparse.ArgumentParser:
    from course import __version__

    parser = argparse.ArgumentParser(
        prog="course",
        description="深度学习与神经网络 (Deep Learning & Neural Networks): course tools.",
    )
    parser.add_argument("--version", action="version", version=f"course {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="<command>", required=True)

    doctor = commands.add_parser(
        "doctor", help="check that this Python can run the course",
        description="Check Python, the packages, the JupyterLab extensions and the MNIST data. "
                    "Exit status 0 when the course can run here, 1 when something required is missing.",
    )
    doctor.add_argument("--json", action="store_true", help="print the same facts as JSON")
    doctor.set_defaults(func=cmd_doctor)

    build = commands.add_parser(
        "build", help="write notebooks/ from solutions/",
        description="Write the learner notebooks in notebooks/ from solutions/: solution blocks become stubs, "
                    "outputs are cleared. With --check, write nothing and exit 1 naming the stale files.",
    )
    build.add_argument("--check", action="store_true", help="only check that notebooks/ is up to date")
    build.add_argument("--force", action="store_true",
                       help="also replace learner notebooks that were edited since the last build")
    build.add_argument("--solutions", default=None, help="folder of solution notebooks (default: solutions/)")
    build.add_argument("--notebooks", default=None, help="folder of learner notebooks (default: notebooks/)")
    build.set_defaults(func=cmd_build)

    from .gradebook import GRADE_DESCRIPTION, GRADE_HELP, add_grade_arguments, run_grade

    grade = commands.add_parser("grade", help=GRADE_HELP, description=GRADE_DESCRIPTION)
    add_grade_arguments(grade)
    grade.set_defaults(func=run_grade)

    links = commands.add_parser(
        "links", help="print the Binder link, README badge and JupyterHub (nbgitpuller) link",
        description="Print the links a workshop hands out for a published copy of the course: the Binder launch "
                    "link and its README badge, and with --hub an nbgitpuller link. Nothing is fetched.",
    )
    links.add_argument("repository", nargs="?", default=None,
                       help="the repository's public URL (default: this checkout's git remote 'origin')")
    links.add_argument("--branch", default="main", help="branch to open (default main)")
    links.add_argument("--hub", default=None, help="a JupyterHub's address, e.g. https://hub.example.org")
    links.set_defaults(func=cmd_links)
    return parser


def cmd_build(args) -> int:
    from pathlib import Path

    from .authoring import ROOT, BuildError, build

    solutions = Path(args.solutions) if args.solutions else ROOT / "solutions"
    notebooks = Path(args.notebooks) if args.notebooks else ROOT / "notebooks"
    if not solutions.is_dir():
        print(f"build: no solutions folder at {solutions}")
        return 1
    try:
        names = build(solutions, notebooks, check=args.check, force=args.force)
    except BuildError as e:
        print(f"build: {e}")
        return 1
    if args.check:
        if names:
            print(f"notebooks/ is stale; run python -m course build. Stale: {', '.join(names)}")
            return 1
        print("notebooks/ is up to date")
        return 0
    print(f"wrote {len(names)} notebook(s)" + (f": {', '.join(names)}" if names else " (all were up to date)"))
    return 0


def _origin_url():
    """This checkout's `git remote get-url origin`, or None (no git, not a clone, no remote)."""
    import subprocess

    from .authoring import ROOT

    try:
        out = subprocess.run(["git", "-C", str(ROOT), "remote", "get-url", "origin"],
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    url = out.stdout.strip()
    return url if out.returncode == 0 and url else None


def cmd_links(args) -> int:
    from .links import FIRST_NOTEBOOK, LinkError, binder_badge, binder_url, nbgitpuller_url

    repository = args.repository or _origin_url()
    if repository is None:
        print("links: this checkout has no git remote 'origin'; give the repository's public URL: "
              "python -m course links https://github.com/<owner>/<repo>")
        return 1
    try:
        lines = [f"Binder (builds environment.yml, opens {FIRST_NOTEBOOK}):", "  " + binder_url(repository, args.branch),
                 "README badge:", "  " + binder_badge(repository, args.branch)]
        if args.hub:
            lines += ["JupyterHub (nbgitpuller: clones on the first click, updates later, keeps learners' changes):",
                      "  " + nbgitpuller_url(args.hub, repository, args.branch)]
    except LinkError as e:
        print(f"links: {e}")
        return 1
    print("\n".join(lines))
    return 0


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())

"""`python -m course doctor`: check that this Python can run the course (exit 0) or say what to fix (exit 1).

The checks are small functions that return a :class:`Check` record and never
raise. They find packages with ``importlib.util.find_spec`` and read versions
with ``importlib.metadata``, so nothing heavy is imported: only torch (when it
is installed, to see that it works) and the course's own MNIST loader. Tests
replace :func:`installed_version` (and the other look-ups) with monkeypatch to
simulate missing packages.

:func:`run` is what the command line calls: it prints the report (or ``--json``)
and returns the exit status. The install lines come from course.install_hints,
which course.frameworks uses too, so both give the same advice.
"""
from __future__ import annotations

import glob
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from dataclasses import asdict, dataclass

from .i18n import N_, _, ngettext
from .install_hints import MINIMUMS, PIP, PYTHON, TF_PIP, TORCH_PIP, frameworks_fix

WIDGETS_EXTENSION = "@jupyter-widgets/jupyterlab-manager"  # shipped by the jupyterlab_widgets package
IPYMPL_EXTENSION = "jupyter-matplotlib"  # shipped by the ipympl package
# ipywidgets major -> major of the JupyterLab extension that can talk to it
# (ipywidgets 8 speaks widget protocol 2, which jupyterlab-manager 5.x, from jupyterlab_widgets 3.x, implements).
WIDGETS_EXTENSION_MAJOR = {8: 5}
# Distributions that provide the `tensorflow` module.
TENSORFLOW_DISTS = ("tensorflow", "tensorflow-cpu", "tensorflow-macos", "tensorflow-intel", "tf-nightly")


@dataclass(frozen=True)
class Check:
    """One line of the doctor's report. `name` is English in every language (the JSON report's key for the
    check; the text report shows it translated); `detail` and `fix` are in the user's language."""

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
    """Is this Python (or `version_info`, for the tests) at least MINIMUMS["python"]?
    The detail names the interpreter."""
    v = sys.version_info if version_info is None else version_info
    text = ".".join(str(n) for n in tuple(v)[:3])
    ok = tuple(v)[:2] >= version_tuple(MINIMUMS["python"])
    detail = f"{text} ({sys.executable})"
    fix = "" if ok else _("the course needs Python >= {minimum}: conda env create -f environment.yml, or install a "
                          "newer Python").format(minimum=MINIMUMS["python"])
    return Check("Python", ok, detail if ok else _("{detail}, needs >= {minimum}").format(
        detail=detail, minimum=MINIMUMS["python"]), fix)


def check_package(name: str, module: str, dist: str | None = None, *, minimum: str | None = None,
                  fix: str | None = None, required: bool = True, note: str = "") -> Check:
    """Is `module` importable, from distribution `dist`, at version >= `minimum`?"""
    dist = dist or module
    minimum = minimum if minimum is not None else MINIMUMS.get(module)
    install = fix or f"{PIP} {dist}"
    version = installed_version(module, dist)
    if version is None:
        return Check(name, False, _("not installed") if required else _("not installed (optional)"), install, required)
    if minimum and not at_least(version, minimum):
        too_old = _("{version}, needs >= {minimum}") if required else _("{version}, needs >= {minimum} (optional)")
        return Check(name, False, too_old.format(version=version, minimum=minimum),
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
        where = ", ".join(paths) or _("no folders")
        return Check(name, False, _("{extension} not found (searched {folders})").format(extension=extension,
                                                                                         folders=where), fix)
    detail = f"{extension} {found['version']}"
    config_paths = jupyter_config_paths() if config_paths is None else config_paths
    if extension in disabled_labextensions(config_paths):
        return Check(name, False, _("{extension} is disabled").format(extension=detail),
                     f"jupyter labextension enable {extension}")
    major = version_tuple(found["version"])[:1]
    if expect_major is not None and major and major[0] != expect_major:
        return Check(name, False, _("{extension} does not match (needs {major}.x)").format(
            extension=detail, major=expect_major), mismatch_fix)
    return Check(name, True, detail)


def check_widgets_extension(paths=None, config_paths=None) -> Check:
    """The ipywidgets JupyterLab extension: there, enabled, and of the major that speaks to the installed ipywidgets."""
    widgets = installed_version("ipywidgets")
    expect = WIDGETS_EXTENSION_MAJOR.get(version_tuple(widgets)[0]) if widgets and version_tuple(widgets) else None
    return check_labextension(
        N_("ipywidgets extension"), WIDGETS_EXTENSION, "jupyterlab_widgets", expect_major=expect,
        mismatch_fix=f"{PIP} --upgrade ipywidgets jupyterlab_widgets", paths=paths, config_paths=config_paths,
    )


def check_ipympl_extension(paths=None, config_paths=None) -> Check:
    """The ipympl JupyterLab extension (jupyter-matplotlib): there and enabled."""
    return check_labextension(N_("ipympl extension"), IPYMPL_EXTENSION, "ipympl", paths=paths,
                              config_paths=config_paths)


def check_torch() -> Check:
    """Optional. torch is imported when installed, to show that it really loads."""
    fix = f"{PIP} {TORCH_PIP}   ({frameworks_fix()})"
    base = check_package("torch", "torch", minimum=MINIMUMS["torch"], fix=fix, required=False)
    if not base.ok:
        return base
    try:
        import torch

        if torch.cuda.is_available():
            gpus = torch.cuda.device_count()
            device = _("CUDA {cuda}, {n} GPU(s)").format(cuda=torch.version.cuda, n=gpus)
        elif getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            device = "Apple MPS"
        else:
            device = _("CPU only")
    except Exception as e:  # a broken wheel: missing shared libraries and the like
        return Check("torch", False, _("{version} but import failed: {error}").format(version=base.detail,
                                                                                      error=one_line(e)),
                     f"{PIP} --force-reinstall torch", required=False)
    return Check("torch", True, _("{version} ({device})").format(version=torch.__version__, device=device), "",
                 required=False)


def check_tensorflow() -> Check:
    """Optional. Not imported (slow, and chatty on stderr): found and versioned only."""
    fix = f"{PIP} {TF_PIP}   ({frameworks_fix()})"
    version = installed_version("tensorflow", *TENSORFLOW_DISTS)
    if version is None:
        return Check("TensorFlow", False, _("not installed (optional)"), fix, required=False)
    if not at_least(version, MINIMUMS["tensorflow"]):
        return Check("TensorFlow", False, _("{version}, needs >= {minimum} (optional)").format(
            version=version, minimum=MINIMUMS["tensorflow"]),
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
        return Check("torch + TensorFlow", True, _("not both installed with triton: nothing to watch"), "",
                     required=False)
    return Check("torch + TensorFlow", False,
                 _("triton {triton} (part of torch's CUDA build) beside TensorFlow {tensorflow}: the notebooks are "
                   "safe (they import course first), but your own script crashes if it imports tensorflow and then "
                   "uses a torch optimiser without importing course first").format(triton=triton, tensorflow=tensorflow),
                 _("without an NVIDIA GPU torch needs no triton: {command} (pip check will then list it as missing, "
                   "and reinstalling the frameworks brings it back)").format(
                     command=f"{PYTHON} -m pip uninstall -y triton"),
                 required=False)


def check_dataset(loader=None) -> Check:
    """Load MNIST with the course's own loader; report the shapes and how long it took."""
    try:
        if loader is None:
            from course.data import load_mnist as loader
        start = time.perf_counter()
        result = loader()
        seconds = time.perf_counter() - start
        parts = {2: (N_("train"), N_("test")), 3: (N_("train"), N_("validation"), N_("test"))}.get(
            len(result)) if isinstance(result, tuple) else None
        if parts:
            # TRANSLATORS: between the parts of the MNIST dataset (train ...; test ...)
            shapes = _("; ").join(f"{_(part)} {describe_shapes(r)}" for part, r in zip(parts, result))
        else:
            shapes = describe_shapes(result)
        return Check(N_("MNIST dataset"), True, _("{shapes}; loaded in {seconds:.2f} s").format(shapes=shapes,
                                                                                             seconds=seconds))
    except Exception as e:
        return Check(N_("MNIST dataset"), False, one_line(e),
                     _("reinstall the course from its folder so course/datafiles/mnist.npz is there: {command}").format(
                         command="python -m pip install -e ."))


FIGURE_FONT_CHECK = N_("Chinese in figures")
BROWSER_FONT_CHECK = N_("Chinese in browser")
SAMPLE = "神经元"  # drawn to see that figures can show Chinese
# Linux distributions whose package manager is dnf (ID and ID_LIKE in /etc/os-release); the others get apt-get
DNF_DISTRIBUTIONS = {"fedora", "rhel", "centos", "rocky", "almalinux"}


def check_figure_font() -> Check:
    """Optional. Can matplotlib draw Chinese? The course ships a CJK font (course/fonts.py): it must be found
    (findfont without falling back to another font) and a figure with SAMPLE must draw without a "Glyph ...
    missing" warning. Imports matplotlib; leaves its settings as they were."""
    fix = _("reinstall the course from its folder, which brings its font back: {command}").format(command=f"{PIP} -e .")
    if installed_version("matplotlib") is None:
        return Check(FIGURE_FONT_CHECK, False, _("needs matplotlib (see above)"), f"{PIP} matplotlib", required=False)
    try:
        import warnings

        import matplotlib
        from matplotlib import font_manager
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from course import fonts

        with matplotlib.rc_context():  # fonts.use() changes rcParams: only inside this block
            family = fonts.use()
            path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
            figure = Figure(figsize=(1, 1))
            figure.text(0, 0.5, SAMPLE)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                FigureCanvasAgg(figure).draw()
    except Exception as e:  # the font file or course.fonts missing, the family not registered, ...
        return Check(FIGURE_FONT_CHECK, False, one_line(e), fix, required=False)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    if missing:
        return Check(FIGURE_FONT_CHECK, False, _("figures would show Chinese as empty boxes ({warning})").format(
            warning=missing[0].splitlines()[0][:120]), fix, required=False)
    return Check(FIGURE_FONT_CHECK, True, _("{family} ({file}): figures can show Chinese").format(
        family=family, file=os.path.basename(path)), required=False)


def chinese_font_families() -> list[str] | None:
    """The families fontconfig has with Chinese characters (`fc-list :lang=zh family`), sorted, the first name of
    each; None when fc-list is not installed or fails."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30,
                             encoding="utf-8", errors="replace")
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    if out.returncode != 0:
        return None
    return sorted({line.split(",")[0].strip() for line in out.stdout.splitlines() if line.strip()})


def linux_distribution(path: str = "/etc/os-release") -> set[str]:
    """The ID and ID_LIKE words of /etc/os-release ({'ubuntu', 'debian'}, {'fedora'}); empty if unreadable."""
    words: set[str] = set()
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                key, _sep, value = line.strip().partition("=")
                if key in ("ID", "ID_LIKE"):
                    words.update(value.strip().strip('"').lower().split())
    except OSError:
        pass
    return words


def browser_font_fix(distribution: set[str] | None = None) -> str:
    """The one line that installs a Chinese font for the browser: dnf on Fedora and its kin, else apt-get."""
    distribution = linux_distribution() if distribution is None else distribution
    if distribution & DNF_DISTRIBUTIONS:
        return "sudo dnf install google-noto-sans-cjk-fonts"
    if distribution & {"debian", "ubuntu"}:
        return "sudo apt-get install fonts-noto-cjk"
    return _("{command}   (Debian, Ubuntu; Fedora: {fedora})").format(
        command="sudo apt-get install fonts-noto-cjk", fedora="sudo dnf install google-noto-sans-cjk-fonts")


def check_browser_font(platform: str | None = None) -> Check:
    """Optional, Linux only. Will JupyterLab in a browser on this machine show Chinese? The browser draws with
    the system's fonts, which fontconfig lists: without one that has Chinese characters, Chinese text is empty
    boxes. Windows and macOS come with Chinese fonts: skipped there (ok, with the reason)."""
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return Check(BROWSER_FONT_CHECK, True,
                     _("skipped: not Linux ({platform}), whose system has Chinese fonts").format(platform=platform),
                     required=False)
    families = chinese_font_families()
    if families is None:
        return Check(BROWSER_FONT_CHECK, True, _("skipped: fc-list (fontconfig) is not here to list the fonts"),
                     required=False)
    if not families:
        return Check(BROWSER_FONT_CHECK, False, _("no font with Chinese characters: JupyterLab in a browser on this "
                                                  "machine shows Chinese as empty boxes"),
                     browser_font_fix(), required=False)
    shown = ", ".join(families[:3]) + (", ..." if len(families) > 3 else "")
    return Check(BROWSER_FONT_CHECK, True, ngettext("{n} font with Chinese characters: {names}",
                                                    "{n} fonts with Chinese characters: {names}",
                                                    len(families)).format(n=len(families), names=shown),
                 required=False)


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
    """'TypeName: first line of the message', cut to `limit` characters with '...'."""
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
    (FIGURE_FONT_CHECK, check_figure_font),
    (BROWSER_FONT_CHECK, check_browser_font),
)


def run_checks(checks=None) -> list[Check]:
    """Run every check; a check that crashes is reported as failed, not raised."""
    results = []
    for name, fn in CHECKS if checks is None else checks:
        try:
            results.append(fn())
        except Exception as e:
            results.append(Check(name, False, _("the check itself crashed: {error}").format(error=one_line(e)),
                                 _("please report this")))
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
    """The text report: one line per check (and a line with its fix when it failed), then the verdict line."""
    names = {c.name: _(c.name) for c in checks}  # shown in the user's language
    width = max((display_width(name) for name in names.values()), default=0)
    mark_width = max(len(marks["ok"]), len(marks["bad"]))
    lines = []
    for c in checks:
        mark = (marks["ok"] if c.ok else marks["bad"]).ljust(mark_width)
        name = names[c.name]
        lines.append(f"{mark} {name}{' ' * (width - display_width(name))}  {c.detail}")
        if not c.ok and c.fix:
            lines.append(f"{' ' * mark_width} {' ' * width}  {marks['arrow']} {c.fix}")
    failed = [names[c.name] for c in checks if c.required and not c.ok]
    optional = [names[c.name] for c in checks if not c.required and not c.ok]
    if failed:
        lines.append(_("Not ready: {n} required check(s) failed ({names}); see the fixes above.").format(
            n=len(failed), names=list_separator().join(failed)))
    elif optional:
        lines.append(_("Ready: everything the course needs is here (optional, see above: {names}).").format(
            names=list_separator().join(optional)))
    else:
        lines.append(_("Ready: everything the course needs is here."))
    return lines


def list_separator() -> str:
    """', ' between the names of checks, in the current language."""
    # TRANSLATORS: between the names in a list of checks (Chinese: the enumeration comma)
    return _(", ")


def display_width(text: str) -> int:
    """The columns a terminal gives `text`: two for each wide (Chinese, Japanese, Korean) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def report_dict(checks: list[Check]) -> dict:
    """The JSON report: course version, Python path, ok, exit_status and every check as a dict."""
    from course import __version__

    return {
        "course": __version__,
        "python": sys.executable,
        "ok": exit_status(checks) == 0,
        "exit_status": exit_status(checks),
        "checks": [asdict(c) for c in checks],
    }


def _write(stream, line: str) -> None:
    """Write `line` and a newline; characters `stream` cannot encode become '?' instead of raising."""
    try:
        stream.write(line + "\n")
    except UnicodeEncodeError:  # a path or an error message the terminal cannot show
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(line.encode(encoding, "replace").decode(encoding) + "\n")


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------

def run(as_json: bool = False) -> int:
    """Run every check and print the report to stdout: the text report, or with `as_json` the
    :func:`report_dict` as indented JSON. Characters stdout cannot encode become ASCII marks or '?'.
    Returns the exit status (:func:`exit_status`); never raises for a failed check."""
    checks = run_checks()
    out = sys.stdout
    if as_json:
        _write(out, json.dumps(report_dict(checks), indent=2))
    else:
        from course import __version__

        _write(out, _("course {version} doctor").format(version=__version__))
        for line in format_report(checks, marks_for(out)):
            _write(out, line)
    out.flush()
    return exit_status(checks)

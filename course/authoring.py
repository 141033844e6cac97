"""One source, two copies: build learner notebooks from solutions/ (grading is course/grade.py).

solutions/NN_name.ipynb holds the complete notebook. Exercise code sits inside a
function body between `### BEGIN SOLUTION` and `### END SOLUTION` (nbgrader's
markers); text after BEGIN SOLUTION states the task in words (no code: hints live in
the exercise's check, course/checks/, and come one level at a time). `build` writes
notebooks/NN_name.ipynb with each block replaced by a stub that raises
NotImplementedError, outputs cleared and metadata normalised.
"""
from __future__ import annotations

import copy
import sys
from pathlib import Path

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
ROOT = Path(__file__).resolve().parent.parent
# Fixed BLAS/OpenMP threads so notebook outputs are the same on every run; kernels inherit them.
NOTEBOOK_ENV = {"OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "2", "MKL_NUM_THREADS": "2",
                "PYDEVD_DISABLE_FILE_VALIDATION": "1",  # a debugger warning the kernel would print
                # TensorFlow (notebook 09) writes C++ log lines with timestamps to stderr at import, which the
                # kernel forwards into the cell's output; level 3 silences them, except the oneDNN notice,
                # which only TF_ENABLE_ONEDNN_OPTS=0 removes (it also keeps TF's round-off the same every run).
                "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0",
                # PyTorch's 2 OpenMP threads spin-wait for each other by default: when the other core is busy
                # (CI, a laptop doing anything else) an epoch took 16-31 s instead of 1 s. Same results.
                "OMP_WAIT_POLICY": "PASSIVE"}
# A notebook's metadata as JupyterLab 4 writes it once a kernel runs: the kernelspec (ipykernel's
# python3) and the kernel's language_info with every field below. A learner copy carries them in
# full: JupyterLab replaces what differs on open, and that counts as an unsaved change.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO_FIELDS = ("codemirror_mode", "file_extension", "mimetype", "name", "nbconvert_exporter",
                        "pygments_lexer", "version")


# The stub holds no code: the task is in the docstring (and the text after BEGIN SOLUTION); hints
# come one level at a time from hint(name), which the check's verdict points to.
STUB_MESSAGE = "Exercise not done yet: write this function's body. The check below offers hints, one level at a time."


class BuildError(ValueError):
    """A solution notebook the build cannot turn into a learner copy."""


def stub_source(source: str, where: str = "cell") -> str:
    """Replace each solution block in `source` with a stub that raises NotImplementedError."""
    out, inside = [], False
    for number, line in enumerate(source.split("\n"), 1):
        stripped = line.strip()
        if stripped.startswith(BEGIN):
            if inside:
                raise BuildError(f"{where}, line {number}: {BEGIN} inside another solution block.")
            indent = line[: len(line) - len(line.lstrip())]
            if not indent:
                raise BuildError(f"{where}, line {number}: a solution block must sit inside a function body "
                                 "(indented), so that the learner's copy still runs top to bottom.")
            task = stripped[len(BEGIN):].strip(" :-")
            out += [f"{indent}# YOUR CODE HERE" + (f": {task}" if task else ""),
                    f"{indent}raise NotImplementedError({STUB_MESSAGE!r})"]
            inside = True
        elif stripped.startswith(END):
            if not inside:
                raise BuildError(f"{where}, line {number}: {END} without a {BEGIN} before it.")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise BuildError(f"{where}: {BEGIN} is never closed by {END}.")
    return "\n".join(out)


def complete_language_info(nb) -> dict | None:
    """The notebook's language_info if a kernel wrote it in full (an executed solution), else None."""
    info = nb.metadata.get("language_info") or {}
    return copy.deepcopy(dict(info)) if all(field in info for field in LANGUAGE_INFO_FIELDS) else None


def kernel_language_info() -> dict:
    """The language_info ipykernel reports when it runs on this Python."""
    return {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
            "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
            "pygments_lexer": "ipython3", "version": sys.version.split()[0]}


def learner_copy(nb, name: str = "notebook", language_info: dict | None = None):
    """The learner's version of a solution notebook (a new nbformat object).

    Its language_info is the solution's (the kernel that executed it wrote it in full), else
    `language_info`, else what a kernel on this Python reports.
    """
    import nbformat

    new = nbformat.v4.new_notebook()
    info = complete_language_info(nb) or copy.deepcopy(language_info) or kernel_language_info()
    new.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": info}
    for index, cell in enumerate(nb.cells):
        where = f"{name}, cell {index}"
        if cell.cell_type == "code":
            out = nbformat.v4.new_code_cell(stub_source(cell.source, where))
        elif cell.cell_type == "markdown":
            out = nbformat.v4.new_markdown_cell(cell.source)
        else:
            out = nbformat.v4.new_raw_cell(cell.source)
        out.id = cell.get("id") or f"cell-{index}"
        tags = cell.metadata.get("tags")
        if tags:
            out.metadata["tags"] = list(tags)
        new.cells.append(out)
    return new


MANIFEST = ".built.json"  # in notebooks/: name -> SHA-256 of the copy the build last wrote


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build(solutions=ROOT / "solutions", notebooks=ROOT / "notebooks", check: bool = False, force: bool = False):
    """Write (or with check=True, only compare) every learner notebook. Returns the names that
    were stale (check) or written; raises BuildError for a malformed solution.

    A learner notebook that differs from the copy the build last wrote (its hash is in
    notebooks/.built.json) holds a learner's work: it is not overwritten unless force=True,
    and BuildError names it after the other notebooks are written."""
    import json
    from collections import Counter

    import nbformat

    solutions, notebooks = Path(solutions), Path(notebooks)
    sources = {path.name: nbformat.read(path, as_version=4) for path in sorted(solutions.glob("*.ipynb"))}
    # for a solution no kernel has run: the language_info most solutions have
    infos = Counter(json.dumps(info, sort_keys=True) for info in map(complete_language_info, sources.values()) if info)
    common = json.loads(infos.most_common(1)[0][0]) if infos else None
    expected = {name: nbformat.writes(learner_copy(nb, name, common)) + "\n" for name, nb in sources.items()}
    stale = [name for name, text in expected.items()
             if not (notebooks / name).is_file() or (notebooks / name).read_text(encoding="utf-8") != text]
    manifest_path = notebooks / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    wanted_manifest = {name: _sha(text) for name, text in expected.items()}
    if check:
        extra = sorted(p.name for p in notebooks.glob("*.ipynb") if p.name not in expected) if notebooks.is_dir() else []
        return (stale + [f"{name} (no solution for it)" for name in extra]
                + ([MANIFEST] if manifest != wanted_manifest else []))
    notebooks.mkdir(parents=True, exist_ok=True)
    written, kept = [], []
    for name in stale:
        target = notebooks / name
        if target.is_file() and not force and _sha(target.read_text(encoding="utf-8")) != manifest.get(name):
            kept.append(name)
            continue
        target.write_text(expected[name], encoding="utf-8")
        manifest[name] = wanted_manifest[name]
        written.append(name)
    for name in expected.keys() - set(stale):  # up to date: what the build would write
        manifest[name] = wanted_manifest[name]
    manifest = {name: manifest[name] for name in sorted(manifest) if name in expected}
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    if kept:
        raise BuildError(f"not overwritten, because they were edited after the last build (a learner's work?): "
                         f"{', '.join(kept)}. Move them elsewhere, or pass --force to replace them.")
    return written

"""One source, two copies: build learner notebooks from solutions/ (grading is course/grade.py).

solutions/NN_name.ipynb holds the complete notebook. Exercise code sits inside a
function body between `### BEGIN SOLUTION` and `### END SOLUTION` (nbgrader's
markers); text after BEGIN SOLUTION states the task in words (no code: hints live in
the exercise's check, course/checks/, and come one level at a time). `build` writes
notebooks/NN_name.ipynb with each block replaced by a stub that raises
NotImplementedError, outputs cleared and metadata normalised; a near-miss marker, or a
solution line still in a learner cell, stops it with a BuildError. Grading is course/grade.py's.
"""
from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

from .i18n import N_, _, using

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
STUB_MESSAGE = N_("Exercise not done yet: write this function's body. The check below offers hints, one level at a time.")
YOUR_CODE_HERE = N_("YOUR CODE HERE")


class BuildError(ValueError):
    """A solution notebook the build cannot turn into a learner copy."""


# The markers, as nbgrader reads them. Its ClearSolutions preprocessor (nbgrader/preprocessors/clearsolutions.py,
# _replace_solution_region) takes a line as a marker when `self.begin_solution_delimeter in line` (or the end one),
# the delimiters being "BEGIN SOLUTION" and "END SOLUTION": a plain substring test, so case-sensitive, exactly one
# space between the words, and any number of `#` (or none) before them. We accept that text on a comment line: any
# indent, one or more `#`, any spaces, then BEGIN SOLUTION or END SOLUTION in capitals (`### BEGIN SOLUTION`,
# `# BEGIN SOLUTION`, `###BEGIN SOLUTION`), text after BEGIN being the task line. Every other line that looks like a
# marker stops the build: those nbgrader would miss (`### begin solution`, `### BEGIN  SOLUTION`), which would ship
# the solution, and those it would take though they are not comment lines (a marker after code or inside a string,
# where nbgrader drops the whole line; `BEGIN SOLUTIONS`, whose task line would start with "S").
MARKER = re.compile(r"^(?P<indent>\s*)#+\s*(?P<kind>BEGIN|END) SOLUTION(?!\w)(?P<rest>.*)$")
LOOKS_LIKE_MARKER = re.compile(r"(?i)(?<!\w)(?P<kind>begin|end)[\s_-]*solution")
EXPECTED_MARKERS = f"a comment line `{BEGIN}` ... `{END}` (any number of #, BEGIN/END SOLUTION in capitals, one space)"


def solution_marker(line: str, where: str = "cell") -> tuple[str, str, str] | None:
    """Read one line of a code cell: None if it is not a solution marker, else (kind, indent, rest), kind being
    "BEGIN" or "END" and rest the text after the marker. Raises BuildError, naming `where`, for a line that looks
    like a marker but is not one nbgrader and this build both read the same way."""
    found = MARKER.match(line)
    if found:
        return found["kind"], found["indent"], found["rest"]
    if LOOKS_LIKE_MARKER.search(line):
        raise BuildError(f"{where}: found {line.strip()!r}, which looks like a solution marker but is not one; "
                         f"expected {EXPECTED_MARKERS}.")
    return None


def stub_source(source: str, where: str = "cell") -> str:
    """Replace each solution block in `source` (a code cell's text) with a stub that raises NotImplementedError.

    `where` names the cell in error messages. Raises BuildError for a near-miss marker (see `solution_marker`),
    a nested, unclosed or unopened block, or a block outside a function body."""
    out, inside = [], False
    for number, line in enumerate(source.split("\n"), 1):
        marker = solution_marker(line, f"{where}, line {number}")
        if marker and marker[0] == "BEGIN":
            if inside:
                raise BuildError(f"{where}, line {number}: {BEGIN} inside another solution block.")
            indent = marker[1]
            if not indent:
                raise BuildError(f"{where}, line {number}: a solution block must sit inside a function body "
                                 "(indented), so that the learner's copy still runs top to bottom.")
            task = marker[2].strip(" :-")
            out += [f"{indent}# {_(YOUR_CODE_HERE)}" + (f": {task}" if task else ""),
                    f"{indent}raise NotImplementedError({_(STUB_MESSAGE)!r})"]
            inside = True
        elif marker:
            if not inside:
                raise BuildError(f"{where}, line {number}: {END} without a {BEGIN} before it.")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise BuildError(f"{where}: {BEGIN} is never closed by {END}.")
    return "\n".join(out)


# Lines of a solution too common to betray it: `pass`, `return`, `return x`, `else:`, closing brackets, and
# anything shorter than 8 characters.
TRIVIAL_LINE = re.compile(r"^(pass|break|continue|return|return \w+|else:|try:|finally:|[\s()\[\]{},:;'\"]*)$")


def solution_lines(source: str) -> list[tuple[int, str]]:
    """The (line number, stripped line) of every telling line inside a solution region of `source`.

    Regions are found by anything that looks like a marker, any spelling, so that this check does not depend
    on `stub_source` having recognised the markers."""
    lines, inside = [], False
    for number, line in enumerate(source.split("\n"), 1):
        marker = LOOKS_LIKE_MARKER.search(line)
        if marker:
            inside = marker["kind"].lower() == "begin"
        elif inside and len(line.strip()) >= 8 and not TRIVIAL_LINE.match(line.strip()):
            lines.append((number, line.strip()))
    return lines


def check_no_solution(solution: str, learner: str, where: str = "cell") -> None:
    """Raise BuildError, naming `where` and the lines, if the learner's cell text `learner` still holds a
    telling line of a solution region of the solution's cell text `solution`, wherever it sits (in code,
    a comment or a docstring)."""
    learner_lines = learner.split("\n")
    for number, line in solution_lines(solution):
        found = next((n for n, text in enumerate(learner_lines, 1) if line in text), None)
        if found:
            raise BuildError(f"{where}, line {found}: the learner copy still contains line {number} of the solution, "
                             f"{line!r}; a solution line may appear only inside its solution block.")


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
    `language_info`, else what a kernel on this Python reports. Raises BuildError naming `name`, the
    cell and the line for a marker nbgrader and this build would not read alike (`stub_source`), a
    marker in a Markdown or raw cell, or a learner cell that still holds a solution line
    (`check_no_solution`).
    """
    import nbformat

    new = nbformat.v4.new_notebook()
    info = complete_language_info(nb) or copy.deepcopy(language_info) or kernel_language_info()
    new.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": info}
    if nb.metadata.get("course", {}).get("language"):  # the language grading runs its kernel in
        new.metadata["course"] = {"language": nb.metadata["course"]["language"]}
    for index, cell in enumerate(nb.cells):
        where = f"{name}, cell {index}"
        if cell.cell_type == "code":
            out = nbformat.v4.new_code_cell(stub_source(cell.source, where))
            check_no_solution(cell.source, out.source, where)
        elif LOOKS_LIKE_MARKER.search(cell.source):
            # nbgrader replaces a region in a text cell only in a cell it marked as a solution cell and stops
            # otherwise (enforce_metadata); this course marks no cells, so the regions live in code cells only.
            number, line = next((n, line) for n, line in enumerate(cell.source.split("\n"), 1)
                                if LOOKS_LIKE_MARKER.search(line))
            raise BuildError(f"{where}, line {number}: found {line.strip()!r}, a solution marker in a {cell.cell_type} "
                             "cell; expected solution blocks only in code cells, inside a function body.")
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
    were stale (check) or written; raises BuildError for a malformed solution (see `learner_copy`),
    before writing anything.

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


def translated_solutions(solutions=ROOT / "solutions", lang: str = "zh", check: bool = False) -> list[str]:
    """Bring solutions/<lang>/ up to date with the English solutions and their PO files (course/nbtranslate.py):
    each notebook's sources translated, its stored outputs kept for every cell whose source did not change.
    Returns the names that were stale (check) or written. Raises BuildError listing every notebook whose
    translation is missing, stale (fuzzy) or malformed, after writing the others (never those)."""
    import nbformat

    from . import nbtranslate
    from .catalogs import read

    solutions = Path(solutions)
    target = solutions / lang
    wanted, errors = {}, []
    for path in sorted(solutions.glob("*.ipynb")):
        po = nbtranslate.po_path(solutions, lang, path.name)
        if not po.is_file():
            errors.append(f"{path.name}: no translation ({po.relative_to(solutions.parent)} is missing; "
                          f"python -m course translations --update creates it)")
            continue
        nb = nbformat.read(path, as_version=4)
        try:
            new = nbtranslate.translate(nb, read(po), lang)
        except nbtranslate.TranslationError as e:
            errors.append(f"{path.name}: {e}")
            continue
        old_path = target / path.name
        old = nbformat.read(old_path, as_version=4) if old_path.is_file() else None
        wanted[path.name] = _keep_outputs(new, old)
    stale = [name for name, nb in wanted.items()
             if not (target / name).is_file()
             or (target / name).read_text(encoding="utf-8") != nbformat.writes(nb) + "\n"]
    if not check:
        target.mkdir(parents=True, exist_ok=True)
        for name in stale:
            (target / name).write_text(nbformat.writes(wanted[name]) + "\n", encoding="utf-8")
    if errors:  # the complete notebooks are written; these are not, and the build fails
        raise BuildError(f"the {lang} translation is not complete; run python -m course translations for the list. "
                         + " | ".join(errors))
    return stale


def _keep_outputs(new, old):
    """`new` (a translated solution without outputs of its own) with `old`'s outputs, execution counts and
    notebook metadata wherever a cell's id and source are unchanged; the cells that changed have none."""
    new = copy.deepcopy(new)
    if old is None:
        for cell in new.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        return new
    before = {cell.get("id"): cell for cell in old.cells}
    for cell in new.cells:
        if cell.cell_type != "code":
            continue
        match = before.get(cell.get("id"))
        if match is not None and match.source == cell.source:
            cell.outputs, cell.execution_count = match.outputs, match.execution_count
            cell.metadata = match.metadata
        else:
            cell.outputs, cell.execution_count = [], None
    for key, value in old.metadata.items():
        if key != "course":
            new.metadata[key] = value
    return new


def build_command(solutions=None, notebooks=None, check: bool = False, force: bool = False) -> int:
    """`python -m course build`: run :func:`build` from `solutions` (default solutions/) into `notebooks`
    (default notebooks/) and print what it wrote, or with `check` which learner copies are stale.
    Returns the exit status: 0, or 1 after one line (no solutions folder, a BuildError, stale copies)."""
    solutions = Path(solutions) if solutions else ROOT / "solutions"
    notebooks = Path(notebooks) if notebooks else ROOT / "notebooks"
    if not solutions.is_dir():
        print(_("build: no solutions folder at {path}").format(path=solutions))
        return 1
    status = 0
    for lang in [None, *translations_of(solutions)]:
        source, learner = (solutions / lang, notebooks / lang) if lang else (solutions, notebooks)
        folder = f"{notebooks.name}/{lang}/" if lang else f"{notebooks.name}/"
        try:
            names = [f"{solutions.name}/{lang}/{name}" for name in translated_solutions(solutions, lang, check)
                     ] if lang else []
            with using(lang or "en"):  # the stubs' words in the notebook's language
                names += [f"{lang}/{name}" if lang else name for name in build(source, learner, check, force)]
        except BuildError as e:
            print(_("build: {error}").format(error=e))
            status = 1
            continue
        if check and names:
            print(_("{folder} is stale; run python -m course build. Stale: {names}").format(
                folder=folder, names=", ".join(names)))
            status = 1
        elif check:
            print(_("{folder} is up to date").format(folder=folder))
        else:
            print(_("wrote {count} notebook(s)").format(count=len(names))
                  + (f": {', '.join(names)}" if names else _(" (all were up to date)")))
    return status


def translations_of(solutions: Path) -> list[str]:
    """The languages the solutions are translated into: the folders solutions/<lang>/ holding PO files."""
    from .i18n import FOLDER

    return [lang for lang, folder in FOLDER.items() if any((Path(solutions) / folder).glob("*.po"))]

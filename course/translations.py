"""`python -m course translations`: what is left to translate, and merging new English into the PO files.

The notebooks' units are course/nbtranslate.py's, the run-time messages course/catalogs.py's.
"""
from __future__ import annotations

from pathlib import Path


def command(update: bool = False, domains=None, notebooks=None, lang: str = "zh", solutions=None) -> int:
    """`python -m course translations [--update] [--domain D ...] [--notebook NN ...] [--lang zh]`.

    Without --update: list every missing, fuzzy or malformed translation of the run-time catalogs
    (course/locale) and of the notebooks (solutions/<lang>/*.po); exit status 1 if there is one.
    With --update: merge the current English into those PO files first (all, or only the domains and
    notebooks named), compile the catalogs, then list what is left to translate."""
    import nbformat

    from . import catalogs
    from .authoring import ROOT
    from .i18n import LANGUAGES, _
    from .nbtranslate import po_path, problems, update_po

    solutions = Path(solutions) if solutions else ROOT / "solutions"
    locale = LANGUAGES[lang][0]
    paths = sorted(solutions.glob("*.ipynb"))
    if notebooks:
        paths = [p for p in paths if any(p.name.startswith(n) for n in notebooks)]
    if update:
        if domains or not notebooks:
            catalogs.update(domains, lang)
        if notebooks or not domains:
            for path in paths:
                update_notebook = nbformat.read(path, as_version=4)
                update_po(update_notebook, path.name, po_path(solutions, lang, path.name), locale)
    lines = [] if notebooks and not domains else [
        line for line in catalogs.problems(lang) if not domains or any(line.startswith(d + ".") for d in domains)]
    if not domains or notebooks:
        for path in paths:
            po = po_path(solutions, lang, path.name)
            if not po.is_file():
                lines.append(f"{po.relative_to(solutions.parent)}: missing")
                continue
            lines += [f"{po.name}: {line}" for line in problems(nbformat.read(path, as_version=4), catalogs.read(po))]
    for line in lines:
        print(line)
    print(_("{count} translation problem(s) in {lang}").format(count=len(lines), lang=lang) if lines
          else _("the {lang} translation is complete").format(lang=lang))
    return 1 if lines else 0

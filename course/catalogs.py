"""The run-time message catalogs: extract the English, merge it into each language's PO files, compile.

Standard gettext with Babel: course/locale/<locale>/LC_MESSAGES/<domain>.po holds the translations a
translator edits (with Poedit, Lokalize, a text editor); <domain>.mo is what course/i18n.py loads.
Domains split the messages by where they are shown, so that one translator can take one:

    checks        course/checks/core.py, diagnose.py, hints.py, exercises.py, __init__.py
    exercises_NN  course/checks/nbNN_*.py, and the registry's data for notebook NN's exercises:
                  each Mistake's name and advice, the hints, the `related` descriptions
    widgets       course/widgets/*.py, course/playground.py
    tools         the command-line tools (doctor, grade, gradebook, authoring, cli, ...)
    course        every other course/*.py

`update` marks a translation whose English changed "fuzzy" (gettext's msgmerge does the same), and
`problems` reports fuzzy, missing and malformed translations, which tests/test_translations.py
turns into a failure. A fuzzy or missing translation shows the English at run time.
"""
from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

from .i18n import LANGUAGES, LOCALE_DIR

PACKAGE = Path(__file__).resolve().parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
TOOLS = {"doctor", "grade", "gradebook", "authoring", "cli", "install_hints", "links", "capstone", "__main__",
         "catalogs", "nbtranslate", "translations"}
# A fixed date in the headers, so that an update that changes no message changes no file.
DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
HEADER = """\
# Translations of the run-time messages of the course 深度学习与神经网络 (Deep Learning & Neural Networks).
# Edit msgstr only; keep every {placeholder}. A fuzzy entry's English changed: check it, then drop the flag.
# python -m course translations --update merges new English in and compiles the .mo beside this file."""
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def domain_of(path: Path) -> str:
    """The domain of the messages in the course module at `path` (see the module docstring)."""
    rel = Path(path).resolve().relative_to(PACKAGE)
    if rel.parts[0] == "checks":
        number = re.match(r"nb(\d\d[a-z]?)_", rel.name)
        return f"exercises_{number[1]}" if number else "checks"
    if rel.parts[0] == "widgets" or rel.stem == "playground":
        return "widgets"
    return "tools" if rel.stem in TOOLS else "course"


def _registry_messages():
    """(domain, message, where) for the data of every registered exercise."""
    from .checks import core
    from .checks import exercises  # noqa: F401  (registers every notebook's exercises)

    for exercise in core.REGISTRY.values():
        if not exercise.notebook:  # registered by a test, not part of the course
            continue
        domain = "exercises_" + exercise.notebook.split("_")[0]  # "07b_capstone" -> exercises_07b
        where = exercise.name
        for text in exercise.hints:
            yield domain, text, f"{where} (hint)"
        for mistake in exercise.mistakes:
            yield domain, mistake.name, f"{where} (mistake name)"
            yield domain, mistake.hint, f"{where} (mistake advice)"
        for related in exercise.related:
            yield domain, related[0], f"{where} (related quantity)"


def templates() -> dict:
    """{domain: a babel Catalog of its English messages (a POT)}."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file

    found: dict = {}

    def add(domain, message, location, comments=(), flags=()):
        catalog = found.setdefault(domain, Catalog(project="course", creation_date=DATE, revision_date=DATE,
                                                   fuzzy=False))
        if message:
            catalog.add(message, locations=[location], auto_comments=list(comments),
                        flags=("python-brace-format",) if PLACEHOLDER.search(str(message)) else flags)

    for path in sorted(PACKAGE.rglob("*.py")):
        domain = domain_of(path)
        for lineno, message, comments, _context in extract_from_file("python", str(path), keywords=KEYWORDS,
                                                                     comment_tags=("TRANSLATORS:",)):
            add(domain, message, (str(path.relative_to(PACKAGE.parent)), lineno), comments)
    for domain, message, where in _registry_messages():
        add(domain, message, (where, None))
    return found


def po_path(domain: str, lang: str = "zh") -> Path:
    return LOCALE_DIR / LANGUAGES[lang][0] / "LC_MESSAGES" / f"{domain}.po"


def read(path: Path):
    from babel.messages.pofile import read_po

    with open(path, "rb") as f:
        return read_po(f, abort_invalid=True)


def write(catalog, path: Path) -> None:
    """Write `catalog` as PO and compile it to the .mo beside it (fuzzy entries left out of the .mo)."""
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_by_file=False, include_previous=False, include_lineno=False)
    path.write_bytes(buffer.getvalue())
    path.with_suffix(".mo").write_bytes(compiled(catalog))


def compiled(catalog) -> bytes:
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def messages_of(mo: bytes) -> dict:
    """The translations a compiled catalog holds, without its header (which names the Babel that wrote it: two
    Babel releases compile the same PO to different bytes)."""
    import gettext

    found = dict(gettext.GNUTranslations(io.BytesIO(mo))._catalog)
    found.pop("", None)
    return found


def update(domains=None, lang: str = "zh") -> list[str]:
    """Merge the English messages into `lang`'s PO of each domain (all if None): new messages are added
    untranslated, messages whose English changed become fuzzy, and the .mo is compiled.
    Returns the domains written."""
    from babel.messages.catalog import Catalog

    found = templates()
    written = []
    for domain in sorted(domains or found):
        template = found.get(domain) or Catalog(project="course", creation_date=DATE, revision_date=DATE)
        path = po_path(domain, lang)
        if path.is_file():
            catalog = read(path)
        else:
            catalog = Catalog(locale=LANGUAGES[lang][0], project="course", header_comment=HEADER, creation_date=DATE,
                              revision_date=DATE, fuzzy=False)
        catalog.update(template, update_header_comment=False)
        catalog.revision_date = DATE
        catalog.fuzzy = False
        write(catalog, path)
        written.append(domain)
    return written


def entry_problem(message) -> str | None:
    """Why one catalog entry cannot be used: untranslated, fuzzy, or its placeholders differ."""
    if not message.id:
        return None
    if message.fuzzy:
        return "fuzzy (its English changed: check the translation, then remove the fuzzy flag)"
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    if not all(strings):
        return "not translated"
    ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
    want = sorted(set(PLACEHOLDER.findall(ids[-1])))
    for text in strings:
        if sorted(set(PLACEHOLDER.findall(text))) != want:
            return f"placeholders {sorted(set(PLACEHOLDER.findall(text)))} differ from the English's {want}"
    return None


def problems(lang: str = "zh") -> list[str]:
    """One line per entry of `lang`'s catalogs that is missing, fuzzy or malformed, per domain whose PO
    is missing or whose .mo is not the PO compiled; [] when the catalogs are complete and current."""
    found = templates()
    lines = []
    for domain, template in sorted(found.items()):
        path = po_path(domain, lang)
        if not path.is_file():
            lines.append(f"{path.relative_to(PACKAGE.parent)}: missing (run python -m course translations --update)")
            continue
        catalog = read(path)
        for message in template:
            if message.id and message.id not in catalog:
                lines.append(f"{path.name}: {str(message.id)[:70]!r}: not in the catalog (run --update)")
        for message in catalog:
            problem = entry_problem(message)
            if problem:
                lines.append(f"{path.name}: {str(message.id)[:70]!r}: {problem}")
        mo = path.with_suffix(".mo")
        if not mo.is_file() or messages_of(mo.read_bytes()) != messages_of(compiled(catalog)):
            lines.append(f"{mo.name}: not the compiled {path.name} (run python -m course translations --update)")
    return lines

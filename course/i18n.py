"""Messages in the notebook's language: gettext catalogs, English as the source and the fallback.

Every string a learner sees at run time is written in English in the code and looked up at the
moment it is shown with `_("...")` (or `ngettext` for plurals); strings defined as data (a mistake's
name and advice, a hint) are translated where they are shown. The catalogs are standard gettext:
course/locale/<locale>/LC_MESSAGES/<domain>.po, edited with any PO editor, compiled to <domain>.mo
(`python -m course translations --update` extracts, merges, marks changed English "fuzzy" and
compiles). A message with no translation, or a language with no catalog, shows the English.

Which language: `set_language(...)` if called (the command-line tools call it with --lang or the
user's locale); else the environment variable COURSE_LANG; else the notebook's folder: a kernel
runs in its notebook's folder, and the Chinese notebooks live in folders named `zh`
(notebooks/zh/, solutions/zh/); else English.
"""
from __future__ import annotations

import gettext
import locale
import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# course language -> (gettext locale, name shown to the user). English is the source: no catalog.
LANGUAGES = {"en": (None, "English"), "zh": ("zh_CN", "中文")}
DEFAULT = "en"
FOLDER = {"zh": "zh"}  # the folder (under notebooks/ and solutions/) of each translated language

_chosen: str | None = None


def normalise(lang: str | None) -> str | None:
    """'zh', 'zh_CN', 'zh-Hans', 'zh_CN.UTF-8', 'ZH' -> 'zh'; 'en_US.UTF-8', 'C', 'POSIX' -> 'en';
    None, '' or a language the course has no catalog for -> None."""
    if not lang:
        return None
    code = lang.split(".")[0].split("@")[0].replace("-", "_").lower()
    base = code.split("_")[0]
    if base in LANGUAGES:
        return base
    if code in ("c", "posix"):
        return "en"
    return None


def set_language(lang: str | None) -> str:
    """Use `lang` ('en' or 'zh', or a locale name such as 'zh_CN.UTF-8') for every message from now on;
    None goes back to the automatic choice (module docstring). Returns the language now in use.
    Raises ValueError for a language the course does not have."""
    global _chosen
    if lang is not None and normalise(lang) is None:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {lang!r}.")
    _chosen = normalise(lang)
    return language()


@contextmanager
def using(lang: str | None):
    """Messages in `lang` inside a `with` block (None: unchanged), the previous choice after it."""
    global _chosen
    before = _chosen
    if lang is not None:
        set_language(lang)
    try:
        yield language()
    finally:
        _chosen = before


def language_from_locale() -> str:
    """The user's language from the environment, as gettext reads it (LANGUAGE, LC_ALL, LC_MESSAGES,
    LANG), then the system locale (Windows, macOS); English if none is a language the course has."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for part in os.environ.get(var, "").split(":"):
            found = normalise(part)
            if found:
                return found
    try:
        found = normalise(locale.getlocale()[0])
    except (ValueError, TypeError):
        found = None
    return found or DEFAULT


def language_of_folder(folder: Path | str) -> str | None:
    """The language of a notebook folder: 'zh' for a folder named zh (or inside one, one level down)."""
    parts = Path(folder).resolve().parts[-2:]
    for lang, name in FOLDER.items():
        if name in parts:
            return lang
    return None


def language() -> str:
    """The language messages are shown in now: 'en' or 'zh' (see the module docstring)."""
    if _chosen:
        return _chosen
    found = normalise(os.environ.get("COURSE_LANG"))
    if found:
        return found
    try:
        return _folder_language(os.getcwd()) or DEFAULT
    except OSError:  # the working folder was deleted under us
        return DEFAULT


@lru_cache(maxsize=64)
def _folder_language(cwd: str) -> str | None:
    """language_of_folder, once per working folder: every message asks, and resolving the path is the slow part."""
    return language_of_folder(cwd)


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """Every catalog (domain) of `lang`, chained: a message is looked up in each in turn, then English."""
    code = LANGUAGES.get(lang, (None, ""))[0]
    chain = gettext.NullTranslations()
    if code is None:
        return chain
    for mo in sorted((LOCALE_DIR / code / "LC_MESSAGES").glob("*.mo")):
        found = gettext.translation(mo.stem, LOCALE_DIR, languages=[code], fallback=True)
        found.add_fallback(chain)
        chain = found
    return chain


def _(message: str) -> str:
    """`message` (English) in the current language; the English itself when it has no translation."""
    if not message:
        return message
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for count `n`, in the current language."""
    return translations(language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for translation where it is defined (extraction finds it); translate it with `_`
    where it is shown."""
    return message


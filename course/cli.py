"""Command line: ``python -m course <command>`` (also the ``course`` script).

Commands
    doctor    check that this Python can run the course (exit 0) or say what to fix (exit 1)
    build     write the learner notebooks in notebooks/ from solutions/
    grade     grade a class: every submission, in parallel; table, CSV, JSON, summary, figure
    links     print the Binder link, README badge and JupyterHub (nbgitpuller) link
    translations  list missing or stale translations (--update: merge the English in, compile)

Language: ``--lang en`` or ``--lang zh``, before or after the command (``course --lang zh doctor``,
``course doctor --lang zh``; ``translations`` has a --lang of its own, the catalogs' language, so there
only before it); without it the environment variable COURSE_LANG, else the user's locale
(course.i18n.language_from_locale). :func:`main` sets it once (course.i18n.set_language, through
course.i18n.using, which puts the previous choice back when the command returns), before the parser is
built, so that the help is in that language too. Only the text shown changes: JSON keys,
statuses, CSV columns and exit statuses stay the same in every language.

This module only parses the arguments and hands them to the tool's own module:
course.doctor, course.authoring (build), course.gradebook (grade, one notebook at a time by
course.grade), course.links. Each command is a few
lines in :func:`build_parser` and a ``cmd_<name>(args) -> int`` that calls the
tool. Nothing else in the package imports this module
(tests/test_no_cli_imports.py).
"""
from __future__ import annotations

import argparse
import os
import sys

from .i18n import LANGUAGES, _, language_from_locale, normalise, using

LANG_OPTION = "--lang"


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout with its "usage: " in the user's language."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser (and the class of its subcommands' parsers) whose own words (usage, section
    titles, -h, the error line) are in the user's language; argparse's detailed error messages stay English."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help=_("show this help message and exit"))

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, _("{prog}: error: {message}").format(prog=self.prog, message=message) + "\n")


def add_language_argument(parser, top: bool = False) -> None:
    """The --lang option; on a subcommand its default is SUPPRESS, so it never hides a --lang given before it."""
    parser.add_argument(LANG_OPTION, choices=tuple(LANGUAGES), default=None if top else argparse.SUPPRESS,
                        help=_("language of the messages (default: COURSE_LANG, else your locale; here "
                               "{default})").format(default=default_language()))


def default_language() -> str:
    """The language without --lang: COURSE_LANG when it names one of the course's languages, else the locale."""
    return normalise(os.environ.get("COURSE_LANG")) or language_from_locale()


def requested_language(argv) -> str | None:
    """The value of the first valid `--lang X` / `--lang=X` in `argv` (before a `--`), read before the parser is
    built so that its help is in that language; None when there is none (an invalid value is left to argparse).
    The `translations` command has a --lang of its own (the catalog's language): nothing after it is read."""
    args = list(argv)
    command = None
    for i, arg in enumerate(args):
        if arg == "--":
            return None
        if command is None and not arg.startswith("-") and (i == 0 or args[i - 1] != LANG_OPTION):
            command = arg
            if command == "translations":
                return None
        value = None
        if arg == LANG_OPTION and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith(LANG_OPTION + "="):
            value = arg.split("=", 1)[1]
        if value in LANGUAGES:
            return value
    return None


def cmd_doctor(args) -> int:
    """`course doctor [--json]`: course.doctor.run; returns its exit status."""
    from . import doctor

    return doctor.run(as_json=args.json)


def build_parser() -> argparse.ArgumentParser:
    """The `course` argument parser: one subcommand per tool, each with `func` set to its cmd_ function.
    Its help is in the current language (course.i18n): build it after the language is set."""
    from course import __version__

    parser = _Parser(
        prog="course",
        description=_("深度学习与神经网络 (Deep Learning & Neural Networks): course tools."),
    )
    parser.add_argument("--version", action="version", version=f"course {__version__}",
                        help=_("show program's version number and exit"))
    add_language_argument(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar=_("<command>"), required=True)

    doctor = commands.add_parser(
        "doctor", help=_("check that this Python can run the course"),
        description=_("Check Python, the packages, the JupyterLab extensions, the MNIST data and the Chinese fonts. "
                      "Exit status 0 when the course can run here, 1 when something required is missing."),
    )
    doctor.add_argument("--json", action="store_true", help=_("print the same facts as JSON"))
    add_language_argument(doctor)
    doctor.set_defaults(func=cmd_doctor)

    build = commands.add_parser(
        "build", help=_("write notebooks/ from solutions/"),
        description=_("Write the learner notebooks in notebooks/ from solutions/: solution blocks become stubs, "
                      "outputs are cleared. With --check, write nothing and exit 1 naming the stale files."),
    )
    build.add_argument("--check", action="store_true", help=_("only check that notebooks/ is up to date"))
    build.add_argument("--force", action="store_true",
                       help=_("also replace learner notebooks that were edited since the last build"))
    build.add_argument("--solutions", default=None, help=_("folder of solution notebooks (default: solutions/)"))
    build.add_argument("--notebooks", default=None, help=_("folder of learner notebooks (default: notebooks/)"))
    add_language_argument(build)
    build.set_defaults(func=cmd_build)

    translations = commands.add_parser(
        "translations", help=_("check (or --update) the translations: messages and notebooks"),
        description=_("List every missing, stale (fuzzy) or malformed translation of the run-time messages "
                      "(course/locale/) and of the notebooks (solutions/<lang>/*.po); exit status 1 if there is one. "
                      "With --update, first merge the current English into the PO files and compile the catalogs."),
    )
    translations.add_argument("--update", action="store_true", help=_("merge the English into the PO files first"))
    translations.add_argument("--domain", action="append", default=None,
                              help=_("only this message domain (checks, exercises_01, widgets, tools, course); "
                                     "repeatable"))
    translations.add_argument("--notebook", action="append", default=None,
                              help=_("only the notebook whose name starts with this (e.g. 01); repeatable"))
    # its own --lang: the language of the catalogs to check (the messages' language comes before the command)
    translations.add_argument("--lang", dest="translation_lang", default="zh", help=_("the language (default zh)"))
    translations.set_defaults(func=cmd_translations)

    from .gradebook import GRADE_DESCRIPTION, GRADE_HELP, add_grade_arguments, run_grade

    grade = commands.add_parser("grade", help=_(GRADE_HELP), description=_(GRADE_DESCRIPTION))
    add_grade_arguments(grade)
    add_language_argument(grade)
    grade.set_defaults(func=run_grade)

    links = commands.add_parser(
        "links", help=_("print the Binder link, README badge and JupyterHub (nbgitpuller) link"),
        description=_("Print the links a workshop hands out for a published copy of the course: the Binder launch "
                      "link and its README badge, and with --hub an nbgitpuller link. Nothing is fetched."),
    )
    links.add_argument("repository", nargs="?", default=None,
                       help=_("the repository's public URL (default: this checkout's git remote 'origin')"))
    links.add_argument("--branch", default="main", help=_("branch to open (default main)"))
    links.add_argument("--hub", default=None, help=_("a JupyterHub's address, e.g. https://hub.example.org"))
    add_language_argument(links)
    links.set_defaults(func=cmd_links)
    return parser


def cmd_build(args) -> int:
    """`course build [--check] [--force] [--solutions DIR] [--notebooks DIR]`: course.authoring.build_command."""
    from .authoring import build_command

    return build_command(args.solutions, args.notebooks, check=args.check, force=args.force)


def cmd_translations(args) -> int:
    """`course translations [--update] [--domain D] [--notebook NN] [--lang zh]`: course.translations.command."""
    from .translations import command

    return command(args.update, args.domain, args.notebook, args.translation_lang)


def cmd_links(args) -> int:
    """`course links [REPOSITORY] [--branch B] [--hub URL]`: course.links.run; returns its exit status."""
    from . import links

    return links.run(args.repository, args.branch, args.hub)


def main(argv=None) -> int:
    """Set the language (--lang, else COURSE_LANG, else the locale), parse `argv` (default sys.argv[1:]) and
    run the command; returns its exit status. Bad usage: argparse prints the usage and exits 2."""
    argv = sys.argv[1:] if argv is None else list(argv)
    # set_language for the command, and the previous choice back after it (main() called from Python or a test)
    with using(requested_language(argv) or default_language()):
        args = build_parser().parse_args(argv)
        return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())

"""Command line: ``python -m course <command>`` (also the ``course`` script).

Commands
    doctor    check that this Python can run the course (exit 0) or say what to fix (exit 1)
    build     write the learner notebooks in notebooks/ from solutions/
    grade     grade a class: every submission, in parallel; table, CSV, JSON, summary, figure
    links     print the Binder link, README badge and JupyterHub (nbgitpuller) link

This module only parses the arguments and hands them to the tool's own module:
course.doctor, course.authoring (build), course.gradebook (grade, one notebook at a time by
course.grade), course.links. Each command is a few
lines in :func:`build_parser` and a ``cmd_<name>(args) -> int`` that calls the
tool. Nothing else in the package imports this module
(tests/test_no_cli_imports.py).
"""
from __future__ import annotations

import argparse



def cmd_doctor(args) -> int:
    """`course doctor [--json]`: course.doctor.run; returns its exit status."""
    from . import doctor

    return doctor.run(as_json=args.json)


def build_parser() -> argparse.ArgumentParser:
    """The `course` argument parser: one subcommand per tool, each with `func` set to its cmd_ function."""
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

    translations = commands.add_parser(
        "translations", help="check (or --update) the translations: messages and notebooks",
        description="List every missing, stale (fuzzy) or malformed translation of the run-time messages "
                    "(course/locale/) and of the notebooks (solutions/<lang>/*.po); exit status 1 if there is one. "
                    "With --update, first merge the current English into the PO files and compile the catalogs.",
    )
    translations.add_argument("--update", action="store_true", help="merge the English into the PO files first")
    translations.add_argument("--domain", action="append", default=None,
                              help="only this message domain (checks, exercises_01, widgets, tools, course); repeatable")
    translations.add_argument("--notebook", action="append", default=None,
                              help="only the notebook whose name starts with this (e.g. 01); repeatable")
    translations.add_argument("--lang", dest="translation_lang", default="zh", help="the language (default zh)")
    translations.set_defaults(func=cmd_translations)

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
    """`course build [--check] [--force] [--solutions DIR] [--notebooks DIR]`: course.authoring.build_command."""
    from .authoring import build_command

    return build_command(args.solutions, args.notebooks, check=args.check, force=args.force)


def cmd_translations(args) -> int:
    """`course translations [--update] [--domain D] [--notebook NN] [--lang zh]`: course.nbtranslate.command."""
    from .nbtranslate import command

    return command(args.update, args.domain, args.notebook, args.translation_lang)


def cmd_links(args) -> int:
    """`course links [REPOSITORY] [--branch B] [--hub URL]`: course.links.run; returns its exit status."""
    from . import links

    return links.run(args.repository, args.branch, args.hub)


def main(argv=None) -> int:
    """Parse `argv` (default sys.argv[1:]) and run the command; returns its exit status.
    Bad usage: argparse prints the usage and exits 2."""
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())

"""Hints on request: `hint("neuron")` shows an exercise's hints one level at a time.

Each exercise has three levels (core.HINT_LEVELS): an idea, then the formula and the
shapes, then the code. Each call opens the next level and shows every level opened so
far, so re-running one cell walks through them; `hint(name, level)` opens up to a level.
The shown levels are recorded in the cell's output (core.HINT_MIME) so that
`python -m course grade` can report how many levels a learner opened.
"""
from __future__ import annotations

import html

from ..i18n import _
from .core import HINT_LEVELS, HINT_MIME, REGISTRY, find

_opened: dict[str, int] = {}  # exercise name -> the highest hint level shown in this kernel


def _level_name(level: int) -> str:
    """What hint `level` (1, 2, 3) gives, in the language shown: an idea, the formula and the shapes, the code."""
    if level <= len(HINT_LEVELS):
        return _(HINT_LEVELS[level - 1])
    # TRANSLATORS: what a hint beyond the third gives ("hint 4 of 4 (more)").
    return _("more")


def opened(name: str) -> int:
    """How many hint levels of exercise `name` were shown in this kernel (0 to 3)."""
    return _opened.get(name, 0)


def next_hint(name: str) -> str:
    """The sentence a check shows after a wrong answer: which hint level to open next, and how."""
    hints = REGISTRY[name].hints if name in REGISTRY else []
    if not hints:
        return ""
    level = opened(name)
    if level >= len(hints):
        return _("All {count} hints are open: compare your code line by line with hint {count}.").format(
            count=len(hints))
    return _('Stuck? Run hint("{name}") for hint {level} of {count} ({what}).').format(
        name=name, level=level + 1, count=len(hints), what=_level_name(level + 1))


def hint(name: str, level: int | None = None):
    """Show the hints of exercise `name` up to the next level not yet shown (or up to `level`).

    name: an exercise name, as in check(name, fn); level: 1 to the number of hints (3), or None for
    the next one. Raises KeyError for an unknown exercise and ValueError for a level out of range.
    Returns None; the hints are displayed (HTML in Jupyter, text in a terminal).
    """
    exercise = find(name, "hint")
    hints = exercise.hints
    if not hints:
        raise KeyError(_("hint: exercise {name} has no hints.").format(name=repr(name)))
    if level is None:
        level = min(opened(name) + 1, len(hints))
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= len(hints):
        raise ValueError(_("hint: level must be a whole number from 1 to {count}, got {level}.").format(
            count=len(hints), level=repr(level)))
    _opened[name] = max(opened(name), level)
    # the hints are data of the registry (exercises_NN), translated here
    parts = [(_("Hint {level} of {count} for {name} ({what})").format(level=i, count=len(hints), name=name,
                                                                       what=_level_name(i)),
              _(hints[i - 1])) for i in range(1, level + 1)]
    more = (_('Run hint("{name}") again for hint {level} ({what}).').format(name=name, level=level + 1,
                                                                           what=_level_name(level + 1))
            if level < len(hints) and level < len(HINT_LEVELS) else "")
    # TRANSLATORS: a hint's title, then (on the next lines) the hint itself; the colon ends the title.
    text = "\n".join(_("{title}:").format(title=title) + f"\n{body}" for title, body in parts) + (f"\n{more}" if more else "")
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        blocks = "".join(f'<p style="margin:4px 0"><b>{html.escape(title)}</b></p>'
                         f'<pre style="white-space:pre-wrap;margin:0 0 6px 0">{html.escape(body)}</pre>'
                         for title, body in parts)
        bundle = {"text/plain": text,
                  "text/html": f'<div style="background:#e8f0fe;padding:6px 10px;border-radius:4px">{blocks}'
                               f"{html.escape(more)}</div>",
                  HINT_MIME: {"exercise": name, "level": level, "of": len(hints)}}
        display(bundle, raw=True)
    else:
        print(text)

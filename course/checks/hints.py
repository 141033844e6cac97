"""Hints on request: `hint("neuron")` shows an exercise's hints one level at a time.

Each exercise has three levels (core.HINT_LEVELS): an idea, then the formula and the
shapes, then the code. Each call opens the next level and shows every level opened so
far, so re-running one cell walks through them; `hint(name, level)` opens up to a level.
The shown levels are recorded in the cell's output (core.HINT_MIME) so that
`python -m course grade` can report how many levels a learner opened.
"""
from __future__ import annotations

import html

from .core import HINT_LEVELS, HINT_MIME, REGISTRY, find

_opened: dict[str, int] = {}  # exercise name -> the highest hint level shown in this kernel


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
        return f"All {len(hints)} hints are open: compare your code line by line with hint {len(hints)}."
    return (f'Stuck? Run hint("{name}") for hint {level + 1} of {len(hints)} '
            f"({HINT_LEVELS[level] if level < len(HINT_LEVELS) else 'more'}).")


def hint(name: str, level: int | None = None):
    """Show the hints of exercise `name` up to the next level not yet shown (or up to `level`).

    name: an exercise name, as in check(name, fn); level: 1 to the number of hints (3), or None for
    the next one. Raises KeyError for an unknown exercise and ValueError for a level out of range.
    Returns None; the hints are displayed (HTML in Jupyter, text in a terminal).
    """
    exercise = find(name, "hint")
    hints = exercise.hints
    if not hints:
        raise KeyError(f"hint: exercise {name!r} has no hints.")
    if level is None:
        level = min(opened(name) + 1, len(hints))
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= len(hints):
        raise ValueError(f"hint: level must be a whole number from 1 to {len(hints)}, got {level!r}.")
    _opened[name] = max(opened(name), level)
    parts = [(f"Hint {i} of {len(hints)} for {name} ({HINT_LEVELS[i - 1] if i <= len(HINT_LEVELS) else 'more'})",
              hints[i - 1]) for i in range(1, level + 1)]
    more = (f'Run hint("{name}") again for hint {level + 1} ({HINT_LEVELS[level]}).'
            if level < len(hints) and level < len(HINT_LEVELS) else "")
    text = "\n".join(f"{title}:\n{body}" for title, body in parts) + (f"\n{more}" if more else "")
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

"""Exercise checks: `fn = check("name", fn)` after each exercise, and `hint("name")` for its hints,
one level at a time. See core.py for how checks work and hints.py for hints."""
from .core import HINT_MIME, REGISTRY, VERDICT_MIME, Exercise, Mistake, Verdict, check, register, run, same
from .hints import hint

__all__ = ["HINT_MIME", "REGISTRY", "VERDICT_MIME", "Exercise", "Mistake", "Verdict", "check", "hint", "register",
           "run", "same"]

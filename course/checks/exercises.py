"""Imports every notebook's exercise module (course/checks/nb*.py) so their exercises are registered."""
import importlib
import pkgutil
from pathlib import Path

for _info in pkgutil.iter_modules([str(Path(__file__).parent)]):
    if _info.name.startswith("nb"):
        importlib.import_module(f"{__package__}.{_info.name}")

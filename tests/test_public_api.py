import subprocess
import sys

import pytest

import course


@pytest.mark.parametrize("name", course.__all__)
def test_every_public_name_resolves(name):
    assert getattr(course, name) is not None
    assert name in dir(course)


def test_unknown_name_says_so():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        course.nope


def test_import_is_lazy():
    # Only the package itself is imported; numpy and the rest come on first use.
    code = "import sys, course; print(sorted(m for m in sys.modules if m.startswith('course')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['course']"

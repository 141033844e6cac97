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
    # Only the package itself, its load-order guard and the font's post-import hook (course.fonts, standard
    # library only until matplotlib is imported) are imported; numpy and the rest come on first use.
    code = ("import sys, course; print(sorted(m for m in sys.modules if m.startswith('course')), "
            "'numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['course', 'course._load_order', 'course.fonts'] False"


def test_frameworks_is_a_lazy_submodule():
    # course.frameworks comes on first use, and even then neither torch nor TensorFlow is imported.
    code = ("import sys, course; before = 'course.frameworks' in sys.modules; fw = course.frameworks; "
            "print(before, fw.__name__, sorted(m for m in ('torch', 'tensorflow', 'keras') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False course.frameworks []"

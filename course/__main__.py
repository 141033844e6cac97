"""``python -m course <command>``: see :mod:`course.cli`."""
from course.cli import main

if __name__ == "__main__":
    raise SystemExit(main())

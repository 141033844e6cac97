"""course/numerics.py: outputs that depend on the machine are compared without their digits on another one (issue 11)."""
import numpy as np

from course import numerics
from course.authoring import NOTEBOOK_ENV


def test_masking_keeps_words_and_layout_but_not_digits():
    # what numpy 1.26.4 and 2.4 printed for the same cell of notebook 06
    stored = "test accuracy: 97.74%  (226 of 10000 digits wrong)\n"
    other = "test accuracy: 97.51%  (249 of 10000 digits wrong)\n"
    assert stored != other and numerics.mask_numbers(stored) == numerics.mask_numbers(other)
    assert numerics.mask_numbers("loss [2.355 2.221\n 1e-05 -3.]") == "loss [N N N N]"
    # a changed label, a missing line or an error still shows
    assert numerics.mask_numbers(stored) != numerics.mask_numbers("train accuracy: 97.51%  (249 of 10000 digits wrong)")
    assert numerics.mask_numbers(stored + "epoch 2\n") != numerics.mask_numbers(stored)


def test_only_tagged_cells_on_another_machine_lose_their_digits():
    here = numerics.fingerprint()
    assert numerics.compare_digits([numerics.TAG], here, here)
    assert not numerics.compare_digits([numerics.TAG], "0123456789ab", here)
    assert not numerics.compare_digits([numerics.TAG], None, here)
    assert numerics.compare_digits(["nbval-ignore-output"], "0123456789ab", here)


def test_fingerprint_is_stable_and_sees_the_last_bit(monkeypatch):
    first = numerics.fingerprint()
    assert first == numerics.fingerprint() == numerics.fingerprint_with(NOTEBOOK_ENV)
    assert len(first) == 12 and int(first, 16) >= 0
    # a BLAS whose products differ from these in one last bit of one element gets another fingerprint

    class OneBitOff:
        def __getattr__(self, name):
            return getattr(np, name)

        @staticmethod
        def ascontiguousarray(product):
            product = np.array(product)
            product.flat[0] = np.nextafter(product.flat[0], np.inf)
            return product

    monkeypatch.setattr(numerics, "np", OneBitOff())
    assert numerics.fingerprint() != first


def test_every_solution_stores_the_fingerprint_of_its_machine():
    import json
    from pathlib import Path

    solutions = Path(__file__).parents[1] / "solutions"
    for path in [*sorted(solutions.glob("*.ipynb")), *sorted(solutions.glob("zh/*.ipynb"))]:
        metadata = json.loads(path.read_text(encoding="utf-8"))["metadata"]
        assert len(metadata.get(numerics.METADATA_KEY, "")) == 12, f"{path.name}: run it with scripts/run_notebook.py"


def test_another_framework_build_is_another_machine(monkeypatch):
    first = numerics.fingerprint()
    real = numerics._version
    # a torch build no machine has: its kernels may round differently from the installed one's
    monkeypatch.setattr(numerics, "_version", lambda dist: "0.0.1+test" if dist == "torch" else real(dist))
    assert numerics.fingerprint() != first

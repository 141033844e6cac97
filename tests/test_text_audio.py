"""course.text (sentiment corpus, tokenizer, bag of words) and course.audio (synthetic vowels, spectrogram)."""
import numpy as np
import pytest

from course import CourseInputError
from course.audio import FORMANTS, RATE, VOWELS, spectrogram, vowel, vowel_dataset
from course.text import bag_of_words, build_vocabulary, load_sentiment, tokenize


# -- the corpus ---------------------------------------------------------------

def test_corpus_loads_balanced():
    sentences, labels, langs, groups = load_sentiment()
    n = len(sentences)
    assert n >= 200 and labels.shape == (n,) and groups.shape == (n,) and len(langs) == n
    assert labels.dtype == np.int64 and set(labels) == {0, 1}
    langs = np.array(langs)
    for lang in ("en", "zh"):
        m = langs == lang
        assert m.sum() >= 100
        assert labels[m].sum() == (m.sum() - labels[m].sum())  # positive == negative in each language
    assert all(isinstance(s, str) and s.strip() for s in sentences)
    assert len(set(sentences)) == n  # no duplicates


def test_each_group_has_both_labels():
    _, labels, _, groups = load_sentiment()
    for g in np.unique(groups):
        assert set(labels[groups == g]) == {0, 1}


def test_bad_corpus_file(tmp_path):
    with pytest.raises(CourseInputError, match="existing"):
        load_sentiment(tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("label\tlang\tgroup\tsentence\n2\ten\t0\thello\n", encoding="utf-8")
    with pytest.raises(CourseInputError, match="line 2"):
        load_sentiment(bad)


# -- tokenizer, vocabulary, bag of words ---------------------------------------

def test_tokenize_english_and_chinese():
    assert tokenize("Not BAD, really!") == ["not", "bad", "really"]
    assert tokenize("不好吃") == ["不", "好", "吃", "不好", "好吃"]
    assert tokenize("好 吃") == ["好", "吃"]  # bigrams stay inside a run of characters
    assert tokenize("") == []


def test_tokenize_rejects_non_strings():
    with pytest.raises(CourseInputError, match="expected a str"):
        tokenize(["a list"])


def test_bag_of_words_shape_and_values():
    vocab = build_vocabulary(["good food", "bad food", "好吃"])
    assert vocab == sorted(vocab) and "food" in vocab and "好吃" in vocab
    X = bag_of_words(["good good food", "unknown words", "好吃"], vocab)
    assert X.shape == (3, len(vocab)) and X.dtype == np.float32
    assert X[0, vocab.index("good")] == 1 and X[0, vocab.index("food")] == 1 and X[0].sum() == 2
    assert X[1].sum() == 0
    assert X[2].sum() == 3  # 好, 吃, 好吃


def test_vocabulary_min_count():
    assert build_vocabulary(["a b", "a c"], min_count=2) == ["a"]
    with pytest.raises(CourseInputError, match="min_count"):
        build_vocabulary(["a"], min_count=0)


@pytest.mark.parametrize("sentences,vocab,match", [("one string", ["a"], "sentences"), (["a"], [], "vocabulary"),
                                                    (["a"], "a", "vocabulary"), (3, ["a"], "sentences")])
def test_bag_of_words_bad_input(sentences, vocab, match):
    with pytest.raises(CourseInputError, match=match):
        bag_of_words(sentences, vocab)


# -- audio --------------------------------------------------------------------

def test_vowel_shape_determinism_and_range():
    a = vowel("a", duration=0.25, seed=3)
    assert a.shape == (int(0.25 * RATE),) and a.dtype == np.float32
    assert np.array_equal(a, vowel("a", duration=0.25, seed=3))
    assert not np.array_equal(a, vowel("a", duration=0.25, seed=4))
    assert np.abs(a).max() <= 1.0 + 1e-6


def test_vowel_energy_is_near_its_formants():
    # without noise, the spectrum's strongest region lies near a formant
    for name in VOWELS:
        S = np.expm1(spectrogram(vowel(name, duration=0.5, noise=0.0, seed=0), window=512, hop=256)).mean(axis=0)
        peak_hz = np.argmax(S) * RATE / 512
        assert min(abs(peak_hz - f) for f in FORMANTS[name]) < 0.25 * min(FORMANTS[name]) + 120, (name, peak_hz)


def test_spectrogram_shape_and_a_pure_tone():
    t = np.arange(4000) / RATE
    tone = np.sin(2 * np.pi * 1000 * t)
    S = spectrogram(tone, window=256, hop=128)
    assert S.shape == (1 + (4000 - 256) // 128, 129) and S.dtype == np.float32
    assert np.all(np.argmax(S, axis=1) == 1000 * 256 // RATE)  # bin 32 = 1000 Hz


def test_vowel_dataset_balanced_and_seeded():
    X, y = vowel_dataset(n_per_class=4, duration=0.1, seed=1)
    assert X.shape == (20, int(0.1 * RATE)) and y.shape == (20,)
    assert np.array_equal(np.bincount(y), [4] * 5)
    X2, y2 = vowel_dataset(n_per_class=4, duration=0.1, seed=1)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)


@pytest.mark.parametrize("call,match", [
    (lambda: vowel("x"), "name"),
    (lambda: vowel(["a"]), "name"),
    (lambda: vowel("a", duration=-1), "duration"),
    (lambda: vowel("a", noise=-0.1), "noise"),
    (lambda: vowel("a", duration=0.001), "samples"),
    (lambda: spectrogram(np.zeros((2, 300))), "1-D"),
    (lambda: spectrogram(np.array([np.nan] * 300)), "finite"),
    (lambda: spectrogram(np.zeros(100), window=256), "at least"),
    (lambda: spectrogram(np.zeros(300), hop=0), "hop"),
    (lambda: vowel_dataset(n_per_class=0), "n_per_class"),
])
def test_bad_input_gives_course_input_error(call, match):
    with pytest.raises(CourseInputError, match=match):
        call()

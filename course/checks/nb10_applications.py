"""Exercises of notebook 10 (applications): confident_mistakes, bag_of_words, stft_magnitude."""
import numpy as np

from ..text import bag_of_words, tokenize
from .core import Exercise, Mistake, register, same

from .core import _  # keeps the English beside the translation, so that run() decides on the English


# ---------------------------------------------------------------------------
# confident_mistakes(proba, y_true, k): indices of the k wrong predictions made with the highest probability
# ---------------------------------------------------------------------------


def _predicted_and_wrong(proba, y_true):
    predicted = proba.argmax(axis=1)
    return predicted, np.flatnonzero(predicted != y_true)


def confident_mistakes(proba, y_true, k):
    predicted, wrong = _predicted_and_wrong(proba, y_true)
    confidence = proba[wrong, predicted[wrong]]
    return wrong[np.argsort(-confidence, kind="stable")][:k]


def _cm_least_confident(proba, y_true, k):
    predicted, wrong = _predicted_and_wrong(proba, y_true)
    return wrong[np.argsort(proba[wrong, predicted[wrong]], kind="stable")][:k]


def _cm_true_class_probability(proba, y_true, k):
    predicted, wrong = _predicted_and_wrong(proba, y_true)
    return wrong[np.argsort(-proba[wrong, y_true[wrong]], kind="stable")][:k]


def _cm_right_ones_too(proba, y_true, k):
    return np.argsort(-proba.max(axis=1), kind="stable")[:k]


def _cm_positions_among_mistakes(proba, y_true, k):
    predicted, wrong = _predicted_and_wrong(proba, y_true)
    return np.argsort(-proba[wrong, predicted[wrong]], kind="stable")[:k]


def _cm_probabilities(proba, y_true, k):
    """The probabilities of the k most confident mistakes (sorted, highest first), not their indices."""
    predicted, wrong = _predicted_and_wrong(proba, y_true)
    return -np.sort(-proba[wrong, predicted[wrong]], kind="stable")[:k]


def _cm_predicted_classes(proba, y_true, k):
    """The classes the network predicted for the k most confident mistakes, not the examples' indices."""
    predicted, _ = _predicted_and_wrong(proba, y_true)
    return predicted[confident_mistakes(proba, y_true, k)]


def _cm_largest_loss(proba, y_true, k):
    """The k mistakes with the largest loss -log p(true class), i.e. the smallest probability of the true class."""
    predicted, wrong = _predicted_and_wrong(proba, y_true)
    return wrong[np.argsort(proba[wrong, y_true[wrong]], kind="stable")][:k]


def _compare_indices(got, expected):
    """None when `got` holds the same indices as `expected` in the same order, else what differs; it says so
    when only the order differs, or when the values are not whole numbers (probabilities, not indices)."""
    problem = same(got, expected)
    if problem is None:
        return None
    try:
        g = np.asarray(got)
    except Exception:
        return problem
    if g.ndim != 1 or not np.issubdtype(g.dtype, np.number):
        return problem
    if g.size and not np.array_equal(g, np.round(g)):
        return _("returned values that are not whole numbers ({first:.3g}, ...): return the indices of the "
                 "examples (0 to n - 1), not their probabilities").format(first=g[0])
    if g.shape == np.shape(expected) and np.array_equal(np.sort(g), np.sort(expected)):
        return _("returned the right examples in the wrong order: sort them by the probability of the "
                 "predicted class, highest first")
    return problem


def _confident_case(rng):
    n, c = int(rng.integers(12, 30)), int(rng.integers(3, 6))
    z = 2.0 * rng.normal(size=(n, c))
    proba = np.exp(z - z.max(axis=1, keepdims=True))
    proba /= proba.sum(axis=1, keepdims=True)
    # about half right, half wrong: keep the prediction or pick any other class
    y = np.where(rng.random(n) < 0.5, proba.argmax(axis=1), rng.integers(0, c, size=n))
    return proba, y, int(rng.integers(2, 6))


register(Exercise(
    name="confident_mistakes",
    notebook="10_applications",
    reference=confident_mistakes,
    cases=[(np.array([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.25, 0.05, 0.7], [0.02, 0.9, 0.08],
                      [0.3, 0.3, 0.4], [0.5, 0.1, 0.4]]), np.array([0, 2, 1, 0, 2, 1]), 2),
           (np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.35, 0.65]]), np.array([1, 0, 0, 0]), 5),
           # no mistake at all: an empty array of indices
           (np.array([[0.8, 0.2], [0.3, 0.7], [0.55, 0.45]]), np.array([0, 1, 0]), 2)],
    random_case=_confident_case,
    compare=_compare_indices,
    mistakes=[
        Mistake("least confident first: the order is reversed", _cm_least_confident,
                "Sort by minus the probability (or reverse the ascending order): the most confident mistake comes first."),
        Mistake("you ranked by the probability of the true class, not of the class the network predicted",
                _cm_true_class_probability,
                "A confident mistake is one where the network was sure of its own (wrong) answer: rank by the "
                "probability of the class it predicted."),
        Mistake("correct predictions are in your list too: keep only the examples whose prediction is wrong",
                _cm_right_ones_too,
                "First keep only the examples whose predicted class differs from the true label, then sort those."),
        Mistake("you returned positions in the list of mistakes, not indices into the data set",
                _cm_positions_among_mistakes,
                "Sorting the mistakes gives their positions in the list of mistakes (0, 1, 2, ...); return the "
                "indices of the examples at those positions instead."),
    ],
    related=[
        ("the probabilities of the most confident mistakes, not their indices", _cm_probabilities),
        ("the classes predicted for the most confident mistakes, not the indices of those examples",
         _cm_predicted_classes),
        ("the mistakes with the largest loss -log p(true class): rank by the probability of the class the "
         "network predicted instead", _cm_largest_loss),
    ],
    hints=[
        "First find the examples the network got wrong (its prediction is the class with the largest "
        "probability in the row). Then order only those by how sure the network was of its own answer, most sure "
        "first, and keep at most k. Return their indices into the whole data set.",
        "predicted[i] = the column of the largest value in row i of proba (shape (n,)); the mistakes are the i "
        "with predicted[i] ≠ y_true[i]; the confidence of mistake i is proba[i, predicted[i]]. Return the "
        "mistakes' indices by decreasing confidence, at most k of them: an integer array of length "
        "min(k, number of mistakes).",
        "predicted = proba.argmax(axis=1)\n"
        "wrong = np.flatnonzero(predicted != y_true)\n"
        "confidence = proba[wrong, predicted[wrong]]\n"
        "return wrong[np.argsort(-confidence, kind=\"stable\")][:k]",
    ],
))


# ---------------------------------------------------------------------------
# bag_of_words(sentences, vocabulary): (n, V) float32, 1 where a vocabulary token occurs in a sentence
# ---------------------------------------------------------------------------


# The named mistakes return float64, np.zeros' default, as most learners' code does: compare() holds only the
# reference's float32 strictly, so a mistake is named whatever float dtype the learner's array has.

def _bow_counts(sentences, vocabulary):
    index = {t: j for j, t in enumerate(vocabulary)}
    X = np.zeros((len(sentences), len(vocabulary)))
    for i, s in enumerate(sentences):
        for t in tokenize(s):
            if t in index:
                X[i, index[t]] += 1
    return X


def _bow_split(sentences, vocabulary):
    index = {t: j for j, t in enumerate(vocabulary)}
    X = np.zeros((len(sentences), len(vocabulary)))
    for i, s in enumerate(sentences):
        for t in s.split():
            if t in index:
                X[i, index[t]] = 1
    return X


def _bow_transposed(sentences, vocabulary):
    return bag_of_words(sentences, vocabulary).T.astype(np.float64)


def _bow_own_vocabulary(sentences, vocabulary):
    return bag_of_words(sentences, sorted({t for s in sentences for t in tokenize(s)})).astype(np.float64)


def _compare_float32(got, expected):
    """None when `got` equals `expected`, else what differs. Float arrays are compared by value first, whatever
    their float dtype; then the reference's float32 (the dtype the exercise states) is held strictly. The named
    mistakes return float64, so a mistake is named whichever float dtype the learner's array has."""
    e = np.asarray(expected)
    try:
        g = np.asarray(got)
    except Exception:
        return same(got, expected)
    if g.dtype.kind == "f" and e.dtype.kind == "f" and g.dtype != e.dtype:
        problem = same(g.astype(e.dtype), e)
        if problem is not None or e.dtype != np.float32:
            return problem
        if isinstance(got, np.ndarray):
            return _("returned the right 0s and 1s as dtype {dtype}; the exercise asks for a float32 array (make X "
                     "float32 from the start, or convert it at the end)").format(dtype=g.dtype)
        return _("returned the right 0s and 1s as a {type} of numbers; the exercise asks for a float32 array (make "
                 "X float32 from the start, or convert it at the end)").format(type=type(got).__name__)
    problem = same(got, expected)
    if problem is None and not isinstance(got, np.ndarray) and e.dtype == np.float32:
        return _("returned the right 0s and 1s as a {type}; the exercise asks for a float32 array").format(
            type=type(got).__name__)
    return problem


_WORDS = ["good", "bad", "not", "the", "film", "was", "very", "boring", "tasty", "Great", "soup", "!", ","]
_ZH = ["好", "不", "好吃", "很", "电影", "无聊", "汤", "。"]


def _bow_case(rng):
    sentences = []
    for _sentence in range(int(rng.integers(3, 7))):
        if rng.random() < 0.5:
            words = rng.choice(_WORDS, size=int(rng.integers(3, 9)))
            sentences.append(" ".join(words).replace(" !", "!").replace(" ,", ","))
        else:
            sentences.append("".join(rng.choice(_ZH, size=int(rng.integers(2, 7)))))
    tokens = sorted({t for s in sentences for t in tokenize(s)})
    kept = [t for t in tokens if rng.random() < 0.7]
    return sentences, sorted(kept + ["unseen", "从未"])


register(Exercise(
    name="bag_of_words",
    notebook="10_applications",
    reference=bag_of_words,
    cases=[(["The film was good, very good!", "A bad film.", "汤很好喝。"],
            ["bad", "film", "good", "the", "very", "好", "好喝", "汤", "电影"]),
           (["not good", "good good good", "不好吃", "Great"], ["great", "good", "not", "不", "好", "好吃"]),
           # vocabulary tokens that are only parts of words here ("not" in "Nothing", "the" in "there", "good" in
           # "goodness"): looking for the token in the text, not among its tokens, finds them
           (["Nothing there was good.", "Such goodness!", "汤好喝"], ["good", "not", "the", "was", "好喝", "汤"])],
    random_case=_bow_case,
    compare=_compare_float32,
    mistakes=[
        Mistake("you counted how often each token occurs; the bag of words here records only whether it occurs (0 or 1)",
                _bow_counts, "Set X[i, j] = 1 rather than adding 1: a repeated word gives 1, not 2."),
        Mistake("you cut sentences at spaces: Chinese has none, and 'good,' keeps its comma and 'Great' its capital",
                _bow_split,
                "Cut each sentence with the course's tokenize function: it lowercases, drops punctuation and cuts "
                "Chinese into characters and pairs."),
        Mistake("the array is (V, n), transposed: it should have one row per sentence and one column per "
                "vocabulary token", _bow_transposed,
                "Make X of shape (number of sentences, number of vocabulary tokens)."),
        Mistake("the columns come from the sentences' own tokens, not from the vocabulary you were given",
                _bow_own_vocabulary,
                "Column j must be vocabulary[j] (built from the training sentences), so train and test rows line up."),
    ],
    hints=[
        "Give each vocabulary token a column number. For each sentence, cut it into tokens with the course's "
        "tokenize function and put a 1 in the column of every token that is in the vocabulary; everything else "
        "stays 0. The row records whether a token occurs, not how often.",
        "X has shape (n, V) = (number of sentences, len(vocabulary)) and dtype float32, zeros at first. With "
        "column[token] = j where vocabulary[j] = token, set X[i, column[t]] = 1 for every token t of "
        "tokenize(sentences[i]) that is in column; skip the others.",
        "column = {token: j for j, token in enumerate(vocabulary)}\n"
        "X = np.zeros((len(sentences), len(vocabulary)), dtype=np.float32)\n"
        "for i, sentence in enumerate(sentences):\n"
        "    for token in tokenize(sentence):\n"
        "        if token in column:\n"
        "            X[i, column[token]] = 1.0\n"
        "return X",
    ],
))


# ---------------------------------------------------------------------------
# stft_magnitude(signal, window, hop): |rfft| of Hann-windowed frames, (frames, window // 2 + 1)
# ---------------------------------------------------------------------------


def _frames(signal, window, hop):
    """(n_frames, window): every whole frame of `window` samples, one starting every `hop` samples."""
    n_frames = 1 + (len(signal) - window) // hop
    return np.stack([signal[t * hop:t * hop + window] for t in range(n_frames)])


def stft_magnitude(signal, window, hop):
    return np.abs(np.fft.rfft(_frames(signal, window, hop) * np.hanning(window), axis=1))


def _stft_no_window(signal, window, hop):
    return np.abs(np.fft.rfft(_frames(signal, window, hop), axis=1))


def _stft_real_part(signal, window, hop):
    return np.fft.rfft(_frames(signal, window, hop) * np.hanning(window), axis=1).real


def _stft_one_frame_short(signal, window, hop):
    return stft_magnitude(signal, window, hop)[:-1]


def _stft_full_fft(signal, window, hop):
    return np.abs(np.fft.fft(_frames(signal, window, hop) * np.hanning(window), axis=1))


def _stft_power(signal, window, hop):
    """The power spectrum |FFT|², the square of the magnitude."""
    return stft_magnitude(signal, window, hop) ** 2


def _stft_log(signal, window, hop):
    """log(1 + magnitude): what course.audio.spectrogram returns."""
    return np.log1p(stft_magnitude(signal, window, hop))


def _stft_hamming(signal, window, hop):
    """The magnitudes with a Hamming window (NumPy's hamming), the Hann window's look-alike."""
    return np.abs(np.fft.rfft(_frames(signal, window, hop) * np.hamming(window), axis=1))


def _stft_case(rng):
    window = int(rng.choice([8, 16, 32]))
    hop = window // 2
    return rng.normal(size=int(window * rng.integers(3, 7) + rng.integers(0, hop))), window, hop


register(Exercise(
    name="stft_magnitude",
    notebook="10_applications",
    reference=stft_magnitude,
    cases=[(np.sin(2 * np.pi * 0.125 * np.arange(64)), 16, 8), (np.arange(40.0) % 5, 8, 4),
           # a hop that does not divide the window, and samples left over after the last whole frame
           (np.cos(0.3 * np.arange(30.0)) + 0.1 * np.arange(30.0), 8, 3)],
    random_case=_stft_case,
    mistakes=[
        Mistake("no Hann window: each frame's abrupt ends smear its energy across frequencies", _stft_no_window,
                "Multiply every frame by the Hann window of its length (NumPy's hanning) before the FFT."),
        Mistake("you took the real part of the FFT, not its magnitude (its absolute value)", _stft_real_part,
                "The real part depends on the phase; the absolute value of the complex FFT gives the amplitude of "
                "each frequency."),
        Mistake("one frame too few: there are 1 + (len(signal) - window) // hop frames", _stft_one_frame_short,
                "The first frame starts at 0 and the last at (n_frames - 1) * hop; count them with the + 1."),
        Mistake("the full FFT gives `window` bins, half of them mirror images; a real signal needs the real FFT (rfft)",
                _stft_full_fft, "Use the real FFT (rfft): window // 2 + 1 bins, from 0 Hz to half the sampling rate."),
    ],
    related=[
        ("the power |FFT|² (the square of the magnitude)", _stft_power),
        ("log(1 + magnitude), what course.audio.spectrogram returns", _stft_log),
        ("the magnitudes with a Hamming window (NumPy's hamming), not the Hann window (hanning)", _stft_hamming),
    ],
    hints=[
        "Cut the signal into overlapping frames of `window` samples, one starting every `hop` samples, keeping "
        "only frames that fit entirely. Multiply each frame by a Hann window, take its real FFT and keep the "
        "magnitude (the absolute value) of each frequency: one row per frame.",
        "n_frames = 1 + (len(signal) − window) // hop; frame t is signal[t·hop : t·hop + window]. Stack the frames "
        "into an (n_frames, window) array, multiply it by the Hann window of length window (one row of weights, "
        "applied to every frame), then take the absolute value of the real FFT of each row: shape "
        "(n_frames, window // 2 + 1).",
        "n_frames = 1 + (len(signal) - window) // hop\n"
        "frames = np.stack([signal[t * hop:t * hop + window] for t in range(n_frames)])\n"
        "return np.abs(np.fft.rfft(frames * np.hanning(window), axis=1))",
    ],
))

"""Exercises of notebook 10 (applications): confident_mistakes, bag_of_words, stft_magnitude."""
import numpy as np

from ..text import bag_of_words, tokenize
from .core import Exercise, Mistake, register


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
           (np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.35, 0.65]]), np.array([1, 0, 0, 0]), 5)],
    random_case=_confident_case,
    mistakes=[
        Mistake("least confident first: the order is reversed", _cm_least_confident,
                "Sort by minus the probability (or reverse the ascending order): the most confident mistake comes first."),
        Mistake("you ranked by the probability of the true class, not of the class the network predicted",
                _cm_true_class_probability,
                "A confident mistake is one where the network was sure of its own (wrong) answer: use proba[i, predicted[i]]."),
        Mistake("correct predictions are in your list too: keep only the examples whose prediction is wrong",
                _cm_right_ones_too, "Start from np.flatnonzero(predicted != y_true), then sort those."),
        Mistake("you returned positions in the list of mistakes, not indices into the data set",
                _cm_positions_among_mistakes,
                "argsort gives positions within `wrong`; index `wrong` with them to get the examples' indices."),
    ],
))


# ---------------------------------------------------------------------------
# bag_of_words(sentences, vocabulary): (n, V) float32, 1 where a vocabulary token occurs in a sentence
# ---------------------------------------------------------------------------


def _bow_counts(sentences, vocabulary):
    index = {t: j for j, t in enumerate(vocabulary)}
    X = np.zeros((len(sentences), len(vocabulary)), dtype=np.float32)
    for i, s in enumerate(sentences):
        for t in tokenize(s):
            if t in index:
                X[i, index[t]] += 1
    return X


def _bow_split(sentences, vocabulary):
    index = {t: j for j, t in enumerate(vocabulary)}
    X = np.zeros((len(sentences), len(vocabulary)), dtype=np.float32)
    for i, s in enumerate(sentences):
        for t in s.split():
            if t in index:
                X[i, index[t]] = 1
    return X


def _bow_transposed(sentences, vocabulary):
    return bag_of_words(sentences, vocabulary).T


def _bow_own_vocabulary(sentences, vocabulary):
    return bag_of_words(sentences, sorted({t for s in sentences for t in tokenize(s)}))


_WORDS = ["good", "bad", "not", "the", "film", "was", "very", "boring", "tasty", "Great", "soup", "!", ","]
_ZH = ["好", "不", "好吃", "很", "电影", "无聊", "汤", "。"]


def _bow_case(rng):
    sentences = []
    for _ in range(int(rng.integers(3, 7))):
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
           (["not good", "good good good", "不好吃", "Great"], ["great", "good", "not", "不", "好", "好吃"])],
    random_case=_bow_case,
    mistakes=[
        Mistake("you counted how often each token occurs; the bag of words here records only whether it occurs (0 or 1)",
                _bow_counts, "Set X[i, j] = 1 rather than adding 1: a repeated word gives 1, not 2."),
        Mistake("you cut sentences at spaces: Chinese has none, and 'good,' keeps its comma and 'Great' its capital",
                _bow_split, "Use tokenize(s): it lowercases, drops punctuation and cuts Chinese into characters and pairs."),
        Mistake("the array is (V, n): one row per sentence and one column per vocabulary token, please", _bow_transposed,
                "Make X with np.zeros((len(sentences), len(vocabulary)))."),
        Mistake("the columns come from the sentences' own tokens, not from the vocabulary you were given",
                _bow_own_vocabulary,
                "Column j must be vocabulary[j] (built from the training sentences), so train and test rows line up."),
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


def _stft_case(rng):
    window = int(rng.choice([8, 16, 32]))
    hop = window // 2
    return rng.normal(size=int(window * rng.integers(3, 7) + rng.integers(0, hop))), window, hop


register(Exercise(
    name="stft_magnitude",
    notebook="10_applications",
    reference=stft_magnitude,
    cases=[(np.sin(2 * np.pi * 0.125 * np.arange(64)), 16, 8), (np.arange(40.0) % 5, 8, 4)],
    random_case=_stft_case,
    mistakes=[
        Mistake("no Hann window: each frame's abrupt ends smear its energy across frequencies", _stft_no_window,
                "Multiply every frame by np.hanning(window) before the FFT."),
        Mistake("you took the real part of the FFT, not its magnitude (np.abs)", _stft_real_part,
                "The real part depends on the phase; np.abs gives the amplitude of each frequency."),
        Mistake("one frame too few: there are 1 + (len(signal) - window) // hop frames", _stft_one_frame_short,
                "The first frame starts at 0 and the last at (n_frames - 1) * hop; count them with the + 1."),
        Mistake("np.fft.fft gives `window` bins, half of them mirror images; a real signal needs np.fft.rfft",
                _stft_full_fft, "Use np.fft.rfft: window // 2 + 1 bins, from 0 Hz to half the sampling rate."),
    ],
))

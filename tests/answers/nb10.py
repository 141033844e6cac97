"""Learner answers to notebook 10 (applications): confident_mistakes, bag_of_words and stft_magnitude."""
import re

import numpy as np

from answers import right, wrong
from course.text import tokenize

# ---- confident_mistakes(proba, y_true, k) -> (<= k,) indices


@wrong("confident_mistakes", "ascending order, the last k taken: the right examples, least confident first")
def _(proba, y_true, k):
    predicted = proba.argmax(axis=1)
    wrong_ = np.where(predicted != y_true)[0]
    order = np.argsort(proba[wrong_].max(axis=1))
    return wrong_[order[-k:]]


@wrong("confident_mistakes", "returned the probabilities of the mistakes, not their indices")
def _(proba, y_true, k):
    predicted = proba.argmax(axis=1)
    mistaken = predicted != y_true
    confidence = proba.max(axis=1)[mistaken]
    return np.sort(confidence)[::-1][:k]


@wrong("confident_mistakes", "the k most confident mistakes, but in index order")
def _(proba, y_true, k):
    predicted = proba.argmax(axis=1)
    confidence = np.where(predicted != y_true, proba.max(axis=1), -1.0)
    top = np.argsort(-confidence)[:k]
    return np.sort(top[confidence[top] >= 0])


@wrong("confident_mistakes", "ranked by the margin between the two largest probabilities")
def _(proba, y_true, k):
    predicted = proba.argmax(axis=1)
    wrong_ = np.flatnonzero(predicted != y_true)
    top2 = np.sort(proba[wrong_], axis=1)[:, -2:]
    margin = top2[:, 1] - top2[:, 0]
    return wrong_[np.argsort(-margin)][:k]


@wrong("confident_mistakes", "ranked by the loss -log p(true class), the largest first")
def _(proba, y_true, k):
    predicted = proba.argmax(axis=1)
    wrong_ = np.flatnonzero(predicted != y_true)
    loss = -np.log(proba[wrong_, y_true[wrong_]])
    return wrong_[np.argsort(-loss)][:k]


@wrong("confident_mistakes", "kept the right predictions (== instead of !=)")
def _(proba, y_true, k):
    predicted = proba.argmax(axis=1)
    keep = np.flatnonzero(predicted == y_true)
    return keep[np.argsort(-proba[keep, predicted[keep]])][:k]


@wrong("confident_mistakes", "took k + 1 examples (slice [:k + 1])")
def _(proba, y_true, k):
    predicted = proba.argmax(axis=1)
    wrong_ = np.flatnonzero(predicted != y_true)
    return wrong_[np.argsort(-proba[wrong_, predicted[wrong_]])][:k + 1]


@wrong("confident_mistakes", "returned the predicted classes of the confident mistakes")
def _(proba, y_true, k):
    predicted = proba.argmax(axis=1)
    wrong_ = np.flatnonzero(predicted != y_true)
    order = wrong_[np.argsort(-proba[wrong_, predicted[wrong_]])][:k]
    return predicted[order]


@right("confident_mistakes", "sort every example by its top probability, then keep the mistakes")
def _(proba, y_true, k):
    order = np.argsort(-proba.max(axis=1), kind="stable")
    return np.array([i for i in order if proba[i].argmax() != y_true[i]][:k], dtype=int)


@right("confident_mistakes", "descending order with [::-1] (no ties in the cases)")
def _(proba, y_true, k):
    predicted = np.argmax(proba, axis=1)
    wrong_ = np.nonzero(predicted != y_true)[0]
    return wrong_[np.argsort(proba[wrong_].max(axis=1))[::-1]][:k]


@right("confident_mistakes", "sorted() over (probability, index) pairs")
def _(proba, y_true, k):
    pairs = [(float(row.max()), i) for i, row in enumerate(proba) if row.argmax() != y_true[i]]
    return [i for _, i in sorted(pairs, key=lambda pair: -pair[0])[:k]]


# ---- bag_of_words(sentences, vocabulary) -> (n, V) float32


@wrong("bag_of_words", "float64 (np.zeros' default) where the exercise asks for float32")
def _(sentences, vocabulary):
    column = {token: j for j, token in enumerate(vocabulary)}
    X = np.zeros((len(sentences), len(vocabulary)))
    for i, s in enumerate(sentences):
        for token in tokenize(s):
            if token in column:
                X[i, column[token]] = 1
    return X


@wrong("bag_of_words", "a bool array (token in sentence), not float32")
def _(sentences, vocabulary):
    return np.array([[token in set(tokenize(s)) for token in vocabulary] for s in sentences])


@wrong("bag_of_words", "substring test on the lowercased sentence instead of its tokens")
def _(sentences, vocabulary):
    X = np.zeros((len(sentences), len(vocabulary)), dtype=np.float32)
    for i, s in enumerate(sentences):
        for j, token in enumerate(vocabulary):
            if token in s.lower():
                X[i, j] = 1
    return X


@wrong("bag_of_words", "own tokenizer, re.findall(r'\\w+') on the lowercased sentence (no Chinese unigrams or bigrams)")
def _(sentences, vocabulary):
    column = {token: j for j, token in enumerate(vocabulary)}
    X = np.zeros((len(sentences), len(vocabulary)), dtype=np.float32)
    for i, s in enumerate(sentences):
        for token in re.findall(r"\w+", s.lower()):
            if token in column:
                X[i, column[token]] = 1
    return X


@wrong("bag_of_words", "columns in sorted order of the vocabulary, not in its given order")
def _(sentences, vocabulary):
    vocab = sorted(vocabulary)
    X = np.zeros((len(sentences), len(vocab)), dtype=np.float32)
    for i, s in enumerate(sentences):
        tokens = set(tokenize(s))
        for j, token in enumerate(vocab):
            X[i, j] = token in tokens
    return X


@wrong("bag_of_words", "each row divided by the sentence's number of tokens (frequencies)")
def _(sentences, vocabulary):
    column = {token: j for j, token in enumerate(vocabulary)}
    X = np.zeros((len(sentences), len(vocabulary)), dtype=np.float32)
    for i, s in enumerate(sentences):
        tokens = tokenize(s)
        for token in tokens:
            if token in column:
                X[i, column[token]] += 1 / len(tokens)
    return X


@wrong("bag_of_words", "unknown tokens not skipped (KeyError)")
def _(sentences, vocabulary):
    column = {token: j for j, token in enumerate(vocabulary)}
    X = np.zeros((len(sentences), len(vocabulary)), dtype=np.float32)
    for i, s in enumerate(sentences):
        for token in tokenize(s):
            X[i, column[token]] = 1
    return X


@wrong("bag_of_words", "counts, in float64")
def _(sentences, vocabulary):
    X = np.zeros((len(sentences), len(vocabulary)))
    for i, s in enumerate(sentences):
        tokens = tokenize(s)
        for j, token in enumerate(vocabulary):
            X[i, j] = tokens.count(token)
    return X


@right("bag_of_words", "counts clipped to 1, then cast to float32")
def _(sentences, vocabulary):
    counts = np.zeros((len(sentences), len(vocabulary)))
    for i, s in enumerate(sentences):
        for token in tokenize(s):
            if token in vocabulary:
                counts[i, vocabulary.index(token)] += 1
    return (counts > 0).astype(np.float32)


@right("bag_of_words", "a nested list comprehension turned into a float32 array")
def _(sentences, vocabulary):
    token_sets = [set(tokenize(s)) for s in sentences]
    return np.array([[1.0 if token in tokens else 0.0 for token in vocabulary] for tokens in token_sets],
                    dtype=np.float32)


@right("bag_of_words", "np.isin per sentence")
def _(sentences, vocabulary):
    vocab = np.array(vocabulary)
    rows = [np.isin(vocab, tokenize(s)) for s in sentences]
    return np.stack(rows).astype(np.float32)


# ---- stft_magnitude(signal, window, hop) -> (frames, window // 2 + 1)


def _frames(signal, window, hop):
    return np.array([signal[start:start + window] for start in range(0, len(signal) - window + 1, hop)])


@wrong("stft_magnitude", "the power |X|² instead of the magnitude |X|")
def _(signal, window, hop):
    spectrum = np.fft.rfft(_frames(signal, window, hop) * np.hanning(window), axis=1)
    return np.abs(spectrum) ** 2


@wrong("stft_magnitude", "log(1 + magnitude), what course.audio.spectrogram returns")
def _(signal, window, hop):
    return np.log1p(np.abs(np.fft.rfft(_frames(signal, window, hop) * np.hanning(window), axis=1)))


@wrong("stft_magnitude", "(frequencies, frames): librosa's layout, transposed")
def _(signal, window, hop):
    return np.abs(np.fft.rfft(_frames(signal, window, hop) * np.hanning(window), axis=1)).T


@wrong("stft_magnitude", "np.hamming instead of np.hanning")
def _(signal, window, hop):
    return np.abs(np.fft.rfft(_frames(signal, window, hop) * np.hamming(window), axis=1))


@wrong("stft_magnitude", "the last partial frames zero-padded and kept")
def _(signal, window, hop):
    padded = np.concatenate([signal, np.zeros(window)])
    frames = np.array([padded[s:s + window] for s in range(0, len(signal), hop)])
    return np.abs(np.fft.rfft(frames * np.hanning(window), axis=1))


@wrong("stft_magnitude", "frame t starts at sample t, not t * hop")
def _(signal, window, hop):
    n = 1 + (len(signal) - window) // hop
    frames = np.array([signal[t:t + window] for t in range(n)])
    return np.abs(np.fft.rfft(frames * np.hanning(window), axis=1))


@wrong("stft_magnitude", "magnitude divided by the window length")
def _(signal, window, hop):
    return np.abs(np.fft.rfft(_frames(signal, window, hop) * np.hanning(window), axis=1)) / window


@wrong("stft_magnitude", "non-overlapping frames (hop ignored, frames of window samples end to end)")
def _(signal, window, hop):
    n = len(signal) // window
    frames = np.reshape(signal[:n * window], (n, window))
    return np.abs(np.fft.rfft(frames * np.hanning(window), axis=1))


@right("stft_magnitude", "sliding_window_view, every hop-th window")
def _(signal, window, hop):
    frames = np.lib.stride_tricks.sliding_window_view(np.asarray(signal), window)[::hop]
    return np.abs(np.fft.rfft(frames * np.hanning(window), axis=-1))


@right("stft_magnitude", "frame by frame, hypot of the real and imaginary parts")
def _(signal, window, hop):
    hann = np.hanning(window)
    rows = []
    start = 0
    while start + window <= len(signal):
        spectrum = np.fft.rfft(signal[start:start + window] * hann)
        rows.append(np.hypot(spectrum.real, spectrum.imag))
        start += hop
    return np.array(rows)


@right("stft_magnitude", "the full FFT, first window // 2 + 1 bins kept")
def _(signal, window, hop):
    frames = _frames(signal, window, hop) * np.hanning(window)
    return np.abs(np.fft.fft(frames, axis=1))[:, :window // 2 + 1]

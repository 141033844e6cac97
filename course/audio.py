"""Audio helpers for notebook 10: synthetic vowel-like sounds and a NumPy spectrogram.

A vowel's colour comes from its 共振峰 (formants): the resonances of the vocal tract that make some
harmonics of the voice louder than others. `vowel` builds a crude version: harmonics of a
fundamental frequency, each weighted by how close it is to the vowel's formants, plus noise.
numpy only.
"""
from __future__ import annotations

import numpy as np

from ._validate import CourseInputError, describe, positive_float, positive_int
from ._validate import seed as check_seed
from .i18n import _

# Typical first and second formants (Hz) of five vowels (adult voice; rounded textbook values).
FORMANTS = {"a": (800, 1200), "e": (500, 1900), "i": (300, 2300), "o": (500, 900), "u": (320, 800)}
VOWELS = tuple(FORMANTS)  # class k of vowel_dataset is VOWELS[k]
RATE = 8000


def vowel(name, duration=0.3, rate=RATE, pitch=None, noise=0.1, seed=0):
    """A vowel-like sound: (round(duration * rate),) float32 in about [-1, 1].

    name: one of FORMANTS ('a', 'e', 'i', 'o', 'u'); pitch: fundamental frequency in Hz (None draws one
    between 100 and 220 Hz with `seed`); noise: standard deviation of added white noise, relative to
    the signal's peak. The formants are jittered by up to ±8 % with `seed`, as voices differ.
    duration > 0 and rate >= 1000 must give at least 16 samples; pitch must be at most rate / 2 - 1
    (the highest frequency `rate` can hold); seed: an integer >= 0 or None. Raises CourseInputError otherwise.
    """
    if not isinstance(name, str) or name not in FORMANTS:
        raise CourseInputError(_("name: expected one of {names}, got {got}.")
                               .format(names=sorted(FORMANTS), got=describe(name)))
    duration = positive_float(duration, "duration")
    rate = positive_int(rate, "rate", minimum=1000)
    noise = positive_float(noise, "noise", allow_zero=True)
    if pitch is not None and positive_float(pitch, "pitch") > rate / 2 - 1:
        raise CourseInputError(_("pitch: expected a frequency of at most rate / 2 - 1 = {most:g} Hz, got {pitch}.")
                               .format(most=rate / 2 - 1, pitch=pitch))
    rng = np.random.default_rng(check_seed(seed))
    f0 = rng.uniform(100, 220) if pitch is None else positive_float(pitch, "pitch")
    formants = np.array(FORMANTS[name], dtype=float) * rng.uniform(0.92, 1.08, size=2)
    n = int(round(duration * rate))
    if n < 16:
        raise CourseInputError(_("duration * rate: expected at least 16 samples, got {n}.").format(n=n))
    t = np.arange(n) / rate
    harmonics = np.arange(1, int((rate / 2 - 1) // f0) + 1) * f0
    # each harmonic's amplitude: a sum of two resonance bumps (width 80-120 Hz) around the formants
    width = np.array([90.0, 120.0])
    amp = (1.0 / (1.0 + ((harmonics[:, None] - formants) / width) ** 2)).sum(axis=1) / np.sqrt(harmonics / f0)
    phases = rng.uniform(0, 2 * np.pi, size=harmonics.size)
    s = (amp[:, None] * np.sin(2 * np.pi * harmonics[:, None] * t + phases[:, None])).sum(axis=0)
    s *= np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.02)  # 20 ms fade in and out, no clicks
    s /= np.abs(s).max()
    s += noise * rng.standard_normal(n)
    return (s / max(1.0, np.abs(s).max())).astype(np.float32)


def spectrogram(signal, rate=RATE, window=256, hop=128):
    """频谱图 (spectrogram): log-magnitude short-time Fourier transform, (frames, window // 2 + 1) float32.

    The signal is cut into frames of `window` samples, one every `hop` samples; each frame is multiplied
    by a Hann window and its magnitude spectrum |FFT| is taken; the result is log(1 + magnitude).
    Row t is frame t; column k is frequency k * rate / window Hz.
    signal: 1-D real numbers, at least `window` samples; rate, hop: integers >= 1; window: integer >= 2.
    Raises CourseInputError otherwise.
    """
    x = np.asarray(signal)
    if x.ndim != 1 or x.dtype.kind not in "fiu" or not np.all(np.isfinite(x)):
        raise CourseInputError(_("signal: expected a 1-D array of finite numbers, got {got}.")
                               .format(got=describe(signal)))
    positive_int(rate, "rate")
    window = positive_int(window, "window", minimum=2)
    hop = positive_int(hop, "hop")
    if x.size < window:
        raise CourseInputError(_("signal: expected at least window={window} samples, got {size}.")
                               .format(window=window, size=x.size))
    n_frames = 1 + (x.size - window) // hop
    idx = np.arange(window)[None, :] + hop * np.arange(n_frames)[:, None]
    frames = x.astype(np.float64)[idx] * np.hanning(window)
    return np.log1p(np.abs(np.fft.rfft(frames, axis=1))).astype(np.float32)


def vowel_dataset(n_per_class=100, duration=0.3, rate=RATE, noise=0.1, seed=0):
    """n_per_class vowels of each of 'a e i o u', each with its own pitch, jitter and noise.

    Returns (signals: (n, samples) float32, y: (n,) int64 indices into VOWELS, shuffled with `seed`).
    Arguments as for vowel(); raises CourseInputError for bad ones.
    """
    n_per_class = positive_int(n_per_class, "n_per_class")
    rng = np.random.default_rng(check_seed(seed))
    seeds = rng.integers(0, 2**31, size=(len(VOWELS), n_per_class))
    signals = np.stack([vowel(v, duration, rate, noise=noise, seed=int(s))
                        for k, v in enumerate(VOWELS) for s in seeds[k]])
    y = np.repeat(np.arange(len(VOWELS)), n_per_class)
    order = rng.permutation(y.size)
    return signals[order], y[order]


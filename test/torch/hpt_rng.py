"""Philox4x32-10 and hpt-run's synthetic data, re-implemented in numpy.

An independent copy of runtime/host/Rng.cpp and runtime/data/SyntheticDataset.cpp
(docs/data.md), so that the PyTorch reference sees exactly the samples and the
dropout masks hpt-run uses. Everything is vectorised over the element index.

    uniform01(seed, stream, idx)   float32 array, (word >> 8) * 2^-24
    SyntheticData(tokens, features, features_first, unit_axis, split, seed)

`python3 hpt_rng.py` checks the Random123 known-answer vectors (the ones in
test/unittests/runtime/RngTest.cpp) and exits non-zero on a mismatch.
"""

import math
import sys

import numpy as np

_M0 = np.uint64(0xD2511F53)
_M1 = np.uint64(0xCD9E8D57)
_W0 = 0x9E3779B9
_W1 = 0xBB67AE85
_MASK32 = np.uint64(0xFFFFFFFF)
_SHIFT32 = np.uint64(32)


def philox4x32(key, counter_high, counter_low):
    """Philox4x32-10: key and counter_high are Python ints (64 bit),
    counter_low an int or an array of ints (uint64). Returns a (4, n) uint32
    array: the words {c0, c1, c2, c3} after ten rounds, with
    c0/c1 = low/high 32 bits of counter_low, c2/c3 = those of counter_high,
    k0/k1 = those of key (the mapping of Rng.cpp)."""
    lo = np.atleast_1d(np.asarray(counter_low, dtype=np.uint64))
    c0 = lo & _MASK32
    c1 = lo >> _SHIFT32
    c2 = np.full_like(c0, np.uint64(counter_high & 0xFFFFFFFF))
    c3 = np.full_like(c0, np.uint64((counter_high >> 32) & 0xFFFFFFFF))
    k0 = key & 0xFFFFFFFF
    k1 = (key >> 32) & 0xFFFFFFFF
    for _ in range(10):
        p0 = _M0 * c0  # < 2^64, exact in uint64
        p1 = _M1 * c2
        n0 = (p1 >> _SHIFT32) ^ c1 ^ np.uint64(k0)
        n1 = p1 & _MASK32
        n2 = (p0 >> _SHIFT32) ^ c3 ^ np.uint64(k1)
        n3 = p0 & _MASK32
        c0, c1, c2, c3 = n0, n1, n2, n3
        k0 = (k0 + _W0) & 0xFFFFFFFF
        k1 = (k1 + _W1) & 0xFFFFFFFF
    return np.stack([c0, c1, c2, c3]).astype(np.uint32)


def uniform01(seed, stream, index):
    """uniform01(seed, stream, i) of Rng.cpp for an array of indices i:
    word i % 4 of philox4x32(seed, stream, i // 4), as (word >> 8) * 2^-24."""
    index = np.atleast_1d(np.asarray(index, dtype=np.uint64))
    words = philox4x32(seed, stream, index // np.uint64(4))
    word = words[(index % np.uint64(4)).astype(np.int64), np.arange(index.size)]
    return ((word >> np.uint32(8)).astype(np.float32) * np.float32(2.0 ** -24)).astype(np.float32)


def uniform_range(seed, stream, count):
    """uniform01 for indices 0..count-1 (computing whole Philox blocks)."""
    blocks = (count + 3) // 4
    words = philox4x32(seed, stream, np.arange(blocks, dtype=np.uint64))
    flat = words.T.reshape(-1)[:count]  # element 4*b + w is word w of block b
    return ((flat >> np.uint32(8)).astype(np.float32) * np.float32(2.0 ** -24)).astype(np.float32)


def fill_uniform(count, low, high, seed, stream):
    """fillUniform of Rng.cpp: low + (high - low) * u, in float32."""
    low = np.float32(low)
    rng = np.float32(np.float32(high) - low)
    return (low + rng * uniform_range(seed, stream, count)).astype(np.float32)


def dropout_noise(count, p, seed, step):
    """The multiplier hpt's dropout kernel applies at training step `step`
    (0-based): 1/(1-p) where uniform01(seed, step, i) >= p, else 0 (float32)."""
    p32 = np.float32(p)
    if not p32 > 0:
        return np.ones(count, dtype=np.float32)
    if p32 >= 1:
        return np.zeros(count, dtype=np.float32)
    keep_scale = np.float32(1.0) / (np.float32(1.0) - p32)
    u = uniform_range(seed, step, count)
    return np.where(u >= p32, keep_scale, np.float32(0)).astype(np.float32)


_PARAM_TAG = 0x53594E50  # "SYNP"
_INPUT_TAG = 0x53594E49  # "SYNI"


class SyntheticData:
    """hpt::rt::SyntheticDataset: x ~ U(-1, 1) per sample stream, targets from
    the seeded generating model (docs/data.md, "Synthetic data")."""

    def __init__(self, tokens, features, features_first, unit_axis, split, seed):
        assert split in ("train", "test")
        self.T, self.F = tokens, features
        self.features_first, self.unit_axis = features_first, unit_axis
        self.split, self.seed = split, seed
        F, T = features, tokens
        u = uniform_range(seed, _PARAM_TAG << 32, 2 * F + T).astype(np.float64)
        sym = 2.0 * u - 1.0
        scale = math.sqrt(3.0 / F)
        self.a = 1.5 * scale * sym[:F]
        self.c = scale * sym[F:2 * F]
        self.b = 0.5 * sym[2 * F:]

    @classmethod
    def like(cls, input_shape, target_shape, split, seed):
        """hpt-run's syntheticLike(): shapes from the model's arguments."""
        assert len(input_shape) == 3 and 2 <= len(target_shape) <= 3
        tokens = target_shape[1]
        features_first = input_shape[1] != tokens
        features = input_shape[1] if features_first else input_shape[2]
        return cls(tokens, features, features_first, len(target_shape) == 3, split, seed)

    def sample(self, index):
        """(input, target) float32 arrays of sample `index`."""
        T, F = self.T, self.F
        stream = (_INPUT_TAG << 32) | ((self.split == "test") << 31) | index
        x = fill_uniform(T * F, -1.0, 1.0, self.seed, stream).reshape(T, F)
        xd = x.astype(np.float64)
        # Same order of double additions as the C++ loops: mixing runs over
        # t then f (a sequential cumulative sum), z over f for each t.
        mixing = np.cumsum((xd * self.c[None, :]).reshape(-1))[-1]
        mixing *= 0.5 / math.sqrt(T)
        z = self.b.copy()
        for f in range(F):
            z = z + self.a[f] * xd[:, f]
        target = (np.tanh(z) + mixing).astype(np.float32)
        inp = x.T.copy() if self.features_first else x
        inp = inp.reshape((1,) + inp.shape)
        target = target.reshape((1, T, 1) if self.unit_axis else (1, T))
        return inp, target


# Random123 known-answer vectors (counter, key, result), as in RngTest.cpp.
KATS = [
    ((0x00000000, 0x00000000, 0x00000000, 0x00000000), (0x00000000, 0x00000000),
     (0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8)),
    ((0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff), (0xffffffff, 0xffffffff),
     (0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd)),
    ((0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344), (0xa4093822, 0x299f31d0),
     (0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1)),
]


def self_test():
    """Known answers, uniform01 edge cases and consistency of the block path.
    Returns a list of failure messages (empty when all pass)."""
    failures = []
    for ctr, key, expected in KATS:
        got = philox4x32(key[1] << 32 | key[0], ctr[3] << 32 | ctr[2], ctr[1] << 32 | ctr[0])[:, 0]
        if tuple(int(w) for w in got) != expected:
            failures.append("philox KAT ctr=%s: got %s expected %s" % (
                [hex(c) for c in ctr], [hex(int(w)) for w in got], [hex(w) for w in expected]))
    if uniform01(0, 0, 0)[0] != np.float32(0x6627e8 / 16777216.0):
        failures.append("uniform01(0, 0, 0) != 0x6627e8 * 2^-24")
    if uniform01(0, 0, 3)[0] != np.float32(0x9b00db / 16777216.0):
        failures.append("uniform01(0, 0, 3) != 0x9b00db * 2^-24")
    seed = 0x0123456789abcdef
    for stream in (0, 7, 0xfedcba9876543210):
        idx = np.array([0, 1, 2, 3, 4, 5, 1001, (1 << 34) - 1, 1 << 34, (1 << 34) + 6,
                        (1 << 64) - 1], dtype=np.uint64)
        words = np.stack([philox4x32(seed, stream, int(i) // 4)[:, 0] for i in idx])
        expected = (words[np.arange(idx.size), (idx % np.uint64(4)).astype(np.int64)]
                    >> np.uint32(8)).astype(np.float32) * np.float32(2.0 ** -24)
        if not np.array_equal(uniform01(seed, stream, idx), expected):
            failures.append("uniform01 disagrees with philox4x32 words (stream %d)" % stream)
    if not np.array_equal(uniform_range(99, 12, 1000), uniform01(99, 12, np.arange(1000))):
        failures.append("uniform_range disagrees with uniform01")
    u = uniform_range(42, 3, 200000).astype(np.float64)
    if not (u.min() >= 0 and u.max() < 1 and abs(u.mean() - 0.5) < 5 * math.sqrt(1 / 12 / u.size)):
        failures.append("uniform01 moments are off")
    return failures


if __name__ == "__main__":
    problems = self_test()
    for p in problems:
        print("FAIL:", p)
    print("philox4x32-10 known answers: %s" % ("FAIL" if problems else "ok"))
    sys.exit(1 if problems else 0)

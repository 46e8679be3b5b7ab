"""Seeded latents: the exact Python twin of src/shared/rng.ts (docs/rng.md).

A sample is (model sha256, seed, psi); its z must be bit-identical in the app (TypeScript) and in
the model tools (Python), so this file repeats the same integer and IEEE-754 double operations in the
same order. Python floats are IEEE doubles and +, -, *, / and sqrt are correctly rounded, so only the
order of operations matters; math.log is avoided (libm-dependent) in favour of `exact_ln`.
Checked against docs/rng-vectors.json by tools/tests/test_dgs_rng.py.
"""
from __future__ import annotations

import math

import numpy as np

_MASK32 = 0xFFFFFFFF
_TWO_POW_26 = 67108864.0
_TWO_POW_53 = 9007199254740992.0
_LN2 = 0.6931471805599453


def _splitmix32(state: list[int]) -> int:
    state[0] = (state[0] + 0x9E3779B9) & _MASK32
    z = state[0]
    z = ((z ^ (z >> 16)) * 0x85EBCA6B) & _MASK32
    z = ((z ^ (z >> 13)) * 0xC2B2AE35) & _MASK32
    return (z ^ (z >> 16)) & _MASK32


def _rotl(x: int, k: int) -> int:
    return ((x << k) | (x >> (32 - k))) & _MASK32


def exact_ln(x: float) -> float:
    """ln(x) for finite x > 0 from basic double ops only, the same series as rng.ts `exactLn`."""
    if not (x > 0) or not math.isfinite(x):
        raise ValueError(f"exact_ln needs a finite positive number, got {x}")
    m = float(x)
    e = 0
    while m >= 2:
        m /= 2
        e += 1
    while m < 1:
        m *= 2
        e -= 1
    t = (m - 1) / (m + 1)
    t2 = t * t
    term = t
    total = 0.0
    for k in range(30):
        total += term / (2 * k + 1)
        term *= t2
    return 2 * total + e * _LN2


class SeededRng:
    """xoshiro128** seeded by four splitmix32 outputs; polar-method normals (docs/rng.md)."""

    def __init__(self, seed: int):
        if not isinstance(seed, (int, np.integer)) or seed < 0 or seed > _MASK32:
            raise ValueError(f"A seed is a whole number from 0 to 4294967295; got {seed}.")
        st = [int(seed)]
        self.s = [_splitmix32(st) for _ in range(4)]
        self._spare: float | None = None

    def next_uint32(self) -> int:
        s = self.s
        result = (_rotl((s[1] * 5) & _MASK32, 7) * 9) & _MASK32
        t = (s[1] << 9) & _MASK32
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = _rotl(s[3], 11)
        return result

    def next_double(self) -> float:
        a = self.next_uint32() >> 5
        b = self.next_uint32() >> 6
        return (a * _TWO_POW_26 + b) / _TWO_POW_53

    def next_normal(self) -> float:
        if self._spare is not None:
            v = self._spare
            self._spare = None
            return v
        while True:
            u = 2 * self.next_double() - 1
            v = 2 * self.next_double() - 1
            q = u * u + v * v
            if q >= 1 or q == 0:
                continue
            f = math.sqrt((-2 * exact_ln(q)) / q)
            self._spare = v * f
            return u * f


def latent_from_seed(seed: int, dim: int) -> np.ndarray:
    """The latent z of a sample: `dim` standard normals from a fresh generator seeded with `seed`, float32."""
    rng = SeededRng(seed)
    # np.float32(double) rounds to nearest, like Math.fround.
    return np.array([rng.next_normal() for _ in range(dim)], dtype=np.float64).astype(np.float32)

"""Candidate store: one value per distinct output fingerprint, per shape.

Fingerprints bucket values by their rounded outputs over all tests; equality within a
bucket is confirmed with a tolerance (never by the hash alone).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grammar.shapes import Shape
from synth.program import Program

RTOL = 1e-9
ATOL = 1e-12
_MANTISSA_BITS = 24  # ~7 significant digits survive reassociation noise


@dataclass
class Value:
    id: int
    program: Program
    data: np.ndarray  # (n_tests, *shape)

    @property
    def shape(self) -> Shape:
        return self.program.shape

    @property
    def size(self) -> int:
        return self.program.size


def fingerprint(shape: Shape, data: np.ndarray) -> tuple[Shape, bytes, bytes]:
    flushed = np.where(np.abs(data) < 1e-9, 0.0, data)
    mantissa, exponent = np.frexp(flushed)
    quantized = np.round(mantissa * (1 << _MANTISSA_BITS)).astype(np.int64)
    return shape, quantized.tobytes(), exponent.astype(np.int16).tobytes()


def close(a: np.ndarray, b: np.ndarray) -> bool:
    scale = max(1.0, float(np.max(np.abs(b))) if b.size else 1.0)
    return bool(np.allclose(a, b, rtol=RTOL * 1e3, atol=ATOL * scale * 1e3))


class ValueStore:
    def __init__(self) -> None:
        self.values: list[Value] = []
        self.by_size: dict[int, list[Value]] = {}
        self._index: dict[tuple[Shape, bytes, bytes], list[Value]] = {}

    def __len__(self) -> int:
        return len(self.values)

    def lookup(self, shape: Shape, data: np.ndarray) -> Value | None:
        for value in self._index.get(fingerprint(shape, data), ()):
            if close(value.data, data):
                return value
        return None

    def add(self, program: Program, data: np.ndarray) -> Value | None:
        """Store a new value; None when an equal value is already stored (a duplicate).
        A duplicate of the same size but lower cost replaces the stored program (levels
        grow by size, so a later duplicate is never smaller)."""
        known = self.lookup(program.shape, data)
        if known is not None:
            if program.size == known.size and program.cost < known.program.cost:
                known.program = program
            return None
        value = Value(len(self.values), program, data)
        self.values.append(value)
        self.by_size.setdefault(program.size, []).append(value)
        self._index.setdefault(fingerprint(program.shape, data), []).append(value)
        return value

    def up_to(self, size: int) -> list[Value]:
        return [v for s in range(size + 1) for v in self.by_size.get(s, ())]

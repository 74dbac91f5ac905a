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


_PROBE = 4  # goal-index keys use this many elements per test
_PROBE_BITS = 20


def probe_keys(rows: np.ndarray) -> list[bytes]:
    """Bucket keys for a stack (k, n_tests, n) of goal data: a few quantized elements
    per test. Cheap, so many residuals are looked up at once; buckets are confirmed by
    `close` on all elements."""
    sample = rows[:, :, :_PROBE].reshape(len(rows), -1)
    flushed = np.where(np.isfinite(sample) & (np.abs(sample) >= 1e-9), sample, 0.0)
    mantissa, exponent = np.frexp(flushed)
    quantized = np.round(mantissa * (1 << _PROBE_BITS)).astype(np.int64)
    keys = np.concatenate([quantized, exponent.astype(np.int64)], axis=1)
    return [row.tobytes() for row in keys]


def close(a: np.ndarray, b: np.ndarray) -> bool:
    scale = max(1.0, float(np.max(np.abs(b))) if b.size else 1.0)
    return bool(np.allclose(a, b, rtol=RTOL * 1e3, atol=ATOL * scale * 1e3))


class ValueStore:
    """`goal_shape`/`goal_select`: values of the goal's shape are also indexed by their
    selected elements, so goal-directed lookups can ignore elements nobody writes."""

    def __init__(self, goal_shape: Shape = (), goal_select: np.ndarray | None = None) -> None:
        self.values: list[Value] = []
        self.by_size: dict[int, list[Value]] = {}
        self._by_size_shape: dict[int, dict[Shape, list[Value]]] = {}
        self._index: dict[tuple[Shape, bytes, bytes], list[Value]] = {}
        self.goal_shape = goal_shape
        self.goal_select = goal_select
        self._goal_index: dict[bytes, list[tuple[Value, np.ndarray]]] = {}

    def project(self, data: np.ndarray) -> np.ndarray:
        """The goal-relevant elements of (n_tests, *goal_shape) data, as (n_tests, n)."""
        flat = data if self.goal_select is None else data[:, self.goal_select]
        return flat.reshape(len(data), -1)

    def lookup_goal(self, rows: np.ndarray, usable: np.ndarray) -> list[Value | None]:
        """For each row of a (k, n_tests, n) stack of projected goal data (where `usable`),
        a goal-shaped value equal to it on the selected elements."""
        found: list[Value | None] = []
        for row, key, ok in zip(rows, probe_keys(rows), usable):
            match = None
            if ok:
                for value, projected in self._goal_index.get(key, ()):
                    if close(projected, row):
                        match = value
                        break
            found.append(match)
        return found

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
        self._by_size_shape.setdefault(program.size, {}).setdefault(program.shape, []) \
            .append(value)
        self._index.setdefault(fingerprint(program.shape, data), []).append(value)
        if program.shape == self.goal_shape:
            projected = self.project(data)
            key = probe_keys(projected[None])[0]
            self._goal_index.setdefault(key, []).append((value, projected))
        return value

    def by_shape(self, size: int) -> dict[Shape, list[Value]]:
        return self._by_size_shape.get(size, {})

"""Recurrence depth of a loop nest: how long the longest chain of "an iteration reads an
element an earlier iteration of the same nest wrote, at another place" gets.

An accumulation (C[i][j] += ...) reads back the element it writes: depth stays 1. A
recurrence (A[i][j] = f(A[i][j-1]), a tridiagonal sweep) reads its neighbour's new value:
the chain grows with the extent. Whole-array ops cannot express such a chain, so a deep
one is a reason to leave the nest as it is, without searching.
"""

from __future__ import annotations

import numpy as np

from checkers.interpreter import Interpreter, Unsupported, _compare_numbers
from core.kernel_ir import Kernel, Op

# A value is the set of elements written in the nest it was computed from, each with the
# chain depth of the value stored there: {(memref id, index): depth}.
Sources = dict[tuple[int, tuple[int, ...]], int]


def _merge(*values: object) -> Sources:
    merged: Sources = {}
    for value in values:
        if isinstance(value, dict):
            for key, depth in value.items():
                merged[key] = max(depth, merged.get(key, 0))
    return merged


class _SourceAlgebra:
    def binary(self, name: str, lhs: object, rhs: object) -> object:
        return _merge(lhs, rhs)

    def unary(self, name: str, value: object) -> object:
        return _merge(value)

    def compare(self, pred: str, lhs: object, rhs: object) -> object:
        if not isinstance(lhs, dict) and not isinstance(rhs, dict):
            return _compare_numbers(pred, lhs, rhs)
        return _merge(lhs, rhs)

    def select(self, cond: object, lhs: object, rhs: object) -> object:
        return _merge(cond, lhs, rhs)

    def constant(self, value: float, elem: str) -> object:
        return {}

    def is_concrete_true(self, cond: object) -> bool | None:
        return cond if isinstance(cond, bool) else None


class _Tracer(Interpreter):
    """Memory holds the chain depth of the value last stored at each element (0: not
    written in this nest)."""

    def __init__(self) -> None:
        super().__init__(_SourceAlgebra(), max_steps=500_000)
        self.depth = 0

    def _load(self, memory: np.ndarray, index: tuple[int, ...]) -> Sources:
        depth = memory[index]
        if depth is None:
            raise Unsupported("read of an uninitialised element")
        return {(id(memory), index): depth} if depth else {}

    def _store(self, memory: np.ndarray, index: tuple[int, ...], value: object) -> None:
        here = (id(memory), index)
        depth = max([1] + [d + (key != here) for key, d in _merge(value).items()])
        memory[index] = depth
        self.depth = max(self.depth, depth)

    def _op_affine_load(self, op: Op, env: dict[int, object]) -> None:
        env[op.results[0]] = self._load(env[op.operands[0]],  # type: ignore[arg-type]
                                        self._indices(op, env, 1))

    def _op_affine_store(self, op: Op, env: dict[int, object]) -> None:
        self._store(env[op.operands[1]], self._indices(op, env, 2),  # type: ignore[arg-type]
                    env[op.operands[0]])

    def _op_memref_load(self, op: Op, env: dict[int, object]) -> None:
        index = tuple(env[v] for v in op.operands[1:])
        env[op.results[0]] = self._load(env[op.operands[0]], index)  # type: ignore[arg-type]

    def _op_memref_store(self, op: Op, env: dict[int, object]) -> None:
        index = tuple(env[v] for v in op.operands[2:])
        self._store(env[op.operands[1]], index, env[op.operands[0]])  # type: ignore[arg-type]


def recurrence_depth(kernel: Kernel, ops: list[Op], prelude: list[Op]) -> int | None:
    """Longest write-read chain across elements when `ops` run (after the value-defining
    `prelude`); None when the nest cannot be traced this way (e.g. indirect indexing)."""
    env: dict[int, object] = {}
    if any(t.is_dynamic for t in kernel.arg_types):
        return None
    for vid, vtype in zip(kernel.arg_ids, kernel.arg_types):
        if vtype.is_memref:
            assert vtype.shape is not None
            env[vid] = np.zeros(vtype.shape, dtype=object)
        else:
            env[vid] = {} if vtype.elem.startswith("f") else 0
    tracer = _Tracer()
    try:
        for op in [*prelude, *ops]:
            tracer.run_op(op, env)
    except (Unsupported, TypeError, ValueError, IndexError, KeyError):
        return None
    return tracer.depth

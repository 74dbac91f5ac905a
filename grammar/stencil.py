"""Shift: a value moved by a constant offset per axis, zeros where it moves in from outside.

A stencil body reads its input at fixed neighbour offsets (A[i][j-1], A[i+1][j], ...); as a
whole-array program each neighbour read is shift(A, offsets).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import numpy as np

from grammar.builder import Builder
from grammar.ops import AttrContext, Attrs, TargetOp, TermAlgebra, as_array, numel
from grammar.shapes import ANY, Shape, TypeRule

MAX_OFFSET = 1  # neighbours: every offset in {-1, 0, 1} per axis


def shift_offsets(rank: int) -> list[tuple[int, ...]]:
    """Every non-zero neighbour offset of a rank-`rank` value."""
    span = range(-MAX_OFFSET, MAX_OFFSET + 1)
    return [o for o in itertools.product(span, repeat=rank) if any(o)]


def _shift_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    shape = shapes[0]
    if not shape or min(shape) <= 2 * MAX_OFFSET:
        return
    for offsets in shift_offsets(len(shape)):
        yield (("offsets", offsets),)


def _ranges(offset: int, extent: int) -> tuple[slice, slice]:
    """Destination and source slices of one axis: out[i] = x[i + offset]."""
    if offset >= 0:
        return slice(0, extent - offset), slice(offset, extent)
    return slice(-offset, extent), slice(0, extent + offset)


def _shift_sem(args: list[np.ndarray], attrs: dict[str, object],
        alg: TermAlgebra | None = None) -> np.ndarray:
    x = args[0]
    offsets: tuple[int, ...] = attrs["offsets"]  # type: ignore[assignment]
    out = np.zeros(x.shape, dtype=x.dtype)
    if x.dtype == object:
        out[...] = 0.0
    pairs = [_ranges(o, n) for o, n in zip(offsets, x.shape)]
    out[tuple(d for d, _ in pairs)] = x[tuple(s for _, s in pairs)]
    return as_array(out)


def _shift_linalg(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
                  out: Shape) -> str:
    """A generic reading the source at index + offset (clamped, so the read stays in
    bounds) and choosing zero where that index is outside."""
    b.require_static(out, "a shifted read")
    offsets: tuple[int, ...] = attrs["offsets"]  # type: ignore[assignment]
    source = args[0]

    def body(block: list[str]) -> tuple[list[str], str]:
        lines, where, conds = [], [], []
        zero_i, zero_f = b.fresh(), b.fresh()
        lines += [f"{zero_i} = arith.constant 0 : index",
                  f"{zero_f} = arith.constant 0.0 : {b.elem}"]
        for axis, (offset, extent) in enumerate(zip(offsets, out)):
            idx = b.fresh()
            lines.append(f"{idx} = linalg.index {axis} : index")
            if not offset:
                where.append(idx)
                continue
            delta, moved, last, ok_lo, ok_hi, low, clamped = (b.fresh() for _ in range(7))
            lines += [f"{delta} = arith.constant {offset} : index",
                      f"{moved} = arith.addi {idx}, {delta} : index",
                      f"{last} = arith.constant {extent - 1} : index",
                      f"{ok_lo} = arith.cmpi sge, {moved}, {zero_i} : index",
                      f"{ok_hi} = arith.cmpi sle, {moved}, {last} : index",
                      f"{low} = arith.maxsi {moved}, {zero_i} : index",
                      f"{clamped} = arith.minsi {low}, {last} : index"]
            conds += [ok_lo, ok_hi]
            where.append(clamped)
        value, ok = b.fresh(), conds[0]
        lines.append(f"{value} = tensor.extract {source}[{', '.join(where)}] : "
                     f"{b.ttype(out)}")
        for cond in conds[1:]:
            joined = b.fresh()
            lines.append(f"{joined} = arith.andi {ok}, {cond} : i1")
            ok = joined
        chosen = b.fresh()
        lines.append(f"{chosen} = arith.select {ok}, {value}, {zero_f} : {b.elem}")
        return lines, chosen

    return b.generic([(source, out, "")], out, body)


def _shift_hlo(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
               out: Shape) -> str:
    """slice the part that stays, then pad it back to the shape with zeros."""
    b.require_static(out, "a shifted read")
    offsets: tuple[int, ...] = attrs["offsets"]  # type: ignore[assignment]
    pairs = [_ranges(o, n) for o, n in zip(offsets, out)]
    start = [s.start for _, s in pairs]
    limit = [s.stop for _, s in pairs]
    kept = tuple(hi - lo for lo, hi in zip(start, limit))
    low = [max(0, -o) for o in offsets]
    high = [max(0, o) for o in offsets]

    def arr(values: list[int]) -> str:
        return "array<i64: " + ", ".join(map(str, values)) + ">"

    sliced, zero, name = b.fresh(), b.fresh(), b.fresh()
    b.emit(f'{sliced} = "stablehlo.slice"({args[0]}) {{start_indices = {arr(start)}, '
           f"limit_indices = {arr(limit)}, strides = {arr([1] * len(out))}}} : "
           f"({b.ttype(out)}) -> {b.ttype(kept)}")
    b.emit(f"{zero} = stablehlo.constant dense<0.0> : {b.ttype(())}")
    b.emit(f"{name} = stablehlo.pad {sliced}, {zero}, low = {low}, high = {high}, "
           f"interior = {[0] * len(out)} : ({b.ttype(kept)}, {b.ttype(())}) -> "
           f"{b.ttype(out)}")
    return name


SHIFT = TargetOp(
    name="shift", dialects=("linalg", "stablehlo"), arity=1, rules=(TypeRule((ANY,), ANY),),
    attributes=_shift_attrs, semantics=_shift_sem,
    emitters={"linalg": _shift_linalg, "stablehlo": _shift_hlo},
    requires=frozenset({"stencil"}), cost=lambda shapes, attrs, out: numel(out),
    summary="out[i] = x[i + offset] per axis, zero outside (a stencil's neighbour read)")

STENCIL_OPS: tuple[TargetOp, ...] = (SHIFT,)

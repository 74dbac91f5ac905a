"""Pools as single records: `pool_max` / `pool_add` / `pool_min(x)` fold the windows of some
axes, as the `window` layout lays them out (grammar/window.py), with the fold of the
matching reduce record: the very terms `reduce_max(window(x))` builds, as one op. Emitted as
linalg's pooling_* named ops where the layout fits (unit axes for the batch and channel they
lack), else a linalg.generic, and as stablehlo.reduce_window.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from grammar.builder import Builder, float_literal, is_integer
from grammar.conv import dense, drop_unit_axis, unit_axis
from grammar.nonlinear import REDUCE_MAX, REDUCE_MIN
from grammar.ops import REDUCE_ADD, AttrContext, Attrs, TargetOp, TermAlgebra, numel
from grammar.shapes import Shape
from grammar.window import window_choices, window_rescale, window_sem, window_shape

# --- shapes and attributes --------------------------------------------------------------------------------

def _pool_shape(shapes: tuple[Shape, ...], attrs: dict[str, object]) -> Shape | None:
    shape = window_shape(shapes, attrs)
    return None if shape is None else shape[:-1]


def _pool_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    """Windows (at least two elements) whose folded result is a shape the problem uses."""
    for attrs, out in window_choices(shapes, ctx):
        if out[:-1] in ctx.shapes and out[-1] > 1:
            yield attrs


def _identity(kind: str, elem: str) -> float:
    if kind == "add":
        return 0.0
    if is_integer(elem):
        bits = int(elem[1:])
        return float(-(2 ** (bits - 1)) if kind == "max" else 2 ** (bits - 1) - 1)
    return -math.inf if kind == "max" else math.inf


POOL_ARITH = {"max": ("maximumf", "maximum"), "add": ("addf", "add"), "min": ("minimumf", "minimum")}
# linalg's pooling ops: (kind, layout) -> name (n batch, c channel, the rest pooled axes).
NAMED_POOLS = {(kind, layout): f"pooling_{layout}_{'sum' if kind == 'add' else kind}"
               for kind in ("max", "add", "min")
               for layout in ("ncw", "nwc", "nchw", "nhwc", "ndhwc")}
del NAMED_POOLS[("min", "nchw")], NAMED_POOLS[("min", "ncw")]


def _pool_layout(rank: int, dims: tuple[int, ...]) -> tuple[str, list[int]] | None:
    """A named pooling layout for pooled axes `dims` of a rank-`rank` input: the layout
    name and where unit axes go (positions in the widened input), or None."""
    if list(dims) != list(range(dims[0], dims[0] + len(dims))):
        return None
    names = {1: "w", 2: "hw", 3: "dhw"}[len(dims)]
    others = rank - len(dims)
    before = dims[0]
    after = others - before
    if others == 0:
        return "n" + names + "c", [0, rank + 1]
    if others == 1:
        return ("nc" + names, [0]) if before == 1 else ("n" + names + "c", [0])
    if others == 2 and before == 2:
        return "nc" + names, []
    if others == 2 and before == 1 and after == 1:
        return "n" + names + "c", []
    return None


def _pool(kind: str, fold: TargetOp) -> TargetOp:
    arith, hlo = POOL_ARITH[kind]

    def semantics(args: list[np.ndarray], attrs: dict[str, object],
        alg: TermAlgebra | None = None) -> np.ndarray:
        windows = window_sem(args, attrs)
        return fold.semantics([windows], {"axis": windows.ndim - 1}, alg)

    def linalg(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
               out: Shape) -> str:
        b.require_static(out, "a pool")
        dims: tuple[int, ...] = attrs["dims"]  # type: ignore[assignment]
        sizes: tuple[int, ...] = attrs["sizes"]  # type: ignore[assignment]
        strides: tuple[int, ...] = attrs["strides"]  # type: ignore[assignment]
        layout = _pool_layout(len(shapes[0]), dims)
        window = b.empty(tuple(sizes))
        init_value = b.scalar_constant(_identity(kind, b.elem))
        name_of = NAMED_POOLS.get((kind, layout[0])) if layout else None
        if name_of is None:
            return _pool_generic(b, args[0], shapes[0], window, init_value, attrs, out)
        x, xs, res = args[0], shapes[0], out
        for at in layout[1]:  # type: ignore[index]
            x, xs = unit_axis(b, x, xs, at)
            res = (*res[:at], 1, *res[at:])
        init = b.fill(init_value, res)
        result = b.fresh()
        t = b.ttype(res)
        b.emit(f"{result} = linalg.{name_of} {{dilations = {dense([1] * len(dims))}, "
               f"strides = {dense(strides)}}} ins({x}, {window} : {b.ttype(xs)}, "
               f"{b.ttype(tuple(sizes))}) outs({init} : {t}) -> {t}")
        for at in reversed(layout[1]):  # type: ignore[index]
            result = drop_unit_axis(b, result, res, at)
            res = tuple(d for i, d in enumerate(res) if i != at)
        return result

    def _pool_generic(b: Builder, x: str, xs: Shape, window: str, init_value: str,
                      attrs: dict[str, object], out: Shape) -> str:
        dims: tuple[int, ...] = attrs["dims"]  # type: ignore[assignment]
        strides = dict(zip(dims, attrs["strides"]))  # type: ignore[call-overload]
        rank, count = len(xs), len(dims)
        all_dims = ", ".join(f"d{k}" for k in range(rank + count))
        x_exprs = []
        for axis in range(rank):
            if axis in strides:
                k = f"d{rank + dims.index(axis)}"
                scaled = f"d{axis}" if strides[axis] == 1 else f"d{axis} * {strides[axis]}"
                x_exprs.append(f"{scaled} + {k}")
            else:
                x_exprs.append(f"d{axis}")
        maps = [f"affine_map<({all_dims}) -> ({', '.join(x_exprs)})>",
                f"affine_map<({all_dims}) -> ({', '.join(f'd{rank + k}' for k in range(count))})>",
                f"affine_map<({all_dims}) -> ({', '.join(f'd{k}' for k in range(rank))})>"]
        iters = ", ".join(['"parallel"'] * rank + ['"reduction"'] * count)
        init = b.fill(init_value, out)
        name, a, unused, acc, total = (b.fresh() for _ in range(5))
        t = b.ttype(out)
        sizes: tuple[int, ...] = attrs["sizes"]  # type: ignore[assignment]
        b.emit(f"{name} = linalg.generic {{indexing_maps = [{', '.join(maps)}], iterator_types "
               f"= [{iters}]}} ins({x}, {window} : {b.ttype(xs)}, {b.ttype(tuple(sizes))}) "
               f"outs({init} : {t}) {{\n"
               f"    ^bb0({a}: {b.elem}, {unused}: {b.elem}, {acc}: {b.elem}):\n"
               f"      {total} = arith.{b.arith(arith)} {acc}, {a} : {b.elem}\n"
               f"      linalg.yield {total} : {b.elem}\n    }} -> {t}")
        return name

    def stablehlo(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
                  out: Shape) -> str:
        b.require_static(out, "a pool")
        rank = len(shapes[0])
        window, strides = [1] * rank, [1] * rank
        for d, k, s in zip(attrs["dims"], attrs["sizes"], attrs["strides"]):  # type: ignore
            window[d], strides[d] = k, s
        init = b.fresh()
        b.emit(f"{init} = stablehlo.constant dense<{float_literal(_identity(kind, b.elem), b.elem)}> "
               f": {b.ttype(())}")
        name, lhs, rhs, combined = (b.fresh() for _ in range(4))
        scalar = b.ttype(())
        b.emit(f'{name} = "stablehlo.reduce_window"({args[0]}, {init}) ({{\n'
               f"    ^bb0({lhs}: {scalar}, {rhs}: {scalar}):\n"
               f"      {combined} = stablehlo.{hlo} {lhs}, {rhs} : {scalar}\n"
               f"      stablehlo.return {combined} : {scalar}\n"
               f"    }}) {{window_dimensions = array<i64: {', '.join(map(str, window))}>, "
               f"window_strides = array<i64: {', '.join(map(str, strides))}>}} : "
               f"({b.ttype(shapes[0])}, {scalar}) -> {b.ttype(out)}")
        return name

    return TargetOp(
        name=f"pool_{kind}", dialects=("linalg", "stablehlo"), arity=1, rules=(),
        attributes=_pool_attrs, semantics=semantics, shape_fn=_pool_shape,  # type: ignore
        emitters={"linalg": linalg, "stablehlo": stablehlo},
        requires=frozenset({"window", kind}), rescale=window_rescale, reduction=True,
        cost=lambda shapes, attrs, out: numel(out) * math.prod(attrs["sizes"]),  # type: ignore
        summary=f"{kind} over sliding windows of some axes (sizes, strides)")


POOL_MAX = _pool("max", REDUCE_MAX)
POOL_ADD = _pool("add", REDUCE_ADD)
POOL_MIN = _pool("min", REDUCE_MIN)

POOL_OPS: tuple[TargetOp, ...] = (POOL_MAX, POOL_ADD, POOL_MIN)

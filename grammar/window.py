"""Layouts for sliding windows: the windows of an input as one more axis, and a collapse of
trailing axes into one.

`window(x, dims, sizes, strides)` has out[o..., w] = x[..., strides[d] * o[d] + w[d], ...]
for the windowed dimensions d, the window offsets w flattened row-major into the last axis:
a 1-D FIR's x[i + k] is window(x)[i, k]; a 2x2 stride-2 pool's in[2i + p][2j + q] is
window(in)[i, j, 2p + q]. Reduced over that axis, a product with the kernel is a
convolution, a max is a max pool. Both are layouts (no arithmetic): the
trace sketch finds them like a transpose, and the proof sees the same input elements.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable

import numpy as np

from grammar.builder import Builder
from grammar.ops import AttrContext, Attrs, TargetOp, TermAlgebra
from grammar.shapes import Shape

MAX_WINDOW_DIMS = 3
STRIDES = (1, 2, 3, 4)


def window_shape(shapes: tuple[Shape, ...], attrs: dict[str, object]) -> Shape | None:
    shape = list(shapes[0])
    dims, sizes, strides = attrs["dims"], attrs["sizes"], attrs["strides"]
    for d, k, s in zip(dims, sizes, strides):  # type: ignore[call-overload]
        if d >= len(shape) or k > shape[d] or k < 1:
            return None
        shape[d] = (shape[d] - k) // s + 1
    return (*shape, math.prod(sizes))  # type: ignore[call-overload]


def window_choices(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[tuple[Attrs, Shape]]:
    """Every window (axes, sizes from the problem's extents and shapes, strides) of the
    operand, with its result shape."""
    (shape,) = shapes
    if not shape:
        return
    targets = {d for s in ctx.shapes for d in s}
    # Sizes: the problem's extents, and those that give an axis of n an output extent the
    # problem has (n - stride * (out - 1)), e.g. blocks of 4 summed over x[4i + k].
    fitted = {n - stride * (out - 1) for n in shape for out in targets if 1 < out < n
              for stride in STRIDES}
    sizes_from = sorted({e for e in ctx.extents if e > 1} | {2} |
                        {d for d in targets if 1 < d <= max(shape)} |
                        {k for k in fitted if 1 < k <= max(shape)})
    for rank in range(1, min(MAX_WINDOW_DIMS, len(shape)) + 1):
        for dims in itertools.combinations(range(len(shape)), rank):
            for sizes in itertools.product(sizes_from, repeat=rank):
                for strides in itertools.product(STRIDES, repeat=rank):
                    attrs = (("dims", dims), ("sizes", sizes), ("strides", strides))
                    out = window_shape(shapes, dict(attrs))
                    if out is not None:
                        yield attrs, out


def _window_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    """Windows whose result is a shape the problem uses."""
    for attrs, out in window_choices(shapes, ctx):
        if out in ctx.shapes:
            yield attrs


def window_sem(args: list[np.ndarray], attrs: dict[str, object],
        alg: TermAlgebra | None = None) -> np.ndarray:
    x = np.asarray(args[0])
    dims: tuple[int, ...] = attrs["dims"]  # type: ignore[assignment]
    sizes: tuple[int, ...] = attrs["sizes"]  # type: ignore[assignment]
    strides: tuple[int, ...] = attrs["strides"]  # type: ignore[assignment]
    view = np.lib.stride_tricks.sliding_window_view(x, sizes, axis=dims)
    picks = [slice(None)] * x.ndim
    for d, s in zip(dims, strides):
        picks[d] = slice(None, None, s)
    view = view[tuple(picks)]
    return np.ascontiguousarray(view).reshape(*view.shape[:x.ndim], math.prod(sizes))


def _offsets(sizes: tuple[int, ...]) -> list[tuple[int, ...]]:
    return list(itertools.product(*[range(k) for k in sizes]))


def _window_linalg(b: Builder, args: list[str], shapes: list[Shape],
                   attrs: dict[str, object], out: Shape) -> str:
    """A linalg.generic reading x through an affine map with the flattened window index."""
    b.require_static(out, "a window")
    dims: tuple[int, ...] = attrs["dims"]  # type: ignore[assignment]
    sizes: tuple[int, ...] = attrs["sizes"]  # type: ignore[assignment]
    strides: tuple[int, ...] = attrs["strides"]  # type: ignore[assignment]
    w = f"d{len(out) - 1}"
    exprs = []
    for axis in range(len(shapes[0])):
        if axis not in dims:
            exprs.append(f"d{axis}")
            continue
        k = dims.index(axis)
        inner = math.prod(sizes[k + 1:])
        offset = w if inner == 1 else f"({w} floordiv {inner})"
        offset = offset if k == 0 else f"({offset} mod {sizes[k]})"
        exprs.append(f"d{axis} * {strides[k]} + {offset}" if strides[k] != 1 else
                     f"d{axis} + {offset}")
    ins = ", ".join(f"d{k}" for k in range(len(out)))
    amap = f"affine_map<({ins}) -> ({', '.join(exprs)})>"
    return b.generic([(args[0], shapes[0], amap)], out, lambda block: ([], block[0]))


def _window_hlo(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
                out: Shape) -> str:
    """One strided slice per window offset, each given a unit last axis, concatenated."""
    b.require_static(out, "a window")
    dims: tuple[int, ...] = attrs["dims"]  # type: ignore[assignment]
    sizes: tuple[int, ...] = attrs["sizes"]  # type: ignore[assignment]
    strides: tuple[int, ...] = attrs["strides"]  # type: ignore[assignment]
    rank = len(shapes[0])
    sliced_shape = out[:-1]

    def arr(values: list[int]) -> str:
        return "array<i64: " + ", ".join(map(str, values)) + ">"

    parts = []
    for offset in _offsets(sizes):
        start, limit, step = [0] * rank, list(shapes[0]), [1] * rank
        for d, o, s in zip(dims, offset, strides):
            start[d], step[d] = o, s
            limit[d] = o + s * (out[d] - 1) + 1
        sliced, column = b.fresh(), b.fresh()
        b.emit(f'{sliced} = "stablehlo.slice"({args[0]}) {{start_indices = {arr(start)}, '
               f"limit_indices = {arr(limit)}, strides = {arr(step)}}} : "
               f"({b.ttype(shapes[0])}) -> {b.ttype(sliced_shape)}")
        b.emit(f"{column} = stablehlo.reshape {sliced} : ({b.ttype(sliced_shape)}) -> "
               f"{b.ttype((*sliced_shape, 1))}")
        parts.append(column)
    if len(parts) == 1:
        return parts[0]
    name = b.fresh()
    types = ", ".join(b.ttype((*sliced_shape, 1)) for _ in parts)
    b.emit(f"{name} = stablehlo.concatenate {', '.join(parts)}, dim = {len(out) - 1} : "
           f"({types}) -> {b.ttype(out)}")
    return name


def window_rescale(old: tuple[Shape, ...], new: tuple[Shape, ...], attrs: dict[str, object],
                    extent_map: dict[int, int]) -> dict[str, object]:
    """A window's size at other extents: what makes its output extent the mapped one (a
    kernel's extent moves with it, a fixed width such as a moving average's does not)."""
    sizes = []
    for d, k, s in zip(attrs["dims"], attrs["sizes"], attrs["strides"]):  # type: ignore
        n_old, n_new = old[0][d], new[0][d]
        out = (n_old - k) // s + 1
        if out in extent_map:  # the windows cover an extent of their own
            sizes.append(n_new - s * (extent_map[out] - 1))
        elif k in extent_map:  # the size is an extent (a kernel's)
            sizes.append(extent_map[k])
        elif n_old - k <= 3:  # nearly the whole axis: x[i + c] for i < n - c
            sizes.append(n_new - (n_old - k))
        else:  # a fixed width
            sizes.append(k)
    return {**attrs, "sizes": tuple(sizes)}


WINDOW = TargetOp(
    name="window", dialects=("linalg", "stablehlo"), arity=1, rules=(),
    attributes=_window_attrs, semantics=window_sem, shape_fn=window_shape,  # type: ignore
    emitters={"linalg": _window_linalg, "stablehlo": _window_hlo},
    requires=frozenset({"window", "sketch"}), rescale=window_rescale,
    summary="sliding windows of some dimensions (sizes, strides) as one more axis")


# --- collapse trailing axes -----------------------------------------------------------------

def _collapse_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    for start in range(len(shapes[0]) - 1):
        yield (("start", start),)


def _collapse_shape(shapes: tuple[Shape, ...], attrs: dict[str, object]) -> Shape | None:
    start = int(attrs["start"])  # type: ignore[call-overload]
    shape = shapes[0]
    if start >= len(shape) - 1:
        return None
    return (*shape[:start], math.prod(shape[start:]))


def _collapse_sem(args: list[np.ndarray], attrs: dict[str, object],
        alg: TermAlgebra | None = None) -> np.ndarray:
    x = np.asarray(args[0])
    return x.reshape(_collapse_shape((x.shape,), attrs))  # type: ignore[arg-type]


def _collapse_linalg(b: Builder, args: list[str], shapes: list[Shape],
                     attrs: dict[str, object], out: Shape) -> str:
    start = int(attrs["start"])  # type: ignore[call-overload]
    groups = [[k] for k in range(start)] + [list(range(start, len(shapes[0])))]
    name = b.fresh()
    b.emit(f"{name} = tensor.collapse_shape {args[0]} {groups} : {b.ttype(shapes[0])} into "
           f"{b.ttype(out)}")
    return name


def _collapse_hlo(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
                  out: Shape) -> str:
    name = b.fresh()
    b.emit(f"{name} = stablehlo.reshape {args[0]} : ({b.ttype(shapes[0])}) -> {b.ttype(out)}")
    return name


COLLAPSE = TargetOp(
    name="collapse", dialects=("linalg", "stablehlo"), arity=1, rules=(),
    attributes=_collapse_attrs, semantics=_collapse_sem, shape_fn=_collapse_shape,  # type: ignore
    emitters={"linalg": _collapse_linalg, "stablehlo": _collapse_hlo},
    requires=frozenset({"window", "sketch"}), summary="trailing dimensions merged into one (row-major)")

# --- reverse some axes (a convolution's flipped kernel) --------------------------------------

def _reverse_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    rank = len(shapes[0])
    for count in range(1, rank + 1):
        for dims in itertools.combinations(range(rank), count):
            yield (("dims", dims),)


def _reverse_sem(args: list[np.ndarray], attrs: dict[str, object],
        alg: TermAlgebra | None = None) -> np.ndarray:
    return np.flip(np.asarray(args[0]), axis=attrs["dims"])  # type: ignore[call-overload]


def reverse_linalg(b: Builder, args: list[str], shapes: list[Shape],
                    attrs: dict[str, object], out: Shape) -> str:
    b.require_static(out, "a reversed axis")
    dims: tuple[int, ...] = attrs["dims"]  # type: ignore[assignment]
    ins = ", ".join(f"d{k}" for k in range(len(out)))
    exprs = [f"{n - 1} - d{k}" if k in dims else f"d{k}" for k, n in enumerate(out)]
    amap = f"affine_map<({ins}) -> ({', '.join(exprs)})>"
    return b.generic([(args[0], shapes[0], amap)], out, lambda block: ([], block[0]))


def _reverse_hlo(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
                 out: Shape) -> str:
    name = b.fresh()
    dims = ", ".join(map(str, attrs["dims"]))  # type: ignore[call-overload]
    b.emit(f"{name} = stablehlo.reverse {args[0]}, dims = [{dims}] : {b.ttype(out)}")
    return name


REVERSE = TargetOp(
    name="reverse", dialects=("linalg", "stablehlo"), arity=1, rules=(),
    attributes=_reverse_attrs, semantics=_reverse_sem,
    shape_fn=lambda shapes, attrs: shapes[0],
    emitters={"linalg": reverse_linalg, "stablehlo": _reverse_hlo},
    requires=frozenset({"window", "sketch"}), summary="some axes read backwards (x[n - 1 - i])")

WINDOW_OPS: tuple[TargetOp, ...] = (WINDOW, COLLAPSE, REVERSE)

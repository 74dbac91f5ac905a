"""Ops over index sets: select by an index mask, take one slice, and elementwise sqrt.

An index mask is a predicate on element positions (i >= j, interior, ...): triangular
iteration spaces and partial writes are `select(mask, new, old)`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import numpy as np

from grammar.builder import Builder
from grammar.ops import (
    AttrContext,
    Attrs,
    TargetOp,
    TermAlgebra,
    as_array,
    is_symbolic,
    no_attrs,
    numel,
    on_terms,
    unary_emitters,
)
from grammar.shapes import ANY, Shape, TypeRule

# Two-index masks over the first two dimensions: the predicate and its arith.cmpi /
# stablehlo.compare spelling.
PAIR_MASKS = {
    "lower": (lambda i, j: i >= j, "sge", "GE"),
    "strict_lower": (lambda i, j: i > j, "sgt", "GT"),
    "upper": (lambda i, j: i <= j, "sle", "LE"),
    "strict_upper": (lambda i, j: i < j, "slt", "LT"),
    "diag": (lambda i, j: i == j, "eq", "EQ"),
}
INTERIOR = "interior"  # every index at least 1 away from both ends of its dimension


def box_kind(margins: tuple[tuple[int, int], ...]) -> str:
    """The mask keeping indices `lo <= i < extent - hi` on every axis (a stencil's written
    box); all margins 1 is `interior`."""
    if all(m == (1, 1) for m in margins):
        return INTERIOR
    return "box[" + ",".join(f"{lo}:{hi}" for lo, hi in margins) + "]"


def box_margins(kind: str, rank: int) -> tuple[tuple[int, int], ...] | None:
    """Per-axis (lo, hi) margins of a box mask kind; None for the pair masks."""
    if kind == INTERIOR:
        return ((1, 1),) * rank
    if not kind.startswith("box["):
        return None
    pairs = kind[4:-1].split(",")
    return tuple((int(a), int(b)) for a, b in (p.split(":") for p in pairs))


def _box_bounds(shape: Shape, margins: tuple[tuple[int, int], ...]
                ) -> list[tuple[int, bool, int]]:
    """A box mask's tests (axis, lower bound?, bound): index >= lo where lo > 0, index <
    extent - hi where hi > 0."""
    tests = []
    for axis, (extent, (lo, hi)) in enumerate(zip(shape, margins)):
        if lo:
            tests.append((axis, True, lo))
        if hi:
            tests.append((axis, False, extent - hi))
    return tests


def index_mask(kind: str, shape: Shape) -> np.ndarray:
    """Boolean array: where the mask chooses its first operand."""
    idx = np.indices(shape)
    margins = box_margins(kind, len(shape))
    if margins is not None:
        inside = np.ones(shape, dtype=bool)
        for axis, (extent, (lo, hi)) in enumerate(zip(shape, margins)):
            inside &= (idx[axis] >= lo) & (idx[axis] < extent - hi)
        return inside
    return PAIR_MASKS[kind][0](idx[0], idx[1])


def mask_kinds(shape: Shape) -> list[str]:
    """Every mask meaningful on `shape` (partial writes may use any of them): the pair
    masks of matrices, and boxes with margins of 0 or 1 per axis."""
    kinds = list(PAIR_MASKS) if len(shape) == 2 else []
    if shape and min(shape) > 2:
        for margins in itertools.product(((0, 0), (1, 0), (0, 1), (1, 1)), repeat=len(shape)):
            if any(m != (0, 0) for m in margins):
                kinds.append(box_kind(margins))
    return kinds


def _select_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    # Inside a program, only the triangular/diagonal masks of square matrices: a
    # loop nest's non-rectangular bounds compare two of its indices.
    shape = shapes[0]
    if len(shape) == 2 and shape[0] == shape[1]:
        for kind in PAIR_MASKS:
            yield (("mask", kind),)


def _select_sem(args: list[np.ndarray], attrs: dict[str, object],
        alg: TermAlgebra | None = None) -> np.ndarray:
    mask = index_mask(str(attrs["mask"]), args[0].shape)
    return as_array(np.where(mask, args[0], np.broadcast_to(args[1], args[0].shape)))


def _cond_linalg(b: Builder, kind: str, shape: Shape) -> tuple[list[str], str]:
    """Body lines computing the i1 condition of `kind` from linalg.index values."""
    lines, idx = [], []
    for axis in range(len(shape)):
        name = b.fresh()
        lines.append(f"{name} = linalg.index {axis} : index")
        idx.append(name)
    margins = box_margins(kind, len(shape))
    if margins is None:
        cond = b.fresh()
        lines.append(f"{cond} = arith.cmpi {PAIR_MASKS[kind][1]}, {idx[0]}, {idx[1]} : index")
        return lines, cond
    b.require_static(shape, "a box index mask")
    acc = ""
    for axis, lower, bound in _box_bounds(shape, margins):
        limit, ok = b.fresh(), b.fresh()
        lines += [f"{limit} = arith.constant {bound} : index",
                  f"{ok} = arith.cmpi {'sge' if lower else 'slt'}, {idx[axis]}, {limit} : index"]
        if acc:
            joined = b.fresh()
            lines.append(f"{joined} = arith.andi {acc}, {ok} : i1")
            ok = joined
        acc = ok
    return lines, acc


def select_linalg(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
                  out: Shape) -> str:
    """linalg.generic choosing per element by linalg.index comparisons."""
    ins = [(args[0], out, "")] + ([(args[1], out, "")] if shapes[1] else [])

    def body(block: list[str]) -> tuple[list[str], str]:
        lines, cond = _cond_linalg(b, str(attrs["mask"]), out)
        other = block[1] if shapes[1] else args[1]  # a scalar "else" is used from above
        chosen = b.fresh()
        return [*lines, f"{chosen} = arith.select {cond}, {block[0]}, {other} : {b.elem}"], \
            chosen

    return b.generic(ins, out, body)


def _hlo_full(b: Builder, value: str, shape: Shape, out: Shape) -> str:
    """`value` at shape `out` (scalars broadcast)."""
    return value if shape or not out else b.hlo_broadcast(value, (), out, [])


def _hlo_select(b: Builder, cond: str, on_true: str, on_false: str, out: Shape) -> str:
    name = b.fresh()
    b.emit(f"{name} = stablehlo.select {cond}, {on_true}, {on_false} : {b.ttype(out, 'i1')}, "
           f"{b.ttype(out)}")
    return name


def _iota(b: Builder, shape: Shape, axis: int) -> str:
    name = b.fresh()
    b.emit(f"{name} = stablehlo.iota dim = {axis} : {b.ttype(shape, 'i64')}")
    return name


def _compare(b: Builder, direction: str, lhs: str, rhs: str, shape: Shape) -> str:
    name = b.fresh()
    b.emit(f"{name} = stablehlo.compare {direction}, {lhs}, {rhs}, SIGNED : "
           f"({b.ttype(shape, 'i64')}, {b.ttype(shape, 'i64')}) -> {b.ttype(shape, 'i1')}")
    return name


def _cond_hlo(b: Builder, kind: str, shape: Shape) -> str:
    margins = box_margins(kind, len(shape))
    if margins is None:
        return _compare(b, PAIR_MASKS[kind][2], _iota(b, shape, 0), _iota(b, shape, 1), shape)
    acc, iotas = "", {}
    for axis, lower, bound in _box_bounds(shape, margins):
        if axis not in iotas:
            iotas[axis] = _iota(b, shape, axis)
        limit = b.fresh()
        b.emit(f"{limit} = stablehlo.constant dense<{bound}> : {b.ttype(shape, 'i64')}")
        cond = _compare(b, "GE" if lower else "LT", iotas[axis], limit, shape)
        if acc:
            joined = b.fresh()
            b.emit(f"{joined} = stablehlo.and {acc}, {cond} : {b.ttype(shape, 'i1')}")
            cond = joined
        acc = cond
    return acc


def select_hlo(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
               out: Shape) -> str:
    """iota + compare + select."""
    b.require_static(out, "stablehlo.iota")
    cond = _cond_hlo(b, str(attrs["mask"]), out)
    return _hlo_select(b, cond, args[0], _hlo_full(b, args[1], shapes[1], out), out)


SELECT = TargetOp(
    name="select", dialects=("linalg", "stablehlo"), arity=2,
    rules=(TypeRule((ANY, ANY), ANY), TypeRule((ANY, ()), ANY)),
    attributes=_select_attrs, semantics=_select_sem,
    emitters={"linalg": select_linalg, "stablehlo": select_hlo},
    requires=frozenset({"index_mask"}),
    summary="per element: first operand where an index mask holds (iota+compare), else second")


def _take_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    if len(shapes[0]) < 2:
        return
    for axis in range(len(shapes[0])):
        for at in ("first", "last"):
            yield (("axis", axis), ("at", at))


def _take_shape(shapes: tuple[Shape, ...], attrs: dict[str, object]) -> Shape:
    return tuple(d for k, d in enumerate(shapes[0]) if k != attrs["axis"])


def _position(attrs: dict[str, object], shape: Shape) -> int:
    return 0 if attrs["at"] == "first" else shape[int(attrs["axis"])] - 1  # type: ignore


def _take_sem(args: list[np.ndarray], attrs: dict[str, object],
        alg: TermAlgebra | None = None) -> np.ndarray:
    axis = int(attrs["axis"])  # type: ignore[call-overload]
    return as_array(np.take(args[0], _position(attrs, args[0].shape), axis=axis))


def _take_linalg(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
                 out: Shape) -> str:
    b.require_static(shapes[0], "taking a slice")
    # A generic whose input map pins one index: no subview, so no runtime memref copy.
    shape, axis = shapes[0], int(attrs["axis"])  # type: ignore[call-overload]
    dims = [f"d{k}" for k in range(len(out))]
    source = dims[:axis] + [str(_position(attrs, shape))] + dims[axis:]
    in_map = f"affine_map<({', '.join(dims)}) -> ({', '.join(source)})>"
    return b.generic([(args[0], shape, in_map)], out, lambda block: ([], block[0]))


def _take_hlo(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
              out: Shape) -> str:
    b.require_static(shapes[0], "taking a slice")
    shape, axis = shapes[0], int(attrs["axis"])  # type: ignore[call-overload]
    start = [(_position(attrs, shape) if k == axis else 0) for k in range(len(shape))]
    limit = [s + 1 if k == axis else d for k, (s, d) in enumerate(zip(start, shape))]
    sliced, name = b.fresh(), b.fresh()
    kept = tuple(1 if k == axis else d for k, d in enumerate(shape))

    def arr(values: list[int]) -> str:
        return "array<i64: " + ", ".join(map(str, values)) + ">"

    b.emit(f'{sliced} = "stablehlo.slice"({args[0]}) {{start_indices = {arr(start)}, '
           f"limit_indices = {arr(limit)}, strides = {arr([1] * len(shape))}}} : "
           f"({b.ttype(shape)}) -> {b.ttype(kept)}")
    b.emit(f"{name} = stablehlo.reshape {sliced} : ({b.ttype(kept)}) -> {b.ttype(out)}")
    return name


TAKE = TargetOp(
    name="take", dialects=("linalg", "stablehlo"), arity=1, rules=(),
    attributes=_take_attrs, semantics=_take_sem,
    emitters={"linalg": _take_linalg, "stablehlo": _take_hlo},
    requires=frozenset({"last_slice"}),
    shape_fn=_take_shape, cost=lambda shapes, attrs, out: numel(out),
    summary="the first or last slice along one axis (rank drops by one)")


def _sqrt_sem(args: list[np.ndarray], attrs: dict[str, object],
        alg: TermAlgebra | None = None) -> np.ndarray:
    if is_symbolic(args[0]):  # a power term over the reals, fp.sqrt in IEEE mode
        return on_terms(alg, lambda alg, v: alg.unary("sqrt", v), args[0])
    with np.errstate(invalid="raise"):
        return as_array(np.sqrt(args[0]))


SQRT = TargetOp(
    name="sqrt", dialects=("linalg", "stablehlo"), arity=1, rules=(TypeRule((ANY,), ANY),),
    attributes=no_attrs, semantics=_sqrt_sem,
    emitters=unary_emitters("sqrt", "sqrt", "sqrt"),
    requires=frozenset({"sqrt"}), summary="elementwise square root")

# The op that writes only part of a value: select(mask, new, old).
PARTIAL_WRITE_OP = "select"



# --- data-dependent choice ----------------------------------------------------------------

# x CMP threshold ? replacement : x, with the nest's own constants as thresholds.
COMPARISONS = {"le": (np.less_equal, "ole", "LE"), "lt": (np.less, "olt", "LT"),
               "ge": (np.greater_equal, "oge", "GE"), "gt": (np.greater, "ogt", "GT")}


def _replace_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    for cmp in COMPARISONS:
        for value in ctx.constants:
            yield (("cmp", cmp), ("threshold", value))


def _replace_sem(args: list[np.ndarray], attrs: dict[str, object],
        alg: TermAlgebra | None = None) -> np.ndarray:
    x, y = args[0], np.broadcast_to(args[1], args[0].shape)
    threshold = float(attrs["threshold"])  # type: ignore[arg-type]
    if is_symbolic(x, y):  # z3 terms: the same If the interpreter builds for cmpf+select
        pred = COMPARISONS[str(attrs["cmp"])][1]
        return on_terms(alg, lambda alg, a, b: alg.select(alg.compare(pred, a, threshold), b, a),
                        x, y)
    return as_array(np.where(COMPARISONS[str(attrs["cmp"])][0](x, threshold), y, x))


def _replace_linalg(b: Builder, args: list[str], shapes: list[Shape],
                    attrs: dict[str, object], out: Shape) -> str:
    pred = COMPARISONS[str(attrs["cmp"])][1]
    limit = b.scalar_constant(float(attrs["threshold"]))  # type: ignore[arg-type]

    def choose(x: str, y: str) -> tuple[list[str], str]:
        cond, chosen = b.fresh(), b.fresh()
        compare = f"{cond} = arith.{b.arith('cmpf')} {b.predicate(pred)}, {x}, {limit} : " \
            f"{b.elem}"
        return [compare,
                f"{chosen} = arith.select {cond}, {y}, {x} : {b.elem}"], chosen

    if not out:
        lines, name = choose(args[0], args[1])
        for line in lines:
            b.emit(line)
        return name
    ins = [(args[0], out, "")] + ([(args[1], out, "")] if shapes[1] else [])
    return b.generic(ins, out, lambda block: choose(block[0],
                                                    block[1] if shapes[1] else args[1]))


def _replace_hlo(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
                 out: Shape) -> str:
    limit = b.hlo_constant(float(attrs["threshold"]), out)  # type: ignore[arg-type]
    cond = b.fresh()
    b.emit(f"{cond} = stablehlo.compare {COMPARISONS[str(attrs['cmp'])][2]}, {args[0]}, "
           f"{limit}, {b.hlo_compare_type} : ({b.ttype(out)}, {b.ttype(out)}) -> "
           f"{b.ttype(out, 'i1')}")
    return _hlo_select(b, cond, _hlo_full(b, args[1], shapes[1], out), args[0], out)


REPLACE_WHERE = TargetOp(
    name="replace_where", dialects=("linalg", "stablehlo"), arity=2,
    rules=(TypeRule((ANY, ANY), ANY), TypeRule((ANY, ()), ANY)),
    attributes=_replace_attrs, semantics=_replace_sem,
    emitters={"linalg": _replace_linalg, "stablehlo": _replace_hlo},
    requires=frozenset({"compare"}),
    summary="x CMP constant ? y : x per element (a guarded value; cmpf + select)")

MASKED_OPS: tuple[TargetOp, ...] = (SELECT, TAKE, SQRT, REPLACE_WHERE)

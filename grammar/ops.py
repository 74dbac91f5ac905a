"""The target-op catalog: one frozen record per op. Adding an op is adding one record.

Each record: name, dialects, arity, type rules over shape symbols, an attribute generator
driven by operand shapes, numpy semantics (float arrays and object arrays of z3 terms
alike), an emitter per dialect, the loop-nest arithmetic it needs to be worth trying, and
whether its operands commute.

Its length: the record type, its helpers and the core records every other grammar
module builds on.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from grammar.builder import Builder
from grammar.shapes import ANY, Shape, TypeRule, result_shape, unify

Attrs = tuple[tuple[str, object], ...]  # hashable attribute bundle
AttrGen = Callable[[tuple[Shape, ...], "AttrContext"], Iterable[Attrs]]
ShapeFn = Callable[[tuple[Shape, ...], dict[str, object]], Shape]
class TermAlgebra(Protocol):
    """What semantics need to build terms: the symbolic interpreter's own operations."""

    def binary(self, name: str, lhs: object, rhs: object) -> object: ...
    def unary(self, name: str, value: object) -> object: ...
    def compare(self, pred: str, lhs: object, rhs: object) -> object: ...
    def select(self, cond: object, lhs: object, rhs: object) -> object: ...
    def total(self, terms: list[object]) -> object: ...


# Semantics: (operands, attributes, algebra) -> result. On numbers the algebra is None; on
# z3 terms the caller passes the algebra the terms belong to (checkers.smt builds them), so
# the grammar computes with terms without knowing how they are made.
Semantics = Callable[[list[np.ndarray], dict[str, object], TermAlgebra | None], np.ndarray]


Emitter = Callable[[Builder, list[str], list[Shape], dict[str, object], Shape], str]
CostFn = Callable[[tuple[Shape, ...], dict[str, object], Shape], int]
# Index-level definition for proofs over all sizes (checkers.polyform): operand index
# functions, attributes, operand shapes, result shape, and the algebra (read/const/sum) ->
# the result's index function. An index function maps an index tuple to a sum of products;
# `alg.sum(extent, body)` sums body(k) over k in [0, extent).
IndexFn = Callable[[tuple], Any]
IndexForm = Callable[[Sequence[IndexFn], dict[str, Any], tuple[Shape, ...], Shape, Any],
                     IndexFn]


def numel(shape: Shape) -> int:
    return math.prod(shape)


def op_cost(op: TargetOp, shapes: tuple[Shape, ...], attrs: dict[str, object],
            out: Shape) -> int:
    """Work of one application: the record's cost function, else one op per element."""
    return op.cost(shapes, attrs, out) if op.cost else numel(out)


@dataclass(frozen=True)
class AttrContext:
    """What attribute generators may draw on: the problem's extents and constants."""

    extents: tuple[int, ...] = ()
    constants: tuple[float, ...] = ()
    shapes: tuple[Shape, ...] = ()


@dataclass(frozen=True)
class TargetOp:
    name: str
    dialects: tuple[str, ...]
    arity: int
    rules: tuple[TypeRule, ...]
    attributes: AttrGen
    semantics: Semantics
    emitters: dict[str, Emitter]
    requires: frozenset[str]
    commutative: bool = False
    shape_fn: ShapeFn | None = None  # result shape from attributes, when the rule can't say
    summary: str = ""
    # Attributes holding an extent ("extent") or a shape ("shape"): resizing maps them.
    extent_attrs: tuple[str, ...] = ()
    # Arithmetic work (multiply-adds or element ops) from operand shapes, attributes and the
    # result shape; among programs of one size the search prefers the cheapest.
    cost: CostFn | None = None
    # None: the op is not a sum of products of its operands (no all-sizes proof through it).
    index_form: IndexForm | None = None
    # The op sums over an index its result lacks, in an order linalg/stablehlo leave open:
    # IEEE-exact proofs refuse it.
    reduction: bool = False
    # Attributes at other extents, from the operands' old and new shapes, the attributes
    # and the extent map, where mapping each extent attribute alone cannot say (a window's
    # size may be an extent or a fixed width); None: `extent_attrs` are mapped.
    rescale: Callable[[tuple[Shape, ...], tuple[Shape, ...], dict[str, object],
                       dict[int, int]], dict[str, object]] | None = None


def no_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    yield ()


def as_array(value: object) -> np.ndarray:
    """Keep 0-d results as arrays (object scalars otherwise escape numpy)."""
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, (float, int, np.floating, np.integer)):
        return np.asarray(value)
    out = np.empty((), dtype=object)
    out[()] = value
    return out


def is_symbolic(*arrays: np.ndarray) -> bool:
    """Do the operands hold z3 terms (object arrays), not floats?"""
    return any(np.asarray(a).dtype == object for a in arrays)


def on_terms(alg: TermAlgebra | None, fn: Callable[..., object],
             *arrays: np.ndarray) -> np.ndarray:
    """fn(algebra, elements...) per element of the broadcast operands, in the algebra the
    caller passed (reals, or IEEE of the terms' sort): the same calls the symbolic
    interpreter makes for the loop nest's ops, so both sides build the same terms."""
    if alg is None:
        raise TypeError("semantics on z3 terms need the terms' algebra")
    parts = np.broadcast_arrays(*[np.asarray(a, dtype=object) for a in arrays])
    out = np.empty(parts[0].shape, dtype=object)
    for index in np.ndindex(*out.shape):
        out[index] = fn(alg, *(p[index] for p in parts))
    return as_array(out)


def unary_semantics(name: str, floats: Callable[[np.ndarray], np.ndarray]) -> Semantics:
    """An elementwise unary op: `floats` on numbers, the algebra's `name` on z3 terms (the
    very term the interpreter builds for the nest's op)."""
    def sem(args: list[np.ndarray], attrs: dict[str, object],
        alg: TermAlgebra | None = None) -> np.ndarray:
        if is_symbolic(args[0]):
            return on_terms(alg, lambda alg, v: alg.unary(name, v), args[0])
        return as_array(floats(args[0]))
    return sem

# --- contractions ---------------------------------------------------------------------------

def _dot_general_hlo(lhs_contract: int, rhs_contract: int, batch: int = 0) -> Emitter:
    def emit(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
             out: Shape) -> str:
        name = b.fresh()
        batching = f"batching_dims = [{', '.join(map(str, range(batch)))}] x " \
                   f"[{', '.join(map(str, range(batch)))}], " if batch else ""
        b.emit(f"{name} = stablehlo.dot_general {args[0]}, {args[1]}, {batching}"
               f"contracting_dims = [{lhs_contract}] x [{rhs_contract}] : "
               f"({b.ttype(shapes[0])}, {b.ttype(shapes[1])}) -> {b.ttype(out)}")
        return name
    return emit


def _named_linalg(op_name: str) -> Emitter:
    def emit(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
             out: Shape) -> str:
        init = b.zeros(out)
        name = b.fresh()
        t0, t1, tout = b.ttype(shapes[0]), b.ttype(shapes[1]), b.ttype(out)
        b.emit(f"{name} = linalg.{op_name} ins({args[0]}, {args[1]} : {t0}, {t1}) "
               f"outs({init} : {tout}) -> {tout}")
        return b.scalar_if_0d(name, out)
    return emit


def _contract_sem(args: list[np.ndarray], attrs: dict[str, object],
        alg: TermAlgebra | None = None) -> np.ndarray:
    return as_array(np.tensordot(args[0], args[1],
                                 axes=([attrs["lhs"]], [attrs["rhs"]])))  # type: ignore[list-item]


def _contract_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    lhs, rhs = shapes
    for i, j in itertools.product(range(len(lhs)), range(len(rhs))):
        if lhs[i] == rhs[j]:
            yield (("lhs", i), ("rhs", j))


def _contract_shape(shapes: tuple[Shape, ...], attrs: dict[str, object]) -> Shape:
    lhs, rhs = shapes
    i, j = attrs["lhs"], attrs["rhs"]
    return tuple(d for k, d in enumerate(lhs) if k != i) + \
        tuple(d for k, d in enumerate(rhs) if k != j)


def _contract_linalg(b: Builder, args: list[str], shapes: list[Shape],
                     attrs: dict[str, object], out: Shape) -> str:
    lhs, rhs = shapes
    i, j = int(attrs["lhs"]), int(attrs["rhs"])  # type: ignore[call-overload]
    n_iter = len(lhs) + len(rhs) - 1
    lhs_dims = [f"d{k}" for k in range(len(lhs))]
    rhs_dims, next_dim = [], len(lhs)
    for k in range(len(rhs)):
        if k == j:
            rhs_dims.append(f"d{i}")
        else:
            rhs_dims.append(f"d{next_dim}")
            next_dim += 1
    out_dims = [d for k, d in enumerate(lhs_dims) if k != i] + \
        [d for k, d in enumerate(rhs_dims) if k != j]
    all_dims = ", ".join(f"d{k}" for k in range(n_iter))

    def amap(dims: list[str]) -> str:
        return f"affine_map<({all_dims}) -> ({', '.join(dims)})>"

    init = b.zeros(out)
    name = b.fresh()
    tout = b.ttype(out)
    b.emit(f"{name} = linalg.contract indexing_maps = [{amap(lhs_dims)}, {amap(rhs_dims)}, "
           f"{amap(out_dims)}] ins({args[0]}, {args[1]} : {b.ttype(lhs)}, {b.ttype(rhs)}) "
           f"outs({init} : {tout}) -> {tout}")
    return b.scalar_if_0d(name, out)


def _contract_hlo(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
                  out: Shape) -> str:
    return _dot_general_hlo(int(attrs["lhs"]), int(attrs["rhs"]))(  # type: ignore[call-overload]
        b, args, shapes, attrs, out)


def _contract_index(lhs_c: int, rhs_c: int, batch: int = 0) -> IndexForm:
    """out[batch.., lhs free.., rhs free..] = sum_k lhs[.., k, ..] * rhs[.., k, ..]."""
    def form(args: Sequence[IndexFn], attrs: dict[str, Any], shapes: tuple[Shape, ...],
             out: Shape, alg) -> IndexFn:  # type: ignore[no-untyped-def]
        n_lhs = len(shapes[0]) - 1 - batch

        def at(idx: tuple) -> object:
            b, lhs_free, rhs_free = idx[:batch], idx[batch:batch + n_lhs], idx[batch + n_lhs:]

            def body(k: object) -> object:
                lhs = (*b, *lhs_free[:lhs_c - batch], k, *lhs_free[lhs_c - batch:])
                rhs = (*b, *rhs_free[:rhs_c - batch], k, *rhs_free[rhs_c - batch:])
                return args[0](lhs) * args[1](rhs)  # type: ignore[operator]
            return alg.sum(shapes[0][lhs_c], body)
        return at
    return form


def _contract_attr_index(args: Sequence[IndexFn], attrs: dict[str, Any],
                         shapes: tuple[Shape, ...], out: Shape, alg) -> IndexFn:  # type: ignore
    i, j = int(attrs["lhs"]), int(attrs["rhs"])  # type: ignore[call-overload]
    return _contract_index(i, j)(args, attrs, shapes, out, alg)


def _contraction(name: str, rule: TypeRule, semantics: Semantics, lhs_c: int, rhs_c: int,
                 batch: int = 0, summary: str = "") -> TargetOp:
    def cost(shapes: tuple[Shape, ...], attrs: dict[str, object], out: Shape) -> int:
        return numel(out) * shapes[0][lhs_c]

    return TargetOp(cost=cost, index_form=_contract_index(lhs_c, rhs_c, batch),
                    reduction=True,
        name=name, dialects=("linalg", "stablehlo"), arity=2, rules=(rule,),
        attributes=no_attrs, semantics=semantics,
        emitters={"linalg": _named_linalg(name), "stablehlo": _dot_general_hlo(lhs_c, rhs_c,
                                                                                  batch)},
        requires=frozenset({"add", "mul"}), summary=summary)


MATMUL = _contraction("matmul", TypeRule((("M", "K"), ("K", "N")), ("M", "N")),
                      lambda a, at, alg: np.dot(a[0], a[1]), 1, 0, summary="matrix product")
MATVEC = _contraction("matvec", TypeRule((("M", "N"), ("N",)), ("M",)),
                      lambda a, at, alg: np.dot(a[0], a[1]), 1, 0, summary="matrix-vector")
VECMAT = _contraction("vecmat", TypeRule((("M",), ("M", "N")), ("N",)),
                      lambda a, at, alg: np.dot(a[0], a[1]), 0, 0, summary="vector-matrix")
DOT = _contraction("dot", TypeRule((("N",), ("N",)), ()),
                   lambda a, at, alg: as_array(np.dot(a[0], a[1])), 0, 0, summary="inner product")
BATCH_MATMUL = _contraction(
    "batch_matmul", TypeRule((("B", "M", "K"), ("B", "K", "N")), ("B", "M", "N")),
    lambda a, at, alg: np.matmul(a[0], a[1]), 2, 1, batch=1, summary="batched matrix product")
CONTRACT = TargetOp(
    name="contract", dialects=("linalg", "stablehlo"), arity=2,
    rules=(), attributes=_contract_attrs,
    semantics=_contract_sem, emitters={"linalg": _contract_linalg, "stablehlo": _contract_hlo},
    requires=frozenset({"add", "mul"}), shape_fn=_contract_shape,
    index_form=_contract_attr_index, reduction=True,
    cost=lambda shapes, attrs, out: numel(out) * shapes[0][attrs["lhs"]],  # type: ignore
    summary="general contraction over one dimension pair (dot_general)")


def _outer_linalg(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
                  out: Shape) -> str:
    # Two named broadcasts and an elementwise product: every op stays a named linalg op.
    lhs = b.linalg_broadcast(args[0], shapes[0], out, 1)
    rhs = b.linalg_broadcast(args[1], shapes[1], out, 0)
    return _elementwise_linalg("mul", "mulf")(b, [lhs, rhs], [out, out], attrs, out)


def _outer_hlo(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
               out: Shape) -> str:
    name = b.fresh()
    b.emit(f"{name} = stablehlo.dot_general {args[0]}, {args[1]}, contracting_dims = [] x [] : "
           f"({b.ttype(shapes[0])}, {b.ttype(shapes[1])}) -> {b.ttype(out)}")
    return name


OUTER = TargetOp(
    name="outer", dialects=("linalg", "stablehlo"), arity=2,
    rules=(TypeRule((("M",), ("N",)), ("M", "N")),), attributes=no_attrs,
    semantics=lambda a, at, alg: np.multiply.outer(a[0], a[1]),
    emitters={"linalg": _outer_linalg, "stablehlo": _outer_hlo},
    index_form=lambda a, at, sh, out, alg: lambda idx: a[0](idx[:1]) * a[1](idx[1:]),
    requires=frozenset({"mul"}), summary="outer product of two vectors")


# --- layout ---------------------------------------------------------------------------------

def _transpose_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    (shape,) = shapes
    if len(shape) < 2:
        return
    for perm in itertools.permutations(range(len(shape))):
        if list(perm) != sorted(perm):
            yield (("perm", perm),)


def _transpose_shape(shapes: tuple[Shape, ...], attrs: dict[str, object]) -> Shape:
    return tuple(shapes[0][p] for p in attrs["perm"])  # type: ignore[attr-defined]


def _transpose_linalg(b: Builder, args: list[str], shapes: list[Shape],
                      attrs: dict[str, object], out: Shape) -> str:
    init = b.empty(out)
    name = b.fresh()
    perm = ", ".join(map(str, attrs["perm"]))  # type: ignore[call-overload]
    b.emit(f"{name} = linalg.transpose ins({args[0]} : {b.ttype(shapes[0])}) "
           f"outs({init} : {b.ttype(out)}) permutation = [{perm}]")
    return name


def _transpose_hlo(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
                   out: Shape) -> str:
    name = b.fresh()
    perm = ", ".join(map(str, attrs["perm"]))  # type: ignore[call-overload]
    b.emit(f"{name} = stablehlo.transpose {args[0]}, dims = [{perm}] : "
           f"({b.ttype(shapes[0])}) -> {b.ttype(out)}")
    return name


def _untranspose(idx: tuple, perm: object) -> tuple:
    """np.transpose(x, perm)[idx] == x[source]: source[perm[d]] = idx[d]."""
    source: list[object] = [None] * len(idx)
    for d, p in enumerate(perm):  # type: ignore[arg-type,var-annotated]
        source[p] = idx[d]
    return tuple(source)


TRANSPOSE = TargetOp(
    name="transpose", dialects=("linalg", "stablehlo"), arity=1, rules=(),
    attributes=_transpose_attrs,
    semantics=lambda a, at, alg: np.transpose(a[0], at["perm"]),  # type: ignore[call-overload]
    emitters={"linalg": _transpose_linalg, "stablehlo": _transpose_hlo},
    index_form=lambda a, at, sh, out, alg: lambda idx: a[0](_untranspose(idx, at["perm"])),
    requires=frozenset(), shape_fn=_transpose_shape, summary="permute dimensions")


def _broadcast_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    (shape,) = shapes
    if not shape:
        return  # scalars broadcast implicitly in the elementwise ops
    for extent in ctx.extents:
        for pos in range(len(shape) + 1):
            new = shape[:pos] + (extent,) + shape[pos:]
            if new in ctx.shapes:  # only shapes the problem itself uses
                yield (("dim", pos), ("extent", extent))


def _broadcast_shape(shapes: tuple[Shape, ...], attrs: dict[str, object]) -> Shape:
    shape, pos = shapes[0], int(attrs["dim"])  # type: ignore[call-overload]
    return shape[:pos] + (int(attrs["extent"]),) + shape[pos:]  # type: ignore[call-overload]


def _broadcast_sem(args: list[np.ndarray], attrs: dict[str, object],
        alg: TermAlgebra | None = None) -> np.ndarray:
    pos, extent = int(attrs["dim"]), int(attrs["extent"])  # type: ignore[call-overload]
    expanded = np.expand_dims(args[0], pos)
    shape = list(expanded.shape)
    shape[pos] = extent
    return np.broadcast_to(expanded, tuple(shape))


def _broadcast_linalg(b: Builder, args: list[str], shapes: list[Shape],
                      attrs: dict[str, object], out: Shape) -> str:
    return b.linalg_broadcast(args[0], shapes[0], out, int(attrs["dim"]))  # type: ignore


def _broadcast_hlo(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
                   out: Shape) -> str:
    pos = int(attrs["dim"])  # type: ignore[call-overload]
    kept = [k for k in range(len(out)) if k != pos]
    return b.hlo_broadcast(args[0], shapes[0], out, kept)


BROADCAST = TargetOp(
    name="broadcast", dialects=("linalg", "stablehlo"), arity=1, rules=(),
    attributes=_broadcast_attrs, semantics=_broadcast_sem,
    emitters={"linalg": _broadcast_linalg, "stablehlo": _broadcast_hlo},
    index_form=lambda a, at, sh, out, alg: lambda idx: a[0](
        idx[:int(at["dim"])] + idx[int(at["dim"]) + 1:]),  # type: ignore[call-overload]
    requires=frozenset(), shape_fn=_broadcast_shape, summary="add one broadcast dimension",
    extent_attrs=("extent",))


# --- elementwise ----------------------------------------------------------------------------

ELEMENTWISE_RULES = (
    TypeRule((ANY, ANY), ANY),  # same shape
    TypeRule(((), ANY), ANY),  # scalar broadcast on the left
    TypeRule((ANY, ()), ANY),  # and on the right
)


def _elementwise_linalg(op: str, arith: str) -> Emitter:
    def emit(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
             out: Shape) -> str:
        if not out:
            name = b.fresh()
            b.emit(f"{name} = arith.{b.arith(arith)} {args[0]}, {args[1]} : {b.elem}")
            return name
        lhs = b.fill(args[0], out) if not shapes[0] else args[0]
        rhs = b.fill(args[1], out) if not shapes[1] else args[1]
        init = b.empty(out)
        name = b.fresh()
        t = b.ttype(out)
        b.emit(f"{name} = linalg.{op} ins({lhs}, {rhs} : {t}, {t}) outs({init} : {t}) -> {t}")
        return name
    return emit


def _elementwise_hlo(op: str) -> Emitter:
    def emit(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
             out: Shape) -> str:
        lhs = b.hlo_broadcast(args[0], (), out, []) if out and not shapes[0] else args[0]
        rhs = b.hlo_broadcast(args[1], (), out, []) if out and not shapes[1] else args[1]
        name = b.fresh()
        b.emit(f"{name} = stablehlo.{op} {lhs}, {rhs} : {b.ttype(out)}")
        return name
    return emit


def _elementwise_index(fn: Callable[[object, object], object]) -> IndexForm:
    """Same index into both operands; a scalar operand (shape ()) is read at ()."""
    def form(args: Sequence[IndexFn], attrs: dict[str, Any], shapes: tuple[Shape, ...],
             out: Shape, alg) -> IndexFn:  # type: ignore[no-untyped-def]
        return lambda idx: fn(args[0](idx if shapes[0] else ()),
                              args[1](idx if shapes[1] else ()))
    return form


def elementwise(name: str, arith: str, hlo: str, fn: Callable[..., object],
                requires: str, commutative: bool, polynomial: bool = True) -> TargetOp:
    """A binary elementwise op: linalg.<name> (arith.<arith> on scalars), stablehlo.<hlo>;
    `fn` computes it on whole arrays (floats or z3 terms)."""
    return TargetOp(index_form=_elementwise_index(fn) if polynomial else None,
        name=name, dialects=("linalg", "stablehlo"), arity=2, rules=ELEMENTWISE_RULES,
        attributes=no_attrs, semantics=lambda a, at, alg: as_array(fn(a[0], a[1], alg)),
        emitters={"linalg": _elementwise_linalg(name, arith), "stablehlo": _elementwise_hlo(hlo)},
        requires=frozenset({requires}), commutative=commutative,
        summary=f"elementwise {name}, scalars broadcast")


ADD = elementwise("add", "addf", "add", lambda x, y, alg=None: x + y, "add", True)  # type: ignore
SUB = elementwise("sub", "subf", "subtract", lambda x, y, alg=None: x - y, "sub", False)  # type: ignore
MUL = elementwise("mul", "mulf", "multiply", lambda x, y, alg=None: x * y, "mul", True)  # type: ignore
DIV = elementwise("div", "divf", "divide", lambda x, y, alg=None: x / y, "div", False,  # type: ignore
                  polynomial=False)


# --- reductions and fills -------------------------------------------------------------------

def axis_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    """One reduction axis of the operand."""
    for axis in range(len(shapes[0])):
        yield (("axis", axis),)


def drop_axis(shapes: tuple[Shape, ...], attrs: dict[str, object]) -> Shape:
    return tuple(d for k, d in enumerate(shapes[0]) if k != attrs["axis"])


def _reduce_sem(args: list[np.ndarray], attrs: dict[str, object],
        alg: TermAlgebra | None = None) -> np.ndarray:
    return as_array(np.sum(args[0], axis=int(attrs["axis"])))  # type: ignore[call-overload]


def reduce_emitters(arith: str, hlo: str, identity: float) -> dict[str, Emitter]:
    """Emitters folding one axis: linalg.reduce combining with arith.<arith>, and
    stablehlo.reduce applying stablehlo.<hlo>, both starting from `identity`."""
    def linalg(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
               out: Shape) -> str:
        init = b.fill(b.scalar_constant(identity), out)
        name, value, acc, result = b.fresh(), b.fresh(), b.fresh(), b.fresh()
        tout = b.ttype(out)
        b.emit(f"{name} = linalg.reduce ins({args[0]} : {b.ttype(shapes[0])}) "
               f"outs({init} : {tout}) dimensions = [{attrs['axis']}]\n"
               f"    ({value}: {b.elem}, {acc}: {b.elem}) {{\n"
               f"      {result} = arith.{b.arith(arith)} {acc}, {value} : {b.elem}\n"
               f"      linalg.yield {result} : {b.elem}\n    }}")
        return b.scalar_if_0d(name, out)

    def stablehlo(b: Builder, args: list[str], shapes: list[Shape],
                  attrs: dict[str, object], out: Shape) -> str:
        init = b.hlo_constant(identity, ())
        name = b.fresh()
        b.emit(f"{name} = stablehlo.reduce({args[0]} init: {init}) applies stablehlo.{hlo} "
               f"across dimensions = [{attrs['axis']}] : ({b.ttype(shapes[0])}, "
               f"{b.ttype(())}) -> {b.ttype(out)}")
        return name
    return {"linalg": linalg, "stablehlo": stablehlo}


def unary_emitters(linalg_op: str, math_op: str, hlo_op: str) -> dict[str, Emitter]:
    """An elementwise unary op: linalg.<linalg_op> on tensors, math.<math_op> on the linalg
    target's scalars, stablehlo.<hlo_op>."""
    def linalg(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
               out: Shape) -> str:
        name = b.fresh()
        if not out:
            b.emit(f"{name} = math.{math_op} {args[0]} : {b.elem}")
            return name
        init, t = b.empty(out), b.ttype(out)
        b.emit(f"{name} = linalg.{linalg_op} ins({args[0]} : {t}) outs({init} : {t}) -> {t}")
        return name

    def stablehlo(b: Builder, args: list[str], shapes: list[Shape],
                  attrs: dict[str, object], out: Shape) -> str:
        name = b.fresh()
        b.emit(f"{name} = stablehlo.{hlo_op} {args[0]} : {b.ttype(out)}")
        return name
    return {"linalg": linalg, "stablehlo": stablehlo}


REDUCE_ADD = TargetOp(
    name="reduce_add", dialects=("linalg", "stablehlo"), arity=1, rules=(),
    attributes=axis_attrs, semantics=_reduce_sem,
    emitters=reduce_emitters("addf", "add", 0.0),
    index_form=lambda a, at, sh, out, alg: lambda idx: alg.sum(
        sh[0][int(at["axis"])], lambda k: a[0](  # type: ignore[call-overload]
            idx[:int(at["axis"])] + (k,) + idx[int(at["axis"]):])),  # type: ignore
    reduction=True,
    requires=frozenset({"add"}), shape_fn=drop_axis, summary="sum over one axis",
    cost=lambda shapes, attrs, out: numel(shapes[0]))


def _fill_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    for value in ctx.constants:
        for shape in ctx.shapes:
            yield (("value", value), ("shape", shape))


def _fill_sem(args: list[np.ndarray], attrs: dict[str, object],
        alg: TermAlgebra | None = None) -> np.ndarray:
    return np.full(attrs["shape"], float(attrs["value"]))  # type: ignore[call-overload,arg-type]


def _fill_linalg(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
                 out: Shape) -> str:
    scalar = b.scalar_constant(float(attrs["value"]))  # type: ignore[arg-type]
    return b.fill(scalar, out) if out else scalar


def _fill_hlo(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
              out: Shape) -> str:
    return b.hlo_constant(float(attrs["value"]), out)  # type: ignore[arg-type]


FILL = TargetOp(
    name="fill", dialects=("linalg", "stablehlo"), arity=0, rules=(),
    attributes=_fill_attrs, semantics=_fill_sem,
    emitters={"linalg": _fill_linalg, "stablehlo": _fill_hlo}, requires=frozenset(),
    index_form=lambda a, at, sh, out, alg: lambda idx: alg.const(float(at["value"])),
    shape_fn=lambda shapes, attrs: tuple(attrs["shape"]),  # type: ignore[arg-type]
    summary="constant-filled tensor (constants from the loop nest)", extent_attrs=("shape",))


CORE_OPS: tuple[TargetOp, ...] = (
    MATMUL, MATVEC, VECMAT, DOT, BATCH_MATMUL, CONTRACT, OUTER, TRANSPOSE, BROADCAST,
    ADD, SUB, MUL, DIV, REDUCE_ADD, FILL,
)


def infer_shape(op: TargetOp, shapes: tuple[Shape, ...], attrs: Attrs) -> Shape | None:
    """Result shape of `op` on operands of `shapes` with `attrs`, or None if ill-typed.
    The first rule that unifies decides (same shape before scalar broadcast)."""
    if op.shape_fn is not None and not op.rules:
        return op.shape_fn(shapes, dict(attrs))
    for rule in op.rules:
        bindings = unify(rule, shapes)
        if bindings is not None:
            return op.shape_fn(shapes, dict(attrs)) if op.shape_fn else \
                result_shape(rule, bindings)
    return None

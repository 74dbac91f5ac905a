"""Elementwise ops the trace sketch builds from a nest's own arithmetic: negation, absolute
value, a data-dependent choice `a CMP b ? x : y`, and a scalar spread over a shape.

Each record's z3 semantics calls the algebra the symbolic interpreter calls for arith.negf,
math.absf, cmpf + select, so the sketch's candidate and the nest meet in one vocabulary.
"""

from __future__ import annotations

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
    on_terms,
    unary_emitters,
    unary_semantics,
)
from grammar.shapes import ANY, Shape, TypeRule

# --- negation and absolute value ----------------------------------------------------------

def _neg_emitters() -> dict[str, object]:
    """linalg.negf on tensors, arith.negf (not a math op) on linalg-target scalars."""
    tensors = unary_emitters("negf", "unused", "negate")

    def linalg(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
               out: Shape) -> str:
        if out:
            return tensors["linalg"](b, args, shapes, attrs, out)
        name = b.fresh()
        b.emit(f"{name} = arith.negf {args[0]} : {b.elem}")
        return name
    return {"linalg": linalg, "stablehlo": tensors["stablehlo"]}


NEG = TargetOp(
    name="neg", dialects=("linalg", "stablehlo"), arity=1, rules=(TypeRule((ANY,), ANY),),
    attributes=no_attrs, semantics=unary_semantics("neg", np.negative),
    emitters=_neg_emitters(),  # type: ignore[arg-type]
    requires=frozenset({"neg"}), summary="elementwise negation")

ABS = TargetOp(
    name="abs", dialects=("linalg", "stablehlo"), arity=1, rules=(TypeRule((ANY,), ANY),),
    attributes=no_attrs, semantics=unary_semantics("abs", np.abs),
    emitters=unary_emitters("abs", "absf", "abs"),
    requires=frozenset({"abs"}), summary="elementwise absolute value")


# --- a CMP b ? x : y ------------------------------------------------------------------------

# Comparison -> (numpy, arith.cmpf predicate, stablehlo direction). Ordered predicates: over
# NaN-free data (what the proofs model) ordered and unordered agree, except `ne`, which C
# spells as une.
PREDICATES = {"lt": (np.less, "olt", "LT"), "le": (np.less_equal, "ole", "LE"),
              "gt": (np.greater, "ogt", "GT"), "ge": (np.greater_equal, "oge", "GE"),
              "eq": (np.equal, "oeq", "EQ"), "ne": (np.not_equal, "une", "NE")}


def _where_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    for cmp in PREDICATES:
        yield (("cmp", cmp),)


def _common_shape(shapes: tuple[Shape, ...], attrs: dict[str, object]) -> Shape | None:
    """Operands of one shape, scalars broadcast."""
    full = {s for s in shapes if s}
    if len(full) > 1:
        return None
    return full.pop() if full else ()


def _where_sem(args: list[np.ndarray], attrs: dict[str, object],
        alg: TermAlgebra | None = None) -> np.ndarray:
    cmp = str(attrs["cmp"])
    if is_symbolic(*args):
        return on_terms(alg, lambda alg, a, b, x, y: alg.select(alg.compare(cmp, a, b), x, y),
                        *args)
    a, b, x, y = np.broadcast_arrays(*[np.asarray(v, dtype=np.float64) for v in args])
    return as_array(np.where(PREDICATES[cmp][0](a, b), x, y))


def _where_linalg(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
                  out: Shape) -> str:
    pred = PREDICATES[str(attrs["cmp"])][1]

    def choose(values: list[str]) -> tuple[list[str], str]:
        cond, chosen = b.fresh(), b.fresh()
        compare = f"{cond} = arith.{b.arith('cmpf')} {b.predicate(pred)}, {values[0]}, " \
            f"{values[1]} : {b.elem}"
        return [compare,
                f"{chosen} = arith.select {cond}, {values[2]}, {values[3]} : {b.elem}"], \
            chosen

    if not out:
        lines, name = choose(args)
        for line in lines:
            b.emit(line)
        return name
    ins = [(a, out, "") for a, s in zip(args, shapes) if s]

    def body(block: list[str]) -> tuple[list[str], str]:
        slots = iter(block)  # tensor operands come in as block arguments, scalars from above
        return choose([next(slots) if s else a for a, s in zip(args, shapes)])

    return b.generic(ins, out, body)


def _where_hlo(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
               out: Shape) -> str:
    full = [a if s or not out else b.hlo_broadcast(a, (), out, []) for a, s in zip(args, shapes)]
    cond = b.fresh()
    t = b.ttype(out)
    b.emit(f"{cond} = stablehlo.compare {PREDICATES[str(attrs['cmp'])][2]}, {full[0]}, "
           f"{full[1]}, {b.hlo_compare_type} : ({t}, {t}) -> {b.ttype(out, 'i1')}")
    name = b.fresh()
    b.emit(f"{name} = stablehlo.select {cond}, {full[2]}, {full[3]} : {b.ttype(out, 'i1')}, {t}")
    return name


WHERE = TargetOp(
    name="where", dialects=("linalg", "stablehlo"), arity=4, rules=(),
    attributes=_where_attrs, semantics=_where_sem, shape_fn=_common_shape,  # type: ignore
    emitters={"linalg": _where_linalg, "stablehlo": _where_hlo},
    requires=frozenset({"compare"}),
    summary="a CMP b ? x : y per element, on data (cmpf + select); scalars broadcast")


# --- a scalar spread over a shape -----------------------------------------------------------

def _splat_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    if shapes[0]:
        return
    for shape in ctx.shapes:
        if shape:
            yield (("shape", shape),)


def _splat_shape(shapes: tuple[Shape, ...], attrs: dict[str, object]) -> Shape | None:
    return tuple(attrs["shape"]) if not shapes[0] else None  # type: ignore[arg-type]


def _splat_sem(args: list[np.ndarray], attrs: dict[str, object],
        alg: TermAlgebra | None = None) -> np.ndarray:
    return np.broadcast_to(args[0], tuple(attrs["shape"]))  # type: ignore[arg-type]


def _splat_linalg(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
                  out: Shape) -> str:
    return b.fill(args[0], out)


def _splat_hlo(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
               out: Shape) -> str:
    return b.hlo_broadcast(args[0], (), out, [])


SPLAT = TargetOp(
    name="splat", dialects=("linalg", "stablehlo"), arity=1, rules=(),
    attributes=_splat_attrs, semantics=_splat_sem, shape_fn=_splat_shape,  # type: ignore
    emitters={"linalg": _splat_linalg, "stablehlo": _splat_hlo},
    index_form=lambda a, at, sh, out, alg: lambda idx: a[0](()),
    requires=frozenset({"splat"}), summary="a scalar value at every element of a shape",
    extent_attrs=("shape",))

CHOICE_OPS: tuple[TargetOp, ...] = (NEG, ABS, WHERE, SPLAT)

"""Ops that are not sums of products: elementwise exp, max and min, and max/min over one axis.

On object arrays of z3 terms each builds, through checkers.smt's algebra, the very term the
symbolic interpreter builds for math.exp / arith.maximumf / arith.minimumf, so a program and
the loop nest it replaces meet in one vocabulary (exp stays an uninterpreted function).
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable

import numpy as np

from grammar.builder import Builder
from grammar.ops import (
    AttrContext,
    Attrs,
    Emitter,
    TargetOp,
    as_array,
    elementwise,
    is_symbolic,
    no_attrs,
    numel,
    on_terms,
)
from grammar.shapes import ANY, Shape, TypeRule

# --- exp ----------------------------------------------------------------------------------

def _exp_sem(args: list[np.ndarray], attrs: dict[str, object]) -> np.ndarray:
    if is_symbolic(args[0]):
        return on_terms(lambda alg, v: alg.unary("exp", v), args[0])
    return as_array(np.exp(args[0]))  # overflow gives inf: the search drops non-finite values


def _exp_linalg(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
                out: Shape) -> str:
    if not out:
        name = b.fresh()
        b.emit(f"{name} = math.exp {args[0]} : {b.elem}")
        return name
    init, name = b.empty(out), b.fresh()
    t = b.ttype(out)
    b.emit(f"{name} = linalg.exp ins({args[0]} : {t}) outs({init} : {t}) -> {t}")
    return name


def _exp_hlo(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
             out: Shape) -> str:
    name = b.fresh()
    b.emit(f"{name} = stablehlo.exponential {args[0]} : {b.ttype(out)}")
    return name


EXP = TargetOp(
    name="exp", dialects=("linalg", "stablehlo"), arity=1, rules=(TypeRule((ANY,), ANY),),
    attributes=no_attrs, semantics=_exp_sem,
    emitters={"linalg": _exp_linalg, "stablehlo": _exp_hlo},
    requires=frozenset({"exp"}), summary="elementwise exponential")


# --- elementwise max / min ----------------------------------------------------------------

def _extremum(name: str, floats: Callable[[np.ndarray, np.ndarray], np.ndarray]
              ) -> Callable[[object, object], object]:
    def fn(x: object, y: object) -> object:
        a, b = np.asarray(x), np.asarray(y)
        if is_symbolic(a, b):
            return on_terms(lambda alg, p, q: alg.binary(name, p, q), a, b)
        return floats(a, b)
    return fn


# linalg.max/min lower to arith.maximumf/minimumf and stablehlo.maximum/minimum alike: they
# propagate NaN, unlike arith.maxnumf/minnumf. The proofs are over NaN-free values (reals),
# so a nest written with maxnumf raises to the same op; only a NaN input tells them apart.
MAX = elementwise("max", "maximumf", "maximum", _extremum("max", np.maximum), "max", True,
                  polynomial=False)
MIN = elementwise("min", "minimumf", "minimum", _extremum("min", np.minimum), "min", True,
                  polynomial=False)


# --- max / min over one axis --------------------------------------------------------------

def _axis_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    for axis in range(len(shapes[0])):
        yield (("axis", axis),)


def _drop_axis(shapes: tuple[Shape, ...], attrs: dict[str, object]) -> Shape:
    return tuple(d for k, d in enumerate(shapes[0]) if k != attrs["axis"])


_BITS = {"f64": ">d", "f32": ">f", "f16": ">e"}


def _inf_literal(negative: bool, elem: str) -> str:
    """±inf as the hex literal MLIR's parser takes (it has no decimal spelling)."""
    return "0x" + struct.pack(_BITS[elem], -np.inf if negative else np.inf).hex().upper()


def _fold_sem(name: str, floats: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    def sem(args: list[np.ndarray], attrs: dict[str, object]) -> np.ndarray:
        axis = int(attrs["axis"])  # type: ignore[call-overload]
        if not is_symbolic(args[0]):
            return as_array(floats(args[0], axis=axis))
        # Folded from the first element: the emitted ±inf init is the identity, which the
        # reals lack; this is the order a nest seeded with the first element builds.
        slices = np.moveaxis(np.asarray(args[0], dtype=object), axis, 0)
        acc = as_array(slices[0])
        for part in slices[1:]:
            acc = on_terms(lambda alg, p, q: alg.binary(name, p, q), acc, part)
        return acc
    return sem


def _fold_linalg(arith: str, negative: bool) -> Emitter:
    def emit(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
             out: Shape) -> str:
        identity = b.fresh()
        b.emit(f"{identity} = arith.constant {_inf_literal(negative, b.elem)} : {b.elem}")
        init = b.fill(identity, out)
        name, value, acc, result = b.fresh(), b.fresh(), b.fresh(), b.fresh()
        tout = b.ttype(out)
        b.emit(f"{name} = linalg.reduce ins({args[0]} : {b.ttype(shapes[0])}) "
               f"outs({init} : {tout}) dimensions = [{attrs['axis']}]\n"
               f"    ({value}: {b.elem}, {acc}: {b.elem}) {{\n"
               f"      {result} = arith.{arith} {acc}, {value} : {b.elem}\n"
               f"      linalg.yield {result} : {b.elem}\n    }}")
        return b.scalar_if_0d(name, out)
    return emit


def _fold_hlo(hlo: str, negative: bool) -> Emitter:
    def emit(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
             out: Shape) -> str:
        init, name = b.fresh(), b.fresh()
        b.emit(f"{init} = stablehlo.constant dense<{_inf_literal(negative, b.elem)}> : "
               f"{b.ttype(())}")
        b.emit(f"{name} = stablehlo.reduce({args[0]} init: {init}) applies stablehlo.{hlo} "
               f"across dimensions = [{attrs['axis']}] : ({b.ttype(shapes[0])}, "
               f"{b.ttype(())}) -> {b.ttype(out)}")
        return name
    return emit


def _fold(name: str, floats: Callable[..., np.ndarray], arith: str, hlo: str,
          negative: bool) -> TargetOp:
    # `reduction`: the emitted ops leave the combination order open, and the IEEE model of
    # max (fp.max) is order-sensitive at ±0, so the IEEE mode refuses rather than guesses.
    return TargetOp(
        name=f"reduce_{name}", dialects=("linalg", "stablehlo"), arity=1, rules=(),
        attributes=_axis_attrs, semantics=_fold_sem(name, floats),
        emitters={"linalg": _fold_linalg(arith, negative), "stablehlo": _fold_hlo(hlo, negative)},
        requires=frozenset({name}), shape_fn=_drop_axis, reduction=True,
        cost=lambda shapes, attrs, out: numel(shapes[0]), summary=f"{name} over one axis")


REDUCE_MAX = _fold("max", np.max, "maximumf", "maximum", negative=True)
REDUCE_MIN = _fold("min", np.min, "minimumf", "minimum", negative=False)

NONLINEAR_OPS: tuple[TargetOp, ...] = (EXP, MAX, MIN, REDUCE_MAX, REDUCE_MIN)

"""Ops that are not sums of products: elementwise exp, max and min, and max/min over one axis.

On object arrays of z3 terms each builds, through checkers.smt's algebra, the very term the
symbolic interpreter builds for math.exp / arith.maximumf / arith.minimumf, so a program and
the loop nest it replaces meet in one vocabulary (exp stays an uninterpreted function).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from grammar.ops import (
    TargetOp,
    TermAlgebra,
    as_array,
    axis_attrs,
    drop_axis,
    elementwise,
    is_symbolic,
    no_attrs,
    numel,
    on_terms,
    reduce_emitters,
    unary_emitters,
    unary_semantics,
)
from grammar.shapes import ANY, TypeRule

# --- exp ----------------------------------------------------------------------------------

EXP = TargetOp(
    name="exp", dialects=("linalg", "stablehlo"), arity=1, rules=(TypeRule((ANY,), ANY),),
    attributes=no_attrs, semantics=unary_semantics("exp", np.exp),
    emitters=unary_emitters("exp", "exp", "exponential"),
    requires=frozenset({"exp"}), summary="elementwise exponential")


TANH = TargetOp(
    name="tanh", dialects=("linalg", "stablehlo"), arity=1, rules=(TypeRule((ANY,), ANY),),
    attributes=no_attrs, semantics=unary_semantics("tanh", np.tanh),
    emitters=unary_emitters("tanh", "tanh", "tanh"),
    requires=frozenset({"tanh"}), summary="elementwise hyperbolic tangent")

LOG = TargetOp(
    name="log", dialects=("linalg", "stablehlo"), arity=1, rules=(TypeRule((ANY,), ANY),),
    attributes=no_attrs, semantics=unary_semantics("log", np.log),
    emitters=unary_emitters("log", "log", "log"),
    requires=frozenset({"log"}), summary="elementwise natural logarithm")


# --- elementwise max / min ----------------------------------------------------------------

def _extremum(name: str, floats: Callable[[np.ndarray, np.ndarray], np.ndarray]
              ) -> Callable[..., object]:
    def fn(x: object, y: object, alg: TermAlgebra | None = None) -> object:
        a, b = np.asarray(x), np.asarray(y)
        if is_symbolic(a, b):
            return on_terms(alg, lambda alg, p, q: alg.binary(name, p, q), a, b)
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

def _fold_sem(name: str, floats: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    def sem(args: list[np.ndarray], attrs: dict[str, object],
        alg: TermAlgebra | None = None) -> np.ndarray:
        axis = int(attrs["axis"])  # type: ignore[call-overload]
        if not is_symbolic(args[0]):
            return as_array(floats(args[0], axis=axis))
        # Folded from the first element: the emitted ±inf init is the identity, which the
        # reals lack; this is the order a nest seeded with the first element builds.
        slices = np.moveaxis(np.asarray(args[0], dtype=object), axis, 0)
        acc = as_array(slices[0])
        for part in slices[1:]:
            acc = on_terms(alg, lambda alg, p, q: alg.binary(name, p, q), acc, part)
        return acc
    return sem


def _fold(name: str, floats: Callable[..., np.ndarray], arith: str, hlo: str,
          identity: float) -> TargetOp:
    # `reduction`: the emitted ops leave the combination order open, and the IEEE model of
    # max (fp.max) is order-sensitive at ±0, so the IEEE mode refuses rather than guesses.
    return TargetOp(
        name=f"reduce_{name}", dialects=("linalg", "stablehlo"), arity=1, rules=(),
        attributes=axis_attrs, semantics=_fold_sem(name, floats),
        emitters=reduce_emitters(arith, hlo, identity),
        requires=frozenset({name}), shape_fn=drop_axis, reduction=True,
        cost=lambda shapes, attrs, out: numel(shapes[0]), summary=f"{name} over one axis")


REDUCE_MAX = _fold("max", np.max, "maximumf", "maximum", identity=-np.inf)
REDUCE_MIN = _fold("min", np.min, "minimumf", "minimum", identity=np.inf)

NONLINEAR_OPS: tuple[TargetOp, ...] = (EXP, TANH, LOG, MAX, MIN, REDUCE_MAX, REDUCE_MIN)

"""Sequential linear-algebra ops: whole loop nests whose iterations read what earlier ones
wrote (forward and back substitution). StableHLO has them as single ops; linalg has none,
so these records emit StableHLO only and the linalg target keeps its slice form.

Their semantics run the substitution in the order the textbook loops do (row by row, each
row's terms subtracted in increasing column order), on numbers and on z3 terms alike, so
the proof compares like with like and a wrong variant (the other triangle, the other side,
a transposed or unit diagonal) differs in its terms.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from grammar.builder import Builder
from grammar.masked import select_hlo
from grammar.ops import AttrContext, Attrs, TargetOp, TermAlgebra, as_array
from grammar.shapes import Shape

TRANSPOSE_KINDS = ("NO_TRANSPOSE", "TRANSPOSE")
# The `requires` tag of sequential records: the search offers them only for a nest with a
# loop-carried chain, and only them.
RECURRENCE = "recurrence"


def _solve_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    """The well-typed choices: `a` square, matching b's rows (from the left) or columns
    (from the right). A vector right-hand side is a column: solving it from the right is
    solving the transposed system from the left, so one side covers it."""
    a, rhs = shapes
    if len(a) != 2 or a[0] != a[1] or len(rhs) not in (1, 2):
        return
    sides = [left for left, extent in ((True, rhs[0]), (False, rhs[-1]))
             if extent == a[0] and (left or len(rhs) == 2)]
    for left in sides:
        for lower in (True, False):
            for transpose in TRANSPOSE_KINDS:
                for unit in (False, True):
                    yield (("left_side", left), ("lower", lower),
                           ("transpose_a", transpose), ("unit_diagonal", unit))


def _coefficient(a: np.ndarray, transpose: bool, i: int, j: int) -> object:
    return a[j, i] if transpose else a[i, j]


def _substitute(a: np.ndarray, b: np.ndarray, lower: bool, transpose: bool, unit: bool,
                alg: TermAlgebra | None) -> np.ndarray:
    """x with op(a) x = b, b of shape (N, M): op(a) is lower triangular when exactly one of
    `lower` and `transpose` holds, and then rows are solved first to last."""
    n = a.shape[0]
    forward = lower != transpose
    x = np.empty(b.shape, dtype=object if alg is not None else np.float64)
    rows = range(n) if forward else range(n - 1, -1, -1)
    for i in rows:
        known = range(i) if forward else range(i + 1, n)
        for m in range(b.shape[1]):
            acc = b[i, m]
            for j in known:
                term = _coefficient(a, transpose, i, j)
                if alg is None:
                    acc = acc - term * x[j, m]
                else:
                    acc = alg.binary("sub", acc, alg.binary("mul", term, x[j, m]))
            if not unit:
                pivot = a[i, i]
                acc = acc / pivot if alg is None else alg.binary("div", acc, pivot)
            x[i, m] = acc
    return x


def _solve_sem(args: list[np.ndarray], attrs: dict[str, object],
               alg: TermAlgebra | None = None) -> np.ndarray:
    a, b = np.asarray(args[0]), np.asarray(args[1])
    lower, unit = bool(attrs["lower"]), bool(attrs["unit_diagonal"])
    transpose = attrs["transpose_a"] != "NO_TRANSPOSE"
    vector = b.ndim == 1
    rhs = b.reshape(-1, 1) if vector else b
    if not attrs["left_side"]:  # x op(a) = b  <=>  op(a)^T x^T = b^T
        out = _substitute(a, rhs.T, lower, not transpose, unit, alg).T
    else:
        out = _substitute(a, rhs, lower, transpose, unit, alg)
    return as_array(out.reshape(b.shape) if vector else out)


def _solve_hlo(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
               out: Shape) -> str:
    rhs, rhs_shape = args[1], shapes[1]
    if len(rhs_shape) == 1:  # stablehlo solves matrices: the vector as one column
        rhs_shape = (rhs_shape[0], 1)
        rhs = b.fresh()
        b.emit(f"{rhs} = stablehlo.reshape {args[1]} : ({b.ttype(shapes[1])}) -> "
               f"{b.ttype(rhs_shape)}")
    name = b.fresh()
    flags = ", ".join(f"{key} = {str(bool(attrs[key])).lower()}"
                      for key in ("left_side", "lower", "unit_diagonal"))
    b.emit(f'{name} = "stablehlo.triangular_solve"({args[0]}, {rhs}) {{{flags}, '
           f"transpose_a = #stablehlo<transpose {attrs['transpose_a']}>}} : "
           f"({b.ttype(shapes[0])}, {b.ttype(rhs_shape)}) -> {b.ttype(rhs_shape)}")
    if rhs_shape == out:
        return name
    column = b.fresh()
    b.emit(f"{column} = stablehlo.reshape {name} : ({b.ttype(rhs_shape)}) -> {b.ttype(out)}")
    return column


def _solve_cost(shapes: tuple[Shape, ...], attrs: dict[str, object], out: Shape) -> int:
    n = shapes[0][0]
    columns = shapes[1][1] if len(shapes[1]) == 2 else 1
    return n * (n + 1) // 2 * columns


TRIANGULAR_SOLVE = TargetOp(
    name="triangular_solve", dialects=("stablehlo",), arity=2,
    rules=(), shape_fn=lambda shapes, attrs: shapes[1],  # typed by the attributes
    attributes=_solve_attrs, semantics=_solve_sem, emitters={"stablehlo": _solve_hlo},
    # Offered only for nests with a loop-carried chain that divide or subtract.
    requires=frozenset({RECURRENCE, "sub"}), cost=_solve_cost, reduction=True,
    summary="forward or back substitution: x with op(a) x = b (or x op(a) = b)")

def _cholesky_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    (a,) = shapes
    if len(a) == 2 and a[0] == a[1]:
        yield (("lower", True),)
        yield (("lower", False),)


def _factor(a: np.ndarray, alg: TermAlgebra | None) -> np.ndarray:
    """L with L L^T = a, from a's lower triangle, row by row (the Banachiewicz order); zero
    above the diagonal."""
    n = a.shape[0]
    low = np.zeros(a.shape, dtype=object if alg is not None else np.float64)

    def minus(acc: Any, p: Any, q: Any) -> Any:
        return acc - p * q if alg is None else alg.binary("sub", acc, alg.binary("mul", p, q))

    for i in range(n):
        for j in range(i + 1):
            acc = a[i, j]
            for k in range(j):
                acc = minus(acc, low[i, k], low[j, k])
            if j < i:
                low[i, j] = acc / low[j, j] if alg is None else alg.binary("div", acc, low[j, j])
            else:
                low[i, i] = np.sqrt(acc) if alg is None else alg.unary("sqrt", acc)
    return low


def _cholesky_sem(args: list[np.ndarray], attrs: dict[str, object],
                  alg: TermAlgebra | None = None) -> np.ndarray:
    a = np.asarray(args[0])
    if attrs["lower"]:
        return as_array(_factor(a, alg))
    return as_array(_factor(a.T, alg).T)  # U with U^T U = a, from a's upper triangle


def _cholesky_hlo(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
                  out: Shape) -> str:
    # StableHLO leaves the other triangle implementation-defined: zero it, as the semantics
    # say, so no program reads values the spec does not fix.
    lower = bool(attrs["lower"])
    factor = b.fresh()
    b.emit(f"{factor} = stablehlo.cholesky {args[0]}, lower = {str(lower).lower()} : "
           f"{b.ttype(out)}")
    return select_hlo(b, [factor, b.hlo_constant(0.0, ())], [out, ()],
                      {"mask": "lower" if lower else "upper"}, out)


def _cholesky_cost(shapes: tuple[Shape, ...], attrs: dict[str, object], out: Shape) -> int:
    return shapes[0][0] ** 3 // 6


CHOLESKY_FACTOR = TargetOp(
    name="cholesky_factor", dialects=("stablehlo",), arity=1, rules=(),
    shape_fn=lambda shapes, attrs: shapes[0], attributes=_cholesky_attrs,
    semantics=_cholesky_sem, emitters={"stablehlo": _cholesky_hlo},
    requires=frozenset({RECURRENCE, "sub", "sqrt"}), cost=_cholesky_cost, reduction=True,
    summary="lower (or upper) triangular factor of a symmetric positive definite matrix (zero elsewhere)")

SOLVE_OPS: tuple[TargetOp, ...] = (TRIANGULAR_SOLVE, CHOLESKY_FACTOR)

"""Everything that touches z3: the symbolic algebra, symbolic inputs, and the equivalence
query. Reals by default: programs equal up to reassociation are equal here. The IEEE mode
(`FPAlgebra`, `check_equivalent_ieee`) uses Z3's floating-point theory with round-to-nearest-
even: there (a + b) + c and a + (b + c) differ.

Its length: it is the one module that imports z3 (a layer rule), so every use of z3
lives here.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import z3

_POW = z3.Function("pow", z3.RealSort(), z3.RealSort(), z3.RealSort())
# Transcendental functions are uninterpreted: both sides must apply the same function to
# equal arguments.
_UNINTERPRETED = {name: z3.Function(name, z3.RealSort(), z3.RealSort())
                  for name in ("exp", "tanh", "log")}


@dataclass(frozen=True)
class Infinity:
    """A ±inf constant (the identity a max/min reduction starts from). The reals have no
    such value: max and min with it are exact (identity or absorbing), any other use is
    refused as not modelled."""

    negative: bool


def _real(value: object) -> object:
    if isinstance(value, Infinity):
        raise NotImplementedError("arithmetic on an infinite constant")
    if isinstance(value, (int, float, np.floating, np.integer)) and not isinstance(value, bool):
        return z3.RealVal(float(value))
    return value


def _extremum_with_infinity(name: str, a: object, b: object) -> object:
    """max/min where an operand is ±inf: -inf is max's identity and min's absorbing value."""
    for inf, other in ((a, b), (b, a)):
        if isinstance(inf, Infinity):
            keeps_other = inf.negative == (name == "max")
            return other if keeps_other else inf
    raise AssertionError("no infinite operand")


def _compare_with_infinity(base: str, lhs: object, rhs: object) -> bool:
    """A comparison where an operand is ±inf: every real lies strictly between -inf and
    +inf (the reals are NaN-free), so the answer does not depend on the other operand."""
    def rank(value: object) -> int:
        if isinstance(value, Infinity):
            return -1 if value.negative else 1
        return 0
    a, b = rank(lhs), rank(rhs)
    if a == b:  # both the same infinity (two finite values are not compared here)
        return base in ("eq", "le", "ge")
    return {"eq": False, "ne": True, "lt": a < b, "le": a < b, "gt": a > b,
            "ge": a > b}[base]


# z3's operators coerce and sort-check in Python (about 25 us a term); the C constructors
# take 8. Sorts are still checked by z3 itself: a mismatch raises, and the operator path
# (which coerces) takes over.
_NARY = {"add": z3.Z3_mk_add, "mul": z3.Z3_mk_mul, "sub": z3.Z3_mk_sub}


def _fast(name: str, terms: list[Any]) -> object | None:
    """The n-ary term `name`(terms) built directly, or None when an operand is not a
    z3 arithmetic term (a number, a bit-vector, an FP value)."""
    if not all(type(t) in _ARITH_TYPES for t in terms):
        return None
    ctx = terms[0].ctx
    array = (z3.Ast * len(terms))(*(t.as_ast() for t in terms))
    try:
        return z3.ArithRef(_NARY[name](ctx.ref(), len(terms), array), ctx)
    except z3.Z3Exception:
        return None


_ARITH_TYPES = (z3.ArithRef, z3.RatNumRef, z3.IntNumRef, z3.AlgebraicNumRef)


class Z3Algebra:
    """Data operations building z3 terms; exp/pow are uninterpreted functions (the
    same function on both sides, so equal arguments give equal results)."""

    def total(self, terms: list[object]) -> object:
        """terms[0] + terms[1] + ... as one n-ary sum (reals: the order is immaterial)."""
        if len(terms) == 1:
            return terms[0]
        values = [_real(t) for t in terms]
        fast = _fast("add", values)
        return fast if fast is not None else z3.Sum(*values)  # type: ignore[arg-type]

    def binary(self, name: str, lhs: object, rhs: object) -> object:
        if name in ("max", "min") and (isinstance(lhs, Infinity) or isinstance(rhs, Infinity)):
            return _extremum_with_infinity(name, lhs, rhs)
        a, b = _real(lhs), _real(rhs)
        if name in _NARY:
            fast = _fast(name, [a, b])
            if fast is not None:
                return fast
        if name == "add":
            return a + b  # type: ignore[operator]
        if name == "sub":
            return a - b  # type: ignore[operator]
        if name == "mul":
            return a * b  # type: ignore[operator]
        if name == "div":
            return a / b  # type: ignore[operator]
        if name == "max":
            return z3.If(a >= b, a, b)  # type: ignore[operator]
        if name == "min":
            return z3.If(a <= b, a, b)  # type: ignore[operator]
        if name == "pow":
            return _POW(a, b)
        raise NotImplementedError(f"symbolic {name}")

    def unary(self, name: str, value: object) -> object:
        v = _real(value)
        if name == "neg":
            return -v  # type: ignore[operator]
        if name == "sqrt":  # a power term, the same one the grammar's sqrt builds
            return v ** 0.5  # type: ignore[operator]
        if name in _UNINTERPRETED:
            return _UNINTERPRETED[name](v)
        if name == "abs":
            return z3.If(v >= 0, v, -v)  # type: ignore[operator]
        if name in ("id", "tofloat", "toint"):
            return v
        raise NotImplementedError(f"symbolic {name}")

    def compare(self, pred: str, lhs: object, rhs: object) -> object:
        base = pred[1:] if pred[0] in "ous" and pred not in ("one", "une") else pred
        base = {"one": "ne", "une": "ne"}.get(pred, base)
        if isinstance(lhs, Infinity) or isinstance(rhs, Infinity):
            return z3.BoolVal(_compare_with_infinity(base, lhs, rhs))
        a, b = _real(lhs), _real(rhs)
        table = {"eq": lambda: a == b, "ne": lambda: a != b,
                 "lt": lambda: a < b, "le": lambda: a <= b,  # type: ignore[operator]
                 "gt": lambda: a > b, "ge": lambda: a >= b}  # type: ignore[operator]
        return table[base]()

    def select(self, cond: object, lhs: object, rhs: object) -> object:
        if z3.is_true(cond):  # decided (a comparison with ±inf): the other side may be ±inf
            return lhs
        if z3.is_false(cond):
            return rhs
        return z3.If(cond, _real(lhs), _real(rhs))

    def constant(self, value: float, elem: str) -> object:
        if math.isinf(value):
            return Infinity(value < 0)
        if math.isnan(value):
            raise NotImplementedError("a NaN constant has no real value")
        return z3.RealVal(float(value))

    def is_concrete_true(self, cond: object) -> bool | None:
        simplified = z3.simplify(cond)
        if z3.is_true(simplified):
            return True
        if z3.is_false(simplified):
            return False
        return None


_FP_SORTS = {"f64": z3.Float64, "f32": z3.Float32, "f16": z3.Float16}


class FPAlgebra(Z3Algebra):
    """IEEE arithmetic of one element type (Float64 for f64, Float32 for f32), rounding to
    nearest even, as the compiled code does (no fast-math)."""

    def __init__(self, elem: str = "f64") -> None:
        if elem not in _FP_SORTS:
            raise NotImplementedError(f"IEEE mode for element type {elem}")
        self.sort = _FP_SORTS[elem]()
        self.rm = z3.RNE()

    def _fp(self, value: object) -> object:
        if isinstance(value, (int, float, np.floating, np.integer)) and \
                not isinstance(value, bool):
            return z3.FPVal(float(value), self.sort)
        return value

    def total(self, terms: list[object]) -> object:
        """A left fold: in IEEE arithmetic the order of a sum is part of its value."""
        acc = terms[0]
        for term in terms[1:]:
            acc = self.binary("add", acc, term)
        return acc

    def binary(self, name: str, lhs: object, rhs: object) -> object:
        a, b = self._fp(lhs), self._fp(rhs)
        table = {"add": z3.fpAdd, "sub": z3.fpSub, "mul": z3.fpMul, "div": z3.fpDiv}
        if name in table:
            return table[name](self.rm, a, b)
        if name in ("max", "min"):
            return (z3.fpMax if name == "max" else z3.fpMin)(a, b)
        raise NotImplementedError(f"IEEE symbolic {name}")

    def unary(self, name: str, value: object) -> object:
        v = self._fp(value)
        if name == "neg":
            return z3.fpNeg(v)
        if name == "sqrt":
            return z3.fpSqrt(self.rm, v)
        if name == "abs":
            return z3.fpAbs(v)
        if name == "id":
            return v
        raise NotImplementedError(f"IEEE symbolic {name}")

    def compare(self, pred: str, lhs: object, rhs: object) -> object:
        a, b = self._fp(lhs), self._fp(rhs)
        base = pred[1:] if pred[0] in "ou" and pred not in ("one", "une") else pred
        if pred in ("one", "une"):
            return z3.Not(z3.fpEQ(a, b))
        table = {"eq": z3.fpEQ, "lt": z3.fpLT, "le": z3.fpLEQ, "gt": z3.fpGT, "ge": z3.fpGEQ}
        if base not in table:
            raise NotImplementedError(f"IEEE comparison {pred}")
        return table[base](a, b)

    def select(self, cond: object, lhs: object, rhs: object) -> object:
        return z3.If(cond, self._fp(lhs), self._fp(rhs))

    def constant(self, value: float, elem: str) -> object:
        return z3.FPVal(float(value), self.sort)


def symbolic_array(name: str, shape: tuple[int, ...], elem: str | None = None) -> np.ndarray:
    """An object array of fresh variables `name[i,j]`: reals, or IEEE floats of `elem`."""
    out = np.empty(shape, dtype=object)
    for index in np.ndindex(*shape):
        out[index] = symbolic_scalar(f"{name}[{','.join(map(str, index))}]", elem)
    return out


def symbolic_scalar(name: str, elem: str | None = None) -> object:
    if elem is None:
        return z3.Real(name)
    return z3.FP(name, FPAlgebra(elem).sort)


def algebra_of(*arrays: np.ndarray) -> Z3Algebra:
    """The algebra whose terms `arrays` hold: IEEE of their float sort, else reals.
    Grammar semantics build through it, so a candidate's max/exp/... is the very term the
    interpreter builds for the same op in the same mode."""
    for array in arrays:
        for value in np.asarray(array, dtype=object).flat:
            if not z3.is_expr(value):
                continue  # a plain number (a fill's constant) says nothing
            if not z3.is_fp(value):
                return Z3Algebra()
            sort = value.sort()
            for elem, make in _FP_SORTS.items():
                if make() == sort:
                    return FPAlgebra(elem)
            raise NotImplementedError(f"IEEE mode for sort {sort}")
    return Z3Algebra()


def free_variables(values: np.ndarray) -> set[str]:
    """Names of the variables the terms in `values` depend on. Walks the term DAG through
    z3's C API (wrapping every node as a Python term costs 10x); a node reached twice is
    visited once. The raw nodes stay alive through the terms in `values`."""
    exprs = [v for v in values.ravel() if z3.is_expr(v)]
    if not exprs:
        return set()
    ctx = exprs[0].ctx.ref()
    seen: set[int] = set()
    names: set[str] = set()
    stack = [e.as_ast() for e in exprs]
    while stack:
        ast = stack.pop()
        key = z3.Z3_get_ast_id(ctx, ast)
        if key in seen or z3.Z3_get_ast_kind(ctx, ast) != z3.Z3_APP_AST:
            continue
        seen.add(key)
        app = z3.Z3_to_app(ctx, ast)
        count = z3.Z3_get_app_num_args(ctx, app)
        if count == 0:
            decl = z3.Z3_get_app_decl(ctx, app)
            if z3.Z3_get_decl_kind(ctx, decl) == z3.Z3_OP_UNINTERPRETED:
                names.add(z3.Z3_get_symbol_string(ctx, z3.Z3_get_decl_name(ctx, decl)))
            continue
        stack.extend(z3.Z3_get_app_arg(ctx, app, k) for k in range(count))
    return names


def unchanged_elements(output: np.ndarray, original: np.ndarray) -> np.ndarray:
    """Where `output` is still exactly the variable it started as (never written, or
    written back unchanged): a boolean array."""
    same = np.zeros(output.shape, dtype=bool)
    for index in np.ndindex(*output.shape):
        value = output[index]
        same[index] = z3.is_expr(value) and value.eq(original[index])  # type: ignore[attr-defined]
    return same


@dataclass
class ProofOutcome:
    """`proved`, `counterexample` (with a model: variable name -> float) or `unproved`."""

    status: str
    model: dict[str, float] = field(default_factory=dict)
    detail: str = ""
    # On a counterexample: the first output element that differs, and its two values
    # (original, candidate) under the model.
    index: tuple[int, ...] | None = None
    values: tuple[float, float] | None = None


def _model_values(model: z3.ModelRef) -> dict[str, float]:
    values = {}
    for decl in model.decls():
        if decl.arity() != 0:
            continue
        value = model[decl]
        try:
            if z3.is_fp_value(value):
                values[decl.name()] = _fp_float(value)
            elif z3.is_bv_value(value):
                values[decl.name()] = float(value.as_signed_long())
            elif z3.is_rational_value(value):
                values[decl.name()] = float(value.as_fraction())
            elif z3.is_algebraic_value(value):
                values[decl.name()] = float(value.approx(12).as_fraction())
        except (ValueError, z3.Z3Exception):
            continue
    return values


def _solve(pending: list[Any], where: list[tuple[tuple[int, ...], object, object]],
           timeout_ms: int, locate: bool, label: str) -> tuple[ProofOutcome | None, str]:
    """Ask whether any pending inequality can hold: proved, a counterexample, or None with
    the solver's reason for giving up."""
    solver = z3.Solver()
    solver.set("timeout", timeout_ms)
    solver.add(z3.Or(*pending))
    result = solver.check()
    if result == z3.unsat:
        return ProofOutcome("proved", detail=f"{label}: unsat"), ""
    if result == z3.sat:
        return _counterexample(solver.model(), pending, where if locate else []), ""
    return None, str(solver.reason_unknown())


def check_equivalent(original: np.ndarray, candidate: np.ndarray,
                     timeout_ms: int = 10_000, locate: bool = False) -> ProofOutcome:
    """Can any element of `candidate` differ from `original`? Over the reals. `locate`: on
    a counterexample, also find the element that differs and its two values (costly on
    big terms; the search only needs the model)."""
    if original.shape != candidate.shape:
        return ProofOutcome("counterexample", detail="shapes differ")
    pending, where = [], []
    for index in np.ndindex(*original.shape):
        o, c = _real(original[index]), _real(candidate[index])
        diff = z3.simplify(o - c, som=True)  # type: ignore[operator]
        if z3.is_rational_value(diff) and diff.as_fraction() == 0:
            continue
        pending.append(o != c)  # type: ignore[operator]
        where.append((index, o, c))
    if not pending:
        return ProofOutcome("proved", detail="normal forms agree")
    outcome, reason = _solve(pending, where, timeout_ms, locate, "solver")
    if outcome is not None:
        return outcome
    sampled = _sampled_counterexample(where)
    if sampled is not None:
        return sampled
    return ProofOutcome("unproved", detail=f"solver: {reason}")


SAMPLES = 4


def _variables(terms: list[object]) -> list[z3.ExprRef]:
    seen: dict[int, z3.ExprRef] = {}
    found: dict[str, z3.ExprRef] = {}
    stack = [t for t in terms if z3.is_expr(t)]
    while stack:
        expr = stack.pop()
        if expr.get_id() in seen:  # type: ignore[attr-defined]
            continue
        seen[expr.get_id()] = expr  # type: ignore[attr-defined]
        if z3.is_const(expr) and expr.decl().kind() == z3.Z3_OP_UNINTERPRETED:  # type: ignore
            found[str(expr)] = expr  # type: ignore[assignment]
        else:
            stack.extend(expr.children())  # type: ignore[attr-defined]
    return [found[name] for name in sorted(found)]


def _sampled_counterexample(where: list[tuple[tuple[int, ...], object, object]]
                            ) -> ProofOutcome | None:
    """When the solver gives up (non-linear terms, square roots): evaluate both sides
    exactly at a few rational points (positive first: sqrt's domain). A point where they
    differ is a counterexample as good as a model; finding none proves nothing."""
    variables = _variables([t for _, o, c in where for t in (o, c)])
    rng = random.Random(0)
    for attempt in range(SAMPLES):
        low = 4 if attempt % 2 == 0 else -16
        point = {str(v): Fraction(rng.choice([k for k in range(low, 17) if k]), 8)
                 for v in variables}
        subst = [(v, z3.RealVal(point[str(v)])) for v in variables]
        for index, o, c in where:
            a, b = (z3.simplify(z3.substitute(_real(t), *subst)) for t in (o, c))
            if not all(z3.is_rational_value(t) or z3.is_algebraic_value(t) for t in (a, b)):
                continue  # e.g. the square root of a negative: undefined, try elsewhere
            if z3.is_true(z3.simplify(a != b)):  # type: ignore[operator]
                return ProofOutcome("counterexample", {k: float(v) for k, v in point.items()},
                                    detail=f"element {list(index)} differs at a sampled "
                                           "point (solver gave up)",
                                    index=index, values=(_as_float(a), _as_float(b)))
    return None


def _as_float(value: object) -> float:
    """A z3 numeral as the nearest float (huge rationals via their decimal expansion)."""
    try:
        if z3.is_fp_value(value):
            return _fp_float(value)  # type: ignore[arg-type]
        if z3.is_bv_value(value):
            return float(value.as_signed_long())  # type: ignore[attr-defined]
        if z3.is_rational_value(value):
            return float(value.as_fraction())  # type: ignore[attr-defined]
        if z3.is_algebraic_value(value):
            return float(value.approx(12).as_fraction())  # type: ignore[attr-defined]
    except (ValueError, OverflowError, z3.Z3Exception):
        try:
            return float(value.as_decimal(20).rstrip("?"))  # type: ignore[attr-defined]
        except (ValueError, OverflowError, z3.Z3Exception, AttributeError):
            pass
    return float("nan")


def _counterexample(model: z3.ModelRef, pending: list[Any],
                    where: list[tuple[tuple[int, ...], object, object]]) -> ProofOutcome:
    """The model, and the first element it makes differ (variables the model leaves out
    are 0: they do not matter for the difference)."""
    outcome = ProofOutcome("counterexample", _model_values(model))
    for differs, (index, o, c) in zip(pending, where):
        if z3.is_true(model.eval(differs, model_completion=True)):
            outcome.index = index
            outcome.values = (_as_float(model.eval(o, model_completion=True)),
                              _as_float(model.eval(c, model_completion=True)))
            outcome.detail = f"element {list(index)} differs"
            break
    return outcome


def _fp_float(value: z3.FPNumRef) -> float:
    if value.isNaN():
        return float("nan")
    if value.isInf():
        return float("-inf") if value.sign() else float("inf")
    real = z3.simplify(z3.fpToReal(value))
    number = float(real.as_fraction())  # type: ignore[attr-defined]
    return -0.0 if number == 0 and value.sign() else number


def _ieee_normal(expr: object, memo: dict[int, object]) -> object:
    """The term with the operands of fp.add / fp.mul in a fixed order: IEEE addition and
    multiplication are commutative (bit for bit), only not associative."""
    if not z3.is_app(expr):
        return expr
    key = expr.get_id()  # type: ignore[attr-defined]
    if key in memo:
        return memo[key]
    children = [_ieee_normal(c, memo) for c in expr.children()]  # type: ignore[attr-defined]
    kind = expr.decl().kind()  # type: ignore[attr-defined]
    if kind in (z3.Z3_OP_FPA_ADD, z3.Z3_OP_FPA_MUL) and len(children) == 3:
        rm, a, b = children
        if a.get_id() > b.get_id():  # type: ignore[attr-defined]
            a, b = b, a
        out = (z3.fpAdd if kind == z3.Z3_OP_FPA_ADD else z3.fpMul)(rm, a, b)
    elif children:
        out = expr.decl()(*children)  # type: ignore[attr-defined]
    else:
        out = expr
    memo[key] = out
    return out


def _fp_pair(a: object, b: object) -> tuple[object, object]:
    """Plain numbers (a fill's constant) as IEEE values of the other side's sort."""
    sort = next((v.sort() for v in (a, b) if z3.is_fp(v)), z3.Float64())  # type: ignore
    a, b = ((z3.FPVal(float(v), sort) if not z3.is_expr(v) else v)  # type: ignore[arg-type]
            for v in (a, b))
    return a, b


def check_equivalent_ieee(original: np.ndarray, candidate: np.ndarray,
                          timeout_ms: int = 10_000, locate: bool = False) -> ProofOutcome:
    """Can any element of `candidate` differ from `original` in IEEE arithmetic? Equal
    means the same bits (SMT-LIB `=`: +0 and -0 differ, all NaNs are one value)."""
    if original.shape != candidate.shape:
        return ProofOutcome("counterexample", detail="shapes differ")
    memo: dict[int, object] = {}
    pending, where = [], []
    for index in np.ndindex(*original.shape):
        a, b = _fp_pair(original[index], candidate[index])
        a, b = _ieee_normal(a, memo), _ieee_normal(b, memo)
        if not a.eq(b):  # type: ignore[attr-defined]
            pending.append(a != b)  # type: ignore[operator]
            where.append((index, a, b))
    if not pending:
        return ProofOutcome("proved", detail="identical IEEE terms (up to commutativity)")
    outcome, reason = _solve(pending, where, timeout_ms, locate, "IEEE solver")
    return outcome or ProofOutcome("unproved", detail=f"IEEE solver: {reason}")


# --- integers as the machine has them: two's-complement bit-vectors ------------------------

class NotBitVector(Exception):
    """A real term with no bit-vector counterpart (a division, a fraction, a function)."""


# Each real operation's bit-vector counterpart (Python's operators on z3 bit-vectors are
# the wrapping ones, comparisons signed).
_BV_OPS: dict[int, Callable[[list[Any]], Any]] = {
    z3.Z3_OP_ADD: lambda a: z3.Sum(*a),
    z3.Z3_OP_MUL: lambda a: z3.Product(*a),
    z3.Z3_OP_SUB: lambda a: functools.reduce(lambda x, y: x - y, a),
    z3.Z3_OP_UMINUS: lambda a: -a[0],
    z3.Z3_OP_LT: lambda a: a[0] < a[1], z3.Z3_OP_LE: lambda a: a[0] <= a[1],
    z3.Z3_OP_GT: lambda a: a[0] > a[1], z3.Z3_OP_GE: lambda a: a[0] >= a[1],
    z3.Z3_OP_EQ: lambda a: a[0] == a[1], z3.Z3_OP_DISTINCT: lambda a: z3.Distinct(*a),
    z3.Z3_OP_ITE: lambda a: z3.If(*a),
    z3.Z3_OP_AND: lambda a: z3.And(*a), z3.Z3_OP_OR: lambda a: z3.Or(*a),
    z3.Z3_OP_NOT: lambda a: z3.Not(a[0]),
}


def _bitvector(term: Any, width: int, memo: dict[int, Any]) -> Any:
    """`term` (built over the reals from integer data) with every variable a `width`-bit
    vector and every operation the machine's: +, -, * wrap around, comparisons signed."""
    key = term.get_id()
    if key in memo:
        return memo[key]
    if z3.is_rational_value(term):
        fraction = term.as_fraction()
        if fraction.denominator != 1:
            raise NotBitVector(f"the fraction {fraction}")
        out: Any = z3.BitVecVal(fraction.numerator, width)
    elif z3.is_const(term) and term.decl().kind() == z3.Z3_OP_UNINTERPRETED:
        out = z3.BitVec(term.decl().name(), width) if z3.is_arith(term) else term
    elif z3.is_true(term) or z3.is_false(term):
        out = term
    else:
        build = _BV_OPS.get(term.decl().kind())
        if build is None:
            raise NotBitVector(f"{term.decl().name()} (no machine-integer counterpart "
                               "modelled)")
        out = build([_bitvector(child, width, memo) for child in term.children()])
    memo[key] = out
    return out


def check_equivalent_wrapping(original: np.ndarray, candidate: np.ndarray, width: int,
                              timeout_ms: int = 10_000) -> ProofOutcome:
    """Can any element differ when the data are `width`-bit two's-complement integers and
    every +, -, * wraps around (Z3's bit-vectors)? Both sides are the terms the real proof
    used, translated; a term with no counterpart gives `unproved` with the reason."""
    if original.shape != candidate.shape:
        return ProofOutcome("counterexample", detail="shapes differ")
    memo: dict[int, Any] = {}
    pending, where = [], []
    try:
        for index in np.ndindex(*original.shape):
            o, c = _real(original[index]), _real(candidate[index])
            if z3.is_expr(o) and z3.is_expr(c) and o.eq(c):  # type: ignore[attr-defined]
                continue
            a = _bitvector(o, width, memo)
            b = _bitvector(c, width, memo)
            diff = z3.simplify(a - b)
            if z3.is_bv_value(diff) and diff.as_long() == 0:
                continue
            pending.append(a != b)
            where.append((index, a, b))
    except NotBitVector as err:
        return ProofOutcome("unproved", detail=f"bit-vectors: {err}")
    if not pending:
        return ProofOutcome("proved", detail="bit-vectors: equal normal forms")
    outcome, reason = _solve(pending, where, timeout_ms, True, "bit-vector solver")
    return outcome or ProofOutcome("unproved", detail=f"bit-vector solver: {reason}")


# --- reading terms: the trace as a sketch ---------------------------------------------------

_TERM_KINDS = {
    z3.Z3_OP_ADD: "add", z3.Z3_OP_SUB: "sub", z3.Z3_OP_MUL: "mul", z3.Z3_OP_DIV: "div",
    z3.Z3_OP_UMINUS: "neg", z3.Z3_OP_POWER: "pow", z3.Z3_OP_ITE: "ite",
    z3.Z3_OP_LT: "lt", z3.Z3_OP_LE: "le", z3.Z3_OP_GT: "gt", z3.Z3_OP_GE: "ge",
    z3.Z3_OP_EQ: "eq", z3.Z3_OP_DISTINCT: "ne", z3.Z3_OP_NOT: "not",
}


def term_parts(term: object) -> tuple[str, tuple[object, ...], object]:
    """(kind, children, payload) of a real-valued trace term: `var` (payload: its name),
    `const` (payload: its value), `app` (an uninterpreted function such as exp; payload: its
    name), an arithmetic or comparison kind (add, sub, mul, div, neg, pow, ite, lt, ..., ne,
    not), or `other` for what the sketch does not read."""
    if isinstance(term, (int, float, np.floating, np.integer)) and not isinstance(term, bool):
        return "const", (), float(term)
    if not z3.is_expr(term):
        return "other", (), None
    if z3.is_rational_value(term):
        return "const", (), float(term.as_fraction())  # type: ignore[attr-defined]
    decl = term.decl()  # type: ignore[attr-defined]
    children = tuple(term.children())  # type: ignore[attr-defined]
    if decl.kind() == z3.Z3_OP_UNINTERPRETED:
        return ("var", (), decl.name()) if not children else ("app", children, decl.name())
    return _TERM_KINDS.get(decl.kind(), "other"), children, None


def same_term(a: object, b: object) -> bool:
    """Structurally identical terms (z3 shares equal subterms, so this is cheap)."""
    if a is b:
        return True
    if z3.is_expr(a) and z3.is_expr(b):
        return bool(a.eq(b))  # type: ignore[attr-defined]
    ka, kb = term_parts(a), term_parts(b)
    return ka[0] == kb[0] == "const" and ka[2] == kb[2]


def term_key(term: object) -> object:
    """A hashable identity of a term (equal for structurally identical terms)."""
    if z3.is_expr(term):
        return term.get_id()  # type: ignore[attr-defined]
    kind, _, payload = term_parts(term)
    return (kind, payload)


_APPLY = {"exp": np.exp, "tanh": np.tanh, "log": np.log, "pow": np.power}


def term_values(terms: np.ndarray, assignment: dict[str, float]) -> np.ndarray:
    """The float value of every term with its variables set from `assignment`."""
    memo: dict[object, float] = {}

    def value(term: object) -> float:
        key = term_key(term)
        if key in memo:
            return memo[key]
        kind, children, payload = term_parts(term)
        args = [value(c) for c in children]
        with np.errstate(all="ignore"):
            result = _combine_values(kind, args, payload, assignment)
        memo[key] = result
        return result

    out = np.empty(terms.shape, dtype=np.float64)
    for index in np.ndindex(*terms.shape):
        out[index] = value(terms[index])
    return out


def _combine_values(kind: str, args: list[float], payload: object,
                    assignment: dict[str, float]) -> float:
    if kind == "var":
        return float(assignment[str(payload)])
    if kind == "const":
        return float(payload)  # type: ignore[arg-type]
    folds = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b}
    if kind in folds:
        acc = args[0]
        for arg in args[1:]:
            acc = folds[kind](acc, arg)
        return float(acc)
    simple = {"div": lambda: np.float64(args[0]) / args[1], "neg": lambda: -args[0],
              "pow": lambda: np.float64(args[0]) ** args[1],
              "ite": lambda: args[1] if args[0] else args[2],
              "lt": lambda: args[0] < args[1], "le": lambda: args[0] <= args[1],
              "gt": lambda: args[0] > args[1], "ge": lambda: args[0] >= args[1],
              "eq": lambda: args[0] == args[1], "ne": lambda: args[0] != args[1],
              "not": lambda: not args[0]}
    if kind in simple:
        return float(simple[kind]())
    if kind == "app" and payload in _APPLY:
        return float(_APPLY[str(payload)](*args))
    raise NotImplementedError(f"no value for a {kind} term")


def exact_constants(values: np.ndarray, *like: np.ndarray) -> np.ndarray:
    """`values` (numbers) as constant terms of the algebra `like` holds, so arithmetic on
    constants stays exact (1.0 / 9.0 is the real 1/9, as the nest's trace has it)."""
    algebra = algebra_of(*like)
    out = np.empty(np.shape(values), dtype=object)
    for index in np.ndindex(*out.shape):
        out[index] = algebra.constant(float(np.asarray(values)[index]), "f64")
    return out

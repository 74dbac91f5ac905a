"""Everything that touches z3: the symbolic algebra, symbolic inputs, and the equivalence
query. Reals by default: programs equal up to reassociation are equal here."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import z3

_EXP = z3.Function("exp", z3.RealSort(), z3.RealSort())
_POW = z3.Function("pow", z3.RealSort(), z3.RealSort(), z3.RealSort())
_UNINTERPRETED = {"exp": _EXP}


def _real(value: object) -> object:
    if isinstance(value, (int, float, np.floating, np.integer)) and not isinstance(value, bool):
        return z3.RealVal(float(value))
    return value


class Z3Algebra:
    """Data operations building z3 terms; exp/pow are uninterpreted functions (the
    same function on both sides, so equal arguments give equal results)."""

    def binary(self, name: str, lhs: object, rhs: object) -> object:
        a, b = _real(lhs), _real(rhs)
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
        a, b = _real(lhs), _real(rhs)
        base = pred[1:] if pred[0] in "ous" and pred not in ("one", "une") else pred
        base = {"one": "ne", "une": "ne"}.get(pred, base)
        table = {"eq": lambda: a == b, "ne": lambda: a != b, "lt": lambda: a < b,
                 "le": lambda: a <= b, "gt": lambda: a > b, "ge": lambda: a >= b}
        return table[base]()  # type: ignore[operator]

    def select(self, cond: object, lhs: object, rhs: object) -> object:
        return z3.If(cond, _real(lhs), _real(rhs))

    def constant(self, value: float, elem: str) -> object:
        return z3.RealVal(float(value))

    def is_concrete_true(self, cond: object) -> bool | None:
        simplified = z3.simplify(cond)
        if z3.is_true(simplified):
            return True
        if z3.is_false(simplified):
            return False
        return None


def symbolic_array(name: str, shape: tuple[int, ...]) -> np.ndarray:
    """An object array of fresh real variables `name[i,j]`."""
    out = np.empty(shape, dtype=object)
    for index in np.ndindex(*shape):
        out[index] = z3.Real(f"{name}[{','.join(map(str, index))}]")
    return out


def symbolic_scalar(name: str) -> object:
    return z3.Real(name)


def free_variables(values: np.ndarray) -> set[str]:
    """Names of the variables the terms in `values` depend on."""
    seen: set[int] = set()
    names: set[str] = set()
    stack = [v for v in values.ravel() if z3.is_expr(v)]
    while stack:
        expr = stack.pop()
        key = expr.get_id()
        if key in seen:
            continue
        seen.add(key)
        if z3.is_const(expr) and expr.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            names.add(expr.decl().name())
            continue
        stack.extend(expr.children())
    return names


def unchanged_elements(output: np.ndarray, original: np.ndarray) -> np.ndarray:
    """Where `output` is still exactly the variable it started as (never written, or
    written back unchanged): a boolean array."""
    same = np.zeros(output.shape, dtype=bool)
    for index in np.ndindex(*output.shape):
        value = output[index]
        same[index] = z3.is_expr(value) and value.eq(original[index])
    return same


@dataclass
class ProofOutcome:
    """`proved`, `counterexample` (with a model: variable name -> float) or `unproved`."""

    status: str
    model: dict[str, float] = field(default_factory=dict)
    detail: str = ""


def _model_values(model: z3.ModelRef) -> dict[str, float]:
    values = {}
    for decl in model.decls():
        if decl.arity() != 0:
            continue
        value = model[decl]
        try:
            if z3.is_rational_value(value):
                values[decl.name()] = float(value.as_fraction())
            elif z3.is_algebraic_value(value):
                values[decl.name()] = float(value.approx(12).as_fraction())
        except (ValueError, z3.Z3Exception):
            continue
    return values


def check_equivalent(original: np.ndarray, candidate: np.ndarray,
                     timeout_ms: int = 10_000) -> ProofOutcome:
    """Can any element of `candidate` differ from `original`? Over the reals."""
    if original.shape != candidate.shape:
        return ProofOutcome("counterexample", detail="shapes differ")
    pending = []
    for o, c in zip(original.ravel(), candidate.ravel()):
        diff = z3.simplify(_real(o) - _real(c), som=True)  # type: ignore[operator]
        if z3.is_rational_value(diff) and diff.as_fraction() == 0:
            continue
        pending.append(_real(o) != _real(c))  # type: ignore[operator]
    if not pending:
        return ProofOutcome("proved", detail="normal forms agree")
    solver = z3.Solver()
    solver.set("timeout", timeout_ms)
    solver.add(z3.Or(*pending))
    result = solver.check()
    if result == z3.unsat:
        return ProofOutcome("proved", detail="solver: unsat")
    if result == z3.sat:
        return ProofOutcome("counterexample", _model_values(solver.model()))
    return ProofOutcome("unproved", detail=f"solver: {solver.reason_unknown()}")

"""Linear-combination synthesis for stencil bodies: out = sum_k c_k * shift(x_k, o_k).

A 5- or 7-point stencil is 9-13 ops deep, beyond bottom-up enumeration. Its sketch is
fixed, though: a weighted sum of the inputs at neighbour offsets. The weights are solved
from the tests by least squares, snapped to exact values (the nest's constants, their
products, small fractions), and the resulting program is matched and proved like any
other candidate. A nest that is not such a sum (a recurrence, a product) fails the solve.
"""

from __future__ import annotations

import itertools
import time
from fractions import Fraction

import numpy as np

from checkers.smt import check_equivalent
from grammar import index_mask
from grammar.stencil import shift_offsets
from synth.problem import Problem
from synth.program import Program, evaluate, make, wrap_partial
from synth.search import SearchConfig, SearchOutcome
from synth.stats import SearchStats
from synth.store import close

RESIDUAL_TOL = 1e-9
SNAP_TOL = 1e-9
MAX_DENOMINATOR = 64


def _terms(problem: Problem, shifts: bool = True) -> list[Program]:
    """Every input of the output's shape, at every neighbour offset (`shifts`), or as it
    is (the inputs are views at their offsets already)."""
    shape = problem.output_shape
    terms = []
    for name, in_shape in problem.inputs.items():
        if in_shape != shape:
            continue
        leaf = Program(None, leaf=name, shape=shape)
        terms.append(leaf)
        if shifts:
            terms += [make("shift", (("offsets", o),), (leaf,), shape)
                      for o in shift_offsets(len(shape))]
    return terms


def _snap_candidates(constants: tuple[float, ...]) -> list[float]:
    base = [c for c in constants if c] + [1.0, 2.0, 3.0, 4.0]
    values = set(base)
    values |= {a * b for a, b in itertools.combinations_with_replacement(base, 2)}
    return sorted(values | {-v for v in values})


def _snap(value: float, candidates: list[float]) -> float | None:
    """The exact weight `value` approximates: a candidate, or a small fraction."""
    if abs(value) < SNAP_TOL:
        return 0.0
    for c in candidates:
        if abs(value - c) <= SNAP_TOL * max(1.0, abs(c)):
            return c
    fraction = Fraction(value).limit_denominator(MAX_DENOMINATOR)
    if abs(value - float(fraction)) <= SNAP_TOL * max(1.0, abs(value)):
        return float(fraction)
    return None


def _sum(terms: list[Program], shape: tuple[int, ...]) -> Program:
    total = terms[0]
    for term in terms[1:]:
        total = make("add", (), (total, term), shape)
    return total


def _program(weights: list[tuple[float, Program]], shape: tuple[int, ...]) -> Program:
    """Terms of equal |weight| share one multiply: |c| * (sum of + terms - sum of - terms);
    a group of only subtracted terms is subtracted from the rest."""
    groups: dict[float, tuple[list[Program], list[Program]]] = {}
    for weight, term in weights:
        plus, minus = groups.setdefault(abs(weight), ([], []))
        (plus if weight > 0 else minus).append(term)
    parts: list[tuple[bool, Program]] = []  # (added?, part)
    for scale, (plus, minus) in sorted(groups.items(), key=lambda g: (-len(g[1][0]) -
                                                                      len(g[1][1]), g[0])):
        part = _sum(plus or minus, shape)
        if plus and minus:
            part = make("sub", (), (part, _sum(minus, shape)), shape)
        if scale != 1.0:
            constant = make("fill", (("value", scale), ("shape", ())), (), ())
            part = make("mul", (), (constant, part), shape)
        parts.append((bool(plus), part))
    parts.sort(key=lambda p: not p[0])  # added parts first (stable)
    added, total = parts[0]
    if not added:  # every part is subtracted: negate the first
        constant = make("fill", (("value", -1.0), ("shape", ())), (), ())
        total = make("mul", (), (constant, total), shape)
    for added, part in parts[1:]:
        total = make("add" if added else "sub", (), (total, part), shape)
    return total


def _weights(problem: Problem, terms: list[Program]) -> np.ndarray | None:
    """Least-squares weights over the written elements of every test; None when the
    residual says the output is no such sum."""
    written = index_mask(problem.partial[0], problem.output_shape) if problem.partial \
        else np.ones(problem.output_shape, dtype=bool)
    columns = []
    for term in terms:
        data = np.stack([evaluate(term, t) for t in problem.tests])
        columns.append(data[:, written].ravel())
    matrix = np.stack(columns, axis=1).astype(np.float64)
    target = np.stack(problem.expected)[:, written].ravel()
    if matrix.shape[0] < matrix.shape[1]:
        return None  # too few equations to pin the weights down
    solution, *_ = np.linalg.lstsq(matrix, target, rcond=None)
    scale = max(1.0, float(np.max(np.abs(target))) if target.size else 1.0)
    if float(np.max(np.abs(matrix @ solution - target))) > RESIDUAL_TOL * scale:
        return None
    return solution


def solve_linear(problem: Problem, config: SearchConfig,
                 stats: SearchStats, shifts: bool = True) -> SearchOutcome:
    """`found` with a proved program, `counterexample` (for CEGIS), or a failure reason."""
    start = time.monotonic()
    try:
        terms = _terms(problem, shifts)
        if not terms:
            return SearchOutcome("exhausted", reason="no input of the output's shape")
        solution = _weights(problem, terms)
        if solution is None:
            return SearchOutcome("exhausted", reason="not a weighted sum of neighbour values")
        candidates = _snap_candidates(problem.constants)
        weights = []
        for value, term in zip(solution, terms):
            snapped = _snap(float(value), candidates)
            if snapped is None:
                return SearchOutcome("exhausted", reason=f"weight {value:.6g} is not exact")
            if snapped:
                weights.append((snapped, term))
        if not weights:
            return SearchOutcome("exhausted", reason="all weights are zero")
        program = wrap_partial(problem, _program(weights, problem.output_shape))
        stats.enumerated += 1
        data = np.stack([evaluate(program, t) for t in problem.tests])
        if not close(data, np.stack(problem.expected)):
            stats.reject("mismatch")
            return SearchOutcome("exhausted", reason="snapped weights do not match")
        stats.checked += 1
        proof = check_equivalent(problem.symbolic_output,
                                 evaluate(program, problem.symbolic_inputs),
                                 config.z3_timeout_ms)
        if proof.status == "proved":
            return SearchOutcome("found", program, proof)
        stats.reject(proof.status)
        return SearchOutcome(proof.status, program, proof, reason=f"weighted sum {proof.status}")
    finally:
        stats.seconds += time.monotonic() - start

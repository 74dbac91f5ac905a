"""Triangular solves and factorisations (issue 18, part 2): the `triangular_solve` and
`cholesky_factor` records' semantics against numpy's dense solver and factoriser, their
StableHLO forms compiled (our expansion) against the semantics for every attribute choice,
solves and factorisations written the ways other code writes them raised to one op with
the right attributes, the linalg target keeping them as loops (and saying why), and wrong
variants (the other triangle, the other side, a unit diagonal, a coefficient read one
column off) refuted by Z3 with a genuine counterexample."""

from __future__ import annotations

import itertools
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from checkers.execute import CompiledFunction
from checkers.smt import check_equivalent
from grammar import AttrContext
from grammar.solve import CHOLESKY_FACTOR, SOLVE_OPS, TRIANGULAR_SOLVE
from raising.analysis.decompose import symbolic_inputs_for
from raising.pipeline import RaiseOptions, RaiseResult, raise_text
from synth.program import Program, evaluate, make
from tests.mutants import _nodes, _replace
from tests.test_grammar import _harness

SOLVES = Path(__file__).parent / "solves"

# file -> the attributes its solve (or factorisation) must be found with
def _solve(left: bool, lower: bool, unit: bool, transpose: str) -> dict:
    return {"left_side": left, "lower": lower, "unit_diagonal": unit, "transpose_a": transpose}


EXPECTED = {
    "factor_lower": {"lower": True},
    "factor_upper_by_columns_f32": {"lower": False},
    "strsv_unit_upper_f32": _solve(True, False, True, "NO_TRANSPOSE"),
    "forward_by_columns": _solve(True, True, False, "NO_TRANSPOSE"),
    "transposed_back_substitution": _solve(True, True, False, "TRANSPOSE"),
    "trsm_left_lower": _solve(True, True, False, "NO_TRANSPOSE"),
    "trsm_right_upper": _solve(False, False, False, "NO_TRANSPOSE"),
}


def _dense(a: np.ndarray, attrs: dict) -> np.ndarray:
    """op(a) with only its triangle kept (and ones on a unit diagonal)."""
    tri = np.tril(a) if attrs["lower"] else np.triu(a)
    if attrs["unit_diagonal"]:
        np.fill_diagonal(tri, 1.0)
    return tri.T if attrs["transpose_a"] == "TRANSPOSE" else tri


def _all_attrs(shapes):
    return [dict(a) for a in TRIANGULAR_SOLVE.attributes(shapes, AttrContext())]


@pytest.mark.parametrize("shapes", [((1, 1), (1,)), ((4, 4), (4,)), ((3, 3), (3, 2)),
                                    ((3, 3), (2, 3)), ((2, 2), (2, 2))], ids=str)
def test_semantics_solve_the_stated_system(shapes):
    rng = np.random.default_rng(1)
    a = rng.normal(size=shapes[0]) + 4 * np.eye(shapes[0][0])
    b = rng.normal(size=shapes[1])
    choices = _all_attrs(shapes)
    assert choices, "no well-typed attributes"
    for attrs in choices:
        x = TRIANGULAR_SOLVE.semantics([a, b], attrs, None)
        op_a = _dense(a, attrs)
        if attrs["left_side"]:
            expected = np.linalg.solve(op_a, b)
        else:
            expected = np.linalg.solve(op_a.T, b.T).T
        np.testing.assert_allclose(x, expected, rtol=1e-10, atol=1e-12, err_msg=str(attrs))


def test_ill_typed_operands_have_no_attributes():
    assert not _all_attrs(((3, 4), (3,)))  # not square
    assert not _all_attrs(((3, 3), (4,)))  # rows differ
    assert [a["left_side"] for a in _all_attrs(((3, 3), (2, 3)))] == [False] * 8
    assert [a["left_side"] for a in _all_attrs(((3, 3), (3, 5)))] == [True] * 8


@pytest.mark.parametrize("shapes", [((5, 5), (5,)), ((3, 3), (3, 2)), ((3, 3), (4, 3))],
                         ids=str)
def test_expansion_computes_the_semantics_for_every_attribute(shapes):
    """Our lowering of the StableHLO op (core/sequential_ops.py), compiled, against the
    record's semantics: both triangles, both sides, transposed, unit diagonal."""
    rng = np.random.default_rng(2)
    out = shapes[1]
    for attrs in _all_attrs(shapes):
        text = _harness(TRIANGULAR_SOLVE, "stablehlo", shapes, tuple(attrs.items()), out)
        a = rng.uniform(0.5, 2.0, size=shapes[0])
        b = rng.normal(size=shapes[1])
        result = np.zeros(out)
        CompiledFunction(text, "f").run([a, b, result])
        expected = TRIANGULAR_SOLVE.semantics([a, b], attrs, None)
        np.testing.assert_allclose(result, expected, rtol=1e-12, atol=1e-12,
                                   err_msg=f"{attrs}\n{text}")


@cache
def _raised(name: str, target: str) -> RaiseResult:
    path = SOLVES / f"{name}.mlir"
    return raise_text(path.read_text(), str(path), RaiseOptions(target=target))


SEQUENTIAL = {op.name for op in SOLVE_OPS}


def _solve_node(program: Program) -> Program:
    nodes = [n for n in _nodes(program) if n.op in SEQUENTIAL]
    assert len(nodes) == 1, str(program)
    return nodes[0]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_solves_raise_to_one_sequential_op(name):
    result = _raised(name, "stablehlo")
    regions = [r for f in result.report["functions"] for r in f["regions"]]
    raised = [r for r in regions if r["status"] == "raised"]
    assert len(raised) == 1, regions
    assert raised[0]["proof"]["result"] == "proved"
    (solved,) = result.solved
    (program,) = solved.programs.values()
    node = _solve_node(program)
    assert dict(node.attrs) == EXPECTED[name]
    assert node.op in raised[0]["ops"]
    spelled = {"triangular_solve": '"stablehlo.triangular_solve"',
               "cholesky_factor": "stablehlo.cholesky"}[node.op]
    assert spelled in result.text


@pytest.mark.parametrize(("name", "op"), [("forward_by_columns", "triangular_solve"),
                                         ("trsm_right_upper", "triangular_solve"),
                                         ("factor_lower", "cholesky_factor")])
def test_linalg_target_keeps_the_loop_and_says_why(name, op):
    result = _raised(name, "linalg")
    (region,) = [r for f in result.report["functions"] for r in f["regions"]
                 if r.get("path") is None]
    assert region["status"] == "unraised"
    assert f"stablehlo.{op}" in region["reason"]
    assert "linalg has no op for" in region["reason"]
    assert "stablehlo" not in result.text


def _flipped(node: Program, key: str, value: object) -> Program | None:
    attrs = dict(node.attrs)
    if attrs[key] == value:
        return None
    attrs[key] = value
    record = TRIANGULAR_SOLVE if node.op == TRIANGULAR_SOLVE.name else CHOLESKY_FACTOR
    typed = [dict(a) for a in record.attributes(tuple(c.shape for c in node.children),
                                                AttrContext())]
    if attrs not in typed:
        return None
    return make(node.op, tuple(attrs.items()), node.children, node.shape)


def _mutants(program: Program):
    """(kind, program, input change) for each wrong variant of the program's solve."""
    node = _solve_node(program)
    attrs = dict(node.attrs)
    flips = {"wrong triangle": ("lower", not attrs["lower"])}
    if node.op == "triangular_solve":
        flips.update({"swapped side": ("left_side", not attrs["left_side"]),
                      "transposed": ("transpose_a", "TRANSPOSE" if attrs["transpose_a"] ==
                                     "NO_TRANSPOSE" else "NO_TRANSPOSE"),
                      "unit diagonal": ("unit_diagonal", not attrs["unit_diagonal"])})
    for kind, (key, value) in flips.items():
        new = _flipped(node, key, value)
        if new is not None:
            yield kind, _replace(program, node, new), None
    matrix = node.children[0].leaf

    def shifted(env):  # every coefficient read one column further on
        env = dict(env)
        env[matrix] = np.roll(env[matrix], -1, axis=1)
        return env

    yield "off-by-one offset", program, shifted


def _run(program: Program, change, env):
    with np.errstate(all="ignore"):
        return np.asarray(evaluate(program, change(env) if change else env), dtype=float)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_wrong_solves_are_refuted_with_a_genuine_counterexample(name):
    (solved,) = _raised(name, "stablehlo").solved
    (position, program), = solved.programs.items()
    problem = solved.region.problems[position]
    shapes, symbolic = symbolic_inputs_for(solved.kernel, None)
    kinds = set()
    for kind, mutant, change in _mutants(program):
        wrong = evaluate(mutant, change(symbolic) if change else symbolic)
        outcome = check_equivalent(problem.symbolic_output, wrong, timeout_ms=5000,
                                   locate=True)
        assert outcome.status == "counterexample", f"{kind}: {outcome.status}"
        # The model, run through the original loops and the mutant in floating point.
        test = {k: np.array([outcome.model.get(str(v), 0.0) for v in
                             np.ravel(symbolic[k])]).reshape(s) for k, s in shapes.items()}
        loops, mutated = problem.reference(test), _run(mutant, change, test)
        assert outcome.index is not None
        assert not np.isclose(loops[outcome.index], mutated[outcome.index]), kind
        kinds.add(kind)
    assert {"wrong triangle", "off-by-one offset"} <= kinds
    if _solve_node(program).op == "triangular_solve":
        assert "unit diagonal" in kinds
        assert "swapped side" in kinds or "transposed" in kinds


def test_every_attribute_choice_is_told_apart_by_the_tests():
    """The 8 variants of a vector solve give 8 different answers on one random input, so
    the search's fingerprints keep them apart (none is a duplicate of another)."""
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(4, 4)), rng.normal(size=4)
    outs = [TRIANGULAR_SOLVE.semantics([a, b], attrs, None) for attrs in
            _all_attrs(((4, 4), (4,)))]
    for x, y in itertools.combinations(outs, 2):
        assert not np.allclose(x, y)


@pytest.mark.parametrize("n", [1, 2, 5])
def test_factor_semantics_match_numpy(n):
    rng = np.random.default_rng(5)
    m = rng.normal(size=(n, n))
    a = m @ m.T + n * np.eye(n)
    low = CHOLESKY_FACTOR.semantics([a], {"lower": True}, None)
    np.testing.assert_allclose(low, np.linalg.cholesky(a), rtol=1e-10, atol=1e-12)
    up = CHOLESKY_FACTOR.semantics([a], {"lower": False}, None)
    np.testing.assert_allclose(up, np.linalg.cholesky(a).T, rtol=1e-10, atol=1e-12)
    # Only the named triangle is read: the other may hold anything.
    noisy = np.tril(a) + np.triu(rng.normal(size=(n, n)), 1)
    np.testing.assert_allclose(CHOLESKY_FACTOR.semantics([noisy], {"lower": True}, None),
                               low, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("lower", [True, False])
def test_factor_expansion_computes_the_semantics(lower):
    rng = np.random.default_rng(6)
    shape = (6, 6)
    text = _harness(CHOLESKY_FACTOR, "stablehlo", (shape,), (("lower", lower),), shape)
    m = rng.normal(size=shape)
    a = m @ m.T + 6 * np.eye(6)
    result = np.full(shape, np.nan)
    CompiledFunction(text, "f").run([a, result])
    expected = CHOLESKY_FACTOR.semantics([a], {"lower": lower}, None)
    np.testing.assert_allclose(result, expected, rtol=1e-12, atol=1e-12, err_msg=text)

"""The synthesizer on hand-made problems (numpy references, no MLIR)."""

import numpy as np

from checkers.smt import symbolic_array, symbolic_scalar
from grammar import CATALOG
from synth.cegis import synthesize
from synth.problem import Problem
from synth.program import evaluate
from synth.search import Search, SearchConfig
from synth.stats import SearchStats


def _problem(inputs, fn, tests=None, allowed=None, constants=(0.0,)):
    rng = np.random.default_rng(5)
    symbolic = {n: symbolic_array(n, s) if s else np.array(symbolic_scalar(n), dtype=object)
                for n, s in inputs.items()}
    tests = tests or [{n: np.array(rng.normal(size=s)) for n, s in inputs.items()}
                      for _ in range(3)]
    out = fn(symbolic)
    return Problem(name="t", inputs=inputs, output_shape=out.shape, tests=tests,
                   expected=[fn(t) for t in tests], symbolic_inputs=symbolic,
                   symbolic_output=out, reference=fn,
                   allowed_ops=allowed or tuple(op.name for op in CATALOG),
                   constants=constants,
                   extents=tuple(sorted({d for s in inputs.values() for d in s})))


def test_finds_scaled_matmul_plus_input():
    fn = lambda e: e["s"] * np.dot(e["A"], e["B"]) + e["C"]
    problem = _problem({"A": (3, 7), "B": (7, 5), "C": (3, 5), "s": ()}, fn)
    outcome, stats = synthesize(problem)
    assert outcome.status == "found" and outcome.proof.status == "proved"
    assert "matmul" in outcome.program.ops()
    for test, expected in zip(problem.tests, problem.expected):
        np.testing.assert_allclose(evaluate(outcome.program, test), expected, rtol=1e-9)
    assert stats.enumerated > 0 and stats.checked >= 1


def test_prefers_cheaper_program_of_equal_size():
    # A^T (A x) and (A^T A) x are both 2 ops; the first costs O(MN), the second O(MN^2).
    fn = lambda e: np.dot(np.dot(e["A"], e["x"]), e["A"])
    problem = _problem({"A": (5, 7), "x": (7,)}, fn)
    outcome, _ = synthesize(problem)
    assert outcome.status == "found"
    assert "contract" not in outcome.program.ops(), str(outcome.program)


def test_cegis_turns_a_counterexample_into_a_test():
    # Every test has x = 0, so the zero fill matches them all; Z3 must refuse it and the
    # counterexample must lead to the real answer.
    fn = lambda e: np.dot(e["A"], e["x"])
    rng = np.random.default_rng(7)
    tests = [{"A": rng.normal(size=(3, 5)), "x": np.zeros(5)} for _ in range(3)]
    problem = _problem({"A": (3, 5), "x": (5,)}, fn, tests=tests)
    outcome, stats = synthesize(problem)
    assert stats.rejected["counterexample"] >= 1 and stats.cegis_rounds >= 1
    assert outcome.status == "found" and outcome.program.ops() == ["matvec"]
    assert len(problem.tests) == 4


def test_guidance_restricts_ops_and_search_can_fail():
    fn = lambda e: e["a"] * e["b"]
    problem = _problem({"a": (5,), "b": (5,)}, fn, allowed=("add", "sub"))
    stats = SearchStats()  # the enumerator alone: guidance narrows its ops
    outcome = Search(problem, SearchConfig(max_size=2), stats).run()
    assert outcome.status == "exhausted"
    assert stats.checked == 0


def test_no_candidate_is_accepted_without_proof():
    # a**8 is three squarings (shared operands count once), out of reach at size 1 with
    # no deepening; a**7 * a would be reachable only by a deeper search.
    fn = lambda e: e["a"] * e["a"] * e["a"] * e["a"] * e["a"] * e["a"] * e["a"] * e["a"]
    problem = _problem({"a": (3,)}, fn)
    outcome = Search(problem, SearchConfig(max_size=1, deepen=False), SearchStats()).run()
    assert outcome.status != "found"
    outcome = Search(_problem({"a": (3,)}, fn), SearchConfig(max_size=3), SearchStats()).run()
    assert outcome.status == "found" and outcome.program.size == 3  # ((a*a)^2)^2
    # The trace sketch builds the product as the trace spells it; proved all the same.
    outcome, stats = synthesize(_problem({"a": (3,)}, fn), SearchConfig(max_size=1,
                                                                         deepen=False))
    assert outcome.status == "found" and outcome.proof.status == "proved"
    assert stats.proposed == 1 and stats.enumerated == 0

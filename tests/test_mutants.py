"""Soundness: mutants of every raised PolyBench region's answer (wrong transpose, wrong axis,
a dropped term, an off-by-one extent, swapped operands, a wrong constant) are all rejected by
the Z3 check with a counterexample, and each counterexample is genuine (the model makes the
reported element differ, exactly and in floating point)."""

from collections import Counter

import numpy as np
import pytest

from checkers.smt import check_equivalent
from raising.analysis.decompose import draw, symbolic_inputs_for
from raising.pipeline import RaiseOptions, raise_text
from synth.program import evaluate
from tests.conftest import FULLY_RAISED, raised_small
from tests.corpus import CORPUS_DIR
from tests.mutants import region_mutants

KINDS = {"transpose", "axis", "dropped term", "off-by-one extent", "swapped operands",
         "wrong constant"}
TOTALS: Counter = Counter()


def _run(fn, env):
    """fn(env) in floating point; None where it fails (sqrt of a negative, ...)."""
    with np.errstate(all="ignore"):
        try:
            out = np.asarray(fn(env), dtype=np.float64)
        except (FloatingPointError, ValueError, ZeroDivisionError):
            return None
    return out


def _tests(kernel, program, rng, n=3):
    shapes, _ = symbolic_inputs_for(kernel, None)
    for positive in (False, True):
        tests = [{k: draw(rng, s, positive) for k, s in shapes.items()} for _ in range(n)]
        outs = [_run(lambda e: evaluate(program, e), t) for t in tests]
        if all(o is not None and np.all(np.isfinite(o)) for o in outs):
            return tests
    return tests


def _same(mutant, program, tests):
    for test in tests:
        a, b = _run(mutant.evaluate, test), _run(lambda e: evaluate(program, e), test)
        if a is None or b is None or not np.allclose(a, b, rtol=1e-9, atol=1e-12):
            return False
    return True


def _from_model(kernel, model):
    shapes, symbolic = symbolic_inputs_for(kernel, None)
    test = {}
    for name, shape in shapes.items():
        arr = np.zeros(shape)
        for index in np.ndindex(*shape):
            arr[index] = model.get(str(symbolic[name][index]), 0.0)
        test[name] = arr
    return test


def _all_rejected(name, result, n_tests=3, off_by_one=True):
    """Every mutant of every program `result` found is refuted by a genuine counterexample
    (mutants equal to the answer on `n_tests` random inputs are skipped as equal); with
    `off_by_one`, that kind must be among them."""
    assert result.solved, "the kernel raised nothing"
    rng = np.random.default_rng(7)
    counts, kinds = Counter(), set()
    for solved in result.solved:
        _, symbolic = symbolic_inputs_for(solved.kernel, None)
        for position, program in solved.programs.items():
            problem = solved.region.problems[position]
            tests = _tests(solved.kernel, program, rng, n_tests)
            for mutant in region_mutants(solved, position):
                if _same(mutant, program, tests):  # an equal mutant (e.g. a dropped zero term)
                    print(f"  equal: {mutant.kind}: {mutant.description}")
                    counts["equal"] += 1
                    continue
                kinds.add(mutant.kind)
                counts["mutants"] += 1
                outcome = check_equivalent(problem.symbolic_output, mutant.evaluate(symbolic),
                                           timeout_ms=3000, locate=True)
                assert outcome.status == "counterexample", \
                    f"{mutant.kind}: {mutant.description}: {outcome.status} {outcome.detail}"
                assert outcome.index is not None and outcome.values is not None
                original, wrong = outcome.values
                assert original != wrong, mutant.description
                if "exp" in program.ops():
                    # Z3 reads exp as an uninterpreted function and its model picks exp's
                    # values too: only its own exact values (above) witness the difference.
                    counts["rejected"] += 1
                    continue
                # The same model, run in floating point through program and mutant.
                test = _from_model(solved.kernel, outcome.model)
                a = _run(lambda e, prog=program: evaluate(prog, e), test)
                b = _run(mutant.evaluate, test)
                if a is not None and b is not None and \
                        np.isfinite(a[outcome.index]) and np.isfinite(b[outcome.index]):
                    # (extreme model values can overflow in floats: Z3's exact values decide)
                    assert a[outcome.index] != b[outcome.index], mutant.description
                counts["rejected"] += 1
    TOTALS.update(counts)
    print(f"\n{name}: {counts['mutants']} mutants, {counts['rejected']} rejected with a "
          f"counterexample ({counts['equal']} equal mutants skipped); kinds: {sorted(kinds)}")
    assert counts["mutants"] > 0 and counts["rejected"] == counts["mutants"]
    assert "off-by-one extent" in kinds or not off_by_one
    return kinds


@pytest.mark.parametrize("name", FULLY_RAISED)
def test_every_mutant_is_rejected_with_a_counterexample(name):
    _all_rejected(name, raised_small(name))


# The hand-written corpus files (tests/corpus) whose answers use the non-polynomial ops
# (exp, max, min, their reductions, data-dependent choice): uninterpreted exp and If-terms
# must still refute every wrong answer. More random inputs tell a wrong answer from an equal
# one: zeroing one element often leaves a max or a rectifier unchanged.
NONLINEAR_CORPUS = ("c_relu_f32", "c_clamp", "c_exp_scale", "c_row_max", "c_col_min_f32",
                    "c_softmax_shift")


@pytest.mark.parametrize("file", NONLINEAR_CORPUS)
def test_corpus_mutants_are_rejected_with_a_counterexample(file):
    path = CORPUS_DIR / f"{file}.mlir"
    _all_rejected(file, raise_text(path.read_text(), str(path),
                                   RaiseOptions(crosscheck="none")), n_tests=16)


def test_mutant_corpus_covers_every_kind():
    """Over the foundation kernels together, every kind of mutant occurs."""
    seen = set()
    for name in ("gemm", "2mm", "3mm", "atax", "bicg", "mvt", "syrk", "covariance"):
        result = raised_small(name)
        for solved in result.solved:
            for position in solved.programs:
                seen |= {m.kind for m in region_mutants(solved, position)}
    assert seen == KINDS, KINDS - seen

"""What the reports claim, and that the claims can fail: two bounded extent tuples, all-sizes
proofs only from equal canonical forms (never for a wrong program), IEEE mode refusing
reassociation, and an undecided proof never reported as proved."""

import numpy as np
import pytest
import z3

from checkers.polyform import IndexAlgebra, Lin, Poly, output_index, same_form
from checkers.smt import (
    ProofOutcome,
    check_equivalent,
    check_equivalent_ieee,
    symbolic_array,
)
from raising.frontend.load import load_text
from raising.frontend.resize import shrink_mapping
from raising.pipeline import RaiseOptions, raise_text
from raising.verify.proofs import all_sizes_proof, program_form
from synth.program import Program, make, rescale
from tests.conftest import FULLY_RAISED, KERNELS, raised_small
from tests.corpus import CORPUS_DIR
from tests.mutants import region_mutants

FOUNDATION = ("gemm", "2mm", "3mm", "atax", "bicg", "mvt")
ELEMENTWISE = """func.func @axpy(%alpha: f64, %x: memref<40x50xf64>, %y: memref<40x50xf64>) {
  affine.for %i = 0 to 40 {
    affine.for %j = 0 to 50 {
      %0 = affine.load %x[%i, %j] : memref<40x50xf64>
      %1 = arith.mulf %alpha, %0 : f64
      %2 = affine.load %y[%i, %j] : memref<40x50xf64>
      %3 = arith.addf %1, %2 : f64
      affine.store %3, %y[%i, %j] : memref<40x50xf64>
    }
  }
  return
}
"""


def _regions(result):
    return [r for f in result.report["functions"] for r in f["regions"]]


def test_gemm_is_proved_for_all_sizes_and_at_two_extent_tuples():
    region = _regions(raised_small("gemm"))[0]
    proof = region["proof"]
    assert proof["result"] == "proved" and proof["all_sizes"] is True
    assert "all sizes" in proof["scope"]
    first, second = proof["extents_checked"]
    assert len(first) == len(second) and all(a != b for a, b in zip(first, second))
    assert all(e in (3, 5, 7, 11, 13) for e in first + second)


@pytest.mark.parametrize("name", FULLY_RAISED)
def test_every_region_has_two_bounded_proofs(name):
    for region in _regions(raised_small(name)):
        proof = region["proof"]
        assert proof["result"] == "proved" and len(proof["extents_checked"]) == 2, proof
        assert proof["all_sizes"] or proof["scope"].startswith("bounded")


def test_a_masked_region_stays_bounded():
    proof = _regions(raised_small("syrk"))[0]["proof"]
    assert proof["all_sizes"] is False and proof["scope"].startswith("bounded")
    assert proof["all_sizes_detail"]


def _full_programs(name):
    text = (KERNELS / f"{name}.mlir").read_text()
    to_full = {v: k for k, v in shrink_mapping(text).items()}
    kernel = next(k for k in load_text(text).kernels)
    shapes = {f"arg{p}": (t.shape if t.is_memref else ()) for p, t in enumerate(kernel.arg_types)}
    return kernel, shapes, to_full


@pytest.mark.parametrize("name", FOUNDATION + ("gemver", "gesummv", "covariance"))
def test_no_mutant_is_ever_proved_for_all_sizes(name):
    result = raised_small(name)
    kernel, full_shapes, to_full = _full_programs(name)
    checked = 0
    for solved in result.solved:
        correct = {p: rescale(prog, full_shapes, to_full) for p, prog in solved.programs.items()}
        for position in solved.programs:
            for mutant in region_mutants(solved, position):
                if mutant.env_change is not None:
                    continue
                wrong = dict(correct)
                wrong[position] = rescale(mutant.program, full_shapes, to_full)
                proved, detail = all_sizes_proof(kernel, solved.region.index,
                                                 solved.region.end, wrong)
                assert not proved, f"{mutant.description}: {detail}"
                checked += 1
    assert checked or name == "3mm"


def test_canonical_forms_of_grammar_ops():
    alg = IndexAlgebra()

    def leaf(name, shape):
        return Program(None, leaf=name, shape=shape)

    a, b = leaf("A", (3, 5)), leaf("B", (5, 7))
    ab = make("matmul", (), (a, b), (3, 7))
    # (B^T A^T)^T == A B for every size; A B + A B == 2 (A B); A B != B^T A^T
    bt = make("transpose", (("perm", (1, 0)),), (b,), (7, 5))
    at = make("transpose", (("perm", (1, 0)),), (a,), (5, 3))
    btat = make("matmul", (), (bt, at), (7, 3))
    back = make("transpose", (("perm", (1, 0)),), (btat,), (3, 7))
    idx = output_index(2)
    assert same_form(program_form(ab, alg)(idx), program_form(back, alg)(idx))
    twice = make("add", (), (ab, ab), (3, 7))
    two = make("mul", (), (make("fill", (("value", 2.0), ("shape", ())), (), ()), ab), (3, 7))
    assert same_form(program_form(twice, alg)(idx), program_form(two, alg)(idx))
    assert not same_form(program_form(ab, alg)(idx), program_form(btat, alg)((idx[1], idx[0]))
                         * Poly.const(2))
    # Sums are kept apart from products: (sum_k a_k)^2 is not sum_k a_k^2.
    v = leaf("v", (5,))
    dot = make("dot", (), (v, v), ())
    squared = make("mul", (), (make("reduce_add", (("axis", 0),), (v,), ()),) * 2, ())
    assert not same_form(program_form(dot, alg)(()), program_form(squared, alg)(()))
    assert Lin.var("x") + Lin.var("x") == Lin.var("x").scale(2)


def test_ieee_mode_refuses_reassociation_and_proves_exact_elementwise(tmp_path):
    a, b, c = (symbolic_array(n, (1,), "f64") for n in "abc")
    assert check_equivalent_ieee(a + b, b + a).status == "proved"
    refuted = check_equivalent_ieee((a + b) + c, a + (b + c), timeout_ms=60_000, locate=True)
    assert refuted.status == "counterexample" and refuted.values is not None
    ra, rb, rc = (symbolic_array(n, (4,)) for n in "abc")
    assert check_equivalent((ra + rb) + rc, ra + (rb + rc)).status == "proved"

    gemm = (KERNELS / "gemm.mlir").read_text()
    result = raise_text(gemm, "gemm.mlir", RaiseOptions(fp="ieee", crosscheck="none"))
    region = _regions(result)[0]
    assert result.exit_code == 1 and region["status"] == "unraised"
    assert "reassociation" in region["reason"] and "affine.for" in result.text
    axpy = raise_text(ELEMENTWISE, "axpy.mlir", RaiseOptions(fp="ieee", crosscheck="none"))
    region = _regions(axpy)[0]
    assert axpy.exit_code == 0, region
    assert region["proof"]["arithmetic"].startswith("IEEE f64")
    assert region["proof"]["all_sizes"] is False  # all-sizes proofs are over the reals


def _undecided(monkeypatch):
    def unknown(*args, **kwargs):
        return ProofOutcome("unproved", detail="solver: timeout")
    monkeypatch.setattr("synth.search.check_equivalent", unknown)
    monkeypatch.setattr("synth.sketch.check_equivalent", unknown)
    monkeypatch.setattr("raising.verify.proofs.check_equivalent", unknown)
    monkeypatch.setattr("raising.analysis.stages.check_equivalent", unknown)


def test_unknown_is_never_proved(monkeypatch):
    _undecided(monkeypatch)
    text = (KERNELS / "gemm.mlir").read_text()
    result = raise_text(text, "gemm.mlir", RaiseOptions(crosscheck="none"))
    region = _regions(result)[0]
    assert result.exit_code == 1 and region["status"] == "unraised"
    assert "could not decide" in region["reason"] or "unproved" in region["reason"]
    assert "affine.for" in result.text and "UNPROVED" not in result.text


def test_allow_unproved_emits_marked_region(monkeypatch):
    _undecided(monkeypatch)
    text = (KERNELS / "gemm.mlir").read_text()
    result = raise_text(text, "gemm.mlir", RaiseOptions(crosscheck="none", allow_unproved=True))
    region = _regions(result)[0]
    assert region["status"] == "raised" and region["proof"]["result"] == "unproved"
    assert region["proof"]["all_sizes"] is False
    assert "// buddy-raise: UNPROVED" in result.text and "linalg.matmul" in result.text
    assert result.exit_code == 1  # raised, but not everything proved


def test_solver_unknown_is_unproved_and_sampling_refutes_only_real_differences(monkeypatch):
    monkeypatch.setattr(z3.Solver, "check", lambda self, *a: z3.unknown)
    x = np.array([z3.Real("x"), z3.Real("y")], dtype=object)
    same_abs = np.array([(v * v) ** 0.5 for v in x], dtype=object)
    other_abs = np.array([z3.If(-v >= 0, -v, v) for v in x], dtype=object)
    assert check_equivalent(same_abs, other_abs).status == "unproved"  # equal: no sample
    roots = np.array([(v * v + 1) ** 0.5 for v in x], dtype=object)
    wrong = check_equivalent(roots, roots + 1)
    assert wrong.status == "counterexample" and wrong.values[0] != wrong.values[1]
    a, b = symbolic_array("a", (2,), "f64"), symbolic_array("b", (2,), "f64")
    assert check_equivalent_ieee(a * b + a, a + a * b).status == "proved"  # commutativity
    assert check_equivalent_ieee((a + b) + a, a + (b + a)).status == "proved"
    assert check_equivalent_ieee((a + b) + b, a + (b + b)).status == "unproved"


@pytest.mark.parametrize(("file", "says"), [
    ("c_exp_scale", "cannot model IEEE symbolic exp"),  # no IEEE exp in Z3
    ("c_row_max", "reduce_max combine in an order"),  # order left open by the target ops
])
def test_ieee_mode_reports_nonpolynomial_ops_it_cannot_prove(file, says):
    """Regions the real-number proof raises stay unraised under --fp ieee, with the reason;
    never an internal error."""
    path = CORPUS_DIR / f"{file}.mlir"
    real = raise_text(path.read_text(), str(path), RaiseOptions(crosscheck="none"))
    assert real.exit_code == 0 and _regions(real)[0]["status"] == "raised"
    ieee = raise_text(path.read_text(), str(path), RaiseOptions(fp="ieee", crosscheck="none"))
    region = _regions(ieee)[0]
    assert ieee.exit_code == 1 and region["status"] == "unraised", region
    assert says in region["reason"] and "affine.for" in ieee.text


def test_a_choice_raised_from_the_trace_is_bit_exact():
    """relu written as cmpf + select raises to the same comparison and select (the trace
    sketch's `where`), so even the IEEE proof holds, NaN and signed zeros included."""
    path = CORPUS_DIR / "c_relu_f32.mlir"
    ieee = raise_text(path.read_text(), str(path), RaiseOptions(fp="ieee", crosscheck="none"))
    region = _regions(ieee)[0]
    assert ieee.exit_code == 0 and region["status"] == "raised", region
    assert region["ops"] == ["fill", "where"] and region["proof"]["result"] == "proved"
    assert region["proof"]["arithmetic"].startswith("IEEE f32")



# --- integers as the machine has them ---------------------------------------------------------

MAX_OF_SUMS = """
func.func @max_of_sums(%a: memref<7xi32>, %b: memref<7xi32>, %c: memref<7xi32>,
                       %o: memref<7xi32>) {
  affine.for %i = 0 to 7 {
    %x = affine.load %a[%i] : memref<7xi32>
    %y = affine.load %b[%i] : memref<7xi32>
    %z = affine.load %c[%i] : memref<7xi32>
    %p = arith.addi %x, %z : i32
    %q = arith.addi %y, %z : i32
    %m = arith.maxsi %p, %q : i32
    affine.store %m, %o[%i] : memref<7xi32>
  }
  return
}
"""


def test_wrapping_integers_tell_apart_what_the_reals_call_equal():
    """max(a + c, b + c) = max(a, b) + c over the reals, not once a + c wraps around;
    a ring identity holds in both; a division has no bit-vector counterpart here."""
    from checkers.smt import check_equivalent, check_equivalent_wrapping

    a, b, c = z3.Reals("a b c")

    def one(term):
        out = np.empty(1, dtype=object)
        out[0] = term
        return out

    split = one(z3.If(a + c >= b + c, a + c, b + c))
    factored = one(z3.If(a >= b, a, b) + c)
    assert check_equivalent(split, factored).status == "proved"
    wrapped = check_equivalent_wrapping(split, factored, 32)
    assert wrapped.status == "counterexample"
    assert wrapped.values is not None and wrapped.values[0] != wrapped.values[1]
    # signed words of 32 bits: the model may pick -2**31 itself
    assert all(-(2 ** 31) <= wrapped.model[n] < 2 ** 31 for n in "abc")
    assert check_equivalent_wrapping(one(a * b + c), one(c + b * a), 8).status == "proved"
    assert check_equivalent_wrapping(one(a / b), one(a / b), 32).status == "proved"  # same term
    assert check_equivalent_wrapping(one(a / b), one(a * (1 / b)), 32).status == "unproved"


def test_integer_regions_are_proved_on_bit_vectors():
    result = raise_text(MAX_OF_SUMS, "max_of_sums.mlir", RaiseOptions())
    (region,) = _regions(result)
    assert region["status"] == "raised"
    assert region["proof"]["method"] == "z3-real-and-bitvector-equivalence"
    assert "i32 two's-complement bit-vectors" in region["proof"]["arithmetic"]


def test_a_program_equal_only_over_the_reals_is_refused_for_i32():
    """The bounded bit-vector check sees max(a, b) + c against the loops' max(a+c, b+c)."""
    from raising.analysis.decompose import build_region
    from raising.verify.proofs import wraparound_check

    kernel = load_text(MAX_OF_SUMS, "max_of_sums.mlir").kernels[0]

    def leaf(name):
        return Program(None, leaf=name, shape=(7,))

    factored = make("add", (), (make("max", (), (leaf("arg0"), leaf("arg1")), (7,)),
                                leaf("arg2")), (7,))
    faithful = make("max", (), (make("add", (), (leaf("arg0"), leaf("arg2")), (7,)),
                                make("add", (), (leaf("arg1"), leaf("arg2")), (7,))), (7,))
    end = len(kernel.body.ops) - 1  # the nest, not the return
    problems = build_region(kernel, MAX_OF_SUMS, 0, np.random.default_rng(0), end).problems
    assert wraparound_check(kernel, 0, end, problems, {3: faithful}, 32,
                            10_000).status == "proved"
    refuted = wraparound_check(kernel, 0, end, problems, {3: factored}, 32, 10_000)
    assert refuted.status == "counterexample", refuted.detail

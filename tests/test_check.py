"""`buddy-raise check A.mlir B.mlir`: each foundation kernel is proved equal to its raised
form (both targets); mutated raised MLIR and off-by-one loop bounds in the original are
refuted with a counterexample; bad input exits 2 without a traceback."""

import re
import subprocess
import sys

import pytest

from checkers.crosscheck import cross_check
from raising.emit import emit_module
from raising.frontend.load import load_text
from raising.frontend.resize import resize_text, shrink_mapping
from raising.pipeline import RaiseOptions, raise_text
from raising.verify.check import run_check
from synth.program import rescale
from tests.conftest import KERNELS, raised_small
from tests.corpus import CORPUS_DIR
from tests.mutants import region_mutants

FOUNDATION = ("gemm", "2mm", "3mm", "atax", "bicg", "mvt")
CMD = [sys.executable, "-m", "raising", "check"]


def _check(capsys, *argv):
    code = run_check([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("target", ["linalg", "stablehlo"])
@pytest.mark.parametrize("name", FOUNDATION)
def test_kernel_equals_its_raised_form(name, target, tmp_path, capsys):
    raised = tmp_path / f"{name}.raised.mlir"
    raised.write_text(raised_small(name, target).text)
    code, out, _ = _check(capsys, KERNELS / f"{name}.mlir", raised)
    assert code == 0, out
    assert "equivalent: proved by Z3" in out and " and (" in out  # two extent tuples


def _full(program, kernel, to_full):
    shapes = {f"arg{p}": (t.shape if t.is_memref else ()) for p, t in enumerate(kernel.arg_types)}
    return rescale(program, shapes, to_full)


def _program_mutants(name):
    """(description, mutated raised module) per kind, one region's program mutated; emitted
    at the kernel's own size like the tool's output."""
    result = raised_small(name)
    text = (KERNELS / f"{name}.mlir").read_text()
    to_full = {v: k for k, v in shrink_mapping(text).items()}
    full = load_text(text)
    kernels = {k.name: k for k in full.kernels}
    arg_types = {k.name: k.arg_types for k in full.kernels}
    spans = {s.func: {} for s in result.solved}
    for s in result.solved:
        spans[s.func][s.region.index] = s.region.end
    by_kind = {}
    for solved in result.solved:
        for position in solved.programs:
            for mutant in region_mutants(solved, position):
                if mutant.env_change is not None or mutant.kind in by_kind:
                    continue
                solutions = {s.func: {} for s in result.solved}
                for other in result.solved:
                    solutions[other.func][other.region.index] = dict(other.programs)
                solutions[solved.func][solved.region.index][position] = mutant.program
                solutions = {f: {i: {p: _full(prog, kernels[f], to_full)
                                     for p, prog in progs.items()}
                                 for i, progs in regions.items()}
                             for f, regions in solutions.items()}
                emitted = emit_module(full.module, solutions, "linalg", arg_types, spans)
                # Equal in context (atax: dropping "+ y" where y was just zeroed) is not a
                # wrong answer: decided by compiled runs, independently of `check`.
                mapping = shrink_mapping(text)
                if cross_check(resize_text(text, mapping), resize_text(emitted, mapping),
                               solved.func).passed:
                    continue
                by_kind[mutant.kind] = (mutant.description, emitted)
    return text, by_kind


@pytest.mark.parametrize("name", FOUNDATION)
def test_mutated_raised_form_is_refuted(name, tmp_path, capsys):
    original_text, by_kind = _program_mutants(name)
    original = tmp_path / "original.mlir"
    original.write_text(original_text)
    if not by_kind:  # e.g. 3mm: each region one matmul of two inputs; only off-by-one
        # mutants exist, and those are loop-bound mutants (the next test)
        programs = [p for s in raised_small(name).solved for p in s.programs.values()]
        assert all(p.op and all(c.op is None for c in p.children) for p in programs)
        return
    for kind, (description, text) in by_kind.items():
        mutated = tmp_path / "mutant.mlir"
        mutated.write_text(text)
        code, out, _ = _check(capsys, original, mutated)
        assert code == 1, f"{kind}: {description}\n{out}"
        assert "counterexample" in out and "inputs:" in out
        assert re.search(r"output arg\d+\[[\d, ]*\]: .* gives .*, .* gives ", out), out


@pytest.mark.parametrize("name", FOUNDATION)
def test_off_by_one_loop_bound_is_refuted(name, tmp_path, capsys):
    text = (KERNELS / f"{name}.mlir").read_text()
    raised = tmp_path / "raised.mlir"
    raised.write_text(raised_small(name).text)
    loops = [m for m in re.finditer(r"affine\.for %\w+ = 0 to (\d+) \{", text)]
    assert loops
    for match in loops:
        bound = int(match.group(1))
        mutated = text[:match.start(1)] + str(bound - 1) + text[match.end(1):]
        path = tmp_path / "short.mlir"
        path.write_text(mutated)
        code, out, _ = _check(capsys, path, raised)
        assert code == 1 and "counterexample" in out, f"loop to {bound} -> {bound - 1}\n{out}"


def test_z3_counterexample_without_random_runs(tmp_path, capsys):
    original_text, by_kind = _program_mutants("gemm")
    original, mutated = tmp_path / "a.mlir", tmp_path / "b.mlir"
    original.write_text(original_text)
    mutated.write_text(by_kind["dropped term"][1])
    code, out, _ = _check(capsys, original, mutated, "--no-random")
    assert code == 1 and "counterexample (Z3 model" in out, out
    values = re.search(r"gives (\S+), .* gives (\S+)$", out, re.MULTILINE)
    assert values and float(values.group(1)) != float(values.group(2))


def test_func_option_and_cli(tmp_path):
    raised = tmp_path / "r.mlir"
    raised.write_text(raised_small("mvt").text)
    proc = subprocess.run([*CMD, str(KERNELS / "mvt.mlir"), str(raised), "--func",
                           "kernel_mvt"], check=False, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    # The aliasing guard keeps two versions; each is proved against the original.
    assert "@kernel_mvt (raised version): equivalent" in proc.stdout
    assert "@kernel_mvt (loops version): equivalent" in proc.stdout


def test_bad_input_exits_2(tmp_path, capsys):
    good = KERNELS / "gemm.mlir"
    code, _, err = _check(capsys, tmp_path / "missing.mlir", good)
    assert code == 2 and "missing.mlir:1:1: error:" in err
    bad = tmp_path / "bad.mlir"
    bad.write_text("func.func @kernel_gemm() {\n  %x = arith.addf %a : f64\n}\n")
    code, _, err = _check(capsys, good, bad)
    assert code == 2 and err.startswith(f"{bad}:2:") and "error:" in err
    code, _, err = _check(capsys, good, KERNELS / "atax.mlir")
    assert code == 2 and "no function name in common" in err
    code, _, err = _check(capsys, good, good, "--func", "nope")
    assert code == 2 and "no function @nope" in err
    other = tmp_path / "sig.mlir"
    other.write_text(good.read_text().replace("%arg4: f64,", "%arg4: f32,")
                     .replace("%1 = arith.mulf %0, %arg4 : f64", "%1 = arith.mulf %0, %0 : f64"))
    code, _, err = _check(capsys, good, other)
    assert code == 2 and "signature" in err and re.match(rf"{other}:\d+:\d+: error:", err), err
    proc = subprocess.run([*CMD, str(good)], check=False, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


@pytest.mark.parametrize("target", ["linalg", "stablehlo"])
def test_max_reduction_from_minus_infinity_is_proved_and_wrong_ones_refuted(target, tmp_path,
                                                                           capsys):
    """A raised max reduction starts from -inf, which the reals lack: the check reads it as
    max's identity, proves the right module, and never proves a wrong one."""
    source = CORPUS_DIR / "c_row_max.mlir"
    text = raise_text(source.read_text(), str(source),
                      RaiseOptions(target=target, crosscheck="none")).text
    raised = tmp_path / "raised.mlir"
    raised.write_text(text)
    code, out, _ = _check(capsys, source, raised)
    assert code == 0 and "equivalent: proved by Z3" in out, out
    minus_inf = "0xFFF0000000000000"
    assert minus_inf in text
    for wrong in (re.sub(r"(arith|stablehlo)\.maximum", r"\1.minimum", text),
                  text.replace(minus_inf, "0x7FF0000000000000"),  # +inf absorbs everything
                  text.replace(minus_inf, "0.0")):
        mutated = tmp_path / "wrong.mlir"
        mutated.write_text(wrong)
        for extra in ((), ("--no-random",)):
            code, out, _ = _check(capsys, source, mutated, *extra)
            assert code == 1 and "(raised version): equivalent" not in out, out


_MAX_OF_SUMS = """
func.func @f(%a: memref<7xi32>, %b: memref<7xi32>, %c: memref<7xi32>, %o: memref<7xi32>) {
  affine.for %i = 0 to 7 {
    %x = affine.load %a[%i] : memref<7xi32>
    %y = affine.load %b[%i] : memref<7xi32>
    %z = affine.load %c[%i] : memref<7xi32>
    BODY
    affine.store %m, %o[%i] : memref<7xi32>
  }
  return
}
"""
_SPLIT = """%p = arith.addi %x, %z : i32
    %q = arith.addi %y, %z : i32
    %m = arith.maxsi %p, %q : i32"""
_FACTORED = """%n = arith.maxsi %x, %y : i32
    %m = arith.addi %n, %z : i32"""
_SWAPPED = """%p = arith.addi %z, %x : i32
    %q = arith.addi %z, %y : i32
    %m = arith.maxsi %q, %p : i32"""


def test_integers_are_checked_on_bit_vectors(tmp_path, capsys):
    """max(a + c, b + c) and max(a, b) + c agree over the reals and on every small input
    (the random runs), not once a sum wraps around: `check` says so with the inputs; the
    same sums in another order are proved on bit-vectors too."""
    paths = {}
    for name, body in (("split", _SPLIT), ("factored", _FACTORED), ("swapped", _SWAPPED)):
        paths[name] = tmp_path / f"{name}.mlir"
        paths[name].write_text(_MAX_OF_SUMS.replace("BODY", body))
    code, out, _ = _check(capsys, paths["split"], paths["factored"])
    assert code == 1 and "i32 bit-vectors: values wrap around" in out, out
    values = re.search(r"gives (-?\d+), .* gives (-?\d+)$", out, re.MULTILINE)
    assert values and values.group(1) != values.group(2)
    code, out, _ = _check(capsys, paths["split"], paths["swapped"])
    assert code == 0 and "on i32 bit-vectors (wrap-around)" in out, out

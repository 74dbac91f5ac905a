"""Symmetric products (C = X^T X, A A^T) lowered as upper-triangle row blocks plus a mirror:
which ops qualify, and that the lowered code computes what the loops did (x86 natively,
RVV under qemu), at extents that leave a partial last block."""

from __future__ import annotations

import numpy as np
import pytest

from core import mlir_env
from lowering import lower, native, symmetry
from lowering.schedule import profile_for
from polybench.datasets import get, instantiate_text
from polybench.inputs import make_args
from raising.pipeline import RaiseOptions, raise_text
from tests.test_lowering import HAVE_QEMU, _reference, native_only


def _column_products(name: str, k: int, n: int, elem: str, second: str, combine: str,
                     extra: str = "", attributes: str = "") -> str:
    """C[i][j] = sum over k of combine(X[k][i], second[k][j]): `second` is `x` (the same
    operand) or `y` (another one), `combine` the arith op applied to the pair."""
    args = f"%x: memref<{k}x{n}x{elem}>" + \
        (f", %y: memref<{k}x{n}x{elem}>" if second == "y" else "")
    zero = "0.000000e+00" if elem.startswith("f") else "0"
    return f"""
func.func @{name}({args}, %c: memref<{n}x{n}x{elem}>){attributes} {{
  %zero = arith.constant {zero} : {elem}
  {extra}
  affine.for %i = 0 to {n} {{
    affine.for %j = 0 to {n} {{
      affine.store %zero, %c[%i, %j] : memref<{n}x{n}x{elem}>
      affine.for %k = 0 to {k} {{
        %a = affine.load %x[%k, %i] : memref<{k}x{n}x{elem}>
        %b = affine.load %{second}[%k, %j] : memref<{k}x{n}x{elem}>
        %p = arith.{combine} %a, %b : {elem}
        %o = affine.load %c[%i, %j] : memref<{n}x{n}x{elem}>
        %s = arith.addf %o, %p : {elem}
        affine.store %s, %c[%i, %j] : memref<{n}x{n}x{elem}>
      }}
    }}
  }}
  return
}}
"""


# G = X^T X in f32 over 5 samples of 257 features: the Gram matrix, all of it computed.
GRAM_F32 = _column_products("gram", 5, 257, "f32", "x", "mulf",
                            extra="%unused = arith.constant 42 : index",
                            attributes=" attributes {llvm.linkage = #llvm.linkage<external>}")

# S = A A^T over i32 rows of length 3, only the lower triangle computed, then mirrored by
# the loops themselves (as covariance does).
GRAM_I32_LOWER = """
func.func @outer_i32(%a: memref<260x3xi32>, %s: memref<260x260xi32>) {
  %zero = arith.constant 0 : i32
  affine.for %i = 0 to 260 {
    affine.for %j = 0 to affine_map<(d0) -> (d0 + 1)>(%i) {
      affine.store %zero, %s[%i, %j] : memref<260x260xi32>
      affine.for %k = 0 to 3 {
        %u = affine.load %a[%i, %k] : memref<260x3xi32>
        %v = affine.load %a[%j, %k] : memref<260x3xi32>
        %p = arith.muli %u, %v : i32
        %c = affine.load %s[%i, %j] : memref<260x260xi32>
        %t = arith.addi %c, %p : i32
        affine.store %t, %s[%i, %j] : memref<260x260xi32>
      }
      %m = affine.load %s[%i, %j] : memref<260x260xi32>
      affine.store %m, %s[%j, %i] : memref<260x260xi32>
    }
  }
  return
}
"""

# G += X X^T with the sum outermost (BLAS-style k-i-j order), X row-major 300 x 7, G zeroed
# by a nest of its own first: the product is raised as G + contract, its init a fill.
GRAM_K_OUTER = """
func.func @gram_k(%x: memref<300x7xf64>, %g: memref<300x300xf64>) {
  %zero = arith.constant 0.000000e+00 : f64
  affine.for %i = 0 to 300 {
    affine.for %j = 0 to 300 {
      affine.store %zero, %g[%i, %j] : memref<300x300xf64>
    }
  }
  affine.for %k = 0 to 7 {
    affine.for %i = 0 to 300 {
      affine.for %j = 0 to 300 {
        %a = affine.load %x[%i, %k] : memref<300x7xf64>
        %b = affine.load %x[%j, %k] : memref<300x7xf64>
        %p = arith.mulf %a, %b : f64
        %o = affine.load %g[%i, %j] : memref<300x300xf64>
        %s = arith.addf %o, %p : f64
        affine.store %s, %g[%i, %j] : memref<300x300xf64>
      }
    }
  }
  return
}
"""

# X^T Y: two different operands, no symmetry.
CROSS = _column_products("cross", 4, 256, "f64", "y", "mulf")

# C[i][j] = sum_k (X[k][i] - X[k][j]): the same operand with swapped maps, but combined by a
# subtraction, so C is antisymmetric, not symmetric.
DIFFERENCES = _column_products("differences", 3, 256, "f64", "x", "subf")


def _raise(text: str, name: str) -> str:
    result = raise_text(text, f"{name}.mlir", RaiseOptions(crosscheck="none"))
    assert result.exit_code == 0, result.report
    return result.text


def _split_count(raised: str) -> int:
    """How many ops of the raised module the rewrite splits (after legalization)."""
    module = mlir_env.parse_module(raised)
    lower._run(module, mlir_env.RAISED_GENERALIZE, "legalization")
    from torch_mlir import ir
    with module.context, ir.Location.unknown():
        return sum(symmetry.split_symmetric(func, profile_for("x86_64"))
                   for func in lower._functions(module))


def _run(raised: str, func: str, args: list, arch: str, tmp_path) -> list[np.ndarray]:
    types = lower.signature(raised, func)
    exe = native.build_executable(lower.emit_llvm_ir(raised, "raised", arch), func, types,
                                  native.ARCHES[arch], tmp_path / f"{func}-{arch}")
    if arch == "riscv64":
        _, result = native.count_instructions(exe, native.ARCHES[arch], args, types)
    else:
        result = native.run_executable(exe, native.ARCHES[arch], args, types, timed=False)
    return result.arrays


def test_symmetric_products_are_found_and_others_are_not():
    assert _split_count(_raise(GRAM_F32, "gram")) == 1
    assert _split_count(_raise(GRAM_K_OUTER, "gram_k")) == 1
    assert _split_count(_raise(GRAM_I32_LOWER, "outer_i32")) == 1
    assert _split_count(_raise(CROSS, "cross")) == 0
    assert _split_count(_raise(DIFFERENCES, "differences")) == 0


def test_small_products_are_left_whole(monkeypatch):
    monkeypatch.setattr(symmetry, "_MIN_EXTENT", 300)
    assert _split_count(_raise(GRAM_F32, "gram")) == 0


@native_only
@pytest.mark.slow
def test_gram_matrices_lower_and_match_numpy(tmp_path):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((5, 257)).astype(np.float32)
    _, gram = _run(_raise(GRAM_F32, "gram"), "gram",
                   [x, np.full((257, 257), np.nan, np.float32)], "x86_64", tmp_path)
    np.testing.assert_allclose(gram, x.T @ x, rtol=1e-5, atol=1e-5)
    rows = rng.standard_normal((300, 7))
    for threads in (1, 2):
        types = lower.signature(GRAM_K_OUTER, "gram_k")
        exe = native.build_executable(
            lower.emit_llvm_ir(_raise(GRAM_K_OUTER, "gram_k"), "raised", "x86_64",
                               threads=threads), "gram_k", types, native.ARCHES["x86_64"],
            tmp_path / f"gram_k-{threads}t", openmp=threads > 1)
        result = native.run_executable(exe, native.ARCHES["x86_64"],
                                       [rows, np.zeros((300, 300))], types, timed=False,
                                       env={"OMP_NUM_THREADS": str(threads)})
        np.testing.assert_allclose(result.arrays[1], rows @ rows.T, rtol=1e-12, atol=1e-12)
    a = rng.integers(-9, 10, (260, 3)).astype(np.int32)
    start = rng.integers(-5, 5, (260, 260)).astype(np.int32)
    raised = _raise(GRAM_I32_LOWER, "outer_i32")
    for arch in ("x86_64", "riscv64") if HAVE_QEMU else ("x86_64",):
        _, out = _run(raised, "outer_i32", [a, start.copy()], arch, tmp_path)
        np.testing.assert_array_equal(out, a @ a.T, err_msg=arch)


@native_only
@pytest.mark.slow
@pytest.mark.parametrize("name", ["covariance", "correlation", "syrk"])
def test_polybench_symmetric_products_split_and_match_the_reference(name, monkeypatch,
                                                                    tmp_path):
    """At SMALL (80 to 100 wide: a 64-row block and a partial one), with the size floor
    lowered so the rewrite applies; syrk's product is A A^T (its input transposed once)."""
    monkeypatch.setattr(symmetry, "_MIN_EXTENT", 16)
    info = get(name)
    raised = _raise(instantiate_text(name, "SMALL"), name)
    assert _split_count(raised) == 1
    out = _run(raised, info.func_name, make_args(name, "SMALL"), "x86_64", tmp_path)
    for got, want in zip(out, _reference(name, "SMALL")):
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9, err_msg=name)


@native_only
@pytest.mark.slow
def test_triangle_blocks_on_two_threads_match_the_reference(monkeypatch, tmp_path):
    """The OpenMP build splits each block's columns across threads: still the reference."""
    monkeypatch.setattr(symmetry, "_MIN_EXTENT", 16)
    info = get("covariance")
    raised = _raise(instantiate_text("covariance", "SMALL"), "covariance")
    types = lower.signature(raised, info.func_name)
    exe = native.build_executable(lower.emit_llvm_ir(raised, "raised", "x86_64", threads=2),
                                  info.func_name, types, native.ARCHES["x86_64"],
                                  tmp_path / "covariance-2t", openmp=True)
    result = native.run_executable(exe, native.ARCHES["x86_64"], make_args("covariance",
                                                                           "SMALL"),
                                   types, timed=False, env={"OMP_NUM_THREADS": "2"})
    for got, want in zip(result.arrays, _reference("covariance", "SMALL")):
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)

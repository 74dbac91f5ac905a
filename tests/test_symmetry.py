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

# G = X^T X in f32 over 5 samples of 257 features: the Gram matrix, all of it computed.
GRAM_F32 = """
func.func @gram(%x: memref<5x257xf32>, %g: memref<257x257xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
  %zero = arith.constant 0.000000e+00 : f32
  %unused = arith.constant 42 : index
  affine.for %i = 0 to 257 {
    affine.for %j = 0 to 257 {
      affine.store %zero, %g[%i, %j] : memref<257x257xf32>
      affine.for %k = 0 to 5 {
        %a = affine.load %x[%k, %i] : memref<5x257xf32>
        %b = affine.load %x[%k, %j] : memref<5x257xf32>
        %p = arith.mulf %a, %b : f32
        %c = affine.load %g[%i, %j] : memref<257x257xf32>
        %s = arith.addf %c, %p : f32
        affine.store %s, %g[%i, %j] : memref<257x257xf32>
      }
    }
  }
  return
}
"""

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

# X^T Y: two different operands, no symmetry.
CROSS = """
func.func @cross(%x: memref<4x256xf64>, %y: memref<4x256xf64>, %c: memref<256x256xf64>) {
  %zero = arith.constant 0.000000e+00 : f64
  affine.for %i = 0 to 256 {
    affine.for %j = 0 to 256 {
      affine.store %zero, %c[%i, %j] : memref<256x256xf64>
      affine.for %k = 0 to 4 {
        %a = affine.load %x[%k, %i] : memref<4x256xf64>
        %b = affine.load %y[%k, %j] : memref<4x256xf64>
        %p = arith.mulf %a, %b : f64
        %o = affine.load %c[%i, %j] : memref<256x256xf64>
        %s = arith.addf %o, %p : f64
        affine.store %s, %c[%i, %j] : memref<256x256xf64>
      }
    }
  }
  return
}
"""

# C[i][j] = sum_k (X[k][i] - X[k][j]): the same operand with swapped maps, but combined by a
# subtraction, so C is antisymmetric, not symmetric.
DIFFERENCES = """
func.func @differences(%x: memref<3x256xf64>, %c: memref<256x256xf64>) {
  %zero = arith.constant 0.000000e+00 : f64
  affine.for %i = 0 to 256 {
    affine.for %j = 0 to 256 {
      affine.store %zero, %c[%i, %j] : memref<256x256xf64>
      affine.for %k = 0 to 3 {
        %a = affine.load %x[%k, %i] : memref<3x256xf64>
        %b = affine.load %x[%k, %j] : memref<3x256xf64>
        %d = arith.subf %a, %b : f64
        %o = affine.load %c[%i, %j] : memref<256x256xf64>
        %s = arith.addf %o, %d : f64
        affine.store %s, %c[%i, %j] : memref<256x256xf64>
      }
    }
  }
  return
}
"""


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
    (_, gram), = [_run(_raise(GRAM_F32, "gram"), "gram",
                       [x, np.full((257, 257), np.nan, np.float32)], "x86_64", tmp_path)]
    np.testing.assert_allclose(gram, x.T @ x, rtol=1e-5, atol=1e-5)
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

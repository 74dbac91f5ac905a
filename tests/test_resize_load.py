"""Resizing, loading, argument roles and diagnostics."""

import numpy as np
import pytest

from checkers.execute import CompiledFunction
from raising.kernel_ir import ArgRole
from raising.load import LoadError, load_text
from raising.resize import ResizeError, resize_text, shape_extents, shrink_mapping

STENCIL = """
func.func @kernel_s(%arg0: i32, %arg1: memref<1000xf64>, %arg2: memref<1000xf64>) {
  %cst = arith.constant 0.5 : f64
  affine.for %i = 1 to 999 {
    %0 = affine.load %arg1[%i - 1] : memref<1000xf64>
    %1 = affine.load %arg1[%i + 1] : memref<1000xf64>
    %2 = arith.addf %0, %1 : f64
    %3 = arith.mulf %2, %cst : f64
    affine.store %3, %arg2[%i] : memref<1000xf64>
  }
  return
}
"""


def test_resize_maps_shapes_and_bounds_consistently():
    small = resize_text(STENCIL, {1000: 7})
    assert "memref<7xf64>" in small and "1 to 6" in small and "1000" not in small
    compiled = CompiledFunction(small, "kernel_s")
    a, b = np.arange(7.0), np.zeros(7)
    compiled.run([0, a, b])
    np.testing.assert_allclose(b[1:6], 0.5 * (a[:-2] + a[2:]))
    assert b[0] == 0 and b[6] == 0


def test_shrink_mapping_uses_distinct_primes():
    text = "memref<1000x1100xf64> memref<1200x1000xf64>"
    assert shape_extents(text) == [1000, 1100, 1200]
    assert shrink_mapping(text) == {1000: 3, 1100: 5, 1200: 7}


def test_resize_refuses_ambiguous_extents():
    with pytest.raises(ResizeError):
        resize_text("memref<100x102xf64>", {100: 3, 102: 9})


def test_roles():
    kernel = load_text(STENCIL).kernels[0]
    assert kernel.roles == [ArgRole.SIZE, ArgRole.INPUT, ArgRole.OUTPUT]
    inout = STENCIL.replace("%3 = arith.mulf %2, %cst : f64",
                            "%9 = affine.load %arg2[%i] : memref<1000xf64>\n"
                            "    %3 = arith.mulf %2, %9 : f64")
    assert load_text(inout).kernels[0].roles[2] == ArgRole.IN_OUT


def test_diagnostics_have_file_line_col():
    with pytest.raises(LoadError) as err:
        load_text("func.func @f() {\n  %x = arith.addf %a : f64\n}", "bad.mlir")
    assert err.value.diagnostics[0].startswith("bad.mlir:2:")
    assert ": error: " in err.value.diagnostics[0]


def test_empty_module_is_an_error():
    with pytest.raises(LoadError):
        load_text("module {}", "empty.mlir")

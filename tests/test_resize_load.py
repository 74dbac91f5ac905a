"""Resizing, loading, argument roles and diagnostics."""

import numpy as np
import pytest

from checkers.execute import CompiledFunction
from core.kernel_ir import ArgRole
from raising.frontend.load import LoadError, load_text
from raising.frontend.resize import (
    ResizeError,
    linked_extents,
    resize_text,
    shape_extents,
    shrink_mapping,
)

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


def _module(*types: str) -> str:
    args = ", ".join(f"%a{k}: {t}" for k, t in enumerate(types))
    return f"func.func @f({args}) {{\n  return\n}}\n"


def test_shrink_mapping_uses_distinct_primes():
    text = _module("memref<1000x1100xf64>", "memref<1200x1000xf64>")
    assert shape_extents(text) == [1000, 1100, 1200]
    assert shrink_mapping(text) == {1000: 3, 1100: 5, 1200: 7}


def test_resize_refuses_what_does_not_parse():
    with pytest.raises(ResizeError):
        resize_text("memref<100x102xf64>", {100: 3, 102: 9})


# A 5x3 matrix times a 3-vector: extents close to small loop bounds and to 0, 1, 2.
GEMV_5X3 = """
func.func @gemv(%A: memref<5x3xf64>, %x: memref<3xf64>, %y: memref<5xf64>) {
  %c0 = arith.constant 0.000000e+00 : f64
  affine.for %i = 0 to 5 {
    affine.store %c0, %y[%i] : memref<5xf64>
    affine.for %j = 0 to 3 {
      %a = affine.load %A[%i, %j] : memref<5x3xf64>
      %b = affine.load %x[%j] : memref<3xf64>
      %m = arith.mulf %a, %b : f64
      %s = affine.load %y[%i] : memref<5xf64>
      %t = arith.addf %s, %m : f64
      affine.store %t, %y[%i] : memref<5xf64>
    }
  }
  %last = affine.load %x[2] : memref<3xf64>
  %first = affine.load %x[0] : memref<3xf64>
  %d = arith.subf %last, %first : f64
  affine.store %d, %y[4] : memref<5xf64>
  return
}
"""


def test_tiny_extents_move_only_what_the_ir_ties_to_them():
    small = resize_text(GEMV_5X3, {3: 5, 5: 7})
    assert "0 to 7" in small and "0 to 5" in small  # upper bounds follow their extents
    assert "0 to 2" not in small and "2 to" not in small  # lower bounds 0 stay 0
    assert "%arg1[4]" in small and "%arg1[0]" in small  # x[N-1] moves, x[0] stays
    assert "%arg2[6]" in small  # y[M-1] as well
    compiled = CompiledFunction(small, "gemv")
    a, x, y = np.arange(35.0).reshape(7, 5), np.arange(5.0) + 1, np.zeros(7)
    compiled.run([a, x, y])
    np.testing.assert_allclose(y[:6], (a @ x)[:6])
    assert y[6] == x[4] - x[0]


@pytest.mark.parametrize("extents", [(1, 2), (2, 3), (3, 3), (4, 5)])
def test_kernels_at_small_equal_and_adjacent_extents_resize(extents):
    m, n = extents
    text = GEMV_5X3.replace("5x3", "MxN").replace("<3xf64>", "<Nxf64>") \
        .replace("<5xf64>", "<Mxf64>").replace("0 to 5", "0 to M").replace("0 to 3", "0 to N") \
        .replace("%x[2]", "%x[N1]").replace("%y[4]", "%y[M1]")
    for symbol, value in (("M1", m - 1), ("N1", n - 1), ("M", m), ("N", n)):
        text = text.replace(symbol, str(value))
    mapping = shrink_mapping(text)
    small = resize_text(text, mapping)
    compiled = CompiledFunction(small, "gemv")
    sm, sn = mapping.get(m, m), mapping.get(n, n)
    a, x, y = np.arange(sm * sn, dtype=float).reshape(sm, sn), np.arange(sn) + 1.0, np.zeros(sm)
    compiled.run([a, x, y])
    expected = a @ x
    expected[sm - 1] = x[sn - 1] - x[0]
    np.testing.assert_allclose(y, expected)


FIR = """
func.func @fir(%x: memref<1002xf64>, %h: memref<3xf64>, %y: memref<1000xf64>) {
  affine.for %i = 0 to 1000 {
    affine.for %k = 0 to 3 {
      %a = affine.load %h[%k] : memref<3xf64>
      %b = affine.load %x[%i + %k] : memref<1002xf64>
      %m = arith.mulf %a, %b : f64
      %s = affine.load %y[%i] : memref<1000xf64>
      %t = arith.addf %s, %m : f64
      affine.store %t, %y[%i] : memref<1000xf64>
    }
  }
  return
}
"""


def test_an_extent_made_of_others_follows_them():
    assert linked_extents(FIR) == {1002: (0, ((1, 3, 0), (1, 1000, 0)))}
    for start in (0, 1):
        mapping = shrink_mapping(FIR, start)
        assert mapping[1002] == mapping[1000] + mapping[3] - 1
        small = resize_text(FIR, mapping)
        n, k = mapping[1000], mapping[3]
        compiled = CompiledFunction(small, "fir")
        x, h, y = np.arange(n + k - 1.0), np.arange(k) + 1.0, np.zeros(n)
        compiled.run([x, h, y])
        np.testing.assert_allclose(y, np.correlate(x, h, mode="valid"))


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


def test_the_second_tuple_rotates_the_first_primes():
    text = _module("memref<1000x1100xf64>", "memref<1200x1000xf64>")
    first = shrink_mapping(text)
    second = shrink_mapping(text, 1, rotate=True)
    assert sorted(second.values()) == sorted(first.values())
    assert all(second[e] != first[e] for e in first)  # every extent moves
    single = _module("memref<1000xf64>")  # nothing to rotate with: the next prime
    assert shrink_mapping(single, 1, rotate=True) == {1000: 5}


# A 3x3 minimum filter of a 7x6 image: the window loops (0 to 3) are tied to no extent and
# stay, the image's extents follow the output's, and no shrunk extent stands for two.
ERODE = """
func.func @erode(%img: memref<7x6xf64>, %out: memref<5x4xf64>) {
  %inf = arith.constant 0x7FF0000000000000 : f64
  affine.for %i = 0 to 5 {
    affine.for %j = 0 to 4 {
      %m = affine.for %p = 0 to 3 iter_args(%a = %inf) -> (f64) {
        %n = affine.for %q = 0 to 3 iter_args(%b = %a) -> (f64) {
          %v = affine.load %img[%i + %p, %j + %q] : memref<7x6xf64>
          %c = arith.minimumf %v, %b : f64
          affine.yield %c : f64
        }
        affine.yield %n : f64
      }
      affine.store %m, %out[%i, %j] : memref<5x4xf64>
    }
  }
  return
}
"""


@pytest.mark.parametrize("start,rotate", [(0, False), (1, True)])
def test_fixed_windows_stay_and_shrunk_extents_are_distinct(start, rotate):
    mapping = shrink_mapping(ERODE, start, rotate=rotate)
    assert len(set(mapping.values())) == len(mapping)
    assert mapping[7] == mapping[5] + 2 and mapping[6] == mapping[4] + 2
    small = resize_text(ERODE, mapping)
    compiled = CompiledFunction(small, "erode")
    img = np.random.default_rng(0).normal(size=(mapping[7], mapping[6]))
    out = np.zeros((mapping[5], mapping[4]))
    compiled.run([img, out])
    windows = np.lib.stride_tricks.sliding_window_view(img, (3, 3))
    np.testing.assert_allclose(out, windows.min(axis=(2, 3)))

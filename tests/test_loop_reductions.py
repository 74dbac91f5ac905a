"""Reductions no schedule covers (a view function's runtime-sized dot product) are lowered as
loops whose float terms may be added in any order (lowering.prepare.reassociate_loop_reductions):
LLVM vectorizes them. They must still give the dot products, for every length from 1 up,
f64, f32 and i32 (integers need no flag and get none), on x86 and on RVV.
"""

import shutil

import numpy as np
import pytest

from lowering import lower, native
from polybench.datasets import get
from polybench.evaluate import compare

HAVE_CLANG = shutil.which(native.CLANG) is not None
HAVE_QEMU = shutil.which(native.QEMU_RISCV64) is not None
native_only = pytest.mark.skipif(not HAVE_CLANG, reason="clang-22 missing: run `make native`")

ROWS, COLS = 41, 37  # row i is summed over its first min(i + 1, COLS) elements

# Written the way raised code calls a view function: row views of runtime length.
TEMPLATE = """
#len = affine_map<(i) -> (i + 1, {cols})>
func.func @tri_dots(%a: memref<{rows}x{cols}x{t}>, %x: memref<{cols}x{t}>,
                    %y: memref<{rows}x{t}>) {{
  affine.for %i = 0 to {rows} {{
    %n = affine.min #len(%i)
    %row = memref.subview %a[%i, 0] [1, %n] [1, 1]
        : memref<{rows}x{cols}x{t}> to memref<?x{t}, strided<[1], offset: ?>>
    %head = memref.subview %x[0] [%n] [1]
        : memref<{cols}x{t}> to memref<?x{t}, strided<[1]>>
    %head2 = memref.cast %head : memref<?x{t}, strided<[1]>> to memref<?x{t}, strided<[1], offset: ?>>
    %out = memref.subview %y[%i] [1] [1]
        : memref<{rows}x{t}> to memref<{t}, strided<[], offset: ?>>
    func.call @dot(%row, %head2, %out) : (memref<?x{t}, strided<[1], offset: ?>>,
        memref<?x{t}, strided<[1], offset: ?>>, memref<{t}, strided<[], offset: ?>>) -> ()
  }}
  return
}}
func.func private @dot(%u: memref<?x{t}, strided<[1], offset: ?>>,
                       %v: memref<?x{t}, strided<[1], offset: ?>>,
                       %o: memref<{t}, strided<[], offset: ?>>) {{
  %tu = bufferization.to_tensor %u restrict : memref<?x{t}, strided<[1], offset: ?>> to tensor<?x{t}>
  %tv = bufferization.to_tensor %v restrict : memref<?x{t}, strided<[1], offset: ?>> to tensor<?x{t}>
  %zero = arith.constant {zero} : {t}
  %unused = arith.constant 7 : index
  %e = tensor.empty() : tensor<{t}>
  %f = linalg.fill ins(%zero : {t}) outs(%e : tensor<{t}>) -> tensor<{t}>
  %r = linalg.generic {{indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>,
                                        affine_map<(d0) -> ()>],
                       iterator_types = ["reduction"]}}
      ins(%tu, %tv : tensor<?x{t}>, tensor<?x{t}>) outs(%f : tensor<{t}>) {{
  ^bb0(%p: {t}, %q: {t}, %acc: {t}):
    %m = {mul} %p, %q : {t}
    %s = {add} %acc, %m : {t}
    linalg.yield %s : {t}
  }} -> tensor<{t}>
  bufferization.materialize_in_destination %r in restrict writable %o
      : (tensor<{t}>, memref<{t}, strided<[], offset: ?>>) -> ()
  return
}}
"""

TYPES = {
    "f64": ("0.0", "arith.mulf", "arith.addf", np.float64),
    "f32": ("0.0", "arith.mulf", "arith.addf", np.float32),
    "i32": ("0", "arith.muli", "arith.addi", np.int32),
}


def _module(elem: str) -> str:
    zero, mul, add, _ = TYPES[elem]
    return TEMPLATE.format(rows=ROWS, cols=COLS, t=elem, zero=zero, mul=mul, add=add)


def _inputs(elem: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dtype = TYPES[elem][3]
    rng = np.random.default_rng(3)
    if elem == "i32":
        a = rng.integers(-50, 50, (ROWS, COLS)).astype(dtype)
        x = rng.integers(-50, 50, COLS).astype(dtype)
    else:
        a, x = rng.standard_normal((ROWS, COLS)).astype(dtype), rng.random(COLS).astype(dtype)
    expected = np.array([np.dot(a[i, :min(i + 1, COLS)].astype(np.float64),
                                x[:min(i + 1, COLS)].astype(np.float64)) for i in range(ROWS)])
    return a, x, expected.astype(dtype)


@pytest.mark.parametrize("elem", sorted(TYPES))
def test_unscheduled_reductions_are_marked_reassociable_floats_only(elem):
    llvm_ir = lower.emit_llvm_ir(_module(elem), "raised", "x86_64")
    body = llvm_ir[llvm_ir.index("define void @dot"):]
    body = body[:body.index("\n}")]
    if elem == "i32":
        assert "reassoc" not in body
    else:
        add = "fadd reassoc contract" in body
        mul = "fmul reassoc contract" in body
        assert add and mul, body


@native_only
@pytest.mark.parametrize("elem", sorted(TYPES))
def test_reassociated_dot_products_of_every_length_match_numpy(elem, tmp_path):
    text = _module(elem)
    types = lower.signature(text, "tri_dots")
    a, x, expected = _inputs(elem)
    arches = ["x86_64"] + (["riscv64"] if HAVE_QEMU else [])
    for arch in arches:
        exe = native.build_executable(lower.emit_llvm_ir(text, "raised", arch), "tri_dots",
                                      types, native.ARCHES[arch], tmp_path / f"dots-{arch}")
        args = [a, x, np.zeros(ROWS, dtype=a.dtype)]
        if arch == "riscv64":
            _, result = native.count_instructions(exe, native.ARCHES[arch], args, types)
        else:
            result = native.run_executable(exe, native.ARCHES[arch], args, types)
        got = result.arrays[2]
        if elem == "i32":
            np.testing.assert_array_equal(got, expected, err_msg=arch)
        else:
            tol = 1e-5 if elem == "f32" else 1e-12
            np.testing.assert_allclose(got, expected, rtol=tol, atol=tol, err_msg=arch)


def test_gramschmidt_comparisons_skip_only_the_columns_beyond_its_rank():
    sizes = get("gramschmidt").dataset("MINI")
    m, n = sizes["M"], sizes["N"]
    assert m < n  # PolyBench's shape: more columns than rows
    rng = np.random.default_rng(0)
    a, r, q = rng.random((m, n)), rng.random((n, n)), rng.random((m, n))
    noisy = q.copy()
    noisy[:, m:] += 1.0  # Q beyond the rank (normalised rounding noise): not compared
    assert compare([a, r, q], [a, r, noisy], "gramschmidt", "MINI")[0]
    assert not compare([a, r, q], [a, r, noisy])[0]  # without the kernel: everything
    for array, index in ((q, (0, m - 1)), (a, (0, n - 1)), (r, (n - 1, n - 1))):
        wrong = [x.copy() for x in (a, r, q)]
        wrong[[id(a), id(r), id(q)].index(id(array))][index] += 1.0  # determined: compared
        assert not compare([a, r, q], wrong, "gramschmidt", "MINI")[0]

"""lowering.pack and the power-of-two remainders of lowering.schedule: contractions whose
streamed operand is copied into panels compute what numpy computes, at odd, tiny and
power-of-two extents, f64 and f32, on one and two threads; the packing is really applied
(the panel copy is in the schedule) and can be switched off to compare.
"""

import shutil

import numpy as np
import pytest

from lowering import lower, native, schedule
from lowering.schedule import Segment, segments

native_only = pytest.mark.skipif(shutil.which(native.CLANG) is None,
                                 reason="clang-22 missing: run `make native`")


def test_vector_dim_remainders_are_powers_of_two():
    assert segments(1100, 256, 16, pow2_rest=True) == [
        Segment(0, 1024, 256, 16), Segment(1024, 64, 0, 16), Segment(1088, 8, 0, 0),
        Segment(1096, 4, 0, 0)]
    assert segments(12, 0, 16, pow2_rest=True) == [Segment(0, 8, 0, 0), Segment(8, 4, 0, 0)]
    assert segments(5, 0, 16, pow2_rest=True) == [Segment(0, 4, 0, 0), Segment(4, 1, 0, 0)]
    assert segments(16, 0, 16, pow2_rest=True) == [Segment(0, 16, 0, 0)]
    assert segments(1, 0, 16, pow2_rest=True) == [Segment(0, 1, 0, 0)]
    for extent in range(1, 70):
        parts = segments(extent, 32, 16, pow2_rest=True)
        assert sum(p.size for p in parts) == extent
        rest = [p.size for p in parts if not p.reg and not p.cache]
        assert all(size & (size - 1) == 0 for size in rest)  # each a power of two


def _matmul(m: int, n: int, k: int, elem: str, transposed_b: bool = False) -> str:
    """C[m, n] += A[m, k] B[k, n] (B read as B^T[n, k] when `transposed_b`), on tensors."""
    b_shape = f"{n}x{k}" if transposed_b else f"{k}x{n}"
    b_map = "(d2, d1)" if not transposed_b else "(d1, d2)"
    return f"""
func.func @mm(%c: memref<{m}x{n}x{elem}>, %a: memref<{m}x{k}x{elem}>, %b: memref<{b_shape}x{elem}>) {{
  %ta = bufferization.to_tensor %a restrict : memref<{m}x{k}x{elem}> to tensor<{m}x{k}x{elem}>
  %tb = bufferization.to_tensor %b restrict : memref<{b_shape}x{elem}> to tensor<{b_shape}x{elem}>
  %tc = bufferization.to_tensor %c restrict writable : memref<{m}x{n}x{elem}> to tensor<{m}x{n}x{elem}>
  %r = linalg.generic {{indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>,
                                        affine_map<(d0, d1, d2) -> {b_map}>,
                                        affine_map<(d0, d1, d2) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}}
      ins(%ta, %tb : tensor<{m}x{k}x{elem}>, tensor<{b_shape}x{elem}>) outs(%tc : tensor<{m}x{n}x{elem}>) {{
  ^bb0(%x: {elem}, %y: {elem}, %acc: {elem}):
    %p = arith.mulf %x, %y : {elem}
    %s = arith.addf %acc, %p : {elem}
    linalg.yield %s : {elem}
  }} -> tensor<{m}x{n}x{elem}>
  bufferization.materialize_in_destination %r in restrict writable %c
      : (tensor<{m}x{n}x{elem}>, memref<{m}x{n}x{elem}>) -> ()
  return
}}
"""


def _packed_count(text: str, threads: int = 1) -> int:
    kept: list[str] = []
    lower.lower_raised(text, "x86_64", threads=threads, keep_schedule=kept)
    return sum(script.count(schedule.PACK_COPY_TAG) for script in kept)


def _run(text: str, args: list[np.ndarray], tmp_path, name: str, threads: int = 1):
    types = lower.signature(text, "mm")
    llvm_ir = lower.emit_llvm_ir(text, "raised", "x86_64", threads=threads)
    exe = native.build_executable(llvm_ir, "mm", types, native.ARCHES["x86_64"],
                                  tmp_path / name, openmp=threads > 1)
    result = native.run_executable(exe, native.ARCHES["x86_64"], args, types, reps=2,
                                   env={"OMP_NUM_THREADS": str(threads)})
    return result.arrays[0]


# (m, n, k): a cache-tile tail along k (300 = 256 + 44), columns with a 12-wide and a
# 4-wide remainder, a power-of-two row stride (512), rows that leave a partial register
# tile (17, 70), the smallest packable shapes.
SHAPES = [(70, 300, 300), (17, 268, 520), (64, 512, 257), (16, 16, 3), (40, 36, 1)]


@native_only
@pytest.mark.slow
@pytest.mark.parametrize(("m", "n", "k"), SHAPES)
@pytest.mark.parametrize("elem", ["f64", "f32"])
def test_packed_contractions_match_numpy(m, n, k, elem, tmp_path):
    dtype = np.float64 if elem == "f64" else np.float32
    rng = np.random.default_rng(m * n + k)
    c, a, b = (rng.standard_normal(s).astype(dtype) for s in ((m, n), (m, k), (k, n)))
    text = _matmul(m, n, k, elem)
    got = _run(text, [c, a, b], tmp_path, f"mm{m}_{n}_{k}_{elem}")
    want = c.astype(np.float64) + a.astype(np.float64) @ b.astype(np.float64)
    tol = 1e-9 if elem == "f64" else 2e-3
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol * k)


@native_only
@pytest.mark.slow
def test_packing_happens_and_changes_only_where_b_is_read(tmp_path, monkeypatch):
    text = _matmul(70, 300, 300, "f64")
    assert _packed_count(text) >= 1
    rng = np.random.default_rng(3)
    args = [rng.standard_normal(s) for s in ((70, 300), (70, 300), (300, 300))]
    packed = _run(text, args, tmp_path, "packed")
    monkeypatch.setattr(schedule, "PACKING", False)
    assert _packed_count(text) == 0
    plain = _run(text, args, tmp_path, "plain")
    # Same products summed in the same order: packing moves B's elements, nothing else.
    np.testing.assert_array_equal(packed, plain)


@native_only
@pytest.mark.slow
def test_packed_column_blocks_on_two_threads_match_numpy(tmp_path):
    # 512 columns: two 256-wide column blocks on threads, each with its own panel buffer.
    m, n, k = 72, 512, 300
    text = _matmul(m, n, k, "f64")
    assert _packed_count(text, threads=2) >= 1
    rng = np.random.default_rng(5)
    c, a, b = (rng.standard_normal(s) for s in ((m, n), (m, k), (k, n)))
    got = _run(text, [c, a, b], tmp_path, "threads", threads=2)
    np.testing.assert_allclose(got, c + a @ b, rtol=1e-9, atol=1e-9 * k)


@native_only
@pytest.mark.slow
def test_a_contraction_whose_b_is_read_transposed_is_not_packed_wrongly(tmp_path):
    # B^T read along the reduction (A B^T): not a (k, j) operand, so no panels of it.
    m, n, k = 40, 48, 64
    text = _matmul(m, n, k, "f64", transposed_b=True)
    rng = np.random.default_rng(7)
    c, a, bt = (rng.standard_normal(s) for s in ((m, n), (m, k), (n, k)))
    got = _run(text, [c, a, bt], tmp_path, "abt")
    np.testing.assert_allclose(got, c + a @ bt.T, rtol=1e-9, atol=1e-9 * k)

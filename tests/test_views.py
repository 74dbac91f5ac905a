"""Nests inside a kept loop that depend on its index, raised on views of the buffers
(issue 18, part 1): kernels of other domains than PolyBench, odd and tiny extents, f32 and
integer data, a pivot loaded in the loop body, a scale factor; overlapping views refused."""

from __future__ import annotations

from functools import cache

import pytest

from raising.analysis.views import ViewError, view_nest
from raising.pipeline import RaiseOptions, RaiseResult, raise_text

# Right-looking LU without pivoting (k-i-j order): scale the pivot row's right part by
# the pivot loaded once per step, then the rank-1 update of the trailing block.
LU_KIJ = """module {{
  func.func @lu_kij(%A: memref<{n}x{n}x{t}>) {{
    %unused = arith.constant 7 : index
    affine.for %k = 0 to {n} {{
      %p = affine.load %A[%k, %k] : memref<{n}x{n}x{t}>
      affine.for %j = affine_map<(d0) -> (d0 + 1)>(%k) to {n} {{
        %a = affine.load %A[%k, %j] : memref<{n}x{n}x{t}>
        %d = arith.divf %a, %p : {t}
        affine.store %d, %A[%k, %j] : memref<{n}x{n}x{t}>
      }}
      affine.for %i = affine_map<(d0) -> (d0 + 1)>(%k) to {n} {{
        affine.for %j = affine_map<(d0) -> (d0 + 1)>(%k) to {n} {{
          %x = affine.load %A[%i, %j] : memref<{n}x{n}x{t}>
          %l = affine.load %A[%i, %k] : memref<{n}x{n}x{t}>
          %u = affine.load %A[%k, %j] : memref<{n}x{n}x{t}>
          %m = arith.mulf %l, %u : {t}
          %s = arith.subf %x, %m : {t}
          affine.store %s, %A[%i, %j] : memref<{n}x{n}x{t}>
        }}
      }}
    }}
    return
  }}
}}
"""

# Each row accumulates the one above it (a running sum down the columns), integers.
ROW_SCAN = """module {
  func.func @row_scan(%A: memref<4x3xi32>) {
    affine.for %k = 1 to 4 {
      affine.for %j = 0 to 3 {
        %a = affine.load %A[%k, %j] : memref<4x3xi32>
        %b = affine.load %A[%k - 1, %j] : memref<4x3xi32>
        %s = arith.addi %a, %b : i32
        affine.store %s, %A[%k, %j] : memref<4x3xi32>
      }
    }
    return
  }
}
"""

# Damping the tail of a signal from each sample on: x[k..N) *= alpha, then y[k] = x[k].
TAIL_DAMP = """module {
  func.func @tail_damp(%x: memref<5xf64>, %y: memref<5xf64>, %alpha: f64) {
    affine.for %k = 0 to 5 {
      affine.for %j = affine_map<(d0) -> (d0 + 1)>(%k) to 5 {
        %a = affine.load %x[%j] : memref<5xf64>
        %m = arith.mulf %a, %alpha : f64
        affine.store %m, %x[%j] : memref<5xf64>
      }
      %v = affine.load %x[%k] : memref<5xf64>
      affine.store %v, %y[%k] : memref<5xf64>
    }
    return
  }
}
"""

# x[j] += x[k] for j >= k: the nest reads an element it writes (x[k] doubles first).
OVERLAP = """module {
  func.func @overlap(%x: memref<6xf64>) {
    affine.for %k = 0 to 6 {
      affine.for %j = affine_map<(d0) -> (d0)>(%k) to 6 {
        %a = affine.load %x[%j] : memref<6xf64>
        %b = affine.load %x[%k] : memref<6xf64>
        %s = arith.addf %a, %b : f64
        affine.store %s, %x[%j] : memref<6xf64>
      }
    }
    return
  }
}
"""


@cache
def _raise(text: str, target: str = "linalg") -> RaiseResult:
    return raise_text(text, "k.mlir", RaiseOptions(target=target))


def _inner(result: RaiseResult) -> list[dict]:  # type: ignore[type-arg]
    return [r for f in result.report["functions"] for r in f["regions"]  # type: ignore
            if "path" in r]


@pytest.mark.parametrize("target", ["linalg", "stablehlo"])
@pytest.mark.parametrize(("n", "elem"), [(5, "f64"), (3, "f32"), (2, "f64")])
def test_lu_steps_raise_on_views(n: int, elem: str, target: str) -> None:
    result = _raise(LU_KIJ.format(n=n, t=elem), target)
    inner = _inner(result)
    assert [r["status"] for r in inner] == ["raised", "raised"], inner
    assert all(r["proof"]["result"] == "proved" for r in inner)
    assert all(r["view_function"].startswith("lu_kij__view") for r in inner)
    func = result.report["functions"][0]  # type: ignore[index]
    assert func["crosscheck"]["passed"], func["crosscheck"]
    assert "memref.subview" in result.text and "func.call @lu_kij__view" in result.text
    assert result.exit_code == 1  # the k loop itself stays


def test_integer_rows_raise_on_views() -> None:
    result = _raise(ROW_SCAN)
    inner = _inner(result)
    assert [r["status"] for r in inner] == ["raised"], inner
    assert result.report["functions"][0]["crosscheck"]["passed"]  # type: ignore[index]
    assert "arith.addi" in result.text or "linalg.add" in result.text


def test_a_scale_factor_passes_through_to_the_view_function() -> None:
    result = _raise(TAIL_DAMP)
    inner = _inner(result)
    assert [r["status"] for r in inner] == ["raised"], inner
    assert result.report["functions"][0]["crosscheck"]["passed"]  # type: ignore[index]
    nest = view_nest(TAIL_DAMP, "tail_damp", 0, 0)
    assert nest.scalars == [("arg", 2)]


def test_overlapping_views_are_refused_with_the_reason() -> None:
    with pytest.raises(ViewError, match="may overlap"):
        view_nest(OVERLAP, "overlap", 0, 0)
    result = _raise(OVERLAP)
    assert all("may overlap" in r.get("reason", "") for r in _inner(result))
    assert "func.call" not in result.text


def test_views_are_boxes_at_offsets_from_the_loop_index() -> None:
    nest = view_nest(LU_KIJ.format(n=5, t="f64"), "lu_kij", 1, 2)
    # A[k+1:, k+1:] read and written, A[k+1:, k] and A[k, k+1:] read: three views of A,
    # the trailing block disjoint from the pivot row and column.
    assert len(nest.views) == 3 and {v.base for v in nest.views} == {0}
    assert nest.written == {0}
    offsets = {v.offsets for v in nest.views}
    k_plus_1 = ((("k",), 1), (1, 1))
    assert (k_plus_1, k_plus_1) in offsets
    assert "memref<?x?xf64>" in nest.text and "strided<[?, ?], offset: ?>" in nest.strided_text

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
    assert "memref<?x?xf64>" in nest.text
    # Rows of A walk its contiguous dimension (stride 1 at every call: vectorisable); the
    # pivot column A[k+1:, k] does not.
    assert nest.layouts == ["strided<[?, 1], offset: ?>", "strided<[?], offset: ?>",
                            "strided<[1], offset: ?>"]
    assert "memref<?x?xf64, strided<[?, 1], offset: ?>>" in nest.strided_text


# Forward substitution, f32 (a lower-triangular solve as a signal-processing code writes it):
# the reduction's result divided by the diagonal and stored, one call per row.
FORWARD_SUBST = """module {{
  func.func @forward_subst(%L: memref<{n}x{n}xf32>, %b: memref<{n}xf32>, %x: memref<{n}xf32>) {{
    affine.for %i = 0 to {n} {{
      %bi = affine.load %b[%i] : memref<{n}xf32>
      %s = affine.for %j = 0 to affine_map<(d0) -> (d0)>(%i) iter_args(%acc = %bi) -> (f32) {{
        %l = affine.load %L[%i, %j] : memref<{n}x{n}xf32>
        %xj = affine.load %x[%j] : memref<{n}xf32>
        %m = arith.mulf %l, %xj : f32
        %d = arith.subf %acc, %m : f32
        affine.yield %d : f32
      }}
      %dii = affine.load %L[%i, %i] : memref<{n}x{n}xf32>
      %q = arith.divf %s, %dii : f32
      affine.store %q, %x[%i] : memref<{n}xf32>
    }}
    return
  }}
}}
"""

# Back substitution with the row index running backwards (i = N-1-r), integers scaled by
# nothing: x[i] = y[i] - sum_{j>i} U[i][j] * x[j].
BACK_SUBST_I32 = """module {
  func.func @back_subst(%U: memref<5x5xi32>, %y: memref<5xi32>, %x: memref<5xi32>) {
    %c0 = arith.constant 0 : i32
    affine.for %r = 0 to 5 {
      %s = affine.for %j = affine_map<(d0) -> (-d0 + 5)>(%r) to 5 iter_args(%acc = %c0) -> (i32) {
        %u = affine.load %U[-%r + 4, %j] : memref<5x5xi32>
        %xj = affine.load %x[%j] : memref<5xi32>
        %m = arith.muli %u, %xj : i32
        %a = arith.addi %acc, %m : i32
        affine.yield %a : i32
      }
      %yi = affine.load %y[-%r + 4] : memref<5xi32>
      %d = arith.subi %yi, %s : i32
      affine.store %d, %x[-%r + 4] : memref<5xi32>
    }
    return
  }
}
"""

# A running total carried by the kept loop's iter_args: the nest starts from it (a value
# of the kept loop passed in) and the next step needs its result (returned by the call).
CARRIED = """module {
  func.func @carried(%r: memref<4xf64>, %y: memref<4xf64>) {
    %zero = arith.constant 0.0 : f64
    %t = affine.for %k = 1 to 4 iter_args(%a = %zero) -> (f64) {
      %s = affine.for %i = 0 to affine_map<(d0) -> (d0)>(%k) iter_args(%acc = %a) -> (f64) {
        %v = affine.load %y[%i] : memref<4xf64>
        %w = arith.addf %acc, %v : f64
        affine.yield %w : f64
      }
      affine.store %s, %y[%k] : memref<4xf64>
      affine.yield %s : f64
    }
    return
  }
}
"""


def test_a_one_row_solve_raises_whole() -> None:
    """At n = 1 the row loop runs once: no recurrence, the whole nest is one region."""
    result = _raise(FORWARD_SUBST.format(n=1))
    assert result.exit_code == 0 and not _inner(result)


@pytest.mark.parametrize("n", [2, 3, 6])
def test_a_reduction_and_the_store_of_its_result_raise_as_one_call(n: int) -> None:
    result = _raise(FORWARD_SUBST.format(n=n))
    inner = _inner(result)
    assert [r["status"] for r in inner] == ["raised"], inner
    assert "reduce_add" in inner[0]["ops"] and "div" in inner[0]["ops"]
    assert result.report["functions"][0]["crosscheck"]["passed"]  # type: ignore[index]
    nest = view_nest(FORWARD_SUBST.format(n=n), "forward_subst", 0, 1)
    assert nest.end == 4  # the loop, the diagonal's load, the division and the store
    # Views: L's row left of the diagonal, x left of i, L[i][i], x[i] (points are 0-d).
    assert sorted(sum(e is not None for e in v.extents) for v in nest.views) == [0, 0, 1, 1]
    assert "memref<f32, strided<[], offset: ?>>" in nest.strided_text


def test_back_substitution_with_a_reversed_row_index_on_integers() -> None:
    result = _raise(BACK_SUBST_I32)
    inner = _inner(result)
    assert [r["status"] for r in inner] == ["raised"], inner
    assert inner[0]["proof"]["result"] == "proved"
    assert result.report["functions"][0]["crosscheck"]["passed"]  # type: ignore[index]


def test_a_carried_value_goes_in_and_the_next_steps_value_comes_out() -> None:
    nest = view_nest(CARRIED, "carried", 1, 0)
    assert nest.scalars == [("carried", 1)] and nest.returns == [(0, 0)]
    assert nest.end == 1  # the loop and the store of its result
    result = _raise(CARRIED)
    assert [r["status"] for r in _inner(result)] == ["raised"], _inner(result)
    assert result.report["functions"][0]["crosscheck"]["passed"]  # type: ignore[index]


# A direct-form IIR filter (f32): two reversed dot products over the past inputs and
# outputs, their difference stored; the output recurrence keeps the sample loop.
IIR = """module {
  func.func @iir(%b: memref<3xf32>, %a: memref<3xf32>, %x: memref<9xf32>, %y: memref<9xf32>) {
    %zero = arith.constant 0.0 : f32
    affine.for %n = 2 to 9 {
      %ff = affine.for %k = 0 to 3 iter_args(%acc = %zero) -> (f32) {
        %bk = affine.load %b[%k] : memref<3xf32>
        %xv = affine.load %x[%n - %k] : memref<9xf32>
        %m = arith.mulf %bk, %xv : f32
        %s = arith.addf %acc, %m : f32
        affine.yield %s : f32
      }
      %fb = affine.for %k = 1 to 3 iter_args(%acc = %zero) -> (f32) {
        %ak = affine.load %a[%k] : memref<3xf32>
        %yv = affine.load %y[%n - %k] : memref<9xf32>
        %m = arith.mulf %ak, %yv : f32
        %s = arith.addf %acc, %m : f32
        affine.yield %s : f32
      }
      %out = arith.subf %ff, %fb : f32
      affine.store %out, %y[%n] : memref<9xf32>
    }
    return
  }
}
"""

# A Levinson-style step (f64): the reflection coefficient is a reversed dot product that
# the next step needs (carried by iter_args), the update of y uses y backwards.
REFLECT = """module {
  func.func @reflect(%r: memref<6xf64>, %y: memref<6xf64>, %z: memref<6xf64>) {
    %zero = arith.constant 0.0 : f64
    %one = arith.constant 1.0 : f64
    %last = affine.for %k = 1 to 6 iter_args(%beta = %one) -> (f64) {
      %dot = affine.for %i = 0 to affine_map<(d0) -> (d0)>(%k) iter_args(%acc = %zero) -> (f64) {
        %rv = affine.load %r[%k - %i - 1] : memref<6xf64>
        %yv = affine.load %y[%i] : memref<6xf64>
        %m = arith.mulf %rv, %yv : f64
        %s = arith.addf %acc, %m : f64
        affine.yield %s : f64
      }
      %alpha = arith.divf %dot, %beta : f64
      affine.for %i = 0 to affine_map<(d0) -> (d0)>(%k) {
        %yi = affine.load %y[%i] : memref<6xf64>
        %yr = affine.load %y[%k - %i - 1] : memref<6xf64>
        %m = arith.mulf %alpha, %yr : f64
        %s = arith.addf %yi, %m : f64
        affine.store %s, %z[%i] : memref<6xf64>
      }
      affine.store %alpha, %y[%k] : memref<6xf64>
      %nb = arith.mulf %beta, %alpha : f64
      affine.yield %nb : f64
    }
    return
  }
}
"""


def test_reversed_windows_of_an_iir_filter_raise_as_one_call() -> None:
    result = _raise(IIR)
    inner = _inner(result)
    assert [r["status"] for r in inner] == ["raised"], inner
    func = result.report["functions"][0]  # type: ignore[index]
    assert func["crosscheck"]["passed"], func["crosscheck"]
    nest = view_nest(IIR, "iir", 1, 0)
    assert nest.end == 3  # both products, the difference and the store
    assert [v.directions for v in nest.views].count((-1,)) == 2  # x and y, backwards
    assert "[-1] : memref<?xf32, strided<[1], offset: ?>> to memref<?xf32, strided<[-1], " \
        "offset: ?>>" in result.text


@pytest.mark.parametrize("target", ["linalg", "stablehlo"])
def test_a_value_the_next_step_needs_is_returned_by_the_call(target: str) -> None:
    result = _raise(REFLECT, target)
    inner = _inner(result)
    assert [r["status"] for r in inner] == ["raised", "raised"], inner
    func = result.report["functions"][0]  # type: ignore[index]
    assert func["crosscheck"]["passed"], func["crosscheck"]
    nest = view_nest(REFLECT, "reflect", 2, 0)
    assert nest.returns == [(1, 0)]  # alpha, used by the update, the store and the yield
    assert "-> f64" in result.text


# Doolittle LU in i-j-k order (f32), as PolyBench's lu but not from it: left of the
# diagonal the inner loop runs to j (a triangle inside the nest), so j is kept as well and
# the k loop is raised on views at (i, j).
DOOLITTLE = """module {{
  func.func @doolittle(%A: memref<{n}x{n}xf32>) {{
    affine.for %i = 0 to {n} {{
      affine.for %j = 0 to affine_map<(d0) -> (d0)>(%i) {{
        affine.for %k = 0 to affine_map<(d0) -> (d0)>(%j) {{
          %a = affine.load %A[%i, %k] : memref<{n}x{n}xf32>
          %b = affine.load %A[%k, %j] : memref<{n}x{n}xf32>
          %m = arith.mulf %a, %b : f32
          %c = affine.load %A[%i, %j] : memref<{n}x{n}xf32>
          %s = arith.subf %c, %m : f32
          affine.store %s, %A[%i, %j] : memref<{n}x{n}xf32>
        }}
        %d = affine.load %A[%j, %j] : memref<{n}x{n}xf32>
        %e = affine.load %A[%i, %j] : memref<{n}x{n}xf32>
        %q = arith.divf %e, %d : f32
        affine.store %q, %A[%i, %j] : memref<{n}x{n}xf32>
      }}
    }}
    return
  }}
}}
"""

# An interval DP on integers (the best split of s[i..j], i from the end): the score of
# [i, j] is the best sum over split points k of the scores of [i, k] and [k+1, j].
INTERVAL_DP = """module {
  func.func @interval_dp(%T: memref<6x6xi32>) {
    affine.for %r = 0 to 6 {
      affine.for %j = affine_map<(d0) -> (-d0 + 6)>(%r) to 6 {
        affine.for %k = affine_map<(d0) -> (-d0 + 6)>(%r) to affine_map<(d0) -> (d0)>(%j) {
          %t = affine.load %T[-%r + 5, %j] : memref<6x6xi32>
          %a = affine.load %T[-%r + 5, %k] : memref<6x6xi32>
          %b = affine.load %T[%k + 1, %j] : memref<6x6xi32>
          %s = arith.addi %a, %b : i32
          %c = arith.cmpi sge, %t, %s : i32
          %m = arith.select %c, %t, %s : i32
          affine.store %m, %T[-%r + 5, %j] : memref<6x6xi32>
        }
      }
    }
    return
  }
}
"""


@pytest.mark.parametrize("n", [3, 5])
def test_a_triangle_inside_the_nest_keeps_its_loop_and_raises_below_it(n: int) -> None:
    result = _raise(DOOLITTLE.format(n=n))
    inner = {tuple(r["path"]): r for r in _inner(result)}
    assert inner[(0, 0, 0)]["status"] == "raised", inner
    assert "kept as a sequential loop" in inner[(0, 0)]["reason"]
    assert result.report["functions"][0]["crosscheck"]["passed"]  # type: ignore[index]
    assert "func.call @doolittle__view0_0_0" in result.text
    # The column A[0:j, j] and the element A[i][j] are disjoint because j < i: decided
    # from the kept loops' ranges.
    nest = view_nest(DOOLITTLE.format(n=n), "doolittle", 0, 0, 0)
    assert len(nest.views) == 3


def test_an_integer_interval_dp_raises_its_best_split_as_a_max_reduction() -> None:
    result = _raise(INTERVAL_DP)
    inner = {tuple(r["path"]): r for r in _inner(result)}
    region = inner[(0, 0, 0)]
    assert region["status"] == "raised", inner
    assert "reduce_max" in region["ops"] and region["proof"]["result"] == "proved"
    assert result.report["functions"][0]["crosscheck"]["passed"]  # type: ignore[index]
    assert "arith.maxsi" in result.text or "arith.cmpi" in result.text


@pytest.mark.parametrize("name", ["lu", "cholesky", "trisolv"])
def test_check_proves_a_kernel_raised_on_views(name: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`buddy-raise check` runs the raised version's calls of view functions (subviews at
    runtime offsets, negative strides, a temporary of runtime size) and proves it."""
    import subprocess
    import sys

    from polybench import datasets

    original, raised = tmp_path / "a.mlir", tmp_path / "b.mlir"
    original.write_text(datasets.instantiate_text(name, "MINI"))
    raised.write_text(raise_text(original.read_text(), str(original), RaiseOptions()).text)
    proc = subprocess.run([sys.executable, "-m", "raising", "check", str(original),
                           str(raised)], capture_output=True, text=True, timeout=600,
                          check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # With an aliasing guard, each version is checked ("raised version", "loops version").
    out = proc.stdout + proc.stderr
    assert f"@kernel_{name}: equivalent: proved" in out or \
        f"@kernel_{name} (raised version): equivalent: proved" in out, out


# The first column accumulated down the rows, its inner loop one iteration long: views of
# a fixed row and a constant extent 1 side by side (the fuzzer's case: an ambiguous rank
# reduction when the size was spelled as a static 1).
FIRST_COLUMN = """module {
  func.func @first_column(%A: memref<4x3xf64>) {
    affine.for %k = 1 to 4 {
      affine.for %j = 0 to 1 {
        %a = affine.load %A[%k - 1, %j] : memref<4x3xf64>
        %b = affine.load %A[%k, %j] : memref<4x3xf64>
        %s = arith.addf %a, %b : f64
        affine.store %s, %A[%k, %j] : memref<4x3xf64>
      }
    }
    return
  }
}
"""


def test_a_one_iteration_loop_beside_a_fixed_index_emits_a_valid_view() -> None:
    result = _raise(FIRST_COLUMN)
    assert [r["status"] for r in _inner(result)] == ["raised"], _inner(result)
    assert result.report["functions"][0]["crosscheck"]["passed"]  # type: ignore[index]


# A row read one element before the buffer at the first step (the original reads outside
# its buffer there): no view may start at -1.
BEFORE_START = """module {
  func.func @before_start(%x: memref<6xf64>, %y: memref<6xf64>) {
    affine.for %k = 0 to 3 {
      affine.for %j = 0 to 2 {
        %a = affine.load %x[%k + %j - 1] : memref<6xf64>
        affine.store %a, %y[%k + %j + 2] : memref<6xf64>
      }
    }
    return
  }
}
"""


def test_a_view_that_may_start_before_its_buffer_is_refused() -> None:
    with pytest.raises(ViewError, match="start before its buffer"):
        view_nest(BEFORE_START, "before_start", 0, 0)

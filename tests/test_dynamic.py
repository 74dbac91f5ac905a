"""Dynamic shapes: sizes tied to loop bounds, the static copy the search runs on, emission
with runtime sizes, and a compiled cross-check that can fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkers.crosscheck import cross_check
from raising.frontend.dynamic import check_sizes, specialise
from raising.frontend.load import load_text
from raising.pipeline import RaiseOptions, raise_text
from tests.helpers import raised_text

CORPUS = Path(__file__).parent / "corpus"

BIAS = """module {
  func.func @f(%n: index, %m: index, %A: memref<?x?xf64>, %v: memref<?xf64>, %B: memref<?x?xf64>) {
    affine.for %i = 0 to %n {
      affine.for %j = 0 to %m {
        %0 = affine.load %A[%i, %j] : memref<?x?xf64>
        %1 = affine.load %v[%j] : memref<?xf64>
        %2 = arith.addf %0, %1 : f64
        affine.store %2, %B[%i, %j] : memref<?x?xf64>
      }
    }
    return
  }
}
"""


CONFLICT = ("%2 = arith.addf %0, %1 : f64",
            "%3 = affine.load %A[%j, %j] : memref<?x?xf64>\n        %2 = arith.addf %3, %1 : f64")


def _refusal(text: str) -> str:
    spec = specialise(text)
    assert spec is not None and not spec.functions
    return spec.refused["f"]


def test_sizes_are_tied_to_dimensions_through_the_loops() -> None:
    spec = specialise(BIAS)
    assert spec is not None and not spec.refused
    sizes = spec.functions["f"]
    n, m = sorted(sizes.values)
    assert sizes.values == {n: "%n", m: "%m"}
    assert sizes.dims == [None, None, (n, m), (m,), (n, m)]
    assert sizes.size_args == {0: n, 1: m}
    assert not sizes.exact  # index arguments bound the loops: memrefs may be larger
    static = load_text(spec.text).kernels[0]
    assert [t.shape for t in static.arg_types][2:] == [(n, m), (m,), (n, m)]


def test_static_kernels_are_left_alone() -> None:
    text = (CORPUS / "c_axpby.mlir").read_text()
    assert specialise(text) is None


@pytest.mark.parametrize(("change", "why"), [
    # the size also feeds arithmetic: the static copy would lose that dependence
    (("%2 = arith.addf %0, %1 : f64",
      ("%c = arith.index_cast %n : index to i64\n        %cf = arith.sitofp %c : i64 to f64\n"
      "        %2 = arith.addf %0, %cf : f64")), "used beyond loop bounds"),
    # two different sizes bound loops over the same dimension (A[i][j] and A[j][j])
    (CONFLICT, "index the same dimension"),
])
def test_sizes_that_cannot_be_specialised_are_refused(change: tuple[str, str],
                                                      why: str) -> None:
    assert why in _refusal(BIAS.replace(*change))


def test_a_runtime_size_over_a_static_dimension_reads_a_subview() -> None:
    """Polygeist's `double v[16]` with a loop to m (m <= 16): the raised code reads the
    first m elements, and the cross-check keeps m within 16."""
    text = BIAS.replace("%v: memref<?xf64>", "%v: memref<3xf64>").replace(
        "memref<?xf64>", "memref<3xf64>")
    spec = specialise(text)
    assert spec is not None and not spec.refused
    sizes = spec.functions["f"]
    m = sorted(sizes.values)[1]
    assert sizes.caps == {m: 3}
    kernel = load_text(text).kernels[0]
    for _, shapes in check_sizes(sizes, kernel.arg_types):
        assert dict(shapes.integers)[1] <= 3 and shapes.shapes[3] == (3,)
    result = raise_text(text, "bias.mlir")
    assert result.exit_code == 0, result.report
    assert "memref.subview %arg3[0] [%arg1] [1] : memref<3xf64> to memref<?xf64, " \
           "strided<[1]>>" in result.text


def test_refused_functions_report_why_and_keep_their_loops() -> None:
    result = raise_text(BIAS.replace(*CONFLICT), "bias.mlir")
    region = result.report["functions"][0]["regions"][0]
    assert region["status"] == "unraised"
    assert "index the same dimension" in region["reason"]
    assert "affine.for" in result.text


@pytest.mark.parametrize("target", ["linalg", "stablehlo"])
def test_raised_code_uses_runtime_sizes(target: str) -> None:
    result = raise_text(BIAS, "bias.mlir", RaiseOptions(target=target))
    assert result.exit_code == 0, result.report
    assert "affine.for" not in raised_text(result.text)
    assert "memref<?x?xf64>" in result.text.splitlines()[1]  # signature unchanged
    assert "memref.subview %arg2[0, 0] [%arg0, %arg1] [1, 1]" in result.text
    check = result.report["functions"][0]["crosscheck"]
    assert check["size"] == "runtime" and check["passed"]
    assert len(check["extents"]) == 2


def test_the_runtime_cross_check_catches_a_wrong_raised_module() -> None:
    result = raise_text(BIAS, "bias.mlir")
    wrong = result.text.replace("linalg.add", "linalg.sub")
    assert wrong != result.text
    sizes = specialise(BIAS).functions["f"]  # type: ignore[union-attr]
    kernel = load_text(BIAS).kernels[0]
    runs = [shapes for _, shapes in check_sizes(sizes, kernel.arg_types)]
    assert cross_check(BIAS, result.text, "f", sizes=runs).passed
    assert not cross_check(BIAS, wrong, "f", sizes=runs).passed


def test_the_runtime_cross_check_sees_writes_past_the_loops() -> None:
    """The memrefs get one spare element per loop-bound dimension: a raised module that
    wrote the whole memref instead of the loops' range would change it."""
    sizes = specialise(BIAS).functions["f"]  # type: ignore[union-attr]
    kernel = load_text(BIAS).kernels[0]
    for _, shapes in check_sizes(sizes, kernel.arg_types):
        values = dict(shapes.integers)
        assert shapes.shapes[4] == (values[0] + 1, values[1] + 1)


def test_ops_that_need_static_extents_leave_the_region_unraised() -> None:
    """A stencil's shifted read clamps at extent - 1: with a runtime extent it is refused
    at emission, with the op named, and the loops stay."""
    text = """module {
  func.func @f(%n: index, %A: memref<?xf64>, %B: memref<?xf64>) {
    affine.for %i = 1 to %n {
      %0 = affine.load %A[%i - 1] : memref<?xf64>
      %1 = affine.load %A[%i] : memref<?xf64>
      %2 = arith.addf %0, %1 : f64
      affine.store %2, %B[%i] : memref<?xf64>
    }
    return
  }
}
"""
    result = raise_text(text, "shift.mlir")
    region = result.report["functions"][0]["regions"][0]
    assert region["status"] == "unraised"
    assert region["reason"] == "dynamic shapes: a shifted read needs static extents"
    assert "affine.for" in result.text

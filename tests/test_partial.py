"""Partial raising: a sequential outer loop (a stencil's time loop) stays, the nests inside
it are raised in place; recurrences stay as they are, with the reason."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from checkers.dependence import recurrence_depth
from checkers.execute import CompiledFunction
from polybench import datasets, inputs, references
from raising.frontend.load import load_text
from raising.frontend.versions import RAISED_SUFFIX
from raising.pipeline import RaiseOptions, RaiseResult, raise_text

# Kernel -> nests inside its time loop (all raisable, on views: a sweep's neighbour reads
# are views at offsets, so the raised sweep is a weighted sum of views, no shift or mask).
STENCILS = {"jacobi-1d": 2, "jacobi-2d": 2, "heat-3d": 2, "fdtd-2d": 4}
RECURRENCES = ("seidel-2d", "adi")


@cache
def _raise(name: str, target: str, dataset: str = "MINI") -> RaiseResult:
    text = datasets.instantiate_text(name, dataset)
    return raise_text(text, f"{name}.mlir", RaiseOptions(target=target))


def _inner(result: RaiseResult) -> list[dict]:  # type: ignore[type-arg]
    return [r for f in result.report["functions"] for r in f["regions"]  # type: ignore
            if "path" in r]


@pytest.mark.parametrize("target", ["linalg", "stablehlo"])
@pytest.mark.parametrize("name", sorted(STENCILS))
def test_stencil_nests_raise_inside_the_kept_time_loop(name: str, target: str) -> None:
    result = _raise(name, target)
    inner = _inner(result)
    raised = [r for r in inner if r["status"] == "raised"]
    assert len(raised) == STENCILS[name], [r.get("reason") for r in inner]
    for region in raised:
        assert region["proof"]["result"] == "proved"
    assert all(r.get("view_function") for r in raised)
    assert all("shift" not in r["ops"] and "select" not in r["ops"] for r in raised)
    func = result.report["functions"][0]  # type: ignore[index]
    assert func["crosscheck"]["passed"], func["crosscheck"]
    assert result.exit_code == 1  # the time loop itself stays
    outer = [r for r in func["regions"] if "path" not in r]
    assert outer and all("kept as a sequential loop" in r["reason"] for r in outer)
    # The loop is still there, with raised ops inside it (in the aliasing guard's raised
    # version of the function).
    kernel = next(k for k in load_text(result.text).kernels if k.name.endswith(RAISED_SUFFIX))
    loops = [op for op in kernel.body.ops if op.name == "affine.for"]
    assert len(loops) == 1
    inside = {op.name for op in loops[0].walk()}
    assert "func.call" in inside and "memref.subview" in inside


@pytest.mark.parametrize("name", sorted(STENCILS))
def test_partially_raised_stencil_computes_the_reference(name: str) -> None:
    info = datasets.get(name)
    result = _raise(name, "linalg")
    args = inputs.make_args(name, "MINI", np.random.default_rng(7))
    expected = inputs.copy_args(args)
    references.REFERENCES[name](expected)
    CompiledFunction(result.text, info.func_name).run(args)
    for i in inputs.array_indices(name):
        scale = max(1.0, float(np.max(np.abs(expected[i]))))
        np.testing.assert_allclose(args[i], expected[i], rtol=1e-9, atol=1e-9 * scale)


@pytest.mark.parametrize("name", RECURRENCES)
def test_recurrences_stay_with_the_reason(name: str) -> None:
    result = _raise(name, "linalg")
    inner = _inner(result)
    assert inner and all(r["status"] == "unraised" for r in inner)
    assert all(r["reason"].startswith("loop-carried dependence") for r in inner)
    assert result.text.count("affine.for") == datasets.instantiate_text(
        name, "MINI").count("affine.for")


def _depth(body: str) -> int | None:
    text = ("func.func @f(%a: memref<9xf64>, %b: memref<9xf64>, %c: memref<9x9xf64>) {\n"
            f"{body}\n  return\n}}\n")
    kernel = load_text(text).kernels[0]
    return recurrence_depth(kernel, kernel.body.ops[:-1], [])


def test_recurrence_depth_tells_accumulation_from_recurrence() -> None:
    accumulate = """
  affine.for %i = 0 to 9 {
    affine.for %j = 0 to 9 {
      %0 = affine.load %c[%i, %j] : memref<9x9xf64>
      %1 = affine.load %a[%j] : memref<9xf64>
      %2 = arith.addf %0, %1 : f64
      affine.store %2, %c[%i, %j] : memref<9x9xf64>
    }
  }"""
    recurrence = """
  affine.for %i = 1 to 9 {
    %0 = affine.load %a[%i - 1] : memref<9xf64>
    %1 = affine.load %b[%i] : memref<9xf64>
    %2 = arith.addf %0, %1 : f64
    affine.store %2, %a[%i] : memref<9xf64>
  }"""
    shifted_copy = """
  affine.for %i = 1 to 9 {
    %0 = affine.load %b[%i] : memref<9xf64>
    affine.store %0, %a[%i] : memref<9xf64>
    %1 = affine.load %a[%i - 1] : memref<9xf64>
    affine.store %1, %c[%i, %i] : memref<9x9xf64>
  }"""
    assert _depth(accumulate) == 1
    assert _depth(recurrence) == 8
    assert _depth(shifted_copy) == 2
    indirect = """
  affine.for %i = 0 to 9 {
    %0 = affine.load %a[%i] : memref<9xf64>
    %1 = arith.fptosi %0 : f64 to i64
    %2 = arith.index_cast %1 : i64 to index
    %3 = memref.load %b[%2] : memref<9xf64>
    affine.store %3, %a[%i] : memref<9xf64>
  }"""
    assert _depth(indirect) is None

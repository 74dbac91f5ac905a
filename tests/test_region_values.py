"""Top-level values between regions: a region that uses a value loaded before an earlier
loop overwrote its buffer must not be traced as if the load ran at the region's start (Z3
would prove a program that reads the new value)."""

from __future__ import annotations

import pytest

from raising.pipeline import RaiseOptions, raise_text

# s is an accumulator (memref<f32>); %x is its value before the first loop adds to it.
_TEMPLATE = """module {{
  func.func @scale_by_old_sum(%A: memref<5x{t}>, %s: memref<{t}>, %B: memref<5x{t}>) {{
    %unused = arith.constant 3 : index
    {early}
    affine.for %i = 0 to 5 {{
      %a = affine.load %A[%i] : memref<5x{t}>
      %t = affine.load %s[] : memref<{t}>
      %d = {add} %t, %a : {t}
      affine.store %d, %s[] : memref<{t}>
    }}
    {late}
    affine.for %i = 0 to 5 {{
      %a = affine.load %A[%i] : memref<5x{t}>
      %m = {mul} %a, %x : {t}
      affine.store %m, %B[%i] : memref<5x{t}>
    }}
    return
  }}
}}
"""
_LOAD = "%x = affine.load %s[] : memref<{t}>"


def _kernel(elem: str, early: bool) -> str:
    ops = {"add": "arith.addf", "mul": "arith.mulf"} if elem.startswith("f") else \
        {"add": "arith.addi", "mul": "arith.muli"}
    load = _LOAD.format(t=elem)
    return _TEMPLATE.format(t=elem, early=load if early else "", late="" if early else load,
                            **ops)


def _statuses(text: str) -> list[tuple[str, str]]:
    result = raise_text(text, "k.mlir", RaiseOptions(crosscheck="none"))
    return [(r["status"], r.get("reason", "")) for f in result.report["functions"]
            for r in f["regions"]]


@pytest.mark.parametrize("elem", ["f32", "f64", "i32"])
def test_a_value_loaded_before_its_buffer_was_overwritten_is_not_traced_late(elem: str) -> None:
    first, second = _statuses(_kernel(elem, early=True))
    assert first[0] == "raised"
    assert second[0] == "unraised" and "loaded before an earlier loop overwrote" in second[1]


@pytest.mark.parametrize("elem", ["f32", "i32"])
def test_a_value_loaded_after_the_loop_that_wrote_it_raises(elem: str) -> None:
    assert [s for s, _ in _statuses(_kernel(elem, early=False))] == ["raised", "raised"]


def test_the_whole_raise_of_the_early_load_agrees_with_the_original() -> None:
    result = raise_text(_kernel("f64", early=True), "k.mlir", RaiseOptions())
    func = result.report["functions"][0]
    assert func["crosscheck"]["passed"], func["crosscheck"]

"""Issue 7, inputs the tool takes (tests/robust/*.mlir and corpus files): each loads, raises
what it can and keeps the rest as it was.

What must hold whatever the search supports: no crash, exit 0 or 1, the output verifies,
every function is still there, every unraised loop nest says why, and a function with nothing
raised is unchanged. Where the search does support a function, that it raised is asserted too.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from raising.emit.guard import LOOPS_SUFFIX
from raising.frontend.upgrade import upgrade_text
from raising.interface.api import raise_module
from raising.pipeline import RaiseResult
from tests.helpers import functions, raised_view

ROBUST = Path(__file__).parent / "robust"
CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(p.name for p in ROBUST.glob("*.mlir"))
# Input classes of the issue not already covered by a robust/ file: several functions, an
# iter_args accumulator, a while loop (scf), indirect indexing, dynamic f32 and i32 sizes.
CORPUS_FILES = ("c_two_funcs.mlir", "c_while_prefix.mlir", "c_gather.mlir",
                "c_matmul_dyn_f32.mlir", "c_matvec_dyn_i32.mlir", "c_row_sums_mixed.mlir")
# Functions the search handles today: these must raise fully.
MUST_RAISE = {"kernel_static", "scale_f64", "scale_f32", "alloca_temp", "scf_inside_affine",
              "scale_void", "kernel_polygeist", "add_index_sizes", "row_sums_dim",
              "dot_returns", "copy_returns",  # results: a returned sum, a returned copy
              "add_i32"}  # integer data
# Not affine or not analysable: must stay, with a reason.
MUST_STAY = {"squares_by_call", "gather", "data_bound"}


def _path(name: str) -> Path:
    return ROBUST / name if (ROBUST / name).exists() else CORPUS / name


@cache
def _raised(name: str) -> RaiseResult:
    return raise_module(_path(name).read_text(), str(_path(name)), timeout=5.0,
                        crosscheck="small")


@pytest.mark.parametrize("name", FILES + list(CORPUS_FILES))
def test_raises_what_it_can_and_keeps_the_rest(name: str) -> None:
    result = _raised(name)
    assert result.exit_code in (0, 1)
    original = functions(upgrade_text(_path(name).read_text())[0])
    every = functions(result.text)  # parses and verifies, or load_text raises
    output = raised_view(result.text)
    assert list(output) == list(original), "every function, in order"
    for kept in (n for n in every if n.endswith(LOOPS_SUFFIX)):  # the guard's copies
        base = kept.removesuffix(LOOPS_SUFFIX)
        assert every[kept] == original[base].replace(f"@{base}(", f"private @{kept}(", 1)
    for func in result.report["functions"]:  # type: ignore[attr-defined]
        regions = func["regions"]
        for region in regions:
            assert region["status"] in ("raised", "unraised")
            if region["status"] == "unraised":
                assert region["reason"].strip(), f"{func['name']}: unraised without a reason"
        if not any(r["status"] == "raised" for r in regions):
            assert output[func["name"]] == original[func["name"]], \
                f"{func['name']}: nothing raised, yet the function changed"
        if func["name"] in MUST_RAISE:
            assert regions and all(r["status"] == "raised" for r in regions), func["name"]
            assert func["crosscheck"]["passed"]
            assert "affine.for" not in output[func["name"]]
        if func["name"] in MUST_STAY:
            assert all(r["status"] == "unraised" for r in regions), func["name"]
            assert "affine.for" in output[func["name"]]


def test_polygeist_module_attributes_survive() -> None:
    result = _raised("polygeist_attrs.mlir")
    head = result.text.splitlines()[0]
    for needed in ("dlti.dl_spec", "llvm.data_layout", "llvm.target_triple",
                   "polygeist.target-cpu"):
        assert needed in head
    view = raised_view(result.text)
    assert len(view) == 2 and all("llvm.linkage = #llvm.linkage<external>" in body
                                  for body in view.values())
    # Synthesis ran on the shrunk copy (the data layout's integers are not extents).
    region = result.report["functions"][0]["regions"][0]  # type: ignore[index]
    assert region["proof"]["extents_checked"][0] == [3, 5]  # then a second tuple, (5, 7)


def test_unraisable_reasons_name_the_cause() -> None:
    reasons = {f["name"]: f["regions"][0].get("reason", "")  # type: ignore[index]
               for f in _raised("calls_and_data_dependent.mlir").report["functions"]  # type: ignore[attr-defined]
               if f["regions"]}
    assert "func.call" in reasons["squares_by_call"]
    assert reasons["gather"] and reasons["data_bound"]

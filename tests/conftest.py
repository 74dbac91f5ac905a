import functools
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
KERNELS = ROOT / "polybench" / "kernels"
# The first six kernels (issue 2); the corpus test covers all of them.
LINEAR_ALGEBRA = ("gemm", "2mm", "atax", "bicg", "mvt", "gesummv")
# Issue 4: every kernel the search must raise fully (both targets).
FULLY_RAISED = LINEAR_ALGEBRA + ("3mm", "doitgen", "gemver", "correlation", "covariance",
                                 "symm", "syr2k", "syrk", "trmm")


@pytest.fixture
def root() -> pathlib.Path:
    return ROOT


@functools.cache
def raised_small(name: str, target: str = "linalg"):
    """raise_text on a PolyBench kernel (its LARGE file, the default options), cached: the
    raise test checks it, the tests that probe its proofs (mutants, check) reuse it."""
    from raising.pipeline import RaiseOptions, raise_text

    path = KERNELS / f"{name}.mlir"
    return raise_text(path.read_text(), str(path), RaiseOptions(target=target))


@functools.cache
def raised_mini(name: str, target: str = "linalg", abi: str = "memref"):
    """raise_text on a PolyBench kernel at its MINI size, without the compiled cross-check
    (the tests that use it run the raised code themselves), cached."""
    from polybench import datasets
    from raising.pipeline import RaiseOptions, raise_text

    return raise_text(datasets.instantiate_text(name, "MINI"), f"{name}.mlir",
                      RaiseOptions(target=target, crosscheck="none", abi=abi))

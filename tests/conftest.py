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
    """raise_text on a PolyBench kernel without the compiled cross-check, cached for the
    tests that probe its proofs (mutants, check)."""
    from raising.pipeline import RaiseOptions, raise_text

    path = KERNELS / f"{name}.mlir"
    return raise_text(path.read_text(), str(path), RaiseOptions(target=target,
                                                                crosscheck="none"))

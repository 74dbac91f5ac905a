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

import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
KERNELS = ROOT / "polybench" / "kernels"
# The first six kernels (issue 2); the corpus test covers all of them.
LINEAR_ALGEBRA = ("gemm", "2mm", "atax", "bicg", "mvt", "gesummv")


@pytest.fixture
def root() -> pathlib.Path:
    return ROOT

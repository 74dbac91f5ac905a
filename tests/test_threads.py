"""Two threads on ops without column blocks: a matrix-vector product's rows and an
elementwise op's rows split into equal blocks on OpenMP threads (lowering.schedule's row
blocks) give the reference's results; the parallel loop is really there.
"""

import shutil

import numpy as np
import pytest

from lowering import lower, native
from polybench.datasets import get, instantiate_text
from polybench.evaluate import compare
from polybench.inputs import copy_args, make_args
from polybench.references import REFERENCES
from raising.pipeline import RaiseOptions, raise_text

native_only = pytest.mark.skipif(shutil.which(native.CLANG) is None,
                                 reason="clang-22 missing: run `make native`")


@native_only
@pytest.mark.slow
@pytest.mark.parametrize(("name", "size"), [("gesummv", "LARGE"), ("mvt", "MEDIUM"),
                                            ("gemver", "MEDIUM"), ("atax", "MEDIUM")])
def test_matrix_vector_kernels_on_two_threads_match_the_reference(name, size, tmp_path):
    info = get(name)
    text = instantiate_text(name, size)  # above the 64K points a parallel op needs
    raised = raise_text(text, f"{name}.mlir", RaiseOptions(crosscheck="none")).text
    llvm_ir = lower.emit_llvm_ir(raised, "raised", "x86_64", threads=2)
    assert "__kmpc_fork_call" in llvm_ir
    types = lower.signature(text, info.func_name)
    exe = native.build_executable(llvm_ir, info.func_name, types, native.ARCHES["x86_64"],
                                  tmp_path / name, openmp=True)
    args = make_args(name, size)
    result = native.run_executable(exe, native.ARCHES["x86_64"], args, types, reps=2,
                                   env={"OMP_NUM_THREADS": "2"})
    expected = copy_args(args)
    REFERENCES[name](expected)
    ok, worst = compare([a for a in expected if isinstance(a, np.ndarray)], result.arrays,
                        name, size)
    assert ok, worst

"""The foreign-style corpus (tests/foreign): Polygeist-style affine MLIR for C from other code
bases (BLAS, darknet, DSP, image blending, game math, llama2.c-like inference, convolutions).

Part 1: every file verifies, and JIT-compiled computes what its numpy reference says
(function results come back through trailing buffers).
Part 2: the same search that raises PolyBench raises these (proved, cross-checked, and the
raised module still computes the reference); the unraisable ones stay unraised with a reason.
"""

from __future__ import annotations

import multiprocessing
import re
import shutil
import subprocess
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from torch_mlir import ir

from checkers.execute import CompiledFunction
from core import mlir_env
from raising.pipeline import RaiseOptions, raise_text
from tests.corpus import KERNELS as CORPUS_KERNELS
from tests.corpus import CorpusKernel, make_args
from tests.foreign import FILES, FOREIGN_DIR, KERNELS, kernels_in, result_names
from tests.foreign.references import REFERENCES
from tests.helpers import raised_text

ROOT = Path(__file__).resolve().parent.parent
TOOL_DIRS = ("core", "synth", "grammar", "checkers", "raising", "lowering")
TARGETS = ("linalg", "stablehlo")
MLIR_OPT = shutil.which("mlir-opt-22") or shutil.which("mlir-opt", path="/usr/lib/llvm-22/bin")

# Raisable files that do not raise fully on both targets today, with what the tool does
# (the first failing region's reason). Strict xfails: delete a line when its file raises.
NOT_YET: dict[str, str] = {
}

RAISABLE_FILES = tuple(f for f in FILES if all(k.raisable for k in kernels_in(f)))
UNRAISABLE_FILES = tuple(f for f in FILES if not any(k.raisable for k in kernels_in(f)))
TOLERANCE = {np.dtype(np.float32): 1e-4, np.dtype(np.float64): 1e-10}


def _kernel_id(kernel: CorpusKernel) -> str:
    return kernel.func


def _path(file: str) -> Path:
    return FOREIGN_DIR / f"{file}.mlir"


@cache
def _compiled(text: str, func: str) -> CompiledFunction:
    return CompiledFunction(text, func)


def _functions(text: str) -> dict[str, ir.FunctionType]:
    module = mlir_env.parse_module(text)
    return {ir.StringAttr(op.attributes["sym_name"]).value:
            ir.FunctionType(ir.TypeAttr(op.attributes["function_type"]).value)
            for op in module.body.operations if op.operation.name == "func.func"}


def _check_against_reference(text: str, kernel: CorpusKernel, seed: int) -> None:
    """Run `kernel.func` of module `text` at each of the kernel's sizes; compare every memref
    argument and result buffer with the reference (unwritten ones must be unchanged)."""
    compiled = _compiled(text, kernel.func)
    results = result_names(kernel)
    rng = np.random.default_rng(seed)
    for size in kernel.sizes:
        args = make_args(kernel, compiled.arg_types, size, rng)
        for name in results:  # result buffers start at zero
            value = args[name]
            assert isinstance(value, np.ndarray)
            value[...] = 0
        # The reference sees f64 copies, so f32 kernels are judged against exact math.
        ref_args = {n: v.astype(np.float64) if isinstance(v, np.ndarray) and
                    v.dtype.kind == "f" else (v.copy() if isinstance(v, np.ndarray) else v)
                    for n, v in args.items()}
        expected = REFERENCES[kernel.func](**ref_args)
        assert set(results) <= set(expected), f"{kernel.func}: reference lacks a result"
        run_args = [a.copy() if isinstance(a, np.ndarray) else a for a in args.values()]
        compiled.run(run_args)
        for name, before, after in zip(kernel.names, args.values(), run_args):
            if not isinstance(after, np.ndarray):
                continue
            want = expected.get(name, before)
            assert isinstance(want, np.ndarray)
            assert want.shape == after.shape, f"{kernel.func}: {name} shape at {size}"
            tol = TOLERANCE.get(after.dtype, 0.0)
            scale = max(1.0, float(np.max(np.abs(want)))) if want.size else 1.0
            np.testing.assert_allclose(after, want, rtol=tol, atol=tol * scale,
                                       err_msg=f"{kernel.func}: {name} at {size}")


# --- Part 1: the corpus itself --------------------------------------------------------------

def test_table_covers_the_folder() -> None:
    on_disk = sorted(p.stem for p in FOREIGN_DIR.glob("*.mlir"))
    assert on_disk == sorted(FILES)
    assert {k.func for k in KERNELS} == set(REFERENCES)
    assert len({k.func for k in KERNELS}) == len(KERNELS) >= 64
    assert set(NOT_YET) <= set(RAISABLE_FILES)
    assert set(RAISABLE_FILES) | set(UNRAISABLE_FILES) == set(FILES), "no mixed files"
    names = {k.file for k in KERNELS} | {k.func for k in KERNELS}
    assert all(n.startswith("f_") for n in names)
    assert not names & ({k.file for k in CORPUS_KERNELS} | {k.func for k in CORPUS_KERNELS})


@pytest.mark.parametrize("file", FILES)
def test_file_verifies_and_declares_its_functions(file: str) -> None:
    text = _path(file).read_text()
    assert text.startswith("// "), "each file opens with what it computes"
    functions = _functions(text)
    assert list(functions) == [k.func for k in kernels_in(file)]
    for kernel in kernels_in(file):  # results are the trailing `ret...` names
        assert len(result_names(kernel)) == len(functions[kernel.func].results), kernel.func
    if MLIR_OPT:  # a second MLIR build agrees the file is valid
        proc = subprocess.run([MLIR_OPT, str(_path(file)), "-o", "/dev/null"],
                              check=False, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("kernel", KERNELS, ids=_kernel_id)
def test_jit_matches_reference(kernel: CorpusKernel) -> None:
    _check_against_reference(kernel.path.read_text(), kernel, seed=1)


def test_foreign_names_stay_out_of_the_tool() -> None:
    names = {k.file for k in KERNELS} | {k.func for k in KERNELS}
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, names))) + r")\b")
    hits = [f"{path.relative_to(ROOT)}:{number}"
            for folder in TOOL_DIRS for path in (ROOT / folder).rglob("*.py")
            for number, line in enumerate(path.read_text().splitlines(), 1)
            if pattern.search(line)]
    assert not hits, hits


# --- Part 2: raising ------------------------------------------------------------------------

@dataclass(frozen=True)
class Raised:
    """What a test needs of a RaiseResult (it crosses a process boundary)."""

    text: str
    report: dict[str, Any]
    exit_code: int


def _raise_here(file: str, target: str) -> Raised:
    path = _path(file)
    result = raise_text(path.read_text(), str(path), RaiseOptions(target=target))
    return Raised(result.text, result.report, result.exit_code)


_POOL: list[ProcessPoolExecutor] = []


@cache
def _raise(file: str, target: str) -> Raised:
    """Raise in one long-lived child process: foreign input may crash the tool (an abort in
    native code), which must fail this test, not end the session."""
    if not _POOL:
        _POOL.append(ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")))
    try:
        return _POOL[0].submit(_raise_here, file, target).result()
    except BrokenProcessPool:
        _POOL.pop().shutdown(wait=False)
        pytest.fail(f"the tool crashed raising {file} to {target}")


def _param(file: str, target: str) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=NOT_YET[file])] if file in NOT_YET else []
    return pytest.param(file, target, marks=marks, id=f"{file}-{target}")


@pytest.mark.parametrize(("file", "target"),
                         [_param(f, t) for f in RAISABLE_FILES for t in TARGETS])
def test_foreign_raises_and_proves(file: str, target: str) -> None:
    result = _raise(file, target)
    functions = result.report["functions"]
    assert isinstance(functions, list) and len(functions) == len(kernels_in(file))
    assert result.exit_code == 0, [r.get("reason") for f in functions for r in f["regions"]]
    for func in functions:
        assert func["regions"], func
        for region in func["regions"]:
            assert region["status"] == "raised", region.get("reason")
            assert region["proof"]["result"] == "proved", region["proof"]
        assert func["crosscheck"]["passed"], func["crosscheck"]
    assert "affine.for" not in raised_text(result.text)
    for kernel in kernels_in(file):
        _check_against_reference(result.text, kernel, seed=2)


@pytest.mark.parametrize(("file", "target"),
                         [_param(f, t) for f in UNRAISABLE_FILES for t in TARGETS])
def test_unraisable_foreign_kernels_stay_unraised_with_a_reason(file: str,
                                                                target: str) -> None:
    result = _raise(file, target)
    assert result.exit_code == 1
    functions = result.report["functions"]
    assert isinstance(functions, list) and functions
    for func in functions:
        unraised = [r for r in func["regions"] if r["status"] == "unraised"]
        assert unraised, func["regions"]
        assert all(isinstance(r.get("reason"), str) and r["reason"] for r in unraised)
    # The original loops stay, and the output still computes the same thing.
    assert "affine.for" in result.text
    for kernel in kernels_in(file):
        _check_against_reference(result.text, kernel, seed=3)

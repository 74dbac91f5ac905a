"""lowering.timetile: a kept time loop of view-function sweeps, blocked into strips of rows
that each advance several time steps, computes bit for bit what the unblocked loop does.

The kernels are small, so the cache the strips are sized for is shrunk to a few KiB here
(the blocking then applies as it would to large arrays in a 2 MiB L2): PolyBench's
stencils at MINI and time-stepped kernels of other domains (a separable box blur in f32,
a leapfrog wave equation over three buffers, a 1-D heat equation with a source term).
"""

import functools
import shutil
from pathlib import Path

import numpy as np
import pytest

from lowering import lower, native, timetile
from polybench.datasets import get, instantiate_text
from polybench.inputs import make_args
from raising.pipeline import RaiseOptions, raise_text

native_only = pytest.mark.skipif(shutil.which(native.CLANG) is None,
                                 reason="clang-22 missing: run `make native`")
HERE = Path(__file__).parent / "timesteps"


@functools.cache
def _raised(text: str, name: str) -> str:
    return raise_text(text, f"{name}.mlir", RaiseOptions(crosscheck="none")).text


def _small_cache(monkeypatch, blocked: list[int], size: int = 4096) -> None:
    monkeypatch.setattr(timetile, "l2_size", lambda: size)
    monkeypatch.setattr(timetile, "MIN_STRIP_BYTES", 0)
    original = timetile.block_time_loops

    def counting(module, budget=None):
        count = original(module, budget)
        blocked.append(count)
        return count
    monkeypatch.setattr(timetile, "block_time_loops", counting)


def _run(text: str, variant: str, func: str, args, tmp_path, tag: str):
    types = lower.signature(text, func)
    llvm_ir = lower.emit_llvm_ir(text, variant, "x86_64")
    exe = native.build_executable(llvm_ir, func, types, native.ARCHES["x86_64"],
                                  tmp_path / tag)
    return native.run_executable(exe, native.ARCHES["x86_64"], args, types, reps=1).arrays


def _random_args(text: str, func: str, seed: int) -> list:
    rng = np.random.default_rng(seed)
    out = []
    for atype in lower.signature(text, func):
        if atype.shape is None:
            out.append(7 if atype.elem.startswith("i") else 0.5)  # a step count, a weight
            continue
        dtype = np.float32 if atype.elem == "f32" else np.float64
        out.append(rng.standard_normal(atype.shape).astype(dtype))
    return out


def _check(text: str, func: str, args, tmp_path, monkeypatch) -> None:
    raised = _raised(text, func)
    plain = _run(raised, "raised", func, args, tmp_path, "plain")
    blocked: list[int] = []
    # An L2 half the size of the arrays: they no longer fit, a few rows still do.
    total = sum(a.nbytes for a in args if isinstance(a, np.ndarray))
    _small_cache(monkeypatch, blocked, size=total // 2)
    tiled = _run(raised, "raised", func, args, tmp_path, "tiled")
    assert sum(blocked) >= 1, "the time loop was not blocked"
    for got, want in zip(tiled, plain):
        np.testing.assert_array_equal(got, want)  # same rows, same arithmetic
    original = _run(text, "baseline", func, args, tmp_path, "baseline")
    for got, want in zip(tiled, original):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


@native_only
@pytest.mark.slow
@pytest.mark.parametrize("name", ["jacobi-2d", "fdtd-2d", "heat-3d"])
def test_polybench_stencils_blocked_in_time_match(name, tmp_path, monkeypatch):
    info = get(name)
    text = instantiate_text(name, "MINI")
    _check(text, info.func_name, make_args(name, "MINI"), tmp_path, monkeypatch)


@native_only
@pytest.mark.slow
@pytest.mark.parametrize("file", sorted(p.name for p in HERE.glob("*.mlir")))
def test_other_time_stepped_kernels_blocked_in_time_match(file, tmp_path, monkeypatch):
    text = (HERE / file).read_text(encoding="utf-8")
    func = file.removesuffix(".mlir")
    _check(text, func, _random_args(text, func, 11), tmp_path, monkeypatch)


@native_only
def test_loops_that_are_not_row_sweeps_are_left_alone(tmp_path, monkeypatch):
    # lu's view functions reduce along rows and read a pivot row: no strips of rows.
    blocked: list[int] = []
    _small_cache(monkeypatch, blocked)
    raised = _raised(instantiate_text("lu", "MINI"), "lu")
    lower.emit_llvm_ir(raised, "raised", "x86_64")
    assert blocked and sum(blocked) == 0


def test_strips_are_not_used_when_the_arrays_fit_in_cache(monkeypatch):
    # A MINI jacobi-2d (30 x 30 doubles, two arrays) fits in a 2 MiB L2 as it is.
    blocked: list[int] = []
    monkeypatch.setattr(timetile, "l2_size", lambda: 2 << 20)
    original = timetile.block_time_loops
    monkeypatch.setattr(timetile, "block_time_loops",
                        lambda module, budget=None: blocked.append(original(module, budget))
                        or blocked[-1])
    lower.emit_llvm_ir(_raised(instantiate_text("jacobi-2d", "MINI"), "jacobi-2d"),
                       "raised", "x86_64")
    assert blocked == [0]

"""The aliasing guard (raising/emit/guard.py): raised functions called, through the JIT, the
way C callers may call them: the same buffer for two arguments, two overlapping views of one
buffer, two disjoint views of one buffer. Each call must leave every buffer exactly as the
original function leaves it on the same call."""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pytest

from checkers.jit import NUMPY_DTYPES, LocalFunction
from core import mlir_env
from polybench import datasets
from raising.frontend.load import load_text
from raising.frontend.versions import LOOPS_SUFFIX, RAISED_SUFFIX
from raising.pipeline import RaiseOptions, raise_text
from tests.conftest import FULLY_RAISED, raised_mini

LAYOUTS = ("same buffer", "overlapping views", "disjoint views")


@functools.cache
def _small(name: str) -> tuple[str, str, str, list]:
    """The kernel at PolyBench's MINI size and its guarded raised form; the function name
    and its argument types (kernel IR)."""
    small_original = datasets.instantiate_text(name, "MINI")
    result = raised_mini(name)
    assert result.exit_code == 0, result.report
    kernel = load_text(small_original).kernels[0]
    return small_original, result.text, kernel.name, kernel.arg_types


@functools.cache
def _compiled(text: str, func: str) -> LocalFunction:
    return LocalFunction(text, func)


def _calls(arg_types: list, layout: str) -> list[tuple[int, int]]:
    """The argument pairs a layout can put in one buffer: same element type (and, for
    the same buffer, the same type)."""
    memrefs = [p for p, t in enumerate(arg_types) if t.is_memref and t.shape]
    pairs = []
    for a, b in itertools.combinations(memrefs, 2):
        ta, tb = arg_types[a], arg_types[b]
        if ta.elem != tb.elem or (layout == "same buffer" and ta.shape != tb.shape):
            continue
        pairs.append((a, b))
    return pairs


def _arguments(arg_types: list, pair: tuple[int, int], layout: str,
               rng: np.random.Generator) -> tuple[list[object], list[np.ndarray]]:
    """One call's arguments, and the distinct buffers they live in (to compare)."""
    a, b = pair
    size_a = int(np.prod(arg_types[a].shape))
    size_b = int(np.prod(arg_types[b].shape))
    dtype = NUMPY_DTYPES[arg_types[a].elem]
    start_b = {"same buffer": 0, "overlapping views": max(1, size_a // 2),
               "disjoint views": size_a}[layout]
    # Positive data: correlation takes square roots.
    shared = rng.uniform(0.5, 2.0, max(size_a, start_b + size_b)).astype(dtype)
    args: list[object] = []
    buffers = [shared]
    for position, vtype in enumerate(arg_types):
        if position == a:
            args.append(shared[:size_a].reshape(vtype.shape))
        elif position == b:
            args.append(shared[start_b:start_b + size_b].reshape(vtype.shape))
        elif vtype.is_memref:
            own = rng.uniform(0.5, 2.0, vtype.shape or ()).astype(NUMPY_DTYPES[vtype.elem])
            args.append(own)
            buffers.append(own)
        elif vtype.elem.startswith("f"):
            args.append(float(rng.uniform(0.5, 2.0)))
        else:
            args.append(0)
    return args, buffers


def _copy(args: list[object], buffers: list[np.ndarray]) -> tuple[list[object], list[np.ndarray]]:
    """The same call on fresh copies of its buffers, views kept where they were."""
    copies = [buffer.copy() for buffer in buffers]
    moved: list[object] = []
    for arg in args:
        if not isinstance(arg, np.ndarray):
            moved.append(arg)
            continue
        home = next(k for k, buffer in enumerate(buffers) if np.shares_memory(arg, buffer))
        start = (arg.__array_interface__["data"][0] -
                 buffers[home].__array_interface__["data"][0]) // arg.itemsize
        moved.append(copies[home].reshape(-1)[start:start + arg.size].reshape(arg.shape))
    return moved, copies


def _same(x: np.ndarray, y: np.ndarray) -> bool:
    """Equal, or equal up to the rounding of reassociated sums (aliased calls may give
    inf or NaN: the loops version gives the very same ones)."""
    if np.array_equal(x, y, equal_nan=True):
        return True
    finite = np.abs(x[np.isfinite(x)])
    scale = max(1.0, float(finite.max())) if finite.size else 1.0
    return bool(np.allclose(x, y, rtol=1e-9, atol=1e-9 * scale, equal_nan=True))


def _run(name: str, layout: str, entry_suffix: str = "") -> list[tuple[str, bool]]:
    """Per argument pair: whether the raised module (entry `func + entry_suffix`) left
    every buffer as the original did."""
    small_original, small_raised, func, arg_types = _small(name)
    original = _compiled(small_original, func)
    raised = _compiled(small_raised, func + entry_suffix)
    rng = np.random.default_rng(7)
    outcomes = []
    for pair in _calls(arg_types, layout):
        args, buffers = _arguments(arg_types, pair, layout, rng)
        args_r, buffers_r = _copy(args, buffers)
        original.run(args)
        raised.run(args_r)
        close = all(_same(x, y) for x, y in zip(buffers, buffers_r))
        outcomes.append((f"arg{pair[0]}/arg{pair[1]}", close))
    return outcomes


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", FULLY_RAISED)
def test_aliased_calls_equal_the_original(name: str, layout: str) -> None:
    outcomes = _run(name, layout)
    if not outcomes:
        pytest.skip(f"no two arguments of {name} can share a buffer as {layout}")
    assert all(ok for _, ok in outcomes), [pair for pair, ok in outcomes if not ok]


def test_the_unguarded_code_differs_on_aliased_calls() -> None:
    """Without the guard the raised code is wrong on some aliased calls: what the test
    above checks is not vacuous."""
    wrong = {(name, layout): [pair for pair, ok in _run(name, layout, RAISED_SUFFIX) if not ok]
             for name in ("gemm", "mvt", "atax", "gesummv") for layout in LAYOUTS[:2]}
    assert all(any(wrong[name, layout] for layout in LAYOUTS[:2])
               for name in ("gemm", "mvt", "atax", "gesummv")), wrong


def _stubbed_loops(text: str, func: str) -> str:
    """The module with the kept loops' version emptied: a call that reaches it leaves
    every buffer untouched."""
    module = mlir_env.parse_module(text)
    with module.context:
        for op in module.body.operations:
            if str(op.attributes["sym_name"]).strip('"') != func + LOOPS_SUFFIX:
                continue
            block = op.regions[0].blocks[0]
            for inner in list(block.operations)[:-1]:
                inner.erase()
    return str(module)


@pytest.mark.parametrize("name", ("gemm", "mvt", "syr2k"))
def test_the_guard_picks_the_raised_code_only_on_disjoint_buffers(name: str) -> None:
    small_original, small_raised, func, arg_types = _small(name)
    stubbed = _compiled(_stubbed_loops(small_raised, func), func)
    original = _compiled(small_original, func)
    guarded = {(int(a[3:]), int(b[3:]))
               for a, b in raised_mini(name).report["functions"][0]["aliasing"]["pairs"]}
    assert guarded
    rng = np.random.default_rng(3)
    for layout in LAYOUTS:
        for pair in _calls(arg_types, layout):
            args, buffers = _arguments(arg_types, pair, layout, rng)
            args_s, buffers_s = _copy(args, buffers)
            before = [b.copy() for b in buffers]
            original.run(args)
            stubbed.run(args_s)
            if layout == "disjoint views" or pair not in guarded:  # the raised code ran
                assert all(np.allclose(x, y) for x, y in zip(buffers, buffers_s)), pair
            else:  # the (emptied) loops ran: nothing changed (a pair both only read is safe)
                assert all(np.array_equal(x, y) for x, y in zip(before, buffers_s)), pair


AXPY_F32 = """
func.func @axpy_inplace(%n: index, %a: f32, %x: memref<?xf32>, %y: memref<?xf32>) {
  affine.for %i = 0 to %n {
    %xv = affine.load %x[%i] : memref<?xf32>
    %yv = affine.load %y[%i] : memref<?xf32>
    %p = arith.mulf %a, %xv : f32
    %s = arith.addf %p, %yv : f32
    affine.store %s, %y[%i] : memref<?xf32>
  }
  return
}
"""


def test_assume_noalias_drops_the_guard_and_says_so() -> None:
    guarded = raised_mini("atax")
    bare = raise_text(datasets.instantiate_text("atax", "MINI"), "atax.mlir",
                      RaiseOptions(crosscheck="none", assume_noalias=True))
    assert guarded.report["functions"][0]["aliasing"]["policy"] == "guarded"
    assert bare.report["functions"][0]["aliasing"]["policy"] == "assumed"
    assert "affine.for" in guarded.text and "affine.for" not in bare.text
    assert "extract_aligned_pointer_as_index" not in bare.text


def test_dynamic_f32_function_is_guarded_at_runtime_sizes() -> None:
    """y = a*x + y on memref<?xf32>: called with x and y overlapping by one element."""
    result = raise_text(AXPY_F32, "axpy.mlir")
    assert result.exit_code == 0, result.report
    assert result.report["functions"][0]["aliasing"]["policy"] == "guarded"
    original, raised = LocalFunction(AXPY_F32, "axpy_inplace"), \
        LocalFunction(result.text, "axpy_inplace")
    for n, shift in ((1, 0), (2, 1), (5, 1), (5, 3), (7, 7)):
        base = np.arange(1, n + shift + 1, dtype=np.float32)
        outs = []
        for function in (original, raised):
            buffer = base.copy()
            function.run([n, np.float32(0.5), buffer[:n], buffer[shift:shift + n]])
            outs.append(buffer)
        assert np.array_equal(outs[0], outs[1]), (n, shift, outs)


def test_guard_lowers_for_cpu_and_rvv() -> None:
    """The guarded module (dispatcher, both versions) goes through both native pipelines."""
    from lowering.lower import emit_llvm_ir

    _, small_raised, _, _ = _small("mvt")
    for arch in ("x86_64", "riscv64"):
        llvm_ir = emit_llvm_ir(small_raised, "raised", arch)
        assert "kernel_mvt__loops" in llvm_ir and "kernel_mvt__raised" in llvm_ir

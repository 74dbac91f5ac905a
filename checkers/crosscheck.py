"""Compiled cross-check: lower the original and the raised function, run both on the same
random inputs, compare every memref argument afterwards."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import cast

import numpy as np

from checkers.execute import NUMPY_DTYPES, CompiledFunction, ExecutionError

# Reassociated float sums differ in the last bits; f32 keeps about 7 digits.
TOLERANCE = {np.dtype(np.float32): 1e-4, np.dtype(np.float64): 1e-8}


@dataclass
class CrossCheck:
    passed: bool
    detail: str
    max_rel_error: float = 0.0


@dataclass(frozen=True)
class Sizes:
    """Concrete arguments' shapes for a dynamic-shape function: per argument a shape (None
    for scalars), and the integer value of each size argument."""

    shapes: tuple[tuple[int, ...] | None, ...]
    integers: tuple[tuple[int, int], ...] = ()


def _random_args(compiled: CompiledFunction, rng: np.random.Generator,
                 sizes: Sizes | None = None) -> list[object]:
    args: list[object] = []
    integers = dict(sizes.integers) if sizes else {}
    for position, atype in enumerate(compiled.arg_types):
        if atype.is_memref:
            dtype = NUMPY_DTYPES[atype.elem]
            # A memref's; dynamic extents (None) come with `sizes` (not a scalar result's
            # slot: those come after the parameters and are 0-d).
            given = sizes.shapes[position] if sizes and position < len(sizes.shapes) \
                else None
            shape = cast("tuple[int, ...]", given if given is not None else atype.shape)
            if np.issubdtype(dtype, np.integer):
                args.append(rng.integers(-8, 8, size=shape).astype(dtype))
            else:
                args.append(rng.normal(size=shape).astype(dtype))
        elif atype.elem.startswith("f"):
            args.append(float(rng.normal()))
        else:
            args.append(integers.get(position, 0))
    return args


# The original's outputs on a seed's inputs, for the last few originals: raising one file
# to both targets (tests, benchmarks) runs the original once. The inputs are drawn from the
# seed alone, so equal keys mean equal runs.
_ORIGINAL_RUNS: OrderedDict[tuple[object, ...], list[list[object]]] = OrderedDict()
ORIGINAL_RUNS_KEPT = 2


def _original_outputs(original_text: str, func_name: str, key: tuple[object, ...],
                      inputs: list[list[object]]) -> list[list[object]] | str:
    """Each run's arguments after the original ran on them, or why it could not run."""
    if key in _ORIGINAL_RUNS:
        _ORIGINAL_RUNS.move_to_end(key)
        return _ORIGINAL_RUNS[key]
    try:
        original = CompiledFunction(original_text, func_name)
    except ExecutionError as err:
        return f"compilation failed: {err}"
    outputs = []
    for args in inputs:
        args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
        try:
            original.run(args)
        except ExecutionError as err:
            return f"the original failed to run: {err}"
        outputs.append(args)
    _ORIGINAL_RUNS[key] = outputs
    while len(_ORIGINAL_RUNS) > ORIGINAL_RUNS_KEPT:
        _ORIGINAL_RUNS.popitem(last=False)
    return outputs


def cross_check(original_text: str, raised_text: str, func_name: str, seed: int = 0,
                runs: int = 1, sizes: list[Sizes] | None = None) -> CrossCheck:
    """With `sizes` (dynamic shapes), one run per entry at those shapes."""
    try:
        raised = CompiledFunction(raised_text, func_name)
    except ExecutionError as err:
        return CrossCheck(False, f"compilation failed: {err}")
    rng = np.random.default_rng(seed)
    inputs = [_random_args(raised, rng, sizes[run] if sizes else None)
              for run in range(len(sizes) if sizes else runs)]
    key = (hashlib.sha256(original_text.encode()).hexdigest(), func_name, seed, runs,
           repr(sizes))
    expected = _original_outputs(original_text, func_name, key, inputs)
    if isinstance(expected, str):
        return CrossCheck(False, expected)
    worst = 0.0
    for args_a, args in zip(expected, inputs):
        args_b = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
        try:
            raised.run(args_b)
        except ExecutionError as err:  # e.g. a crash, caught by the isolated worker
            return CrossCheck(False, f"the raised module failed to run: {err}")
        for position, (a, b) in enumerate(zip(args_a, args_b)):
            if not isinstance(a, np.ndarray):
                continue
            assert isinstance(b, np.ndarray)  # a's copy
            # NaN where both give NaN agrees (sqrt of a negative random input, in both).
            finite = np.isfinite(a) & np.isfinite(b)
            scale = max(1.0, float(np.max(np.abs(a[finite])))) if finite.any() else 1.0
            rel = float(np.max(np.abs(a[finite] - b[finite]))) / scale if finite.any() else 0.0
            worst = max(worst, rel)
            tol = TOLERANCE.get(a.dtype, 1e-8)
            if not np.allclose(a, b, rtol=tol, atol=tol * scale, equal_nan=True):
                return CrossCheck(False, f"argument {position} differs (max rel. error "
                                         f"{rel:.3g})", rel)
    return CrossCheck(True, "outputs agree", worst)

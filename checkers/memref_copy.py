"""`memrefCopy`, the one C runner-utils symbol lowered code may call (bufferization copies
between strided views), implemented here because the torch-mlir wheel ships no runner
library. Registered with each JIT engine; used only for the checks, never for timing."""

from __future__ import annotations

import ctypes

import numpy as np


class _Unranked(ctypes.Structure):
    _fields_ = [("rank", ctypes.c_int64), ("descriptor", ctypes.c_void_p)]


def _view(elem_size: int, memref: _Unranked) -> np.ndarray:
    """A numpy view on a ranked descriptor {allocated, aligned, offset, sizes, strides}."""
    rank = memref.rank
    words = (ctypes.c_int64 * (3 + 2 * rank)).from_address(memref.descriptor)
    aligned, offset = words[1], words[2]
    sizes = tuple(words[3:3 + rank])
    strides = tuple(s * elem_size for s in words[3 + rank:3 + 2 * rank])
    dtype = np.dtype(f"V{elem_size}")
    extent = elem_size + sum((n - 1) * abs(s) for n, s in zip(sizes, strides)) \
        if all(sizes) else 0
    base = np.ctypeslib.as_array((ctypes.c_char * max(extent, 1)).from_address(
        aligned + offset * elem_size)).view(dtype) if extent else np.empty(0, dtype)
    return np.lib.stride_tricks.as_strided(base, shape=sizes, strides=strides)


@ctypes.CFUNCTYPE(None, ctypes.c_int64, ctypes.POINTER(_Unranked), ctypes.POINTER(_Unranked))
def memref_copy(elem_size: int, src: ctypes._Pointer, dst: ctypes._Pointer) -> None:  # type: ignore[type-arg]
    source, target = _view(elem_size, src.contents), _view(elem_size, dst.contents)
    np.copyto(target, source)


def register(engine: object) -> None:
    # raw: the plain C symbol, not the `_mlir_ciface_` wrapper name register_runtime adds.
    engine.raw_register_runtime("memrefCopy", ctypes.cast(memref_copy, ctypes.c_void_p))  # type: ignore[attr-defined]

"""buddy-raise: raising of affine loop nests to linalg / stablehlo, proved equivalent.

The Python API (details in raising.api and raising.batch):

    raising.raise_module(text, target="linalg", timeout=60, ...)  -> RaiseResult
    raising.raise_file(path, output=None, report=None, ...)       -> RaiseResult
    raising.raise_files(paths, jobs=1, output_dir=None, ...)      -> BatchResult
    raising.make_options(...)                                     -> RaiseOptions
    raising.LoadError                                              input that does not load
"""

from __future__ import annotations

from typing import Any

# Loaded on first use: `checkers` imports `raising.mlir_env`, and the pipeline imports
# `checkers`, so importing the pipeline here would be circular.
_EXPORTS = {
    "raise_module": "raising.api", "raise_file": "raising.api", "make_options": "raising.api",
    "raise_files": "raising.batch", "BatchResult": "raising.batch",
    "RaiseOptions": "raising.pipeline", "RaiseResult": "raising.pipeline",
    "LoadError": "raising.load",
}
__all__ = ["BatchResult", "LoadError", "RaiseOptions", "RaiseResult", "make_options",
           "raise_file", "raise_files", "raise_module"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'raising' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_EXPORTS[name]), name)

"""buddy-raise: raising of affine loop nests to linalg / stablehlo, proved equivalent.

The Python API (details in raising.interface.api and raising.interface.batch):

    raising.raise_module(text, target="linalg", timeout=60, ...)  -> RaiseResult
    raising.raise_file(path, output=None, report=None, ...)       -> RaiseResult
    raising.raise_files(paths, jobs=1, output_dir=None, ...)      -> BatchResult
    raising.make_options(...)                                     -> RaiseOptions
    raising.LoadError                                              input that does not load
"""

from __future__ import annotations

from typing import Any

# Loaded on first use (said so, as the layer rule allows): importing any part of raising
# (raising.frontend.load, say) runs this file first, and loading the API here would pull
# the whole tool, top layer included, into every such import.
_EXPORTS = {
    "raise_module": "raising.interface.api", "raise_file": "raising.interface.api",
    "make_options": "raising.interface.api",
    "raise_files": "raising.interface.batch", "BatchResult": "raising.interface.batch",
    "RaiseOptions": "raising.pipeline", "RaiseResult": "raising.pipeline",
    "LoadError": "raising.frontend.load",
}
__all__ = ["BatchResult", "LoadError", "RaiseOptions", "RaiseResult", "make_options",
           "raise_file", "raise_files", "raise_module"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'raising' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_EXPORTS[name]), name)

"""The one place that touches MLIR's context setup and pass-pipeline strings.

MLIR's Python API and pass names drift between versions; keeping them here keeps an
upgrade to one file.
"""

from __future__ import annotations

import threading

from torch_mlir import ir, passmanager
from torch_mlir._mlir_libs import _stablehlo

# Lower the original affine kernel to the LLVM dialect.
AFFINE_TO_LLVM = (
    "builtin.module(lower-affine, convert-scf-to-cf, convert-to-llvm,"
    " reconcile-unrealized-casts)"
)

# Lower a raised kernel (linalg or stablehlo on tensors, bridged to the memref arguments by
# bufferization.to_tensor / materialize_in_destination) to the LLVM dialect. Function
# boundaries stay memref-typed, so the signature is unchanged.
RAISED_TO_LLVM = (
    "builtin.module(func.func(stablehlo-legalize-to-linalg), "
    "one-shot-bufferize{bufferize-function-boundaries=false}, "
    "func.func(convert-linalg-to-loops), expand-strided-metadata, lower-affine, "
    "convert-scf-to-cf, convert-to-llvm, reconcile-unrealized-casts)"
)

_lock = threading.Lock()
_passes_registered = False


def new_context() -> ir.Context:
    """A context with the upstream dialects and StableHLO registered."""
    global _passes_registered
    ctx = ir.Context()
    _stablehlo.register_dialect(ctx)
    with _lock:
        if not _passes_registered:
            _stablehlo.register_stablehlo_passes()
            _passes_registered = True
    return ctx


def run_pipeline(module: ir.Module, pipeline: str) -> None:
    """Run a textual pass pipeline on `module` in place (raises MLIRError on failure)."""
    with module.context:
        pm = passmanager.PassManager.parse(pipeline)
        pm.run(module.operation)


def parse_module(text: str, ctx: ir.Context | None = None) -> ir.Module:
    """Parse and verify MLIR text; raises ir.MLIRError with diagnostics on failure."""
    ctx = ctx or new_context()
    with ctx, ir.Location.unknown():
        module = ir.Module.parse(text)
        module.operation.verify()
    return module

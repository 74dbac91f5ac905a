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


# --- Lowering for the performance comparison (raising/lower.py) ---------------------------
# The baseline is what a C flow gives: the original affine kernel straight to the LLVM
# dialect; clang-22 -O3 optimises the LLVM IR.
BASELINE_TO_LLVM = (
    "builtin.module(lower-affine, convert-scf-to-cf, convert-to-llvm,"
    " reconcile-unrealized-casts)"
)

# Raised, before the schedule, part 1: stablehlo becomes linalg and every op a linalg.generic
# so single-use elementwise producers fuse into their consumers. No CSE here: merging equal
# tensor.empty ops across raised regions would make results share buffers.
RAISED_FUSE = (
    "builtin.module(func.func(stablehlo-legalize-to-linalg), canonicalize, "
    "func.func(linalg-generalize-named-ops), func.func(linalg-fuse-elementwise-ops), "
    "canonicalize)"
)

# Part 2 (after raising/lower.py pointed safe final ops at their destination memrefs):
# bufferize and free the temporaries.
RAISED_BUFFERIZE = (
    "builtin.module(one-shot-bufferize{bufferize-function-boundaries=false}, "
    "buffer-deallocation-pipeline, canonicalize, cse)"
)

# Raised, after the schedule: whatever the schedule left as linalg becomes loops; vectors,
# memrefs and the rest go to the LLVM dialect.
RAISED_FINISH = (
    "builtin.module(func.func(convert-linalg-to-loops), convert-vector-to-scf{full-unroll=true}, "
    "expand-strided-metadata, lower-affine, convert-scf-to-cf, canonicalize, cse, "
    "convert-vector-to-llvm, convert-to-llvm, reconcile-unrealized-casts)"
)

# Transform-dialect schedule pieces, composed per op by raising/lower.py. Handles are named
# `%h<N>`; `{tag}` is the discardable attribute lower.py puts on each linalg op.
SCHEDULE_MODULE = (
    "module attributes {{transform.with_named_sequence}} {{\n"
    "  transform.named_sequence @__transform_main(%root: !transform.any_op "
    "{{transform.readonly}}) {{\n{body}\n    transform.yield\n  }}\n}}\n"
)
SCHEDULE_MATCH = (
    "%{out} = transform.structured.match attributes {{{tag} = {op_id} : i64}} in %root "
    ": (!transform.any_op) -> !transform.any_op"
)
SCHEDULE_SPLIT = (
    "%{out}_pair = transform.structured.split %{target} after {chunk} {{dimension = {dim}}} "
    ": !transform.any_op\n"
    "%{out}_lo, %{out}_hi = transform.split_handle %{out}_pair "
    ": (!transform.any_op) -> (!transform.any_op, !transform.any_op)"
)
# `{loops}` is one `, !transform.any_op` per non-zero tile size.
SCHEDULE_TILE = (
    "%{out}, %{out}_loops:{n_loops} = transform.structured.tile_using_for %{target} "
    "tile_sizes [{sizes}] interchange = [{interchange}] "
    ": (!transform.any_op) -> (!transform.any_op{loops})"
)
SCHEDULE_VECTORIZE = "transform.structured.vectorize %{target} : !transform.any_op"
SCHEDULE_VECTORIZE_SIZES = (
    "transform.structured.vectorize %{target} vector_sizes [{sizes}] : !transform.any_op"
)
# After vectorization: fold, fold subviews into the transfers (hoisting gives up on views),
# hoist loop-invariant accumulator reads/writes out of the reduction loops, and lower vector.contract through outer products to FMAs.
SCHEDULE_VECTOR_LOWERING = """\
%func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
transform.apply_patterns to %func {
  transform.apply_patterns.vector.reduction_to_contract
  transform.apply_patterns.vector.transfer_permutation_patterns
  transform.apply_patterns.canonicalization
} : !transform.any_op
transform.apply_patterns to %func {
  transform.apply_patterns.memref.fold_memref_alias_ops
  transform.apply_patterns.canonicalization
} : !transform.any_op
transform.apply_cse to %func : !transform.any_op
%hoisted = transform.structured.hoist_redundant_vector_transfers %func : (!transform.any_op) -> !transform.any_op
transform.apply_patterns to %hoisted {
  transform.apply_patterns.vector.lower_contraction lowering_strategy = "outerproduct"
  transform.apply_patterns.vector.lower_outerproduct
  transform.apply_patterns.vector.transfer_permutation_patterns
  transform.apply_patterns.vector.lower_transfer max_transfer_rank = 1
  transform.apply_patterns.vector.lower_broadcast
} : !transform.any_op"""

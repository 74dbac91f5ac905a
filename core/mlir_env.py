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
# bufferization.to_tensor / materialize_in_destination) to the LLVM dialect (shape-dialect
# checks of dynamic-shape stablehlo become std ops). Function
# boundaries stay memref-typed, so the signature is unchanged. Temporaries are freed: a
# region raised inside a kept loop allocates on every iteration.
# Calls inlined into their callers, unused private functions dropped (a wrapper that
# stores a function's results replaces it).
INLINE_CALLS = "builtin.module(inline, symbol-dce)"
# Private functions nothing calls (an unused `func.func private @printf` declaration) go
# before the foreign-code check (checkers/foreign.py), which judges what can run.
DROP_UNUSED = "builtin.module(symbol-dce)"
# The tensor ABI's linalg output as generics: elementwise named ops (`linalg.add`, `mul`,
# ...) are newer than the MLIR inside IREE 3.13, which parses generics of any age.
TENSOR_ABI_GENERIC = "builtin.module(func.func(linalg-generalize-named-ops))"
RAISED_TO_LLVM = (
    "builtin.module(func.func(stablehlo-legalize-to-linalg), convert-shape-to-std, "
    "one-shot-bufferize{bufferize-function-boundaries=false}, buffer-deallocation-pipeline, "
    "func.func(convert-linalg-to-loops), expand-strided-metadata, lower-affine, "
    "convert-scf-to-cf, convert-to-llvm, reconcile-unrealized-casts)"
)

# `buddy-raise check`: any kernel (affine, or raised linalg/stablehlo on tensors) down to
# affine loops over memrefs, which checkers.interpreter runs on numbers and z3 terms.
TO_AFFINE_LOOPS = (
    "builtin.module(func.func(stablehlo-legalize-to-linalg), convert-shape-to-std, "
    "one-shot-bufferize{bufferize-function-boundaries=false}, "
    "func.func(convert-linalg-to-affine-loops))"
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


# --- Lowering for the performance comparison (lowering/lower.py) ---------------------------
# The baseline is what a C flow gives: the original affine kernel straight to the LLVM
# dialect; clang-22 -O3 optimises the LLVM IR.
BASELINE_TO_LLVM = (
    "builtin.module(lower-affine, convert-scf-to-cf, convert-to-llvm,"
    " reconcile-unrealized-casts)"
)

# Raised, before the schedule. Part 1: stablehlo becomes linalg, every op a linalg.generic,
# scalar operands (a fill's value, alpha) inlined into the bodies.
RAISED_GENERALIZE = (
    "builtin.module(func.func(stablehlo-legalize-to-linalg), convert-shape-to-std, canonicalize, "
    "func.func(linalg-generalize-named-ops), func.func(linalg-inline-scalar-operands), "
    "canonicalize)"
)

# Part 2 (reduction inputs guarded by lowering/prepare.py): single-use elementwise producers
# fuse into their elementwise consumers. No CSE: merging equal tensor.empty ops across raised
# regions would make results share buffers.
RAISED_FUSE = "builtin.module(func.func(linalg-fuse-elementwise-ops), canonicalize)"

# Part 3 (after lowering/prepare.py's transposes and split reductions): generalize the ops
# those added.
RAISED_TIDY = ("builtin.module(func.func(linalg-generalize-named-ops), "
               "func.func(linalg-fold-unit-extent-dims), canonicalize)")

# Part 4 (after lowering/prepare.py pointed safe result chains at their destinations):
# bufferize and free the temporaries.
RAISED_BUFFERIZE = (
    "builtin.module(one-shot-bufferize{bufferize-function-boundaries=false}, "
    "func.func(promote-buffers-to-stack{max-alloc-size-in-bytes=256 "
    "max-rank-of-allocated-memref=0}), "
    "buffer-deallocation-pipeline, canonicalize, cse)"
)

# Raised, after the schedule: whatever the schedule left as linalg becomes loops; vectors,
# memrefs and the rest go to the LLVM dialect.
RAISED_FINISH = (
    "builtin.module(func.func(convert-linalg-to-loops), convert-vector-to-scf{full-unroll=true}, "
    "expand-strided-metadata, lower-affine, convert-scf-to-cf, "
    "convert-vector-to-llvm, convert-to-llvm, reconcile-unrealized-casts)"
)

# The same with parallel loops (scf.parallel, from the schedule's scf.forall) on OpenMP, in
# two steps: lowering/lower.py inlines the memref.alloca_scope ops scf-to-openmp wraps loop
# bodies in (they must stay single-block, which scf-to-cf would break; the bodies allocate
# nothing on the stack).
RAISED_FINISH_OPENMP_LOOPS = (
    "builtin.module(func.func(convert-linalg-to-loops), convert-vector-to-scf{full-unroll=true}, "
    "expand-strided-metadata, lower-affine, convert-scf-to-openmp)"
)
RAISED_FINISH_OPENMP = (
    "builtin.module(convert-scf-to-cf, convert-vector-to-llvm, convert-openmp-to-llvm, "
    "convert-to-llvm, reconcile-unrealized-casts)"
)

# Transform-dialect schedule pieces, composed per op by lowering/lower.py. Handles are named
# `%h<N>`; `{tag}` is the discardable attribute lower.py puts on each linalg op.
SCHEDULE_MODULE = (
    "module attributes {{transform.with_named_sequence}} {{\n"
    "  transform.named_sequence @__transform_main(%root: !transform.any_op "
    "{{transform.readonly}}) {{\n{body}\n    transform.yield\n  }}\n}}\n"
)
SCHEDULE_MATCH_IN = (
    "%{out} = transform.structured.match attributes {{{tag} = {op_id} : i64}} in %{scope} "
    ": (!transform.any_op) -> !transform.any_op"
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
# Marks an op for a rewrite between two scripts (lowering.pack): `{name} = {value} : i64`.
SCHEDULE_ANNOTATE = (
    "%{out} = transform.param.constant {value} : i64 -> !transform.param<i64>\n"
    "transform.annotate %{target} \"{name}\" = %{out} "
    ": !transform.any_op, !transform.param<i64>"
)
# A piece the vectorizer rejects stays a linalg op (later plain loops), not an error.
# Threads: the outermost tile loop of a piece as scf.forall, later scf.parallel.
SCHEDULE_TILE_FORALL = (
    "%{out}, %{out}_forall = transform.structured.tile_using_forall %{target} "
    "tile_sizes [{sizes}] : (!transform.any_op) -> (!transform.any_op, !transform.any_op)"
)
SCHEDULE_FORALL_TO_PARALLEL = """\
%foralls = transform.structured.match ops{["scf.forall"]} in %root : (!transform.any_op) -> !transform.any_op
transform.foreach %foralls : !transform.any_op {
^bb0(%one: !transform.any_op):
  %parallel = transform.loop.forall_to_parallel %one : (!transform.any_op) -> !transform.any_op
}"""
SCHEDULE_VECTORIZE = (
    "transform.sequence %{target} : !transform.any_op failures(suppress) {{\n"
    "^bb0(%{target}_v: !transform.any_op):\n"
    "  transform.structured.vectorize %{target}_v : !transform.any_op\n"
    "}}"
)
# A reduction along the contiguous dim: partial sums over `width` consecutive elements in a
# new innermost parallel dim, then one final reduction.
SCHEDULE_SPLIT_REDUCTION = (
    "transform.sequence %{target} : !transform.any_op failures(suppress) {{\n"
    "^bb0(%{target}_v: !transform.any_op):\n"
    "  %{target}_parts:4 = transform.structured.split_reduction %{target}_v "
    "{{split_factor = {width}, insert_split_dimension = {position}, inner_parallel}} "
    ": (!transform.any_op) -> (!transform.any_op, !transform.any_op, !transform.any_op, "
    "!transform.any_op)\n"
    "}}"
)
# A true outer-product reduction, just vectorized: turn its multi_reduction(mul) back into
# vector.contract (later outer products, FMAs). Applied to the op's enclosing loop only, so
# elementwise products elsewhere stay plain arithmetic.
SCHEDULE_PARENT = (
    "%{out} = transform.get_parent_op %{target} : (!transform.any_op) -> !transform.any_op"
)
SCHEDULE_FORM_CONTRACTIONS = (
    "transform.apply_patterns to %{target} {{\n"
    "  transform.apply_patterns.vector.reduction_to_contract\n"
    "  transform.apply_patterns.vector.transfer_permutation_patterns\n"
    "}} : !transform.any_op"
)
# Scalable tiles: peel the loop over the vector dim so all but the last tile are full.
SCHEDULE_PEEL = (
    "%{out}_for = transform.cast %{loop} : !transform.any_op to !transform.op<\"scf.for\">\n"
    "%{out}_main, %{out}_rest = transform.loop.peel %{out}_for "
    ": (!transform.op<\"scf.for\">) -> (!transform.any_op, !transform.any_op)"
)
# Scalable vectors must vary along their last dim only: make the vector dim the last loop.
SCHEDULE_INTERCHANGE = (
    "%{out} = transform.structured.interchange %{target} iterator_interchange = [{perm}] "
    ": (!transform.any_op) -> !transform.any_op"
)
# `{attrs}` is empty (masked vectorization) or SCHEDULE_FULL_TILES.
SCHEDULE_VECTORIZE_SIZES = (
    "transform.sequence %{target} : !transform.any_op failures(suppress) {{\n"
    "^bb0(%{target}_v: !transform.any_op):\n"
    "  transform.structured.vectorize %{target}_v vector_sizes [{sizes}] {attrs}"
    ": !transform.any_op\n"
    "}}"
)
SCHEDULE_FULL_TILES = "{assume_dynamic_dims_match_vec_sizes} "
# After vectorization: fold, fold subviews into the transfers (hoisting gives up on views),
# hoist loop-invariant accumulator reads/writes out of the reduction loops, and lower
# vector.contract through outer products to FMAs (elementwise products over a unit reduction
# dim, which are no outer products, become plain arithmetic).
SCHEDULE_VECTOR_LOWERING = """\
%func = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
transform.apply_patterns to %func {
  transform.apply_patterns.vector.transfer_permutation_patterns
  transform.apply_patterns.vector.lower_masked_transfers
  transform.apply_patterns.canonicalization
} : !transform.any_op
transform.apply_patterns to %func {
  transform.apply_patterns.memref.fold_memref_alias_ops
  transform.apply_patterns.canonicalization
} : !transform.any_op
transform.apply_cse to %func : !transform.any_op
%hoisted = transform.structured.hoist_redundant_vector_transfers %func : (!transform.any_op) -> !transform.any_op
transform.apply_patterns to %hoisted {
  transform.apply_patterns.vector.cast_away_vector_leading_one_dim
} : !transform.any_op
transform.apply_patterns to %hoisted {
  transform.apply_patterns.vector.lower_contraction lowering_strategy = "outerproduct"
  transform.apply_patterns.vector.lower_outerproduct
  transform.apply_patterns.vector.transfer_permutation_patterns
  transform.apply_patterns.vector.lower_transfer max_transfer_rank = 1
  transform.apply_patterns.vector.lower_broadcast
  transform.apply_patterns.vector.lower_transpose lowering_strategy = "shuffle_1d"
} : !transform.any_op
transform.apply_patterns to %hoisted {
  transform.apply_patterns.vector.lower_contraction lowering_strategy = "parallelarith"
} : !transform.any_op
transform.apply_patterns to %hoisted {
  transform.apply_patterns.vector.reorder_multi_reduction_dims lowering_strategy = "innerreduction"
  transform.apply_patterns.vector.multi_reduction_flattening lowering_strategy = "innerreduction"
  transform.apply_patterns.vector.multi_reduction_unrolling lowering_strategy = "innerreduction"
} : !transform.any_op"""

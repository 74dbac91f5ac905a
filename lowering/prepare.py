"""Tensor-level preparation of raised code, between stablehlo legalization and bufferization.

- Reductions keep their inputs: an elementwise producer fused into a contraction would be
  recomputed for every multiply-add (and hide the contraction from vector.contract), so
  fusion only merges elementwise ops into elementwise consumers (a StableHLO
  optimization_barrier guards the inputs of reductions during the fusion pass).
- A contraction whose output's contiguous dim is contiguous in no input (C = A B^T) gets that
  input transposed once, so it becomes an outer-product contraction.
- A reduction along the contiguous dim (matvec) is split (static profiles): partial sums
  over `width` consecutive elements are kept in a vector and reduced once at the end.
- The op chain producing a stored result writes the destination memref directly when that is
  safe (see `write_in_place`).
"""

from __future__ import annotations

from torch_mlir import ir
from torch_mlir.dialects import linalg, tensor

from core import mlir_env
from core.sequential_ops import REASSOCIATE
from lowering.schedule import TAG, OpShape, Profile, analyse, walk

BARRIER = "stablehlo.optimization_barrier"


def block_ops(func: ir.Operation) -> list[ir.Operation]:
    return [op.operation for op in func.regions[0].blocks[0].operations]


def defining_op(value: ir.Value) -> ir.Operation | None:
    owner = value.owner
    return owner.operation if isinstance(owner, (ir.Operation, ir.OpView)) else None


def _is_linalg(op: ir.Operation | None) -> bool:
    return op is not None and op.name.startswith("linalg.")


def _has_reduction(op: ir.Operation) -> bool:
    return op.name == "linalg.generic" and any(
        "reduction" in str(a) for a in ir.ArrayAttr(op.attributes["iterator_types"]))


# --- keeping elementwise producers out of reductions -----------------------------------------

def protect_reduction_inputs(func: ir.Operation) -> list[ir.Operation]:
    """Put a barrier between every reduction and the linalg ops producing its inputs (the
    static schedules want plain operands). Not for runtime-sized reductions (a view
    function's dot product): their producers fuse in, no temporary per call."""
    barriers = []
    for op in block_ops(func):
        if not _has_reduction(op) or _runtime_sized(op):
            continue
        n_inputs = len(op.operands) - len(op.results)
        for index in range(n_inputs):
            value = op.operands[index]
            if not _is_linalg(defining_op(value)):
                continue
            barrier = ir.Operation.create(BARRIER, results=[value.type], operands=[value],
                                          ip=ir.InsertionPoint(op))
            op.operands[index] = barrier.results[0]
            barriers.append(barrier)
    return barriers


def _runtime_sized(op: ir.Operation) -> bool:
    shapes = [v.type.maybe_downcast() for v in op.operands]
    return any(isinstance(t, ir.ShapedType) and not t.has_static_shape for t in shapes)


def release(barriers: list[ir.Operation]) -> None:
    for barrier in barriers:
        barrier.results[0].replace_all_uses_with(barrier.operands[0])
        barrier.erase()


# --- scalar reads out of loop bodies ------------------------------------------------------------

def hoist_scalar_reads(func: ir.Operation) -> int:
    """Move `tensor.extract` of a 0-d tensor defined outside a linalg body in front of the op
    (inlined scalar operands); inside, it would become a load the vectorizer rejects."""
    count = 0
    for op in block_ops(func):
        if op.name != "linalg.generic":
            continue
        body = op.regions[0].blocks[0]
        for inner in [o.operation for o in body.operations]:
            if inner.name != "tensor.extract" or len(inner.operands) != 1:
                continue
            value = inner.operands[0]
            defining = defining_op(value)
            inside = value.owner == body if defining is None else defining.block == body
            if inside:
                continue
            inner.move_before(op)
            count += 1
    return count


# --- folding fills into the elementwise ops that read them ----------------------------------

def filled_value(op: ir.Operation | None) -> ir.Value | None:
    """The scalar a generalized linalg.fill writes (defined outside its body), else None."""
    if op is None or op.name != "linalg.generic" or len(op.operands) != 1 or \
            not _is_all_parallel(op):
        return None
    body = op.regions[0].blocks[0]
    ops = list(body.operations)
    if len(ops) != 1 or ops[0].operation.name != "linalg.yield":
        return None
    value = ops[0].operation.operands[0]
    # The yield is the only op, so a non-argument value is defined outside the body.
    return None if defining_op(value) is None else value


def inline_fills(func: ir.Operation) -> int:
    """An elementwise op whose init is a fill reads the filled scalar instead (e.g.
    0 + u v^T): the init becomes an unread empty tensor, so the op fuses like any other."""
    count = 0
    for op in block_ops(func):
        if op.name != "linalg.generic" or len(op.results) != 1 or not _is_all_parallel(op):
            continue
        init = op.operands[len(op.operands) - 1]
        fill = defining_op(init)
        value = filled_value(fill)
        if value is None or fill is None:
            continue
        out_arg = op.regions[0].blocks[0].arguments[len(op.operands) - 1]
        out_arg.replace_all_uses_with(value)
        op.operands[len(op.operands) - 1] = fill.operands[0]
        if not list(fill.results[0].uses):
            fill.erase()
        count += 1
    return count


# --- transposing an input so a contraction becomes an outer product --------------------------

def _transpose_plan(shape: OpShape) -> tuple[int, list[int]] | None:
    """(input index, permutation) moving the output's contiguous dim to the end of an input."""
    if not shape.reduction_dims or len(shape.output) < 2:
        return None
    last = shape.output[-1]
    if any(dims and dims[-1] == last for dims, _ in shape.inputs):
        return None
    for index, (dims, _) in enumerate(shape.inputs):
        if last in dims and len(dims) >= 2:
            pos = dims.index(last)
            return index, [p for p in range(len(dims)) if p != pos] + [pos]
    return None


def transpose_for_outer_products(func: ir.Operation) -> int:
    """Insert the transposes; returns how many."""
    count = 0
    for op in block_ops(func):
        if op.name == "linalg.generic" and len(op.results) == 1 and transpose_input(op):
            count += 1
    return count


def transpose_input(op: ir.Operation) -> bool:
    """Transpose the input of the contraction `op` that its output's contiguous dim is not
    contiguous in (in place: operand and map), if one is; whether it did."""
    shape = analyse(op)
    plan = _transpose_plan(shape) if shape else None
    if plan is None:
        return False
    index, perm = plan
    value = op.operands[index]
    source = ir.RankedTensorType(value.type)
    empty = tensor.EmptyOp([source.shape[p] for p in perm], source.element_type,
                           ip=ir.InsertionPoint(op))
    with ir.InsertionPoint(op):
        moved = linalg.transpose(value, outs=[empty.result], permutation=perm)
    if not isinstance(moved, ir.Value):
        moved = moved.results[0]
    op.operands[index] = moved
    maps = list(ir.ArrayAttr(op.attributes["indexing_maps"]))
    old = ir.AffineMapAttr(maps[index]).value
    results = list(old.results)
    maps[index] = ir.AffineMapAttr.get(
        ir.AffineMap.get(old.n_dims, old.n_symbols, [results[p] for p in perm]))
    op.attributes["indexing_maps"] = ir.ArrayAttr.get(maps)
    if "linalg.memoized_indexing_maps" in op.attributes:
        del op.attributes["linalg.memoized_indexing_maps"]
    return True


# --- splitting reductions along the contiguous dim --------------------------------------------

def split_reduction_script(module: ir.Module, profile: Profile) -> str | None:
    """Tag each reduction along its inputs' contiguous dim and return a transform script
    splitting it into vector partial sums plus a final reduction, or None."""
    if profile.scalable:
        return None  # the split factor is static; scalable tiles handle these as they are
    width = profile.dot_cols
    lines: list[str] = []
    count = 0
    for func in module.body.operations:
        for op in block_ops(func.operation) if func.operation.name == "func.func" else []:
            shape = analyse(op)
            if shape is None or len(shape.reduction_dims) != 1 or len(op.results) != 1:
                continue
            kdim = shape.reduction_dims[0]
            contiguous = [dims[-1] for dims, _ in shape.inputs if dims]
            if not contiguous or any(d != kdim for d in contiguous):
                continue
            extent = shape.extents[kdim]
            if extent < 2 * width:
                continue
            op.attributes[TAG] = ir.IntegerAttr.get(ir.IntegerType.get_signless(64), count)
            handle = f"r{count}"
            lines.append(mlir_env.SCHEDULE_MATCH.format(out=handle, tag=TAG, op_id=count))
            main = handle
            if extent % width:
                lines.extend(mlir_env.SCHEDULE_SPLIT.format(
                    out=f"{handle}s", target=handle, chunk=extent - extent % width,
                    dim=kdim).splitlines())
                main = f"{handle}s_lo"
            lines.extend(mlir_env.SCHEDULE_SPLIT_REDUCTION.format(
                target=main, width=width, position=len(shape.output)).splitlines())
            count += 1
    if not count:
        return None
    body = "\n".join("    " + line for line in lines)
    return mlir_env.SCHEDULE_MODULE.format(body=body)


def clear_tags(module: ir.Module) -> None:
    for op in walk(module.operation):
        if TAG in op.attributes:
            del op.attributes[TAG]


# --- reductions left as loops -----------------------------------------------------------------
# A linalg reduction fixes no order of its terms, and every reduction we raise is proved over
# the reals: the loops a reduction without a schedule becomes (a view function's runtime-sized
# dot product) may add in any order. Said to LLVM, it vectorizes them as it does C with
# -ffast-math, instead of one scalar add after another.

_REASSOCIABLE = frozenset({"arith.addf", "arith.subf", "arith.mulf"})


def reassociate_loop_reductions(module: ir.Module) -> int:
    """Mark the float adds, subtractions and products in the bodies of the linalg reductions
    no schedule covers (no TAG) reassociable; returns how many reductions."""
    flags = ir.Attribute.parse(REASSOCIATE)
    count = 0
    for op in walk(module.operation):
        if TAG in op.attributes or not _has_reduction(op):
            continue
        for inner in op.regions[0].blocks[0].operations:
            if inner.operation.name in _REASSOCIABLE:
                inner.operation.attributes["fastmath"] = flags
        count += 1
    return count


# --- writing final results in place ---------------------------------------------------------
# Upstream empty-tensor elimination trusts `to_tensor ... restrict`, which raised code uses on
# the same memref more than once; it then lets an intermediate share the destination buffer
# too early. This narrower rewrite lets the chain of ops producing a stored result (e.g. fill
# then matmul, or one elementwise op) write the destination memref directly, only when every
# read of that memref's old contents happens before the chain starts, or is the first op's
# own elementwise read of the element it overwrites.

def _is_all_parallel(op: ir.Operation) -> bool:
    return all("parallel" in str(a) for a in ir.ArrayAttr(op.attributes["iterator_types"]))


def _operand_map(op: ir.Operation, index: int) -> str:
    return str(ir.ArrayAttr(op.attributes["indexing_maps"])[index])


def _single_use(value: ir.Value) -> bool:
    return len(list(value.uses)) == 1


def _result_chain(source: ir.Value, shared: bool = False
                  ) -> tuple[list[ir.Operation], ir.Operation] | None:
    """The linalg.generic ops that successively update `source`'s init, first to last, and
    the tensor.empty they start from; None if anything else sees the intermediate values
    (or, unless `shared`, the final one)."""
    chain: list[ir.Operation] = []
    value = source
    while True:
        op = defining_op(value)
        if op is None or not (_single_use(value) or (shared and value == source)):
            return None
        if op.name == "tensor.empty":
            return (chain, op) if chain else None
        if op.name != "linalg.generic" or len(op.results) != 1:
            return None
        chain.insert(0, op)
        value = op.operands[len(op.operands) - 1]


def _reads_before(first: ir.Operation, dest: ir.Value, ops: list[ir.Operation]) -> bool:
    out_map = _operand_map(first, len(first.operands) - 1)
    for op in ops:
        if op.name != "bufferization.to_tensor" or op.operands[0] != dest:
            continue
        if not op.is_before_in_block(first):
            continue  # reads after the chain starts see the new contents, as they should
        for use in op.results[0].uses:
            user = use.owner.operation
            if user == first and _is_all_parallel(first) and \
                    _operand_map(first, use.operand_number) == out_map:
                continue
            if not user.is_before_in_block(first):
                return False
    return True


def write_in_place(func: ir.Operation) -> None:
    """Point safe result chains at their destination memrefs (see the section comment)."""
    ops = block_ops(func)
    stores = [op for op in ops if op.name == "bufferization.materialize_in_destination"]
    for store in stores:
        source, dest = store.operands[0], store.operands[1]
        # The result may also be read by later ops (a view function's vector that is both
        # stored and used, e.g. a projection's coefficients): they read the destination
        # then, which nothing else writes.
        only_store = sum(1 for other in stores if other.operands[1] == dest) == 1
        found = _result_chain(source, shared=only_store)
        if found is None or not _reads_before(found[0][0], dest, ops):
            continue
        chain, empty = found
        init = empty.results[0]
        view = ir.Operation.create(
            "bufferization.to_tensor", results=[init.type], operands=[dest],
            attributes={"restrict": ir.UnitAttr.get(), "writable": ir.UnitAttr.get()},
            ip=ir.InsertionPoint(chain[0]))
        init.replace_all_uses_with(view.results[0])
        empty.erase()

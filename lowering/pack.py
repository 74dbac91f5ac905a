"""Packing the streamed operand of an outer-product reduction into contiguous panels.

An outer-product reduction (C[i, j] += A[i, k] B[k, j]) register-tiled as rows x `width`
columns reads B through a (depth x width) window of rows that are a whole matrix row
apart: every reduction step touches new cache lines and pages, and a row stride that is a
multiple of 4 KiB maps all of them to one cache set. So each (depth x columns) cache block
of B is copied once, before the loops over rows that reuse it, into panels
`P[jb][k][jj] = B[k][jb * width + jj]`, each one contiguous (depth x width); the register
tiles then read their panel sequentially. Measured on a matmul: about 1.2x, and 3x where the
row stride is a power of two.

lowering.schedule leaves such a piece cache-tiled, its rows register-tiled, and tagged
(`PACK_TAG`); this module rewrites it on memrefs (the copy, the panel buffer, a loop over
the panels around the op); the second schedule vectorizes both. The copy is a plain
`linalg.generic`, so what is computed does not change, only where B's elements are read.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch_mlir import ir
from torch_mlir.dialects import arith, linalg, memref, scf

from lowering.schedule import PACK_COPY_TAG, PACK_TAG, PackPlan, walk

# Ops that only compute indices or views: moved out of loops with their operands.
_PURE = frozenset({"arith.constant", "arith.addi", "arith.subi", "arith.muli", "affine.apply",
                   "affine.min", "affine.max", "memref.subview", "memref.dim",
                   "memref.cast"})


def pack_operands(module: ir.Module, plans: list[PackPlan]) -> int:
    """Rewrite every op phase one tagged; returns how many were packed (an op whose operand
    is not a subview of a matrix, or changes in every enclosing loop, is left as it is and
    still scheduled). Call inside the module's context."""
    by_id = {plan.pack_id: plan for plan in plans}
    packed = 0
    for op in [o for o in walk(module.operation) if PACK_TAG in o.attributes]:
        plan = by_id.get(ir.IntegerAttr(op.attributes[PACK_TAG]).value)
        with ir.Location.unknown():
            if plan is not None and _pack(op, plan):
                packed += 1
    return packed


@dataclass(frozen=True)
class _Site:
    """Where one operand's panels are copied: before `target`, the outermost loop that
    does not change the operand; the buffer lives around `outermost`."""

    target: ir.Operation
    outermost: ir.Operation


def _pack(op: ir.Operation, plan: PackPlan) -> bool:
    loops = _enclosing_loops(op)
    sources = [op.operands[index] for index in plan.inputs]
    views = [_defining(value) for value in sources]
    if not loops or any(v is None or v.name != "memref.subview" for v in views):
        return False
    changing: set[int] = set()
    for view in views:
        assert view is not None
        found = _loop_dependencies(view, loops)
        if found is None:
            return False
        changing |= found
    inner = min(changing, default=len(loops))  # the innermost loop that changes them
    if inner == 0:
        return False  # the innermost loop changes the operand: nothing to reuse
    site = _Site(loops[inner - 1], loops[-1])
    columns = _static_columns(sources, plan)
    if columns is None:
        return False
    for view in views:
        assert view is not None
        _hoist(view, site.target)
    panels = [_copy_into_panels(value, plan, columns, site) for value in sources]
    _loop_over_panels(op, plan, columns, panels)
    return True


# --- where things are ------------------------------------------------------------------------

def _defining(value: ir.Value) -> ir.Operation | None:
    owner = value.owner
    return owner.operation if isinstance(owner, (ir.Operation, ir.OpView)) else None


def _parent(op: ir.Operation) -> ir.Operation | None:
    parent = op.parent
    return parent.operation if parent is not None else None


def _enclosing_loops(op: ir.Operation) -> list[ir.Operation]:
    """The scf.for loops around `op`, innermost first, up to the first other op."""
    loops = []
    parent = _parent(op)
    while parent is not None and parent.name == "scf.for":
        loops.append(parent)
        parent = _parent(parent)
    return loops


def _inside(op: ir.Operation, ancestor: ir.Operation) -> bool:
    parent = _parent(op)
    while parent is not None:
        if parent == ancestor:
            return True
        parent = _parent(parent)
    return False


def _loop_dependencies(op: ir.Operation, loops: list[ir.Operation]) -> set[int] | None:
    """Indices (into `loops`) of the loops whose induction variables `op`'s operands depend
    on; None if that depends on anything but pure index computations."""
    found: set[int] = set()
    pending = list(op.operands)
    while pending:
        value = pending.pop()
        defining = _defining(value)
        if defining is None:
            block_owner = value.owner.owner
            found.update(i for i, loop in enumerate(loops) if loop == block_owner.operation)
            continue
        if not any(_inside(defining, loop) for loop in loops):
            continue
        if defining.name not in _PURE:
            return None
        pending.extend(defining.operands)
    return found


def _hoist(op: ir.Operation, loop: ir.Operation) -> None:
    """Move `op` and the pure ops computing its operands in front of `loop` (each only
    depends on values defined there, see _loop_dependencies)."""
    for value in op.operands:
        defining = _defining(value)
        if defining is not None and _inside(defining, loop):
            _hoist(defining, loop)
    op.move_before(loop)


def _next_op(op: ir.Operation) -> ir.Operation:
    ops = [o.operation for o in op.block.operations]
    return ops[ops.index(op) + 1]


# --- types -------------------------------------------------------------------------------

DYNAMIC = ir.ShapedType.get_dynamic_size()
DYNAMIC_OFFSET = ir.ShapedType.get_dynamic_stride_or_offset()


def _memref(shape: list[int], elem: ir.Type, strides: list[int],
            offset: int | None = None) -> ir.MemRefType:
    """A strided memref type; `offset` None: a runtime offset."""
    static = DYNAMIC_OFFSET if offset is None else offset
    return ir.MemRefType.get(shape, elem, layout=ir.StridedLayoutAttr.get(static, strides))


def _offset(value: ir.Value) -> int | None:
    """The static offset of a memref value's layout, None if it is a runtime one."""
    offset = ir.MemRefType(value.type).get_strides_and_offset()[1]
    return None if offset == DYNAMIC_OFFSET else offset


def _static_columns(sources: list[ir.Value], plan: PackPlan) -> int | None:
    """The operands' common static column count, a multiple of the panel width."""
    widths = set()
    for value in sources:
        shaped = ir.MemRefType(value.type)
        strides, _ = shaped.get_strides_and_offset()
        if shaped.rank != 2 or strides[1] != 1 or shaped.is_dynamic_dim(1) or \
                (not shaped.is_dynamic_dim(0) and shaped.shape[0] > plan.depth):
            return None
        widths.add(shaped.shape[1])
    if len(widths) != 1:
        return None
    columns = widths.pop()
    return columns if columns % plan.width == 0 else None


def _index(value: int, ip: ir.InsertionPoint) -> ir.Value:
    return arith.ConstantOp(ir.IndexType.get(), value, ip=ip).result


# --- the copy --------------------------------------------------------------------------------

def _copy_into_panels(source: ir.Value, plan: PackPlan, columns: int, site: _Site) -> ir.Value:
    """Allocate the panel buffer around `site.outermost`, copy `source` (depth x columns,
    depth maybe shorter at the end of the reduction) into it before `site.target`, one panel
    at a time; return the view (panels x depth x width) the copies wrote. Only subviews of
    `source` (no reshapes): they fold into the vector transfers, and a memref with another
    view-like user keeps its accumulators from being hoisted out of reduction loops."""
    shaped = ir.MemRefType(source.type)
    elem = shaped.element_type
    count = columns // plan.width
    buffer_type = ir.MemRefType.get([count, plan.depth, plan.width], elem)
    buffer = memref.AllocOp(buffer_type, [], [], alignment=64,
                            ip=ir.InsertionPoint(site.outermost)).result
    memref.DeallocOp(buffer, ip=ir.InsertionPoint(_next_op(site.outermost)))
    ip = ir.InsertionPoint(site.target)
    rows = shaped.shape[0]
    dynamic = [memref.DimOp(source, _index(0, ip), ip=ip).result] \
        if shaped.is_dynamic_dim(0) else []
    view = memref.SubViewOp(
        _memref([count, rows, plan.width], elem, [plan.depth * plan.width, plan.width, 1], 0),
        buffer, [], dynamic, [], [0, 0, 0], [count, rows, plan.width], [1, 1, 1],
        ip=ip).result
    loop = scf.ForOp(_index(0, ip), _index(count, ip), _index(1, ip), ip=ip)
    with ir.InsertionPoint(loop.body):
        yield_op = scf.YieldOp([])
    inside = ir.InsertionPoint(yield_op)
    panel = loop.induction_variable
    start = arith.MulIOp(panel, _index(plan.width, inside), ip=inside).result
    columns_view = _column_view(source, 1, start, plan.width, inside)
    copy = linalg.GenericOp(
        [], [columns_view], [_panel_view(view, panel, inside)],
        ir.ArrayAttr.get([_map(2, [0, 1]), _map(2, [0, 1])]),
        ir.ArrayAttr.get([_parallel()] * 2), ip=inside)
    body = copy.regions[0].blocks.append(elem, elem)
    with ir.InsertionPoint(body):
        linalg.YieldOp([body.arguments[0]])
    copy.operation.attributes[PACK_COPY_TAG] = _i64(plan.pack_id)
    return view


def _i64(value: int) -> ir.IntegerAttr:
    return ir.IntegerAttr.get(ir.IntegerType.get_signless(64), value)


def _i64s(values: list[int]) -> ir.ArrayAttr:
    return ir.ArrayAttr.get([_i64(v) for v in values])


def _map(n_dims: int, dims: list[int]) -> ir.AffineMapAttr:
    return ir.AffineMapAttr.get(ir.AffineMap.get(
        n_dims, 0, [ir.AffineDimExpr.get(d) for d in dims]))


def _parallel() -> ir.Attribute:
    return ir.Attribute.parse("#linalg.iterator_type<parallel>")


# --- the loop over panels ------------------------------------------------------------------

def _loop_over_panels(op: ir.Operation, plan: PackPlan, columns: int,
                      panels: list[ir.Value]) -> None:
    """Put `op` in a loop over the panels: each iteration reads one panel instead of the
    packed operands and updates the matching `width` columns of every other operand that
    varies along the vector dim."""
    ip = ir.InsertionPoint(op)
    count = columns // plan.width
    loop = scf.ForOp(_index(0, ip), _index(count, ip), _index(1, ip), ip=ip)
    with ir.InsertionPoint(loop.body):
        scf.YieldOp([])
    op.move_before(_first_op(loop.body))
    inside = ir.InsertionPoint(op)
    panel = loop.induction_variable
    start = arith.MulIOp(panel, _index(plan.width, inside), ip=inside).result
    maps = [ir.AffineMapAttr(m).value for m in ir.ArrayAttr(op.attributes["indexing_maps"])]
    for index, value in enumerate(list(op.operands)):
        if index in plan.inputs:
            op.operands[index] = _panel_view(panels[plan.inputs.index(index)], panel, inside)
            continue
        dims = [e.maybe_downcast() for e in maps[index].results]
        positions = [p for p, e in enumerate(dims)
                     if isinstance(e, ir.AffineDimExpr) and e.position == plan.vector_dim]
        if positions:
            op.operands[index] = _column_view(value, positions[0], start, plan.width, inside)


def _first_op(block: ir.Block) -> ir.Operation:
    return next(iter(block.operations)).operation


def _panel_view(view: ir.Value, panel: ir.Value, ip: ir.InsertionPoint) -> ir.Value:
    """Panel `panel` of a (panels x depth x width) view, as (depth x width)."""
    shaped = ir.MemRefType(view.type)
    _, depth, width = shaped.shape
    strides = shaped.get_strides_and_offset()[0]
    dynamic = [memref.DimOp(view, _index(1, ip), ip=ip).result] \
        if shaped.is_dynamic_dim(1) else []
    return memref.SubViewOp(
        _memref([depth, width], shaped.element_type, strides[1:]), view, [panel], dynamic,
        [], [DYNAMIC_OFFSET, 0, 0], [1, depth, width], [1, 1, 1], ip=ip).result


def _column_view(value: ir.Value, position: int, start: ir.Value, width: int,
                 ip: ir.InsertionPoint) -> ir.Value:
    """`width` columns of `value` from `start` along its dim `position`."""
    shaped = ir.MemRefType(value.type)
    rank = shaped.rank
    strides = shaped.get_strides_and_offset()[0]
    shape = list(shaped.shape)
    dynamic_sizes = [memref.DimOp(value, _index(d, ip), ip=ip).result
                     for d in range(rank) if shaped.is_dynamic_dim(d) and d != position]
    shape[position] = width
    offsets = [DYNAMIC_OFFSET if d == position else 0 for d in range(rank)]
    return memref.SubViewOp(
        _memref(shape, shaped.element_type, list(strides)), value, [start], dynamic_sizes, [],
        offsets, shape, [1] * rank, ip=ip).result


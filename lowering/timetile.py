"""Temporal blocking of a kept time loop whose body is a sequence of view-function calls,
each updating a box of rows elementwise (stencil sweeps raised on views).

    for t:  f_1(views); ...; f_K(views)

becomes

    for t0 in steps of TB:
      for strip s:
        for t in t0 .. t0 + TB:
          for k:  f_k(its views cut to box rows [s*b - L(t - t0, k), ... + b))

so each strip of rows is updated for TB time steps while it is in cache, instead of every
sweep streaming whole arrays from memory. The lags L(t, k) = t * P + L_k are the smallest
for which every dependence between two calls (through a buffer one of them writes, at the
row offsets their views have) still goes from a strip to the same or a later one; within a
strip the calls keep their order. Each call still computes each of its rows exactly once,
with the same arithmetic, so results are bit-identical.

Applies when: the loop starts at a constant, ends at a constant or a runtime value
defined outside it, and steps by 1; its body holds only views
(subview/cast of function arguments or allocations, static row offsets; rank-0 views may
move with the loop index), constants and calls; every callee only updates its arguments
elementwise over the rows of its first argument (linalg.generic, all loops parallel, every
operand indexed by the first loop in its first dim). Anything else is left as it is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import TypeAlias

from torch_mlir import ir
from torch_mlir.dialects import arith, func, memref, scf

# Ops a callee may hold besides its linalg.generic updates: sizes, views, scalar reads.
_CALLEE_OPS = frozenset({"arith.constant", "memref.dim", "memref.subview", "memref.cast",
                         "memref.load", "func.return"})
_SCALAR_PREFIXES = ("arith.", "math.")
_BODY_OPS = frozenset({"memref.subview", "memref.cast", "arith.constant", "func.call",
                       "affine.yield", "scf.yield"})

L2_FALLBACK = 2 << 20
# A strip is at least this many rows and bytes (enough work per call).
MIN_STRIP_ROWS = 2
MIN_STRIP_BYTES = 64 << 10
MAX_STEPS = 16


@dataclass(frozen=True)
class Access:
    """A call's view of a buffer: box row r of the call touches buffer row r + `offset`
    (None: a single element, the same for every row, maybe moving with the time index)."""

    buffer: ir.Value
    offset: int | None
    writes: bool


@dataclass
class Stage:
    """One call in the loop body."""

    call: ir.Operation
    rows: int
    accesses: list[Access]
    row_bytes: dict[ir.Value, int]  # buffer -> bytes of one row (for the strip size)
    # Its views are single rows of their buffers (the row dim dropped): the call runs as it
    # is, in the strip that holds that row.
    whole: bool = False


@dataclass(frozen=True)
class Plan:
    """Lags and tile sizes of one loop."""

    lags: tuple[int, ...]  # L_k of the first step
    period: int  # P: lag added per time step
    steps: int  # TB
    strip: int  # b


def block_time_loops(module: ir.Module, budget: int | None = None) -> int:
    """Block every eligible time loop of `module` in place; returns how many. Call inside
    the module's context."""
    functions = {ir.StringAttr(op.attributes["sym_name"]).value: op
                 for op in (o.operation for o in module.body.operations)
                 if op.name == "func.func"}
    done = 0
    for function in functions.values():
        if not function.regions[0].blocks:
            continue
        for op in [o.operation for o in function.regions[0].blocks[0].operations]:
            if op.name not in ("affine.for", "scf.for"):
                continue
            stages = _stages(op, functions)
            if not stages:
                continue
            # Half of L2 when a strip fits in it (measured best on 2-D sweeps), else all
            # of it (3-D sweeps: a plane is already a large part of it).
            plan = _plan(stages, budget) if budget else \
                _plan(stages, l2_size() // 2) or _plan(stages, l2_size())
            if plan is None:
                continue
            with ir.Location.unknown():
                _rewrite(op, stages, plan)
            done += 1
    return done


@cache
def l2_size() -> int:
    """This host's L2 cache per core (sysfs), or 2 MiB."""
    try:
        with open("/sys/devices/system/cpu/cpu0/cache/index2/size", encoding="utf-8") as fh:
            text = fh.read().strip()
    except OSError:
        return L2_FALLBACK
    scale = {"K": 1 << 10, "M": 1 << 20}.get(text[-1:], 1)
    digits = text.rstrip("KM")
    return int(digits) * scale if digits.isdigit() else L2_FALLBACK


# --- what the loop holds ------------------------------------------------------------------

def _defining(value: ir.Value) -> ir.Operation | None:
    owner = value.owner
    return owner.operation if isinstance(owner, (ir.Operation, ir.OpView)) else None


Bound: TypeAlias = "int | ir.Value"


def _bounds(loop: ir.Operation) -> tuple[Bound, Bound] | None:
    """(lower, upper) of a step-1 loop: constants, or a runtime upper bound (an
    `affine.for` to a symbol, an `scf.for` to a value); else None."""
    if loop.name == "affine.for":
        lower = ir.AffineMapAttr(loop.attributes["lowerBoundMap"]).value
        upper = ir.AffineMapAttr(loop.attributes["upperBoundMap"]).value
        step = ir.IntegerAttr(loop.attributes["step"]).value
        if step != 1 or len(lower.results) != 1 or len(upper.results) != 1 or \
                lower.n_inputs or len(loop.operands) > 1:
            return None
        lo, hi = lower.results[0].maybe_downcast(), upper.results[0].maybe_downcast()
        if not isinstance(lo, ir.AffineConstantExpr):
            return None
        if isinstance(hi, ir.AffineConstantExpr) and not len(loop.operands):
            return lo.value, hi.value
        if isinstance(hi, (ir.AffineSymbolExpr, ir.AffineDimExpr)) and \
                len(loop.operands) == 1 and upper.n_inputs == 1:
            return lo.value, loop.operands[0]
        return None
    if len(loop.operands) != 3:
        return None
    low, step = _constant(loop.operands[0]), _constant(loop.operands[2])
    high: Bound | None = _constant(loop.operands[1])
    if low is None or step != 1:
        return None
    return low, loop.operands[1] if high is None else high


def _constant(value: ir.Value) -> int | None:
    op = _defining(value)
    if op is None or op.name != "arith.constant":
        return None
    attr = op.attributes["value"]
    return ir.IntegerAttr(attr).value if isinstance(attr, ir.IntegerAttr) or \
        ir.IntegerAttr.isinstance(attr) else None


def _stages(loop: ir.Operation, functions: dict[str, ir.Operation]) -> list[Stage] | None:
    if _bounds(loop) is None or len(loop.results):
        return None
    body = loop.regions[0].blocks[0]
    if len(body.arguments) != 1:
        return None
    stages = []
    for op in (o.operation for o in body.operations):
        if op.name not in _BODY_OPS:
            return None
        if op.name != "func.call":
            continue
        callee = functions.get(ir.FlatSymbolRefAttr(op.attributes["callee"]).value)
        written = _row_updates(callee) if callee is not None else None
        stage = _stage(op, written) if written is not None else None
        if stage is None:
            return None
        stages.append(stage)
    return stages if stages else None


def _stage(call: ir.Operation, written: set[int]) -> Stage | None:
    """The call's accesses, or None if a view is not a box of a buffer at a static row
    offset (rank-0 views, read only, may depend on the loop index)."""
    accesses, row_bytes, rows, singles = [], {}, set(), set()
    for position, value in enumerate(call.operands):
        shaped = value.type.maybe_downcast()
        if not isinstance(shaped, ir.MemRefType):
            return None
        traced = _trace(value)
        if traced is None:
            return None
        if shaped.rank == 0:
            if position in written:
                return None
            accesses.append(Access(traced.buffer, None, False))
            continue
        if traced.depends or traced.offset is None or traced.height is None:
            return None
        rows.add(traced.height)
        singles.add(traced.single)
        accesses.append(Access(traced.buffer, traced.offset, position in written))
        row_bytes[traced.buffer] = _row_bytes(traced.buffer)
    if len(rows) != 1 or len(singles) != 1:
        return None  # views of different heights, or rows mixed with whole boxes
    return Stage(call, rows.pop(), accesses, row_bytes, whole=singles.pop())


@dataclass(frozen=True)
class _Traced:
    buffer: ir.Value
    offset: int | None  # the view's first row in the buffer (None: not static)
    depends: bool  # the view moves with a loop index
    height: int | None  # its static number of rows
    single: bool  # one row of the buffer with that dim dropped (a rank-reduced view)


def _trace(value: ir.Value) -> _Traced | None:
    """Follow casts and unit-stride subviews that keep every dim, or drop only the first
    (a single row), to the buffer; None through anything else."""
    offset: int | None = 0
    depends = single = False
    height: int | None = None
    while True:
        shaped = ir.MemRefType(value.type)
        if height is None and shaped.rank and not shaped.is_dynamic_dim(0):
            height = shaped.shape[0]
        op = _defining(value)
        if op is None or op.name == "memref.alloc":
            return _Traced(value, offset, depends, height, single)
        if op.name == "memref.cast":
            value = op.operands[0]
            continue
        if op.name != "memref.subview":
            return None
        source = op.operands[0]
        result = ir.MemRefType(op.results[0].type)
        source_type = ir.MemRefType(source.type)
        strides = list(ir.DenseI64ArrayAttr(op.attributes["static_strides"]))
        offsets = list(ir.DenseI64ArrayAttr(op.attributes["static_offsets"]))
        if any(s != 1 for s in strides):
            return None
        if result.rank and result.rank != source_type.rank:
            if not _drops_first_dim(op, result.rank):
                return None  # a rank-reduced view whose first dim may not be the buffer's
            height = 1
            single = True
            result = source_type  # the row offset below is the dropped dim's
        if len(op.operands) > 1:
            depends = True
        if result.rank:
            offset = None if offset is None or offsets[0] == DYNAMIC_OFFSET else \
                offset + offsets[0]
        value = source


DYNAMIC_OFFSET = ir.ShapedType.get_dynamic_stride_or_offset()


def _drops_first_dim(op: ir.Operation, rank: int) -> bool:
    """A subview that drops exactly its source's first dim (size 1) and no other (every
    other size is not 1, so which dim went is not in doubt)."""
    sizes = list(ir.DenseI64ArrayAttr(op.attributes["static_sizes"]))
    return len(sizes) == rank + 1 and sizes[0] == 1 and all(n != 1 for n in sizes[1:])


def _row_bytes(buffer: ir.Value) -> int:
    shaped = ir.MemRefType(buffer.type)
    elem = shaped.element_type.maybe_downcast()
    bits = elem.width if isinstance(elem, (ir.FloatType, ir.IntegerType)) else 64
    size = max(bits // 8, 1)
    for extent in shaped.shape[1:]:
        size *= extent if extent >= 0 else 1024
    return size


def _row_updates(callee: ir.Operation) -> set[int] | None:
    """The arguments a callee writes if it only updates its arguments elementwise over
    their first dim (see the module docstring); None otherwise."""
    if not callee.regions[0].blocks:
        return None
    body = callee.regions[0].blocks[0]
    args = list(body.arguments)
    written: set[int] = set()
    for op in (o.operation for o in body.operations):
        if op.name.startswith(_SCALAR_PREFIXES) and op.name != "arith.constant":
            if any(isinstance(r.type, ir.ShapedType) for r in op.results):
                return None
            continue
        if op.name == "memref.subview":
            if not _zero_row_offset(op, args):
                return None
            continue
        if op.name == "memref.load":
            if ir.MemRefType(op.operands[0].type).rank:
                return None
            continue
        if op.name in _CALLEE_OPS:
            continue
        if op.name == "memref.copy":  # a whole-view copy (bufferization's, of a plain update)
            arg = _argument(op.operands[1], args)
            if arg is None:
                return None
            written.add(arg)
            continue
        if op.name != "linalg.generic" or not _rowwise(op):
            return None
        for value in _outputs(op):
            arg = _argument(value, args)
            if arg is None:
                return None
            written.add(arg)
    return written


def _zero_row_offset(op: ir.Operation, args: list[ir.Value]) -> bool:
    """A view of all rows of an argument: offset 0, unit strides, every dim kept, and as
    many rows as an argument has (`memref.dim %arg, 0`), so it is cut with the call's."""
    offsets = list(ir.DenseI64ArrayAttr(op.attributes["static_offsets"]))
    sizes = list(ir.DenseI64ArrayAttr(op.attributes["static_sizes"]))
    strides = list(ir.DenseI64ArrayAttr(op.attributes["static_strides"]))
    result = ir.MemRefType(op.results[0].type)
    source = ir.MemRefType(op.operands[0].type)
    if not (offsets and offsets[0] == 0 and all(s == 1 for s in strides) and
            result.rank == source.rank and sizes[0] == DYNAMIC_SIZE):
        return False
    segments = list(ir.DenseI32ArrayAttr(op.attributes["operandSegmentSizes"]))
    first_size = op.operands[segments[0] + segments[1]]
    dim = _defining(first_size)
    return dim is not None and dim.name == "memref.dim" and \
        _constant(dim.operands[1]) == 0 and _argument(dim.operands[0], args) is not None


def _outputs(op: ir.Operation) -> list[ir.Value]:
    sizes = list(ir.DenseI32ArrayAttr(op.attributes["operandSegmentSizes"]))
    return list(op.operands)[sizes[0]:]


def _rowwise(op: ir.Operation) -> bool:
    """All loops parallel and every operand of rank >= 1 indexed by loop 0 in its dim 0."""
    iterators = [str(a) for a in ir.ArrayAttr(op.attributes["iterator_types"])]
    if not iterators or any("parallel" not in it for it in iterators):
        return False
    for attr in ir.ArrayAttr(op.attributes["indexing_maps"]):
        results = ir.AffineMapAttr(attr).value.results
        if not results:
            continue
        first = results[0].maybe_downcast()
        if not isinstance(first, ir.AffineDimExpr) or first.position != 0:
            return False
        if any(isinstance(e.maybe_downcast(), ir.AffineDimExpr) and
               e.maybe_downcast().position == 0 for e in list(results)[1:]):
            return False
    return True


def _argument(value: ir.Value, args: list[ir.Value]) -> int | None:
    """Which argument `value` is a zero-offset view of."""
    while True:
        for index, arg in enumerate(args):
            if value == arg:
                return index
        op = _defining(value)
        if op is None or op.name not in ("memref.subview", "memref.cast"):
            return None
        value = op.operands[0]


# --- the lags --------------------------------------------------------------------------------

class Unordered(Exception):
    """Two calls conflict through a view without a row offset: no lag orders them."""


def _gap(first: Stage, second: Stage) -> int | None:
    """The least L(second) - L(first) that keeps every dependence from `first` to a later
    `second` between strips in order (None: they share no written buffer). First at box row
    r touches buffer row r + a, second at r' touches r' + a': the same row when
    r = r' + a' - a, which must not be in a later strip: L2 >= L1 + a' - a."""
    gap = None
    for one in first.accesses:
        for two in second.accesses:
            if one.buffer != two.buffer or not (one.writes or two.writes):
                continue
            if one.offset is None or two.offset is None:
                raise Unordered
            need = two.offset - one.offset
            gap = need if gap is None else max(gap, need)
    return gap


def _plan(stages: list[Stage], budget: int) -> Plan | None:
    count = len(stages)
    try:
        gaps = [[_gap(stages[i], stages[j]) for j in range(count)] for i in range(count)]
    except Unordered:
        return None
    pairs = [(i, j, gap) for i in range(count) for j in range(count)
             if (gap := gaps[i][j]) is not None]
    lags = [0] * count
    for i, j, gap in sorted((p for p in pairs if p[0] < p[1]), key=lambda p: p[1]):
        lags[j] = max(lags[j], lags[i] + gap)
    # The next step's calls all come after every call of this one.
    period = max([0] + [lags[i] + gap - lags[j] for i, j, gap in pairs])
    row_bytes: dict[ir.Value, int] = {}
    for stage in stages:
        row_bytes.update(stage.row_bytes)
    per_row = max(sum(row_bytes.values()), 1)
    rows = max(stage.rows for stage in stages)
    if rows * per_row <= budget:
        return None  # every array stays in cache already: nothing to gain
    least = max(MIN_STRIP_ROWS, -(-MIN_STRIP_BYTES // per_row))
    for steps in range(MAX_STEPS, 0, -1):
        span = (steps - 1) * period + max(lags) + 2
        strip = budget // per_row - span
        if strip >= least:
            if steps == 1 and count == 1:
                return None  # one sweep per step: nothing to reuse
            return Plan(tuple(lags), period, steps, strip)
    return None


# --- the rewrite -------------------------------------------------------------------------

def _index(value: Bound, ip: ir.InsertionPoint) -> ir.Value:
    if isinstance(value, int):
        return arith.ConstantOp(ir.IndexType.get(), value, ip=ip).result
    return value


def _rewrite(loop: ir.Operation, stages: list[Stage], plan: Plan) -> None:
    bounds = _bounds(loop)
    assert bounds is not None
    low, high = bounds
    ip = ir.InsertionPoint(loop)
    steps_loop = scf.ForOp(_index(low, ip), _index(high, ip), _index(plan.steps, ip), ip=ip)
    with ir.InsertionPoint(steps_loop.body):
        scf.YieldOp([])
    inner = ir.InsertionPoint(_first(steps_loop.body))
    start = steps_loop.induction_variable
    left = arith.SubIOp(_index(high, inner), start, ip=inner).result
    steps = arith.MinSIOp(left, _index(plan.steps, inner), ip=inner).result
    span = (plan.steps - 1) * plan.period + max(plan.lags)
    rows = max(stage.rows for stage in stages)
    strips = (rows + span + plan.strip - 1) // plan.strip
    strip_loop = scf.ForOp(_index(0, inner), _index(strips, inner), _index(1, inner), ip=inner)
    with ir.InsertionPoint(strip_loop.body):
        scf.YieldOp([])
    here = ir.InsertionPoint(_first(strip_loop.body))
    step_loop = scf.ForOp(_index(0, here), steps, _index(1, here), ip=here)
    with ir.InsertionPoint(step_loop.body):
        yield_op = scf.YieldOp([])
    body = ir.InsertionPoint(yield_op)
    time = arith.AddIOp(start, step_loop.induction_variable, ip=body).result
    top = arith.MulIOp(strip_loop.induction_variable, _index(plan.strip, body), ip=body).result
    shift = arith.MulIOp(step_loop.induction_variable, _index(plan.period, body),
                         ip=body).result
    old_body = loop.regions[0].blocks[0]
    old_index = old_body.arguments[0]
    for op in [o.operation for o in old_body.operations]:
        if op.name in ("affine.yield", "scf.yield"):
            continue
        op.move_before(yield_op)
    old_index.replace_all_uses_with(time)
    for stage, lag in zip(stages, plan.lags):
        _strip_call(stage, top, shift, lag, plan.strip)
    loop.erase()


def _first(block: ir.Block) -> ir.Operation:
    return next(iter(block.operations)).operation


def _strip_call(stage: Stage, top: ir.Value, shift: ir.Value, lag: int, strip: int) -> None:
    """Replace the call by one on box rows [top - shift - lag, ... + strip) ∩ [0, rows),
    skipped when empty."""
    call = stage.call
    ip = ir.InsertionPoint(call)
    begin = arith.SubIOp(arith.SubIOp(top, shift, ip=ip).result, _index(lag, ip), ip=ip).result
    end = arith.AddIOp(begin, _index(strip, ip), ip=ip).result
    lo = arith.MaxSIOp(begin, _index(0, ip), ip=ip).result
    hi = arith.MinSIOp(end, _index(stage.rows, ip), ip=ip).result
    nonempty = arith.CmpIOp(arith.CmpIPredicate.slt, lo, hi, ip=ip).result
    guard = scf.IfOp(nonempty, ip=ip)
    with ir.InsertionPoint(guard.then_block):
        count = arith.SubIOp(hi, lo).result
        operands = list(call.operands) if stage.whole else \
            [_rows(value, lo, count) for value in call.operands]
        func.CallOp([], ir.FlatSymbolRefAttr(call.attributes["callee"]).value, operands)
        scf.YieldOp([])
    call.erase()


def _rows(value: ir.Value, lo: ir.Value, count: ir.Value) -> ir.Value:
    """Rows [lo, lo + count) of a view (rank-0 views as they are), as its own type."""
    shaped = ir.MemRefType(value.type)
    if shaped.rank == 0:
        return value
    rank = shaped.rank
    sizes = [memref.DimOp(value, arith.ConstantOp(ir.IndexType.get(), d).result).result
             for d in range(1, rank) if shaped.is_dynamic_dim(d)]
    static_sizes = [DYNAMIC_SIZE] + list(shaped.shape[1:])
    strides, _ = shaped.get_strides_and_offset()
    layout = ir.StridedLayoutAttr.get(DYNAMIC_OFFSET, strides)
    result = ir.MemRefType.get(static_sizes, shaped.element_type, layout=layout)
    view = memref.SubViewOp(result, value, [lo], [count] + sizes, [],
                            [DYNAMIC_OFFSET] + [0] * (rank - 1), static_sizes,
                            [1] * rank).result
    return memref.CastOp(value.type, view).result if result != value.type else view


DYNAMIC_SIZE = ir.ShapedType.get_dynamic_size()


def enabled() -> bool:
    """Off with BUDDY_NO_TIME_TILING=1 (A/B runs)."""
    return os.environ.get("BUDDY_NO_TIME_TILING") != "1"

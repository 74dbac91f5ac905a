"""Symmetric products computed once per pair: C = A^T A (or A A^T) as row blocks of its upper
triangle, the lower triangle mirrored from them.

A reduction C[p, q] = init + sum_k f(X[.. p ..], X[.. q ..]) whose two inputs are the same
tensor read through maps that swap p and q, combined by a commutative op, with a symmetric
init (a fill), has C[p, q] = C[q, p]. Row block [r0, r1) then computes only columns
[r0, N): about half the multiply-adds of the whole product (a scatter matrix, a Gram
matrix, a symmetric rank-k update's A A^T). Each block is a static op the usual schedule
tiles; one elementwise op then reads every lower element from its mirror image. The
decision uses only indexing maps, operands and the body's op kinds.
"""

from __future__ import annotations

from torch_mlir import ir
from torch_mlir.dialects import arith, tensor

from lowering import prepare
from lowering.schedule import Profile, analyse

# Combining ops whose two operands may be swapped.
_COMMUTATIVE = frozenset({"arith.mulf", "arith.muli", "arith.addf", "arith.addi",
                          "arith.maximumf", "arith.minimumf", "arith.maxnumf",
                          "arith.minnumf", "arith.maxsi", "arith.minsi"})
# Row blocks a product is cut into: n blocks compute (n + 1) / 2n of the whole product, and
# each is a whole number of cache tiles tall. Below _MIN_EXTENT rows the product is left
# whole (blocks that small gain less than their extra loops cost).
_BLOCKS = 8
_MIN_EXTENT = 256


def _commutative_inputs(op: ir.Operation) -> bool:
    """The two input block arguments are used once each, as the two operands of one
    commutative op: swapping them leaves the body's value unchanged."""
    args = list(op.regions[0].blocks[0].arguments)[:2]
    users = []
    for arg in args:
        uses = list(arg.uses)
        if len(uses) != 1:
            return False
        users.append(uses[0].owner)
    user = users[0]
    return users[0] == users[1] and user.name in _COMMUTATIVE and \
        len(user.operands) == 2 and {user.operands[0], user.operands[1]} == set(args)


def symmetric_dims(op: ir.Operation) -> tuple[int, int] | None:
    """(p, q), the output's row and column dims, if the op's result is symmetric."""
    shape = analyse(op)
    if shape is None or shape.dynamic or len(shape.inputs) != 2 or \
            len(shape.output) != 2 or not shape.reduction_dims:
        return None
    if op.operands[0] != op.operands[1] or \
            prepare.filled_value(prepare.defining_op(op.operands[2])) is None:
        return None  # not one operand twice, or an init that is not one scalar everywhere
    p, q = shape.output
    if p is None or q is None or shape.extents[p] != shape.extents[q]:
        return None
    if any(shape.reduction[d] for d in (p, q)) or \
            len(shape.reduction_dims) + 2 != len(shape.extents):
        return None
    (first, _), (second, _) = shape.inputs  # permutations: analyse refuses anything else
    swap = {p: q, q: p}
    if tuple(swap.get(d, d) for d in first) != second:  # type: ignore[arg-type]
        return None
    return (p, q) if _commutative_inputs(op) else None


def _block_rows(extent: int, profile: Profile) -> int:
    unit = profile.cache[0] or profile.reg_rows
    rows = -(-extent // _BLOCKS)
    return -(-rows // unit) * unit


def _slice(value: ir.Value, offsets: list[int], sizes: list[int],
           ip: ir.InsertionPoint) -> ir.Value:
    source = ir.RankedTensorType(value.type)
    kind = ir.RankedTensorType.get(sizes, source.element_type)
    return tensor.ExtractSliceOp(kind, value, [], [], [], offsets, sizes,
                                 [1] * len(sizes), ip=ip).result


def _insert(value: ir.Value, dest: ir.Value, offsets: list[int],
            ip: ir.InsertionPoint) -> ir.Value:
    sizes = list(ir.RankedTensorType(value.type).shape)
    return tensor.InsertSliceOp(value, dest, [], [], [], offsets, sizes, [1] * len(sizes),
                                ip=ip).result


def _operand_slice(value: ir.Value, dims: list[int | None],
                   ranges: dict[int, tuple[int, int]],
                   ip: ir.InsertionPoint) -> ir.Value:
    shape = list(ir.RankedTensorType(value.type).shape)
    offsets = [ranges[d][0] if d in ranges else 0 for d in dims]
    sizes = [ranges[d][1] if d in ranges else shape[i] for i, d in enumerate(dims)]
    return _slice(value, offsets, sizes, ip)


def _block_op(op: ir.Operation, operands: list[ir.Value], result: ir.Type,
              ip: ir.InsertionPoint) -> ir.Value:
    """A copy of `op` (same maps and body) on `operands`, producing `result`."""
    attributes = {name: op.attributes[name] for name in op.attributes}
    new = ir.Operation.create("linalg.generic", results=[result], operands=operands,
                              attributes=attributes, regions=1, ip=ip)
    twin = op.clone(ip)
    twin.regions[0].blocks[0].append_to(new.regions[0])
    twin.erase()
    return new.results[0]


def _mirrored(upper: ir.Value, ip: ir.InsertionPoint) -> ir.Value:
    """C[i, j] = U[i, j] if i <= j else U[j, i]."""
    kind = ir.RankedTensorType(upper.type)
    empty = tensor.EmptyOp(list(kind.shape), kind.element_type, ip=ip).result
    same = ir.AffineMap.get_permutation([0, 1])
    swapped = ir.AffineMap.get_permutation([1, 0])
    parallel = ir.Attribute.parse("#linalg.iterator_type<parallel>")
    attributes = {
        "indexing_maps": ir.ArrayAttr.get([ir.AffineMapAttr.get(m)
                                           for m in (same, swapped, same)]),
        "iterator_types": ir.ArrayAttr.get([parallel, parallel]),
        "operandSegmentSizes": ir.DenseI32ArrayAttr.get([2, 1]),
    }
    op = ir.Operation.create("linalg.generic", results=[kind], operands=[upper, upper, empty],
                             attributes=attributes, regions=1, ip=ip)
    element = kind.element_type
    block = op.regions[0].blocks.append(element, element, element)
    with ir.InsertionPoint(block):
        index = ir.IndexType.get()
        row = ir.Operation.create("linalg.index", results=[index],
                                  attributes={"dim": _i64(0)}).results[0]
        col = ir.Operation.create("linalg.index", results=[index],
                                  attributes={"dim": _i64(1)}).results[0]
        upper_half = arith.CmpIOp(arith.CmpIPredicate.ule, row, col).result
        picked = arith.SelectOp(upper_half, block.arguments[0], block.arguments[1]).result
        ir.Operation.create("linalg.yield", operands=[picked])
    return op.results[0]


def _i64(value: int) -> ir.Attribute:
    return ir.IntegerAttr.get(ir.IntegerType.get_signless(64), value)


def split_symmetric(func: ir.Operation, profile: Profile) -> int:
    """Rewrite every symmetric product of `func` into triangle blocks; returns how many."""
    count = 0
    for op in prepare.block_ops(func):
        if op.name != "linalg.generic" or len(op.results) != 1:
            continue
        found = symmetric_dims(op)
        if found is None:
            continue
        p, q = found
        n = ir.RankedTensorType(op.results[0].type).shape[0]
        rows = _block_rows(n, profile)
        if n < _MIN_EXTENT or rows >= n:
            continue
        # A contraction that wants an input transposed gets it once, before the blocks.
        prepare.transpose_input(op)
        _rewrite(op, p, q, n, rows)
        count += 1
    return count


def _rewrite(op: ir.Operation, p: int, q: int, n: int, rows: int) -> None:
    ip = ir.InsertionPoint(op)
    shape = analyse(op)  # again: an input may have been transposed since
    assert shape is not None
    maps = [list(dims) for dims, _ in shape.inputs]
    acc = op.operands[2]
    for r0 in range(0, n, rows):
        r1 = min(r0 + rows, n)
        ranges = {p: (r0, r1 - r0), q: (r0, n - r0)}
        ins = [_operand_slice(op.operands[i], maps[i], ranges, ip) for i in range(2)]
        init = _slice(acc, [r0, r0], [r1 - r0, n - r0], ip)
        block = _block_op(op, ins + [init], init.type, ip)
        acc = _insert(block, acc, [r0, r0], ip)
    # One elementwise op then reads each lower element from its mirror image: writing the
    # mirror into the blocks' own buffer would need copies (bufferization cannot tell the
    # slices apart), and views of that buffer would keep its accumulators in memory.
    acc = _mirrored(acc, ip)
    op.results[0].replace_all_uses_with(acc)
    op.erase()

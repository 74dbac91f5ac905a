"""Local buffers as arguments: the analysis view of a function whose loops fill a local.

C code keeps accumulators and temporaries in locals (`double s` becomes a `memref.alloca()
: memref<f64>`) whose value leaves the loop: it is returned, stored into an output, or read
by a later loop. The analysis sees each static top-level local buffer of a function as one
more trailing argument, so a loop nest writing it is an ordinary problem with that buffer
as an output; the raised code then writes the buffer itself (it is defined before the nest)
and whatever reads it afterwards stays as it was. The function's signature in the output
never changes: only the analysis copy has the extra arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch_mlir import ir

from core import mlir_env

ALLOCS = ("memref.alloca", "memref.alloc")


def local_buffers(func: ir.Operation) -> list[ir.Operation]:
    """The function's promotable locals, in order: top-level allocations of a static shape
    (no dynamic sizes, no alignment-only variants)."""
    block = func.regions[0].blocks[0]
    found = []
    for op in block.operations:
        if op.operation.name not in ALLOCS or len(op.operation.operands):
            continue
        mtype = ir.MemRefType(op.operation.results[0].type)
        if mtype.has_static_shape and str(mtype.layout) == \
                str(ir.AffineMapAttr.get(ir.AffineMap.get_identity(mtype.rank))):
            found.append(op.operation)
    return found


@dataclass(frozen=True)
class ViewLayout:
    """How a function's analysis copy extends its arguments: [0, params) the parameters,
    [params, results) its local buffers, [results, ...) one 0-d buffer per scalar result
    (the value `func.return` hands back), in result order (`result_slots`)."""

    params: int
    results: int
    result_slots: tuple[int, ...] = ()  # the positions of the scalar results among results


def promote_locals(text: str) -> tuple[str, dict[str, ViewLayout]]:
    """The module with every function's local buffers, and a buffer per scalar result,
    turned into trailing arguments (the returned scalars are stored there before the
    return), and each changed function's layout."""
    module = mlir_env.parse_module(text)
    layouts: dict[str, ViewLayout] = {}
    with module.context, ir.Location.unknown():
        called = callees(module.operation)
        for op in module.body.operations:
            if op.operation.name != "func.func" or not op.regions[0].blocks:
                continue
            func = op.operation
            if ir.StringAttr(func.attributes["sym_name"]).value in called:
                continue  # its callers pass the arguments it has
            buffers = local_buffers(func)
            ftype = ir.FunctionType(ir.TypeAttr(func.attributes["function_type"]).value)
            scalars = [k for k, t in enumerate(ftype.results) if not isinstance(t, ir.MemRefType)]
            if not buffers and not scalars:
                continue
            block = func.regions[0].blocks[0]
            for alloc in buffers:
                value = alloc.results[0]
                arg = block.add_argument(value.type, alloc.location)
                for use in list(value.uses):  # the analysis copy frees nothing it was given
                    if use.owner.name == "memref.dealloc":
                        use.owner.erase()
                # The allocation stays, unused, so top-level op positions match the
                # function the output is spliced into.
                value.replace_all_uses_with(arg)
            kept = _store_scalar_results(block, scalars)
            name = ir.StringAttr(func.attributes["sym_name"]).value
            layouts[name] = ViewLayout(len(ftype.inputs), len(ftype.inputs) + len(buffers),
                                       tuple(scalars))
            inputs = [a.type for a in block.arguments]
            func.attributes["function_type"] = ir.TypeAttr.get(
                ir.FunctionType.get(inputs, [ftype.results[k] for k in kept]))
        return str(module), layouts


def _store_scalar_results(block: ir.Block, scalars: list[int]) -> list[int]:
    """Each scalar operand of the block's return is stored into a new trailing 0-d buffer
    and dropped from the return; the indices of the results the return keeps."""
    ret = list(block.operations)[-1]
    operands = list(ret.operation.operands)
    kept = [k for k in range(len(operands)) if k not in scalars]
    if not scalars:
        return kept
    with ir.InsertionPoint(ret), ret.location:
        for k in scalars:
            value = operands[k]
            buffer = block.add_argument(ir.MemRefType.get([], value.type), ret.location)
            ir.Operation.create("memref.store", operands=[value, buffer])
        ir.Operation.create("func.return", operands=[operands[k] for k in kept])
    ret.operation.erase()
    return kept


def callees(op: ir.Operation) -> set[str]:
    """Symbols called by func.call ops nested in `op`."""
    names: set[str] = set()
    for region in op.regions:
        for block in region.blocks:
            for inner in block.operations:
                if inner.operation.name == "func.call":
                    names.add(ir.FlatSymbolRefAttr(inner.attributes["callee"]).value)
                names |= callees(inner.operation)
    return names

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

from torch_mlir import ir

from raising import mlir_env

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


def promote_locals(text: str) -> tuple[str, dict[str, int]]:
    """The module with every function's local buffers turned into trailing arguments, and
    each changed function's count of real parameters."""
    module = mlir_env.parse_module(text)
    params: dict[str, int] = {}
    with module.context, ir.Location.unknown():
        for op in module.body.operations:
            if op.operation.name != "func.func" or not op.regions[0].blocks:
                continue
            func = op.operation
            buffers = local_buffers(func)
            if not buffers:
                continue
            block = func.regions[0].blocks[0]
            ftype = ir.FunctionType(ir.TypeAttr(func.attributes["function_type"]).value)
            params[ir.StringAttr(func.attributes["sym_name"]).value] = len(ftype.inputs)
            for alloc in buffers:
                value = alloc.results[0]
                arg = block.add_argument(value.type, alloc.location)
                for use in list(value.uses):  # the analysis copy frees nothing it was given
                    if use.owner.name == "memref.dealloc":
                        use.owner.erase()
                # The allocation stays, unused, so top-level op positions match the
                # function the output is spliced into.
                value.replace_all_uses_with(arg)
            inputs = [a.type for a in block.arguments]
            func.attributes["function_type"] = ir.TypeAttr.get(
                ir.FunctionType.get(inputs, list(ftype.results)))
        return str(module), params

"""Lowering to LLVM IR for native runs: the baseline and the raised pipeline.

- Baseline: the original affine kernel straight to the LLVM dialect (clang -O3 does the
  rest), i.e. what a C compilation flow gives.
- Raised: stablehlo -> linalg, elementwise fusion, bufferization into the argument memrefs,
  then a transform-dialect schedule chosen per linalg op from its loop structure:
  contractions and reductions whose streamed operand is contiguous along a parallel dim get
  cache tiling and an (rows x vector) register tile with the accumulator held in registers,
  vector.contract lowered through outer products to FMAs; reductions along the contiguous
  dim get row blocks with vector partial sums; elementwise ops are vectorized along the
  innermost dim. Every op is first split at static points so each piece tiles exactly (no
  masks, no dynamic shapes).

Pass pipelines and transform-op spellings live in raising.mlir_env.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from torch_mlir import ir
from torch_mlir.dialects import llvm as llvm_dialect
from torch_mlir.dialects.transform import interpreter

from checkers.execute import ArgType, parse_arg_type
from raising import mlir_env

TAG = "buddy.lower_id"
VARIANTS = ("baseline", "raised")


class LoweringError(RuntimeError):
    """A module could not be lowered to LLVM IR."""


@dataclass(frozen=True)
class Profile:
    """Tile sizes for one target, in f64 elements."""

    arch: str
    reg_rows: int  # rows of the register tile of a contraction (accumulators per column)
    reg_cols: int  # vector width of the register tile
    cache: tuple[int, int, int]  # rows, columns, reduction of a cache tile
    dot_rows: int  # rows reduced together when the reduction dim is the contiguous one
    dot_cols: int
    elementwise: int  # vector width of elementwise ops


PROFILES: dict[str, Profile] = {
    # AVX-512: 8 x 16 f64 accumulators = 16 zmm registers, 2 more for the B row.
    "x86_64": Profile("x86_64", reg_rows=8, reg_cols=16, cache=(64, 256, 256),
                      dot_rows=4, dot_cols=16, elementwise=16),
    "riscv64": Profile("riscv64", reg_rows=8, reg_cols=8, cache=(64, 256, 256),
                       dot_rows=4, dot_cols=8, elementwise=8),
}


# --- small helpers over the MLIR bindings ---------------------------------------------------

def _walk(op: ir.Operation) -> Iterator[ir.Operation]:
    for region in op.regions:
        for block in region.blocks:
            for child in block.operations:
                yield child.operation
                yield from _walk(child.operation)


def _functions(module: ir.Module) -> list[ir.Operation]:
    return [op.operation for op in module.body.operations if op.operation.name == "func.func"]


def _func_name(func: ir.Operation) -> str:
    return ir.StringAttr(func.attributes["sym_name"]).value


def signature(text: str, func_name: str) -> list[ArgType]:
    """Argument types of `func_name` in `text`."""
    module = mlir_env.parse_module(text)
    for func in _functions(module):
        if _func_name(func) != func_name:
            continue
        ftype = ir.FunctionType(ir.TypeAttr(func.attributes["function_type"]).value)
        return [parse_arg_type(str(t)) for t in ftype.inputs]
    raise LoweringError(f"no function @{func_name}")


def _first_non_llvm(module: ir.Module) -> str | None:
    """Name of an op that is not in the LLVM dialect (translation would crash on it)."""
    for op in _walk(module.operation):
        if not op.name.startswith("llvm."):
            return op.name
    return None


def to_llvm_ir(module: ir.Module) -> str:
    """Translate an LLVM-dialect module to LLVM IR text."""
    leftover = _first_non_llvm(module)
    if leftover:
        raise LoweringError(f"lowering left an unconverted op: {leftover}")
    return str(llvm_dialect.translate_module_to_llvmir(module.operation))


def _emit_c_interface(module: ir.Module) -> None:
    """Give every public function a `_mlir_ciface_` wrapper (memref descriptors by pointer)."""
    for func in _functions(module):
        visibility = func.attributes.get("sym_visibility", None)
        if visibility is None or ir.StringAttr(visibility).value == "public":
            func.attributes["llvm.emit_c_interface"] = ir.UnitAttr.get()


def _run(module: ir.Module, pipeline: str, what: str) -> None:
    try:
        mlir_env.run_pipeline(module, pipeline)
    except ir.MLIRError as err:
        raise LoweringError(f"{what}: {err}") from err


# --- writing final results in place ---------------------------------------------------------
# Upstream empty-tensor elimination trusts `to_tensor ... restrict`, which raised code uses on
# the same memref more than once; it then lets an intermediate share the destination buffer
# too early. This narrower rewrite lets the chain of ops producing a stored result (e.g. fill
# then matmul, or one elementwise op) write the destination memref directly, only when every
# read of that memref's old contents happens before the chain starts, or is the first op's
# own elementwise read of the element it overwrites.

def _defining_op(value: ir.Value) -> ir.Operation | None:
    owner = value.owner
    return owner.operation if isinstance(owner, (ir.Operation, ir.OpView)) else None


def _is_all_parallel(op: ir.Operation) -> bool:
    return all("parallel" in str(a) for a in ir.ArrayAttr(op.attributes["iterator_types"]))


def _operand_map(op: ir.Operation, index: int) -> str:
    return str(ir.ArrayAttr(op.attributes["indexing_maps"])[index])


def _single_use(value: ir.Value) -> bool:
    return len(list(value.uses)) == 1


def _result_chain(source: ir.Value) -> tuple[list[ir.Operation], ir.Operation] | None:
    """The linalg.generic ops that successively update `source`'s init, first to last, and
    the tensor.empty they start from; None if anything else sees the intermediate values."""
    chain: list[ir.Operation] = []
    value = source
    while True:
        op = _defining_op(value)
        if op is None or not _single_use(value):
            return None
        if op.name == "tensor.empty":
            return (chain, op) if chain else None
        if op.name != "linalg.generic" or len(op.results) != 1:
            return None
        chain.insert(0, op)
        value = op.operands[len(op.operands) - 1]


def _reads_before(first: ir.Operation, dest: ir.Value, block_ops: list[ir.Operation]) -> bool:
    out_map = _operand_map(first, len(first.operands) - 1)
    for op in block_ops:
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


def _write_in_place(func: ir.Operation) -> None:
    block_ops = [op.operation for op in func.regions[0].blocks[0].operations]
    for store in block_ops:
        if store.name != "bufferization.materialize_in_destination":
            continue
        source, dest = store.operands[0], store.operands[1]
        found = _result_chain(source)
        if found is None or not _reads_before(found[0][0], dest, block_ops):
            continue
        chain, empty = found
        init = empty.results[0]
        view = ir.Operation.create(
            "bufferization.to_tensor", results=[init.type], operands=[dest],
            attributes={"restrict": ir.UnitAttr.get(), "writable": ir.UnitAttr.get()},
            ip=ir.InsertionPoint(chain[0]))
        init.replace_all_uses_with(view.results[0])
        empty.erase()


# --- what a linalg op looks like -----------------------------------------------------------

@dataclass(frozen=True)
class OpShape:
    """The loop structure of one linalg op: extents, iterator kinds, operand access dims."""

    extents: tuple[int, ...]
    reduction: tuple[bool, ...]
    inputs: tuple[tuple[tuple[int | None, ...], int], ...]  # (dims of each map result, size)
    output: tuple[int | None, ...]

    @property
    def parallel_dims(self) -> list[int]:
        return [d for d, r in enumerate(self.reduction) if not r]

    @property
    def reduction_dims(self) -> list[int]:
        return [d for d, r in enumerate(self.reduction) if r]


def _map_dims(amap: ir.AffineMap) -> tuple[int | None, ...]:
    exprs = [e.maybe_downcast() for e in amap.results]
    return tuple(e.position if isinstance(e, ir.AffineDimExpr) else None for e in exprs)


def _shape_of(value: ir.Value) -> tuple[int, ...] | None:
    shaped = value.type.maybe_downcast()
    if not isinstance(shaped, ir.ShapedType):
        return ()
    if not shaped.has_static_shape:
        return None
    return tuple(shaped.shape)


def analyse(op: ir.Operation) -> OpShape | None:
    """The OpShape of a linalg.generic with static shapes and one output, else None."""
    if op.name != "linalg.generic" or len(op.results) or "indexing_maps" not in op.attributes:
        return None
    maps = [_map_dims(ir.AffineMapAttr(a).value) for a in ir.ArrayAttr(op.attributes["indexing_maps"])]
    iterators = [str(a) for a in ir.ArrayAttr(op.attributes["iterator_types"])]
    n_inputs = len(op.operands) - 1
    if len(maps) != len(op.operands) or n_inputs < 0:
        return None
    extents: dict[int, int] = {}
    sizes = []
    for value, dims in zip(op.operands, maps):
        shape = _shape_of(value)
        if shape is None:
            return None
        sizes.append(_product(shape))
        for dim, extent in zip(dims, shape):
            if dim is not None:
                extents.setdefault(dim, extent)
    if set(extents) != set(range(len(iterators))):
        return None
    inputs = tuple((maps[i], sizes[i]) for i in range(n_inputs))
    return OpShape(tuple(extents[d] for d in range(len(iterators))),
                   tuple("reduction" in it for it in iterators), inputs, maps[-1])


def _product(values: tuple[int, ...]) -> int:
    out = 1
    for v in values:
        out *= v
    return out


# --- choosing tiles ----------------------------------------------------------------------

@dataclass(frozen=True)
class Tiling:
    """Per dim: cache tile (0 = none) and register tile (0 = whole extent); loop order."""

    kind: str  # "outer", "dot" or "elementwise"
    cache: tuple[int, ...]
    reg: tuple[int, ...]
    cache_order: tuple[int, ...]
    reg_order: tuple[int, ...]
    split_dims: tuple[int, ...]  # dims whose extent must divide into the tiles exactly


def _innermost(dims: tuple[int | None, ...]) -> int | None:
    return dims[-1] if dims else None


def choose_tiling(shape: OpShape, profile: Profile) -> Tiling | None:
    """The schedule for one op, from which dim the biggest operand is contiguous along."""
    n = len(shape.extents)
    if n == 0:
        return None
    if not shape.reduction_dims:
        return _elementwise(shape, profile)
    # Vectorize along the output's contiguous dim when some input is contiguous along it
    # too; otherwise along the contiguous dim of the biggest input (then a reduction dim).
    contiguous = {_innermost(dims): size for dims, size in shape.inputs}
    out_inner = _innermost(shape.output)
    if out_inner is not None and out_inner in contiguous:
        return _outer(shape, profile, out_inner)
    streamed = max(shape.inputs, key=lambda item: item[1])[0] if shape.inputs else ()
    vector_dim = _innermost(streamed)
    if vector_dim is None:
        return None
    if shape.reduction[vector_dim]:
        return _dot(shape, profile, vector_dim)
    return _outer(shape, profile, vector_dim)


def _others_first(n: int, inner: list[int]) -> tuple[int, ...]:
    return tuple([d for d in range(n) if d not in inner] + inner)


def _elementwise(shape: OpShape, profile: Profile) -> Tiling | None:
    vector_dim = _innermost(shape.output)
    if vector_dim is None:
        return None
    n = len(shape.extents)
    reg = tuple(profile.elementwise if d == vector_dim else 1 for d in range(n))
    order = tuple(d for d in shape.output if d is not None)
    order = _others_first(n, list(order))
    return Tiling("elementwise", (0,) * n, reg, order, order, (vector_dim,))


def _outer(shape: OpShape, profile: Profile, vector_dim: int) -> Tiling:
    n = len(shape.extents)
    out_dims = [d for d in shape.output if d is not None and d != vector_dim]
    row_dim = out_dims[-1] if out_dims else None
    first_red = shape.reduction_dims[0]
    rows, cols, depth = profile.cache
    cache = [0] * n
    reg = [1] * n
    reg[vector_dim] = profile.reg_cols
    cache[vector_dim] = cols
    cache[first_red] = depth
    split = [vector_dim]
    if row_dim is not None:
        reg[row_dim] = profile.reg_rows
        cache[row_dim] = rows
        split.insert(0, row_dim)
    inner = ([row_dim] if row_dim is not None else []) + [vector_dim]
    reg_order = _others_first(n, [d for d in inner] + shape.reduction_dims)
    reg_order = tuple(d for d in reg_order if not shape.reduction[d]) + \
        tuple(shape.reduction_dims)
    cache_order = _others_first(n, inner)
    return Tiling("outer", tuple(cache), tuple(reg), cache_order, reg_order, tuple(split))


def _dot(shape: OpShape, profile: Profile, vector_dim: int) -> Tiling:
    n = len(shape.extents)
    out_dims = [d for d in shape.output if d is not None]
    row_dim = out_dims[-1] if out_dims else None
    reg = [1] * n
    reg[vector_dim] = profile.dot_cols
    split = [vector_dim]
    if row_dim is not None:
        reg[row_dim] = profile.dot_rows
        split.insert(0, row_dim)
    inner = ([row_dim] if row_dim is not None else []) + \
        [d for d in shape.reduction_dims if d != vector_dim] + [vector_dim]
    order = _others_first(n, inner)
    return Tiling("dot", (0,) * n, tuple(reg), order, order, tuple(split))


@dataclass(frozen=True)
class Segment:
    """A range of one dim with the tiles that divide it exactly (0 = not tiled)."""

    start: int
    size: int
    cache: int
    reg: int


def segments(extent: int, cache: int, reg: int) -> list[Segment]:
    """Cut [0, extent) so each part is a whole number of cache tiles (a multiple of the
    register tile) or of register tiles, plus a remainder smaller than one register tile."""
    reg = min(reg, extent)
    cache = cache if cache > reg else 0
    out: list[Segment] = []
    start = 0
    if cache and extent >= cache:
        size = extent // cache * cache
        out.append(Segment(0, size, cache if size > cache else 0, reg))
        start = size
    rest = extent - start
    size = rest // reg * reg
    if size:
        out.append(Segment(start, size, 0, reg if size > reg else 0))
        start += size
    if extent - start:
        out.append(Segment(start, extent - start, 0, 0))
    return out


# --- writing the schedule ------------------------------------------------------------------

@dataclass
class _Script:
    lines: list[str] = field(default_factory=list)
    counter: int = 0

    def fresh(self) -> str:
        self.counter += 1
        return f"h{self.counter}"

    def add(self, text: str) -> None:
        self.lines.extend(text.splitlines())


def _tile(script: _Script, target: str, sizes: list[int], order: tuple[int, ...]) -> str:
    n_loops = sum(1 for s in sizes if s)
    if not n_loops:
        return target
    out = script.fresh()
    script.add(mlir_env.SCHEDULE_TILE.format(
        out=out, target=target, n_loops=n_loops, sizes=", ".join(map(str, sizes)),
        interchange=", ".join(map(str, order)), loops=", !transform.any_op" * n_loops))
    return out


def _schedule_piece(script: _Script, target: str, tiling: Tiling,
                    cache: list[int], reg: list[int]) -> None:
    tiled = _tile(script, target, cache, tiling.cache_order)
    tiled = _tile(script, tiled, reg, tiling.reg_order)
    script.add(mlir_env.SCHEDULE_VECTORIZE.format(target=tiled))


def _split_and_schedule(script: _Script, target: str, tiling: Tiling, shape: OpShape,
                        dims: tuple[int, ...], cache: list[int], reg: list[int]) -> None:
    if not dims:
        _schedule_piece(script, target, tiling, cache, reg)
        return
    dim, rest = dims[0], dims[1:]
    parts = segments(shape.extents[dim], tiling.cache[dim], tiling.reg[dim])
    handle = target
    for index, part in enumerate(parts):
        piece = handle
        if index + 1 < len(parts):
            out = script.fresh()
            script.add(mlir_env.SCHEDULE_SPLIT.format(out=out, target=handle, chunk=part.size,
                                                      dim=dim))
            piece, handle = f"{out}_lo", f"{out}_hi"
        cache_here, reg_here = list(cache), list(reg)
        cache_here[dim], reg_here[dim] = part.cache, part.reg
        _split_and_schedule(script, piece, tiling, shape, rest, cache_here, reg_here)


def schedule_for(module: ir.Module, profile: Profile) -> str | None:
    """Tag every schedulable linalg op of `module` and return the transform script."""
    script = _Script()
    op_id = 0
    for op in _walk(module.operation):
        shape = analyse(op)
        tiling = choose_tiling(shape, profile) if shape else None
        if shape is None or tiling is None:
            continue
        op.attributes[TAG] = ir.IntegerAttr.get(ir.IntegerType.get_signless(64), op_id)
        handle = script.fresh()
        script.add(mlir_env.SCHEDULE_MATCH.format(out=handle, tag=TAG, op_id=op_id))
        cache = [c if c < e else 0 for c, e in zip(tiling.cache, shape.extents)]
        reg = list(tiling.reg)
        _split_and_schedule(script, handle, tiling, shape, tiling.split_dims, cache, reg)
        op_id += 1
    if not op_id:
        return None
    script.add(mlir_env.SCHEDULE_VECTOR_LOWERING)
    body = "\n".join("    " + line for line in script.lines)
    return mlir_env.SCHEDULE_MODULE.format(body=body)


def _apply_schedule(module: ir.Module, schedule: str) -> None:
    with module.context, ir.Location.unknown():
        try:
            script = ir.Module.parse(schedule)
        except ir.MLIRError as err:
            raise LoweringError(f"schedule does not parse: {err}") from err
        entry = next(op for op in script.body.operations
                     if op.operation.name == "transform.named_sequence")
        try:
            interpreter.apply_named_sequence(module, entry, script)
        except (ValueError, ir.MLIRError) as err:
            raise LoweringError(f"schedule failed: {err}") from err


# --- the two pipelines ---------------------------------------------------------------------

def lower_baseline(text: str) -> ir.Module:
    """The original kernel in the LLVM dialect."""
    module = mlir_env.parse_module(text)
    with module.context:
        _emit_c_interface(module)
    _run(module, mlir_env.BASELINE_TO_LLVM, "baseline lowering")
    return module


def lower_raised(text: str, arch: str = "x86_64", keep_schedule: list[str] | None = None
                 ) -> ir.Module:
    """A raised module (linalg and/or stablehlo) in the LLVM dialect, tiled and vectorized
    for `arch`. `keep_schedule`, if given, receives the transform script."""
    profile = PROFILES[arch]
    module = mlir_env.parse_module(text)
    with module.context:
        _emit_c_interface(module)
    _run(module, mlir_env.RAISED_FUSE, "raised lowering (fusion)")
    with module.context, ir.Location.unknown():
        for func in _functions(module):
            _write_in_place(func)
    _run(module, mlir_env.RAISED_BUFFERIZE, "raised lowering (bufferization)")
    with module.context, ir.Location.unknown():
        schedule = schedule_for(module, profile)
    if schedule:
        if keep_schedule is not None:
            keep_schedule.append(schedule)
        _apply_schedule(module, schedule)
    _run(module, mlir_env.RAISED_FINISH, "raised lowering (finish)")
    return module


def emit_llvm_ir(text: str, variant: str, arch: str = "x86_64") -> str:
    """LLVM IR of `text` lowered as `variant` ("baseline" or "raised") for `arch`."""
    if variant not in VARIANTS:
        raise LoweringError(f"unknown variant {variant!r}")
    module = lower_baseline(text) if variant == "baseline" else lower_raised(text, arch)
    return to_llvm_ir(module)

"""Transform-dialect schedules for the raised pipeline, chosen per linalg op.

Each linalg.generic (on memrefs, after bufferization) is classified from its indexing maps:

- "outer": a reduction whose output is contiguous along a dim some input is contiguous along
  too (matmul, vecmat, A^T A, column sums): an (rows x vector) register tile holds the
  accumulators across the reduction loop; vector.contract becomes outer products, i.e. FMAs.
  Static targets also get cache tiles.
- "dot": a reduction along the contiguous dim of the biggest input (matvec): a few rows at
  a time, vector partial products reduced per row.
- "elementwise": no reduction: vectorized along the output's contiguous dim.

Static profiles (x86_64) first split every op at static points so each piece tiles exactly:
no masks, no dynamic shapes. Scalable profiles (riscv64 RVV) tile the vector dim by
`n * vscale`, peel that loop, vectorize full tiles unmasked and the last one masked.

Only the spellings of the transform ops live in core.mlir_env; this module composes them.

Its length: every op kind's schedule is a transform-dialect text kept next to the others
(one place to upgrade when op names drift).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache

from torch_mlir import ir

from core import mlir_env

TAG = "buddy.lower_id"


@dataclass(frozen=True)
class Profile:
    """Tile sizes for one target, in elements (scalable sizes are multiples of vscale)."""

    arch: str
    scalable: bool
    reg_rows: int  # rows of the register tile of an outer-product reduction
    reg_cols: int  # its vector width
    cache: tuple[int, int, int]  # rows, columns, reduction depth of a cache tile (0 = none)
    dot_rows: int  # rows reduced together along the contiguous dim
    dot_cols: int
    elementwise: int  # vector width of elementwise ops
    # Reductions into a vector with no row dim (y = A^T x, column sums): stream the rows
    # (reduction loop outermost, `stream_cols` wide) instead of keeping the accumulator in
    # registers across a column panel; better for memory, more loads and stores.
    stream_cols: int = 0
    # Side of the square register tile of an elementwise op that reads an input transposed.
    transpose_tile: int = 8
    # Vector width of runtime-sized elementwise ops (a view function's), 0 = the static one.
    runtime_width: int = 0


PROFILES: dict[str, Profile] = {
    # AVX-512: 8 x 16 f64 accumulators in 16 zmm registers, the B row in 2 more.
    # Runtime-sized elementwise ops (stencil sweeps on views) 8 wide: measured faster than
    # 16 on the sweeps of 1-D to 3-D stencils (one tile of 16 per iteration over five to
    # seven input views ran 5-10% slower).
    "x86_64": Profile("x86_64", scalable=False, reg_rows=8, reg_cols=16, cache=(64, 256, 256),
                      dot_rows=4, dot_cols=16, elementwise=16, stream_cols=64,
                      runtime_width=8),
    # AVX2 (16 ymm registers of 4 f64): 6 x 8 accumulators in 12, the B row in 2, one
    # broadcast A element.
    "x86_64-avx2": Profile("x86_64", scalable=False, reg_rows=6, reg_cols=8,
                           cache=(48, 256, 256), dot_rows=4, dot_cols=8, elementwise=8,
                           stream_cols=32),
    # RVV, 32 registers: vector<[4]xf64> is one LMUL=4 group (16 f64 at VLEN=256);
    # 6 accumulator groups + the B row = 28 registers.
    "riscv64": Profile("riscv64", scalable=True, reg_rows=6, reg_cols=4, cache=(0, 0, 0),
                       dot_rows=4, dot_cols=4, elementwise=4),
}


@cache
def host_flags() -> frozenset[str]:
    """The host CPU's feature flags (empty where /proc/cpuinfo does not say)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("flags"):
                    return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


def profile_for(arch: str) -> Profile:
    """The tile sizes for `arch`; x86_64 code is built with -march=native, so its register
    tiles follow the host's vector registers (AVX-512 or AVX2)."""
    if arch == "x86_64" and "avx512f" not in host_flags():
        return PROFILES["x86_64-avx2"]
    return PROFILES[arch]


# --- what a linalg op looks like -----------------------------------------------------------

@dataclass(frozen=True)
class OpShape:
    """The loop structure of one linalg op: extents, iterator kinds, operand access dims."""

    extents: tuple[int, ...]
    reduction: tuple[bool, ...]
    inputs: tuple[tuple[tuple[int | None, ...], int], ...]  # (dims of each map result, size)
    output: tuple[int | None, ...]

    @property
    def reduction_dims(self) -> list[int]:
        return [d for d, r in enumerate(self.reduction) if r]

    # Per operand (inputs, then the output): its innermost stride is a static 1.
    contiguous: tuple[bool, ...] = ()

    @property
    def dynamic(self) -> bool:
        return DYNAMIC in self.extents


def _map_dims(amap: ir.AffineMap) -> tuple[int | None, ...]:
    exprs = [e.maybe_downcast() for e in amap.results]
    return tuple(e.position if isinstance(e, ir.AffineDimExpr) else None for e in exprs)


# A runtime extent (a view's size in a view function), and what it counts for when the
# biggest input is chosen.
DYNAMIC = -1
DYNAMIC_GUESS = 1024


def _shape_of(value: ir.Value) -> tuple[int, ...]:
    shaped = value.type.maybe_downcast()
    if not isinstance(shaped, ir.ShapedType):
        return ()
    return tuple(DYNAMIC if shaped.is_dynamic_dim(d) else shaped.shape[d]
                 for d in range(shaped.rank))


def _unit_inner(value: ir.Value) -> bool:
    """A memref whose innermost stride is a static 1 (a tensor or a scalar: true)."""
    shaped = value.type.maybe_downcast()
    if not isinstance(shaped, ir.MemRefType) or shaped.rank == 0:
        return True
    strides, _ = shaped.get_strides_and_offset()
    return bool(strides[-1] == 1)


def _product(values: tuple[int, ...]) -> int:
    out = 1
    for v in values:
        out *= v
    return out


def analyse(op: ir.Operation) -> OpShape | None:
    """The OpShape of a linalg.generic with one output and plain (permutation) indexing,
    else None; runtime extents are DYNAMIC."""
    if op.name != "linalg.generic" or len(op.results) > 1 or \
            "indexing_maps" not in op.attributes:
        return None
    maps = [_map_dims(ir.AffineMapAttr(a).value)
            for a in ir.ArrayAttr(op.attributes["indexing_maps"])]
    iterators = [str(a) for a in ir.ArrayAttr(op.attributes["iterator_types"])]
    if len(maps) != len(op.operands) or len(op.operands) < 1:
        return None
    if any(dim is None for dims in maps for dim in dims):
        return None  # constant or compound indices: the vectorizer takes permutations only
    extents: dict[int, int] = {}
    sizes = []
    for value, dims in zip(op.operands, maps):
        shape = _shape_of(value)
        sizes.append(_product(tuple(DYNAMIC_GUESS if e == DYNAMIC else e for e in shape)))
        for dim, extent in zip(dims, shape):
            assert dim is not None  # permutations only (checked above)
            if extents.get(dim, DYNAMIC) == DYNAMIC:  # a static extent of the dim wins
                extents[dim] = extent
    if set(extents) != set(range(len(iterators))):
        return None
    inputs = tuple((maps[i], sizes[i]) for i in range(len(op.operands) - 1))
    return OpShape(tuple(extents[d] for d in range(len(iterators))),
                   tuple("reduction" in it for it in iterators), inputs, maps[-1],
                   tuple(_unit_inner(v) for v in op.operands))


# --- choosing tiles ----------------------------------------------------------------------

@dataclass(frozen=True)
class Tiling:
    """Per dim: cache tile (0 = none) and register tile (0 = whole extent); loop orders."""

    kind: str  # "outer", "dot" or "elementwise"
    vector_dim: int
    cache: tuple[int, ...]
    reg: tuple[int, ...]
    cache_order: tuple[int, ...]
    reg_order: tuple[int, ...]
    split_dims: tuple[int, ...]  # dims cut at static points (static profiles: all tiled)
    # A reduction where at most one input varies along the vector dim: a true outer product
    # (vector.contract, FMAs). Otherwise an elementwise product: plain arithmetic.
    outer_product: bool = False
    # The last (partial) scalable tile is vectorized with masks; not for a reduction over an
    # elementwise product (a masked vector.contract of that form has no lowering): scalar.
    masked_rest: bool = True


def _innermost(dims: tuple[int | None, ...]) -> int | None:
    return dims[-1] if dims else None


def _others_first(n: int, inner: list[int]) -> tuple[int, ...]:
    return tuple([d for d in range(n) if d not in inner] + inner)


def choose_tiling(shape: OpShape, profile: Profile) -> Tiling | None:
    """The schedule of one op, from the dims its operands are contiguous along."""
    if not shape.extents:
        return None
    tiling = _elementwise(shape, profile) if not shape.reduction_dims \
        else _reduction(shape, profile)
    if tiling is None:
        return None
    if profile.scalable and _reads_across(shape, tiling.vector_dim):
        return None  # a strided read along a scalable vector has no lowering: plain loops
    if shape.dynamic and not _contiguous_along(shape, tiling.vector_dim):
        return None  # runtime strides along the vector: plain loops
    if shape.dynamic and tiling.kind == "dot":
        # A runtime-sized reduction along the vector would be reduced across lanes in order
        # after every tile (no split into partial sums without static extents): slower than
        # the plain loop.
        return None
    if tiling.kind == "elementwise":
        return tiling
    varying = sum(1 for dims, _ in shape.inputs if tiling.vector_dim in dims)
    return replace(tiling, outer_product=varying < 2, masked_rest=varying < 2)


def _contiguous_along(shape: OpShape, vector_dim: int) -> bool:
    """Every operand that varies along the vector dim has it innermost, at stride 1."""
    maps = [dims for dims, _ in shape.inputs] + [shape.output]
    unit = shape.contiguous or (True,) * len(maps)
    return all(not dims or vector_dim not in dims or (dims[-1] == vector_dim and ok)
               for dims, ok in zip(maps, unit))


def _reads_across(shape: OpShape, vector_dim: int) -> bool:
    """Some input varies along the vector dim but is not contiguous along it."""
    return any(vector_dim in dims and dims[-1] != vector_dim for dims, _ in shape.inputs)


def _reduction(shape: OpShape, profile: Profile) -> Tiling | None:
    # Vectorize along the output's contiguous dim when some input is contiguous along it
    # too; otherwise along the contiguous dim of the biggest input (then a reduction dim).
    contiguous = {_innermost(dims) for dims, _ in shape.inputs}
    out_inner = _innermost(shape.output)
    if out_inner is not None and out_inner in contiguous:
        return _outer(shape, profile, out_inner)
    if not shape.inputs:
        return None
    vector_dim = _innermost(max(shape.inputs, key=lambda item: item[1])[0])
    if vector_dim is None:
        return None
    if shape.reduction[vector_dim]:
        return _dot(shape, profile, vector_dim)
    return _outer(shape, profile, vector_dim)


def _elementwise(shape: OpShape, profile: Profile) -> Tiling | None:
    vector_dim = _innermost(shape.output)
    if vector_dim is None:
        return None
    n = len(shape.extents)
    reg = [profile.elementwise if d == vector_dim else 1 for d in range(n)]
    order = _others_first(n, [d for d in shape.output if d is not None])
    split = [vector_dim]
    across = _transposed_row(shape, vector_dim)
    if across is not None and not profile.scalable and not shape.dynamic:
        # A transposed read: square register tiles, each read as rows of the input and
        # transposed in registers, instead of one strided load per element.
        reg[across] = reg[vector_dim] = profile.transpose_tile
        split.insert(0, across)
    return Tiling("elementwise", vector_dim, (0,) * n, tuple(reg), order, order, tuple(split))


def _transposed_row(shape: OpShape, vector_dim: int) -> int | None:
    """The output dim some input is contiguous along while it varies along the vector dim
    across its rows (a transpose), if there is one."""
    for dims, _ in shape.inputs:
        if dims and vector_dim in dims[:-1] and dims[-1] in shape.output:
            return dims[-1]
    return None


def _outer(shape: OpShape, profile: Profile, vector_dim: int) -> Tiling:
    n = len(shape.extents)
    out_dims = [d for d in shape.output if d is not None and d != vector_dim]
    row_dim = out_dims[-1] if out_dims else None
    if row_dim is None and profile.stream_cols:
        return _streamed(shape, profile, vector_dim)
    rows, cols, depth = profile.cache
    cache = [0] * n
    reg = [1] * n
    reg[vector_dim], cache[vector_dim] = profile.reg_cols, cols
    cache[shape.reduction_dims[0]] = depth
    split = [vector_dim]
    if row_dim is not None:
        reg[row_dim], cache[row_dim] = profile.reg_rows, rows
        split.insert(0, row_dim)
    inner = ([row_dim] if row_dim is not None else []) + [vector_dim]
    # Register level: accumulators outside, the reduction loops innermost.
    parallel_first = _others_first(n, inner + shape.reduction_dims)
    reg_order = tuple(d for d in parallel_first if not shape.reduction[d]) + \
        tuple(shape.reduction_dims)
    # Cache level: the vector dim's tile outermost, then the reduction, then rows, so one
    # (depth x cols) block of the streamed operand is reused across all rows.
    cache_order = _others_first(n, [vector_dim, shape.reduction_dims[0]] +
                                ([row_dim] if row_dim is not None else []))
    return Tiling("outer", vector_dim, tuple(cache), tuple(reg), cache_order, reg_order,
                  tuple(split))


def _streamed(shape: OpShape, profile: Profile, vector_dim: int) -> Tiling:
    n = len(shape.extents)
    reg = [1] * n
    reg[vector_dim] = profile.stream_cols
    order = tuple(shape.reduction_dims) + tuple(
        d for d in _others_first(n, [vector_dim]) if not shape.reduction[d])
    return Tiling("outer", vector_dim, (0,) * n, tuple(reg), order, order, (vector_dim,))


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
    return Tiling("dot", vector_dim, (0,) * n, tuple(reg), order, order, tuple(split))


@dataclass(frozen=True)
class Segment:
    """A range of one dim with the tiles that divide it exactly (0 = not tiled)."""

    start: int
    size: int
    cache: int
    reg: int


def segments(extent: int, cache: int, reg: int, pow2_rest: bool = False) -> list[Segment]:
    """Cut [0, extent) so each part is a whole number of cache tiles (a multiple of the
    register tile) or of register tiles, plus a remainder smaller than one register tile.
    `pow2_rest` (the vector dim): that remainder is cut into power-of-two widths, largest
    first (12 -> 8 + 4), since a vector of 12 lanes is legalized into shuffles and spills
    (a 12-column remainder of a matmul ran 11x slower per FLOP than 16 columns)."""
    if pow2_rest and 0 < extent < reg:
        reg = 1 << (extent.bit_length() - 1)
    reg = min(reg, extent)
    cache = cache if cache > reg else 0
    out: list[Segment] = []
    start = 0
    if cache and extent >= cache:
        size = extent // cache * cache
        out.append(Segment(0, size, cache if size > cache else 0, reg))
        start = size
    rest = extent - start
    size = rest // reg * reg if reg else 0
    if size:
        out.append(Segment(start, size, 0, reg if size > reg else 0))
        start += size
    rest = extent - start
    widths = _pow2_parts(rest) if pow2_rest else [rest] if rest else []
    for width in widths:
        out.append(Segment(start, width, 0, 0))
        start += width
    return out


def _pow2_parts(size: int) -> list[int]:
    """`size` as a sum of distinct powers of two, largest first."""
    return [1 << bit for bit in range(size.bit_length() - 1, -1, -1) if size >> bit & 1]


# --- writing the script ------------------------------------------------------------------

@dataclass(frozen=True)
class PackPlan:
    """An outer-product piece whose `inputs` (reduction x vector matrices, contiguous along
    the vector dim) lowering.pack copies into panels of `width` columns, `depth` deep (the
    reduction's cache tile), before the loops over rows that reuse them. Phase one leaves
    the piece cache-tiled with its rows register-tiled and tagged `PACK_TAG = pack_id`; the
    finishing script tiles the reduction and vectorizes it and the copies."""

    pack_id: int
    inputs: tuple[int, ...]
    depth: int
    width: int
    vector_dim: int
    reg: tuple[int, ...]  # the finishing tile sizes (rows done, `width` columns, k by 1)
    reg_order: tuple[int, ...]
    outer_product: bool


PACK_TAG = "buddy.pack_id"
PACK_COPY_TAG = "buddy.pack_copy"
# Off: pieces are register-tiled in one go as before (A/B runs, tests of both forms).
PACKING = True


@dataclass
class _Script:
    lines: list[str] = field(default_factory=list)
    counter: int = 0
    packs: list[PackPlan] = field(default_factory=list)

    def fresh(self) -> str:
        self.counter += 1
        return f"h{self.counter}"

    def add(self, text: str) -> None:
        self.lines.extend(text.splitlines())


@dataclass(frozen=True)
class _Piece:
    """One statically cut part of an op: its extents and tiles per dim."""

    handle: str
    extents: tuple[int, ...]
    cache: tuple[int, ...]
    reg: tuple[int, ...]


def _tile(script: _Script, target: str, sizes: list[str], order: tuple[int, ...]) -> str:
    n_loops = sum(1 for s in sizes if s != "0")
    if not n_loops:
        return target
    out = script.fresh()
    script.add(mlir_env.SCHEDULE_TILE.format(
        out=out, target=target, n_loops=n_loops, sizes=", ".join(sizes),
        interchange=", ".join(map(str, order)), loops=", !transform.any_op" * n_loops))
    return out


def _static_piece(script: _Script, piece: _Piece, tiling: Tiling, shape: OpShape,
                  threads: int) -> None:
    cache = list(piece.cache)
    handle = piece.handle
    vdim = tiling.vector_dim
    block = _thread_block(piece.extents[vdim], cache[vdim], piece.reg[vdim], threads) \
        if threads > 1 and tiling.kind == "outer" and \
        _product(piece.extents) >= PARALLEL_WORK else 0
    split = (vdim, block) if block else _row_block(piece, tiling, shape, threads) \
        if threads > 1 and _product(piece.extents) >= PARALLEL_WORK else None
    if split:
        # Column blocks (else row blocks) on threads: the outermost loop becomes an
        # scf.forall.
        dim, size = split
        handle, sizes = script.fresh(), ["0"] * len(cache)
        sizes[dim] = str(size)
        script.add(mlir_env.SCHEDULE_TILE_FORALL.format(out=handle, target=piece.handle,
                                                        sizes=", ".join(sizes)))
        cache[dim] = 0
    tiled = _tile(script, handle, [str(c) for c in cache], tiling.cache_order)
    packed = _packed_inputs(piece, tiling, shape)
    if packed:
        _leave_for_packing(script, piece, tiling, shape, tiled, packed)
        return
    tiled = _tile(script, tiled, [str(r) for r in piece.reg], tiling.reg_order)
    _vectorize(script, tiling, mlir_env.SCHEDULE_VECTORIZE.format(target=tiled), tiled)


def _row_dim(piece: _Piece, tiling: Tiling, shape: OpShape) -> int | None:
    rows = [d for d in range(len(piece.extents)) if d != tiling.vector_dim and
            not shape.reduction[d] and piece.reg[d] > 1]
    return rows[0] if len(rows) == 1 else None


def _packed_inputs(piece: _Piece, tiling: Tiling, shape: OpShape) -> tuple[int, ...]:
    """The inputs of an outer-product piece worth packing (see PackPlan): indexed (k, j) by
    the one reduction dim and the vector dim, contiguous along it, on a piece with more than
    one register tile of rows to reuse them and whole register tiles of columns."""
    vdim = tiling.vector_dim
    row = _row_dim(piece, tiling, shape)
    if not PACKING or tiling.kind != "outer" or not tiling.outer_product or row is None or \
            len(shape.reduction_dims) != 1 or piece.extents[row] < 2 * piece.reg[row]:
        return ()
    width = piece.reg[vdim]
    if not width or piece.extents[vdim] % width:
        return ()
    kdim = shape.reduction_dims[0]
    unit = shape.contiguous or (True,) * (len(shape.inputs) + 1)
    return tuple(i for i, (dims, _) in enumerate(shape.inputs)
                 if dims == (kdim, vdim) and unit[i])


def _leave_for_packing(script: _Script, piece: _Piece, tiling: Tiling, shape: OpShape,
                       tiled: str, inputs: tuple[int, ...]) -> None:
    row = _row_dim(piece, tiling, shape)
    assert row is not None
    rows = ["0"] * len(piece.extents)
    rows[row] = str(piece.reg[row])
    tiled = _tile(script, tiled, rows, tiling.reg_order)
    kdim = shape.reduction_dims[0]
    pack_id = len(script.packs)
    script.add(mlir_env.SCHEDULE_ANNOTATE.format(out=script.fresh(), target=tiled,
                                                  name=PACK_TAG, value=pack_id))
    reg = tuple(0 if d == row else r for d, r in enumerate(piece.reg))
    script.packs.append(PackPlan(pack_id, inputs, piece.cache[kdim] or piece.extents[kdim],
                                 piece.reg[tiling.vector_dim], tiling.vector_dim, reg,
                                 tiling.reg_order, tiling.outer_product))


def _finish_packed(script: _Script, plan: PackPlan) -> None:
    """The finishing schedule of a packed piece: the reduction tiled by one and the op
    vectorized into outer products; its panel copies one `width` row at a time."""
    op, copy = script.fresh(), script.fresh()
    script.add(mlir_env.SCHEDULE_MATCH.format(out=op, tag=PACK_TAG, op_id=plan.pack_id))
    tiled = _tile(script, op, [str(r) for r in plan.reg], plan.reg_order)
    tiling = Tiling("outer", plan.vector_dim, (), plan.reg, (), plan.reg_order, (),
                    outer_product=plan.outer_product)
    _vectorize(script, tiling, mlir_env.SCHEDULE_VECTORIZE.format(target=tiled), tiled)
    script.add(mlir_env.SCHEDULE_MATCH.format(out=copy, tag=PACK_COPY_TAG,
                                              op_id=plan.pack_id))
    # Copy dims (k, column), one panel per copy: a vector of `width` per row.
    tiled = _tile(script, copy, ["1", "0"], (0, 1))
    script.add(mlir_env.SCHEDULE_VECTORIZE.format(target=tiled))


def _row_block(piece: _Piece, tiling: Tiling, shape: OpShape, threads: int
               ) -> tuple[int, int] | None:
    """(dim, extent per thread) splitting a piece with no column blocks (a matrix-vector
    product's rows, an elementwise op's rows) into `threads` equal blocks along its
    outermost parallel dim, each a whole number of register tiles; None if none does."""
    for dim in shape.output:
        if dim is None or dim == tiling.vector_dim or shape.reduction[dim]:
            continue
        extent, reg = piece.extents[dim], piece.reg[dim]
        if reg < 1 or extent % threads or (extent // threads) % reg:
            continue
        return dim, extent // threads
    return None


# Points of an op piece below which starting threads costs more than it saves, and the
# fewest columns a thread's block may have.
PARALLEL_WORK = 1 << 16
PARALLEL_MIN_BLOCK = 32


def _thread_block(extent: int, cache: int, reg: int, threads: int) -> int:
    """Columns per parallel block: the widest multiple of the register tile, at most the
    cache tile (or the whole extent), that cuts `extent` exactly into a multiple of
    `threads` blocks, so every thread gets the same work; 0 if none does."""
    if not reg or extent < max(reg, PARALLEL_MIN_BLOCK) * threads:
        return 0
    widest = cache or extent // threads
    for block in range(widest - widest % reg, reg - 1, -reg):
        if extent % block == 0 and (extent // block) % threads == 0:
            return block
    return 0


def _vectorize(script: _Script, tiling: Tiling, vectorize: str, target: str) -> None:
    """Emit `vectorize`; for a true outer product, re-form vector.contract inside the loop
    around `target` afterwards."""
    if tiling.kind != "outer" or not tiling.outer_product:
        script.add(vectorize)
        return
    parent = script.fresh()
    script.add(mlir_env.SCHEDULE_PARENT.format(out=parent, target=target))
    script.add(vectorize)
    script.add(mlir_env.SCHEDULE_FORM_CONTRACTIONS.format(target=parent))


def _scalable_piece(script: _Script, piece: _Piece, tiling: Tiling, shape: OpShape,
                    width: int, op_id: int) -> None:
    """Tile the vector dim by `width * vscale`, peel its loop, tile the other reductions by
    one, vectorize full tiles without masks and the peeled last tile with masks."""
    vdim = tiling.vector_dim
    n = len(shape.extents)
    outer = ["0" if shape.reduction[d] and d != vdim else str(piece.reg[d]) for d in range(n)]
    outer[vdim] = f"[{width}]"
    sizes = [outer[d] if outer[d] != "0" else "1" if shape.reduction[d] else
             str(piece.extents[d]) for d in range(n)]
    _peeled(script, piece.handle, tiling, shape, op_id, outer, sizes,
            masked_rest=tiling.masked_rest, contractions=True)


def _peeled(script: _Script, handle: str, tiling: Tiling, shape: OpShape, op_id: int,
            outer: list[str], sizes: list[str], masked_rest: bool, contractions: bool
            ) -> None:
    """Tile `handle` by `outer` (the vector dim's entry a register-wide tile), peel the
    vector loop, tile the other reductions by one inside, and vectorize the full tiles to
    `sizes` without masks (the peeled last tile with masks when `masked_rest`, else it
    stays a loop). `contractions`: re-form vector.contract for true outer products."""
    vdim = tiling.vector_dim
    n = len(shape.extents)
    tiled = _tile(script, handle, outer, tiling.reg_order)
    loop_dims = [d for d in tiling.reg_order if outer[d] != "0"]
    loop = f"{tiled}_loops#{loop_dims.index(vdim)}" if len(loop_dims) > 1 \
        else f"{tiled}_loops"
    peeled = script.fresh()
    script.add(mlir_env.SCHEDULE_PEEL.format(out=peeled, loop=loop))
    inner = ["1" if shape.reduction[d] and d != vdim else "0" for d in range(n)]
    scopes = [(f"{peeled}_main", mlir_env.SCHEDULE_FULL_TILES)]
    if masked_rest:
        scopes.append((f"{peeled}_rest", ""))
    perm = [d for d in range(n) if d != vdim] + [vdim]
    for scope, attrs in scopes:
        found = script.fresh()
        script.add(mlir_env.SCHEDULE_MATCH_IN.format(out=found, tag=TAG, op_id=op_id,
                                                     scope=scope))
        tile = _tile(script, found, inner, tiling.reg_order)
        if vdim != n - 1:
            moved = script.fresh()
            script.add(mlir_env.SCHEDULE_INTERCHANGE.format(
                out=moved, target=tile, perm=", ".join(map(str, perm))))
            tile = moved
        vectorize = mlir_env.SCHEDULE_VECTORIZE_SIZES.format(
            target=tile, sizes=", ".join(sizes[d] for d in perm), attrs=attrs)
        if contractions:
            _vectorize(script, tiling, vectorize, tile)
        else:
            script.add(vectorize)


def _pieces(script: _Script, piece: _Piece, tiling: Tiling, dims: tuple[int, ...]
            ) -> Iterator[_Piece]:
    """Split `piece` along `dims` at static points into parts that tile exactly."""
    if not dims:
        yield piece
        return
    dim, rest = dims[0], dims[1:]
    parts = segments(piece.extents[dim], piece.cache[dim], piece.reg[dim],
                     pow2_rest=dim == tiling.vector_dim)
    handle = piece.handle
    for index, part in enumerate(parts):
        here = handle
        if index + 1 < len(parts):
            out = script.fresh()
            script.add(mlir_env.SCHEDULE_SPLIT.format(out=out, target=handle, chunk=part.size,
                                                      dim=dim))
            here, handle = f"{out}_lo", f"{out}_hi"
        extents, cache, reg = list(piece.extents), list(piece.cache), list(piece.reg)
        extents[dim], cache[dim], reg[dim] = part.size, part.cache, part.reg
        yield from _pieces(script, _Piece(here, tuple(extents), tuple(cache), tuple(reg)),
                           tiling, rest)


def _dynamic_op(script: _Script, handle: str, tiling: Tiling, shape: OpShape,
                profile: Profile, op_id: int) -> None:
    """Runtime extents: no static cuts and no cache tiles. Tile the vector dim by the
    register width and every other parallel dim by one, peel the vector loop, vectorize the
    full tiles (unmasked); the last tile stays a loop (masked with scalable vectors). Plain
    vectorization: re-forming vector.contract inside the reduction loop of a runtime-sized
    tile computed wrong results (a vector-matrix product feeding an outer product;
    tests/test_lowering.py)."""
    vdim = tiling.vector_dim
    n = len(shape.extents)
    width = tiling.reg[vdim]
    if tiling.kind == "elementwise" and profile.runtime_width:
        width = min(width, profile.runtime_width)
    spec = f"[{width}]" if profile.scalable else str(width)
    outer = ["0" if shape.reduction[d] else "1" for d in range(n)]
    outer[vdim] = spec
    sizes = [spec if d == vdim else "1" for d in range(n)]
    _peeled(script, handle, tiling, shape, op_id, outer, sizes,
            masked_rest=profile.scalable and tiling.masked_rest, contractions=False)


def _schedule_op(script: _Script, handle: str, shape: OpShape, tiling: Tiling,
                 profile: Profile, op_id: int, threads: int) -> None:
    if shape.dynamic:
        _dynamic_op(script, handle, tiling, shape, profile, op_id)
        return
    cache = tuple(c if c < e else 0 for c, e in zip(tiling.cache, shape.extents))
    whole = _Piece(handle, shape.extents, cache, tiling.reg)
    if not profile.scalable:
        for piece in _pieces(script, whole, tiling, tiling.split_dims):
            _static_piece(script, piece, tiling, shape, threads)
        return
    width = tiling.reg[tiling.vector_dim]
    split = tuple(d for d in tiling.split_dims if d != tiling.vector_dim)
    for piece in _pieces(script, whole, tiling, split):
        _scalable_piece(script, piece, tiling, shape, width, op_id)


def walk(op: ir.Operation) -> Iterator[ir.Operation]:
    """Every op nested in `op`, pre-order."""
    for region in op.regions:
        for block in region.blocks:
            for child in block.operations:
                yield child.operation
                yield from walk(child.operation)


def _schedulable(module: ir.Module, profile: Profile
                 ) -> Iterator[tuple[ir.Operation, OpShape, Tiling]]:
    for op in walk(module.operation):
        shape = analyse(op)
        tiling = choose_tiling(shape, profile) if shape else None
        if shape is not None and tiling is not None:
            yield op, shape, tiling


def count_schedulable(module: ir.Module, profile: Profile) -> int:
    """How many linalg ops of `module` a schedule would cover."""
    return sum(1 for _ in _schedulable(module, profile))


@dataclass(frozen=True)
class Schedule:
    """Transform scripts for a module: `first` tiles and vectorizes every op but the pieces
    left for packing (`packs`); after lowering.pack rewrote those, `finish` vectorizes
    them and lowers every vector op."""

    first: str
    finish: str
    packs: tuple[PackPlan, ...]
    covered: int


def _module(lines: list[str]) -> str:
    body = "\n".join("    " + line for line in lines)
    return mlir_env.SCHEDULE_MODULE.format(body=body)


def schedule_for(module: ir.Module, profile: Profile, threads: int = 1,
                 skip: frozenset[int] = frozenset()) -> Schedule | None:
    """Tag the schedulable linalg ops of `module` (in place) and return their schedule (None
    if there is nothing to schedule). Ops are numbered in walk order; those in `skip` are
    left alone (plain loops later). `threads` > 1 (static profiles) puts the column blocks
    of outer-product reductions on parallel loops. Call inside the module's context."""
    script = _Script()
    covered = 0
    for op_id, (op, shape, tiling) in enumerate(list(_schedulable(module, profile))):
        if op_id in skip:
            continue
        op.attributes[TAG] = ir.IntegerAttr.get(ir.IntegerType.get_signless(64), op_id)
        handle = script.fresh()
        script.add(mlir_env.SCHEDULE_MATCH.format(out=handle, tag=TAG, op_id=op_id))
        _schedule_op(script, handle, shape, tiling, profile, op_id, threads)
        covered += 1
    if not covered:
        return None
    finish = _Script(counter=script.counter)
    for plan in script.packs:
        _finish_packed(finish, plan)
    finish.add(mlir_env.SCHEDULE_VECTOR_LOWERING)
    if threads > 1:
        finish.add(mlir_env.SCHEDULE_FORALL_TO_PARALLEL)
    return Schedule(_module(script.lines), _module(finish.lines), tuple(script.packs), covered)

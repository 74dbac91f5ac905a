"""Resize a static-shape kernel on its IR: map every extent consistently to a new one.

Used to shrink kernels for synthesis (distinct small primes, so shapes are unambiguous), for
the second proof and the resized cross-check, and to instantiate PolyBench datasets.

Shapes move exactly by the mapping. A loop bound, a subscript offset or an `affine.if`
constant moves with an extent only when the IR ties it to that extent:
- a loop is tied to the extents of the dimensions its index alone subscripts (`A[i + c]`);
  its constant upper bound `E + k` becomes `e + k`, its lower bound moves only when it is
  closer to the extent than to zero (`N - 2 to N`), never 0 or 1 because an extent is 3;
- a subscript that runs backwards (`A[N - 1 - i]`) or a constant one near the end
  (`A[N - 1]`) moves with its dimension's extent; `A[i + 1]` and `A[0]` do not;
- an extent that is a sum of others (a convolution's input, `x[i + k]` with extent
  N + K - 1) is derived by `shrink_mapping` from the extents it is made of.

Its length: the tie analysis, the derivations of made-of-others extents and the
rewriting all read the same subscript model; one module keeps them consistent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from torch_mlir import ir

from core import mlir_env
from raising.frontend.load import split_top_level

SLACK = 3  # how far a bound may sit from the extent it is tied to (N - 1, N + 2)
SHRINK_PRIMES = (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47)
LOADS_STORES = ("affine.load", "affine.store")


class ResizeError(ValueError):
    """The requested mapping is inconsistent with the kernel (or the text is no module)."""


# --- linear affine expressions -------------------------------------------------------------

Linear = tuple[dict[tuple[str, int], int], int]  # (coefficient per dim/symbol, constant)


def _linear(expr: ir.AffineExpr) -> Linear | None:
    """`expr` as coefficients and a constant, or None when it is not linear."""
    if isinstance(expr, ir.AffineConstantExpr):
        return {}, expr.value
    if isinstance(expr, ir.AffineDimExpr):
        return {("d", expr.position): 1}, 0
    if isinstance(expr, ir.AffineSymbolExpr):
        return {("s", expr.position): 1}, 0
    if isinstance(expr, ir.AffineAddExpr):
        lhs, rhs = _linear(expr.lhs), _linear(expr.rhs)
        if lhs is None or rhs is None:
            return None
        coefs = dict(lhs[0])
        for key, value in rhs[0].items():
            coefs[key] = coefs.get(key, 0) + value
        return {k: v for k, v in coefs.items() if v}, lhs[1] + rhs[1]
    if isinstance(expr, ir.AffineMulExpr):
        lhs, rhs = _linear(expr.lhs), _linear(expr.rhs)
        if lhs is None or rhs is None:
            return None
        for var, const in ((lhs, rhs), (rhs, lhs)):
            if not const[0]:
                return {k: v * const[1] for k, v in var[0].items()}, var[1] * const[1]
    return None


def _downcast(expr: ir.AffineExpr) -> ir.AffineExpr:
    """The concrete expression class (the bindings hand some out as the base class)."""
    return expr if type(expr) is not ir.AffineExpr else expr.maybe_downcast()


def _results(amap: ir.AffineMap) -> list[ir.AffineExpr]:
    return [_downcast(e) for e in amap.results]


def _shifted(expr: ir.AffineExpr, delta: int) -> ir.AffineExpr:
    return expr if not delta else \
        ir.AffineAddExpr.get(expr, ir.AffineConstantExpr.get(delta))


# --- walking the IR ------------------------------------------------------------------------

def _walk(op: ir.Operation) -> Iterator[ir.Operation]:
    yield op
    for region in op.regions:
        for block in region.blocks:
            for inner in block.operations:
                yield from _walk(inner.operation)


def _functions(module: ir.Module) -> list[ir.Operation]:
    return [op.operation for op in module.body.operations
            if op.operation.name == "func.func" and op.operation.regions[0].blocks]


@dataclass(frozen=True)
class _Access:
    """One subscript: the extent of its dimension and its linear form over SSA values."""

    extent: int
    coefs: dict[ir.Value, int]
    const: int


def _accesses(op: ir.Operation) -> list[_Access]:
    """The subscripts of an affine.load / affine.store with a static memref."""
    memref = op.operands[0] if op.name == "affine.load" else op.operands[1]
    mtype = ir.MemRefType(memref.type) if isinstance(memref.type, ir.MemRefType) else None
    if mtype is None or not mtype.has_static_shape:
        return []
    indices = list(op.operands)[1:] if op.name == "affine.load" else list(op.operands)[2:]
    amap = ir.AffineMapAttr(op.attributes["map"]).value
    found = []
    for dim, expr in enumerate(_results(amap)):
        linear = _linear(expr)
        if linear is None:
            continue
        coefs: dict[ir.Value, int] = {}
        for (kind, position), coef in linear[0].items():
            value = indices[position if kind == "d" else amap.n_dims + position]
            coefs[value] = coefs.get(value, 0) + coef
        found.append(_Access(mtype.shape[dim], coefs, linear[1]))
    return found


def _loop_iv(loop: ir.Operation) -> ir.Value:
    return loop.regions[0].blocks[0].arguments[0]


def _constant_bound(loop: ir.Operation, name: str) -> int | None:
    amap = ir.AffineMapAttr(loop.attributes[name]).value
    results = _results(amap)
    if len(results) == 1 and isinstance(results[0], ir.AffineConstantExpr):
        return results[0].value
    return None


class _Ties:
    """Which extents each loop index is tied to, read from the subscripts it appears in
    alone (`A[i + c]`)."""

    def __init__(self, func: ir.Operation) -> None:
        self.by_iv: dict[ir.Value, set[int]] = {}
        self.ops = list(_walk(func))
        for op in self.ops:
            if op.name not in LOADS_STORES:
                continue
            for access in _accesses(op):
                if len(access.coefs) == 1 and abs(next(iter(access.coefs.values()))) == 1:
                    self.by_iv.setdefault(next(iter(access.coefs)), set()).add(access.extent)
        # Offsets added to a tied index (`x[i + k]`, k over no extent of its own): a window
        # of fixed width, a constant that stays (as `linked_extents` counts it).
        self.window_ivs: set[ir.Value] = set()
        for op in self.ops:
            if op.name not in LOADS_STORES:
                continue
            for access in _accesses(op):
                if len(access.coefs) > 1 and any(v in self.by_iv for v in access.coefs):
                    self.window_ivs |= {v for v in access.coefs if v not in self.by_iv}

    def extent_for(self, loop: ir.Operation, bound: int) -> int | None:
        """The tied extent nearest `bound` (within SLACK), if any."""
        near = [e for e in self.by_iv.get(_loop_iv(loop), ()) if abs(bound - e) <= SLACK]
        return min(near, key=lambda e: (abs(bound - e), e)) if near else None


# --- the extents of a module ---------------------------------------------------------------

def _shaped_types(module: ir.Module) -> Iterator[ir.Type]:
    for func in _functions(module):
        ftype = ir.FunctionType(ir.TypeAttr(func.attributes["function_type"]).value)
        yield from ftype.inputs
        yield from ftype.results
        for op in _walk(func):
            for result in op.results:
                yield result.type
            for region in op.regions:
                for block in region.blocks:
                    for arg in block.arguments:
                        yield arg.type


def _static_dims(mlir_type: ir.Type) -> list[int]:
    if isinstance(mlir_type, (ir.MemRefType, ir.RankedTensorType)):
        return [d for d in ir.ShapedType(mlir_type).shape if d >= 0]
    return []


def _parse(text: str) -> ir.Module:
    try:
        return mlir_env.parse_module(text)
    except ir.MLIRError as err:
        raise ResizeError(f"not a module that parses: {err}") from None


def shape_extents(text: str) -> list[int]:
    """Every distinct static extent of a memref/tensor type in the functions, ascending."""
    module = _parse(text)
    with module.context:
        return sorted({d for t in _shaped_types(module) for d in _static_dims(t)})


Derivation = tuple[int, tuple[tuple[int, int, int], ...]]  # (constant, (coef, extent, k))


def linked_extents(text: str) -> dict[int, Derivation]:
    """Extents that are made of others: a dimension subscripted by loop indices tied to
    other extents (`x[i + k]`, `img[2 * i + p]`, `x[i + 2]` with i over y) whose largest
    index is exactly its last element. Each maps
    to (c, terms) with extent = c + 1 + sum(coef * (e + k - 1)) over terms (coef, e, k), where
    the loop of each term runs to e + k for a tied extent e."""
    module = _parse(text)
    found: dict[int, Derivation] = {}
    with module.context:
        for func in _functions(module):
            ties = _Ties(func)
            loops = {_loop_iv(op): op for op in ties.ops if op.name == "affine.for"}
            for op in ties.ops:
                if op.name not in LOADS_STORES:
                    continue
                for access in _accesses(op):
                    if not access.coefs or access.extent in found:
                        continue
                    derivation = _derive(access, loops, ties)
                    if derivation is not None:
                        found[access.extent] = derivation
    return found


def _derive(access: _Access, loops: dict[ir.Value, ir.Operation],
            ties: _Ties) -> Derivation | None:
    terms, top, const = [], access.const, access.const
    for value, coef in access.coefs.items():
        loop = loops.get(value)
        if loop is None or coef <= 0 or _constant_bound(loop, "lowerBoundMap") != 0:
            return None
        upper = _constant_bound(loop, "upperBoundMap")
        if upper is None:
            return None
        tied = ties.extent_for(loop, upper)
        if tied == access.extent:
            return None
        top += coef * (upper - 1)
        if tied is None:  # a window loop of fixed trip count (a 2x2 pool): a constant
            const += coef * (upper - 1)
        else:
            terms.append((coef, tied, upper - tied))
    if top != access.extent - 1 or not terms:
        return None
    return const, tuple(sorted(terms))


def shrink_mapping(text: str, start: int = 0, rotate: bool = False) -> dict[int, int]:
    """Map each extent that is not made of others, ascending, to a distinct small prime;
    derived extents (a convolution's input) follow from the ones they are made of, and a
    prime a derived extent would also take is skipped (every shrunk extent says which
    extent it stands for).
    `rotate`: each extent takes the prime of the next larger one, the largest the smallest
    (a second tuple as large as the first, every extent changed, their order too), where
    every tied loop keeps two iterations; else `start` primes further on."""
    derived = linked_extents(text)
    base = [e for e in shape_extents(text) if e > 1 and e not in derived]
    room = _room(text)
    banned: set[int] = set()
    for _ in range(len(SHRINK_PRIMES)):
        mapping = _assign(base, derived, room, start, rotate, banned)
        values = list(mapping.values())
        clashes = {v for v in values if values.count(v) > 1} & set(SHRINK_PRIMES)
        if not clashes:
            return mapping
        banned |= clashes
    raise ResizeError("no distinct small extents for the derived extents")


def _assign(base: list[int], derived: dict[int, Derivation], room: dict[int, int],
            start: int, rotate: bool, banned: set[int]) -> dict[int, int]:
    primes = [p for p in SHRINK_PRIMES if p not in banned]
    mapping: dict[int, int] = {}
    for extent in base:  # ascending; every tied loop keeps at least two iterations
        primes = [p for p in primes if p >= 2 - room.get(extent, 0)]
        if len(primes) <= start:
            raise ResizeError(f"{len(base)} distinct extents; too many to shrink")
        mapping[extent] = primes.pop(0)
    if rotate:  # the tuple before this one (start - 1), each prime handed to the next extent
        first = _primes_on(mapping, max(start - 1, 0), len(base))
        primes_in_order = list(first.values())
        rotated = dict(zip(first, [*primes_in_order[1:], *primes_in_order[:1]]))
        if len(first) > 1 and all(p >= 2 - room.get(e, 0) for e, p in rotated.items()):
            mapping = rotated
        else:
            mapping = _primes_on(mapping, start, len(base))
    elif start:  # every extent `start` primes further on (the second proof's tuple)
        mapping = _primes_on(mapping, start, len(base))
    for _ in range(len(derived) + 1):  # derivations may build on each other
        for extent, (const, terms) in derived.items():
            if extent in mapping or not all(e in mapping or e <= 1 for _, e, _ in terms):
                continue
            mapping[extent] = const + 1 + sum(coef * (mapping.get(e, e) + k - 1)
                                              for coef, e, k in terms)
    missing = [e for e in derived if e not in mapping]
    if missing:
        raise ResizeError(f"extents {missing} are made of each other")
    return mapping


def _primes_on(mapping: dict[int, int], start: int, count: int) -> dict[int, int]:
    """Every extent's prime `start` places further on in SHRINK_PRIMES."""
    order = list(SHRINK_PRIMES)
    if any(order.index(p) + start >= len(order) for p in mapping.values()):
        raise ResizeError(f"{count} distinct extents; too many to shrink")
    return {e: order[order.index(p) + start] for e, p in mapping.items()}


def _room(text: str) -> dict[int, int]:
    """Per extent E, the least (upper - E - lower) over the constant-bound loops tied to
    it: a loop `0 to E - 2` keeps e - 2 iterations when E becomes e."""
    module = _parse(text)
    room: dict[int, int] = {}
    with module.context:
        for func in _functions(module):
            ties = _Ties(func)
            for op in ties.ops:
                if op.name != "affine.for":
                    continue
                upper = _constant_bound(op, "upperBoundMap")
                lower = _constant_bound(op, "lowerBoundMap") or 0
                tied = ties.extent_for(op, upper) if upper is not None else None
                if tied is not None:
                    room[tied] = min(room.get(tied, 0), upper - tied - lower)  # type: ignore
    return room


# --- rewriting -----------------------------------------------------------------------------

def _map_type(mlir_type: ir.Type, mapping: dict[int, int]) -> ir.Type:
    if isinstance(mlir_type, ir.MemRefType):
        mtype = ir.MemRefType(mlir_type)
        identity = ir.AffineMapAttr.get(ir.AffineMap.get_identity(mtype.rank))
        if not _static_dims(mtype) or str(mtype.layout) != str(identity):
            return mlir_type
        shape = [mapping.get(d, d) if d >= 0 else d for d in mtype.shape]
        return ir.MemRefType.get(shape, mtype.element_type, None, mtype.memory_space)
    if isinstance(mlir_type, ir.RankedTensorType):
        ttype = ir.RankedTensorType(mlir_type)
        shape = [mapping.get(d, d) if d >= 0 else d for d in ttype.shape]
        return ir.RankedTensorType.get(shape, ttype.element_type)
    return mlir_type


def _moved(value: int, extent: int | None, mapping: dict[int, int]) -> int:
    """`value` tied to `extent`: the same offset from the extent's new value."""
    if extent is None or extent not in mapping:
        return value
    return mapping[extent] + (value - extent)


def _untied(value: int, mapping: dict[int, int]) -> int:
    """A bound the IR ties to no extent (a time loop `1 to T + 1`, T a mapped size): moved
    with the mapped value it is nearest, if it is closer to that value than to zero."""
    near = [e for e in mapping if abs(value - e) <= SLACK and abs(value - e) < value]
    if not near:
        return value
    return _moved(value, min(near, key=lambda e: (abs(value - e), e)), mapping)


def _plan_loop(loop: ir.Operation, ties: _Ties, mapping: dict[int, int]) -> None:
    upper = _constant_bound(loop, "upperBoundMap")
    lower = _constant_bound(loop, "lowerBoundMap")
    for name, value in (("upperBoundMap", upper), ("lowerBoundMap", lower)):
        if value is None:
            _plan_bound_map(loop, name, ties, mapping)
    if upper is None:
        return
    tied = ties.extent_for(loop, upper)
    if tied is None and _loop_iv(loop) in ties.window_ivs:
        return  # a fixed-width window
    new_upper = _moved(upper, tied, mapping) if tied is not None else _untied(upper, mapping)
    new_lower = lower
    if lower is not None and tied is not None and abs(lower - tied) < lower:
        new_lower = _moved(lower, tied, mapping)  # N - 2 to N: the start is near the end
    for name, old, new in (("upperBoundMap", upper, new_upper),
                           ("lowerBoundMap", lower, new_lower)):
        if old is not None and new != old:
            assert new is not None  # set whenever old is
            if new < 0:
                raise ResizeError(f"a loop bound {old} would become {new}")
            loop.attributes[name] = ir.AffineMapAttr.get(ir.AffineMap.get_constant(new))


def _plan_bound_map(loop: ir.Operation, name: str, ties: _Ties,
                    mapping: dict[int, int]) -> None:
    """Bounds computed from other indices: a constant result of a min/max moves like a
    constant bound; so does the constant of a bound that runs backwards (N - i), while an
    offset from another index (i + 1) stays."""
    amap = ir.AffineMapAttr(loop.attributes[name]).value
    results, changed = [], False
    for expr in _results(amap):
        linear = _linear(expr)
        if linear is not None and (not linear[0] or all(c < 0 for c in linear[0].values())):
            constant = linear[1]
            tied = ties.extent_for(loop, constant)
            new = _moved(constant, tied, mapping) if tied is not None else \
                _untied(constant, mapping)
            if new != constant:
                changed = True
                expr = _shifted(expr, new - constant)
        results.append(expr)
    if changed:
        loop.attributes[name] = ir.AffineMapAttr.get(
            ir.AffineMap.get(amap.n_dims, amap.n_symbols, results))


def _subscript_delta(expr: ir.AffineExpr, extent: int, mapping: dict[int, int]) -> int:
    linear = _linear(expr)
    if linear is None or extent not in mapping:
        return 0
    coefs, const = linear
    backwards = coefs and all(c < 0 for c in coefs.values())  # A[N - 1 - i]
    near_end = not coefs and extent - 1 - const < const  # A[N - 1], not A[0] or A[1]
    return mapping[extent] - extent if backwards or near_end else 0


def _plan_access(op: ir.Operation, mapping: dict[int, int]) -> None:
    memref = op.operands[0] if op.name == "affine.load" else op.operands[1]
    if not isinstance(memref.type, ir.MemRefType):
        return
    shape = ir.MemRefType(memref.type).shape
    amap = ir.AffineMapAttr(op.attributes["map"]).value
    results = _results(amap)
    new = [_shifted(e, _subscript_delta(e, shape[d], mapping)) if shape[d] >= 0 else e
           for d, e in enumerate(results)]
    if any(a is not b for a, b in zip(new, results)):
        op.attributes["map"] = ir.AffineMapAttr.get(
            ir.AffineMap.get(amap.n_dims, amap.n_symbols, new))


def _plan_condition(op: ir.Operation, ties: _Ties, mapping: dict[int, int]) -> None:
    """affine.if: a constraint bounding an index from above (-i + N - 2 >= 0) moves with
    the extent that index is tied to; bounds from below (i - 1 >= 0) stay."""
    n_dims, n_symbols, exprs, eqs = _constraints(op.attributes["condition"])
    operands = list(op.operands)
    loops = {_loop_iv(o): o for o in ties.ops if o.name == "affine.for"}
    new_exprs, changed = [], False
    for expr, is_eq in zip(exprs, eqs):
        linear = _linear(expr)
        delta = 0
        if linear is not None and linear[0]:
            tied = set()
            for kind, position in linear[0]:
                value = operands[position if kind == "d" else n_dims + position]
                loop = loops.get(value)
                tied |= ties.by_iv.get(_loop_iv(loop), set()) if loop else set()
            constant = abs(linear[1])
            near = [e for e in tied if e in mapping and abs(constant - e) <= SLACK and
                    abs(constant - e) < constant]
            if near:  # -i + N - 2 >= 0, i + j - N - 1 >= 0: a constant near the extent
                extent = min(near, key=lambda e: (abs(constant - e), e))
                delta = (mapping[extent] - extent) * (1 if linear[1] > 0 else -1)
        changed |= bool(delta)
        new_exprs.append((_shifted(expr, delta), is_eq))
    if changed:
        new_set = ir.IntegerSet.get(n_dims, n_symbols, [e for e, _ in new_exprs],
                                    [q for _, q in new_exprs])
        op.attributes["condition"] = ir.IntegerSetAttr.get(new_set)


def _constraints(attr: ir.Attribute) -> tuple[int, int, list[ir.AffineExpr], list[bool]]:
    """An affine.if condition's constraints (`expr >= 0` or `expr == 0`): the bindings
    give no IntegerSet from the attribute, so its constraints are read back as the results
    of an affine map over the same inputs."""
    inputs, _, body = str(attr).removeprefix("affine_set<").removesuffix(">").partition(":")
    constraints = split_top_level(body.strip()[1:-1])
    eqs = [c.endswith("== 0") for c in constraints]
    exprs = [c.rsplit("==" if eq else ">=", 1)[0].strip() for c, eq in zip(constraints, eqs)]
    amap = ir.AffineMapAttr(ir.Attribute.parse(
        f"affine_map<{inputs.strip()} -> ({', '.join(exprs)})>")).value
    return amap.n_dims, amap.n_symbols, _results(amap), eqs


def _plan_constant(op: ir.Operation, mapping: dict[int, int]) -> None:
    """An integer constant equal to an extent (a loop bound of scf.for, a size) moves."""
    attr = op.attributes["value"]
    if not isinstance(attr, ir.IntegerAttr) or isinstance(attr.type, ir.IntegerType) and \
            ir.IntegerType(attr.type).width == 1:
        return
    value = ir.IntegerAttr(attr).value
    if value in mapping and value > 1:
        op.attributes["value"] = ir.IntegerAttr.get(attr.type, mapping[value])


def _resize_function(func: ir.Operation, mapping: dict[int, int]) -> None:
    ties = _Ties(func)
    # Decide from the old shapes, then retype.
    for op in ties.ops:
        if op.name == "affine.for":
            _plan_loop(op, ties, mapping)
        elif op.name in LOADS_STORES:
            _plan_access(op, mapping)
        elif op.name == "affine.if":
            _plan_condition(op, ties, mapping)
        elif op.name == "arith.constant":
            _plan_constant(op, mapping)
    for op in ties.ops:
        for result in op.results:
            result.set_type(_map_type(result.type, mapping))
        for region in op.regions:
            for block in region.blocks:
                for arg in block.arguments:
                    arg.set_type(_map_type(arg.type, mapping))
    ftype = ir.FunctionType(ir.TypeAttr(func.attributes["function_type"]).value)
    func.attributes["function_type"] = ir.TypeAttr.get(ir.FunctionType.get(
        [_map_type(t, mapping) for t in ftype.inputs],
        [_map_type(t, mapping) for t in ftype.results]))


def resize_text(text: str, mapping: dict[int, int]) -> str:
    """The module with every extent E replaced by mapping[E], bounds and subscripts moved
    with the extents the IR ties them to (module docstring)."""
    for old, new in mapping.items():
        if new < 1:
            raise ResizeError(f"extent {old} mapped to {new}")
    module = _parse(text)
    with module.context, ir.Location.unknown():
        for func in _functions(module):
            _resize_function(func, mapping)
        try:
            module.operation.verify()
        except ir.MLIRError as err:
            raise ResizeError(f"the resized module does not verify: {err}") from None
    return str(module)

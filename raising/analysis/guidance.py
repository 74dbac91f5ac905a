"""Guidance from a loop nest: which grammar ops are worth trying and with which constants.

Guidance narrows and orders the search; it never emits an answer. Features name the
`requires` tags of grammar records (grammar/ops.py, grammar/masked.py).
"""

from __future__ import annotations

from core.kernel_ir import Kernel, Op
from grammar import CATALOG
from grammar.solve import RECURRENCE

# Which loop-nest arithmetic makes which grammar ops worth trying.
ARITH_FEATURES = {"arith.addf": "add", "arith.subf": "sub", "arith.mulf": "mul",
                  "arith.divf": "div", "math.sqrt": "sqrt", "math.exp": "exp",
                  "arith.maximumf": "max", "arith.maxnumf": "max",
                  "arith.minimumf": "min", "arith.minnumf": "min",
                  "arith.negf": "neg", "math.absf": "abs", "math.tanh": "tanh",
                  "math.log": "log",
                  # integer data: the same tags (grammar records emit addi/muli/... there)
                  "arith.addi": "add", "arith.subi": "sub", "arith.muli": "mul",
                  "arith.divsi": "div", "arith.maxsi": "max", "arith.minsi": "min"}
STORES = ("affine.store", "memref.store")
LOADS = ("affine.load", "memref.load")


def _non_rectangular(nest: Op) -> bool:
    """A loop bound that depends on an enclosing loop's index: a triangular space."""
    for op in nest.walk():
        if op.name != "affine.for":
            continue
        if op.attrs["lowerBoundMap"].n_dims or op.attrs["upperBoundMap"].n_dims:  # type: ignore
            return True
    return False


def _defining_ops(nest: Op) -> dict[int, Op]:
    return {result: op for op in nest.walk() for result in op.results}


def _reads_same(value: int, memref: int, defs: dict[int, Op]) -> bool:
    """Is `value` computed (within the nest) from a load of `memref`?"""
    stack, seen = [value], set()
    while stack:
        vid = stack.pop()
        if vid in seen or vid not in defs:
            continue
        seen.add(vid)
        op = defs[vid]
        if op.name in LOADS and op.operands[0] == memref:
            return True
        stack.extend(op.operands)
    return False


def _overwrites(nest: Op) -> bool:
    """A store that an enclosing loop repeats at the same place without reading the old
    value: only the last iteration's value survives (a slice of the result)."""
    defs = _defining_ops(nest)

    def visit(op: Op, ivs: list[int]) -> bool:
        if op.name in STORES:
            indices = set(op.operands[2:])
            repeated = any(iv not in indices for iv in ivs)
            return repeated and not _reads_same(op.operands[0], op.operands[1], defs)
        inner = ivs + [b.args[0] for r in op.regions for b in r if op.name == "affine.for"]
        return any(visit(child, inner) for r in op.regions for b in r for child in b.ops)

    return visit(nest, [])


def _linear_part(op: Op) -> tuple[tuple[int, ...], ...] | None:
    """How a load's indices move per unit step of each map operand (None: not affine)."""
    amap = op.attrs["map"]
    n = amap.n_dims + amap.n_symbols  # type: ignore[attr-defined]
    try:
        base = amap.apply([0] * n)  # type: ignore[attr-defined]
        return tuple(tuple(a - b for a, b in zip(amap.apply(  # type: ignore[attr-defined]
            [int(k == d) for k in range(n)]), base)) for d in range(n))
    except (ZeroDivisionError, ValueError):
        return None


def _neighbour_reads(nest: Op) -> bool:
    """The same memref read at indices that differ only by constants (A[i][j-1] and
    A[i+1][j]): a stencil."""
    seen: dict[tuple[int, tuple[int, ...], object], set[tuple[int, ...]]] = {}
    for op in nest.walk():
        if op.name != "affine.load":
            continue
        linear = _linear_part(op)
        if linear is None:
            continue
        operands = tuple(op.operands[1:])
        offset = tuple(op.attrs["map"].apply([0] * len(operands)))  # type: ignore[attr-defined]
        offsets = seen.setdefault((op.operands[0], operands, linear), set())
        offsets.add(offset)
        if len(offsets) > 1:
            return True
    return False


def _windowed_reads(nest: Op) -> bool:
    """A read whose subscript combines loop indices in one dimension (x[i + k],
    img[2 * i + p]): a window."""
    for op in nest.walk():
        if op.name != "affine.load":
            continue
        linear = _linear_part(op)
        if linear is None or not linear:
            continue
        for dim in range(len(linear[0])):
            moving = [step[dim] for step in linear if step[dim]]
            if len(moving) > 1 or any(abs(s) > 1 for s in moving):
                return True
    return False


def needs_room(kernel: Kernel) -> bool:
    """Neighbour reads need extents with room for a neighbour on both sides and an
    interior wide enough that a shifted copy differs from a sum (so at least 5)."""
    return any(_neighbour_reads(op) for op in kernel.body.ops)


def float_constants(kernel: Kernel, nest: Op) -> tuple[float, ...]:
    """Float constants the nest uses (defined inside or hoisted to the top, as Polygeist
    does)."""
    values = {op.results[0]: float(op.attrs["value"])  # type: ignore[arg-type]
              for top in kernel.body.ops for op in top.walk()
              if op.name == "arith.constant" and op.result_types[0].startswith("f")}
    found: list[float] = []
    for op in nest.walk():
        for vid in [*op.operands, *op.results]:
            value = values.get(vid)
            if value is not None and value not in found:
                found.append(value)
    return tuple(found)


def _chooses_between_compared(nest: Op) -> bool:
    """A select between the two values its cmpf compared (`x > y ? x : y`, as C ternaries
    and fmax-like macros compile): a max or min spelled out."""
    defs = _defining_ops(nest)
    for op in nest.walk():
        if op.name != "arith.select" or op.operands[0] not in defs:
            continue
        cond = defs[op.operands[0]]
        if cond.name == "arith.cmpf" and set(cond.operands) == set(op.operands[1:]):
            return True
    return False


def _accumulates(nest: Op) -> bool:
    """A reduction: a loop carries a value (iter_args), or a store that an enclosing loop
    repeats at the same place reads the old value there (`c[i] -= a[k] * b[k][i]`)."""
    defs = _defining_ops(nest)

    def visit(op: Op, ivs: list[int]) -> bool:
        if op.name == "affine.for" and op.results:
            return True
        if op.name in STORES:
            indices = set(op.operands[2:])
            return any(iv not in indices for iv in ivs) and \
                _reads_same(op.operands[0], op.operands[1], defs)
        inner = ivs + [b.args[0] for r in op.regions for b in r if op.name == "affine.for"]
        return any(visit(child, inner) for r in op.regions for b in r for child in b.ops)

    return visit(nest, [])


def features(nest: Op) -> set[str]:
    """The `requires` tags this nest satisfies."""
    found = {ARITH_FEATURES[op.name] for op in nest.walk() if op.name in ARITH_FEATURES
             and "index" not in op.result_types}  # index arithmetic is addressing, not data
    if any(op.name in ("arith.cmpf", "arith.cmpi") for op in nest.walk()):
        found.add("compare")
    if _chooses_between_compared(nest):
        found |= {"max", "min"}  # which one depends on the predicate; the search decides
    if _non_rectangular(nest):
        found.add("index_mask")
    if _overwrites(nest):
        found.add("last_slice")
    if "sub" in found and _accumulates(nest):
        found.add("add")  # a running difference sums its terms: contractions apply
    if _neighbour_reads(nest):
        found.add("stencil")
    if _windowed_reads(nest):
        found.add("window")
    return found


def search_space(kernel: Kernel, nest: Op, recurrent: bool = False
                 ) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The grammar ops worth trying (their `requires` tags hold) and the constants to
    offer them. A `recurrent` nest (a loop-carried chain) is offered the sequential records
    only: no whole-array op without one can be equal to it."""
    found = features(nest) | ({RECURRENCE} if recurrent else set())
    allowed = tuple(op.name for op in CATALOG if op.requires <= found and
                    (RECURRENCE in op.requires) == recurrent)
    constants = float_constants(kernel, nest)
    if "index_mask" in found and 0.0 not in constants:
        constants += (0.0,)  # what a triangular loop leaves out contributes zero
    return allowed, constants

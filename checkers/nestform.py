"""Closed forms of a loop nest's outputs over symbolic extents (checkers.polyform).

A deliberately small class of nests, each condition checked, anything else refused
(NotCanonical), so that a closed form is only ever claimed where it is exact:

- loops `affine.for %i = 0 to E` (E a static extent, step 1, no iter_args); the body holds
  affine loads/stores and polynomial arith (addf, subf, mulf, negf, constants);
- every store `X[i, j, ...]` indexes with distinct loop variables whose ranges are X's
  extents (it covers X); every read `Y[...]` likewise uses loop variables ranging over Y's
  extents (in bounds for every size);
- a statement reads the array it writes only at the element it writes (its old value, read
  in the same loop body with no store in between), entering linearly: X := a*X + b;
  when loops not in the store index repeat the update (a reduction), a must be 1;
- updates of one element by several statements either all add (order-free over the reals),
  or happen within one iteration of their common loops (each common loop variable indexes
  the same dimension in both stores), in program order;
- an array written in the nest may be read by a later statement when all its writes precede
  that read within the same iteration of their common loops (read at those loops'
  variables): the read sees the array's final value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checkers.polyform import (
    IndexAlgebra,
    Lin,
    NotCanonical,
    Poly,
    normal_form,
    output_index,
)
from core.kernel_ir import Kernel, Op

_SELF = "@old"  # marker factor: the element's value before the statement
_POLY_BINARY = {"arith.addf": "add", "arith.subf": "sub", "arith.mulf": "mul"}
_SKIP = ("affine.load", "affine.yield", "arith.constant", "arith.addf", "arith.subf",
         "arith.mulf", "arith.negf")


@dataclass
class _Loop:
    iv: int  # value id of the induction variable
    extent: int


@dataclass
class _Statement:
    store: Op
    loops: list[_Loop]
    path: tuple[int, ...]  # positions from the region's top: program order
    block: list[Op]  # the ops of the loop body holding the store
    array: int
    coords: list[int] = field(default_factory=list)  # loop iv per stored dimension


def _iv_name(iv: int) -> str:
    return f"i{iv}"


class NestForms:
    """Closed forms of every array a region writes, built on demand (see module doc)."""

    def __init__(self, kernel: Kernel, index: int, end: int) -> None:
        self.kernel = kernel
        self.alg = IndexAlgebra()
        self.positions = {vid: p for p, vid in enumerate(kernel.arg_ids)}
        self.shapes = {vid: t.shape for vid, t in zip(kernel.arg_ids, kernel.arg_types)
                       if t.is_memref}
        self.extents = {d for s in self.shapes.values() for d in (s or ())}
        self.defs: dict[int, Op] = {}
        for top in kernel.body.ops:
            for op in top.walk():
                for result in op.results:
                    self.defs[result] = op
        self.statements: list[_Statement] = []
        self._collect(kernel.body.ops[index:end], [], (), kernel.body.ops[index:end])
        self.written = {s.array for s in self.statements}
        self._forms: dict[int, tuple[Poly, Poly]] = {}
        self._busy: set[int] = set()

    # --- structure --------------------------------------------------------------------
    def _loop(self, op: Op) -> _Loop:
        lb, ub = op.attrs["lowerBoundMap"], op.attrs["upperBoundMap"]
        constant = all(m.n_dims == 0 and m.n_symbols == 0 and len(m.results) == 1  # type: ignore
                       and m.results[0][0] == "const" for m in (lb, ub))  # type: ignore
        if op.results or not constant or int(op.attrs.get("step", 1)) != 1:  # type: ignore
            raise NotCanonical("a loop with iter_args, a step or non-constant bounds")
        lower, upper = lb.results[0][1], ub.results[0][1]  # type: ignore[attr-defined]
        if lower != 0 or upper not in self.extents:
            raise NotCanonical(f"loop range [{lower}, {upper}) is not [0, extent)")
        return _Loop(op.regions[0][0].args[0], upper)

    def _collect(self, ops: list[Op], loops: list[_Loop], path: tuple[int, ...],
                 block: list[Op]) -> None:
        for position, op in enumerate(ops):
            if op.name == "affine.for":
                body = op.regions[0][0].ops
                self._collect(body, [*loops, self._loop(op)], (*path, position), body)
            elif op.name == "affine.store":
                self._statement(op, loops, (*path, position), block)
            elif op.name not in _SKIP:
                raise NotCanonical(f"op {op.name}")

    def _index(self, op: Op, first: int, loops: list[_Loop]) -> list[int]:
        """Loop ivs indexing each dimension; NotCanonical unless each is a plain iv."""
        ivs = {loop.iv for loop in loops}
        amap = op.attrs["map"]
        operands = op.operands[first:]
        out = []
        for expr in amap.results:  # type: ignore[attr-defined]
            if expr[0] != "dim" or operands[expr[1]] not in ivs:
                raise NotCanonical("an index that is not a loop variable")
            out.append(operands[expr[1]])
        return out

    def _check_extents(self, array: int, ivs: list[int], loops: list[_Loop]) -> None:
        extent = {loop.iv: loop.extent for loop in loops}
        shape = self.shapes.get(array)
        if shape is None or tuple(extent[iv] for iv in ivs) != shape:
            raise NotCanonical("an index range differs from the array's extent")

    def _statement(self, op: Op, loops: list[_Loop], path: tuple[int, ...],
                   block: list[Op]) -> None:
        array = op.operands[1]
        if array not in self.positions:
            raise NotCanonical("a store to a local buffer")
        coords = self._index(op, 2, loops)
        if len(set(coords)) != len(coords):
            raise NotCanonical("a store index repeats a loop variable")
        self._check_extents(array, coords, loops)
        self.statements.append(_Statement(op, loops, path, block, array, coords))

    # --- values -----------------------------------------------------------------------
    def _name(self, array: int) -> str:
        return f"arg{self.positions[array]}"

    def _between_stores(self, stmt: _Statement, load: Op) -> bool:
        """Whether the load is in the store's loop body with no store in between."""
        block = stmt.block
        if load not in block:
            return False
        start, stop = block.index(load), block.index(stmt.store)
        return start < stop and not any(
            o.name == "affine.store" for top in block[start + 1:stop] for o in top.walk())

    def _value(self, vid: int, stmt: _Statement, env: dict[str, Lin]) -> Poly:
        if vid in self.positions:
            vtype = self.kernel.arg_types[self.positions[vid]]
            if vtype.is_memref or not vtype.elem.startswith("f"):
                raise NotCanonical("a non-float argument used as data")
            return self.alg.read(self._name(vid), ())
        op = self.defs.get(vid)
        if op is None:
            raise NotCanonical("a value from an unknown definition")
        if op.name == "arith.constant" and isinstance(op.attrs["value"], float):
            return self.alg.const(op.attrs["value"])  # type: ignore[arg-type]
        if op.name in _POLY_BINARY:
            lhs, rhs = (self._value(v, stmt, env) for v in op.operands)
            return {"add": lhs + rhs, "sub": lhs - rhs, "mul": lhs * rhs}[_POLY_BINARY[op.name]]
        if op.name == "arith.negf":
            return -self._value(op.operands[0], stmt, env)
        if op.name == "affine.load":
            return self._load(op, stmt, env)
        raise NotCanonical(f"data op {op.name}")

    def _load(self, op: Op, stmt: _Statement, env: dict[str, Lin]) -> Poly:
        array = op.operands[0]
        ivs = self._index(op, 1, stmt.loops)
        if array not in self.shapes or array not in self.positions:
            raise NotCanonical("a read of a local buffer")
        self._check_extents(array, ivs, stmt.loops)
        if array not in self.written:
            return self.alg.read(self._name(array), tuple(env[_iv_name(iv)] for iv in ivs))
        if not self._between_stores(stmt, op):
            raise NotCanonical("a written array read outside its statement")
        if array == stmt.array:
            if ivs != stmt.coords:
                raise NotCanonical("an array read at another element than it writes")
            return self.alg.read(_SELF, ())
        return self._final_read(array, ivs, stmt, env)

    def _final_read(self, array: int, ivs: list[int], stmt: _Statement,
                    env: dict[str, Lin]) -> Poly:
        """Another written array: allowed when all its writes precede this read within the
        same iteration of their common loops, so the read sees its final value."""
        for writer in (s for s in self.statements if s.array == array):
            if writer.path >= stmt.path:
                raise NotCanonical("an array read before its last write")
            for loop in _common(writer, stmt):
                dims = [d for d, iv in enumerate(writer.coords) if iv == loop.iv]
                if not dims or ivs[dims[0]] != loop.iv:
                    raise NotCanonical("an array read in another iteration than written")
        a, b = self.final(array)
        old = self.alg.read(self._name(array), output_index(len(ivs)))
        return (a * old + b).instantiate({f"p{d}": env[_iv_name(iv)]
                                          for d, iv in enumerate(ivs)})

    # --- folds ------------------------------------------------------------------------
    def _fold(self, stmt: _Statement) -> tuple[Poly, Poly, bool]:
        """(a, b, adds_only): the statement's total effect X[p] := a*X[p] + b."""
        env = {_iv_name(iv): Lin.var(f"p{d}") for d, iv in enumerate(stmt.coords)}
        reduced = [loop for loop in stmt.loops if loop.iv not in stmt.coords]
        for loop in reduced:
            env[_iv_name(loop.iv)] = Lin.var(_iv_name(loop.iv))
        a, b = self._value(stmt.store.operands[0], stmt, env).split_marker(_SELF)
        adds = normal_form(a) == normal_form(Poly.const(1))
        if reduced and not adds:
            raise NotCanonical("a repeated update that is not an accumulation")
        for loop in reduced:
            b = b.summed(_iv_name(loop.iv), self.alg.extent(loop.extent))
        return (Poly.const(1) if adds else a), b, adds

    def final(self, array: int) -> tuple[Poly, Poly]:
        """(A, B): the array's value after the region is A*X[p] + B (free vars p0, p1...)."""
        if array in self._forms:
            return self._forms[array]
        if array in self._busy:
            raise NotCanonical("arrays that depend on each other")
        self._busy.add(array)
        writers = [s for s in self.statements if s.array == array]
        folds = [self._fold(s) for s in writers]
        for x in range(len(writers)):
            for y in range(x + 1, len(writers)):
                if folds[x][2] and folds[y][2]:
                    continue  # additions commute over the reals
                if not all(_same_dim(loop.iv, writers[x], writers[y])
                           for loop in _common(writers[x], writers[y])):
                    raise NotCanonical("updates of one element interleave")
        total_a, total_b = Poly.const(1), Poly()
        for a, b, _ in folds:
            total_a, total_b = a * total_a, a * total_b + b
        self._busy.discard(array)
        self._forms[array] = (total_a, total_b)
        return total_a, total_b

    def output(self, position: int) -> Poly:
        """The closed form of argument `position` after the region, at index p0, p1, ..."""
        array = self.kernel.arg_ids[position]
        if array not in self.written:
            raise NotCanonical(f"arg{position} is not written")
        a, b = self.final(array)
        shape = self.shapes[array] or ()
        return a * self.alg.read(self._name(array), output_index(len(shape))) + b


def _common(s: _Statement, t: _Statement) -> list[_Loop]:
    out = []
    for x, y in zip(s.loops, t.loops):
        if x.iv != y.iv:
            break
        out.append(x)
    return out


def _same_dim(iv: int, s: _Statement, t: _Statement) -> bool:
    """The loop variable indexes the same stored dimension in both statements."""
    return iv in s.coords and iv in t.coords and s.coords.index(iv) == t.coords.index(iv)

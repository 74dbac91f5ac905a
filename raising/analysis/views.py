"""Nests inside a kept loop that depend on its index, raised on views.

A factorisation's or a solver's outer loop `for k` is sequential, but the nests in its body
are whole-array work on parts of the arrays that move with `k`: `for j in k+1..N: A[k][j]
/= A[k][k]` scales one row to the right of the diagonal. Each access whose subscripts are
each a nest loop's index plus an affine function of `k` and the function's sizes (or that
function alone) touches a box of its buffer: offsets from `k`, extents the loops' trip
counts. That box is a view. The nest, rewritten over its views with loops from 0, is a
function of its own (the view function: one argument per view, runtime sizes read with
`memref.dim`), which the pipeline raises and proves like any function with dynamic shapes.
In the kept loop the raised view function is called on `memref.subview`s of the buffers.

Two views of one buffer, one of them written, must be disjoint for every `k` (decided on
the affine forms: some dimension where one box ends where the other may start), so the view
function's separate arguments mean what the in-place nest means."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from torch_mlir import ir

from core.kernel_ir import AffineExpr
from raising.frontend.load import _affine_map
from raising.frontend.locals import local_buffers

# A linear form: value key -> coefficient; the key 1 holds the constant.
Form = dict[object, int]
# Where a value of the enclosing function lives: ("k",) the kept loop's index, ("arg", i)
# an argument (locals promoted: the analysis view's numbering), ("op", top index, result).
Source = tuple[object, ...]

ACCESSES = ("affine.load", "affine.store")


class ViewError(Exception):
    """The nest cannot be written over views; the message says why."""


@dataclass(frozen=True)
class View:
    """A box of one buffer: per buffer dimension its offset and the extent a nest loop runs
    along it (its trip count), or None for a fixed index. Accesses by different loops with
    the same box share the view."""

    base: int  # position of the buffer (argument or promoted local)
    extents: tuple[tuple[tuple[Source, int], ...] | None, ...]  # per dimension: frozen Form
    offsets: tuple[tuple[tuple[Source, int], ...], ...]  # per dimension: a frozen Form
    # Per dimension 1, or -1 where the subscript runs backwards (`r[k - i - 1]`): the view
    # starts at the offset and steps down (a negative stride).
    directions: tuple[int, ...] = ()


@dataclass
class ViewNest:
    """What the pipeline needs of one nest written over views."""

    text: str  # the view function's module (identity layouts: for the analysis)
    strided_text: str  # the same with strided layouts (for the emitted callee)
    func: str
    views: list[View] = field(default_factory=list)
    # Values passed through (a scale factor, a pivot loaded before the nest): ("arg", i)
    # or ("body", position in the loop body, result).
    scalars: list[Source] = field(default_factory=list)
    written: set[int] = field(default_factory=set)  # base positions the nest writes
    end: int = -1  # the last body position the call replaces (the nest and what uses it)
    # Values of the replaced operations used after them (a reduction's result the next step
    # needs): the view function returns them, as (body position, result number).
    returns: list[tuple[int, int]] = field(default_factory=list)
    layouts: list[str] = field(default_factory=list)  # per view: its callee parameter's

    @property
    def read(self) -> set[int]:
        """Base positions the nest touches (every view is read or written)."""
        return {view.base for view in self.views}


def _print(op: ir.Operation, state: ir.AsmState) -> str:
    out = io.StringIO()
    op.print(state=state, file=out)
    return out.getvalue().strip()


def _linear(expr: AffineExpr, dims: list[Form], syms: list[Form]) -> Form:
    kind = expr[0]
    if kind == "const":
        return {1: int(expr[1])} if expr[1] else {}
    if kind in ("dim", "sym"):
        return dict((dims if kind == "dim" else syms)[int(expr[1])])  # type: ignore[arg-type]
    lhs = _linear(expr[1], dims, syms)  # type: ignore[arg-type]
    rhs = _linear(expr[2], dims, syms)  # type: ignore[arg-type]
    if kind == "add":
        return _plus(lhs, rhs)
    if kind == "mul":
        for a, b in ((lhs, rhs), (rhs, lhs)):
            if set(b) <= {1}:
                return {key: c * b.get(1, 0) for key, c in a.items() if c * b.get(1, 0)}
    raise ViewError(f"a subscript or bound that is not linear ({kind})")


def _plus(a: Form, b: Form, scale: int = 1) -> Form:
    out = dict(a)
    for key, c in b.items():
        out[key] = out.get(key, 0) + scale * c
        if not out[key]:
            del out[key]
    return out


def _frozen(form: Form) -> tuple[tuple[Source, int], ...]:
    return tuple(sorted(form.items(), key=repr))  # type: ignore[arg-type]


class _Extractor:
    def __init__(self, func: ir.Operation, kept: list[ir.Operation],
                 group: list[ir.Operation]) -> None:
        self.block = func.regions[0].blocks[0]
        self.loop = kept[-1]  # the innermost kept loop: the nest is in its body
        # Kept loop indices by level: ("k",) the top-level loop's, ("k", l) deeper ones'.
        self.kept = {loop.regions[0].blocks[0].arguments[0]: _kept_key(level)
                     for level, loop in enumerate(kept)}
        self.group = group  # the nest and the body operations that use what it computes
        self.loops: list[ir.Operation] = []  # the nest's loops, outermost first
        self.ivs: dict[ir.Value, int] = {}  # nest loop index -> its position
        self.lower: list[Form] = []
        self.trips: list[Form] = []
        self.views: list[View] = []
        self.view_of: dict[ir.Operation, tuple[int, list[int]]] = {}  # access -> view, dims
        self.top = {op.operation: i for i, op in enumerate(self.block.operations)}
        n_args = len(self.block.arguments)
        self.bases = list(self.block.arguments) + [a.results[0] for a in local_buffers(func)]
        self.locals = {v: n_args + j for j, v in enumerate(self.bases[n_args:])}

    def source(self, value: ir.Value) -> Source:
        """Where an outer value lives, or ViewError when it is computed in the loop."""
        if value in self.kept:
            return self.kept[value]
        if value in self.locals:
            return ("arg", self.locals[value])
        if isinstance(value, ir.BlockArgument):
            if value.owner == self.block:
                return ("arg", value.arg_number)
            raise ViewError("a subscript uses an index of a loop around the kept loop")
        owner = value.owner
        if owner in self.top:
            return ("op", self.top[owner], value.result_number)
        if owner.name == "arith.constant":
            return ("const", int(ir.IntegerAttr(owner.attributes["value"]).value))
        raise ViewError("a subscript or bound uses a value computed in the loop body")

    def ranges(self, kept: list[ir.Operation]) -> dict[object, tuple[Form, Form]]:
        """Each kept loop index's lower bound and exclusive upper bound, as forms of the
        indices around it (where they are such forms)."""
        found: dict[object, tuple[Form, Form]] = {}
        for loop in kept:
            operands = list(loop.operands)
            lower_map = _affine_map(loop.attributes["lowerBoundMap"])
            split = lower_map.n_dims + lower_map.n_symbols
            try:
                lower = self.apply(loop.attributes["lowerBoundMap"], operands[:split])
                upper = self.apply(loop.attributes["upperBoundMap"],
                                   operands[split:len(operands) - len(loop.results)])
            except ViewError:
                continue
            if len(lower) == 1 and len(upper) == 1:
                found[self.kept[loop.regions[0].blocks[0].arguments[0]]] = (lower[0], upper[0])
        return found

    def form(self, value: ir.Value) -> Form:
        if value in self.ivs:
            return {("iv", self.ivs[value]): 1}
        where = self.source(value)
        if where[0] == "const":
            return {1: int(where[1])} if where[1] else {}  # type: ignore[call-overload]
        return {where: 1}

    def apply(self, attr: ir.Attribute, operands: list[ir.Value]) -> list[Form]:
        amap = _affine_map(attr)
        forms = [self.form(v) for v in operands]
        dims, syms = forms[:amap.n_dims], forms[amap.n_dims:]
        return [_linear(e, dims, syms) for e in amap.results]

    def walk(self, op: ir.Operation) -> None:
        if op.name == "affine.for":
            self.add_loop(op)
            for inner in op.regions[0].blocks[0].operations:
                self.walk(inner.operation)
            return
        if op.regions and any(r.blocks for r in op.regions):
            raise ViewError(f"`{op.name}` inside the nest")
        if op.name in ACCESSES:
            self.add_access(op)

    def add_loop(self, op: ir.Operation) -> None:
        if ir.IntegerAttr(op.attributes["step"]).value != 1:
            raise ViewError("a loop with a step")
        operands = list(op.operands)
        n_lb = _affine_map(op.attributes["lowerBoundMap"])
        split = n_lb.n_dims + n_lb.n_symbols
        lower = self.apply(op.attributes["lowerBoundMap"], operands[:split])
        upper = self.apply(op.attributes["upperBoundMap"],
                           operands[split:len(operands) - len(op.results)])
        if len(lower) != 1 or len(upper) != 1:
            raise ViewError("a loop bound with max/min")
        trip = _plus(upper[0], lower[0], -1)
        if any(isinstance(key, tuple) and key[0] == "iv" for key in [*trip, *lower[0]]):
            raise ViewError("a loop bound that depends on another loop of the nest")
        self.ivs[op.regions[0].blocks[0].arguments[0]] = len(self.loops)
        self.loops.append(op)
        self.lower.append(lower[0])
        self.trips.append(trip)

    def add_access(self, op: ir.Operation) -> None:
        first = 1 if op.name == "affine.load" else 2
        memref = op.operands[first - 1]
        base = self.source(memref)
        if base[0] != "arg":
            raise ViewError("an access to a buffer defined in the loop")
        subscripts = self.apply(op.attributes["map"], list(op.operands)[first:])
        loops: list[int | None] = []
        offsets = []
        directions = []
        for sub in subscripts:
            ivs = [key for key in sub if isinstance(key, tuple) and key[0] == "iv"]
            if len(ivs) > 1 or any(sub[key] not in (1, -1) for key in ivs):
                raise ViewError("a subscript that is not one loop index plus an offset")
            loop = int(ivs[0][1]) if ivs else None  # type: ignore[arg-type]
            direction = sub[ivs[0]] if ivs else 1
            unit: Form = {ivs[0]: direction} if ivs else {}
            offset = _plus(sub, unit, -1) if ivs else sub
            if loop is not None:  # the view starts where the loop does
                offset = _plus(offset, self.lower[loop], direction)
            loops.append(loop)
            offsets.append(_frozen(offset))
            directions.append(direction)
        used = [loop for loop in loops if loop is not None]
        if len(set(used)) != len(used):
            raise ViewError("one loop index in two subscripts (a diagonal)")
        extents = tuple(_frozen(self.trips[loop]) if loop is not None else None
                        for loop in loops)
        view = View(int(base[1]), extents, tuple(offsets),  # type: ignore[call-overload]
                    tuple(directions))
        if view not in self.views:
            self.views.append(view)
        self.view_of[op] = (self.views.index(view), used)


def _extents(view: View) -> list[Form]:
    return [dict(extent) if extent is not None else {1: 1} for extent in view.extents]


def _kept_key(level: int) -> Source:
    return ("k",) if level == 0 else ("k", level)


def _level(key: object) -> int:
    """How deep a kept index's loop is (0: the top-level kept loop)."""
    return int(key[1]) if isinstance(key, tuple) and len(key) > 1 else 0  # type: ignore


def _provably_le(a: Form, b: Form, ranges: dict[object, tuple[Form, Form]] | None = None
                 ) -> bool:
    """a <= b for every value of the variables: the difference is a constant at least 0,
    after each kept index in it is replaced by the end of its range that makes the
    difference smallest (`j` in [0, i): i - j >= 1)."""
    diff = _plus(b, a, -1)
    for _ in range(8):  # one kept index at a time; kept loops nest a few deep
        if set(diff) <= {1}:
            break
        # The innermost kept index first: its bounds are forms of the outer ones.
        keys = [k for k in diff if k != 1 and ranges and k in ranges]
        for key in sorted(keys, key=_level, reverse=True)[:1]:
            coeff = diff.pop(key)
            lower, upper = ranges[key]  # type: ignore[index]
            worst = lower if coeff > 0 else _plus(upper, {1: -1})
            diff = _plus(diff, worst, coeff)
    return set(diff) <= {1} and diff.get(1, 0) >= 0


def _low(view: View, d: int, extent: Form) -> Form:
    """The lowest index a view covers along dimension d."""
    start: Form = dict(view.offsets[d])
    if view.directions and view.directions[d] < 0:  # from start - extent + 1 up to start
        return _plus(_plus(start, extent, -1), {1: 1})
    return start


def _check_bounds(view: View, base: ir.Value, ranges: dict[object, tuple[Form, Form]]
                  ) -> None:
    """Every view inside its buffer for every value of the kept indices (an original that
    reads outside is undefined, and a view starting at -1 is not even valid IR)."""
    shape = ir.MemRefType(base.type).shape
    for d, extent in enumerate(_extents(view)):
        low = _low(view, d, extent)
        if not _provably_le({}, low, ranges):
            raise ViewError("a view that may start before its buffer")
        size = shape[d] if d < len(shape) else -1
        if size >= 0 and not _provably_le(_plus(low, extent), {1: size}, ranges):
            raise ViewError("a view that may end past its buffer")


def _disjoint(a: View, b: View, ranges: dict[object, tuple[Form, Form]]) -> bool:
    ext_a, ext_b = _extents(a), _extents(b)
    for d in range(len(a.extents)):
        lo_a, lo_b = _low(a, d, ext_a[d]), _low(b, d, ext_b[d])
        if _provably_le(_plus(lo_a, ext_a[d]), lo_b, ranges) or \
                _provably_le(_plus(lo_b, ext_b[d]), lo_a, ranges):
            return True
    return False


def view_nest(text: str, func_name: str, outer: int, position: int, *deeper: int
              ) -> ViewNest:
    """The nest at `position` in the body of top-level loop `outer` of `func_name`, written
    over views; with `deeper` positions, `position` is a loop kept as well and the nest
    sits at the last of them, in the innermost kept loop. Raises ViewError with the reason
    it cannot be."""
    from core import mlir_env

    module = mlir_env.parse_module(text)
    with module.context:
        func = next(op.operation for op in module.body.operations
                    if op.operation.name == "func.func"
                    and ir.StringAttr(op.attributes["sym_name"]).value == func_name)
        block = func.regions[0].blocks[0]
        kept = [list(block.operations)[outer].operation]
        *through, last = (position, *deeper)
        for p in through:
            inner = list(kept[-1].regions[0].blocks[0].operations)[p].operation
            if inner.name != "affine.for":
                raise ViewError("a kept position that is not a loop")
            kept.append(inner)
        group, returns = _group(list(kept[-1].regions[0].blocks[0].operations), last)
        ext = _Extractor(func, kept, group)
        ranges = ext.ranges(kept)
        for op in group:
            ext.walk(op)
        for view in ext.views:
            _check_bounds(view, ext.bases[view.base], ranges)
        written = {ext.views[v].base for op, (v, _) in ext.view_of.items()
                   if op.name == "affine.store"}
        stored = {v for op, (v, _) in ext.view_of.items() if op.name == "affine.store"}
        for i, a in enumerate(ext.views):
            for j, b in enumerate(ext.views):
                if i < j and a.base == b.base and (i in stored or j in stored) and \
                        not _disjoint(a, b, ranges):
                    raise ViewError("two views of one buffer may overlap and one is written")
        state = ir.AsmState(func)
        scalars = _scalars(ext, state)
        name = f"{func_name}__view{'_'.join(map(str, (outer, position, *deeper)))}"
        found = ViewNest("", "", name, list(ext.views), [w for w, _ in scalars], written)
        found.end = last + len(group) - 1
        found.returns = returns
        found.text = _function_text(ext, state, found, scalars, strided=False)
        found.strided_text = _function_text(ext, state, found, scalars, strided=True)
        return found


def _group(body: list[ir.OpView], position: int
           ) -> tuple[list[ir.Operation], list[tuple[int, int]]]:
    """The nest at `position` and the operations after it up to the last that uses what it
    computes (a reduction's result divided and stored), stopping before a loop or the kept
    loop's yield: the part of the body one call can replace. Its values used after it are
    what the call returns, as (body position, result number)."""
    defined = {v for op in _ops(body[position].operation) for v in op.results}
    end = position
    for i in range(position + 1, len(body)):
        op = body[i].operation
        if not any(v in defined for inner in _ops(op) for v in inner.operands):
            continue
        if op.name in ("affine.for", "affine.yield", "affine.if"):
            break
        end = i
        defined.update(op.results)
    group = [body[i].operation for i in range(position, end + 1)]
    later = {v for op in body[end + 1:] for inner in _ops(op.operation) for v in inner.operands}
    returns = [(position + j, n) for j, op in enumerate(group)
               for n, v in enumerate(op.results) if v in later]
    return group, returns


def _scalars(ext: _Extractor, state: ir.AsmState) -> list[tuple[Source, ir.Value]]:
    """Values the nest uses that it does not compute, as numbers: function arguments (a
    scale factor) and values computed before it in the loop body (a pivot), passed through.
    Loop indices used as numbers are refused."""
    inside = set()
    group = [op for top in ext.group for op in _ops(top)]
    for op in group:
        inside.update(op.results)
        for region in op.regions:
            for blk in region.blocks:
                inside.update(blk.arguments)
    body = {op.operation: i for i, op in enumerate(ext.loop.regions[0].blocks[0].operations)}
    found: list[tuple[Source, ir.Value]] = []
    for op in group:
        first = {"affine.load": 1, "affine.store": 2}.get(op.name)
        operands = list(op.operands)
        if op.name == "affine.for":  # bounds are trip counts; initial values pass through
            operands = operands[len(operands) - len(op.results):]
        if first is not None:
            operands = operands[:first - 1] if op.name == "affine.store" else []
        for value in operands:
            if value in ext.ivs or value in ext.kept:
                raise ViewError("a loop index used as a number")
            if value in inside:
                continue
            where: Source | None = None
            if isinstance(value, ir.BlockArgument) and value.owner == ext.block:
                where = ("arg", value.arg_number)
            elif isinstance(value, ir.BlockArgument) and \
                    value.owner == ext.loop.regions[0].blocks[0]:
                where = ("carried", value.arg_number)  # an iter_args value of the kept loop
            elif not isinstance(value, ir.BlockArgument) and value.owner in body and \
                    value.owner.name != "arith.constant":
                if str(value.type) == "index":
                    raise ViewError("uses an index computed in the loop body")
                where = ("body", body[value.owner], value.result_number)
            elif isinstance(value, ir.BlockArgument) or value.owner.name != "arith.constant":
                raise ViewError("uses a value computed outside the nest")
            if where is not None and where not in [w for w, _ in found]:
                found.append((where, value))
    return found


def _ops(op: ir.Operation) -> list[ir.Operation]:
    found = [op]
    for region in op.regions:
        for blk in region.blocks:
            for inner in blk.operations:
                found.extend(_ops(inner.operation))
    return found


def strided_layout(rank: int, unit_inner: bool = False) -> str:
    """The layout of a view parameter in the emitted callee: any strides (the innermost 1
    when every call's view runs along its buffer's contiguous dimension: that loop can be
    vectorised), any offset."""
    strides = ["?"] * rank
    if unit_inner and rank:
        strides[-1] = "1"
    return f"strided<[{', '.join(strides)}], offset: ?>"


def _unit_inner(view: View, base: ir.Value) -> bool:
    """The view's innermost dimension is its buffer's innermost one, walked forwards, in a
    buffer of the identity layout: stride 1 at every call."""
    mtype = ir.MemRefType(base.type)
    identity = str(mtype.layout) == str(ir.AffineMapAttr.get(
        ir.AffineMap.get_identity(mtype.rank)))
    forwards = not view.directions or view.directions[-1] > 0
    return identity and bool(view.extents) and view.extents[-1] is not None and forwards


def _memref_type(view: View, elem: str, strided: bool, unit_inner: bool = False) -> str:
    """Every extent of a view is a runtime size (even a constant trip count: the callee
    then serves every size, the resized copies of the cross-check included)."""
    rank = sum(extent is not None for extent in view.extents)
    shape = "?x" * rank
    if not strided:
        return f"memref<{shape}{elem}>"
    return f"memref<{shape}{elem}, {strided_layout(rank, unit_inner)}>"


def _function_text(ext: _Extractor, state: ir.AsmState, found: ViewNest,
                   scalars: list[tuple[Source, ir.Value]], strided: bool) -> str:
    elems = {i: str(ir.MemRefType(ext.bases[v.base].type).element_type)
             for i, v in enumerate(ext.views)}
    units = [_unit_inner(v, ext.bases[v.base]) for v in ext.views]
    found.layouts = [strided_layout(sum(e is not None for e in v.extents), unit)
                     for v, unit in zip(ext.views, units)]
    types = [_memref_type(v, elems[i], strided, units[i]) for i, v in enumerate(ext.views)]
    params = [f"%view{i}: {t}" for i, t in enumerate(types)]
    params += [f"{value.get_name(state)}: {value.type}" for _, value in scalars]
    lines = [f"func.func @{found.func}({', '.join(params)}) {{"]
    # Each dynamic trip count is the extent of a view dimension its loop runs along.
    trip_names: dict[int, str] = {}
    for i, loops in sorted({(i, tuple(dims)) for i, dims in ext.view_of.values()}):
        for d, loop in enumerate(loops):
            if loop in trip_names:
                continue
            lines.append(f"  %vc{loop} = arith.constant {d} : index")
            lines.append(f"  %vd{loop} = memref.dim %view{i}, %vc{loop} : {types[i]}")
            trip_names[loop] = f"%vd{loop}"
    if any(loop not in trip_names for loop in range(len(ext.trips))):
        raise ViewError("a loop whose index no access runs along")
    constants = {v.owner for top in ext.group for op in _ops(top) for v in op.operands
                 if not isinstance(v, ir.BlockArgument) and v.owner.name == "arith.constant"
                 and not any(_inside(v.owner, top) for top in ext.group)}
    for const in sorted(constants, key=lambda c: _print(c, state)):
        lines.append("  " + _print(const, state))
    for top in ext.group:
        lines.extend(_nest_lines(ext, top, state, types, trip_names, "  "))
    if found.returns:
        values = [ext.group[p - found.end - 1 + len(ext.group)].results[n]
                  for p, n in found.returns]
        lines[0] = lines[0][:-2] + f" -> ({', '.join(str(v.type) for v in values)}) {{"
        names = ", ".join(v.get_name(state) for v in values)
        lines.append(f"  return {names} : {', '.join(str(v.type) for v in values)}")
    else:
        lines.append("  return")
    lines.append("}")
    return "module {\n" + "\n".join(lines) + "\n}\n"


def _inside(op: ir.Operation, nest: ir.Operation) -> bool:
    parent = op.parent
    while parent is not None:
        if parent == nest:
            return True
        parent = parent.parent if parent.name != "func.func" else None
    return False


def _nest_lines(ext: _Extractor, op: ir.Operation, state: ir.AsmState, types: list[str],
                trips: dict[int, str], indent: str) -> list[str]:
    if op.name == "affine.for":
        iv = op.regions[0].blocks[0].arguments[0]
        loop = ext.ivs[iv]
        trip = trips[loop]
        head = f"{indent}affine.for {iv.get_name(state)} = 0 to {trip}"
        block = op.regions[0].blocks[0]
        if op.results:  # iter_args: the carried values and their initial values
            n = len(op.results)
            inits = list(op.operands)[len(list(op.operands)) - n:]
            carried = ", ".join(f"{a.get_name(state)} = {v.get_name(state)}"
                                for a, v in zip(list(block.arguments)[1:], inits))
            name = op.results[0].get_name(state).split("#")[0]
            result_types = ", ".join(str(r.type) for r in op.results)
            head = (f"{indent}{name}{f':{n}' if n > 1 else ''} = {head.strip()} "
                    f"iter_args({carried}) -> ({result_types})")
        lines = [head + " {"]
        for inner in block.operations:
            if inner.operation.name != "affine.yield" or op.results:
                lines.extend(_nest_lines(ext, inner.operation, state, types, trips,
                                         indent + "  "))
        return [*lines, f"{indent}}}"]
    if op.name in ACCESSES:
        view, dims = ext.view_of[op]
        ivs = {position: value for value, position in ext.ivs.items()}
        index = ", ".join(ivs[d].get_name(state) for d in dims)
        if op.name == "affine.load":
            load = (f"{indent}{op.results[0].get_name(state)} = affine.load %view{view}"
                    f"[{index}] : {types[view]}")
            return [load]
        store = (f"{indent}affine.store {op.operands[0].get_name(state)}, %view{view}[{index}]"
                 f" : {types[view]}")
        return [store]
    return [indent + _print(op, state)]

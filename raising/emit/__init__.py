"""Emit raised functions: solutions as linalg or stablehlo on tensors, spliced in place of
their loop nests. Signatures stay as they were: tensors come from the memref arguments
(bufferization.to_tensor) and results go back (bufferization.materialize_in_destination)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

from torch_mlir import ir

from core.kernel_ir import ValueType
from grammar import BY_NAME
from grammar.builder import Builder
from grammar.shapes import Shape
from raising.analysis.decompose import arg_position, data_type
from raising.emit.guard import LOOPS_SUFFIX, RAISED_SUFFIX, AliasPlan, alias_pairs, dispatcher
from raising.emit.views import ViewCall, splice_views
from raising.frontend.dynamic import FunctionSizes
from raising.frontend.load import value_type
from raising.frontend.locals import local_buffers
from synth.program import Program

# func name -> region -> written arg position -> program. A region is a top-level op index,
# or (top-level loop index, index in its body) for a nest raised inside a kept loop.
Solutions = dict[str, dict[int | tuple[int, int], dict[int, Program]]]


def _print(op: ir.Operation, state: ir.AsmState | None = None) -> str:
    out = io.StringIO()
    if state is None:
        op.print(file=out)
    else:
        op.print(state=state, file=out)
    return out.getvalue()


class RegionEmitter:
    def __init__(self, dialect: str, tag: str, arg_names: list[str],
                 arg_types: list[ValueType], sizes: FunctionSizes | None = None,
                 size_names: dict[int, str] | None = None) -> None:
        self.b = Builder(dialect, elem=data_type(arg_types), prefix=f"r{tag}_",
                         dynamic=size_names)
        self.arg_names = arg_names
        self.arg_types = arg_types
        self.sizes = sizes
        self.memo: dict[Program, str] = {}
        self.returned: dict[int, str] = {}  # scalar result index -> its raised value

    def needs_slice(self, position: int, shape: Shape) -> bool:
        """Whether the region reads or writes argument `position` at `shape` (its loops'
        extents) through a slice: a dynamic buffer may be larger than the loops' range."""
        return bool(self.sliced_dims(position, shape))

    def sliced_dims(self, position: int, shape: Shape) -> list[int]:
        """The dimensions of argument `position` the loops may cover only in part."""
        vtype, sizes = self.arg_types[position], self.sizes
        if sizes is None or position not in sizes.dynamic_args:
            return []
        return [d for d, (full, extent) in enumerate(zip(vtype.shape or (), shape))
                if full != extent and (position, d) not in sizes.exact]

    def slice_operands(self, shape: Shape) -> str:
        """`[offsets] [sizes] [strides]` of the slice at the origin with `shape`."""
        extents = ", ".join(self.b.dynamic.get(d, str(d)) for d in shape)
        zeros, ones = ", ".join("0" for _ in shape), ", ".join("1" for _ in shape)
        return f"[{zeros}] [{extents}] [{ones}]"

    def _memref(self, position: int, shape: Shape) -> tuple[str, str]:
        """The argument as a memref of exactly `shape` (its loops' extents), and its type:
        the argument itself, or a subview when a dynamic memref may be larger."""
        name, vtype = self.arg_names[position], self.arg_types[position]
        if not self.needs_slice(position, shape):
            return name, vtype.mlir()
        b = self.b
        full_dims = list(vtype.shape or ())
        strides, stride = [], 1
        for d in reversed(range(len(full_dims))):  # identity layout: row-major strides
            strides.append("?" if stride < 0 else str(stride))
            stride = -1 if stride < 0 or full_dims[d] < 0 else stride * full_dims[d]
        strides.reverse()
        dims = "".join(("?" if d in b.dynamic else str(d)) + "x" for d in shape)
        layout = f"strided<[{', '.join(strides)}]>"
        if vtype.layout:  # a view already: its strides (a slice at 0 keeps them), any offset
            given = vtype.layout.split("[", 1)[1].split("]", 1)[0]
            layout = f"strided<[{given}], offset: ?>"
        view_type = f"memref<{dims}{vtype.elem}, {layout}>"
        view = b.fresh()
        b.emit(f"{view} = memref.subview {name}{self.slice_operands(shape)} : "
               f"{vtype.mlir()} to {view_type}")
        return view, view_type

    def _leaf(self, program: Program) -> str:
        position = arg_position(program.leaf)  # type: ignore[arg-type]
        name, vtype = self.arg_names[position], self.arg_types[position]
        b = self.b
        if not vtype.is_memref:
            name = self.as_number(name, vtype)
            return b.hlo_scalar(name) if b.dialect == "stablehlo" else name
        source, source_type = self._memref(position, program.shape)
        tensor = b.fresh()
        b.emit(f"{tensor} = bufferization.to_tensor {source} restrict : {source_type} to "
               f"{b.ttype(program.shape)}")
        return self.from_tensor(tensor, program.shape)

    def as_number(self, name: str, vtype: ValueType) -> str:
        """A scalar argument as the data's float type (an integer used as a number)."""
        if vtype.elem.startswith("f"):
            return name
        number = self.b.fresh()
        self.b.emit(f"{number} = arith.sitofp {name} : {vtype.elem} to {self.b.elem}")
        return number

    def from_tensor(self, tensor: str, shape: Shape) -> str:
        """linalg programs hold a 0-d value as a scalar: extract it."""
        if shape or self.b.dialect != "linalg":
            return tensor
        scalar = self.b.fresh()
        self.b.emit(f"{scalar} = tensor.extract {tensor}[] : {self.b.ttype(())}")
        return scalar

    def to_tensor(self, value: str, shape: Shape) -> str:
        """The inverse of from_tensor, for a write-back."""
        if shape or self.b.dialect != "linalg":
            return value
        tensor = self.b.fresh()
        self.b.emit(f"{tensor} = tensor.from_elements {value} : {self.b.ttype(())}")
        return tensor

    def value(self, program: Program) -> str:
        if program in self.memo:
            return self.memo[program]
        if program.op is None:
            name = self._leaf(program)
        else:
            args = [self.value(c) for c in program.children]
            shapes: list[Shape] = [c.shape for c in program.children]
            emitter = BY_NAME[program.op].emitters[self.b.dialect]
            name = emitter(self.b, args, shapes, dict(program.attrs), program.shape)
        self.memo[program] = name
        return name

    def write_back(self, position: int, value: str, shape: Shape) -> None:
        b = self.b
        if position >= len(self.arg_names):  # a scalar the function returns
            if b.dialect != "linalg":
                scalar = b.fresh()
                b.emit(f"{scalar} = tensor.extract {value}[] : {b.ttype(())}")
                value = scalar
            self.returned[position - len(self.arg_names)] = value
            return
        value = self.to_tensor(value, shape)
        # The destination's view goes first: the lowering writes results straight into it
        # (so it must dominate the ops computing them); it reads only arguments and sizes.
        before = len(b.lines)
        target, target_type = self._memref(position, shape)
        view_lines = b.lines[before:]
        del b.lines[before:]
        b.lines[:0] = view_lines
        b.emit(f"bufferization.materialize_in_destination {value} in restrict writable "
               f"{target} : ({b.ttype(shape)}, {target_type}) -> ()")


def emit_region(dialect: str, tag: str, programs: dict[int, Program], arg_names: list[str],
                arg_types: list[ValueType], sizes: FunctionSizes | None = None,
                size_names: dict[int, str] | None = None,
                returned: dict[int, str] | None = None) -> list[str]:
    """Lines computing every written value from the nest-entry state, then writing back.
    `tag` keeps the SSA names of different regions apart. With `sizes`, extents listed in
    `size_names` are runtime sizes held by those SSA values. Raises DynamicShapeError when
    an op of the program needs a static extent there."""
    region = RegionEmitter(dialect, tag, arg_names, arg_types, sizes, size_names)
    results = {pos: region.value(p) for pos, p in sorted(programs.items())}
    for pos, program in sorted(programs.items()):
        # A written value that is another written argument as it was (a swap) still
        # aliases that argument's buffer: copy it before any write-back.
        if program.op is None and program.shape and \
                arg_position(program.leaf) in programs and arg_position(program.leaf) != pos:  # type: ignore[arg-type]
            copy = region.b.fresh()
            region.b.emit(f"{copy} = bufferization.alloc_tensor() copy({results[pos]}) : "
                          f"{region.b.ttype(program.shape)}")
            results[pos] = copy
    for pos, value in results.items():
        region.write_back(pos, value, programs[pos].shape)
    if returned is not None:
        returned.update(region.returned)
    return region.b.lines


def _operands(func: ir.Operation, state: ir.AsmState, arg_types: list[ValueType]
              ) -> tuple[list[str], list[ValueType]]:
    """Names and types of what programs' leaves and outputs refer to by position: the
    arguments, then the local buffers (the analysis saw them as trailing arguments)."""
    block = func.regions[0].blocks[0]
    names = [a.get_name(state) for a in block.arguments]
    types = list(arg_types[:len(names)])
    for alloc in local_buffers(func):
        names.append(alloc.results[0].get_name(state))
        types.append(value_type(alloc.results[0].type))
    return names, types


def _splice_nested(func: ir.Operation, nested: dict[tuple[int, int], dict[int, Program]],
                   dialect: str, arg_types: list[ValueType]) -> None:
    """Replace nests inside kept loops in place: the raised lines are parsed as a helper
    function of the same signature, whose ops move into the loop body."""
    state = ir.AsmState(func)
    block = func.regions[0].blocks[0]
    arg_names = [a.get_name(state) for a in block.arguments]
    arg_types = arg_types[:len(arg_names)]
    params = ", ".join(f"{n}: {t.mlir()}" for n, t in zip(arg_names, arg_types))
    top = list(block.operations)
    for (outer, inner), programs in sorted(nested.items(), reverse=True):
        lines = emit_region(dialect, f"{outer}_{inner}", programs, arg_names, arg_types)
        body = "\n".join("    " + line.replace("\n", "\n    ") for line in lines)
        helper = ir.Module.parse(f"func.func @buddy_splice({params}) {{\n{body}\n"
                                 f"    return\n}}\n", func.context)
        helper_block = helper.body.operations[0].regions[0].blocks[0]
        for ours, theirs in zip(helper_block.arguments, block.arguments):
            ours.replace_all_uses_with(theirs)
        target = list(top[outer].regions[0].blocks[0].operations)[inner]
        for op in list(helper_block.operations)[:-1]:  # not the return
            op.move_before(target)
        target.erase()


def size_names(func: ir.Operation, sizes: FunctionSizes, state: ir.AsmState) -> dict[int, str]:
    """Extent (sentinel) -> the SSA name, as this function prints, of its runtime size."""
    block = func.regions[0].blocks[0]
    ops = list(block.operations)
    names = {}
    for extent, (kind, index) in sizes.sources.items():
        value = block.arguments[index] if kind == "arg" else ops[index].results[0]
        names[extent] = value.get_name(state)
    return names


def _emit_function(func: ir.Operation, regions: dict[int, dict[int, Program]], dialect: str,
                   arg_types: list[ValueType], ends: dict[int, int],
                   notes: dict[int, str], sizes: FunctionSizes | None = None) -> str:
    state = ir.AsmState(func)
    block = func.regions[0].blocks[0]
    arg_names, arg_types = _operands(func, state, arg_types)
    dynamic = size_names(func, sizes, state) if sizes else None
    header = _print(func.operation, None)
    # The signature line, as printed (attributes included: `attributes {...}` has braces of
    # its own), without the body's opening brace.
    signature = header.split("\n", 1)[0].rstrip().removesuffix("{").rstrip()
    lines = [signature + " {"]
    replaced = {p for start in regions for p in range(start + 1, ends.get(start, start + 1))}
    returned: dict[int, str] = {}  # scalar result index -> raised value
    for position, op in enumerate(block.operations):
        # A region of straight-line code that only computes a returned scalar starts at the
        # return (the analysis stores the scalar there): it comes first, then the return.
        if position in regions:
            lines.append(f"    // raised by buddy-raise: top-level op {position}")
            if position in notes:
                lines.append(f"    // {notes[position]}")
            body = emit_region(dialect, str(position), regions[position], arg_names, arg_types,
                               sizes, dynamic, returned)
            lines.extend("    " + line.replace("\n", "\n    ") for line in body)
        if op.operation.name == "func.return":
            lines.append("    " + _return_line(func, op.operation, state, returned))
            continue
        if position in replaced or position in regions:
            continue
        lines.extend("    " + line for line in _print(op.operation, state).splitlines())
    lines.append("  }")
    return "\n".join(lines)


def _return_line(func: ir.Operation, ret: ir.Operation, state: ir.AsmState,
                 returned: dict[int, str]) -> str:
    """The function's return, its scalar results (in order) replaced by raised values."""
    if not returned:
        return _print(ret, state).strip()
    ftype = ir.FunctionType(ir.TypeAttr(func.attributes["function_type"]).value)
    scalars = [k for k, t in enumerate(ftype.results) if not isinstance(t, ir.MemRefType)]
    names = [o.get_name(state) for o in ret.operands]
    for slot, value in returned.items():
        names[scalars[slot]] = value
    types = ", ".join(str(o.type) for o in ret.operands)
    return f"return {', '.join(names)} : {types}"


def emit_module(module: ir.Module, solutions: Solutions, dialect: str,
                arg_types: dict[str, list[ValueType]],
                spans: dict[str, dict[int, int]] | None = None,
                notes: dict[str, dict[int, str]] | None = None,
                sizes: dict[str, FunctionSizes] | None = None,
                guard: bool = True, plans: dict[str, AliasPlan] | None = None,
                views: dict[str, dict[tuple[int, ...], ViewCall]] | None = None) -> str:
    """Module text with every solved region replaced; other functions unchanged. `spans`
    gives a region's end (top-level ops [start, end) are replaced; default one op);
    `notes` a comment line per region (e.g. that it is unproved); `sizes` how a function's
    dynamic extents were specialised (its programs use those extents). With `guard`, a
    raised function whose buffers could alias keeps its loops behind an aliasing check
    (raising/emit/guard.py); `plans`, when given, receives each guarded function's plan.
    `views`: nests inside kept loops raised on views (raising/emit/views.py), whose
    callees are added to the module."""
    parts = []
    given = module
    views = views or {}
    callees = [call.callee for calls in views.values() for call in calls.values()]
    if callees or any(isinstance(key, tuple) for regions in solutions.values()
                      for key in regions):
        module = ir.Module.parse(str(module), module.context)  # a copy to splice into
    for callee in callees:  # in the module first, so that the calls verify
        holder = ir.Module.parse(f"module {{\n{callee}\n}}", module.context)
        with module.context:
            module.body.append(holder.body.operations[0])
    originals = {_symbol(op): op for op in given.body.operations}
    taken = set(originals)
    with module.context:
        for op in module.body.operations:
            name = _symbol(op) if op.operation.name == "func.func" else ""
            regions = solutions.get(name) or {}
            calls = views.get(name) or {}
            if not regions and not calls:
                parts.append(_indented(_print(op.operation)))
                continue
            n_args = len(op.regions[0].blocks[0].arguments)
            touched_by_views = ({b for c in calls.values() for b in c.nest.written},
                                {b for c in calls.values() for b in c.nest.read})
            pairs = alias_pairs(regions, arg_types[name], n_args,  # type: ignore[arg-type]
                                touched_by_views) if guard else []
            raised_name = _free_name(name + RAISED_SUFFIX, taken)
            with _renamed(op.operation, raised_name if pairs else name, private=bool(pairs)):
                parts.append(_emit_raised(op.operation, regions, dialect, arg_types[name],
                                          (spans or {}).get(name, {}),
                                          (notes or {}).get(name, {}),
                                          (sizes or {}).get(name), calls))
            if not pairs:
                continue
            loops_name = _free_name(name + LOOPS_SUFFIX, taken)
            original = originals[name].operation
            with _renamed(original, loops_name, private=True):
                parts.append(_indented(_print(original)))
            plan = AliasPlan(tuple(pairs))
            if plans is not None:
                plans[name] = plan
            parts.insert(len(parts) - 2, "  " + _dispatcher(original, plan, arg_types[name],
                                                            raised_name, loops_name))
    return _module_header(module) + "\n" + "\n".join(parts) + "\n}\n"


def _emit_raised(func: ir.Operation, regions: dict[int | tuple[int, int], dict[int, Program]],
                 dialect: str, arg_types: list[ValueType], ends: dict[int, int],
                 notes: dict[int, str], sizes: FunctionSizes | None,
                 calls: dict[tuple[int, ...], ViewCall] | None = None) -> str:
    nested = {k: v for k, v in regions.items() if isinstance(k, tuple)}
    top = {k: v for k, v in regions.items() if not isinstance(k, tuple)}
    # Splicing replaces one op of a loop body by several: from the last position back, so
    # the positions still to come stay where they were.
    for path in sorted({*nested, *(calls or {})}, reverse=True):  # type: ignore[type-var]
        if path in nested:
            _splice_nested(func, {path: nested[path]}, dialect, arg_types)  # type: ignore
        else:
            splice_views(func, {path: calls[path]})  # type: ignore[index]
    if top:
        return "  " + _emit_function(func, top, dialect, arg_types, ends, notes,  # type: ignore[arg-type]
                                     sizes)
    return _indented(_print(func))


def _dispatcher(original: ir.Operation, plan: AliasPlan, arg_types: list[ValueType],
                raised_name: str, loops_name: str) -> str:
    state = ir.AsmState(original)
    block = original.regions[0].blocks[0]
    arg_names = [a.get_name(state) for a in block.arguments]
    signature = _print(original, None).split("\n", 1)[0].rstrip().removesuffix("{").rstrip()
    ftype = ir.FunctionType(ir.TypeAttr(original.attributes["function_type"]).value)
    return dispatcher(signature, plan, arg_names, arg_types[:len(arg_names)],
                      [str(t) for t in ftype.results], raised_name, loops_name)


def _symbol(op: ir.OpView | ir.Operation) -> str:
    attributes = op.operation.attributes
    return str(attributes["sym_name"]).strip('"') if "sym_name" in attributes else ""


def _free_name(base: str, taken: set[str]) -> str:
    name, k = base, 1
    while name in taken:
        name, k = f"{base}_{k}", k + 1
    taken.add(name)
    return name


@contextmanager
def _renamed(func: ir.Operation, name: str, private: bool) -> Iterator[None]:
    """`func` printed under another symbol (and private); its attributes restored after."""
    attributes = func.attributes
    old_name = attributes["sym_name"]
    old_visibility = attributes.get("sym_visibility", None)
    with func.context:
        attributes["sym_name"] = ir.StringAttr.get(name)
        if private:
            attributes["sym_visibility"] = ir.StringAttr.get("private")
    try:
        yield
    finally:
        attributes["sym_name"] = old_name
        if old_visibility is not None:
            attributes["sym_visibility"] = old_visibility
        elif "sym_visibility" in attributes:
            del attributes["sym_visibility"]


def _indented(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _module_header(module: ir.Module) -> str:
    """`module {`, or the module's own first line when it has a name or attributes (data
    layout, target triple: the output keeps them)."""
    if not module.operation.attributes and "sym_name" not in module.operation.attributes:
        return "module {"
    for line in _print(module.operation).splitlines():
        if line.startswith("module"):
            return line
    return "module {"

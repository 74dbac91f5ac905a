"""The tensor-function ABI (`--abi tensor`): each fully raised function as a pure function on
tensors, the input IREE and XLA take (with `--target stablehlo`: only `func` and `stablehlo`
ops; with `--target linalg`: linalg on tensors with `tensor` and `arith`).

Parameters: the inputs and in-out buffers as tensors, scalars as scalars (`tensor<f64>` for
stablehlo, whose clients take tensors only), in argument order; sizes that only shaped the
loops are dropped. Results: the in-out and output buffers as tensors in argument order, then
the function's own results. Regions run in order on SSA values: a region reads the value an
earlier region wrote, so no buffer is read after it was overwritten."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from torch_mlir import ir

from core.kernel_ir import ArgRole, ValueType
from grammar.shapes import Shape
from raising.analysis.decompose import arg_name, arg_position
from raising.emit import RegionEmitter
from raising.emit.guard import touched
from raising.frontend.dynamic import FunctionSizes
from raising.frontend.load import value_type
from raising.frontend.locals import local_buffers
from synth.program import Program


class TensorAbiError(Exception):
    """The function has no tensor form; the message says why (one line)."""


@dataclass
class TensorFunction:
    text: str
    params: list[str] = field(default_factory=list)  # what each parameter is: "arg3"
    results: list[str] = field(default_factory=list)  # what each result replaces: "arg5"


class _TensorRegion(RegionEmitter):
    """A region on SSA tensors: leaves read `state`, write-backs update it."""

    def __init__(self, dialect: str, tag: str, arg_names: list[str],
                 arg_types: list[ValueType], state: dict[int, str],
                 sizes: FunctionSizes | None = None,
                 size_names: dict[int, str] | None = None) -> None:
        super().__init__(dialect, tag, arg_names, arg_types, sizes, size_names)
        self.b.hlo_sizes = dialect == "stablehlo"
        self.state = state
        self.updates: dict[int, str] = {}

    def _leaf(self, program: Program) -> str:
        position = arg_position(program.leaf)  # type: ignore[arg-type]
        vtype = self.arg_types[position]
        if position not in self.state:
            raise TensorAbiError(f"{arg_name(position)} is read before anything wrote it")
        value = self.state[position]
        if not vtype.is_memref:  # stablehlo scalars are tensor<elem> parameters already
            if self.b.dialect != "stablehlo":
                return self.as_number(value, vtype)
            if vtype.elem == self.b.elem:
                return value
            number = self.b.fresh()  # an integer used as a number
            self.b.emit(f"{number} = stablehlo.convert {value} : "
                        f"({_param_type(vtype, 'stablehlo')}) -> {self.b.ttype(())}")
            return number
        if self.needs_slice(position, program.shape):
            value = self._slice(value, vtype, program.shape)
        elif not self._static_whole(position, program.shape):
            raise TensorAbiError(f"{arg_name(position)} is used at extents {program.shape}, "
                                 f"not its own {vtype.shape}")
        return self.from_tensor(value, program.shape)

    def _slice(self, value: str, vtype: ValueType, shape: Shape) -> str:
        """The part of a dynamic tensor at the origin with `shape` (the loops' extents)."""
        b, part = self.b, self.b.fresh()
        whole = _param_type(vtype, "linalg")
        if b.dialect != "stablehlo":
            b.emit(f"{part} = tensor.extract_slice {value}{self.slice_operands(shape)} : "
                   f"{whole} to {b.ttype(shape)}")
            return part
        index = f"tensor<{len(shape)}xi64>"
        start, step = b.fresh(), b.fresh()
        b.emit(f"{start} = stablehlo.constant dense<0> : {index}")
        b.emit(f"{step} = stablehlo.constant dense<1> : {index}")
        b.emit(f"{part} = stablehlo.real_dynamic_slice {value}, {start}, "
               f"{b.shape_tensor(shape)}, {step} : ({whole}, {index}, {index}, {index}) -> "
               f"{b.ttype(shape)}")
        return part

    def _update(self, whole: str, part: str, position: int, shape: Shape) -> str:
        """Argument `position`'s tensor `whole` with `part` written at its origin."""
        vtype = self.arg_types[position]
        b, whole_type = self.b, _param_type(vtype, "linalg")
        if b.dialect != "stablehlo":
            name = b.fresh()
            b.emit(f"{name} = tensor.insert_slice {part} into {whole}"
                   f"{self.slice_operands(shape)} : {b.ttype(shape)} into {whole_type}")
            return name
        # IREE 3.13 legalizes no dynamic_update_slice of a dynamic update: the part is
        # completed by concatenation instead, one sliced dimension at a time from the last,
        # with the rest of `whole` along that dimension.
        full = [self._dim(whole, vtype, d) for d in range(len(shape))]
        ext: list[int | str] = [b.dynamic.get(e, e) for e in shape]
        value = part
        for d in reversed(self.sliced_dims(position, shape)):
            start = b.hlo_index_vector([0] * d + [ext[d]] + [0] * (len(shape) - d - 1))
            limit = b.hlo_index_vector(ext[:d] + full[d:])
            step = b.hlo_index_vector([1] * len(shape))
            rest, joined = b.fresh(), b.fresh()
            index = f"tensor<{len(shape)}xi64>"
            rest_type = _dims_type([*ext[:d], "?", *full[d + 1:]], vtype.elem)
            b.emit(f"{rest} = stablehlo.real_dynamic_slice {whole}, {start}, {limit}, {step} : "
                   f"({whole_type}, {index}, {index}, {index}) -> {rest_type}")
            value_type = _dims_type([*ext[:d + 1], *full[d + 1:]], vtype.elem)
            b.emit(f"{joined} = stablehlo.concatenate {value}, {rest}, dim = {d} : "
                   f"({value_type}, {rest_type}) -> {_dims_type([*ext[:d], *full[d:]], vtype.elem)}")
            value = joined
        return value

    def _dim(self, value: str, vtype: ValueType, d: int) -> int | str:
        """Dimension `d` of a tensor parameter: its static extent or a tensor<i64> value."""
        extent = (vtype.shape or ())[d]
        if extent >= 0:
            return extent
        size, wide = self.b.fresh(), self.b.fresh()
        self.b.emit(f"{size} = stablehlo.get_dimension_size {value}, dim = {d} : "
                    f"({_param_type(vtype, 'linalg')}) -> tensor<i32>")
        self.b.emit(f"{wide} = stablehlo.convert {size} : (tensor<i32>) -> tensor<i64>")
        return wide

    def _static_whole(self, position: int, shape: Shape) -> bool:
        """A buffer with no slice is used whole: static extents must be its own."""
        vtype, sizes = self.arg_types[position], self.sizes
        return (sizes is not None and position in sizes.dynamic_args) or \
            tuple(vtype.shape or ()) == tuple(shape)

    def write_back(self, position: int, value: str, shape: Shape) -> None:
        if position >= len(self.arg_types):  # a function result: f64, or tensor<f64> (hlo)
            self.updates[position] = value
            return
        value = self.to_tensor(value, shape)
        if self.needs_slice(position, shape) and position in self.state:
            value = self._update(self.updates.get(position, self.state[position]), value,
                                 position, shape)
        elif self.needs_slice(position, shape) or not self._static_whole(position, shape):
            raise TensorAbiError(f"{arg_name(position)} is written at extents {shape} only")
        self.updates[position] = value


def _dims_type(dims: list[int | str], elem: str) -> str:
    """A tensor type whose SSA-valued (runtime) extents print as `?`."""
    return "tensor<" + "".join(f"{d if isinstance(d, int) else '?'}x" for d in dims) + \
        elem + ">"


def _param_type(vtype: ValueType, dialect: str) -> str:
    if vtype.is_memref:
        dims = "".join(f"{d if d >= 0 else '?'}x" for d in vtype.shape or ())
        return f"tensor<{dims}{vtype.elem}>"
    if dialect != "stablehlo":
        return vtype.elem
    return "tensor<i64>" if vtype.elem == "index" else f"tensor<{vtype.elem}>"


def tensor_function(func: ir.Operation, regions: dict[int, dict[int, Program]],
                    dialect: str, arg_types: list[ValueType], roles: list[ArgRole],
                    ends: dict[int, int], sizes: FunctionSizes | None = None) -> TensorFunction:
    """`func` (fully raised: `regions` cover every loop nest; region start -> end in `ends`)
    as a function on tensors. `arg_types` and `roles` are its arguments'. Raises
    TensorAbiError."""
    name = ir.StringAttr(func.attributes["sym_name"]).value
    ftype = ir.FunctionType(ir.TypeAttr(func.attributes["function_type"]).value)
    result_types = [value_type(t) for t in ftype.results]
    n_args = len(roles)
    # Local buffers follow the arguments (as the analysis numbers them); in the tensor form
    # they are SSA values like the rest, born when a region first writes them.
    locals_ = [alloc.results[0] for alloc in local_buffers(func)]
    operand_types = list(arg_types[:n_args]) + [value_type(v.type) for v in locals_]
    n_operands = len(operand_types)
    if any(t.is_dynamic for t in operand_types[n_args:]):
        raise TensorAbiError("a local buffer has a dynamic shape")
    if sizes is None and any(t.is_dynamic for t in operand_types):
        raise TensorAbiError("its dynamic sizes are not tied to loop bounds")
    if any(isinstance(key, tuple) for key in regions):
        raise TensorAbiError("it is raised only inside a kept loop")
    returned_locals = _returned_locals(func, locals_, n_args, result_types)
    _no_other_effects(func, regions, ends)
    state: dict[int, str] = {}
    params, param_lines = [], []
    _, read = touched(regions)  # type: ignore[arg-type]
    size_lines, size_names, needed = _runtime_sizes(func, sizes, dialect) if sizes \
        else ([], {}, set())
    # A dynamic output may be larger than what the loops write: its rest comes in with it.
    read |= needed | (set(sizes.dynamic_args) if sizes else set())
    for position, (vtype, role) in enumerate(zip(arg_types, roles)):
        # An output the raised code reads (the border of a stencil's result that the loops
        # keep) is a parameter as well as a result.
        # So is a size the computation uses as a number (a mean's divisor).
        if role in (ArgRole.SIZE, ArgRole.UNUSED, ArgRole.OUTPUT) and position not in read:
            continue
        state[position] = f"%{arg_name(position)}"
        params.append(arg_name(position))
        param_lines.append(f"%{arg_name(position)}: {_param_type(vtype, dialect)}")
    returned: dict[int, str] = {}
    lines: list[str] = list(size_lines)
    for index in sorted(regions):
        region = _TensorRegion(dialect, str(index),
                               [f"%{arg_name(p)}" for p in range(n_operands)], operand_types,
                               state, sizes, size_names or None)
        values = {pos: region.value(p) for pos, p in sorted(regions[index].items())}
        for pos, value in values.items():
            region.write_back(pos, value, regions[index][pos].shape)
        lines.extend(region.b.lines)
        for pos, value in region.updates.items():
            if pos >= n_operands:
                returned[pos - n_operands] = value
            else:
                state[pos] = value
    results, result_values, result_type_text = [], [], []
    for position, (vtype, role) in enumerate(zip(arg_types, roles)):
        if role not in (ArgRole.IN_OUT, ArgRole.OUTPUT):
            continue
        if position not in state:
            raise TensorAbiError(f"{arg_name(position)} is an output nothing raised writes")
        results.append(arg_name(position))
        result_values.append(state[position])
        result_type_text.append(_param_type(vtype, "linalg"))
    for slot, vtype in enumerate(result_types):
        if slot in returned_locals:  # a local buffer returned: its final value
            position = returned_locals[slot]
            if position not in state:
                raise TensorAbiError(f"result {slot} is a local buffer nothing raised writes")
            returned[slot] = state[position]
            vtype = operand_types[position]
        if slot not in returned:
            raise TensorAbiError(f"result {slot} is not computed by raised code")
        results.append(f"result {slot}")
        result_type_text.append(_param_type(vtype, dialect))
        result_values.append(returned[slot])
    signature = f"func.func @{name}({', '.join(param_lines)}) -> ({', '.join(result_type_text)})"
    body = [*lines, f"return {', '.join(result_values)} : {', '.join(result_type_text)}"]
    text = "\n".join([signature + " {", *("    " + line.replace("\n", "\n    ")
                                           for line in body), "  }"])
    return TensorFunction("  " + text, params, results)


def _runtime_sizes(func: ir.Operation, sizes: FunctionSizes, dialect: str
                   ) -> tuple[list[str], dict[int, str], set[int]]:
    """Lines defining each runtime size from the tensor parameters (`memref.dim` of an
    argument becomes `tensor.dim`, a cast size argument is cast again; in StableHLO a
    `get_dimension_size` and a `convert` to a tensor<i64>), the SSA name of each size (by
    its sentinel extent), and the argument positions those lines read."""
    block = func.regions[0].blocks[0]
    ops = list(block.operations)
    lines: list[str] = []
    names: dict[int, str] = {}
    needed: set[int] = set()

    def position_of(value: ir.Value) -> int:
        if not isinstance(value, ir.BlockArgument) or value.owner != block:
            raise TensorAbiError("a size is computed from something other than an argument")
        return value.arg_number

    for count, (extent, (kind, index)) in enumerate(sorted(sizes.sources.items())):
        if kind == "arg":
            names[extent] = f"%{arg_name(index)}"
            needed.add(index)
            continue
        op = ops[index]
        name = f"%tabi_size{count}"
        if op.name == "memref.dim":
            source = position_of(op.operands[0])
            owner = op.operands[1].owner
            if owner.name != "arith.constant":
                raise TensorAbiError("a memref.dim with a computed dimension")
            dim = ir.IntegerAttr(owner.attributes["value"]).value
            tensor_type = _param_type(value_type(op.operands[0].type), "linalg")
            if dialect == "stablehlo":
                lines.append(f"%tabi_dim{count} = stablehlo.get_dimension_size "
                             f"%{arg_name(source)}, dim = {dim} : ({tensor_type}) -> "
                             "tensor<i32>")
                lines.append(f"{name} = stablehlo.convert %tabi_dim{count} : (tensor<i32>) -> "
                             "tensor<i64>")
            else:
                lines.append(f"%tabi_dim{count} = arith.constant {dim} : index")
                lines.append(f"{name} = tensor.dim %{arg_name(source)}, %tabi_dim{count} : "
                             f"{tensor_type}")
            needed.add(source)
        elif op.name == "arith.index_cast":
            source = position_of(op.operands[0])
            if dialect == "stablehlo":
                lines.append(f"{name} = stablehlo.convert %{arg_name(source)} : "
                             f"(tensor<{op.operands[0].type}>) -> tensor<i64>")
            else:
                lines.append(f"{name} = arith.index_cast %{arg_name(source)} : "
                             f"{op.operands[0].type} to index")
            needed.add(source)
        else:
            raise TensorAbiError(f"a size comes from `{op.name}`")
        names[extent] = name
    return lines, names, needed


def _returned_locals(func: ir.Operation, locals_: list[ir.Value], n_args: int,
                     result_types: list[ValueType]) -> dict[int, int]:
    """Result slot -> operand position, for the buffers the function returns (they must be
    its own local buffers: an argument's or a foreign buffer has no tensor meaning)."""
    terminator = list(func.regions[0].blocks[0].operations)[-1]
    found: dict[int, int] = {}
    for slot, (vtype, value) in enumerate(zip(result_types, terminator.operands)):
        if not vtype.is_memref:
            continue
        matches = [k for k, local in enumerate(locals_) if local == value]
        if not matches:
            raise TensorAbiError(f"it returns a buffer (result {slot}) that is not one of its "
                                 "local buffers")
        found[slot] = n_args + matches[0]
    return found


# What may stand outside the raised regions: values only (the sizes, constants, casts).
_PURE_PREFIXES = ("arith.", "math.", "index.")
_PURE_OPS = {"memref.dim", "func.return", "affine.apply", "memref.alloca", "memref.alloc",
             "memref.dealloc", "affine.load", "memref.load"}


def _no_other_effects(func: ir.Operation, regions: dict[int, dict[int, Program]],
                      ends: dict[int, int]) -> None:
    """Every top-level op is in a raised region or computes a value only: nothing with an
    effect (a kept loop, a call, a store) would be lost."""
    covered = {p for start in regions for p in range(start, ends.get(start, start + 1))}
    for position, op in enumerate(func.regions[0].blocks[0].operations):
        name = op.operation.name
        if position in covered or name in _PURE_OPS or name.startswith(_PURE_PREFIXES):
            continue
        raise TensorAbiError(f"its `{name}` at top level is not raised and would be lost")


def tensor_module(module: ir.Module, solutions: dict[str, dict[int, dict[int, Program]]],
                  dialect: str, arg_types: dict[str, list[ValueType]],
                  roles: dict[str, list[ArgRole]], spans: dict[str, dict[int, int]],
                  sizes: dict[str, FunctionSizes] | None = None
                  ) -> tuple[str, dict[str, TensorFunction], dict[str, str]]:
    """The module of the tensor forms of the functions in `solutions` (fully raised ones),
    each function's form, and the reason for each that has none. Module attributes (data
    layout, triple: the C ABI's) are not carried over."""
    forms: dict[str, TensorFunction] = {}
    errors: dict[str, str] = {}
    with module.context:
        for op in module.body.operations:
            if op.operation.name != "func.func":
                continue
            name = ir.StringAttr(op.attributes["sym_name"]).value
            if name not in solutions:
                continue
            try:
                forms[name] = tensor_function(op.operation, solutions[name], dialect,
                                              arg_types[name], roles[name],
                                              spans.get(name, {}), (sizes or {}).get(name))
            except TensorAbiError as err:
                errors[name] = str(err)
    text = "module {\n" + "\n".join(f.text for f in forms.values()) + "\n}\n"
    return text, forms, errors


# A generalized linalg.fill: one scalar in, all-parallel, the body yields it. IREE 3.13 fails
# on that generic when the scalar comes from a reduction in the same dispatch
# (`iree_linalg_ext.map_store ... got 'f64'`), and takes the named fill.
_GENERIC_FILL = re.compile(
    r"(?P<res>%[\w.]+) = linalg\.generic \{indexing_maps = \[[^\]]*\], iterator_types = "
    r"\[(?:\"parallel\"(?:, )?)*\]\} ins\((?P<val>%[\w.]+) : (?P<elem>[fi]\d+)\) "
    r"outs\((?P<out>%[\w.]+) : (?P<type>tensor<[^>]*>)\) \{\n\s*\^bb0\(%in: [fi]\d+, "
    r"%out: [fi]\d+\):\n\s*linalg\.yield %in : [fi]\d+\n\s*\} -> tensor<[^>]*>")


def named_fills(text: str) -> str:
    """The generalized module with every generalized fill named `linalg.fill` again."""
    return _GENERIC_FILL.sub(lambda m: (f"{m['res']} = linalg.fill ins({m['val']} : "
                                        f"{m['elem']}) outs({m['out']} : {m['type']}) -> "
                                        f"{m['type']}"), text)

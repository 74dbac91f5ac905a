"""Load an MLIR file: one Kernel per func.func, converted to the binding-free kernel IR."""

from __future__ import annotations

import re
from dataclasses import dataclass

from torch_mlir import ir

from core import mlir_env
from core.kernel_ir import (
    AffineExpr,
    AffineMap,
    ArgRole,
    Block,
    IntegerSet,
    Kernel,
    Op,
    ValueType,
)

_LOC_RE = re.compile(r'loc\("(?P<file>[^"]*)":(?P<line>\d+):(?P<col>\d+)\)')


class LoadError(Exception):
    """Input that cannot be loaded; `diagnostics` are `file:line:col: error: msg` lines."""

    def __init__(self, diagnostics: list[str]) -> None:
        super().__init__("\n".join(diagnostics))
        self.diagnostics = diagnostics


@dataclass
class LoadedModule:
    text: str
    path: str
    module: ir.Module
    kernels: list[Kernel]


def format_loc(loc: str, path: str) -> str:
    match = _LOC_RE.search(loc)
    if not match:
        return f"{path}:1:1"
    return f"{path}:{match.group('line')}:{match.group('col')}"


def _diagnostics(err: ir.MLIRError, path: str) -> list[str]:
    lines = []
    for diag in err.error_diagnostics:
        lines.append(f"{format_loc(str(diag.location), path)}: error: {diag.message}")
    return lines or [f"{path}:1:1: error: {err}"]


def load_text(text: str, path: str = "<stdin>") -> LoadedModule:
    """Parse, verify and convert every func.func; raises LoadError with diagnostics."""
    if not text.strip():
        raise LoadError([f"{path}: error: empty input"])
    ctx = mlir_env.new_context()
    try:
        module = mlir_env.parse_module(text, ctx)
    except ir.MLIRError as err:
        raise LoadError(_diagnostics(err, path)) from None
    kernels = []
    with ctx:
        for op in module.body.operations:
            if op.operation.name != "func.func" or not op.regions[0].blocks:
                continue
            kernels.append(_Converter(path).kernel(op.operation))
    if not kernels:
        raise LoadError([f"{path}:1:1: error: no func.func with a body in the input"])
    for kernel in kernels:
        kernel.roles = assign_roles(kernel)
    return LoadedModule(text, path, module, kernels)


def load_file(path: str) -> LoadedModule:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as err:
        raise LoadError([f"{path}:1:1: error: cannot read file: {err}"]) from None
    return load_text(text, path)


def _affine_expr(expr: ir.AffineExpr) -> AffineExpr:
    if isinstance(expr, ir.AffineConstantExpr):
        return ("const", expr.value)
    if isinstance(expr, ir.AffineDimExpr):
        return ("dim", expr.position)
    if isinstance(expr, ir.AffineSymbolExpr):
        return ("sym", expr.position)
    for cls, kind in ((ir.AffineAddExpr, "add"), (ir.AffineMulExpr, "mul"),
                      (ir.AffineModExpr, "mod"), (ir.AffineFloorDivExpr, "floordiv"),
                      (ir.AffineCeilDivExpr, "ceildiv")):
        if isinstance(expr, cls):
            return (kind, _affine_expr(expr.lhs), _affine_expr(expr.rhs))
    raise ValueError(f"unsupported affine expression {expr}")


def _affine_map(attr: ir.Attribute) -> AffineMap:
    amap = ir.AffineMapAttr(attr).value
    return AffineMap(amap.n_dims, amap.n_symbols, tuple(_affine_expr(e) for e in amap.results))


def split_top_level(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _integer_set(attr: ir.Attribute) -> IntegerSet:
    # The bindings expose no IntegerSet from the attribute here; re-read its constraints
    # as the results of an affine map with the same inputs.
    text = str(attr)
    match = re.fullmatch(r"affine_set<(.*?)\s*:\s*\((.*)\)>", text)
    if not match:
        raise ValueError(f"cannot read integer set {text}")
    constraints = split_top_level(match.group(2))
    exprs, eqs = [], []
    for constraint in constraints:
        is_eq = constraint.endswith("== 0")
        exprs.append(constraint.rsplit("==" if is_eq else ">=", 1)[0].strip())
        eqs.append(is_eq)
    amap = _affine_map(ir.Attribute.parse(f"affine_map<{match.group(1)} -> ({', '.join(exprs)})>"))
    return IntegerSet(amap.n_dims, amap.n_symbols, amap.results, tuple(eqs))


def _attr_value(name: str, attr: ir.Attribute) -> object:
    if name in ("map", "lowerBoundMap", "upperBoundMap"):
        return _affine_map(attr)
    if name == "condition":
        return _integer_set(attr)
    if isinstance(attr, ir.FloatAttr):
        return attr.value
    if isinstance(attr, ir.IntegerAttr):
        return attr.value
    if isinstance(attr, ir.BoolAttr):
        return attr.value
    if isinstance(attr, ir.DenseI32ArrayAttr):
        return list(attr)
    return str(attr)


class _Converter:
    def __init__(self, path: str) -> None:
        self.path = path
        self.ids: dict[ir.Value, int] = {}

    def vid(self, value: ir.Value) -> int:
        if value not in self.ids:
            self.ids[value] = len(self.ids)
        return self.ids[value]

    def kernel(self, func: ir.Operation) -> Kernel:
        name = ir.StringAttr(func.attributes["sym_name"]).value
        block = func.regions[0].blocks[0]
        arg_types = [value_type(a.type) for a in block.arguments]
        body = self.block(block)
        return Kernel(name, body.args, arg_types, body, loc=format_loc(str(func.location),
                                                                          self.path))

    def block(self, block: ir.Block) -> Block:
        args = [self.vid(a) for a in block.arguments]
        return Block(args, [self.op(o.operation) for o in block.operations])

    def op(self, op: ir.Operation) -> Op:
        attrs = {}
        for named in op.attributes:
            attr_name = named if isinstance(named, str) else named.name
            attrs[attr_name] = _attr_value(attr_name, op.attributes[attr_name])
        return Op(
            name=op.name,
            operands=[self.vid(v) for v in op.operands],
            results=[self.vid(r) for r in op.results],
            attrs=attrs,
            regions=[[self.block(b) for b in region.blocks] for region in op.regions],
            loc=format_loc(str(op.location), self.path),
            result_types=[str(r.type) for r in op.results],
        )


def value_type(mlir_type: ir.Type) -> ValueType:
    if isinstance(mlir_type, ir.MemRefType):
        # A dynamic extent is -1 (printed back as `?`).
        return ValueType(str(mlir_type.element_type),
                         tuple(d if d >= 0 else -1 for d in mlir_type.shape))
    return ValueType(str(mlir_type))


def _memref_of(op: Op) -> int | None:
    if op.name in ("affine.load", "memref.load"):
        return op.operands[0]
    if op.name in ("affine.store", "memref.store"):
        return op.operands[1]
    return None


def assign_roles(kernel: Kernel) -> list[ArgRole]:
    """Input / output / in-out (first access in program order is a read) / scalar / size."""
    first_access: dict[int, str] = {}
    written: set[int] = set()
    used: set[int] = set()
    for top in kernel.body.ops:
        for op in top.walk():
            used.update(op.operands)
            memref = _memref_of(op)
            if memref is None:
                continue
            is_write = op.name.endswith("store")
            first_access.setdefault(memref, "write" if is_write else "read")
            if is_write:
                written.add(memref)
    roles = []
    for vid, vtype in zip(kernel.arg_ids, kernel.arg_types):
        if not vtype.is_memref:
            is_int = vtype.elem in ("i32", "i64", "index")
            roles.append(ArgRole.SIZE if is_int else
                         ArgRole.SCALAR if vid in used else ArgRole.UNUSED)
        elif vid not in first_access:
            roles.append(ArgRole.UNUSED)
        elif vid not in written:
            roles.append(ArgRole.INPUT)
        elif first_access[vid] == "read":
            roles.append(ArgRole.IN_OUT)
        else:
            roles.append(ArgRole.OUTPUT)
    return roles

"""A small, binding-free copy of a kernel function's IR.

Loading converts MLIR ops into these plain records once, so analysis, the interpreters and
the synthesizer never touch the MLIR bindings (which are slow to walk and drift between
versions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

# An affine expression as a nested tuple: ("dim", i) ("sym", i) ("const", c)
# ("add"|"mul"|"mod"|"floordiv"|"ceildiv", lhs, rhs).
AffineExpr = tuple


@dataclass(frozen=True)
class AffineMap:
    n_dims: int
    n_symbols: int
    results: tuple[AffineExpr, ...]

    def apply(self, operands: list[int]) -> list[int]:
        fn = self.__dict__.get("_compiled")
        if fn is None:  # the interpreter applies each map millions of times: compile once
            fn = _compile_map(self.results)
            object.__setattr__(self, "_compiled", fn)
        return fn(operands[: self.n_dims], operands[self.n_dims:])  # type: ignore[no-any-return]


@dataclass(frozen=True)
class IntegerSet:
    """Conjunction of `expr >= 0` (or `expr == 0` where `eqs[i]`)."""

    n_dims: int
    n_symbols: int
    exprs: tuple[AffineExpr, ...]
    eqs: tuple[bool, ...]

    def holds(self, operands: list[int]) -> bool:
        dims, syms = operands[: self.n_dims], operands[self.n_dims:]
        for expr, is_eq in zip(self.exprs, self.eqs):
            value = eval_affine(expr, dims, syms)
            if (value != 0) if is_eq else (value < 0):
                return False
        return True


def eval_affine(expr: AffineExpr, dims: list[int], syms: list[int]) -> int:
    kind = expr[0]
    if kind == "const":
        return expr[1]
    if kind == "dim":
        return dims[expr[1]]
    if kind == "sym":
        return syms[expr[1]]
    lhs = eval_affine(expr[1], dims, syms)
    rhs = eval_affine(expr[2], dims, syms)
    if kind == "add":
        return lhs + rhs
    if kind == "mul":
        return lhs * rhs
    if kind == "mod":
        return lhs % rhs
    if kind == "floordiv":
        return lhs // rhs
    if kind == "ceildiv":
        return -((-lhs) // rhs)
    raise ValueError(f"unknown affine expression {kind}")


_PYTHON_OPS = {"add": "+", "mul": "*", "mod": "%", "floordiv": "//"}


def _source(expr: AffineExpr) -> str:
    """Python text computing `expr` as `eval_affine` does (d: dims, s: symbols); only
    integers from the map and fixed operators go in."""
    kind = expr[0]
    if kind == "const":
        return str(int(expr[1]))
    if kind in ("dim", "sym"):
        return f"{kind[0]}[{int(expr[1])}]"
    lhs, rhs = _source(expr[1]), _source(expr[2])
    if kind == "ceildiv":
        return f"(-((-{lhs}) // {rhs}))"
    if kind not in _PYTHON_OPS:
        raise ValueError(f"unknown affine expression {kind}")
    return f"({lhs} {_PYTHON_OPS[kind]} {rhs})"


def _compile_map(results: tuple[AffineExpr, ...]):  # type: ignore[no-untyped-def]
    return eval(f"lambda d, s: [{', '.join(_source(e) for e in results)}]")


@dataclass
class Block:
    args: list[int]
    ops: list[Op]


@dataclass
class Op:
    """One operation: operands and results are value ids; attrs hold plain Python data."""

    name: str
    operands: list[int]
    results: list[int]
    attrs: dict[str, object] = field(default_factory=dict)
    regions: list[list[Block]] = field(default_factory=list)
    loc: str = ""
    result_types: list[str] = field(default_factory=list)

    def walk(self):  # type: ignore[no-untyped-def]
        yield self
        for region in self.regions:
            for block in region:
                for op in block.ops:
                    yield from op.walk()


class ArgRole(Enum):
    INPUT = "input"
    OUTPUT = "output"
    IN_OUT = "in-out"
    SCALAR = "scalar"
    SIZE = "size"
    UNUSED = "unused"


@dataclass(frozen=True)
class ValueType:
    """An element type and, for memrefs, a shape (-1 for a dynamic extent)."""

    elem: str
    shape: tuple[int, ...] | None = None
    layout: str = ""  # a memref's layout as printed (`strided<[?], offset: ?>`), or identity

    @property
    def is_memref(self) -> bool:
        return self.shape is not None

    def mlir(self) -> str:
        if self.shape is None:
            return self.elem
        layout = f", {self.layout}" if self.layout else ""
        return "memref<" + "".join(f"{d if d >= 0 else '?'}x" for d in self.shape) + \
            self.elem + layout + ">"

    @property
    def is_dynamic(self) -> bool:
        return self.shape is not None and any(d < 0 for d in self.shape)


@dataclass
class Kernel:
    """One func.func: its arguments (value ids, types, roles) and its body."""

    name: str
    arg_ids: list[int]
    arg_types: list[ValueType]
    body: Block
    roles: list[ArgRole] = field(default_factory=list)
    loc: str = ""
    # The analysis copy's extra arguments (raising/frontend/locals.py): [params, results) are the
    # function's local buffers, [results, ...) hold its scalar results. None: none.
    params: int | None = None
    results: int | None = None

    @property
    def n_params(self) -> int:
        return len(self.arg_ids) if self.params is None else self.params

    def is_local(self, position: int) -> bool:
        end = len(self.arg_ids) if self.results is None else self.results
        return self.n_params <= position < end

    @property
    def top_level_nests(self) -> list[Op]:
        return [op for op in self.body.ops if op.name == "affine.for"]

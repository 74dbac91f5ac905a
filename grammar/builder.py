"""Text building for emitters: fresh SSA names, tensor types, fills and constants.

Shape-() values are f64 SSA scalars in the linalg target and 0-d tensors in stablehlo.
Dynamic shapes: an extent listed in `dynamic` stands for a runtime size (an index SSA
value); types print it as `?` and the tensors that need it take that value as an operand.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable

from grammar.shapes import Shape

# A linalg.generic body: block argument names -> (body lines, value to yield).
GenericBody = Callable[[list[str]], tuple[list[str], str]]


_BITS = {"f64": ">d", "f32": ">f", "f16": ">e"}


INT_ARITH = {"addf": "addi", "subf": "subi", "mulf": "muli", "divf": "divsi",
             "maximumf": "maxsi", "minimumf": "minsi", "cmpf": "cmpi"}
INT_PREDICATES = {"olt": "slt", "ole": "sle", "ogt": "sgt", "oge": "sge", "oeq": "eq",
                  "une": "ne", "one": "ne"}


def is_integer(elem: str) -> bool:
    return elem.startswith("i") and elem[1:].isdigit()


def float_literal(value: float, elem: str) -> str:
    """A number as MLIR's parser takes it: an integer for integer types; ±inf has no
    decimal spelling, only a bit pattern."""
    if is_integer(elem):
        if math.isinf(value):  # a max/min reduction's identity: the type's extreme value
            bits = int(elem[1:])
            return str(-(2 ** (bits - 1)) if value < 0 else 2 ** (bits - 1) - 1)
        if math.isnan(value) or value != int(value):
            raise ValueError(f"{value} is no {elem} value")
        return str(int(value))
    if math.isfinite(value):
        text = repr(float(value))
        mantissa, sep, exponent = text.partition("e")
        if sep and "." not in mantissa:  # 1e-05: MLIR wants 1.0e-05
            text = f"{mantissa}.0e{exponent}"
        return text
    return "0x" + struct.pack(_BITS[elem], value).hex().upper()


class DynamicShapeError(ValueError):
    """An emitter needs a static extent where the extent is a runtime size."""


class Builder:
    def __init__(self, dialect: str, elem: str = "f64", prefix: str = "r",
                 dynamic: dict[int, str] | None = None) -> None:
        self.dialect = dialect
        self.elem = elem
        self.prefix = prefix
        self.dynamic = dynamic or {}  # extent -> index SSA value holding the runtime size
        # Pure StableHLO (the tensor ABI's): runtime sizes are tensor<i64> values and shape
        # tensors are built by stablehlo ops, not arith and tensor.
        self.hlo_sizes = False
        self.lines: list[str] = []
        self._count = 0
        self._consts: dict[tuple[str, float], str] = {}
        self._shapes: dict[Shape, str] = {}

    def arith(self, op: str) -> str:
        """The arith op for this element type: addf on floats, addi on integers."""
        return INT_ARITH.get(op, op) if is_integer(self.elem) else op

    def predicate(self, pred: str) -> str:
        """A cmpf predicate, or its signed cmpi spelling on integers."""
        return INT_PREDICATES.get(pred, pred) if is_integer(self.elem) else pred

    @property
    def hlo_compare_type(self) -> str:
        return "SIGNED" if is_integer(self.elem) else "FLOAT"

    def fresh(self) -> str:
        self._count += 1
        return f"%{self.prefix}{self._count}"

    def emit(self, text: str) -> None:
        self.lines.append(text)

    def ttype(self, shape: Shape, elem: str = "") -> str:
        dims = "".join(("?" if d in self.dynamic else str(d)) + "x" for d in shape)
        return "tensor<" + dims + (elem or self.elem) + ">"

    def is_dynamic(self, shape: Shape) -> bool:
        return any(d in self.dynamic for d in shape)

    def require_static(self, shape: Shape, what: str) -> None:
        """Emitters that write extents into the IR call this first."""
        if self.is_dynamic(shape):
            raise DynamicShapeError(f"{what} needs static extents")

    def sizes(self, shape: Shape) -> str:
        """The runtime sizes of the dynamic extents of `shape`, as tensor.empty operands."""
        return ", ".join(self.dynamic[d] for d in shape if d in self.dynamic)

    def shape_tensor(self, shape: Shape) -> str:
        """A tensor<rank x i64> of `shape`'s extents (stablehlo's dynamic ops take one)."""
        if shape not in self._shapes and self.hlo_sizes:
            self._shapes[shape] = self._hlo_shape_tensor(shape)
        if shape not in self._shapes:
            parts = []
            for d in shape:
                part = self.fresh()
                if d in self.dynamic:
                    self.emit(f"{part} = arith.index_cast {self.dynamic[d]} : index to i64")
                else:
                    self.emit(f"{part} = arith.constant {d} : i64")
                parts.append(part)
            name = self.fresh()
            self.emit(f"{name} = tensor.from_elements {', '.join(parts)} : "
                      f"tensor<{len(shape)}xi64>")
            self._shapes[shape] = name
        return self._shapes[shape]

    def _hlo_shape_tensor(self, shape: Shape) -> str:
        return self.hlo_index_vector([self.dynamic.get(d, d) for d in shape])

    def hlo_index_vector(self, items: list[int | str]) -> str:
        """A tensor<N x i64> of numbers and tensor<i64> SSA values, by stablehlo ops."""
        parts = []
        for item in items:
            part = self.fresh()
            if isinstance(item, str):
                self.emit(f"{part} = stablehlo.reshape {item} : (tensor<i64>) -> tensor<1xi64>")
            else:
                self.emit(f"{part} = stablehlo.constant dense<[{item}]> : tensor<1xi64>")
            parts.append(part)
        if len(parts) == 1:
            return parts[0]
        name = self.fresh()
        self.emit(f"{name} = stablehlo.concatenate {', '.join(parts)}, dim = 0 : "
                  f"({', '.join(['tensor<1xi64>'] * len(parts))}) -> "
                  f"tensor<{len(parts)}xi64>")
        return name

    def vtype(self, shape: Shape) -> str:
        """Type of a value of this shape in the current dialect."""
        if not shape and self.dialect == "linalg":
            return self.elem
        return self.ttype(shape)

    def scalar_constant(self, value: float) -> str:
        """An arith.constant scalar (memoized)."""
        key = ("s", float(value))
        if key not in self._consts:
            name = self.fresh()
            self.emit(f"{name} = arith.constant {float_literal(value, self.elem)} : "
                      f"{self.elem}")
            self._consts[key] = name
        return self._consts[key]

    def empty(self, shape: Shape) -> str:
        name = self.fresh()
        self.emit(f"{name} = tensor.empty({self.sizes(shape)}) : {self.ttype(shape)}")
        return name

    def fill(self, scalar: str, shape: Shape) -> str:
        """linalg.fill of an f64 SSA scalar into a new tensor."""
        out = self.empty(shape)
        name = self.fresh()
        t = self.ttype(shape)
        self.emit(f"{name} = linalg.fill ins({scalar} : {self.elem}) outs({out} : {t}) -> {t}")
        return name

    def zeros(self, shape: Shape) -> str:
        return self.fill(self.scalar_constant(0.0), shape)

    def linalg_broadcast(self, value: str, shape_in: Shape, shape_out: Shape, dim: int) -> str:
        """linalg.broadcast adding dimension `dim` of `shape_out`."""
        init = self.empty(shape_out)
        name = self.fresh()
        self.emit(f"{name} = linalg.broadcast ins({value} : {self.ttype(shape_in)}) "
                  f"outs({init} : {self.ttype(shape_out)}) dimensions = [{dim}]")
        return name

    def generic(self, ins: list[tuple[str, Shape, str]], out: Shape, body: GenericBody) -> str:
        """An all-parallel linalg.generic into a new tensor of shape `out`. `ins` are
        (value, shape, indexing map, "" for the identity)."""
        dims = ", ".join(f"d{k}" for k in range(len(out)))
        identity = f"affine_map<({dims}) -> ({dims})>"
        maps = ", ".join([m or identity for _, _, m in ins] + [identity])
        iters = ", ".join(['"parallel"'] * len(out))
        init = self.empty(out)
        name = self.fresh()
        block = [self.fresh() for _ in ins]
        result_arg = self.fresh()
        lines, result = body(block)
        t = self.ttype(out)
        values = ", ".join(v for v, _, _ in ins)
        types = ", ".join(self.ttype(shape) for _, shape, _ in ins)
        args = ", ".join(f"{a}: {self.elem}" for a in [*block, result_arg])
        text = "\n".join(f"      {line}" for line in [*lines, f"linalg.yield {result} : {self.elem}"])
        self.emit(f"{name} = linalg.generic {{indexing_maps = [{maps}], iterator_types = "
                  f"[{iters}]}} ins({values} : {types}) outs({init} : {t}) {{\n"
                  f"    ^bb0({args}):\n{text}\n    }} -> {t}")
        return name

    def scalar_if_0d(self, tensor: str, shape: Shape) -> str:
        """linalg results of shape () become f64 scalars (the linalg target's convention)."""
        if shape:
            return tensor
        scalar = self.fresh()
        self.emit(f"{scalar} = tensor.extract {tensor}[] : {self.ttype(())}")
        return scalar

    def hlo_scalar(self, scalar: str) -> str:
        """f64 SSA scalar -> tensor<f64>."""
        name = self.fresh()
        self.emit(f"{name} = tensor.from_elements {scalar} : {self.ttype(())}")
        return name

    def hlo_broadcast(self, value: str, shape_in: Shape, shape_out: Shape,
                      dims: list[int]) -> str:
        if not self.is_dynamic(shape_out):
            name = self.fresh()
            self.emit(f"{name} = stablehlo.broadcast_in_dim {value}, dims = {dims} : "
                      f"({self.ttype(shape_in)}) -> {self.ttype(shape_out)}")
            return name
        # Every operand extent equals its result extent (no size-1 expansion): saying so
        # is what lets stablehlo-legalize-to-linalg lower a dynamic operand.
        shape = self.shape_tensor(shape_out)
        name = self.fresh()
        kept = ", ".join(str(k) for k in range(len(shape_in)))
        self.emit(f"{name} = stablehlo.dynamic_broadcast_in_dim {value}, {shape}, "
                  f"dims = {dims} {{known_nonexpanding_dimensions = array<i64{': ' if kept else ''}"
                  f"{kept}>}} : ({self.ttype(shape_in)}, tensor<{len(shape_out)}xi64>) -> "
                  f"{self.ttype(shape_out)}")
        return name

    def hlo_constant(self, value: float, shape: Shape) -> str:
        name = self.fresh()
        literal = float_literal(value, self.elem)
        if self.is_dynamic(shape):
            self.emit(f"{name} = stablehlo.constant dense<{literal}> : {self.ttype(())}")
            return self.hlo_broadcast(name, (), shape, [])
        self.emit(f"{name} = stablehlo.constant dense<{literal}> : {self.ttype(shape)}")
        return name

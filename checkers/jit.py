"""In-process JIT of one kernel function (MLIR ExecutionEngine) on numpy arrays: argument
types, result wrappers, `LocalFunction`. The isolated worker (checkers/worker.py) runs it;
the tool calls it through `checkers.execute.CompiledFunction`."""

from __future__ import annotations

import ctypes
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from torch_mlir import execution_engine, ir

from checkers import memref_copy
from checkers.foreign import foreign_code
from core import mlir_env
from core.sequential_ops import expand_sequential_ops

_SCALAR_CTYPES: dict[str, type[ctypes._SimpleCData[Any]]] = {
    "i1": ctypes.c_bool,
    "i8": ctypes.c_int8,
    "i16": ctypes.c_int16,
    "i32": ctypes.c_int32,
    "i64": ctypes.c_int64,
    "index": ctypes.c_int64,
    "f32": ctypes.c_float,
    "f64": ctypes.c_double,
}
NUMPY_DTYPES = {"f32": np.float32, "f64": np.float64, "i32": np.int32, "i64": np.int64,
                "i8": np.int8, "i16": np.int16, "i1": np.bool_}

# Identity-layout memrefs only; `?` is a dynamic extent.
_MEMREF_RE = re.compile(r"^memref<(?:(?P<dims>[0-9?x]*)x)?(?P<elem>\w+)>$")


class ExecutionError(RuntimeError):
    """Compiling or running a function failed."""


@dataclass(frozen=True)
class ArgType:
    """A function argument's type as the runner sees it."""

    text: str
    shape: tuple[int | None, ...] | None  # None for scalars; a None extent is dynamic (`?`)
    elem: str

    @property
    def is_memref(self) -> bool:
        return self.shape is not None

    @property
    def is_dynamic(self) -> bool:
        return self.shape is not None and None in self.shape

    def accepts(self, arr: object) -> bool:
        """Whether numpy array `arr` can be passed for this memref: same rank and dtype,
        equal static extents (a dynamic extent takes any size), C-contiguous."""
        if self.shape is None or not isinstance(arr, np.ndarray):
            return False
        return (arr.ndim == len(self.shape) and arr.dtype == NUMPY_DTYPES.get(self.elem)
                and arr.flags.c_contiguous
                and all(d is None or d == n for d, n in zip(self.shape, arr.shape)))


def memref_descriptor(arr: np.ndarray) -> ctypes.Structure:
    """The C-interface descriptor of a strided memref viewing `arr`: allocated and aligned
    pointer, offset 0, sizes, strides in elements. (Our own: torch_mlir.runtime's imports
    ml_dtypes when installed, 1.3 s at every process start.)"""
    rank = arr.ndim
    fields: list[tuple[str, Any]] = [("allocated", ctypes.c_void_p),
                                     ("aligned", ctypes.c_void_p), ("offset", ctypes.c_int64)]
    if rank:
        fields += [("sizes", ctypes.c_int64 * rank), ("strides", ctypes.c_int64 * rank)]
    descriptor = type("MemRefDescriptor", (ctypes.Structure,), {"_fields_": fields})()
    descriptor.allocated = descriptor.aligned = arr.ctypes.data
    descriptor.offset = 0
    if rank:
        descriptor.sizes = (ctypes.c_int64 * rank)(*arr.shape)
        descriptor.strides = (ctypes.c_int64 * rank)(*(s // arr.itemsize for s in arr.strides))
    return descriptor


def parse_arg_type(text: str) -> ArgType:
    """Turn an MLIR type string (`i32`, `f32`, `memref<3x5xf64>`, `memref<?x7xf32>`) into an
    ArgType."""
    if text in _SCALAR_CTYPES:
        return ArgType(text, None, text)
    match = _MEMREF_RE.match(text)
    if not match:
        raise ExecutionError(f"unsupported argument type {text}")
    dims = match.group("dims")
    shape = tuple(None if d == "?" else int(d) for d in dims.split("x")) if dims else ()
    return ArgType(text, shape, match.group("elem"))


def _only_llvm_left(module: ir.Module) -> str | None:
    """Name of the first op that is not in the LLVM dialect, if any (avoids a segfault
    in translation on a partly converted module)."""
    for op in module.body.operations:
        stack = [op.operation]
        while stack:
            cur = stack.pop()
            name = cur.name
            if not (name.startswith("llvm.") or name == "builtin.module"):
                return name
            for region in cur.regions:
                for block in region.blocks:
                    stack.extend(o.operation for o in block.operations)
    return None


def result_buffer_type(mlir_type: ir.Type) -> str:
    """The memref a function result is copied into: the memref itself, or a 0-d memref
    holding a scalar."""
    if isinstance(mlir_type, ir.MemRefType):
        if not mlir_type.has_static_shape:
            raise ExecutionError(f"result type {mlir_type} has a dynamic shape")
        return str(mlir_type)
    if str(mlir_type) not in _SCALAR_CTYPES:
        raise ExecutionError(f"unsupported result type {mlir_type}")
    return f"memref<{mlir_type}>"


def _result_wrapper(func_name: str, ftype: ir.FunctionType) -> tuple[str, str]:
    """A function taking the arguments of `func_name` plus one buffer per result, which
    calls it and stores its results there: results become trailing output arguments."""
    entry = f"buddy_entry_{func_name}"
    ins = [str(t) for t in ftype.inputs]
    outs = [result_buffer_type(t) for t in ftype.results]
    params = [f"%a{k}: {t}" for k, t in enumerate(ins)] + \
        [f"%r{k}: {t}" for k, t in enumerate(outs)]
    results = ", ".join(str(t) for t in ftype.results)
    call_args = ", ".join(f"%a{k}" for k in range(len(ins)))
    call = f"  %v:{len(outs)} = func.call @{func_name}({call_args}) : ({', '.join(ins)}) -> " \
        f"({results})"
    lines = [f"func.func @{entry}({', '.join(params)}) {{", call]
    for k, (rtype, out) in enumerate(zip(ftype.results, outs)):
        if isinstance(rtype, ir.MemRefType):
            lines.append(f"  memref.copy %v#{k}, %r{k} : {out} to {out}")
        else:
            lines.append(f"  memref.store %v#{k}, %r{k}[] : {out}")
    lines += ["  return", "}",  # the callee's declaration, for parsing it on its own
              f"func.func private @{func_name}({', '.join(ins)}) -> ({results})"]
    return entry, "\n".join(lines)


class LocalFunction:
    """One function of a module, lowered to LLVM and JIT-compiled in this process.

    A function with results is called through a wrapper that copies them into buffers
    given as extra trailing arguments (scalars as 0-d memrefs), so every caller compares
    results exactly as it compares output arguments."""

    def __init__(self, module_text: str, func_name: str, opt_level: int = 2) -> None:
        self.func_name = func_name
        self.ctx = mlir_env.new_context()
        try:
            module = mlir_env.parse_module(module_text, self.ctx)
        except ir.MLIRError as err:
            raise ExecutionError(f"module does not parse: {err}") from err
        self.arg_types = self._signature(module, func_name)
        with self.ctx, ir.Location.unknown():
            func = self._find(module, func_name)
            ftype = ir.FunctionType(ir.TypeAttr(func.attributes["function_type"]).value)
            if ftype.results:
                self.func_name, wrapper = _result_wrapper(func_name, ftype)
                parsed = ir.Module.parse(wrapper)
                wrapper_op = next(iter(parsed.body.operations)).operation
                wrapper_op.move_before(next(iter(module.body.operations)).operation)
                # Inlined into the wrapper, the original goes (a returned local buffer
                # must outlive the call, and a callee returning one would need a clone).
                func.attributes["sym_visibility"] = ir.StringAttr.get("private")
                func = self._find(module, self.func_name)
            func.attributes["llvm.emit_c_interface"] = ir.UnitAttr.get()
            if "sym_visibility" in func.attributes:  # the entry point survives symbol-dce
                del func.attributes["sym_visibility"]
            try:
                if ftype.results:
                    mlir_env.run_pipeline(module, mlir_env.INLINE_CALLS)
                mlir_env.run_pipeline(module, mlir_env.DROP_UNUSED)
                expand_sequential_ops(module)
                mlir_env.run_pipeline(module, mlir_env.RAISED_TO_LLVM)
            except ir.MLIRError as err:
                raise ExecutionError(f"lowering failed: {err}") from err
            leftover = _only_llvm_left(module)
            if leftover:
                raise ExecutionError(f"lowering left an unconverted op: {leftover}")
            foreign = foreign_code(module)
            if foreign:
                raise ExecutionError(f"refused to run @{func_name}: {foreign} (foreign code "
                                     "is never executed)")
            self.engine = execution_engine.ExecutionEngine(module, opt_level=opt_level)
            memref_copy.register(self.engine)
        self._module = module  # keep alive with the engine

    @staticmethod
    def _find(module: ir.Module, func_name: str) -> ir.Operation:
        for op in module.body.operations:
            if op.operation.name == "func.func" and \
                    ir.StringAttr(op.attributes["sym_name"]).value == func_name:
                return op.operation
        raise ExecutionError(f"no function @{func_name}")

    def _signature(self, module: ir.Module, func_name: str) -> list[ArgType]:
        func = self._find(module, func_name)
        ftype = ir.FunctionType(ir.TypeAttr(func.attributes["function_type"]).value)
        return [parse_arg_type(str(t)) for t in ftype.inputs] + \
            [parse_arg_type(result_buffer_type(t)) for t in ftype.results]

    def run(self, args: Sequence[object]) -> None:
        """Call the function; memref arguments (numpy arrays) are updated in place."""
        check_args(self.arg_types, args)
        keep: list[object] = []
        ptrs: list[object] = []
        for value, atype in zip(args, self.arg_types):
            if atype.is_memref:
                assert isinstance(value, np.ndarray)  # check_args saw to it
                desc = memref_descriptor(value)
                keep.append(desc)
                ptrs.append(ctypes.pointer(ctypes.pointer(desc)))
            else:
                scalar = _SCALAR_CTYPES[atype.elem](value)
                keep.append(scalar)
                ptrs.append(ctypes.pointer(scalar))
        self.engine.invoke(self.func_name, *ptrs)


def check_args(arg_types: Sequence[ArgType], args: Sequence[object]) -> None:
    if len(args) != len(arg_types):
        raise ExecutionError(f"expected {len(arg_types)} arguments, got {len(args)}")
    for value, atype in zip(args, arg_types):
        if atype.is_memref and not atype.accepts(value):
            raise ExecutionError(f"argument does not match {atype.text}")



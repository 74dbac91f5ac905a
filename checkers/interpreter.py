"""An interpreter of affine/arith/math/memref/scf ops (kernel IR) over a value algebra.

Index arithmetic is always concrete (static shapes); data values go through the algebra,
so the same walk gives a z3 trace (checkers.smt) or plain numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, ClassVar, Protocol

import numpy as np

from core.kernel_ir import AffineMap, Block, IntegerSet, Op

CMPF = ("false", "oeq", "ogt", "oge", "olt", "ole", "one", "ord", "ueq", "ugt", "uge", "ult",
        "ule", "une", "uno", "true")
CMPI = ("eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge")


class Unsupported(Exception):
    """The kernel uses an op or a pattern the interpreter does not model."""


class Algebra(Protocol):
    """Data operations on possibly symbolic values (`binary` names: add sub mul div ...)."""

    def binary(self, name: str, lhs: object, rhs: object) -> object: ...
    def unary(self, name: str, value: object) -> object: ...
    def compare(self, pred: str, lhs: object, rhs: object) -> object: ...
    def select(self, cond: object, lhs: object, rhs: object) -> object: ...
    def constant(self, value: float, elem: str) -> object: ...
    def is_concrete_true(self, cond: object) -> bool | None: ...


class NumberAlgebra:
    """Plain Python numbers: used to test the interpreter against JIT runs."""

    _BIN: ClassVar[dict[str, Callable[..., object]]] = {
        "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
        "div": lambda a, b: a / b, "max": max, "min": min, "pow": lambda a, b: a ** b,
        "idiv": lambda a, b: int(a / b), "rem": lambda a, b: int(math.fmod(a, b)),
    }
    _UN: ClassVar[dict[str, Callable[..., object]]] = {
        "neg": lambda a: -a, "sqrt": math.sqrt, "exp": math.exp, "abs": abs,
        "tanh": math.tanh, "log": math.log,
        "tofloat": float, "toint": int, "id": lambda a: a,
    }

    def binary(self, name: str, lhs: object, rhs: object) -> object:
        return self._BIN[name](lhs, rhs)

    def unary(self, name: str, value: object) -> object:
        return self._UN[name](value)

    def compare(self, pred: str, lhs: object, rhs: object) -> object:
        return _compare_numbers(pred, lhs, rhs)

    def select(self, cond: object, lhs: object, rhs: object) -> object:
        return lhs if cond else rhs

    def constant(self, value: float, elem: str) -> object:
        return value

    def is_concrete_true(self, cond: object) -> bool | None:
        return bool(cond)


def _compare_numbers(pred: str, lhs, rhs) -> bool:  # type: ignore[no-untyped-def]
    base = pred.lstrip("ou") if pred not in ("ult", "ule", "ugt", "uge") else pred[1:]
    table = {"eq": lhs == rhs, "ne": lhs != rhs, "lt": lhs < rhs, "le": lhs <= rhs,
             "gt": lhs > rhs, "ge": lhs >= rhs, "slt": lhs < rhs, "sle": lhs <= rhs,
             "sgt": lhs > rhs, "sge": lhs >= rhs, "true": True, "false": False,
             "rd": True, "no": False}
    if base not in table:
        raise Unsupported(f"comparison predicate {pred}")
    return bool(table[base])


_FLOAT_BINARY = {"arith.addf": "add", "arith.subf": "sub", "arith.mulf": "mul",
                 "arith.divf": "div", "arith.maxnumf": "max", "arith.minnumf": "min",
                 "arith.maximumf": "max", "arith.minimumf": "min", "math.powf": "pow",
                 "arith.addi": "add", "arith.subi": "sub", "arith.muli": "mul",
                 "arith.maxsi": "max", "arith.minsi": "min", "arith.divsi": "idiv",
                 "arith.remsi": "rem"}
_UNARY = {"arith.negf": "neg", "math.sqrt": "sqrt", "math.exp": "exp", "math.absf": "abs",
          "math.tanh": "tanh", "math.log": "log",
          "arith.sitofp": "tofloat", "arith.fptosi": "toint", "arith.extf": "id",
          "arith.truncf": "id", "arith.extsi": "id", "arith.trunci": "id"}
_INDEX_BINARY: dict[str, Callable[..., object]] = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "max": max, "min": min,
    "idiv": lambda a, b: int(a / b), "rem": lambda a, b: int(math.fmod(a, b))}


def _is_index_like(value: object) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _in_bounds(memory: object, index: tuple[object, ...], op: Op) -> tuple[object, ...]:
    """`index` if it addresses an element of `memory`. Out of bounds is undefined behaviour in
    the compiled code, and numpy would wrap negative indices: refuse, never guess."""
    shape = getattr(memory, "shape", None)
    if shape is None or len(index) != len(shape):
        raise Unsupported(f"access of rank {len(index)} to a memref of rank "
                          f"{len(shape) if shape is not None else '?'} at {op.loc}")
    for value, extent in zip(index, shape):
        if type(value) is int and 0 <= value < extent:  # the common case, decided at once
            continue
        if _is_index_like(value) and not 0 <= value < extent:  # type: ignore[operator]
            raise Unsupported(f"out-of-bounds access (index {value}, extent {extent}) "
                              f"at {op.loc}")
    return index


_SHAPE_RE = re.compile(r"^memref<((?:\d+x)*)")


def _result_shape(op: Op) -> tuple[int, ...]:
    match = _SHAPE_RE.match(op.result_types[0])
    if not match:
        raise Unsupported(f"result type {op.result_types[0]} at {op.loc}")
    return tuple(int(d) for d in match.group(1).split("x") if d)


# How MLIR spells a dynamic offset, size or stride in a static array.
DYNAMIC_INDEX = -9223372036854775808


def _i64_array(value: object) -> list[int]:
    """`array<i64: 4, 0, 0>` (as loaded) -> [4, 0, 0]."""
    if isinstance(value, list):
        return [int(v) for v in value]
    text = str(value)
    body = text[text.index(":") + 1:text.rindex(">")] if ":" in text else ""
    return [int(v) for v in body.split(",") if v.strip()]


# (interpreter class, op name) -> its method (or None: generic arith), looked up once.
_HANDLERS: dict[tuple[type, str], object] = {}
_MISSING = object()


class Interpreter:
    """Walks kernel IR; `env` maps value ids to values, memrefs are numpy object arrays."""

    def __init__(self, algebra: Algebra, max_steps: int = 2_000_000,
                 globals_: dict[str, tuple[tuple[int, ...], float]] | None = None,
                 functions: dict[str, Any] | None = None) -> None:
        self.algebra = algebra
        self.steps = 0
        self.max_steps = max_steps
        # Splat constants of the module (`memref.global @name = dense<v>`): name -> (shape, v)
        self.globals = globals_ or {}
        # The module's functions by name (kernel IR), for func.call (a view function).
        self.functions = functions or {}

    def _op_func_call(self, op: Op, env: dict[int, object]) -> None:
        name = str(op.attrs.get("callee", "")).lstrip("@")
        callee = self.functions.get(name)
        if callee is None:
            raise Unsupported(f"func.call of @{name}, which the module does not define, at "
                              f"{op.loc}")
        results = self.run_block(callee.body, {}, [env[v] for v in op.operands])
        for vid, value in zip(op.results, results):
            env[vid] = value

    def run_ops(self, ops: list[Op], env: dict[int, object]) -> list[object] | None:
        """Run ops in order; return the operands of a terminating yield/return, if any."""
        for op in ops:
            self.steps += 1
            if self.steps > self.max_steps:
                raise Unsupported("interpretation step limit reached")
            if op.name in ("affine.yield", "scf.yield", "func.return"):
                return [env[v] for v in op.operands]
            self.run_op(op, env)
        return None

    def run_block(self, block: Block, env: dict[int, object], args: list[object]) -> list[object]:
        for vid, value in zip(block.args, args):
            env[vid] = value
        return self.run_ops(block.ops, env) or []

    def run_op(self, op: Op, env: dict[int, object]) -> None:
        key = (type(self), op.name)
        handler = _HANDLERS.get(key, _MISSING)
        if handler is _MISSING:  # a subclass's own handlers count
            handler = _HANDLERS[key] = getattr(type(self), "_op_" + op.name.replace(".", "_"),
                                               None)
        if handler is not None:
            handler(self, op, env)  # type: ignore[operator]
            return
        if handler is not None:
            handler(op, env)
            return
        args = [env[v] for v in op.operands]
        if op.name in _FLOAT_BINARY:
            name = _FLOAT_BINARY[op.name]
            if name in _INDEX_BINARY and all(_is_index_like(a) for a in args):
                env[op.results[0]] = _INDEX_BINARY[name](*args)
            else:
                env[op.results[0]] = self.algebra.binary(name, *args)
            return
        if op.name in _UNARY:
            if _is_index_like(args[0]) and op.name in ("arith.extsi", "arith.trunci"):
                env[op.results[0]] = args[0]
                return
            env[op.results[0]] = self.algebra.unary(_UNARY[op.name], args[0])
            return
        raise Unsupported(f"op {op.name} at {op.loc}")

    # --- affine -----------------------------------------------------------------------
    def _bounds(self, op: Op, env: dict[int, object]) -> tuple[int, int, list[object]]:
        lb_map: AffineMap = op.attrs["lowerBoundMap"]  # type: ignore[assignment]
        ub_map: AffineMap = op.attrs["upperBoundMap"]  # type: ignore[assignment]
        n_lb = lb_map.n_dims + lb_map.n_symbols
        n_ub = ub_map.n_dims + ub_map.n_symbols
        operands = [env[v] for v in op.operands]
        lower = max(lb_map.apply(operands[:n_lb]))  # type: ignore[arg-type]
        upper = min(ub_map.apply(operands[n_lb:n_lb + n_ub]))  # type: ignore[arg-type]
        return lower, upper, operands[n_lb + n_ub:]

    def _op_affine_for(self, op: Op, env: dict[int, object]) -> None:
        lower, upper, carried = self._bounds(op, env)
        step = int(op.attrs.get("step", 1))  # type: ignore[call-overload]
        body = op.regions[0][0]
        for iv in range(lower, upper, step):
            carried = self.run_block(body, env, [iv, *carried])
        for vid, value in zip(op.results, carried):
            env[vid] = value

    def _op_affine_if(self, op: Op, env: dict[int, object]) -> None:
        cond: IntegerSet = op.attrs["condition"]  # type: ignore[assignment]
        region = 0 if cond.holds([env[v] for v in op.operands]) else 1  # type: ignore[misc]
        results: list[object] = []
        if region < len(op.regions) and op.regions[region]:
            results = self.run_block(op.regions[region][0], env, [])
        for vid, value in zip(op.results, results):
            env[vid] = value

    def _indices(self, op: Op, env: dict[int, object], first: int) -> tuple[int, ...]:
        amap: AffineMap = op.attrs["map"]  # type: ignore[assignment]
        return tuple(amap.apply([env[v] for v in op.operands[first:]]))  # type: ignore[misc]

    def _address(self, op: Op, env: dict[int, object], first: int) -> tuple[object, tuple]:
        """The memref and the element an affine load/store addresses, bounds checked."""
        memory = env[op.operands[first - 1]]
        return memory, _in_bounds(memory, self._indices(op, env, first), op)

    def _op_affine_load(self, op: Op, env: dict[int, object]) -> None:
        memory, index = self._address(op, env, 1)
        value = memory[index]  # type: ignore[index]
        if value is None:
            raise Unsupported(f"read of an uninitialised element at {op.loc}")
        env[op.results[0]] = value

    def _op_affine_store(self, op: Op, env: dict[int, object]) -> None:
        memory, index = self._address(op, env, 2)
        memory[index] = env[op.operands[0]]  # type: ignore[index]

    def _op_affine_apply(self, op: Op, env: dict[int, object]) -> None:
        env[op.results[0]] = self._indices(op, env, 0)[0]

    def _op_affine_min(self, op: Op, env: dict[int, object]) -> None:
        env[op.results[0]] = min(self._indices(op, env, 0))

    def _op_affine_max(self, op: Op, env: dict[int, object]) -> None:
        env[op.results[0]] = max(self._indices(op, env, 0))

    # --- memref / arith / scf -----------------------------------------------------------
    def _op_memref_load(self, op: Op, env: dict[int, object]) -> None:
        memory = env[op.operands[0]]
        value = memory[_in_bounds(memory, tuple(env[v] for v in op.operands[1:]), op)]  # type: ignore[index]
        if value is None:
            raise Unsupported(f"read of an uninitialised element at {op.loc}")
        env[op.results[0]] = value

    def _op_memref_store(self, op: Op, env: dict[int, object]) -> None:
        memory: Any = env[op.operands[1]]  # a numpy object array, indexed by traced values
        memory[_in_bounds(memory, tuple(env[v] for v in op.operands[2:]), op)] = \
            env[op.operands[0]]

    def _op_memref_alloca(self, op: Op, env: dict[int, object]) -> None:
        from checkers.execute import parse_arg_type
        # A dynamic extent (-1) is the next size operand (a view function's temporary).
        sizes = iter(env[v] for v in op.operands)
        shape = tuple(int(next(sizes)) if d is None or d < 0  # type: ignore[call-overload]
                      else d for d in parse_arg_type(op.result_types[0]).shape or ())
        env[op.results[0]] = np.full(shape, None, dtype=object)

    _op_memref_alloc = _op_memref_alloca

    def _op_memref_dealloc(self, op: Op, env: dict[int, object]) -> None:
        pass

    def _op_memref_copy(self, op: Op, env: dict[int, object]) -> None:
        source, target = env[op.operands[0]], env[op.operands[1]]
        target[...] = source  # type: ignore[index]

    def _op_memref_subview(self, op: Op, env: dict[int, object]) -> None:
        """A numpy view, so stores reach the base. Dynamic offsets, sizes and strides (a
        view that moves with a kept loop's index) are the operands after the source, in
        that order; a stride may be negative (a view that runs backwards)."""
        parts = [list(_i64_array(op.attrs[k])) for k in
                 ("static_offsets", "static_sizes", "static_strides")]
        unit = [axis for axis, n in enumerate(parts[1]) if n == 1]  # static 1s: droppable
        dynamic = iter(op.operands[1:])
        for values in parts:
            for i, value in enumerate(values):
                if value == DYNAMIC_INDEX:
                    given = env[next(dynamic)]
                    if not isinstance(given, (int, np.integer)):
                        raise Unsupported(f"memref.subview at a traced offset at {op.loc}")
                    values[i] = int(given)
        offsets, sizes, strides = parts
        source: np.ndarray = env[op.operands[0]]  # type: ignore[assignment]

        def piece(o: int, n: int, s: int) -> slice:
            stop = o + n * s
            return slice(o, stop if stop >= 0 else None, s)  # -1 would mean "the last"
        view = source[tuple(piece(o, n, s) for o, n, s in zip(offsets, sizes, strides))]
        rank = len(_result_shape(op))
        drop = unit[:len(sizes) - rank]
        if drop and any(view.shape[axis] != 1 for axis in drop):  # an empty view whose
            # unit dims start past the end (never read): keep it empty, of the result's rank
            kept = [n for axis, n in enumerate(view.shape) if axis not in drop]
            env[op.results[0]] = np.empty(kept if 0 in kept else [0] * len(kept),
                                          dtype=object)
            return
        env[op.results[0]] = np.squeeze(view, axis=tuple(drop)) if drop else view

    def _op_memref_cast(self, op: Op, env: dict[int, object]) -> None:
        env[op.results[0]] = env[op.operands[0]]  # the same elements, another type

    def _op_memref_collapse_shape(self, op: Op, env: dict[int, object]) -> None:
        source: np.ndarray = env[op.operands[0]]  # type: ignore[assignment]
        view = source.reshape(_result_shape(op))
        if view.size and not np.shares_memory(view, source):
            raise Unsupported(f"a reshape that copies at {op.loc}")
        env[op.results[0]] = view

    _op_memref_expand_shape = _op_memref_collapse_shape

    def _op_memref_get_global(self, op: Op, env: dict[int, object]) -> None:
        name = str(op.attrs.get("name", "")).lstrip("@")
        if name not in self.globals:
            raise Unsupported(f"memref.get_global of a non-splat or unknown global {name}")
        shape, value = self.globals[name]
        constant = self.algebra.constant(value, "f64")
        env[op.results[0]] = np.full(shape, constant, dtype=object)

    def _op_arith_constant(self, op: Op, env: dict[int, object]) -> None:
        value = op.attrs["value"]
        rtype = op.result_types[0]
        if rtype == "index" or (isinstance(value, int) and rtype.startswith("i")):
            env[op.results[0]] = int(value)  # type: ignore[call-overload]
            return
        env[op.results[0]] = self.algebra.constant(value, rtype)  # type: ignore[arg-type]

    def _op_arith_index_cast(self, op: Op, env: dict[int, object]) -> None:
        env[op.results[0]] = env[op.operands[0]]

    _op_arith_index_castui = _op_arith_index_cast

    def _op_memref_dim(self, op: Op, env: dict[int, object]) -> None:
        memref, axis = env[op.operands[0]], env[op.operands[1]]
        env[op.results[0]] = int(np.shape(memref)[int(axis)])  # type: ignore[call-overload]

    def _op_arith_cmpf(self, op: Op, env: dict[int, object]) -> None:
        pred = CMPF[int(op.attrs["predicate"])]  # type: ignore[call-overload]
        env[op.results[0]] = self.algebra.compare(pred, env[op.operands[0]], env[op.operands[1]])

    def _op_arith_cmpi(self, op: Op, env: dict[int, object]) -> None:
        pred = CMPI[int(op.attrs["predicate"])]  # type: ignore[call-overload]
        lhs, rhs = env[op.operands[0]], env[op.operands[1]]
        if _is_index_like(lhs) and _is_index_like(rhs):
            env[op.results[0]] = _compare_numbers(pred, lhs, rhs)
            return
        env[op.results[0]] = self.algebra.compare(pred, lhs, rhs)

    def _op_arith_select(self, op: Op, env: dict[int, object]) -> None:
        cond, lhs, rhs = (env[v] for v in op.operands)
        if isinstance(cond, bool):
            env[op.results[0]] = lhs if cond else rhs
            return
        env[op.results[0]] = self.algebra.select(cond, lhs, rhs)

    def _op_scf_for(self, op: Op, env: dict[int, object]) -> None:
        lower, upper, step, *carried = (env[v] for v in op.operands)
        body = op.regions[0][0]
        for iv in range(lower, upper, step):  # type: ignore[call-overload]
            carried = self.run_block(body, env, [iv, *carried])
        for vid, value in zip(op.results, carried):
            env[vid] = value

    def _op_scf_if(self, op: Op, env: dict[int, object]) -> None:
        cond = env[op.operands[0]]
        if not isinstance(cond, bool):
            decided = self.algebra.is_concrete_true(cond)
            if decided is None:
                raise Unsupported(f"scf.if on a data-dependent condition at {op.loc}")
            cond = decided
        region = 0 if cond else 1
        results: list[object] = []
        if region < len(op.regions) and op.regions[region]:
            results = self.run_block(op.regions[region][0], env, [])
        for vid, value in zip(op.results, results):
            env[vid] = value

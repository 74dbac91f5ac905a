"""Split a kernel into synthesis problems: one per (top-level loop nest, written memref).

Each problem's output is the memref's value after the nest as a function of the state at
nest entry. Its inputs are read off the symbolic trace (the variables the output terms
depend on), so "read before written" is exact, not guessed from program order.

Its length: regions, references, traces and problem building share one region model;
splitting them would pass that state across modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from torch_mlir import ir

from checkers.execute import NUMPY_DTYPES, CompiledFunction
from checkers.interpreter import Interpreter, Unsupported
from checkers.smt import (
    FPAlgebra,
    Z3Algebra,
    free_variables,
    symbolic_array,
    symbolic_scalar,
    unchanged_elements,
)
from core import mlir_env
from core.kernel_ir import Block, Kernel, Op, ValueType
from grammar import index_mask, mask_kinds
from raising.analysis.guidance import features, search_space
from raising.frontend.locals import callees
from synth.problem import Problem

N_TESTS = 3


def draw(rng: np.random.Generator, shape: tuple[int, ...], positive: bool) -> np.ndarray:
    """Random test data: normal (negatives included), or from a positive domain when the
    nest needs one (sqrt, division)."""
    return np.array(rng.uniform(0.5, 2.0, size=shape) if positive else rng.normal(size=shape))


# Test-data domains, tried in turn until the nest's outputs are finite: normal, positive
# (sqrt, division), then diagonally dominant (a factorisation's square roots and pivots).
DOMAINS = ("normal", "positive", "dominant")


def dominant(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Positive data whose square matrices (the last two dims) are strictly diagonally
    dominant: symmetric positive definite when read as symmetric, never a zero pivot."""
    data = draw(rng, shape, True)
    if len(shape) >= 2 and shape[-1] == shape[-2]:
        data = data + 2.0 * shape[-1] * np.eye(shape[-1])
    return data


@dataclass
class Region:
    """One top-level loop nest of a kernel and its problems (keyed by written arg index)."""

    index: int  # position among the function's top-level ops
    end: int  # one past the last top-level op of the region (trailing statements join it)
    loc: str
    problems: dict[int, Problem] = field(default_factory=dict)
    unsupported: str = ""
    # Set for a nest with a loop-carried chain: only sequential records were searched, and
    # if none is equal this says why the nest stays.
    recurrence: str = ""


def arg_name(position: int) -> str:
    return f"arg{position}"


def arg_position(name: str) -> int:
    return int(name[3:])


def _written_memrefs(nest: Op) -> list[int]:
    written: list[int] = []
    for op in nest.walk():
        if op.name in ("affine.store", "memref.store") and op.operands[1] not in written:
            written.append(op.operands[1])
    return written


LOOPS = ("affine.for", "scf.for", "scf.while", "scf.parallel", "affine.parallel")


def _group_uses(ops: list[Op]) -> set[int]:
    return {vid for top in ops for op in top.walk() for vid in op.operands}


def region_end(kernel: Kernel, index: int) -> int:
    """A loop nest and the straight-line statements right after it (e.g. storing an
    iter_args result, or fixing one element) form one region, unless a value defined there
    is used later."""
    ops = kernel.body.ops
    end = _straight_end(ops, index + 1)
    # A value the nest hands on in registers (an iter_args result, and what straight-line
    # code computes from it) makes its later users part of the region: C's
    # `s = sum(...); s = 1 / sqrt(s / n); for (...) o[j] = s * x[j];` is one computation.
    while True:
        carried = _carried(ops[index:end])
        users = [p for p in range(end, len(ops)) if ops[p].name != "func.return" and
                 carried & {v for op in ops[p].walk() for v in op.operands}]
        if not users:
            break
        end = _straight_end(ops, max(users) + 1)
    while end > index + 1:
        defined = {r for top in ops[index:end] for op in top.walk() for r in op.results}
        if not defined & _group_uses(ops[end:]):
            break
        end -= 1
    return end


STORES = ("affine.store", "memref.store")


def _straight_end(ops: list[Op], end: int) -> int:
    """Past the straight-line ops (no loop, not the return) from `end` on."""
    while end < len(ops) and ops[end].name not in LOOPS and ops[end].name != "func.return":
        end += 1
    return end


def _carried(ops: list[Op]) -> set[int]:
    """Results of the loops among `ops`, and of the ops computing from them."""
    carried: set[int] = set()
    for op in ops:
        if op.name in LOOPS or carried & set(op.operands):
            carried.update(op.results)
    return carried


def region_start(kernel: Kernel, index: int) -> int:
    """Where the region of the loop nest at `index` starts: the straight-line stores right
    before it (an accumulator's initial value, `*out = 0`) belong to it, across value
    definitions that nothing after the nest uses (an unused index constant)."""
    ops = kernel.body.ops
    later = _group_uses(ops[index + 1:])
    start = probe = index
    while probe > 0:
        op = ops[probe - 1]
        if op.name in STORES:
            start = probe = probe - 1
        elif op.results and not op.regions and op.name not in LOOPS and \
                not op.name.startswith("memref.alloc") and not set(op.results) & later:
            probe -= 1
        else:
            break
    return start


def isolate_nest(text: str, func_name: str, index: int, end: int | None = None) -> str:
    """The module with only top-level ops [index, end) (plus value-defining ops that are
    not loops) left in `func_name`: the region's reference function."""
    end = index + 1 if end is None else end
    module = mlir_env.parse_module(text)
    with module.context:
        called = _callees(module, func_name)
        for op in list(module.body.operations):
            if op.operation.name != "func.func":
                continue
            name = str(op.attributes["sym_name"]).strip('"')
            if name != func_name:
                if name not in called:  # the reference compiles only what it runs
                    op.operation.erase()
                continue
            _drop_results(op.operation)
            ops = list(op.regions[0].blocks[0].operations)
            # Last first, so no op is erased while a later one still uses its results;
            # what follows the region does not matter to it.
            gone: set[ir.Value] = set()
            doomed = []
            for position, inner in enumerate(ops):
                keep = index <= position < end or inner.operation.name == "func.return" or \
                    (position < index and len(inner.results) > 0 and
                     inner.operation.name not in LOOPS and
                     not any(v in gone for v in inner.operands))
                if not keep:
                    doomed.append(inner)
                    gone.update(inner.results)
            for inner in reversed(doomed):
                inner.operation.erase()
        return str(module)


def _callees(module: ir.Module, func_name: str) -> set[str]:
    """Symbols the function named `func_name` calls, directly or through its callees."""
    bodies = {str(op.attributes["sym_name"]).strip('"'): op.operation
              for op in module.body.operations if op.operation.name == "func.func"}
    found: set[str] = set()
    pending = [func_name]
    while pending:
        func = bodies.get(pending.pop())
        if func is None:
            continue
        for name in callees(func):
            if name not in found:
                found.add(name)
                pending.append(name)
    return found


def _drop_results(func: ir.Operation) -> None:
    """The reference of a region observes memory only: the function returns nothing."""
    ftype = ir.FunctionType(ir.TypeAttr(func.attributes["function_type"]).value)
    if not ftype.results:
        return
    block = func.regions[0].blocks[0]
    old = list(block.operations)[-1]
    with ir.InsertionPoint(old), old.location:
        ir.Operation.create("func.return")
    old.operation.erase()
    func.attributes["function_type"] = ir.TypeAttr.get(
        ir.FunctionType.get(list(ftype.inputs), []))


class _Reference:
    """Runs the isolated nest on one input set and returns the written memref."""

    def __init__(self, compiled: CompiledFunction, kernel: Kernel, output: int) -> None:
        self.compiled, self.kernel, self.output = compiled, kernel, output

    def __call__(self, test: dict[str, np.ndarray]) -> np.ndarray:
        args: list[object] = []
        for position, vtype in enumerate(self.kernel.arg_types):
            name = arg_name(position)
            if vtype.is_memref:
                assert vtype.shape is not None
                value = test.get(name)
                arr = np.zeros(vtype.shape) if value is None else np.array(value, copy=True)
                dtype = NUMPY_DTYPES[vtype.elem] if vtype.elem in INTS else np.float64
                args.append(np.array(arr, dtype=dtype, order="C"))  # keeps 0-d
            elif vtype.elem.startswith("f"):
                args.append(float(test.get(name, 0.0)))
            else:  # a size, or an integer used as a number (its tests are integers)
                args.append(round(float(test.get(name, 0))))
        self.compiled.run(args)
        return np.array(args[self.output], dtype=np.float64)  # type: ignore[arg-type]


INT_TO_FLOAT = ("arith.sitofp", "arith.uitofp")


def data_integers(kernel: Kernel) -> set[int]:
    """Positions of integer scalar arguments used only as numbers (converted to float,
    as C's `ss / size` with an int size): data inputs of the search, not loop sizes."""
    found = set()
    for position, (vid, vtype) in enumerate(zip(kernel.arg_ids, kernel.arg_types)):
        if vtype.is_memref or vtype.elem.startswith("f") or vtype.elem == "index":
            continue
        users = [op.name for top in kernel.body.ops for op in top.walk() if vid in op.operands]
        if users and all(name in INT_TO_FLOAT for name in users):
            found.add(position)
    return found


def is_data(kernel: Kernel, position: int) -> bool:
    vtype = kernel.arg_types[position]
    return vtype.is_memref or vtype.elem.startswith("f") or position in data_integers(kernel)


def symbolic_env(kernel: Kernel, ieee: bool = False) -> dict[int, object]:
    """Fresh variables for every data argument: reals, or IEEE floats of each argument's
    element type (an integer used as a number is a real: proved for all reals, so for all
    integers)."""
    env: dict[int, object] = {}
    numbers = data_integers(kernel)
    for position, (vid, vtype) in enumerate(zip(kernel.arg_ids, kernel.arg_types)):
        elem = vtype.elem if ieee else None
        if vtype.is_memref:
            env[vid] = symbolic_array(arg_name(position), vtype.shape, elem)  # type: ignore
        elif vtype.elem.startswith("f"):
            env[vid] = symbolic_scalar(arg_name(position), elem)
        elif position in numbers and not ieee:
            env[vid] = symbolic_scalar(arg_name(position))
        else:
            env[vid] = 0
    return env


FLOATS = ("f32", "f64")


def float_type(arg_types: list[ValueType]) -> str:
    """The one float element type of a function's data (f64 when it has none or mixes)."""
    found = {t.elem for t in arg_types if t.elem.startswith("f")}
    return found.pop() if len(found) == 1 else "f64"


INTS = ("i8", "i16", "i32", "i64")


def integer_type(arg_types: list[ValueType]) -> str | None:
    """The integer element type of a function's arrays when all of them have it."""
    found = {t.elem for t in arg_types if t.is_memref}
    return found.pop() if len(found) == 1 and found <= set(INTS) else None


def data_type(arg_types: list[ValueType]) -> str:
    """The element type raised code computes in: the arrays' integer type, else the float."""
    return integer_type(arg_types) or float_type(arg_types)


def trace_region(kernel: Kernel, index: int, end: int, ieee: bool = False
                 ) -> dict[int, object]:
    """The symbolic state after top-level ops [index, end) run from fresh variables (value
    id -> value); raises Unsupported or NotImplementedError on what it cannot model."""
    env = symbolic_env(kernel, ieee)
    elems = {t.elem for t in kernel.arg_types if t.elem.startswith("f")}
    interp = Interpreter(FPAlgebra(min(elems, default="f64")) if ieee else Z3Algebra())
    for op in kernel.body.ops[:index]:
        if op.results and op.name not in LOOPS:
            interp.run_op(op, env)
    for op in kernel.body.ops[index:end]:
        interp.run_op(op, env)
    return env


def _check_supported(kernel: Kernel, nest: Op) -> str:
    numbers = data_integers(kernel)
    size_ids = {vid for p, (vid, t) in enumerate(zip(kernel.arg_ids, kernel.arg_types))
                if not t.is_memref and not t.elem.startswith("f") and p not in numbers}
    for op in nest.walk():
        if size_ids & set(op.operands):
            return "an integer size argument is used inside the loop nest"
    for vtype in kernel.arg_types:
        if vtype.is_dynamic:
            return f"dynamic shape {vtype.mlir()}: the search needs static extents"
        if vtype.is_memref and vtype.elem not in FLOATS and \
                integer_type(kernel.arg_types) is None:
            return f"element type {vtype.elem} mixed with other data types"
    if len({t.elem for t in kernel.arg_types if t.elem.startswith("f")}) > 1:
        return "f32 and f64 data mixed in one function"
    return ""


def widened(text: str) -> str:
    """An f32 kernel computed in f64: the reference for the search, which compares in f64
    (the proof is over the reals either way)."""
    return re.sub(r"(?<![A-Za-wyz0-9_])f32\b", "f64", text)  # also in 6x11xf32


def reads_carried_value(kernel: Kernel, index: int, end: int) -> str:
    """Why ops [index, end) cannot be a region of their own: they use a value an earlier
    loop computed in registers (an scf.while's trip count, an iter_args result)."""
    carried = {r for op in kernel.body.ops[:index] if op.name in LOOPS for r in op.results}
    if carried & _group_uses(kernel.body.ops[index:end]):
        return "uses a value an earlier loop computed (a data-dependent bound or an " \
               "iter_args result the region does not include)"
    return ""


LOADS = ("affine.load", "memref.load")


def reads_stale_load(kernel: Kernel, index: int, end: int) -> str:
    """Why ops [index, end) cannot be a region of their own: they use a value loaded at top
    level before an earlier op overwrote its buffer. The trace reads every top-level load
    at the region's start, which would then be a different value than the one the
    original holds."""
    ops = kernel.body.ops
    stale: set[int] = set()
    for position, op in enumerate(ops[:index]):
        overwritten = op.name in LOADS and any(op.operands[0] in _written_memrefs(later)
                                               for later in ops[position + 1:index])
        if overwritten or (stale & set(op.operands) and op.name not in LOOPS):
            stale.update(op.results)
    if stale & _group_uses(ops[index:end]):
        return "uses a value loaded before an earlier loop overwrote its buffer"
    return ""


def build_region(kernel: Kernel, text: str, index: int, rng: np.random.Generator,
                 end: int | None = None, recurrence: str = "") -> Region:
    """Problems for top-level ops [index, end) of `kernel` (loaded from the shrunk `text`);
    with `recurrence` (why the nest has a loop-carried chain), problems for the sequential
    records only."""
    end = index + 1 if end is None else end
    members = kernel.body.ops[index:end]
    nest = Op("buddy.region", [], [], regions=[[Block([], members)]], loc=members[0].loc)
    region = Region(index, end, nest.loc, recurrence=recurrence)
    allowed, constants = search_space(kernel, nest, recurrent=bool(recurrence))
    region.unsupported = _check_supported(kernel, nest) or \
        (recurrence if recurrence and not allowed else "")
    if region.unsupported:
        return region
    try:
        env = trace_region(kernel, index, end)
    except (Unsupported, NotImplementedError) as err:
        region.unsupported = f"symbolic trace: {err}"
        return region
    except (IndexError, TypeError):  # a subscript that is a term, not a number
        region.unsupported = "indirect indexing: a subscript computed from loaded data"
        return region
    region.unsupported = reads_carried_value(kernel, index, end) or \
        reads_stale_load(kernel, index, end)
    if region.unsupported:
        return region
    positions = {vid: p for p, vid in enumerate(kernel.arg_ids)}
    written = _written_memrefs(nest)
    later = _group_uses(kernel.body.ops[end:])
    if any(w not in positions and w in later for w in written):
        region.unsupported = "a local buffer (memref.alloca) carries values to later code"
        return region
    # Local scratch is not observable; a local buffer whose value later code reads (a
    # returned accumulator) is an output like an argument.
    written = [w for w in written if w in positions and
               (not kernel.is_local(positions[w]) or w in later)]
    isolated = isolate_nest(text, kernel.name, index, end)
    if float_type(kernel.arg_types) == "f32":
        isolated = widened(isolated)
    compiled = CompiledFunction(isolated, kernel.name)
    read_off = frozenset(features(nest))
    for memref in written:
        output = positions[memref]
        problem = _problem(kernel, env, memref, output, compiled, allowed, constants, rng)
        problem.features = read_off
        reason = mark_partial_write(problem, arg_name(output))
        if reason:
            region.unsupported = reason
            return region
        region.problems[output] = problem
    return region


def symbolic_inputs_for(kernel: Kernel, depends: set[str] | None, ieee: bool = False
                        ) -> tuple[dict[str, tuple[int, ...]], dict[str, np.ndarray]]:
    """Shapes and symbolic values of the arguments named in `depends` (None: all data
    arguments); IEEE float variables when `ieee`."""
    inputs: dict[str, tuple[int, ...]] = {}
    symbolic: dict[str, np.ndarray] = {}
    numbers = data_integers(kernel)
    for position, vtype in enumerate(kernel.arg_types):
        name = arg_name(position)
        if not vtype.is_memref and not vtype.elem.startswith("f") and \
                (position not in numbers or ieee):
            continue
        shape = vtype.shape if vtype.shape is not None else ()  # a scalar's: ()
        if depends is not None and \
                not any(var == name or var.startswith(name + "[") for var in depends):
            continue
        inputs[name] = shape
        elem = vtype.elem if ieee else None
        # A 0-d memref's element is `name[]`, as the trace reads it; a scalar is `name`.
        symbolic[name] = symbolic_array(name, shape, elem) if vtype.is_memref else \
            np.array(symbolic_scalar(name, elem), dtype=object)
    return inputs, symbolic


def mark_partial_write(problem: Problem, name: str) -> str:
    """If the nest leaves some elements of `name` as they were, record the index mask of
    the written ones; a reason when no mask in the grammar describes them."""
    if name not in problem.symbolic_inputs or not problem.output_shape:
        return ""
    same = unchanged_elements(problem.symbolic_output, problem.symbolic_inputs[name])
    if not same.any() or same.all():
        return ""
    for kind in mask_kinds(problem.output_shape):
        if np.array_equal(index_mask(kind, problem.output_shape), ~same):
            problem.partial = (kind, name)
            return ""
    return f"{name}: only part of it is written, in a pattern no index mask expresses " \
           f"({int((~same).sum())} of {same.size} elements at the shrunk size)"


def _problem(kernel: Kernel, env: dict[int, object], memref: int, output: int,
             compiled: CompiledFunction, allowed: tuple[str, ...],
             constants: tuple[float, ...], rng: np.random.Generator) -> Problem:
    symbolic_output = env[memref]
    assert isinstance(symbolic_output, np.ndarray)
    inputs, symbolic_inputs = symbolic_inputs_for(kernel, free_variables(symbolic_output))
    reference = _Reference(compiled, kernel, output)
    numbers = {arg_name(p) for p in data_integers(kernel)}
    integers = integer_type(kernel.arg_types) is not None  # small ints: no overflow
    for domain in DOMAINS:
        positive = domain != "normal"
        tests = [{name: np.array(float(rng.integers(1, 9))) if name in numbers else
                  rng.integers(1 if positive else -8, 9, size=shape).astype(np.float64)
                  if integers else dominant(rng, shape) if domain == "dominant" else
                  draw(rng, shape, positive)
                  for name, shape in inputs.items()}
                 for _ in range(N_TESTS)]
        expected = [reference(t) for t in tests]
        if all(np.all(np.isfinite(e)) for e in expected):
            break
    extents = sorted({d for s in [*inputs.values(), symbolic_output.shape] for d in s})
    return Problem(
        name=f"{kernel.name}:{arg_name(output)}", inputs=inputs,
        output_shape=symbolic_output.shape, tests=tests,
        expected=expected, symbolic_inputs=symbolic_inputs,
        symbolic_output=symbolic_output, reference=reference, allowed_ops=allowed,
        constants=constants, extents=tuple(extents))

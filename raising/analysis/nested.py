"""Partial raising: keep a sequential outer loop (a stencil's time loop) and raise the loop
nests inside its body.

A nest inside the loop can be raised on its own when it depends on nothing the loop
defines: not the induction variable, not a value computed in the body. Such a nest computes
the same function of the state at its entry in every iteration, so the raised program can
replace it in place. The analysis runs on a view of the module where those nests are
hoisted out of the loop (the loop itself is dropped), so each becomes an ordinary
top-level region.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core import mlir_env
from core.kernel_ir import Kernel, Op
from raising.analysis.decompose import LOOPS
from raising.frontend.load import LoadedModule, load_text

# A path to a nest inside a kept loop: (top-level index of the loop, index in its body).
NestPath = tuple[int, int]


@dataclass
class InnerNests:
    """The hoisted view of one kept loop and where its nests came from."""

    outer: int
    view: LoadedModule | None = None
    view_kernel: Kernel | None = None
    origin: dict[int, int] = field(default_factory=dict)  # view index -> body index
    refused: list[tuple[int, str, str]] = field(default_factory=list)  # (body index, loc, why)


def _body(loop: Op) -> list[Op]:
    return loop.regions[0][0].ops[:-1]  # without the terminator


def _outside_uses(op: Op) -> set[int]:
    """Values `op` (with everything nested in it) uses but does not define."""
    used = {v for inner in op.walk() for v in inner.operands}
    defined = {v for inner in op.walk() for v in inner.results}
    defined |= {a for inner in op.walk() for r in inner.regions for b in r for a in b.args}
    return used - defined


def _why_not(op: Op, loop_values: set[int], constants: set[int]) -> str:
    """Empty when the nest depends on nothing the kept loop defines (constants aside)."""
    uses = _outside_uses(op) & loop_values
    if uses - constants:
        return LOOP_VALUES
    return ""


LOOP_VALUES = "uses the enclosing loop's index or a value computed in its body"
# A nest in a loop that carries values (iter_args): no hoisted copy, only views.
IN_CARRYING_LOOP = "inside a loop that carries values from step to step (iter_args)"


def _loop_values(loop: Op) -> set[int]:
    values = set(loop.regions[0][0].args)
    values |= {r for op in _body(loop) for inner in op.walk() for r in inner.results}
    return values


def repeated_update(loop: Op) -> bool:
    """A loop whose index nothing in its body uses, around loop nests: it applies the same
    update again and again (a time loop), each step reading the previous step's values."""
    if loop.name != "affine.for" or loop.results:
        return False
    index_var = loop.regions[0][0].args[0]
    body = _body(loop)
    used = {v for op in body for inner in op.walk() for v in inner.operands}
    return index_var not in used and any(op.name in LOOPS for op in body)


REPEATED = "loop-carried: the loop repeats its body unchanged, each step reading the " \
    "previous step's values"


def inner_nests(kernel: Kernel, text: str, path: str, outer: int) -> InnerNests:
    """The nests inside top-level loop `outer` that can be raised in place, as a hoisted
    view of `text` (the module `kernel` was loaded from)."""
    found = InnerNests(outer)
    loop = kernel.body.ops[outer]
    if loop.name != "affine.for":
        return found
    body = _body(loop)
    constants = {op.results[0] for op in body if op.name == "arith.constant"}
    loop_values = _loop_values(loop)
    if loop.results:  # values carried across steps: no hoisted view, every nest on views
        found.refused = [(p, op.loc, _why_not(op, loop_values, constants) or IN_CARRYING_LOOP)
                         for p, op in enumerate(body) if op.name == "affine.for"]
        return found
    hoist: list[int] = []
    for position, op in enumerate(body):
        if op.name == "arith.constant":
            hoist.append(position)
            continue
        if op.name not in LOOPS:
            continue
        reason = _why_not(op, loop_values, constants)
        if op.name != "affine.for":
            reason = reason or f"{op.name} is not an affine loop nest"
        if reason:
            found.refused.append((position, op.loc, reason))
        else:
            hoist.append(position)
    nests = [p for p in hoist if body[p].name == "affine.for"]
    if not nests:
        return found
    found.view = load_text(_hoisted_text(text, kernel.name, outer, hoist), path)
    found.view_kernel = next(k for k in found.view.kernels if k.name == kernel.name)
    for offset, position in enumerate(hoist):
        if body[position].name == "affine.for":
            found.origin[outer + offset] = position
    return found


def _hoisted_text(text: str, func_name: str, outer: int, hoist: list[int]) -> str:
    """`text` with the chosen body ops of top-level loop `outer` moved before it and the
    loop removed."""
    module = mlir_env.parse_module(text)
    with module.context:
        func = next(op for op in module.body.operations if op.operation.name == "func.func"
                    and str(op.attributes["sym_name"]).strip('"') == func_name)
        loop = list(func.regions[0].blocks[0].operations)[outer].operation
        body = list(loop.regions[0].blocks[0].operations)
        for position in hoist:
            body[position].operation.move_before(loop)
        loop.erase()
        return str(module)

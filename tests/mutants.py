"""Mutants of a found program: the kinds of slip a raising tool makes. Each is a wrong answer
(unless it happens to be equal, which the caller detects on the problem's tests) that every
checker must reject.

Kinds: transpose (one added or removed), axis (another axis / contraction dimension /
broadcast position / mask / slice for the same result shape), dropped term (a summand, a
factor or a max/min bound left out), off-by-one extent (one input's last slice along an axis
dropped: a loop one iteration short), swapped operands (of a non-commutative op), wrong
constant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from grammar import BY_NAME, AttrContext
from grammar.ops import infer_shape
from synth.program import Program, evaluate, make

AXIS_ATTRS = {"axis", "dim", "lhs", "rhs", "perm", "mask", "at"}
CONSTANT_ATTRS = {"value", "threshold"}


@dataclass
class Mutant:
    kind: str
    description: str
    program: Program
    # Applied to the inputs before evaluating `program` (off-by-one mutants).
    env_change: Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]] | None = None

    def evaluate(self, env: dict[str, np.ndarray]) -> np.ndarray:
        if self.env_change is not None:
            env = self.env_change(env)
        return evaluate(self.program, env)


def _replace(program: Program, target: Program, new: Program) -> Program:
    """`program` with the subtree `target` (by identity) replaced by `new`."""
    if program is target:
        return new
    if program.op is None:
        return program
    children = tuple(_replace(c, target, new) for c in program.children)
    if all(a is b for a, b in zip(children, program.children)):
        return program
    return make(program.op, program.attrs, children, program.shape)


def _nodes(program: Program) -> Iterator[Program]:
    """Every node, leaves included, each subtree once."""
    seen: set[int] = set()
    stack = [program]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        stack.extend(node.children)


def _typed(op_name: str, attrs: tuple, children: tuple[Program, ...], shape: tuple) -> bool:
    return infer_shape(BY_NAME[op_name], tuple(c.shape for c in children), attrs) == shape


def _transposes(root: Program) -> Iterator[Mutant]:
    for node in _nodes(root):
        if len(node.shape) == 2 and node.shape[0] == node.shape[1]:
            wrapped = make("transpose", (("perm", (1, 0)),), (node,), node.shape)
            yield Mutant("transpose", f"transpose added around {node}",
                         _replace(root, node, wrapped))
        if node.op == "transpose" and node.children[0].shape == node.shape:
            yield Mutant("transpose", f"transpose removed in {node}",
                         _replace(root, node, node.children[0]))


def _attribute_changes(root: Program, ctx: AttrContext, names: set[str],
                       kind: str) -> Iterator[Mutant]:
    for node in _nodes(root):
        if node.op is None or not any(k in names for k, _ in node.attrs):
            continue
        op = BY_NAME[node.op]
        current = dict(node.attrs)
        for attrs in op.attributes(tuple(c.shape for c in node.children), ctx):
            changed = {k for k, v in attrs if current.get(k) != v}
            if not changed or not changed <= names or \
                    not _typed(node.op, attrs, node.children, node.shape):
                continue
            new = make(node.op, attrs, node.children, node.shape)
            yield Mutant(kind, f"{node} -> {new}", _replace(root, node, new))


def _dropped_terms(root: Program) -> Iterator[Mutant]:
    for node in _nodes(root):
        if node.op not in ("add", "sub", "mul", "max", "min"):
            continue
        for child in node.children:
            if child.shape == node.shape:
                yield Mutant("dropped term", f"{node} -> {child}", _replace(root, node, child))


def _swaps(root: Program) -> Iterator[Mutant]:
    for node in _nodes(root):
        if node.op is None or BY_NAME[node.op].commutative or len(node.children) != 2:
            continue
        swapped = node.children[::-1]
        if swapped[0] is swapped[1] or not _typed(node.op, node.attrs, swapped, node.shape):
            continue
        new = make(node.op, node.attrs, swapped, node.shape)
        yield Mutant("swapped operands", f"{node} -> {new}", _replace(root, node, new))


def _constants(root: Program) -> Iterator[Mutant]:
    for node in _nodes(root):
        for key, value in node.attrs:
            if key in CONSTANT_ATTRS:
                attrs = tuple((k, float(v) + 1.5 if k == key else v)  # type: ignore[arg-type]
                              for k, v in node.attrs)
                new = make(node.op, attrs, node.children, node.shape)  # type: ignore[arg-type]
                yield Mutant("wrong constant", f"{node} -> {new}", _replace(root, node, new))
        if node.op is None and node.shape == ():  # a scalar argument scaled by 2
            two = make("fill", (("value", 2.0), ("shape", ())), (), ())
            scaled = make("mul", (), (two, node), ())
            yield Mutant("wrong constant", f"{node} -> 2*{node}", _replace(root, node, scaled))


def _off_by_one(root: Program, inputs: dict[str, tuple[int, ...]]) -> Iterator[Mutant]:
    leaves = sorted({n.leaf for n in _nodes(root) if n.op is None})
    for leaf in leaves:
        for axis, extent in enumerate(inputs.get(leaf, ())):  # type: ignore[arg-type]
            if extent < 2:
                continue

            def short(env: dict[str, np.ndarray], leaf: str = leaf, axis: int = axis
                      ) -> dict[str, np.ndarray]:
                arr = np.array(env[leaf], copy=True)
                index = [slice(None)] * arr.ndim
                index[axis] = arr.shape[axis] - 1
                arr[tuple(index)] = 0  # what a loop one iteration short never reads
                return {**env, leaf: arr}

            yield Mutant("off-by-one extent", f"{leaf} read over {extent - 1} of {extent} "
                         f"along axis {axis}", root, short)


def mutants(program: Program, inputs: dict[str, tuple[int, ...]],
            ctx: AttrContext) -> list[Mutant]:
    """Every mutant of `program` (no duplicates by printed form)."""
    found: dict[str, Mutant] = {}
    for mutant in [*_transposes(program), *_attribute_changes(program, ctx, AXIS_ATTRS, "axis"),
                   *_dropped_terms(program), *_swaps(program), *_constants(program),
                   *_off_by_one(program, inputs)]:
        key = f"{mutant.kind}:{mutant.program}:{mutant.description}"
        found.setdefault(key, mutant)
    return list(found.values())


def region_mutants(solved: Any, position: int) -> list[Mutant]:
    """Every mutant of the program a solved region found for output `position`, with the
    attribute context its search had."""
    from raising.analysis.decompose import symbolic_inputs_for

    shapes, _ = symbolic_inputs_for(solved.kernel, None)
    program, problem = solved.programs[position], solved.region.problems[position]
    ctx = AttrContext(extents=problem.extents, constants=problem.constants,
                      shapes=tuple(sorted(set(shapes.values()) | {program.shape})))
    return mutants(program, shapes, ctx)

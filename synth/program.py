"""Candidate programs: trees of grammar ops over named problem inputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from checkers.smt import algebra_of, exact_constants
from grammar import BY_NAME, PARTIAL_WRITE_OP
from grammar.ops import Attrs, TermAlgebra, infer_shape, op_cost
from grammar.shapes import Shape
from synth.problem import Problem


@dataclass(frozen=True)
class Program:
    """`op` is None for a leaf naming a problem input."""

    op: str | None
    attrs: Attrs = ()
    children: tuple[Program, ...] = ()
    leaf: str | None = None
    shape: Shape = ()
    cost: int = field(default=0, compare=False)  # total work (see grammar op_cost)

    @cached_property
    def size(self) -> int:
        """Number of distinct op nodes (leaves are free; a shared subterm counts once, as
        it is computed once: mul(d, d) costs one more than d)."""
        return len(self.nodes())

    def nodes(self) -> set[Program]:
        if self.op is None:
            return set()
        found = {self}
        for child in self.children:
            found |= child.nodes()
        return found

    def ops(self) -> list[str]:
        if self.op is None:
            return []
        out = [self.op]
        for child in self.children:
            out.extend(child.ops())
        return out

    def __str__(self) -> str:
        if self.op is None:
            return str(self.leaf)
        parts = [str(c) for c in self.children] + [f"{k}={v}" for k, v in self.attrs]
        return f"{self.op}({', '.join(parts)})"


def evaluate(program: Program, env: dict[str, np.ndarray]) -> np.ndarray:
    """Evaluate on one input set; works for float arrays and object arrays of z3 terms (in
    the algebra the terms come from, handed to every op's semantics)."""
    symbols = [v for v in env.values() if isinstance(v, np.ndarray) and v.dtype == object]
    return _evaluate(program, env, symbols, algebra_of(*symbols) if symbols else None)


def evaluate_tests(program: Program, tests: list[dict[str, np.ndarray]]) -> np.ndarray | None:
    """The program's outputs on every test, stacked; None where an op is undefined on a
    test's values (a square root of a negative number): no such candidate matches."""
    with np.errstate(all="ignore"):
        try:
            return np.stack([evaluate(program, t) for t in tests])
        except (ValueError, ZeroDivisionError, FloatingPointError):
            return None


def _evaluate(program: Program, env: dict[str, np.ndarray], symbols: list[np.ndarray],
              alg: TermAlgebra | None) -> np.ndarray:
    if program.op is None:
        return env[program.leaf]  # type: ignore[index]
    args = [_evaluate(c, env, symbols, alg) for c in program.children]
    value = BY_NAME[program.op].semantics(args, dict(program.attrs), alg)
    if not args and symbols:  # a constant among terms: exact, not a float
        return exact_constants(value, *symbols)
    return value


def _map_extents(value: object, extent_map: dict[int, int]) -> object:
    if isinstance(value, tuple):
        return tuple(extent_map.get(v, v) for v in value)  # type: ignore[misc]
    return extent_map.get(value, value)  # type: ignore[call-overload]


def rescale(program: Program, leaf_shapes: dict[str, Shape],
            extent_map: dict[int, int]) -> Program:
    """The same program over inputs of other extents: shapes re-inferred bottom-up,
    extent-valued attributes mapped (a solution found small, emitted at full size)."""
    if program.op is None:
        return Program(None, leaf=program.leaf, shape=leaf_shapes[program.leaf])  # type: ignore
    op = BY_NAME[program.op]
    children = tuple(rescale(c, leaf_shapes, extent_map) for c in program.children)
    attrs = tuple((k, _map_extents(v, extent_map) if k in op.extent_attrs else v)
                  for k, v in program.attrs)
    if op.rescale is not None:
        old_shapes = tuple(c.shape for c in program.children)
        new = op.rescale(old_shapes, tuple(c.shape for c in children), dict(program.attrs),
                         extent_map)
        attrs = tuple((k, new[k]) for k, _ in program.attrs)
    shape = infer_shape(op, tuple(c.shape for c in children), attrs)
    if shape is None:
        raise ValueError(f"{program.op} does not type-check after resizing")
    return make(program.op, attrs, children, shape)


def make(op_name: str, attrs: Attrs, children: tuple[Program, ...], shape: Shape) -> Program:
    """A program node with its cost filled in."""
    own = op_cost(BY_NAME[op_name], tuple(c.shape for c in children), dict(attrs), shape)
    return Program(op_name, attrs, children, shape=shape,
                   cost=own + sum(c.cost for c in children))


def wrap_partial(problem: Problem, program: Program) -> Program:
    """select(mask, program, old) for a partial write; else the program itself."""
    if problem.partial is None:
        return program
    kind, old = problem.partial
    leaf = Program(None, leaf=old, shape=problem.inputs[old])
    return make(PARTIAL_WRITE_OP, (("mask", kind),), (program, leaf), problem.output_shape)

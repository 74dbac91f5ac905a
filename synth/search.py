"""Bottom-up enumeration by program size, with goal-directed completion.

Each level builds every well-typed op application over stored values (type rule ->
evaluate on all tests -> dedup by fingerprint). After each level, `out = v (+,-,*,/) w`
completions look the residual of the target up in the store (meet in the middle), so a
program of size 2k+1 is found with a store of size k. Every hit is re-evaluated, matched
against all tests and proved by Z3 before it is accepted.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from checkers.smt import ProofOutcome, check_equivalent
from grammar import BY_NAME, AttrContext, TargetOp
from grammar.ops import Attrs, infer_shape
from grammar.shapes import Shape
from synth.problem import Problem
from synth.program import Program, evaluate, make
from synth.stats import SearchStats
from synth.store import Value, ValueStore, close


@dataclass(frozen=True)
class SearchConfig:
    max_size: int = 3  # store levels; completions reach 2 * max_size + 1 ops
    timeout_s: float = 60.0
    max_values: int = 100_000
    z3_timeout_ms: int = 10_000


@dataclass
class SearchOutcome:
    """`found` (program + proof), `counterexample` (model for CEGIS), or a failure reason."""

    status: str
    program: Program | None = None
    proof: ProofOutcome | None = None
    reason: str = ""


class _Done(Exception):
    def __init__(self, outcome: SearchOutcome) -> None:
        self.outcome = outcome


def applications(op: TargetOp, shapes: tuple[Shape, ...],
                 ctx: AttrContext) -> Iterator[tuple[Attrs, Shape]]:
    """Well-typed attribute choices and result shapes of `op` on operands of `shapes`."""
    for attrs in op.attributes(shapes, ctx):
        shape = infer_shape(op, shapes, attrs)
        if shape is not None:
            yield attrs, shape


class Search:
    def __init__(self, problem: Problem, config: SearchConfig, stats: SearchStats) -> None:
        self.problem = problem
        self.config = config
        self.stats = stats
        self.store = ValueStore()
        self.target = np.stack(problem.expected)
        self.ops = [BY_NAME[name] for name in problem.allowed_ops]
        shapes = tuple(sorted(set(problem.inputs.values()) | {problem.output_shape}))
        self.ctx = AttrContext(extents=problem.extents, constants=problem.constants,
                               shapes=shapes)
        self.max_rank = max(len(s) for s in shapes)
        self.deadline = time.monotonic() + config.timeout_s
        self.tried: set[str] = set()
        self.level_hits: list[Value] = []

    # --- evaluation -------------------------------------------------------------------
    def _eval(self, op: TargetOp, attrs: Attrs, args: list[Value],
              shape: Shape) -> np.ndarray | None:
        outs = []
        attr_dict = dict(attrs)
        with np.errstate(all="ignore"):
            for t in range(len(self.problem.tests)):
                try:
                    out = op.semantics([a.data[t] for a in args], attr_dict)
                except (ValueError, ZeroDivisionError, FloatingPointError):
                    return None
                outs.append(out)
        data = np.stack(outs).astype(np.float64, copy=False)
        if data.shape[1:] != shape or not np.all(np.isfinite(data)):
            return None
        return data

    def _check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise _Done(SearchOutcome("timeout", reason="search timed out"))
        if len(self.store) > self.config.max_values:
            raise _Done(SearchOutcome("exhausted", reason="value store limit reached"))

    # --- candidates -------------------------------------------------------------------
    def _try(self, program: Program, data: np.ndarray | None = None) -> None:
        """Match on all tests, then prove; raises _Done on success or counterexample."""
        key = str(program)
        if key in self.tried:
            return
        self.tried.add(key)
        if data is None:
            with np.errstate(all="ignore"):
                data = np.stack([evaluate(program, t) for t in self.problem.tests])
        if data.shape != self.target.shape or not close(data, self.target):
            self.stats.reject("mismatch")
            return
        self.stats.checked += 1
        symbolic = evaluate(program, self.problem.symbolic_inputs)
        proof = check_equivalent(self.problem.symbolic_output, symbolic,
                                 self.config.z3_timeout_ms)
        if proof.status == "proved":
            raise _Done(SearchOutcome("found", program, proof))
        if proof.status == "counterexample":
            self.stats.reject("counterexample")
            raise _Done(SearchOutcome("counterexample", program, proof))
        self.stats.reject("unproved")

    def _add(self, program: Program, data: np.ndarray) -> None:
        self.stats.enumerated += 1
        value = self.store.add(program, data)
        if value is None:
            self.stats.reject("duplicate")
            return
        self.stats.stored += 1
        if program.shape == self.problem.output_shape and close(data, self.target):
            self.level_hits.append(value)

    def _try_level_hits(self) -> None:
        # Stored programs may have been replaced by cheaper equals since they were added.
        hits = sorted(self.level_hits, key=lambda v: (v.size, v.program.cost, str(v.program)))
        self.level_hits = []
        for value in hits:
            self._try(value.program, value.data)

    # --- enumeration ------------------------------------------------------------------
    def _apply(self, op: TargetOp, args: list[Value]) -> None:
        shapes = tuple(a.shape for a in args)
        found = False
        for attrs, shape in applications(op, shapes, self.ctx):
            found = True
            if len(shape) > self.max_rank:
                continue  # goal direction: no op in the grammar lowers rank back cheaply
            data = self._eval(op, attrs, args, shape)
            if data is None:
                self.stats.reject("eval_error")
                continue
            program = make(op.name, attrs, tuple(a.program for a in args), shape)
            self._add(program, data)
        if not found and op.arity:
            self.stats.reject("type")

    def _level(self, size: int) -> None:
        by_size = self.store.by_size
        for op in self.ops:
            self._check_time()
            if op.arity == 0 and size == 1:
                self._apply(op, [])
            elif op.arity == 1:
                for value in list(by_size.get(size - 1, ())):
                    self._apply(op, [value])
            elif op.arity == 2:
                for left in range(size):
                    right = size - 1 - left
                    if op.commutative and left > right:
                        continue
                    lefts = list(by_size.get(left, ()))
                    rights = list(by_size.get(right, ()))
                    for a in lefts:
                        self._check_time()
                        for b in rights:
                            if op.commutative and left == right and a.id > b.id:
                                continue
                            self._apply(op, [a, b])

    # --- goal-directed completion -----------------------------------------------------
    def _residuals(self, v: Value) -> Iterator[tuple[str, np.ndarray, bool]]:
        """(op, residual w, v_on_left) such that op(v, w) or op(w, v) gives the target."""
        target, data = self.target, v.data
        if v.shape not in ((), self.problem.output_shape):
            return
        if v.shape == ():
            data = data.reshape(data.shape + (1,) * len(self.problem.output_shape))
        names = {op.name for op in self.ops}
        with np.errstate(all="ignore"):
            if "add" in names:
                yield "add", target - data, True
            if "sub" in names:
                yield "sub", data - target, True
                yield "sub", target + data, False
            if "mul" in names and np.all(data != 0):
                yield "mul", target / data, True
            if "div" in names:
                yield "div", target * data, False
                if np.all(target != 0):
                    yield "div", data / target, True

    def _complete(self, max_size: int) -> None:
        hits = []
        for v in self.store.up_to(max_size):
            for op_name, residual, v_left in self._residuals(v):
                residual = np.broadcast_to(residual, self.target.shape)
                if not np.all(np.isfinite(residual)):
                    continue
                w = self.store.lookup(self.problem.output_shape, residual)
                if w is None:
                    continue
                children = (v.program, w.program) if v_left else (w.program, v.program)
                program = make(op_name, (), children, self.problem.output_shape)
                hits.append(program)
        for program in sorted(hits, key=lambda p: (p.size, p.cost, str(p))):
            self._check_time()
            self._try(program)

    def run(self) -> SearchOutcome:
        start = time.monotonic()
        try:
            for name, shape in self.problem.inputs.items():
                data = np.stack([np.asarray(t[name], dtype=np.float64)
                                 for t in self.problem.tests])
                self._add(Program(None, leaf=name, shape=shape), data)
            self._try_level_hits()
            for size in range(1, self.config.max_size + 1):
                self._level(size)
                self._try_level_hits()
                self._complete(size)
            return SearchOutcome("exhausted", reason=f"no program up to size "
                                                      f"{2 * self.config.max_size + 1}")
        except _Done as done:
            return done.outcome
        finally:
            self.stats.seconds += time.monotonic() - start

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
from grammar import BY_NAME, AttrContext, TargetOp, index_mask
from grammar.ops import Attrs, infer_shape
from grammar.shapes import Shape
from synth.problem import Problem
from synth.program import Program, evaluate, evaluate_tests, make, wrap_partial
from synth.stats import SearchStats
from synth.store import Value, ValueStore, close


@dataclass(frozen=True)
class SearchConfig:
    max_size: int = 3  # store levels; completions reach 2 * max_size + 1 ops
    # If nothing is found, one more level: the last level is redone without the goal-shape
    # restriction, then the next one is enumerated (restricted).
    deepen: bool = True
    deepen_limit: int = 4000  # ... only while the store is this small (else it explodes)
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
        self.target = np.stack(problem.expected)
        # Partial writes: only the written elements are the goal; the answer is wrapped.
        self.select = index_mask(problem.partial[0], problem.output_shape) \
            if problem.partial else None
        self.store = ValueStore(problem.output_shape, self.select)
        self.goal = self.store.project(self.target)
        self.ops = [BY_NAME[name] for name in problem.allowed_ops]
        self.op_names = {op.name for op in self.ops}
        shapes = tuple(sorted(set(problem.inputs.values()) | {problem.output_shape}))
        self.ctx = AttrContext(extents=problem.extents, constants=problem.constants,
                               shapes=shapes)
        self.max_rank = max(len(s) for s in shapes)
        self.deadline = time.monotonic() + config.timeout_s
        self.tried: set[str] = set()
        self.last_level = False
        self.eager = False
        self._typed_cache: dict[tuple[str, tuple[Shape, ...]], bool] = {}
        self._completed = 0  # values already used as the iterated side of completions
        self.goal_shapes = {(), problem.output_shape}
        self.level_hits: list[Value] = []
        # The first candidate that matched every test but Z3 could not decide: reported as
        # "unproved" if nothing is proved (emitted only when the user allows it).
        self.undecided: tuple[Program, ProofOutcome] | None = None

    # --- evaluation -------------------------------------------------------------------
    def _eval(self, op: TargetOp, attrs: Attrs, args: list[Value],
              shape: Shape) -> np.ndarray | None:
        outs = []
        attr_dict = dict(attrs)
        with np.errstate(all="ignore"):
            for t in range(len(self.problem.tests)):
                try:
                    out = op.semantics([a.data[t] for a in args], attr_dict, None)
                except (ValueError, ZeroDivisionError, FloatingPointError):
                    return None
                outs.append(out)
        data = np.stack(outs).astype(np.float64, copy=False)
        if data.shape[1:] != shape or not np.all(np.isfinite(data)):
            return None
        return data

    def _check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise _Done(SearchOutcome("timeout", reason="timeout"))
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
            data = evaluate_tests(program, self.problem.tests)
        if data is None or not self._matches(data):
            self.stats.reject("mismatch")
            return
        self.stats.checked += 1
        program = self._wrap(program)
        symbolic = evaluate(program, self.problem.symbolic_inputs)
        proof = check_equivalent(self.problem.symbolic_output, symbolic,
                                 self.config.z3_timeout_ms)
        if proof.status == "proved":
            raise _Done(SearchOutcome("found", program, proof))
        if proof.status == "counterexample":
            self.stats.reject("counterexample")
            raise _Done(SearchOutcome("counterexample", program, proof))
        self.stats.reject("unproved")
        if self.undecided is None:
            self.undecided = (program, proof)

    def _matches(self, data: np.ndarray) -> bool:
        return data.shape == self.target.shape and close(self.store.project(data), self.goal)

    def _wrap(self, program: Program) -> Program:
        return wrap_partial(self.problem, program)

    def _add(self, program: Program, data: np.ndarray) -> None:
        self.stats.enumerated += 1
        value = self.store.add(program, data)
        if value is None:
            self.stats.reject("duplicate")
            return
        self.stats.stored += 1
        if program.shape == self.problem.output_shape and self._matches(data):
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
            if self.last_level and shape not in self.goal_shapes:
                self.stats.reject("unreachable")  # completions only combine these shapes
                continue
            data = self._eval(op, attrs, args, shape)
            if data is None:
                self.stats.reject("eval_error")
                continue
            program = make(op.name, attrs, tuple(a.program for a in args), shape)
            self._add(program, data)
        if not found and op.arity:
            self.stats.reject("type")

    def _typed(self, op: TargetOp, shapes: tuple[Shape, ...]) -> bool:
        key = (op.name, shapes)
        if key not in self._typed_cache:
            self._typed_cache[key] = any(True for _ in applications(op, shapes, self.ctx))
        return self._typed_cache[key]

    def _pairs(self, op: TargetOp, left: int, right: int) -> Iterator[tuple[Value, Value]]:
        """Operand pairs of sizes (left, right), grouped by shape so that ill-typed shape
        pairs are rejected once per group, not once per pair."""
        lefts, rights = self.store.by_shape(left), self.store.by_shape(right)
        same_size = op.commutative and left == right
        for sa, group_a in lefts.items():
            for sb, group_b in rights.items():
                if not self._typed(op, (sa, sb)):
                    self.stats.reject("type", len(group_a) * len(group_b))
                    continue
                for a in list(group_a):
                    self._check_time()
                    for b in list(group_b):
                        if not (same_size and a.id > b.id):
                            yield a, b

    def _level(self, size: int) -> None:
        by_size = self.store.by_size
        # Eager (deepest) level: unary ops first, they cost one pass over the store where a
        # binary op costs a pass over pairs; the answer is often one unary op away.
        ops = sorted(self.ops, key=lambda op: op.arity) if self.eager else self.ops
        for op in ops:
            self._check_time()
            if self.eager:  # the deepest level is the costly one: stop at its first answer
                self._try_level_hits()
                self._complete()
            if op.arity == 0 and size == 1:
                self._apply(op, [])
            elif op.arity == 1:
                for value in list(by_size.get(size - 1, ())):
                    self._apply(op, [value])
            elif op.arity == 2:
                if op.commutative:  # op(v, v): a shared operand is computed once
                    for value in list(by_size.get(size - 1, ())):
                        self._apply(op, [value, value])
                for left in range(size):
                    right = size - 1 - left
                    if op.commutative and left > right:
                        continue
                    for a, b in self._pairs(op, left, right):
                        self._apply(op, [a, b])

    # --- goal-directed completion -----------------------------------------------------
    def _residuals(self, data: np.ndarray,
                   goal: np.ndarray) -> Iterator[tuple[str, np.ndarray, bool]]:
        """(op, residual w, v_on_left) such that op(v, w) or op(w, v) gives `goal`, for a
        stack of values v with (projected) `data`. Non-finite rows are skipped later."""
        names = self.op_names
        with np.errstate(all="ignore"):
            if "add" in names:
                yield "add", goal - data, True
            if "sub" in names:
                yield "sub", data - goal, True
                yield "sub", goal + data, False
            if "mul" in names:
                yield "mul", goal / data, True
            if "div" in names:
                yield "div", goal * data, False
                if np.all(goal != 0):
                    yield "div", data / goal, True

    def _scalars(self) -> list[Value]:
        """Scalar inputs: completions may also scale by one of them (alpha * (...))."""
        if "mul" not in self.op_names:
            return []
        return [v for v in self.store.by_size.get(0, ()) if v.shape == ()
                and np.all(v.data != 0)]

    def _complete_goal(self, values: list[Value], goal: np.ndarray,
                       scalars: list[Value]) -> list[Program]:
        """Programs op(v, w), op(v, s*w) or op(s*v, w) equal to `goal` (projected) on the
        written elements, for v in `values` and w anywhere in the store. Residuals come in
        both operand orders, so iterating only new values still finds every pair. All v of
        one shape are handled as one stack."""
        hits: list[Program | None] = []
        out_shape = self.problem.output_shape
        n_tests = goal.shape[0]
        for shape in {(), out_shape}:
            group = [v for v in values if v.shape == shape]
            if not group:
                continue
            data = np.stack([v.data.reshape(n_tests, 1) if shape == () else
                             self.store.project(v.data) for v in group])
            for scale_v in [None, *scalars]:
                fv = data if scale_v is None else data * scale_v.data.reshape(1, n_tests, 1)
                for op_name, residual, v_left in self._residuals(fv, goal):
                    for scale_w in [None, *scalars] if scale_v is None else [None]:
                        with np.errstate(all="ignore"):
                            r = residual if scale_w is None else \
                                residual / scale_w.data.reshape(1, n_tests, 1)
                        r = np.broadcast_to(r, (len(group), *goal.shape))
                        usable = np.isfinite(r).all(axis=(1, 2))
                        for v, w in zip(group, self.store.lookup_goal(r, usable)):
                            if w is not None:
                                hits.append(self._combine(op_name, v_left, v, scale_v, w,
                                                          scale_w))
        return [h for h in hits if h is not None]

    def _combine(self, op_name: str, v_left: bool, v: Value, scale_v: Value | None,
                 w: Value, scale_w: Value | None) -> Program | None:
        out_shape = self.problem.output_shape

        def scaled(scale: Value | None, program: Program) -> Program:
            return program if scale is None else \
                make("mul", (), (scale.program, program), program.shape)

        left, right = scaled(scale_v, v.program), scaled(scale_w, w.program)
        children = (left, right) if v_left else (right, left)
        if out_shape not in (children[0].shape, children[1].shape):
            return None  # scalar op scalar: not the goal's shape
        return make(op_name, (), children, out_shape)

    def _complete(self) -> None:
        values = self.store.values[self._completed:]
        self._completed = len(self.store.values)
        scalars = self._scalars()
        out_shape = self.problem.output_shape
        hits = self._complete_goal(values, self.goal, scalars)
        n_tests = self.goal.shape[0]
        for s in scalars:  # goal = s * op(v, w)
            with np.errstate(all="ignore"):
                goal = self.goal / s.data.reshape(n_tests, 1)
            hits += [make("mul", (), (s.program, p), out_shape)
                     for p in self._complete_goal(values, goal, [])]
        for program in sorted(hits, key=lambda p: (p.size, p.cost, str(p))):
            self._check_time()
            self._try(program)

    def _run_level(self, size: int, last: bool) -> None:
        self.last_level = last
        self._level(size)
        self._try_level_hits()
        self._complete()

    def _undecided_or(self, outcome: SearchOutcome) -> SearchOutcome:
        if self.undecided is None:
            return outcome
        program, proof = self.undecided
        return SearchOutcome("unproved", program, proof,
                             reason=f"Z3 could not decide ({proof.detail}); {outcome.reason}")

    def run(self) -> SearchOutcome:
        start = time.monotonic()
        try:
            for name, shape in self.problem.inputs.items():
                data = np.stack([np.asarray(t[name], dtype=np.float64)
                                 for t in self.problem.tests])
                self._add(Program(None, leaf=name, shape=shape), data)
            self._try_level_hits()
            for size in range(1, self.config.max_size + 1):
                self._run_level(size, last=size == self.config.max_size)
            if self.config.deepen and len(self.store) <= self.config.deepen_limit:
                self._run_level(self.config.max_size, last=False)
                self.eager = True
                self._run_level(self.config.max_size + 1, last=True)
            deeper = self.config.deepen and len(self.store) <= self.config.deepen_limit
            reach = 2 * (self.config.max_size + deeper) + 1
            return self._undecided_or(SearchOutcome(
                "exhausted", reason=f"no program up to size {reach}"))
        except _Done as done:
            if done.outcome.status in ("timeout", "exhausted"):
                return self._undecided_or(done.outcome)
            return done.outcome
        finally:
            self.stats.seconds += time.monotonic() - start

"""The trace as a sketch: build the elementwise structure of a written value directly.

The symbolic trace gives every written element as a term over input elements. Where the
terms of all elements have one shape (the same ops, leaves at index-related places), that
shape is the program: each op of the term becomes the grammar op that builds the same term,
each leaf a view of an input (itself, a transposition, a broadcast, a neighbour shift) found
by a small search over the grammar's layout ops, and each subterm shared by every element
that gathers many input elements (a sum, a maximum) a hole, filled by the bottom-up search.
Nothing here knows a kernel: a proposal is one more candidate, matched on every test and
proved by Z3 before it is accepted, exactly like an enumerated one.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from checkers.smt import check_equivalent, same_term, term_key, term_parts, term_values
from grammar import BY_NAME, AttrContext
from grammar.ops import infer_shape
from grammar.shapes import Shape
from synth.problem import Problem
from synth.program import Program, evaluate, make, wrap_partial
from synth.search import Search, SearchConfig, SearchOutcome, applications
from synth.stats import SearchStats
from synth.store import close

LAYOUT_OPS = ("transpose", "broadcast", "shift")
VIEW_DEPTH = 3  # layout ops stacked on one input
MAX_HOLES = 6  # sub-searches per proposal
HOLE_CONFIG = SearchConfig(max_size=2, deepen=True, deepen_limit=2000, timeout_s=1.0)
BINARY = {"add": "add", "sub": "sub", "mul": "mul", "div": "div"}
UNARY_APPS = {"exp": "exp"}
COMPARISONS = ("lt", "le", "gt", "ge", "eq", "ne")


class _NoSketch(Exception):
    """The terms do not have one shape the grammar can build."""


def _per_position_reads(problem: Problem, care: np.ndarray) -> int:
    """The most elements of one input that one written element reads beyond those every
    written element reads: 1 for elementwise code, the extent for a contraction."""
    homes = _homes(problem)
    leaves = [_leaves(problem.symbolic_output[i]) for i in np.ndindex(*care.shape) if care[i]]
    if not leaves:
        return 0
    common = set.intersection(*leaves)
    worst = 0
    for names in leaves:
        count: dict[str, int] = {}
        for name in names - common:
            source = homes.get(name, ("", ()))[0]
            count[source] = count.get(source, 0) + 1
        worst = max(worst, max(count.values(), default=0))
    return worst


def _leaves(term: object) -> set[str]:
    found: set[str] = set()
    stack, seen = [term], set()
    while stack:
        t = stack.pop()
        key = term_key(t)
        if key in seen:
            continue
        seen.add(key)
        kind, children, payload = term_parts(t)
        if kind == "var":
            found.add(str(payload))
        stack.extend(children)
    return found


def _homes(problem: Problem) -> dict[str, tuple[str, tuple[int, ...]]]:
    """Variable name -> (input, index)."""
    homes = {}
    for name, array in problem.symbolic_inputs.items():
        for index in np.ndindex(*array.shape):
            homes[str(array[index])] = (name, index)
    return homes


class _Lifter:
    def __init__(self, problem: Problem, stats: SearchStats, deadline: float) -> None:
        self.problem = problem
        self.stats = stats
        self.deadline = deadline
        self.homes = _homes(problem)
        self.holes_left = MAX_HOLES
        self.shape = problem.output_shape
        self.memo: dict[tuple[object, ...], Program | None] = {}

    # --- nodes ----------------------------------------------------------------------------
    def build(self, terms: np.ndarray, care: np.ndarray) -> Program:
        """A program whose value equals `terms` wherever `care` holds."""
        if time.monotonic() > self.deadline:
            raise _NoSketch("time")
        cared = [terms[i] for i in np.ndindex(*terms.shape) if care[i]]
        key = tuple(term_key(t) for t in cared) + (terms.shape,)
        if key in self.memo:
            found = self.memo[key]
            if found is None:
                raise _NoSketch("known")
            return found
        try:
            program = self._build(terms, care, cared)
        except _NoSketch:
            self.memo[key] = None
            raise
        self.memo[key] = program
        return program

    def _build(self, terms: np.ndarray, care: np.ndarray, cared: list[object]) -> Program:
        if all(same_term(t, cared[0]) for t in cared[1:]):
            return self._scalar(cared[0])
        return self._structure(terms, care, cared)

    def _structure(self, terms: np.ndarray, care: np.ndarray, cared: list[object]) -> Program:
        """The grammar op that builds the elements' common top op, over the programs of
        their operands."""
        parts = [term_parts(t) for t in cared]
        kinds = {p[0] for p in parts}
        if kinds <= {"var", "const"}:
            return self._view(terms, care)
        if len(kinds) > 1 or len({p[2] for p in parts}) > 1 or \
                len({len(p[1]) for p in parts}) > 1:
            raise _NoSketch("the elements' terms differ in shape")
        kind, payload = parts[0][0], parts[0][2]
        children = []
        for k in range(len(parts[0][1])):
            child = np.empty(terms.shape, dtype=object)
            positions = [i for i in np.ndindex(*terms.shape) if care[i]]
            for position, part in zip(positions, parts):
                child[position] = part[1][k]
            children.append(child)
        return self._combine(kind, payload, children, care)

    def _combine(self, kind: str, payload: object, children: list[np.ndarray],
                 care: np.ndarray) -> Program:
        if kind in BINARY:
            programs = [self.build(c, care) for c in children]
            acc = programs[0]
            for other in programs[1:]:  # n-ary sums and products fold from the left
                acc = self._apply(BINARY[kind], (), (acc, other))
            return acc
        if kind == "neg":
            return self._apply("neg", (), (self.build(children[0], care),))
        if kind == "app" and payload in UNARY_APPS:
            return self._apply(UNARY_APPS[str(payload)], (), (self.build(children[0], care),))
        if kind == "pow" and self._constant(children[1], care) == 0.5:
            return self._apply("sqrt", (), (self.build(children[0], care),))
        if kind == "ite":
            return self._choice(children, care)
        raise _NoSketch(f"no grammar op builds a {kind} term")

    def _choice(self, children: list[np.ndarray], care: np.ndarray) -> Program:
        """If(a CMP b, x, y): max/min/abs where the branches are the compared values, else
        the general choice."""
        cond, on_true, on_false = children
        positions = [i for i in np.ndindex(*care.shape) if care[i]]
        preds = {term_parts(cond[i])[0] for i in positions}
        if len(preds) != 1 or not preds <= set(COMPARISONS):
            raise _NoSketch("a choice on something other than one comparison")
        pred = preds.pop()
        lhs, rhs = (np.empty(care.shape, dtype=object) for _ in range(2))
        for i in positions:
            lhs[i], rhs[i] = term_parts(cond[i])[1]

        def same(a: np.ndarray, b: np.ndarray) -> bool:
            return all(same_term(a[i], b[i]) for i in positions)

        if pred == "ge" and all(term_parts(rhs[i])[0] == "const" and
                                term_parts(rhs[i])[2] == 0.0 and
                                term_parts(on_false[i])[0] == "neg" and
                                same_term(term_parts(on_false[i])[1][0], lhs[i]) and
                                same_term(on_true[i], lhs[i]) for i in positions):
            return self._apply("abs", (), (self.build(lhs, care),))  # v >= 0 ? v : -v
        if same(lhs, on_true) and same(rhs, on_false) and pred in ("ge", "le"):
            return self._apply("max" if pred == "ge" else "min", (),
                               (self.build(lhs, care), self.build(rhs, care)))
        values = [self.build(a, care) for a in (lhs, rhs, on_true, on_false)]
        return self._apply("where", (("cmp", pred),), tuple(values))

    def _constant(self, terms: np.ndarray, care: np.ndarray) -> float | None:
        values = {term_parts(terms[i])[2] for i in np.ndindex(*care.shape)
                  if care[i] and term_parts(terms[i])[0] == "const"}
        return values.pop() if len(values) == 1 else None  # type: ignore[return-value]

    def _apply(self, op_name: str, attrs: tuple, children: tuple[Program, ...]) -> Program:
        if op_name not in LAYOUT_OPS + ("splat", "fill") and \
                op_name not in self.problem.allowed_ops:
            raise _NoSketch(f"{op_name} is not among the nest's ops")
        shape = infer_shape(BY_NAME[op_name], tuple(c.shape for c in children), attrs)
        if shape is None:
            raise _NoSketch(f"{op_name} does not type-check")
        return make(op_name, attrs, children, shape)

    # --- scalars: one term shared by every element ----------------------------------------
    def _scalar(self, term: object) -> Program:
        kind, _, payload = term_parts(term)
        if kind == "const":
            return make("fill", (("value", float(payload)), ("shape", ())), (), ())  # type: ignore
        if kind == "var":
            name, index = self.homes.get(str(payload), ("", (0,)))
            if not name or index:
                raise _NoSketch("one element of an array")
            return Program(None, leaf=name, shape=())
        single = np.empty((), dtype=object)
        single[()] = term
        care = np.ones((), dtype=bool)
        if self._gathers(term):  # a sum or a maximum over arrays: a search's job
            hole = self._hole(single)
            if hole is not None:
                return hole
        return self._structure(single, care, [term])

    def _gathers(self, term: object) -> bool:
        return any(self.homes.get(v, ("", ()))[1] for v in _leaves(term))

    def _hole(self, terms: np.ndarray) -> Program | None:
        """The bottom-up search on a subterm (a value of shape `terms.shape`)."""
        if self.holes_left <= 0:
            return None
        self.holes_left -= 1
        problem = self.problem
        assignments = [_assignment(problem, test) for test in problem.tests]
        try:
            expected = [term_values(terms, a) for a in assignments]
        except (NotImplementedError, KeyError):
            return None
        if not all(np.all(np.isfinite(e)) for e in expected):
            return None
        sub = replace(problem, name=problem.name + ":hole", output_shape=terms.shape,
                      expected=expected, symbolic_output=terms, partial=None,
                      tests=list(problem.tests), notes=[])
        config = replace(HOLE_CONFIG, timeout_s=min(HOLE_CONFIG.timeout_s,
                                                    max(0.0, self.deadline - time.monotonic())))
        hole_stats = SearchStats()
        outcome = Search(sub, config, hole_stats).run()
        hole_stats.seconds = 0.0  # counted in the proposal's own time
        self.stats.merge(hole_stats)
        return outcome.program if outcome.status == "found" else None

    # --- leaves: views of one input -------------------------------------------------------
    def _view(self, terms: np.ndarray, care: np.ndarray) -> Program:
        names = {self.homes.get(str(term_parts(terms[i])[2]), ("", ()))[0]
                 for i in np.ndindex(*care.shape)
                 if care[i] and term_parts(terms[i])[0] == "var"}
        if len(names) != 1 or "" in names:
            raise _NoSketch("leaves from several inputs")
        name = names.pop()
        leaf = Program(None, leaf=name, shape=self.problem.inputs[name])
        target_shape = terms.shape
        ctx = AttrContext(extents=self.problem.extents, constants=(),
                          shapes=_sub_shapes(target_shape))
        frontier = [leaf]
        for _ in range(VIEW_DEPTH + 1):
            following = []
            for program in frontier:
                if program.shape == target_shape and self._equal(program, terms, care):
                    return program
                following += self._layouts(program, ctx)
            frontier = following
        raise _NoSketch(f"no layout of {name} gives the elements' leaves")

    def _layouts(self, program: Program, ctx: AttrContext) -> list[Program]:
        out = []
        for op_name in LAYOUT_OPS:
            op = BY_NAME[op_name]
            for attrs, shape in applications(op, (program.shape,), ctx):
                if shape in ctx.shapes:
                    out.append(make(op_name, attrs, (program,), shape))
        return out

    def _equal(self, program: Program, terms: np.ndarray, care: np.ndarray) -> bool:
        values = evaluate(program, self.problem.symbolic_inputs)
        return all(same_term(values[i], terms[i]) for i in np.ndindex(*care.shape) if care[i])


def _sub_shapes(shape: Shape) -> tuple[Shape, ...]:
    """`shape` and every shape made by dropping some of its dimensions or permuting them."""
    import itertools

    found: set[Shape] = set()
    for r in range(len(shape) + 1):
        for dims in itertools.combinations(range(len(shape)), r):
            for perm in itertools.permutations(dims):
                found.add(tuple(shape[d] for d in perm))
    return tuple(sorted(found))


def _assignment(problem: Problem, test: dict[str, np.ndarray]) -> dict[str, float]:
    values = {}
    for name, array in problem.symbolic_inputs.items():
        data = np.asarray(test[name], dtype=np.float64)
        for index in np.ndindex(*array.shape):
            values[str(array[index])] = float(data[index])
    return values


def propose(problem: Problem, config: SearchConfig, stats: SearchStats) -> SearchOutcome:
    """`found` with a proved program built from the trace, or why the trace is no sketch."""
    start = time.monotonic()
    try:
        output = problem.symbolic_output
        if not isinstance(output, np.ndarray) or output.dtype != object:
            return SearchOutcome("exhausted", reason="no symbolic trace")
        care = np.ones(output.shape, dtype=bool) if problem.partial is None else \
            ~np.vectorize(lambda a, b: same_term(a, b), otypes=[bool])(
                output, problem.symbolic_inputs[problem.partial[1]])
        if not care.any():
            return SearchOutcome("exhausted", reason="nothing written")
        if _per_position_reads(problem, care) > 1:
            return SearchOutcome("exhausted", reason="each element gathers several inputs")
        lifter = _Lifter(problem, stats, start + min(config.timeout_s, 5.0))
        try:
            program = lifter.build(output, care)
        except _NoSketch as err:
            return SearchOutcome("exhausted", reason=f"trace sketch: {err}")
        if program.shape != problem.output_shape:
            if program.shape:
                return SearchOutcome("exhausted", reason="trace sketch: wrong shape")
            program = make("splat", (("shape", problem.output_shape),), (program,),
                           problem.output_shape)
        program = wrap_partial(problem, program)
        stats.proposed += 1
        with np.errstate(all="ignore"):
            data = np.stack([evaluate(program, t) for t in problem.tests])
        if not close(data, np.stack(problem.expected)):
            stats.reject("mismatch")
            return SearchOutcome("exhausted", reason="trace sketch does not match the tests")
        stats.checked += 1
        proof = check_equivalent(problem.symbolic_output,
                                 evaluate(program, problem.symbolic_inputs),
                                 config.z3_timeout_ms)
        if proof.status == "proved":
            return SearchOutcome("found", program, proof)
        stats.reject(proof.status)
        return SearchOutcome("exhausted", program, proof,
                             reason=f"trace sketch {proof.status}")
    finally:
        stats.seconds += time.monotonic() - start

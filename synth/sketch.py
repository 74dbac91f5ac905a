"""The trace as a sketch: build the elementwise structure of a written value directly.

The symbolic trace gives every written element as a term over input elements. Where the
terms of all elements have one shape (the same ops, leaves at index-related places), that
shape is the program: each op of the term becomes the grammar op that builds the same term,
each leaf a view of an input (itself, a transposition, a broadcast, a neighbour shift) found
by a small search over the grammar's layout ops, and each subterm shared by every element
that gathers many input elements (a sum, a maximum) a hole, filled by the bottom-up search.
Nothing here knows a kernel: a proposal is one more candidate, matched on every test and
proved by Z3 before it is accepted, exactly like an enumerated one.

Its length: one lifter, whose parts (folds, choices, layouts, holes) call each other
recursively on the same trace.
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
from synth.program import Program, evaluate, evaluate_tests, make, wrap_partial
from synth.search import Search, SearchConfig, SearchOutcome, applications
from synth.stats import SearchStats
from synth.store import close

LAYOUT_OPS = ("transpose", "broadcast", "shift", "window", "collapse", "take", "reverse")
VIEW_DEPTH = 4  # layout ops stacked on one input
# Layout chains in one canonical order (any layout is one of these): read shifted or
# backwards, then windows, a slice of them, a permutation, merged axes, new axes.
LAYOUT_ORDER = {"shift": 0, "reverse": 0, "window": 1, "take": 2, "transpose": 3,
                "collapse": 4, "broadcast": 5}
MAX_HOLES = 6  # sub-searches per proposal
SKETCH_SECONDS = 10.0  # a safety net for huge terms; the layout budget below decides
LAYOUT_BUDGET = 400  # layout candidates evaluated per proposal (the convolutions need < 70)
HOLE_CONFIG = SearchConfig(max_size=2, deepen=True, deepen_limit=2000, timeout_s=1.0)
BINARY = {"add": "add", "sub": "sub", "mul": "mul", "div": "div"}
UNARY_APPS = {"exp": "exp", "tanh": "tanh", "log": "log"}
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
    def __init__(self, problem: Problem, stats: SearchStats, deadline: float,
                 per_position: bool = False) -> None:
        self.problem = problem
        self.per_position = per_position  # folds that differ per written element
        self.layouts_left = LAYOUT_BUDGET
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
        cared: list[object] = [terms[i] for i in np.ndindex(*terms.shape) if care[i]]
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
        if care.all():
            for axis in range(terms.ndim):
                if _invariant(terms, axis):  # computed once per slice, then broadcast
                    inner = self.build(np.take(terms, 0, axis=axis),
                                       np.ones(terms.shape[:axis] + terms.shape[axis + 1:],
                                               dtype=bool))
                    if inner.shape:
                        return make("broadcast", (("dim", axis),
                                                  ("extent", terms.shape[axis])),
                                    (inner,), terms.shape)
        if self.per_position and care.all() and all(self._gathers(t) for t in cared):
            folded = self._fold_each(terms)
            if folded is not None:
                return folded
        if all(_is_fold(t) for t in cared):
            # Unrolled, a fold would be a program for one extent only (take the first row,
            # the second, ...): it is a reduction or nothing.
            raise _NoSketch("a fold over an extent that does not lift as a reduction")
        return self._structure(terms, care, cared)

    def _fold_each(self, terms: np.ndarray) -> Program | None:
        """Every element a fold of n lifted terms (a row sum of products, a variance): the
        terms as one more trailing axis, lifted, then reduced along it."""
        for op_name, spine, combine in _FOLDS:
            chains = [spine(terms[i]) for i in np.ndindex(*terms.shape)]
            lengths = {len(c) for c in chains if c is not None}
            if None in chains or len(lengths) != 1 or lengths.pop() < 2:
                continue
            n = len(chains[0])  # type: ignore[arg-type]
            for skip in (0, 1):  # a fold seeded with a value of its own (out[i] += ...)
                if n - skip < 2 or (combine == "sub" and not skip):
                    continue
                stacked = np.empty(terms.shape + (n - skip,), dtype=object)
                seeds = np.empty(terms.shape, dtype=object)
                for index, chain in zip(np.ndindex(*terms.shape), chains):
                    seeds[index] = chain[0]  # type: ignore[index]
                    for k, element in enumerate(chain[skip:]):  # type: ignore[index]
                        stacked[index + (k,)] = element
                try:
                    body = self.build(stacked, np.ones(stacked.shape, dtype=bool))
                    folded = self._apply(op_name, (("axis", terms.ndim),), (body,))
                    if not skip:
                        return folded
                    seed = self.build(seeds, np.ones(seeds.shape, dtype=bool))
                    return self._apply(combine, (), (seed, folded))
                except _NoSketch:
                    continue
        return None

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
        return self._combine(kind, payload, children, care, terms)

    def _combine(self, kind: str, payload: object, children: list[np.ndarray],
                 care: np.ndarray, terms: np.ndarray) -> Program:
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
            return self._choice(terms, children, care)
        raise _NoSketch(f"no grammar op builds a {kind} term")

    def _choice(self, terms: np.ndarray, children: list[np.ndarray],
                care: np.ndarray) -> Program:
        """If(a CMP b, x, y): max, min or abs where one of them builds the very same term
        (so the proof is an identity), else the general choice with the nest's own
        comparison."""
        cond, on_true, on_false = children
        positions = [i for i in np.ndindex(*care.shape) if care[i]]
        preds = {term_parts(cond[i])[0] for i in positions}
        if len(preds) != 1 or not preds <= set(COMPARISONS):
            raise _NoSketch("a choice on something other than one comparison")
        pred = preds.pop()
        lhs, rhs = (np.empty(care.shape, dtype=object) for _ in range(2))
        for i in positions:
            lhs[i], rhs[i] = term_parts(cond[i])[1]
        when, otherwise = self.build(on_true, care), self.build(on_false, care)
        for op_name, args in (("max", (when, otherwise)), ("max", (otherwise, when)),
                              ("min", (when, otherwise)), ("min", (otherwise, when)),
                              ("abs", (when,))):
            try:
                candidate = self._apply(op_name, (), args)  # type: ignore[arg-type]
            except _NoSketch:
                continue
            values = evaluate(candidate, self.problem.symbolic_inputs)
            if values.shape == terms.shape and \
                    all(same_term(values[i], terms[i]) for i in positions):
                return candidate
        parts = [self.build(lhs, care), self.build(rhs, care), when, otherwise]
        return self._apply("where", (("cmp", pred),), tuple(parts))

    def _constant(self, terms: np.ndarray, care: np.ndarray) -> float | None:
        values = {term_parts(terms[i])[2] for i in np.ndindex(*care.shape)
                  if care[i] and term_parts(terms[i])[0] == "const"}
        return values.pop() if len(values) == 1 else None  # type: ignore[return-value]

    def _apply(self, op_name: str, attrs: tuple, children: tuple[Program, ...]) -> Program:
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
        if not self._gathers(term):
            return self._structure(single, care, [term])
        # A sum or a maximum over arrays: as a fold of lifted elements, else op by op, and
        # where neither works the bottom-up search fills the subterm.
        folded = self._fold(term)
        if folded is not None:
            return folded
        try:
            if _is_fold(term):
                raise _NoSketch("a fold that does not lift as a reduction")
            return self._structure(single, care, [term])
        except _NoSketch:
            hole = self._hole(single)
            if hole is None:
                raise
            return hole

    # --- folds: a sum or an extremum written out element by element ----------------------
    def _fold(self, term: object) -> Program | None:
        """A left-folded chain acc = acc + t_k (or acc = t_k CMP acc ? t_k : acc) over k is
        a reduction of the vector [t_k], whose elements are lifted like any written value."""
        for op_name, spine, combine in _FOLDS:
            elements = spine(term)
            if elements is None or len(elements) < 2:
                continue
            for init in (None, elements[0]):  # a fold seeded with a value of its own
                rest = elements if init is None else elements[1:]
                if len(rest) < 2 or (combine == "sub" and init is None):
                    continue
                vector = np.empty((len(rest),), dtype=object)
                for k, element in enumerate(rest):
                    vector[k] = element
                try:
                    body = self.build(vector, np.ones(vector.shape, dtype=bool))
                    folded = self._apply(op_name, (("axis", 0),), (body,))
                    if init is None:
                        return folded
                    return self._apply(combine, (), (self._scalar(init), folded))
                except _NoSketch:
                    continue
        return None

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
        needed = {term_key(terms[i]) for i in np.ndindex(*care.shape)
                  if care[i] and term_parts(terms[i])[0] == "var"}
        frontier, seen = [leaf], set()
        cache: dict[Program, np.ndarray] = {leaf: self.problem.symbolic_inputs[name]}
        for _ in range(VIEW_DEPTH + 1):
            following = []
            for program in frontier:
                if time.monotonic() > self.deadline:
                    raise _NoSketch("time")
                self.layouts_left -= 1
                if self.layouts_left < 0:  # a count, not a clock: the same answer under load
                    raise _NoSketch("layout search budget")
                values = cache.get(program)
                if values is None:  # one layout on its operand's cached value
                    child = cache[program.children[0]]
                    op = BY_NAME[str(program.op)]  # a layout: moves terms, builds none
                    values = op.semantics([child], dict(program.attrs), None)
                    cache[program] = values
                key = (values.shape, tuple(term_key(v) for v in values.ravel()))
                # Layouts only move, repeat or drop elements: a layout that lost a needed
                # element, or equals one already seen, leads nowhere new.
                if key in seen or not needed <= set(key[1]):
                    continue
                seen.add(key)
                if program.shape == target_shape and \
                        all(same_term(values[i], terms[i]) for i in np.ndindex(*care.shape)
                            if care[i]):
                    return program
                following += self._layouts(program, ctx)
            frontier = following
        raise _NoSketch(f"no layout of {name} gives the elements' leaves")

    def _layouts(self, program: Program, ctx: AttrContext) -> list[Program]:
        out = []
        last = LAYOUT_ORDER.get(program.op, -1) if program.op else -1
        for op_name in LAYOUT_OPS:
            stage = LAYOUT_ORDER[op_name]
            if stage < last or (stage == last and op_name != "broadcast"):
                continue  # one canonical order of layouts: each chain is tried once
            op = BY_NAME[op_name]
            # A window may add an axis a later take drops (a slice x[c : c + n]).
            if op_name == "take" and program.op != "window":
                continue  # a slice of windows (x[c : c + n]); never one row of an input
            op_ctx = _with_extra_axis(ctx) if op_name == "window" else ctx
            for attrs, shape in applications(op, (program.shape,), op_ctx):
                if shape in op_ctx.shapes or shape == program.shape:  # reverse, shift
                    out.append(make(op_name, attrs, (program,), shape))
        return out




FOLD_LENGTH = 3  # shrunk extents are 3 or more: a chain this long may be a loop unrolled


def _is_fold(term: object) -> bool:
    """A chain of FOLD_LENGTH or more elements of one shape, summed or folded by max/min:
    what a loop leaves in the trace."""
    for spine in (_sum_spine, _max_spine, _min_spine):
        elements = spine(term)
        if elements is not None and len(elements) >= FOLD_LENGTH:
            shapes = {_signature(e) for e in elements[1:]}
            if len(shapes) == 1:
                return True
    return False


def _signature(term: object, depth: int = 4) -> object:
    """The term's tree of kinds (variables and constants anonymous), a few levels deep."""
    kind, children, payload = term_parts(term)
    if depth == 0 or not children:
        return kind
    return (kind, payload if kind == "app" else None,
            tuple(_signature(c, depth - 1) for c in children))


def _invariant(terms: np.ndarray, axis: int) -> bool:
    """Do the terms repeat along `axis`?"""
    if terms.shape[axis] < 2:
        return False
    first = np.take(terms, [0], axis=axis)
    return all(same_term(a, b) for a, b in
               zip(np.broadcast_to(first, terms.shape).ravel(), terms.ravel()))


def _left_chain(term: object, kind: str) -> tuple[object, list[object]]:
    """The innermost left operand and the right operands, in order, of a left-nested chain
    of one binary kind: ((r op t_0) op t_1) ... op t_n -> (r, [t_0, ..., t_n])."""
    elements: list[object] = []
    while True:
        part, children, _ = term_parts(term)
        if part != kind or len(children) != 2:
            return term, elements[::-1]
        elements.append(children[1])
        term = children[0]


def _sum_spine(term: object) -> list[object] | None:
    """t_0, ..., t_n of ((0 + t_0) + t_1) + ... + t_n (a leading zero dropped)."""
    root, elements = _left_chain(term, "add")
    kind, _, payload = term_parts(root)
    if not (kind == "const" and payload == 0.0):
        elements.insert(0, root)
    return elements or None


def _difference_spine(term: object) -> list[object] | None:
    """s, t_0, ..., t_n of ((s - t_0) - t_1) - ... - t_n: a seed minus a sum (the update
    `acc -= a[k] * b[k]` of a solver or a factorisation)."""
    root, elements = _left_chain(term, "sub")
    return [root, *elements] if len(elements) >= 2 else None


def _extremum_spine(term: object, larger: bool) -> list[object] | None:
    """t_0, ..., t_n of a chain acc = (t_k beats acc) ? t_k : acc, in either spelling of the
    comparison (t > acc ? t : acc, acc < t ? t : acc, ...)."""
    elements: list[object] = []
    acc_true = False  # which branch held the accumulator one level up
    while True:
        kind, children, _ = term_parts(term)
        if kind != "ite":
            break
        cond, on_true, on_false = children
        pred, operands, _ = term_parts(cond)
        if pred not in COMPARISONS[:4] or len(operands) != 2:
            break
        lhs, rhs = operands
        if same_term(lhs, on_true) and same_term(rhs, on_false):
            picks_lhs_when_greater = pred in ("gt", "ge")
        elif same_term(lhs, on_false) and same_term(rhs, on_true):
            picks_lhs_when_greater = pred in ("lt", "le")
        else:
            break
        if picks_lhs_when_greater != larger:
            break
        # The accumulator is the deeper operand (a chain of the same shape).
        if term_parts(on_false)[0] == "ite" and term_parts(on_true)[0] != "ite":
            element, term, acc_true = on_true, on_false, False
        elif term_parts(on_true)[0] == "ite" and term_parts(on_false)[0] != "ite":
            element, term, acc_true = on_false, on_true, True
        else:  # the bottom: both are elements; the seed sits where the accumulator did
            seed, new = (on_true, on_false) if acc_true else (on_false, on_true)
            elements += [new, seed]
            return elements[::-1]
        elements.append(element)
    return None


def _max_spine(term: object) -> list[object] | None:
    return _extremum_spine(term, larger=True)


def _min_spine(term: object) -> list[object] | None:
    return _extremum_spine(term, larger=False)


def _with_extra_axis(ctx: AttrContext) -> AttrContext:
    dims = sorted({d for s in ctx.shapes for d in s} | set(ctx.extents))
    extra = {s[:k] + (d,) + s[k:] for s in ctx.shapes if s for d in dims
             for k in range(len(s) + 1)}
    return AttrContext(ctx.extents, ctx.constants, tuple(sorted(set(ctx.shapes) | extra)))


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


def propose(problem: Problem, config: SearchConfig, stats: SearchStats,
            per_position: bool = False, contractions: bool = True) -> SearchOutcome:
    """`found` with a proved program built from the trace, or why the trace is no sketch.

    Elements that each gather several inputs (a row variance, a layer norm) are lifted only
    with `per_position`. A lifted plain contraction (a sum of products of inputs) is left
    to the enumeration unless `contractions`: matmul and its kin beat a reduced product;
    such an outcome is `deferred` and carries the unchecked program."""
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
        if not per_position and _per_position_reads(problem, care) > 1:
            return SearchOutcome("exhausted", reason="each element gathers several inputs")
        lifter = _Lifter(problem, stats, start + min(config.timeout_s, SKETCH_SECONDS),
                         per_position)
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
        if not contractions and _plain_contraction(program):
            return SearchOutcome("deferred", program, reason="a contraction")
        return check_proposal(problem, program, config, stats)
    finally:
        stats.seconds += time.monotonic() - start


def check_proposal(problem: Problem, program: Program, config: SearchConfig,
                   stats: SearchStats) -> SearchOutcome:
    """The ladder for a proposal: every test, then Z3."""
    stats.proposed += 1
    data = evaluate_tests(program, problem.tests)
    if data is None or not close(data, np.stack(problem.expected)):
        stats.reject("mismatch")
        return SearchOutcome("exhausted", reason="trace sketch does not match the tests")
    stats.checked += 1
    proof = check_equivalent(problem.symbolic_output,
                             evaluate(program, problem.symbolic_inputs), config.z3_timeout_ms)
    if proof.status == "proved":
        return SearchOutcome("found", program, proof)
    stats.reject(proof.status)
    return SearchOutcome("exhausted", program, proof, reason=f"trace sketch {proof.status}")


PLAIN = ("mul", "transpose", "broadcast", "fill", "splat")


def _plain_contraction(program: Program) -> bool:
    """Every reduction in `program` sums products of plain input layouts."""
    reductions = [n for n in program.nodes() if n.op and n.op.startswith("reduce_")]
    return bool(reductions) and all(
        n.op == "reduce_add" and all(m.op in PLAIN for m in n.children[0].nodes())
        for n in reductions)


# The folds the sketch lifts: (reduction, how to read the chain, how a seed joins it). A
# difference chain is always seeded: s - t_0 - ... - t_n is sub(s, reduce_add([t_k])).
_FOLDS = (("reduce_add", _sum_spine, "add"), ("reduce_max", _max_spine, "max"),
          ("reduce_min", _min_spine, "min"), ("reduce_add", _difference_spine, "sub"))

"""The CEGIS loop: a Z3 counterexample becomes one more test input, then search again."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from synth.linear import solve_linear
from synth.problem import Problem
from synth.search import Search, SearchConfig, SearchOutcome
from synth.sketch import check_proposal, propose
from synth.stats import SearchStats


def _test_from_model(problem: Problem, model: dict[str, float],
                     rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Input set from a Z3 model: modelled variables take its values, the rest random."""
    test = {}
    for name, shape in problem.inputs.items():
        arr = np.array(rng.normal(size=shape), dtype=np.float64)
        symbols = problem.symbolic_inputs[name]
        for index in np.ndindex(*shape):
            var = str(symbols[index])
            if var in model:
                arr[index] = model[var]
        test[name] = np.asarray(arr)
    return test


# Ops that make an element-wise fold worth lifting from the trace: a window, or arithmetic
# besides the sums of products the enumeration finds in its own contraction ops.
PER_ELEMENT_FOLDS = frozenset({"window", "sub", "div", "sqrt", "exp", "tanh", "log", "max",
                               "min", "neg", "abs", "where", "replace_where"})


# Windowed reads: the convolution and pool records first, one op deep plus one completion
# (out + conv(x, w), scale * pool(x)), before the sketch lays windows out as views.
WINDOW_RECORDS = frozenset({"conv", "pool_max", "pool_add", "pool_min"})
WINDOW_FIRST = SearchConfig(max_size=1, deepen=False, timeout_s=2.0)


# Inputs of the output's shape from which a weighted sum is tried by least squares before
# the enumeration (a stencil over views: five neighbours are a program of size ten).
LINEAR_INPUTS = 3


def _search(problem: Problem, config: SearchConfig, stats: SearchStats) -> SearchOutcome:
    """Named window ops when the nest reads windows; the trace's own elementwise structure;
    a stencil sketch when the nest reads neighbours; then enumeration."""
    if "window" in problem.features and WINDOW_RECORDS & set(problem.allowed_ops):
        named = Search(problem, replace(WINDOW_FIRST, z3_timeout_ms=config.z3_timeout_ms),
                       stats).run()
        if named.status in ("found", "counterexample"):
            return named
    traced = propose(problem, config, stats)
    if traced.status == "found":
        return traced
    if traced.reason.startswith("each element gathers") and \
            (set(problem.allowed_ops) | problem.features) & PER_ELEMENT_FOLDS:
        traced = propose(problem, config, stats, per_position=True, contractions=False)
        if traced.status == "found":
            return traced
    linear = SearchOutcome("exhausted")
    same_shape = sum(shape == problem.output_shape for shape in problem.inputs.values())
    if "shift" in problem.allowed_ops or same_shape >= LINEAR_INPUTS:
        # a weighted sum of neighbours, or of inputs that are neighbour views already
        linear = solve_linear(problem, config, stats, shifts="shift" in problem.allowed_ops)
        if linear.status in ("found", "counterexample"):
            return linear
    outcome = Search(problem, config, stats).run()
    if outcome.status not in ("found", "counterexample") and traced.status == "deferred":
        folded = check_proposal(problem, traced.program, config, stats)  # type: ignore[arg-type]
        if folded.status == "found":
            return folded
    if outcome.status != "found" and linear.reason:
        outcome.reason = f"{outcome.reason}; stencil sketch: {linear.reason}"
    return outcome


def synthesize(problem: Problem, config: SearchConfig | None = None,
               max_rounds: int = 4, seed: int = 0) -> tuple[SearchOutcome, SearchStats]:
    config = config or SearchConfig()
    stats = SearchStats()
    rng = np.random.default_rng(seed)
    outcome = SearchOutcome("exhausted", reason="no search ran")
    for _ in range(max_rounds):
        outcome = _search(problem, config, stats)
        if outcome.status != "counterexample":
            return outcome, stats
        stats.cegis_rounds += 1
        problem.add_test(_test_from_model(problem, outcome.proof.model, rng))  # type: ignore
    return SearchOutcome("unproved", reason="counterexamples kept appearing"), stats

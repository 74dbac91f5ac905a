"""Statement stages: when a loop nest is too deep to synthesize whole, split the outermost
loop's body into its statements, synthesize each statement's effect from the state the
previous ones leave, and compose. The composition is proved against the whole nest, so a
split that changes the meaning is rejected like any wrong candidate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from checkers.interpreter import Interpreter, NumberAlgebra, Unsupported
from checkers.smt import Z3Algebra, check_equivalent, free_variables
from core.kernel_ir import Block, Kernel, Op
from raising.analysis.decompose import (
    LOOPS,
    N_TESTS,
    Region,
    arg_name,
    draw,
    mark_partial_write,
    symbolic_env,
    symbolic_inputs_for,
)
from raising.analysis.guidance import STORES, search_space
from synth.cegis import synthesize
from synth.problem import Problem
from synth.program import Program, evaluate, make
from synth.search import SearchConfig
from synth.stats import SearchStats


@dataclass
class StageResult:
    programs: dict[int, Program] = field(default_factory=dict)
    reason: str = ""
    detail: str = ""
    stats: SearchStats = field(default_factory=SearchStats)


def statement_groups(loop: Op) -> list[list[Op]]:
    """The outermost loop's body cut after each store or inner loop; a statement that uses
    a value computed by the previous one joins it."""
    if loop.name != "affine.for" or loop.results:
        return []
    body = loop.regions[0][0].ops[:-1]  # without the terminator
    groups: list[list[Op]] = []
    current: list[Op] = []
    for op in body:
        current.append(op)
        if op.name in STORES or op.name in LOOPS:
            groups.append(current)
            current = []
    if current and groups:
        groups[-1].extend(current)
    merged: list[list[Op]] = []
    defined: set[int] = set()
    for group in groups:
        uses = {v for top in group for op in top.walk() for v in op.operands}
        if merged and uses & defined:
            merged[-1].extend(group)
        else:
            merged.append(list(group))
        defined |= {r for top in group for op in top.walk() for r in op.results}
    return merged if len(merged) >= 2 else []


def _stage_nest(loop: Op, group: list[Op]) -> Op:
    block = loop.regions[0][0]
    return Op(loop.name, loop.operands, [], dict(loop.attrs),
              [[Block(block.args, [*group, block.ops[-1]])]], loop.loc)


def _prelude(kernel: Kernel, index: int) -> list[Op]:
    return [op for op in kernel.body.ops[:index] if op.results and op.name not in LOOPS]


def _run_concrete(kernel: Kernel, prelude: list[Op], nest: Op,
                  state: list[object]) -> list[object]:
    """Run `nest` on a copy of `state` (one value per argument) with plain numbers."""
    env: dict[int, object] = {}
    out = [np.array(v, dtype=object) if isinstance(v, np.ndarray) else v for v in state]
    for vid, value in zip(kernel.arg_ids, out):
        env[vid] = value
    interp = Interpreter(NumberAlgebra())
    for op in prelude:
        interp.run_op(op, env)
    interp.run_op(nest, env)
    return [np.array(v, dtype=np.float64) if isinstance(v, np.ndarray) else v for v in out]


def _initial_states(kernel: Kernel, rng: np.random.Generator, positive: bool) -> list[list]:
    states = []
    for _ in range(N_TESTS):
        state: list[object] = []
        for vtype in kernel.arg_types:
            if vtype.is_memref:
                state.append(draw(rng, vtype.shape, positive))  # type: ignore[arg-type]
            elif vtype.elem.startswith("f"):
                state.append(float(draw(rng, (), positive)))
            else:
                state.append(0)
        states.append(state)
    return states


def _chain(kernel: Kernel, prelude: list[Op], nests: list[Op],
           rng: np.random.Generator) -> list[list[list]] | None:
    """States before each stage and after the last, per test; None if not finite."""
    for positive in (False, True):
        try:
            chain = [_initial_states(kernel, rng, positive)]
            for nest in nests:
                chain.append([_run_concrete(kernel, prelude, nest, s) for s in chain[-1]])
        except (Unsupported, ValueError, ZeroDivisionError, OverflowError):
            continue
        last = chain[-1]
        if all(np.all(np.isfinite(np.asarray(v, dtype=np.float64))) for s in last for v in s):
            return chain
    return None


def _substitute(program: Program, current: dict[str, Program]) -> Program:
    if program.op is None:
        return current.get(program.leaf, program)  # type: ignore[arg-type]
    children = tuple(_substitute(c, current) for c in program.children)
    return make(program.op, program.attrs, children, program.shape)


def _stage_problem(kernel: Kernel, prelude: list[Op], nest: Op, position: int,
                   before: list[list], after: list[list]) -> Problem:
    env = symbolic_env(kernel)
    interp = Interpreter(Z3Algebra())
    for op in prelude:
        interp.run_op(op, env)
    interp.run_op(nest, env)
    symbolic_output = env[kernel.arg_ids[position]]
    assert isinstance(symbolic_output, np.ndarray)
    inputs, symbolic = symbolic_inputs_for(kernel, free_variables(symbolic_output))
    positions = {arg_name(p): p for p in range(len(kernel.arg_types))}

    def reference(test: dict[str, np.ndarray]) -> np.ndarray:
        state: list[object] = [np.zeros(t.shape) if t.shape is not None else 0.0
                               for t in kernel.arg_types]
        for name, value in test.items():
            state[positions[name]] = np.array(value) if np.ndim(value) else float(value)
        return np.array(_run_concrete(kernel, prelude, nest, state)[position])

    allowed, constants = search_space(kernel, nest)
    extents = sorted({d for s in [*inputs.values(), symbolic_output.shape] for d in s})
    return Problem(
        name=f"{kernel.name}:{arg_name(position)}:stage", inputs=inputs,
        output_shape=symbolic_output.shape,
        tests=[{n: np.asarray(s[positions[n]], dtype=np.float64) for n in inputs}
               for s in before],
        expected=[np.asarray(s[position], dtype=np.float64) for s in after],
        symbolic_inputs=symbolic, symbolic_output=symbolic_output, reference=reference,
        allowed_ops=allowed,
        constants=constants, extents=tuple(extents))


def solve_in_stages(kernel: Kernel, region: Region, config: SearchConfig, seed: int,
                    rng: np.random.Generator) -> StageResult:
    """Programs for the region's outputs built statement by statement, or a reason."""
    result = StageResult()
    loop = kernel.body.ops[region.index]
    groups = statement_groups(loop) if region.end == region.index + 1 else []
    if not groups:
        result.reason = "no statement split"
        return result
    index_var = loop.regions[0][0].args[0]
    for k, group in enumerate(groups):
        if index_var not in {v for top in group for op in top.walk() for v in op.operands}:
            # The loop repeats this statement whole (a time loop): splitting would compose
            # one application where the loop makes many. Nests inside are raised instead.
            result.reason = f"statement {k + 1} does not use the loop index"
            return result
    prelude = _prelude(kernel, region.index)
    nests = [_stage_nest(loop, g) for g in groups]
    chain = _chain(kernel, prelude, nests, rng)
    if chain is None:
        result.reason = "statement split: a stage could not be run on numbers"
        return result
    current: dict[str, Program] = {}
    for k, nest in enumerate(nests):
        written = {op.operands[1] for op in nest.walk() if op.name in STORES}
        for position, vid in enumerate(kernel.arg_ids):
            if vid not in written:
                continue
            problem = _stage_problem(kernel, prelude, nest, position, chain[k], chain[k + 1])
            if mark_partial_write(problem, arg_name(position)):
                result.reason = f"statement {k + 1}: partial write"
                return result
            outcome, stats = synthesize(problem, config, seed=seed)
            result.stats.merge(stats)
            if outcome.status != "found":
                result.reason = f"statement {k + 1} of {len(nests)}, {arg_name(position)}: " \
                                f"{outcome.reason or outcome.status}"
                return result
            current[arg_name(position)] = _substitute(outcome.program, current)  # type: ignore
    for position, problem in region.problems.items():
        composed = current.get(arg_name(position))
        if composed is None:
            result.reason = f"statement split: {arg_name(position)} not produced"
            return result
        _, env = symbolic_inputs_for(kernel, None)
        proof = check_equivalent(problem.symbolic_output, evaluate(composed, env),
                                 config.z3_timeout_ms)
        if proof.status != "proved":
            result.reason = f"statement split: composition {proof.status}"
            return result
        result.programs[position] = composed
        result.detail = f"{len(nests)} statements composed; {proof.detail}"
    return result

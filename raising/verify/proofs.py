"""The proofs a found region gets beyond the search's own: a second bounded proof at other
extents, the IEEE check (`--fp ieee`), and the all-sizes proof by canonical forms.

The search proves a program at one set of shrunk extents. A program right at 3, 5, 7 but
wrong elsewhere (an extent-dependent slip) is caught by proving it again at a second set
where every extent differs; the canonical-form proof then covers every size at once where
the nest and the program are both sums of products (checkers.nestform, checkers.polyform).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from checkers.interpreter import Unsupported
from checkers.nestform import NestForms
from checkers.polyform import IndexAlgebra, IndexFn, NotCanonical, output_index, same_form
from checkers.smt import (
    ProofOutcome,
    check_equivalent,
    check_equivalent_ieee,
    check_equivalent_wrapping,
)
from core.kernel_ir import Kernel
from grammar import BY_NAME
from raising.analysis.decompose import arg_name, symbolic_inputs_for, trace_region
from synth.problem import Problem
from synth.program import Program, evaluate, rescale

REALS = "reals (equal up to reassociation)"
# Integer arrays: proved over the reals, so for all integers; +, -, * commute with the
# machine's wrap-around, comparisons and max/min do not (overflow is not modelled there).
INTEGERS = "integers, proved over the reals (wrap-around on overflow not modelled)"
WRAPPING = ("i{width} two's-complement bit-vectors (Z3 QF_BV: +, -, * wrap around, "
            "comparisons signed), and over the reals")
# Ops that change an integer's width or turn it into a float: one bit-vector width for every
# value would not model them.
_WIDTH_CHANGES = frozenset({"arith.extsi", "arith.extui", "arith.trunci", "arith.sitofp",
                            "arith.uitofp", "arith.fptosi", "arith.fptoui",
                            "arith.index_cast", "arith.index_castui", "arith.bitcast"})
IEEE = "IEEE {elem}, round to nearest even (bit-exact; no reassociation)"


@dataclass
class ProofContext:
    """One function at the kernel's own size and at a second set of shrunk extents."""

    kernel: Kernel  # full size
    to_full: dict[int, int]  # shrunk extent -> kernel extent
    second: Kernel | None = None  # the function at the second extents, if resizable
    to_second: dict[int, int] = field(default_factory=dict)  # shrunk -> second extent
    fp: str = "real"
    z3_timeout_ms: int = 10_000
    nested: bool = False  # a nest inside a kept loop (a hoisted view): bounded proofs only


def _leaf_shapes(kernel: Kernel) -> dict[str, tuple[int, ...]]:
    return {arg_name(p): (t.shape if t.is_memref else ())  # type: ignore[misc]
            for p, t in enumerate(kernel.arg_types)}


def region_extents(kernel: Kernel, programs: dict[int, Program]) -> tuple[int, ...]:
    """The distinct extents a region's programs work at, ascending."""
    shapes = _leaf_shapes(kernel)
    extents: set[int] = set()
    for program in programs.values():
        for node in [program, *program.nodes()]:
            extents.update(node.shape)
        extents.update(d for name in _leaves(program) for d in shapes[name])
    return tuple(sorted(extents))


def _leaves(program: Program) -> set[str]:
    if program.op is None:
        return {str(program.leaf)}
    return {name for child in program.children for name in _leaves(child)}


def bounded_recheck(ctx: ProofContext, index: int, end: int,
                    programs: dict[int, Program]) -> tuple[ProofOutcome, tuple[int, ...]]:
    """Prove the region's programs again at the second extents ("skipped" when the kernel
    has none: then only one bounded proof exists, and the report says so)."""
    if ctx.second is None:
        return ProofOutcome("skipped", detail="no second set of extents (not resizable)"), ()
    try:
        env = trace_region(ctx.second, index, end)
        rescaled = {p: rescale(prog, _leaf_shapes(ctx.second), ctx.to_second)
                    for p, prog in programs.items()}
    except (Unsupported, NotImplementedError, ValueError) as err:
        return ProofOutcome("skipped", detail=f"second extents: {err}"), ()
    _, inputs = symbolic_inputs_for(ctx.second, None)
    outcome = ProofOutcome("proved")
    for position, program in sorted(rescaled.items()):
        original = env[ctx.second.arg_ids[position]]
        outcome = check_equivalent(np.asarray(original, dtype=object),
                                   evaluate(program, inputs), ctx.z3_timeout_ms)
        if outcome.status != "proved":
            break
    return outcome, region_extents(ctx.second, rescaled)


def ieee_check(kernel: Kernel, index: int, end: int, programs: dict[int, Program],
               timeout_ms: int) -> ProofOutcome:
    """Bit-exact equality in IEEE arithmetic at `kernel`'s (shrunk) extents. An op whose
    summation order the target dialects leave open (matmul, reduce, ...) is refused: its
    result depends on an order nothing fixes."""
    for program in programs.values():
        reducing = sorted({str(n.op) for n in program.nodes()
                           if BY_NAME[str(n.op)].reduction})
        if reducing:
            return ProofOutcome("refused", detail=f"IEEE: {', '.join(reducing)} combine in an "
                                "order linalg/stablehlo leave unspecified; equal only up to "
                                "reassociation")
    try:
        env = trace_region(kernel, index, end, ieee=True)
        _, inputs = symbolic_inputs_for(kernel, None, ieee=True)
        outcome = ProofOutcome("proved")
        for position, program in sorted(programs.items()):
            original = np.asarray(env[kernel.arg_ids[position]], dtype=object)
            outcome = check_equivalent_ieee(original, evaluate(program, inputs), timeout_ms)
            if outcome.status != "proved":
                break
    except (Unsupported, NotImplementedError, TypeError, AttributeError) as err:
        return ProofOutcome("unproved", detail=f"IEEE: cannot model {err}")
    return outcome


def wraparound_check(kernel: Kernel, index: int, end: int, problems: dict[int, Problem],
                     programs: dict[int, Program], width: int,
                     timeout_ms: int) -> ProofOutcome:
    """Equality of the region's integer results at `kernel`'s (shrunk) extents when every
    value is a `width`-bit two's-complement integer: the terms of the search's own proof
    (`problems`' trace and the programs on its variables) translated to bit-vectors (a max
    of sums that the reals call equal can differ once a sum wraps)."""
    changes = sorted({op.name for top in kernel.body.ops[index:end] for op in top.walk()
                      if op.name in _WIDTH_CHANGES})
    if changes or any(t.elem.startswith("f") for t in kernel.arg_types):
        what = ", ".join(changes) or "float data"
        return ProofOutcome("unproved", detail=f"bit-vectors: {what} (one width for all "
                            "values does not model it)")
    outcome = ProofOutcome("proved")
    try:
        for position, program in sorted(programs.items()):
            problem = problems[position]
            outcome = check_equivalent_wrapping(
                problem.symbolic_output, evaluate(program, problem.symbolic_inputs), width,
                timeout_ms)
            if outcome.status != "proved":
                break
    except (Unsupported, NotImplementedError, TypeError, AttributeError, KeyError) as err:
        return ProofOutcome("unproved", detail=f"bit-vectors: cannot model {err}")
    return outcome


def program_form(program: Program, alg: IndexAlgebra) -> IndexFn:
    """The program's index function, from each op's index form (grammar records)."""
    if program.op is None:
        name = str(program.leaf)
        scalar = not program.shape
        return lambda idx: alg.read(name, () if scalar else idx)
    op = BY_NAME[program.op]
    if op.index_form is None:
        raise NotCanonical(f"{op.name} is not a sum of products")
    children = [program_form(c, alg) for c in program.children]
    return op.index_form(children, dict(program.attrs),
                         tuple(c.shape for c in program.children), program.shape, alg)


def all_sizes_proof(kernel: Kernel, index: int, end: int,
                    programs: dict[int, Program]) -> tuple[bool, str]:
    """Whether nest and programs (at the kernel's own size) have equal canonical forms for
    every output: then they agree for every extent, the kernel's own included."""
    try:
        forms = NestForms(kernel, index, end)
        alg = IndexAlgebra()
        for position, program in sorted(programs.items()):
            expected = forms.output(position)
            got = program_form(program, alg)(output_index(len(program.shape)))
            if not same_form(expected, got):  # type: ignore[arg-type]
                return False, f"{arg_name(position)}: canonical forms differ"
    except NotCanonical as err:
        return False, f"not a sum of products the canonicaliser handles: {err}"
    except RecursionError:
        return False, "canonical form too deep"
    return True, "canonical sum-of-products forms agree over symbolic extents"

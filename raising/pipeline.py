"""The Python API: raise every loop nest of a module, prove it, emit and cross-check.

    result = raise_text(open("kernel.mlir").read(), "kernel.mlir", RaiseOptions())
    result.text      # raised module
    result.report    # JSON-ready dict
    result.exit_code # 0 all raised and proved, 1 something left unraised

Its length: the driver's steps (shrink, analyse, search, prove, emit, cross-check) share
the per-file context; each step is a function here, the work is in the stages it calls.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
from torch_mlir import ir

from checkers.crosscheck import cross_check
from checkers.dependence import recurrence_depth
from core import mlir_env
from core.kernel_ir import Kernel, Op, ValueType
from grammar import BY_NAME
from grammar.builder import DynamicShapeError
from raising.analysis.decompose import (
    LOOPS,
    Region,
    arg_name,
    build_region,
    integer_type,
    reads_carried_value,
    region_end,
    region_start,
)
from raising.analysis.guidance import needs_room
from raising.analysis.nested import (
    IN_CARRYING_LOOP,
    LOOP_VALUES,
    REPEATED,
    NestPath,
    inner_nests,
    repeated_update,
)
from raising.analysis.stages import solve_in_stages, statement_groups
from raising.analysis.views import ViewError, ViewNest, strided_layout, view_nest
from raising.emit import Solutions, emit_module, emit_region
from raising.emit.guard import AliasPlan
from raising.emit.tensor_abi import named_fills, tensor_module
from raising.emit.views import ViewCall
from raising.frontend.dynamic import FunctionSizes, check_sizes, specialise
from raising.frontend.load import LoadedModule, LoadError, load_text
from raising.frontend.locals import promote_locals
from raising.frontend.resize import (
    SHRINK_PRIMES,
    ResizeError,
    resize_text,
    shape_extents,
    shrink_mapping,
)
from raising.limits import clipped, deadline, remaining
from raising.verify.proofs import (
    IEEE,
    INTEGERS,
    REALS,
    WRAPPING,
    ProofContext,
    all_sizes_proof,
    bounded_recheck,
    ieee_check,
    region_extents,
    wraparound_check,
)
from synth.cegis import synthesize
from synth.program import Program, rescale
from synth.search import SearchConfig
from synth.stats import SearchStats

TARGETS = ("linalg", "stablehlo")
# Above this many innermost iterations (about a second of the original's loops in the JIT),
# the compiled cross-check runs on a resized copy.
FULL_SIZE_WORK_LIMIT = 1e9
# Raised code inside a kept loop calls and allocates on every step: count its work as this
# many times the original's when choosing the kernel's own size for the cross-check.
INSIDE_LOOP_COST = 1000
CROSSCHECK_PRIMES_START = 8  # resized copies use extents 23, 29, 31, ...
# A kernel that cannot be shrunk is searched at its own size only up to this extent (the
# symbolic trace holds one Z3 term per element).
MAX_UNSHRUNK_EXTENT = 64
# A write-read chain across elements this long (at extents >= 3) is a recurrence, which no
# whole-array op expresses; two links can be a shifted copy (B[i] = ...; C[i] = B[i-1]).
RECURRENCE_DEPTH = 3


FP_MODES = ("real", "ieee")


@dataclass
class RaiseOptions:
    target: str = "linalg"
    config: SearchConfig = field(default_factory=SearchConfig)
    crosscheck: str = "auto"  # auto | full | small | none
    seed: int = 0
    file_timeout: float | None = None  # seconds for the whole file; later nests stay unraised
    fp: str = "real"  # real: equal up to reassociation; ieee: bit-exact, Z3 FP theory
    allow_unproved: bool = False  # emit regions Z3 could not decide (marked UNPROVED)
    assume_noalias: bool = False  # no aliasing guard (raising/emit/guard.py): the caller's word
    abi: str = "memref"  # memref: spliced in place; tensor: pure functions (emit/tensor_abi.py)


@dataclass
class SolvedRegion:
    """A raised region as found: programs at the shrunk extents of `kernel` (for tests and
    tools that probe the proofs, e.g. the mutant corpus)."""

    func: str
    region: Region
    programs: dict[int, Program]
    kernel: Kernel  # the function at the shrunk extents


@dataclass
class RaiseResult:
    text: str
    report: dict[str, object]
    stats: SearchStats
    exit_code: int
    solved: list[SolvedRegion] = field(default_factory=list)
    small_text: str = ""  # the module at the shrunk extents the search worked at
    # What emitting the raised module again needs (a view function's strided callee):
    # solutions, spans and runtime sizes per function.
    emission: tuple[Solutions, dict[str, dict[int, int]], dict[str, FunctionSizes]] = \
        field(default_factory=lambda: ({}, {}, {}))


def _loop_work(op: Op, default: int) -> float:
    lb, ub = op.attrs["lowerBoundMap"], op.attrs["upperBoundMap"]
    trips = default
    if not lb.n_dims and not ub.n_dims and not lb.n_symbols and not ub.n_symbols:  # type: ignore
        trips = max(0, min(ub.apply([])) - max(lb.apply([])))  # type: ignore[attr-defined]
    inner = sum(_loop_work(o, default) for r in op.regions for b in r for o in b.ops
                if o.name == "affine.for")
    return trips * max(1.0, inner)


def kernel_work(kernel: Kernel) -> float:
    extents = [d for t in kernel.arg_types if t.shape for d in t.shape] or [1]
    return sum(_loop_work(op, max(extents)) for op in kernel.top_level_nests)


@dataclass
class RegionProof:
    """What was proved about a raised region, for the report."""

    result: str = "proved"  # proved | unproved
    extents: list[tuple[int, ...]] = field(default_factory=list)  # bounded proofs
    all_sizes: bool = False
    all_sizes_detail: str = ""
    arithmetic: str = REALS
    details: list[str] = field(default_factory=list)
    seconds: float = 0.0  # the proofs after the search's own (part of synthesis_seconds)

    def as_dict(self) -> dict[str, object]:
        scope = "all sizes" if self.all_sizes else \
            f"bounded: extents {', '.join(str(e) for e in self.extents)}"
        method = "z3-ieee-equivalence" if self.arithmetic.startswith("IEEE") else \
            "z3-real-and-bitvector-equivalence" if "bit-vectors" in self.arithmetic else \
            "z3-real-equivalence"
        return {"method": method,
                "result": self.result, "arithmetic": self.arithmetic, "scope": scope,
                "extents_checked": [list(e) for e in self.extents],
                "all_sizes": self.all_sizes, "all_sizes_detail": self.all_sizes_detail,
                "seconds": round(self.seconds, 4), "details": self.details}


def _region_report(region: Region, status: str, programs: dict[int, Program],
                   proof: RegionProof, seconds: float, reason: str,
                   stats: SearchStats) -> dict[str, object]:
    report: dict[str, object] = {
        "index": region.index, "loc": region.loc, "status": status,
        "outputs": [arg_name(p) for p in sorted(region.problems)],
        "ops": sorted({o for p in programs.values() for o in p.ops()}),
        "programs": {arg_name(p): str(prog) for p, prog in sorted(programs.items())},
        "proof": proof.as_dict() if status == "raised" else
        {"method": "z3-real-equivalence", "result": "unproved", "details": proof.details},
        "synthesis_seconds": round(seconds, 4),
        "stats": stats.as_dict(),
    }
    if reason:
        report["reason"] = reason
    return report


def _more_proofs(region: Region, programs: dict[int, Program], kernel: Kernel,
                 ctx: ProofContext, proof: RegionProof) -> str:
    """Second bounded proof, IEEE check, all-sizes proof; a reason if the region must stay
    unraised (a counterexample or an IEEE refusal)."""
    proof.extents = [region_extents(kernel, programs)]
    integers = integer_type(kernel.arg_types)
    if integers is not None:
        proof.arithmetic = INTEGERS
    second, extents = bounded_recheck(ctx, region.index, region.end, programs)
    proof.details.append(f"second extents {extents}: {second.status} {second.detail}".strip())
    if second.status == "counterexample":
        return f"counterexample at the second extents {extents}"
    if second.status == "proved":  # each first extent's counterpart, in the same order
        proof.extents.append(tuple(ctx.to_second.get(e, e) for e in proof.extents[0])
                             if ctx.to_second else extents)
    elif second.status != "skipped":
        proof.result = "unproved"
    if integers is not None and ctx.fp != "ieee":
        wrapped = wraparound_check(kernel, region.index, region.end, region.problems,
                                   programs, int(integers[1:]), ctx.z3_timeout_ms)
        proof.details.append(f"{integers} wrap-around: {wrapped.status} "
                             f"{wrapped.detail}".strip())
        if wrapped.status == "counterexample":
            return f"differs from the loops once an {integers} value wraps around " \
                   f"(bit-vector counterexample: {wrapped.detail})"
        if wrapped.status == "proved":
            proof.arithmetic = WRAPPING.format(width=integers[1:])
    if ctx.fp == "ieee":
        elem = min({t.elem for t in kernel.arg_types if t.elem.startswith("f")},
                   default="f64")
        proof.arithmetic = IEEE.format(elem=elem)
        exact = ieee_check(kernel, region.index, region.end, programs, ctx.z3_timeout_ms)
        proof.details.append(f"IEEE: {exact.status} {exact.detail}".strip())
        if exact.status in ("refused", "counterexample"):
            return exact.detail or f"IEEE: {exact.status}"
        if exact.status != "proved":
            proof.result = "unproved"
        return ""  # all sizes is a statement over the reals only
    if ctx.nested:
        proof.all_sizes_detail = "a nest inside a kept loop: bounded proofs only"
        return ""
    full = {p: rescale(prog, _leaf_shapes(ctx.kernel), ctx.to_full)
            for p, prog in programs.items()}
    proof.all_sizes, proof.all_sizes_detail = all_sizes_proof(ctx.kernel, region.index,
                                                              region.end, full)
    proof.all_sizes = proof.all_sizes and proof.result == "proved"
    return ""


def _leaf_shapes(kernel: Kernel) -> dict[str, tuple[int, ...]]:
    return {arg_name(p): (t.shape if t.is_memref else ())  # type: ignore[misc]
            for p, t in enumerate(kernel.arg_types)}


# Store levels of the first whole-nest search of a loop that can be split into statements.
SHALLOW_SIZE = 2
# ... and of the search for a nest with a loop-carried chain (one sequential record).
SEQUENTIAL_SIZE = 1


def _search_whole(region: Region, config: SearchConfig, options: RaiseOptions,
                  stats: SearchStats, proof: RegionProof
                  ) -> tuple[dict[int, Program], str, bool]:
    """One program per written value of the whole region: (programs, reason, exhausted),
    where `exhausted` means the search ran out of programs (not time)."""
    programs: dict[int, Program] = {}
    for position, problem in sorted(region.problems.items()):
        outcome, problem_stats = synthesize(problem, config, seed=options.seed)
        stats.merge(problem_stats)
        if outcome.status == "unproved" and outcome.program and options.allow_unproved:
            proof.result = "unproved"  # the user asked for it: emitted, marked UNPROVED
        elif outcome.status != "found":
            reason = f"{arg_name(position)}: {outcome.reason or outcome.status}"
            return programs, reason, outcome.status in ("exhausted", "unproved")
        programs[position] = outcome.program  # type: ignore[assignment]
        proof.details.append(f"{arg_name(position)}: {outcome.proof.detail}")  # type: ignore
    return programs, "", False


def _synthesize_region(region: Region, options: RaiseOptions, total: SearchStats,
                       kernel: Kernel, rng: np.random.Generator, ctx: ProofContext
                       ) -> tuple[dict[str, object], dict[int, Program]]:
    start = time.monotonic()
    stats = SearchStats()
    programs: dict[int, Program] = {}
    proof = RegionProof()
    proofs = proof.details
    reason = region.unsupported
    # A loop of several statements: the deep whole-nest levels are the costly ones, so they
    # run only after the statement-by-statement split has failed (cheap searches first).
    splittable = region.end == region.index + 1 and \
        bool(statement_groups(kernel.body.ops[region.index]))
    shallow = replace(options.config, deepen=False,
                      max_size=min(SHALLOW_SIZE, options.config.max_size)) \
        if splittable else options.config
    if not reason and region.recurrence:
        # A loop-carried chain: one sequential record or nothing; no staging (its
        # statements are not whole-array work either).
        programs, found_reason, _ = _search_whole(
            region, replace(options.config, deepen=False, max_size=SEQUENTIAL_SIZE),
            options, stats, proof)
        reason = found_reason and f"{region.recurrence}; no sequential op is equal to it " \
            f"({found_reason})"
        missing = _without_emitter(programs, options.target)
        if not reason and missing:  # found and proved, but the target has no such op
            reason = f"{region.recurrence}; as a whole it is {missing} (proved at the shrunk " \
                f"size), which {options.target} has no op for: the loop is kept"
            programs = {}
    elif not reason:
        programs, reason, exhausted = _search_whole(region, shallow, options, stats, proof)
        if exhausted:
            # Too deep as a whole: statement by statement, then the composition is proved.
            staged = solve_in_stages(kernel, region, options.config, options.seed, rng)
            stats.merge(staged.stats)
            if staged.programs:
                programs, reason = staged.programs, ""
                proofs[:] = [f"{arg_name(p)}: {staged.detail}" for p in sorted(programs)]
            elif splittable and shallow != options.config:
                proofs.clear()
                programs, deep_reason, _ = _search_whole(region, options.config, options,
                                                         stats, proof)
                reason = deep_reason and f"{deep_reason}; {staged.reason}"
            else:
                reason += f"; {staged.reason}"
    if not region.problems and not reason:
        reason = "the loop nest writes no memory"
    if not reason:
        proof_start = time.monotonic()
        reason = _more_proofs(region, programs, kernel, ctx, proof)
        proof.seconds = time.monotonic() - proof_start
    if not reason and proof.result != "proved" and not options.allow_unproved:
        reason = "unproved: " + "; ".join(proofs[-1:])  # unknown is never proved
    total.merge(stats)
    status = "unraised" if reason else "raised"
    report = _region_report(region, status, programs if not reason else {}, proof,
                            time.monotonic() - start, reason, stats)
    return report, ({} if reason else programs)


def _without_emitter(programs: dict[int, Program], target: str) -> str:
    """The ops of `programs` that `target` cannot spell (comma-separated), else ""."""
    ops = sorted({op for p in programs.values() for op in p.ops()
                  if target not in BY_NAME[op].emitters})
    return ", ".join(f"{BY_NAME[op].dialects[0]}.{op}" for op in ops)


def _chain_depth(kernel: Kernel, index: int, end: int) -> int | None:
    prelude = [op for op in kernel.body.ops[:index] if op.results and op.name not in LOOPS]
    return recurrence_depth(kernel, kernel.body.ops[index:end], prelude)


def _analyse(kernel: Kernel, text: str, index: int, end: int,
             rng: np.random.Generator, second: Kernel | None = None) -> Region:
    """The region's synthesis problems, or the reason it has none. A chain one link short
    of a recurrence at the shrunk size is measured again at the second extents (`second`):
    a recurrence grows with its loop, a shifted copy does not."""
    if any(repeated_update(op) for op in kernel.body.ops[index:end]):
        return Region(index, end, "", unsupported=REPEATED)
    reason = reads_carried_value(kernel, index, end)
    if reason:
        return Region(index, end, "", unsupported=reason)
    depth, where = _chain_depth(kernel, index, end), "the shrunk size"
    if depth == RECURRENCE_DEPTH - 1 and second is not None:
        longer = _chain_depth(second, index, end)
        if longer is not None and longer > depth:
            depth, where = longer, "the second extents"
    recurrence = ""
    if depth is not None and depth >= RECURRENCE_DEPTH:
        recurrence = f"loop-carried dependence: iterations read values earlier iterations " \
            f"wrote elsewhere (a chain {depth} deep at {where})"
    try:
        region = build_region(kernel, text, index, rng, end, recurrence)
        if recurrence and region.unsupported:  # no sequential record applies: the chain
            region.unsupported = recurrence    # is why the nest stays
        return region
    except Exception as err:  # noqa: BLE001 -- never a crash: the region stays, with why
        return Region(index, end, "", unsupported=f"analysis failed: {type(err).__name__}: "
                                                  f"{err}")


def _raise_inside(kernel: Kernel, small_kernel: Kernel, small_text: str, index: int,
                  options: RaiseOptions, total: SearchStats, rng: np.random.Generator,
                  ctx: ProofContext, full_text: str
                  ) -> tuple[list[dict[str, object]], dict[NestPath, dict[int, Program]],
                             dict[tuple[int, ...], ViewCall]]:
    """Keep top-level loop `index` and raise the nests inside it that allow it: in place
    when they depend on nothing the loop defines, else on views of the buffers."""
    inner = inner_nests(small_kernel, small_text, "<view>", index)
    body = kernel.body.ops[index].regions[0][0].ops
    reports: list[dict[str, object]] = []
    found: dict[NestPath, dict[int, Program]] = {}
    views: dict[tuple[int, ...], ViewCall] = {}
    entries: list[tuple[int, Region, Kernel]] = []
    covered: set[int] = set()  # body positions a call on views replaces

    def take(report: dict[str, object], call: ViewCall | None, position: int) -> None:
        report.update(index=index, path=[index, position], loc=body[position].loc)
        reports.append(report)
        if call is not None:
            views[(index, position)] = call
            covered.update(range(position, call.nest.end + 1))

    for position, loc, why in inner.refused:
        if position in covered:
            continue
        if why in (LOOP_VALUES, IN_CARRYING_LOOP):
            report, call = _raise_on_views(full_text, kernel.name, index, position, options)
            if isinstance(report, str):  # no view form: why
                why = f"{why}; not on views: {report}"
                deeper, deeper_calls = _raise_deeper(full_text, kernel.name, index, position,
                                                     body[position], options)
                if deeper_calls:  # the nest is kept too, nests inside it raised on views
                    raised = sum(r["status"] == "raised" for r in deeper)
                    why = f"kept as a sequential loop ({raised} of {len(deeper)} nests " \
                          f"inside raised on views); as a whole: {why}"
                    reports.extend(deeper)
                    views.update(deeper_calls)
            else:
                take(report, call, position)
                continue
        entries.append((position, Region(index, index + 1, loc, unsupported=why),
                        small_kernel))
    if not inner.origin and not views:  # nothing inside can be raised: the nest stays whole
        return [], {}, {}
    for view_index, position in inner.origin.items():
        if position in covered:
            continue
        # A nest that depends on nothing the loop defines (a stencil's sweep) is raised on
        # views first too: its neighbour reads become offset views (no gathers, no masks,
        # nothing allocated per step); in place on the hoisted copy when it has none.
        report, call = _raise_on_views(full_text, kernel.name, index, position, options)
        if isinstance(report, dict) and call is not None:
            take(report, call, position)
            continue
        view = inner.view_kernel
        region = _analyse(view, inner.view.text, view_index,  # type: ignore[arg-type,union-attr]
                          view_index + 1, rng)
        entries.append((position, region, view))  # type: ignore[arg-type]
    for position, region, analysed in sorted(entries, key=lambda e: e[0]):
        region.loc = body[position].loc
        # A nest inside a kept loop is analysed in a hoisted view at the shrunk extents:
        # its proofs stay bounded there (no second extents, no all-sizes claim).
        inner_ctx = ProofContext(analysed, {}, None, {}, ctx.fp, ctx.z3_timeout_ms,
                                 nested=True)
        report, programs = _synthesize_region(region, options, total, analysed, rng,
                                              inner_ctx)
        report["index"], report["path"] = index, [index, position]
        reports.append(report)
        if programs:
            found[(index, position)] = programs
    reports.sort(key=lambda r: r["path"][1])  # type: ignore[index]
    return reports, found, views


def _raise_deeper(text: str, func: str, outer: int, position: int, nest: Op,
                  options: RaiseOptions
                  ) -> tuple[list[dict[str, object]], dict[tuple[int, ...], ViewCall]]:
    """A nest that has no view form of its own (a triangle: its inner loop runs to its
    index) kept as a second sequential loop: the nests in its body raised on views at the
    indices of both loops. Report entries and calls, by path."""
    if nest.name != "affine.for":
        return [], {}
    reports: list[dict[str, object]] = []
    calls: dict[tuple[int, ...], ViewCall] = {}
    inner = nest.regions[0][0].ops
    for p, op in enumerate(inner):
        if op.name != "affine.for":
            continue
        report, call = _raise_on_views(text, func, outer, position, options, p)
        if isinstance(report, str):
            continue
        report.update(index=outer, path=[outer, position, p], loc=op.loc)
        reports.append(report)
        if call is not None:
            calls[(outer, position, p)] = call
    return reports, calls


def _raise_on_views(text: str, func: str, outer: int, position: int, options: RaiseOptions,
                    *deeper: int) -> tuple[dict[str, object] | str, ViewCall | None]:
    """The nest at `position` in loop `outer` (or deeper, in loops kept inside it), written
    over views and raised as a function of its own (raising/analysis/views.py): its report
    entry and, when every part of it raised and was proved, the call that replaces it;
    without a view form, the reason."""
    try:
        nest = view_nest(text, func, outer, position, *deeper)
    except ViewError as err:
        return str(err), None
    inner_options = replace(options, assume_noalias=True, abi="memref")
    result = raise_text(nest.text, f"<{nest.func}>", inner_options)
    regions = [r for f in result.report["functions"]  # type: ignore[attr-defined]
               for r in f["regions"]]
    report = dict(regions[0]) if regions else {"status": "unraised", "proof": {}}
    report["ops"] = sorted({o for r in regions for o in r.get("ops", [])})
    report["synthesis_seconds"] = sum(float(r.get("synthesis_seconds", 0.0))  # type: ignore
                                      for r in regions)
    report["view_function"] = nest.func
    report["views"] = len(nest.views)
    if result.exit_code != 0 or not regions:
        reasons = "; ".join(str(r.get("reason", "")) for r in regions
                            if r["status"] != "raised")
        report.update(status="unraised", reason=f"on views of the buffers: "
                      f"{reasons or 'not fully raised'}")
        return report, None
    crosscheck = result.report["functions"][0].get("crosscheck")  # type: ignore[index]
    if crosscheck is not None:
        report["view_crosscheck"] = crosscheck
    return report, ViewCall(nest, _callee(nest, result, options.target))


def _callee(nest: ViewNest, result: RaiseResult, target: str) -> str:
    """The raised view function with strided parameters, private, as text."""
    func = nest.func
    strided = load_text(nest.strided_text, f"<{func}>")
    solutions, spans, sizes = result.emission
    layouts = iter(nest.layouts)
    types = [ValueType(t.elem, t.shape, next(layouts, strided_layout(len(t.shape or ()))))
             if t.is_memref else t
             for t in strided.kernels[0].arg_types]
    text = emit_module(strided.module, solutions, target, {func: types}, spans, None, sizes,
                       guard=False)
    module = mlir_env.parse_module(text)
    with module.context:
        op = next(o for o in module.body.operations if o.operation.name == "func.func")
        op.attributes["sym_visibility"] = ir.StringAttr.get("private")
        return str(op)


def _rescaled(solutions: dict[int | NestPath, dict[int, Program]], kernel: Kernel,
              extent_map: dict[int, int]) -> dict[int | NestPath, dict[int, Program]]:
    leaf_shapes = {arg_name(p): (t.shape if t.is_memref else ())
                   for p, t in enumerate(kernel.arg_types)}
    return {index: {pos: rescale(prog, leaf_shapes, extent_map)  # type: ignore[arg-type]
                    for pos, prog in programs.items()}
            for index, programs in solutions.items()}


def _anchors(kernel: Kernel) -> set[int]:
    """Where regions start: every top-level loop nest; in a function without loops, its
    first store (straight-line code such as `return a.x * b.x + a.y * b.y + ...`)."""
    ops = kernel.body.ops
    loops = {i for i, op in enumerate(ops) if op.name == "affine.for"}
    if loops:
        return loops
    stores = [i for i, op in enumerate(ops) if op.name in ("affine.store", "memref.store")]
    return set(stores[:1])


def _analysis_view(loaded: LoadedModule, path: str) -> LoadedModule:
    """`loaded` with each function's static local buffers as trailing arguments."""
    text, layouts = promote_locals(loaded.text)
    if not layouts:
        return loaded
    view = load_text(text, path)
    for kernel in view.kernels:
        if kernel.name in layouts:
            kernel.params = layouts[kernel.name].params
            kernel.results = layouts[kernel.name].results
    return view


def _with_params(loaded: LoadedModule, view: LoadedModule) -> LoadedModule:
    """A resized copy of the view knows which of its arguments are locals, as the view."""
    for kernel, original in zip(loaded.kernels, view.kernels):
        kernel.params, kernel.results = original.params, original.results
    return loaded


def _crosscheck(loaded: LoadedModule, kernel: Kernel,
                solutions: dict[int | NestPath, dict[int, Program]],
                small_map: dict[int, int], options: RaiseOptions,
                full_text: str, ends: dict[int, int],
                views: dict[tuple[int, ...], ViewCall] | None = None) -> dict[str, object]:
    mode = options.crosscheck
    if mode == "auto":  # nests raised inside a kept loop allocate on every iteration
        plain = all(isinstance(k, int) for k in solutions) and not views
        limit = FULL_SIZE_WORK_LIMIT if plain else FULL_SIZE_WORK_LIMIT // INSIDE_LOOP_COST
        mode = "full" if kernel_work(kernel) <= limit else "small"
    if mode == "full":
        result = cross_check(loaded.text, full_text, kernel.name, options.seed)
        extents = sorted(small_map)
    else:
        extents_full = sorted(small_map)
        primes = SHRINK_PRIMES[CROSSCHECK_PRIMES_START:]
        mapping = dict(zip(extents_full, primes))
        try:
            resized_text = resize_text(loaded.text, mapping)
        except ResizeError:  # close extents (N, N+4): keep their gaps instead
            mapping = shrink_mapping(loaded.text, CROSSCHECK_PRIMES_START)
            resized_text = resize_text(loaded.text, mapping)
        resized = load_text(resized_text, loaded.path)
        resized_view = _analysis_view(resized, loaded.path)
        kern = next(k for k in resized_view.kernels if k.name == kernel.name)
        # `solutions` are at the kernel's own size: map its extents to the resized ones.
        # A view function serves every size; its call sites are read off the resized copy.
        resized_views = {path: ViewCall(view_nest(resized_view.text, kernel.name, *path),
                                        call.callee) for path, call in (views or {}).items()}
        emitted = emit_module(resized.module, {kernel.name: _rescaled(solutions, kern,
                                                                      mapping)},
                              options.target, {k.name: k.arg_types for k in resized.kernels},
                              {kernel.name: ends}, guard=not options.assume_noalias,
                              views={kernel.name: resized_views})
        result = cross_check(resized.text, emitted, kernel.name, options.seed)
        extents = sorted(mapping.values())
    return {"size": "kernel" if mode == "full" else "resized", "extents": extents,
            "passed": result.passed, "detail": result.detail,
            "max_rel_error": result.max_rel_error}


def _fully_raised(entry: dict[str, object]) -> bool:
    regions = entry["regions"]
    return bool(regions) and all(r["status"] == "raised" and r["proof"]["result"] == "proved"
                                 for r in regions)  # type: ignore[attr-defined, index]


def _tensor_abi(module: ir.Module, solutions: Solutions, target: str, view: LoadedModule,
                given_types: dict[str, list[ValueType]], spans: dict[str, dict[int, int]],
                functions: list[dict[str, object]],
                sizes: dict[str, FunctionSizes]) -> tuple[str, bool]:
    """The module of pure tensor functions (`--abi tensor`); each function's entry gets
    `tensor_abi` (its parameters and what each result replaces) or the reason it has no
    tensor form. True as the second value when some function has none."""
    full = {k.name: solutions[k.name] for k, entry in zip(view.kernels, functions)
            if solutions[k.name] and _fully_raised(entry)}
    roles = {k.name: list(k.roles[:k.n_params]) for k in view.kernels}
    text, forms, errors = tensor_module(module, full, target,  # type: ignore[arg-type]
                                        given_types, roles, spans, sizes)
    module = mlir_env.parse_module(text)  # the tensor functions must parse and verify
    if target == "linalg":
        mlir_env.run_pipeline(module, mlir_env.TENSOR_ABI_GENERIC)
        text = str(mlir_env.parse_module(named_fills(str(module))))
    for kernel, entry in zip(view.kernels, functions):
        if kernel.name in forms:
            form = forms[kernel.name]
            entry["tensor_abi"] = {"params": form.params, "results": form.results}
            continue
        reason = errors.get(kernel.name) or "not fully raised and proved (the default memref " \
            "ABI keeps its loops)"
        entry["tensor_abi"] = {"error": f"no tensor form: {reason}"}
    return text, len(forms) < len(view.kernels)


def _aliasing_report(plan: AliasPlan | None, guard: bool) -> dict[str, object]:
    if not guard:
        return {"policy": "assumed", "detail": "no aliasing guard (--assume-noalias): callers "
                                               "must pass buffers that do not overlap"}
    if plan is None:
        return {"policy": "not needed", "detail": "the raised code writes no buffer another "
                                                  "argument could share"}
    return {"policy": "guarded",
            "pairs": [[arg_name(a), arg_name(b)] for a, b in plan.pairs],
            "detail": f"the original loops run when any of {len(plan.pairs)} buffer pair(s) "
                      "overlap"}


UNPROVED_NOTE = "buddy-raise: UNPROVED (Z3 could not decide; emitted by --allow-unproved)"
# The second bounded proof's extents: the first proof's primes rotated among the extents
# (3, 5, 7 -> 5, 7, 3), or with one extent the next prime (3 -> 5); no dimension is checked
# at one size only. SECOND_PRIMES_START is the fallback shift.
SECOND_PRIMES_START = 1


def _drop_unemittable(found: dict[int | NestPath, dict[int, Program]],
                      reports: list[dict[str, object]],
                      target: str, arg_types: list[ValueType], sizes: FunctionSizes) -> None:
    """Regions whose programs need a static extent where the extent is a runtime size stay
    unraised, with that reason."""
    names = [arg_name(p) for p in range(len(arg_types))]
    dummy = {extent: f"%size{k}" for k, extent in enumerate(sorted(sizes.values))}
    for index in list(found):
        try:
            emit_region(target, "check", found[index], names, arg_types, sizes, dummy)
        except DynamicShapeError as err:
            del found[index]
            for report in reports:
                if report.get("index") == index and report["status"] == "raised":
                    report["status"], report["reason"] = "unraised", f"dynamic shapes: {err}"
                    report["ops"] = []


def _crosscheck_dynamic(given: LoadedModule, func_name: str, raised_text: str,
                        sizes: FunctionSizes, options: RaiseOptions) -> dict[str, object]:
    """Original and raised, both with their runtime sizes, at a few sizes of their own."""
    kernel = next(k for k in given.kernels if k.name == func_name)
    runs = check_sizes(sizes, kernel.arg_types)
    result = cross_check(given.text, raised_text, func_name, options.seed,
                         sizes=[shapes for _, shapes in runs])
    return {"size": "runtime", "extents": [named for named, _ in runs],
            "passed": result.passed, "detail": result.detail,
            "max_rel_error": result.max_rel_error}


def _second_extents(text: str, path: str, small_map: dict[int, int], start: int,
                    params_of: LoadedModule) -> tuple[dict[str, Kernel], dict[int, int]]:
    """Every function at the second extents, and the shrunk -> second extent map. A kernel
    smaller in every extent than its shrunk copy (a 3-D convolution at 2, 3, 4, 5) is proved
    again at its own extents: each differs from the first proof's, and they are the size the
    emitted code runs at. Otherwise the first proof's primes rotate among the extents, or
    shift by one."""
    if not small_map:
        return {}, {}
    try:
        if all(e < small for e, small in small_map.items()):
            mapping, second_text = {e: e for e in small_map}, text
        else:
            mapping = shrink_mapping(text, start + SECOND_PRIMES_START, rotate=True)
            second_text = resize_text(text, mapping)
        second = _with_params(load_text(second_text, path), params_of)
    except (ResizeError, LoadError):
        return {}, {}
    return {k.name: k for k in second.kernels}, \
        {small_map[e]: mapping[e] for e in small_map}


def raise_text(text: str, path: str = "<stdin>", options: RaiseOptions | None = None,
               progress: Callable[[str], None] | None = None) -> RaiseResult:
    """Raise every top-level loop nest of every function in `text`. Raises LoadError on
    input that does not parse or verify."""
    options = options or RaiseOptions()
    if options.target not in TARGETS:
        raise ValueError(f"unknown target {options.target}")
    if options.fp not in FP_MODES:
        raise ValueError(f"unknown floating-point mode {options.fp}")
    start = time.monotonic()
    file_deadline = deadline(options.file_timeout, start)
    unshrinkable = ""
    given = load_text(text, path)
    # Dynamic shapes: the search runs on a static copy whose `?` extents are sentinels.
    spec = specialise(text) if any(t.is_dynamic for k in given.kernels
                                   for t in k.arg_types) else None
    sizes = spec.functions if spec else {}
    refused = spec.refused if spec else {}
    loaded = load_text(spec.text, path) if spec and sizes else given
    # The analysis sees local buffers as arguments (raising/frontend/locals.py); `loaded` stays the
    # module the output is spliced into.
    view = _analysis_view(loaded, path)
    text = view.text
    given_types = {k.name: k.arg_types for k in given.kernels}
    try:
        shrink_start = int(any(needs_room(k) for k in loaded.kernels))
        if not any(op.name in LOOPS for k in view.kernels for op in k.body.ops):
            # Straight-line code is written for its own extents (x[0] * y[0] + ...): it
            # has no other size to be proved at.
            raise ResizeError("no loop to resize")
        small_map = shrink_mapping(text, start=shrink_start)
        small_text = resize_text(text, small_map)
        small = _with_params(load_text(small_text, path), view)
    except (ResizeError, LoadError) as err:  # synthesize at the kernel's own extents instead
        small_map, small_text, small = {}, text, view
        if max(shape_extents(text), default=0) > MAX_UNSHRUNK_EXTENT:  # memory stays bounded
            unshrinkable = f"cannot shrink the kernel for synthesis ({err}); too large to " \
                           "search at its own size"
    inverse = {v: k for k, v in small_map.items()}
    second_kernels, to_second = _second_extents(text, path, small_map,
                                                shrink_start if small_map else 0, view)
    rng = np.random.default_rng(options.seed)
    total = SearchStats()
    functions: list[dict[str, object]] = []
    solutions: Solutions = {}
    spans: dict[str, dict[int, int]] = {}  # func -> region start -> end (top-level ops)
    notes: dict[str, dict[int, str]] = {}
    solved: list[SolvedRegion] = []
    views: dict[str, dict[tuple[int, ...], ViewCall]] = {}  # nests raised on views, per function
    for kernel, small_kernel in zip(view.kernels, small.kernels):
        ctx = ProofContext(kernel, inverse, second_kernels.get(kernel.name), to_second,
                           options.fp, options.config.z3_timeout_ms)
        regions_report = []
        found: dict[int | NestPath, dict[int, Program]] = {}  # nests inside kept loops too
        ends = spans.setdefault(kernel.name, {})
        anchors = _anchors(small_kernel)
        for index, op in enumerate(small_kernel.body.ops):
            if index not in anchors or any(s < index < e for s, e in ends.items()):
                continue
            if progress:
                progress(f"{kernel.name}: loop nest at {kernel.body.ops[index].loc}")
            # Stores initialising a local accumulator just before the nest join its region.
            first = max(region_start(small_kernel, index), max(ends.values(), default=0))
            ends[first] = region_end(small_kernel, index)
            left = remaining(file_deadline)
            if unshrinkable:
                region = Region(first, ends[first], op.loc, unsupported=unshrinkable)
            elif left is not None and left <= 0:
                region = Region(first, ends[first], op.loc, unsupported=(
                    f"timeout: the file's time limit ({options.file_timeout:g} s) was "
                    "reached first"))
            else:
                region = _analyse(small_kernel, small_text, first, ends[first], rng,
                                  second_kernels.get(kernel.name))
                if region.unsupported and kernel.name in refused:
                    region.unsupported += f" (runtime sizes: {refused[kernel.name]})"
            region.loc = kernel.body.ops[index].loc
            region_options = clipped(options, remaining(file_deadline))
            report, programs = _synthesize_region(region, region_options, total, small_kernel,
                                                  rng, ctx)
            regions_report.append(report)
            if programs:
                found[first] = programs
                solved.append(SolvedRegion(kernel.name, region, programs, small_kernel))
                if report["proof"]["result"] != "proved":  # type: ignore[index]
                    notes.setdefault(kernel.name, {})[first] = UNPROVED_NOTE
            elif op.name == "affine.for" and not unshrinkable and kernel.name not in sizes:
                # keep it, raise inside (not yet with runtime sizes)
                inside, nested, on_views = _raise_inside(
                    kernel, small_kernel, small_text, index,
                    clipped(options, remaining(file_deadline)), total, rng, ctx, text)
                if inside:
                    report["reason"] = f"kept as a sequential loop ({len(nested) + len(on_views)}"\
                        f" of {len(inside)} nests inside raised); as a whole: {report['reason']}"
                regions_report.extend(inside)
                found.update(nested)  # type: ignore[arg-type]
                views.setdefault(kernel.name, {}).update(on_views)
        solutions[kernel.name] = _rescaled(found, kernel, inverse)
        if kernel.name in sizes:
            _drop_unemittable(solutions[kernel.name], regions_report, options.target,
                              given_types[kernel.name], sizes[kernel.name])
        functions.append({"name": kernel.name, "loc": kernel.loc,
                          "roles": {arg_name(p): r.value for p, r in
                                    enumerate(kernel.roles[:kernel.n_params])},
                          "regions": regions_report})
    # Emitted into the module as given: dynamic signatures stay dynamic.
    out_module = given.module if sizes else loaded.module
    guard = not options.assume_noalias
    plans: dict[str, AliasPlan] = {}
    out_text = emit_module(out_module, solutions, options.target, given_types, spans, notes,
                           sizes, guard, plans=plans, views=views)
    load_text(out_text, path + " (raised)")  # the emitted module must parse and verify
    for kernel, entry in zip(view.kernels, functions):
        if not (solutions[kernel.name] or views.get(kernel.name)) or \
                options.crosscheck == "none":
            continue
        if progress:
            progress(f"{kernel.name}: compiled cross-check")
        try:
            check = _crosscheck_dynamic(given, kernel.name, out_text, sizes[kernel.name],
                                        options) if kernel.name in sizes else \
                _crosscheck(loaded, kernel, solutions[kernel.name], small_map, options,
                            out_text, spans[kernel.name], views.get(kernel.name, {}))
        except (ResizeError, LoadError) as err:  # unchecked is never emitted
            check = {"size": "none", "extents": [], "passed": False, "max_rel_error": 0.0,
                     "detail": f"could not run: {type(err).__name__}: {err}"}
        entry["crosscheck"] = check
        if not check["passed"]:  # never emit what the compiled check rejects
            solutions[kernel.name] = {}
            views.pop(kernel.name, None)
            for region in entry["regions"]:  # type: ignore[attr-defined]
                if region["status"] == "raised":
                    region["status"] = "unraised"
                    region["reason"] = f"compiled cross-check failed: {check['detail']}"
            plans.pop(kernel.name, None)
            out_text = emit_module(out_module, solutions, options.target, given_types,
                                   spans, notes, sizes, guard, views=views)
    for kernel, entry in zip(view.kernels, functions):
        if (solutions[kernel.name] or views.get(kernel.name)) and options.abi == "memref":
            entry["aliasing"] = _aliasing_report(plans.get(kernel.name), guard)
    tensor_failed = False
    if options.abi == "tensor":
        out_text, tensor_failed = _tensor_abi(out_module, solutions, options.target, view,
                                              given_types, spans, functions, sizes)
    regions = [r for f in functions for r in f["regions"]]  # type: ignore[attr-defined]
    all_raised = bool(regions) and all(r["status"] == "raised" and
                                       r["proof"]["result"] == "proved" for r in regions) \
        and not tensor_failed
    report = {"input": path, "target": options.target, "fp": options.fp, "abi": options.abi,
              "functions": functions,
              "raised_regions": sum(r["status"] == "raised" for r in regions),
              "total_regions": len(regions), "stats": total.as_dict(),
              "total_seconds": round(time.monotonic() - start, 3)}
    return RaiseResult(out_text, report, total, 0 if all_raised else 1, solved, small_text,
                       (solutions, spans, sizes))

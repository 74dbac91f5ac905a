"""Lowering to LLVM IR for native runs: the baseline and the raised pipeline.

- Baseline: the original affine kernel straight to the LLVM dialect (clang -O3 does the
  rest), i.e. what a C compilation flow gives.
- Raised: stablehlo -> linalg, elementwise fusion, bufferization into the argument memrefs,
  then a transform-dialect schedule chosen per linalg op (lowering.schedule: cache and
  register tiles, vectorization, vector.contract through outer products to FMAs), then the
  rest to the LLVM dialect.

Pass pipelines and transform-op spellings live in core.mlir_env.
"""

from __future__ import annotations

import re
import struct

from torch_mlir import ir
from torch_mlir.dialects import llvm as llvm_dialect
from torch_mlir.dialects.transform import interpreter

from checkers.execute import ArgType, parse_arg_type
from core import mlir_env
from core.sequential_ops import expand_sequential_ops
from lowering import pack, prepare, symmetry, timetile
from lowering.schedule import (
    PROFILES,
    Profile,
    count_schedulable,
    profile_for,
    schedule_for,
    walk,
)

VARIANTS = ("baseline", "raised")
ARCHS = tuple(dict.fromkeys(p.arch for p in PROFILES.values()))


class LoweringError(RuntimeError):
    """A module could not be lowered to LLVM IR."""


# --- small helpers over the MLIR bindings ---------------------------------------------------

def _functions(module: ir.Module) -> list[ir.Operation]:
    return [op.operation for op in module.body.operations if op.operation.name == "func.func"]


def _func_name(func: ir.Operation) -> str:
    return ir.StringAttr(func.attributes["sym_name"]).value


def signature(text: str, func_name: str) -> list[ArgType]:
    """Argument types of `func_name` in `text`."""
    module = mlir_env.parse_module(text)
    for func in _functions(module):
        if _func_name(func) != func_name:
            continue
        ftype = ir.FunctionType(ir.TypeAttr(func.attributes["function_type"]).value)
        return [parse_arg_type(str(t)) for t in ftype.inputs]
    raise LoweringError(f"no function @{func_name}")


def _first_non_llvm(module: ir.Module) -> str | None:
    """Name of an op that is not in the LLVM (or OpenMP) dialect; translation would crash."""
    for op in walk(module.operation):
        if not op.name.startswith(("llvm.", "omp.")):
            return op.name
    return None


# The bindings' LLVM prints infinities and the default NaN by name (`double -inf`,
# `float +qnan`); clang-22 parses only the hex spelling, which every LLVM reads. (float
# constants are written as the double of the same value; half and bfloat have their own.)
_NAMED_FLOAT = re.compile(r"\b(half|bfloat|float|double) ([+-])(inf|qnan)\b")
_FLOAT_BITS = {  # type -> (prefix, digits, sign bit, inf, qnan)
    "double": ("0x", 16, 1 << 63, 0x7FF0000000000000, 0x7FF8000000000000),
    "float": ("0x", 16, 1 << 63, 0x7FF0000000000000, 0x7FF8000000000000),
    "half": ("0xH", 4, 0x8000, 0x7C00, 0x7E00),
    "bfloat": ("0xR", 4, 0x8000, 0x7F80, 0x7FC0),
}


# A phi names its type once: `phi double [ -inf, %bb ], ...`.
_PHI = re.compile(r"= phi (half|bfloat|float|double) .*")
_PHI_NAMED = re.compile(r"\[ ([+-])(inf|qnan),")


def _hex_bits(kind: str, sign: str, name: str) -> str:
    prefix, digits, sign_bit, inf, qnan = _FLOAT_BITS[kind]
    bits = (inf if name == "inf" else qnan) | (sign_bit if sign == "-" else 0)
    return f"{prefix}{bits:0{digits}X}"


def _hex_named_floats(text: str) -> str:
    def hexed(match: re.Match[str]) -> str:
        kind, sign, name = match.groups()
        return f"{kind} {_hex_bits(kind, sign, name)}"

    def phi(match: re.Match[str]) -> str:
        kind = match.group(1)
        return _PHI_NAMED.sub(lambda m: f"[ {_hex_bits(kind, m.group(1), m.group(2))},",
                              match.group(0))
    return _PHI.sub(phi, _NAMED_FLOAT.sub(hexed, text))


# Newer LLVM spells hex float constants f0x<bits of the type> (`f0x7F7FFFFF` for a float);
# clang-22 reads 0x<16 digits of the double> for float and double, 0xH for half.
_NEW_HEX_FLOAT = re.compile(r"(\bbfloat\b[^,\n]*?)?\bf0x([0-9A-Fa-f]+)\b")


def _legacy_hex_floats(text: str) -> str:
    def legacy(match: re.Match[str]) -> str:
        before, digits = match.group(1) or "", match.group(2)
        if len(digits) == 16:
            return f"{before}0x{digits.upper()}"
        if len(digits) == 8:  # a float's bits: written as the double of the same value
            value = struct.unpack(">f", bytes.fromhex(digits))[0]
            return f"{before}0x{struct.unpack('>Q', struct.pack('>d', value))[0]:016X}"
        if len(digits) == 4:
            return f"{before}{'0xR' if before else '0xH'}{digits.upper()}"
        return match.group(0)
    return _NEW_HEX_FLOAT.sub(legacy, text)


def to_llvm_ir(module: ir.Module) -> str:
    """Translate an LLVM-dialect module to LLVM IR text (that clang-22 parses)."""
    leftover = _first_non_llvm(module)
    if leftover:
        raise LoweringError(f"lowering left an unconverted op: {leftover}")
    text = str(llvm_dialect.translate_module_to_llvmir(module.operation))
    return _legacy_hex_floats(_hex_named_floats(text))


def _emit_c_interface(module: ir.Module) -> None:
    """Give every public function a `_mlir_ciface_` wrapper (memref descriptors by pointer)."""
    for func in _functions(module):
        visibility = func.attributes.get("sym_visibility", None)
        if visibility is None or ir.StringAttr(visibility).value == "public":
            func.attributes["llvm.emit_c_interface"] = ir.UnitAttr.get()


def _run(module: ir.Module, pipeline: str, what: str) -> None:
    try:
        mlir_env.run_pipeline(module, pipeline)
    except ir.MLIRError as err:
        raise LoweringError(f"{what}: {err}") from err


def _apply_schedule(module: ir.Module, schedule: str) -> None:
    with module.context, ir.Location.unknown():
        try:
            script = ir.Module.parse(schedule)
        except ir.MLIRError as err:
            raise LoweringError(f"schedule does not parse: {err}") from err
        entry = next(op for op in script.body.operations
                     if op.operation.name == "transform.named_sequence")
        try:
            interpreter.apply_named_sequence(module, entry, script)
        except (ValueError, ir.MLIRError) as err:
            raise LoweringError(f"schedule failed: {err}") from err


def _inline_alloca_scopes(module: ir.Module) -> None:
    """Replace each result-less memref.alloca_scope by its body (see mlir_env)."""
    scopes = [op for op in walk(module.operation) if op.name == "memref.alloca_scope"]
    for scope in scopes:
        if len(scope.results) or any(op.name == "memref.alloca" for op in walk(scope)):
            raise LoweringError("an alloca scope with results or allocas: not inlined")
        body = scope.regions[0].blocks[0]
        for inner in [o.operation for o in body.operations]:
            if inner.name == "memref.alloca_scope.return":
                inner.erase()
            else:
                inner.move_before(scope)
        scope.erase()


# --- the two pipelines ---------------------------------------------------------------------

def lower_baseline(text: str) -> ir.Module:
    """The original kernel in the LLVM dialect."""
    module = mlir_env.parse_module(text)
    with module.context:
        _emit_c_interface(module)
    _run(module, mlir_env.BASELINE_TO_LLVM, "baseline lowering")
    return module


def _prepare_buffers(text: str, profile: Profile) -> ir.Module:
    """The raised module fused, prepared (lowering.prepare) and bufferized."""
    module = mlir_env.parse_module(text)
    with module.context:
        _emit_c_interface(module)
    expand_sequential_ops(module)
    _run(module, mlir_env.RAISED_GENERALIZE, "raised lowering (legalization)")
    with module.context, ir.Location.unknown():
        for func in _functions(module):
            prepare.hoist_scalar_reads(func)
            prepare.inline_fills(func)
        barriers = [b for func in _functions(module)
                    for b in prepare.protect_reduction_inputs(func)]
        # Before fusion, so the mirror fuses into the elementwise ops that read the product.
        for func in _functions(module):
            symmetry.split_symmetric(func, profile)
    _run(module, mlir_env.RAISED_FUSE, "raised lowering (fusion)")
    with module.context, ir.Location.unknown():
        prepare.release(barriers)
        for func in _functions(module):
            prepare.transpose_for_outer_products(func)
        split = prepare.split_reduction_script(module, profile)
    if split:
        _apply_schedule(module, split)
    with module.context, ir.Location.unknown():
        prepare.clear_tags(module)
    _run(module, mlir_env.RAISED_TIDY, "raised lowering (tidy)")
    with module.context, ir.Location.unknown():
        for func in _functions(module):
            prepare.write_in_place(func)
    _run(module, mlir_env.RAISED_BUFFERIZE, "raised lowering (bufferization)")
    if not profile.scalable and timetile.enabled():
        with module.context:
            if timetile.block_time_loops(module):
                _verify(module, "time tiling")
    return module


def _verify(module: ir.Module, what: str) -> None:
    try:
        module.operation.verify()
    except ir.MLIRError as err:
        raise LoweringError(f"{what} left invalid IR: {err}") from err


def _finish(module: ir.Module, profile: Profile, threads: int, skip: frozenset[int],
            keep_schedule: list[str] | None) -> None:
    """Schedule (leaving ops numbered in `skip` as loops) and lower to the LLVM dialect."""
    with module.context, ir.Location.unknown():
        schedule = schedule_for(module, profile, threads, skip)
        prepare.reassociate_loop_reductions(module)
    if schedule:
        if keep_schedule is not None:
            keep_schedule.extend([schedule.first, schedule.finish])
        _apply_schedule(module, schedule.first)
        if schedule.packs:
            with module.context:
                pack.pack_operands(module, list(schedule.packs))
                _verify(module, "packing")
        _apply_schedule(module, schedule.finish)
    if threads > 1:
        _run(module, mlir_env.RAISED_FINISH_OPENMP_LOOPS, "raised lowering (parallel loops)")
        with module.context:
            _inline_alloca_scopes(module)
        _run(module, mlir_env.RAISED_FINISH_OPENMP, "raised lowering (finish)")
    else:
        _run(module, mlir_env.RAISED_FINISH, "raised lowering (finish)")
    leftover = _first_non_llvm(module)
    if leftover:
        raise LoweringError(f"lowering left an unconverted op: {leftover}")


def _first_error_line(err: Exception) -> str:
    lines = str(err).splitlines()
    errors = [line.strip() for line in lines if "error:" in line]
    return (errors or lines or [""])[0][:200]


def _schedulable_count(text: str, profile: Profile) -> int:
    module = _prepare_buffers(text, profile)
    with module.context:
        return count_schedulable(module, profile)


def lower_raised(text: str, arch: str = "x86_64", threads: int = 1,
                 keep_schedule: list[str] | None = None, notes: list[str] | None = None
                 ) -> ir.Module:
    """A raised module (linalg and/or stablehlo) in the LLVM dialect, tiled and vectorized
    for `arch`; `threads` > 1 runs parallel loops on OpenMP (link with -fopenmp).
    If an op's schedule does not lower, that op is left as plain loops (said in `notes`).
    `keep_schedule`, if given, receives the transform script."""
    profile = profile_for(arch)
    module = _prepare_buffers(text, profile)
    try:
        _finish(module, profile, threads, frozenset(), keep_schedule)
        return module
    except LoweringError as err:
        first_error = err
    count = _schedulable_count(text, profile)
    for op_id in range(count):
        module = _prepare_buffers(text, profile)
        try:
            _finish(module, profile, threads, frozenset({op_id}), keep_schedule)
        except LoweringError:
            continue
        if notes is not None:
            notes.append(f"linalg op {op_id} left as loops: its schedule did not lower "
                         f"({_first_error_line(first_error)})")
        return module
    module = _prepare_buffers(text, profile)
    _finish(module, profile, threads, frozenset(range(count)), keep_schedule)
    if notes is not None:
        notes.append(f"all linalg ops left as loops: the schedule did not lower "
                     f"({_first_error_line(first_error)})")
    return module


def emit_llvm_ir(text: str, variant: str, arch: str = "x86_64", threads: int = 1,
                 notes: list[str] | None = None) -> str:
    """LLVM IR of `text` lowered as `variant` ("baseline" or "raised") for `arch`."""
    if variant not in VARIANTS:
        raise LoweringError(f"unknown variant {variant!r}")
    if arch not in ARCHS:
        raise LoweringError(f"unknown architecture {arch!r}; expected one of {ARCHS}")
    module = lower_baseline(text) if variant == "baseline" \
        else lower_raised(text, arch, threads, notes=notes)
    return to_llvm_ir(module)

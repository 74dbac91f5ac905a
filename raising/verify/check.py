"""`buddy-raise check A.mlir B.mlir [--func NAME]`: prove same-named functions equivalent.

Use: validate a hand-optimised kernel, or another tool's output, against a reference.
Both modules are resized with one extent mapping (distinct small primes, twice: two extent
tuples), lowered to affine loops (raised linalg/stablehlo included, mlir_env.TO_AFFINE_LOOPS)
and run by checkers.interpreter: first on random numbers (a quick counterexample), then on
z3 terms, and Z3 asks whether any element of any memref argument can differ. Over the reals:
equal up to reassociation.

Exit status: 0 every compared function proved equivalent; 1 a counterexample (printed: the
word "counterexample", the input values, the element that differs) or a function Z3 could
not decide; 2 bad input (unreadable, unparsable, no common function, signature mismatch).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from torch_mlir import ir

from checkers.interpreter import Interpreter, NumberAlgebra, Unsupported
from checkers.smt import ProofOutcome, Z3Algebra, check_equivalent, check_equivalent_wrapping
from core import mlir_env
from core.kernel_ir import Kernel
from core.sequential_ops import expand_sequential_ops
from raising.analysis.decompose import arg_name, draw, integer_type, symbolic_env
from raising.frontend.load import LoadError, load_text
from raising.frontend.resize import ResizeError, resize_text, shape_extents, shrink_mapping
from raising.frontend.versions import guarded_versions

EXIT_PROVED, EXIT_REFUTED, EXIT_ERROR = 0, 1, 2
RANDOM_RUNS = 3
TUPLES = (0, 1)  # shrink_mapping starts: (3, 5, 7, ...) then (5, 7, 11, ...)


class CheckError(Exception):
    """Bad input: the message is a `file:line:col: error:` diagnostic."""


@dataclass
class Lowered:
    kernels: dict[str, Kernel]
    globals: dict[str, tuple[tuple[int, ...], float]]


@dataclass
class Verdict:
    status: str  # proved | identical (the same code) | counterexample | unproved
    extents: tuple[int, ...]
    text: str


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="buddy-raise check",
        description="Prove each pair of same-named functions of two MLIR modules equivalent "
                    "(Z3, over the reals), or print a counterexample.")
    parser.add_argument("a", help="first module (e.g. the original kernel)")
    parser.add_argument("b", help="second module (e.g. a raised or hand-optimised one)")
    parser.add_argument("--func", help="compare only this function")
    parser.add_argument("--no-resize", action="store_true",
                        help="check at the modules' own extents (slow for large kernels)")
    parser.add_argument("--z3-timeout", type=float, default=30.0,
                        help="Z3 time limit per function, seconds (default: 30)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-random", action="store_true",
                        help="skip the random concrete runs: go straight to Z3 (a refutation "
                             "then shows a Z3 model)")
    return parser


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as err:
        raise CheckError(f"{path}:1:1: error: cannot read input: {err}") from None


def _splat_globals(module: ir.Module) -> dict[str, tuple[tuple[int, ...], float]]:
    found = {}
    with module.context:
        for op in module.body.operations:
            if op.operation.name != "memref.global" or "initial_value" not in op.attributes:
                continue
            value = op.attributes["initial_value"]
            if not isinstance(value, ir.DenseElementsAttr) or not value.is_splat:
                continue
            splat = value.get_splat_value()
            if not isinstance(splat, (ir.FloatAttr, ir.IntegerAttr)):
                continue
            name = ir.StringAttr(op.attributes["sym_name"]).value
            shape = ir.MemRefType(ir.TypeAttr(op.attributes["type"]).value).shape
            found[name] = (tuple(shape), float(splat.value))
    return found


def _lower(text: str, path: str) -> Lowered:
    """Any supported module down to affine loops, loaded as kernel IR."""
    try:
        module = mlir_env.parse_module(text)
        expand_sequential_ops(module)
        mlir_env.run_pipeline(module, mlir_env.TO_AFFINE_LOOPS)
    except ir.MLIRError as err:
        raise CheckError(f"{path}:1:1: error: cannot lower to loops: {err}") from None
    lowered = load_text(str(module), path)
    return Lowered({k.name: k for k in lowered.kernels}, _splat_globals(module))


def _pairs(path_a: str, text_a: str, path_b: str, text_b: str,
           only: str | None) -> list[str]:
    """Names of the functions to compare; CheckError on a missing or mismatched one."""
    try:
        mod_a, mod_b = load_text(text_a, path_a), load_text(text_b, path_b)
    except LoadError as err:
        raise CheckError("\n".join(err.diagnostics)) from None
    funcs_a = {k.name: k for k in mod_a.kernels}
    funcs_b = {k.name: k for k in mod_b.kernels}
    versions = {v for funcs in (funcs_a, funcs_b) for pair in guarded_versions(funcs).values()
                for v in pair}
    names = [n for n in funcs_a if n in funcs_b and n not in versions]
    if only is not None:
        if only not in funcs_a or only not in funcs_b:
            missing = path_a if only not in funcs_a else path_b
            raise CheckError(f"{missing}:1:1: error: no function @{only} with a body")
        names = [only]
    if not names:
        raise CheckError(f"{path_b}:1:1: error: no function name in common with {path_a}")
    for name in names:
        sig_a = [t.mlir() for t in funcs_a[name].arg_types]
        sig_b = [t.mlir() for t in funcs_b[name].arg_types]
        if sig_a != sig_b:
            raise CheckError(f"{funcs_b[name].loc}: error: @{name} has signature "
                             f"({', '.join(sig_b)}), but {path_a} has ({', '.join(sig_a)})")
    return names


def _random_inputs(kernel: Kernel, rng: np.random.Generator, positive: bool) -> list[object]:
    values: list[object] = []
    for vtype in kernel.arg_types:
        if vtype.is_memref:
            values.append(draw(rng, vtype.shape, positive).astype(object))  # type: ignore
        elif vtype.elem.startswith("f"):
            values.append(float(draw(rng, (), positive)))
        else:
            values.append(0)
    return values


def _run(lowered: Lowered, kernel: Kernel, env: dict[int, object], algebra: object) -> None:
    interp = Interpreter(algebra, globals_=lowered.globals,  # type: ignore[arg-type]
                         functions=lowered.kernels)
    interp.run_ops(kernel.body.ops, env)


def _concrete(lowered_a: Lowered, lowered_b: Lowered, pair: tuple[str, str],
              inputs: list[object]) -> tuple[int, tuple[int, ...], float, float] | None:
    """Run both on the same numbers; the first memref element that differs, if any."""
    ka, kb = lowered_a.kernels[pair[0]], lowered_b.kernels[pair[1]]
    envs = []
    for lowered, kernel in ((lowered_a, ka), (lowered_b, kb)):
        env = {vid: (np.array(v, dtype=object, copy=True) if isinstance(v, np.ndarray) else v)
               for vid, v in zip(kernel.arg_ids, inputs)}
        _run(lowered, kernel, env, NumberAlgebra())
        envs.append(env)
    for position, (va, vb) in enumerate(zip(ka.arg_ids, kb.arg_ids)):
        if not ka.arg_types[position].is_memref:
            continue
        a = np.asarray(envs[0][va], dtype=np.float64)
        b = np.asarray(envs[1][vb], dtype=np.float64)
        scale = max(1.0, float(np.max(np.abs(a)))) if a.size else 1.0
        bad = ~np.isclose(a, b, rtol=1e-9, atol=1e-9 * scale)
        if bad.any():
            index = tuple(int(i) for i in np.argwhere(bad)[0])
            return position, index, float(a[index]), float(b[index])
    return None


def _symbolic(lowered_a: Lowered, lowered_b: Lowered, pair: tuple[str, str],
              timeout_ms: int) -> tuple[int, ProofOutcome, str]:
    """(output position, outcome, the integer type whose bit-vectors decided it, or ""):
    over the reals, then, for integer data of one width, on bit-vectors of that width (+,
    -, * wrap around), where the machine's results can differ though the reals' agree."""
    ka, kb = lowered_a.kernels[pair[0]], lowered_b.kernels[pair[1]]
    env_a, env_b = symbolic_env(ka), symbolic_env(kb)  # the same variables by name
    _run(lowered_a, ka, env_a, Z3Algebra())
    _run(lowered_b, kb, env_b, Z3Algebra())
    outputs = [(p, np.asarray(env_a[va], dtype=object), np.asarray(env_b[vb], dtype=object))
               for p, (va, vb) in enumerate(zip(ka.arg_ids, kb.arg_ids))
               if ka.arg_types[p].is_memref]
    outcome = ProofOutcome("proved")
    for position, a, b in outputs:
        outcome = check_equivalent(a, b, timeout_ms, locate=True)
        if outcome.status != "proved":
            return position, outcome, ""
    elem = integer_type(ka.arg_types)
    if elem is None or integer_type(kb.arg_types) != elem:
        return -1, outcome, ""
    for position, a, b in outputs:
        wrapped = check_equivalent_wrapping(a, b, int(elem[1:]), timeout_ms)
        if wrapped.status == "counterexample":
            return position, wrapped, elem
        if wrapped.status != "proved":
            return -1, outcome, ""  # not modelled there (a division, ...): the reals' word
    return -1, outcome, elem


def _format_inputs(kernel: Kernel, inputs: list[object]) -> list[str]:
    lines = []
    for position, (vtype, value) in enumerate(zip(kernel.arg_types, inputs)):
        if not vtype.is_memref and not vtype.elem.startswith("f"):
            continue
        if isinstance(value, np.ndarray):
            dtype = np.int64 if vtype.elem.startswith("i") else np.float64
            text = np.array2string(np.asarray(value, dtype=dtype), separator=", ",
                                   floatmode="unique", max_line_width=100, threshold=10_000)
            text = text.replace("\n", "\n      ")
        else:
            text = repr(float(value))  # type: ignore[arg-type]
        lines.append(f"    {arg_name(position)} = {text}")
    return lines


def _model_inputs(kernel: Kernel, model: dict[str, float]) -> list[object]:
    """Input values from a Z3 model; variables it leaves out do not matter: 0."""
    values: list[object] = []
    for position, vtype in enumerate(kernel.arg_types):
        name = arg_name(position)
        if vtype.is_memref:
            arr = np.zeros(vtype.shape or ())
            for index in np.ndindex(*arr.shape):
                arr[index] = model.get(f"{name}[{','.join(map(str, index))}]", 0.0)
            values.append(arr)
        elif vtype.elem.startswith("f"):
            values.append(model.get(name, 0.0))
        else:
            values.append(0)
    return values


def _refuted(name: str, kernel: Kernel, extents: tuple[int, ...], inputs: list[object],
             position: int, index: tuple[int, ...] | None, values: tuple[float, float] | None,
             paths: tuple[str, str], how: str) -> str:
    lines = [f"@{name}: NOT equivalent: counterexample ({how}) at extents {extents}:",
             "  inputs:", *_format_inputs(kernel, inputs)]
    where = f"{arg_name(position)}[{', '.join(map(str, index or ()))}]"
    if values is not None:
        if kernel.arg_types[position].elem.startswith("i"):
            values = (int(values[0]), int(values[1]))  # type: ignore[assignment]
        lines.append(f"  output {where}: {paths[0]} gives {values[0]!r}, "
                     f"{paths[1]} gives {values[1]!r}")
    else:
        lines.append(f"  output {arg_name(position)} differs")
    return "\n".join(lines)


def _check_function(name: str, pair: tuple[str, str], lowered_a: Lowered,
                    lowered_b: Lowered, extents: tuple[int, ...], paths: tuple[str, str],
                    args: argparse.Namespace) -> Verdict:
    """Function `pair[0]` of A against `pair[1]` of B; `name` is what the report calls it."""
    kernel = lowered_a.kernels[pair[0]]
    rng = np.random.default_rng(args.seed)
    for run in range(0 if args.no_random else 2 * RANDOM_RUNS):
        inputs = _random_inputs(kernel, rng, positive=run >= RANDOM_RUNS)
        try:
            diff = _concrete(lowered_a, lowered_b, pair, inputs)
        except (ValueError, ZeroDivisionError, OverflowError):
            continue  # outside a domain (sqrt of a negative): next, positive, inputs
        if diff is None and run + 1 >= RANDOM_RUNS:
            break
        if diff is not None:
            position, index, va, vb = diff
            return Verdict("counterexample", extents, _refuted(
                name, kernel, extents, inputs, position, index, (va, vb), paths,
                "random input"))
    position, outcome, bits = _symbolic(lowered_a, lowered_b, pair,
                                        int(args.z3_timeout * 1000))
    if outcome.status == "counterexample":
        inputs = _model_inputs(kernel, outcome.model)
        how = f"Z3 model, {bits} bit-vectors: values wrap around" if bits else \
            "Z3 model, over the reals"
        return Verdict("counterexample", extents, _refuted(
            name, kernel, extents, inputs, position, outcome.index, outcome.values, paths,
            how))
    if outcome.status != "proved":
        return Verdict("unproved", extents, f"@{name}: UNPROVED at extents {extents}: "
                                            f"{arg_name(position)}: {outcome.detail}")
    return Verdict("proved", extents, bits)


# Resizing maps integers near an extent too (N-1 follows N); below this, a module's small
# literals (permutation indices, dimensions) would move: such modules run at their own size.
MIN_RESIZABLE_EXTENT = 16


def _extent_tuples(text_a: str, no_resize: bool) -> list[dict[int, int]]:
    if no_resize or min(shape_extents(text_a) or [0]) < MIN_RESIZABLE_EXTENT:
        return [{}]
    try:
        return [shrink_mapping(text_a, start) for start in TUPLES]
    except ResizeError:
        return [{}]  # not resizable: the modules' own extents


def _compared(names: list[str], text_a: str, text_b: str) -> dict[str, tuple[str, str]]:
    """What the report calls each comparison -> (function of A, function of B). A function
    the aliasing guard versioned is compared as its two versions (the raised code, which
    runs on disjoint buffers as the interpreter's arguments are, and the kept loops); the
    entry check that picks one is not interpreted."""
    guarded_a = guarded_versions(_names(text_a))
    guarded_b = guarded_versions(_names(text_b))
    compared = {}
    for name in names:
        sides_a, sides_b = guarded_a.get(name), guarded_b.get(name)
        if sides_a is None and sides_b is None:
            compared[name] = (name, name)
            continue
        for k, kind in enumerate(("raised version", "loops version")):
            compared[f"{name} ({kind})"] = (sides_a[k] if sides_a else name,
                                            sides_b[k] if sides_b else name)
    return compared


def _names(text: str) -> list[str]:
    return [k.name for k in load_text(text).kernels]


def _printed(text: str) -> dict[str, str]:
    """Each function as the bindings print it, named `@_` and without its visibility."""
    module = load_text(text).module
    printed = {}
    for op in module.body.operations:
        if op.operation.name != "func.func":
            continue
        name = ir.StringAttr(op.attributes["sym_name"]).value
        head, _, body = str(op).partition("\n")
        head = head.replace(f"@{name}(", "@_(", 1).replace("func.func private ", "func.func ")
        printed[name] = head + "\n" + body
    return printed


def _identical(compared: dict[str, tuple[str, str]], text_a: str, text_b: str) -> set[str]:
    """The comparisons of two differently named functions with the very same code (a
    guard's loops version is the original, kept as it was): equal without a proof."""
    printed_a, printed_b = _printed(text_a), _printed(text_b)
    return {label for label, (fa, fb) in compared.items()
            if fa != fb and printed_a.get(fa) is not None and
            printed_a.get(fa) == printed_b.get(fb)}


def check_files(args: argparse.Namespace) -> int:
    text_a, text_b = _read(args.a), _read(args.b)
    names = _pairs(args.a, text_a, args.b, text_b, args.func)
    compared = _compared(names, text_a, text_b)
    identical = _identical(compared, text_a, text_b)
    results: dict[str, list[Verdict]] = {n: [] for n in compared}
    for label in identical:
        a, _ = compared.pop(label)
        results[label].append(Verdict("identical", (), f"@{label}: equivalent: the same code "
                                                       f"as @{a} of {args.a}"))
    for mapping in _extent_tuples(text_a, args.no_resize):
        try:
            small_a = resize_text(text_a, mapping) if mapping else text_a
            small_b = resize_text(text_b, mapping) if mapping else text_b
            lowered_a, lowered_b = _lower(small_a, args.a), _lower(small_b, args.b)
        except (ResizeError, LoadError) as err:
            raise CheckError(f"{args.b}:1:1: error: cannot resize both modules alike: "
                             f"{err}") from None
        extents = tuple(mapping.values()) if mapping else tuple(shape_extents(text_a))
        for name, pair in compared.items():
            if results[name] and results[name][-1].status != "proved":
                continue
            try:
                verdict = _check_function(name, pair, lowered_a, lowered_b, extents,
                                          (args.a, args.b), args)
            except (Unsupported, NotImplementedError, KeyError, IndexError) as err:
                if os.environ.get("BUDDY_RAISE_DEBUG"):
                    raise
                verdict = Verdict("unproved", extents,
                                  f"@{name}: UNPROVED: cannot interpret: {err}")
            results[name].append(verdict)
    return _report(results)


def _report(results: dict[str, list[Verdict]]) -> int:
    code = EXIT_PROVED
    for name, verdicts in results.items():
        last = verdicts[-1]
        if last.status == "identical":
            print(last.text)
            continue
        if last.status == "proved":
            tuples = " and ".join(str(v.extents) for v in verdicts)
            bits = f" and on {last.text} bit-vectors (wrap-around)" if last.text else ""
            print(f"@{name}: equivalent: proved by Z3 over the reals (equal up to "
                  f"reassociation){bits}, bounded: at extents {tuples}")
            continue
        print(last.text)
        code = EXIT_REFUTED
    return code


def run_check(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    try:
        return check_files(args)
    except CheckError as err:
        print(str(err), file=sys.stderr)
        return EXIT_ERROR

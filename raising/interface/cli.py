"""buddy-raise: raise affine loop nests to linalg or stablehlo, proved equivalent.

    buddy-raise kernel.mlir [-o raised.mlir] [--report r.json] ...
    buddy-raise a.mlir b.mlir polybench/kernels [-o DIR] [--jobs N]     (batch mode)
    buddy-raise check A.mlir B.mlir [--func F]   prove two modules' functions equivalent
                                                 (raising/verify/check.py)

Exit status: 0 every loop nest raised and proved; 1 the output is valid but something stayed
unraised (or was emitted unproved); 2 bad input, an output that cannot be written, or an
internal error (batch: the worst over the files); 130 / 143 interrupted by SIGINT / SIGTERM
(batch: the files done are written whole and the report lists the rest as not done).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence

from lowering.lower import LoweringError, emit_llvm_ir
from raising.frontend.load import LoadError
from raising.interface import batch, cluster
from raising.interface.api import (
    OutputError,
    Terminated,
    make_options,
    raise_module,
    read_input,
    report_json,
    same_file,
    write_atomic,
)
from raising.interface.signals import resend_interrupts_from_destructors
from raising.pipeline import FP_MODES, TARGETS, RaiseResult

EXIT_ERROR = 2  # 0 and 1 come from the pipeline's result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="buddy-raise",
        description="Raise affine loop nests to linalg/stablehlo by equivalence-checked "
                    "program synthesis.")
    parser.add_argument("inputs", nargs="+", metavar="input",
                        help="input .mlir file ('-' for stdin); several files or a folder "
                             "(its *.mlir files) for batch mode")
    parser.add_argument("-o", "--output", default="-",
                        help="output file (default: stdout); in batch mode a folder that "
                             "gets each raised file under its own name (default: none)")
    parser.add_argument("--target", choices=TARGETS, default="linalg",
                        help="dialect of the raised ops (default: linalg)")
    parser.add_argument("--report", help="write a JSON report to this file (batch mode: one "
                                             "report for all files)")
    parser.add_argument("--stats", action="store_true",
                        help="print search statistics (rejections per reason) to stderr")
    parser.add_argument("--crosscheck", choices=("auto", "full", "small", "none"),
                        default="auto", help="compiled cross-check size (default: auto = "
                        "kernel size unless too slow, then a resized copy)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="search time limit per problem, seconds (default: 60)")
    parser.add_argument("--file-timeout", type=float, default=None, metavar="S",
                        help="time limit per file, seconds: loop nests not started by then "
                             "stay unraised; a hard stop follows a little later (default: "
                             "none)")
    parser.add_argument("-j", "--jobs", type=int, default=None,
                        help="batch mode: files raised in parallel processes (default: 1; "
                             "with --cluster local: its worker processes, default 2)")
    parser.add_argument("--cluster", metavar="ADDRESS", default=None,
                        help="batch mode on a Dask cluster: a scheduler address "
                             "(tcp://host:8786), or 'local' to start one on this machine for "
                             "the batch; the client reads inputs and writes outputs")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--no-timings", "--deterministic", dest="timings",
                        action="store_false",
                        help="leave wall-clock times out of the report and the summary, so "
                             "the same input and seed give byte-identical files")
    parser.add_argument("--max-size", type=int, default=3,
                        help="enumeration depth; programs up to 2*N+1 ops (default: 3)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    parser.add_argument("--emit", choices=("mlir", "llvm"), default="mlir",
                        help="output the raised MLIR (default) or LLVM IR of it, tiled and "
                             "vectorized for --arch (lowering.lower)")
    parser.add_argument("--arch", choices=("x86_64", "riscv64"), default="x86_64",
                        help="target of --emit llvm (default x86_64; riscv64: scalable RVV)")
    parser.add_argument("--fp", choices=FP_MODES, default="real",
                        help="arithmetic of the proofs: real (default; equal up to "
                             "reassociation) or ieee (Z3 floating point, bit-exact: "
                             "reassociated reductions are refused)")
    parser.add_argument("--allow-unproved", action="store_true",
                        help="emit a region Z3 could not decide (unknown/timeout), marked "
                             "'// buddy-raise: UNPROVED' and result 'unproved' in the report")
    parser.add_argument("--abi", choices=("memref", "tensor"), default="memref",
                        help="memref (default): the raised code spliced into each function, "
                             "signature unchanged; tensor: each fully raised function as a "
                             "pure function on tensors, for IREE and XLA")
    parser.add_argument("--assume-noalias", action="store_true",
                        help="promise that no two memref arguments share memory: emit the "
                             "raised code without the aliasing guard that otherwise runs the "
                             "original loops when buffers overlap")
    parser.add_argument("--z3-timeout", type=float, default=10.0, metavar="S",
                        help="Z3 time limit per equivalence query, seconds (default: 10)")
    return parser


def _proof_summary(proof: dict) -> str:  # type: ignore[type-arg]
    """e.g. "proved by Z3 (reals ...) for all sizes, at extents (3, 5, 7) and (5, 7, 3)"."""
    tuples = " and ".join(f"({', '.join(map(str, e))})" for e in proof["extents_checked"])
    verdict = "proved" if proof["result"] == "proved" else proof["result"].upper()
    scope = "for all sizes" if proof.get("all_sizes") else "bounded"
    return f"{verdict} by Z3 ({proof['arithmetic']}) {scope}, at extents {tuples}"


def _summary(result: RaiseResult, timings: bool = True) -> str:
    lines = []
    for func in result.report["functions"]:  # type: ignore[attr-defined]
        for region in func["regions"]:
            where = ".".join(map(str, region.get("path", [region["index"]])))
            head = f"{region['loc']}: {func['name']}: loop nest {where}"
            if region["status"] == "raised":
                lines.append(f"{head}: raised to {', '.join(region['ops'])}; "
                             f"{_proof_summary(region['proof'])}")
                if timings:
                    lines[-1] += f"; {region['synthesis_seconds']:.3f} s"
            else:
                lines.append(f"{head}: unraised: {region.get('reason', '')}")
        check = func.get("crosscheck")
        if check:
            verdict = "passed" if check["passed"] else "FAILED"
            where = f"{check['size']} size {check['extents']}"
            if check["size"] == "runtime":  # dynamic shapes: runs at sizes of their own
                where = "runtime sizes " + "; ".join(
                    " ".join(f"{k}={v}" for k, v in run.items()) for run in check["extents"])
            lines.append(f"{func['loc']}: {func['name']}: compiled cross-check {verdict} at "
                         f"{where} ({check['detail']})")
        tensor = func.get("tensor_abi")
        if tensor:
            lines.append(f"{func['loc']}: {func['name']}: " + (
                f"error: {tensor['error']}" if "error" in tensor else
                f"tensor ABI: ({', '.join(tensor['params'])}) -> "
                f"({', '.join(tensor['results'])})"))
        aliasing = func.get("aliasing")
        if aliasing and aliasing["policy"] != "not needed":
            lines.append(f"{func['loc']}: {func['name']}: aliasing: {aliasing['detail']}")
    report = result.report
    if report.get("error"):
        lines.append(f"{report['input']}: {report['error']}")
    seconds = f" in {report['total_seconds']:.2f} s" if timings else ""
    lines.append(f"raised {report['raised_regions']}/{report['total_regions']} loop nests"
                 f"{seconds}")
    return "\n".join(lines)


def _progress(message: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r\033[K... {message}")
        sys.stderr.flush()


def _batch_progress(done: int, total: int, outcome: batch.FileOutcome) -> None:
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r\033[K[{'#' * filled}{'.' * (width - filled)}] {done}/{total} "
                     f"{os.path.basename(outcome.path)}")
    sys.stderr.flush()


def _run_batch(args: argparse.Namespace) -> int:
    if "-" in args.inputs or args.emit != "mlir":
        print("buddy-raise: error: batch mode takes files and folders (not '-') and emits "
              "MLIR only", file=sys.stderr)
        return EXIT_ERROR
    if not batch.expand_inputs(args.inputs):
        print(f"buddy-raise: error: no .mlir files in {', '.join(args.inputs)}",
              file=sys.stderr)
        return EXIT_ERROR
    tty = sys.stderr.isatty() and not args.quiet
    output_dir = None if args.output == "-" else args.output
    interrupted = None
    progress = _batch_progress if tty else None
    try:
        if args.cluster:
            result = cluster.raise_files_on_cluster(
                args.inputs, _options(args), args.cluster, workers=args.jobs or 2,
                output_dir=output_dir, progress=progress)
        else:
            result = batch.raise_files(args.inputs, _options(args), jobs=args.jobs or 1,
                                       output_dir=output_dir, progress=progress)
    except cluster.ClusterError as err:
        print(f"buddy-raise: {err}", file=sys.stderr)
        return EXIT_ERROR
    except ValueError as err:
        print(f"buddy-raise: error: {err}", file=sys.stderr)
        return EXIT_ERROR
    except OutputError as err:
        print(str(err), file=sys.stderr)
        return EXIT_ERROR
    except batch.BatchInterrupted as err:
        interrupted, result = err, err.result
    finally:
        if tty:
            sys.stderr.write("\r\033[K")
    for outcome in result.files:
        for message in outcome.messages:
            if not args.quiet or ": error:" in message:
                print(message, file=sys.stderr)
        if not args.quiet and outcome.exit_code != EXIT_ERROR:
            print(f"{outcome.path}: raised {outcome.raised}/{outcome.total} loop nests",
                  file=sys.stderr)
    if args.report:
        try:
            batch.write_report(args.report, result, args.timings)
        except OutputError as err:
            print(str(err), file=sys.stderr)
            return EXIT_ERROR
    if interrupted is not None:
        print(f"buddy-raise: {interrupted}: {len(result.files)} of "
              f"{len(result.files) + len(result.not_done)} files done (outputs written whole); "
              f"not done: {', '.join(result.not_done) or 'none'}", file=sys.stderr)
        return _interrupt_code(interrupted.signal_name)
    if not args.quiet:
        print(result.summary(args.timings), file=sys.stderr)
    return result.exit_code


def _interrupt_code(signal_name: str) -> int:
    """The shell's status for a process a signal ended: 128 + its number."""
    return 128 + (signal.SIGTERM if signal_name == "SIGTERM" else signal.SIGINT)


def _options(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    return make_options(target=args.target, timeout=args.timeout, max_size=args.max_size,
                        crosscheck=args.crosscheck, seed=args.seed,
                        file_timeout=args.file_timeout, fp=args.fp,
                        allow_unproved=args.allow_unproved, z3_timeout=args.z3_timeout,
                        assume_noalias=args.assume_noalias, abi=args.abi)


def _warn(message: str) -> None:
    print(message, file=sys.stderr)


def run(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if (args.jobs is not None and args.jobs < 1) or (args.file_timeout is not None and args.file_timeout <= 0):
        print("buddy-raise: error: --jobs and --file-timeout must be positive", file=sys.stderr)
        return EXIT_ERROR
    if len(args.inputs) > 1 or os.path.isdir(args.inputs[0]) or args.cluster:
        return _run_batch(args)
    source = args.inputs[0]
    path = "<stdin>" if source == "-" else source
    for target in (args.output, args.report):
        if target and target != "-" and source != "-" and same_file(source, target):
            print(f"buddy-raise: error: refusing to overwrite the input file {source}",
                  file=sys.stderr)
            return EXIT_ERROR
    try:
        text = sys.stdin.read() if source == "-" else read_input(source)
        result = raise_module(text, path, _options(args), warn=_warn,
                              progress=None if args.quiet else _progress)
    except LoadError as err:
        print("\n".join(err.diagnostics), file=sys.stderr)
        return EXIT_ERROR
    finally:
        if sys.stderr.isatty() and not args.quiet:
            sys.stderr.write("\r\033[K")
    output = result.text
    if args.emit == "llvm":
        try:
            output = emit_llvm_ir(result.text, "raised", args.arch)
        except LoweringError as err:
            print(f"buddy-raise: error: lowering to LLVM IR failed: {err}", file=sys.stderr)
            return EXIT_ERROR
    try:
        if args.output == "-":
            sys.stdout.write(output)
        else:
            write_atomic(args.output, output)
        if args.report:
            write_atomic(args.report, report_json(result.report, args.timings))
    except OutputError as err:
        print(str(err), file=sys.stderr)
        return EXIT_ERROR
    if not args.quiet:
        print(_summary(result, args.timings), file=sys.stderr)
    if args.stats:
        print(f"search: {result.stats.format()}", file=sys.stderr)
    return result.exit_code


def _terminated(signum: int, frame: object) -> None:
    raise Terminated()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)  # unwound like Ctrl-C: nothing half-written
        resend_interrupts_from_destructors()
    try:
        if argv[:1] == ["check"]:  # buddy-raise check A.mlir B.mlir (./check: a file)
            from raising.verify.check import run_check
            code = run_check(argv[1:])
        else:
            code = run(argv)
    except KeyboardInterrupt as err:
        name = "SIGTERM" if isinstance(err, Terminated) else "SIGINT"
        print(f"buddy-raise: interrupted by {name} (no file is left half-written)", file=sys.stderr)
        code = _interrupt_code(name)
    except Exception as err:  # an internal error: say what, no traceback unless asked
        if os.environ.get("BUDDY_RAISE_DEBUG"):
            raise
        print(f"buddy-raise: internal error: {type(err).__name__}: {err} "
              f"(set BUDDY_RAISE_DEBUG=1 for a traceback)", file=sys.stderr)
        code = EXIT_ERROR
    return code


if __name__ == "__main__":
    sys.exit(main())

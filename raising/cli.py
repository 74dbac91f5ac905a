"""buddy-raise: raise affine loop nests to linalg or stablehlo, proved equivalent.

Exit status: 0 every loop nest raised and proved; 1 the output is valid but something stayed
unraised; 2 bad input or an internal error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from raising.load import LoadError
from raising.lower import LoweringError, emit_llvm_ir
from raising.pipeline import TARGETS, RaiseOptions, RaiseResult, raise_text
from synth.search import SearchConfig

EXIT_ERROR = 2  # 0 and 1 come from the pipeline's result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="buddy-raise",
        description="Raise affine loop nests to linalg/stablehlo by equivalence-checked "
                    "program synthesis.")
    parser.add_argument("input", help="input .mlir file ('-' for stdin)")
    parser.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    parser.add_argument("--target", choices=TARGETS, default="linalg",
                        help="dialect of the raised ops (default: linalg)")
    parser.add_argument("--report", help="write a JSON report to this file")
    parser.add_argument("--stats", action="store_true",
                        help="print search statistics (rejections per reason) to stderr")
    parser.add_argument("--crosscheck", choices=("auto", "full", "small", "none"),
                        default="auto", help="compiled cross-check size (default: auto = "
                        "kernel size unless too slow, then a resized copy)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="search time limit per problem, seconds (default: 60)")
    parser.add_argument("--max-size", type=int, default=3,
                        help="enumeration depth; programs up to 2*N+1 ops (default: 3)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    parser.add_argument("--emit", choices=("mlir", "llvm"), default="mlir",
                        help="output the raised MLIR (default) or LLVM IR of it, tiled and "
                             "vectorized for --arch (raising.lower)")
    parser.add_argument("--arch", choices=("x86_64", "riscv64"), default="x86_64",
                        help="target of --emit llvm (default x86_64; riscv64: scalable RVV)")
    return parser


def _read_input(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _summary(result: RaiseResult) -> str:
    lines = []
    for func in result.report["functions"]:  # type: ignore[attr-defined]
        for region in func["regions"]:
            where = ".".join(map(str, region.get("path", [region["index"]])))
            head = f"{region['loc']}: {func['name']}: loop nest {where}"
            if region["status"] == "raised":
                proof = region["proof"]
                lines.append(f"{head}: raised to {', '.join(region['ops'])}; "
                             f"{proof['result']} by Z3 at extents {proof['extents_checked']}; "
                             f"{region['synthesis_seconds']:.3f} s")
            else:
                lines.append(f"{head}: unraised: {region.get('reason', '')}")
        check = func.get("crosscheck")
        if check:
            verdict = "passed" if check["passed"] else "FAILED"
            lines.append(f"{func['loc']}: {func['name']}: compiled cross-check {verdict} at "
                         f"{check['size']} size {check['extents']} ({check['detail']})")
    report = result.report
    lines.append(f"raised {report['raised_regions']}/{report['total_regions']} loop nests "
                 f"in {report['total_seconds']:.2f} s")
    return "\n".join(lines)


def _progress(message: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r\033[K... {message}")
        sys.stderr.flush()


def run(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    path = "<stdin>" if args.input == "-" else args.input
    try:
        text = _read_input(args.input)
    except (OSError, UnicodeDecodeError) as err:
        print(f"{path}:1:1: error: cannot read input: {err}", file=sys.stderr)
        return EXIT_ERROR
    if args.output != "-" and args.input != "-" and _same_file(args.input, args.output):
        print(f"buddy-raise: error: refusing to overwrite the input file {args.input}",
              file=sys.stderr)
        return EXIT_ERROR
    options = RaiseOptions(target=args.target, crosscheck=args.crosscheck,
                           config=SearchConfig(max_size=args.max_size, timeout_s=args.timeout))
    try:
        result = raise_text(text, path, options, progress=None if args.quiet else _progress)
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
    if args.output == "-":
        sys.stdout.write(output)
    else:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(output)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as handle:
            json.dump(result.report, handle, indent=2, sort_keys=False)
            handle.write("\n")
    if not args.quiet:
        print(_summary(result), file=sys.stderr)
    if args.stats:
        print(f"search: {result.stats.format()}", file=sys.stderr)
    return result.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = run(argv)
    except KeyboardInterrupt:
        print("buddy-raise: interrupted", file=sys.stderr)
        code = EXIT_ERROR
    except Exception as err:  # an internal error: say what, no traceback unless asked
        if os.environ.get("BUDDY_RAISE_DEBUG"):
            raise
        print(f"buddy-raise: internal error: {type(err).__name__}: {err} "
              f"(set BUDDY_RAISE_DEBUG=1 for a traceback)", file=sys.stderr)
        code = EXIT_ERROR
    return code


if __name__ == "__main__":
    sys.exit(main())

"""Synthesis benchmark: per kernel, synthesis seconds, candidates enumerated, proof status.

    python -m polybench.bench_synth [KERNEL ...|all|FILE.mlir|DIR ...] [--target linalg|stablehlo]
        [--median-budget 1] [--full-budget 10] [--timeout S] [--with-crosscheck]

A FILE or DIR argument benchmarks those files (a folder: its *.mlir files), e.g. the
corpora `tests/corpus` and `tests/foreign`; `--with-crosscheck` adds the whole raise with
the compiled cross-check (what `buddy-raise FILE` costs) as a last column.

Budgets (issue 4): median synthesis time per kernel <= 1 s; every fully raised kernel
<= 10 s. Exit 0 when both hold.

Synthesis time is the search (enumeration + Z3) plus the region's further proofs (a second
bounded proof at other extents, the all-sizes canonical-form proof) summed over a kernel's
loop nests; the compiled cross-check is not part of it and is skipped here.

Proof column: regions proved by Z3 (bounded, at two extent tuples) / regions; then how many
of the proved ones are proved for all sizes (canonical forms), e.g. "2/2 z3, 1 all".
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
import time
from typing import Any, cast

from raising.pipeline import RaiseOptions, raise_text
from synth.search import SearchConfig

KERNELS = pathlib.Path(__file__).parent / "kernels"
DEFAULT = ("gemm", "2mm", "atax", "bicg", "mvt", "gesummv")


def _first_reason(regions: list[dict]) -> str:  # type: ignore[type-arg]
    reasons = [r.get("reason", "") for r in regions if r["status"] != "raised"]
    return reasons[0][:70] if reasons else ""


def _whole_raise(path: pathlib.Path, target: str, timeout: float) -> float:
    start = time.monotonic()
    raise_text(path.read_text(), str(path),
               RaiseOptions(target=target, config=SearchConfig(timeout_s=timeout)))
    return time.monotonic() - start


def _paths(names: list[str]) -> list[tuple[str, pathlib.Path]]:
    """(row name, file) for kernel names, files and folders."""
    found = []
    for name in names:
        given = pathlib.Path(name)
        if given.is_dir():
            found += [(p.stem, p) for p in sorted(given.glob("*.mlir"))]
        elif given.suffix == ".mlir":
            found.append((given.stem, given))
        else:
            found.append((name, KERNELS / f"{name}.mlir"))
    return found


def _row(name: str, path: pathlib.Path, target: str, timeout: float
         ) -> tuple[str, float, str]:
    start = time.monotonic()
    options = RaiseOptions(target=target, crosscheck="none",
                           config=SearchConfig(timeout_s=timeout))
    result = raise_text(path.read_text(), str(path), options)
    wall = time.monotonic() - start
    functions = cast("list[dict[str, Any]]", result.report["functions"])  # the JSON report's
    regions = [r for f in functions for r in f["regions"]]
    synth = sum(r["synthesis_seconds"] for r in regions)
    raised = sum(r["status"] == "raised" for r in regions)
    proved = sum(r["proof"]["result"] == "proved" for r in regions)
    all_sizes = sum(bool(r["proof"].get("all_sizes")) for r in regions)
    full = bool(regions) and raised == len(regions)
    status = "full" if full else "partial" if raised else "none"
    ops = sorted({o for r in regions for o in r["ops"]})
    proof = f"{proved}/{len(regions)} z3, {all_sizes} all" if regions else "-"
    note = "" if full else f"  {_first_reason(regions)}"
    line = (f"{name:<16}{status:>8}{len(regions):>6}{raised:>7}{proof:>16}{synth:>9.3f}"
            f"{wall:>8.2f}{result.stats.enumerated:>11}  {','.join(ops)}{note}")
    return line, synth, status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m polybench.bench_synth")
    parser.add_argument("kernels", nargs="*", default=list(DEFAULT),
                        help="kernel names, or 'all' for every kernel in polybench/kernels")
    parser.add_argument("--target", default="linalg", choices=("linalg", "stablehlo"))
    parser.add_argument("--median-budget", type=float, default=1.0, help="seconds")
    parser.add_argument("--full-budget", type=float, default=10.0,
                        help="seconds per fully raised kernel")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per problem")
    parser.add_argument("--with-crosscheck", action="store_true",
                        help="also time the whole raise with the compiled cross-check")
    args = parser.parse_args(argv)
    if args.kernels == ["all"]:
        args.kernels = sorted(p.stem for p in KERNELS.glob("*.mlir"))
    header = f"{'kernel':<16}{'status':>8}{'nests':>6}{'raised':>7}{'proof':>16}" \
             f"{'synth s':>9}{'wall s':>8}{'candidates':>11}  ops / first reason unraised"
    print(header)
    print("-" * len(header))
    times, slow_full, n_full, n_partial, wholes = [], [], 0, 0, []
    for name, path in _paths(args.kernels):
        if not path.exists():
            print(f"{name:<16} missing: {path}", file=sys.stderr)
            return 2
        line, synth, status = _row(name, path, args.target, args.timeout)
        full = status == "full"
        n_partial += status == "partial"
        if args.with_crosscheck:
            wholes.append(_whole_raise(path, args.target, args.timeout))
            line += f"  [raise+crosscheck {wholes[-1]:.2f} s]"
        print(line, flush=True)
        times.append(synth)
        n_full += full
        if full and synth > args.full_budget:
            slow_full.append(name)
    median = statistics.median(times)
    ok = median <= args.median_budget and not slow_full
    print(f"{n_full}/{len(times)} fully raised, {n_full + n_partial}/{len(times)} fully or "
          f"partly; median synthesis {median:.3f} s "
          f"(budget {args.median_budget:g} s); fully raised over {args.full_budget:g} s: "
          f"{', '.join(slow_full) or 'none'}; max {max(times):.2f} s")
    if wholes:
        print(f"whole raise with the compiled cross-check: median "
              f"{statistics.median(wholes):.2f} s, max {max(wholes):.2f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

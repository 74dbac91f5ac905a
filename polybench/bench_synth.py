"""Synthesis benchmark: per kernel, synthesis seconds, candidates enumerated, proof status.

    python -m polybench.bench_synth [KERNEL ...] [--target linalg|stablehlo] [--budget 5]

Synthesis time is the search (enumeration + Z3) summed over a kernel's loop nests; the
compiled cross-check is not part of it and is skipped here.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time

from raising.pipeline import RaiseOptions, raise_text

KERNELS = pathlib.Path(__file__).parent / "kernels"
DEFAULT = ("gemm", "2mm", "atax", "bicg", "mvt", "gesummv")


def _first_reason(regions: list[dict]) -> str:  # type: ignore[type-arg]
    reasons = [r.get("reason", "") for r in regions if r["status"] != "raised"]
    return reasons[0][:70] if reasons else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m polybench.bench_synth")
    parser.add_argument("kernels", nargs="*", default=list(DEFAULT),
                        help="kernel names, or 'all' for every kernel in polybench/kernels")
    parser.add_argument("--target", default="linalg", choices=("linalg", "stablehlo"))
    parser.add_argument("--budget", type=float, default=5.0, help="seconds per kernel")
    args = parser.parse_args(argv)
    if args.kernels == ["all"]:
        args.kernels = sorted(p.stem for p in KERNELS.glob("*.mlir"))
    header = f"{'kernel':<16}{'nests':>6}{'raised':>7}{'proved':>7}{'synth s':>10}" \
             f"{'wall s':>8}{'enumerated':>11}{'z3':>5}  ops"
    print(header)
    print("-" * len(header))
    over = 0
    for name in args.kernels:
        path = KERNELS / f"{name}.mlir"
        if not path.exists():
            print(f"{name:<16} missing: {path}", file=sys.stderr)
            over += 1
            continue
        start = time.monotonic()
        result = raise_text(path.read_text(), str(path),
                            RaiseOptions(target=args.target, crosscheck="none"))
        wall = time.monotonic() - start
        regions = [r for f in result.report["functions"] for r in f["regions"]]
        synth = sum(r["synthesis_seconds"] for r in regions)
        raised = sum(r["status"] == "raised" for r in regions)
        proved = sum(r["proof"]["result"] == "proved" for r in regions)
        ops = sorted({o for r in regions for o in r["ops"]})
        flag = "" if synth <= args.budget else "  OVER BUDGET"
        flag += "" if raised == len(regions) else f"  unraised: {_first_reason(regions)}"
        over += bool(flag)
        print(f"{name:<16}{len(regions):>6}{raised:>7}{proved:>7}{synth:>10.3f}{wall:>8.2f}"
              f"{result.stats.enumerated:>11}{result.stats.checked:>5}  {','.join(ops)}{flag}")
    print(f"budget {args.budget:g} s per kernel: "
          f"{'all within' if not over else f'{over} kernel(s) over or unraised'}")
    return 0 if not over else 1


if __name__ == "__main__":
    sys.exit(main())

"""Issue 17's targets read off one evaluation run: the ratios `results.md` states under
"Against the targets", each with the target it is held to and whether it is met.

`python -m polybench.targets OUT_DIR` prints the same section from a finished run's
`cpu.csv` and `rvv.csv` (e.g. `out/evaluate` of `make bench-eval`).
"""

from __future__ import annotations

import csv
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# PolyBench's groups, as the issue names them.
STENCILS = ("jacobi-1d", "jacobi-2d", "heat-3d", "fdtd-2d")
MEMORY_BOUND = ("atax", "bicg", "mvt", "gesummv", "gemver")
CONTRACTIONS = ("2mm", "3mm", "gemm", "symm", "syr2k", "syrk", "trmm", "covariance",
                "correlation", "doitgen")


@dataclass
class Row:
    """One measured variant of one kernel (polybench.evaluate's rows, a CSV's lines)."""

    kernel: str
    variant: str
    seconds: float | None = None
    instructions: int | None = None
    speedup: float | None = None
    check: str = ""
    status: str = ""


def _geomean(values: Sequence[float]) -> float | None:
    positive = [v for v in values if v > 0]
    return math.exp(sum(map(math.log, positive)) / len(positive)) if positive else None


def _verdict(value: float | None, target: float) -> str:
    if value is None:
        return "not measured"
    return "met" if value >= target else "missed"


def _fmt(pairs: Sequence[tuple[str, float]]) -> str:
    return ", ".join(f"{k} {v:.2f}x" for k, v in pairs) or "none"


def _seconds(rows: Sequence[Row]) -> dict[tuple[str, str], float]:
    return {(r.kernel, r.variant): r.seconds for r in rows
            if r.seconds and r.check.startswith("ok")}


def _ratios(times: dict[tuple[str, str], float], kernels: Sequence[str], over: str,
            under: str) -> list[tuple[str, float]]:
    """Per kernel: time of `over` / time of `under` (above 1: `under` is faster)."""
    return [(k, times[(k, over)] / times[(k, under)]) for k in kernels
            if (k, over) in times and (k, under) in times]


def cpu_lines(rows: Sequence[Row], threads: int) -> list[str]:
    times = _seconds(rows)
    full = sorted({r.kernel for r in rows if r.status == "raised"})
    lines = []
    one = _ratios(times, full, "numpy", "raised-linalg")
    mean = _geomean([v for _, v in one])
    low = sorted(one, key=lambda kv: kv[1])
    lines.append(
        f"- One thread, numpy / raised-linalg over the {len(one)} fully raised kernels: "
        f"geomean **{mean:.2f}x** (target ≥ 1.2: {_verdict(mean, 1.2)})" if mean else
        "- One thread: numpy or raised-linalg not measured")
    if low:
        below = [kv for kv in low if kv[1] < 0.9]
        lines.append(f"- Lowest: {_fmt(low[:3])}; below 0.9x (target: none): "
                     f"{_fmt(below)}")
    gemm = dict(one).get("gemm")
    if gemm is not None:
        lines.append(f"- gemm: {gemm:.2f}x of OpenBLAS through numpy (target ≥ 0.95: "
                     f"{_verdict(gemm, 0.95)})")
    if threads > 1:
        lines.extend(_thread_lines(times, full, threads))
    lines.extend(_baseline_lines(rows))
    return lines


def _thread_lines(times: dict[tuple[str, str], float], full: Sequence[str],
                  threads: int) -> list[str]:
    mine = f"raised-linalg-{threads}t"
    lines = []
    for peer, label in ((f"numpy-{threads}t", f"numpy-{threads}t"), ("xla", "XLA")):
        pairs = _ratios(times, full, peer, mine)
        mean = _geomean([v for _, v in pairs])
        if mean:
            lines.append(f"- {threads} threads, {label} / {mine} over {len(pairs)}: geomean "
                         f"**{mean:.2f}x** (target ≥ 1.2: {_verdict(mean, 1.2)})")
    scaling = _ratios(times, [k for k in CONTRACTIONS if k in full], "raised-linalg", mine)
    if scaling:
        short = [kv for kv in scaling if kv[1] < 1.8]
        lines.append(f"- Compute-bound kernels, raised-linalg / {mine}: {_fmt(scaling)} "
                     f"(target ≥ 1.8 each: {'met' if not short else 'missed'})")
    return lines


def _baseline_lines(rows: Sequence[Row]) -> list[str]:
    speedups = {r.kernel: r.speedup for r in rows
                if r.variant == "raised-linalg" and r.speedup and r.check.startswith("ok")}
    slower = sorted((k, v) for k, v in speedups.items() if v < 1.0)
    stencils = [(k, speedups[k]) for k in STENCILS if k in speedups]
    lines = [("- Never slower than the original (raised-linalg over the baseline, every "
              f"kernel that raises): below 1.0x: {_fmt(slower)}")]
    if stencils:
        short = [kv for kv in stencils if kv[1] < 1.5]
        lines.append(f"- Stencils: {_fmt(stencils)} (target ≥ 1.5 each: "
                     f"{'met' if not short else 'missed'})")
    return lines


def rvv_lines(rows: Sequence[Row], size: str) -> list[str]:
    full = [r for r in rows if r.variant == "raised-linalg" and r.status == "raised" and
            r.speedup and r.check.startswith("ok")]
    mean = _geomean([r.speedup for r in full if r.speedup])
    target = {"SMALL": 8.0, "MINI": 4.0}.get(size)
    if mean is None:
        return []
    aim = f" (target ≥ {target:g}: {_verdict(mean, target)})" if target else ""
    every = [r for r in rows if r.variant == "raised-linalg" and r.speedup]
    slower = sorted((r.kernel, r.speedup) for r in every if r.speedup and r.speedup < 1.0)
    return [(f"- RVV at {size}, fewer dynamic instructions than the baseline, raised-linalg "
             f"over the {len(full)} fully raised kernels: geomean **{mean:.2f}x**{aim}; "
             f"kernels below 1.0x: {_fmt(slower)}")]


def summary(cpu: Sequence[Row], rvv: Sequence[Row], threads: int,
            rvv_size: str) -> str:
    lines = (cpu_lines(cpu, threads) if cpu else []) + (rvv_lines(rvv, rvv_size) if rvv else [])
    if not lines:
        return ""
    return "## Against the targets (issue 17)\n\n" + "\n".join(lines) + "\n"


def read_rows(path: Path) -> list[Row]:
    """The rows of a cpu.csv or rvv.csv."""
    if not path.exists():
        return []
    out = []
    with open(path, newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            out.append(Row(record["kernel"], record["variant"],
                           float(record["seconds"]) if record.get("seconds") else None,
                           int(record["instructions"]) if record.get("instructions") else None,
                           float(record["speedup"]) if record.get("speedup") else None,
                           record.get("check", ""), record.get("status", "")))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m polybench.targets OUT_DIR   (a run's cpu.csv / rvv.csv)",
              file=sys.stderr)
        return 2
    out = Path(args[0])
    cpu, rvv = read_rows(out / "cpu.csv"), read_rows(out / "rvv.csv")
    threads = max([int(r.variant.split("-")[-1][:-1]) for r in cpu
                   if r.variant.startswith("raised-linalg-") and r.variant.endswith("t")
                   and r.variant.split("-")[-1][:-1].isdigit()] or [1])
    text = summary(cpu, rvv, threads, _rvv_size(out))
    if not text:
        print(f"{out}: error: no cpu.csv or rvv.csv rows", file=sys.stderr)
        return 2
    print(text)
    return 0


def _rvv_size(out: Path) -> str:
    """The RVV dataset named in results.md's heading, else SMALL (the default)."""
    report = out / "results.md"
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    for size in ("MINI", "SMALL", "MEDIUM", "LARGE", "EXTRALARGE"):
        if f"vlen=256, {size}" in text:
            return size
    return "SMALL"


if __name__ == "__main__":
    sys.exit(main())

"""`python -m polybench list | instantiate KERNEL --dataset D [-o OUT]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from polybench.datasets import (
    DATASETS,
    KERNELS,
    UnknownDataset,
    UnknownKernel,
    get,
    instantiate_text,
)


def _format_sizes(values: dict[str, int]) -> str:
    return ",".join(str(v) for v in values.values())


def cmd_list(_args: argparse.Namespace) -> int:
    header = ["kernel", "category", "params", *DATASETS]
    rows = [header]
    for info in KERNELS.values():
        rows.append([info.name, info.category, ",".join(info.params),
                     *(_format_sizes(info.dataset(d)) for d in DATASETS)])
    widths = [max(len(row[c]) for row in rows) for c in range(len(header))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def cmd_instantiate(args: argparse.Namespace) -> int:
    try:
        info = get(args.kernel)
        text = instantiate_text(info.name, args.dataset)
    except (UnknownKernel, UnknownDataset) as err:
        print(f"error: {err.args[0]}", file=sys.stderr)
        return 2
    if args.output in (None, "-"):
        sys.stdout.write(text)
        return 0
    out = Path(args.output)
    if _same_file(out, info.path()):
        print(f"error: refusing to overwrite the kernel source {info.path()}", file=sys.stderr)
        return 2
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as err:
        print(f"error: cannot write {out}: {err.strerror or err}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m polybench", description="The PolyBench/C 4.2.1 kernels as affine MLIR.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the kernels and their dataset sizes")
    inst = sub.add_parser("instantiate", help="write a kernel at a dataset's sizes")
    inst.add_argument("kernel", help="kernel name, e.g. gemm or floyd-warshall")
    inst.add_argument("--dataset", "-d", default="LARGE", type=str.upper,
                      help=f"one of {', '.join(DATASETS)} (default LARGE)")
    inst.add_argument("-o", "--output", help="output file (default: standard output)")
    args = parser.parse_args(argv)
    if args.command == "list":
        return cmd_list(args)
    return cmd_instantiate(args)


if __name__ == "__main__":
    sys.exit(main())

"""How close the raised code gets to this machine's limits: one core's floating-point peak
and its streaming bandwidth, both measured here by small C programs built with the same
clang, and each fully raised kernel's work (multiply-adds of its raised ops, bytes of its
arrays) set against them.

- peak: 16 independent vector FMA chains, 64-byte vectors (two 32-byte halves where the
  host has no 512-bit FMA), best of 3 runs; GFLOP/s counts an FMA as 2.
- bandwidth: the triad a[i] = b[i] + s c[i] over three 64 MiB arrays, best of 5 passes,
  counting 24 bytes per element (write-allocate traffic not counted, as STREAM does).
- a kernel's GFLOP: every linalg op of its raised module, generalized, counts its
  iteration space times the float operations in its body (the algorithm's work as raised:
  a symmetric product counts whole, though the lowering computes half of it).
- a kernel's stream bound: the bytes of all its array arguments, read once (and written
  once where they are outputs: counted once more), at the measured bandwidth.
"""

from __future__ import annotations

import functools
import math
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from torch_mlir import ir

from core import mlir_env
from core.sequential_ops import expand_sequential_ops
from lowering import native
from lowering.schedule import walk

_PEAK_C = r"""
#include <stdio.h>
#include <time.h>
typedef double v8 __attribute__((vector_size(64)));
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);
                          return t.tv_sec + t.tv_nsec * 1e-9; }
int main(void) {
  v8 a[16], b, c; double best = 0, sum = 0;
  for (int k = 0; k < 8; k++) { b[k] = 1.0000001; c[k] = 1e-9; }
  for (int run = 0; run < 3; run++) {
    for (int i = 0; i < 16; i++) for (int k = 0; k < 8; k++) a[i][k] = i + k;
    long n = 20000000; double t0 = now();
    for (long it = 0; it < n; it++) {
#pragma clang loop unroll(full)
      for (int i = 0; i < 16; i++) a[i] = a[i] * b + c;
    }
    double s = now() - t0, rate = n * 16.0 * 8 * 2 / s / 1e9;
    if (rate > best) best = rate;
    for (int i = 0; i < 16; i++) for (int k = 0; k < 8; k++) sum += a[i][k];
  }
  printf("%.3f %g\n", best, sum);
  return 0;
}
"""

_TRIAD_C = r"""
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);
                          return t.tv_sec + t.tv_nsec * 1e-9; }
int main(void) {
  long n = 1L << 23; double *a = malloc(n * 8), *b = malloc(n * 8), *c = malloc(n * 8);
  double best = 1e30, s = 3.0, check = 0;
  for (long i = 0; i < n; i++) { a[i] = 0; b[i] = i; c[i] = 1; }
  for (int pass = 0; pass < 5; pass++) {
    double t0 = now();
    for (long i = 0; i < n; i++) a[i] = b[i] + s * c[i];
    double t = now() - t0; if (t < best) best = t; check += a[n / 2];
  }
  printf("%.3f %g\n", 24.0 * n / best / 1e9, check);
  return 0;
}
"""


@dataclass(frozen=True)
class Machine:
    peak_gflops: float  # one core
    bandwidth_gbs: float  # one core, triad


def _run_c(source: str, flags: tuple[str, ...]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = Path(tmp) / "probe.c", Path(tmp) / "probe"
        src.write_text(source, encoding="utf-8")
        subprocess.run([native.CLANG, "-O2", "-march=native", *flags, str(src), "-o",
                        str(exe)], check=True, capture_output=True, timeout=120)
        out = subprocess.run([str(exe)], check=True, capture_output=True, text=True,
                             timeout=300)
    return float(out.stdout.split()[0])


@functools.cache
def machine() -> Machine:
    """This host's one-core peak and triad bandwidth (measured once per process)."""
    peak = _run_c(_PEAK_C, ("-ffp-contract=fast", "-mprefer-vector-width=512"))
    return Machine(peak, _run_c(_TRIAD_C, ()))


_FLOAT_OPS = {"arith.addf": 1, "arith.subf": 1, "arith.mulf": 1, "arith.divf": 1,
              "arith.maximumf": 1, "arith.minimumf": 1, "arith.maxnumf": 1,
              "arith.minnumf": 1, "math.fma": 2, "math.sqrt": 1, "math.exp": 1}


def raised_flops(raised: str) -> int | None:
    """Floating-point operations of the raised module's linalg ops (its `__loops` copy, the
    aliasing guard's fallback, left out); None where an op has a runtime extent."""
    module = mlir_env.parse_module(raised)
    expand_sequential_ops(module)
    mlir_env.run_pipeline(module, mlir_env.RAISED_GENERALIZE)
    total = 0
    for func in module.body.operations:
        attributes = func.operation.attributes
        if "sym_name" in attributes and \
                ir.StringAttr(attributes["sym_name"]).value.endswith("__loops"):
            continue
        for op in walk(func.operation):
            if op.name != "linalg.generic":
                continue
            per_point = sum(_FLOAT_OPS.get(inner.name, 0) for inner in walk(op))
            extents = _iteration_space(op)
            if extents is None:
                return None
            total += per_point * math.prod(extents)
    return total


def _iteration_space(op: ir.Operation) -> list[int] | None:
    maps = [ir.AffineMapAttr(a).value for a in ir.ArrayAttr(op.attributes["indexing_maps"])]
    extents: dict[int, int] = {}
    for value, amap in zip(op.operands, maps):
        shaped = value.type.maybe_downcast()
        if not isinstance(shaped, ir.ShapedType):
            continue
        for axis, expr in enumerate(amap.results):
            expr = expr.maybe_downcast()
            if isinstance(expr, ir.AffineDimExpr) and not shaped.is_dynamic_dim(axis):
                extents[expr.position] = shaped.shape[axis]
    n_dims = maps[0].n_dims if maps else 0
    if set(extents) != set(range(n_dims)):
        return None
    return [extents[d] for d in range(n_dims)]


def array_bytes(args: list) -> int:
    """Bytes of every array argument: what streaming each once moves."""
    return sum(int(getattr(value, "nbytes", 0)) for value in args)


@dataclass(frozen=True)
class KernelWork:
    name: str
    flops: int
    nbytes: int


def limits_table(work: list[KernelWork], seconds: dict[tuple[str, str], float],
                 host: Machine, variants: tuple[str, ...] = ("raised-linalg", "numpy")) -> str:
    """Markdown: per kernel, GFLOP/s and % of the peak, and time over the stream bound, for
    each variant measured."""
    head = ["kernel", "GFLOP", "MB", "stream bound (s)"]
    for variant in variants:
        head += [f"{variant} GFLOP/s (% of peak)", f"{variant} / bound"]
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---|" * (len(head) - 1)]
    for item in work:
        bound = item.nbytes / (host.bandwidth_gbs * 1e9)
        cells = [item.name, f"{item.flops / 1e9:.3g}", f"{item.nbytes / 1e6:.3g}",
                 f"{bound:.3g}"]
        for variant in variants:
            time = seconds.get((item.name, variant))
            if not time:
                cells += ["—", "—"]
                continue
            rate = item.flops / time / 1e9
            cells += [f"{rate:.3g} ({100 * rate / host.peak_gflops:.0f}%)",
                      f"{time / bound:.2f}x"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def limits_lines(host: Machine) -> str:
    return (f"One core of this machine: peak **{host.peak_gflops:.1f} GFLOP/s** (16 vector "
            f"FMA chains), stream bandwidth **{host.bandwidth_gbs:.1f} GB/s** (triad over "
            "three 64 MiB arrays); both measured by `polybench/roofline.py` in this run. A "
            "kernel's stream bound is the time to move each of its arrays once at that "
            "bandwidth: a memory-bound kernel whose arrays do not fit in the caches cannot "
            "beat it, a compute-bound one sits far above it.")

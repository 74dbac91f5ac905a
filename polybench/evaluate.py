"""Performance comparison: baseline vs raised (linalg, stablehlo) vs numpy, CPU and RVV.

    python -m polybench.evaluate [--size LARGE] [--rvv-size SMALL] [--kernels a,b]
        [--targets cpu,rvv] [--out DIR] [--reps 7] [--threads N] [--variants v,w]
    python -m polybench.evaluate --file MY.mlir [--file ...] [--targets cpu] ...

Per kernel (every kernel buddy-raise raises at least partly, unless --kernels says which):

- baseline: the original affine kernel, straight to LLVM, clang-22 -O3 (-march=native on the
  host, -march=rv64gcv for RVV);
- raised-linalg / raised-stablehlo: buddy-raise's output through lowering.lower's pipeline;
- numpy: polybench.references (what a user would write), BLAS pinned to one thread;
- iree / xla: the raised StableHLO as a pure tensor function (`--abi tensor`) compiled by
  IREE (llvm-cpu, one task worker; `iree-Nt` with --threads N) and by XLA (jax's CPU client,
  its own thread pool), each call timed with its arrays moved in and out;
- with --threads N (CPU): raised-linalg with its parallel loops on N OpenMP threads, and numpy
  with N BLAS threads, reported as separate variants.

Every variant's arrays are checked against the baseline's. CPU: the median of --reps timed
calls (inputs restored between calls, untimed), taken in 3 rounds that alternate the
variants, each run after one untimed warm-up call. RVV: dynamic instructions of one call under
qemu-riscv64 (vlen=256), counted by a TCG plugin; wall-clock under qemu means nothing.
With CPU results, results.md also sets the fully raised kernels against one core's measured
FMA peak and stream bandwidth (polybench.roofline). Writes DIR/cpu.csv and DIR/rvv.csv (kernel, variant, seconds, speedup over the baseline,
instructions for RVV, check, status), DIR/results.md and DIR/cpu_speedup.png /
DIR/rvv_speedup.png (log scale).

Its length: one script from builds to CSV, tables and plots, kept together so a reader
sees every variant measured the same way.
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from torch_mlir import ir

from checkers.jit import NUMPY_DTYPES
from lowering import lower, native
from polybench import clients, roofline, targets
from polybench.datasets import DATASETS, KERNELS, get, instantiate_text
from polybench.inputs import copy_args, defined_outputs, make_args
from polybench.references import REFERENCES
from polybench.targets import Row
from raising.frontend.load import LoadError, load_text
from raising.pipeline import RaiseOptions, raise_text

RAISED = ("linalg", "stablehlo")
CHECK_RTOL = 1e-8


@dataclass
class Prepared:
    """A kernel at one size: its text, raised texts and arguments."""

    name: str
    size: str
    text: str
    raised: dict[str, str]
    status: str  # "raised" (every nest) or "partial"
    args: list
    unguarded: str = ""  # raised linalg without the aliasing guard (--assume-noalias)
    func_name: str = ""
    has_numpy: bool = True  # a PolyBench kernel with a numpy reference (not a user file)
    tensor: str = ""  # the raised StableHLO as a pure tensor function (--abi tensor), if any
    tensor_abi: dict | None = None  # its parameters and results (the report's entry)


# --- progress ----------------------------------------------------------------------------

class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, total: int, width: int = 30) -> None:
        self.total, self.done, self.width = max(total, 1), 0, width
        self.start = time.monotonic()

    def step(self, label: str) -> None:
        self.done += 1
        filled = self.width * self.done // self.total
        elapsed = time.monotonic() - self.start
        sys.stderr.write(f"\r\033[K[{'#' * filled}{'.' * (self.width - filled)}] "
                         f"{self.done}/{self.total} {elapsed:6.0f}s {label}")
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")


# --- checking ------------------------------------------------------------------------------

def compare(expected: Sequence[np.ndarray], actual: Sequence[np.ndarray],
            kernel: str | None = None, dataset: str = "") -> tuple[bool, float]:
    """(all arrays close, worst error relative to each array's largest magnitude); for a
    PolyBench `kernel` at `dataset`, only the outputs its inputs determine."""
    if kernel is not None:
        expected = defined_outputs(kernel, dataset, list(expected))
        actual = defined_outputs(kernel, dataset, list(actual))
    worst = 0.0
    ok = len(expected) == len(actual)
    for a, b in zip(expected, actual):
        if a.shape != b.shape:
            return False, math.inf
        if not a.size:
            continue
        scale = max(1.0, float(np.max(np.abs(a))))
        worst = max(worst, float(np.max(np.abs(a - b))) / scale)
        ok = ok and bool(np.allclose(a, b, rtol=CHECK_RTOL, atol=CHECK_RTOL * scale))
    return ok, worst


def _checked(prepared: Prepared) -> tuple[str | None, str]:
    """compare's kernel and dataset: a PolyBench kernel's, none for a user's file."""
    return (prepared.name if prepared.has_numpy else None), prepared.size


def _check_text(ok: bool, worst: float) -> str:
    return f"ok ({worst:.1e})" if ok else f"MISMATCH ({worst:.1e})"


# --- preparing kernels ---------------------------------------------------------------------

def _raise_both(name: str, text: str) -> tuple[dict[str, str], str, str] | str:
    """Raised texts per dialect, the status and the unguarded linalg text; or why not."""
    raised: dict[str, str] = {}
    statuses = []
    for target in RAISED:
        result = raise_text(text, f"{name}.mlir", RaiseOptions(target=target, crosscheck="none"))
        report = result.report
        if not report["raised_regions"]:  # type: ignore[index]
            return "nothing raised"
        raised[target] = result.text
        statuses.append("raised" if result.exit_code == 0 else "partial")
    status = "raised" if all(s == "raised" for s in statuses) else "partial"
    unguarded = raise_text(text, f"{name}.mlir", RaiseOptions(crosscheck="none",
                                                              assume_noalias=True)).text
    return raised, status, unguarded


def _tensor_form(name: str, text: str) -> tuple[str, dict | None]:
    """The raised StableHLO as a pure tensor function (what IREE and XLA take), or ""."""
    result = raise_text(text, f"{name}.mlir", RaiseOptions(target="stablehlo",
                                                           crosscheck="none", abi="tensor"))
    entry = result.report["functions"][0].get("tensor_abi")  # type: ignore[index]
    if not entry or "error" in entry:
        return "", None
    return result.text, entry


def prepare(name: str, size: str, seed: int = 0) -> Prepared | str:
    """The kernel raised to both dialects at `size`, or the reason it is skipped."""
    info = get(name)
    text = instantiate_text(name, size)
    both = _raise_both(name, text)
    if isinstance(both, str):
        return both
    raised, status, unguarded = both
    args = make_args(info.name, size, np.random.default_rng(seed))
    tensor, tensor_abi = _tensor_form(name, text)
    return Prepared(name, size, text, raised, status, args, unguarded, info.func_name,
                    tensor=tensor, tensor_abi=tensor_abi)


def prepare_file(path: Path, seed: int = 0) -> Prepared | str:
    """A user's MLIR file at its own size: its first function with a body, random inputs
    (normal floats, zero integers), no numpy reference; or why it is skipped."""
    try:
        text = path.read_text(encoding="utf-8")
        kernels = load_text(text, str(path)).kernels
    except (OSError, UnicodeDecodeError, LoadError) as err:
        return f"cannot load: {str(err).splitlines()[0] if str(err) else type(err).__name__}"
    if not kernels:
        return "no function with a body"
    kernel = kernels[0]
    if any(t.is_dynamic for t in kernel.arg_types):
        return "dynamic shapes: a user file is run at its own static sizes only"
    both = _raise_both(path.stem, text)
    if isinstance(both, str):
        return both
    raised, status, unguarded = both
    rng = np.random.default_rng(seed)
    args: list[object] = []
    for vtype in kernel.arg_types:
        if vtype.is_memref:
            dtype = NUMPY_DTYPES[vtype.elem]
            args.append(rng.standard_normal(vtype.shape or ()).astype(dtype))
        else:
            args.append(float(rng.standard_normal()) if vtype.elem.startswith("f") else 0)
    return Prepared(path.stem, "own size", text, raised, status, args, unguarded,
                    kernel.name, has_numpy=False)


def _variants(prepared: Prepared) -> dict[str, tuple[str, str]]:
    """variant name -> (lowering variant, module text)."""
    out = {"baseline": ("baseline", prepared.text)}
    for target in RAISED:
        out[f"raised-{target}"] = ("raised", prepared.raised[target])
    if prepared.unguarded:  # what the aliasing guard costs: the same code without it
        out[UNGUARDED] = ("raised", prepared.unguarded)
    return out


UNGUARDED = "raised-linalg-noguard"


def guard_cost(rows: Sequence[Row], measure: str) -> str:
    """One line: raised-linalg (guarded) over raised-linalg-noguard, geomean and worst."""
    by_key = {(r.kernel, r.variant): r for r in rows}
    ratios = {}
    for (kernel, variant), row in by_key.items():
        bare = by_key.get((kernel, UNGUARDED))
        if variant != "raised-linalg" or bare is None:
            continue
        guarded_value, bare_value = getattr(row, measure), getattr(bare, measure)
        if guarded_value and bare_value:
            ratios[kernel] = guarded_value / bare_value
    if not ratios:
        return "Aliasing guard cost: not measured (no kernel ran both variants)."
    worst = max(ratios, key=lambda k: ratios[k])
    what = "time" if measure == "seconds" else "instructions"
    return (f"Aliasing guard cost ({what} of raised-linalg over {UNGUARDED}): geomean "
            f"{geomean(list(ratios.values())):.3f}x, worst {ratios[worst]:.3f}x ({worst}), "
            f"over {len(ratios)} kernels.")


# --- CPU -----------------------------------------------------------------------------------

def blas_pinning() -> str:
    """How numpy's BLAS threads are controlled here."""
    try:
        import threadpoolctl  # noqa: F401
    except ImportError:
        return "numpy's BLAS threads NOT pinned (install the `bench` extra: threadpoolctl)"
    return "numpy's BLAS pinned to the stated thread count with threadpoolctl"


@contextmanager
def blas_threads(count: int) -> Iterator[None]:
    """Limit numpy's BLAS to `count` threads (threadpoolctl, when installed)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(limits=count, user_api="blas"):
        yield


def time_numpy_calls(name: str, args: list, reps: int, threads: int
                     ) -> tuple[list[float], list[np.ndarray]]:
    """Seconds of `reps` calls of the numpy reference after one untimed warm-up call, and
    the arrays after the last."""
    reference = REFERENCES[name]
    seconds = []
    arrays: list[np.ndarray] = []
    with blas_threads(threads):
        for index in range(reps + 1):
            fresh = copy_args(args)
            start = time.perf_counter()
            reference(fresh)
            if index:
                seconds.append(time.perf_counter() - start)
            arrays = [a for a in fresh if isinstance(a, np.ndarray)]
    return seconds, arrays


def time_client(call: clients.Compiled, abi: dict, args: list, reps: int
                ) -> tuple[float, list[np.ndarray]]:
    """Median seconds of `reps` calls (arrays in and out included) after one untimed
    warm-up call, and every memref argument afterwards: the inputs, with each result in the
    place of the argument it replaces (`abi`: the report's `tensor_abi`)."""
    positions = [int(p[3:]) for p in abi["params"]]
    replaced = [int(r[3:]) for r in abi["results"]]
    seconds, outputs = [], []
    call([np.asarray(args[p]) for p in positions])  # first-call set-up is not timed
    for _ in range(reps):
        inputs = [np.asarray(args[p]) for p in positions]
        start = time.perf_counter()
        outputs = call(inputs)
        seconds.append(time.perf_counter() - start)
    after = copy_args(args)
    for position, value in zip(replaced, outputs):
        after[position] = value
    return statistics.median(seconds), [a for a in after if isinstance(a, np.ndarray)]


# A client compiles and runs in a child process: XLA has crashed the whole evaluation
# (symm at LARGE: a SIGSEGV after 3 minutes of compiling) and an in-process compile cannot
# be interrupted.
CLIENT_TIME_LIMIT_S = 900.0


@dataclass
class ClientJob:
    """What a child needs to compile and time one client variant."""

    client: str  # "iree" or "xla"
    tensor: str
    func_name: str
    threads: int
    tensor_abi: dict
    args: list
    reps: int


def _run_client(job: ClientJob) -> tuple[float, list[np.ndarray]]:
    """In the child: compile, then time (see time_client)."""
    if job.client == "iree":
        call = clients.iree_function(job.tensor, job.func_name, "stablehlo", job.threads)
    else:
        call = clients.xla_function(job.tensor, job.func_name)
    return time_client(call, job.tensor_abi, job.args, job.reps)


def isolated(job: ClientJob,
             run: Callable[[ClientJob], tuple[float, list[np.ndarray]]] | None = None,
             limit: float = CLIENT_TIME_LIMIT_S) -> tuple[float, list[np.ndarray]]:
    """`run` (default: compile and time the client) in a fresh child process; ClientError
    when it crashes or runs past `limit` seconds."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures import TimeoutError as FutureTimeout
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    try:
        return pool.submit(run or _run_client, job).result(timeout=limit)
    except BrokenProcessPool:
        raise clients.ClientError("the client's process crashed") from None
    except FutureTimeout:
        raise clients.ClientError(f"no result in {limit:g} s") from None
    finally:
        for child in multiprocessing.active_children():
            child.kill()
        pool.shutdown(wait=False, cancel_futures=True)


def _client_rows(prepared: Prepared, reps: int, threads: int, reference: list | None,
                 step: Callable[[str], None], wanted: Callable[[str], bool]) -> list[Row]:
    """IREE (llvm-cpu, one thread and `threads`) and XLA (jax's CPU client, its own thread
    pool) on the raised StableHLO's tensor form, each in a child process."""
    variants = {"iree": ("iree", 1)}
    if threads > 1:
        variants[f"iree-{threads}t"] = ("iree", threads)
    variants["xla"] = ("xla", 1)
    rows = []
    for variant, (client, count) in variants.items():
        if not wanted(variant):
            step(f"{prepared.name} {variant} (not asked for)")
            continue
        row = Row(prepared.name, variant, status=prepared.status)
        rows.append(row)
        if not prepared.tensor:
            row.check = "no tensor form (not fully raised)"
        else:
            job = ClientJob(client, prepared.tensor, prepared.func_name, count,
                             prepared.tensor_abi or {}, list(prepared.args), reps)
            try:
                row.seconds, arrays = isolated(job)
                row.check = _check_text(*compare(reference, arrays, *_checked(prepared))) \
                    if reference is not None else "no baseline result to compare"
            except (clients.ClientError, ImportError, RuntimeError) as err:
                row.check = f"FAILED: {str(err).splitlines()[0][:120]}"
        step(f"{prepared.name} {variant}")
    return rows


def _build(prepared: Prepared, variant: str, kind: str, text: str, arch_name: str,
           out: Path, notes: list[str], threads: int = 1) -> Path:
    """Lower one variant to LLVM IR and build its driver executable for `arch_name`."""
    func_name = prepared.func_name
    said: list[str] = []
    llvm_ir = lower.emit_llvm_ir(text, kind, arch_name, threads=threads, notes=said)
    notes.extend(f"{prepared.name} {variant} ({arch_name}): {n}" for n in said)
    return native.build_executable(
        llvm_ir, func_name, lower.signature(prepared.text, func_name),
        native.ARCHES[arch_name],
        out / "build" / f"{prepared.name}.{prepared.size}.{variant}.{arch_name}",
        openmp=threads > 1)


def _everything(variant: str) -> bool:
    return True


ROUNDS = 3  # interleaved rounds per kernel (see evaluate_cpu)


def _per_round(reps: int, rounds: int) -> int:
    return max(1, -(-reps // rounds))


def evaluate_cpu(prepared: Prepared, out: Path, reps: int, threads: int,
                 step: Callable[[str], None], notes: list[str],
                 wanted: Callable[[str], bool] = _everything,
                 rounds: int = ROUNDS) -> list[Row]:
    """Every variant `wanted` says yes to (the baseline always: the reference). The native
    executables and numpy run in `rounds` interleaved rounds, each run one untimed warm-up
    call (first-touch page faults of temporaries, thread start-up) then its share of the
    `reps` timed calls: a slow phase of the host (a VM's neighbours) then falls on every
    variant alike instead of on whichever ran during it. Seconds: the median of all timed
    calls."""
    arch = native.ARCHES["x86_64"]
    types = lower.signature(prepared.text, prepared.func_name)
    rows: list[Row] = []
    builds = dict(_variants(prepared))
    if threads > 1:
        builds[f"raised-linalg-{threads}t"] = ("raised", prepared.raised["linalg"])
    runs: dict[str, tuple[Path, int]] = {}
    for variant, (kind, text) in builds.items():
        if variant != "baseline" and not wanted(variant):
            step(f"{prepared.name} {variant} (not asked for)")
            continue
        row = Row(prepared.name, variant, status=prepared.status)
        rows.append(row)
        threaded = threads if variant.endswith("t") and threads > 1 else 1
        try:
            runs[variant] = (_build(prepared, variant, kind, text, "x86_64", out, notes,
                                    threaded), threaded)
        except (lower.LoweringError, native.NativeError) as err:
            row.check = f"FAILED: {str(err).splitlines()[0][:120]}"
            step(f"{prepared.name} {variant}")
    numpys = [("numpy" if count == 1 else f"numpy-{count}t", count)
              for count in (sorted({1, threads}) if prepared.has_numpy else ())]
    for variant, _ in numpys:
        if wanted(variant):
            rows.append(Row(prepared.name, variant, status=prepared.status))
        else:
            step(f"{prepared.name} {variant} (not asked for)")
    samples, arrays = _timed_rounds(prepared, runs, numpys, types, arch, reps, rounds,
                                    {r.variant for r in rows}, step)
    reference = arrays.get("baseline")
    for row in rows:
        if row.check.startswith("FAILED"):
            continue
        timed = samples.get(row.variant, "FAILED: not run")
        if isinstance(timed, str):
            row.check = timed
            continue
        row.seconds = statistics.median(timed)
        row.check = _check_text(*compare(reference, arrays[row.variant], *_checked(prepared))) \
            if reference is not None else "no baseline result to compare"
    if prepared.has_numpy:
        rows.extend(_client_rows(prepared, reps, threads, reference, step, wanted))
    base_seconds = next((r.seconds for r in rows if r.variant == "baseline"), None)
    for row in rows:
        if row.seconds and base_seconds:
            row.speedup = base_seconds / row.seconds
    return rows


def _timed_rounds(prepared: Prepared, runs: dict[str, tuple[Path, int]],
                  numpys: list[tuple[str, int]], types: list, arch: native.Arch, reps: int,
                  rounds: int, asked: set[str], step: Callable[[str], None]
                  ) -> tuple[dict[str, list[float] | str], dict[str, list[np.ndarray]]]:
    """Timed calls per variant over the rounds (a failed run: its message) and each
    variant's arrays after its last call."""
    per_round = _per_round(reps, rounds)
    samples: dict[str, list[float] | str] = {}
    arrays: dict[str, list[np.ndarray]] = {}
    for index in range(rounds):
        last = index + 1 == rounds
        for variant, (exe, threaded) in runs.items():
            if isinstance(samples.get(variant), str):
                continue
            try:
                result = native.run_executable(exe, arch, prepared.args, types,
                                               reps=per_round + 1,
                                               env={"OMP_NUM_THREADS": str(threaded)})
            except native.NativeError as err:
                samples[variant] = f"FAILED: {str(err).splitlines()[0][:120]}"
                continue
            timed = samples.setdefault(variant, [])
            assert isinstance(timed, list)
            timed.extend(result.seconds[1:])
            arrays[variant] = result.arrays
            if last:
                step(f"{prepared.name} {variant}")
        for variant, count in numpys:
            if variant not in asked:
                continue
            seconds, out = time_numpy_calls(prepared.name, prepared.args, per_round, count)
            timed = samples.setdefault(variant, [])
            assert isinstance(timed, list)
            timed.extend(seconds)
            arrays[variant] = out
            if last:
                step(f"{prepared.name} {variant}")
    for variant in runs:
        if isinstance(samples.get(variant), str):
            step(f"{prepared.name} {variant}")
    return samples, arrays


# --- RVV -----------------------------------------------------------------------------------

def evaluate_rvv(prepared: Prepared, out: Path, step: Callable[[str], None],
                 notes: list[str], wanted: Callable[[str], bool] = _everything) -> list[Row]:
    arch = native.ARCHES["riscv64"]
    types = lower.signature(prepared.text, prepared.func_name)
    rows: list[Row] = []
    reference: list[np.ndarray] | None = None
    base: int | None = None
    for variant, (kind, text) in _variants(prepared).items():
        if variant != "baseline" and not wanted(variant):
            step(f"{prepared.name} {variant} (rvv, not asked for)")
            continue
        row = Row(prepared.name, variant, status=prepared.status)
        rows.append(row)
        try:
            exe = _build(prepared, variant, kind, text, "riscv64", out, notes)
            count, result = native.count_instructions(exe, arch, prepared.args, types)
        except (lower.LoweringError, native.NativeError) as err:
            row.check = f"FAILED: {str(err).splitlines()[0][:120]}"
            step(f"{prepared.name} {variant} (rvv)")
            continue
        row.instructions = count
        if reference is None:
            reference, base = result.arrays, count
        ok, worst = compare(reference, result.arrays, *_checked(prepared))
        row.check = _check_text(ok, worst)
        step(f"{prepared.name} {variant} (rvv)")
    for row in rows:
        if row.instructions and base:
            row.speedup = base / row.instructions
    return rows


# --- reports -------------------------------------------------------------------------------

FIELDS = ("kernel", "variant", "seconds", "speedup", "instructions", "check", "status")


def write_csv(path: Path, rows: Sequence[Row], with_instructions: bool) -> None:
    fields = [f for f in FIELDS if with_instructions or f != "instructions"]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(fields)
        for row in rows:
            values = {"kernel": row.kernel, "variant": row.variant,
                      "seconds": "" if row.seconds is None else f"{row.seconds:.6g}",
                      "speedup": "" if row.speedup is None else f"{row.speedup:.4g}",
                      "instructions": "" if row.instructions is None else row.instructions,
                      "check": row.check, "status": row.status}
            writer.writerow([values[f] for f in fields])


def geomean(values: Sequence[float]) -> float | None:
    positive = [v for v in values if v and v > 0]
    if not positive:
        return None
    return math.exp(sum(math.log(v) for v in positive) / len(positive))


def _variant_order(rows: Sequence[Row]) -> list[str]:
    order: list[str] = []
    for row in rows:
        if row.variant not in order:
            order.append(row.variant)
    return order


def markdown_table(rows: Sequence[Row], measure: str) -> str:
    """Kernels down, variants across: `measure` ("seconds" or "instructions") and speedup."""
    variants = _variant_order(rows)
    kernels = sorted({r.kernel for r in rows})
    by_key = {(r.kernel, r.variant): r for r in rows}
    unit = "s" if measure == "seconds" else "insns"
    lines = ["| kernel | " + " | ".join(f"{v} ({unit}, speedup)" for v in variants) + " |",
             "|---|" + "---|" * len(variants)]
    for kernel in kernels:
        cells = []
        for variant in variants:
            row = by_key.get((kernel, variant))
            value = getattr(row, measure) if row else None
            if row is None or value is None:
                cells.append(row.check if row else "")
                continue
            shown = f"{value:.4g}" if measure == "seconds" else f"{value:,}"
            speed = f" ({row.speedup:.2f}x)" if row.speedup else ""
            bad = "" if row.check.startswith("ok") else f" {row.check}"
            cells.append(f"{shown}{speed}{bad}")
        partial = " (partly raised)" if any(
            r.status == "partial" for r in rows if r.kernel == kernel) else ""
        lines.append(f"| {kernel}{partial} | " + " | ".join(cells) + " |")
    groups = [("**geomean speedup**", lambda r: True)]
    if any(r.status == "partial" for r in rows):
        groups.append(("**geomean, fully raised kernels**", lambda r: r.status == "raised"))
    for title, keep in groups:
        means = []
        for variant in variants:
            mean = geomean([r.speedup for r in rows if r.variant == variant and r.speedup
                            and r.check.startswith("ok") and keep(r)])
            means.append(f"{mean:.2f}x" if mean else "")
        lines.append(f"| {title} | " + " | ".join(means) + " |")
    return "\n".join(lines)


def plot(rows: Sequence[Row], path: Path, title: str) -> bool:
    """Grouped bars: speedup over the baseline per kernel, log scale. False without
    matplotlib, or with nothing measured (every kernel skipped)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    variants = [v for v in _variant_order(rows) if v != "baseline"]
    if not variants:
        return False
    kernels = sorted({r.kernel for r in rows})
    by_key = {(r.kernel, r.variant): r for r in rows}
    width = 0.8 / max(len(variants), 1)
    fig, ax = plt.subplots(figsize=(max(8, len(kernels) * 0.8), 4.5))
    for index, variant in enumerate(variants):
        xs, ys = [], []
        for k, kernel in enumerate(kernels):
            row = by_key.get((kernel, variant))
            if row and row.speedup and row.check.startswith("ok"):
                xs.append(k + (index - (len(variants) - 1) / 2) * width)
                ys.append(row.speedup)
        ax.bar(xs, ys, width, label=variant)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_yscale("log")
    ax.set_xticks(range(len(kernels)), kernels, rotation=45, ha="right")
    ax.set_ylabel("speedup over baseline (log)")
    ax.set_title(title, pad=28)
    ax.legend(fontsize="small", ncol=len(variants), loc="lower center",
              bbox_to_anchor=(0.5, 1.0), frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


# --- main ------------------------------------------------------------------------------------

def _kernel_names(spec: str | None) -> list[str]:
    if not spec:
        return sorted(KERNELS)
    names = [n.strip() for n in spec.split(",") if n.strip()]
    for name in names:
        get(name)  # raises UnknownKernel
    return names


KNOWN_VARIANT = re.compile(r"baseline|raised-(linalg|stablehlo)|raised-linalg-noguard|numpy|"
                           r"iree|xla|(raised-linalg|numpy|iree)-\d+t")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m polybench.evaluate",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="LARGE", type=str.upper, choices=DATASETS,
                        help="dataset for the CPU runs (default LARGE)")
    parser.add_argument("--rvv-size", default="SMALL", type=str.upper, choices=DATASETS,
                        help="dataset for the RVV runs under qemu (default SMALL)")
    parser.add_argument("--kernels", help="comma-separated kernels (default: all that raise)")
    parser.add_argument("--file", action="append", default=[], metavar="MLIR",
                        help="evaluate this MLIR file instead (its first function, at its "
                             "own size, random inputs, no numpy variant); repeatable")
    parser.add_argument("--targets", default="cpu,rvv", help="cpu, rvv or both (default)")
    parser.add_argument("--out", default="out/evaluate", help="output directory")
    parser.add_argument("--reps", type=int, default=7, help="timed calls per variant (CPU)")
    parser.add_argument("--threads", type=int, default=1,
                        help="also run raised-linalg and numpy on N threads (CPU)")
    parser.add_argument("--variants", metavar="V,V",
                        help="run only these variants (e.g. raised-linalg,numpy; the "
                             "baseline always runs: it is the reference)")
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    if not targets or any(t not in ("cpu", "rvv") for t in targets):
        print("error: --targets takes cpu, rvv or cpu,rvv", file=sys.stderr)
        return 2
    asked = {v.strip() for v in (args.variants or "").split(",") if v.strip()}
    unknown = sorted(v for v in asked if not KNOWN_VARIANT.fullmatch(v))
    if unknown:
        print(f"error: unknown variant {unknown[0]!r}; variants are baseline, raised-linalg, "
              "raised-stablehlo, raised-linalg-noguard, numpy, iree, xla and the "
              "raised-linalg-Nt, numpy-Nt, iree-Nt of --threads N", file=sys.stderr)
        return 2

    def wanted(variant: str) -> bool:
        return not asked or variant in asked

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    files = {Path(f).stem: Path(f) for f in args.file}
    names = list(files) if files else _kernel_names(args.kernels)
    sizes = {"cpu": args.size, "rvv": args.rvv_size}
    variants_per_kernel = {"cpu": 7 + (3 if args.threads > 1 else 0), "rvv": 4}
    progress = Progress(len(names) * sum(1 + variants_per_kernel[t] for t in targets))
    results: dict[str, list[Row]] = {t: [] for t in targets}
    work: list[roofline.KernelWork] = []
    skipped: list[str] = []
    notes: list[str] = []
    for target in targets:
        for name in names:
            prepared = prepare_file(files[name]) if files else prepare(name, sizes[target])
            progress.step(f"{name} raised ({sizes[target]})")
            if isinstance(prepared, str):
                skipped.append(f"{name}: {prepared}")
                for _ in range(variants_per_kernel[target]):
                    progress.step(f"{name} skipped")
                continue
            for tgt, text in prepared.raised.items():
                raised_dir = out / "raised"
                raised_dir.mkdir(exist_ok=True)
                (raised_dir / f"{name}.{sizes[target]}.{tgt}.mlir").write_text(text)
            if target == "cpu":
                rows = evaluate_cpu(prepared, out, args.reps, args.threads, progress.step,
                                    notes, wanted)
                work.extend(_work(prepared))
            else:
                rows = evaluate_rvv(prepared, out, progress.step, notes, wanted)
            results[target].extend(rows)
            # Rows so far on disk after every kernel: a long run that is stopped keeps them.
            _write(out, results, args, skipped, notes, argv, final=False)
    progress.close()
    print(_write(out, results, args, skipped, notes, argv, final=True, work=work))
    return 0


def _write(out: Path, results: dict[str, list[Row]], args: argparse.Namespace,
           skipped: list[str], notes: list[str], argv: Sequence[str] | None,
           final: bool, work: Sequence[roofline.KernelWork] = ()) -> str:
    """Write the CSVs and results.md (the plots only when `final`); return the Markdown."""
    command = " ".join(argv if argv is not None else sys.argv[1:])
    title = f"# PolyBench: baseline vs raised\n\ncommand: `python -m polybench.evaluate {command}`\n"
    report = [title if final else title + "\n(run in progress: the rows so far)\n"]
    if "cpu" in results:
        write_csv(out / "cpu.csv", results["cpu"], with_instructions=False)
        if final:
            plot(results["cpu"], out / "cpu_speedup.png", f"x86_64 host, {args.size}")
        report.append(f"## CPU (x86_64 host, {args.size}, median of "
                      f"{ROUNDS * _per_round(args.reps, ROUNDS)} calls in {ROUNDS} interleaved "
                      "rounds, after a warm-up call each)\n\n"
                      + markdown_table(results["cpu"], "seconds") + "\n\n"
                      + blas_pinning() + ".\n\n" + guard_cost(results["cpu"], "seconds")
                      + "\n")
        if final and work:
            report.append(_limits(results["cpu"], list(work), args.threads))
    if "rvv" in results:
        write_csv(out / "rvv.csv", results["rvv"], with_instructions=True)
        if final:
            plot(results["rvv"], out / "rvv_speedup.png",
                 f"riscv64 RVV (qemu, vlen=256), {args.rvv_size}: instruction ratio")
        report.append(f"## RVV (qemu-riscv64 vlen=256, {args.rvv_size}, dynamic "
                      "instructions of one call)\n\n"
                      + markdown_table(results["rvv"], "instructions") + "\n\n"
                      + guard_cost(results["rvv"], "instructions") + "\n")
    if final:
        report.append(targets.summary(results.get("cpu", []), results.get("rvv", []),
                                      args.threads, args.rvv_size))
    if skipped:
        report.append("Skipped: " + "; ".join(sorted(set(skipped))) + "\n")
    if notes:
        report.append("Notes:\n\n" + "\n".join(f"- {n}" for n in notes) + "\n")
    text = "\n".join(report)
    (out / "results.md").write_text(text, encoding="utf-8")
    return text


def _work(prepared: Prepared) -> list[roofline.KernelWork]:
    """The work of a fully raised kernel (for the limits table); none for the rest."""
    if prepared.status != "raised":
        return []
    try:
        flops = roofline.raised_flops(prepared.raised["linalg"])
    except (ir.MLIRError, ValueError, KeyError):
        return []
    if flops is None:
        return []
    return [roofline.KernelWork(prepared.name, flops, roofline.array_bytes(prepared.args))]


def _limits(rows: Sequence[Row], work: list[roofline.KernelWork], threads: int) -> str:
    try:
        host = roofline.machine()
    except (OSError, subprocess.SubprocessError, ValueError) as err:
        return f"## Against this machine's limits\n\nnot measured: {err}\n"
    seconds = {(r.kernel, r.variant): r.seconds for r in rows if r.seconds}
    return ("## Against this machine's limits (one thread)\n\n" + roofline.limits_lines(host)
            + "\n\n" + roofline.limits_table(work, seconds, host) + "\n")


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()

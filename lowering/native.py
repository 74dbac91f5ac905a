"""Native builds and runs of a lowered kernel: a generated C driver, clang-22 for the host
(x86_64) or riscv64 (cross, lld, Debian's sysroot), qemu-riscv64 for RVV, and dynamic
instruction counts from a small qemu TCG plugin.

The driver reads every argument from one binary file (scalars as 8 bytes, arrays raw, in
signature order), calls `_mlir_ciface_<func>` `reps` times (restoring the inputs between
calls, untimed), prints one time per call and writes every array afterwards.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from checkers.execute import NUMPY_DTYPES, ArgType
from checkers.foreign import foreign_code_in_llvm_ir

CLANG = "clang-22"
QEMU_RISCV64 = "qemu-riscv64"
RISCV_SYSROOT = "/usr/riscv64-linux-gnu"
# vlen=256: the RVV machine the issue asks for; vext_spec silences qemu's version notice.
QEMU_CPU = "rv64,v=true,vlen=256,vext_spec=v1.0"


class NativeError(RuntimeError):
    """A native tool is missing, a build failed or a run failed."""


@dataclass(frozen=True)
class Arch:
    """How to compile for and run on one architecture."""

    name: str
    compile_flags: tuple[str, ...]
    link_flags: tuple[str, ...]
    runner: tuple[str, ...]  # command prefix; empty on the host

    @property
    def emulated(self) -> bool:
        return bool(self.runner)


ARCHES: dict[str, Arch] = {
    "x86_64": Arch("x86_64", ("-O3", "-march=native"), (), ()),
    "riscv64": Arch(
        "riscv64",
        # Debian's cross gcc install supplies crt files, libgcc and the sysroot (a --sysroot
        # would make lld re-root the absolute paths in libc.so's linker script).
        ("--target=riscv64-linux-gnu", "-march=rv64gcv", "-O3", "--gcc-toolchain=/usr"),
        ("-fuse-ld=lld",),
        (QEMU_RISCV64, "-L", RISCV_SYSROOT, "-cpu", QEMU_CPU)),
}

_C_SCALARS = {"f64": "double", "f32": "float", "i32": "int32_t", "i64": "int64_t",
              "index": "int64_t", "i16": "int16_t", "i8": "int8_t"}


def require_tool(name: str) -> str:
    """Absolute path of a native tool, or a NativeError saying how to install it."""
    path = shutil.which(name)
    if path is None:
        raise NativeError(f"{name} not found; run `make native` (scripts/install-native.sh)")
    return path


def _memref_struct(rank: int) -> str:
    dims = f" int64_t sizes[{rank}]; int64_t strides[{rank}];" if rank else ""
    return f"typedef struct {{ void *allocated; void *aligned; int64_t offset;{dims} }} memref{rank};"


def _static_shape(atype: ArgType) -> tuple[int, ...]:
    """The extents of a memref argument; the driver allocates static shapes only."""
    shape = atype.shape or ()
    if any(extent is None for extent in shape):
        raise NativeError(f"dynamic shape {atype.text}: the native driver needs static shapes")
    return tuple(int(extent) for extent in shape if extent is not None)


def _strides(shape: tuple[int, ...]) -> list[int]:
    strides, step = [], 1
    for extent in reversed(shape):
        strides.append(step)
        step *= extent
    return list(reversed(strides))


# `memrefCopy`, the one runtime call lowered code makes (bufferization's copies between
# strided views); MLIR's runner library is not linked, so the driver defines it. A
# descriptor is {allocated, aligned, offset, sizes[rank], strides[rank]}, 8 bytes each.
_MEMREF_COPY = (
    "typedef struct { int64_t rank; void *descriptor; } unranked_memref;",
    "void memrefCopy(int64_t elem, unranked_memref *src, unranked_memref *dst) {",
    "  int64_t rank = src->rank, *s = (int64_t *)src->descriptor, *d = (int64_t *)dst->descriptor;",
    "  char *sp = (char *)(intptr_t)s[1] + s[2] * elem, *dp = (char *)(intptr_t)d[1] + d[2] * elem;",
    "  if (rank == 0) { memmove(dp, sp, (size_t)elem); return; }",
    "  int64_t *size = s + 3, *ss = s + 3 + rank, *ds = d + 3 + rank, idx[rank], rows = 1;",
    "  for (int64_t r = 0; r < rank; r++) { idx[r] = 0; if (size[r] == 0) return; }",
    "  for (int64_t r = 0; r + 1 < rank; r++) rows *= size[r];",
    "  int64_t last = rank - 1, n = size[last];",
    "  int contiguous = ss[last] == 1 && ds[last] == 1;",
    "  for (int64_t row = 0; row < rows; row++) {",
    "    int64_t so = 0, doff = 0;",
    "    for (int64_t r = 0; r < last; r++) { so += idx[r] * ss[r]; doff += idx[r] * ds[r]; }",
    "    if (contiguous) memmove(dp + doff * elem, sp + so * elem, (size_t)(n * elem));",
    "    else for (int64_t k = 0; k < n; k++)",
    "      memmove(dp + (doff + k * ds[last]) * elem, sp + (so + k * ss[last]) * elem, (size_t)elem);",
    "    for (int64_t r = last - 1; r >= 0; r--) { if (++idx[r] < size[r]) break; idx[r] = 0; }",
    "  }",
    "}",
)


def driver_source(func_name: str, arg_types: Sequence[ArgType]) -> str:
    """C source of the driver for `func_name` with these argument types."""
    ranks = sorted({len(t.shape) for t in arg_types if t.shape is not None})
    params, decls, setup, restore, write = [], [], [], [], []
    for index, atype in enumerate(arg_types):
        if atype.elem not in _C_SCALARS:
            raise NativeError(f"unsupported element type {atype.elem}")
        ctype = _C_SCALARS[atype.elem]
        if atype.shape is None:
            params.append(ctype)
            is_float = int(atype.elem.startswith("f"))
            decls.append(f"{ctype} a{index} = ({ctype})read_scalar(in, {is_float});")
            continue
        shape = _static_shape(atype)
        rank = len(shape)
        itemsize = np.dtype(NUMPY_DTYPES[atype.elem]).itemsize
        nbytes = int(np.prod(shape, dtype=np.int64)) * itemsize
        sizes = ", ".join(str(s) for s in shape) or "0"
        strides = ", ".join(str(s) for s in _strides(shape)) or "0"
        params.append(f"memref{rank} *")
        decls.append(f"void *p{index} = read_array(in, {nbytes}); void *w{index} = "
                     f"alloc_bytes({nbytes}); memcpy(w{index}, p{index}, {nbytes});")
        init = f"w{index}, w{index}, 0" + (f", {{{sizes}}}, {{{strides}}}" if rank else "")
        setup.append(f"memref{rank} a{index} = {{{init}}};")
        restore.append(f"memcpy(w{index}, p{index}, {nbytes});")
        write.append(f"fwrite(w{index}, 1, {nbytes}, out);")
    call_args = ", ".join(f"&a{i}" if t.shape is not None else f"a{i}"
                          for i, t in enumerate(arg_types))
    lines = [
        "#include <stdint.h>", "#include <stdio.h>", "#include <stdlib.h>",
        "#include <string.h>", "#include <time.h>",
        *(_memref_struct(r) for r in ranks),
        f"void _mlir_ciface_{func_name}({', '.join(params) or 'void'});",
        "static void die(const char *what) { perror(what); exit(2); }",
        "static void *alloc_bytes(size_t n) {",
        "  void *p = aligned_alloc(64, (n + 63) / 64 * 64); if (!p) die(\"alloc\"); return p; }",
        "static void *read_array(FILE *in, size_t n) {",
        "  void *p = alloc_bytes(n); if (fread(p, 1, n, in) != n) die(\"read\"); return p; }",
        "static double read_scalar(FILE *in, int is_float) {",
        "  union { double d; int64_t i; } v;",
        "  if (fread(&v, 8, 1, in) != 1) die(\"read\");",
        "  return is_float ? v.d : (double)v.i; }",
        *_MEMREF_COPY,
        "static double now(void) {",
        "  struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);",
        "  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec; }",
        "int main(int argc, char **argv) {",
        "  if (argc != 5) { fprintf(stderr, \"usage: IN OUT REPS TIMED\\n\"); return 2; }",
        "  FILE *in = fopen(argv[1], \"rb\"); if (!in) die(argv[1]);",
        *("  " + d for d in decls),
        "  fclose(in);",
        *("  " + s for s in setup),
        "  int reps = atoi(argv[3]), timed = atoi(argv[4]);",
        "  for (int r = 0; r < reps; r++) {",
        "    double t0 = timed ? now() : 0.0;",
        f"    _mlir_ciface_{func_name}({call_args});",
        "    if (timed) printf(\"%.9f\\n\", now() - t0);",
        "    if (r + 1 < reps) {",
        *("      " + s for s in restore),
        "    }",
        "  }",
        "  FILE *out = fopen(argv[2], \"wb\"); if (!out) die(argv[2]);",
        *("  " + w for w in write),
        "  fclose(out);",
        "  return 0;",
        "}",
    ]
    return "\n".join(lines) + "\n"


def _run(cmd: Sequence[str], what: str, timeout: float | None = None) -> str:
    try:
        proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=timeout,
                              check=False)
    except subprocess.TimeoutExpired as err:
        raise NativeError(f"{what}: timed out after {timeout} s") from err
    if proc.returncode != 0:
        raise NativeError(f"{what} failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
    return proc.stdout


def build_executable(llvm_ir: str, func_name: str, arg_types: Sequence[ArgType], arch: Arch,
                     out: Path, openmp: bool = False) -> Path:
    """Compile the kernel's LLVM IR and its driver into the executable `out` (`openmp`: link
    LLVM's OpenMP runtime, for lowered code with parallel loops)."""
    foreign = foreign_code_in_llvm_ir(llvm_ir)
    if foreign:  # before clang sees it: nothing of it is built, linked or run
        raise NativeError(f"refused to build @{func_name}: {foreign} (foreign code is never "
                          "executed)")
    clang = require_tool(CLANG)
    out.parent.mkdir(parents=True, exist_ok=True)
    kernel_ll = out.with_suffix(".ll")
    driver_c = out.with_suffix(".driver.c")
    kernel_ll.write_text(llvm_ir, encoding="utf-8")
    driver_c.write_text(driver_source(func_name, arg_types), encoding="utf-8")
    kernel_o = out.with_suffix(".o")
    # MLIR's LLVM IR carries no triple; let clang set the one of `arch` without a warning.
    _run([clang, *arch.compile_flags, "-Wno-override-module", "-c", str(kernel_ll), "-o",
          str(kernel_o)], f"clang ({arch.name}) on the kernel")
    omp = ["-fopenmp"] if openmp else []
    # -lm: lowered math ops (exp, sqrt, ...) may call libm. -z now: resolve library symbols
    # at start-up, not in the first (counted, timed) call.
    _run([clang, *arch.compile_flags, *arch.link_flags, str(driver_c), str(kernel_o), *omp,
          "-lm", "-Wl,-z,now", "-o", str(out)], f"clang ({arch.name}) linking the driver")
    return out


def write_inputs(path: Path, args: Sequence[object], arg_types: Sequence[ArgType]) -> None:
    """The driver's input file: scalars as 8 bytes (int64 or double), arrays raw."""
    with open(path, "wb") as handle:
        for value, atype in zip(args, arg_types, strict=True):
            if atype.shape is None:
                is_float = atype.elem.startswith("f")
                scalar = np.float64(value) if is_float else np.int64(value)  # type: ignore[arg-type]
                handle.write(scalar.tobytes())
                continue
            array: np.ndarray = np.ascontiguousarray(value, dtype=NUMPY_DTYPES[atype.elem])
            if array.shape != _static_shape(atype):
                raise NativeError(f"argument shape {array.shape} does not match {atype.text}")
            handle.write(array.tobytes())


def read_outputs(path: Path, arg_types: Sequence[ArgType]) -> list[np.ndarray]:
    """Every array argument after the run, in signature order."""
    data = path.read_bytes()
    arrays, offset = [], 0
    for atype in arg_types:
        if atype.shape is None:
            continue
        dtype = np.dtype(NUMPY_DTYPES[atype.elem])
        shape = _static_shape(atype)
        count = int(np.prod(shape, dtype=np.int64))
        arrays.append(np.frombuffer(data, dtype, count, offset).reshape(shape).copy())
        offset += count * dtype.itemsize
    if offset != len(data):
        raise NativeError(f"output file has {len(data)} bytes, expected {offset}")
    return arrays


@dataclass
class RunResult:
    """Times of the repeated calls (seconds) and every array after the last one."""

    seconds: list[float]
    arrays: list[np.ndarray]
    stderr: str = ""


def run_executable(exe: Path, arch: Arch, args: Sequence[object], arg_types: Sequence[ArgType],
                   reps: int = 1, timed: bool = True, prefix: Sequence[str] = (),
                   env: dict[str, str] | None = None, timeout: float = 3600.0) -> RunResult:
    """Run the driver on `args`; `prefix` goes before the runner (e.g. a qemu plugin)."""
    with tempfile.TemporaryDirectory(prefix="buddy-raise-run-") as tmp:
        inputs, outputs = Path(tmp) / "in.bin", Path(tmp) / "out.bin"
        write_inputs(inputs, args, arg_types)
        cmd = [*arch.runner, *prefix, str(exe), str(inputs), str(outputs), str(reps),
               str(int(timed))]
        full_env = {**os.environ, **(env or {})}
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  env=full_env, check=False)
        except subprocess.TimeoutExpired as err:
            raise NativeError(f"{exe.name}: timed out after {timeout} s") from err
        if proc.returncode != 0:
            raise NativeError(f"{exe.name} failed ({proc.returncode}): {proc.stderr[-2000:]}")
        seconds = [float(line) for line in proc.stdout.split()] if timed else []
        return RunResult(seconds, read_outputs(outputs, arg_types), proc.stderr)


# A minimal qemu TCG plugin (QEMU plugin API version 1, as in Debian's qemu 7.2): it adds
# each translated block's instruction count to a counter whenever the block executes.
_PLUGIN_SOURCE = r"""
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
typedef uint64_t plugin_id;
struct qemu_plugin_tb;
__attribute__((visibility("default"))) int qemu_plugin_version = 1;
void qemu_plugin_register_vcpu_tb_trans_cb(plugin_id, void (*)(plugin_id, struct qemu_plugin_tb *));
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *, int, void *, uint64_t);
void qemu_plugin_register_atexit_cb(plugin_id, void (*)(plugin_id, void *), void *);
void qemu_plugin_outs(const char *);
static uint64_t executed;
static void on_translate(plugin_id id, struct qemu_plugin_tb *tb) {
  (void)id;  /* op 0 is QEMU_PLUGIN_INLINE_ADD_U64 */
  qemu_plugin_register_vcpu_tb_exec_inline(tb, 0, &executed, qemu_plugin_tb_n_insns(tb));
}
static void on_exit_report(plugin_id id, void *unused) {
  char line[64];
  (void)id; (void)unused;
  snprintf(line, sizeof line, "buddy-raise-insns: %llu\n", (unsigned long long)executed);
  qemu_plugin_outs(line);
}
__attribute__((visibility("default")))
int qemu_plugin_install(plugin_id id, const void *info, int argc, char **argv) {
  (void)info; (void)argc; (void)argv;
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, on_exit_report, NULL);
  return 0;
}
"""


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "buddy-raise"


def counting_plugin() -> Path:
    """Build (once, cached by content) the instruction-counting qemu plugin."""
    digest = hashlib.sha256(_PLUGIN_SOURCE.encode()).hexdigest()[:12]
    target = _cache_dir() / f"insn-count-{digest}.so"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    source = target.with_suffix(".c")
    source.write_text(_PLUGIN_SOURCE, encoding="utf-8")
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    _run([require_tool(CLANG), "-O2", "-shared", "-fPIC", str(source), "-o", str(tmp)],
         "building the qemu counting plugin")
    tmp.replace(target)
    return target


def _counted(exe: Path, arch: Arch, args: Sequence[object], arg_types: Sequence[ArgType],
             reps: int) -> tuple[int, RunResult]:
    prefix = ("-plugin", str(counting_plugin()), "-d", "plugin")
    result = run_executable(exe, arch, args, arg_types, reps=reps, timed=False, prefix=prefix)
    for line in result.stderr.splitlines():
        if line.startswith("buddy-raise-insns:"):
            return int(line.split(":")[1]), result
    raise NativeError(f"{exe.name}: the counting plugin reported nothing")


def count_instructions(exe: Path, arch: Arch, args: Sequence[object],
                       arg_types: Sequence[ArgType]) -> tuple[int, RunResult]:
    """Dynamic instructions of one kernel call under qemu: a run with one call minus a run
    with none (same input, output and start-up work), and the result of the call."""
    if not arch.emulated:
        raise NativeError("instruction counting needs an emulated architecture")
    with_call, result = _counted(exe, arch, args, arg_types, reps=1)
    without, _ = _counted(exe, arch, args, arg_types, reps=0)
    return with_call - without, result

"""lowering.lower / lowering.schedule / lowering.native: every pipeline gives the reference's
results at small sizes, natively on x86_64 and on riscv64 under qemu (instructions counted).

The native tests need `make native` (clang-22, lld, qemu-user, riscv64 cross libc, libomp).
"""

import functools
import itertools
import shutil
import subprocess
import sys

import numpy as np
import pytest

from lowering import lower, native
from lowering.schedule import Segment, profile_for, segments
from polybench.datasets import get, instantiate_text
from polybench.evaluate import compare
from polybench.inputs import copy_args, make_args
from polybench.references import REFERENCES
from raising.pipeline import RaiseOptions, raise_text

HAVE_CLANG = shutil.which(native.CLANG) is not None
HAVE_QEMU = shutil.which(native.QEMU_RISCV64) is not None
native_only = pytest.mark.skipif(not HAVE_CLANG, reason="clang-22 missing: run `make native`")
rvv_only = pytest.mark.skipif(not (HAVE_CLANG and HAVE_QEMU),
                              reason="clang-22/qemu-riscv64 missing: run `make native`")

# One kernel per schedule kind: outer products with cache tiles (gemm), a split reduction
# along the contiguous dim and a streamed vector-matrix product (atax), column sums and a
# transposed-operand contraction (covariance, syrk), fused elementwise updates and fills
# (gemver), a masked triangular update (trmm).
X86_KERNELS = ("gemm", "atax", "covariance", "syrk", "gemver", "trmm")
RVV_KERNELS = ("gemm", "atax", "syrk")


@functools.cache
def _raised(name: str, size: str, target: str) -> str:
    result = raise_text(instantiate_text(name, size), f"{name}.mlir",
                        RaiseOptions(target=target, crosscheck="none"))
    assert result.exit_code == 0, result.report
    return result.text


def _build_and_run(name: str, size: str, variant: str, arch: str, tmp_path, threads: int = 1):
    info = get(name)
    text = instantiate_text(name, size) if variant == "baseline" else _raised(name, size, variant)
    kind = "baseline" if variant == "baseline" else "raised"
    types = lower.signature(text, info.func_name)
    llvm_ir = lower.emit_llvm_ir(text, kind, arch, threads=threads)
    exe = native.build_executable(llvm_ir, info.func_name, types, native.ARCHES[arch],
                                  tmp_path / f"{name}-{variant}-{arch}", openmp=threads > 1)
    args = make_args(name, size)
    if arch == "riscv64":
        return native.count_instructions(exe, native.ARCHES[arch], args, types)
    return None, native.run_executable(exe, native.ARCHES[arch], args, types, reps=2)


def _reference(name: str, size: str) -> list[np.ndarray]:
    args = copy_args(make_args(name, size))
    REFERENCES[name](args)
    return [a for a in args if isinstance(a, np.ndarray)]


# --- pure python --------------------------------------------------------------------------

def test_segments_cut_into_exact_tiles():
    assert segments(1100, 256, 16) == [Segment(0, 1024, 256, 16), Segment(1024, 64, 0, 16),
                                       Segment(1088, 12, 0, 0)]
    assert segments(30, 0, 16) == [Segment(0, 16, 0, 0), Segment(16, 14, 0, 0)]
    assert segments(8, 64, 16) == [Segment(0, 8, 0, 0)]
    for extent, cache, reg in [(1000, 64, 8), (77, 32, 8), (5, 0, 4)]:
        parts = segments(extent, cache, reg)
        assert sum(p.size for p in parts) == extent
        assert all(p.start == q.start + q.size for q, p in itertools.pairwise(parts))
        assert all((p.size % p.cache == 0 if p.cache else True) and
                   (p.size % p.reg == 0 if p.reg else True) for p in parts)


def test_parallel_column_blocks_give_every_thread_the_same_work():
    from lowering.schedule import _thread_block

    assert _thread_block(1024, 256, 16, 2) == 256  # four cache blocks: two each
    assert _thread_block(768, 256, 16, 2) == 192  # three would leave a thread idle a third
    assert _thread_block(128, 0, 16, 2) == 64  # a piece without cache tiles: halves
    assert _thread_block(48, 0, 16, 2) == 0  # three register tiles do not halve
    assert _thread_block(4, 0, 4, 2) == 0
    assert _thread_block(1200, 256, 16, 2) == 0  # 1200 / 16 = 75: no even count of blocks
    for extent, cache, reg, threads in [(1536, 256, 16, 2), (960, 256, 16, 3), (64, 0, 8, 2)]:
        block = _thread_block(extent, cache, reg, threads)
        assert block and block % reg == 0 and extent % block == 0
        assert (extent // block) % threads == 0 and block <= (cache or extent)


def test_driver_source_declares_the_c_interface():
    text = instantiate_text("gemm", "MINI")
    source = native.driver_source("kernel_gemm", lower.signature(text, "kernel_gemm"))
    assert "void _mlir_ciface_kernel_gemm(int32_t, int32_t, int32_t, double, double, " \
           "memref2 *, memref2 *, memref2 *);" in source
    assert "{20, 25}, {25, 1}" in source  # sizes and row-major strides of C


def test_raised_llvm_ir_has_vector_fmas_and_rvv_scalable_vectors():
    text = _raised("gemm", "MINI", "linalg")
    x86 = lower.emit_llvm_ir(text, "raised", "x86_64")
    width = profile_for("x86_64").reg_cols  # the host's: 16 with AVX-512, 8 with AVX2
    assert f"@llvm.fmuladd.v{width}f64" in x86  # vector.fma: register tile rows
    rvv = lower.emit_llvm_ir(text, "raised", "riscv64")
    assert "@llvm.fmuladd.nxv4f64" in rvv  # scalable: 4 x vscale doubles
    baseline = lower.emit_llvm_ir(instantiate_text("gemm", "MINI"), "baseline")
    assert "fmuladd" not in baseline and "x double>" not in baseline


def test_unknown_variant_or_arch_is_an_error():
    with pytest.raises(lower.LoweringError):
        lower.emit_llvm_ir("module {}", "fast")
    with pytest.raises(lower.LoweringError):
        lower.emit_llvm_ir("module {}", "raised", "sparc")


# --- x86_64 -------------------------------------------------------------------------------

@native_only
@pytest.mark.slow
@pytest.mark.parametrize("name", X86_KERNELS)
def test_x86_pipelines_match_the_reference(name, tmp_path):
    expected = _reference(name, "SMALL")
    for variant in ("baseline", "linalg", "stablehlo"):
        _, result = _build_and_run(name, "SMALL", variant, "x86_64", tmp_path)
        ok, worst = compare(expected, result.arrays)
        assert ok, f"{name} {variant}: max relative error {worst:.3g}"
        assert len(result.seconds) == 2 and all(s > 0 for s in result.seconds)


MATMUL_512 = """
func.func @mm(%a: memref<64x40xf64>, %b: memref<40x600xf64>, %c: memref<64x600xf64>) {
  %ta = bufferization.to_tensor %a restrict : memref<64x40xf64> to tensor<64x40xf64>
  %tb = bufferization.to_tensor %b restrict : memref<40x600xf64> to tensor<40x600xf64>
  %zero = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<64x600xf64>
  %f = linalg.fill ins(%zero : f64) outs(%e : tensor<64x600xf64>) -> tensor<64x600xf64>
  %r = linalg.matmul ins(%ta, %tb : tensor<64x40xf64>, tensor<40x600xf64>)
                     outs(%f : tensor<64x600xf64>) -> tensor<64x600xf64>
  bufferization.materialize_in_destination %r in restrict writable %c
      : (tensor<64x600xf64>, memref<64x600xf64>) -> ()
  return
}
"""


@native_only
@pytest.mark.slow
def test_openmp_variant_runs_column_blocks_in_parallel(tmp_path):
    llvm_ir = lower.emit_llvm_ir(MATMUL_512, "raised", "x86_64", threads=2)
    assert "__kmpc_fork_call" in llvm_ir  # 600 columns: two 256-wide blocks on threads
    types = lower.signature(MATMUL_512, "mm")
    exe = native.build_executable(llvm_ir, "mm", types, native.ARCHES["x86_64"],
                                  tmp_path / "mm", openmp=True)
    rng = np.random.default_rng(1)
    a, b = rng.random((64, 40)), rng.random((40, 600))
    result = native.run_executable(exe, native.ARCHES["x86_64"], [a, b, np.zeros((64, 600))],
                                   types, env={"OMP_NUM_THREADS": "2"})
    ok, worst = compare([a, b, a @ b], result.arrays)
    assert ok, worst


# --- riscv64 under qemu -------------------------------------------------------------------

@rvv_only
@pytest.mark.slow
@pytest.mark.parametrize("name", RVV_KERNELS)
def test_rvv_pipelines_match_the_reference_and_count(name, tmp_path):
    expected = _reference(name, "MINI")
    counts = {}
    for variant in ("baseline", "linalg", "stablehlo"):
        count, result = _build_and_run(name, "MINI", variant, "riscv64", tmp_path)
        ok, worst = compare(expected, result.arrays)
        assert ok, f"{name} {variant} (rvv): max relative error {worst:.3g}"
        counts[variant] = count
    assert all(c > 0 for c in counts.values())
    if name != "atax":  # at MINI (38 x 42) its two passes over A cost what the baseline's one does
        assert counts["linalg"] < counts["baseline"], counts


@rvv_only
@pytest.mark.slow
def test_instruction_counts_are_deterministic_and_grow_with_size(tmp_path):
    first, _ = _build_and_run("gemm", "MINI", "baseline", "riscv64", tmp_path)
    again, _ = _build_and_run("gemm", "MINI", "baseline", "riscv64", tmp_path)
    bigger, _ = _build_and_run("gemm", "SMALL", "baseline", "riscv64", tmp_path)
    assert first == again
    # MINI 20x25x30, SMALL 60x70x80: 16.8x the multiply-adds (fewer instructions per
    # multiply-add at SMALL: the baseline's inner loop is vectorized, longer vectors fill)
    assert 3 * first < bigger < 17 * first


@rvv_only
@pytest.mark.slow
def test_an_empty_kernel_counts_only_its_call(tmp_path):
    text = "func.func @noop(%a: memref<4xf64>, %s: f64) {\n  return\n}\n"
    types = lower.signature(text, "noop")
    exe = native.build_executable(lower.emit_llvm_ir(text, "baseline", "riscv64"), "noop",
                                  types, native.ARCHES["riscv64"], tmp_path / "noop")
    count, result = native.count_instructions(exe, native.ARCHES["riscv64"],
                                              [np.arange(4.0), 2.5], types)
    assert 0 < count < 20  # the call, the C-interface wrapper, the return
    assert np.array_equal(result.arrays[0], np.arange(4.0))


@rvv_only
@pytest.mark.slow
def test_cli_emits_llvm_for_riscv64(tmp_path, root):
    src = tmp_path / "gemm.mlir"
    src.write_text(instantiate_text("gemm", "MINI"))
    proc = subprocess.run([sys.executable, "-m", "raising", str(src), "--emit", "llvm",
                           "--arch", "riscv64", "--crosscheck", "none", "-q"],
                          capture_output=True, text=True, check=False, cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("; ModuleID") and "vscale" in proc.stdout


# --- the non-polynomial ops (exp, max, min and their reductions) --------------------------

def test_llvm_ir_spells_infinities_and_nan_in_hex():
    """A max reduction starts from -inf: the IR text must say it in a form clang-22 reads."""
    text = """func.func @f(%a: memref<2xf64>, %b: memref<2xf32>) {
  %ninf = arith.constant 0xFFF0000000000000 : f64
  %nan = arith.constant 0x7FF8000000000000 : f64
  %inf = arith.constant 0x7F800000 : f32
  %i = arith.constant 0 : index
  %j = arith.constant 1 : index
  memref.store %ninf, %a[%i] : memref<2xf64>
  memref.store %nan, %a[%j] : memref<2xf64>
  memref.store %inf, %b[%i] : memref<2xf32>
  return
}
"""
    llvm_ir = lower.emit_llvm_ir(text, "baseline", "x86_64")
    assert "double 0xFFF0000000000000" in llvm_ir and "double 0x7FF8000000000000" in llvm_ir
    assert "float 0x7FF0000000000000" in llvm_ir
    assert "inf" not in llvm_ir.replace("info", "") and "qnan" not in llvm_ir


NONLINEAR_CORPUS = ("c_relu_f32", "c_clamp", "c_exp_scale", "c_row_max", "c_col_min_f32",
                    "c_softmax_shift")


@native_only
@pytest.mark.slow
@pytest.mark.parametrize("file", NONLINEAR_CORPUS)
def test_raised_nonlinear_ops_lower_and_match_the_reference(file, tmp_path):
    """linalg.exp / max / min / reduce with ±inf inits, and their stablehlo spellings,
    through the scheduled pipelines (x86_64 natively, riscv64 with RVV under qemu)."""
    from tests.corpus import CORPUS_DIR, kernels_in
    from tests.corpus import make_args as corpus_args
    from tests.corpus.references import REFERENCES as CORPUS_REFERENCES

    (kernel,) = kernels_in(file)
    text = (CORPUS_DIR / f"{file}.mlir").read_text()
    types = lower.signature(text, kernel.func)
    runs = [("linalg", "x86_64"), ("stablehlo", "x86_64")] + \
        ([("linalg", "riscv64")] if HAVE_QEMU else [])
    for target, arch in runs:
        raised = raise_text(text, file, RaiseOptions(target=target, crosscheck="none"))
        assert raised.exit_code == 0, raised.report
        exe = native.build_executable(lower.emit_llvm_ir(raised.text, "raised", arch),
                                      kernel.func, types, native.ARCHES[arch],
                                      tmp_path / f"{file}-{target}-{arch}")
        args = corpus_args(kernel, types, {}, np.random.default_rng(4))
        expected = CORPUS_REFERENCES[kernel.func](**{
            n: v.astype(np.float64) if isinstance(v, np.ndarray) else v
            for n, v in args.items()})
        result = native.run_executable(exe, native.ARCHES[arch], list(args.values()), types,
                                       timed=False)
        outputs = dict(zip([n for n, v in args.items() if isinstance(v, np.ndarray)],
                           result.arrays))
        for name, want in expected.items():
            np.testing.assert_allclose(outputs[name], want, rtol=1e-5, atol=1e-6,
                                       err_msg=f"{file} {target} {arch}: {name}")


def test_x86_register_tiles_follow_the_host_vector_registers(monkeypatch):
    """-march=native code: AVX-512 hosts get 16-wide rows, AVX2-only hosts 8-wide ones that
    fit 16 ymm registers (accumulators + B row + one broadcast)."""
    from lowering import schedule

    monkeypatch.setattr(schedule, "host_flags", lambda: {"avx2", "fma", "avx512f"})
    assert schedule.profile_for("x86_64").reg_cols == 16
    monkeypatch.setattr(schedule, "host_flags", lambda: {"avx2", "fma"})
    avx2 = schedule.profile_for("x86_64")
    assert avx2.reg_cols == 8 and avx2.arch == "x86_64"
    assert avx2.reg_rows * avx2.reg_cols // 4 + avx2.reg_cols // 4 + 1 <= 16
    assert schedule.profile_for("riscv64").scalable


@native_only
@pytest.mark.slow
@pytest.mark.parametrize("name", ["jacobi-2d", "heat-3d"])
def test_partly_raised_stencils_build_and_match_the_reference(name, tmp_path):
    """The stablehlo form of a time-stepped stencil (its sweeps on views at every step)
    builds, runs and matches the reference (the driver's `memrefCopy`, which buffer copies
    between strided views call, is tested on its own below)."""
    info = get(name)
    raised = raise_text(instantiate_text(name, "MINI"), f"{name}.mlir",
                        RaiseOptions(target="stablehlo", crosscheck="none"))
    assert raised.report["raised_regions"] > 0, raised.report
    types = lower.signature(raised.text, info.func_name)
    llvm_ir = lower.emit_llvm_ir(raised.text, "raised", "x86_64")
    exe = native.build_executable(llvm_ir, info.func_name, types, native.ARCHES["x86_64"],
                                  tmp_path / name)
    result = native.run_executable(exe, native.ARCHES["x86_64"], make_args(name, "MINI"),
                                   types, reps=2)
    ok, worst = compare(_reference(name, "MINI"), result.arrays, name, "MINI")
    assert ok, f"{name}: max relative error {worst:.3g}"


def crashing_client(job):
    import os

    os._exit(7)


def hanging_client(job):
    import time

    time.sleep(600)


@pytest.mark.parametrize(("run", "message"), [(crashing_client, "crashed"),
                                              (hanging_client, "no result in 5 s")])
def test_a_client_that_crashes_or_hangs_is_a_failed_row_not_a_lost_run(run, message):
    """polybench.evaluate runs IREE and XLA in a child process: XLA has died of SIGSEGV on
    symm at LARGE, which took the whole evaluation with it."""
    from polybench import clients, evaluate

    job = evaluate.ClientJob("xla", "", "f", 1, {}, [], 1)
    with pytest.raises(clients.ClientError, match=message):
        evaluate.isolated(job, run=run, limit=5.0)


def _copy_case(source: np.ndarray, target: np.ndarray) -> str:
    """C statements copying the view `source` into the view `target` (both views of two
    flat double buffers `a` and `b`) through the driver's memrefCopy."""
    def descriptor(name: str, view: np.ndarray, base: np.ndarray) -> str:
        offset = (view.__array_interface__["data"][0] - base.__array_interface__["data"][0]) // 8
        words = [f"(int64_t){name}", f"(int64_t){name}", str(offset), *map(str, view.shape),
                 *(str(s // 8) for s in view.strides)]
        return "{" + ", ".join(words) + "}"
    return (f"{{ int64_t s[] = {descriptor('a', source, _COPY_A)}, "
            f"d[] = {descriptor('b', target, _COPY_B)};\n"
            f"  unranked_memref su = {{{source.ndim}, s}}, du = {{{target.ndim}, d}};\n"
            f"  memrefCopy(8, &su, &du); }}")


_COPY_A = np.arange(1.0, 121.0)
_COPY_B = np.zeros(120)


@native_only
def test_the_drivers_memref_copy_copies_strided_views(tmp_path):
    """Odd views, as bufferization makes them: 0-d, one element, an empty extent, a column,
    an interior 3-D box with non-unit inner strides, rows of a transposed view."""
    a3, b3 = _COPY_A.reshape(4, 5, 6), _COPY_B.reshape(4, 5, 6)
    a2, b2 = _COPY_A.reshape(10, 12), _COPY_B.reshape(10, 12)
    cases = [(a3[1, 2, 3, ...], b3[0, 0, 0, ...]), (a2[3:4, 5:6], b2[9:10, 11:12]),
             (a2[2:5, 0:0], b2[0:3, 0:0]), (a2[:, 7], b2[:, 1]),
             (a3[1:3, 1:4, 0:6:2], b3[2:4, 0:3, 3:6]), (a2[0:3, 0:5].T, b2[5:10, 9:12])]
    expected = _COPY_B.copy().reshape(120)
    body = []
    for source, target in cases:
        view = np.ndarray(target.shape, np.float64, expected,
                          target.__array_interface__["data"][0] -
                          _COPY_B.__array_interface__["data"][0], target.strides)
        view[...] = source
        body.append(_copy_case(source, target))
    program = "\n".join([
        "#include <stdint.h>", "#include <stdio.h>", "#include <string.h>",
        *native._MEMREF_COPY,
        "int main(void) {", "  double a[120], b[120];",
        "  for (int i = 0; i < 120; i++) { a[i] = i + 1; b[i] = 0; }",
        *("  " + line for line in body),
        "  for (int i = 0; i < 120; i++) printf(\"%g\\n\", b[i]);", "  return 0; }"])
    (tmp_path / "copy.c").write_text(program)
    subprocess.run([native.CLANG, "-O2", "-Wall", "-Werror", "-o", str(tmp_path / "copy"),
                    str(tmp_path / "copy.c")], check=True, capture_output=True)
    out = subprocess.run([str(tmp_path / "copy")], check=True, capture_output=True, text=True)
    np.testing.assert_array_equal(np.array(out.stdout.split(), dtype=float), expected)


ON_VIEWS = ("cholesky", "durbin", "gramschmidt", "lu", "ludcmp", "nussinov", "trisolv")
# ... of which these are one StableHLO op on the stablehlo target (grammar/solve.py).
ONE_OP_ON_STABLEHLO = {"cholesky": "stablehlo.cholesky", "trisolv": "stablehlo.triangular_solve"}


@native_only
@pytest.mark.slow
@pytest.mark.parametrize("name", ON_VIEWS)
def test_kernels_raised_on_views_lower_and_match_the_reference(name, tmp_path):
    """Calls of view functions (runtime-sized strided views; their ops tiled by the
    register width with the last tile peeled) build and match the reference on x86 at SMALL
    (odd, unequal extents), and on RVV at MINI under qemu."""
    info = get(name)
    for target in ("linalg", "stablehlo"):
        raised = raise_text(instantiate_text(name, "SMALL"), f"{name}.mlir",
                            RaiseOptions(target=target, crosscheck="none"))
        if target == "stablehlo" and name in ONE_OP_ON_STABLEHLO:  # no views left
            assert ONE_OP_ON_STABLEHLO[name] in raised.text, raised.report
        else:
            assert "func.call @" in raised.text, raised.report
        types = lower.signature(raised.text, info.func_name)
        exe = native.build_executable(lower.emit_llvm_ir(raised.text, "raised", "x86_64"),
                                      info.func_name, types, native.ARCHES["x86_64"],
                                      tmp_path / f"{name}-{target}")
        result = native.run_executable(exe, native.ARCHES["x86_64"], make_args(name, "SMALL"),
                                       types, reps=1)
        ok, worst = compare(_reference(name, "SMALL"), result.arrays, name, "SMALL")
        assert ok, f"{name} {target}: max relative error {worst:.3g}"
    raised = raise_text(instantiate_text(name, "MINI"), f"{name}.mlir",
                        RaiseOptions(crosscheck="none"))
    types = lower.signature(raised.text, info.func_name)
    exe = native.build_executable(lower.emit_llvm_ir(raised.text, "raised", "riscv64"),
                                  info.func_name, types, native.ARCHES["riscv64"],
                                  tmp_path / f"{name}-rvv")
    _, result = native.count_instructions(exe, native.ARCHES["riscv64"],
                                          make_args(name, "MINI"), types)
    ok, worst = compare(_reference(name, "MINI"), result.arrays, name, "MINI")
    assert ok, f"{name} rvv: max relative error {worst:.3g}"

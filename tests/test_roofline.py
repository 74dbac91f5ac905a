"""The limits section of the evaluation: this machine's peak and bandwidth, each kernel's
work, and the table that sets the measured times against them."""

from __future__ import annotations

import numpy as np
import pytest

from polybench import evaluate, roofline
from polybench.datasets import get
from tests.test_lowering import native_only


def test_the_flops_of_a_raised_product_are_its_iteration_space():
    prepared = evaluate.prepare("gemm", "MINI")
    extents = get("gemm").dataset("MINI")
    ni, nj, nk = extents["NI"], extents["NJ"], extents["NK"]
    flops = roofline.raised_flops(prepared.raised["linalg"])
    # the product's multiply-add per point, plus a few elementwise ops per output element
    assert flops is not None and 2 * ni * nj * nk <= flops <= 2 * ni * nj * nk + 8 * ni * nj
    assert roofline.raised_flops(prepared.raised["stablehlo"]) == flops


def test_a_runtime_extent_has_no_flop_count():
    text = """
func.func @f(%a: memref<?xf64>, %b: memref<?xf64>) {
  %c0 = arith.constant 0 : index
  %n = memref.dim %a, %c0 : memref<?xf64>
  %t = bufferization.to_tensor %a restrict : memref<?xf64> to tensor<?xf64>
  %e = tensor.empty(%n) : tensor<?xf64>
  %s = linalg.add ins(%t, %t : tensor<?xf64>, tensor<?xf64>) outs(%e : tensor<?xf64>) -> tensor<?xf64>
  bufferization.materialize_in_destination %s in restrict writable %b : (tensor<?xf64>, memref<?xf64>) -> ()
  return
}
"""
    assert roofline.raised_flops(text) is None


def test_the_limits_table_sets_times_against_peak_and_bound():
    host = roofline.Machine(peak_gflops=100.0, bandwidth_gbs=10.0)
    work = [roofline.KernelWork("k", flops=2_000_000_000, nbytes=100_000_000)]
    table = roofline.limits_table(work, {("k", "raised-linalg"): 0.04}, host)
    row = table.splitlines()[2]
    # 2 GFLOP in 0.04 s = 50 GFLOP/s = 50% of the peak; 100 MB at 10 GB/s = 0.01 s bound
    assert "| k | 2 | 100 | 0.01 | 50 (50%) | 4.00x | — | — |" == row
    assert roofline.array_bytes([np.zeros((3, 5)), 2.0, np.zeros(7, np.float32)]) == 148


@native_only
@pytest.mark.slow
def test_evaluate_measures_the_machine_and_runs_only_the_variants_asked_for(tmp_path):
    host = roofline.machine()
    assert host.peak_gflops > 1 and host.bandwidth_gbs > 0.5
    code = evaluate.run(["--size", "MINI", "--targets", "cpu", "--reps", "1", "--kernels",
                         "atax", "--variants", "raised-linalg", "--out", str(tmp_path)])
    assert code == 0
    text = (tmp_path / "results.md").read_text()
    assert "Against this machine's limits" in text and "| atax |" in text
    variants = {line.split(",")[1] for line in
                (tmp_path / "cpu.csv").read_text().splitlines()[1:]}
    assert variants == {"baseline", "raised-linalg"}
    assert evaluate.run(["--variants", "raised-linalg,fortran", "--out", str(tmp_path)]) == 2

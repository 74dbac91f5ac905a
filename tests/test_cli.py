"""The command line: exit codes, diagnostics, outputs, reports, no tracebacks."""

import json
import subprocess
import sys

from tests.conftest import KERNELS

CMD = [sys.executable, "-m", "raising"]


def _run(*args, stdin=None):
    return subprocess.run([*CMD, *args], check=False, capture_output=True, text=True, input=stdin,
                          timeout=300)


def test_raises_gemm_with_report_and_stats(tmp_path):
    out, report = tmp_path / "out.mlir", tmp_path / "r.json"
    proc = _run(str(KERNELS / "gemm.mlir"), "-o", str(out), "--report", str(report),
                "--stats", "--crosscheck", "small")
    assert proc.returncode == 0, proc.stderr
    assert "linalg.matmul" in out.read_text()
    data = json.loads(report.read_text())
    region = data["functions"][0]["regions"][0]
    assert region["status"] == "raised" and region["proof"]["result"] == "proved"
    assert "matmul" in region["ops"] and region["synthesis_seconds"] >= 0
    assert data["functions"][0]["crosscheck"]["passed"]
    assert data["total_seconds"] > 0
    assert "rejected:" in proc.stderr and "duplicate=" in proc.stderr


def test_bad_input_gives_diagnostic_and_exit_2(tmp_path):
    bad = tmp_path / "bad.mlir"
    bad.write_text("func.func @f() {\n  %x = arith.addf %a : f64\n}\n")
    proc = _run(str(bad))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"{bad}:2:") and "error:" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_file_and_stdin(tmp_path):
    proc = _run(str(tmp_path / "nope.mlir"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    proc = _run("-", "--crosscheck", "none", "-q",
                stdin=(KERNELS / "mvt.mlir").read_text())
    assert proc.returncode == 0 and "linalg.matvec" in proc.stdout


def test_refuses_to_overwrite_input(tmp_path):
    kernel = tmp_path / "k.mlir"
    original = (KERNELS / "mvt.mlir").read_text()
    kernel.write_text(original)
    proc = _run(str(kernel), "-o", str(kernel))
    assert proc.returncode == 2 and kernel.read_text() == original


def test_unraisable_nest_stays_and_exits_1(tmp_path):
    # An elementwise erf: the symbolic interpreter does not model it, so the loop stays.
    kernel = tmp_path / "sqrt.mlir"
    kernel.write_text("""func.func @k(%a: memref<100xf64>, %b: memref<100xf64>) {
  affine.for %i = 0 to 100 {
    %0 = affine.load %a[%i] : memref<100xf64>
    %1 = math.erf %0 : f64
    affine.store %1, %b[%i] : memref<100xf64>
  }
  return
}
""")
    report = tmp_path / "r.json"
    proc = _run(str(kernel), "--report", str(report), "--timeout", "5")
    assert proc.returncode == 1, proc.stderr
    assert "affine.for" in proc.stdout and "math.erf" in proc.stdout
    region = json.loads(report.read_text())["functions"][0]["regions"][0]
    assert region["status"] == "unraised" and region["reason"]


def test_proof_scope_and_fp_modes_in_summary():
    proc = _run(str(KERNELS / "gemm.mlir"), "--crosscheck", "none", "--allow-unproved")
    assert proc.returncode == 0, proc.stderr
    assert "for all sizes, at extents (3, 5, 7) and (5, 7, 3)" in proc.stderr
    assert "UNPROVED" not in proc.stdout  # everything was proved: nothing to mark
    proc = _run(str(KERNELS / "gemm.mlir"), "--crosscheck", "none", "--fp", "ieee")
    assert proc.returncode == 1 and "affine.for" in proc.stdout
    assert "IEEE" in proc.stderr and "reassociation" in proc.stderr

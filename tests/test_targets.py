"""polybench.targets: the ratios of the "Against the targets" section, from rows as a run
writes them (and from its CSVs), with met / missed against each target."""

from polybench import targets
from polybench.evaluate import Row, write_csv


def _rows() -> list[Row]:
    ok = "ok (1e-15)"
    rows = []
    for kernel, base, mine, mine2, numpy, numpy2, status in [
            ("gemm", 1.0, 0.10, 0.05, 0.095, 0.06, "raised"),  # 0.95x of numpy, 2t 2.0x
            ("atax", 1.0, 0.20, 0.19, 0.40, 0.30, "raised"),  # 2.0x of numpy
            ("jacobi-2d", 1.0, 0.60, 0.60, 5.0, 5.0, "partial"),  # 1.67x over the baseline
            ("deriche", 1.0, 1.10, 1.10, 2.0, 2.0, "partial")]:  # slower than the baseline
        for variant, seconds in [("baseline", base), ("raised-linalg", mine),
                                 ("raised-linalg-2t", mine2), ("numpy", numpy),
                                 ("numpy-2t", numpy2)]:
            rows.append(Row(kernel, variant, seconds=seconds, speedup=base / seconds,
                            check=ok, status=status))
    rows.append(Row("gemm", "xla", seconds=0.04, check=ok, status="raised"))
    rows.append(Row("atax", "xla", seconds=0.1, check="FAILED: crash", status="raised"))
    return rows


def test_cpu_ratios_and_verdicts():
    text = "\n".join(targets.cpu_lines(_rows(), threads=2))
    # numpy / raised-linalg: gemm 0.95, atax 2.0 -> geomean sqrt(1.9) = 1.38
    assert "over the 2 fully raised kernels: geomean **1.38x** (target ≥ 1.2: met)" in text
    assert "gemm: 0.95x of OpenBLAS through numpy (target ≥ 0.95: met)" in text
    assert "below 0.9x (target: none): none" in text
    # numpy-2t / raised-linalg-2t: gemm 1.2, atax 1.579 -> 1.38; XLA only where it ran
    assert "numpy-2t / raised-linalg-2t over 2: geomean **1.38x** (target ≥ 1.2: met)" in text
    assert "XLA / raised-linalg-2t over 1: geomean **0.80x** (target ≥ 1.2: missed)" in text
    assert "raised-linalg / raised-linalg-2t: gemm 2.00x (target ≥ 1.8 each: met)" in text
    assert "below 1.0x: deriche 0.91x" in text
    assert "Stencils: jacobi-2d 1.67x (target ≥ 1.5 each: met)" in text


def test_rvv_geomean_against_the_size_target():
    rows = [Row("gemm", "raised-linalg", instructions=10, speedup=9.0, check="ok",
                status="raised"),
            Row("atax", "raised-linalg", instructions=10, speedup=4.0, check="ok",
                status="raised"),
            Row("durbin", "raised-linalg", instructions=10, speedup=0.7, check="ok",
                status="partial")]
    (line,) = targets.rvv_lines(rows, "SMALL")
    assert "over the 2 fully raised kernels: geomean **6.00x** (target ≥ 8: missed)" in line
    assert "below 1.0x: durbin 0.70x" in line
    (line,) = targets.rvv_lines(rows, "MINI")
    assert "(target ≥ 4: met)" in line


def test_the_section_comes_back_from_a_runs_csv(tmp_path, capsys):
    write_csv(tmp_path / "cpu.csv", _rows(), with_instructions=False)
    assert targets.main([str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("## Against the targets (issue 17)")
    assert "geomean **1.38x**" in printed and "numpy-2t" in printed
    assert targets.main([str(tmp_path / "nothing")]) == 2

"""Issue 7: batch mode (several files, a folder, --jobs, summary line, one report) and the
Python API."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import raising

KERNELS = Path(__file__).resolve().parent.parent / "polybench" / "kernels"
SUMMARY = re.compile(r"^raised (\d+)/(\d+) files fully, (\d+)/(\d+) loop nests"
                     r"(, (\d+) files with errors)?(, [\d.]+ s)?$")


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("mvt", "gemm"):
        (folder / f"{name}.mlir").write_text((KERNELS / f"{name}.mlir").read_text())
    (folder / "broken.mlir").write_text("func.func @f( {\n")
    (folder / "notes.txt").write_text("not an input")
    return folder


def test_batch_over_a_folder_with_jobs(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    out, report = tmp_path / "out", tmp_path / "batch.json"
    proc = subprocess.run([sys.executable, "-m", "raising", str(folder), "--jobs", "2",
                           "-o", str(out), "--report", str(report), "--crosscheck", "small"],
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 2, proc.stderr  # the broken file
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    match = SUMMARY.match(last)
    assert match, last
    assert match.group(1, 2, 3, 4, 6) == ("2", "3", "3", "3", "1")
    assert re.search(r"broken\.mlir:1:14: error: ", proc.stderr)
    assert sorted(p.name for p in out.iterdir()) == ["gemm.mlir", "mvt.mlir"]
    assert "linalg.matmul" in (out / "gemm.mlir").read_text()
    data = json.loads(report.read_text())
    assert data["summary"]["files"] == 3 and data["summary"]["fully_raised"] == 2
    assert [Path(f["input"]).name for f in data["files"]] == ["broken.mlir", "gemm.mlir",
                                                               "mvt.mlir"]


def test_batch_refuses_outputs_over_inputs(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    before = (folder / "mvt.mlir").read_text()
    proc = subprocess.run([sys.executable, "-m", "raising", str(folder / "mvt.mlir"),
                           str(folder / "gemm.mlir"), "-o", str(folder)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 2 and "refusing to overwrite" in proc.stderr
    assert (folder / "mvt.mlir").read_text() == before


def test_api_raise_module_file_and_files(tmp_path: Path) -> None:
    assert "raise_module" in (raising.__doc__ or "") and raising.raise_module.__doc__
    text = (KERNELS / "mvt.mlir").read_text()
    result = raising.raise_module(text, target="stablehlo", timeout=10, crosscheck="none")
    assert result.exit_code == 0 and "stablehlo.dot_general" in result.text
    assert result.report["raised_regions"] == 2
    out, report = tmp_path / "o.mlir", tmp_path / "r.json"
    source = tmp_path / "mvt.mlir"
    source.write_text(text)
    raising.raise_file(str(source), str(out), str(report), crosscheck="none", timings=False)
    assert "linalg" in out.read_text() and "total_seconds" not in report.read_text()
    batch = raising.raise_files([str(source), str(KERNELS / "gemm.mlir")], jobs=1,
                                crosscheck="none")
    assert batch.exit_code == 0 and [f.raised for f in batch.files] == [2, 1]
    assert SUMMARY.match(batch.summary())
    try:
        raising.raise_module("not mlir")
    except raising.LoadError as err:
        assert err.diagnostics[0].startswith("<string>:1:1: error:")
    else:
        raise AssertionError("bad input must raise LoadError")


def test_batch_walks_a_tree_and_mirrors_it(tmp_path: Path) -> None:
    """Kernels in subfolders are found, each output keeps its place (two files of one
    name in different folders both get theirs); hidden folders are skipped."""
    tree = tmp_path / "suite"
    gemm = (KERNELS / "gemm.mlir").read_text()
    for place in ("top.mlir", "blas/k.mlir", "dsp/filters/k.mlir", ".cache/old.mlir"):
        (tree / place).parent.mkdir(parents=True, exist_ok=True)
        (tree / place).write_text(gemm)
    out, report = tmp_path / "out", tmp_path / "r.json"
    proc = subprocess.run([sys.executable, "-m", "raising", str(tree), "-o", str(out),
                           "--report", str(report), "--crosscheck", "none", "--jobs", "2"],
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*.mlir"))
    assert written == ["blas/k.mlir", "dsp/filters/k.mlir", "top.mlir"]
    assert len(json.loads(report.read_text())["files"]) == 3

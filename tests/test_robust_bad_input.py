"""Issue 7, bad input: one clear `file:line:col: error:` (or `file: error:`) line, exit 2, no
traceback; the input is never modified and `-o` is never left half-written."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from raising.interface.api import write_atomic

KERNELS = Path(__file__).resolve().parent.parent / "polybench" / "kernels"
GOOD = (KERNELS / "mvt.mlir").read_text()
CASES = {
    "empty": "",
    "blank": "\n  \n",
    "not_mlir": "int main(void) { return 0; }\n",
    "truncated": GOOD[: len(GOOD) // 2],
    "verifier": "func.func @f(%a: memref<4xf64>) {\n  %c = arith.constant 1 : index\n"
                "  %v = affine.load %a[%c, %c] : memref<4xf64>\n  return\n}\n",
    "type_error": "func.func @f(%a: f64) {\n  %0 = arith.addf %a, %a : f32\n  return\n}\n",
    "unknown_dialect": "func.func @f() {\n  %0 = foo.bar() : () -> f64\n  return\n}\n",
    "no_function": "module {\n}\n",
    "declaration_only": "func.func private @f(memref<4xf64>)\n",
}
DIAGNOSTIC = re.compile(r"^(?P<file>[^:]+)(:\d+:\d+)?: error: \S")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "raising", *args], capture_output=True,
                          text=True, timeout=300, check=False)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_one_clear_error(case: str, tmp_path: Path) -> None:
    bad = tmp_path / f"{case}.mlir"
    bad.write_text(CASES[case])
    before = _digest(bad)
    out = tmp_path / "out.mlir"
    out.write_text("previous output\n")
    proc = _run(str(bad), "-o", str(out), "--report", str(tmp_path / "r.json"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if ": error:" in line]
    assert errors and DIAGNOSTIC.match(errors[0]), proc.stderr
    assert errors[0].startswith(str(bad))
    assert _digest(bad) == before
    assert out.read_text() == "previous output\n"  # untouched, not truncated
    assert not (tmp_path / "r.json").exists()
    assert not list(tmp_path.glob(".buddy-raise-*")), "a temporary file was left behind"


def test_binary_missing_and_unreadable(tmp_path: Path) -> None:
    binary = tmp_path / "bin.mlir"
    binary.write_bytes(b"\xff\xfe\x00\x01garbage")
    for path, needle in ((binary, "not a UTF-8"), (tmp_path / "nope.mlir", "no such file")):
        proc = _run(str(path))
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert proc.stderr.startswith(f"{path}: error: ") and needle in proc.stderr


def test_directory_without_mlir_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    proc = _run(str(tmp_path))
    assert proc.returncode == 2 and "no .mlir files" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_input_never_modified_on_success(tmp_path: Path) -> None:
    kernel = tmp_path / "k.mlir"
    kernel.write_text(GOOD)
    before = _digest(kernel)
    proc = _run(str(kernel), "-o", str(tmp_path / "out.mlir"), "--crosscheck", "none")
    assert proc.returncode == 0, proc.stderr
    assert _digest(kernel) == before
    assert "linalg" in (tmp_path / "out.mlir").read_text()
    for flag in ("-o", "--report"):
        proc = _run(str(kernel), flag, str(kernel))
        assert proc.returncode == 2 and _digest(kernel) == before


def test_atomic_write_leaves_old_file_when_interrupted(tmp_path: Path) -> None:
    class Boom:  # a str whose writing fails half-way
        def __str__(self) -> str:
            raise RuntimeError

    out = tmp_path / "out.mlir"
    out.write_text("old\n")
    with pytest.raises(TypeError):
        write_atomic(str(out), Boom())  # type: ignore[arg-type]
    assert out.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.mlir"]
    write_atomic(str(out), "new\n")
    assert out.read_text() == "new\n"

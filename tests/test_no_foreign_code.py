"""No foreign code runs (issue 15, part 3): a kernel file whose functions call `system`,
`fopen`, `exit`, `abort` or an unknown external -- through func.call, llvm.call or a function
pointer -- is refused before anything is compiled to run; a marker file those calls would
create never appears, on every path that executes code."""

import subprocess
import sys
from pathlib import Path

import pytest

from checkers.execute import CompiledFunction, ExecutionError
from checkers.foreign import foreign_code_in_llvm_ir

CMD = [sys.executable, "-m", "raising"]

LOOP = """
    affine.for %i = 0 to 8 {
      %0 = affine.load %a[%i] : memref<8xf64>
      affine.store %0, %b[%i] : memref<8xf64>
    }"""


def _kernel(marker: Path, how: str) -> str:
    """A raisable copy loop in @k, after a call that would create `marker` (or end the
    process) if it ever ran."""
    strings = (f'  llvm.mlir.global internal constant @cmd("touch {marker}\\00") '
               '{addr_space = 0 : i32}\n'
               f'  llvm.mlir.global internal constant @path("{marker}\\00") '
               '{addr_space = 0 : i32}\n'
               '  llvm.mlir.global internal constant @mode("w\\00") {addr_space = 0 : i32}\n')
    def lines(*ops: str) -> str:
        return "\n    ".join(ops)

    calls = {
        "func.call system": ("func.func private @system(!llvm.ptr) -> i32",
                             lines("%p = llvm.mlir.addressof @cmd : !llvm.ptr",
                                   "%r = func.call @system(%p) : (!llvm.ptr) -> i32")),
        "llvm.call system": ("llvm.func @system(!llvm.ptr) -> i32",
                             lines("%p = llvm.mlir.addressof @cmd : !llvm.ptr",
                                   "%r = llvm.call @system(%p) : (!llvm.ptr) -> i32")),
        "function pointer": ("llvm.func @system(!llvm.ptr) -> i32",
                             lines("%p = llvm.mlir.addressof @cmd : !llvm.ptr",
                                   "%f = llvm.mlir.addressof @system : !llvm.ptr",
                                   "%r = llvm.call %f(%p) : !llvm.ptr, (!llvm.ptr) -> i32")),
        "fopen": ("llvm.func @fopen(!llvm.ptr, !llvm.ptr) -> !llvm.ptr",
                  lines("%p = llvm.mlir.addressof @path : !llvm.ptr",
                        "%m = llvm.mlir.addressof @mode : !llvm.ptr",
                        "%r = llvm.call @fopen(%p, %m) : (!llvm.ptr, !llvm.ptr) -> !llvm.ptr")),
        "exit": ("func.func private @exit(i32)",
                 lines("%c = arith.constant 0 : i32", "func.call @exit(%c) : (i32) -> ()")),
        "abort": ("func.func private @abort()", "func.call @abort() : () -> ()"),
        "unknown": ("func.func private @launch(f64) -> f64",
                    lines("%c = arith.constant 1.0 : f64",
                          "%r = func.call @launch(%c) : (f64) -> f64")),
    }
    declaration, call = calls[how]
    return (f"module {{\n{strings}  {declaration}\n"
            f"  func.func @helper() {{\n    {call}\n    return\n  }}\n"
            f"  func.func @k(%a: memref<8xf64>, %b: memref<8xf64>) {{\n"
            f"    func.call @helper() : () -> (){LOOP}\n    return\n  }}\n}}\n")


HOW = ["func.call system", "llvm.call system", "function pointer", "fopen", "exit", "abort",
       "unknown"]


@pytest.mark.parametrize("how", HOW)
def test_raising_refuses_foreign_calls_and_runs_nothing(tmp_path, how):
    marker = tmp_path / "MARKER"
    source = tmp_path / "k.mlir"
    source.write_text(_kernel(marker, how))
    proc = subprocess.run([*CMD, str(source), "-o", str(tmp_path / "out.mlir")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 1, proc.stderr  # unraised with a reason, not a crash or exit 0
    assert "Traceback" not in proc.stderr
    symbol = {"fopen": "fopen", "exit": "exit", "abort": "abort", "unknown": "launch"}.get(
        how, "system")
    assert f"external function `{symbol}` (foreign code is never executed)" in proc.stderr
    assert not marker.exists()


def test_every_path_refuses_system(tmp_path):
    marker = tmp_path / "MARKER"
    folder = tmp_path / "in"
    folder.mkdir()
    source = folder / "k.mlir"
    source.write_text(_kernel(marker, "func.call system"))
    runs = [
        [*CMD, str(folder), "-o", str(tmp_path / "batch"), "--jobs", "2"],  # batch mode
        [*CMD, "check", str(source), str(source)],  # the standalone equivalence check
        [*CMD, str(source), "--emit", "llvm", "-o", str(tmp_path / "k.ll")],
        [*CMD, str(source), "--crosscheck", "full", "-o", str(tmp_path / "full.mlir")],
        [sys.executable, "-m", "polybench.evaluate", "--file", str(source), "--targets",
         "cpu,rvv", "--reps", "1", "--out", str(tmp_path / "evaluate")],  # a user's file
    ]
    for argv in runs:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)
        assert "Traceback" not in proc.stderr, argv
        assert not marker.exists(), argv


def test_the_jit_refuses_before_running(tmp_path):
    marker = tmp_path / "MARKER"
    with pytest.raises(ExecutionError, match="external function `system`"):
        CompiledFunction(_kernel(marker, "func.call system"), "k")
    with pytest.raises(ExecutionError, match="function pointer|external function"):
        CompiledFunction(_kernel(marker, "function pointer"), "k")
    assert not marker.exists()


def test_native_builds_refuse_foreign_llvm_ir():
    assert foreign_code_in_llvm_ir("declare ptr @malloc(i64)\ndeclare double @exp(double)\n"
                                   "declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)\n"
                                   "declare i32 @__kmpc_global_thread_num(ptr)\n") is None
    assert "system" in foreign_code_in_llvm_ir("declare i32 @system(ptr)\n")
    assert "pointer" in foreign_code_in_llvm_ir("  %7 = call i32 %5(ptr %6)\n")
    assert "assembly" in foreign_code_in_llvm_ir('  call void asm sideeffect "nop", ""()\n')

"""IREE and XLA as clients of `--abi tensor`: every fully raised PolyBench kernel (MINI), as
a pure tensor function, compiled by iree-compile (llvm-cpu; stablehlo and linalg input) and
by XLA (jax's CPU client; stablehlo), run on the numpy reference's inputs, equal to the
reference (f64 kept f64)."""

from __future__ import annotations

import numpy as np
import pytest

from polybench import clients
from polybench.inputs import copy_args, make_args
from polybench.references import REFERENCES
from raising.frontend.load import load_text
from tests.conftest import FULLY_RAISED, raised_mini

# What each target's tensor module may hold (the clients' input dialects).
ALLOWED = {"stablehlo": ("func.", "stablehlo."),
           "linalg": ("func.", "linalg.", "tensor.", "arith.", "math.")}


def _tensor_form(name: str, target: str) -> tuple[str, dict]:
    result = raised_mini(name, target, "tensor")
    assert result.exit_code == 0, result.report
    function = result.report["functions"][0]
    assert "error" not in function["tensor_abi"], function["tensor_abi"]
    return result.text, function


def _reference(name: str) -> tuple[list, list]:
    args = make_args(name, "MINI", np.random.default_rng(3))
    expected = copy_args(args)
    REFERENCES[name](expected)
    return args, expected


def _check(name: str, call: clients.Compiled, function: dict) -> None:
    args, expected = _reference(name)
    inputs = [np.asarray(args[int(p[3:])]) for p in function["tensor_abi"]["params"]]
    outputs = call(inputs)
    results = function["tensor_abi"]["results"]
    assert len(outputs) == len(results)
    for value, replaces in zip(outputs, results):
        want = expected[int(replaces[3:])]
        assert value.dtype == np.float64 and value.shape == want.shape, (replaces, value.dtype)
        assert np.allclose(value, want, rtol=1e-9, atol=1e-9 * max(1.0, np.abs(want).max())), \
            replaces


@pytest.mark.parametrize("target", ["stablehlo", "linalg"])
@pytest.mark.parametrize("name", FULLY_RAISED)
def test_tensor_module_holds_only_client_dialects(name: str, target: str) -> None:
    text, _ = _tensor_form(name, target)
    module = load_text(text).module
    names = set()
    for func in module.body.operations:
        for region in func.regions:
            for block in region.blocks:
                names |= {op.operation.name for op in block.operations}
    assert all(n.startswith(ALLOWED[target]) for n in names), sorted(names)
    assert "memref" not in text and "bufferization" not in text


@pytest.mark.parametrize("target", ["stablehlo", "linalg"])
@pytest.mark.parametrize("name", FULLY_RAISED)
def test_iree_runs_the_tensor_form(name: str, target: str) -> None:
    text, function = _tensor_form(name, target)
    _check(name, clients.iree_function(text, function["name"], target), function)


@pytest.mark.parametrize("name", FULLY_RAISED)
def test_xla_runs_the_tensor_form(name: str) -> None:
    text, function = _tensor_form(name, "stablehlo")
    _check(name, clients.xla_function(text, function["name"]), function)


def test_a_partly_raised_function_has_no_tensor_form() -> None:
    result = raised_mini("jacobi-1d", "stablehlo", "tensor")
    assert result.exit_code == 1
    assert "no tensor form" in result.report["functions"][0]["tensor_abi"]["error"]


def test_cli_tensor_abi_then_iree_compile(tmp_path) -> None:
    """The README's commands: raise to a tensor function, hand it to iree-compile."""
    import subprocess
    import sys
    from pathlib import Path

    kernels = Path(__file__).resolve().parent.parent / "polybench" / "kernels"
    out = tmp_path / "gemm.hlo.mlir"
    proc = subprocess.run([sys.executable, "-m", "raising", str(kernels / "gemm.mlir"),
                           "--target", "stablehlo", "--abi", "tensor", "--crosscheck", "small",
                           "-o", str(out)], capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert "tensor ABI: (arg3, arg4, arg5, arg6, arg7) -> (arg5)" in proc.stderr
    compiler = Path(sys.executable).parent / "iree-compile"
    proc = subprocess.run([str(compiler), str(out), "--iree-hal-target-backends=llvm-cpu",
                           *clients.IREE_FLAGS, "-o", str(tmp_path / "gemm.vmfb")],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    bad = subprocess.run([sys.executable, "-m", "raising", str(kernels / "jacobi-1d.mlir"),
                          "--abi", "tensor", "--crosscheck", "none", "-o", str(tmp_path / "j")],
                         capture_output=True, text=True, timeout=300, check=False)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert sum("error: no tensor form" in line for line in bad.stderr.splitlines()) == 1

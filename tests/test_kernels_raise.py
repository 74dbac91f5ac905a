"""Every kernel the search must raise fully, both targets: exit 0, every region proved, compiled cross-check
passed; the linalg output also verifies with Debian's mlir-opt-22 (a second MLIR build)."""

import json
import shutil
import subprocess

import pytest

from tests.conftest import FULLY_RAISED, raised_small
from tests.helpers import raised_text

MLIR_OPT = shutil.which("mlir-opt-22") or shutil.which("mlir-opt",
                                                        path="/usr/lib/llvm-22/bin")


@pytest.mark.parametrize("target", ["linalg", "stablehlo"])
@pytest.mark.parametrize("name", FULLY_RAISED)
def test_kernel_raises_and_proves(name, target, tmp_path):
    result = raised_small(name, target)  # the default options, shared with mutants and check
    assert result.exit_code == 0, json.dumps(result.report, indent=1)
    func = result.report["functions"][0]
    assert func["regions"] and all(r["status"] == "raised" for r in func["regions"])
    assert all(r["proof"]["result"] == "proved" for r in func["regions"])
    assert func["crosscheck"]["passed"], func["crosscheck"]
    assert "affine.for" not in raised_text(result.text)
    if target == "linalg":
        assert MLIR_OPT, "mlir-opt-22 is installed by `make native`"
        out = tmp_path / "raised.mlir"
        out.write_text(result.text)
        proc = subprocess.run([MLIR_OPT, str(out), "-o", "/dev/null"], check=False, capture_output=True,
                              text=True)
        assert proc.returncode == 0, proc.stderr

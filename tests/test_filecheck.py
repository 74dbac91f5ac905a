"""Run the FileCheck-style tests in tests/filecheck: each file's `// RUN:` line, with %s
replaced by the file, piped through the Python `filecheck`."""

import pathlib
import shlex
import subprocess
import sys

import pytest

HERE = pathlib.Path(__file__).parent / "filecheck"
ROOT = HERE.parent.parent
BIN = pathlib.Path(sys.executable).parent


@pytest.mark.parametrize("path", sorted(HERE.glob("*.mlir")), ids=lambda p: p.name)
def test_filecheck(path):
    runs = [line.split("RUN:", 1)[1].strip() for line in path.read_text().splitlines()
            if "RUN:" in line]
    assert runs, f"{path.name} has no RUN line"
    for run in runs:
        command = run.replace("%s", shlex.quote(str(path)))
        env = {"PATH": f"{BIN}:/usr/bin:/bin"}
        proc = subprocess.run(command, check=False, shell=True, capture_output=True, text=True, cwd=ROOT,
                              env=env, timeout=300)
        assert proc.returncode == 0, f"{command}\n{proc.stdout}\n{proc.stderr}"

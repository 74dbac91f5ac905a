"""Nothing lost: an output that cannot be written (missing folder, read-only file, full
disk) and an interrupt in the middle of a batch leave every input and every earlier output
intact, with one error line and no traceback; an interrupted batch says which files were
done."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from raising.frontend.load import load_text

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
SMALL = ("c_axpby", "c_clamp", "c_relu_f32", "c_dot_0d", "c_exp_scale", "c_elementwise_f32",
         "c_matvec_trans", "c_rank1_update")
CMD = [sys.executable, "-m", "raising"]


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def _inputs(tmp_path: Path, names: tuple[str, ...] = SMALL) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in names:
        (folder / f"{name}.mlir").write_text((CORPUS / f"{name}.mlir").read_text())
    return folder


def _run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CMD, *args, "--crosscheck", "none"], capture_output=True,
                          text=True, timeout=300, check=False, **kwargs)  # type: ignore[call-overload]


def _one_error_line(proc: subprocess.CompletedProcess[str], says: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if ": error:" in line]
    assert len(errors) == 1 and says in errors[0], proc.stderr


def _no_temporaries(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".buddy-raise-")]


def test_output_into_a_missing_folder(tmp_path: Path) -> None:
    source = _inputs(tmp_path, ("c_axpby",)) / "c_axpby.mlir"
    before = _digest(source.parent)
    proc = _run(str(source), "-o", str(tmp_path / "no" / "such" / "out.mlir"))
    _one_error_line(proc, "no such directory")
    assert not (tmp_path / "no").exists() and _digest(source.parent) == before


def test_read_only_output_is_kept(tmp_path: Path) -> None:
    source = _inputs(tmp_path, ("c_axpby",)) / "c_axpby.mlir"
    out = tmp_path / "out.mlir"
    out.write_text("// an earlier result\n")
    out.chmod(0o444)
    proc = _run(str(source), "-o", str(out))
    _one_error_line(proc, "read-only")
    assert out.read_text() == "// an earlier result\n"
    _no_temporaries(tmp_path)


def _limit_file_size(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_file_size_limit_keeps_the_earlier_output(tmp_path: Path) -> None:
    source = _inputs(tmp_path, ("c_matvec_trans",)) / "c_matvec_trans.mlir"
    out = tmp_path / "out.mlir"
    out.write_text("// an earlier result\n")
    proc = _run(str(source), "-o", str(out), preexec_fn=lambda: _limit_file_size(512))
    _one_error_line(proc, "cannot write")
    assert out.read_text() == "// an earlier result\n"
    _no_temporaries(tmp_path)


@pytest.fixture
def tiny_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 64 KiB tmpfs (root only); skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if proc.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_full_disk_in_a_batch(tmp_path: Path, tiny_disk: Path) -> None:
    """The disk fills up part way through: files written before stay whole, the rest are
    errors naming the file, the inputs are untouched."""
    folder = _inputs(tmp_path)
    before = _digest(folder)
    (tiny_disk / "filler").write_bytes(b"\0" * (40 * 1024))  # leave room for a few outputs
    out = tiny_disk / "out"
    proc = _run(str(folder), "-o", str(out), "--report", str(tmp_path / "r.json"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    written = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    failed = [line for line in proc.stderr.splitlines() if "cannot write" in line]
    assert written and failed, proc.stderr
    assert len(written) + len(failed) == len(SMALL), (written, failed)
    for name in written:  # whole modules
        load_text((out / name).read_text(), name)
    _no_temporaries(out)
    assert _digest(folder) == before
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["summary"]["errors"] == len(failed)


@pytest.mark.parametrize("mode", ["jobs", "cluster"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_batch_reports_what_was_done(tmp_path: Path, signum: int,
                                                 mode: str) -> None:
    folder = _inputs(tmp_path)
    more = {f"copy{k}_{name}": name for k in range(3) for name in SMALL}
    for copy, name in more.items():  # enough files that the batch is still running
        (folder / f"{copy}.mlir").write_text((CORPUS / f"{name}.mlir").read_text())
    before = _digest(folder)
    out, report = tmp_path / "out", tmp_path / "r.json"
    earlier = out / "c_axpby.mlir"
    out.mkdir()
    earlier.write_text("// an earlier result, replaced only by a whole new one\n")
    proc = subprocess.Popen([*CMD, str(folder), "-o", str(out), "--report", str(report),
                             "--crosscheck", "none", "--jobs", "2",
                             *(["--cluster", "local"] if mode == "cluster" else [])],
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        if len([p for p in out.iterdir() if not p.name.startswith(".")]) >= 3:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the batch finished before the interrupt"
    os.killpg(proc.pid, signum) if signum == signal.SIGINT else proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signum, stderr
    assert "Traceback" not in stderr and "not done:" in stderr, stderr
    data = json.loads(report.read_text())
    done = [f["input"] for f in data["files"]]
    assert data["summary"]["interrupted"] and data["not_done"], data["summary"]
    assert len(done) + len(data["not_done"]) == len(before)
    for path in done:  # every file reported done has its whole output
        name = Path(path).name
        load_text((out / name).read_text(), name)
    for path in data["not_done"]:  # untouched, or whole if its worker finished in time
        target = out / Path(path).name
        if target.exists() and not target.read_text().startswith("// an earlier result"):
            load_text(target.read_text(), target.name)
    _no_temporaries(out)
    assert _digest(folder) == before

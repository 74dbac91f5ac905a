"""Issue 16 part 5: batch raising on a Dask cluster (`--cluster`): a local two-worker cluster
gives the same per-file outcomes, outputs and report as `--jobs 2`; a worker that crashes
or hangs costs that file only; a cluster that cannot be reached is one error line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from raising.interface.api import make_options
from raising.interface.cluster import Remote, raise_files_on_cluster, raise_source
from raising.pipeline import RaiseOptions

pytest.importorskip("distributed")

CORPUS = Path(__file__).resolve().parent / "corpus"
KERNELS = Path(__file__).resolve().parent.parent / "polybench" / "kernels"
pytestmark = pytest.mark.slow


def _tree(tmp_path: Path) -> Path:
    """The corpus in a tree of folders (and one file that does not load)."""
    root = tmp_path / "suite"
    for index, source in enumerate(sorted(CORPUS.glob("*.mlir"))):
        folder = root / ("blas", "dsp/filters", "misc")[index % 3]
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, folder / source.name)
    (root / "misc" / "broken.mlir").write_text("func.func @f( {\n")
    return root


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "raising", *args], capture_output=True,
                          text=True, timeout=1200, check=False)


def _outputs(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*.mlir"))}


def test_local_cluster_matches_jobs_over_the_corpus(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    runs = {}
    for name, flags in (("jobs", ["--jobs", "2"]), ("cluster", ["--cluster", "local",
                                                                 "--jobs", "2"])):
        out, report = tmp_path / f"out-{name}", tmp_path / f"{name}.json"
        proc = _cli(str(root), "-o", str(out), "--report", str(report), "--no-timings",
                    "--crosscheck", "small", *flags)
        assert "Traceback" not in proc.stderr, proc.stderr
        runs[name] = (proc.returncode, proc.stderr.strip().splitlines()[-1],
                      json.loads(report.read_text()), _outputs(out))
    jobs, cluster = runs["jobs"], runs["cluster"]
    assert jobs[0] == cluster[0] == 2  # the broken file
    assert cluster[1] == jobs[1]  # the summary line
    assert cluster[2] == jobs[2]  # every file's report, in input order
    assert cluster[3] == jobs[3] and len(cluster[3]) == len(list(CORPUS.glob("*.mlir")))
    assert {str(Path(k).parent) for k in cluster[3]} == {"blas", "dsp/filters", "misc"}


def faulty_task(path: str, text: str, options: RaiseOptions) -> Remote:
    """A worker task that kills its worker process on `crash.mlir` and never returns on
    `hang.mlir`; every other file is raised as usual."""
    name = os.path.basename(path)
    if name == "crash.mlir":
        os._exit(3)
    if name == "hang.mlir":
        time.sleep(3600)
    return raise_source(path, text, options)


def test_a_crash_and_a_hang_cost_their_files_only(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("crash", "hang", "gemm", "mvt"):
        source = "gemm" if name in ("crash", "hang") else name
        shutil.copy(KERNELS / f"{source}.mlir", folder / f"{name}.mlir")
    out = tmp_path / "out"
    start = time.monotonic()
    result = raise_files_on_cluster([str(folder)], make_options(crosscheck="small"), "local",
                                    workers=2, output_dir=str(out), task=faulty_task,
                                    deadline=20.0)
    assert time.monotonic() - start < 300
    outcomes = {Path(f.path).name: f for f in result.files}
    assert list(outcomes) == ["crash.mlir", "gemm.mlir", "hang.mlir", "mvt.mlir"]
    assert outcomes["crash.mlir"].exit_code == 2
    assert "worker process died" in outcomes["crash.mlir"].messages[-1]
    assert outcomes["hang.mlir"].exit_code == 2
    assert "a hang" in outcomes["hang.mlir"].messages[-1]
    assert outcomes["gemm.mlir"].exit_code == outcomes["mvt.mlir"].exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["gemm.mlir", "mvt.mlir"]
    assert "linalg.matmul" in (out / "gemm.mlir").read_text()
    assert result.exit_code == 2
    assert result.report(timings=False)["summary"]["errors"] == 2


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "no-such-scheme://x", "a:b:c"])
def test_an_unreachable_cluster_is_one_error_line(tmp_path: Path, address: str) -> None:
    source = tmp_path / "gemm.mlir"
    shutil.copy(KERNELS / "gemm.mlir", source)
    proc = _cli(str(source), "--cluster", address, "-o", str(tmp_path / "out"))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("buddy-raise: error: cannot reach the "
                                                   f"cluster at '{address}'"), proc.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_running_cluster_by_its_address(tmp_path: Path) -> None:
    """A scheduler someone else started (here: in this process), reached by address."""
    import logging

    from distributed import LocalCluster

    folder = tmp_path / "in" / "sub"
    folder.mkdir(parents=True)
    for name in ("gemm", "atax", "lu"):
        shutil.copy(KERNELS / f"{name}.mlir", folder / f"{name}.mlir")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.CRITICAL) as running:
        proc = _cli(str(tmp_path / "in"), "--cluster", running.scheduler_address, "-o",
                    str(tmp_path / "out"), "--crosscheck", "small", "--no-timings")
    assert proc.returncode == 1, proc.stderr  # lu is raised only in part
    assert proc.stderr.strip().splitlines()[-1] == "raised 2/3 files fully, 5/7 loop nests"
    assert sorted(_outputs(tmp_path / "out")) == ["sub/atax.mlir", "sub/gemm.mlir",
                                                  "sub/lu.mlir"]


def test_a_cluster_without_workers_gives_up_with_an_error_per_file(tmp_path: Path,
                                                                    monkeypatch) -> None:
    """A scheduler nobody works for: each file gets its error entry after the wait, and the
    batch returns instead of waiting forever."""
    import logging

    from distributed import LocalCluster

    from raising.interface import cluster as cluster_module

    monkeypatch.setattr(cluster_module, "NO_WORKERS_S", 1.0)
    monkeypatch.setattr(cluster_module, "CAPACITY_REFRESH_S", 0.1)
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("gemm", "atax", "mvt"):
        shutil.copy(KERNELS / f"{name}.mlir", folder / f"{name}.mlir")
    with LocalCluster(n_workers=0, processes=True, dashboard_address=None,
                      silence_logs=logging.CRITICAL) as empty:
        started = time.monotonic()
        result = raise_files_on_cluster([str(folder)], RaiseOptions(), empty.scheduler_address,
                                        output_dir=str(tmp_path / "out"))
    assert time.monotonic() - started < 60
    assert len(result.files) == 3
    for outcome in result.files:
        assert outcome.exit_code == 2 and "no worker joined the cluster" in outcome.messages[0]
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.mlir"))

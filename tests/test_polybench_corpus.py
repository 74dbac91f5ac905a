"""The PolyBench corpus: every kernel parses, resizes to every dataset, and computes what a
numpy reference written from the algorithm computes (JIT-compiled at MINI and SMALL)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from checkers.execute import CompiledFunction
from core import mlir_env
from polybench import datasets, inputs, references
from polybench.datasets import DATASETS, KERNELS_DIR, NAMES
from raising.frontend.resize import shape_extents

RUN_DATASETS = ("MINI", "SMALL")
REPO = Path(__file__).resolve().parent.parent


def _with_file(name: str, *values: object) -> object:
    """A parameter set carrying the kernel's file as pytest-datafiles data."""
    return pytest.param(name, *values,
                        marks=pytest.mark.datafiles(KERNELS_DIR / f"{name}.mlir"),
                        id="-".join([name, *map(str, values)]))


KERNEL_PARAMS = [_with_file(n) for n in NAMES]
RUN_PARAMS = [_with_file(n, d) for n in NAMES for d in RUN_DATASETS]
RESIZE_PARAMS = [_with_file(n, d) for n in NAMES for d in DATASETS]


def test_table_covers_the_corpus() -> None:
    assert len(NAMES) == 30
    on_disk = sorted(p.stem for p in KERNELS_DIR.glob("*.mlir"))
    assert on_disk == sorted(NAMES)
    assert set(references.REFERENCES) == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_large_sizes_resize_unambiguously(name: str) -> None:
    datasets.check_separation(datasets.get(name))


@pytest.mark.parametrize("name", KERNEL_PARAMS)
def test_kernel_parses_and_matches_signature(datafiles: Path, name: str) -> None:
    info = datasets.get(name)
    text = (datafiles / info.filename).read_text()
    assert text.startswith(f"// PolyBench 4.2.1 {name} ({info.category}): ")
    assert "LARGE dataset (" + ", ".join(f"{p}={v}" for p, v in info.large.items()) in text
    module = mlir_env.parse_module(text)
    funcs = [op for op in module.body.operations if op.operation.name == "func.func"]
    assert len(funcs) == 1
    assert str(funcs[0].attributes["sym_name"]) == f'"{info.func_name}"'
    # The argument types are what inputs.make_args produces, at LARGE.
    ftype = str(funcs[0].attributes["function_type"])
    expected = []
    for arg in inputs.signature(name):
        if arg.kind == "size":
            expected.append("i32")
        elif arg.kind == "scalar":
            expected.append("f64")
        else:
            elem = "i32" if name in ("floyd-warshall", "nussinov") else "f64"
            dims = "x".join(str(v) for v in arg.shape(info.large))
            expected.append(f"memref<{dims}x{elem}>")
    assert ftype == f"({', '.join(expected)}) -> ()"
    # Every static extent is one of the kernel's size parameters at LARGE.
    assert set(shape_extents(text)) <= set(info.large.values())


@pytest.mark.parametrize(("name", "dataset"), RESIZE_PARAMS)
def test_instantiate_every_dataset(datafiles: Path, name: str, dataset: str) -> None:
    info = datasets.get(name)
    text = datasets.instantiate_text(name, dataset, kernels_dir=datafiles)
    mlir_env.parse_module(text)
    large_text = (datafiles / info.filename).read_text()
    target = info.dataset(dataset)
    by_large = {info.large[p]: target[p] for p in info.params}
    assert shape_extents(text) == sorted({by_large[e] for e in shape_extents(large_text)})
    assert f"{dataset} dataset (" in text.splitlines()[0]


def _compare(name: str, got: list, expected: list) -> None:
    for i in inputs.array_indices(name):
        g, e = got[i], expected[i]
        if e.dtype.kind == "i":
            np.testing.assert_array_equal(g, e, err_msg=f"argument {i}")
        else:
            scale = max(1.0, float(np.max(np.abs(e))))
            np.testing.assert_allclose(g, e, rtol=1e-9, atol=1e-9 * scale,
                                       err_msg=f"argument {i}")


@pytest.mark.parametrize(("name", "dataset"), RUN_PARAMS)
def test_kernel_matches_numpy_reference(datafiles: Path, name: str, dataset: str) -> None:
    info = datasets.get(name)
    text = datasets.instantiate_text(name, dataset, kernels_dir=datafiles)
    compiled = CompiledFunction(text, info.func_name)
    args = inputs.make_args(name, dataset, np.random.default_rng(2024))
    before = inputs.copy_args(args)
    expected = inputs.copy_args(args)
    references.REFERENCES[name](expected)
    compiled.run(args)
    _compare(name, args, expected)
    # The kernel did something: some array changed.
    assert any(not np.array_equal(args[i], before[i]) for i in inputs.array_indices(name))


def test_make_args_is_reproducible() -> None:
    a = inputs.make_args("gemm", "MINI", np.random.default_rng(7))
    b = inputs.make_args("gemm", "MINI", np.random.default_rng(7))
    assert a[:5] == b[:5] == [20, 25, 30, 1.5, 1.2]
    for x, y in zip(a[5:], b[5:]):
        np.testing.assert_array_equal(x, y)


def test_mapping_only_changed_params() -> None:
    assert datasets.get("gemm").mapping("LARGE") == {}
    assert datasets.get("adi").mapping("MINI") == {500: 20, 1000: 20}
    assert datasets.get("atax").mapping("EXTRALARGE") == {1900: 1800, 2100: 2200}


def test_unknown_names() -> None:
    with pytest.raises(datasets.UnknownKernel):
        datasets.instantiate_text("gemmm", "MINI")
    with pytest.raises(datasets.UnknownDataset):
        datasets.instantiate_text("gemm", "TINY")


# --- command line ---------------------------------------------------------------------------

def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "polybench", *args], cwd=REPO, check=False,
                          capture_output=True, text=True, timeout=120)


def test_cli_list() -> None:
    result = _cli("list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["kernel", "category", "params"]
    assert len(lines) == 1 + len(NAMES)
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert set(rows) == set(NAMES)
    assert rows["gemm"][1:] == ["blas", "NI,NJ,NK", "20,25,30", "60,70,80", "200,220,240",
                                "1000,1100,1200", "2000,2300,2600"]
    assert rows["floyd-warshall"][6] == "2800"


def test_cli_instantiate(tmp_path: Path) -> None:
    out = tmp_path / "fdtd.mlir"
    result = _cli("instantiate", "fdtd-2d", "--dataset", "SMALL", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert text == datasets.instantiate_text("fdtd-2d", "SMALL")
    assert shape_extents(text) == [40, 60, 80]
    mlir_env.parse_module(text)


@pytest.mark.parametrize("args", [("instantiate", "no-such-kernel", "--dataset", "MINI"),
                                  ("instantiate", "gemm", "--dataset", "HUGE"),
                                  ("frobnicate",)])
def test_cli_bad_arguments(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = _cli(*args, "-o", str(tmp_path / "x.mlir")) if args[0] == "instantiate" \
        else _cli(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip()
    assert not (tmp_path / "x.mlir").exists()


def test_cli_refuses_to_overwrite_the_kernel() -> None:
    source = datasets.get("mvt").path()
    before = source.read_text()
    result = _cli("instantiate", "mvt", "--dataset", "MINI", "-o", str(source))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert source.read_text() == before

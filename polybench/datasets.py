"""The PolyBench/C 4.2.1 kernels: size parameters and the five standard datasets.

Each kernel's MLIR lives in `kernels/<name>.mlir` at the LARGE dataset; other datasets are
made by rewriting its extents with `raising.frontend.resize.resize_text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from raising.frontend.resize import SLACK, resize_text

KERNELS_DIR = Path(__file__).resolve().parent / "kernels"
DATASETS = ("MINI", "SMALL", "MEDIUM", "LARGE", "EXTRALARGE")
CATEGORIES = ("datamining", "blas", "kernels", "solvers", "medley", "stencils")


class UnknownKernel(KeyError):
    """No PolyBench kernel of that name."""


class UnknownDataset(KeyError):
    """Not one of MINI, SMALL, MEDIUM, LARGE, EXTRALARGE."""


@dataclass(frozen=True)
class KernelInfo:
    """One PolyBench kernel: its size parameters (in kernel_ argument order) per dataset."""

    name: str
    category: str
    params: tuple[str, ...]
    # One row per entry of DATASETS, each with a value per parameter.
    sizes: tuple[tuple[int, ...], ...]

    @property
    def func_name(self) -> str:
        return "kernel_" + self.name.replace("-", "_")

    @property
    def filename(self) -> str:
        return self.name + ".mlir"

    def path(self, kernels_dir: Path | str | None = None) -> Path:
        return Path(kernels_dir or KERNELS_DIR) / self.filename

    def dataset(self, dataset: str) -> dict[str, int]:
        """Parameter name -> value at `dataset`."""
        return dict(zip(self.params, self.sizes[dataset_index(dataset)]))

    @property
    def large(self) -> dict[str, int]:
        return self.dataset("LARGE")

    def mapping(self, dataset: str) -> dict[int, int]:
        """Extent mapping LARGE value -> `dataset` value, for the parameters that change."""
        target = self.dataset(dataset)
        return {self.large[p]: target[p] for p in self.params if self.large[p] != target[p]}


def dataset_index(dataset: str) -> int:
    try:
        return DATASETS.index(dataset.upper())
    except ValueError:
        raise UnknownDataset(f"unknown dataset {dataset!r}; expected one of "
                             f"{', '.join(DATASETS)}") from None


def _k(name: str, category: str, params: str, *rows: tuple[int, ...] | int) -> KernelInfo:
    names = tuple(params.split())
    sizes = tuple(row if isinstance(row, tuple) else (row,) for row in rows)
    assert len(sizes) == len(DATASETS) and all(len(r) == len(names) for r in sizes), name
    return KernelInfo(name, category, names, sizes)


#                 name          category     params        MINI, SMALL, MEDIUM, LARGE, EXTRALARGE
_TABLE = (
    _k("correlation", "datamining", "M N",
       (28, 32), (80, 100), (240, 260), (1200, 1400), (2600, 3000)),
    _k("covariance", "datamining", "M N",
       (28, 32), (80, 100), (240, 260), (1200, 1400), (2600, 3000)),
    _k("gemm", "blas", "NI NJ NK",
       (20, 25, 30), (60, 70, 80), (200, 220, 240), (1000, 1100, 1200), (2000, 2300, 2600)),
    _k("gemver", "blas", "N", 40, 120, 400, 2000, 4000),
    _k("gesummv", "blas", "N", 30, 90, 250, 1300, 2800),
    _k("symm", "blas", "M N",
       (20, 30), (60, 80), (200, 240), (1000, 1200), (2000, 2600)),
    _k("syr2k", "blas", "M N",
       (20, 30), (60, 80), (200, 240), (1000, 1200), (2000, 2600)),
    _k("syrk", "blas", "M N",
       (20, 30), (60, 80), (200, 240), (1000, 1200), (2000, 2600)),
    _k("trmm", "blas", "M N",
       (20, 30), (60, 80), (200, 240), (1000, 1200), (2000, 2600)),
    _k("2mm", "kernels", "NI NJ NK NL",
       (16, 18, 22, 24), (40, 50, 70, 80), (180, 190, 210, 220), (800, 900, 1100, 1200),
       (1600, 1800, 2200, 2400)),
    _k("3mm", "kernels", "NI NJ NK NL NM",
       (16, 18, 20, 22, 24), (40, 50, 60, 70, 80), (180, 190, 200, 210, 220),
       (800, 900, 1000, 1100, 1200), (1600, 1800, 2000, 2200, 2400)),
    _k("atax", "kernels", "M N",
       (38, 42), (116, 124), (390, 410), (1900, 2100), (1800, 2200)),
    _k("bicg", "kernels", "M N",
       (38, 42), (116, 124), (390, 410), (1900, 2100), (1800, 2200)),
    _k("doitgen", "kernels", "NR NQ NP",
       (10, 8, 12), (25, 20, 30), (50, 40, 60), (150, 140, 160), (250, 220, 270)),
    _k("mvt", "kernels", "N", 40, 120, 400, 2000, 4000),
    _k("cholesky", "solvers", "N", 40, 120, 400, 2000, 4000),
    _k("durbin", "solvers", "N", 40, 120, 400, 2000, 4000),
    _k("gramschmidt", "solvers", "M N",
       (20, 30), (60, 80), (200, 240), (1000, 1200), (2000, 2600)),
    _k("lu", "solvers", "N", 40, 120, 400, 2000, 4000),
    _k("ludcmp", "solvers", "N", 40, 120, 400, 2000, 4000),
    _k("trisolv", "solvers", "N", 40, 120, 400, 2000, 4000),
    _k("deriche", "medley", "W H",
       (64, 64), (192, 128), (720, 480), (4096, 2160), (7680, 4320)),
    _k("floyd-warshall", "medley", "N", 60, 180, 500, 2800, 5600),
    _k("nussinov", "medley", "N", 60, 180, 500, 2500, 5500),
    _k("adi", "stencils", "TSTEPS N",
       (20, 20), (40, 60), (100, 200), (500, 1000), (1000, 2000)),
    _k("fdtd-2d", "stencils", "TMAX NX NY",
       (20, 20, 30), (40, 60, 80), (100, 200, 240), (500, 1000, 1200), (1000, 2000, 2600)),
    _k("heat-3d", "stencils", "TSTEPS N",
       (20, 10), (40, 20), (100, 40), (500, 120), (1000, 200)),
    _k("jacobi-1d", "stencils", "TSTEPS N",
       (20, 30), (40, 120), (100, 400), (500, 2000), (1000, 4000)),
    _k("jacobi-2d", "stencils", "TSTEPS N",
       (20, 30), (40, 90), (100, 250), (500, 1300), (1000, 2800)),
    _k("seidel-2d", "stencils", "TSTEPS N",
       (20, 40), (40, 120), (100, 400), (500, 2000), (1000, 4000)),
)

KERNELS: dict[str, KernelInfo] = {k.name: k for k in _TABLE}
NAMES: tuple[str, ...] = tuple(KERNELS)


def get(name: str) -> KernelInfo:
    try:
        return KERNELS[name]
    except KeyError:
        raise UnknownKernel(f"unknown kernel {name!r}; expected one of "
                            f"{', '.join(NAMES)}") from None


def check_separation(info: KernelInfo) -> None:
    """Resizing needs the LARGE values more than 2*SLACK apart (E+k must stay unambiguous)."""
    values = sorted(info.large.values())
    for lo, hi in pairwise(values):
        if hi - lo <= 2 * SLACK:
            raise ValueError(f"{info.name}: LARGE sizes {lo} and {hi} are too close to resize")


def instantiate_text(name: str, dataset: str, kernels_dir: Path | str | None = None) -> str:
    """The kernel's MLIR at `dataset` (the LARGE file with its extents rewritten)."""
    info = get(name)
    dataset_index(dataset)
    text = info.path(kernels_dir).read_text(encoding="utf-8")
    mapping = info.mapping(dataset)
    if mapping:
        check_separation(info)
        head, sep, body = text.partition("\n")  # the printer drops comments: keep the title
        if not head.startswith("//"):
            head, sep, body = "", "", text
        text = head + sep + resize_text(body, mapping)
    return _retitle(text, info, dataset.upper())



_TITLE_RE = re.compile(r"LARGE dataset \([^)]*\)")


def _retitle(text: str, info: KernelInfo, dataset: str) -> str:
    """Make the header comment name the dataset the text is now at."""
    head, sep, rest = text.partition("\n")
    if not head.startswith("//"):
        return text
    values = ", ".join(f"{p}={v}" for p, v in info.dataset(dataset).items())
    return _TITLE_RE.sub(f"{dataset} dataset ({values})", head, count=1) + sep + rest

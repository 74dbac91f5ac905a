"""Hand-written, non-PolyBench loop nests (Polygeist-style affine MLIR) as data: one row per
function, naming its arguments, the extents its dynamic shapes take, and whether the tool
should be able to raise it at all. References live in `references.py`."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from checkers.execute import NUMPY_DTYPES, ArgType

CORPUS_DIR = Path(__file__).resolve().parent
_SPEC_RE = re.compile(r"^(?P<name>\w+)(?:\[(?P<dims>[\w,]+)\])?$")
Prepare = Callable[[dict[str, object], np.random.Generator], None]


@dataclass(frozen=True)
class CorpusKernel:
    """One function of a corpus file."""

    file: str  # stem of the .mlir file in CORPUS_DIR
    func: str  # the func.func's symbol; also the key of its reference
    # One entry per argument, in order: `name`, or `name[d0,d1]` for a memref with dynamic
    # extents, each dim a size symbol (looked up in `sizes`) or an integer.
    args: tuple[str, ...]
    sizes: tuple[dict[str, int], ...] = ({},)  # one run per entry
    raisable: bool = True
    int_high: dict[str, int] = field(default_factory=dict)  # integer array -> exclusive bound
    prepare: Prepare | None = None  # adjusts the random inputs (e.g. to exercise a branch)
    directory: Path = CORPUS_DIR  # the folder holding the .mlir file

    @property
    def path(self) -> Path:
        return self.directory / f"{self.file}.mlir"

    @property
    def names(self) -> list[str]:
        return [_parse_spec(s)[0] for s in self.args]


def _parse_spec(spec: str) -> tuple[str, tuple[str, ...]]:
    match = _SPEC_RE.match(spec)
    if not match:
        raise ValueError(f"bad argument spec {spec!r}")
    dims = match.group("dims")
    return match.group("name"), tuple(dims.split(",")) if dims else ()


def _shape(spec_dims: tuple[str, ...], atype: ArgType, size: dict[str, int]) -> tuple[int, ...]:
    assert atype.shape is not None
    if not spec_dims:
        assert not atype.is_dynamic, f"{atype.text} needs its extents in the spec"
        return tuple(d for d in atype.shape if d is not None)
    assert len(spec_dims) == len(atype.shape), f"rank of {atype.text}"
    shape = tuple(int(d) if d.isdigit() else size[d] for d in spec_dims)
    assert all(s is None or s == n for s, n in zip(atype.shape, shape)), atype.text
    return shape


def make_args(kernel: CorpusKernel, arg_types: Sequence[ArgType], size: dict[str, int],
              rng: np.random.Generator) -> dict[str, object]:
    """Random named arguments for one run: normal floats (with negatives), integer arrays
    below their bound, sizes from `size`; f32 scalars already rounded to f32."""
    assert len(arg_types) == len(kernel.args), f"{kernel.func}: argument count"
    args: dict[str, object] = {}
    for spec, atype in zip(kernel.args, arg_types):
        name, dims = _parse_spec(spec)
        if atype.is_memref:
            dtype = NUMPY_DTYPES[atype.elem]
            shape = _shape(dims, atype, size)
            if np.issubdtype(dtype, np.integer):
                args[name] = rng.integers(0, kernel.int_high[name], size=shape).astype(dtype)
            else:
                args[name] = rng.normal(size=shape).astype(dtype)
        elif atype.elem.startswith("f"):
            args[name] = NUMPY_DTYPES[atype.elem](rng.normal())
        else:
            args[name] = size[name]
    if kernel.prepare:
        kernel.prepare(args, rng)
    return args


def _mixed_signs_prefix(args: dict[str, object], rng: np.random.Generator) -> None:
    """A positive prefix of random length, so the data-dependent bound varies."""
    x = args["x"]
    assert isinstance(x, np.ndarray)
    x[:] = np.abs(x) + 0.5
    cut = int(rng.integers(0, len(x) + 1))
    if cut < len(x):
        x[cut] = -x[cut]


def _ordered_bounds(args: dict[str, object], rng: np.random.Generator) -> None:
    """lo < hi, so some elements stay, some rise to lo and some fall to hi."""
    lo, hi = sorted((float(args["lo"]), float(args["hi"])))  # type: ignore[arg-type]
    args["lo"], args["hi"] = np.float64(lo - 0.5), np.float64(hi + 0.5)


KERNELS: tuple[CorpusKernel, ...] = (
    CorpusKernel("c_matvec_trans", "c_matvec_trans", ("A", "x", "y")),
    CorpusKernel("c_axpby", "c_axpby", ("a", "b", "x", "y")),
    CorpusKernel("c_row_col_sums", "c_row_col_sums", ("A", "r", "c")),
    CorpusKernel("c_total_sum_alloca", "c_total_sum_alloca", ("A", "s")),
    CorpusKernel("c_rank1_update", "c_rank1_update", ("alpha", "A", "u", "v")),
    CorpusKernel("c_elementwise_f32", "c_elementwise_f32", ("s", "A", "B", "C", "D")),
    CorpusKernel("c_matmul_ikj", "c_matmul_ikj", ("A", "B", "C")),
    CorpusKernel("c_matmul_kij_f32", "c_matmul_kij_f32", ("A", "B", "C")),
    CorpusKernel("c_two_matmuls_sum", "c_two_matmuls_sum", ("A", "B", "E", "F", "D")),
    CorpusKernel("c_matmul_chain", "c_matmul_chain", ("A", "B", "C", "T", "D")),
    CorpusKernel("c_gemm_jki", "c_gemm_jki", ("alpha", "beta", "A", "B", "C")),
    CorpusKernel("c_dot_0d", "c_dot_0d", ("x", "y", "s")),
    CorpusKernel("c_batched_matmul", "c_batched_matmul", ("A", "B", "C")),
    CorpusKernel("c_transpose_copy_f32", "c_transpose_copy_f32", ("A", "B")),
    CorpusKernel("c_two_funcs", "c_scale_rows", ("A", "d", "B")),
    CorpusKernel("c_two_funcs", "c_col_scaled_sum", ("alpha", "A", "s")),
    CorpusKernel("c_bias_add_dyn", "c_bias_add_dyn",
                 ("n", "m", "A[n,m]", "v[m]", "B[n,m]"),
                 sizes=({"n": 5, "m": 3}, {"n": 8, "m": 13})),
    CorpusKernel("c_matvec_dyn_i32", "c_matvec_dyn_i32",
                 ("n", "m", "A[n,m]", "x[m]", "y[n]"),
                 sizes=({"n": 7, "m": 4}, {"n": 2, "m": 11})),
    CorpusKernel("c_matmul_dyn_f32", "c_matmul_dyn_f32",
                 ("A[n,k]", "B[k,m]", "C[n,m]"),
                 sizes=({"n": 3, "k": 5, "m": 7}, {"n": 12, "k": 9, "m": 4})),
    CorpusKernel("c_row_sums_mixed", "c_row_sums_mixed", ("n", "A[n,17]", "r[n]"),
                 sizes=({"n": 4}, {"n": 10})),
    CorpusKernel("c_laplace_2d", "c_laplace_2d", ("U", "L")),
    CorpusKernel("c_wave_1d", "c_wave_1d", ("U", "P", "N")),
    CorpusKernel("c_box_blur_3d", "c_box_blur_3d", ("A", "B")),
    CorpusKernel("c_relu_f32", "c_relu_f32", ("x", "y")),
    CorpusKernel("c_clamp", "c_clamp", ("lo", "hi", "A", "B"), prepare=_ordered_bounds),
    CorpusKernel("c_exp_scale", "c_exp_scale", ("alpha", "A", "B")),
    CorpusKernel("c_row_max", "c_row_max", ("A", "m")),
    CorpusKernel("c_col_min_f32", "c_col_min_f32", ("A", "m")),
    CorpusKernel("c_softmax_shift", "c_softmax_shift", ("A", "B")),
    CorpusKernel("c_gather", "c_gather", ("idx", "x", "w", "y"), raisable=False,
                 int_high={"idx": 13}),
    CorpusKernel("c_linear_recurrence", "c_linear_recurrence", ("a", "x", "b"),
                 raisable=False),
    CorpusKernel("c_while_prefix", "c_while_prefix", ("x", "y"), raisable=False,
                 sizes=({}, {}), prepare=_mixed_signs_prefix),
)

FILES: tuple[str, ...] = tuple(dict.fromkeys(k.file for k in KERNELS))


def kernels_in(file: str) -> list[CorpusKernel]:
    return [k for k in KERNELS if k.file == file]

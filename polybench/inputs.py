"""Arguments for running a PolyBench kernel: sizes, scalars and initialised arrays.

`make_args(name, dataset, rng)` returns them in the kernel's signature order: i32 sizes as
python ints, f64 scalars as floats, arrays as C-contiguous numpy arrays (float64, or int32
for floyd-warshall and nussinov) at the dataset's shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from polybench.datasets import NAMES, get

# Per kernel, after its size parameters: scalars (name=default) and arrays (name:DIMS).
# "float_n=N" is the float value of size N.
_SIGNATURES = {
    "correlation": "float_n=N data:N,M corr:M,M mean:M stddev:M",
    "covariance": "float_n=N data:N,M cov:M,M mean:M",
    "gemm": "alpha=1.5 beta=1.2 C:NI,NJ A:NI,NK B:NK,NJ",
    "gemver": "alpha=1.5 beta=1.2 A:N,N u1:N v1:N u2:N v2:N w:N x:N y:N z:N",
    "gesummv": "alpha=1.5 beta=1.2 A:N,N B:N,N tmp:N x:N y:N",
    "symm": "alpha=1.5 beta=1.2 C:M,N A:M,M B:M,N",
    "syr2k": "alpha=1.5 beta=1.2 C:N,N A:N,M B:N,M",
    "syrk": "alpha=1.5 beta=1.2 C:N,N A:N,M",
    "trmm": "alpha=1.5 A:M,M B:M,N",
    "2mm": "alpha=1.5 beta=1.2 tmp:NI,NJ A:NI,NK B:NK,NJ C:NJ,NL D:NI,NL",
    "3mm": "E:NI,NJ A:NI,NK B:NK,NJ F:NJ,NL C:NJ,NM D:NM,NL G:NI,NL",
    "atax": "A:M,N x:N y:N tmp:M",
    "bicg": "A:N,M s:M q:N p:M r:N",
    "doitgen": "A:NR,NQ,NP C4:NP,NP sum:NP",
    "mvt": "x1:N x2:N y_1:N y_2:N A:N,N",
    "cholesky": "A:N,N",
    "durbin": "r:N y:N",
    "gramschmidt": "A:M,N R:N,N Q:M,N",
    "lu": "A:N,N",
    "ludcmp": "A:N,N b:N x:N y:N",
    "trisolv": "L:N,N x:N b:N",
    "deriche": "alpha=0.25 imgIn:W,H imgOut:W,H y1:W,H y2:W,H",
    "floyd-warshall": "path:N,N",
    "nussinov": "seq:N table:N,N",
    "adi": "u:N,N v:N,N p:N,N q:N,N",
    "fdtd-2d": "ex:NX,NY ey:NX,NY hz:NX,NY _fict_:TMAX",
    "heat-3d": "A:N,N,N B:N,N,N",
    "jacobi-1d": "A:N B:N",
    "jacobi-2d": "A:N,N B:N,N",
    "seidel-2d": "A:N,N",
}
_INT_KERNELS = ("floyd-warshall", "nussinov")


@dataclass(frozen=True)
class Arg:
    """One argument of a kernel's signature."""

    name: str
    kind: str  # "size", "scalar" or "array"
    dims: tuple[str, ...] = ()
    default: str = ""

    def shape(self, sizes: dict[str, int]) -> tuple[int, ...]:
        return tuple(sizes[d] for d in self.dims)


def signature(name: str) -> list[Arg]:
    """The kernel's arguments in order (sizes first, as in PolyBench's kernel_ functions)."""
    info = get(name)
    args = [Arg(p.lower(), "size") for p in info.params]
    for item in _SIGNATURES[name].split():
        if "=" in item:
            arg_name, default = item.split("=")
            args.append(Arg(arg_name, "scalar", default=default))
        else:
            arg_name, dims = item.split(":")
            args.append(Arg(arg_name, "array", tuple(dims.split(","))))
    return args


def array_indices(name: str) -> list[int]:
    """Positions of the array arguments."""
    return [i for i, a in enumerate(signature(name)) if a.kind == "array"]


def _spd(n: int, rng: np.random.Generator) -> np.ndarray:
    """Symmetric positive definite and well conditioned: B B^T / n + I-ish."""
    b = rng.random((n, n))
    return b @ b.T / n + n * np.eye(n) / 4


def _init_cholesky(arrays: dict[str, np.ndarray], s: dict[str, int],
                   rng: np.random.Generator) -> None:
    arrays["A"][...] = _spd(s["N"], rng)


def _init_trisolv(arrays: dict[str, np.ndarray], s: dict[str, int],
                  rng: np.random.Generator) -> None:
    n = s["N"]
    arrays["L"][...] = rng.random((n, n)) / n + np.diag(1.0 + rng.random(n))


def _init_durbin(arrays: dict[str, np.ndarray], s: dict[str, int],
                 rng: np.random.Generator) -> None:
    # Keep the Toeplitz system diagonally dominant so the recursion stays stable.
    n = s["N"]
    arrays["r"][...] = rng.uniform(-1.0, 1.0, n) / (2 * n)


def _init_floyd(arrays: dict[str, np.ndarray], s: dict[str, int],
                rng: np.random.Generator) -> None:
    n = s["N"]
    path = rng.integers(1, 100, (n, n), dtype=np.int32)
    path[rng.random((n, n)) < 0.3] = 999  # "no edge", as in PolyBench's initialisation
    np.fill_diagonal(path, 0)
    arrays["path"][...] = path


def _init_nussinov(arrays: dict[str, np.ndarray], s: dict[str, int],
                   rng: np.random.Generator) -> None:
    n = s["N"]
    arrays["seq"][...] = rng.integers(0, 4, n, dtype=np.int32)
    arrays["table"][...] = rng.integers(0, 3, (n, n), dtype=np.int32)


_INITS: dict[str, Callable[[dict[str, np.ndarray], dict[str, int], np.random.Generator],
                           None]] = {
    "cholesky": _init_cholesky,
    "lu": _init_cholesky,
    "ludcmp": _init_cholesky,
    "trisolv": _init_trisolv,
    "durbin": _init_durbin,
    "floyd-warshall": _init_floyd,
    "nussinov": _init_nussinov,
}


def make_args(name: str, dataset: str, rng: np.random.Generator | None = None) -> list:
    """Arguments for `name` at `dataset`, in signature order (fresh arrays every call)."""
    info = get(name)
    sizes = info.dataset(dataset)
    rng = rng if rng is not None else np.random.default_rng(0)
    dtype = np.int32 if name in _INT_KERNELS else np.float64
    args: list = []
    arrays: dict[str, np.ndarray] = {}
    for arg in signature(name):
        if arg.kind == "size":
            args.append(int(sizes[arg.name.upper()]))
        elif arg.kind == "scalar":
            default = arg.default
            args.append(float(sizes[default]) if default in sizes else float(default))
        else:
            shape = arg.shape(sizes)
            array: np.ndarray = np.zeros(shape, dtype=np.int32) if dtype == np.int32 \
                else rng.random(shape)
            arrays[arg.name] = array
            args.append(array)
    if name in _INITS:
        _INITS[name](arrays, sizes, rng)
    for array in arrays.values():
        assert array.flags.c_contiguous
    return args


def copy_args(args: list) -> list:
    """Deep copy: arrays copied, scalars kept."""
    return [a.copy() if isinstance(a, np.ndarray) else a for a in args]


assert set(_SIGNATURES) == set(NAMES)


# --- what a comparison of outputs may look at ------------------------------------------------
# gramschmidt at PolyBench's sizes has more columns than rows (N > M): from column M on, each
# column of A lies in the span of the ones before it, so its residual is rounding noise and
# Q's column is that noise divided by its own norm, different for every summation order
# (numpy's, the loops', a reassociated reduction's). Those columns of Q are left out of every
# comparison; A's residuals and R's entries there are noise-sized and stay in.

def _gramschmidt_defined(arrays: list[np.ndarray], s: dict[str, int]) -> list[np.ndarray]:
    a, r, q = arrays
    return [a, r, q[:, :s["M"]]]


_DEFINED: dict[str, Callable[[list[np.ndarray], dict[str, int]], list[np.ndarray]]] = {
    "gramschmidt": _gramschmidt_defined,
}


def defined_outputs(name: str, dataset: str, arrays: list[np.ndarray]) -> list[np.ndarray]:
    """The parts of `name`'s output arrays that its inputs determine (all, but for the
    kernels in _DEFINED), for comparing two runs of it."""
    if name not in _DEFINED or len(arrays) != len(array_indices(name)):
        return list(arrays)
    return _DEFINED[name](list(arrays), get(name).dataset(dataset))

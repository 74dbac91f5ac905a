"""A foreign-style corpus: affine MLIR as Polygeist emits it for C from other code bases
(BLAS, darknet-style array helpers, DSP, image blend modes, game vector math, llama2.c-style
inference pieces, convolutions and pooling), one row per function. Written from the
algorithms, not copied from any project. Rows reuse `tests.corpus.CorpusKernel`; references
live in `references.py`.

A function's results come after its arguments in `args` (names starting with `ret`): the
runner passes them as trailing output buffers (a scalar result as a 0-d memref)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.corpus import CorpusKernel, Prepare

FOREIGN_DIR = Path(__file__).resolve().parent
RESULT_PREFIX = "ret"


def _k(file: str, args: tuple[str, ...], func: str | None = None, *,
       sizes: tuple[dict[str, int], ...] = ({},), raisable: bool = True,
       int_high: dict[str, int] | None = None, prepare: Prepare | None = None) -> CorpusKernel:
    return CorpusKernel(file, func or file, args, sizes=sizes, raisable=raisable,
                        int_high=int_high or {}, prepare=prepare, directory=FOREIGN_DIR)


def _array(args: dict[str, object], name: str) -> np.ndarray:
    value = args[name]
    assert isinstance(value, np.ndarray)
    return value


def _unit(*names: str) -> Prepare:
    """Uniform [0, 1) data for the named arrays (images, blend inputs)."""
    def prepare(args: dict[str, object], rng: np.random.Generator) -> None:
        for name in names:
            arr = _array(args, name)
            arr[...] = rng.uniform(0.0, 1.0, size=arr.shape)
    return prepare


def _color_dodge(args: dict[str, object], rng: np.random.Generator) -> None:
    _unit("a", "b")(args, rng)
    _array(args, "b")[...] *= 0.9  # 1 - b >= 0.1


def _color_burn(args: dict[str, object], rng: np.random.Generator) -> None:
    _unit("a", "b")(args, rng)
    b = _array(args, "b")
    b[...] = 0.1 + 0.9 * b  # b >= 0.1


def _threshold(args: dict[str, object], rng: np.random.Generator) -> None:
    _unit("a")(args, rng)
    args["t"] = np.float32(rng.uniform(0.25, 0.75))


def _positive_var(args: dict[str, object], rng: np.random.Generator) -> None:
    var = _array(args, "var")
    var[...] = np.abs(var) + 0.1


def _above_minus_three(args: dict[str, object], rng: np.random.Generator) -> None:
    x = _array(args, "x")
    x[...] = np.abs(x)  # x / 3 + 1 > 0


def _signed_ints(args: dict[str, object], rng: np.random.Generator) -> None:
    x = _array(args, "x")
    x[...] -= 50  # about half negative


_BLEND = _unit("a", "b")

# One entry per domain, in the order of the survey; rows as in tests/corpus.
DOMAINS: dict[str, tuple[CorpusKernel, ...]] = {
    "BLAS-1": (
        _k("f_saxpy", ("n", "a", "x", "y"), sizes=({"n": 32},)),
        _k("f_daxpy", ("n", "a", "x[n]", "y[n]"), sizes=({"n": 7}, {"n": 16})),
        _k("f_dscal", ("n", "alpha", "x"), sizes=({"n": 100},)),
        _k("f_dcopy", ("x", "y")),
        _k("f_dswap", ("n", "x", "y"), sizes=({"n": 6},)),
        _k("f_ddot", ("n", "x", "y", "ret"), sizes=({"n": 16},)),
        _k("f_dasum", ("x", "ret")),
        _k("f_dnrm2", ("n", "x", "ret"), sizes=({"n": 9},)),
        _k("f_drot", ("n", "x", "y", "c", "s"), sizes=({"n": 11},)),
        _k("f_saxpby", ("x", "y", "a", "b")),
        _k("f_axpy_tiny", ("a", "x", "y"), "f_axpy_n1"),
        _k("f_axpy_tiny", ("a", "x", "y"), "f_axpy_n2"),
        _k("f_dot3", ("x", "y", "ret")),
    ),
    "BLAS-2": (
        _k("f_dgemv", ("m", "n", "alpha", "A", "x", "beta", "y"), sizes=({"m": 6, "n": 7},)),
        _k("f_dgemv_t", ("alpha", "A", "x", "beta", "y")),
        _k("f_dger", ("n", "alpha", "x", "y", "A"), sizes=({"n": 4},)),
        _k("f_sgemv_5x3", ("A", "x", "y")),
        _k("f_dtrmv_lower", ("A", "x", "y")),
    ),
    "array helpers (darknet-style)": (
        _k("f_fill_cpu", ("N", "ALPHA", "X[N]"), sizes=({"N": 5}, {"N": 32})),
        _k("f_fill_const", ("x",), "f_fill_zero"),
        _k("f_fill_const", ("M",), "f_fill_one"),
        _k("f_copy_cpu", ("N", "X", "Y"), sizes=({"N": 32},)),
        _k("f_scal_cpu", ("N", "ALPHA", "X[N]"), sizes=({"N": 3}, {"N": 17})),
        _k("f_mul_cpu", ("N", "X", "Y"), sizes=({"N": 12},)),
        _k("f_add_const", ("X",)),
        _k("f_mean_cpu", ("x", "filters", "spatial", "mean"),
           sizes=({"filters": 4, "spatial": 9},)),
        _k("f_variance_cpu", ("x", "mean", "var")),
        _k("f_normalize_cpu", ("x", "mean", "var", "batch", "filters", "spatial"),
           sizes=({"batch": 1, "filters": 3, "spatial": 8},), prepare=_positive_var),
        _k("f_add_bias", ("output", "biases", "n", "size"), sizes=({"n": 4, "size": 6},)),
        _k("f_scale_bias", ("output", "scales")),
        _k("f_l2_cpu", ("n", "pred", "truth", "delta", "error"), sizes=({"n": 16},)),
        _k("f_smooth_l1", ("n", "pred", "truth", "delta", "error"), sizes=({"n": 10},)),
    ),
    "DSP": (
        _k("f_fir_valid", ("x", "h", "y")),
        _k("f_moving_avg3", ("x", "y")),
        _k("f_gain", ("src[n]", "dst[n]", "n", "g"), sizes=({"n": 6}, {"n": 13})),
        _k("f_mix", ("a", "b", "wa", "wb", "out")),
        _k("f_dc_remove", ("x", "y")),
        _k("f_energy", ("x", "n", "ret"), sizes=({"n": 32},)),
        _k("f_mse", ("a", "b", "ret")),
        _k("f_window", ("x", "w", "y")),
        _k("f_xcorr_lag", ("x", "y", "r")),
        _k("f_one_trip", ("x", "y"), prepare=_above_minus_three),
        _k("f_one_trip_0d", ("x", "y")),
    ),
    "image blend modes": (
        _k("f_blend_multiply", ("a", "b", "out"), prepare=_BLEND),
        _k("f_blend_screen", ("a", "b"), prepare=_BLEND),
        _k("f_blend_overlay", ("a", "b", "out"), prepare=_BLEND),
        _k("f_blend_darken", ("a", "b", "out"), prepare=_BLEND),
        _k("f_blend_lighten", ("a", "b", "out"), prepare=_BLEND),
        _k("f_blend_difference", ("a", "b", "out"), prepare=_BLEND),
        _k("f_blend_linear_dodge", ("a", "b", "out"), prepare=_BLEND),
        _k("f_blend_alpha", ("a", "b", "alpha", "out"), prepare=_BLEND),
        _k("f_blend_hard_light", ("a", "b", "out"), prepare=_BLEND),
        _k("f_blend_color_dodge", ("a", "b", "out"), prepare=_color_dodge),
        _k("f_blend_color_burn", ("a", "b", "out"), prepare=_color_burn),
        _k("f_threshold", ("a", "t", "out"), prepare=_threshold),
    ),
    "vector math (game libraries)": (
        _k("f_vec3_add", ("a", "b", "r")),
        _k("f_vec4_scale", ("v", "s")),
        _k("f_vec3_dot", ("a", "b", "ret")),
        _k("f_vec3_length", ("v", "ret")),
        _k("f_vec4_lerp", ("a", "b", "t", "r")),
        _k("f_mat3_mul_vec3", ("M", "v", "r")),
        _k("f_mat4_mul", ("A", "B", "C")),
        _k("f_mat4_transpose", ("M", "T")),
        _k("f_vec3_negate", ("v",)),
        _k("f_vec4_minmax", ("a", "b", "r"), "f_vec4_min"),
        _k("f_vec4_minmax", ("a", "b", "r"), "f_vec4_max"),
    ),
    "inference pieces (llama2.c-like)": (
        _k("f_rmsnorm", ("o", "x", "weight", "size"), sizes=({"size": 16},)),
        _k("f_softmax", ("x", "size"), sizes=({"size": 8},)),
        _k("f_sigmoid", ("x", "y")),
        _k("f_silu", ("x",)),
        _k("f_gelu_tanh", ("x", "y")),
        _k("f_relu_3d", ("x",)),
        _k("f_leaky_relu", ("x", "y")),
        _k("f_residual_add", ("x", "xb", "size"), sizes=({"size": 16},)),
        _k("f_swiglu_gate", ("hb", "hb2")),
        _k("f_matmul_wx", ("xout", "x", "w", "n", "d"), sizes=({"n": 7, "d": 6},)),
        _k("f_layernorm", ("x", "g", "b", "y")),
        _k("f_int_elementwise", ("a", "b", "c"), "f_iadd_i32",
           int_high={"a": 1000, "b": 1000, "c": 10}),
        _k("f_int_elementwise", ("a", "b", "c"), "f_imul_i32",
           int_high={"a": 1000, "b": 1000, "c": 10}),
        _k("f_relu_i32", ("x", "y"), int_high={"x": 100, "y": 10}, prepare=_signed_ints),
    ),
    "convolution and windows": (
        _k("f_conv1d", ("x", "h", "y")),
        _k("f_corr2d_3x3", ("img", "k", "out")),
        _k("f_conv2d_flip", ("img", "k", "out")),
        _k("f_conv2d_stride2", ("img", "k", "out")),
        _k("f_maxpool2x2", ("inp", "out")),
        _k("f_avgpool2x2", ("inp", "out")),
        _k("f_depthwise_conv", ("inp", "w", "out")),
        _k("f_conv2d_nchw", ("inp", "w", "out")),
        _k("f_conv2d_nhwc", ("inp", "w", "out")),
        _k("f_conv1d_ncw_batch", ("x", "w", "out")),
        _k("f_conv3d_volume", ("v", "k", "out")),
        _k("f_erode3x3", ("img", "out")),
        _k("f_maxpool_chw", ("inp", "out")),
        _k("f_corr2d_i32", ("img", "k", "out"), int_high={"img": 100, "k": 10, "out": 10}),
        _k("f_depthwise_nhwc_bias", ("inp", "w", "b", "out")),
        _k("f_block_sum", ("x", "y")),
    ),
    "not raisable by design": (
        _k("f_histogram", ("x", "h"), raisable=False, int_high={"x": 8, "h": 5}),
        _k("f_prefix_sum", ("x", "y"), raisable=False),
        _k("f_iamax", ("n", "x", "ret"), sizes=({"n": 12},), raisable=False,
           int_high={"ret": 1}),
    ),
}

KERNELS: tuple[CorpusKernel, ...] = tuple(k for group in DOMAINS.values() for k in group)

FILES: tuple[str, ...] = tuple(dict.fromkeys(k.file for k in KERNELS))


def kernels_in(file: str) -> list[CorpusKernel]:
    return [k for k in KERNELS if k.file == file]


def result_names(kernel: CorpusKernel) -> list[str]:
    """The trailing names that stand for the function's results."""
    names = kernel.names
    count = 0
    while count < len(names) and names[len(names) - 1 - count].startswith(RESULT_PREFIX):
        count += 1
    return names[len(names) - count:]

"""Numpy references for the foreign corpus, written from the math in each file's header
comment (not from its loop order). Each takes the function's arguments (and result buffers,
named `ret...`) by name and returns the final value of every memref it writes and of every
result; every other memref must come back unchanged."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Arrays = dict[str, np.ndarray]
Arr = np.ndarray


def _windows(img: Arr, kh: int, kw: int, stride: int = 1) -> Arr:
    """All kh x kw windows of the last two axes: shape (..., oh, ow, kh, kw)."""
    view = np.lib.stride_tricks.sliding_window_view(img, (kh, kw), axis=(-2, -1))
    return view[..., ::stride, ::stride, :, :]


def _sigmoid(x: Arr) -> Arr:
    return 1.0 / (1.0 + np.exp(-x))


# --- BLAS-1 ---------------------------------------------------------------------------------

def f_saxpy(n: int, a: float, x: Arr, y: Arr) -> Arrays:
    return {"y": a * x + y}


def f_daxpy(n: int, a: float, x: Arr, y: Arr) -> Arrays:
    return {"y": a * x + y}


def f_dscal(n: int, alpha: float, x: Arr) -> Arrays:
    return {"x": alpha * x}


def f_dcopy(x: Arr, y: Arr) -> Arrays:
    return {"y": x.copy()}


def f_dswap(n: int, x: Arr, y: Arr) -> Arrays:
    return {"x": y.copy(), "y": x.copy()}


def f_ddot(n: int, x: Arr, y: Arr, ret: Arr) -> Arrays:
    return {"ret": np.array(x @ y)}


def f_dasum(x: Arr, ret: Arr) -> Arrays:
    return {"ret": np.array(np.abs(x).sum())}


def f_dnrm2(n: int, x: Arr, ret: Arr) -> Arrays:
    return {"ret": np.array(np.linalg.norm(x))}


def f_drot(n: int, x: Arr, y: Arr, c: float, s: float) -> Arrays:
    return {"x": c * x + s * y, "y": c * y - s * x}


def f_saxpby(x: Arr, y: Arr, a: float, b: float) -> Arrays:
    return {"y": a * x + b * y}


def f_axpy_n1(a: float, x: Arr, y: Arr) -> Arrays:
    return {"y": a * x + y}


def f_axpy_n2(a: float, x: Arr, y: Arr) -> Arrays:
    return {"y": a * x + y}


def f_dot3(x: Arr, y: Arr, ret: Arr) -> Arrays:
    return {"ret": np.array(np.dot(x, y))}


# --- BLAS-2 ---------------------------------------------------------------------------------

def f_dgemv(m: int, n: int, alpha: float, A: Arr, x: Arr, beta: float, y: Arr) -> Arrays:
    return {"y": alpha * (A @ x) + beta * y}


def f_dgemv_t(alpha: float, A: Arr, x: Arr, beta: float, y: Arr) -> Arrays:
    return {"y": alpha * (A.T @ x) + beta * y}


def f_dger(n: int, alpha: float, x: Arr, y: Arr, A: Arr) -> Arrays:
    return {"A": A + alpha * np.outer(x, y)}


def f_sgemv_5x3(A: Arr, x: Arr, y: Arr) -> Arrays:
    return {"y": A @ x}


def f_dtrmv_lower(A: Arr, x: Arr, y: Arr) -> Arrays:
    return {"y": np.tril(A) @ x}


# --- darknet-style array helpers ------------------------------------------------------------

def f_fill_cpu(N: int, ALPHA: float, X: Arr) -> Arrays:
    return {"X": np.full_like(X, ALPHA)}


def f_fill_zero(x: Arr) -> Arrays:
    return {"x": np.zeros_like(x)}


def f_fill_one(M: Arr) -> Arrays:
    return {"M": np.ones_like(M)}


def f_copy_cpu(N: int, X: Arr, Y: Arr) -> Arrays:
    return {"Y": X.copy()}


def f_scal_cpu(N: int, ALPHA: float, X: Arr) -> Arrays:
    return {"X": ALPHA * X}


def f_mul_cpu(N: int, X: Arr, Y: Arr) -> Arrays:
    return {"Y": X * Y}


def f_add_const(X: Arr) -> Arrays:
    return {"X": X + 0.5}


def f_mean_cpu(x: Arr, filters: int, spatial: int, mean: Arr) -> Arrays:
    return {"mean": x.mean(axis=1)}


def f_variance_cpu(x: Arr, mean: Arr, var: Arr) -> Arrays:
    return {"var": ((x - mean[:, None]) ** 2).sum(axis=1) / (x.shape[1] - 1)}


def f_normalize_cpu(x: Arr, mean: Arr, var: Arr, batch: int, filters: int, spatial: int) -> Arrays:
    return {"x": (x - mean[:, None]) / (np.sqrt(var)[:, None] + 1e-5)}


def f_add_bias(output: Arr, biases: Arr, n: int, size: int) -> Arrays:
    return {"output": output + biases[:, None]}


def f_scale_bias(output: Arr, scales: Arr) -> Arrays:
    return {"output": output * scales[:, None]}


def f_l2_cpu(n: int, pred: Arr, truth: Arr, delta: Arr, error: Arr) -> Arrays:
    diff = truth - pred
    return {"delta": diff, "error": diff ** 2}


def f_smooth_l1(n: int, pred: Arr, truth: Arr, delta: Arr, error: Arr) -> Arrays:
    diff = truth - pred
    small = np.abs(diff) < 1
    return {"error": np.where(small, diff ** 2, 2 * np.abs(diff) - 1),
            "delta": np.where(small, diff, np.sign(diff))}


# --- DSP ------------------------------------------------------------------------------------

def f_fir_valid(x: Arr, h: Arr, y: Arr) -> Arrays:
    return {"y": np.correlate(x, h, mode="valid")}


def f_moving_avg3(x: Arr, y: Arr) -> Arrays:
    return {"y": np.convolve(x, np.full(3, 1.0 / 3.0), mode="valid")}


def f_gain(src: Arr, dst: Arr, n: int, g: float) -> Arrays:
    return {"dst": g * src}


def f_mix(a: Arr, b: Arr, wa: float, wb: float, out: Arr) -> Arrays:
    return {"out": wa * a + wb * b}


def f_dc_remove(x: Arr, y: Arr) -> Arrays:
    return {"y": x - x.mean()}


def f_energy(x: Arr, n: int, ret: Arr) -> Arrays:
    return {"ret": np.array(np.sum(x ** 2))}


def f_mse(a: Arr, b: Arr, ret: Arr) -> Arrays:
    return {"ret": np.array([np.mean((a - b) ** 2)])}


def f_window(x: Arr, w: Arr, y: Arr) -> Arrays:
    return {"y": x * w}


def f_xcorr_lag(x: Arr, y: Arr, r: Arr) -> Arrays:
    lag = 2
    return {"r": np.array([np.dot(x[:len(x) - lag], y[lag:])])}


def f_one_trip(x: Arr, y: Arr) -> Arrays:
    return {"y": 1.0 / np.sqrt(x / 3.0 + 1.0)}


def f_one_trip_0d(x: Arr, y: Arr) -> Arrays:
    return {"y": np.asarray(2.0 * x - 1.0)}


# --- image blend modes ----------------------------------------------------------------------

def f_blend_multiply(a: Arr, b: Arr, out: Arr) -> Arrays:
    return {"out": a * b}


def f_blend_screen(a: Arr, b: Arr) -> Arrays:
    return {"b": 1.0 - (1.0 - a) * (1.0 - b)}


def _overlay(base: Arr, top: Arr) -> Arr:
    return np.where(base < 0.5, 2 * base * top, 1 - 2 * (1 - base) * (1 - top))


def f_blend_overlay(a: Arr, b: Arr, out: Arr) -> Arrays:
    return {"out": _overlay(a, b)}


def f_blend_darken(a: Arr, b: Arr, out: Arr) -> Arrays:
    return {"out": np.minimum(a, b)}


def f_blend_lighten(a: Arr, b: Arr, out: Arr) -> Arrays:
    return {"out": np.maximum(a, b)}


def f_blend_difference(a: Arr, b: Arr, out: Arr) -> Arrays:
    return {"out": np.abs(a - b)}


def f_blend_linear_dodge(a: Arr, b: Arr, out: Arr) -> Arrays:
    return {"out": np.clip(a + b, None, 1.0)}


def f_blend_alpha(a: Arr, b: Arr, alpha: float, out: Arr) -> Arrays:
    return {"out": alpha * a + (1 - alpha) * b}


def f_blend_hard_light(a: Arr, b: Arr, out: Arr) -> Arrays:
    return {"out": _overlay(b, a)}  # hard light is overlay with the layers swapped


def f_blend_color_dodge(a: Arr, b: Arr, out: Arr) -> Arrays:
    return {"out": np.minimum(a / (1 - b), 1.0)}


def f_blend_color_burn(a: Arr, b: Arr, out: Arr) -> Arrays:
    return {"out": np.maximum(1 - (1 - a) / b, 0.0)}


def f_threshold(a: Arr, t: float, out: Arr) -> Arrays:
    return {"out": (a >= t).astype(np.float64)}


# --- game vector math -----------------------------------------------------------------------

def f_vec3_add(a: Arr, b: Arr, r: Arr) -> Arrays:
    return {"r": a + b}


def f_vec4_scale(v: Arr, s: float) -> Arrays:
    return {"v": s * v}


def f_vec3_dot(a: Arr, b: Arr, ret: Arr) -> Arrays:
    return {"ret": np.array(np.dot(a, b))}


def f_vec3_length(v: Arr, ret: Arr) -> Arrays:
    return {"ret": np.array(np.linalg.norm(v))}


def f_vec4_lerp(a: Arr, b: Arr, t: float, r: Arr) -> Arrays:
    return {"r": (1 - t) * a + t * b}


def f_mat3_mul_vec3(M: Arr, v: Arr, r: Arr) -> Arrays:
    return {"r": M @ v}


def f_mat4_mul(A: Arr, B: Arr, C: Arr) -> Arrays:
    return {"C": A @ B}


def f_mat4_transpose(M: Arr, T: Arr) -> Arrays:
    return {"T": M.T.copy()}


def f_vec3_negate(v: Arr) -> Arrays:
    return {"v": -v}


def f_vec4_min(a: Arr, b: Arr, r: Arr) -> Arrays:
    return {"r": np.minimum(a, b)}


def f_vec4_max(a: Arr, b: Arr, r: Arr) -> Arrays:
    return {"r": np.maximum(a, b)}


# --- inference pieces -----------------------------------------------------------------------

def f_rmsnorm(o: Arr, x: Arr, weight: Arr, size: int) -> Arrays:
    rms = np.sqrt(np.mean(x ** 2) + 1e-5)
    return {"o": weight * x / rms}


def f_softmax(x: Arr, size: int) -> Arrays:
    e = np.exp(x - x.max())
    return {"x": e / e.sum()}


def f_sigmoid(x: Arr, y: Arr) -> Arrays:
    return {"y": _sigmoid(x)}


def f_silu(x: Arr) -> Arrays:
    return {"x": x * _sigmoid(x)}


def f_gelu_tanh(x: Arr, y: Arr) -> Arrays:
    return {"y": 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))}


def f_relu_3d(x: Arr) -> Arrays:
    return {"x": np.maximum(x, 0.0)}


def f_leaky_relu(x: Arr, y: Arr) -> Arrays:
    return {"y": np.where(x > 0, x, 0.01 * x)}


def f_residual_add(x: Arr, xb: Arr, size: int) -> Arrays:
    return {"x": x + xb}


def f_swiglu_gate(hb: Arr, hb2: Arr) -> Arrays:
    return {"hb": hb * _sigmoid(hb) * hb2}


def f_matmul_wx(xout: Arr, x: Arr, w: Arr, n: int, d: int) -> Arrays:
    return {"xout": w @ x}


def f_layernorm(x: Arr, g: Arr, b: Arr, y: Arr) -> Arrays:
    mu = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    return {"y": (x - mu) / np.sqrt(var + 1e-5) * g + b}


def f_iadd_i32(a: Arr, b: Arr, c: Arr) -> Arrays:
    return {"c": a + b}


def f_imul_i32(a: Arr, b: Arr, c: Arr) -> Arrays:
    return {"c": a * b}


def f_relu_i32(x: Arr, y: Arr) -> Arrays:
    return {"y": np.maximum(x, 0)}


# --- convolutions and windows ---------------------------------------------------------------

def f_conv1d(x: Arr, h: Arr, y: Arr) -> Arrays:
    return {"y": y + np.correlate(x, h, mode="valid")}


def f_corr2d_3x3(img: Arr, k: Arr, out: Arr) -> Arrays:
    return {"out": np.einsum("ijpq,pq->ij", _windows(img, 3, 3), k)}


def f_conv2d_flip(img: Arr, k: Arr, out: Arr) -> Arrays:
    return {"out": np.einsum("ijpq,pq->ij", _windows(img, 3, 3), k[::-1, ::-1])}


def f_conv2d_stride2(img: Arr, k: Arr, out: Arr) -> Arrays:
    return {"out": np.einsum("ijpq,pq->ij", _windows(img, 3, 3, stride=2), k)}


def f_maxpool2x2(inp: Arr, out: Arr) -> Arrays:
    h, w = inp.shape
    return {"out": inp.reshape(h // 2, 2, w // 2, 2).max(axis=(1, 3))}


def f_avgpool2x2(inp: Arr, out: Arr) -> Arrays:
    h, w = inp.shape
    return {"out": inp.reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))}


def f_depthwise_conv(inp: Arr, w: Arr, out: Arr) -> Arrays:
    return {"out": np.einsum("cijpq,cpq->cij", _windows(inp, 3, 3), w)}


def f_conv2d_nchw(inp: Arr, w: Arr, out: Arr) -> Arrays:
    return {"out": np.einsum("cijpq,ocpq->oij", _windows(inp, 3, 3), w)}


def f_conv2d_nhwc(inp: Arr, w: Arr, out: Arr) -> Arrays:
    chw = np.moveaxis(inp, -1, 0)  # windows over the spatial axes
    return {"out": out + np.einsum("cijpq,pqco->ijo", _windows(chw, 2, 2), w)}


def f_conv1d_ncw_batch(x: Arr, w: Arr, out: Arr) -> Arrays:
    windows = np.lib.stride_tricks.sliding_window_view(x, w.shape[-1], axis=-1)
    return {"out": np.einsum("ncik,fck->nfi", windows, w)}


def f_conv3d_volume(v: Arr, k: Arr, out: Arr) -> Arrays:
    windows = np.lib.stride_tricks.sliding_window_view(v, k.shape)
    return {"out": out + np.einsum("ijlpqr,pqr->ijl", windows, k)}


def f_erode3x3(img: Arr, out: Arr) -> Arrays:
    return {"out": _windows(img, 3, 3).min(axis=(-2, -1))}


def f_maxpool_chw(inp: Arr, out: Arr) -> Arrays:
    c, h, w = inp.shape
    return {"out": inp.reshape(c, h // 2, 2, w // 2, 2).max(axis=(2, 4))}


def f_corr2d_i32(img: Arr, k: Arr, out: Arr) -> Arrays:
    return {"out": np.einsum("ijpq,pq->ij", _windows(img, 2, 2), k).astype(np.int32)}


def f_depthwise_nhwc_bias(inp: Arr, w: Arr, b: Arr, out: Arr) -> Arrays:
    chw = np.moveaxis(inp, -1, 0)
    return {"out": b + np.einsum("cijpq,pqc->ijc", _windows(chw, 3, 3), w)}


def f_block_sum(x: Arr, y: Arr) -> Arrays:
    return {"y": x.reshape(-1, 4).sum(axis=1)}


# --- not raisable by design -----------------------------------------------------------------

def f_histogram(x: Arr, h: Arr) -> Arrays:
    return {"h": h + np.bincount(x, minlength=len(h)).astype(h.dtype)}


def f_prefix_sum(x: Arr, y: Arr) -> Arrays:
    return {"y": np.cumsum(x)}


def f_iamax(n: int, x: Arr, ret: Arr) -> Arrays:
    return {"ret": np.array(np.argmax(np.abs(x)), dtype=np.int32)}


REFERENCES: dict[str, Callable[..., Arrays]] = {
    name: fn for name, fn in globals().items() if name.startswith("f_") and callable(fn)}

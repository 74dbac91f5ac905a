"""Numpy references for the corpus kernels, written from the math in each file's header
comment (not from its loop order). Each takes the function's arguments by name and returns
the final value of every memref it writes; every other memref must come back unchanged."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Arrays = dict[str, np.ndarray]


def c_matvec_trans(A: np.ndarray, x: np.ndarray, y: np.ndarray) -> Arrays:
    return {"y": A.T @ x}


def c_axpby(a: float, b: float, x: np.ndarray, y: np.ndarray) -> Arrays:
    return {"y": a * x + b * y}


def c_row_col_sums(A: np.ndarray, r: np.ndarray, c: np.ndarray) -> Arrays:
    return {"r": A.sum(axis=1), "c": A.sum(axis=0)}


def c_total_sum_alloca(A: np.ndarray, s: np.ndarray) -> Arrays:
    return {"s": np.array([A.sum()])}


def c_rank1_update(alpha: float, A: np.ndarray, u: np.ndarray, v: np.ndarray) -> Arrays:
    return {"A": A + alpha * np.outer(u, v)}


def c_elementwise_f32(s: float, A: np.ndarray, B: np.ndarray, C: np.ndarray,
                      D: np.ndarray) -> Arrays:
    return {"D": (A + B) * C - s * A}


def c_matmul_ikj(A: np.ndarray, B: np.ndarray, C: np.ndarray) -> Arrays:
    return {"C": A @ B}


def c_matmul_kij_f32(A: np.ndarray, B: np.ndarray, C: np.ndarray) -> Arrays:
    return {"C": C + A @ B}


def c_two_matmuls_sum(A: np.ndarray, B: np.ndarray, E: np.ndarray, F: np.ndarray,
                      D: np.ndarray) -> Arrays:
    return {"D": A @ B + E @ F}


def c_matmul_chain(A: np.ndarray, B: np.ndarray, C: np.ndarray, T: np.ndarray,
                   D: np.ndarray) -> Arrays:
    return {"T": A @ B, "D": (A @ B) @ C}


def c_gemm_jki(alpha: float, beta: float, A: np.ndarray, B: np.ndarray,
               C: np.ndarray) -> Arrays:
    return {"C": alpha * (A @ B) + beta * C}


def c_dot_0d(x: np.ndarray, y: np.ndarray, s: np.ndarray) -> Arrays:
    return {"s": np.array(np.dot(x, y))}


def c_batched_matmul(A: np.ndarray, B: np.ndarray, C: np.ndarray) -> Arrays:
    return {"C": np.einsum("bik,bkj->bij", A, B)}


def c_transpose_copy_f32(A: np.ndarray, B: np.ndarray) -> Arrays:
    return {"B": A.T}


def c_bias_add_dyn(n: int, m: int, A: np.ndarray, v: np.ndarray, B: np.ndarray) -> Arrays:
    return {"B": A + v[np.newaxis, :]}


def c_scale_rows(A: np.ndarray, d: np.ndarray, B: np.ndarray) -> Arrays:
    return {"B": d[:, np.newaxis] * A}


def c_col_scaled_sum(alpha: float, A: np.ndarray, s: np.ndarray) -> Arrays:
    return {"s": alpha * A.sum(axis=0)}


def c_matvec_dyn_i32(n: int, m: int, A: np.ndarray, x: np.ndarray, y: np.ndarray) -> Arrays:
    return {"y": A @ x}


def c_matmul_dyn_f32(A: np.ndarray, B: np.ndarray, C: np.ndarray) -> Arrays:
    return {"C": A @ B}


def c_row_sums_mixed(n: int, A: np.ndarray, r: np.ndarray) -> Arrays:
    return {"r": A.sum(axis=1)}


def c_laplace_2d(U: np.ndarray, L: np.ndarray) -> Arrays:
    out = L.copy()
    out[1:-1, 1:-1] = (U[:-2, 1:-1] + U[2:, 1:-1] + U[1:-1, :-2] + U[1:-1, 2:]
                       - 4.0 * U[1:-1, 1:-1])
    return {"L": out}


def c_wave_1d(U: np.ndarray, P: np.ndarray, N: np.ndarray) -> Arrays:
    out = N.copy()
    out[1:-1] = 2.0 * U[1:-1] - P[1:-1] + 0.25 * (U[:-2] - 2.0 * U[1:-1] + U[2:])
    return {"N": out}


def c_box_blur_3d(A: np.ndarray, B: np.ndarray) -> Arrays:
    out = B.copy()
    out[:-1, :-1, :-1] = (A[:-1, :-1, :-1] + A[:-1, :-1, 1:] + A[:-1, 1:, :-1]
                          + A[1:, :-1, :-1]) / 4.0
    return {"B": out}


def c_gather(idx: np.ndarray, x: np.ndarray, w: np.ndarray, y: np.ndarray) -> Arrays:
    return {"y": w * x[idx]}


def c_linear_recurrence(a: float, x: np.ndarray, b: np.ndarray) -> Arrays:
    out = x.copy()
    for i in range(1, len(out)):  # sequential by definition
        out[i] = out[i - 1] * a + b[i]
    return {"x": out}


def c_while_prefix(x: np.ndarray, y: np.ndarray) -> Arrays:
    not_positive = np.flatnonzero(~(x > 0))
    length = int(not_positive[0]) if not_positive.size else len(x)
    out = y.copy()
    out[:length] = 2 * x[:length]
    return {"y": out}


def c_relu_f32(x: np.ndarray, y: np.ndarray) -> Arrays:
    return {"y": np.where(x > 0, x, 0.0)}


def c_clamp(lo: float, hi: float, A: np.ndarray, B: np.ndarray) -> Arrays:
    return {"B": np.minimum(np.maximum(A, lo), hi)}


def c_exp_scale(alpha: float, A: np.ndarray, B: np.ndarray) -> Arrays:
    return {"B": alpha * np.exp(A)}


def c_row_max(A: np.ndarray, m: np.ndarray) -> Arrays:
    return {"m": A.max(axis=1)}


def c_col_min_f32(A: np.ndarray, m: np.ndarray) -> Arrays:
    return {"m": A.min(axis=0)}


def c_softmax_shift(A: np.ndarray, B: np.ndarray) -> Arrays:
    return {"B": np.exp(A - A.max(axis=1, keepdims=True))}


REFERENCES: dict[str, Callable[..., Arrays]] = {
    name: fn for name, fn in globals().items() if name.startswith("c_") and callable(fn)}

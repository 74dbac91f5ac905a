"""Numpy references for the PolyBench kernels, written from the algorithms.

`REFERENCES[name](args)` updates the numpy arrays of `args` in place; `args` are in the
kernel's signature order (see polybench.inputs): sizes as ints, scalars as floats, arrays.
Vectorised where the algorithm allows it; loops where it is sequential.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np


def _sym_from_lower(a: np.ndarray) -> np.ndarray:
    """The symmetric matrix whose lower triangle (with diagonal) is that of `a`."""
    return np.tril(a) + np.tril(a, -1).T


# --- datamining ---------------------------------------------------------------------------

def correlation(args: list) -> None:
    _m, _n, float_n, data, corr, mean, stddev = args
    eps = 0.1
    mean[:] = data.sum(axis=0) / float_n
    centred = data - mean
    sd = np.sqrt((centred * centred).sum(axis=0) / float_n)
    stddev[:] = np.where(sd <= eps, 1.0, sd)
    data[:] = centred / (math.sqrt(float_n) * stddev)
    corr[:] = data.T @ data
    np.fill_diagonal(corr, 1.0)


def covariance(args: list) -> None:
    _m, _n, float_n, data, cov, mean = args
    mean[:] = data.sum(axis=0) / float_n
    data -= mean
    cov[:] = (data.T @ data) / (float_n - 1.0)


# --- linear-algebra/blas ------------------------------------------------------------------

def gemm(args: list) -> None:
    _ni, _nj, _nk, alpha, beta, c, a, b = args
    c[:] = beta * c + alpha * (a @ b)


def gemver(args: list) -> None:
    _n, alpha, beta, a, u1, v1, u2, v2, w, x, y, z = args
    a[:] = a + np.outer(u1, v1) + np.outer(u2, v2)
    x += beta * (a.T @ y)
    x += z
    w += alpha * (a @ x)


def gesummv(args: list) -> None:
    _n, alpha, beta, a, b, tmp, x, y = args
    tmp[:] = a @ x
    y[:] = alpha * tmp + beta * (b @ x)


def symm(args: list) -> None:
    # A is symmetric, given by its lower triangle.
    _m, _n, alpha, beta, c, a, b = args
    c[:] = beta * c + alpha * (_sym_from_lower(a) @ b)


def syr2k(args: list) -> None:
    # Only the lower triangle of C (with diagonal) is updated.
    _m, _n, alpha, beta, c, a, b = args
    lower = np.tril(np.ones(c.shape, dtype=bool))
    full = beta * c + alpha * (a @ b.T + b @ a.T)
    c[lower] = full[lower]


def syrk(args: list) -> None:
    _m, _n, alpha, beta, c, a = args
    lower = np.tril(np.ones(c.shape, dtype=bool))
    full = beta * c + alpha * (a @ a.T)
    c[lower] = full[lower]


def trmm(args: list) -> None:
    # B := alpha * A^T B with A unit lower triangular (strictly lower part stored).
    _m, _n, alpha, a, b = args
    b[:] = alpha * (b + np.tril(a, -1).T @ b)


# --- linear-algebra/kernels ---------------------------------------------------------------

def mm2(args: list) -> None:
    _ni, _nj, _nk, _nl, alpha, beta, tmp, a, b, c, d = args
    tmp[:] = alpha * (a @ b)
    d[:] = beta * d + tmp @ c


def mm3(args: list) -> None:
    _ni, _nj, _nk, _nl, _nm, e, a, b, f, c, d, g = args
    e[:] = a @ b
    f[:] = c @ d
    g[:] = e @ f


def atax(args: list) -> None:
    _m, _n, a, x, y, tmp = args
    tmp[:] = a @ x
    y[:] = a.T @ tmp


def bicg(args: list) -> None:
    _m, _n, a, s, q, p, r = args
    s[:] = a.T @ r
    q[:] = a @ p


def doitgen(args: list) -> None:
    _nr, _nq, _np, a, c4, total = args
    a[:] = np.einsum("rqs,sp->rqp", a, c4)
    total[:] = a[-1, -1]  # the scratch row holds the last (r, q) product


def mvt(args: list) -> None:
    _n, x1, x2, y_1, y_2, a = args
    x1 += a @ y_1
    x2 += a.T @ y_2


# --- linear-algebra/solvers ---------------------------------------------------------------

def cholesky(args: list) -> None:
    # Lower triangle := Cholesky factor of the matrix given by the lower triangle.
    _n, a = args
    factor = np.linalg.cholesky(_sym_from_lower(a))
    lower = np.tril(np.ones(a.shape, dtype=bool))
    a[lower] = factor[lower]


def durbin(args: list) -> None:
    n, r, y = args
    y[0] = -r[0]
    beta = 1.0
    alpha = -r[0]
    for k in range(1, n):
        beta = (1.0 - alpha * alpha) * beta
        total = float(np.dot(r[k - 1::-1], y[:k]))
        alpha = -(r[k] + total) / beta
        y[:k] = y[:k] + alpha * y[k - 1::-1]
        y[k] = alpha


def gramschmidt(args: list) -> None:
    # The columns beyond rank M are rounding noise, so keep the summation order of the
    # algorithm (sequential over rows) for a reproducible comparison.
    m, n, a, r, q = args
    for k in range(n):
        nrm = 0.0
        for i in range(m):
            nrm += a[i, k] * a[i, k]
        r[k, k] = math.sqrt(nrm)
        q[:, k] = a[:, k] / r[k, k]
        acc = np.zeros(n - k - 1)
        for i in range(m):
            acc += q[i, k] * a[i, k + 1:]
        r[k, k + 1:] = acc
        a[:, k + 1:] -= q[:, k, None] * r[None, k, k + 1:]


def _lu_in_place(n: int, a: np.ndarray) -> None:
    """Doolittle LU without pivoting, row by row: unit L below the diagonal, U on/above."""
    for i in range(n):
        for j in range(i):
            a[i, j] = (a[i, j] - a[i, :j] @ a[:j, j]) / a[j, j]
        a[i, i:] -= a[i, :i] @ a[:i, i:]


def lu(args: list) -> None:
    n, a = args
    _lu_in_place(n, a)


def ludcmp(args: list) -> None:
    n, a, b, x, y = args
    _lu_in_place(n, a)
    for i in range(n):
        y[i] = b[i] - a[i, :i] @ y[:i]
    for i in range(n - 1, -1, -1):
        x[i] = (y[i] - a[i, i + 1:] @ x[i + 1:]) / a[i, i]


def trisolv(args: list) -> None:
    n, lower, x, b = args
    for i in range(n):
        x[i] = (b[i] - lower[i, :i] @ x[:i]) / lower[i, i]


# --- medley -------------------------------------------------------------------------------

def deriche(args: list) -> None:
    w, h, alpha, img_in, img_out, y1, y2 = args
    k = ((1.0 - math.exp(-alpha)) * (1.0 - math.exp(-alpha))
         / (1.0 + 2.0 * alpha * math.exp(-alpha) - math.exp(2.0 * alpha)))
    a1 = a5 = k
    a2 = a6 = k * math.exp(-alpha) * (alpha - 1.0)
    a3 = a7 = k * math.exp(-alpha) * (alpha + 1.0)
    a4 = a8 = -k * math.exp(-2.0 * alpha)
    b1 = math.pow(2.0, -alpha)
    b2 = -math.exp(-2.0 * alpha)
    c1 = c2 = 1.0

    # Causal and anti-causal passes along each row (all rows at once).
    xm1, ym1, ym2 = np.zeros(w), np.zeros(w), np.zeros(w)
    for j in range(h):
        y1[:, j] = a1 * img_in[:, j] + a2 * xm1 + b1 * ym1 + b2 * ym2
        xm1, ym2, ym1 = img_in[:, j].copy(), ym1, y1[:, j].copy()
    xp1, xp2, yp1, yp2 = np.zeros(w), np.zeros(w), np.zeros(w), np.zeros(w)
    for j in range(h - 1, -1, -1):
        y2[:, j] = a3 * xp1 + a4 * xp2 + b1 * yp1 + b2 * yp2
        xp2, xp1 = xp1, img_in[:, j].copy()
        yp2, yp1 = yp1, y2[:, j].copy()
    img_out[:] = c1 * (y1 + y2)

    # The same down each column.
    tm1, ym1, ym2 = np.zeros(h), np.zeros(h), np.zeros(h)
    for i in range(w):
        y1[i, :] = a5 * img_out[i, :] + a6 * tm1 + b1 * ym1 + b2 * ym2
        tm1, ym2, ym1 = img_out[i, :].copy(), ym1, y1[i, :].copy()
    tp1, tp2, yp1, yp2 = np.zeros(h), np.zeros(h), np.zeros(h), np.zeros(h)
    for i in range(w - 1, -1, -1):
        y2[i, :] = a7 * tp1 + a8 * tp2 + b1 * yp1 + b2 * yp2
        tp2, tp1 = tp1, img_out[i, :].copy()
        yp2, yp1 = yp1, y2[i, :].copy()
    img_out[:] = c2 * (y1 + y2)


def floyd_warshall(args: list) -> None:
    # Valid vectorised over (i, j) because path[k][k] >= 0 keeps row and column k fixed.
    n, path = args
    for k in range(n):
        np.minimum(path, path[:, k, None] + path[None, k, :], out=path)


def nussinov(args: list) -> None:
    n, seq, table = args
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n):
            best = int(table[i, j])
            best = max(best, int(table[i, j - 1]))  # j - 1 >= 0 always holds here
            best = max(best, int(table[i + 1, j]))  # and so does i + 1 < n
            if i < j - 1:
                pair = 1 if int(seq[i]) + int(seq[j]) == 3 else 0
                best = max(best, int(table[i + 1, j - 1]) + pair)
            else:
                best = max(best, int(table[i + 1, j - 1]))
            if j > i + 1:
                best = max(best, int((table[i, i + 1:j] + table[i + 2:j + 1, j]).max()))
            table[i, j] = best


# --- stencils -----------------------------------------------------------------------------

def adi(args: list) -> None:
    tsteps, n, u, v, p, q = args
    dx = 1.0 / n
    dy = 1.0 / n
    dt = 1.0 / tsteps
    b1, b2 = 2.0, 1.0
    mul1 = b1 * dt / (dx * dx)
    mul2 = b2 * dt / (dy * dy)
    a, b = -mul1 / 2.0, 1.0 + mul1
    c = a
    d, e = -mul2 / 2.0, 1.0 + mul2
    f = d
    inner = slice(1, n - 1)
    # Every sweep is independent across i; vectorise over it.
    for _t in range(1, tsteps + 1):
        v[0, inner] = 1.0
        p[inner, 0] = 0.0
        q[inner, 0] = v[0, inner]
        for j in range(1, n - 1):
            denom = a * p[inner, j - 1] + b
            p[inner, j] = -c / denom
            q[inner, j] = (-d * u[j, 0:n - 2] + (1.0 + 2.0 * d) * u[j, inner]
                           - f * u[j, 2:n] - a * q[inner, j - 1]) / denom
        v[n - 1, inner] = 1.0
        for j in range(n - 2, 0, -1):
            v[j, inner] = p[inner, j] * v[j + 1, inner] + q[inner, j]

        u[inner, 0] = 1.0
        p[inner, 0] = 0.0
        q[inner, 0] = u[inner, 0]
        for j in range(1, n - 1):
            denom = d * p[inner, j - 1] + e
            p[inner, j] = -f / denom
            q[inner, j] = (-a * v[0:n - 2, j] + (1.0 + 2.0 * a) * v[inner, j]
                           - c * v[2:n, j] - d * q[inner, j - 1]) / denom
        u[inner, n - 1] = 1.0
        for j in range(n - 2, 0, -1):
            u[inner, j] = p[inner, j] * u[inner, j + 1] + q[inner, j]


def fdtd_2d(args: list) -> None:
    tmax, _nx, _ny, ex, ey, hz, fict = args
    for t in range(tmax):
        ey[0, :] = fict[t]
        ey[1:, :] = ey[1:, :] - 0.5 * (hz[1:, :] - hz[:-1, :])
        ex[:, 1:] = ex[:, 1:] - 0.5 * (hz[:, 1:] - hz[:, :-1])
        hz[:-1, :-1] = hz[:-1, :-1] - 0.7 * (ex[:-1, 1:] - ex[:-1, :-1]
                                             + ey[1:, :-1] - ey[:-1, :-1])


def _heat_step(src: np.ndarray, dst: np.ndarray) -> None:
    c = src[1:-1, 1:-1, 1:-1]
    dst[1:-1, 1:-1, 1:-1] = (
        0.125 * (src[2:, 1:-1, 1:-1] - 2.0 * c + src[:-2, 1:-1, 1:-1])
        + 0.125 * (src[1:-1, 2:, 1:-1] - 2.0 * c + src[1:-1, :-2, 1:-1])
        + 0.125 * (src[1:-1, 1:-1, 2:] - 2.0 * c + src[1:-1, 1:-1, :-2])
        + c)


def heat_3d(args: list) -> None:
    tsteps, _n, a, b = args
    for _t in range(1, tsteps + 1):
        _heat_step(a, b)
        _heat_step(b, a)


def jacobi_1d(args: list) -> None:
    tsteps, _n, a, b = args
    for _t in range(tsteps):
        b[1:-1] = 0.33333 * (a[:-2] + a[1:-1] + a[2:])
        a[1:-1] = 0.33333 * (b[:-2] + b[1:-1] + b[2:])


def _jacobi_2d_step(src: np.ndarray, dst: np.ndarray) -> None:
    dst[1:-1, 1:-1] = 0.2 * (src[1:-1, 1:-1] + src[1:-1, :-2] + src[1:-1, 2:]
                             + src[2:, 1:-1] + src[:-2, 1:-1])


def jacobi_2d(args: list) -> None:
    tsteps, _n, a, b = args
    for _t in range(tsteps):
        _jacobi_2d_step(a, b)
        _jacobi_2d_step(b, a)


def seidel_2d(args: list) -> None:
    # Gauss-Seidel: each point sees the already updated west and north neighbours, so the
    # sweep is sequential; rows are handled as python lists for speed.
    tsteps, n, a = args
    rows = a.tolist()
    for _t in range(tsteps):
        for i in range(1, n - 1):
            up, cur, down = rows[i - 1], rows[i], rows[i + 1]
            for j in range(1, n - 1):
                cur[j] = (up[j - 1] + up[j] + up[j + 1]
                          + cur[j - 1] + cur[j] + cur[j + 1]
                          + down[j - 1] + down[j] + down[j + 1]) / 9.0
    a[:] = np.array(rows)


REFERENCES: dict[str, Callable[[list], None]] = {
    "correlation": correlation,
    "covariance": covariance,
    "gemm": gemm,
    "gemver": gemver,
    "gesummv": gesummv,
    "symm": symm,
    "syr2k": syr2k,
    "syrk": syrk,
    "trmm": trmm,
    "2mm": mm2,
    "3mm": mm3,
    "atax": atax,
    "bicg": bicg,
    "doitgen": doitgen,
    "mvt": mvt,
    "cholesky": cholesky,
    "durbin": durbin,
    "gramschmidt": gramschmidt,
    "lu": lu,
    "ludcmp": ludcmp,
    "trisolv": trisolv,
    "deriche": deriche,
    "floyd-warshall": floyd_warshall,
    "nussinov": nussinov,
    "adi": adi,
    "fdtd-2d": fdtd_2d,
    "heat-3d": heat_3d,
    "jacobi-1d": jacobi_1d,
    "jacobi-2d": jacobi_2d,
    "seidel-2d": seidel_2d,
}

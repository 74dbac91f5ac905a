"""XLA (jaxlib 0.10.2, CPU, x64) crashes with a segmentation fault running symm's raised
computation at PolyBench LARGE: a symmetric matrix rebuilt from its lower triangle by an
iota mask, times a matrix. Written here in plain jax, without buddy-raise, to show that the
crash is XLA's. `python scripts/xla_masked_matmul_crash.py; echo $?` printed 139 on
2026-12-03; `... 200 240` prints "ok"."""

import sys

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", True)


@jax.jit
def symm(alpha, beta, c, a, b):
    i = jax.lax.broadcasted_iota(jnp.int64, a.shape, 0)
    j = jax.lax.broadcasted_iota(jnp.int64, a.shape, 1)
    return alpha * (jnp.where(i >= j, a, a.T) @ b) + beta * c


n, m = (int(x) for x in sys.argv[1:3]) if len(sys.argv) > 2 else (1000, 1200)
rng = np.random.default_rng(0)
out = symm(1.5, 1.2, rng.normal(size=(n, m)), rng.normal(size=(n, n)), rng.normal(size=(n, m)))
print("ok", np.asarray(out).shape)

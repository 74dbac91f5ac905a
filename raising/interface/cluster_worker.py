"""Preloaded into the worker processes of `--cluster local` (Dask's `preload`): Ctrl-C
reaches the whole process group, and an interrupt is the client's to handle (it reports
what was done and stops the cluster), as in the `--jobs` pool."""

from __future__ import annotations

import contextlib
import signal


def dask_setup(worker: object) -> None:
    # Off the main thread signal.signal raises; the worker then keeps Dask's own handling.
    with contextlib.suppress(ValueError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)

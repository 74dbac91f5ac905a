"""Time limits per file: a soft deadline the pipeline checks between loop nests (and clips
each search to), and a hard backstop for code that does not return (a SIGALRM)."""

from __future__ import annotations

import dataclasses
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# The backstop fires this much after the soft deadline: enough for the loop nest in progress
# and the compiled cross-check to finish normally.
GRACE_FRACTION = 0.5
GRACE_MIN_S = 10.0


class FileTimeout(Exception):
    """The hard time limit of one file was reached."""


def deadline(seconds: float | None, start: float) -> float | None:
    return None if not seconds else start + seconds


def remaining(at: float | None) -> float | None:
    return None if at is None else at - time.monotonic()


def clipped(options: Any, left: float | None) -> Any:
    """`options` (a RaiseOptions) with the search time limit cut to `left` seconds."""
    if left is None or left >= options.config.timeout_s:
        return options
    config = dataclasses.replace(options.config, timeout_s=max(0.01, left))
    return dataclasses.replace(options, config=config)


def backstop_seconds(file_timeout: float) -> float:
    return file_timeout + max(GRACE_MIN_S, GRACE_FRACTION * file_timeout)


@contextmanager
def hard_time_limit(seconds: float | None) -> Iterator[None]:
    """Raise FileTimeout in this (main) thread after `seconds`; a no-op without a limit or
    outside the main thread (signals go to the main thread only)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def fire(signum: int, frame: object) -> None:
        raise FileTimeout(f"hard time limit of {seconds:g} s reached")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

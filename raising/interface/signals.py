"""Interrupts that land in a destructor (a Z3 object freed while SIGINT or SIGTERM
arrives): Python cannot raise from `__del__`, so it prints "Exception ignored in ..." with a
traceback and drops the interrupt. The hook here sends the signal again instead, so that it
is raised at the next ordinary point: no traceback, and the interrupt is not lost. A Z3
object whose constructor the interrupt cut short fails in its destructor later (no `ctx`):
that is not printed either."""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Any

# The signal is sent again from a helper thread after this long: from inside the hook it
# would be raised inside the hook, and be ignored again.
RESEND_DELAY_S = 0.01


def _resend(signum: int) -> None:
    threading.Timer(RESEND_DELAY_S, os.kill, (os.getpid(), signum)).start()


def resend_interrupts_from_destructors() -> None:
    """Install the hook (once per process)."""
    previous = sys.unraisablehook
    if getattr(previous, "_buddy_resends", False):
        return

    def hook(unraisable: Any) -> None:
        exc = unraisable.exc_value
        if isinstance(exc, KeyboardInterrupt):  # SIGINT, or SIGTERM as api.Terminated
            terminated = type(exc).__name__ == "Terminated"
            _resend(signal.SIGTERM if terminated else signal.SIGINT)
            return
        if isinstance(exc, SystemExit):  # a pool process's SIGTERM handler
            _resend(signal.SIGTERM)
            return
        if str(getattr(unraisable.object, "__module__", "")).startswith("z3"):
            return  # a Z3 object half built when an interrupt came: nothing to free
        previous(unraisable)

    hook._buddy_resends = True  # type: ignore[attr-defined]
    sys.unraisablehook = hook

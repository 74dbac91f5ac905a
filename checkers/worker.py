"""Run user code in a separate worker process.

A user's kernel can read or write out of bounds, loop forever or abort; JIT-compiled into the
tool's own process, that kills the tool. So compiling and running happen in a long-lived
worker (`python -m checkers.worker`) that keeps the compiled engines and serves run
requests over a pipe: a crash or a time-out becomes a `WorkerCrash`, the worker is restarted
on the next request, and the tool goes on.

Protocol: length-prefixed pickles. Requests `("compile", key, text, func, opt_level)`,
`("run", key, args)`, `("free", keys)` (no reply); replies `("ok", value)` or
`("error", message)`.
"""

from __future__ import annotations

import atexit
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from checkers.jit import ExecutionError, LocalFunction

_HEADER = struct.Struct("<Q")
# Compiling or running one kernel for longer than this is a hang, not work (seconds).
DEFAULT_TIME_LIMIT = 600.0
# BUDDY_RAISE_WORKER=0 runs user code in-process (debugging; a crash then kills the tool).
IN_PROCESS = os.environ.get("BUDDY_RAISE_WORKER", "1") == "0"


class WorkerCrash(RuntimeError):
    """The worker died (a signal, an abort) or exceeded its time limit."""


class RemoteError(RuntimeError):
    """The worker answered with an error (compiling or running failed cleanly)."""


def _write_frame(fd: int, payload: object) -> None:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes:
    chunks, left = [], size
    while left:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read_frame(fd: int, deadline: float | None = None) -> object:
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))
    return pickle.loads(_read_exact(fd, size, deadline))


# --- the worker process ---------------------------------------------------------------------

def serve(requests: int, replies: int) -> None:
    """Answer requests until the pipe closes."""
    functions: dict[int, LocalFunction] = {}
    while True:
        try:
            request: tuple[Any, ...] = _read_frame(requests)  # type: ignore[assignment]
        except EOFError:
            return
        kind, key = request[0], request[1]
        if kind == "free":
            for one in key:
                functions.pop(one, None)
            continue
        try:
            if kind == "compile":
                _, _, text, func_name, opt_level = request
                functions[key] = LocalFunction(text, func_name, opt_level)
                reply: object = ("ok", [t.text for t in functions[key].arg_types])
            else:
                args = request[2]
                functions[key].run(args)
                reply = ("ok", args)
        except ExecutionError as err:
            reply = ("error", str(err))
        except Exception as err:  # noqa: BLE001 -- report anything else, keep serving
            reply = ("error", f"{type(err).__name__}: {err}")
        _write_frame(replies, reply)


def _worker_main() -> None:
    # The protocol owns the original stdout; anything user code or MLIR prints goes to stderr.
    replies = os.dup(1)
    os.dup2(2, 1)
    serve(0, replies)


# --- the client in the tool's process -------------------------------------------------------

def _signal_name(code: int | None) -> str:
    if code is None or code >= 0:
        return f"exit status {code}"
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


class Worker:
    """One worker process; restarted after a crash. `generation` counts restarts, so a
    caller knows when its compiled engines are gone."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.generation = 0
        self.owner = os.getpid()
        self.lock = threading.Lock()
        self._next_key = 0
        self._to_free: list[int] = []

    def _start(self) -> subprocess.Popen[bytes]:
        root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        stderr = None if os.environ.get("BUDDY_RAISE_DEBUG") else subprocess.DEVNULL
        self.generation += 1
        return subprocess.Popen([sys.executable, "-m", "checkers.worker"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=stderr, env=env)

    def new_key(self) -> int:
        self._next_key += 1
        return self._next_key

    def release(self, key: int, generation: int) -> None:
        """Forget a compiled function; sent with the next request. Safe from a finalizer
        (no lock, no I/O: the garbage collector may run in the middle of a request)."""
        if generation == self.generation and self.owner == os.getpid():
            self._to_free.append(key)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def request(self, message: tuple[object, ...], time_limit: float | None) -> object:
        """Send one request and return its reply's value; WorkerCrash when the worker dies
        or times out (it is then killed; the next request starts a fresh one)."""
        with self.lock:
            if not self.alive():
                self.proc = self._start()
            proc = self.proc
            assert proc is not None and proc.stdin and proc.stdout
            deadline = None if time_limit is None else time.monotonic() + time_limit
            try:
                if self._to_free:
                    keys, self._to_free = self._to_free, []
                    _write_frame(proc.stdin.fileno(), ("free", keys))
                _write_frame(proc.stdin.fileno(), message)
                reply: tuple[str, Any] = _read_frame(proc.stdout.fileno(),  # type: ignore[assignment]
                                                     deadline)
            except TimeoutError:
                self.stop()
                raise WorkerCrash(f"no answer within the time limit of {time_limit:g} s "
                                  "(endless loop?); the worker was stopped") from None
            except (EOFError, OSError):
                code = proc.wait()
                self.proc, self._to_free = None, []
                raise WorkerCrash(f"the isolated worker died ({_signal_name(code)}): "
                                  "likely an out-of-bounds access or an abort in the "
                                  "compiled code") from None
            except BaseException:
                # Interrupted mid-request (a time limit's signal, ^C): its reply would
                # arrive out of turn, so this worker cannot be trusted any more.
                self.stop()
                raise
            if reply[0] == "error":
                raise RemoteError(reply[1])
            return reply[1]

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        self._to_free = []
        if proc is None:
            return
        proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream:
                stream.close()


_shared: Worker | None = None


def shared() -> Worker:
    """The process's worker (a forked child gets its own, never its parent's pipes)."""
    global _shared
    if _shared is None or _shared.owner != os.getpid():
        _shared = Worker()
    return _shared


@atexit.register
def stop_shared() -> None:
    """Stop this process's worker (also at exit)."""
    if _shared is not None and _shared.owner == os.getpid():
        _shared.stop()


if __name__ == "__main__":
    _worker_main()

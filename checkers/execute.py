"""JIT execution of a kernel function on numpy arrays.

`CompiledFunction` is what the tool uses: the function is compiled and run in the isolated
worker (checkers/worker.py), so a crash in user code is an ExecutionError. `LocalFunction`
(checkers/jit.py) does the work, in the worker (or in-process with BUDDY_RAISE_WORKER=0).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from checkers import worker
from checkers.jit import (  # re-exported: callers use checkers.execute
    NUMPY_DTYPES,
    ArgType,
    ExecutionError,
    LocalFunction,
    check_args,
    parse_arg_type,
    result_buffer_type,
)

__all__ = ["NUMPY_DTYPES", "ArgType", "CompiledFunction", "ExecutionError", "LocalFunction",
           "check_args", "parse_arg_type", "result_buffer_type"]


class CompiledFunction:
    """One function of a module, JIT-compiled in the isolated worker; call `run` repeatedly.

    A crash or hang of the compiled code raises ExecutionError; the worker restarts and this
    function recompiles itself on its next run."""

    def __init__(self, module_text: str, func_name: str, opt_level: int = 2,
                 time_limit: float = worker.DEFAULT_TIME_LIMIT) -> None:
        self.func_name = func_name
        self.time_limit = time_limit
        self._source = (module_text, func_name, opt_level)
        self._local: LocalFunction | None = None
        self._worker: worker.Worker | None = None
        if worker.IN_PROCESS:
            self._local = LocalFunction(module_text, func_name, opt_level)
            self.arg_types = self._local.arg_types
            return
        self.arg_types = [parse_arg_type(t) for t in self._compile()]

    def _compile(self) -> list[str]:
        self._worker = worker.shared()
        self._key, self._generation = self._worker.new_key(), self._worker.generation
        result = self._call(("compile", self._key, *self._source))
        self._generation = self._worker.generation  # the request may have (re)started it
        return result  # type: ignore[return-value]

    def _call(self, message: tuple[object, ...]) -> object:
        assert self._worker is not None
        try:
            return self._worker.request(message, self.time_limit)
        except worker.RemoteError as err:
            raise ExecutionError(str(err)) from None
        except worker.WorkerCrash as err:
            raise ExecutionError(f"@{self.func_name}: {err}") from None

    def run(self, args: Sequence[object]) -> None:
        """Call the function; memref arguments (numpy arrays) are updated in place."""
        check_args(self.arg_types, args)
        if self._local is not None:
            self._local.run(args)
            return
        current = worker.shared()
        if current is not self._worker or current.generation != self._generation \
                or not current.alive():
            self._compile()  # the worker restarted (or this is a forked child): recompile
        results = self._call(("run", self._key, list(args)))
        for mine, theirs in zip(args, results):  # type: ignore[call-overload, attr-defined]
            if isinstance(mine, np.ndarray):
                np.copyto(mine, theirs)

    def __del__(self) -> None:
        # Best effort: free the engine in the worker (nothing to do if it has restarted).
        try:
            if self._worker is not None:
                self._worker.release(self._key, self._generation)
        except Exception:  # noqa: BLE001, S110 -- never raise from a finalizer
            pass

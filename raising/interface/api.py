"""The Python API for experiments: raise a module or a file, get text, a report, an exit code.

    import raising
    result = raising.raise_module(text, target="stablehlo", timeout=10)
    result.text        # the module, every raised loop nest replaced, the rest as it was
    result.report      # JSON-ready: per function and loop nest, status, ops, proof, reason
    result.exit_code   # 0 all raised and proved, 1 something stayed unraised

    raising.raise_file("kernel.mlir", output="raised.mlir", report="report.json")
    raising.raise_files(["a.mlir", "polybench/kernels"], jobs=2)   # see raising.interface.batch

Input that does not load raises `raising.LoadError` (its `diagnostics` are
`file:line:col: error: ...` lines). Files from older MLIR are upgraded first (warnings).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from typing import Any

from raising.frontend.load import LoadError, load_text
from raising.frontend.upgrade import upgrade_with_warnings
from raising.limits import FileTimeout, backstop_seconds, hard_time_limit
from raising.pipeline import RaiseOptions, RaiseResult, raise_text
from synth.search import SearchConfig
from synth.stats import SearchStats

# Report keys that hold wall-clock times: the only part of a report that differs between
# two runs of the same input and seed.
TIMING_KEYS = ("total_seconds", "synthesis_seconds", "seconds")


def make_options(target: str = "linalg", timeout: float = 60.0, max_size: int = 3,
                 crosscheck: str = "auto", seed: int = 0,
                 file_timeout: float | None = None, fp: str = "real",
                 allow_unproved: bool = False, z3_timeout: float = 10.0,
                 assume_noalias: bool = False, abi: str = "memref") -> RaiseOptions:
    """Options with the CLI's names and defaults (`timeout` is per search problem,
    `z3_timeout` per equivalence query, both in seconds)."""
    return RaiseOptions(target=target, crosscheck=crosscheck, seed=seed,
                        config=SearchConfig(max_size=max_size, timeout_s=timeout,
                                            z3_timeout_ms=int(z3_timeout * 1000)),
                        file_timeout=file_timeout, fp=fp, allow_unproved=allow_unproved,
                        assume_noalias=assume_noalias, abi=abi)


def _count_nests(text: str, path: str) -> tuple[list[dict[str, object]], int]:
    loaded = load_text(text, path)
    functions = [{"name": k.name, "loc": k.loc, "regions": []} for k in loaded.kernels]
    nests = sum(op.name == "affine.for" for k in loaded.kernels for op in k.body.ops)
    return functions, nests  # type: ignore[return-value]


def _timed_out(text: str, path: str, options: RaiseOptions, err: FileTimeout) -> RaiseResult:
    """The hard limit hit: the module comes back unchanged, with why."""
    functions, nests = _count_nests(text, path)
    report = {"input": path, "target": options.target, "functions": functions,
              "raised_regions": 0, "total_regions": nests, "stats": SearchStats().as_dict(),
              "error": f"timeout: {err}; nothing raised", "total_seconds": 0.0}
    return RaiseResult(str(load_text(text, path).module), report, SearchStats(), 1)


def raise_module(text: str, path: str = "<string>", options: RaiseOptions | None = None, *,
                 warn: Callable[[str], None] | None = None,
                 progress: Callable[[str], None] | None = None,
                 **option_args: Any) -> RaiseResult:
    """Raise every top-level loop nest of the MLIR module `text`.

    `options` or keyword options (`target`, `timeout`, `max_size`, `crosscheck`, `seed`,
    `file_timeout`; see make_options). Older-MLIR spellings are upgraded; each kind of change
    goes to `warn` and into `report["warnings"]`. With a file timeout, a hard backstop a
    little after it returns the module unchanged if something does not come back."""
    if options is None:
        options = make_options(**option_args)
    elif option_args:
        raise TypeError("pass either options or keyword options, not both")
    warnings: list[str] = []

    def note(message: str) -> None:
        warnings.append(message)
        if warn:
            warn(message)

    text = upgrade_with_warnings(text, path, note)
    limit = backstop_seconds(options.file_timeout) if options.file_timeout else None
    try:
        with hard_time_limit(limit):
            result = raise_text(text, path, options, progress)
    except FileTimeout as err:
        result = _timed_out(text, path, options, err)
    if warnings:
        result.report["warnings"] = warnings
    return result


def read_input(path: str) -> str:
    """The file's text; LoadError with a file-level diagnostic if it cannot be read."""
    if os.path.isdir(path):
        raise LoadError([f"{path}: error: is a directory, not an MLIR file"])
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        raise LoadError([f"{path}: error: no such file"]) from None
    except UnicodeDecodeError as err:
        message = f"{path}: error: not a UTF-8 text file ({err.reason} at byte {err.start})"
        raise LoadError([message]) from None
    except OSError as err:
        raise LoadError([f"{path}: error: cannot read: {err.strerror or err}"]) from None


def without_timings(report: object) -> object:
    """The report minus wall-clock times (what stays byte-identical run to run)."""
    if isinstance(report, dict):
        return {k: without_timings(v) for k, v in report.items() if k not in TIMING_KEYS}
    if isinstance(report, list):
        return [without_timings(v) for v in report]
    return report


def report_json(report: object, timings: bool = True) -> str:
    return json.dumps(report if timings else without_timings(report), indent=2) + "\n"


class OutputError(Exception):
    """An output could not be written; the message is a `path: error: ...` line. Whatever
    was at the path before is still there, whole."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like an interrupt (the CLI installs the handler)."""


def write_atomic(path: str, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder and a rename, so
    `path` is either untouched or complete, never half-written. A file without any write
    permission bit is not replaced (root could, but a user marked it read-only). Raises
    OutputError."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise OutputError(f"{path}: error: cannot write: no such directory {folder}")
    if os.path.isdir(path):
        raise OutputError(f"{path}: error: cannot write: is a directory")
    if os.path.exists(path) and not os.stat(path).st_mode & 0o222:
        raise OutputError(f"{path}: error: cannot write: the file is read-only")
    try:
        fd, temp = tempfile.mkstemp(prefix=".buddy-raise-", suffix=".tmp", dir=folder)
    except OSError as err:
        raise OutputError(f"{path}: error: cannot write: {err.strerror or err}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        if os.path.exists(path):
            os.chmod(temp, os.stat(path).st_mode & 0o7777)
        else:
            os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException as err:
        if os.path.exists(temp):
            os.unlink(temp)
        if isinstance(err, OSError):  # a full disk, a file-size limit, a vanished folder
            raise OutputError(f"{path}: error: cannot write: {err.strerror or err}") from None
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def raise_file(path: str, output: str | None = None, report: str | None = None,
               options: RaiseOptions | None = None, *, timings: bool = True,
               warn: Callable[[str], None] | None = None,
               progress: Callable[[str], None] | None = None,
               **option_args: Any) -> RaiseResult:
    """Raise the file at `path`; write the raised module to `output` and the JSON report to
    `report` (each atomically; never over the input). `timings=False` leaves wall-clock
    times out of the written report, so reruns give identical files."""
    for target in (output, report):
        if target and same_file(path, target):
            raise LoadError([f"{path}: error: refusing to overwrite the input file"])
    result = raise_module(read_input(path), path, options, warn=warn, progress=progress,
                          **option_args)
    if output:
        write_atomic(output, result.text)
    if report:
        write_atomic(report, report_json(result.report, timings))
    return result


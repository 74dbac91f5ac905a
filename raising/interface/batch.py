"""Batch mode: many files (or folders of .mlir files), `jobs` processes, one summary line.

Each file is raised in a pool process, so a file that brings a process down (a native crash
while parsing, say) costs that file only: the rest carry on in a fresh pool.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from raising.frontend.load import LoadError
from raising.interface.api import (
    OutputError,
    Terminated,
    make_options,
    raise_file,
    report_json,
    write_atomic,
)
from raising.interface.signals import resend_interrupts_from_destructors
from raising.pipeline import RaiseOptions, RaiseResult

EXIT_ERROR = 2


@dataclass
class FileOutcome:
    """One input file's result: exit code as the single-file CLI would give, counts, and the
    lines it would print to stderr (diagnostics, warnings)."""

    path: str
    exit_code: int
    raised: int = 0
    total: int = 0
    seconds: float = 0.0
    messages: list[str] = field(default_factory=list)
    report: dict[str, object] | None = None
    output: str | None = None

    @property
    def fully_raised(self) -> bool:
        return self.exit_code == 0


@dataclass
class BatchInterrupted(Exception):
    """SIGINT or SIGTERM during a batch: `result` holds the files that were done (their
    outputs are whole) and lists the rest in `not_done`; nothing else was written."""

    def __init__(self, result: BatchResult, signal_name: str) -> None:
        super().__init__(f"interrupted by {signal_name}")
        self.result = result
        self.signal_name = signal_name


@dataclass
class BatchResult:
    files: list[FileOutcome]
    seconds: float
    not_done: list[str] = field(default_factory=list)  # inputs an interrupt left unraised

    @property
    def exit_code(self) -> int:
        """2 if any file failed to load (or crashed), else 1 if anything stayed unraised."""
        return max((f.exit_code for f in self.files), default=0)

    def summary(self, timings: bool = True) -> str:
        full = sum(f.fully_raised for f in self.files)
        errors = sum(f.exit_code == EXIT_ERROR for f in self.files)
        raised = sum(f.raised for f in self.files)
        nests = sum(f.total for f in self.files)
        line = (f"raised {full}/{len(self.files)} files fully, {raised}/{nests} loop nests"
                f"{f', {errors} files with errors' if errors else ''}")
        return line + (f", {self.seconds:.1f} s" if timings else "")

    def report(self, timings: bool = True) -> dict[str, object]:
        summary: dict[str, object] = {
            "files": len(self.files), "fully_raised": sum(f.fully_raised for f in self.files),
            "errors": sum(f.exit_code == EXIT_ERROR for f in self.files),
            "raised_regions": sum(f.raised for f in self.files),
            "total_regions": sum(f.total for f in self.files)}
        if timings:
            summary["total_seconds"] = round(self.seconds, 3)
        files = [f.report or {"input": f.path, "error": "\n".join(f.messages)}
                 for f in self.files]
        report: dict[str, object] = {"summary": summary, "files": files}
        if self.not_done:
            summary["interrupted"] = True
            report["not_done"] = list(self.not_done)
        return report


def expand_inputs(paths: list[str]) -> list[str]:
    """Files as given; a folder stands for the `*.mlir` files in it and in its subfolders
    (sorted, hidden folders skipped)."""
    return [path for path, _ in _inputs_with_places(paths)]


def _inputs_with_places(paths: list[str]) -> list[tuple[str, str]]:
    """(input file, its place under an output folder): a file given by name goes to its
    name; a file found in a folder keeps its path relative to that folder (the tree is
    mirrored)."""
    found: list[tuple[str, str]] = []
    for path in paths:
        if not os.path.isdir(path):
            found.append((path, os.path.basename(path)))
            continue
        for folder, subfolders, names in os.walk(path):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            for name in sorted(names):
                full = os.path.join(folder, name)
                if name.endswith(".mlir") and os.path.isfile(full):
                    found.append((full, os.path.relpath(full, path)))
    return found


def output_paths(paths: list[str], output_dir: str | None) -> dict[str, str | None]:
    """Where each input's raised module goes: `output_dir/<its place>` (see
    _inputs_with_places). Raises ValueError on two inputs with one place, or an output that
    is an input."""
    places = _inputs_with_places(paths)
    if not output_dir:
        return {path: None for path, _ in places}
    outputs: dict[str, str | None] = {}
    taken: dict[str, str] = {}
    for path, place in places:
        target = os.path.join(output_dir, place)
        if place in taken and not os.path.samefile(taken[place], path):
            raise ValueError(f"{path} and {taken[place]} would both be written to {target}")
        taken[place] = path
        if os.path.exists(target) and os.path.exists(path) and os.path.samefile(target, path):
            raise ValueError(f"refusing to overwrite the input file {path}")
        outputs[path] = target
    return outputs


def make_output_folders(outputs: dict[str, str | None]) -> None:
    """Create the folders the outputs go to (the mirrored tree); OutputError if one cannot
    be."""
    for folder in sorted({os.path.dirname(t) for t in outputs.values() if t}):
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as err:
            raise OutputError(f"{folder}: error: cannot create the output folder: "
                              f"{err.strerror or err}") from None


def guarded_outcome(path: str, work: Callable[[Callable[[str], None]], RaiseResult],
                    output: str | None = None) -> tuple[FileOutcome, RaiseResult | None]:
    """`work(warn)` raises one file; its outcome (never an exception: a bad file, an output
    that cannot be written, an internal error are that file's error entry) and its result."""
    start = time.monotonic()
    messages: list[str] = []
    try:
        result = work(messages.append)
    except LoadError as err:
        return FileOutcome(path, EXIT_ERROR, messages=messages + err.diagnostics,
                           seconds=time.monotonic() - start), None
    except OutputError as err:
        return FileOutcome(path, EXIT_ERROR, messages=[*messages, str(err)],
                           seconds=time.monotonic() - start), None
    except Exception as err:  # noqa: BLE001 -- one file's internal error is that file's
        return FileOutcome(path, EXIT_ERROR, seconds=time.monotonic() - start,
                           messages=[*messages, (f"{path}: error: internal error: "
                                                 f"{type(err).__name__}: {err}")]), None
    report = result.report
    return FileOutcome(path, result.exit_code, int(report["raised_regions"]),  # type: ignore[call-overload]
                       int(report["total_regions"]), time.monotonic() - start,  # type: ignore[call-overload]
                       messages, report, output), result


def _raise_one(path: str, options: RaiseOptions, output: str | None) -> FileOutcome:
    """Runs in a pool process: never raises."""
    return guarded_outcome(path, lambda warn: raise_file(path, output, None, options,
                                                         warn=warn), output)[0]


def interrupted(err: KeyboardInterrupt, files: list[str], done: dict[str, FileOutcome],
                start: float) -> BatchInterrupted:
    """The BatchInterrupted for an interrupt (SIGINT, or SIGTERM as api.Terminated) after
    the files in `done`."""
    result = BatchResult([done[p] for p in files if p in done], time.monotonic() - start,
                         [p for p in files if p not in done])
    return BatchInterrupted(result, "SIGTERM" if isinstance(err, Terminated) else "SIGINT")


def _worker_signals() -> None:
    """In a pool process: an interrupt is the batch's to handle (Ctrl-C reaches the whole
    process group); SIGTERM exits through Python, so a half-written temporary output is
    removed (api.write_atomic)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    resend_interrupts_from_destructors()


def _pool(jobs: int) -> ProcessPoolExecutor:
    # spawn: a pool process starts clean (no inherited MLIR context, Z3 state or threads).
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_signals)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the pool processes now."""
    pool.shutdown(wait=False, cancel_futures=True)
    for child in multiprocessing.active_children():
        child.terminate()
    for child in multiprocessing.active_children():
        child.join(timeout=5)


def _alone(path: str, options: RaiseOptions, output: str | None) -> FileOutcome:
    """Retry a file in a pool of its own, after a pool process died."""
    with _pool(1) as pool:
        try:
            return pool.submit(_raise_one, path, options, output).result()
        except BrokenProcessPool:
            return FileOutcome(path, EXIT_ERROR, messages=[(
                f"{path}: error: the tool's process died on this file (a native crash); "
                "nothing was written for it")])


def raise_files(paths: list[str], options: RaiseOptions | None = None, jobs: int = 1,
                output_dir: str | None = None,
                progress: Callable[[int, int, FileOutcome], None] | None = None,
                **option_args: object) -> BatchResult:
    """Raise every file (folders: their .mlir files) in `jobs` processes; results in input
    order. With `output_dir`, each raised module is written there under its own name."""
    start = time.monotonic()
    options = options or make_options(**option_args)  # type: ignore[arg-type]
    files = expand_inputs(paths)
    outputs = output_paths(paths, output_dir)
    make_output_folders(outputs)
    done: dict[str, FileOutcome] = {}
    broken: list[str] = []
    pool = _pool(max(1, jobs))
    try:
        futures: dict[Future[FileOutcome], str] = {
            pool.submit(_raise_one, path, options, outputs[path]): path for path in files}
        for future in as_completed(futures):
            path = futures[future]
            try:
                done[path] = future.result()
            except BrokenProcessPool:
                broken.append(path)
                continue
            if progress:
                progress(len(done), len(files), done[path])
    except KeyboardInterrupt as err:  # SIGINT, or SIGTERM as api.Terminated
        _stop(pool)
        raise interrupted(err, files, done, start) from None
    finally:
        pool.shutdown()
    for path in broken:
        done[path] = _alone(path, options, outputs[path])
        if progress:
            progress(len(done), len(files), done[path])
    return BatchResult([done[p] for p in files], time.monotonic() - start)


def write_report(path: str, batch: BatchResult, timings: bool) -> None:
    write_atomic(path, report_json(batch.report(timings), timings))

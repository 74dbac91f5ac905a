"""Batch raising on a Dask cluster: `--cluster ADDRESS` (a running scheduler, such as
`tcp://host:8786`) or `--cluster local` (a cluster of `--jobs` worker processes on this
machine, started for the batch and stopped after it).

Why Dask (dask + distributed from PyPI): pure-Python wheels, a scheduler address is all a
user needs to reach a cluster, and each worker process runs under a nanny that restarts it
when it dies, so a file that crashes a worker costs that file only. The client reads every
input and writes every output itself; workers see only text, so they need no shared file
system. Outcomes, report and exit codes are those of `--jobs` (batch.py).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from raising.frontend.load import LoadError
from raising.interface.api import OutputError, raise_module, read_input, write_atomic
from raising.interface.batch import (
    EXIT_ERROR,
    BatchResult,
    FileOutcome,
    expand_inputs,
    guarded_outcome,
    interrupted,
    make_output_folders,
    output_paths,
)
from raising.limits import backstop_seconds
from raising.pipeline import RaiseOptions

LOCAL = "local"
# Without --file-timeout, a file that runs this long on a worker counts as hung.
DEFAULT_DEADLINE_S = 1800.0
# Beyond the per-file backstop: the time to ship the text both ways.
DEADLINE_SLACK_S = 30.0
CONNECT_TIMEOUT_S = 10.0
POLL_S = 0.25
CAPACITY_REFRESH_S = 2.0
# A scheduler without a single worker this long: the files still to do get error entries
# (before, the batch waited for a worker forever).
NO_WORKERS_S = 60.0


class ClusterError(Exception):
    """The cluster could not be reached or started; the message is one `error:` line."""


@dataclass
class Remote(FileOutcome):
    """What a worker sends back for one file: its outcome and the raised text, which the
    client writes."""

    text: str | None = None


def raise_source(path: str, text: str, options: RaiseOptions) -> Remote:
    """Runs on a worker: raise one file's text; never raises."""
    outcome, result = guarded_outcome(path, lambda warn: raise_module(text, path, options,
                                                                      warn=warn))
    return Remote(**vars(outcome), text=result.text if result else None)


Task = Callable[[str, str, RaiseOptions], Remote]


def _connect(address: str, workers: int) -> tuple[Any, Any]:
    """(client, local cluster or None); ClusterError with one line when it cannot be done."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError("error: --cluster needs dask and distributed "
                           "(pip install 'buddy-raise[cluster]')") from None
    if address == LOCAL:
        # No retries of a task whose worker died: that file gets its error entry at once.
        dask.config.set({"distributed.scheduler.allowed-failures": 0})
        try:
            cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1,
                                   processes=True, dashboard_address=None,
                                   silence_logs=logging.CRITICAL,
                                   preload=["raising.interface.cluster_worker"])
        except Exception as err:  # noqa: BLE001 -- any start failure is one error line
            raise ClusterError(f"error: cannot start a local cluster: {err}") from None
        return Client(cluster), cluster
    try:
        return Client(address, timeout=CONNECT_TIMEOUT_S), None
    except Exception as err:  # noqa: BLE001 -- whatever answers there, it is not a scheduler
        reason = str(err) if isinstance(err, (OSError, ValueError, TypeError)) else \
            f"no Dask scheduler answers there ({type(err).__name__})"
        raise ClusterError(f"error: cannot reach the cluster at '{address}': {reason}") from None


def _deadline(options: RaiseOptions) -> float:
    if options.file_timeout:
        return backstop_seconds(options.file_timeout) + DEADLINE_SLACK_S
    return DEFAULT_DEADLINE_S


def _outcome(path: str, remote: Remote, output: str | None) -> FileOutcome:
    """The client's half: write the raised text, as `raise_file` would in a pool process."""
    outcome = FileOutcome(path, remote.exit_code, remote.raised, remote.total, remote.seconds,
                          list(remote.messages), remote.report, None)
    if output and remote.text is not None:
        try:
            write_atomic(output, remote.text)
            outcome.output = output
        except OutputError as err:
            return FileOutcome(path, EXIT_ERROR, messages=[*remote.messages, str(err)],
                               seconds=remote.seconds)
    return outcome


class _Run:
    """One batch on a connected client: submits, watches and collects."""

    def __init__(self, client: Any, options: RaiseOptions, task: Task, files: list[str],
                 outputs: dict[str, str | None],
                 progress: Callable[[int, int, FileOutcome], None] | None) -> None:
        self.client, self.options, self.task = client, options, task
        self.outputs, self.progress = outputs, progress
        self.total = len(files)
        self.queue = deque(enumerate(files))  # not yet submitted
        self.done: dict[str, FileOutcome] = {}
        self.pending: dict[Any, str] = {}
        self.started: dict[str, tuple[float, str]] = {}  # key -> (start, worker)
        self.capacity, self.capacity_at, self.watched_at = 1, -CAPACITY_REFRESH_S, 0.0
        self.workerless_since: float | None = None

    def finish(self, path: str, outcome: FileOutcome) -> None:
        self.done[path] = outcome
        if self.progress:
            self.progress(len(self.done), self.total, outcome)

    def top_up(self) -> None:
        """Keep as many files in flight as the cluster has threads: a worker then holds
        only the file it runs, so a crash or a hang takes no queued file with it, and
        thousands of texts are not shipped at once."""
        now = time.monotonic()
        if now - self.capacity_at > CAPACITY_REFRESH_S:  # workers may come and go
            threads = sum(self.client.nthreads().values())
            self.capacity = max(1, threads)
            self.capacity_at = now
            if threads:
                self.workerless_since = None
            elif self.workerless_since is None:
                self.workerless_since = now
        capacity = self.capacity
        while self.queue and len(self.pending) < capacity:
            index, path = self.queue.popleft()
            try:
                text = read_input(path)
            except LoadError as err:
                self.finish(path, FileOutcome(path, EXIT_ERROR, messages=err.diagnostics))
                continue
            future = self.client.submit(self.task, path, text, self.options,
                                        key=f"buddy-raise-{index}-{os.getpid()}-{time.time_ns()}",
                                        pure=False, retries=0)
            self.pending[future] = path

    def collect(self, future: Any) -> None:
        path = self.pending.pop(future)
        if future.status == "finished":
            self.finish(path, _outcome(path, future.result(), self.outputs[path]))
            return
        error = future.exception()
        name = type(error).__name__
        if name == "KilledWorker":
            message = (f"{path}: error: the worker process died on this file (a native "
                       "crash); nothing was written for it")
        else:
            message = f"{path}: error: internal error on the cluster: {name}: {error}"
        self.finish(path, FileOutcome(path, EXIT_ERROR, messages=[message]))

    def watch_hangs(self, deadline: float) -> None:
        """Give a file that runs past `deadline` its error entry and restart its worker."""
        now = time.monotonic()
        if now - self.watched_at < POLL_S:
            return
        self.watched_at = now
        for worker, keys in self.client.processing().items():
            for key in keys:
                self.started.setdefault(key, (now, worker))
        by_key = {future.key: future for future in self.pending}
        hung_workers = set()
        for key, (start, worker) in list(self.started.items()):
            future = by_key.get(key)
            if future is None or now - start <= deadline:
                continue
            path = self.pending.pop(future)
            future.cancel()
            del self.started[key]
            hung_workers.add(worker)
            message = (f"{path}: error: no result after {deadline:g} s on the cluster (a "
                       "hang); its worker was restarted and nothing was written for it")
            self.finish(path, FileOutcome(path, EXIT_ERROR, seconds=now - start,
                                          messages=[message]))
        if hung_workers:
            # A worker that cannot restart stays out; the batch goes on without it.
            with contextlib.suppress(Exception):
                self.client.restart_workers(sorted(hung_workers), raise_for_error=False)

    def give_up(self, address: str) -> None:
        """No worker for NO_WORKERS_S: every file not done gets its error entry."""
        message = (f"error: no worker joined the cluster at '{address}' in "
                   f"{NO_WORKERS_S:g} s; nothing was written for this file")
        for future in self.pending:
            future.cancel()
        left = list(self.pending.values()) + [path for _, path in self.queue]
        self.pending.clear()
        self.queue.clear()
        for path in left:
            self.finish(path, FileOutcome(path, EXIT_ERROR, messages=[f"{path}: {message}"]))

    def workerless(self) -> bool:
        return self.workerless_since is not None and \
            time.monotonic() - self.workerless_since > NO_WORKERS_S

    def wait(self, deadline: float, address: str = "") -> None:
        from distributed import wait

        self.top_up()
        while self.pending or self.queue:
            if self.workerless():
                self.give_up(address)
                return
            if self.pending:
                # Back as soon as one file is done; at least every POLL_S to watch hangs.
                with contextlib.suppress(TimeoutError):
                    wait(list(self.pending), timeout=POLL_S, return_when="FIRST_COMPLETED")
            for future in [f for f in self.pending if f.done()]:
                self.collect(future)
            self.watch_hangs(deadline)
            self.top_up()


def raise_files_on_cluster(paths: list[str], options: RaiseOptions, address: str,
                           workers: int = 2, output_dir: str | None = None,
                           progress: Callable[[int, int, FileOutcome], None] | None = None,
                           task: Task = raise_source,
                           deadline: float | None = None) -> BatchResult:
    """Like `batch.raise_files`, on the cluster at `address` (`local`: start one with
    `workers` processes). `task` raises one file on a worker (a test passes one that
    crashes or hangs); `deadline` (seconds a file may run) defaults from the file timeout.
    Raises ClusterError when the cluster cannot be reached."""
    start = time.monotonic()
    files = expand_inputs(paths)
    outputs = output_paths(paths, output_dir)
    make_output_folders(outputs)
    client, cluster = _connect(address, workers)
    run = _Run(client, options, task, files, outputs, progress)
    try:
        run.wait(deadline if deadline is not None else _deadline(options), address)
    except KeyboardInterrupt as err:  # SIGINT, or SIGTERM as api.Terminated
        raise interrupted(err, files, run.done, start) from None
    finally:
        _close(client, cluster)
    return BatchResult([run.done[p] for p in files], time.monotonic() - start)


def _close(client: Any, cluster: Any) -> None:
    # Best effort: every result is in by now.
    with contextlib.suppress(Exception):
        client.close()
        if cluster is not None:
            cluster.close()

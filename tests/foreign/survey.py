"""Raise every foreign file on both targets and write SURVEY.md (what the tool does today,
per file and target, with the raise time); print the NOT_YET table for tests/test_foreign.py.

    .venv/bin/python -m tests.foreign.survey [FILE ...]

Each raise runs in a child process, so a crash of the tool is recorded, not fatal."""

from __future__ import annotations

import multiprocessing
import re
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from tests.foreign import DOMAINS, FOREIGN_DIR, kernels_in

TARGETS = ("linalg", "stablehlo")
RAISED = "raised"
INTRO = ("What `raising.pipeline.raise_text` does today with each file of tests/foreign "
         "(`.venv/bin/python -m tests.foreign.survey`): `raised` = every region raised, proved, "
         "cross-checked, no `affine.for` left; otherwise the first failing region's reason. "
         "Seconds are the wall time of one raise (linalg / stablehlo).")

NOTES = ("Notes (2026-12-01): f_softmax aborted the process (malloc corruption, in "
         "raising/analysis/decompose.py isolate_nest) in 8 of 11 raises until commit 8bb49eb fixed "
         "isolate_nest; now it reports the line above; f_dswap's regions are proved but the "
         "emitted swap fails the compiled cross-check; the unraisable f_histogram is refused "
         "for its i32 type, not for its indirect store.")


def _raise(file: str, target: str) -> tuple[str, float]:
    """The outcome of one raise: "raised" or the first reason it is not, and seconds."""
    from raising.pipeline import RaiseOptions, raise_text

    path = FOREIGN_DIR / f"{file}.mlir"
    start = time.monotonic()
    result = raise_text(path.read_text(), str(path), RaiseOptions(target=target))
    seconds = time.monotonic() - start
    functions = result.report["functions"]
    assert isinstance(functions, list)
    for func in functions:
        if not func["regions"]:
            return f"exit {result.exit_code}, no loop nest found", seconds
        for region in func["regions"]:
            if region["status"] != RAISED:
                return str(region.get("reason", region["status"])), seconds
            if region["proof"]["result"] != "proved":
                return f"proof {region['proof']['result']}", seconds
        if not func["crosscheck"]["passed"]:
            return f"cross-check: {func['crosscheck'].get('detail')}", seconds
    if result.exit_code != 0 or "affine.for" in result.text:
        return f"exit {result.exit_code}", seconds
    return RAISED, seconds


def _short(reason: str) -> str:
    reason = reason.replace(str(FOREIGN_DIR) + "/", "").replace("\n", " ")
    reason = re.sub(r"\.mlir:\d+:\d+", ".mlir", reason)
    return reason if len(reason) <= 110 else reason[:107] + "..."


def _extents(file: str) -> str:
    shapes: list[str] = []
    for kernel in kernels_in(file):
        text = kernel.path.read_text()
        for match in re.finditer(r"memref<([0-9x?]*?)x?(?:f32|f64|i32)>", text):
            dims = match.group(1) or "0-d"
            if dims not in shapes:
                shapes.append(dims)
        for size in kernel.sizes:
            dynamic = ", ".join(f"{k}={v}" for k, v in size.items())
            if dynamic and "?" in " ".join(shapes) and f"({dynamic})" not in shapes:
                shapes.append(f"({dynamic})")
    return " ".join(shapes)


def main(only: list[str]) -> None:
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(1, mp_context=context)
    rows = ["# Foreign corpus survey", "", INTRO, "",
            "| file | domain | extents | linalg | stablehlo | seconds |",
            "|---|---|---|---|---|---|"]
    not_yet: dict[str, str] = {}
    for domain, kernels in DOMAINS.items():
        for file in dict.fromkeys(k.file for k in kernels):
            if only and file not in only:
                continue
            outcome: dict[str, tuple[str, float]] = {}
            for target in TARGETS:
                start = time.monotonic()
                try:
                    outcome[target] = pool.submit(_raise, file, target).result()
                except BrokenProcessPool:
                    outcome[target] = ("crash: the tool aborted (native code)",
                                       time.monotonic() - start)
                    pool.shutdown(wait=False)
                    pool = ProcessPoolExecutor(1, mp_context=context)
                except Exception as err:  # noqa: BLE001 -- recorded, not fatal
                    outcome[target] = (f"error: {type(err).__name__}: {err}",
                                       time.monotonic() - start)
            status = {t: _short(outcome[t][0]) for t in TARGETS}
            seconds = " / ".join(f"{outcome[t][1]:.1f}" for t in TARGETS)
            rows.append(f"| {file} | {domain} | {_extents(file)} | {status['linalg']} | "
                        f"{status['stablehlo']} | {seconds} |")
            print(rows[-1], flush=True)
            raisable = all(k.raisable for k in kernels_in(file))
            if raisable and any(s != RAISED for s in status.values()):
                same = status["linalg"] == status["stablehlo"]
                not_yet[file] = status["linalg"] if same else \
                    "; ".join(f"{t}: {status[t]}" for t in TARGETS)
    pool.shutdown()
    raisable = [f for f in dict.fromkeys(k.file for ks in DOMAINS.values() for k in ks)
                if all(k.raisable for k in kernels_in(f)) and (not only or f in only)]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=False, cwd=FOREIGN_DIR).stdout.strip()
    summary = (f"{len(raisable) - len(not_yet)} of {len(raisable)} raisable files raise fully "
               f"on both targets; measured {time.strftime('%Y-%m-%d')} at commit {commit} "
               "(plus the work tree's uncommitted changes).")
    rows[4:4] = [summary, ""]
    print(summary)
    if not only:
        (FOREIGN_DIR / "SURVEY.md").write_text("\n".join([*rows, "", NOTES]) + "\n")
    print("NOT_YET: dict[str, str] = {")
    for file, reason in not_yet.items():
        print(f'    "{file}": "{reason}",')
    print("}")


if __name__ == "__main__":
    main(sys.argv[1:])

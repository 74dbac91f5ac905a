"""Fuzz the tool with seeded mutations of real kernel files.

    python -m tests.fuzz --count 3000 [--seed 0] [--raise-every 10] [--save DIR]

Seeds: tests/corpus, tests/robust and the PolyBench kernels at their MINI size. Each case is
1-3 mutations of one seed (delete / duplicate / swap lines, change an integer, a bound, a type
or an op name, truncate, drop a brace). Every case goes through the load path (upgrade, parse,
verify, convert, argument roles, shrink); every `raise_every`-th case that loads is raised in
full (small search and file time limits, compiled cross-check on), and each raised function
is cross-checked once more, independently, at the file's own size.

Cases run in a server subprocess, so a native crash is counted (and the server restarted),
not fatal; a case past its time limit is a hang. Counted failures: crashes, hangs, internal
errors (any exception but LoadError), raised outputs that do not verify, independent
cross-check failures. `tests/test_fuzz.py` runs a bounded number.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import select
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OP_SWAPS = (("arith.addf", "arith.mulf", "arith.subf", "arith.divf", "arith.maximumf",
             "arith.maxf"), ("affine.load", "memref.load"), ("affine.store", "memref.store"),
            ("affine.for", "scf.for", "affine.parallel"), ("f64", "f32", "i32", "index"),
            ("iter_args", "iter_arg"), ("affine.yield", "scf.yield"))
INT_RE = re.compile(r"(?<![\w%#.])\d+(?![\w.])")


# --- cases ----------------------------------------------------------------------------------

def seeds() -> list[tuple[str, str]]:
    """(name, text) of every seed file."""
    from polybench import datasets

    found = [(p.name, p.read_text()) for folder in ("tests/corpus", "tests/robust")
             for p in sorted((ROOT / folder).glob("*.mlir"))]
    for path in sorted((ROOT / "polybench" / "kernels").glob("*.mlir")):
        try:
            text = datasets.instantiate_text(path.stem, "MINI")
        except Exception:  # noqa: BLE001 -- a kernel without a clean MINI size: use it as is
            text = path.read_text()
        found.append((f"{path.stem}_mini.mlir", text))
    return found


def _lines(text: str, rng: random.Random) -> tuple[list[str], int]:
    lines = text.splitlines(keepends=True)
    return lines, rng.randrange(len(lines)) if lines else 0


def _delete(text: str, rng: random.Random) -> str:
    lines, i = _lines(text, rng)
    return "".join(lines[:i] + lines[i + 1:])


def _duplicate(text: str, rng: random.Random) -> str:
    lines, i = _lines(text, rng)
    return "".join(lines[:i + 1] + lines[i:])


def _swap(text: str, rng: random.Random) -> str:
    lines, i = _lines(text, rng)
    j = rng.randrange(len(lines)) if lines else 0
    if lines:
        lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


def _integer(text: str, rng: random.Random) -> str:
    matches = list(INT_RE.finditer(text))
    if not matches:
        return text
    m = rng.choice(matches)
    value = int(m.group(0))
    new = rng.choice((value + 1, value - 1, value * 2, 0, 1, -value, value + 1000, 2 ** 40))
    return text[:m.start()] + str(new) + text[m.end():]


def _op_name(text: str, rng: random.Random) -> str:
    group = rng.choice(OP_SWAPS)
    present = [name for name in group if name in text]
    if not present:
        return text
    old = rng.choice(present)
    spots = [m.start() for m in re.finditer(re.escape(old), text)]
    at = rng.choice(spots)
    return text[:at] + rng.choice(group) + text[at + len(old):]


def _truncate(text: str, rng: random.Random) -> str:
    return text[:rng.randrange(len(text) + 1)]


def _brace(text: str, rng: random.Random) -> str:
    spots = [i for i, ch in enumerate(text) if ch in "{}()<>[]"]
    if not spots:
        return text
    at = rng.choice(spots)
    return text[:at] + text[at + 1:]


def _garbage(text: str, rng: random.Random) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(("%", "@", "\"", "#map", "?", "x", " : ", "\x00", "é")) + \
        text[at:]


MUTATORS: tuple[Callable[[str, random.Random], str], ...] = (
    _delete, _duplicate, _swap, _integer, _integer, _integer, _op_name, _op_name, _truncate,
    _brace, _garbage)


@dataclass(frozen=True)
class Case:
    number: int
    seed_name: str
    mutations: tuple[str, ...]
    text: str


def cases(count: int, seed: int) -> Iterator[Case]:
    rng = random.Random(seed)
    pool = seeds()
    for number in range(count):
        name, text = pool[rng.randrange(len(pool))]
        applied = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            mutator = rng.choice(MUTATORS)
            text = mutator(text, rng)
            applied.append(mutator.__name__.strip("_"))
        yield Case(number, name, tuple(applied), text)


# --- the server: one case at a time ---------------------------------------------------------

def check_case(text: str, name: str, full: bool, timeout: float,
               file_timeout: float) -> dict[str, object]:
    """What the tool did with one case. Only LoadError may escape the load path."""
    from checkers.crosscheck import cross_check
    from raising.analysis.decompose import region_end
    from raising.frontend.dynamic import check_sizes, specialise
    from raising.frontend.load import LoadError, load_text
    from raising.frontend.resize import ResizeError, resize_text, shrink_mapping
    from raising.frontend.upgrade import upgrade_text
    from raising.interface.api import raise_module

    upgraded = upgrade_text(text)[0]
    try:
        loaded = load_text(upgraded, name)
    except LoadError as err:
        if not err.diagnostics or ": error:" not in err.diagnostics[0]:
            return {"status": "internal_error", "error": f"diagnostic format: {err}"}
        return {"status": "rejected"}
    try:
        resize_text(upgraded, shrink_mapping(upgraded))
    except ResizeError:
        pass
    for kernel in loaded.kernels:
        for index, op in enumerate(kernel.body.ops):
            if op.name == "affine.for":
                region_end(kernel, index)
    if not full:
        return {"status": "loaded"}
    result = raise_module(text, name, timeout=timeout, crosscheck="small",
                          file_timeout=file_timeout)
    try:
        load_text(result.text, name + " (raised)")
    except LoadError as err:
        return {"status": "output_invalid", "error": str(err)}
    raised_funcs = [f["name"] for f in result.report["functions"]  # type: ignore[attr-defined]
                    if any(r["status"] == "raised" for r in f["regions"])]
    failures = []
    for func in raised_funcs:
        kernel = next(k for k in loaded.kernels if k.name == func)
        runs = None
        if any(t.is_dynamic for t in kernel.arg_types):  # runtime sizes: shapes to run at
            spec = specialise(upgraded)
            if spec is None or func not in spec.functions:
                continue
            runs = [shapes for _, shapes in check_sizes(spec.functions[func],
                                                        kernel.arg_types)]
        check = cross_check(upgraded, result.text, func, seed=7, sizes=runs)
        if not check.passed:
            failures.append(f"{func}: {check.detail}")
    return {"status": "raised" if raised_funcs else "unraised",
            "regions": result.report["raised_regions"], "crosscheck_failures": failures}


def serve() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        try:
            reply = check_case(request["text"], request["name"], request["full"],
                               request["timeout"], request["file_timeout"])
        except Exception as err:  # noqa: BLE001 -- a bug in the tool: report it, go on
            reply = {"status": "internal_error", "error": f"{type(err).__name__}: {err}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


# --- the driver -----------------------------------------------------------------------------

class Server:
    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None

    def ask(self, request: dict[str, object], limit: float) -> dict[str, object]:
        if self.proc is None or self.proc.poll() is not None:
            env = dict(os.environ, PYTHONPATH=os.pathsep.join(
                p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
            self.proc = subprocess.Popen([sys.executable, "-m", "tests.fuzz", "--serve"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, text=True, env=env)
        assert self.proc.stdin and self.proc.stdout
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            return self._died()
        if not select.select([self.proc.stdout], [], [], limit)[0]:
            self.stop()
            return {"status": "hang"}
        line = self.proc.stdout.readline()
        return json.loads(line) if line else self._died()

    def _died(self) -> dict[str, object]:
        assert self.proc is not None
        code = self.proc.wait()
        self.proc = None
        return {"status": "crash", "error": f"server exit status {code}"}

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


FAILURES = ("crash", "hang", "internal_error", "output_invalid")


def run(count: int, seed: int = 0, raise_every: int = 10, timeout: float = 1.0,
        file_timeout: float = 8.0, save: Path | None = None,
        report: Callable[[str], None] = print) -> Counter[str]:
    """Run `count` cases; the returned counts name every outcome."""
    counts: Counter[str] = Counter()
    server = Server()
    loaded_seen = 0
    start = time.monotonic()
    try:
        for case in cases(count, seed):
            probe = server.ask({"text": case.text, "name": case.seed_name, "full": False,
                                "timeout": timeout, "file_timeout": file_timeout}, 60.0)
            reply = probe
            if probe["status"] == "loaded":
                loaded_seen += 1
                if loaded_seen % raise_every == 0:
                    counts["full_runs"] += 1
                    reply = server.ask({"text": case.text, "name": case.seed_name,
                                        "full": True, "timeout": timeout,
                                        "file_timeout": file_timeout},
                                       file_timeout * 2 + 60.0)
            counts["files"] += 1
            counts["loaded"] += probe["status"] == "loaded"
            counts["rejected"] += probe["status"] == "rejected"
            if reply is not probe or probe["status"] not in ("loaded", "rejected"):
                counts[str(reply["status"])] += 1  # crash, hang, raised, unraised, ...
            counts["raised_regions"] += int(reply.get("regions", 0))  # type: ignore[call-overload]
            mismatches = reply.get("crosscheck_failures") or []
            counts["crosscheck_failures"] += len(mismatches)  # type: ignore[arg-type]
            if reply["status"] in FAILURES or mismatches:
                report(f"case {case.number} ({case.seed_name}, {'+'.join(case.mutations)}): "
                       f"{reply['status']}: {reply.get('error', '')} {mismatches or ''}")
                if save:
                    save.mkdir(parents=True, exist_ok=True)
                    (save / f"case{case.number}.mlir").write_text(case.text)
    finally:
        server.stop()
    counts["seconds"] = round(time.monotonic() - start)
    return counts


def summary(counts: Counter[str]) -> str:
    return (f"fuzz: {counts['files']} files, {counts['loaded']} loaded, "
            f"{counts['rejected']} rejected with a diagnostic, {counts['full_runs']} raised in "
            f"full ({counts['raised']} with raised nests, {counts['raised_regions']} nests), "
            f"crashes={counts['crash']} hangs={counts['hang']} "
            f"internal_errors={counts['internal_error']} "
            f"invalid_outputs={counts['output_invalid']} "
            f"crosscheck_failures={counts['crosscheck_failures']}, {counts['seconds']} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz")
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--raise-every", type=int, default=10,
                        help="raise in full every N-th case that loads (default 10)")
    parser.add_argument("--timeout", type=float, default=1.0, help="search limit per nest")
    parser.add_argument("--file-timeout", type=float, default=8.0)
    parser.add_argument("--save", type=Path, help="write failing cases here")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve()
        return 0
    counts = run(args.count, args.seed, args.raise_every, args.timeout, args.file_timeout,
                 args.save, report=lambda line: print(line, flush=True))
    print(summary(counts))
    bad = sum(counts[k] for k in (*FAILURES, "crosscheck_failures"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

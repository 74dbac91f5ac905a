"""Every PolyBench kernel that raises, fully or in part, builds and runs in every variant the
evaluation builds (baseline, raised-linalg and raised-stablehlo on x86 and on RVV under
qemu) and gives the baseline's results: a build failure is a failed test here, not a
FAILED cell in a benchmark table."""

from __future__ import annotations

import pytest

from lowering import lower, native
from polybench import evaluate
from polybench.datasets import KERNELS
from tests.test_lowering import HAVE_QEMU, native_only

# The three that do not raise at all, each for its own reason (README: kernel by kernel).
UNRAISED = {"adi", "seidel-2d", "floyd-warshall"}


def _run(prepared: evaluate.Prepared, kind: str, text: str, arch: str, tmp_path):
    types = lower.signature(prepared.text, prepared.func_name)
    notes: list[str] = []
    llvm_ir = lower.emit_llvm_ir(text, kind, arch, notes=notes)
    exe = native.build_executable(llvm_ir, prepared.func_name, types, native.ARCHES[arch],
                                  tmp_path / f"{prepared.name}-{kind}-{arch}-{len(text)}")
    if arch == "riscv64":
        _, result = native.count_instructions(exe, native.ARCHES[arch], prepared.args, types)
    else:
        result = native.run_executable(exe, native.ARCHES[arch], prepared.args, types,
                                       timed=False)
    return result.arrays, notes


@native_only
@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(KERNELS))
def test_every_raising_kernel_builds_and_matches_its_baseline(name, tmp_path):
    prepared = evaluate.prepare(name, "MINI")
    if isinstance(prepared, str):
        assert name in UNRAISED, f"{name} no longer raises: {prepared}"
        return
    assert name not in UNRAISED  # it raises now: the README's table needs the news
    reference, _ = _run(prepared, "baseline", prepared.text, "x86_64", tmp_path)
    runs = [("linalg", "x86_64"), ("stablehlo", "x86_64")] + \
        ([("linalg", "riscv64"), ("stablehlo", "riscv64")] if HAVE_QEMU else [])
    for target, arch in runs:
        arrays, notes = _run(prepared, "raised", prepared.raised[target], arch, tmp_path)
        ok, worst = evaluate.compare(reference, arrays, name, "MINI")
        assert ok, f"{name} raised-{target} on {arch}: max relative error {worst:.3g}"
        assert not notes, f"{name} raised-{target} on {arch}: {notes}"

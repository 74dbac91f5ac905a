"""Issue 7, fuzzing (bounded): seeded mutations of the corpus through the load path, a sample
raised in full. The large run is `python -m tests.fuzz --count 3000` (or `make fuzz`)."""

from __future__ import annotations

from tests import fuzz


def test_mutations_are_seeded_and_varied() -> None:
    first = [c.text for c in fuzz.cases(40, seed=5)]
    assert first == [c.text for c in fuzz.cases(40, seed=5)]
    assert len(set(first)) > 30


def test_bounded_fuzz_finds_no_crash_hang_or_lie() -> None:
    lines: list[str] = []
    counts = fuzz.run(300, seed=11, raise_every=8, timeout=1.0, file_timeout=8.0,
                      report=lines.append)
    print(fuzz.summary(counts))
    assert counts["files"] == 300
    # The run exercised both paths: diagnostics and loading, raising and cross-checking.
    assert counts["rejected"] > 50 and counts["loaded"] > 50
    assert counts["full_runs"] >= 10 and counts["raised"] >= 1
    for failure in (*fuzz.FAILURES, "crosscheck_failures"):
        assert counts[failure] == 0, "\n".join(lines)

"""DESIGN.md's rule: no kernel names in the tool; the same search raises every kernel."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
TOOL_DIRS = ("core", "synth", "grammar", "checkers", "raising", "lowering")


def test_no_kernel_names_in_tool_code():
    names = [p.stem for p in (ROOT / "polybench" / "kernels").glob("*.mlir")]
    assert len(names) >= 6
    # A target op's own name is not a kernel's: `stablehlo.cholesky` may be spelled.
    pattern = re.compile(r"(?<!stablehlo\.)\b(" + "|".join(re.escape(n) for n in names) +
                         r")\b", re.IGNORECASE)
    hits = []
    for folder in TOOL_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if pattern.search(line):
                    hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not hits, "\n".join(hits)

"""Compare two scripts/snapshot.sh folders: raised MLIR byte for byte, reports with the
wall-clock fields left out. Exit 0 when they agree.
    .venv/bin/python scripts/compare_snapshots.py BEFORE AFTER"""

import json
import sys
from pathlib import Path

from raising.interface.api import without_timings  # the tool's own notion of timings


def main(before: Path, after: Path) -> int:
    names = sorted({p.relative_to(before) for p in before.rglob("*") if p.is_file()} |
                   {p.relative_to(after) for p in after.rglob("*") if p.is_file()})
    differ = []
    for name in names:
        a, b = before / name, after / name
        if not a.exists() or not b.exists():
            differ.append(f"{name}: only in {'after' if b.exists() else 'before'}")
        elif name.suffix == ".json":
            if without_timings(json.loads(a.read_text())) != without_timings(json.loads(b.read_text())):
                differ.append(f"{name}: reports differ")
        elif a.read_bytes() != b.read_bytes():
            differ.append(f"{name}: contents differ")
    print("\n".join(differ) or f"{len(names)} files agree")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))

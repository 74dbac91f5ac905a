"""The architecture holds: the layer contract in pyproject.toml (import-linter) is kept, and
no two modules import each other, directly or around a cycle, even inside a function."""

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "checkers", "grammar", "synth", "raising", "lowering", "polybench")


def _cycle(graph: grimp.ImportGraph, skip: frozenset[str] = frozenset()) -> list[str] | None:
    """One import cycle among the modules (those in `skip` left out), or None (depth-first
    search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module) - skip):
            if state.get(imported) == 1:
                return path[path.index(imported):] + [imported]
            if imported not in state:
                found = visit(imported)
                if found:
                    return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph.modules - skip):
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def test_no_import_cycles_between_modules():
    graph = grimp.build_graph(*PACKAGES, include_external_packages=False)
    # A top package's __init__ only names its parts (`from checkers import worker`).
    cycle = _cycle(graph, frozenset(PACKAGES))
    assert cycle is None, " -> ".join(cycle)


@pytest.mark.skipif(shutil.which("lint-imports", path=str(Path(sys.executable).parent)) is None,
                    reason="import-linter not installed (make setup installs it)")
def test_layer_contract_is_kept():
    tool = Path(sys.executable).parent / "lint-imports"
    proc = subprocess.run([str(tool)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr

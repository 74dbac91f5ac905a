#!/usr/bin/env bash
# Raise every PolyBench kernel and corpus file to both targets, deterministically (no
# timings, no cross-check), into DIR: raised MLIR and reports. Run it before and after a
# refactoring and compare: `.venv/bin/python scripts/compare_snapshots.py BEFORE AFTER` (raised MLIR
# byte for byte, reports without their wall-clock fields).
#   scripts/snapshot.sh out/snapshot-before
set -euo pipefail
out=${1:?usage: scripts/snapshot.sh DIR}
bin=${BUDDY_RAISE:-.venv/bin/buddy-raise}
mkdir -p "$out"
for target in linalg stablehlo; do
  for dir in polybench/kernels tests/corpus tests/foreign; do
    dest="$out/$target/$(basename "$dir")"
    mkdir -p "$dest"
    "$bin" "$dir" --target "$target" --no-timings --crosscheck none -q -j 2 \
      -o "$dest" --report "$dest/report.json" || true  # exit 1: something stayed unraised
  done
done
echo "snapshot in $out: $(find "$out" -name '*.mlir' | wc -l) raised files"

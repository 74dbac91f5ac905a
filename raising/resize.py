"""Resize a static-shape kernel: map every extent consistently to a new one.

Used to shrink kernels for synthesis (distinct small primes, so shapes are unambiguous) and
to instantiate PolyBench datasets. Loop bounds and affine constants near an extent (N-1,
N+1, ...) move with it.
"""

from __future__ import annotations

import re

# Bounds such as N-1 or N+2 follow their extent N.
SLACK = 3
SHRINK_PRIMES = (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47)
_SHAPED_RE = re.compile(r"\b(memref|tensor|vector)<([0-9x?]+)x([a-z][\w]*)")
# Integer literals that are not part of a name (%c10, #map1, d0), a float, or a shape.
_INT_RE = re.compile(r"(?<![\w%#.$@^\-+x])(-?)(\d+)(?![\w.])")


class ResizeError(ValueError):
    """The requested mapping is ambiguous or inconsistent with the kernel."""


def _is_module_header(line: str) -> bool:
    return line.lstrip().startswith("module ")


def _without_module_header(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True)
                   if not _is_module_header(line))


def shape_extents(text: str) -> list[int]:
    """Every distinct static extent that appears in a memref/tensor type, ascending."""
    extents: set[int] = set()
    for match in _SHAPED_RE.finditer(_without_module_header(text)):
        extents.update(int(d) for d in match.group(2).split("x") if d.isdigit())
    return sorted(extents)


def _derived_mapping(mapping: dict[int, int]) -> dict[int, int]:
    """Extend E -> e to E+k -> e+k for |k| <= SLACK; refuse ambiguous neighbourhoods.

    A literal below E moves with it only when it is closer to E than to zero (E-1 for a
    loop's last index): at E = 3 the lower bound 0 and the offset 1 are not E-3 and E-2."""
    derived: dict[int, int] = {}
    for old, new in mapping.items():
        for k in range(-SLACK, SLACK + 1):
            if old + k < 0 or (k < 0 and old + k <= -k):
                continue
            value = new + k
            if old + k in derived and derived[old + k] != value:
                raise ResizeError(f"extents too close to resize unambiguously: {old + k}")
            derived[old + k] = value
    return derived


def resize_text(text: str, mapping: dict[int, int]) -> str:
    """Apply an extent mapping to kernel text: shapes exactly, other integers with slack.

    Integers below every mapped extent's neighbourhood (0, 1, 2, ...) are left alone.
    """
    for old, new in mapping.items():
        if new < 1:
            raise ResizeError(f"extent {old} mapped to {new}")
    derived = _derived_mapping(mapping)

    def shaped(match: re.Match[str]) -> str:
        dims = [str(mapping.get(int(d), int(d))) if d.isdigit() else d
                for d in match.group(2).split("x")]
        return f"{match.group(1)}<{'x'.join(dims)}x{match.group(3)}"

    def integer(match: re.Match[str]) -> str:
        value = int(match.group(2))
        if value not in derived:
            return match.group(0)
        new = derived[value]
        if match.group(1):  # a negative literal such as -999 in an affine map
            return f"-{new}"
        return str(new)

    lines = []
    for line in text.splitlines(keepends=True):
        if _is_module_header(line):  # data layout and target: not the kernel's extents
            lines.append(line)
            continue
        head, sep, comment = line.partition("//")
        head = _SHAPED_RE.sub(shaped, head)
        # Leave shapes alone in the second pass: protect them by splitting them out.
        parts = re.split(r"(\b(?:memref|tensor|vector)<[^>]*>)", head)
        parts = [p if i % 2 else _INT_RE.sub(integer, p) for i, p in enumerate(parts)]
        lines.append("".join(parts) + sep + comment)
    return "".join(lines)


def shrink_mapping(text: str, start: int = 0) -> dict[int, int]:
    """Map each distinct extent, in ascending order, to a distinct small prime; extents
    within 2*SLACK of the previous one keep their gap instead (so N-1, N+1 stay exact)."""
    extents = [e for e in shape_extents(text) if e > 1]
    primes = list(SHRINK_PRIMES[start:])
    mapping: dict[int, int] = {}
    last_old = last_new = 0
    for extent in extents:
        if last_old and extent - last_old <= 2 * SLACK:
            new = last_new + extent - last_old  # close extents keep their gap (N, N+2)
        else:
            primes = [p for p in primes if p > last_new]
            if not primes:
                raise ResizeError(f"{len(extents)} distinct extents; too many to shrink")
            new = primes.pop(0)
        mapping[extent] = new
        last_old, last_new = extent, new
    return mapping

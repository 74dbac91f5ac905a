"""How the aliasing guard (raising/emit/guard.py) names the two versions of a function it
versions, so that readers of a raised module (`check`, tests) can find them."""

from __future__ import annotations

from collections.abc import Iterable

RAISED_SUFFIX = "__raised"
LOOPS_SUFFIX = "__loops"


def guarded_versions(names: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Function name -> (its raised version, its loops version), for every function of
    `names` that has both."""
    present = set(names)
    return {name: (name + RAISED_SUFFIX, name + LOOPS_SUFFIX) for name in sorted(present)
            if name + RAISED_SUFFIX in present and name + LOOPS_SUFFIX in present}

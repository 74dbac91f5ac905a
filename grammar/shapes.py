"""Type rules over shape symbols, checked by unification.

A pattern is a tuple of symbols, one per dimension: ("M", "K"). The pattern ("*",) stands for
a whole shape of any rank (all "*" in one rule must bind to the same shape); () is a scalar.
"""

from __future__ import annotations

from dataclasses import dataclass

Shape = tuple[int, ...]
Pattern = tuple[str, ...]
ANY: Pattern = ("*",)


@dataclass(frozen=True)
class TypeRule:
    operands: tuple[Pattern, ...]
    result: Pattern

    def __str__(self) -> str:
        def fmt(p: Pattern) -> str:
            return "(" + ",".join(p) + ")"
        return ", ".join(fmt(p) for p in self.operands) + " -> " + fmt(self.result)


def unify(rule: TypeRule, shapes: tuple[Shape, ...]) -> dict[str, object] | None:
    """Bindings of the rule's symbols to extents (and "*" to a shape), or None."""
    if len(rule.operands) != len(shapes):
        return None
    bindings: dict[str, object] = {}
    for pattern, shape in zip(rule.operands, shapes):
        if pattern == ANY:
            if bindings.setdefault("*", shape) != shape:
                return None
            continue
        if len(pattern) != len(shape):
            return None
        for symbol, extent in zip(pattern, shape):
            if bindings.setdefault(symbol, extent) != extent:
                return None
    return bindings


def result_shape(rule: TypeRule, bindings: dict[str, object]) -> Shape:
    if rule.result == ANY:
        return bindings["*"]  # type: ignore[return-value]
    return tuple(bindings[s] for s in rule.result)  # type: ignore[misc]

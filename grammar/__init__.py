"""The target-op catalog (data) and its type rules."""

from grammar.ops import CATALOG, AttrContext, TargetOp

BY_NAME: dict[str, TargetOp] = {op.name: op for op in CATALOG}

__all__ = ["BY_NAME", "CATALOG", "AttrContext", "TargetOp"]

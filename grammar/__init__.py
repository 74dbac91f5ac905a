"""The target-op catalog (data) and its type rules."""

from grammar.choice import CHOICE_OPS
from grammar.conv import CONV_OPS
from grammar.masked import MASKED_OPS, PARTIAL_WRITE_OP, index_mask, mask_kinds
from grammar.nonlinear import NONLINEAR_OPS
from grammar.ops import CORE_OPS, AttrContext, TargetOp
from grammar.pool import POOL_OPS
from grammar.solve import SOLVE_OPS
from grammar.stencil import STENCIL_OPS
from grammar.window import WINDOW_OPS

CATALOG: tuple[TargetOp, ...] = CORE_OPS + MASKED_OPS + STENCIL_OPS + NONLINEAR_OPS + CHOICE_OPS + \
    WINDOW_OPS + CONV_OPS + POOL_OPS + SOLVE_OPS
BY_NAME: dict[str, TargetOp] = {op.name: op for op in CATALOG}

__all__ = ["BY_NAME", "CATALOG", "PARTIAL_WRITE_OP", "AttrContext", "TargetOp", "index_mask",
           "mask_kinds"]

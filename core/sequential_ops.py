"""StableHLO ops upstream MLIR does not lower (`stablehlo.triangular_solve` and
`stablehlo.cholesky`), expanded in place into scf loops over tensors before
`stablehlo-legalize-to-linalg`, so the compiled cross-check, `check` and the CPU/RVV
pipelines can run them. ML compilers (XLA) get the ops themselves; only our own lowering
expands them.

The expansion is the substitution the op's definition gives: for a system op(a) x = b
whose op(a) is lower triangular, rows first to last, each row's known terms subtracted,
then the division by the diagonal (none for a unit diagonal); back substitution for an
upper triangle. The factorisation goes row by row, each row's off-diagonal entries from
the rows above, then its diagonal's square root. Results start as a copy of an operand
and are updated in place, which one-shot bufferization keeps in one buffer.
"""

from __future__ import annotations

from torch_mlir import ir
from torch_mlir.dialects import arith, math, scf, tensor

TRIANGULAR_SOLVE = "stablehlo.triangular_solve"
FACTOR = "stablehlo.cholesky"
# Terms of one row's sum may be added in any order (the proofs are over the reals, as for
# every reduction we raise): LLVM then vectorizes the inner loops.
REASSOCIATE = "#arith.fastmath<reassoc,contract>"


def _index(value: int) -> ir.Value:
    return arith.ConstantOp(ir.IndexType.get(), value).result


def _bool_attr(op: ir.Operation, name: str) -> bool:
    return bool(ir.BoolAttr(op.attributes[name]).value)


def _expand_solve(op: ir.Operation) -> None:
    a, b = op.operands[0], op.operands[1]
    shape = ir.RankedTensorType(b.type).shape
    left = _bool_attr(op, "left_side")
    lower, unit = _bool_attr(op, "lower"), _bool_attr(op, "unit_diagonal")
    transpose = "NO_TRANSPOSE" not in str(op.attributes["transpose_a"])
    if not left:  # x op(a) = b is op(a)^T x^T = b^T: the same loops on swapped subscripts
        transpose = not transpose
    n, columns = (shape[0], shape[1]) if left else (shape[1], shape[0])
    forward = lower != transpose

    def at(row: ir.Value, column: ir.Value) -> list[ir.Value]:  # x[row, column] of x^T
        return [row, column] if left else [column, row]

    def coefficient(i: ir.Value, j: ir.Value) -> ir.Value:  # op(a)[i, j]
        return tensor.ExtractOp(a, [j, i] if transpose else [i, j]).result

    with ir.InsertionPoint(op), op.location:
        flags = ir.Attribute.parse(REASSOCIATE)
        zero, one, last, size = _index(0), _index(1), _index(n - 1), _index(n)
        rows = scf.ForOp(zero, size, one, [b])
        with ir.InsertionPoint(rows.body):
            step = rows.induction_variable
            i = step if forward else arith.SubIOp(last, step).result
            start, stop = (zero, i) if forward else (arith.AddIOp(i, one).result, size)
            cols = scf.ForOp(zero, _index(columns), one, [rows.inner_iter_args[0]])
            with ir.InsertionPoint(cols.body):
                m, x = cols.induction_variable, cols.inner_iter_args[0]
                first = tensor.ExtractOp(x, at(i, m)).result
                terms = scf.ForOp(start, stop, one, [first])
                with ir.InsertionPoint(terms.body):
                    j, acc = terms.induction_variable, terms.inner_iter_args[0]
                    known = tensor.ExtractOp(x, at(j, m)).result
                    product = arith.MulFOp(coefficient(i, j), known, fastmath=flags).result
                    scf.YieldOp([arith.SubFOp(acc, product, fastmath=flags).result])
                value = terms.results[0]
                if not unit:
                    value = arith.DivFOp(value, coefficient(i, i)).result
                scf.YieldOp([tensor.InsertOp(value, x, at(i, m)).result])
            scf.YieldOp([cols.results[0]])
    op.results[0].replace_all_uses_with(rows.results[0])
    op.erase()


def _dot_from(x: ir.Value, at, first: ir.Value, row: ir.Value, other: ir.Value,
              stop: ir.Value) -> ir.Value:
    """first - sum over k < stop of x[row, k] * x[other, k] (subscripts through `at`)."""
    flags = ir.Attribute.parse(REASSOCIATE)
    terms = scf.ForOp(_index(0), stop, _index(1), [first])
    with ir.InsertionPoint(terms.body):
        k, acc = terms.induction_variable, terms.inner_iter_args[0]
        p = tensor.ExtractOp(x, at(row, k)).result
        q = tensor.ExtractOp(x, at(other, k)).result
        product = arith.MulFOp(p, q, fastmath=flags).result
        scf.YieldOp([arith.SubFOp(acc, product, fastmath=flags).result])
    return terms.results[0]


def _expand_factor(op: ir.Operation) -> None:
    """In place on a copy of a: row i's off-diagonal entries from the rows above, then its
    diagonal; the other triangle keeps a's values (the op leaves it unspecified)."""
    a = op.operands[0]
    n = ir.RankedTensorType(a.type).shape[0]
    lower = _bool_attr(op, "lower")

    def at(row: ir.Value, column: ir.Value) -> list[ir.Value]:  # U = L^T for upper
        return [row, column] if lower else [column, row]

    with ir.InsertionPoint(op), op.location:
        zero, one = _index(0), _index(1)
        rows = scf.ForOp(zero, _index(n), one, [a])
        with ir.InsertionPoint(rows.body):
            i = rows.induction_variable
            cols = scf.ForOp(zero, i, one, [rows.inner_iter_args[0]])
            with ir.InsertionPoint(cols.body):
                j, x = cols.induction_variable, cols.inner_iter_args[0]
                first = tensor.ExtractOp(x, at(i, j)).result
                value = _dot_from(x, at, first, i, j, j)
                pivot = tensor.ExtractOp(x, at(j, j)).result
                value = arith.DivFOp(value, pivot).result
                scf.YieldOp([tensor.InsertOp(value, x, at(i, j)).result])
            x = cols.results[0]
            first = tensor.ExtractOp(x, at(i, i)).result
            root = math.SqrtOp(_dot_from(x, at, first, i, i, i)).result
            scf.YieldOp([tensor.InsertOp(root, x, at(i, i)).result])
    op.results[0].replace_all_uses_with(rows.results[0])
    op.erase()


def expand_sequential_ops(module: ir.Module) -> int:
    """Expand every op upstream cannot lower in `module`, in place; how many there were."""
    found: list[ir.Operation] = []

    def visit(operation: ir.Operation) -> ir.WalkResult:
        if operation.name in (TRIANGULAR_SOLVE, FACTOR):
            found.append(operation)
        return ir.WalkResult.ADVANCE

    module.operation.walk(visit)
    with module.context:
        for op in found:
            (_expand_solve if op.name == TRIANGULAR_SOLVE else _expand_factor)(op)
    return len(found)

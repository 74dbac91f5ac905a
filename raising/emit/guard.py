"""The aliasing guard (loop versioning) of a raised function.

Raised code reads its memref arguments as tensors that no other argument writes
(`to_tensor ... restrict`); C callers promise no such thing. A guarded function therefore
keeps both versions: `@f` checks at entry whether any two buffers the raised code touches
(one of them written) overlap in memory, and calls the original loops (`@f__loops`) when
they do, the raised code (`@f__raised`) when they do not. The check compares the address
ranges the memref descriptors span (aligned pointer, offset, sizes, strides), so it is
conservative: two disjoint but interleaved views (the even and odd columns of one matrix)
count as overlapping and run the loops, which is slower, never wrong."""

from __future__ import annotations

from dataclasses import dataclass

from core.kernel_ir import ValueType
from raising.frontend.versions import LOOPS_SUFFIX, RAISED_SUFFIX
from synth.program import Program

__all__ = ["LOOPS_SUFFIX", "RAISED_SUFFIX", "AliasPlan", "alias_pairs", "dispatcher"]


@dataclass(frozen=True)
class AliasPlan:
    """The argument pairs whose overlap sends a call to the original loops."""

    pairs: tuple[tuple[int, int], ...]


def _leaves(program: Program, found: set[str]) -> set[str]:
    if program.op is None:
        found.add(program.leaf or "")
    for child in program.children:
        _leaves(child, found)
    return found


def touched(regions: dict[object, dict[int, Program]]) -> tuple[set[int], set[int]]:
    """Positions (arguments, then local buffers) the raised regions write and read."""
    written: set[int] = set()
    read: set[int] = set()
    for programs in regions.values():
        for position, program in programs.items():
            written.add(position)
            read |= {int(leaf[3:]) for leaf in _leaves(program, set()) if leaf.startswith("arg")}
    return written, read


def alias_pairs(regions: dict[object, dict[int, Program]], arg_types: list[ValueType],
                n_args: int, more: tuple[set[int], set[int]] = (set(), set())
                ) -> list[tuple[int, int]]:
    """Pairs of memref arguments that must not overlap: both touched by raised code, at
    least one written (`more`: positions written and read by other raised code, such as
    nests raised on views). Local buffers (positions past the arguments) alias nothing."""
    written, read = touched(regions)
    written, read = written | more[0], read | more[1]
    memrefs = {p for p in written | read if p < n_args and arg_types[p].is_memref}
    pairs = [(a, b) for a in sorted(memrefs) for b in sorted(memrefs)
             if a < b and (a in written or b in written)]
    return pairs


def _element_bytes(elem: str) -> int:
    if elem == "index":
        return 8
    if elem == "bf16":
        return 2
    return max(1, int(elem.lstrip("fiu") or 64) // 8)


class _GuardText:
    """Lines of the dispatcher's entry check, SSA names prefixed with `%alias_`."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.count = 0
        self.consts: dict[int, str] = {}

    def fresh(self) -> str:
        self.count += 1
        return f"%alias_{self.count}"

    def op(self, text: str) -> str:
        name = self.fresh()
        self.lines.append(f"{name} = {text}")
        return name

    def const(self, value: int) -> str:
        if value not in self.consts:
            self.consts[value] = self.op(f"arith.constant {value} : index")
        return self.consts[value]

    def fold(self, op: str, values: list[str], kind: str = "index") -> str:
        acc = values[0]
        for value in values[1:]:
            acc = self.op(f"arith.{op} {acc}, {value} : {kind}")
        return acc


@dataclass(frozen=True)
class _Span:
    """A buffer's byte range [lo, hi) and whether it holds any element."""

    lo: str
    hi: str
    nonempty: str


def _span(g: _GuardText, name: str, vtype: ValueType) -> _Span:
    rank = len(vtype.shape or ())
    pointer = g.op(f"memref.extract_aligned_pointer_as_index {name} : {vtype.mlir()} -> index")
    base = g.fresh()
    offset = g.fresh()
    sizes = [g.fresh() for _ in range(rank)]
    strides = [g.fresh() for _ in range(rank)]
    results = ", ".join([base, offset, *sizes, *strides])
    g.lines.append(f"{results} = memref.extract_strided_metadata {name} : {vtype.mlir()} -> "
                   f"memref<{vtype.elem}>{', index' * (1 + 2 * rank)}")
    zero, one = g.const(0), g.const(1)
    low, high, nonempty = [offset], [offset, one], g.op("arith.constant true")
    for size, stride in zip(sizes, strides):
        last = g.op(f"arith.subi {size}, {one} : index")
        reach = g.op(f"arith.muli {last}, {stride} : index")
        low.append(g.op(f"arith.minsi {reach}, {zero} : index"))
        high.append(g.op(f"arith.maxsi {reach}, {zero} : index"))
        has = g.op(f"arith.cmpi sgt, {size}, {zero} : index")
        nonempty = g.op(f"arith.andi {nonempty}, {has} : i1")
    width = g.const(_element_bytes(vtype.elem))
    lo_bytes = g.op(f"arith.muli {g.fold('addi', low)}, {width} : index")
    hi_bytes = g.op(f"arith.muli {g.fold('addi', high)}, {width} : index")
    lo = g.op(f"arith.addi {pointer}, {lo_bytes} : index")
    hi = g.op(f"arith.addi {pointer}, {hi_bytes} : index")
    return _Span(lo, hi, nonempty)


def _overlap(g: _GuardText, a: _Span, b: _Span) -> str:
    before = g.op(f"arith.cmpi ult, {a.lo}, {b.hi} : index")
    after = g.op(f"arith.cmpi ult, {b.lo}, {a.hi} : index")
    return g.fold("andi", [before, after, a.nonempty, b.nonempty], "i1")


def guard_lines(plan: AliasPlan, arg_names: list[str], arg_types: list[ValueType]) -> tuple[
        list[str], str]:
    """The entry check's lines and the i1 that is true when the loops must run."""
    g = _GuardText()
    spans: dict[int, _Span] = {}
    for position in sorted({p for pair in plan.pairs for p in pair}):
        spans[position] = _span(g, arg_names[position], arg_types[position])
    hazards = [_overlap(g, spans[a], spans[b]) for a, b in plan.pairs]
    return g.lines, g.fold("ori", hazards, "i1")


def dispatcher(signature: str, plan: AliasPlan, arg_names: list[str],
               arg_types: list[ValueType], result_types: list[str], raised: str,
               loops: str) -> str:
    """The function as the guard and two calls (to `@raised` and `@loops`). `signature`
    is its own first line (name, arguments with their names and attributes, results,
    attributes)."""
    lines, hazard = guard_lines(plan, arg_names, arg_types)
    operands = ", ".join(arg_names)
    types = ", ".join(t.mlir() for t in arg_types)
    results = ", ".join(result_types)
    call_type = f"({types}) -> ({results})"
    body = [(f"// buddy-raise: aliasing guard; overlapping buffers run the original loops "
            f"(@{loops}), disjoint ones the raised code (@{raised})"),
            *lines]
    if result_types:
        outs = [f"%alias_r{k}" for k in range(len(result_types))]
        tuple_name = "%alias_result"
        count = f":{len(result_types)}" if len(result_types) > 1 else ""
        body += [f"{tuple_name}{count} = scf.if {hazard} -> ({results}) {{",
                 f"  {', '.join(outs)} = func.call @{loops}({operands}) : {call_type}",
                 f"  scf.yield {', '.join(outs)} : {results}",
                 "} else {",
                 f"  {', '.join(outs)} = func.call @{raised}({operands}) : {call_type}",
                 f"  scf.yield {', '.join(outs)} : {results}",
                 "}"]
        returned = ", ".join(f"{tuple_name}#{k}" for k in range(len(result_types))) \
            if len(result_types) > 1 else tuple_name
        body.append(f"return {returned} : {results}")
    else:
        body += [f"scf.if {hazard} {{",
                 f"  func.call @{loops}({operands}) : {call_type}",
                 "} else {",
                 f"  func.call @{raised}({operands}) : {call_type}",
                 "}",
                 "return"]
    return "\n".join([signature + " {", *("    " + line for line in body), "  }"])

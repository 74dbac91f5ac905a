"""Nests raised on views (raising/analysis/views.py), spliced into their kept loop: the
views as `memref.subview`s of the buffers at offsets computed from the loop's index, cast to
the raised view function's fully strided parameter types, and a call of that function."""

from __future__ import annotations

from dataclasses import dataclass

from torch_mlir import ir

from raising.analysis.views import Form, Source, View, ViewNest
from raising.frontend.locals import local_buffers


@dataclass
class ViewCall:
    """A raised nest on views: what to call (`callee`: the raised view function's text,
    private) and how to build its arguments."""

    nest: ViewNest
    callee: str


class _CallSite:
    def __init__(self, sources: list[Source]) -> None:
        self.sources = sources  # helper parameter j is sources[j]
        self.lines: list[str] = []
        self.count = 0

    def fresh(self) -> str:
        self.count += 1
        return f"%vcall{self.count}"

    def constant(self, value: int) -> str:
        name = self.fresh()
        self.lines.append(f"{name} = arith.constant {value} : index")
        return name

    def index(self, form: Form) -> str | int:
        """An index value for a linear form: a number, or an affine.apply."""
        if set(form) <= {1}:
            return form.get(1, 0)
        keys = [k for k in form if k != 1]
        for key in keys:
            if key not in self.sources:
                self.sources.append(key)  # type: ignore[arg-type]
        if len(keys) == 1 and form[keys[0]] == 1 and not form.get(1):
            return f"%src{self.sources.index(keys[0])}"  # type: ignore[arg-type]
        dims = ", ".join(f"d{j}" for j in range(len(keys)))
        terms = [f"d{j} * {form[key]}" if form[key] != 1 else f"d{j}"
                 for j, key in enumerate(keys)]
        if form.get(1):
            terms.append(str(form[1]))
        name = self.fresh()
        operands = ", ".join(f"%src{self.sources.index(k)}" for k in keys)  # type: ignore
        self.lines.append(f"{name} = affine.apply affine_map<({dims}) -> "
                          f"({' + '.join(terms)})>({operands})")
        return name


def _view_value(site: _CallSite, view: View, base: str, base_type: ir.MemRefType,
                param_type: str) -> str:
    shape = list(base_type.shape)
    elem = str(base_type.element_type)
    cast = site.fresh()
    if not shape:  # a 0-d buffer is its own view
        site.lines.append(f"{cast} = memref.cast {base} : {base_type} to {param_type}")
        return cast
    # The base as a memref of runtime strides (the innermost 1 when its layout is the
    # identity): the views' types then carry no stride computed from the sizes, and a
    # resized copy of the module (the cross-check's, `buddy-raise check`'s) stays valid.
    identity = str(base_type.layout) == str(ir.AffineMapAttr.get(
        ir.AffineMap.get_identity(len(shape))))
    strides: list[int | None] = [None] * len(shape)
    strides[-1] = 1 if identity else None
    loose = f"memref<{'?x' * len(shape)}{elem}, " \
            f"strided<[{', '.join('?' if st is None else str(st) for st in strides)}], " \
            f"offset: ?>>"
    based = site.fresh()
    site.lines.append(f"{based} = memref.cast {base} : {base_type} to {loose}")
    base, base_type = based, loose  # type: ignore[assignment]
    offsets = [site.index(dict(offset)) for offset in view.offsets]
    sizes = [site.index(dict(extent)) if extent is not None else 1
             for extent in view.extents]
    for d, extent in enumerate(view.extents):  # a kept dim's size as a value: with a fixed
        if extent is not None and isinstance(sizes[d], int):  # dim beside it, a static 1
            sizes[d] = site.constant(int(sizes[d]))  # would make the rank reduction ambiguous
    offset = "?"  # the loose base's offset is a runtime value
    kept = [d for d, extent in enumerate(view.extents) if extent is not None]
    steps = list(view.directions) or [1] * len(offsets)  # -1: a view that runs backwards
    dims = "".join(f"{sizes[d] if isinstance(sizes[d], int) else '?'}x" for d in kept)
    layout = ", ".join("?" if strides[d] is None else str(strides[d] * steps[d])  # type: ignore
                       for d in kept)
    inferred = f"memref<{dims}{elem}, strided<[{layout}], offset: {offset}>>"
    sub = site.fresh()
    site.lines.append(f"{sub} = memref.subview {base}[{', '.join(map(str, offsets))}] "
                      f"[{', '.join(map(str, sizes))}] [{', '.join(map(str, steps))}] : "
                      f"{base_type} to {inferred}")
    site.lines.append(f"{cast} = memref.cast {sub} : {inferred} to {param_type}")
    return cast


def _signature(callee: str, context: ir.Context) -> tuple[list[str], list[str]]:
    """The callee's parameter and result types."""
    module = ir.Module.parse(callee, context)
    func = module.body.operations[0]
    ftype = ir.FunctionType(ir.TypeAttr(func.attributes["function_type"]).value)
    return [str(t) for t in ftype.inputs], [str(t) for t in ftype.results]


def splice_views(func: ir.Operation, calls: dict[tuple[int, ...], ViewCall]) -> None:
    """Replace each nest in `calls` (by (top-level loop, body position), or deeper: (loop,
    position of a loop kept inside it, ..., position of the nest)) with the call of its
    raised view function; the callees must be added to the module by the caller."""
    block = func.regions[0].blocks[0]
    top = list(block.operations)
    locals_ = [alloc.results[0] for alloc in local_buffers(func)]
    operands = list(block.arguments) + locals_
    for path, call in sorted(calls.items(), reverse=True):
        nest = call.nest
        kept = [top[path[0]]]
        for p in path[1:-1]:
            kept.append(list(kept[-1].regions[0].blocks[0].operations)[p])
        loop, position = kept[-1], path[-1]
        site = _CallSite([("k",)])
        types, results = _signature(f"module {{\n{call.callee}\n}}", func.context)
        args = []
        for i, view in enumerate(nest.views):
            key: Source = ("arg", view.base)
            if key not in site.sources:
                site.sources.append(key)
            base = f"%src{site.sources.index(key)}"
            base_type = ir.MemRefType(operands[view.base].type)
            args.append(_view_value(site, view, base, base_type, types[i]))
        for key in nest.scalars:
            if key not in site.sources:
                site.sources.append(key)
            args.append(f"%src{site.sources.index(key)}")
        values = [_source_value(s, kept, top, operands) for s in site.sources]
        params = ", ".join(f"%src{j}: {v.type}" for j, v in enumerate(values))
        callee = nest.func
        returned = ", ".join(f"%vret{j}" for j in range(len(results)))
        site.lines.append(f"{returned}{' = ' if results else ''}func.call @{callee}"
                          f"({', '.join(args)}) : ({', '.join(types)}) -> "
                          f"({', '.join(results)})")
        body = "\n".join("    " + line for line in site.lines)
        declared = f"({', '.join(types)}) -> ({', '.join(results)})" if results else \
            f"({', '.join(types)})"
        helper = ir.Module.parse(f"func.func private @{callee}{declared}\n"
                                 f"func.func @buddy_splice({params}) {{\n{body}\n    return\n}}\n",
                                 func.context)
        helper_block = list(helper.body.operations)[1].regions[0].blocks[0]
        for ours, theirs in zip(helper_block.arguments, values):
            ours.replace_all_uses_with(theirs)
        ops = list(loop.regions[0].blocks[0].operations)
        replaced = ops[position:max(nest.end, position) + 1]
        moved = list(helper_block.operations)[:-1]  # not the return
        for op in moved:
            op.move_before(replaced[0])
        for (p, n), value in zip(nest.returns, moved[-1].results if results else []):
            ops[p].results[n].replace_all_uses_with(value)  # the call's results from here on
        for op in reversed(replaced):  # the nest and what used its results, users first
            op.erase()


def _source_value(source: Source, kept: list[ir.OpView], top: list[ir.OpView],
                  operands: list[ir.Value]) -> ir.Value:
    loop = kept[-1]
    if source[0] == "k":  # ("k",) the top-level kept loop's index, ("k", l) deeper ones'
        level = int(source[1]) if len(source) > 1 else 0  # type: ignore[call-overload]
        return kept[level].regions[0].blocks[0].arguments[0]
    if source[0] == "carried":  # an iter_args value of the kept loop
        return loop.regions[0].blocks[0].arguments[int(source[1])]  # type: ignore[call-overload]
    if source[0] == "arg":
        return operands[int(source[1])]  # type: ignore[call-overload]
    if source[0] == "body":  # computed before the nest in the kept loop's body
        body = list(loop.regions[0].blocks[0].operations)
        return body[int(source[1])].results[int(source[2])]  # type: ignore[call-overload]
    return top[int(source[1])].results[int(source[2])]  # type: ignore[call-overload]

"""Dynamic shapes: give every `?` extent of a function a distinct static stand-in (a
sentinel) so that the search, which needs extents, runs unchanged on a static copy; record
where each extent's runtime value lives so that the raised code can be emitted for every
size and cross-checked at sizes of its own.

Sizes are tied to dimensions through the loops: a subscript that is a loop's index ties that
memref dimension to the loop's upper bound (an index argument, an integer argument cast to
index, or a memref.dim). A kernel whose sizes cannot be tied this way, or whose sizes are
used for anything but loop bounds, is not specialised (the reason is reported).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checkers.crosscheck import Sizes
from core.kernel_ir import ValueType

# Sentinels sit far above every integer in the text and far apart from one another, so
# shrinking maps each one (and only its own N-1, N+1) to its own small prime.
SENTINEL_GAP = 100

_FUNC_RE = re.compile(r"^(\s*)func\.func\s+(?:(?:public|private)\s+)?@([\w$.]+)\((.*?)\)")
_PARAM_RE = re.compile(r"(%[\w$.]+)\s*:\s*([^,]+?(?:<[^>]*>)?)(?=,\s*%|$)")
_FOR_RE = re.compile(r"affine\.for\s+(%[\w$.]+)\s*=\s*(\S+)\s+to\s+(%[\w$.]+|\d+)\b")
_ACCESS_RE = re.compile(r"(affine\.load|affine\.store|memref\.load|memref\.store)\s+"
                        r"(?:%[\w$.]+\s*,\s*)?(%[\w$.]+)\[([^\]]*)\]\s*:\s*(memref<[^>]*>)")
_DIM_RE = re.compile(r"(%[\w$.]+)\s*=\s*memref\.dim\s+(%[\w$.]+)\s*,\s*(%[\w$.]+)\s*:\s*"
                     r"(memref<[^>]*>)")
_CAST_RE = re.compile(r"(%[\w$.]+)\s*=\s*arith\.index_cast\s+(%[\w$.]+)\s*:\s*i\d+\s+to\s+"
                      r"index")
_CONST_RE = re.compile(r"(%[\w$.]+)\s*=\s*arith\.constant\s+(-?\d+)\s*:\s*index")
_NAME_RE = re.compile(r"%[\w$.]+")
_INT_RE = re.compile(r"\b\d+\b")


class DynamicError(ValueError):
    """A function's dynamic sizes cannot be tied to loop bounds."""


@dataclass
class FunctionSizes:
    """How one function's `?` extents were specialised."""

    # sentinel -> SSA name (in the input) of the size value, defined before any loop nest
    values: dict[int, str] = field(default_factory=dict)
    # sentinel -> where that value is defined: ("arg", position) or ("op", top-level index)
    sources: dict[int, tuple[str, int]] = field(default_factory=dict)
    # per argument: per dimension the extent it was given (a sentinel or a static bound);
    # None for scalars
    dims: list[tuple[int, ...] | None] = field(default_factory=list)
    # (argument, dimension) whose memref extent is exactly its sentinel (memref.dim of it):
    # the raised code reads it whole; every other dynamic dimension is read through a
    # subview of the loop's extent, since the memref may be larger than the loop's range
    exact: set[tuple[int, int]] = field(default_factory=set)
    # argument position -> sentinel it carries (an index or integer size argument)
    size_args: dict[int, int] = field(default_factory=dict)
    # argument positions whose memref type has a `?` or a static extent a size ranges over
    dynamic_args: set[int] = field(default_factory=set)
    # sentinel -> the smallest static extent its size ranges over (the size is at most that)
    caps: dict[int, int] = field(default_factory=dict)


@dataclass
class Specialised:
    text: str  # the static copy (same ops, same top-level positions)
    functions: dict[str, FunctionSizes]
    refused: dict[str, str]  # function -> why its sizes stay dynamic


class _Classes:
    """Union-find over dimension slots ("dim", arg, d) and size values ("val", name)."""

    def __init__(self) -> None:
        self.parent: dict[object, object] = {}

    def find(self, x: object) -> object:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]  # type: ignore[index]
            x = self.parent[x]
        return x

    def union(self, a: object, b: object) -> None:
        self.parent[self.find(a)] = self.find(b)


def _memref_dims(mtype: str) -> list[str]:
    inner = mtype[len("memref<"):-1].split(",")[0]
    return inner.split("x")[:-1]


def _function_spans(lines: list[str]) -> list[tuple[str, int, int]]:
    """(name, first line, last line) of every func.func with a body."""
    spans, current = [], None
    for k, line in enumerate(lines):
        match = _FUNC_RE.match(line)
        if match and line.rstrip().endswith("{"):
            current = (match.group(2), k, len(match.group(1)))
        elif current and line.rstrip() == " " * current[2] + "}":
            spans.append((current[0], current[1], k))
            current = None
    return spans


def _top_level_definitions(body: list[str], names: list[str]) -> dict[str, tuple[str, int]]:
    """Values defined at the function's top level, in order: an argument ("arg", position)
    or the result of a top-level op ("op", index among the top-level ops)."""
    defined: dict[str, tuple[str, int]] = {n: ("arg", p) for p, n in enumerate(names)}
    indents = [len(line) - len(line.lstrip()) for line in body if line.strip()]
    top_ops = 0
    for line in body:
        stripped = line.strip()
        if not stripped or len(line) - len(line.lstrip()) != indents[0] or \
                stripped.startswith(("}", "//")):
            continue
        if stripped.startswith("%") and "=" in stripped:
            for name in stripped.split("=")[0].split(","):
                defined[name.strip()] = ("op", top_ops)
        top_ops += 1
    return defined


def _specialise_function(lines: list[str], first: int, last: int, next_sentinel: int
                         ) -> tuple[dict[int, str], FunctionSizes]:
    """Line replacements for one function and its sizes; raises DynamicError."""
    header = _FUNC_RE.match(lines[first])
    assert header is not None
    params = _PARAM_RE.findall(header.group(3))
    names = [n for n, _ in params]
    types = [t.strip() for _, t in params]
    dynamic = {p for p, t in enumerate(types) if t.startswith("memref<") and "?" in t}
    body = lines[first + 1:last]
    if not dynamic and not any(_FOR_RE.search(line) and
                               re.search(r"to\s+%", line) for line in body):
        return {}, FunctionSizes()
    classes = _Classes()
    constants: dict[str, int] = {}
    casts: dict[str, str] = {}
    dims_of: dict[str, tuple[int, int]] = {}
    loop_bound: dict[str, str | int] = {}
    top_defined = _top_level_definitions(body, names)
    for line in body:
        if m := _CONST_RE.search(line):
            constants[m.group(1)] = int(m.group(2))
        if m := _CAST_RE.search(line):
            casts[m.group(1)] = m.group(2)
        if m := _DIM_RE.search(line):
            if m.group(2) not in names or m.group(3) not in constants:
                raise DynamicError(f"memref.dim of {m.group(2)}: not an argument's constant "
                                   "dimension")
            dims_of[m.group(1)] = (names.index(m.group(2)), constants[m.group(3)])
        if m := _FOR_RE.search(line):
            if not m.group(2).isdigit():
                raise DynamicError(f"loop {m.group(1)} has a non-constant lower bound")
            bound = m.group(3)
            loop_bound[m.group(1)] = int(bound) if bound.isdigit() else bound
        elif "affine.for" in line and re.search(r"to\s+(min|max|#|affine_map)", line):
            raise DynamicError("a loop bound is an affine map of sizes")
    sizes = {b for b in loop_bound.values() if isinstance(b, str)}
    for size in sizes:
        if size not in top_defined:
            raise DynamicError(f"loop bound {size} is not defined before the loop nests")
        if size in names and not types[names.index(size)].startswith("i"):  # index, iN
            raise DynamicError(f"loop bound {size} is not an integer")
        classes.find(("val", size))
    for size, (arg, dim) in dims_of.items():
        classes.union(("val", size), ("dim", arg, dim))
    static: dict[object, int] = {}
    # static dimensions ("dim", arg, d) a runtime size ranges over, and their extents
    caps: list[tuple[tuple[str, int, int], int]] = []
    # A loop's index name as printed may be reused by a later sibling loop (`%arg5` in two
    # loops one after the other): a subscript means the loop that last defined the name.
    active: dict[str, str | int] = {}
    for line in body:
        if f := _FOR_RE.search(line):
            active[f.group(1)] = int(f.group(3)) if f.group(3).isdigit() else f.group(3)
        m = _ACCESS_RE.search(line)
        if not m or m.group(2) not in names:
            continue
        arg = names.index(m.group(2))
        subscripts = [s.strip() for s in m.group(3).split(",")] if m.group(3).strip() else []
        for d, (sub, extent) in enumerate(zip(subscripts, _memref_dims(m.group(4)))):
            if sub not in active:
                continue
            bound = active[sub]
            if extent != "?":
                if not isinstance(bound, int):  # `double A[][50]` with a loop to m <= 50
                    classes.union(("dim", arg, d), ("val", bound))
                    caps.append((("dim", arg, d), int(extent)))
                continue
            if isinstance(bound, int):
                root = classes.find(("dim", arg, d))
                if static.setdefault(root, bound) != bound:
                    raise DynamicError(f"dimension {d} of {names[arg]} is indexed by loops of "
                                       "different constant extents")
            else:
                classes.union(("dim", arg, d), ("val", bound))
    # Every dynamic dimension must be tied to exactly one size.
    sizes_in: dict[object, set[str]] = {}
    for node in list(classes.parent):
        if node[0] == "val":  # type: ignore[index]
            sizes_in.setdefault(classes.find(node), set()).add(node[1])  # type: ignore[index]
    for root, members in sizes_in.items():
        plain = {casts.get(m, m) for m in members if m not in dims_of}
        if len(plain) > 1:
            raise DynamicError(f"sizes {', '.join(sorted(plain))} index the same dimension "
                               "(the raised code would assume they are equal)")
    for root in static:
        if root in sizes_in:
            raise DynamicError("a dimension is indexed by a loop of constant extent and by "
                               "a loop of dynamic extent")
    # Sizes must serve only as loop bounds (and to define one another).
    for line in body:
        used = set(_NAME_RE.findall(line))
        defines = {n.strip() for n in line.split("=")[0].split(",")} if "=" in line else set()
        for size in sizes | set(casts) | set(dims_of):
            if size in used and size not in defines and not _FOR_RE.search(line):
                raise DynamicError(f"size {size} is used beyond loop bounds")
        for size_arg in {casts[c] for c in casts}:
            if size_arg in used and not _CAST_RE.search(line):
                raise DynamicError(f"size {size_arg} is used beyond loop bounds")
    # Arguments whose type changes: a `?`, or a static extent a runtime size ranges over.
    changed = set(dynamic) | {p for (_, p, _), _ in caps}
    sizes_info = FunctionSizes(dynamic_args=changed)
    sentinel_of: dict[object, int] = {}
    order = {name: k for k, name in enumerate(top_defined)}  # arguments, then definitions
    for root in sorted(sizes_in, key=lambda r: min(order[m] for m in sizes_in[r])):
        sentinel_of[root] = next_sentinel
        ordered = sorted(sizes_in[root])
        value = next((m for m in ordered if m not in dims_of), ordered[0])
        sizes_info.values[next_sentinel] = value
        sizes_info.sources[next_sentinel] = top_defined[value]
        source = casts.get(value, value)
        if source in names:
            sizes_info.size_args[names.index(source)] = next_sentinel
        next_sentinel += SENTINEL_GAP
    for node, cap in caps:
        sentinel = sentinel_of[classes.find(node)]
        sizes_info.caps[sentinel] = min(cap, sizes_info.caps.get(sentinel, cap))
    replacements: dict[int, str] = {}
    static_types: list[str] = []
    for p, t in enumerate(types):
        if p not in changed:
            sizes_info.dims.append(None if not t.startswith("memref<") else
                                   tuple(int(d) for d in _memref_dims(t)))
            static_types.append(t)
            continue
        dims: list[int] = []
        for d, extent in enumerate(_memref_dims(t)):
            if extent != "?" and ("dim", p, d) not in classes.parent:
                dims.append(int(extent))
                continue
            root = classes.find(("dim", p, d))
            if root in sentinel_of:
                dims.append(sentinel_of[root])
                whole = sizes_info.values[sentinel_of[root]]
                if dims_of.get(whole) == (p, d):
                    sizes_info.exact.add((p, d))
            elif root in static:
                dims.append(static[root])
            else:
                raise DynamicError(f"dimension {d} of {names[p]} is not indexed by any loop "
                                   "over its whole range")
        sizes_info.dims.append(tuple(dims))
        static_types.append(t.replace("x".join(_memref_dims(t)), "x".join(map(str, dims)), 1))
    # The static copy: the signature, every access's type, and the loop bounds.
    head = lines[first]
    for p in changed:
        def retyped(m: re.Match[str], p: int = p) -> str:  # mypy cannot type `lambda m, p=p`
            return m.group(1) + static_types[p]
        head = re.sub(rf"({re.escape(names[p])}\s*:\s*){re.escape(types[p])}", retyped, head,
                      count=1)
    replacements[first] = head
    for k in range(first + 1, last):
        line = lines[k]
        new = line
        if (m := _ACCESS_RE.search(line)) and m.group(2) in names and \
                names.index(m.group(2)) in changed:
            new = new[:m.start(4)] + static_types[names.index(m.group(2))] + new[m.end(4):]
        if (m := _DIM_RE.search(line)) and dims_of[m.group(1)][0] in changed:
            new = new[:m.start(4)] + static_types[dims_of[m.group(1)][0]] + new[m.end(4):]
        if (m := _FOR_RE.search(new)) and m.group(3) in sizes:
            root = classes.find(("val", m.group(3)))
            new = new[:m.start(3)] + str(sentinel_of[root]) + new[m.end(3):]
        if new != line:
            replacements[k] = new
        elif any(names[p] in _NAME_RE.findall(line) for p in changed) and \
                not _DIM_RE.search(line):
            raise DynamicError(f"a dynamic memref is used by an op the specialiser does not "
                               f"know: {line.strip()}")
    return replacements, sizes_info


def specialise(text: str) -> Specialised | None:
    """The static copy of `text` (as printed by MLIR), or None when nothing is dynamic."""
    lines = text.splitlines()
    top = max((int(v) for v in _INT_RE.findall(text)), default=0)
    next_sentinel = max(1000, 10 * top) // SENTINEL_GAP * SENTINEL_GAP + SENTINEL_GAP + 1
    functions: dict[str, FunctionSizes] = {}
    refused: dict[str, str] = {}
    out = list(lines)
    for name, first, last in _function_spans(lines):
        try:
            replacements, sizes = _specialise_function(lines, first, last, next_sentinel)
        except DynamicError as err:
            refused[name] = str(err)
            continue
        if not sizes.values and not sizes.dynamic_args:
            continue
        for k, line in replacements.items():
            out[k] = line
        functions[name] = sizes
        next_sentinel = max(sizes.values, default=next_sentinel) + SENTINEL_GAP
    if not functions and not refused:
        return None
    return Specialised("\n".join(out) + "\n", functions, refused)


# Concrete extents for the cross-check runs: each size takes one of these per run.
CHECK_EXTENTS = ((5, 7, 3, 11, 4, 6), (9, 4, 6, 3, 8, 5))


def check_sizes(sizes: FunctionSizes, arg_types: list[ValueType]
                ) -> list[tuple[dict[str, int], Sizes]]:
    """Argument shapes for the compiled cross-check of a specialised function: every size
    takes a small value, and a memref whose dimension the loops bound (rather than its own
    memref.dim) gets one spare element there, so reading or writing past the loops' range
    shows up as a difference. Each run comes with its sizes by name."""
    runs = []
    for extents in CHECK_EXTENTS:
        value = {s: extents[k % len(extents)] for k, s in enumerate(sorted(sizes.values))}
        value = {s: min(v, sizes.caps.get(s, v)) for s, v in value.items()}
        shapes: list[tuple[int, ...] | None] = []
        for p, vtype in enumerate(arg_types):
            given = sizes.dims[p]
            if not vtype.is_memref or given is None:
                shapes.append(tuple(vtype.shape) if vtype.is_memref else None)  # type: ignore
                continue
            shape = []
            for d, (full, extent) in enumerate(zip(vtype.shape, given)):  # type: ignore
                if full >= 0:
                    shape.append(full)
                else:
                    base = value.get(extent, extent)
                    shape.append(base if (p, d) in sizes.exact else base + 1)
            shapes.append(tuple(shape))
        integers = tuple((p, value[s]) for p, s in sorted(sizes.size_args.items()))
        named = {sizes.values[s]: value[s] for s in sorted(sizes.values)}
        runs.append((named, Sizes(tuple(shapes), integers)))
    return runs

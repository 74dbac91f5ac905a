"""Convolutions as a single record: what linalg's conv_* / depthwise_conv_* named ops and
stablehlo.convolution compute.

`conv(x, w)` is a windowed einsum. Its attributes give every axis a letter (`x`, `w`, `out`
are strings, one letter per axis). A spatial axis is an uppercase letter (D, H, W in x's
order): position stride * o + k of x, offset k of w (read backwards when `flip` says so,
a true convolution), position o of the result. A lowercase letter is a channel: `c` in x
and w is summed (input channels), `n` in x and the result is a batch axis, `f` in w and the
result an output feature, `g` in all three a group (depthwise: channel g of x meets
filter g only). A 2-D NCHW convolution without a batch axis is x="cHW", w="fcHW",
out="fHW"; a 1-D FIR is x="W", w="W", out="W".

Pools are in grammar/pool.py.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator

import numpy as np

from grammar.builder import Builder
from grammar.ops import AttrContext, Attrs, TargetOp, TermAlgebra, as_array, numel
from grammar.shapes import Shape
from grammar.window import (
    STRIDES,
    reverse_linalg,
)

SPATIAL = {1: "W", 2: "HW", 3: "DHW"}
MAX_SPATIAL = 3

# --- conv: attributes ---------------------------------------------------------------------


def _roles(xs: Shape, ws: Shape) -> Iterator[list[tuple[str, int | None]]]:
    """Per kernel axis: ("S", x axis) spatial, ("c", x axis) summed channel, ("g", x axis)
    group, ("f", None) output feature; each x axis paired at most once, each channel role
    at most once, a group without summed channels or features (depthwise)."""
    def extend(j: int, used: frozenset[int], roles: list) -> Iterator[list]:
        if j == len(ws):
            kinds = [r for r, _ in roles]
            if "S" in kinds and not ("g" in kinds and ("c" in kinds or "f" in kinds)) and \
                    all(kinds.count(r) <= 1 for r in "cgf"):
                yield roles
            return
        if ("f", None) not in roles:
            yield from extend(j + 1, used, [*roles, ("f", None)])
        for i in range(len(xs)):
            if i in used:
                continue
            if xs[i] >= ws[j]:
                yield from extend(j + 1, used | {i}, [*roles, ("S", i)])
            if xs[i] == ws[j] and ws[j] > 1:
                for role in "cg":  # x axis i is unused, so (role, i) is new
                    yield from extend(j + 1, used | {i}, [*roles, (role, i)])
    yield from extend(0, frozenset(), [])


def _labels(xs: Shape, roles: list[tuple[str, int | None]]) -> tuple[str, str, list[str]] | None:
    """x's and w's label strings and the result's labels (unordered), or None."""
    spatial_x = sorted(i for r, i in roles if r == "S" and i is not None)
    if len(spatial_x) > MAX_SPATIAL:
        return None
    names = dict(zip(spatial_x, SPATIAL[len(spatial_x)]))
    x = []
    free = [i for i in range(len(xs)) if i not in {k for _, k in roles}]
    if len(free) > 1:
        return None
    for i in range(len(xs)):
        if i in names:
            x.append(names[i])
        elif i in free:
            x.append("n")
        else:
            x.append(next(r for r, k in roles if k == i))
    w = [names[i] if r == "S" else r for r, i in roles]  # type: ignore[index]
    out = [c for c in x if c != "c"] + (["f"] if "f" in w else [])
    return "".join(x), "".join(w), out


def _conv_attrs(shapes: tuple[Shape, ...], ctx: AttrContext) -> Iterable[Attrs]:
    """Convolutions whose result is a shape the problem uses; at least one real window
    (kernel extent 2 or more on a longer axis), so plain contractions stay with dot ops."""
    xs, ws = shapes
    if not xs or not ws:
        return
    targets = set(ctx.shapes)
    for roles in _roles(xs, ws):
        if not any(r == "S" and 1 < ws[j] < xs[i]  # type: ignore[index]
                   for j, (r, i) in enumerate(roles)):
            continue
        labels = _labels(xs, roles)
        if labels is None:
            continue
        x, w, out = labels
        spatial = [c for c in x if c.isupper()]
        for strides in itertools.product(STRIDES, repeat=len(spatial)):
            attrs = {"x": x, "w": w, "strides": strides, "flip": (0,) * len(spatial)}
            sizes = _extents(shapes, {**attrs, "out": "".join(out)})
            if sizes is None:
                continue
            for order in itertools.permutations(out):
                if tuple(sizes[c] for c in order) not in targets:
                    continue
                for flip in itertools.product((0, 1), repeat=len(spatial)):
                    yield (("x", x), ("w", w), ("out", "".join(order)), ("strides", strides),
                           ("flip", flip))


def _extents(shapes: tuple[Shape, ...], attrs: dict[str, object]) -> dict[str, int] | None:
    xs, ws = shapes
    x, w, out = str(attrs["x"]), str(attrs["w"]), str(attrs["out"])
    if len(x) != len(xs) or len(w) != len(ws):
        return None
    sizes = {c: d for c, d in zip(w, ws)}
    sizes.update({c: d for c, d in zip(x, xs) if not c.isupper()})
    strides = dict(zip([c for c in x if c.isupper()], attrs["strides"]))  # type: ignore
    for c, d in zip(x, xs):
        if c.isupper():
            k = sizes.get(c)
            if k is None or k > d:
                return None
            sizes[c] = (d - k) // strides[c] + 1
        elif c in w and sizes[c] != d:
            return None
    return sizes if all(c in sizes for c in out) else None


def _conv_shape(shapes: tuple[Shape, ...], attrs: dict[str, object]) -> Shape | None:
    sizes = _extents(shapes, attrs)
    return None if sizes is None else tuple(sizes[c] for c in str(attrs["out"]))


# --- conv: semantics ----------------------------------------------------------------------

def _conv_sem(args: list[np.ndarray], attrs: dict[str, object],
        alg: TermAlgebra | None = None) -> np.ndarray:
    x, w = np.asarray(args[0]), np.asarray(args[1])
    xl, wl, ol = str(attrs["x"]), str(attrs["w"]), str(attrs["out"])
    spatial = [c for c in xl if c.isupper()]
    flips = tuple(wl.index(c) for c, f in zip(spatial, attrs["flip"]) if f)  # type: ignore
    if flips:
        w = np.flip(w, axis=flips)
    sizes = [w.shape[wl.index(c)] for c in spatial]
    view = np.lib.stride_tricks.sliding_window_view(
        x, sizes, axis=tuple(xl.index(c) for c in spatial))
    picks = [slice(None)] * view.ndim
    for c, s in zip(spatial, attrs["strides"]):  # type: ignore[call-overload]
        picks[xl.index(c)] = slice(None, None, s)
    view = view[tuple(picks)]
    view_labels = xl + "".join(c.lower() for c in spatial)
    w_labels = "".join(c.lower() if c.isupper() else c for c in wl)
    if view.dtype == object or w.dtype == object:
        return _terms_einsum(alg, view, view_labels, w, w_labels, ol)
    return as_array(np.einsum(f"{view_labels},{w_labels}->{ol}", view, w, optimize=True))


def _terms_einsum(alg: TermAlgebra | None, a: np.ndarray, a_labels: str, b: np.ndarray,
                  b_labels: str, out: str) -> np.ndarray:
    """The einsum on z3 terms: each result element one n-ary sum of its products, built
    by the terms' algebra (numpy's object einsum chains Python operators, 3x slower)."""
    if alg is None:
        raise TypeError("semantics on z3 terms need the terms' algebra")
    summed = "".join(dict.fromkeys(c for c in a_labels + b_labels if c not in out))
    full = out + summed
    extent = {c: n for labels, arr in ((a_labels, a), (b_labels, b))
              for c, n in zip(labels, arr.shape)}

    def spread(arr: np.ndarray, labels: str) -> np.ndarray:
        order = [labels.index(c) for c in full if c in labels]
        moved = np.transpose(np.asarray(arr, dtype=object), order)
        shape = [extent[c] if c in labels else 1 for c in full]
        return np.broadcast_to(moved.reshape(shape), [extent[c] for c in full])

    left, right = spread(a, a_labels), spread(b, b_labels)
    out_shape = tuple(extent[c] for c in out)
    count = int(np.prod([extent[c] for c in summed], dtype=np.int64))
    left = left.reshape(*out_shape, count)
    right = right.reshape(*out_shape, count)
    result = np.empty(out_shape, dtype=object)
    for index in np.ndindex(*out_shape):
        result[index] = alg.total([alg.binary("mul", p, q)
                                   for p, q in zip(left[index], right[index])])
    return as_array(result)


def _conv_cost(shapes: tuple[Shape, ...], attrs: dict[str, object], out: Shape) -> int:
    wl = str(attrs["w"])
    summed = [d for c, d in zip(wl, shapes[1]) if c.isupper() or c == "c"]
    return numel(out) * math.prod(summed)


# --- conv: emitters -----------------------------------------------------------------------

# linalg named ops in the letters above (n batch, c summed, g group, f feature): name, x,
# w, result, whether it takes strides.
NAMED_CONVS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("conv_1d", "W", "W", "W", False),
    ("conv_2d", "HW", "HW", "HW", False),
    ("conv_3d", "DHW", "DHW", "DHW", False),
    ("conv_1d_ncw_fcw", "ncW", "fcW", "nfW", True),
    ("conv_1d_nwc_wcf", "nWc", "Wcf", "nWf", True),
    ("conv_2d_nchw_fchw", "ncHW", "fcHW", "nfHW", True),
    ("conv_2d_nhwc_hwcf", "nHWc", "HWcf", "nHWf", True),
    ("conv_2d_nhwc_fhwc", "nHWc", "fHWc", "nHWf", True),
    ("conv_3d_ncdhw_fcdhw", "ncDHW", "fcDHW", "nfDHW", True),
    ("conv_3d_ndhwc_dhwcf", "nDHWc", "DHWcf", "nDHWf", True),
    ("depthwise_conv_1d_ncw_cw", "ngW", "gW", "ngW", True),
    ("depthwise_conv_1d_nwc_wc", "nWg", "Wg", "nWg", True),
    ("depthwise_conv_2d_nchw_chw", "ngHW", "gHW", "ngHW", True),
    ("depthwise_conv_2d_nhwc_hwc", "nHWg", "HWg", "nHWg", True),
    ("depthwise_conv_3d_ncdhw_cdhw", "ngDHW", "gDHW", "ngDHW", True),
    ("depthwise_conv_3d_ndhwc_dhwc", "nDHWg", "DHWg", "nDHWg", True),
)


def dense(values: Iterable[int]) -> str:
    values = list(values)
    return f"dense<[{', '.join(map(str, values))}]> : tensor<{len(values)}xi64>"


def _unit_groups(rank: int, at: int) -> list[list[int]]:
    """Reassociation of a rank-`rank` shape into one with a unit axis at position `at`."""
    host = max(at - 1, 0)
    groups, k = [], 0
    for axis in range(rank):
        width = 2 if axis == host else 1
        groups.append(list(range(k, k + width)))
        k += width
    return groups


def unit_axis(b: Builder, value: str, shape: Shape, at: int) -> tuple[str, Shape]:
    """`value` with a unit axis inserted at position `at` (tensor.expand_shape)."""
    new = (*shape[:at], 1, *shape[at:])
    name = b.fresh()
    b.emit(f"{name} = tensor.expand_shape {value} {_unit_groups(len(shape), at)} output_shape "
           f"[{', '.join(map(str, new))}] : {b.ttype(shape)} into {b.ttype(new)}")
    return name, new


def drop_unit_axis(b: Builder, value: str, shape: Shape, at: int) -> str:
    """The inverse of `unit_axis` (tensor.collapse_shape)."""
    new = tuple(d for i, d in enumerate(shape) if i != at)
    name = b.fresh()
    b.emit(f"{name} = tensor.collapse_shape {value} {_unit_groups(len(new), at)} : "
           f"{b.ttype(shape)} into {b.ttype(new)}")
    return name


def _named_conv(attrs: dict[str, object]) -> tuple[str, bool, tuple[list[int], ...]] | None:
    """(linalg op, takes strides, where unit axes go in x, w and the result) for the named
    op that computes these labels once the batch, channel and feature axes they lack are
    unit axes; the fewest such axes first."""
    x, w, out = str(attrs["x"]), str(attrs["w"]), str(attrs["out"])
    unit_strides = all(s == 1 for s in attrs["strides"])  # type: ignore[attr-defined]
    matches = []
    for name, nx, nw, nout, strided in NAMED_CONVS:
        missing = set(nx + nw + nout) - set(x + w + out)
        if (not strided and not unit_strides) or missing - set("ncf"):
            continue
        kept = tuple("".join(ch for ch in s if ch not in missing) for s in (nx, nw, nout))
        if kept == (x, w, out):
            units = tuple([k for k, ch in enumerate(s) if ch in missing] for s in (nx, nw, nout))
            matches.append((len(missing), name, strided, units))
    if not matches:
        return None
    _, name, strided, units = min(matches, key=lambda m: m[0])
    return name, strided, units


def _conv_linalg(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
                 out: Shape) -> str:
    b.require_static(out, "a convolution")
    wl, spatial = str(attrs["w"]), [c for c in str(attrs["x"]) if c.isupper()]
    flipped = tuple(wl.index(c) for c, f in zip(spatial, attrs["flip"]) if f)  # type: ignore
    if flipped:  # linalg maps must stay invertible: the kernel reversed first
        args = [args[0], reverse_linalg(b, [args[1]], [shapes[1]], {"dims": flipped},
                                         shapes[1])]
    named = _named_conv(attrs)
    if named is None:
        return _conv_generic(b, args, shapes, attrs, out)
    name, strided, (x_units, w_units, out_units) = named
    x, xs = args[0], shapes[0]
    for at in x_units:
        x, xs = unit_axis(b, x, xs, at)
    w, ws = args[1], shapes[1]
    for at in w_units:
        w, ws = unit_axis(b, w, ws, at)
    res = out
    for at in out_units:
        res = (*res[:at], 1, *res[at:])
    init = b.zeros(res)
    strides: tuple[int, ...] = attrs["strides"]  # type: ignore[assignment]
    extra = f" {{dilations = {dense([1] * len(spatial))}, strides = {dense(strides)}}}" \
        if strided else ""
    result = b.fresh()
    t = b.ttype(res)
    b.emit(f"{result} = linalg.{name}{extra} ins({x}, {w} : {b.ttype(xs)}, {b.ttype(ws)}) "
           f"outs({init} : {t}) -> {t}")
    for at in reversed(out_units):
        result = drop_unit_axis(b, result, res, at)
        res = tuple(d for k, d in enumerate(res) if k != at)
    return result


def _conv_generic(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
                  out: Shape) -> str:
    """linalg.generic over the result's axes and the summed ones (channels, offsets); the
    kernel is read forwards (flips are done by the caller)."""
    xl, wl, ol = str(attrs["x"]), str(attrs["w"]), str(attrs["out"])
    spatial = [c for c in xl if c.isupper()]
    summed = (["c"] if "c" in xl else []) + [c.lower() for c in spatial]
    dims = {c: f"d{k}" for k, c in enumerate([*ol, *summed])}
    strides = dict(zip(spatial, attrs["strides"]))  # type: ignore[call-overload]

    def x_expr(c: str) -> str:
        if not c.isupper():
            return dims[c]
        scaled = dims[c] if strides[c] == 1 else f"{dims[c]} * {strides[c]}"
        return f"{scaled} + {dims[c.lower()]}"

    def w_expr(c: str) -> str:
        return dims[c.lower()] if c.isupper() else dims[c]

    all_dims = ", ".join(dims.values())
    maps = [f"affine_map<({all_dims}) -> ({', '.join(x_expr(c) for c in xl)})>",
            f"affine_map<({all_dims}) -> ({', '.join(w_expr(c) for c in wl)})>",
            f"affine_map<({all_dims}) -> ({', '.join(dims[c] for c in ol)})>"]
    iters = ", ".join(['"parallel"'] * len(ol) + ['"reduction"'] * len(summed))
    init = b.zeros(out)
    name, a, k, acc, prod, total = (b.fresh() for _ in range(6))
    t = b.ttype(out)
    b.emit(f"{name} = linalg.generic {{indexing_maps = [{', '.join(maps)}], iterator_types = "
           f"[{iters}]}} ins({args[0]}, {args[1]} : {b.ttype(shapes[0])}, "
           f"{b.ttype(shapes[1])}) outs({init} : {t}) {{\n"
           f"    ^bb0({a}: {b.elem}, {k}: {b.elem}, {acc}: {b.elem}):\n"
           f"      {prod} = arith.{b.arith('mulf')} {a}, {k} : {b.elem}\n"
           f"      {total} = arith.{b.arith('addf')} {acc}, {prod} : {b.elem}\n"
           f"      linalg.yield {total} : {b.elem}\n    }} -> {t}")
    return name


def _hlo_reshape(b: Builder, value: str, old: Shape, new: Shape) -> str:
    if old == new:
        return value
    name = b.fresh()
    b.emit(f"{name} = stablehlo.reshape {value} : ({b.ttype(old)}) -> {b.ttype(new)}")
    return name


def _conv_hlo(b: Builder, args: list[str], shapes: list[Shape], attrs: dict[str, object],
              out: Shape) -> str:
    """stablehlo.convolution; a batch or feature axis the labels lack is a unit axis added
    at the end (reshape), a flipped kernel axis a stablehlo.reverse."""
    b.require_static(out, "a convolution")
    xl, wl, ol = str(attrs["x"]), str(attrs["w"]), str(attrs["out"])
    spatial = [c for c in xl if c.isupper()]
    number = {c: str(k) for k, c in enumerate(spatial)}
    group = "g" in xl
    x_roles = {"n": "b", "c": "f", "g": "f", **number}
    w_roles = {"c": "i", "f": "o", "g": "o", **number}
    o_roles = {"n": "b", "f": "f", "g": "f", **number}
    xdims, wdims, odims = [x_roles[c] for c in xl], [w_roles[c] for c in wl], \
        [o_roles[c] for c in ol]
    xs, ws, os_ = list(shapes[0]), list(shapes[1]), list(out)
    for dims, shape, needed in ((xdims, xs, "bf"), (wdims, ws, "io"), (odims, os_, "bf")):
        for role in needed:
            if role not in dims:
                dims.append(role)
                shape.append(1)
    w = args[1]
    flips = [int(number[c]) for c, f in zip(spatial, attrs["flip"]) if f]  # type: ignore
    if flips:
        w = b.fresh()
        axes = ", ".join(str(wl.index(spatial[k])) for k in flips)
        b.emit(f"{w} = stablehlo.reverse {args[1]}, dims = [{axes}] : {b.ttype(shapes[1])}")
    x = _hlo_reshape(b, args[0], shapes[0], tuple(xs))
    w = _hlo_reshape(b, w, shapes[1], tuple(ws))
    groups = shapes[0][xl.index("g")] if group else 1
    name = b.fresh()
    strides = ", ".join(map(str, attrs["strides"]))  # type: ignore[call-overload]
    b.emit(f'{name} = "stablehlo.convolution"({x}, {w}) {{dimension_numbers = '
           f"#stablehlo.conv<[{', '.join(xdims)}]x[{', '.join(wdims)}]->[{', '.join(odims)}]>, "
           f"window_strides = array<i64: {strides}>, feature_group_count = {groups} : i64, "
           f"batch_group_count = 1 : i64}} : ({b.ttype(tuple(xs))}, {b.ttype(tuple(ws))}) -> "
           f"{b.ttype(tuple(os_))}")
    return _hlo_reshape(b, name, tuple(os_), out)


CONV = TargetOp(
    name="conv", dialects=("linalg", "stablehlo"), arity=2, rules=(),
    attributes=_conv_attrs, semantics=_conv_sem, shape_fn=_conv_shape,  # type: ignore
    emitters={"linalg": _conv_linalg, "stablehlo": _conv_hlo},
    requires=frozenset({"window", "mul", "add"}), cost=_conv_cost, reduction=True,
    summary="windowed products summed over offsets and input channels; batch, groups kept")


CONV_OPS: tuple[TargetOp, ...] = (CONV,)

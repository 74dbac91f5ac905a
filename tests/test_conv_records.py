"""The convolution and pool records (grammar/conv.py): semantics against plain loops, the
attribute generator offering the right labels, and every emitter path (linalg named ops
with unit axes added, linalg.generic where no named op fits, stablehlo.convolution /
reduce_window) compiled and compared with the semantics."""

import itertools

import numpy as np
import pytest

from checkers.execute import CompiledFunction
from grammar.conv import CONV
from grammar.ops import AttrContext
from grammar.pool import POOL_ADD, POOL_MAX, POOL_MIN
from tests.test_grammar import _harness

# (x shape, w shape, labels x, w, out, strides, flip, the linalg op expected or "generic")
CONVS = [
    ((9,), (3,), "W", "W", "W", (1,), (0,), "linalg.conv_1d "),
    ((11,), (3,), "W", "W", "W", (2,), (1,), "linalg.conv_1d_ncw_fcw"),
    ((7, 6), (3, 2), "HW", "HW", "HW", (2, 1), (0, 0), "linalg.conv_2d_nchw_fchw"),
    ((2, 6, 5), (3, 2, 3, 3), "cHW", "fcHW", "fHW", (1, 1), (0, 0), "linalg.conv_2d_nchw_fchw"),
    ((5, 5, 2), (2, 2, 2, 3), "HWc", "HWcf", "HWf", (1, 1), (0, 0), "linalg.conv_2d_nhwc_hwcf"),
    ((2, 5, 6, 3), (4, 2, 3, 3), "nHWc", "fHWc", "nHWf", (1, 2), (0, 0),
     "linalg.conv_2d_nhwc_fhwc"),
    ((3, 6, 6), (3, 3, 3), "gHW", "gHW", "gHW", (1, 1), (0, 1), "linalg.depthwise_conv_2d_nchw_chw"),
    ((5, 6, 2), (3, 3, 2), "HWg", "HWg", "HWg", (1, 1), (0, 0), "linalg.depthwise_conv_2d_nhwc_hwc"),
    ((2, 8), (3,), "nW", "W", "nW", (1,), (0,), "linalg.conv_1d_ncw_fcw"),
    ((4, 5, 3), (2, 2, 2), "DHW", "DHW", "DHW", (1, 1, 1), (0, 0, 0), "linalg.conv_3d "),
    ((7, 6), (2, 3), "HW", "WH", "HW", (1, 1), (0, 0), "linalg.generic"),
    ((2, 6, 5), (3, 2, 3, 3), "cHW", "fcHW", "HWf", (1, 1), (0, 0), "linalg.generic"),
    ((1, 5), (1, 2), "HW", "HW", "HW", (1, 1), (0, 0), "linalg.conv_2d "),
]


def _reference(x, w, xl, wl, ol, strides, flip):
    """The definition, one output element at a time."""
    spatial = [c for c in xl if c.isupper()]
    extent = dict(zip(wl, w.shape))
    extent.update({c: n for c, n in zip(xl, x.shape) if not c.isupper()})
    for c, s in zip(spatial, strides):
        extent[c] = (x.shape[xl.index(c)] - w.shape[wl.index(c)]) // s + 1
    offsets = {c: range(w.shape[wl.index(c)]) for c in spatial}
    summed = ["c"] if "c" in xl else []
    out = np.zeros([extent[c] for c in ol])
    for index in np.ndindex(*out.shape):
        at = dict(zip(ol, index))
        total = 0.0
        for channel in itertools.product(*[range(x.shape[xl.index(c)]) for c in summed]):
            at.update(zip(summed, channel))
            for offset in itertools.product(*offsets.values()):
                k = dict(zip(spatial, offset))
                xi = tuple(at[c] * strides[spatial.index(c)] + k[c] if c.isupper() else at[c]
                           for c in xl)
                wi = tuple((w.shape[wl.index(c)] - 1 - k[c] if flip[spatial.index(c)] else k[c])
                           if c.isupper() else at[c] for c in wl)
                total += x[xi] * w[wi]
        out[index] = total
    return out


def _attrs(xl, wl, ol, strides, flip):
    return (("x", xl), ("w", wl), ("out", ol), ("strides", strides), ("flip", flip))


@pytest.mark.parametrize("case", CONVS, ids=lambda c: f"{c[2]},{c[3]}->{c[4]}/s{c[5]}f{c[6]}")
def test_conv_semantics_match_the_definition_and_are_offered(case):
    xs, ws, xl, wl, ol, strides, flip, _ = case
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=xs), rng.normal(size=ws)
    attrs = _attrs(xl, wl, ol, strides, flip)
    got = CONV.semantics([x, w], dict(attrs), None)
    np.testing.assert_allclose(got, _reference(x, w, xl, wl, ol, strides, flip), atol=1e-12)
    ctx = AttrContext(shapes=(xs, ws, got.shape))
    assert attrs in set(CONV.attributes((xs, ws), ctx))


@pytest.mark.parametrize("dialect", ["linalg", "stablehlo"])
@pytest.mark.parametrize("case", CONVS, ids=lambda c: f"{c[2]},{c[3]}->{c[4]}/s{c[5]}f{c[6]}")
def test_conv_emitters_compile_and_match(case, dialect):
    xs, ws, xl, wl, ol, strides, flip, named = case
    attrs = _attrs(xl, wl, ol, strides, flip)
    out = CONV.shape_fn((xs, ws), dict(attrs))
    text = _harness(CONV, dialect, (xs, ws), attrs, out)
    if dialect == "linalg":
        assert named in text, text
    else:
        assert "stablehlo.convolution" in text
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=xs), rng.normal(size=ws)
    result = np.zeros(out)
    CompiledFunction(text, "f").run([x, w, result])
    np.testing.assert_allclose(result, CONV.semantics([x, w], dict(attrs), None), atol=1e-12,
                               err_msg=text)


# (op, x shape, dims, sizes, strides, linalg op expected)
POOLS = [
    (POOL_MAX, (8, 6), (0, 1), (2, 2), (2, 2), "linalg.pooling_nhwc_max"),
    (POOL_ADD, (3, 6, 6), (1, 2), (3, 2), (1, 2), "linalg.pooling_nchw_sum"),
    (POOL_MIN, (5, 7, 2), (0, 1), (3, 3), (1, 1), "linalg.pooling_nhwc_min"),
    (POOL_MAX, (2, 3, 5, 7), (2, 3), (2, 3), (2, 1), "linalg.pooling_nchw_max"),
    (POOL_ADD, (12,), (0,), (4,), (4,), "linalg.pooling_nwc_sum"),
    (POOL_MAX, (5, 3, 6), (0, 2), (2, 3), (1, 3), "linalg.generic"),
    (POOL_MIN, (3, 7), (1,), (3,), (2,), "linalg.generic"),  # pooling_ncw_min: none
    (POOL_MAX, (4, 5, 6, 3), (0, 1, 2), (2, 2, 3), (2, 1, 1), "linalg.pooling_ndhwc_max"),
]


@pytest.mark.parametrize("dialect", ["linalg", "stablehlo"])
@pytest.mark.parametrize("case", POOLS, ids=lambda c: f"{c[0].name}{c[1]}{c[2]}")
def test_pools_match_the_definition_and_compile(case, dialect):
    op, xs, dims, sizes, strides, named = case
    attrs = (("dims", dims), ("sizes", sizes), ("strides", strides))
    rng = np.random.default_rng(2)
    x = rng.normal(size=xs)
    got = op.semantics([x], dict(attrs), None)
    fold = {"pool_max": np.max, "pool_add": np.sum, "pool_min": np.min}[op.name]
    out_shape = list(xs)
    for d, k, s in zip(dims, sizes, strides):
        out_shape[d] = (xs[d] - k) // s + 1
    expected = np.zeros(out_shape)
    for index in np.ndindex(*out_shape):
        picks = [slice(i, i + 1) for i in index]
        for d, k, s in zip(dims, sizes, strides):
            picks[d] = slice(index[d] * s, index[d] * s + k)
        expected[index] = fold(x[tuple(picks)])
    np.testing.assert_allclose(got, expected, atol=1e-12)
    ctx = AttrContext(extents=(), shapes=(xs, got.shape))
    assert attrs in set(op.attributes((xs,), ctx))
    text = _harness(op, dialect, (xs,), attrs, got.shape)
    assert (named if dialect == "linalg" else "stablehlo.reduce_window") in text, text
    result = np.zeros(got.shape)
    CompiledFunction(text, "f").run([x, result])
    np.testing.assert_allclose(result, got, atol=1e-12, err_msg=text)


def test_conv_offers_no_plain_contraction():
    """A 1x1 'convolution' is a matmul: the dot records find it, not this one."""
    ctx = AttrContext(shapes=((3, 5), (4, 3), (4, 5)))
    assert not list(CONV.attributes(((3, 5), (4, 3)), ctx))

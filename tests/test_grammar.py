"""The catalog: complete records, type rules, semantics on floats and z3 terms, and every
emitter compiled and compared with its numpy semantics."""

import dataclasses
import itertools
import math

import numpy as np
import pytest
import z3

from checkers.execute import CompiledFunction
from checkers.smt import Z3Algebra
from grammar import CATALOG, AttrContext
from grammar.builder import Builder
from grammar.ops import infer_shape
from grammar.shapes import TypeRule, unify
from grammar.solve import RECURRENCE
from raising.analysis.decompose import dominant

SHAPES = [(), (3,), (5,), (3, 3), (3, 5), (5, 3), (5, 5), (5, 7), (3, 7), (2, 3, 5), (2, 5, 7),
          (3, 5, 7), (3, 3, 3)]
CTX = AttrContext(extents=(2, 3, 5, 7), constants=(0.0, 1.5), shapes=tuple(SHAPES))


def _applications(op):
    """A few well-typed (operand shapes, attrs, result shape) per op."""
    found = []
    for shapes in itertools.product(SHAPES, repeat=op.arity):
        for attrs in op.attributes(shapes, CTX):
            out = infer_shape(op, shapes, attrs)
            if out is not None:
                found.append((shapes, attrs, out))
    return found[:: max(1, len(found) // 6)][:6]


@pytest.mark.parametrize("op", CATALOG, ids=lambda op: op.name)
def test_record_is_complete(op):
    for f in dataclasses.fields(op):
        value = getattr(op, f.name)
        if f.name in ("rules", "shape_fn", "extent_attrs", "cost", "commutative", "requires",
                      "index_form", "reduction", "rescale"):  # optional: see TargetOp
            continue
        assert value not in (None, "", {}), f"{op.name} lacks {f.name}"
    assert op.rules or op.shape_fn, f"{op.name} has neither a type rule nor a shape function"
    assert set(op.emitters) == set(op.dialects)
    # Only a sequential record may lack linalg (linalg has no triangular solve): the linalg
    # target keeps such a nest as a loop and raises inside it instead.
    assert set(op.dialects) == {"linalg", "stablehlo"} or \
        (set(op.dialects) == {"stablehlo"} and RECURRENCE in op.requires)
    assert _applications(op), f"{op.name} never applies to the sample shapes"


def test_unification():
    matmul = TypeRule((("M", "K"), ("K", "N")), ("M", "N"))
    assert unify(matmul, ((3, 5), (5, 7))) == {"M": 3, "K": 5, "N": 7}
    assert unify(matmul, ((3, 5), (7, 5))) is None
    same = TypeRule((("*",), ("*",)), ("*",))
    assert unify(same, ((3, 5), (3, 5))) is not None
    assert unify(same, ((3, 5), (5, 3))) is None


def _closed(term):
    """A term over numerals with the uninterpreted exp (checkers.smt) applied as math.exp,
    so z3 can fold it to a number."""
    if not z3.is_app(term) or term.num_args() == 0:
        return term
    args = [_closed(a) for a in term.children()]
    functions = {"exp": math.exp, "tanh": math.tanh, "log": math.log}
    if term.decl().name() in functions:
        value = float(z3.simplify(args[0]).as_fraction())
        return z3.RealVal(functions[term.decl().name()](value))
    return term.decl()(*args)


@pytest.mark.parametrize("op", CATALOG, ids=lambda op: op.name)
def test_semantics_agree_on_floats_and_z3_terms(op):
    rng = np.random.default_rng(1)
    for shapes, attrs, out in _applications(op):
        floats = [rng.uniform(0.5, 2.0, size=s) for s in shapes]  # sqrt needs x > 0
        with np.errstate(invalid="ignore"):
            expected = op.semantics([np.array(f) for f in floats], dict(attrs), None)
        if not np.all(np.isfinite(expected)):  # a factorisation: a well-conditioned matrix
            floats = [dominant(rng, s) for s in shapes]
            expected = op.semantics([np.array(f) for f in floats], dict(attrs), None)
        assert expected.shape == out
        terms = []
        for f in floats:
            t = np.empty(f.shape, dtype=object)
            for idx in np.ndindex(*f.shape):
                t[idx] = z3.RealVal(float(f[idx]))
            terms.append(t)
        symbolic = op.semantics(terms, dict(attrs), Z3Algebra())
        assert symbolic.shape == out
        for idx in np.ndindex(*out):
            value = z3.simplify(_closed(z3.RealVal(0) + symbolic[idx]))
            approx = float(value.as_fraction()) if z3.is_rational_value(value) else \
                float(value.approx(15).as_fraction()) if z3.is_algebraic_value(value) else None
            assert approx == pytest.approx(float(expected[idx]), rel=1e-9, abs=1e-9)


def _memref(shape):
    return "memref<" + "".join(f"{d}x" for d in shape) + "f64>"


def _harness(op, dialect, shapes, attrs, out):
    """func @f(operands..., result) computing op via its emitter."""
    b = Builder(dialect)
    params, names = [], []
    for i, s in enumerate(shapes):
        params.append(f"%in{i}: {_memref(s) if s else 'f64'}")
        if not s:
            names.append(b.hlo_scalar(f"%in{i}") if dialect == "stablehlo" else f"%in{i}")
            continue
        t = b.fresh()
        b.emit(f"{t} = bufferization.to_tensor %in{i} restrict : {_memref(s)} to {b.ttype(s)}")
        names.append(t)
    result = op.emitters[dialect](b, names, list(shapes), dict(attrs), out)
    if not out and dialect == "linalg":
        t = b.fresh()
        b.emit(f"{t} = tensor.from_elements {result} : {b.ttype(())}")
        result = t
    b.emit(f"bufferization.materialize_in_destination {result} in restrict writable %out : "
           f"({b.ttype(out)}, {_memref(out)}) -> ()")
    body = "\n    ".join(line.replace("\n", "\n    ") for line in b.lines)
    sig = ", ".join([*params, f"%out: {_memref(out)}"])
    return f"func.func @f({sig}) {{\n    {body}\n    return\n}}\n"


@pytest.mark.parametrize(("op", "dialect"), [(op, d) for op in CATALOG for d in op.dialects],
                         ids=lambda v: getattr(v, "name", v))
def test_emitter_compiles_and_matches_semantics(op, dialect):
    rng = np.random.default_rng(2)
    for shapes, attrs, out in _applications(op)[:3]:
        text = _harness(op, dialect, shapes, attrs, out)
        compiled = CompiledFunction(text, "f")
        inputs = [rng.uniform(0.5, 2.0, size=s) for s in shapes]
        with np.errstate(invalid="ignore"):
            finite = np.all(np.isfinite(op.semantics(inputs, dict(attrs), None)))
        if not finite:  # a factorisation: a well-conditioned matrix
            inputs = [dominant(rng, s) for s in shapes]
        result = np.zeros(out)
        compiled.run([x if s else float(x) for x, s in zip(inputs, shapes)] + [result])
        expected = op.semantics([np.array(x) for x in inputs], dict(attrs), None)
        np.testing.assert_allclose(result, expected, rtol=1e-12, atol=1e-12,
                                   err_msg=f"{op.name} {shapes} {attrs}\n{text}")


@pytest.mark.parametrize("dialect", ["linalg", "stablehlo"])
@pytest.mark.parametrize("shape", [(7,), (5, 7), (3, 5, 7)], ids=str)
def test_box_masks_compile_and_match_semantics(dialect, shape):
    """Partial writes of stencils use box masks (any rank); `select` with each kind."""
    from grammar import BY_NAME, mask_kinds
    from grammar.masked import box_margins

    select = BY_NAME["select"]
    rng = np.random.default_rng(3)
    kinds = [k for k in mask_kinds(shape) if box_margins(k, len(shape)) is not None]
    assert len(kinds) == 4 ** len(shape) - 1
    for kind in kinds[:: max(1, len(kinds) // 5)]:
        attrs = (("mask", kind),)
        compiled = CompiledFunction(_harness(select, dialect, (shape, shape), attrs, shape), "f")
        new, old = rng.normal(size=shape), rng.normal(size=shape)
        result = np.zeros(shape)
        compiled.run([new, old, result])
        expected = select.semantics([new, old], dict(attrs), None)
        np.testing.assert_array_equal(result, expected, err_msg=kind)
        assert 0 < int((expected == new).sum()) < new.size, kind


def _eval_poly(poly, arrays, point):
    """A canonical form evaluated by brute force: bound variables over their ranges."""
    import re as _re

    total = 0.0
    for mono in poly.monos:
        ranges = [range(int(_re.sub(r"\D", "", n))) for _, n in mono.bound]
        for values in itertools.product(*ranges):
            env = dict(point, **{v: k for (v, _), k in zip(mono.bound, values)})
            term = float(mono.coef)
            for name, idx in mono.factors:
                at = tuple(e.const + sum(c * env[v] for v, c in e.terms) for e in idx)
                term *= arrays[name][at]
            total += term
    return total


@pytest.mark.parametrize("op", [op for op in CATALOG if op.index_form], ids=lambda op: op.name)
def test_index_form_matches_numpy_semantics(op):
    """The all-sizes proof reads each op through its index form: it must say what the numpy
    semantics compute, element by element."""
    from checkers.polyform import IndexAlgebra, Lin, Poly

    alg = IndexAlgebra()
    rng = np.random.default_rng(5)
    for shapes, attrs, out in _applications(op):
        arrays = {f"x{k}": rng.normal(size=s) for k, s in enumerate(shapes)}
        fns = [(lambda idx, n=f"x{k}": Poly.read(n, idx)) for k in range(len(shapes))]
        form = op.index_form(fns, dict(attrs), shapes, out, alg)
        expected = np.asarray(op.semantics([arrays[f"x{k}"] for k in range(len(shapes))],
                                           dict(attrs), None), dtype=float)
        for index in np.ndindex(*out):
            point = {f"p{d}": v for d, v in enumerate(index)}
            got = _eval_poly(form(tuple(Lin.var(f"p{d}") for d in range(len(out)))),
                             arrays, point)
            assert np.isclose(got, expected[index]), (op.name, shapes, attrs, index)


# Elementwise exp/max/min and a max fold seeded with the first element, as loop nests write
# them: the grammar's ops must build the interpreter's very terms (not merely equal ones).
NONLINEAR_NEST = """func.func @f(%a: memref<4xf64>, %b: memref<4xf64>, %e: memref<4xf64>,
                  %hi: memref<4xf64>, %lo: memref<4xf64>, %m: memref<f64>) {
  affine.for %i = 0 to 4 {
    %0 = affine.load %a[%i] : memref<4xf64>
    %1 = affine.load %b[%i] : memref<4xf64>
    %2 = math.exp %0 : f64
    affine.store %2, %e[%i] : memref<4xf64>
    %3 = arith.maximumf %0, %1 : f64
    affine.store %3, %hi[%i] : memref<4xf64>
    %4 = arith.minimumf %0, %1 : f64
    affine.store %4, %lo[%i] : memref<4xf64>
  }
  %5 = affine.load %a[0] : memref<4xf64>
  %6 = affine.for %i = 1 to 4 iter_args(%acc = %5) -> (f64) {
    %7 = affine.load %a[%i] : memref<4xf64>
    %8 = arith.maximumf %acc, %7 : f64
    affine.yield %8 : f64
  }
  affine.store %6, %m[] : memref<f64>
  return
}
"""


@pytest.mark.parametrize("elem", [None, "f64"], ids=["reals", "ieee"])
def test_nonlinear_ops_build_the_interpreters_terms(elem):
    from checkers.interpreter import Interpreter
    from checkers.smt import FPAlgebra, Z3Algebra, symbolic_array
    from grammar import BY_NAME
    from raising.frontend.load import load_text

    kernel = load_text(NONLINEAR_NEST).kernels[0]
    a, b = symbolic_array("a", (4,), elem), symbolic_array("b", (4,), elem)
    env = dict(zip(kernel.arg_ids, [a, b] + [np.full(s, None, dtype=object)
                                             for s in [(4,), (4,), (4,), ()]]))
    if elem:  # IEEE has no exp: both sides refuse it (the proof reports it, never crashes)
        with pytest.raises(NotImplementedError):
            Interpreter(FPAlgebra(elem)).run_ops(kernel.body.ops, dict(env))
        with pytest.raises(NotImplementedError):
            BY_NAME["exp"].semantics([a], {}, FPAlgebra(elem))
        kernel.body.ops[0].regions[0][0].ops[2:4] = []  # drop the exp and its store
    Interpreter(FPAlgebra(elem) if elem else Z3Algebra()).run_ops(kernel.body.ops, env)
    e, hi, lo, m = (env[v] for v in kernel.arg_ids[2:])
    expected = [("max", [a, b], hi), ("min", [a, b], lo), ("reduce_max", [a], m)]
    if not elem:
        expected.append(("exp", [a], e))
    for name, args, want in expected:
        attrs = {"axis": 0} if name.startswith("reduce") else {}
        got = BY_NAME[name].semantics(args, attrs, FPAlgebra(elem) if elem else Z3Algebra())
        assert got.shape == want.shape, name
        assert all(g.eq(w) for g, w in zip(got.ravel(), want.ravel())), name


def _select_nest(select_operands):
    return f"""func.func @f(%x: memref<4xf64>, %y: memref<4xf64>, %t: f64) {{
  %one = arith.constant 1.0 : f64
  affine.for %i = 0 to 4 {{
    %0 = affine.load %x[%i] : memref<4xf64>
    %1 = arith.cmpf olt, %0, %t : f64
    %2 = arith.select %1, {select_operands} : f64
    affine.store %2, %y[%i] : memref<4xf64>
  }}
  return
}}
"""


def test_guidance_offers_max_min_exp_where_the_nest_computes_them():
    from raising.analysis.guidance import features
    from raising.frontend.load import load_text

    def found(text):
        kernel = load_text(text).kernels[0]
        return set().union(*(features(op) for op in kernel.body.ops))

    assert {"exp", "max", "min"} <= found(NONLINEAR_NEST)
    # x < t ? t : x is a max spelled as a ternary; x < t ? 1 : x is not a max or a min.
    assert {"max", "min", "compare"} <= found(_select_nest("%t, %0"))
    assert {"max", "min"} & found(_select_nest("%one, %0")) == set()

"""Interpreter against JIT runs, and the Z3 equivalence query."""

import numpy as np
import pytest
import z3

from checkers.execute import CompiledFunction
from checkers.interpreter import Interpreter, NumberAlgebra
from checkers.smt import check_equivalent, symbolic_array
from raising.frontend.load import load_text
from raising.frontend.resize import resize_text, shrink_mapping
from tests.conftest import KERNELS, LINEAR_ALGEBRA


@pytest.mark.parametrize("name", LINEAR_ALGEBRA)
def test_interpreter_matches_jit(name):
    text = (KERNELS / f"{name}.mlir").read_text()
    small = resize_text(text, shrink_mapping(text))
    kernel = load_text(small).kernels[0]
    rng = np.random.default_rng(3)
    args = []
    for t in kernel.arg_types:
        if t.is_memref:
            args.append(rng.normal(size=t.shape))
        else:
            args.append(float(rng.normal()) if t.elem.startswith("f") else 0)
    env = {}
    for vid, value in zip(kernel.arg_ids, args):
        env[vid] = value.astype(object) if isinstance(value, np.ndarray) else value
    Interpreter(NumberAlgebra()).run_ops(kernel.body.ops, env)
    jit_args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    CompiledFunction(small, kernel.name).run(jit_args)
    for vid, jit in zip(kernel.arg_ids, jit_args):
        if isinstance(jit, np.ndarray):
            np.testing.assert_allclose(env[vid].astype(float), jit, rtol=1e-12, atol=1e-12)


def test_z3_proves_reassociation_and_rejects_wrong_programs():
    a, b, c = symbolic_array("a", (3,)), symbolic_array("b", (3,)), symbolic_array("c", (3,))
    assert check_equivalent((a + b) + c, a + (b + c)).status == "proved"
    assert check_equivalent(a * (b + c), a * b + a * c).status == "proved"
    wrong = check_equivalent(a * b, a + b)
    assert wrong.status == "counterexample"
    assert wrong.model, "a counterexample carries a model"


def test_z3_counterexample_is_real():
    x = np.array([z3.Real("x")], dtype=object)
    outcome = check_equivalent(x * x, x)
    assert outcome.status == "counterexample"
    value = outcome.model["x"]
    assert value * value != value

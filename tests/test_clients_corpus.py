"""Issue 16 part 2-3 on the corpora: every function of tests/corpus and tests/foreign that has
a tensor form (`--abi tensor`), compiled by IREE (llvm-cpu; one module per corpus and target,
stablehlo and linalg input) and by XLA (stablehlo), run on random inputs and compared with the
corpus's numpy references. The functions without a tensor form are listed with their reason,
so a change in either direction shows up here."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import numpy as np
import pytest
from torch_mlir import ir

from checkers.execute import NUMPY_DTYPES, parse_arg_type
from checkers.jit import result_buffer_type
from core import mlir_env
from polybench import clients
from raising.pipeline import RaiseOptions, raise_text
from tests.corpus import KERNELS as CORPUS_KERNELS
from tests.corpus import CorpusKernel, make_args
from tests.corpus.references import REFERENCES as CORPUS_REFERENCES
from tests.foreign import KERNELS as FOREIGN_KERNELS
from tests.foreign.references import REFERENCES as FOREIGN_REFERENCES

pytestmark = pytest.mark.slow

KERNELS = {k.func: k for k in (*CORPUS_KERNELS, *FOREIGN_KERNELS) if k.raisable}
REFERENCES = {**CORPUS_REFERENCES, **FOREIGN_REFERENCES}
TOLERANCE = {np.dtype(np.float32): 2e-4, np.dtype(np.float64): 1e-9}

# Fully raised functions that have no tensor form today, and the reason's key words.
NO_TENSOR_FORM: dict[str, dict[str, str]] = {"linalg": {}, "stablehlo": {}}
# Functions on buffers of dynamic shape (their tensor forms stay dynamic: IREE takes them,
# XLA compiles static shapes only).
DYNAMIC = {"c_bias_add_dyn", "c_matmul_dyn_f32", "c_matvec_dyn_i32", "c_row_sums_mixed",
           "f_daxpy", "f_fill_cpu", "f_gain", "f_scal_cpu"}
# What IREE 3.13 itself rejects, with its message: its rewrite of a dynamic matrix-vector
# dot_general reshapes to a dynamic type that stablehlo.reshape does not allow.
IREE_REJECTS = {"stablehlo": {"c_matvec_dyn_i32": "'stablehlo.reshape' op result #0 must be "
                                                  "statically shaped"}, "linalg": {}}
# Top-level loads of a raised result (a mean, a maximum, a dot product of three).
TOP_LEVEL_LOADS = {"f_dc_remove", "f_softmax", "f_vec3_dot"}


@cache
def _raised(target: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every raisable file's tensor-ABI module (no compiled cross-check: the clients' runs
    against the references below are the check), by function: (module, report entry)."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for path in sorted({k.path for k in KERNELS.values()}):
        result = raise_text(path.read_text(), str(path),
                            RaiseOptions(target=target, abi="tensor", crosscheck="none"))
        for entry in result.report["functions"]:
            found[entry["name"]] = (result.text, entry)
    return found


def _forms(target: str) -> dict[str, tuple[str, dict[str, Any]]]:
    return {name: form for name, form in _raised(target).items()
            if "error" not in form[1]["tensor_abi"] and name in KERNELS}


def _arguments(kernel: CorpusKernel) -> tuple[dict[str, object], list]:
    """Random arguments by name (the results as trailing buffers, as the corpus runner passes
    them), and each argument's type."""
    source = mlir_env.parse_module(kernel.path.read_text())
    with source.context:
        for op in source.body.operations:
            if str(op.attributes["sym_name"]).strip('"') != kernel.func:
                continue
            ftype = ir.FunctionType(
                ir.TypeAttr(op.attributes["function_type"]).value)
            types = [parse_arg_type(str(t)) for t in ftype.inputs] + \
                [parse_arg_type(result_buffer_type(t)) for t in ftype.results]
    args = make_args(kernel, types, kernel.sizes[0], np.random.default_rng(5))
    return args, types


def _expected(kernel: CorpusKernel, args: dict[str, object]) -> dict[str, np.ndarray]:
    ref_args = {n: v.astype(np.float64) if isinstance(v, np.ndarray) and v.dtype.kind == "f"
                else (v.copy() if isinstance(v, np.ndarray) else v) for n, v in args.items()}
    return REFERENCES[kernel.func](**ref_args)


def _check(name: str, call: clients.Compiled, entry: dict[str, Any]) -> str | None:
    """None if the client's results equal the reference, else what differs."""
    kernel = KERNELS[name]
    args, types = _arguments(kernel)
    expected = _expected(kernel, args)
    names = kernel.names
    inputs = []
    for param in entry["tensor_abi"]["params"]:
        position = int(param[3:])
        inputs.append(np.asarray(args[names[position]],
                                 dtype=NUMPY_DTYPES.get(types[position].elem, np.int64)))
    outputs = call(inputs)
    results = entry["tensor_abi"]["results"]
    if len(outputs) != len(results):
        return f"{len(outputs)} results for {results}"
    n_args = len(names) - sum(r.startswith("result") for r in results)
    for value, replaces in zip(outputs, results):
        position = int(replaces[3:]) if replaces.startswith("arg") else \
            n_args + int(replaces.split()[1])
        want = np.asarray(expected.get(names[position], args[names[position]]))
        if value.size != want.size:
            return f"{replaces}: shape {value.shape}, want {want.shape}"
        tol = TOLERANCE.get(value.dtype, 0.0)
        scale = max(1.0, float(np.max(np.abs(want)))) if want.size else 1.0
        if not np.allclose(value.reshape(want.shape).astype(np.float64), want, rtol=tol,
                           atol=tol * scale):
            return f"{replaces} differs from the reference"
    return None


def _tensor_forms_are_as_listed(target: str) -> None:
    raised = _raised(target)
    missing = {name: entry["tensor_abi"]["error"] for name, (_, entry) in raised.items()
               if name in KERNELS and "error" in entry["tensor_abi"]}
    unraised = {n for n, e in missing.items() if "not fully raised" in e}
    assert {n for n in missing if n not in unraised} == set(NO_TENSOR_FORM[target])
    for name, why in NO_TENSOR_FORM[target].items():
        assert why in missing[name], missing[name]


def _iree_failures(target: str) -> dict[str, str | None]:
    forms = _forms(target)
    for name, why in IREE_REJECTS[target].items():
        with pytest.raises(clients.ClientError) as err:
            clients.iree_module(forms[name][0], target)
        assert why in str(err.value)
    forms = {n: f for n, f in forms.items() if n not in IREE_REJECTS[target]}
    texts = sorted({text for text, _ in forms.values()})
    compiled = clients.iree_module(clients.merged_module(texts), target)
    return {name: _check(name, compiled[name], entry) for name, (_, entry) in forms.items()}


def _xla_failures() -> dict[str, str | None]:
    failures: dict[str, str | None] = {}
    for name, (text, entry) in sorted(_forms("stablehlo").items()):
        if name in DYNAMIC:
            continue
        try:
            failures[name] = _check(name, clients.xla_function(text, name), entry)
        except clients.ClientError as err:
            failures[name] = str(err)
    return failures


# One test per target, so that each raises the corpora once (on one test process).
def test_iree_and_xla_run_the_corpora_stablehlo() -> None:
    _tensor_forms_are_as_listed("stablehlo")
    assert DYNAMIC | TOP_LEVEL_LOADS <= set(_forms("stablehlo"))
    assert len(_forms("stablehlo")) >= 120
    iree, xla = _iree_failures("stablehlo"), _xla_failures()
    assert not {n: f for n, f in iree.items() if f}, "IREE"
    assert not {n: f for n, f in xla.items() if f}, "XLA"


def test_iree_runs_the_corpora_linalg() -> None:
    _tensor_forms_are_as_listed("linalg")
    assert DYNAMIC | TOP_LEVEL_LOADS <= set(_forms("linalg"))  # dynamic stay tensor<?x?>
    assert len(_forms("linalg")) >= 120
    failures = _iree_failures("linalg")
    assert not {n: f for n, f in failures.items() if f}


def test_dynamic_shapes_stay_dynamic_in_the_tensor_form() -> None:
    path = KERNELS["c_matmul_dyn_f32"].path
    linalg = raise_text(path.read_text(), str(path),
                        RaiseOptions(target="linalg", abi="tensor", crosscheck="none"))
    assert linalg.exit_code == 0
    assert "(%arg0: tensor<?x?xf32>, %arg1: tensor<?x?xf32>, %arg2: tensor<?x?xf32>) -> " \
           "tensor<?x?xf32>" in linalg.text
    assert "tensor.dim" in linalg.text and "memref" not in linalg.text
    hlo = raise_text(path.read_text(), str(path),
                     RaiseOptions(target="stablehlo", abi="tensor", crosscheck="none"))
    assert hlo.exit_code == 0
    assert "(%arg0: tensor<?x?xf32>, %arg1: tensor<?x?xf32>, %arg2: tensor<?x?xf32>) -> " \
           "(tensor<?x?xf32>)" in hlo.text
    # Only func and stablehlo ops: the sizes come from get_dimension_size, not tensor.dim.
    ops = set(re.findall(r"= ([a-z_]+\.[a-z_]+)", hlo.text))
    assert ops and all(op.startswith("stablehlo.") for op in ops), ops
    assert "stablehlo.get_dimension_size" in hlo.text

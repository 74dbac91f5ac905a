"""Real compilers as clients of the tensor-ABI output (`buddy-raise --abi tensor`): IREE
(`iree-base-compiler` / `iree-base-runtime`, llvm-cpu on the host) and XLA (jax's CPU client).
Each compiles one function of a module and returns a callable on numpy arrays that returns
the function's results as numpy arrays.

XLA has no public entry point that takes a StableHLO module as text: `_xla_executable` wraps
the one jax uses itself (`jax.extend.backend` client's `compile_and_load`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from torch_mlir import ir

from core import mlir_env

Compiled = Callable[[Sequence[np.ndarray]], list[np.ndarray]]

# f64 stays f64 (IREE demotes it to f32 by default); code for this machine's CPU.
IREE_FLAGS = ("--iree-input-demote-f64-to-f32=false", "--iree-llvmcpu-target-cpu=host")


class ClientError(RuntimeError):
    """The client could not compile or run the module."""


def _only(text: str, func: str, rename: str | None = None) -> str:
    """The module with `func` alone (the others dropped), optionally renamed."""
    module = mlir_env.parse_module(text)
    with module.context:
        for op in list(module.body.operations):
            name = str(op.attributes["sym_name"]).strip('"') \
                if "sym_name" in op.attributes else ""
            if op.operation.name == "func.func" and name != func:
                op.operation.erase()
            elif rename:
                op.attributes["sym_name"] = ir.StringAttr.get(rename)
    return str(module)


def iree_function(text: str, func: str, dialect: str, threads: int = 1) -> Compiled:
    """`func` of `text` (stablehlo, or linalg on tensors) compiled by iree-compile for
    llvm-cpu and loaded in the IREE runtime (`threads` task workers)."""
    return iree_module(_only(text, func), dialect, threads)[func]


def merged_module(texts: Sequence[str]) -> str:
    """One module holding every function of `texts` (tensor-ABI modules with distinct
    function names), so that a client compiles a whole corpus at once."""
    context = mlir_env.new_context()
    merged = mlir_env.parse_module("module {}", context)
    with context, ir.Location.unknown():
        for text in texts:
            module = mlir_env.parse_module(text, context)
            for op in list(module.body.operations):
                op.operation.detach_from_parent()
                merged.body.append(op.operation)
        merged.operation.verify()
    return str(merged)


def iree_module(text: str, dialect: str, threads: int = 1) -> dict[str, Compiled]:
    """Every function of `text`, compiled by one iree-compile run (llvm-cpu) and loaded in
    the IREE runtime (`threads` task workers), by name."""
    from iree import compiler, runtime

    input_type = "stablehlo" if dialect == "stablehlo" else "none"
    try:
        vmfb = compiler.compile_str(text, target_backends=["llvm-cpu"],
                                    input_type=input_type, extra_args=list(IREE_FLAGS))
    except compiler.CompilerToolError as err:
        lines = str(err).splitlines()
        first = next((line.strip() for line in lines if "error:" in line), lines[0])
        raise ClientError(f"iree-compile failed: {first}") from None
    flags = [f"--task_topology_max_group_count={threads}"]
    runtime.flags.parse_flags(*flags)
    config = runtime.Config("local-task")
    context = runtime.SystemContext(config=config)
    context.add_vm_module(runtime.VmModule.copy_buffer(context.instance, vmfb))
    return {name: _iree_entry(context.modules.module[name], tensors)
            for name, tensors in _parameter_kinds(text).items()}


def _parameter_kinds(text: str) -> dict[str, list[bool]]:
    """Each function's parameters: True for a tensor, False for a scalar."""
    module = mlir_env.parse_module(text)
    kinds = {}
    with module.context:
        for op in module.body.operations:
            if op.operation.name != "func.func":
                continue
            ftype = ir.FunctionType(ir.TypeAttr(op.attributes["function_type"]).value)
            kinds[str(op.attributes["sym_name"]).strip('"')] = [
                isinstance(t, ir.RankedTensorType) for t in ftype.inputs]
    return kinds


def _iree_entry(entry: Any, tensors: list[bool]) -> Compiled:
    def call(args: Sequence[np.ndarray]) -> list[np.ndarray]:
        # A scalar parameter takes a number, a tensor one an array.
        out = entry(*(np.asarray(a) if tensor else np.asarray(a).item()
                      for a, tensor in zip(args, tensors)))
        results = out if isinstance(out, (list, tuple)) else [out]
        return [np.asarray(r.to_host() if hasattr(r, "to_host") else r) for r in results]
    return call


def xla_function(text: str, func: str) -> Compiled:
    """`func` of a stablehlo `text` compiled by XLA (jax's CPU client, x64 enabled)."""
    import jax

    jax.config.update("jax_enable_x64", True)
    executable, device = _xla_executable(_only(text, func, rename="main"))

    def call(args: Sequence[np.ndarray]) -> list[np.ndarray]:
        buffers = [jax.device_put(np.asarray(a), device) for a in args]
        return [np.asarray(r) for r in executable.execute(buffers)]
    return call


def _xla_executable(text: str) -> tuple[Any, Any]:
    """The one internal entry point: a StableHLO module (text, entry `@main`) compiled by
    the CPU client jax uses."""
    from jax._src.lib import xla_client
    from jax.extend import backend

    client = backend.get_backend("cpu")
    device = client.devices()[0]
    try:
        executable = client.compile_and_load(text, xla_client.DeviceList((device,)),
                                             xla_client.CompileOptions())
    except Exception as err:  # noqa: BLE001 -- XLA reports every failure as one type
        raise ClientError(f"XLA failed: {str(err).splitlines()[0]}") from None
    return executable, device

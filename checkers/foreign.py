"""No foreign code runs. Lowered code may call only what the lowering itself emits: the
allocator, `memrefCopy` (checkers/memref_copy.py), libm's math and, in native OpenMP builds,
the OpenMP runtime. Any other external function (`system`, `exit`, `fopen`, an unknown
symbol), an indirect call (a function pointer) or inline assembly is refused before the JIT
resolves a symbol or clang links anything: the caller gets the reason, nothing runs."""

from __future__ import annotations

import re

from torch_mlir import ir

_LIBM = ("exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "cbrt", "pow", "fabs",
         "fmod", "tanh", "sinh", "cosh", "sin", "cos", "tan", "asin", "acos", "atan",
         "atan2", "erf", "floor", "ceil", "round", "trunc", "copysign", "fma", "fmax", "fmin")
LOWERING_SYMBOLS = frozenset({"malloc", "free", "aligned_alloc", "memrefCopy",
                              *_LIBM, *(f"{name}f" for name in _LIBM)})
NATIVE_PREFIXES = ("llvm.", "__kmpc_", "omp_")  # intrinsics, the OpenMP runtime


def foreign_code(module: ir.Module) -> str | None:
    """Why the LLVM-dialect `module` may not run (the first foreign thing found), or None."""
    for top in module.body.operations:
        op = top.operation
        if op.name == "llvm.func" and not op.regions[0].blocks:  # a declaration
            name = ir.StringAttr(op.attributes["sym_name"]).value
            if name not in LOWERING_SYMBOLS:
                return f"it calls the external function `{name}`"
        stack = [op]
        while stack:
            current = stack.pop()
            if current.name == "llvm.inline_asm":
                return "it contains inline assembly"
            if current.name == "llvm.call" and "callee" not in current.attributes:
                return "it calls through a function pointer"
            for region in current.regions:
                for block in region.blocks:
                    stack.extend(o.operation for o in block.operations)
    return None


_DECLARE = re.compile(r"^declare [^@]*@\"?([\w.$]+)\"?\(", re.MULTILINE)
_INDIRECT = re.compile(r"\bcall\b[^@\n]*\s%[\w.]+\(")
_ASM = re.compile(r"^\s*module asm\b|\basm (?:sideeffect |alignstack |inteldialect |unwind )*\"",
                  re.MULTILINE)


def foreign_code_in_llvm_ir(text: str) -> str | None:
    """The same refusal on LLVM IR text handed to clang (native builds)."""
    for name in _DECLARE.findall(text):
        if name not in LOWERING_SYMBOLS and not name.startswith(NATIVE_PREFIXES):
            return f"it calls the external function `{name}`"
    if _ASM.search(text):
        return "it contains inline assembly"
    if _INDIRECT.search(text):
        return "it calls through a function pointer"
    return None

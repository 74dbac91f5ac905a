"""Reading raised modules in tests: a function the aliasing guard versioned
(raising/emit/guard.py) is `@f` (the check), `@f__raised` and `@f__loops`."""

from __future__ import annotations

from raising.frontend.load import load_text
from raising.frontend.versions import LOOPS_SUFFIX, RAISED_SUFFIX


def functions(text: str) -> dict[str, str]:
    """Every function of the module, by name, as the bindings print it."""
    module = load_text(text).module
    return {str(op.attributes["sym_name"]).strip('"'): str(op)
            for op in module.body.operations if op.operation.name == "func.func"}


def raised_view(text: str) -> dict[str, str]:
    """The functions a caller names, each as the code that runs when no buffers alias:
    a guarded `@f` is shown as its `@f__raised`; the `__loops` copies are left out."""
    every = functions(text)
    view = {}
    for name, body in every.items():
        base = name.removesuffix(RAISED_SUFFIX).removesuffix(LOOPS_SUFFIX)
        if base != name and base in every:
            continue
        view[name] = every.get(name + RAISED_SUFFIX, body)
    return view


def raised_text(text: str) -> str:
    """The module without the `__loops` copies and the guards' dispatchers."""
    return "\n".join(raised_view(text).values())

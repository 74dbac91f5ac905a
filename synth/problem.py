"""A synthesis problem: named inputs, one output, concrete tests and a symbolic trace."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from grammar.shapes import Shape

# Runs the reference on one input set (name -> array) and returns the expected output.
ReferenceFn = Callable[[dict[str, np.ndarray]], np.ndarray]


@dataclass
class Problem:
    name: str
    inputs: dict[str, Shape]  # input name -> shape (() for scalars)
    output_shape: Shape
    tests: list[dict[str, np.ndarray]]  # input sets
    expected: list[np.ndarray]  # output per test
    symbolic_inputs: dict[str, np.ndarray]  # name -> object array of z3 variables
    symbolic_output: np.ndarray
    reference: ReferenceFn
    allowed_ops: tuple[str, ...]  # from the loop nest's arithmetic, most likely first
    constants: tuple[float, ...] = (0.0,)
    extents: tuple[int, ...] = ()
    notes: list[str] = field(default_factory=list)
    # A partial write: (index-mask kind, input holding the old value). The search then
    # matches only the written elements and wraps its answer as select(mask, new, old).
    partial: tuple[str, str] | None = None
    # What guidance read off the nest (`requires` tags such as "window", "stencil").
    features: frozenset[str] = frozenset()

    def add_test(self, test: dict[str, np.ndarray]) -> None:
        self.tests.append(test)
        self.expected.append(self.reference(test))

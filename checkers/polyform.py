"""Sums of products over affine index expressions, with symbolic extents: the canonical form
behind proofs for all sizes.

A value is a function from an index tuple to a `Poly`: a sum of monomials, each a rational
coefficient times reads `array[index expressions]`, summed over bound index variables whose
ranges are [0, N) for an extent symbol N. Concrete extents become symbols (`N1000`), so two
forms that normalise to the same monomials are equal for every size, not only the one seen.
Every rewrite here (distributing products over sums, renaming bound variables, collecting
like terms) is an identity over the reals, so equal normal forms imply equal values.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

MAX_BOUND = 6  # bound variables per monomial we canonicalise by trying every renaming


class NotCanonical(Exception):
    """The value is outside what the canonical form expresses; no all-sizes claim."""


@dataclass(frozen=True, order=True)
class Lin:
    """An integer affine expression over index variables: sum(coef * var) + const."""

    terms: tuple[tuple[str, int], ...] = ()
    const: int = 0

    @staticmethod
    def var(name: str) -> Lin:
        return Lin(((name, 1),))

    def __add__(self, other: Lin | int) -> Lin:
        other = other if isinstance(other, Lin) else Lin((), other)
        merged: dict[str, int] = dict(self.terms)
        for name, coef in other.terms:
            merged[name] = merged.get(name, 0) + coef
        return Lin(tuple(sorted((n, c) for n, c in merged.items() if c)),
                   self.const + other.const)

    def scale(self, factor: int) -> Lin:
        return Lin(tuple((n, c * factor) for n, c in self.terms if c * factor),
                   self.const * factor)

    def plain_var(self) -> str | None:
        """The variable if this is exactly one variable (coefficient 1, no constant)."""
        if self.const == 0 and len(self.terms) == 1 and self.terms[0][1] == 1:
            return self.terms[0][0]
        return None

    def subst(self, mapping: dict[str, Lin]) -> Lin:
        out = Lin((), self.const)
        for name, coef in self.terms:
            out = out + (mapping[name].scale(coef) if name in mapping else
                         Lin(((name, coef),)))
        return out

    def __str__(self) -> str:
        parts = [(n if c == 1 else f"{c}*{n}") for n, c in self.terms]
        if self.const or not parts:
            parts.append(str(self.const))
        return "+".join(parts)


Index = tuple[Lin, ...]
Factor = tuple[str, Index]  # (array or scalar name, index)


@dataclass(frozen=True)
class Mono:
    coef: Fraction
    factors: tuple[Factor, ...] = ()
    bound: tuple[tuple[str, str], ...] = ()  # (variable, extent symbol)


_names = itertools.count()


def fresh_var(stem: str = "k") -> str:
    return f"_{stem}{next(_names)}"


def _subst_mono(mono: Mono, mapping: dict[str, Lin]) -> Mono:
    return Mono(mono.coef,
                tuple((a, tuple(e.subst(mapping) for e in idx)) for a, idx in mono.factors),
                tuple((mapping[v].plain_var() or v, n) if v in mapping else (v, n)
                      for v, n in mono.bound))


def _freshen(mono: Mono) -> Mono:
    """Bound variables renamed apart (a shared subterm multiplied by itself stays right)."""
    if not mono.bound:
        return mono
    return _subst_mono(mono, {v: Lin.var(fresh_var()) for v, _ in mono.bound})


@dataclass(frozen=True)
class Poly:
    monos: tuple[Mono, ...] = ()

    @staticmethod
    def const(value: float | Fraction) -> Poly:
        coef = Fraction(value)
        return Poly((Mono(coef),) if coef else ())

    @staticmethod
    def read(name: str, index: Index) -> Poly:
        return Poly((Mono(Fraction(1), ((name, tuple(index)),)),))

    def __add__(self, other: Poly) -> Poly:
        return Poly(self.monos + other.monos)

    def __neg__(self) -> Poly:
        return Poly(tuple(Mono(-m.coef, m.factors, m.bound) for m in self.monos))

    def __sub__(self, other: Poly) -> Poly:
        return self + (-other)

    def __mul__(self, other: Poly) -> Poly:
        out = []
        for a in self.monos:
            for b in other.monos:
                b = _freshen(b)
                out.append(Mono(a.coef * b.coef, a.factors + b.factors, a.bound + b.bound))
        return Poly(tuple(out))

    def summed(self, var: str, extent: str) -> Poly:
        """sum over var in [0, extent) of this value."""
        return Poly(tuple(Mono(m.coef, m.factors, m.bound + ((var, extent),))
                          for m in self.monos))

    def instantiate(self, mapping: dict[str, Lin]) -> Poly:
        """Free variables substituted, bound ones renamed apart (for another use site)."""
        return Poly(tuple(_subst_mono(_freshen(m), mapping) for m in self.monos))

    def split_marker(self, marker: str) -> tuple[Poly, Poly]:
        """(a, b) with self == a * marker + b; NotCanonical if the marker is not linear."""
        linear, rest = [], []
        for mono in self.monos:
            hits = [f for f in mono.factors if f[0] == marker]
            if len(hits) > 1:
                raise NotCanonical("the old value enters non-linearly")
            if hits:
                others = tuple(f for f in mono.factors if f[0] != marker)
                linear.append(Mono(mono.coef, others, mono.bound))
            else:
                rest.append(mono)
        return Poly(tuple(linear)), Poly(tuple(rest))


def _mono_key(mono: Mono) -> str:
    """A key equal for monomials equal up to renaming their bound variables."""
    names = [v for v, _ in mono.bound]
    if len(names) != len(set(names)):
        raise NotCanonical("a bound variable bound twice")
    if len(names) > MAX_BOUND:
        raise NotCanonical(f"{len(names)} nested sums")
    best = None
    for perm in itertools.permutations(range(len(names))):
        mapping = {names[p]: Lin.var(f"b{i}") for i, p in enumerate(perm)}
        renamed = _subst_mono(mono, mapping)
        key = repr((sorted((a, tuple(map(str, idx))) for a, idx in renamed.factors),
                    [mono.bound[p][1] for p in perm]))
        best = key if best is None or key < best else best
    return best or repr((sorted((a, tuple(map(str, idx))) for a, idx in mono.factors), []))


def normal_form(poly: Poly) -> dict[str, Fraction]:
    """Monomial key -> coefficient, like terms collected, zeros dropped."""
    out: dict[str, Fraction] = {}
    for mono in poly.monos:
        key = _mono_key(mono)
        out[key] = out.get(key, Fraction(0)) + mono.coef
    return {k: c for k, c in out.items() if c}


def same_form(a: Poly, b: Poly) -> bool:
    return normal_form(a) == normal_form(b)


IndexFn = Callable[[Index], Poly]


class IndexAlgebra:
    """What grammar index forms build with: reads, constants, sums over an extent."""

    @staticmethod
    def extent(value: int) -> str:
        return f"N{value}"

    def read(self, name: str, index: Index) -> Poly:
        return Poly.read(name, index)

    def const(self, value: float) -> Poly:
        return Poly.const(value)

    def sum(self, extent: int, body: Callable[[Lin], Poly]) -> Poly:
        var = fresh_var()
        return body(Lin.var(var)).summed(var, self.extent(extent))


def output_index(rank: int) -> Index:
    """The free index variables of an output element: p0, p1, ..."""
    return tuple(Lin.var(f"p{d}") for d in range(rank))

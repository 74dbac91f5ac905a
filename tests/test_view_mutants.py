"""Soundness of raising on views (issue 18): mutants of every view function's answer are
refuted by Z3 with a genuine counterexample, and a call site whose view starts one element
off (an off-by-one slice offset) or drops the view's first element is caught by the
compiled cross-check: the region is not emitted."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from functools import cache

import pytest

import raising.pipeline
from polybench import datasets
from raising.analysis.views import View, ViewNest, view_nest
from raising.pipeline import RaiseOptions, RaiseResult, raise_text
from tests.test_mutants import _all_rejected

# The PolyBench kernels raised only on views inside their sequential loop.
ON_VIEWS = ("cholesky", "durbin", "gramschmidt", "lu", "ludcmp", "nussinov", "trisolv")


@cache
def _raised(name: str) -> tuple[str, RaiseResult]:
    text = datasets.instantiate_text(name, "MINI")
    return text, raise_text(text, f"{name}.mlir", RaiseOptions())


def _view_regions(name: str) -> list[dict]:  # type: ignore[type-arg]
    _, result = _raised(name)
    func = result.report["functions"][0]  # type: ignore[index]
    return [r for r in func["regions"] if r.get("view_function") and r["status"] == "raised"]


@pytest.mark.parametrize("name", ON_VIEWS)
def test_mutants_of_every_view_function_are_refuted(name: str) -> None:
    text, result = _raised(name)
    func = result.report["functions"][0]["name"]  # type: ignore[index]
    regions = _view_regions(name)
    assert regions, f"{name}: nothing raised on views"
    kinds: set[str] = set()
    for region in regions:
        nest = view_nest(text, func, *region["path"])
        inner = raise_text(nest.text, f"<{nest.func}>",
                           RaiseOptions(assume_noalias=True, crosscheck="none"))
        if any(r.get("ops") for f in inner.report["functions"]  # type: ignore[attr-defined]
               for r in f["regions"]):
            kinds |= _all_rejected(nest.func, inner, off_by_one=False)
    assert kinds, f"{name}: no mutants"


def _shifted(form: tuple, by: int) -> tuple:  # type: ignore[type-arg]
    terms = dict(form)
    terms[1] = terms.get(1, 0) + by
    return tuple(sorted(((k, c) for k, c in terms.items() if c), key=repr))


def _view_mutants(nest: ViewNest) -> Iterator[tuple[str, ViewNest]]:
    """Each view, one dimension at a time: started one element early (in bounds when its
    offset moves with k or is at least 1), or one element late and one shorter."""
    for i, view in enumerate(nest.views):
        for d, extent in enumerate(view.extents):
            if extent is None:
                continue
            offsets = list(view.offsets)
            if dict(view.offsets[d]).keys() - {1} or dict(view.offsets[d]).get(1, 0) > 0:
                early = list(offsets)
                early[d] = _shifted(offsets[d], -1)
                yield (f"view {i} dim {d} one early",
                       _with_view(nest, i, dataclasses.replace(view, offsets=tuple(early))))
            late, shorter = list(offsets), list(view.extents)
            late[d], shorter[d] = _shifted(offsets[d], 1), _shifted(extent, -1)
            yield (f"view {i} dim {d} without its first element",
                   _with_view(nest, i, dataclasses.replace(view, offsets=tuple(late),
                                                           extents=tuple(shorter))))


def _with_view(nest: ViewNest, i: int, view: View) -> ViewNest:
    views = list(nest.views)
    views[i] = view
    return dataclasses.replace(nest, views=views)


@pytest.mark.parametrize("name", ["lu", "trisolv", "ludcmp", "nussinov"])
def test_a_view_one_element_off_is_caught_and_not_emitted(name: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    text, result = _raised(name)
    func = result.report["functions"][0]["name"]  # type: ignore[index]
    region = _view_regions(name)[0]
    path = tuple(region["path"])
    mutants = list(_view_mutants(view_nest(text, func, *path)))
    assert mutants
    for description, mutant in mutants:
        def patched(text_: str, func_: str, *where: int, mutant: ViewNest = mutant
                    ) -> ViewNest:
            found = view_nest(text_, func_, *where)
            return mutant if where == path else found
        monkeypatch.setattr(raising.pipeline, "view_nest", patched)
        wrong = raise_text(text, f"{name}.mlir", RaiseOptions())
        report = wrong.report["functions"][0]  # type: ignore[index]
        assert not report["crosscheck"]["passed"], description
        assert f"@{region['view_function']}(" not in wrong.text, description

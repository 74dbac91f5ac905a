"""Issue 7, older MLIR: each upgrade rule is checked against the pinned bindings (the old
spelling fails to parse, the upgraded one parses), and an older file raises with warnings."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from torch_mlir import ir

from core import mlir_env
from raising.frontend.upgrade import RULES, upgrade_text

OLD_FORMS = {
    "arith.maxf": "func.func @f(%a: f64, %b: f64) -> f64 {\n"
                  "  %0 = arith.maxf %a, %b : f64\n  return %0 : f64\n}\n",
    "arith.minf": "func.func @f(%a: f32, %b: f32) -> f32 {\n"
                  "  %0 = \"arith.minf\"(%a, %b) : (f32, f32) -> f32\n  return %0 : f32\n}\n",
    "math.abs": "func.func @f(%a: f64) -> f64 {\n  %0 = math.abs %a : f64\n  return %0 : f64\n}\n",
    "builtin.func": "builtin.func @f(%a: f64) -> f64 {\n  return %a : f64\n}\n",
    "std.return": "func.func @f(%a: f64) -> f64 {\n  std.return %a : f64\n}\n",
    "std.call": "func.func @g() {\n  return\n}\nfunc.func @f() {\n  std.call @g() : () -> ()\n"
                "  return\n}\n",
    "std.constant": "func.func @f() -> f64 {\n  %0 = std.constant 1.5 : f64\n"
                    "  return %0 : f64\n}\n",
    "std.select": "func.func @f(%c: i1, %a: f64, %b: f64) -> f64 {\n"
                  "  %0 = std.select %c, %a, %b : f64\n  return %0 : f64\n}\n",
    "func": "func private @g(f64) -> f64\nfunc @f(%a: f64) -> f64 {\n  return %a : f64\n}\n",
    "dense<..> : vector<..xi32>": 'module attributes {dlti.dl_spec = #dlti.dl_spec<'
                                  '#dlti.dl_entry<i64, dense<64> : vector<2xi32>>, '
                                  '#dlti.dl_entry<!llvm.ptr<270>, dense<32> : vector<4xi32>>>} {\n'
                                  '  func.func @f() {\n    return\n  }\n}\n',
}
ROBUST = Path(__file__).parent / "robust"


def test_every_rule_has_an_example() -> None:
    assert {r.old for r in RULES} == set(OLD_FORMS)


@pytest.mark.parametrize("old", sorted(OLD_FORMS))
def test_old_spelling_fails_and_upgraded_parses(old: str) -> None:
    text = OLD_FORMS[old]
    with pytest.raises(ir.MLIRError):
        mlir_env.parse_module(text)
    upgraded, changes = upgrade_text(text)
    assert [c.rule.old for c in changes] == [old]
    mlir_env.parse_module(upgraded)


def test_names_in_comments_strings_and_longer_names_stay() -> None:
    text = ('// arith.maxf here is a comment\n%0 = arith.maxfoo %a\n'
            'x = "has arith.minf inside" // func @f\n%1 = my.arith.maxf %b\n')
    upgraded, changes = upgrade_text(text)
    assert upgraded.splitlines()[0] == text.splitlines()[0]
    assert "arith.maxfoo" in upgraded and "my.arith.maxf" in upgraded
    assert upgraded == text and not changes


def test_older_file_raises_with_warnings_and_keeps_lines() -> None:
    path = ROBUST / "older_mlir.mlir"
    proc = subprocess.run([sys.executable, "-m", "raising", str(path), "--timeout", "5",
                           "--crosscheck", "small"], capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if ": warning:" in line]
    assert len(warnings) == 4
    assert any(re.match(rf"{re.escape(str(path))}:9:14: warning: 'arith.maxf'", w)
               for w in warnings)
    # The renamed ops reach the search, which raises the clamp to the grammar's max and min.
    assert proc.returncode == 0, proc.stderr
    assert "linalg.max" in proc.stdout and "linalg.min" in proc.stdout
    assert "Traceback" not in proc.stderr
    line_of = {n: i for i, line in enumerate(path.read_text().splitlines(), 1)
               for n in ("arith.maxf",) if n in line}
    assert line_of["arith.maxf"] == 9  # lines keep their numbers: diagnostics stay true

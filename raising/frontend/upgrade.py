"""Upgrade MLIR text written by older MLIR (older Polygeist builds) to what the pinned
bindings parse, with one warning per kind of change.

Each rule is a spelling an older MLIR printed and the pinned MLIR rejects, rewritten in place
on its line (line numbers stay; columns after a rewritten name on the same line may shift).
tests/test_robust_upgrade.py checks every rule against the bindings: the old form fails to
parse, the upgraded one parses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial


@dataclass(frozen=True)
class Rule:
    """One change in MLIR's syntax: `pattern` (on one line) becomes `replacement`."""

    old: str  # as the warning names it
    new: str
    pattern: re.Pattern[str]
    replacement: str


def _op(old: str, new: str) -> Rule:
    # The op name in custom form (`%0 = arith.maxf ...`) or generic form (`"arith.maxf"(...)`),
    # never part of a longer name; inside other strings only as the generic form.
    name = re.escape(old)
    pattern = re.compile(rf'(?:"{name}"(?=\()|(?<![\w.$@%#"]){name}(?![\w."]))')
    return Rule(old, new, pattern, "")


RULES: tuple[Rule, ...] = (
    _op("arith.maxf", "arith.maximumf"),
    _op("arith.minf", "arith.minimumf"),
    _op("math.abs", "math.absf"),
    _op("builtin.func", "func.func"),
    _op("std.return", "func.return"),
    _op("std.call", "func.call"),
    _op("std.constant", "arith.constant"),
    _op("std.select", "arith.select"),
    # Before the func dialect, functions were `func @name(...)` (builtin).
    Rule("func", "func.func",
         re.compile(r"^(\s*)func(?=\s+(?:(?:private|public|nested)\s+)?@)"), r"\1func.func"),
    # Data-layout entries of older Polygeist hold i32 vectors; DLTI now wants i64.
    Rule("dense<..> : vector<..xi32>", "dense<..> : vector<..xi64>",
         re.compile(r"(#dlti\.dl_entry<[^<>]*(?:<[^<>]*>[^<>]*)*?dense<[-\d, \[\]]+>\s*:\s*"
                    r"vector<\d+x)i32>"), r"\1i64>"),
)


@dataclass(frozen=True)
class Upgrade:
    """What one rule changed: where first, and how often."""

    rule: Rule
    line: int
    col: int
    count: int

    def warning(self, path: str) -> str:
        uses = f" ({self.count} uses)" if self.count > 1 else ""
        return (f"{path}:{self.line}:{self.col}: warning: '{self.rule.old}' is older MLIR's "
                f"spelling of '{self.rule.new}'; upgraded{uses}")


def _code_part(line: str) -> tuple[str, str]:
    """The line split before a `//` comment outside a string literal."""
    in_string = False
    for i, ch in enumerate(line):
        if ch == '"' and (i == 0 or line[i - 1] != "\\"):
            in_string = not in_string
        elif not in_string and line.startswith("//", i):
            return line[:i], line[i:]
    return line, ""


def _replace(rule: Rule, code: str, match: re.Match[str]) -> str:
    """The match upgraded; unchanged when it sits inside a string literal."""
    found = match.group(0)
    if found.startswith('"'):
        return f'"{rule.new}"'
    if code[: match.start()].count('"') % 2:
        return found
    return match.expand(rule.replacement) if rule.replacement else rule.new


def upgrade_text(text: str) -> tuple[str, list[Upgrade]]:
    """The text with every rule applied, and what changed (in rule order)."""
    lines = text.splitlines(keepends=True)
    found: dict[int, tuple[int, int, int]] = {}  # rule index -> (line, col, count)
    for number, line in enumerate(lines):
        code, comment = _code_part(line)
        for index, rule in enumerate(RULES):
            matches = [m for m in rule.pattern.finditer(code) if _replace(rule, code, m)
                       != m.group(0)]
            if not matches:
                continue
            head = matches[0].group(0)
            col = matches[0].start() + len(head) - len(head.lstrip()) + 1
            first = found.get(index, (number + 1, col, 0))
            found[index] = (first[0], first[1], first[2] + len(matches))
            code = rule.pattern.sub(partial(_replace, rule, code), code)
        lines[number] = code + comment
    upgrades = [Upgrade(RULES[i], *found[i]) for i in sorted(found)]
    return "".join(lines), upgrades


def upgrade_with_warnings(text: str, path: str,
                          warn: Callable[[str], None] | None = None) -> str:
    """Upgrade `text`; each kind of change is reported once through `warn`."""
    upgraded, upgrades = upgrade_text(text)
    if warn:
        for change in upgrades:
            warn(change.warning(path))
    return upgraded

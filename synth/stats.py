"""The pruning ladder: every rejected candidate is counted under one named reason."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# In ladder order: a candidate stops at the first rung it fails.
LADDER = ("type", "unreachable", "eval_error", "duplicate", "mismatch", "counterexample", "unproved")


@dataclass
class SearchStats:
    rejected: Counter[str] = field(default_factory=Counter)
    enumerated: int = 0  # op applications that passed the type rule and were evaluated
    stored: int = 0  # distinct values kept
    checked: int = 0  # candidates sent to Z3
    proposed: int = 0  # candidates built from the symbolic trace (synth/sketch.py)
    cegis_rounds: int = 0
    seconds: float = 0.0

    def reject(self, reason: str, count: int = 1) -> None:
        assert reason in LADDER, reason
        self.rejected[reason] += count

    def merge(self, other: SearchStats) -> None:
        self.rejected.update(other.rejected)
        self.enumerated += other.enumerated
        self.stored += other.stored
        self.checked += other.checked
        self.proposed += other.proposed
        self.cegis_rounds += other.cegis_rounds
        self.seconds += other.seconds

    def as_dict(self) -> dict[str, object]:
        return {"enumerated": self.enumerated, "stored": self.stored, "z3_checks": self.checked,
                "trace_proposed": self.proposed,
                "cegis_rounds": self.cegis_rounds, "seconds": round(self.seconds, 4),
                "rejected": {r: self.rejected.get(r, 0) for r in LADDER}}

    def format(self) -> str:
        rungs = "  ".join(f"{r}={self.rejected.get(r, 0)}" for r in LADDER)
        return (f"trace-proposed={self.proposed} enumerated={self.enumerated} stored={self.stored} z3={self.checked} "
                f"cegis={self.cegis_rounds} | rejected: {rungs}")

"""A problem found by a check, as SPEC defines it."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"

SEVERITY = {
    "missing_field": ERROR,
    "missing_evidence": ERROR,
    "not_quantified": WARNING,
    "bad_rank": ERROR,
    "unknown_category": ERROR,
    "quota_exceeded": ERROR,
    "late": WARNING,
    "no_attachment": ERROR,
    "unreadable_attachment": ERROR,
    "unsupported_format": ERROR,
    "attachment_too_large": ERROR,
    "unknown_sender": ERROR,
    "spoofed_sender": ERROR,
}

# A submission with one of these is rejected outright rather than sent back for correction.
REJECTING = frozenset({"unknown_sender", "spoofed_sender"})


@dataclass(frozen=True)
class Problem:
    code: str
    field: str
    message: str  # Vietnamese, for a school clerk: what is wrong and how to fix it

    @property
    def severity(self) -> str:
        return SEVERITY[self.code]

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "field": self.field, "message": self.message}


def status_for(problems: list[Problem] | tuple[Problem, ...]) -> str:
    codes = {p.code for p in problems}
    if codes & REJECTING:
        return "rejected"
    if any(p.severity == ERROR for p in problems):
        return "needs_correction"
    return "accepted"

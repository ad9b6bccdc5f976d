"""What the consolidated workbook reads: the current nominees of a round."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from thidua.store.models import CURRENT_STATUSES, Nominee, Submission
from thidua.store.values import nfc
from thidua.text import fold, nominee_identity


@dataclass(frozen=True)
class ExportRow:
    school: str
    receipt: str
    version: int
    status: str
    rank: int | None
    name: str
    category: str | None
    category_text: str
    position: str
    achievements: str
    evidence: tuple[str, ...]
    award: str
    unit: str = ""  # the unit the school's (office's) list named on the row, "" when none
    section: str = ""


def nominees_for_round(session: Session, round_id: str) -> list[ExportRow]:
    """Nominees of the round from current versions (accepted / needs_correction), by school, then
    by the unit its list named (an office's list), then rank. A person a school listed twice (a list
    and its addition) appears once: the latest entry stands."""
    rows = session.exec(
        select(Nominee, Submission)
        .join(Submission, col(Submission.id) == col(Nominee.submission_id))
        .where(Submission.round_id == round_id, col(Submission.status).in_(CURRENT_STATUSES))
        .order_by(col(Submission.received_at).desc(), col(Submission.id).desc(), col(Nominee.position))
    ).all()
    keyed = []
    seen: set[tuple] = set()
    for n, s in rows:
        person = (
            s.school_id if s.school_id is not None else fold(s.school_name),
            s.ad_hoc,
            *nominee_identity(n.name, n.category),
        )
        if fold(n.name) and person in seen:
            continue
        seen.add(person)
        school = nfc(s.school_name)
        row = ExportRow(
            school=school,
            receipt=s.receipt,
            version=s.version,
            status=s.status,
            rank=n.rank,
            name=nfc(n.name),
            category=n.category,
            category_text=nfc(n.category_text),
            position=nfc(n.position_title),
            achievements=nfc(n.achievements),
            evidence=tuple(nfc(e) for e in n.evidence),
            award=nfc(n.award),
            unit=nfc(n.unit or ""),
            section=nfc(n.section),
        )
        # an office's list: its schools (units) in turn, each in its own ranks
        keyed.append(
            ((fold(school), school, fold(row.unit), n.rank is None, n.rank or 0, s.receipt, n.position), row)
        )
    keyed.sort(key=lambda pair: pair[0])
    out = [row for _, row in keyed]
    return out

"""What the review and selection pages read: every current nominee of a round across schools,
grouped by school in rank order, each with its achievements, the files its evidence cell names
(matched against what the school sent, as the checks match them), the verdict that stands and the
award form it is selected for; and how much of each award's cap the office has used.

A person listed again in a school's newer list is one nominee (:func:`thidua.store.results.
nominee_outcomes`); the files are those of the submission that carries the entry shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from thidua.campaign import Award
from thidua.checks.evidence import find_evidence, is_link
from thidua.store.models import Document, Nominee, Submission
from thidua.store.results import NomineeOutcome, nominee_outcomes
from thidua.store.selection import award_usage


@dataclass(frozen=True)
class EvidenceFile:
    receipt: str
    sha256: str
    filename: str
    detected: str


@dataclass(frozen=True)
class EvidenceItem:
    """One entry of the nominee's evidence cell and the received files it names (none: not found)."""

    reference: str
    files: tuple[EvidenceFile, ...]
    link: bool = False  # a web address, not a file


@dataclass(frozen=True)
class RoundNominee:
    id: int
    receipt: str
    status: str  # of the submission carrying the entry
    rank: int | None
    name: str
    category: str | None
    category_text: str
    position: str
    achievements: str
    proposed: str  # the award form the school proposed ("Giấy khen"), as written
    evidence: tuple[EvidenceItem, ...]
    verdict: str | None  # "ok", "insufficient" or None (not reviewed)
    note: str
    award_id: str | None  # the award form the office selected it for


@dataclass(frozen=True)
class SchoolNominees:
    school: str
    nominees: tuple[RoundNominee, ...]

    @property
    def insufficient_receipts(self) -> list[str]:
        """The school's submissions with a nominee whose evidence was found insufficient."""
        return sorted({n.receipt for n in self.nominees if n.verdict == "insufficient"})


@dataclass(frozen=True)
class AwardUse:
    award: Award
    used: int

    @property
    def full(self) -> bool:
        return self.award.max is not None and self.used >= self.award.max


@dataclass(frozen=True)
class RoundNominees:
    schools: tuple[SchoolNominees, ...]

    @property
    def nominees(self) -> list[RoundNominee]:
        return [n for s in self.schools for n in s.nominees]

    def counts(self) -> dict[str, int]:
        everyone = self.nominees
        return {
            "total": len(everyone),
            "reviewed": sum(n.verdict is not None for n in everyone),
            "ok": sum(n.verdict == "ok" for n in everyone),
            "insufficient": sum(n.verdict == "insufficient" for n in everyone),
            "selected": sum(n.award_id is not None for n in everyone),
        }

    def find(self, nominee_id: int) -> RoundNominee | None:
        return next((n for n in self.nominees if n.id == nominee_id), None)


def round_nominees(session: Session, office: str, round_id: str) -> RoundNominees:
    """Every current nominee of ``round_id``, grouped by school (by name), each school in rank order."""
    outcomes = nominee_outcomes(session, office=office, round_ids=[round_id])
    entries = _entries(session, [o.id for o in outcomes])
    files = _files(session, sorted({e.submission_id for e, _ in entries.values()}))
    schools: dict[str, list[RoundNominee]] = {}
    for outcome in outcomes:
        nominee, submission = entries[outcome.id]
        schools.setdefault(outcome.school, []).append(
            _round_nominee(outcome, nominee, submission, files.get(submission.id, []))
        )
    return RoundNominees(tuple(SchoolNominees(school, tuple(people)) for school, people in schools.items()))


def award_uses(session: Session, office: str, round_id: str, awards: Sequence[Award]) -> list[AwardUse]:
    """Each award form of the campaign with how many of the round's nominees are selected for it."""
    used = award_usage(session, office=office, round_id=round_id)
    return [AwardUse(award, used.get(award.id, 0)) for award in awards]


def _entries(session: Session, ids: list[int]) -> dict[int, tuple[Nominee, Submission]]:
    if not ids:
        return {}
    rows = session.exec(
        select(Nominee, Submission)
        .join(Submission, col(Nominee.submission_id) == Submission.id)
        .where(col(Nominee.id).in_(ids))
    ).all()
    return {nominee.id: (nominee, submission) for nominee, submission in rows}


def _files(session: Session, submission_ids: list[int]) -> dict[int, list[tuple[Document, str]]]:
    if not submission_ids:
        return {}
    rows = session.exec(
        select(Document, Submission.receipt)
        .join(Submission, col(Document.submission_id) == Submission.id)
        .where(col(Document.submission_id).in_(submission_ids))
        .order_by(Document.submission_id, Document.position)
    ).all()
    found: dict[int, list[tuple[Document, str]]] = {}
    for document, receipt in rows:
        found.setdefault(document.submission_id, []).append((document, receipt))
    return found


def _evidence(references: Sequence[str], documents: list[tuple[Document, str]]) -> tuple[EvidenceItem, ...]:
    names = [d.filename for d, _ in documents if d.sha256]
    items = []
    for reference in references:
        if not reference or not reference.strip():
            continue
        if is_link(reference):
            items.append(EvidenceItem(reference, (), link=True))
            continue
        match = find_evidence(reference, names)
        chosen = [
            (d, receipt)
            for d, receipt in documents
            if d.sha256
            and match is not None
            and (d.filename == match or d.filename.startswith(match + "/") or d.container == match)
        ]
        files = tuple(EvidenceFile(receipt, d.sha256, d.filename, d.detected) for d, receipt in chosen)
        items.append(EvidenceItem(reference, files))
    return tuple(items)


def _round_nominee(
    outcome: NomineeOutcome, nominee: Nominee, submission: Submission, documents: list[tuple[Document, str]]
) -> RoundNominee:
    return RoundNominee(
        id=outcome.id,
        receipt=submission.receipt,
        status=submission.status,
        rank=outcome.rank,
        name=outcome.name,
        category=outcome.category,
        category_text=outcome.category_text,
        position=outcome.position,
        achievements=outcome.achievements,
        proposed=nominee.award,
        evidence=_evidence(nominee.evidence, documents),
        verdict=outcome.evidence,
        note=outcome.review_note,
        award_id=outcome.award_id,
    )

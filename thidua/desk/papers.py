"""The papers that go up after intake, built from the store for the command line and the desk alike:
the official list of the selected nominees (``thidua export --selected``, the desk's exports page,
``GET /api/rounds/{id}/export.xlsx?selected=true``), the results report (``thidua report``) and each
school's outcome per nominee (``thidua results``, the results mail).

The figures come from :mod:`thidua.store.results`; the pure writers of :mod:`thidua.reports` lay
them out. Refusals are ``ThiduaError`` sentences for the command line; the desk checks the round
before it asks.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from thidua.campaign import Campaign, Round
from thidua.config import Settings
from thidua.errors import ThiduaError
from thidua.intake.app import App
from thidua.reports.model import (
    AwardGroup,
    ListedNominee,
    OfficeHeading,
    OfficialList,
    Registrant,
    ResultsReport,
    SchoolResult,
)
from thidua.reports.official_list import write_official_list
from thidua.reports.results_report import write_results_report
from thidua.store.results import NomineeOutcome, Results, nominee_outcomes, results, selected_nominees
from thidua.text import fold
from thidua.wording.vocabulary import CATEGORY_VI

UNKNOWN_CATEGORY = "Chưa rõ đối tượng"
EVIDENCE_VI = {"ok": "Đạt", "insufficient": "Chưa đủ", None: "Chưa thẩm định"}
_LOCALITY = re.compile(r"\b(huyện|thị xã|thành phố|quận|tỉnh)\s+(.+)$", re.IGNORECASE)
_SCHOOL_YEAR = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")


# -- the office as it heads its papers ----------------------------------------------------------------


def office_heading(settings: Settings) -> OfficeHeading:
    """From ``[office]``: ``name``, and when set ``superior``, ``place``, ``signer_title``,
    ``signer_name``; otherwise "UBND huyện X" and "X" are read from a name like "Phòng GD&ĐT huyện X"."""
    office = settings.office
    name = office.name.strip()
    locality = _LOCALITY.search(name)
    superior = office.superior or (f"UBND {locality.group(1)} {locality.group(2)}" if locality else "")
    place = office.place or (locality.group(2) if locality else "")
    title = office.signer_title or ("Trưởng phòng" if fold(name).startswith("phong") else "Thủ trưởng")
    return OfficeHeading(
        office=name,
        place=place or "……",
        superior=superior,
        signer_title=title,
        signer_name=office.signer_name,
    )


def _today(settings: Settings, now: datetime | None) -> date:
    return (now or datetime.now(UTC)).astimezone(settings.office.tz).date()


def require_round(application: App, round_id: str) -> Round:
    round_ = application.campaign.round_by_id(round_id)
    if round_ is None:
        known = ", ".join(r.id for r in application.campaign.rounds) or "none"
        raise ThiduaError(f"no round '{round_id}' in {application.settings.campaign.file} (known: {known})")
    return round_


def school_year_rounds(
    campaign: Campaign, school_year: str, where: object = "the campaign file"
) -> list[str]:
    """The rounds of ``school_year`` ("2017-2018"): those of the campaign, when it is that year's."""
    match = _SCHOOL_YEAR.match(school_year.strip())
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise ThiduaError(f"--school-year must look like 2017-2018, not '{school_year}'")
    wanted = f"{match.group(1)}-{match.group(2)}"
    if (
        _SCHOOL_YEAR.match(campaign.school_year or "") is None
        or "-".join(_SCHOOL_YEAR.match(campaign.school_year).groups()) != wanted
    ):
        raise ThiduaError(
            f"{where} is for school year '{campaign.school_year or '?'}', not {wanted}: "
            "point [campaign] file at that year's campaign"
        )
    return [r.id for r in campaign.rounds]


def _writable(out: Path, what: str) -> None:
    if out.suffix.lower() not in (".xlsx", ".docx"):
        raise ThiduaError(
            f"{what} is written as .xlsx or .docx: give --out a file name ending in one of them"
        )


# -- the official list --------------------------------------------------------------------------------


def build_official_list(application: App, round_id: str, *, now: datetime | None = None) -> OfficialList:
    round_ = require_round(application, round_id)
    with application.db.session() as session:
        chosen = selected_nominees(session, office=application.settings.office.code, round_id=round_id)
    campaign = application.campaign
    order = [a.id for a in campaign.awards] + sorted(
        {n.award_id for n in chosen} - {a.id for a in campaign.awards}
    )
    groups = []
    for award_id in order:
        people = [n for n in chosen if n.award_id == award_id]
        if people:
            award = campaign.award_by_id(award_id)
            groups.append(
                AwardGroup(
                    label=award.label if award else award_id,
                    nominees=tuple(
                        ListedNominee(
                            name=n.name,
                            collective=n.category == "collective",
                            position=n.position,
                            unit=n.unit or n.school,
                            achievements=n.achievements,
                        )
                        for n in people
                    ),
                )
            )
    return OfficialList(
        heading=office_heading(application.settings),
        dated=_today(application.settings, now),
        round_label=round_.label,
        campaign=campaign.name,
        groups=tuple(groups),
    )


def export_selected(application: App, round_id: str, out: Path, *, now: datetime | None = None) -> int:
    """``thidua export --round ID --selected --out FILE``: writes the official list; returns how many."""
    _writable(out, "the official list")
    official = build_official_list(application, round_id, now=now)
    try:
        write_official_list(official, out)
    except OSError as exc:
        raise ThiduaError(f"cannot write {out}: {exc.strerror}") from None
    return official.count


# -- the results report -------------------------------------------------------------------------------


def build_results_report(
    application: App,
    *,
    round_id: str | None = None,
    school_year: str | None = None,
    now: datetime | None = None,
) -> ResultsReport:

    if (round_id is None) == (school_year is None):
        raise ThiduaError("give either --round ID or --school-year YYYY-YYYY")
    campaign = application.campaign
    if round_id is not None:
        rounds, scope = [round_id], require_round(application, round_id).label
    else:
        rounds = school_year_rounds(campaign, school_year, application.settings.campaign.file)
        scope = f"Năm học {school_year.replace(' ', '')}"
    with application.db.session() as session:
        found = results(
            session,
            office=application.settings.office.code,
            round_ids=rounds,
            school_year=school_year is not None,
        )
    return _report(application, found, scope, school_year is not None, now)


def _report(
    application: App, found: Results, scope: str, whole_year: bool, now: datetime | None
) -> ResultsReport:
    campaign = application.campaign
    categories = list(CATEGORY_VI)
    if any(s.nominees.get("", 0) for s in found.schools):
        categories.append("")
    awards = [a.id for a in campaign.awards]
    awards += sorted({k for s in found.schools for k in s.selected} - set(awards))
    labels = {a.id: a.label for a in campaign.awards}
    schools = tuple(
        SchoolResult(
            school=s.school,
            registrations=s.registrations,
            lists=s.lists,
            reports=s.reports,
            nominees=tuple(s.nominees.get(c, 0) for c in categories),
            accepted=s.accepted,
            needs_correction=s.needs_correction,
            late=s.late,
            reviewed=s.reviewed,
            evidence_ok=s.evidence_ok,
            selected=tuple(s.selected.get(a, 0) for a in awards),
        )
        for s in found.schools
    )
    return ResultsReport(
        heading=office_heading(application.settings),
        dated=_today(application.settings, now),
        scope=scope,
        campaign=campaign.name,
        categories=tuple(CATEGORY_VI.get(c, UNKNOWN_CATEGORY) for c in categories),
        awards=tuple(labels.get(a, a) for a in awards),
        schools=schools,
        school_year=whole_year,
        unreported=tuple(
            Registrant(school=r.school, full_name=r.full_name, innovation_area=r.innovation_area)
            for r in found.unreported
        ),
    )


def write_report(
    application: App,
    out: Path,
    *,
    round_id: str | None = None,
    school_year: str | None = None,
    now: datetime | None = None,
) -> ResultsReport:

    _writable(out, "the results report")
    report = build_results_report(application, round_id=round_id, school_year=school_year, now=now)
    try:
        write_results_report(report, out)
    except OSError as exc:
        raise ThiduaError(f"cannot write {out}: {exc.strerror}") from None
    return report


# -- each school's outcome ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolOutcome:
    school: str
    nominees: tuple[NomineeOutcome, ...]


def school_outcomes(application: App, round_id: str) -> list[SchoolOutcome]:
    """Each school's nominees of the round with the verdict on their evidence and the award proposed."""
    require_round(application, round_id)
    with application.db.session() as session:
        nominees = nominee_outcomes(session, office=application.settings.office.code, round_ids=[round_id])
    by_school: dict[str, list] = {}
    for nominee in nominees:
        by_school.setdefault(nominee.school, []).append(nominee)
    return [SchoolOutcome(school, tuple(people)) for school, people in by_school.items()]


# -- the papers as files to download ------------------------------------------------------------------


def paper_bytes(write, out_name: str) -> bytes:
    """What ``write(path)`` writes to a file named ``out_name`` (its suffix picks .xlsx or .docx), as bytes."""
    with tempfile.TemporaryDirectory(prefix="thidua-paper-") as folder:
        out = Path(folder) / out_name
        write(out)
        return out.read_bytes()


def official_list_bytes(application: App, round_id: str, suffix: str) -> bytes:
    return paper_bytes(lambda out: export_selected(application, round_id, out), "selected" + suffix)


def results_report_bytes(application: App, round_id: str, suffix: str) -> bytes:
    return paper_bytes(lambda out: write_report(application, out, round_id=round_id), "report" + suffix)

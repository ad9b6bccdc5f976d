"""The commands for what goes up after intake: ``thidua report``, ``thidua results`` and the official
list of ``thidua export --selected``.

``register(app, load_app)`` adds ``report`` and ``results`` to the ``thidua`` Typer application;
``export_selected`` is what ``export --selected`` runs. They gather the figures from the store
(:mod:`thidua.store.results`) and hand them to the pure writers of :mod:`thidua.reports`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from thidua.errors import ThiduaError
from thidua.text import fold

# The service's parts are imported by the commands that use them: registering these commands
# must not slow `thidua --help` or a configuration error down.
if TYPE_CHECKING:
    from thidua.campaign import Campaign, Round
    from thidua.config import Settings
    from thidua.intake.app import App
    from thidua.reports.model import OfficeHeading, OfficialList, ResultsReport
    from thidua.store.results import NomineeOutcome, Results

UNKNOWN_CATEGORY = "Chưa rõ đối tượng"
EVIDENCE_VI = {"ok": "Đạt", "insufficient": "Chưa đủ", None: "Chưa thẩm định"}
_LOCALITY = re.compile(r"\b(huyện|thị xã|thành phố|quận|tỉnh)\s+(.+)$", re.IGNORECASE)
_SCHOOL_YEAR = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")


# -- the office as it heads its papers ----------------------------------------------------------------


def office_code(settings: Settings) -> str:
    """The ``[office] code`` that new tables are filtered by ("default" for a single office)."""
    from thidua.store.models import DEFAULT_OFFICE

    return str(getattr(settings.office, "code", "") or DEFAULT_OFFICE)


def office_heading(settings: Settings) -> OfficeHeading:
    """From ``[office]``: ``name``, and when set ``superior``, ``place``, ``signer_title``,
    ``signer_name``; otherwise "UBND huyện X" and "X" are read from a name like "Phòng GD&ĐT huyện X"."""
    from thidua.reports.model import OfficeHeading

    office = settings.office
    name = office.name.strip()
    locality = _LOCALITY.search(name)
    superior = getattr(office, "superior", "") or (
        f"UBND {locality.group(1)} {locality.group(2)}" if locality else ""
    )
    place = getattr(office, "place", "") or (locality.group(2) if locality else "")
    title = getattr(office, "signer_title", "") or (
        "Trưởng phòng" if fold(name).startswith("phong") else "Thủ trưởng"
    )
    return OfficeHeading(
        office=name,
        place=place or "……",
        superior=superior,
        signer_title=title,
        signer_name=getattr(office, "signer_name", "") or "",
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
    from thidua.reports.model import AwardGroup, ListedNominee, OfficialList
    from thidua.store.results import selected_nominees

    round_ = require_round(application, round_id)
    with application.db.session() as session:
        chosen = selected_nominees(session, office=office_code(application.settings), round_id=round_id)
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
    from thidua.reports.official_list import write_official_list

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
    from thidua.store.results import results

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
            office=office_code(application.settings),
            round_ids=rounds,
            school_year=school_year is not None,
        )
    return _report(application, found, scope, school_year is not None, now)


def _report(
    application: App, found: Results, scope: str, whole_year: bool, now: datetime | None
) -> ResultsReport:
    from thidua.reports.model import Registrant, ResultsReport, SchoolResult
    from thidua.wording.vocabulary import CATEGORY_VI

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
    from thidua.reports.results_report import write_results_report

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
    from thidua.store.results import nominee_outcomes

    require_round(application, round_id)
    with application.db.session() as session:
        nominees = nominee_outcomes(session, office=office_code(application.settings), round_ids=[round_id])
    by_school: dict[str, list] = {}
    for nominee in nominees:
        by_school.setdefault(nominee.school, []).append(nominee)
    return [SchoolOutcome(school, tuple(people)) for school, people in by_school.items()]


def outcome_table(outcome: SchoolOutcome, campaign: Campaign) -> Table:
    from thidua.wording.vocabulary import CATEGORY_VI

    table = Table(title=outcome.school, title_justify="left")
    for column in ("STT", "Họ và tên / Tên tập thể", "Đối tượng", "Minh chứng", "Kết quả"):
        table.add_column(column)
    for n in outcome.nominees:
        award = campaign.award_by_id(n.award_id) if n.award_id else None
        result = f"Đề nghị {award.label if award else n.award_id}" if n.award_id else "Không được lựa chọn"
        evidence = EVIDENCE_VI.get(n.evidence, n.evidence or "") + (
            f": {n.review_note}" if n.review_note else ""
        )
        table.add_row(
            *(
                Text(v)
                for v in (
                    str(n.rank or ""),
                    n.name,
                    CATEGORY_VI.get(n.category or "", n.category_text),
                    evidence,
                    result,
                )
            )
        )
    return table


# -- the commands -------------------------------------------------------------------------------------


def register(app: typer.Typer, load_app: Callable[[], App], console: Console | None = None) -> None:
    """Add ``report`` and ``results`` to ``app``; ``load_app`` builds the App from --config."""
    out = console or Console(width=150)

    @app.command("report")
    def report(
        round_id: str | None = typer.Option(None, "--round", help="A round id from the campaign file."),
        school_year: str | None = typer.Option(
            None, "--school-year", help="The whole school year, e.g. 2017-2018."
        ),
        out_file: Path = typer.Option(..., "--out", help="The .xlsx or .docx file to write."),
    ) -> None:
        """The results report for the level above, per school and in total."""
        written = write_report(load_app(), out_file, round_id=round_id, school_year=school_year)
        total = written.total
        out.print(
            f"{len(written.schools)} đơn vị, {total.nominee_total} tập thể/cá nhân được đề nghị, "
            f"{total.selected_total} được lựa chọn → {out_file}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )

    @app.command("results")
    def results_command(
        round_id: str = typer.Option(..., "--round", help="A round id from the campaign file."),
    ) -> None:
        """Each school's outcome for its nominees in the round."""
        application = load_app()
        outcomes = school_outcomes(application, round_id)
        if not outcomes:
            out.print(f"Chưa có tập thể, cá nhân nào được đề nghị trong đợt {round_id}.", markup=False)
        for outcome in outcomes:
            out.print(outcome_table(outcome, application.campaign))

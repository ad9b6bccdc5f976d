"""The commands for what goes up after intake: ``thidua report``, ``thidua results`` and the official
list of ``thidua export --selected``.

``register(app, load_app)`` adds ``report`` and ``results`` to the ``thidua`` Typer application;
``export_selected`` is what ``export --selected`` runs. The papers themselves are built by the
desk's :mod:`thidua.desk.papers`, which the web desk uses too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

# The service's parts are imported by the commands that use them: registering these commands
# must not slow `thidua --help` or a configuration error down.
if TYPE_CHECKING:
    from thidua.campaign import Campaign
    from thidua.desk.papers import SchoolOutcome
    from thidua.intake.app import App


def export_selected(application: App, round_id: str, out: Path, *, now: datetime | None = None) -> int:
    """``thidua export --round ID --selected --out FILE``: writes the official list; returns how many."""
    from thidua.desk import papers

    return papers.export_selected(application, round_id, out, now=now)


def outcome_table(outcome: SchoolOutcome, campaign: Campaign) -> Table:
    from thidua.desk.papers import EVIDENCE_VI
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
        from thidua.desk.papers import write_report

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
        send: bool = typer.Option(
            False, "--send", help="Mail each school its outcome (once), through the outbox."
        ),
    ) -> None:
        """Each school's outcome for its nominees in the round (with --send: mailed to each school, once)."""
        from thidua.desk.papers import school_outcomes

        application = load_app()
        if send:
            _send_results(application, round_id, out)
            return
        outcomes = school_outcomes(application, round_id)
        if not outcomes:
            out.print(f"Chưa có tập thể, cá nhân nào được đề nghị trong đợt {round_id}.", markup=False)
        for outcome in outcomes:
            out.print(outcome_table(outcome, application.campaign))


def _send_results(application: App, round_id: str, out: Console) -> None:
    from thidua.desk.actor import Actor
    from thidua.desk.papers import require_round
    from thidua.desk.results_mail import send_results

    require_round(application, round_id)
    office = application.settings.office.code
    with application.db.session() as session:
        sending = send_results(
            session,
            application.settings,
            Actor.operator(office),
            round_id,
            campaign=application.campaign,
            blobs=application.blobs,
        )
    for school in sending.sent:
        out.print(f"→ {school}", markup=False, highlight=False, soft_wrap=True)
    out.print(
        f"Đã đưa thư thông báo kết quả của {len(sending.sent)} trường vào hộp thư đi "
        f"(gửi ở lượt chạy sau của `thidua run`); {len(sending.already)} trường đã nhận trước đó.",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )

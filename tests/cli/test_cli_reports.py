"""`thidua report`, `thidua results` and `thidua export --selected` over the processed demo office."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
import typer
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from thidua import cli_reports
from thidua.config import load_settings
from thidua.desk import papers
from thidua.errors import ThiduaError
from thidua.intake.app import App
from thidua.store import selection as sel

NOW = datetime(2018, 3, 20, 3, 0, tzinfo=UTC)


@pytest.fixture
def application(demo_copy):
    app = App(load_settings(demo_copy.config))
    yield app
    app.db.dispose()


def _nominees(application, round_id: str = "q1-2018") -> dict[str, int]:
    with application.db.session() as session:
        rows = session.execute(
            sa.text(
                "SELECT n.name, n.id FROM nominees n JOIN submissions s ON s.id = n.submission_id "
                "WHERE s.round_id = :r AND s.status IN ('accepted', 'needs_correction') ORDER BY n.id"
            ),
            {"r": round_id},
        ).all()
    return dict(rows)


def _choose(application, nominee_id: int, award: str, verdict: str = "ok", note: str = "") -> None:
    with application.db.session() as session:
        sel.record_review(
            session, office="default", nominee_id=nominee_id, evidence=verdict, note=note, by="lan", at=NOW
        )
        if award:
            sel.select_nominee(
                session,
                office="default",
                nominee_id=nominee_id,
                award_id=award,
                awards=application.campaign.awards,
                by="lan",
                at=NOW,
            )


def test_heading_is_read_from_the_office_name(application):
    heading = papers.office_heading(application.settings)
    assert (heading.office, heading.superior, heading.place, heading.signer_title) == (
        "Phòng GD&ĐT huyện Phong Điền",
        "UBND huyện Phong Điền",
        "Phong Điền",
        "Trưởng phòng",
    )


def test_official_list_of_the_selected(application, tmp_path):
    people = _nominees(application)
    assert len(people) >= 2, people
    first, second = list(people)[:2]
    _choose(application, people[first], "gk-chu-tich")
    _choose(application, people[second], "bk-giam-doc-so")
    count = cli_reports.export_selected(application, "q1-2018", tmp_path / "ds.docx", now=NOW)
    assert count == 2
    text = [p.text for p in Document(str(tmp_path / "ds.docx")).paragraphs]
    assert "I. Giấy khen của Chủ tịch UBND huyện (1 tập thể, cá nhân)" in text
    assert "II. Bằng khen của Giám đốc Sở GD&ĐT (1 tập thể, cá nhân)" in text
    cli_reports.export_selected(application, "q1-2018", tmp_path / "ds.xlsx", now=NOW)
    cells = [
        c.value for row in load_workbook(tmp_path / "ds.xlsx").active.iter_rows() for c in row if c.value
    ]
    assert first in cells and second in cells and "Phong Điền, ngày 20 tháng 3 năm 2018" in cells


def test_report_for_a_round_and_the_school_year(application, tmp_path):
    people = _nominees(application)
    _choose(application, next(iter(people.values())), "gk-chu-tich")
    report = papers.write_report(application, tmp_path / "bc.xlsx", round_id="q1-2018", now=NOW)
    assert report.scope == "Quý I năm 2018"
    assert report.awards == ("Giấy khen của Chủ tịch UBND huyện", "Bằng khen của Giám đốc Sở GD&ĐT")
    assert report.total.nominee_total == len(people)
    assert report.total.selected == (1, 0) and report.total.reviewed == 1
    year = papers.write_report(application, tmp_path / "nam-hoc.docx", school_year="2017-2018", now=NOW)
    assert year.school_year and year.total.registrations >= 1
    # Hoa Sen sent no report; Phong Hòa's report names Trần Văn Bình, not his colleague
    assert [(r.school, r.full_name) for r in year.unreported] == [
        ("Trường Mầm non Hoa Sen", "Phạm Thị Lan"),
        ("Trường Tiểu học Phong Hòa", "Đặng Thu Hà"),
    ]
    assert Document(str(tmp_path / "nam-hoc.docx")).tables[1].rows[-1].cells[1].text == "Tổng cộng"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (dict(round_id="q9"), "no round 'q9'"),
        (dict(school_year="2018-2019"), "is for school year '2017-2018', not 2018-2019"),
        (dict(school_year="2017/18"), "must look like 2017-2018"),
        (dict(), "give either --round ID or --school-year"),
    ],
)
def test_bad_choices_are_one_line(application, tmp_path, kwargs, expected):
    with pytest.raises(ThiduaError, match=expected) as error:
        papers.write_report(application, tmp_path / "bc.xlsx", **kwargs)
    assert "\n" not in str(error.value)


def test_other_file_types_are_refused(application, tmp_path):
    with pytest.raises(ThiduaError, match="as .xlsx or .docx"):
        cli_reports.export_selected(application, "q1-2018", tmp_path / "ds.pdf")


def test_commands_registered_on_an_application(application, tmp_path):
    """`thidua report` and `thidua results`: the commands print one line or a table per school."""
    people = _nominees(application)
    name, nominee_id = next(iter(people.items()))
    _choose(application, nominee_id, "gk-chu-tich")
    other = list(people.values())[1]
    _choose(application, other, "", verdict="insufficient", note="thiếu giấy chứng nhận")
    app = typer.Typer()
    app.callback()(lambda: None)
    cli_reports.register(app, lambda: application)
    runner = CliRunner()
    done = runner.invoke(app, ["report", "--round", "q1-2018", "--out", str(tmp_path / "bc.docx")])
    assert done.exit_code == 0, done.output
    assert f"{len(people)} tập thể/cá nhân được đề nghị, 1 được lựa chọn" in done.output
    shown = runner.invoke(app, ["results", "--round", "q1-2018"])
    assert shown.exit_code == 0, shown.output
    assert name in shown.output and "Đề nghị Giấy khen của Chủ tịch UBND huyện" in shown.output
    assert "Chưa đủ: thiếu giấy chứng nhận" in shown.output and "Không được lựa chọn" in shown.output
    empty = runner.invoke(app, ["results", "--round", "q2-2018"])
    assert "Chưa có tập thể, cá nhân nào được đề nghị trong đợt q2-2018." in empty.output

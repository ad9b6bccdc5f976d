"""Lists from units below: an office's consolidated list (``thidua export``'s own workbook) sent to
the level above and read row by row, each nominee keeping its unit (the school), ranks per unit."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import openpyxl
import pytest
import sqlalchemy as sa

from tests.support.builders import make_eml, make_pdf, sectioned_xlsx
from tests.support.clitools import OFFICE_ADDRESS, make_office, ok
from thidua import cli_reports
from thidua.config import load_settings
from thidua.intake.app import App
from thidua.store.models import Nominee
from thidua.store.selection import select_nominee

VN = timezone(timedelta(hours=7))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SO_ADDRESS = "thidua@sogd.example.vn"
PHONG = "Phòng GD&ĐT huyện Phong Điền"


def _export_rows(path) -> list[dict]:
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    [header] = [i for i, row in enumerate(rows) if row[0] == "Trường / đơn vị"]
    names = rows[header]
    return [dict(zip(names, row)) for row in rows[header + 1 :] if any(v is not None for v in row)]


def _sent_up(workbook: bytes, evidence: list[str], message_id: str) -> bytes:
    """The district office's mail to the provincial department: its export and the evidence."""
    files = [(name, make_pdf(["GIẤY CHỨNG NHẬN", name]), "application/pdf") for name in evidence]
    return make_eml(
        sender=OFFICE_ADDRESS,
        to=SO_ADDRESS,
        subject="Tổng hợp danh sách đề nghị khen thưởng quý I",
        attachments=[("Tổng hợp quý I.xlsx", workbook, XLSX), *files],
        message_id=message_id,
    )


@pytest.fixture(scope="module")
def exported(demo, tmp_path_factory):
    """The demo office's consolidated list of round q1 (7 nominees of three schools)."""
    out = tmp_path_factory.mktemp("units") / "tong-hop.xlsx"
    ok(demo.office.cli("export", "--round", "q1-2018", "--out", out))
    return out


@pytest.fixture
def so(tmp_path):
    """The level above: a provincial department whose only sender is the district office."""
    office = make_office(tmp_path / "so")
    (office.root / "phong.csv").write_text(f"Tên đơn vị,Email\n{PHONG},{OFFICE_ADDRESS}\n", encoding="utf-8")
    ok(office.cli("schools", "import", office.root / "phong.csv"))
    return office


def test_an_exported_list_comes_back_with_every_nominee_and_unit(exported, so, tmp_path):
    rows = _export_rows(exported)
    evidence = sorted({e for row in rows for e in (row["Minh chứng, sản phẩm"] or "").split("\n") if e})
    mail = tmp_path / "gui-so.eml"
    mail.write_bytes(_sent_up(exported.read_bytes(), evidence, "<phong-q1@pgd.example.vn>"))
    ok(so.cli("process", mail))
    [submission] = so.submissions()
    assert submission["school"] == PHONG
    read = [(n["unit"], n["rank"], n["name"], n["category"]) for n in submission["nominees"]]
    assert read == [
        (r["Trường / đơn vị"], r["STT ưu tiên"], r["Họ và tên / Tên tập thể"], _category(r["Đối tượng"]))
        for r in rows
    ]
    assert len({unit for unit, *_ in read}) == 3
    assert all(n["section"] == "" for n in submission["nominees"])
    # ranks restart in each school: no rank problem; every evidence file came: none missing
    codes = [p["code"] for p in submission["problems"]]
    assert "bad_rank" not in codes and "missing_evidence" not in codes
    assert submission["status"] == "accepted"
    # the department's own export: each nominee under its school, the district office beside it
    again = tmp_path / "so-tong-hop.xlsx"
    ok(so.cli("export", "--round", "q1-2018", "--out", again))
    exported_again = _export_rows(again)
    assert [
        (r["Trường / đơn vị"], r["STT ưu tiên"], r["Họ và tên / Tên tập thể"]) for r in exported_again
    ] == [(r["Trường / đơn vị"], r["STT ưu tiên"], r["Họ và tên / Tên tập thể"]) for r in rows]
    assert {r["Đơn vị gửi danh sách"] for r in exported_again} == {PHONG}


def test_evidence_and_ranks_are_checked_per_unit(exported, so, tmp_path):
    rows = _export_rows(exported)
    evidence = sorted({e for row in rows for e in (row["Minh chứng, sản phẩm"] or "").split("\n") if e})
    first = rows[0]
    kept = [e for e in evidence if e not in (first["Minh chứng, sản phẩm"] or "").split("\n")]
    book = openpyxl.load_workbook(exported)
    sheet = book.active
    [header] = [r for r in range(1, 10) if sheet.cell(r, 1).value == "Trường / đơn vị"]
    sheet.cell(header + 2, 2).value = 1  # the school's second nominee numbered 1 again
    path = tmp_path / "sua.xlsx"
    book.save(path)
    mail = tmp_path / "gui-so.eml"
    mail.write_bytes(_sent_up(path.read_bytes(), kept, "<phong-q1-b@pgd.example.vn>"))
    ok(so.cli("process", mail))
    [submission] = so.submissions()
    problems = {p["code"]: p for p in submission["problems"]}
    unit = first["Trường / đơn vị"]
    assert problems["bad_rank"]["field"] == "nominees.rank"
    assert f"đơn vị “{unit}”" in problems["bad_rank"]["message"]
    assert "số 1" in problems["bad_rank"]["message"]
    missing = [p for p in submission["problems"] if p["code"] == "missing_evidence"]
    assert [p["field"] for p in missing] == ["nominees[1].evidence"]
    assert (
        f"đơn vị “{unit}”" in missing[0]["message"]
        and first["Họ và tên / Tên tập thể"] in missing[0]["message"]
    )


def test_the_quota_applies_to_each_unit(so, tmp_path):
    """Six nominees of one school in the district's list: over the round's five per school."""
    rows = [
        {
            "name": f"Giáo viên {i}",
            "category": "Giáo viên",
            "position": "Giáo viên",
            "achievements": f"{i} giải cấp huyện",
            "evidence": [f"GK {i}.pdf"],
            "unit": "Trường THCS An Bình",
        }
        for i in range(1, 7)
    ]
    rows += [
        {
            "rank": 1,
            "name": "Tổ Toán",
            "category": "Tập thể",
            "position": "",
            "achievements": "3 giải cấp tỉnh",
            "evidence": ["GK To Toan.pdf"],
            "unit": "Trường THCS Phong Điền",
        }
    ]
    workbook = sectioned_xlsx(rows, unit_header="Tên đơn vị")
    mail = tmp_path / "gui-so.eml"
    mail.write_bytes(_sent_up(workbook, [r["evidence"][0] for r in rows], "<phong-quota@pgd.example.vn>"))
    ok(so.cli("process", mail))
    [submission] = so.submissions()
    assert {n["unit"] for n in submission["nominees"]} == {"Trường THCS An Bình", "Trường THCS Phong Điền"}
    [quota] = [p for p in submission["problems"] if p["code"] == "quota_exceeded"]
    assert "“Trường THCS An Bình” có 6" in quota["message"]
    assert "Phong Điền" not in quota["message"]
    assert "bad_rank" not in [p["code"] for p in submission["problems"]]


def test_a_school_list_keeps_sections_and_no_unit(registered, tmp_path):
    rows = [
        "I. TẬP THỂ",
        {
            "name": "Tổ Toán",
            "category": "Tập thể",
            "achievements": "3 giải cấp huyện",
            "evidence": ["GK To Toan.pdf"],
        },
        "II. CÁ NHÂN",
        {
            "name": "Lê Thị Hạnh",
            "category": "Giáo viên",
            "position": "Giáo viên",
            "achievements": "2 giải cấp huyện",
            "evidence": ["GK Hanh.pdf"],
        },
    ]
    workbook = sectioned_xlsx(rows, letterhead="TRƯỜNG THCS AN BÌNH")
    mail = tmp_path / "ds.eml"
    mail.write_bytes(
        make_eml(
            sender="c2anbinh@example.vn",
            to=OFFICE_ADDRESS,
            subject="Danh sách quý I",
            attachments=[("Danh sách.xlsx", workbook, XLSX)],
            message_id="<sections@example.vn>",
            date=datetime(2018, 3, 1, tzinfo=VN),
        )
    )
    ok(registered.cli("process", mail))
    [submission] = registered.submissions()
    assert [(n["unit"], n["section"], n["rank"]) for n in submission["nominees"]] == [
        (None, "I. TẬP THỂ", 1),
        (None, "II. CÁ NHÂN", 1),
    ]
    # ranks restart in each section: each message names its section, the field keeps the SPEC's form
    missing = [p for p in submission["problems"] if p["code"] == "missing_evidence"]
    assert [p["field"] for p in missing] == ["nominees[1].evidence", "nominees[1].evidence"]
    assert "phần “I. TẬP THỂ”" in missing[0]["message"] and "phần “II. CÁ NHÂN”" in missing[1]["message"]


def _category(text: str) -> str:
    return {
        "Tập thể": "collective",
        "Giáo viên": "teacher",
        "Học sinh": "student",
        "Nhân viên": "staff",
        "Cán bộ quản lý": "manager",
    }[text]


def test_the_official_list_names_each_nominees_unit(exported, so, tmp_path):
    rows = _export_rows(exported)
    evidence = sorted({e for row in rows for e in (row["Minh chứng, sản phẩm"] or "").split("\n") if e})
    mail = tmp_path / "gui-so.eml"
    mail.write_bytes(_sent_up(exported.read_bytes(), evidence, "<phong-q1-c@pgd.example.vn>"))
    ok(so.cli("process", mail))
    application = App(load_settings(so.config))
    try:
        with application.db.session() as session:
            chosen = session.execute(
                sa.select(
                    Nominee.__table__.c.id, Nominee.__table__.c.name, Nominee.__table__.c.unit
                ).order_by(Nominee.__table__.c.id)
            ).first()
            select_nominee(
                session,
                office="default",
                nominee_id=chosen.id,
                award_id="gk-chu-tich",
                awards=application.campaign.awards,
                by="lan",
                at=datetime(2018, 3, 20, tzinfo=VN),
            )
        out = tmp_path / "ds.xlsx"
        assert cli_reports.export_selected(application, "q1-2018", out) == 1
    finally:
        application.db.dispose()
    [listed] = [
        row for row in openpyxl.load_workbook(out).active.iter_rows(values_only=True) if chosen.name in row
    ]
    assert chosen.unit in listed and PHONG not in listed  # "Đơn vị": the school, not the office that sent it

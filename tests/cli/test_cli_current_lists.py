"""One current list per school and round, through `thidua run --once` and `thidua process`: a
corrected list sent as a new mail replaces the old one, a *bổ sung* list adds to it, the quota
counts distinct people, an ad-hoc (*đột xuất*) list stands apart, and a person's new registration
replaces the earlier one."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.support.builders import REGISTRATION_EXAMPLE, make_eml, registration_docx
from tests.support.clitools import ok, plain_text
from tests.support.mails import OCTET, certificate, nomination_mail, nominee
from tests.support.mails import list_with_evidence as list_mail
from tests.support.office import OFFICE

VN = timezone(timedelta(hours=7))
IN_Q1 = datetime(2018, 3, 2, 9, 0, tzinfo=VN)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

PEOPLE = [
    "Nguyễn Thị Hoa",
    "Trần Văn Bình",
    "Lê Thị Mai",
    "Phạm Văn Nam",
    "Hoàng Thị Lan",
    "Võ Văn Tùng",
    "Đặng Thị Thu",
]


def by_version(submissions: list[dict]) -> list[dict]:
    return sorted(submissions, key=lambda s: (s["receipt"], s["version"]))


def reply_texts(office) -> list[str]:
    return [plain_text(message) for message in office.replies()]


def test_a_corrected_list_sent_as_a_new_mail_replaces_the_list_over_quota(registered):
    registered.deliver(list_mail(PEOPLE), IN_Q1)
    ok(registered.thidua("run", "--once"))
    [first] = registered.submissions()
    assert first["status"] == "needs_correction"
    assert [p["code"] for p in first["problems"]] == ["quota_exceeded"]

    registered.deliver(
        list_mail(PEOPLE[:5], subject="Danh sách khen thưởng quý I (đã sửa)"), IN_Q1 + timedelta(days=1)
    )
    ok(registered.thidua("run", "--once"))
    old, new = by_version(registered.submissions())
    assert (old["receipt"], old["version"], old["status"]) == (first["receipt"], 1, "superseded")
    assert (new["receipt"], new["version"], new["status"]) == (first["receipt"], 2, "accepted")
    assert new["problems"] == []
    assert (
        f"Bản gửi này (lần gửi thứ 2) thay thế bản gửi lần thứ 1 của hồ sơ {first['receipt']}; "
        "bản trước không còn được dùng để xét."
    ) in reply_texts(registered)[-1]


def test_mails_that_replace_each_other_in_one_pass(registered):
    # delivered together, read ahead together and filed in one transaction
    for day, names in enumerate((PEOPLE, PEOPLE[:6], PEOPLE[:5])):
        registered.deliver(
            list_mail(names, subject=f"Danh sách khen thưởng quý I - lần {day + 1}"),
            IN_Q1 + timedelta(hours=day),
        )
    ok(registered.thidua("run", "--once"))
    versions = by_version(registered.submissions())
    assert len({s["receipt"] for s in versions}) == 1
    assert [(s["version"], s["status"]) for s in versions] == [
        (1, "superseded"),
        (2, "superseded"),
        (3, "accepted"),
    ]
    assert len(versions[-1]["nominees"]) == 5


def test_the_whole_list_sent_again_counts_each_person_once(registered, tmp_path):
    first, again = tmp_path / "1.eml", tmp_path / "2.eml"
    first.write_bytes(list_mail(PEOPLE[:5]))
    again.write_bytes(list_mail([name.upper() for name in PEOPLE[:5]], subject="Gửi lại danh sách quý I"))
    ok(registered.cli("process", first, again))
    old, new = by_version(registered.submissions())
    assert (old["status"], new["status"], new["version"]) == ("superseded", "accepted", 2)


def test_an_additional_list_adds_and_the_quota_counts_distinct_people(registered):
    registered.deliver(list_mail(PEOPLE[:3]), IN_Q1)
    ok(registered.thidua("run", "--once"))
    [base] = registered.submissions()
    # two new people and one already listed, written differently; ranks start again at 1
    registered.deliver(
        list_mail(
            ["Phạm Văn Nam", "Hoàng Thị Lan", "LE THI  MAI"], subject="Danh sách bổ sung khen thưởng quý I"
        ),
        IN_Q1 + timedelta(days=1),
    )
    ok(registered.thidua("run", "--once"))
    added = next(s for s in registered.submissions() if s["receipt"] != base["receipt"])
    assert added["status"] == "accepted" and added["problems"] == []
    assert [s["status"] for s in registered.submissions() if s["receipt"] == base["receipt"]] == ["accepted"]
    assert (
        f"Danh sách này được ghi nhận là danh sách bổ sung, cộng thêm vào danh sách nhà trường đã gửi cho "
        f"đợt này (hồ sơ {base['receipt']})."
    ) in reply_texts(registered)[-1]

    # a sixth distinct person is one too many; the addition's numbering continues the list's (6)
    sixth = nominee(name="Võ Văn Tùng", evidence=("Giấy khen Tùng.pdf",), rank=6)
    registered.deliver(
        nomination_mail(
            [sixth], [("Giấy khen Tùng.pdf", certificate("Tùng"), OCTET)], subject="DS bổ sung quý I"
        ),
        IN_Q1 + timedelta(days=2),
    )
    ok(registered.thidua("run", "--once"))
    [latest] = [s for s in registered.submissions() if s["received_at"].startswith("2018-03-04")]
    assert [p["code"] for p in latest["problems"]] == ["quota_exceeded"]
    assert "cùng với 5 đã gửi" in latest["problems"][0]["message"]

    # a full list afterwards replaces the list and both additions
    registered.deliver(
        list_mail(PEOPLE[:4], subject="Danh sách khen thưởng quý I (chính thức)"), IN_Q1 + timedelta(days=3)
    )
    ok(registered.thidua("run", "--once"))
    current = [s for s in registered.submissions() if s["status"] != "superseded"]
    assert [(s["receipt"], s["version"], len(s["nominees"])) for s in current] == [(base["receipt"], 2, 4)]
    additions = sorted({s["receipt"] for s in registered.submissions()} - {base["receipt"]})
    assert (
        f"Bản gửi này (lần gửi thứ 2) thay thế bản gửi lần thứ 1 của hồ sơ {base['receipt']}; bản trước không còn "
        f"được dùng để xét. Bản gửi này cũng thay thế hồ sơ {', '.join(additions)} đã gửi trước đó."
    ) in reply_texts(registered)[-1]


def test_an_ad_hoc_list_is_never_late_never_counted_and_replaces_nothing(registered):
    registered.deliver(list_mail(PEOPLE[:5]), IN_Q1)
    after_deadline = datetime(2018, 3, 16, 8, 0, tzinfo=VN)
    registered.deliver(list_mail(PEOPLE[5:], subject="Đề nghị khen thưởng đột xuất quý I"), after_deadline)
    ok(registered.thidua("run", "--once"))
    regular, ad_hoc = sorted(registered.submissions(), key=lambda s: s["received_at"])
    assert (regular["status"], regular["ad_hoc"]) == ("accepted", False)
    assert (ad_hoc["status"], ad_hoc["ad_hoc"], ad_hoc["round"]) == ("accepted", True, "q1-2018")
    assert ad_hoc["problems"] == []  # neither late nor over the quarter's quota of 5
    assert ad_hoc["receipt"] != regular["receipt"]
    assert (
        "Danh sách này được ghi nhận là đề nghị khen thưởng đột xuất: không tính vào số lượng đề nghị của "
        "đợt và không áp dụng hạn gửi của đợt."
    ) in reply_texts(registered)[-1]
    # another ad-hoc award, for another deed, stands beside the first
    registered.deliver(
        list_mail(["Đặng Thị Thu"], subject="Khen thưởng đột xuất - cứu người"),
        after_deadline + timedelta(days=1),
    )
    ok(registered.thidua("run", "--once"))
    assert sorted((s["ad_hoc"], s["status"]) for s in registered.submissions()) == [
        (False, "accepted"),
        (True, "accepted"),
        (True, "accepted"),
    ]


def registration_mail(full_name: str, task: str) -> bytes:
    values = dict(
        REGISTRATION_EXAMPLE,
        school="Trường Tiểu học Phong Hòa",
        school_year="2017 – 2018",
        full_name=full_name,
        assigned_task=task,
    )
    return make_eml(
        sender="thphonghoa@example.vn",
        to=OFFICE,
        subject=f"Đăng ký đổi mới sáng tạo - {full_name}",
        attachments=[(f"Đăng ký {full_name}.docx", registration_docx(**values), DOCX)],
    )


def test_a_persons_new_registration_replaces_the_earlier_one(registered):
    when = datetime(2017, 10, 2, 9, 0, tzinfo=VN)
    registered.deliver(registration_mail("Trần Văn Bình", "Giáo viên lớp 5A"), when)
    registered.deliver(registration_mail("Lê Thị Hoa", "Giáo viên lớp 4B"), when + timedelta(minutes=5))
    registered.deliver(
        registration_mail("TRAN VAN BINH", "Giáo viên chủ nhiệm lớp 5A"), when + timedelta(hours=1)
    )
    ok(registered.thidua("run", "--once"))
    current = [s for s in registered.submissions() if s["status"] != "superseded"]
    assert sorted((s["registrations"][0]["full_name"], s["version"]) for s in current) == [
        ("Lê Thị Hoa", 1),
        ("TRAN VAN BINH", 2),
    ]


def test_a_correction_of_an_ad_hoc_list_stays_ad_hoc(registered, tmp_path):
    ad_hoc = tmp_path / "1.eml"
    ad_hoc.write_bytes(list_mail(PEOPLE[:2], subject="Khen thưởng đột xuất quý I"))
    ok(registered.cli("process", ad_hoc))
    [first] = registered.submissions()
    correction = tmp_path / "2.eml"
    correction.write_bytes(list_mail(PEOPLE[:1], subject=f"Re: [{first['receipt']}] Danh sách quý I đã sửa"))
    ok(registered.cli("process", correction))
    new, old = registered.submissions()
    assert (new["receipt"], new["version"], new["ad_hoc"], old["status"]) == (
        first["receipt"],
        2,
        True,
        "superseded",
    )
    assert [p["code"] for p in new["problems"]] == []  # arriving now, long after the quarter: still not late

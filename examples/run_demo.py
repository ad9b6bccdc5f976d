"""`make demo`: the main job on the embedded default over the bundled example mails, then the
office's work after intake.

Sets up a fresh demo/ folder (Maildir inbox, directory outbox, SQLite), delivers the
example mails with their arrival times (registrations in October, lists and a report in
March), loads the school registry and runs `thidua run --once`. Then a reviewer records a few
evidence verdicts and selects nominees for the campaign's award forms (through the store, as
the desk does), and the official list (.docx, .xlsx) and the school year's results report are
written. Everything it writes stays under demo/ (or the folder given as the first argument).
"""

from __future__ import annotations

import shutil
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))

from make_examples import MAILS  # noqa: E402  (arrival times live next to the mails)

from thidua.cli import main as thidua  # noqa: E402
from thidua.intake.sources import deliver_to_maildir  # noqa: E402

DEMO = ROOT / "demo"
ROUND = "q1-2018"
SCHOOL_YEAR = "2017-2018"
# When the council met: the papers are dated as an office would date them.
COUNCIL = datetime(2018, 3, 20, 14, 0, tzinfo=timezone(timedelta(hours=7)))
# (nominee, verdict on the evidence, note, award form it is proposed for or "")
DECISIONS = (
    ("Nguyễn Thị Hoa", "ok", "Giấy khen giáo viên dạy giỏi cấp huyện hợp lệ.", "bk-giam-doc-so"),
    ("Tổ Khoa học tự nhiên", "ok", "", "gk-chu-tich"),
    ("Hoàng Văn Tâm", "ok", "", "gk-chu-tich"),
    ("Trần Văn Bình", "ok", "", "gk-chu-tich"),
    ("Võ Thị Mai", "insufficient", "Sáng kiến chưa có xác nhận của Hội đồng khoa học cấp trường.", ""),
)


def call(folder: Path, *args: str) -> None:
    sys.argv = ["thidua", "--config", str(folder / "thidua.toml"), *args]
    try:
        thidua()
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise


def review_and_select(folder: Path) -> None:
    """The council's work on round q1: verdicts on evidence and selections, as the desk records them."""
    from thidua.config import load_settings
    from thidua.intake.app import App
    from thidua.store.results import nominee_outcomes
    from thidua.store.selection import record_review, select_nominee

    application = App(load_settings(folder / "thidua.toml"))
    office = application.settings.office.code
    try:
        with application.db.session() as session:
            ids = {n.name: n.id for n in nominee_outcomes(session, office=office, round_ids=[ROUND])}
            for name, verdict, note, award in DECISIONS:
                record_review(
                    session,
                    office=office,
                    nominee_id=ids[name],
                    evidence=verdict,
                    note=note,
                    by="hoidong",
                    at=COUNCIL,
                )
                if award:
                    select_nominee(
                        session,
                        office=office,
                        nominee_id=ids[name],
                        award_id=award,
                        awards=application.campaign.awards,
                        by="hoidong",
                        at=COUNCIL,
                    )
    finally:
        application.db.dispose()


def write_papers(folder: Path) -> list[Path]:
    """The official list of round q1 (Word and Excel) and the school year's results report."""
    from thidua.config import load_settings
    from thidua.desk.papers import export_selected, write_report
    from thidua.intake.app import App

    application = App(load_settings(folder / "thidua.toml"))
    written = [
        folder / f"danh-sach-de-nghi-{ROUND}.docx",
        folder / f"danh-sach-de-nghi-{ROUND}.xlsx",
        folder / f"bao-cao-ket-qua-{SCHOOL_YEAR}.xlsx",
        folder / f"bao-cao-ket-qua-{SCHOOL_YEAR}.docx",
    ]
    try:
        for out in written[:2]:
            export_selected(application, ROUND, out, now=COUNCIL)
        for out in written[2:]:
            write_report(application, out, school_year=SCHOOL_YEAR, now=COUNCIL)
    finally:
        application.db.dispose()
    return written


def main(folder: Path = DEMO) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name in ("thidua.toml", "campaign.toml", "schools.csv"):
        shutil.copy(ROOT / "examples" / name, folder / name)
    for name, arrival, _build in MAILS:
        deliver_to_maildir(
            folder / "var" / "inbox", (ROOT / "examples" / "mail" / name).read_bytes(), arrival
        )
    call(folder, "schools", "import", str(folder / "schools.csv"))
    call(folder, "run", "--once")
    review_and_select(folder)
    papers = write_papers(folder)
    print(
        f"\nReplies: {folder / 'var' / 'outbox'}   JSON: thidua --config {folder / 'thidua.toml'} submissions --json"
    )
    print(f"Danh sách đề nghị khen thưởng ({ROUND}): {papers[0]}  {papers[1]}")
    print(f"Báo cáo kết quả năm học {SCHOOL_YEAR}: {papers[2]}  {papers[3]}")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else DEMO)
